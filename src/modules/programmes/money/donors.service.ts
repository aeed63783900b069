/**
 * Donors and their money: donors (kept by a unit), pledges (staff-entered 'confirmed', or 'proposed' on
 * the public page and confirmed or cancelled by staff), receipts (reconciled against pledges) and refunds
 * (never more than a receipt's unspent remainder). Every receipt and refund is one balanced ledger
 * transaction written with it, under the programme's row lock (ledger.service.ts); every change is audited.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import { inScope, type Actor, requirePermission } from '../../../domain/access';
import { AppError, notFound } from '../../../errors';
import { parseInput } from '../../../validation';
import { audit } from '../../audit/audit.service';
import { cardQuote, donatedCard } from '../../../domain/allocation';
import { endOfPeriod } from '../../../domain/calendar';
import { loadRules, toAppError } from '../../premium/premium.service';
import { pricingGroups } from '../../../domain/pricing-groups';
import { lineageOf } from '../../units/units.service';
import * as repo from './donors.repository';
import {
  cancelAwardInput,
  createAwardInput,
  createDonorInput,
  createPledgeInput,
  createReceiptInput,
  createRefundInput,
  donorListQuery,
  publicPledgeInput,
  updateDonorInput,
  type CreateAwardInput,
  type CreateDonorInput,
  type CreatePledgeInput,
  type CreateReceiptInput,
  type CreateRefundInput,
  type PublicPledgeInput,
  type UpdateDonorInput,
} from './donors.schemas';
import { awardCards, cancelAward, findAward, lockProgramme, postTxn, postTxns, receiptsWithRemainder } from '../programme/ledger.service';
import { requireConfirmation } from '../programme/confirm';
import { formatVnd } from '../../../domain/money';
import { newReference } from '../../../domain/bank-reference';
import { vietQrPayload } from '../../../domain/vietqr';
import { napasBank } from '../../../domain/napas-banks';
import { findProgramme, programmeField, programmeForActor, PROGRAMMES_READ, PROGRAMMES_WRITE, transitionError, type Programme } from '../programme/programme.access';

const iso = (d: Date | null) => (d ? d.toISOString() : null);

// ---------------------------------------------------------------------------------------------------
// Donors
// ---------------------------------------------------------------------------------------------------

function donorView(d: repo.DonorRow) {
  return { ...d, createdAt: d.createdAt.toISOString() };
}
export type DonorView = ReturnType<typeof donorView>;

async function visibleDonor(db: Kysely<DB>, actor: Actor, id: string) {
  const donor = await repo.findDonor(db, id);
  if (!donor) throw notFound('donor', id);
  if (actor.scopeCode !== null) {
    const owner = await lineageOf(db, donor.ownerUnitCode);
    if (!owner || !inScope(actor, owner.lineage)) throw notFound('donor', id);
  }
  return donor;
}

export async function createDonor(db: Kysely<DB>, actor: Actor, input: CreateDonorInput): Promise<DonorView> {
  requirePermission(actor, PROGRAMMES_WRITE);
  const data = parseInput(createDonorInput, input);
  const owner = await lineageOf(db, data.ownerUnitCode);
  if (!owner) throw new AppError('validation', {}, [{ path: 'ownerUnitCode', key: 'unknown_unit', params: { code: data.ownerUnitCode } }]);
  if (owner.unit.level === 'village') throw new AppError('validation', {}, [programmeField('ownerUnitCode', 'owner_level')]);
  if (!inScope(actor, owner.lineage)) throw new AppError('out_of_scope', { code: data.ownerUnitCode });
  return db.transaction().execute(async (trx) => {
    const row = await repo.insertDonor(trx, {
      id: randomUUID(),
      ownerUnitCode: data.ownerUnitCode,
      kind: data.kind,
      name: data.name,
      contact: data.contact ?? null,
      publicConsent: data.publicConsent ?? false,
    });
    await audit(trx, actor, { action: 'create', entity: 'donor', entityId: row.id, unitCode: row.ownerUnitCode, after: row });
    return donorView(row);
  });
}

export async function updateDonor(db: Kysely<DB>, actor: Actor, id: string, input: UpdateDonorInput): Promise<DonorView> {
  requirePermission(actor, PROGRAMMES_WRITE);
  const patch = parseInput(updateDonorInput, input);
  return db.transaction().execute(async (trx) => {
    const before = await visibleDonor(trx, actor, id);
    const after = await repo.updateDonor(trx, id, patch);
    await audit(trx, actor, { action: 'update', entity: 'donor', entityId: id, unitCode: after.ownerUnitCode, before, after });
    return donorView(after);
  });
}

export async function listDonors(db: Kysely<DB>, actor: Actor, query: { q?: string } = {}): Promise<DonorView[]> {
  requirePermission(actor, PROGRAMMES_READ);
  const q = parseInput(donorListQuery, query);
  return (await repo.listDonors(db, actor.scopeCode, q.q || undefined)).map(donorView);
}

// ---------------------------------------------------------------------------------------------------
// Pledges
// ---------------------------------------------------------------------------------------------------

/** Is the commune inside the programme's area? */
async function checkEarmarkCommune(db: Kysely<DB>, programme: Programme, code: string | null | undefined) {
  if (!code) return;
  const found = await lineageOf(db, code);
  if (!found || found.unit.level !== 'commune') throw new AppError('validation', {}, [programmeField('earmarkCommuneCode', 'earmark_not_commune', { code })]);
  const inArea = programme.areaCodes.some((a) => found.lineage.includes(a) || a.startsWith(`${code}.`));
  if (!inArea) throw new AppError('validation', {}, [programmeField('earmarkCommuneCode', 'earmark_outside_area', { code })]);
}

