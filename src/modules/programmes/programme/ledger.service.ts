/**
 * The programme ledger: double entry, integer dong, one transaction (txn_id) of postings summing to zero
 * per money event. Debit positive, credit negative.
 *
 * Accounts (docs/decisions.md, "Programme ledger"): 'cash' is the donors' money that came in (debit
 * balance = received in total); the four other accounts say where every received dong is now (credit
 * balances): 'fund' free, 'awarded' committed to live awards not yet paid, 'paid' paid to the social
 * insurance office, 'refunded' returned to donors. So at every moment
 *   received = available + awarded + paid + refunded     (cash + fund + awarded + paid + refunded = 0)
 * and money held by the programme = available + awarded.
 *
 *   receipt          debit cash      credit fund        (per receipt)
 *   refund           debit fund      credit refunded    (of one receipt's unspent remainder)
 *   award            debit fund      credit awarded     (one pair per receipt that funds it)
 *   award cancelled  debit awarded   credit fund        (the same receipts, back)
 *   payment          debit awarded   credit paid        (the list submitted to the social insurance office)
 *   payment_reversal debit paid      credit awarded     (a submitted list withdrawn, memo = the reason)
 *
 * Every posting names its receipt, so each receipt's use (funded, refunded, free) comes from the ledger as
 * well as from award_funding and refund. Every change to a programme's money locks the programme row first
 * (select ... for update): two staff awarding at once are serialised and can never spend the same dong.
 */
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely, Selectable } from 'kysely';
import type { AwardTable, DB, LedgerAccount, LedgerEntryTable } from '../../../db/schema';
import type { Actor } from '../../../domain/access';
import { AppError, notFound, type FieldError } from '../../../errors';
import { audit } from '../../audit/audit.service';
import * as repo from './ledger.repository';
import * as programmes from './programme.repository';
import { formatVnd } from '../../../domain/money';
import { groupBy } from '../../../domain/collections';
import { programmeField, programmeForActor, scopeOf, transitionError } from './programme.access';

export interface NewAward {
  roundId: string | null;
  householdId: string;
  personId: string;
  communeCode: string;
  groupCode: string;
  tags: string[];
  amount: number;
}

export interface Posting {
  account: LedgerAccount;
  amount: number;
  receiptId?: string | null;
  awardId?: string | null;
}

export type TxnKind = 'receipt' | 'receipt_reversal' | 'refund' | 'award' | 'award_cancel' | 'payment' | 'payment_reversal';

/** Writes one balanced transaction; refuses (internal error) a set of postings that does not sum to zero. */
export async function postTxn(trx: Kysely<DB>, actor: Actor, programmeId: string, kind: TxnKind, postings: Posting[], memo: string | null = null): Promise<string> {
  const rows = txnRows(actor, programmeId, kind, postings, memo);
  await repo.insertPostings(trx, rows);
  return rows[0].txnId;
}

/** Writes many balanced transactions of one kind in a few statements; returns their ids in order. */
export async function postTxns(trx: Kysely<DB>, actor: Actor, programmeId: string, kind: TxnKind, txns: { postings: Posting[]; memo?: string | null }[]): Promise<string[]> {
  const rows = txns.map((t) => txnRows(actor, programmeId, kind, t.postings, t.memo ?? null));
  await repo.insertPostings(trx, rows.flat());
  return rows.map((r) => r[0].txnId);
}

/** The ledger rows of one balanced transaction (many can then be written in one statement). */
function txnRows(actor: Actor, programmeId: string, kind: TxnKind, postings: Posting[], memo: string | null = null): Insertable<LedgerEntryTable>[] {
  const txnId = randomUUID();
  const sum = postings.reduce((s, p) => s + p.amount, 0);
  if (sum !== 0 || postings.some((p) => !Number.isSafeInteger(p.amount) || p.amount === 0))
    throw new AppError('internal', { reason: 'unbalanced ledger transaction' });
  const rows: Insertable<LedgerEntryTable>[] = postings.map((p) => ({
    id: randomUUID(),
    programmeId,
    txnId,
    kind,
    account: p.account,
    amount: p.amount,
    receiptId: p.receiptId ?? null,
    awardId: p.awardId ?? null,
    memo,
    postedBy: actor.username,
  }));
  return rows;
}

