/**
 * Bank transfers to a programme (issue 22): its receiving accounts (a NAPAS bank and an account), the
 * import of the bank's statements (.xlsx/.csv, the banks' layouts or the generic one, idempotent), the
 * matching of each line to a pledge (automatic by the reference the pledge's VietQR code carries, else
 * by staff from suggestions; one line may be split across pledges), the undoing of a match, and the
 * reconciliation report (statement total = matched + unmatched, per day).
 *
 * A match makes its receipt through the programme's ledger (money/donors.service recordReceipts: the
 * receipt and its balanced transaction, debit cash credit fund); the match row names the line, the
 * pledge, the receipt and the ledger transaction. Undoing it voids the receipt with a reversing
 * transaction (debit fund credit cash), refused once the money funded a card or was refunded.
 * Everything runs under the programme's row lock, in one transaction, audited.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import { inScope, type Actor } from '../../../domain/access';
import { lineageOf } from '../../units/units.service';
import { AppError, notFound, type FieldError } from '../../../errors';
import { parseInput } from '../../../validation';
import { audit } from '../../audit/audit.service';
import { readRows, type TableFormat } from '../../../io/rows';
import { NAPAS_BANKS, napasBank } from '../../../domain/napas-banks';
import { findLayout, lineFingerprints, readStatement, STATEMENT_LAYOUTS, type StatementMapping } from '../../../domain/bank-statement';
import { indexPledges, matchLine, type PledgeKey, type Suggestion } from '../../../domain/bank-match';
import { formatVnd } from '../../../domain/money';
import { groupBy } from '../../../domain/collections';
import { lockProgramme } from '../programme/ledger.service';
import { programmeForActor, transitionError, type Programme } from '../programme/programme.access';
import { requireConfirmation, type Confirmation } from '../programme/confirm';
import { pledgeVietQr, recordReceipts, voidReceipt } from '../money/donors.service';
import * as repo from './bank.repository';
import { createAccountInput, matchInput, mappingInput, type CreateAccountInput, type MatchInput, type MappingInput } from './bank.schemas';

const bankField = (path: string, key: string, params: Record<string, unknown> = {}): FieldError => ({ path, key, params: { ...params, ns: 'bank' } });

/** The banks an account may be at (NAPAS members with their BINs). */
export const listBanks = () => NAPAS_BANKS;
/** The statement layouts known (the banks' and the generic one). */
export const listLayouts = () => STATEMENT_LAYOUTS.map((l) => ({ name: l.name, label: l.label, columns: l.columns }));

function accountView(a: repo.BankAccountRow) {
  return { ...a, bankName: napasBank(a.bankBin)?.shortName ?? a.bankBin, createdAt: a.createdAt.toISOString() };
}
export type AccountView = ReturnType<typeof accountView>;

// ---------------------------------------------------------------------------------------------------
// Accounts
// ---------------------------------------------------------------------------------------------------

export async function addAccount(db: Kysely<DB>, actor: Actor, programmeId: string, input: CreateAccountInput): Promise<AccountView> {
  const data = parseInput(createAccountInput, input);
  if (!napasBank(data.bin)) throw new AppError('validation', {}, [bankField('bin', 'unknown_bin', { bin: data.bin })]);
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    if ((await repo.listAccounts(trx, programmeId)).some((a) => a.bankBin === data.bin && a.accountNumber === data.accountNumber))
      throw new AppError('validation', {}, [bankField('accountNumber', 'account_exists')]);
    const row = await repo.insertAccount(trx, {
      id: randomUUID(),
      programmeId,
      bankBin: data.bin,
      accountNumber: data.accountNumber,
      accountName: data.accountName,
      mapping: data.mapping ? JSON.stringify(data.mapping) : null,
      createdBy: actor.username,
    });
    await audit(trx, actor, { action: 'create', entity: 'bank_account', entityId: row.id, unitCode: programme.ownerUnitCode, after: row });
    return accountView(row);
  });
}

/**
 * Bank data (accounts, statement lines with the payers' names, matches) is for the programme's own staff:
 * users of its owner unit or above. A commune officer who reads a provincial programme because its area
 * covers their commune does not see it (forbidden).
 */
