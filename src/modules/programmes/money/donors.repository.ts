/** SQL for donors, pledges, receipts and refunds. */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { DB, DonorTable, PledgeStatus, PledgeTable, ReceiptTable, RefundTable } from '../../../db/schema';
import { communeUnder } from '../../../db/scope';
import { insertJsonRows } from '../../../db/json-rows';

export type DonorRow = Selectable<DonorTable>;
export type PledgeRow = Selectable<PledgeTable>;
export type ReceiptRow = Selectable<ReceiptTable>;
export type RefundRow = Selectable<RefundTable>;

export function insertDonor(db: Kysely<DB>, row: Insertable<DonorTable>): Promise<DonorRow> {
  return db.insertInto('donor').values(row).returningAll().executeTakeFirstOrThrow();
}

export function updateDonor(db: Kysely<DB>, id: string, patch: Partial<Pick<DonorRow, 'kind' | 'name' | 'contact' | 'publicConsent'>>): Promise<DonorRow> {
  return db.updateTable('donor').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
}

export function findDonor(db: Kysely<DB>, id: string): Promise<DonorRow | undefined> {
  return db.selectFrom('donor').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Donors kept by the scope unit, a unit directly under it or a commune the scope office serves (null = all). */
export function listDonors(db: Kysely<DB>, scope: string | null, q?: string): Promise<DonorRow[]> {
  let query = db.selectFrom('donor as d').selectAll('d');
  if (scope !== null)
    query = query.where(communeUnder('d.owner_unit_code', scope));
  if (q) query = query.where(sql<boolean>`lower(d.name) like ${`%${q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  return query.orderBy('d.name').orderBy('d.id').execute();
}

export async function referenceTaken(db: Kysely<DB>, reference: string): Promise<boolean> {
  return (await db.selectFrom('pledge').select('id').where('reference', '=', reference).executeTakeFirst()) !== undefined;
}

/** The programme's receiving account for transfers: its first active bank account. */
export function receivingAccount(db: Kysely<DB>, programmeId: string) {
  return db
    .selectFrom('bankAccount')
    .select(['id', 'bankBin', 'accountNumber', 'accountName'])
    .where('programmeId', '=', programmeId)
    .where('active', '=', true)
    .orderBy('createdAt')
    .orderBy('id')
    .executeTakeFirst();
}

export function insertPledge(db: Kysely<DB>, row: Insertable<PledgeTable>): Promise<PledgeRow> {
  return db.insertInto('pledge').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findPledge(db: Kysely<DB>, id: string): Promise<PledgeRow | undefined> {
  return db.selectFrom('pledge').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function setPledgeStatus(db: Kysely<DB>, id: string, status: PledgeStatus, by: string | null): Promise<void> {
  await db
    .updateTable('pledge')
    .set(status === 'confirmed' ? { status, confirmedBy: by, confirmedAt: sql<Date>`now()` as unknown as Date } : { status })
    .where('id', '=', id)
    .execute();
}

/** Pledges of a programme with the donor's name, the earmarked commune's name and what came in against each. */
export function listPledges(db: Kysely<DB>, programmeId: string) {
  return db
    .selectFrom('pledge as p')
    .innerJoin('donor as d', 'd.id', 'p.donorId')
    .leftJoin('unit as u', 'u.code', 'p.earmarkCommuneCode')
    .selectAll('p')
    .select([
      'd.name as donorName',
      'u.name as earmarkCommuneName',
      sql<number>`coalesce((select sum(r.amount) from receipt r where r.pledge_id = p.id and r.voided_at is null), 0)::bigint`.as('receivedGross'),
      sql<number>`coalesce((select sum(x.amount) from refund x join receipt r on r.id = x.receipt_id where r.pledge_id = p.id), 0)::bigint`.as('refundedOfPledge'),
    ])
    .where('p.programmeId', '=', programmeId)
    .orderBy('p.pledgedOn')
    .orderBy('p.createdAt')
    .orderBy('p.id')
    .execute();
}

export async function countReceiptsOfPledge(db: Kysely<DB>, pledgeId: string): Promise<number> {
  const r = await db.selectFrom('receipt').select(sql<number>`count(*)::int`.as('n')).where('pledgeId', '=', pledgeId).where('voidedAt', 'is', null).executeTakeFirstOrThrow();
  return r.n;
}

/** Receipts, many in one statement (one JSON parameter). */
export async function insertReceipts(db: Kysely<DB>, rows: Insertable<ReceiptTable>[]): Promise<void> {
  await insertJsonRows(db, 'receipt', rows);
}

export function insertReceipt(db: Kysely<DB>, row: Insertable<ReceiptTable>): Promise<ReceiptRow> {
  return db.insertInto('receipt').values(row).returningAll().executeTakeFirstOrThrow();
}

export async function voidReceipt(db: Kysely<DB>, id: string, by: string): Promise<void> {
  await db.updateTable('receipt').set({ voidedAt: sql<Date>`now()` as unknown as Date, voidedBy: by }).where('id', '=', id).execute();
}

export function findReceipt(db: Kysely<DB>, id: string): Promise<ReceiptRow | undefined> {
  return db.selectFrom('receipt').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listReceipts(db: Kysely<DB>, programmeId: string) {
  return db
    .selectFrom('receipt as r')
    .innerJoin('donor as d', 'd.id', 'r.donorId')
    .selectAll('r')
    .select([
      'd.name as donorName',
      sql<number>`coalesce((select sum(f.amount) from award_funding f join award a on a.id = f.award_id where f.receipt_id = r.id and a.status <> 'cancelled'), 0)::bigint`.as(
        'funded',
      ),
      sql<number>`coalesce((select sum(x.amount) from refund x where x.receipt_id = r.id), 0)::bigint`.as('refunded'),
    ])
    .where('r.programmeId', '=', programmeId)
    .where('r.voidedAt', 'is', null)
    .orderBy('r.receivedOn')
    .orderBy('r.createdAt')
    .orderBy('r.id')
    .execute();
}

export function insertRefund(db: Kysely<DB>, row: Insertable<RefundTable>): Promise<RefundRow> {
  return db.insertInto('refund').values(row).returningAll().executeTakeFirstOrThrow();
}

export function listRefunds(db: Kysely<DB>, programmeId: string) {
  return db
    .selectFrom('refund as x')
    .innerJoin('receipt as r', 'r.id', 'x.receiptId')
    .innerJoin('donor as d', 'd.id', 'r.donorId')
    .selectAll('x')
    .select(['d.name as donorName'])
    .where('x.programmeId', '=', programmeId)
    .orderBy('x.refundedOn')
    .orderBy('x.createdAt')
    .orderBy('x.id')
    .execute();
}

/** What a hand-made award needs of a person: household, commune, province, groups, birth date. */
export function findPersonForAward(db: Kysely<DB>, personId: string) {
  return db
    .selectFrom('person as p')
    .innerJoin('unit as c', 'c.code', 'p.communeCode')
    .innerJoin('household as h', 'h.id', 'p.householdId')
    .select(['p.id', 'p.householdId', 'p.communeCode', 'c.parentCode as provinceCode', 'p.groupCodes', 'p.birthDate', 'p.fullName', 'p.ethnicity', 'h.povertyStatus'])
    .where('p.id', '=', personId)
    .executeTakeFirst();
}

/** The last day of the person's latest card starting on or before `periodEnd` (as the candidates' SQL). */
export async function personCoveredUntil(db: Kysely<DB>, householdId: string, personId: string, periodEnd: string): Promise<string | null> {
  const r = await sql<{ until: string | null }>`
    select max(valid_to)::text as until from card
    where household_id = ${householdId} and person_id = ${personId} and valid_from <= ${periodEnd}::date`.execute(db);
  return r.rows[0]?.until ?? null;
}
