/** SQL for receiving bank accounts, imported statement lines and their matches to pledges. */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { BankAccountTable, BankLineTable, BankMatchTable, DB } from '../../../db/schema';
import { insertJsonRows } from '../../../db/json-rows';

export type BankAccountRow = Selectable<BankAccountTable>;
export type BankLineRow = Selectable<BankLineTable>;
export type BankMatchRow = Selectable<BankMatchTable>;


export function insertAccount(db: Kysely<DB>, row: Insertable<BankAccountTable>): Promise<BankAccountRow> {
  return db.insertInto('bankAccount').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findAccount(db: Kysely<DB>, id: string): Promise<BankAccountRow | undefined> {
  return db.selectFrom('bankAccount').selectAll().where('id', '=', id).executeTakeFirst();
}

export function listAccounts(db: Kysely<DB>, programmeId: string): Promise<BankAccountRow[]> {
  return db.selectFrom('bankAccount').selectAll().where('programmeId', '=', programmeId).orderBy('createdAt').orderBy('id').execute();
}

export async function setAccountMapping(db: Kysely<DB>, id: string, mapping: Record<string, string> | null): Promise<void> {
  await db
    .updateTable('bankAccount')
    .set({ mapping: mapping === null ? null : JSON.stringify(mapping) })
    .where('id', '=', id)
    .execute();
}

/** Inserts the lines whose (account, fingerprint) is new; returns those inserted (in the order given). */
export async function insertLines<T extends Insertable<BankLineTable> & { id: string }>(db: Kysely<DB>, rows: T[]): Promise<T[]> {
  const made = await insertJsonRows<{ id: string }>(db, 'bank_line', rows, { onConflictDoNothing: ['accountId', 'fingerprint'], returning: ['id'] });
  const ids = new Set(made.map((r) => r.id));
  return rows.filter((r) => ids.has(r.id));
}

export function findLine(db: Kysely<DB>, id: string): Promise<BankLineRow | undefined> {
  return db.selectFrom('bankLine').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Pledges of a programme that can receive money, with what came in and the donor's name (for matching). */
export async function matchablePledges(db: Kysely<DB>, programmeId: string) {
  const r = await sql<{ id: string; reference: string; amount: number; received: number; donorName: string; donorId: string; pledgedOn: string; status: string }>`
    select p.id, p.reference, p.amount, p.donor_id as "donorId", p.pledged_on::text as "pledgedOn", p.status, d.name as "donorName",
      coalesce(r.received, 0)::bigint as received
    from pledge p
    join donor d on d.id = p.donor_id
    left join (select pledge_id, sum(amount) as received from receipt where programme_id = ${programmeId}::uuid and voided_at is null group by pledge_id) r on r.pledge_id = p.id
    where p.programme_id = ${programmeId}::uuid and p.status <> 'cancelled' and p.reference is not null`.execute(db);
  return r.rows.map((p) => ({ ...p, received: Number(p.received) }));
}

export async function donorNameOf(db: Kysely<DB>, donorId: string): Promise<string | undefined> {
  return (await db.selectFrom('donor').select('name').where('id', '=', donorId).executeTakeFirst())?.name;
}

export function findPledgeRow(db: Kysely<DB>, id: string) {
  return db.selectFrom('pledge').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function confirmPledgeByBank(db: Kysely<DB>, id: string, by: string): Promise<void> {
  await db
    .updateTable('pledge')
    .set({ status: 'confirmed', confirmedBy: by, confirmedAt: sql<Date>`now()` as unknown as Date })
    .where('id', '=', id)
    .where('status', '=', 'proposed')
    .execute();
}

/** Matches, many in one statement. */
export async function insertMatches(db: Kysely<DB>, rows: Insertable<BankMatchTable>[]): Promise<void> {
  await insertJsonRows(db, 'bank_match', rows);
}

export function findMatch(db: Kysely<DB>, id: string): Promise<BankMatchRow | undefined> {
  return db.selectFrom('bankMatch').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function markUndone(db: Kysely<DB>, id: string, by: string, txnId: string): Promise<void> {
  await db
    .updateTable('bankMatch')
    .set({ undoneAt: sql<Date>`now()` as unknown as Date, undoneBy: by, undoTxnId: txnId })
    .where('id', '=', id)
    .execute();
}

/** What live matches took of each line. */
export async function matchedOfLines(db: Kysely<DB>, lineIds: string[]): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (lineIds.length === 0) return out;
  const rows = await db
    .selectFrom('bankMatch')
    .select(['lineId', sql<number>`sum(amount)::bigint`.as('matched')])
    .where(sql<boolean>`line_id = any(${sql.val(lineIds)}::uuid[])`)
    .where('undoneAt', 'is', null)
    .groupBy('lineId')
    .execute();
  for (const r of rows) out.set(r.lineId, Number(r.matched));
  return out;
}

/** The programme's lines with what live matches took of them, and their matches (newest lines first). */
export function listLines(db: Kysely<DB>, programmeId: string, filter: { unmatchedOnly?: boolean; accountId?: string }) {
  let q = db
    .selectFrom('bankLine as l')
    .innerJoin('bankAccount as a', 'a.id', 'l.accountId')
    .select([
      'l.id',
      'l.accountId',
      'a.bankBin',
      'a.accountNumber',
      'l.bookedOn',
      'l.amount',
      'l.description',
      'l.transactionId',
      'l.counterparty',
      'l.fileName',
      'l.rowNumber',
      'l.importedAt',
      sql<number>`coalesce((select sum(m.amount) from bank_match m where m.line_id = l.id and m.undone_at is null), 0)::bigint`.as('matched'),
    ])
    .where('l.programmeId', '=', programmeId);
  if (filter.accountId) q = q.where('l.accountId', '=', filter.accountId);
  if (filter.unmatchedOnly) q = q.where(sql<boolean>`l.amount > coalesce((select sum(m.amount) from bank_match m where m.line_id = l.id and m.undone_at is null), 0)`);
  return q.orderBy('l.bookedOn', 'desc').orderBy('l.rowNumber').orderBy('l.id').execute();
}

/** Live and undone matches of lines, with the pledge's reference and the donor's name. */
export function matchesOfLines(db: Kysely<DB>, programmeId: string) {
  return db
    .selectFrom('bankMatch as m')
    .innerJoin('pledge as p', 'p.id', 'm.pledgeId')
    .innerJoin('donor as d', 'd.id', 'p.donorId')
    .select(['m.id', 'm.lineId', 'm.pledgeId', 'm.receiptId', 'm.amount', 'm.txnId', 'm.matchedBy', 'm.createdBy', 'm.createdAt', 'm.undoneAt', 'm.undoTxnId', 'p.reference', 'd.name as donorName'])
    .where('m.programmeId', '=', programmeId)
    .orderBy('m.createdAt')
    .orderBy('m.id')
    .execute();
}

/** Per day and account: the statement's total and what is matched (live matches). */
export async function dailyTotals(db: Kysely<DB>, programmeId: string) {
  const r = await sql<{ bookedOn: string; lines: number; total: number; matched: number }>`
    select l.booked_on::text as "bookedOn", count(*)::int as lines, sum(l.amount)::bigint as total,
      coalesce(sum(m.matched), 0)::bigint as matched
    from bank_line l
    left join (select line_id, sum(amount) as matched from bank_match where programme_id = ${programmeId}::uuid and undone_at is null group by line_id) m on m.line_id = l.id
    where l.programme_id = ${programmeId}::uuid
    group by l.booked_on order by l.booked_on`.execute(db);
  return r.rows.map((x) => ({ ...x, total: Number(x.total), matched: Number(x.matched) }));
}
