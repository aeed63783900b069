/**
 * SQL of the register import (import.service.ts, import-fresh.ts), in the order the import runs it.
 *
 * Staged path: a temporary staging table per import, filled by COPY; the matching of its rows to the
 * register (`findConflicts`); then set-based statements that write villages, households, persons, groups
 * and cards from it (`createVillages` ... `insertCards`), and what happened per row.
 * Fast path (an empty register): the lock and emptiness checks, the tables emptied and their indexes and
 * foreign keys dropped and rebuilt (`deferIndexes`), the kept coverage aggregates written beside the rows.
 * Everything takes the caller's transaction (or the session's connection for the staging table).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { Engine, Session } from '../../db/connect';
import { refreshTables } from '../../db/statistics';
import type { DB } from '../../db/schema';
import { toCsv } from '../../db/bulk';

// ---------------------------------------------------------------------------------------------------
// Staged path: the staging table
// ---------------------------------------------------------------------------------------------------

/** The columns a staged row is COPYed into (stageRow in import.service.ts gives its values in this order). */
export const STAGE_COLUMNS = [
  'row_no',
  'household_code',
  'commune_code',
  'village_name',
  'village_key',
  'village_local',
  'address',
  'poverty_status',
  'poverty_year',
  'full_name',
  'name_key',
  'relationship',
  'birth_date',
  'sex',
  'citizen_id',
  'insurance_code',
  'ethnicity',
  'phone',
  'group_codes',
  'card_group',
  'card_from',
  'card_to',
  'school',
  'grade',
  'card_number',
  'card_source',
  'facility_code',
  'collector_code',
] as const;

export async function createStage(session: Session, stage: string) {
  await sql`create temporary table ${sql.table(stage)} (
    row_no integer primary key,
    household_code text not null,
    commune_code text not null,
    village_name text,
    village_key text,
    village_local text,
    address text,
    poverty_status text not null,
    poverty_year integer,
    full_name text not null,
    name_key text not null,
    relationship text,
    birth_date date not null,
    sex text not null,
    citizen_id text,
    insurance_code text,
    ethnicity text,
    phone text,
    group_codes text[] not null,
    card_group text,
    card_from date,
    card_to date,
    school text,
    grade integer,
    card_number text,
    card_source text,
    facility_code text,
    collector_code text,
    first_row integer,
    household_id uuid,
    person_id uuid,
    person_household_id uuid,
    candidates integer,
    action text
  )`.execute(session.db);
}

/** COPYs rows (values in the order of STAGE_COLUMNS) into the staging table. */
export function copyToStage(session: Session, stage: string, rows: unknown[][]): Promise<void> {
  return session.copyCsv(stage, [...STAGE_COLUMNS], toCsv(rows));
}

export async function dropStage(db: Kysely<DB>, stage: string): Promise<void> {
  await sql`drop table if exists ${sql.table(stage)}`.execute(db);
}

/** Fresh statistics of the staging table (they only need to be roughly right: sample less). */
export async function analyzeStageRoughly(trx: Kysely<DB>, stage: string): Promise<void> {
  await sql`set local default_statistics_target = 10`.execute(trx);
  await sql`analyze ${sql.table(stage)}`.execute(trx);
}

export async function analyzeStage(trx: Kysely<DB>, stage: string): Promise<void> {
  await sql`analyze ${sql.table(stage)}`.execute(trx);
}

/**
 * The register and what is kept from it, after an import: fresh statistics (without them every later
 * query, the door-to-door list, the coverage lists, plans as if the tables were empty and scans every
 * card: measured on 2,000,000 persons, a commune's list 2.4 s -> 1.2 s, a plain query 10 s -> 0.4 s) and,
 * on the embedded database, the space of the rows the import replaced reclaimed (src/db/statistics.ts).
 */
export async function refreshRegister(db: Kysely<DB>, engine: Engine): Promise<void> {
  await refreshTables(db, engine, REGISTER_TABLES);
}

/**
 * After the fast path, which wrote every row frozen into empty tables: nothing to reclaim, the register's
 * statistics alone (a VACUUM added 0.5-1.5 s to an import of 200,000 persons for nothing).
 */
