/**
 * SQL for reported figures, coverage targets and staff targets. Reads of `unit` and `app_user` here are
 * joins for names and scope filters (and one lookup of a staff member); nothing here writes them.
 */
import { sql, type Kysely, type Selectable, type SqlBool } from 'kysely';
import type { CoverageProduct, CoverageTargetKind, DB, ReportedFigureTable } from '../../db/schema';

export type FigureRow = Selectable<ReportedFigureTable>;

/** The figure values a row carries (what a user sets). */
export interface FigureValues {
  participants: number | null;
  participantsByGroup: Record<string, number> | null;
  voluntarySi: number | null;
  population: number | null;
  plan: number | null;
  planYear: number | null;
  planDecision: string | null;
  source: string | null;
  note: string | null;
}

const figureColumns = [
  'f.id',
  'f.unitCode',
  'u.name as unitName',
  'f.asOf',
  'f.participants',
  'f.participantsByGroup',
  'f.voluntarySi',
  'f.population',
  'f.plan',
  'f.planYear',
  'f.planDecision',
  'f.source',
  'f.note',
  'f.createdBy',
  'f.createdAt',
  'f.updatedBy',
  'f.updatedAt',
] as const;

export type FigureWithUnit = FigureRow & { unitName: string };

/** Scope of a list: units equal to `scope` or below it (two levels at most: province > commune > village). */
export interface UnitFilter {
  /** null: everywhere (a national admin, the CLI operator). */
  scope: string | null;
  /** A unit and the units directly under it. */
  area?: string;
}

// ---------------------------------------------------------------------------------------------------
// Units (read only)
// ---------------------------------------------------------------------------------------------------

export interface UnitInfo {
  code: string;
  name: string;
  level: 'province' | 'commune' | 'village' | 'office';
  parentCode: string | null;
}