/** Locks the programme row for the rest of the transaction; refuses a closed programme. */
export async function lockProgramme(trx: Kysely<DB>, programmeId: string) {
  const p = await programmes.findProgramme(trx, programmeId, true);
  if (!p) throw notFound('programme', programmeId);
  if (p.status === 'closed') throw transitionError('closed', 'closed', 'closed');
  return p;
}

/** What each receipt has left: amount - funding of live awards - refunds. */
export async function receiptsWithRemainder(trx: Kysely<DB>, programmeId: string) {
  const rows = await repo.receiptRemainders(trx, programmeId);
  return rows.map((r) => ({ ...r, funded: Number(r.funded), refunded: Number(r.refunded), free: r.amount - Number(r.funded) - Number(r.refunded) }));
}

/** Balances of one programme: pledged (confirmed), received, refunded, awarded (not yet paid), paid, available. */
export async function programmeBalance(
  db: Kysely<DB>,
  programmeId: string,
): Promise<{ pledged: number; received: number; refunded: number; awarded: number; paid: number; available: number }> {
  return (await balancesOf(db, [programmeId])).get(programmeId)!;
}

export interface Balance {
  pledged: number;
  received: number;
  refunded: number;
  awarded: number;
  paid: number;
  available: number;
}

/** Balances of programmes from the ledger (see the header for the accounts). */
export async function balancesOf(db: Kysely<DB>, ids: string[]): Promise<Map<string, Balance>> {
  const accounts = await repo.accountBalances(db, ids);
  const pledged = await repo.pledgedTotals(db, ids);
  const out = new Map<string, Balance>();
  for (const id of ids) {
    const a = accounts.get(id)!;
    out.set(id, { pledged: pledged.get(id) ?? 0, received: a.cash, refunded: 0 - a.refunded, awarded: 0 - a.awarded, paid: 0 - a.paid, available: 0 - a.fund });
  }
  return out;
}

/**
 * Awards cards, inside the caller's transaction. Locks the programme, checks the free fund covers the
 * sum (else AppError insufficient_funds {available, needed} and nothing is written), then funds each
 * award from specific receipts: those whose pledge is earmarked to the award's commune or one of its
 * tags first, then unearmarked money, then money earmarked elsewhere; oldest money first within each.
 */