export async function analyzeRegister(db: Kysely<DB>): Promise<void> {
  await sql`analyze household, person, card, vsi_period`.execute(db);
}

export async function deleteStagedRows(trx: Kysely<DB>, stage: string, rowNos: number[]): Promise<void> {
  await sql`delete from ${sql.table(stage)} where row_no in (${sql.join(rowNos)})`.execute(trx);
}

// ---------------------------------------------------------------------------------------------------
// Staged path: matching
// ---------------------------------------------------------------------------------------------------

export interface Conflict {
  rowNo: number;
  column: string;
  value: string;
  code: 'ambiguous_match' | 'duplicate_in_file';
}

/**
 * Rows that cannot be applied safely: several persons match (never merge silently), or two rows of the
 * file are the same person. Fills household_id and person_id of the rows as a side effect, and first_row
 * of a row that is a further card of the person of the row before it: a row with a card, of the same
 * person (by the keys below), household, name and birth date, on the next staged row (a person with several cards is written
 * on consecutive rows, one card each; docs/import-format.md). Such a row is not a duplicate.
 */
export async function findConflicts(trx: Kysely<DB>, stage: string): Promise<Conflict[]> {
  const s = sql.table(stage);
  // the household of each row when it exists, and the candidates, in order of the keys: citizen id, then
  // insurance code, then name + birth date + household, each key looked up only when the ones before it
  // found nobody (one pass that writes each staging row once)
  await sql`
    update ${s} st set household_id = m.household_id, candidates = m.n, person_id = m.pid, person_household_id = m.hid
    from (
      select st2.row_no, h.id as household_id, coalesce(c.n, i.n, k.n, 0) as n, coalesce(c.pid, i.pid, k.pid) as pid, coalesce(c.hid, i.hid, k.hid) as hid
      from ${s} st2
      left join household h on h.commune_code = st2.commune_code and h.code = st2.household_code
      left join lateral (
        select count(*)::int as n, min(p.id::text)::uuid as pid, min(p.household_id::text)::uuid as hid
        from person p where st2.citizen_id is not null and p.citizen_id = st2.citizen_id
        having count(*) > 0
      ) c on true
      left join lateral (
        select count(*)::int as n, min(p.id::text)::uuid as pid, min(p.household_id::text)::uuid as hid
        from person p
        where c.n is null and st2.insurance_code is not null and p.insurance_code = st2.insurance_code
          and (p.citizen_id is null or st2.citizen_id is null or p.citizen_id = st2.citizen_id)
        having count(*) > 0
      ) i on true
      left join lateral (
        select count(*)::int as n, min(p.id::text)::uuid as pid, min(p.household_id::text)::uuid as hid
        from person p
        where c.n is null and i.n is null and h.id is not null and p.household_id = h.id and p.name_key = st2.name_key and p.birth_date = st2.birth_date
          and (p.citizen_id is null or st2.citizen_id is null or p.citizen_id = st2.citizen_id)
        having count(*) > 0
      ) k on true
    ) m
    where m.row_no = st.row_no`.execute(trx);
  // a further card of the person of the previous row: consecutive among the staged rows (rejected rows
  // are not staged, as the fast path skips them), the same key, name and birth date
  const key = sql`coalesce(person_id::text, 'c:' || citizen_id, 'i:' || insurance_code, 'n:' || commune_code || '/' || household_code || '/' || name_key || '/' || birth_date::text)`;
  await sql`
    with flagged as (
      select row_no, (card_group is not null and coalesce(candidates, 0) <= 1 and lag(coalesce(candidates, 0)) over w <= 1 and lag(${key}) over w = ${key}
        and lag(name_key) over w = name_key and lag(birth_date) over w = birth_date
        and lag(commune_code) over w = commune_code and lag(household_code) over w = household_code) is true as repeats
      from ${s} window w as (order by row_no)
    ), runs as (
      select row_no, repeats, sum(case when repeats then 0 else 1 end) over (order by row_no) as run from flagged
    ), firsts as (
      select run, min(row_no) as first_row from runs group by run
    )
    update ${s} st set first_row = f.first_row
    from runs r join firsts f on f.run = r.run
    where st.row_no = r.row_no and r.repeats`.execute(trx);
  const ambiguous = await sql<{ rowNo: number; fullName: string }>`
    select row_no as "rowNo", full_name as "fullName" from ${s} where candidates > 1`.execute(trx);
  // two rows of the file that are one person: same matched person, or same citizen id / insurance code,
  // or same name + birth date in the same household
  const duplicates = await sql<{ rowNo: number; value: string; column: string }>`
    select row_no as "rowNo", value, col as "column" from (
      select row_no, coalesce(citizen_id, insurance_code, full_name) as value,
        case when citizen_id is not null then 'citizen_id' when insurance_code is not null then 'insurance_code' else 'full_name' end as col,
        row_number() over (partition by coalesce(person_id::text, 'c:' || citizen_id, 'i:' || insurance_code, 'n:' || commune_code || '/' || household_code || '/' || name_key || '/' || birth_date::text) order by row_no) as nth
      from ${s} where coalesce(candidates, 0) <= 1 and first_row is null
    ) d where nth > 1`.execute(trx);
  return [
    ...ambiguous.rows.map((r) => ({ rowNo: r.rowNo, column: 'full_name', value: r.fullName, code: 'ambiguous_match' as const })),
    ...duplicates.rows.map((r) => ({ rowNo: r.rowNo, column: r.column, value: r.value, code: 'duplicate_in_file' as const })),
  ];
}

