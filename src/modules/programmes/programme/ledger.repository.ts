/**
 * SQL for the programme ledger, awards and their funding. Postings: debit positive, credit negative;
 * the postings of one txn_id sum to zero (see ledger.service.ts for the accounts).
 */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { AwardFundingTable, AwardStatus, AwardTable, DB, LedgerAccount, LedgerEntryTable } from '../../../db/schema';
import { communeInScope, type CommuneScope } from '../../../db/scope';
import { insertJsonRows } from '../../../db/json-rows';

export type AwardRow = Selectable<AwardTable>;

/** Rows per INSERT: well under PostgreSQL's 65,535 bind parameters for every table here. */
const CHUNK = 1000;

async function insertChunked<T>(rows: T[], insert: (chunk: T[]) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < rows.length; i += CHUNK) await insert(rows.slice(i, i + CHUNK));
}

/** Postings as one JSON parameter per 5,000 (a bank statement's receipts are tens of thousands of rows). */
export async function insertPostings(db: Kysely<DB>, rows: Insertable<LedgerEntryTable>[]): Promise<void> {
  await insertJsonRows(db, 'ledger_entry', rows);
}

/** Account balances of programmes (sum of postings per account). */
export async function accountBalances(db: Kysely<DB>, programmeIds: string[]): Promise<Map<string, Record<LedgerAccount, number>>> {
  const out = new Map<string, Record<LedgerAccount, number>>();
  for (const id of programmeIds) out.set(id, { cash: 0, fund: 0, awarded: 0, paid: 0, refunded: 0 });
  if (programmeIds.length === 0) return out;
  const rows = await db
    .selectFrom('ledgerEntry')
    .select(['programmeId', 'account', sql<number>`sum(amount)::bigint`.as('total')])
    .where('programmeId', 'in', programmeIds)
    .groupBy(['programmeId', 'account'])
    .execute();
  for (const r of rows) out.get(r.programmeId)![r.account] = Number(r.total);
  return out;
}

/** Confirmed pledges per programme. */
export async function pledgedTotals(db: Kysely<DB>, programmeIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (programmeIds.length === 0) return out;
  const rows = await db
    .selectFrom('pledge')
    .select(['programmeId', sql<number>`sum(amount)::bigint`.as('total')])
    .where('programmeId', 'in', programmeIds)
    .where('status', '=', 'confirmed')
    .groupBy('programmeId')
    .execute();
  for (const r of rows) out.set(r.programmeId, Number(r.total));
  return out;
}

export interface ReceiptRemainder {
  id: string;
  amount: number;
  receivedOn: string;
  createdAt: Date;
  earmarkCommuneCode: string | null;
  earmarkTag: string | null;
  /** Funding of live (not cancelled) awards. */
  funded: number;
  refunded: number;
}