export async function listPledges(db: Kysely<DB>, actor: Actor, programmeId: string) {
  await programmeForActor(db, actor, programmeId, 'read');
  const rows = await repo.listPledges(db, programmeId);
  return rows.map(({ receivedGross, refundedOfPledge, ...p }) => ({
    ...p,
    createdAt: p.createdAt.toISOString(),
    confirmedAt: iso(p.confirmedAt),
    received: Number(receivedGross) - Number(refundedOfPledge),
  }));
}
export type PledgeView = Awaited<ReturnType<typeof listPledges>>[number];

export type PledgeWithQr = PledgeView & { vietqr: string | null };

async function pledgeView(db: Kysely<DB>, programmeId: string, id: string): Promise<PledgeWithQr> {
  const rows = await repo.listPledges(db, programmeId);
  const p = rows.find((r) => r.id === id)!;
  const { receivedGross, refundedOfPledge, ...rest } = p;
  const received = Number(receivedGross) - Number(refundedOfPledge);
  return { ...rest, createdAt: rest.createdAt.toISOString(), confirmedAt: iso(rest.confirmedAt), received, vietqr: await pledgeVietQr(db, p) };
}

/** A fresh payment reference no pledge has (random; a clash, about one in millions, draws again). */
async function freshReference(trx: Kysely<DB>): Promise<string> {
  for (;;) {
    const ref = newReference();
    if (!(await repo.referenceTaken(trx, ref))) return ref;
  }
}

/**
 * The VietQR payload to pay a pledge: the programme's receiving account, the pledge's amount, the
 * reference as the purpose (plain ASCII). Null when the programme has no receiving account.
 */
export async function pledgeVietQr(db: Kysely<DB>, pledge: { programmeId: string; amount: number; reference: string | null }): Promise<string | null> {
  if (!pledge.reference) return null;
  const account = await repo.receivingAccount(db, pledge.programmeId);
  if (!account) return null;
  return vietQrPayload({ bin: account.bankBin, account: account.accountNumber, amount: pledge.amount, purpose: pledge.reference });
}

/** The receiving account a pledge is paid into (bank, number, name), if the programme has one. */
export async function receivingAccountOf(db: Kysely<DB>, programmeId: string) {
  const a = await repo.receivingAccount(db, programmeId);
  return a ? { ...a, bankName: napasBank(a.bankBin)?.shortName ?? a.bankBin } : null;
}