// ---------------------------------------------------------------------------------------------------
// Staged path: writing the staged rows into the register (applyStage in import.service.ts runs these in order)
// ---------------------------------------------------------------------------------------------------

/** Villages that do not exist yet (matched by name without diacritics within the commune). */
export async function createVillages(trx: Kysely<DB>, stage: string): Promise<void> {
  await sql`
    insert into unit (code, name, search_name, level, kind, parent_code, local_code)
    select distinct on (st.commune_code, st.village_key)
      st.commune_code || '.' || st.village_local, st.village_name, st.village_key, 'village', 'village', st.commune_code, st.village_local
    from ${sql.table(stage)} st
    where st.village_key is not null
      and not exists (select 1 from unit u where u.parent_code = st.commune_code and u.search_name = st.village_key)
      and not exists (select 1 from unit u where u.code = st.commune_code || '.' || st.village_local)
    order by st.commune_code, st.village_key, st.row_no`.execute(trx);
}

/**
 * The id of a staged row's person: the matched one, or for a row that matches nobody (a new person) one
 * derived from the (random) staging table name and the row number, so no pass over the staging table is
 * needed to assign it (a version-4 shaped UUID from 32 hex digits: `defineNewPersonIds` first). A further
 * card's row (first_row) takes the id of its person's first row.
 */
const personId = (stage: string) => sql`coalesce(st.person_id, pg_temp.uuid_v4_from_md5(md5(${stage} || ':' || coalesce(st.first_row, st.row_no)::text)))`;

export async function defineNewPersonIds(trx: Kysely<DB>): Promise<void> {
  await sql`create or replace function pg_temp.uuid_v4_from_md5(h text) returns uuid language sql immutable as
    $$ select (substr(h, 1, 12) || '4' || substr(h, 14, 3) || '8' || substr(h, 18, 15))::uuid $$`.execute(trx);
}

/**
 * What happens to each row: insert a new person, update a changed one, or nothing. Only changed rows are
 * written: a row with no person is new, a matched row left without action is unchanged; a re-import of an
 * unchanged file rewrites no staging row. A row whose household is new has no household_id yet: its
 * matched person moves, an update.
 */