/** Every receipt of a programme with what its live awards and its refunds took, oldest money first. */
export function receiptRemainders(db: Kysely<DB>, programmeId: string): Promise<ReceiptRemainder[]> {
  return db
    .selectFrom('receipt as r')
    .leftJoin('pledge as pl', 'pl.id', 'r.pledgeId')
    .select([
      'r.id',
      'r.amount',
      'r.receivedOn',
      'r.createdAt',
      'pl.earmarkCommuneCode',
      'pl.earmarkTag',
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

export async function insertAwards(db: Kysely<DB>, rows: Insertable<AwardTable>[]): Promise<AwardRow[]> {
  const out: AwardRow[] = [];
  await insertChunked(rows, async (chunk) => out.push(...(await db.insertInto('award').values(chunk).returningAll().execute())));
  return out;
}

export async function insertFunding(db: Kysely<DB>, rows: Insertable<AwardFundingTable>[]): Promise<void> {
  await insertChunked(rows, (chunk) => db.insertInto('awardFunding').values(chunk).execute());
}

export function findAward(db: Kysely<DB>, id: string): Promise<AwardRow | undefined> {
  return db.selectFrom('award').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findAwards(db: Kysely<DB>, programmeId: string, ids: string[]): Promise<AwardRow[]> {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom('award').selectAll().where('programmeId', '=', programmeId).where(sql<boolean>`id = any(${sql.val(ids)}::uuid[])`).execute();
}

/** The programme's awards still only committed (not yet submitted, not cancelled). */
export async function liveAwardIds(db: Kysely<DB>, programmeId: string): Promise<string[]> {
  const rows = await db.selectFrom('award').select('id').where('programmeId', '=', programmeId).where('status', '=', 'awarded').orderBy('id').execute();
  return rows.map((r) => r.id);
}

export function fundingOf(db: Kysely<DB>, awardIds: string[]) {
  if (awardIds.length === 0) return Promise.resolve([] as Selectable<AwardFundingTable>[]);
  return db.selectFrom('awardFunding').selectAll().where(sql<boolean>`award_id = any(${sql.val(awardIds)}::uuid[])`).orderBy('awardId').orderBy('receiptId').execute();
}

/** Awards whose payment stands: their 'paid' postings do not net to zero (a reversed payment nets to zero). */
export async function paidAwardIds(db: Kysely<DB>, awardIds: string[]): Promise<Set<string>> {
  return new Set((await paidSlices(db, awardIds)).map((r) => r.awardId));
}

/** What stands paid per award and receipt (credit balance of 'paid': negative). */
export async function paidSlices(db: Kysely<DB>, awardIds: string[]): Promise<{ awardId: string; receiptId: string | null; amount: number }[]> {
  if (awardIds.length === 0) return [];
  const rows = await db
    .selectFrom('ledgerEntry')
    .select(['awardId', 'receiptId', sql<string>`sum(amount)::bigint`.as('amount')])
    .where(sql<boolean>`award_id = any(${sql.val(awardIds)}::uuid[])`)
    .where('account', '=', 'paid')
    .groupBy(['awardId', 'receiptId'])
    .having(sql`sum(amount)`, '<>', 0)
    .orderBy('awardId')
    .orderBy('receiptId')
    .execute();
  return rows.map((r) => ({ awardId: r.awardId!, receiptId: r.receiptId, amount: Number(r.amount) }));
}

export async function setAwardStatus(db: Kysely<DB>, ids: string[], status: AwardStatus) {
  await insertChunked(ids, (chunk) =>
    db
      .updateTable('award')
      .set({ status, updatedAt: sql<Date>`now()` as unknown as Date })
      .where('id', 'in', chunk)
      .execute(),
  );
}

/** Postings of the programme, except those of awards in communes outside the scope. */
export function listEntries(db: Kysely<DB>, programmeId: string, limit: number, scope: CommuneScope) {
  return db
    .selectFrom('ledgerEntry')
    .select(['id', 'txnId', 'kind', 'account', 'amount', 'receiptId', 'awardId', 'memo', 'postedBy', 'postedAt'])
    .where('programmeId', '=', programmeId)
    .where((eb) =>
      scope.under === null
        ? sql<boolean>`true`
        : eb.or([eb('awardId', 'is', null), eb('awardId', 'in', eb.selectFrom('award as a').select('a.id').where(communeInScope('a.commune_code', scope)))]),
    )
    .orderBy('postedAt', 'desc')
    .orderBy('txnId')
    .orderBy('account')
    .limit(limit)
    .execute();
}

/** Transactions whose postings do not sum to zero (should always be empty). */
export function unbalancedTxns(db: Kysely<DB>, programmeId: string) {
  return db
    .selectFrom('ledgerEntry')
    .select(['txnId', sql<number>`sum(amount)::bigint`.as('total')])
    .where('programmeId', '=', programmeId)
    .groupBy('txnId')
    .having(sql`sum(amount)`, '<>', 0)
    .execute();
}

/** The programme's awards in communes of the scope, with the person's name. */
export function listAwards(db: Kysely<DB>, programmeId: string, scope: CommuneScope) {
  return db
    .selectFrom('award as a')
    .leftJoin('person as p', 'p.id', 'a.personId')
    .select(['a.id', 'a.roundId', 'a.householdId', 'a.personId', 'a.communeCode', 'a.groupCode', 'a.tags', 'a.amount', 'a.status', 'a.createdAt', 'p.fullName'])
    .where('a.programmeId', '=', programmeId)
    .where(communeInScope('a.commune_code', scope))
    .orderBy('a.createdAt', 'desc')
    .orderBy('a.id')
    .execute();
}