export async function awardCards(trx: Kysely<DB>, actor: Actor, programmeId: string, awards: NewAward[]): Promise<Selectable<AwardTable>[]> {
  await programmeForActor(trx, actor, programmeId, 'write');
  await lockProgramme(trx, programmeId);
  if (awards.length === 0) return [];
  const fields: FieldError[] = awards.flatMap((a, i) =>
    Number.isSafeInteger(a.amount) && a.amount > 0 ? [] : [{ path: `awards.${i}.amount`, key: 'too_small', params: { minimum: 1 } }],
  );
  const persons = new Set<string>();
  awards.forEach((a, i) => {
    if (persons.has(a.personId)) fields.push(programmeField(`awards.${i}.personId`, 'award_person_twice'));
    persons.add(a.personId);
  });
  if (fields.length) throw new AppError('validation', {}, fields);

  const needed = awards.reduce((s, a) => s + a.amount, 0);
  const balance = await programmeBalance(trx, programmeId);
  const receipts = await receiptsWithRemainder(trx, programmeId);
  const free = receipts.reduce((s, r) => s + r.free, 0);
  if (free !== balance.available) throw new AppError('internal', { reason: `ledger fund ${balance.available} <> receipts free ${free}` });
  if (needed > balance.available) throw new AppError('insufficient_funds', {
      available: balance.available,
      needed,
      availableVnd: formatVnd(balance.available),
      neededVnd: formatVnd(needed),
      ns: 'programmes',
    });

  const awardRows: Insertable<AwardTable>[] = [];
  const funding: { awardId: string; receiptId: string; amount: number }[] = [];
  for (const a of awards) {
    const id = randomUUID();
    awardRows.push({
      id,
      programmeId,
      roundId: a.roundId,
      householdId: a.householdId,
      personId: a.personId,
      communeCode: a.communeCode,
      groupCode: a.groupCode,
      tags: a.tags,
      amount: a.amount,
      createdBy: actor.username,
    });
    const rank = (r: (typeof receipts)[number]) => {
      const earmarked = r.earmarkCommuneCode !== null || r.earmarkTag !== null;
      const matches = (r.earmarkCommuneCode !== null && r.earmarkCommuneCode === a.communeCode) || (r.earmarkTag !== null && a.tags.includes(r.earmarkTag));
      return matches ? 0 : earmarked ? 2 : 1;
    };
    // receipts are already oldest first; a stable sort keeps that order within each rank
    const order = receipts.filter((r) => r.free > 0).sort((x, y) => rank(x) - rank(y));
    let left = a.amount;
    for (const r of order) {
      if (left === 0) break;
      const take = Math.min(left, r.free);
      r.free -= take;
      left -= take;
      funding.push({ awardId: id, receiptId: r.id, amount: take });
    }
    if (left !== 0) throw new AppError('internal', { reason: 'funding did not cover an award' });
  }
  let inserted: Selectable<AwardTable>[];
  try {
    inserted = await repo.insertAwards(trx, awardRows);
  } catch (e) {
    if ((e as { code?: string }).code === '23505') throw new AppError('conflict', { entity: 'award', id: '' });
    throw e;
  }
  await repo.insertFunding(trx, funding);
  const slicesOf = groupBy(funding, (f) => f.awardId);
  await repo.insertPostings(
    trx,
    awardRows.flatMap((a) =>
      txnRows(
        actor,
        programmeId,
        'award',
        (slicesOf.get(a.id) ?? []).flatMap((f) => [
          { account: 'fund' as const, amount: f.amount, receiptId: f.receiptId, awardId: a.id },
          { account: 'awarded' as const, amount: -f.amount, receiptId: f.receiptId, awardId: a.id },
        ]),
      ),
    ),
  );
  await audit(trx, actor, {
    action: 'award',
    entity: 'programme',
    entityId: programmeId,
    after: { awards: inserted.map((a) => ({ id: a.id, personId: a.personId, amount: a.amount })), total: needed },
  });
  return inserted;
}

/** Cancels an award not yet paid: its money goes back to the free fund, to the receipts that funded it. */
export async function cancelAward(trx: Kysely<DB>, actor: Actor, awardId: string, reason: string | null): Promise<Selectable<AwardTable>> {
  const found = await repo.findAward(trx, awardId);
  if (!found) throw notFound('award', awardId);
  await programmeForActor(trx, actor, found.programmeId, 'write');
  await lockProgramme(trx, found.programmeId);
  const award = (await repo.findAward(trx, awardId))!;
  if (award.status !== 'awarded') throw transitionError(award.status, 'cancelled', 'award_not_cancellable');
  const slices = await repo.fundingOf(trx, [awardId]);
  await postTxn(
    trx,
    actor,
    award.programmeId,
    'award_cancel',
    slices.flatMap((f) => [
      { account: 'awarded' as const, amount: f.amount, receiptId: f.receiptId, awardId },
      { account: 'fund' as const, amount: -f.amount, receiptId: f.receiptId, awardId },
    ]),
    reason,
  );
  await repo.setAwardStatus(trx, [awardId], 'cancelled');
  await audit(trx, actor, {
    action: 'cancel',
    entity: 'award',
    entityId: awardId,
    before: { status: award.status },
    after: { status: 'cancelled', reason, programmeId: award.programmeId },
  });
  return { ...award, status: 'cancelled' };
}

/**
 * Records the payment of awards to the social insurance office (when the list is submitted): awarded ->
 * paid per funding receipt; awards still 'awarded' become 'submitted'. Awards already paid are skipped;
 * a cancelled or unknown award refuses the whole call.
 */