export async function markUpdates(trx: Kysely<DB>, stage: string): Promise<void> {
  // a further card's row of a person in the register: 'card' when the person does not hold that card yet,
  // or holds it without the number, source, facility or collector the row gives
  await sql`
    update ${sql.table(stage)} st set action = 'card'
    where st.first_row is not null and st.person_id is not null and st.card_group is not null and not exists (
      select 1 from card c where c.household_id = st.person_household_id and c.person_id = st.person_id
        and c.group_code = st.card_group and c.valid_from = st.card_from and c.valid_to = st.card_to and ${sameCardFacts})`.execute(trx);
  await sql`
    update ${sql.table(stage)} st set action = 'update'
    from person p where st.first_row is null and p.household_id = st.person_household_id and p.id = st.person_id and not (
      (p.household_id, p.full_name, p.relationship, p.birth_date, p.sex, p.citizen_id, p.insurance_code, p.ethnicity, p.phone, p.group_codes, p.school, p.grade)
      is not distinct from
      (st.household_id, st.full_name, coalesce(st.relationship, p.relationship), st.birth_date, st.sex, coalesce(st.citizen_id, p.citizen_id),
       coalesce(st.insurance_code, p.insurance_code), coalesce(st.ethnicity, p.ethnicity), coalesce(st.phone, p.phone), st.group_codes,
       coalesce(st.school, p.school), coalesce(st.grade, p.grade))
      and (st.card_group is null or exists (
        select 1 from card c where c.household_id = p.household_id and c.person_id = p.id
          and c.group_code = st.card_group and c.valid_from = st.card_from and c.valid_to = st.card_to and ${sameCardFacts})))`.execute(trx);
}

/** The card `c` already says what the staged row `st` says of it (an empty cell says nothing). */
const sameCardFacts = sql`(c.number, c.source, c.facility_code, c.collector_code)
  is not distinct from (coalesce(st.card_number, c.number), coalesce(st.card_source, c.source), coalesce(st.facility_code, c.facility_code), coalesce(st.collector_code, c.collector_code))`;

/**
 * A card the person holds (same group and dates) that the row gives a number, source, facility or
 * collector for that it lacks or has otherwise: the row's wins (an empty cell erases nothing).
 */
export async function updateCards(trx: Kysely<DB>, stage: string): Promise<void> {
  await sql`
    update card c set number = coalesce(st.card_number, c.number), source = coalesce(st.card_source, c.source),
      facility_code = coalesce(st.facility_code, c.facility_code), collector_code = coalesce(st.collector_code, c.collector_code)
    from ${sql.table(stage)} st
    where st.action in ('update', 'card') and st.card_group is not null and c.household_id = st.household_id and c.person_id = st.person_id
      and c.group_code = st.card_group and c.valid_from = st.card_from and c.valid_to = st.card_to and not ${sameCardFacts}`.execute(trx);
}

/**
 * The households as the file gives them (the first row of a household wins), with the existing one's id
 * and whether the file moves it to another village: _import_household_rows, dropped at COMMIT.
 */
export async function stageHouseholds(trx: Kysely<DB>, stage: string): Promise<void> {
  await sql`
    create temporary table _import_household_rows on commit drop as
    select f.commune_code, f.household_code, f.household_id as id, u.code as village_code, f.address, f.poverty_status, f.poverty_year,
      (u.code is not null and u.code is distinct from h.village_code) as moves
    from (select distinct on (commune_code, household_code) * from ${sql.table(stage)} order by commune_code, household_code, row_no) f
    left join household h on h.id = f.household_id
    left join unit u on f.village_key is not null and u.parent_code = f.commune_code and u.search_name = f.village_key`.execute(trx);
}

/**
 * The existing households whose counts the file changes (a subquery for coverageChange): moved to another
 * village, or with new, changed or moved persons.
 */
export const touchedHouseholds = (stage: string): RawBuilder<unknown> => sql`select id from _import_household_rows where id is not null and moves
      union select household_id from ${sql.table(stage)} where household_id is not null and (person_id is null or action in ('update', 'card'))
      union select person_household_id from ${sql.table(stage)} where action = 'update'`;

/** The households the file created (a subquery for coverageChange's apply). */
export const createdHouseholds = (): RawBuilder<unknown> =>
  sql`select h.id from _import_household_rows r join household h on h.commune_code = r.commune_code and h.code = r.household_code where r.id is null`;