/** Units by code, for an import (chunked: a file may name thousands of units). */
export async function findUnits(db: Kysely<DB>, codes: string[]): Promise<UnitInfo[]> {
  const out: UnitInfo[] = [];
  for (let i = 0; i < codes.length; i += 1000) {
    const chunk = codes.slice(i, i + 1000);
    if (chunk.length) out.push(...(await db.selectFrom('unit').select(['code', 'name', 'level', 'parentCode']).where('code', 'in', chunk).execute()));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Reported figures
// ---------------------------------------------------------------------------------------------------

export function findFigure(db: Kysely<DB>, unitCode: string, asOf: string): Promise<FigureWithUnit | undefined> {
  return db
    .selectFrom('reportedFigure as f')
    .innerJoin('unit as u', 'u.code', 'f.unitCode')
    .select(figureColumns)
    .where('f.unitCode', '=', unitCode)
    .where('f.asOf', '=', asOf)
    .executeTakeFirst();
}

/** Inserts or replaces the figures of (unit, date); returns the row's id (the stored one on a replace). */
export async function upsertFigure(db: Kysely<DB>, row: FigureValues & { id: string; unitCode: string; asOf: string; actor: string }): Promise<string> {
  const values = {
    participants: row.participants,
    participantsByGroup: row.participantsByGroup === null ? null : JSON.stringify(row.participantsByGroup),
    voluntarySi: row.voluntarySi,
    population: row.population,
    plan: row.plan,
    planYear: row.planYear,
    planDecision: row.planDecision,
    source: row.source,
    note: row.note,
  };
  const r = await db
    .insertInto('reportedFigure')
    .values({ id: row.id, unitCode: row.unitCode, asOf: row.asOf, ...values, createdBy: row.actor, updatedBy: row.actor })
    .onConflict((oc) => oc.columns(['unitCode', 'asOf']).doUpdateSet({ ...values, updatedBy: row.actor, updatedAt: sql<Date>`now()` }))
    .returning('id')
    .executeTakeFirstOrThrow();
  return r.id;
}

export function listFigures(db: Kysely<DB>, unitCode: string, from?: string, to?: string): Promise<FigureWithUnit[]> {
  let q = db.selectFrom('reportedFigure as f').innerJoin('unit as u', 'u.code', 'f.unitCode').select(figureColumns).where('f.unitCode', '=', unitCode);
  if (from) q = q.where('f.asOf', '>=', from);
  if (to) q = q.where('f.asOf', '<=', to);
  return q.orderBy('f.asOf').execute();
}

/** The columns that are carried forward one by one (each from the latest row that has it). */
export const CARRIED = ['participants', 'participantsByGroup', 'voluntarySi', 'population', 'plan'] as const;
export type CarriedField = (typeof CARRIED)[number];


/**
 * For each unit, the latest row on or before `date` (all columns), and for each carried column the latest
 * row on or before `date` where that column is not null.
 */
export async function latestOnOrBefore(db: Kysely<DB>, unitCodes: string[], date: string) {
  const latest = new Map<string, FigureRow>();
  const carried = new Map<string, Partial<Record<CarriedField, { value: unknown; asOf: string; planYear: number | null; planDecision: string | null }>>>();
  for (let i = 0; i < unitCodes.length; i += 5000) {
    const chunk = unitCodes.slice(i, i + 5000);
    if (!chunk.length) continue;
    // every figure of these units up to the date, newest first: a unit has a handful, so one query and a
    // walk in memory beat one query per carried field
    const rows = await db
      .selectFrom('reportedFigure')
      .selectAll()
      .where('unitCode', 'in', chunk)
      .where('asOf', '<=', date)
      .orderBy('unitCode')
      .orderBy('asOf', 'desc')
      .execute();
    for (const r of rows) {
      if (!latest.has(r.unitCode)) latest.set(r.unitCode, r);
      const entry = carried.get(r.unitCode) ?? {};
      for (const field of CARRIED) {
        const value = (r as Record<string, unknown>)[field];
        if (entry[field] === undefined && value !== null && value !== undefined)
          entry[field] = { value, asOf: r.asOf, planYear: r.planYear, planDecision: r.planDecision };
      }
      carried.set(r.unitCode, entry);
    }
  }
  return { latest, carried };
}

// ---------------------------------------------------------------------------------------------------
// Scope filters shared by the target lists
// ---------------------------------------------------------------------------------------------------

/** `code` (a column holding a unit code) lies in the filter: itself or its parent or grandparent. */
function inFilter(filter: UnitFilter, code: string, parent: string, grandparent: string) {
  const parts = [];
  if (filter.scope !== null) parts.push(sql`(${sql.ref(code)} = ${filter.scope} or ${sql.ref(parent)} = ${filter.scope} or ${sql.ref(grandparent)} = ${filter.scope})`);
  if (filter.area !== undefined) parts.push(sql`(${sql.ref(code)} = ${filter.area} or ${sql.ref(parent)} = ${filter.area})`);
  return parts.length ? sql<SqlBool>`${sql.join(parts, sql` and `)}` : sql<SqlBool>`true`;
}

// ---------------------------------------------------------------------------------------------------
// Coverage targets
// ---------------------------------------------------------------------------------------------------

const targetColumns = ['t.id', 't.unitCode', 'u.name as unitName', 't.year', 't.kind', 't.value', 't.decision', 't.product', 't.updatedBy', 't.updatedAt'] as const;

export function findTarget(db: Kysely<DB>, unitCode: string, year: number, product: CoverageProduct = 'bhyt') {
  return db
    .selectFrom('coverageTarget as t')
    .innerJoin('unit as u', 'u.code', 't.unitCode')
    .select(targetColumns)
    .where('t.unitCode', '=', unitCode)
    .where('t.year', '=', year)
    .where('t.product', '=', product)
    .executeTakeFirst();
}

export async function upsertTarget(
  db: Kysely<DB>,
  row: { id: string; unitCode: string; year: number; kind: CoverageTargetKind; value: number; decision: string | null; product: CoverageProduct; actor: string },
): Promise<void> {
  await db
    .insertInto('coverageTarget')
    .values({
      id: row.id,
      unitCode: row.unitCode,
      year: row.year,
      kind: row.kind,
      value: row.value,
      decision: row.decision,
      product: row.product,
      createdBy: row.actor,
      updatedBy: row.actor,
    })
    .onConflict((oc) =>
      oc.columns(['unitCode', 'year', 'product']).doUpdateSet({ kind: row.kind, value: row.value, decision: row.decision, updatedBy: row.actor, updatedAt: sql<Date>`now()` }),
    )
    .execute();
}

export function listTargets(db: Kysely<DB>, filter: UnitFilter, year?: number, product: CoverageProduct = 'bhyt') {
  let q = db
    .selectFrom('coverageTarget as t')
    .innerJoin('unit as u', 'u.code', 't.unitCode')
    .leftJoin('unit as p', 'p.code', 'u.parentCode')
    .select(targetColumns)
    .where(inFilter(filter, 't.unit_code', 'u.parent_code', 'p.parent_code'))
    .where('t.product', '=', product);
  if (year !== undefined) q = q.where('t.year', '=', year);
  return q.orderBy('t.year', 'desc').orderBy('t.unitCode').limit(10_000).execute();
}

// ---------------------------------------------------------------------------------------------------
// Staff targets
// ---------------------------------------------------------------------------------------------------

/** A staff member by id or username (read only: users belong to the access module). */
export function findStaffMember(db: Kysely<DB>, by: { id?: string; username?: string }) {
  let q = db.selectFrom('appUser').select(['id', 'username', 'displayName', 'role', 'scopeCode', 'active']);
  q = by.id !== undefined ? q.where('id', '=', by.id) : q.where('username', '=', by.username ?? '');
  return q.executeTakeFirst();
}

const staffColumns = [
  's.id',
  's.userId',
  'a.username',
  'a.displayName',
  's.year',
  's.participants',
  's.unitCode',
  'u.name as unitName',
  's.updatedBy',
  's.updatedAt',
] as const;

export function findStaffTarget(db: Kysely<DB>, userId: string, year: number) {
  return db
    .selectFrom('staffTarget as s')
    .innerJoin('appUser as a', 'a.id', 's.userId')
    .leftJoin('unit as u', 'u.code', 's.unitCode')
    .select(staffColumns)
    .where('s.userId', '=', userId)
    .where('s.year', '=', year)
    .executeTakeFirst();
}

export async function upsertStaffTarget(
  db: Kysely<DB>,
  row: { id: string; userId: string; year: number; participants: number; unitCode: string | null; actor: string },
): Promise<void> {
  await db
    .insertInto('staffTarget')
    .values({ id: row.id, userId: row.userId, year: row.year, participants: row.participants, unitCode: row.unitCode, createdBy: row.actor, updatedBy: row.actor })
    .onConflict((oc) =>
      oc.columns(['userId', 'year']).doUpdateSet({ participants: row.participants, unitCode: row.unitCode, updatedBy: row.actor, updatedAt: sql<Date>`now()` }),
    )
    .execute();
}

/** Staff targets whose unit lies in the filter (a target without a unit only for a national scope). */
export function listStaffTargets(db: Kysely<DB>, filter: UnitFilter, year?: number) {
  let q = db
    .selectFrom('staffTarget as s')
    .innerJoin('appUser as a', 'a.id', 's.userId')
    .leftJoin('unit as u', 'u.code', 's.unitCode')
    .leftJoin('unit as p', 'p.code', 'u.parentCode')
    .select(staffColumns)
    .where(inFilter(filter, 's.unit_code', 'u.parent_code', 'p.parent_code'));
  if (year !== undefined) q = q.where('s.year', '=', year);
  return q.orderBy('s.year', 'desc').orderBy('s.unitCode').orderBy('a.username').limit(10_000).execute();
}

/** The targets of `year` of the users given (user id -> participants). */
export async function staffTargetsOfUsers(db: Kysely<DB>, userIds: string[], year: number): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const rows = await db.selectFrom('staffTarget').select(['userId', 'participants']).where('userId', 'in', userIds).where('year', '=', year).execute();
  return new Map(rows.map((r) => [r.userId, Number(r.participants)]));
}

/**
 * Participants recruited by each staff member in a year: distinct persons for whom the member entered a
 * card by hand (the audit log's card creations by that user, Vietnam time), whose card is still in the
 * register. Imports and cards entered by others do not count. Reads the audit log and the register
 * (joins only; they belong to the audit and register modules).
 */
export async function recruitedBy(db: Kysely<DB>, userIds: string[], year: number): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const r = await sql<{ userId: string; n: number }>`
    select a.actor_id as "userId", count(distinct c.person_id)::int as n
    from audit_log a join card c on c.id::text = a.entity_id
    where a.entity = 'card' and a.action = 'create' and a.actor_id = any(${userIds}::uuid[])
      and a.at >= (${`${year}-01-01`}::timestamp at time zone 'Asia/Ho_Chi_Minh')
      and a.at < (${`${year + 1}-01-01`}::timestamp at time zone 'Asia/Ho_Chi_Minh')
    group by 1`.execute(db);
  return new Map(r.rows.map((x) => [x.userId, Number(x.n)]));
}