/** A pledge entered by staff: confirmed at once. */
export async function createPledge(db: Kysely<DB>, actor: Actor, programmeId: string, input: CreatePledgeInput): Promise<PledgeWithQr> {
  const data = parseInput(createPledgeInput, input);
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    await lockProgramme(trx, programmeId);
    const donor = await visibleDonor(trx, actor, data.donorId);
    await checkEarmarkCommune(trx, programme, data.earmarkCommuneCode);
    const row = await repo.insertPledge(trx, {
      id: randomUUID(),
      programmeId,
      donorId: donor.id,
      amount: data.amount,
      reference: await freshReference(trx),
      earmarkCommuneCode: data.earmarkCommuneCode ?? null,
      earmarkTag: data.earmarkTag ?? null,
      status: 'confirmed',
      source: 'staff',
      pledgedOn: data.pledgedOn,
      note: data.note ?? null,
      confirmedBy: actor.username,
      confirmedAt: new Date(),
    });
    await audit(trx, actor, { action: 'create', entity: 'pledge', entityId: row.id, unitCode: programme.ownerUnitCode, after: row });
    return pledgeView(trx, programmeId, row.id);
  });
}

/**
 * A pledge offered on the public page (no login): creates the donor (kept by the programme's owner unit)
 * and a 'proposed' pledge that staff confirm or cancel. `actor` is whoever records it (the public page
 * passes an anonymous actor); `today` comes from the edge.
 */
export async function proposePublicPledge(db: Kysely<DB>, actor: Actor, programmeId: string, input: PublicPledgeInput, today: string) {
  const data = parseInput(publicPledgeInput, input);
  return db.transaction().execute(async (trx) => {
    const programme = await findProgramme(trx, programmeId);
    if (!programme || !programme.publicEnabled) throw notFound('programme', programmeId);
    if (programme.status === 'closed') throw transitionError('closed', 'closed', 'closed');
    await checkEarmarkCommune(trx, programme, data.earmarkCommuneCode);
    const donor = await repo.insertDonor(trx, {
      id: randomUUID(),
      ownerUnitCode: programme.ownerUnitCode,
      kind: data.kind,
      name: data.name,
      contact: data.contact,
      publicConsent: data.publicConsent ?? false,
    });
    const pledge = await repo.insertPledge(trx, {
      id: randomUUID(),
      programmeId,
      donorId: donor.id,
      amount: data.amount,
      reference: await freshReference(trx),
      earmarkCommuneCode: data.earmarkCommuneCode ?? null,
      earmarkTag: data.earmarkTag ?? null,
      status: 'proposed',
      source: 'public',
      pledgedOn: today,
      note: data.note ?? null,
    });
    await audit(trx, actor, { action: 'propose', entity: 'pledge', entityId: pledge.id, unitCode: programme.ownerUnitCode, after: { pledge, donorId: donor.id } });
    return { id: pledge.id, amount: pledge.amount, status: pledge.status, reference: pledge.reference, vietqr: await pledgeVietQr(trx, pledge) };
  });
}

async function pledgeOf(trx: Kysely<DB>, programmeId: string, pledgeId: string) {
  const pledge = await repo.findPledge(trx, pledgeId);
  if (!pledge || pledge.programmeId !== programmeId) throw notFound('pledge', pledgeId);
  return pledge;
}

/** Staff confirm a proposed pledge. */
export async function confirmPledge(db: Kysely<DB>, actor: Actor, programmeId: string, pledgeId: string): Promise<PledgeWithQr> {
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    await lockProgramme(trx, programmeId);
    const pledge = await pledgeOf(trx, programmeId, pledgeId);
    if (pledge.status !== 'proposed') throw transitionError(pledge.status, 'confirmed', 'pledge_not_proposed');
    await repo.setPledgeStatus(trx, pledgeId, 'confirmed', actor.username);
    await audit(trx, actor, { action: 'confirm', entity: 'pledge', entityId: pledgeId, unitCode: programme.ownerUnitCode, before: { status: pledge.status }, after: { status: 'confirmed' } });
    return pledgeView(trx, programmeId, pledgeId);
  });
}