async function programmeForStaff(db: Kysely<DB>, actor: Actor, programmeId: string) {
  const programme = await programmeForActor(db, actor, programmeId, 'read');
  if (actor.scopeCode !== null) {
    const owner = await lineageOf(db, programme.ownerUnitCode);
    if (!owner || !inScope(actor, owner.lineage)) throw new AppError('forbidden');
  }
  return programme;
}

export async function listAccounts(db: Kysely<DB>, actor: Actor, programmeId: string): Promise<AccountView[]> {
  await programmeForStaff(db, actor, programmeId);
  return (await repo.listAccounts(db, programmeId)).map(accountView);
}

async function accountOf(db: Kysely<DB>, programmeId: string, accountId: string) {
  const account = /^[0-9a-f-]{36}$/i.test(accountId) ? await repo.findAccount(db, accountId) : undefined;
  if (!account || account.programmeId !== programmeId) throw new AppError('validation', {}, [bankField('accountId', 'account_unknown')]);
  return account;
}

/** An account's own statement columns (for a bank or an export no layout knows); null removes it. */
export async function setMapping(db: Kysely<DB>, actor: Actor, programmeId: string, accountId: string, input: MappingInput): Promise<AccountView> {
  const data = parseInput(mappingInput, input);
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    const before = await accountOf(trx, programmeId, accountId);
    await repo.setAccountMapping(trx, accountId, data.mapping);
    await audit(trx, actor, { action: 'update', entity: 'bank_account', entityId: accountId, unitCode: programme.ownerUnitCode, before: { mapping: before.mapping }, after: { mapping: data.mapping } });
    return accountView((await repo.findAccount(trx, accountId))!);
  });
}

/** What a pledge's payer needs: the account, the reference and the VietQR payload. */
export async function paymentOf(db: Kysely<DB>, actor: Actor, programmeId: string, pledgeId: string) {
  const programme = await programmeForStaff(db, actor, programmeId);
  const pledge = await repo.findPledgeRow(db, pledgeId);
  if (!pledge || pledge.programmeId !== programmeId) throw notFound('pledge', pledgeId);
  const account = (await repo.listAccounts(db, programmeId)).find((a) => a.active);
  return {
    pledgeId,
    programmeName: programme.name,
    ownerUnitCode: programme.ownerUnitCode,
    donorName: (await repo.donorNameOf(db, pledge.donorId)) ?? '',
    reference: pledge.reference,
    amount: pledge.amount,
    account: account ? { bin: account.bankBin, bankName: napasBank(account.bankBin)?.shortName ?? account.bankBin, accountNumber: account.accountNumber, accountName: account.accountName } : null,
    vietqr: await pledgeVietQr(db, pledge),
  };
}

// ---------------------------------------------------------------------------------------------------
// Import and automatic matching
// ---------------------------------------------------------------------------------------------------

export interface ImportResult {
  layout: string;
  /** Lines of money received in the file. */
  lines: number;
  new: number;
  duplicates: number;
  /** Rows of money out, blank or total rows: not statement lines. */
  skipped: number;
  matched: number;
  suggested: number;
  unmatched: number;
  /** New lines dated after the programme's deadline (kept, to be looked at). */
  outsidePeriod: number;
}

async function rowsOf(buffer: Buffer, format: TableFormat): Promise<unknown[][]> {
  const rows: unknown[][] = [];
  for await (const row of readRows(Readable.from([buffer]), format)) rows.push(row);
  return rows;
}

const labelsOf = (fields: { field: string; headers: string[] }[]) => fields.map((f) => `${f.field} (${f.headers.join(' / ')})`).join(', ');

/**
 * Imports a statement of one of the programme's accounts. Unknown layout, a non-number amount or a date
 * that does not exist refuse the whole file (the columns missing, or the row and value), writing
 * nothing. Lines already imported (same account and transaction id, else same date, amount, description
 * and rank among identical lines) are counted as duplicates. The new lines are then matched.
 */