// ---------------------------------------------------------------------------------------------------
// Figures of pre-2025 communes (old codes), each counted towards one new commune
// ---------------------------------------------------------------------------------------------------

/** The new communes of old commune codes (commune_mapping; read only). */
export async function mappingOfOld(db: Kysely<DB>, oldCodes: string[]) {
  if (oldCodes.length === 0) return [];
  return db
    .selectFrom('communeMapping')
    .select(['oldCode', 'oldName', 'newCode', 'newName'])
    .where('oldCode', 'in', oldCodes)
    .orderBy('oldCode')
    .orderBy('newCode')
    .execute();
}

/** The old communes that went (wholly or in part) into each of the new communes. */
export async function mappingOfNew(db: Kysely<DB>, newCodes: string[]) {
  if (newCodes.length === 0) return [];
  return db.selectFrom('communeMapping').select(['oldCode', 'oldName', 'newCode']).where('newCode', 'in', newCodes).orderBy('oldCode').execute();
}

export interface OldFigureRow {
  id: string;
  oldCode: string;
  unitCode: string;
  asOf: string;
  participants: number | null;
  population: number | null;
  source: string | null;
  note: string | null;
  createdBy?: string;
  createdAt?: Date | string;
  updatedBy?: string;
  updatedAt?: Date | string;
}