/** Households: new ones inserted, changed ones updated; every staged row then knows its household. */
export async function writeHouseholds(trx: Kysely<DB>, stage: string): Promise<void> {
  await sql`
    insert into household (id, commune_code, code, village_code, address, poverty_status, poverty_year)
    select gen_random_uuid(), commune_code, household_code, village_code, address, poverty_status, poverty_year from _import_household_rows
    on conflict (commune_code, code) do update set
      village_code = coalesce(excluded.village_code, household.village_code),
      address = coalesce(excluded.address, household.address),
      poverty_status = excluded.poverty_status,
      poverty_year = excluded.poverty_year,
      updated_at = now()
    where (household.village_code, household.address, household.poverty_status, household.poverty_year)
      is distinct from (coalesce(excluded.village_code, household.village_code), coalesce(excluded.address, household.address), excluded.poverty_status, excluded.poverty_year)`.execute(trx);
  await sql`update ${sql.table(stage)} st set household_id = h.id from household h where st.household_id is null and h.commune_code = st.commune_code and h.code = st.household_code`.execute(trx);
}

/** A person who moved to another household takes their groups and cards along (keys include household_id). */
export async function movePersons(trx: Kysely<DB>, stage: string): Promise<void> {
  await sql`
    update person p set household_id = st.household_id, commune_code = st.commune_code
    from ${sql.table(stage)} st where st.action = 'update' and p.id = st.person_id and p.household_id = st.person_household_id and st.person_household_id <> st.household_id`.execute(trx);
}

/**
 * Groups (person.group_codes before the update against the file's): one that ended closes its open row,
 * or gets a closed one when held since registration (no row); one that began opens a row.
 */
export async function updateGroups(trx: Kysely<DB>, stage: string, today: string): Promise<void> {
  const s = sql.table(stage);
  await sql`
    insert into person_group (household_id, person_id, group_code, valid_from, valid_to)
    select p.household_id, p.id, code, null, ${today}::date
    from ${s} st join person p on p.household_id = st.household_id and p.id = st.person_id
    cross join lateral unnest(p.group_codes) as code
    where st.action = 'update' and not (code = any(st.group_codes)) and not exists (
      select 1 from person_group g where g.household_id = p.household_id and g.person_id = p.id and g.group_code = code and g.valid_to is null)`.execute(trx);
  await sql`
    update person_group g set valid_to = ${today}::date
    from ${s} st where st.action = 'update' and g.household_id = st.household_id and g.person_id = st.person_id
      and g.valid_to is null and not (g.group_code = any(st.group_codes))`.execute(trx);
  await sql`
    insert into person_group (household_id, person_id, group_code, valid_from, valid_to)
    select p.household_id, p.id, code, ${today}::date, null
    from ${s} st join person p on p.household_id = st.household_id and p.id = st.person_id
    cross join lateral unnest(st.group_codes) as code
    where st.action = 'update' and not (code = any(p.group_codes))`.execute(trx);
}

export async function updatePersons(trx: Kysely<DB>, stage: string): Promise<void> {
  await sql`
    update person p set
      full_name = st.full_name, name_key = st.name_key, relationship = coalesce(st.relationship, p.relationship),
      birth_date = st.birth_date, sex = st.sex, citizen_id = coalesce(st.citizen_id, p.citizen_id),
      insurance_code = coalesce(st.insurance_code, p.insurance_code), ethnicity = coalesce(st.ethnicity, p.ethnicity),
      phone = coalesce(st.phone, p.phone), group_codes = st.group_codes, school = coalesce(st.school, p.school),
      grade = coalesce(st.grade, p.grade), updated_at = now()
    from ${sql.table(stage)} st where st.action = 'update' and p.household_id = st.household_id and p.id = st.person_id`.execute(trx);
}

/** The rows that match nobody, as new persons (their groups are held since registration: no person_group row, see listGroupHistory). */
export async function insertPersons(trx: Kysely<DB>, stage: string): Promise<void> {
  await sql`
    insert into person (household_id, id, commune_code, relationship, full_name, name_key, birth_date, sex, citizen_id, insurance_code, ethnicity, phone, group_codes, school, grade)
    select st.household_id, ${personId(stage)}, st.commune_code, st.relationship, st.full_name, st.name_key, st.birth_date, st.sex, st.citizen_id,
      st.insurance_code, st.ethnicity, st.phone, st.group_codes, st.school, st.grade
    from ${sql.table(stage)} st where st.person_id is null and st.first_row is null`.execute(trx);
}