/** Cancels a pledge (proposed or confirmed) against which nothing has been received. */
export async function cancelPledge(db: Kysely<DB>, actor: Actor, programmeId: string, pledgeId: string): Promise<PledgeWithQr> {
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    await lockProgramme(trx, programmeId);
    const pledge = await pledgeOf(trx, programmeId, pledgeId);
    if (pledge.status === 'cancelled') throw transitionError('cancelled', 'cancelled', 'pledge_cancelled');
    if ((await repo.countReceiptsOfPledge(trx, pledgeId)) > 0)
      throw transitionError(pledge.status, 'cancelled', 'pledge_has_receipts');
    await repo.setPledgeStatus(trx, pledgeId, 'cancelled', actor.username);
    await audit(trx, actor, { action: 'cancel', entity: 'pledge', entityId: pledgeId, unitCode: programme.ownerUnitCode, before: { status: pledge.status }, after: { status: 'cancelled' } });
    return pledgeView(trx, programmeId, pledgeId);
  });
}

// ---------------------------------------------------------------------------------------------------
// Receipts and refunds
// ---------------------------------------------------------------------------------------------------

export async function listReceipts(db: Kysely<DB>, actor: Actor, programmeId: string) {
  await programmeForActor(db, actor, programmeId, 'read');
  const rows = await repo.listReceipts(db, programmeId);
  return rows.map((r) => {
    const funded = Number(r.funded);
    const refunded = Number(r.refunded);
    return { ...r, createdAt: r.createdAt.toISOString(), funded, refunded, remaining: r.amount - funded - refunded };
  });
}
export type ReceiptView = Awaited<ReturnType<typeof listReceipts>>[number];

/** Money received: the receipt and its ledger transaction (debit cash, credit fund), audited. */
export async function createReceipt(db: Kysely<DB>, actor: Actor, programmeId: string, input: CreateReceiptInput): Promise<ReceiptView> {
  const data = parseInput(createReceiptInput, input);
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    await lockProgramme(trx, programmeId);
    const donor = await visibleDonor(trx, actor, data.donorId);
    if (data.pledgeId) {
      const pledge = await repo.findPledge(trx, data.pledgeId);
      if (!pledge || pledge.programmeId !== programmeId) throw new AppError('validation', {}, [programmeField('pledgeId', 'pledge_unknown')]);
      if (pledge.donorId !== donor.id) throw new AppError('validation', {}, [programmeField('pledgeId', 'pledge_other_donor')]);
      if (pledge.status !== 'confirmed') throw new AppError('validation', {}, [programmeField('pledgeId', 'pledge_not_confirmed')]);
    }
    requireConfirmation(data.confirm, { action: 'receipt', count: 1, amount: data.amount });
    const { row } = await recordReceipt(trx, actor, programme, {
      donorId: donor.id,
      pledgeId: data.pledgeId ?? null,
      amount: data.amount,
      receivedOn: data.receivedOn,
      method: data.method,
      reference: data.reference ?? null,
    });
    return { ...row, donorName: donor.name, createdAt: row.createdAt.toISOString(), funded: 0, refunded: 0, remaining: row.amount };
  });
}

/**
 * Writes a receipt and its ledger transaction (debit cash, credit fund, both naming the receipt), audited:
 * inside the caller's transaction, after its checks and with the programme locked. Also used by the bank
 * reconciliation (a matched statement line). Returns the receipt and the ledger transaction's id.
 */
export async function recordReceipt(trx: Kysely<DB>, actor: Actor, programme: Programme, data: NewReceipt) {
  const [made] = await recordReceipts(trx, actor, programme, [data]);
  const row = (await repo.findReceipt(trx, made.row.id))!;
  await audit(trx, actor, { action: 'create', entity: 'receipt', entityId: row.id, unitCode: programme.ownerUnitCode, after: row });
  return { row, txnId: made.txnId };
}

export interface NewReceipt {
  donorId: string;
  pledgeId: string | null;
  amount: number;
  receivedOn: string;
  method: 'cash' | 'bank_transfer' | 'other';
  reference: string | null;
}