export async function importStatement(
  db: Kysely<DB>,
  actor: Actor,
  programmeId: string,
  input: { accountId: string; buffer: Buffer; format: TableFormat; fileName?: string | null; layout?: string | null },
): Promise<ImportResult> {
  await programmeForActor(db, actor, programmeId, 'write');
  const account = await accountOf(db, programmeId, input.accountId);
  let rows: unknown[][];
  try {
    rows = await rowsOf(input.buffer, input.format);
  } catch {
    throw new AppError('validation', {}, [bankField('file', 'unreadable_file')]);
  }
  const located = findLayout(rows, { layout: input.layout ?? undefined, mapping: (account.mapping as StatementMapping | null) ?? null });
  if ('missing' in located) {
    if (located.missing.length === 0) throw new AppError('validation', {}, [bankField('layout', 'unknown_layout_name', { layout: located.layout, known: STATEMENT_LAYOUTS.map((l) => l.name).join(', ') })]);
    throw new AppError('validation', {}, [bankField('file', 'layout_unknown', { missing: labelsOf(located.missing), layout: located.layout })]);
  }
  const read = readStatement(rows, located.found);
  if (read.problems.length)
    throw new AppError(
      'validation',
      {},
      read.problems.slice(0, 50).map((p) => bankField(`rows.${p.row}.${p.field}`, p.key, { row: p.row, value: p.value })),
    );
  const fingerprints = lineFingerprints(read.lines);
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    await lockProgramme(trx, programmeId);
    const inserted = await repo.insertLines(
      trx,
      read.lines.map((l, i) => ({
        id: randomUUID(),
        accountId: account.id,
        programmeId,
        bookedOn: l.bookedOn,
        amount: l.amount,
        description: l.description,
        transactionId: l.transactionId,
        counterparty: l.counterparty,
        fingerprint: fingerprints[i],
        fileName: input.fileName ?? null,
        rowNumber: l.row,
        importedBy: actor.username,
      })),
    );
    const matching = await autoMatch(trx, actor, programme, inserted, { fresh: true });
    const outsidePeriod = inserted.filter((l) => l.bookedOn > programme.deadline).length;
    const result: ImportResult = {
      layout: read.layout,
      lines: read.lines.length,
      new: inserted.length,
      duplicates: read.lines.length - inserted.length,
      skipped: read.skipped,
      ...matching,
      outsidePeriod,
    };
    await audit(trx, actor, {
      action: 'import',
      entity: 'bank_statement',
      entityId: account.id,
      unitCode: programme.ownerUnitCode,
      after: { ...result, fileName: input.fileName ?? null },
    });
    return result;
  });
}

/** The pledges of the programme as the matcher needs them. */
async function pledgeIndex(trx: Kysely<DB>, programmeId: string) {
  const pledges = await repo.matchablePledges(trx, programmeId);
  const keys: PledgeKey[] = pledges.map((p) => ({
    id: p.id,
    reference: p.reference,
    amount: p.amount,
    outstanding: p.amount - p.received,
    donorName: p.donorName,
    pledgedOn: p.pledgedOn,
  }));
  return { index: indexPledges(keys), byId: new Map(pledges.map((p) => [p.id, p])) };
}

/**
 * Matches lines nothing is matched to yet, automatically where the reference says so: one receipt per
 * line for the line's whole amount (a different amount than pledged is received as it is; the pledge
 * shows the difference). A proposed pledge paid this way is confirmed by it.
 */
type LineOfMatch = Pick<repo.BankLineRow, 'id' | 'amount' | 'description' | 'bookedOn' | 'counterparty' | 'transactionId'>;

async function autoMatch(trx: Kysely<DB>, actor: Actor, programme: Programme, lines: LineOfMatch[], options: { fresh?: boolean } = {}) {
  const { index, byId } = await pledgeIndex(trx, programme.id);
  // lines inserted by this import have no match yet: nothing to look up
  const already = options.fresh ? new Map<string, number>() : await repo.matchedOfLines(trx, lines.map((l) => l.id));
  const auto: { line: LineOfMatch; pledgeId: string; by: 'reference' | 'partial_reference' }[] = [];
  let suggested = 0;
  let unmatched = 0;
  for (const line of lines) {
    if ((already.get(line.id) ?? 0) > 0) continue;
    const m = matchLine(line, index, { rank: false });
    if (m.kind === 'auto') auto.push({ line, pledgeId: m.pledgeId, by: m.by });
    else if (m.kind === 'suggest') suggested++;
    else unmatched++;
  }
  await writeMatches(
    trx,
    actor,
    programme,
    auto.map((a) => ({ line: a.line, pledge: byId.get(a.pledgeId)!, amount: a.line.amount, by: a.by })),
  );
  return { matched: auto.length, suggested, unmatched };
}

type MatchablePledge = Awaited<ReturnType<typeof repo.matchablePledges>>[number];