/**
 * The cards of new and changed rows that the person does not hold yet: first the card of each person's
 * first row, then the further cards (a card given twice for one person is added once).
 */
export async function insertCards(trx: Kysely<DB>, stage: string): Promise<void> {
  const pid = personId(stage);
  const columns = sql`household_id, id, person_id, group_code, valid_from, valid_to, source, number, facility_code, collector_code`;
  const values = sql`st.household_id, gen_random_uuid(), ${pid}, st.card_group, st.card_from, st.card_to, coalesce(st.card_source, 'import'), st.card_number, st.facility_code, st.collector_code`;
  await sql`
    insert into card (${columns})
    select ${values}
    from ${sql.table(stage)} st
    where st.first_row is null and st.card_group is not null and (st.person_id is null or st.action = 'update')
      and not exists (select 1 from card c where c.household_id = st.household_id and c.person_id = st.person_id
        and c.group_code = st.card_group and c.valid_from = st.card_from and c.valid_to = st.card_to)`.execute(trx);
  await sql`
    insert into card (${columns})
    select distinct on (st.household_id, st.pid, st.card_group, st.card_from, st.card_to)
      st.household_id, gen_random_uuid(), st.pid, st.card_group, st.card_from, st.card_to, coalesce(st.card_source, 'import'), st.card_number, st.facility_code, st.collector_code
    from (
      select st.*, ${pid} as pid from ${sql.table(stage)} st
      where st.first_row is not null and st.card_group is not null and (st.person_id is null or st.action = 'card')
    ) st
    where not exists (select 1 from card c where c.household_id = st.household_id and c.person_id = st.pid
      and c.group_code = st.card_group and c.valid_from = st.card_from and c.valid_to = st.card_to)
    order by st.household_id, st.pid, st.card_group, st.card_from, st.card_to, st.row_no`.execute(trx);
}

/** How many rows were inserted, updated, or left unchanged. */
export async function countActions(trx: Kysely<DB>, stage: string): Promise<{ inserted: number; updated: number; unchanged: number }> {
  const counts = await sql<{ action: string; n: number }>`
    select case when person_id is null then 'insert' when action = 'card' then 'update' else coalesce(action, 'unchanged') end as action, count(*)::int as n
    from ${sql.table(stage)} group by 1`.execute(trx);
  const by = Object.fromEntries(counts.rows.map((r) => [r.action, Number(r.n)]));
  return { inserted: by.insert ?? 0, updated: by.update ?? 0, unchanged: by.unchanged ?? 0 };
}

// ---------------------------------------------------------------------------------------------------
// Fast path (import-fresh.ts)
// ---------------------------------------------------------------------------------------------------

/** The tables a fresh load fills (emptied first: FreshLoader.open). */
export const FRESH_TABLES = ['household', 'person', 'card', 'coverage_count', 'coverage_renewal', 'card_end_count', 'coverage_day', 'household_coverage', 'latest_card'];

/** The tables an import writes: those, the voluntary social insurance periods and the population counts. */
export const REGISTER_TABLES = [...FRESH_TABLES, 'vsi_period', 'population_count'];

export async function registerIsEmpty(db: Kysely<DB>): Promise<boolean> {
  const r = await sql<{ taken: boolean }>`select exists (select 1 from household) or exists (select 1 from person) as taken`.execute(db);
  return !r.rows[0].taken;
}

/** Keeps household and person as they are (empty) until COMMIT: others may read, nobody may write. */
export async function lockRegister(trx: Kysely<DB>): Promise<void> {
  await sql`lock table household, person in share row exclusive mode`.execute(trx);
}

/**
 * True when the kept aggregates hold nothing but rows that fell to zero, as they must when the register
 * is empty: the fast path writes them by COPY, without adding to what is there.
 */
export async function aggregatesAreEmpty(trx: Kysely<DB>): Promise<boolean> {
  const r = await sql<{ taken: boolean }>`
    select exists (select 1 from coverage_count) or exists (select 1 from population_count)
      or exists (select 1 from coverage_month where persons <> 0 or expiring30 <> 0)
      or exists (select 1 from coverage_end_day where persons <> 0) as taken`.execute(trx);
  return !r.rows[0].taken;
}