/**
 * Many receipts at once (a bank statement's automatic matches), each with its own balanced ledger
 * transaction, written in a few statements; the caller audits them (one entry naming them all).
 */
export async function recordReceipts(trx: Kysely<DB>, actor: Actor, programme: Programme, items: NewReceipt[]) {
  if (items.length === 0) return [];
  const rows = items.map((data) => ({ id: randomUUID(), programmeId: programme.id, ...data, createdBy: actor.username }));
  await repo.insertReceipts(trx, rows);
  const txnIds = await postTxns(
    trx,
    actor,
    programme.id,
    'receipt',
    rows.map((row) => ({
      postings: [
        { account: 'cash' as const, amount: row.amount, receiptId: row.id },
        { account: 'fund' as const, amount: -row.amount, receiptId: row.id },
      ],
    })),
  );
  return rows.map((row, i) => ({ row, txnId: txnIds[i] }));
}

/**
 * Undoes a receipt nothing has used (no live award funded by it, no refund): its ledger transaction is
 * reversed (debit fund, credit cash, naming the receipt) and the receipt marked voided; audited. Inside
 * the caller's transaction with the programme locked. Refused when the receipt is (partly) spent.
 */
export async function voidReceipt(trx: Kysely<DB>, actor: Actor, programme: Programme, receiptId: string, memo: string | null) {
  const receipt = (await receiptsWithRemainder(trx, programme.id)).find((r) => r.id === receiptId);
  if (!receipt) throw notFound('receipt', receiptId);
  if (receipt.free !== receipt.amount)
    throw transitionError('received', 'voided', 'receipt_in_use');
  const txnId = await postTxn(
    trx,
    actor,
    programme.id,
    'receipt_reversal',
    [
      { account: 'fund', amount: receipt.amount, receiptId },
      { account: 'cash', amount: -receipt.amount, receiptId },
    ],
    memo,
  );
  await repo.voidReceipt(trx, receiptId, actor.username);
  await audit(trx, actor, { action: 'void', entity: 'receipt', entityId: receiptId, unitCode: programme.ownerUnitCode, before: { amount: receipt.amount }, after: { voided: true, memo } });
  return { txnId, amount: receipt.amount };
}

export async function listRefunds(db: Kysely<DB>, actor: Actor, programmeId: string) {
  await programmeForActor(db, actor, programmeId, 'read');
  return (await repo.listRefunds(db, programmeId)).map((r) => ({ ...r, createdAt: r.createdAt.toISOString() }));
}
export type RefundView = Awaited<ReturnType<typeof listRefunds>>[number];

/** Money returned to a donor from one receipt, never more than what that receipt has left unspent. */
export async function createRefund(db: Kysely<DB>, actor: Actor, programmeId: string, input: CreateRefundInput): Promise<RefundView> {
  const data = parseInput(createRefundInput, input);
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    await lockProgramme(trx, programmeId);
    const receipt = (await receiptsWithRemainder(trx, programmeId)).find((r) => r.id === data.receiptId);
    if (!receipt) throw new AppError('validation', {}, [programmeField('receiptId', 'receipt_unknown')]);
    if (data.amount > receipt.free) throw new AppError('validation', {}, [programmeField('amount', 'refund_over_remainder', { remaining: receipt.free, remainingVnd: formatVnd(receipt.free) })]);
    requireConfirmation(data.confirm, { action: 'refund', count: 1, amount: data.amount });
    const row = await repo.insertRefund(trx, {
      id: randomUUID(),
      programmeId,
      receiptId: receipt.id,
      amount: data.amount,
      refundedOn: data.refundedOn,
      reason: data.reason ?? null,
      createdBy: actor.username,
    });
    await postTxn(
      trx,
      actor,
      programmeId,
      'refund',
      [
        { account: 'fund', amount: row.amount, receiptId: receipt.id },
        { account: 'refunded', amount: -row.amount, receiptId: receipt.id },
      ],
      row.reason,
    );
    await audit(trx, actor, { action: 'create', entity: 'refund', entityId: row.id, unitCode: programme.ownerUnitCode, after: row });
    const donor = await repo.findDonor(trx, (await repo.findReceipt(trx, receipt.id))!.donorId);
    return { ...row, donorName: donor?.name ?? '', createdAt: row.createdAt.toISOString() };
  });
}