/** Receipts through the ledger and the match rows naming line, pledge, receipt and transaction. */
async function writeMatches(
  trx: Kysely<DB>,
  actor: Actor,
  programme: Programme,
  items: { line: LineOfMatch; pledge: MatchablePledge; amount: number; by: 'reference' | 'partial_reference' | 'staff' }[],
) {
  if (items.length === 0) return [];
  for (const p of new Set(items.filter((i) => i.pledge.status === 'proposed').map((i) => i.pledge.id))) await repo.confirmPledgeByBank(trx, p, actor.username);
  const made = await recordReceipts(
    trx,
    actor,
    programme,
    items.map((i) => ({
      donorId: i.pledge.donorId,
      pledgeId: i.pledge.id,
      amount: i.amount,
      receivedOn: i.line.bookedOn,
      method: 'bank_transfer' as const,
      reference: i.line.transactionId ?? i.pledge.reference,
    })),
  );
  const matches = items.map((item, k) => ({
      id: randomUUID(),
      lineId: item.line.id,
      programmeId: programme.id,
      pledgeId: item.pledge.id,
      receiptId: made[k].row.id,
      amount: item.amount,
      txnId: made[k].txnId,
      matchedBy: item.by,
      createdBy: actor.username,
    }));
  await repo.insertMatches(trx, matches);
  await audit(trx, actor, {
    action: 'match',
    entity: 'bank_statement',
    entityId: programme.id,
    unitCode: programme.ownerUnitCode,
    after: {
      matches: matches.map((m) => ({ id: m.id, lineId: m.lineId, pledgeId: m.pledgeId, receiptId: m.receiptId, amount: m.amount, by: m.matchedBy })),
      confirmedPledges: [...new Set(items.filter((i) => i.pledge.status === 'proposed').map((i) => i.pledge.id))],
    },
  });
  return matches.map((m) => m.id);
}

/** Runs the automatic matching again over every line nothing is matched to (pledges made since, say). */
export async function reconcile(db: Kysely<DB>, actor: Actor, programmeId: string) {
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    await lockProgramme(trx, programmeId);
    const lines = await repo.listLines(trx, programmeId, { unmatchedOnly: true });
    return autoMatch(trx, actor, programme, lines.filter((l) => Number(l.matched) === 0));
  });
}

// ---------------------------------------------------------------------------------------------------
// Staff matches, undo
// ---------------------------------------------------------------------------------------------------

/**
 * Staff match one line to one or more pledges (a split): each part a receipt through the ledger. The
 * parts may not take more than what the line has left. Confirmation: {count: parts, amount: their sum}.
 */
export async function matchByStaff(db: Kysely<DB>, actor: Actor, programmeId: string, lineId: string, input: MatchInput) {
  const data = parseInput(matchInput, input);
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    await lockProgramme(trx, programmeId);
    const line = await repo.findLine(trx, lineId);
    if (!line || line.programmeId !== programmeId) throw notFound('bank_line', lineId);
    const taken = (await repo.matchedOfLines(trx, [lineId])).get(lineId) ?? 0;
    const total = data.parts.reduce((s, p) => s + p.amount, 0);
    const left = line.amount - taken;
    if (total > left)
      throw new AppError('validation', {}, [bankField('parts', 'match_over_line', { left, leftVnd: formatVnd(left), totalVnd: formatVnd(total) })]);
    const pledges = await repo.matchablePledges(trx, programmeId);
    const byId = new Map(pledges.map((p) => [p.id, p]));
    const fields: FieldError[] = [];
    data.parts.forEach((p, i) => {
      if (!byId.has(p.pledgeId)) fields.push(bankField(`parts.${i}.pledgeId`, 'pledge_not_matchable'));
    });
    if (fields.length) throw new AppError('validation', {}, fields);
    requireConfirmation(data.confirm, { action: 'receipt', count: data.parts.length, amount: total });
    const ids = await writeMatches(
      trx,
      actor,
      programme,
      data.parts.map((p) => ({ line, pledge: byId.get(p.pledgeId)!, amount: p.amount, by: 'staff' as const })),
    );
    const matches = await Promise.all(ids.map(async (id) => matchView((await repo.findMatch(trx, id))!)));
    return { lineId, matched: taken + total, left: left - total, matches };
  });
}

const matchView = (m: repo.BankMatchRow) => ({ ...m, createdAt: m.createdAt.toISOString(), undoneAt: m.undoneAt ? m.undoneAt.toISOString() : null });