export async function recordPayment(trx: Kysely<DB>, actor: Actor, programmeId: string, awardIds: string[]): Promise<{ count: number; amount: number }> {
  await programmeForActor(trx, actor, programmeId, 'write');
  await lockProgramme(trx, programmeId);
  const ids = [...new Set(awardIds)];
  const awards = await repo.findAwards(trx, programmeId, ids);
  if (awards.length !== ids.length) {
    const missing = ids.find((id) => !awards.some((a) => a.id === id))!;
    throw notFound('award', missing);
  }
  const cancelled = awards.find((a) => a.status === 'cancelled');
  if (cancelled) throw transitionError('cancelled', 'submitted', 'award_cancelled');
  const paid = await repo.paidAwardIds(trx, ids);
  const toPay = awards.filter((a) => !paid.has(a.id));
  const slices = await repo.fundingOf(trx, toPay.map((a) => a.id));
  const slicesOf = groupBy(slices, (f) => f.awardId);
  const amount = slices.reduce((s, f) => s + f.amount, 0);
  await repo.insertPostings(
    trx,
    toPay.flatMap((a) =>
      txnRows(
        actor,
        programmeId,
        'payment',
        (slicesOf.get(a.id) ?? []).flatMap((f) => [
          { account: 'awarded' as const, amount: f.amount, receiptId: f.receiptId, awardId: a.id },
          { account: 'paid' as const, amount: -f.amount, receiptId: f.receiptId, awardId: a.id },
        ]),
      ),
    ),
  );
  await repo.setAwardStatus(trx, toPay.filter((a) => a.status === 'awarded').map((a) => a.id), 'submitted');
  if (toPay.length)
    await audit(trx, actor, { action: 'payment', entity: 'programme', entityId: programmeId, after: { awardIds: toPay.map((a) => a.id), amount } });
  return { count: toPay.length, amount };
}

/**
 * Reverses the payment of awards (a submitted list withdrawn before any card was issued), inside the
 * caller's transaction: what stands paid per award and receipt goes back, paid -> awarded, one
 * transaction per award with the reason as memo; the awards become 'awarded' again. Awards not paid are
 * skipped. Audited.
 */
export async function reversePayment(trx: Kysely<DB>, actor: Actor, programmeId: string, awardIds: string[], reason: string): Promise<{ count: number; amount: number }> {
  await programmeForActor(trx, actor, programmeId, 'write');
  await lockProgramme(trx, programmeId);
  const awards = await repo.findAwards(trx, programmeId, [...new Set(awardIds)]);
  const slices = await repo.paidSlices(trx, awards.map((a) => a.id));
  const slicesOf = groupBy(slices, (f) => f.awardId);
  const reversed = awards.filter((a) => slicesOf.has(a.id));
  const amount = -slices.reduce((s, f) => s + f.amount, 0);
  await repo.insertPostings(
    trx,
    reversed.flatMap((a) =>
      txnRows(
        actor,
        programmeId,
        'payment_reversal',
        slicesOf.get(a.id)!.flatMap((f) => [
          { account: 'paid' as const, amount: -f.amount, receiptId: f.receiptId, awardId: a.id },
          { account: 'awarded' as const, amount: f.amount, receiptId: f.receiptId, awardId: a.id },
        ]),
        reason,
      ),
    ),
  );
  await repo.setAwardStatus(trx, reversed.map((a) => a.id), 'awarded');
  if (reversed.length)
    await audit(trx, actor, { action: 'payment_reversal', entity: 'programme', entityId: programmeId, after: { awardIds: reversed.map((a) => a.id), amount, reason } });
  return { count: reversed.length, amount };
}

/** The ledger of a programme: newest postings first, with the balances. */
export async function readLedger(db: Kysely<DB>, actor: Actor, programmeId: string, limit = 500) {
  await programmeForActor(db, actor, programmeId, 'read');
  const entries = await repo.listEntries(db, programmeId, Math.min(Math.max(limit, 1), 5000), scopeOf(actor));
  return {
    balance: await programmeBalance(db, programmeId),
    entries: entries.map((e) => ({ ...e, postedAt: e.postedAt.toISOString() })),
  };
}

/** The awards of a programme (newest first) with the person's name. */
export async function listAwards(db: Kysely<DB>, actor: Actor, programmeId: string) {
  await programmeForActor(db, actor, programmeId, 'read');
  const rows = await repo.listAwards(db, programmeId, scopeOf(actor));
  return rows.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}

/** An award by its id, without an access check: for a caller that made one. */
export function findAward(db: Kysely<DB>, id: string) {
  return repo.findAward(db, id);
}