/**
 * Empties FRESH_TABLES: TRUNCATE, so that COPY may write their rows frozen (see FreshLoader.open). CASCADE
 * empties the tables whose foreign keys point at household or person (person_group, vsi_period, incentives,
 * event attendees, and whatever comes next): with no household and no person (registerIsEmpty), they hold
 * no row anyway.
 */
export async function emptyFreshTables(trx: Kysely<DB>): Promise<void> {
  await sql`truncate ${sql.join(FRESH_TABLES.map((t) => sql.table(t)))} cascade`.execute(trx);
}

/** now() of the transaction in microseconds since 1970 (as text: beyond 2^53). */
export async function transactionMicroseconds(trx: Kysely<DB>): Promise<bigint> {
  const now = await sql<{ us: string }>`select (extract(epoch from now()) * 1000000)::int8::text as us`.execute(trx);
  return BigInt(now.rows[0].us);
}

/** The statement triggers of migration 0008 that spread coverage_count's inserts and updates over the snapshots. */
const SNAPSHOT_TRIGGERS = ['coverage_count_months_insert', 'coverage_count_months_update'];
export async function snapshotTriggers(trx: Kysely<DB>, action: 'enable' | 'disable'): Promise<void> {
  for (const name of SNAPSHOT_TRIGGERS) await sql`alter table coverage_count ${sql.raw(action)} trigger ${sql.raw(name)}`.execute(trx);
}

/** Empties the month-end snapshots (the register being empty, they may keep only rows that fell to zero). */
export async function emptySnapshots(trx: Kysely<DB>): Promise<void> {
  await sql`delete from coverage_month`.execute(trx);
  await sql`delete from coverage_end_day`.execute(trx);
}

/** A temporary table like coverage_count (dropped at COMMIT) for span counts to add to the ones written. */
export const ADDED_SPANS = '_fresh_spans';
export async function createAddedSpans(trx: Kysely<DB>): Promise<void> {
  await sql`create temporary table ${sql.table(ADDED_SPANS)} (like coverage_count) on commit drop`.execute(trx);
}

/** Adds the span counts of ADDED_SPANS to coverage_count. */
export async function addAddedSpans(trx: Kysely<DB>): Promise<void> {
  await sql`
    insert into coverage_count select * from ${sql.table(ADDED_SPANS)}
    on conflict (commune_code, village_code, group_code, span_from, span_to) do update set persons = coverage_count.persons + excluded.persons`.execute(trx);
}

/**
 * Drops the secondary indexes (but those named in `keep`) and the foreign keys of `tables` (read from the
 * catalogue, so indexes that later migrations add are included) and returns the function that builds
 * them again. Both run in the caller's transaction: a rollback or a kill restores them with the rest.
 * Building an index once over sorted rows, and checking a foreign key with one join, is much cheaper than
 * maintaining them row by row.
 * Indexes that back a constraint (primary keys, unique constraints) stay.
 */