/**
 * Undoes a match: its receipt is voided and reversed in the ledger (refused if the money already funded
 * a card or was refunded); the line's amount is unmatched again. Confirmation: {count: 1, amount}.
 */
export async function undoMatch(db: Kysely<DB>, actor: Actor, programmeId: string, matchId: string, confirm: Confirmation | null | undefined) {
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    await lockProgramme(trx, programmeId);
    const match = /^[0-9a-f-]{36}$/i.test(matchId) ? await repo.findMatch(trx, matchId) : undefined;
    if (!match || match.programmeId !== programmeId) throw notFound('bank_match', matchId);
    if (match.undoneAt) throw transitionError('matched', 'undone', 'match_undone');
    requireConfirmation(confirm, { action: 'match_undo', count: 1, amount: match.amount });
    const { txnId } = await voidReceipt(trx, actor, programme, match.receiptId, `bank match ${match.id} undone`);
    await repo.markUndone(trx, match.id, actor.username, txnId);
    await audit(trx, actor, { action: 'undo', entity: 'bank_match', entityId: match.id, unitCode: programme.ownerUnitCode, before: { receiptId: match.receiptId }, after: { undoTxnId: txnId } });
    return matchView((await repo.findMatch(trx, match.id))!);
  });
}

// ---------------------------------------------------------------------------------------------------
// Lines, suggestions, report
// ---------------------------------------------------------------------------------------------------

const ageInDays = (from: string, today: string) => Math.round((Date.parse(`${today}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * The programme's statement lines (newest first) with what is matched, what is left, their age in days
 * (unmatched ones) and, for those not fully matched, up to three suggested pledges.
 */
export async function listLines(db: Kysely<DB>, actor: Actor, programmeId: string, query: { unmatched?: boolean; today: string }) {
  await programmeForStaff(db, actor, programmeId);
  const lines = await repo.listLines(db, programmeId, { unmatchedOnly: query.unmatched });
  const matches = groupBy(await repo.matchesOfLines(db, programmeId), (m) => m.lineId);
  const { index, byId } = await pledgeIndex(db, programmeId);
  return lines.map((l) => {
    const matched = Number(l.matched);
    const left = l.amount - matched;
    let suggestions: (Suggestion & { reference: string; donorName: string; amount: number; outstanding: number })[] = [];
    if (left > 0) {
      const m = matchLine(l, index);
      const list = m.kind === 'auto' ? [{ pledgeId: m.pledgeId, score: 10, reasons: ['reference' as const] }] : m.kind === 'suggest' ? m.suggestions : [];
      suggestions = list.map((s) => {
        const p = byId.get(s.pledgeId)!;
        return { ...s, reference: p.reference, donorName: p.donorName, amount: p.amount, outstanding: p.amount - p.received };
      });
    }
    return {
      ...l,
      importedAt: l.importedAt.toISOString(),
      matched,
      left,
      ageDays: left > 0 ? ageInDays(l.bookedOn, query.today) : null,
      matches: (matches.get(l.id) ?? []).map((m) => ({ ...m, createdAt: m.createdAt.toISOString(), undoneAt: m.undoneAt ? m.undoneAt.toISOString() : null })),
      suggestions,
    };
  });
}
export type LineView = Awaited<ReturnType<typeof listLines>>[number];

/** Per day: the statement's total, matched and unmatched (total = matched + unmatched on every day and overall). */
export async function reconciliationReport(db: Kysely<DB>, actor: Actor, programmeId: string) {
  const programme = await programmeForStaff(db, actor, programmeId);
  const days = (await repo.dailyTotals(db, programmeId)).map((d) => ({ date: d.bookedOn, lines: d.lines, total: d.total, matched: d.matched, unmatched: d.total - d.matched }));
  const sum = (k: 'total' | 'matched' | 'unmatched' | 'lines') => days.reduce((s, d) => s + d[k], 0);
  const totals = { lines: sum('lines'), total: sum('total'), matched: sum('matched'), unmatched: sum('unmatched') };
  return { programmeId, programmeName: programme.name, ownerUnitCode: programme.ownerUnitCode, days, ...totals, balanced: totals.total === totals.matched + totals.unmatched && days.every((d) => d.unmatched >= 0) };
}
export type ReconciliationReport = Awaited<ReturnType<typeof reconciliationReport>>;
