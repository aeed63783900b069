/**
 * SQL of selection rounds and their frozen candidates (selection_round, selection_candidate).
 */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { DB, SelectionCandidateTable, SelectionRoundTable } from '../../../db/schema';
import { insertJsonRows } from '../../../db/json-rows';

export type RoundRow = Selectable<SelectionRoundTable>;
export type FrozenCandidate = Selectable<SelectionCandidateTable>;

/** Locks the programme row: rounds of one programme are numbered and decided one at a time. */
export async function lockProgramme(db: Kysely<DB>, programmeId: string): Promise<void> {
  await sql`select id from programme where id = ${programmeId}::uuid for update`.execute(db);
}

export async function nextRoundNumber(db: Kysely<DB>, programmeId: string): Promise<number> {
  const r = await db.selectFrom('selectionRound').select(sql<number>`coalesce(max(number), 0)::int`.as('n')).where('programmeId', '=', programmeId).executeTakeFirst();
  return Number(r?.n ?? 0) + 1;
}

export async function insertRound(db: Kysely<DB>, values: Insertable<SelectionRoundTable>): Promise<void> {
  await db.insertInto('selectionRound').values(values).execute();
}

/** Writes the frozen candidates of a round (as JSON batches: rounds hold up to a million of them). */
export async function insertCandidates(db: Kysely<DB>, rows: Insertable<SelectionCandidateTable>[]): Promise<void> {
  await insertJsonRows(db, 'selection_candidate', rows as unknown as Record<string, unknown>[]);
}

export async function listRounds(db: Kysely<DB>, programmeId: string) {
  return db
    .selectFrom('selectionRound as r')
    .selectAll('r')
    .select(sql<string>`r.params::text`.as('paramsJson'))
    .select((eb) => [
      eb.selectFrom('selectionCandidate as c').select(sql<number>`count(*)::int`.as('n')).whereRef('c.roundId', '=', 'r.id').where('c.selected', '=', true).as('selectedCount'),
      eb.selectFrom('selectionCandidate as c').select(sql<number>`count(*)::int`.as('n')).whereRef('c.roundId', '=', 'r.id').as('candidateCount'),
    ])
    .where('r.programmeId', '=', programmeId)
    .orderBy('r.number', 'desc')
    .execute();
}

export async function findRound(db: Kysely<DB>, programmeId: string, roundId: string, forUpdate = false) {
  // params as text: the CamelCasePlugin would rewrite the tags used as keys of the weights
  let q = db.selectFrom('selectionRound').selectAll().select(sql<string>`params::text`.as('paramsJson')).where('programmeId', '=', programmeId).where('id', '=', roundId);
  if (forUpdate) q = q.forUpdate();
  return q.executeTakeFirst();
}

/** What a round's totals and order need, for every candidate of the round (a few small columns). */
export async function frozenKeys(db: Kysely<DB>, roundId: string) {
  return db
    .selectFrom('selectionCandidate')
    .select(['personId', 'communeCode', 'selected', 'reason', 'value', 'cost', 'fullName'])
    .where('roundId', '=', roundId)
    .execute();
}

export async function listFrozen(db: Kysely<DB>, roundId: string, filter: { commune?: string; selected?: boolean; communes?: string[]; personIds?: string[] } = {}) {
  let q = db.selectFrom('selectionCandidate').selectAll().select(sql<string>`birth_date::text`.as('birthDate')).select(sql<string | null>`covered_until::text`.as('coveredUntil')).where('roundId', '=', roundId);
  if (filter.commune) q = q.where('communeCode', '=', filter.commune);
  if (filter.communes) q = q.where('communeCode', 'in', filter.communes.length ? filter.communes : ['']);
  if (filter.selected !== undefined) q = q.where('selected', '=', filter.selected);
  if (filter.personIds) q = q.where('personId', 'in', filter.personIds.length ? filter.personIds : ['00000000-0000-0000-0000-000000000000']);
  return q.execute();
}

/** Proposed rounds of the programme other than `keep` become discarded. */
export async function discardOtherRounds(db: Kysely<DB>, programmeId: string, keep: string, decidedBy: string): Promise<number> {
  const r = await db
    .updateTable('selectionRound')
    .set({ status: 'discarded', decidedBy, decidedAt: new Date() })
    .where('programmeId', '=', programmeId)
    .where('status', '=', 'proposed')
    .where('id', '!=', keep)
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

