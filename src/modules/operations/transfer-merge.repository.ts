/**
 * The SQL of merging communes' register into a province's server (transfer-merge.service.ts): which rows
 * belong to the communes, what the server already holds of them, and what would stay behind.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema';

const CODE = /^[0-9A-Za-z._-]{1,20}$/;

/** The communes as a SQL list of literals (codes are checked: they go into COPY statements, which take no parameters). */
export function codeList(codes: string[]): string {
  for (const c of codes) if (!CODE.test(c)) throw new Error(`invalid unit code ${c}`);
  return codes.map((c) => `'${c}'`).join(', ');
}

export interface MergedTable {
  table: string;
  /** The rows of that table that belong to the communes (a where clause over the table's own columns). */
  where: string;
}

/**
 * The register of the communes, in the order foreign keys need: households, their persons and what hangs
 * on a person, the coverage counts kept per commune (coverage_count's trigger makes the month and day
 * snapshots from them on the server), and the audit rows of the communes and their villages. Villages go
 * first, separately (mergeVillages).
 */
export function mergedTables(codes: string[]): MergedTable[] {
  const list = codeList(codes);
  const households = `household_id in (select id from household where commune_code in (${list}))`;
  const communes = `commune_code in (${list})`;
  return [
    { table: 'household', where: communes },
    { table: 'person', where: households },
    { table: 'person_group', where: households },
    { table: 'card', where: households },
    { table: 'vsi_period', where: households },
    { table: 'latest_card', where: households },
    { table: 'household_coverage', where: households },
    { table: 'coverage_count', where: communes },
    { table: 'coverage_renewal', where: communes },
    { table: 'card_end_count', where: communes },
    { table: 'coverage_day', where: communes },
    { table: 'population_count', where: communes },
    {
      table: 'audit_log',
      where: `unit_code in (${list}) or unit_code in (select code from unit where parent_code in (${list}) and level = 'village')`,
    },
  ];
}

/** What coverage_count's trigger derives on the server: compared by their rows that are not zero. */
export function derivedTables(codes: string[]): MergedTable[] {
  const list = codeList(codes);
  return [
    { table: 'coverage_month', where: `commune_code in (${list}) and (persons <> 0 or expiring30 <> 0)` },
    { table: 'coverage_end_day', where: `commune_code in (${list}) and persons <> 0` },
  ];
}

/** The communes' villages among the units, and those of `codes` only (villages to add to the server). */
export const villageRows = (communes: string[]): MergedTable => ({ table: 'unit', where: `level = 'village' and parent_code in (${codeList(communes)})` });
export const unitRows = (codes: string[]): MergedTable => ({ table: 'unit', where: `code in (${codeList(codes)})` });
/** Which collectors serve the villages (those the server does not have yet: `codes`). */
export const collectorVillageRows = (codes: string[]): MergedTable => ({ table: 'collector_village', where: `village_code in (${codeList(codes)})` });

export function selectionQuery(table: string, columns: string[], where: string): string {
  return `select ${columns.join(', ')} from ${table} where ${where}`;
}

export const selection = (table: string, columns: string[], where: string): RawBuilder<unknown> => sql.raw(selectionQuery(table, columns, where));

/** The communes among `codes` that are communes of this database. */
export async function knownCommunes(db: Kysely<DB>, codes: string[]): Promise<string[]> {
  const rows = await db.selectFrom('unit').select('code').where('code', 'in', codes).where('level', '=', 'commune').execute();
  return rows.map((r) => r.code);
}

export interface UnitColumn {
  table: string;
  /** commune_code, unit_code or owner_unit_code. */
  column: string;
}

/**
 * Tables naming a commune that are the province's organisation, not the commune's own work: which social
 * insurance office serves it, the commune's profile (tax code, address). Every database of the province has them.
 */
export const REFERENCE_TABLES = new Set(['unit', 'office_commune', 'unit_profile']);

/** The base tables of the current schema with a column naming a commune or unit, and that column (reference tables aside). */
export async function unitKeyedTables(db: Kysely<DB>): Promise<UnitColumn[]> {
  const { rows } = await sql<UnitColumn>`
    select c.table_name as table, c.column_name as column from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.column_name in ('commune_code', 'unit_code', 'owner_unit_code') order by 1, 2`.execute(db);
  return rows.filter((r) => !REFERENCE_TABLES.has(r.table));
}

export interface CommuneRows {
  commune: string;
  table: string;
  rows: number;
}

/** Rows per unit among `codes` in each of the tables by its unit column (tables without any aside). */
export async function rowsPerCommune(db: Kysely<DB>, codes: string[], tables: UnitColumn[]): Promise<CommuneRows[]> {
  const out: CommuneRows[] = [];
  for (const { table, column } of tables) {
    const { rows } = await sql<{ commune: string; rows: number }>`
      select ${sql.ref(column)} as commune, count(*)::int as rows from ${sql.table(table)}
      where ${sql.ref(column)} in (${sql.join(codes)}) group by 1 order by 1`.execute(db);
    out.push(...rows.map((r) => ({ commune: r.commune, table, rows: r.rows })));
  }
  return out;
}

export interface Village {
  code: string;
  parentCode: string | null;
  localCode: string | null;
}

/** The villages of the communes (unit rows of level village under them). */
export async function villagesOf(db: Kysely<DB>, codes: string[]): Promise<Village[]> {
  return db
    .selectFrom('unit')
    .select(['code', 'parentCode', 'localCode'])
    .where('parentCode', 'in', codes)
    .where('level', '=', 'village')
    .orderBy('code')
    .execute();
}

/** Units of the server with one of these codes, or with the same local code under the same commune. */
export async function unitsLike(db: Kysely<DB>, villages: Village[]): Promise<Village[]> {
  if (!villages.length) return [];
  return db
    .selectFrom('unit')
    .select(['code', 'parentCode', 'localCode'])
    .where((eb) =>
      eb.or([
        eb('code', 'in', villages.map((v) => v.code)),
        ...villages.filter((v) => v.localCode !== null).map((v) => eb.and([eb('parentCode', '=', v.parentCode), eb('localCode', '=', v.localCode)])),
      ]),
    )
    .execute();
}

/** Codes the communes' cards and villages name (collectors, health-care facilities) that the database lacks. */
export async function missingCardReferences(source: Kysely<DB>, target: Kysely<DB>, codes: string[]): Promise<{ collectors: string[]; facilities: string[] }> {
  const used = await sql<{ collector: string | null; facility: string | null }>`
    select distinct collector_code as collector, facility_code as facility from card
    where household_id in (select id from household where commune_code in (${sql.join(codes)}))
    union
    select distinct v.collector_code, null from collector_village v join unit u on u.code = v.village_code
    where u.parent_code in (${sql.join(codes)}) and u.level = 'village'`.execute(source);
  const collectors = [...new Set(used.rows.map((r) => r.collector).filter((c): c is string => c !== null))];
  const facilities = [...new Set(used.rows.map((r) => r.facility).filter((c): c is string => c !== null))];
  const haveCollectors = collectors.length ? (await target.selectFrom('collector').select('code').where('code', 'in', collectors).execute()).map((r) => r.code) : [];
  const haveFacilities = facilities.length ? (await target.selectFrom('healthFacility').select('code').where('code', 'in', facilities).execute()).map((r) => r.code) : [];
  return {
    collectors: collectors.filter((c) => !haveCollectors.includes(c)).sort(),
    facilities: facilities.filter((c) => !haveFacilities.includes(c)).sort(),
  };
}
