/**
 * SQL of selection rounds and their frozen candidates (selection_round, selection_candidate).
 */
import { sql, type Insertable, type Kysely, type Selectable } from 'kysely';
import type { DB, SelectionCandidateTable, SelectionRoundTable } from '../../../db/schema';
import { BinaryRows } from '../../../db/bulk';
import type { Session } from '../../../db/connect';
import { toEpochDay } from '../../../domain/calendar';

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

/** The columns of a frozen candidate, in the order `copyCandidates` writes them. */
const FROZEN_COLUMNS = [
  'round_id', 'household_id', 'person_id', 'commune_code', 'village_code', 'household_code', 'full_name', 'birth_date', 'sex',
  'citizen_id', 'insurance_code', 'ethnicity', 'address', 'poverty_status', 'group_codes', 'tags', 'covered_until',
  'enrolled_this_year', 'value', 'cost', 'pricing_group', 'selected', 'reason', 'detail',
];
/** Rows per COPY: a round of a million candidates goes in batches of some 25 MB. */
const COPY_ROWS = 100_000;

/**
 * Writes the frozen candidates of a round in COPY's binary format (rounds hold up to a million of them:
 * as JSON batches the database spent most of the round parsing them), in the caller's transaction
 * (`copy` of its session).
 */
export async function copyCandidates(copy: Session['copyBinary'], rows: Iterable<Insertable<SelectionCandidateTable>>): Promise<void> {
  const day = (d: string | null | undefined) => (d === null || d === undefined ? null : toEpochDay(d));
  let out = new BinaryRows();
  // one batch in the database while the next is written here
  let pending: Promise<void> | null = null;
  const flush = async () => {
    const size = out.byteLength;
    const bytes = out.bytes();
    if (pending) await pending;
    pending = copy('selection_candidate', FROZEN_COLUMNS, bytes);
    pending.catch(() => undefined); // awaited below; not an unhandled rejection meanwhile
    out = new BinaryRows(size + 64); // the next batch is about as large
  };
  for (const r of rows) {
    out.row(FROZEN_COLUMNS.length);
    out.uuidText(r.roundId);
    out.uuidText(r.householdId);
    out.uuidText(r.personId);
    out.text(r.communeCode);
    out.text(r.villageCode);
    out.text(r.householdCode);
    out.text(r.fullName);
    out.date(day(r.birthDate));
    out.text(r.sex);
    out.text(r.citizenId);
    out.text(r.insuranceCode);
    out.text(r.ethnicity);
    out.text(r.address);
    out.text(r.povertyStatus);
    out.textArray(r.groupCodes ?? []);
    out.textArray(r.tags ?? []);
    out.date(day(r.coveredUntil));
    out.int4(r.enrolledThisYear ?? 0);
    out.float8(r.value ?? 0);
    out.int8(r.cost === null || r.cost === undefined ? null : Number(r.cost));
    out.text(r.pricingGroup);
    out.bool(r.selected === true);
    out.text(r.reason);
    out.text(r.detail);
    if (out.rows >= COPY_ROWS) await flush();
  }
  if (out.rows > 0) await flush();
  if (pending) await pending;
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