// ---------------------------------------------------------------------------------------------------
// One award by hand
// ---------------------------------------------------------------------------------------------------

/**
 * A staff member awards one person of the register a card: the amount defaults to the price the
 * selection gives (`cardQuote`: the rules engine on the purchase date, or `pricedOn`, for the programme's
 * card months or a renewal's, with the province's local policies), in the given group or else the
 * person's groups as the selection sees them (the group that priced it is recorded). Someone covered for
 * the whole period is refused. The person must live in the programme's area.
 */
export async function awardOne(db: Kysely<DB>, actor: Actor, programmeId: string, input: CreateAwardInput) {
  const data = parseInput(createAwardInput, input);
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    const person = await repo.findPersonForAward(trx, data.personId);
    if (!person) throw new AppError('validation', {}, [programmeField('personId', 'person_unknown')]);
    const lineage = (await lineageOf(trx, person.communeCode))?.lineage ?? [person.communeCode];
    if (!programme.areaCodes.some((a) => lineage.includes(a) || a.startsWith(`${person.communeCode}.`)))
      throw new AppError('validation', {}, [programmeField('personId', 'person_outside_area')]);
    let groupCode = (data.groupCode ?? person.groupCodes[0] ?? 'GD').toUpperCase();
    let amount = data.amount;
    if (amount === undefined) {
      // the one price of a programme's card (issue 16): as the selection prices it, with the province's
      // local policies, the person's groups (poverty, age) unless a group is given, and a renewal's card
      const rules = await loadRules(trx);
      const date = data.pricedOn ?? programme.purchaseDate;
      const card = donatedCard(date, programme.cardMonths, await repo.personCoveredUntil(trx, person.householdId, person.id, endOfPeriod(date, programme.cardMonths)));
      if (!card) throw new AppError('validation', {}, [programmeField('personId', 'person_already_covered')]);
      const groups = data.groupCode ? [groupCode] : pricingGroups({ ...person, povertyStatus: person.povertyStatus }, date, rules);
      let priced;
      try {
        priced = cardQuote(
          date,
          card,
          { groups, birthDate: person.birthDate, commune: person.communeCode, ethnicity: person.ethnicity, ...(person.provinceCode ? { province: person.provinceCode } : {}) },
          rules,
        );
      } catch (e) {
        throw toAppError(e);
      }
      groupCode = priced.group;
      amount = priced.payable;
      if (amount <= 0) throw new AppError('validation', {}, [programmeField('groupCode', 'award_nothing_to_pay', { group: groupCode })]);
    }
    requireConfirmation(data.confirm, { action: 'award', count: 1, amount });
    const [award] = await awardCards(trx, actor, programmeId, [
      { roundId: null, householdId: person.householdId, personId: person.id, communeCode: person.communeCode, groupCode, tags: data.tags ?? [], amount },
    ]);
    return { ...award, createdAt: award.createdAt.toISOString() };
  });
}

export async function cancelOne(db: Kysely<DB>, actor: Actor, programmeId: string, awardId: string, input: { reason?: string | null }) {
  const data = parseInput(cancelAwardInput, input);
  return db.transaction().execute(async (trx) => {
    await programmeForActor(trx, actor, programmeId, 'write');
    const found = await findAward(trx, awardId);
    if (!found || found.programmeId !== programmeId) throw notFound('award', awardId);
    // a card that cannot be cancelled is refused as such by cancelAward
    if (found.status === 'awarded') requireConfirmation(data.confirm, { action: 'award_cancel', count: 1, amount: found.amount });
    const award = await cancelAward(trx, actor, awardId, data.reason ?? null);
    if (award.programmeId !== programmeId) throw notFound('award', awardId);
    return { ...award, createdAt: award.createdAt.toISOString() };
  });
}