export async function deferIndexes(trx: Kysely<DB>, tables: string[], keep: string[] = []): Promise<() => Promise<void>> {
  const indexes = await sql<{ drop: string; create: string }>`
    select format('drop index %I.%I', n.nspname, ic.relname) as drop, pg_get_indexdef(i.indexrelid) as create
    from pg_index i
    join pg_class ic on ic.oid = i.indexrelid
    join pg_class c on c.oid = i.indrelid
    join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = current_schema() and c.relname = any(${tables}::text[])
      and not exists (select 1 from pg_constraint k where k.conindid = i.indexrelid)
      and ic.relname <> all(${keep}::text[])
    order by ic.relname`.execute(trx);
  const foreignKeys = await sql<{ drop: string; create: string }>`
    select format('alter table %I.%I drop constraint %I', n.nspname, c.relname, k.conname) as drop,
      format('alter table %I.%I add constraint %I %s', n.nspname, c.relname, k.conname, pg_get_constraintdef(k.oid)) as create
    from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_namespace n on n.oid = c.relnamespace
    where k.contype = 'f' and n.nspname = current_schema() and c.relname = any(${tables}::text[])
    order by c.relname, k.conname`.execute(trx);
  for (const { drop } of [...foreignKeys.rows, ...indexes.rows]) await sql.raw(drop).execute(trx);
  const run = async (create: string) => {
    const t0 = performance.now();
    await sql.raw(create).execute(trx);
    if (process.env.COVERDESK_DEBUG_IMPORT === '1') process.stderr.write(`[import]   ${Math.round(performance.now() - t0)} ms ${create.slice(0, 90)}\n`);
  };
  return async () => {
    for (const { create } of indexes.rows) await run(create);
    // Each foreign key is checked by one anti-join of the two tables. Both sides have an index in the
    // key's order (the referenced primary key; on the referencing side an index that leads with the
    // key's columns), and the tables were loaded in that order: walking the two indexes side by side
    // beats sorting or hashing both tables, or probing one index per row (a nested loop: 1.2 s instead of
    // 0.4 s on PGlite at 1,000,000 cards), but the planner, with no statistics yet, does not know it.
    const plans = async (on: 'on' | 'off') => {
      for (const setting of ['enable_sort', 'enable_hashjoin', 'enable_nestloop']) await sql.raw(`set local ${setting} = ${on}`).execute(trx);
    };
    await plans('off');
    for (const { create } of foreignKeys.rows) await run(create);
    await plans('on');
  };
}

// ---------------------------------------------------------------------------------------------------
// Both paths: the lists a row's card codes are checked against
// ---------------------------------------------------------------------------------------------------

/** Every health-care facility code (a few hundred per province: read once per import). */
export async function facilityCodes(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db.selectFrom('healthFacility').select('code').execute();
  return new Set(rows.map((r) => r.code));
}

/** Every collector code (read once per import). */
export async function collectorCodes(db: Kysely<DB>): Promise<Set<string>> {
  const rows = await db.selectFrom('collector').select('code').execute();
  return new Set(rows.map((r) => r.code));
}

// ---------------------------------------------------------------------------------------------------
// Voluntary social insurance periods (the workbook's second sheet, docs/import-format.md)
// ---------------------------------------------------------------------------------------------------

/** Persons with one of these citizen ids or insurance codes (by the indexes on each). */
export async function personsByKeys(trx: Kysely<DB>, citizenIds: string[], insuranceCodes: string[]) {
  const found: { id: string; householdId: string; communeCode: string; citizenId: string | null; insuranceCode: string | null }[] = [];
  const pick = ['id', 'householdId', 'communeCode', 'citizenId', 'insuranceCode'] as const;
  for (let i = 0; i < citizenIds.length; i += 1000)
    found.push(...(await trx.selectFrom('person').select(pick).where('citizenId', 'in', citizenIds.slice(i, i + 1000)).execute()));
  for (let i = 0; i < insuranceCodes.length; i += 1000)
    found.push(...(await trx.selectFrom('person').select(pick).where('insuranceCode', 'in', insuranceCodes.slice(i, i + 1000)).execute()));
  return found;
}

/** The periods these persons already have. */
export async function vsiPeriodsOf(trx: Kysely<DB>, persons: { id: string; householdId: string }[]) {
  const rows: { personId: string; validFrom: string; validTo: string; monthlyIncome: number; paymentMonths: number }[] = [];
  for (let i = 0; i < persons.length; i += 1000) {
    const part = persons.slice(i, i + 1000);
    rows.push(
      ...(await trx
        .selectFrom('vsiPeriod')
        .select(['personId', 'validFrom', 'validTo', 'monthlyIncome', 'paymentMonths'])
        .where(
          'householdId',
          'in',
          part.map((p) => p.householdId),
        )
        .where(
          'personId',
          'in',
          part.map((p) => p.id),
        )
        .execute()),
    );
  }
  return rows;
}

export async function insertVsiPeriods(
  trx: Kysely<DB>,
  periods: { householdId: string; id: string; personId: string; validFrom: string; validTo: string; monthlyIncome: number; paymentMonths: number; source: string }[],
): Promise<void> {
  for (let i = 0; i < periods.length; i += 1000) await trx.insertInto('vsiPeriod').values(periods.slice(i, i + 1000)).execute();
}