const oldColumns = sql`id, old_code as "oldCode", unit_code as "unitCode", as_of::text as "asOf", participants::int8 as participants, population::int8 as population, source, note,
  created_by as "createdBy", created_at as "createdAt", updated_by as "updatedBy", updated_at as "updatedAt"`;

const oldRow = (r: OldFigureRow): OldFigureRow => ({
  ...r,
  participants: r.participants === null ? null : Number(r.participants),
  population: r.population === null ? null : Number(r.population),
});

export async function findOldFigure(db: Kysely<DB>, unitCode: string, oldCode: string, asOf: string): Promise<OldFigureRow | undefined> {
  const r = await sql<OldFigureRow>`select ${oldColumns} from old_commune_figure where unit_code = ${unitCode} and old_code = ${oldCode} and as_of = ${asOf}::date`.execute(db);
  return r.rows[0] ? oldRow(r.rows[0]) : undefined;
}

export async function upsertOldFigure(db: Kysely<DB>, row: OldFigureRow & { actor: string }): Promise<void> {
  await sql`
    insert into old_commune_figure (id, old_code, unit_code, as_of, participants, population, source, note, created_by, updated_by)
    values (${row.id}, ${row.oldCode}, ${row.unitCode}, ${row.asOf}::date, ${row.participants}, ${row.population}, ${row.source}, ${row.note}, ${row.actor}, ${row.actor})
    on conflict (unit_code, old_code, as_of) do update set participants = excluded.participants, population = excluded.population,
      source = excluded.source, note = excluded.note, updated_by = excluded.updated_by, updated_at = now()`.execute(db);
}

/** For each (new commune, old code): the latest figure on or before `date`. */
export async function latestOldFigures(db: Kysely<DB>, unitCodes: string[], date: string): Promise<OldFigureRow[]> {
  if (unitCodes.length === 0) return [];
  const r = await sql<OldFigureRow>`
    select distinct on (unit_code, old_code) ${oldColumns} from old_commune_figure
    where unit_code in (${sql.join(unitCodes)}) and as_of <= ${date}::date
    order by unit_code, old_code, as_of desc`.execute(db);
  return r.rows.map(oldRow);
}
