/**
 * SQL for browsing, editing and exporting the population register (households, persons, groups, cards).
 * Scope and unit filters are applied here as SQL so that lists never fetch rows the user may not see.
 */
import { sql, type Expression, type Kysely, type SqlBool } from 'kysely';
import type { CardSource, DB, PovertyStatus } from '../../db/schema';
import { communeUnder } from '../../db/scope';

/**
 * Which communes a query may touch. `scope` is the actor's scope unit (a province or a commune; null = the
 * whole country); `area` is the unit filter the user chose (a province or a commune), `village` a village.
 */
export interface RegisterFilter {
  scope: string | null;
  area?: string;
  village?: string;
}

/** The WHERE conditions of a filter over a household alias `h` (and its commune column). */
function filterConditions(filter: RegisterFilter, communeColumn: string, villageColumn: string): Expression<SqlBool>[] {
  const conditions: Expression<SqlBool>[] = [];
  if (filter.scope !== null) conditions.push(communeUnder(communeColumn, filter.scope));
  if (filter.area !== undefined) conditions.push(communeUnder(communeColumn, filter.area));
  if (filter.village !== undefined) conditions.push(sql<SqlBool>`${sql.ref(villageColumn)} = ${filter.village}`);
  return conditions;
}

const escapeLike = (w: string) => w.replace(/[\\%_]/g, (c) => `\\${c}`);

// ---------------------------------------------------------------------------------------------------
// Persons: search
// ---------------------------------------------------------------------------------------------------

export interface PersonSearch {
  /** Folded words that must all occur in the name key. */
  words?: string[];
  /** Digits: a citizen id or insurance code (exact when complete, prefix otherwise). */
  digits?: string;
}

function personSearchBase(db: Kysely<DB>, filter: RegisterFilter, search: PersonSearch) {
  let q = db.selectFrom('person as p').innerJoin('household as h', 'h.id', 'p.householdId');
  for (const c of filterConditions(filter, 'p.communeCode', 'h.villageCode')) q = q.where(c);
  for (const w of search.words ?? []) q = q.where('p.nameKey', 'like', `%${escapeLike(w)}%`);
  const digits = search.digits;
  if (digits !== undefined) {
    q = q.where((eb) =>
      digits.length === 12
        ? eb('p.citizenId', '=', digits)
        : digits.length === 10
          ? eb('p.insuranceCode', '=', digits)
          : eb.or([eb('p.citizenId', 'like', `${digits}%`), eb('p.insuranceCode', 'like', `${digits}%`)]),
    );
  }
  return q;
}

export async function searchPersons(db: Kysely<DB>, filter: RegisterFilter, search: PersonSearch, today: string, limit: number, offset: number) {
  const items = await personSearchBase(db, filter, search)
    .innerJoin('unit as c', 'c.code', 'p.communeCode')
    .leftJoin('unit as v', 'v.code', 'h.villageCode')
    .select((eb) => [
      'p.id',
      'p.householdId',
      'h.code as householdCode',
      'p.communeCode',
      'c.name as communeName',
      'v.name as villageName',
      'p.fullName',
      'p.birthDate',
      'p.sex',
      'p.citizenId',
      'p.insuranceCode',
      'p.groupCodes',
      eb
        .exists(
          eb
            .selectFrom('card as k')
            .select(sql`1`.as('one'))
            .whereRef('k.householdId', '=', 'p.householdId')
            .whereRef('k.personId', '=', 'p.id')
            .where('k.validFrom', '<=', today)
            .where('k.validTo', '>=', today),
        )
        .as('coveredToday'),
      eb
        .selectFrom('card as k')
        .select((k) => k.fn.max('k.validTo').as('m'))
        .whereRef('k.householdId', '=', 'p.householdId')
        .whereRef('k.personId', '=', 'p.id')
        .as('cardTo'),
    ])
    .orderBy(sql`p.name_key collate "C"`)
    .orderBy(sql`p.full_name collate "C"`)
    .orderBy('p.id')
    .limit(limit)
    .offset(offset)
    .execute();
  const { n } = await personSearchBase(db, filter, search)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return { items: items.map((i) => ({ ...i, coveredToday: Boolean(i.coveredToday), cardTo: i.cardTo ?? null })), total: Number(n) };
}

// ---------------------------------------------------------------------------------------------------
// Households
// ---------------------------------------------------------------------------------------------------

const householdColumns = [
  'h.id',
  'h.code',
  'h.communeCode',
  'c.name as communeName',
  'c.parentCode as provinceCode',
  'h.villageCode',
  'v.name as villageName',
  'h.address',
  'h.povertyStatus',
  'h.povertyYear',
] as const;

export type HouseholdView = Awaited<ReturnType<typeof findHousehold>> & object;

export function findHousehold(db: Kysely<DB>, id: string) {
  return db
    .selectFrom('household as h')
    .innerJoin('unit as c', 'c.code', 'h.communeCode')
    .leftJoin('unit as v', 'v.code', 'h.villageCode')
    .select(householdColumns)
    .where('h.id', '=', id)
    .executeTakeFirst();
}

export function findHouseholdIdByCode(db: Kysely<DB>, communeCode: string, code: string) {
  return db.selectFrom('household').select('id').where('communeCode', '=', communeCode).where('code', '=', code).executeTakeFirst();
}

function householdListBase(db: Kysely<DB>, filter: RegisterFilter, q: { code?: string; words?: string[] }) {
  let query = db.selectFrom('household as h');
  for (const c of filterConditions(filter, 'h.communeCode', 'h.villageCode')) query = query.where(c);
  const words = q.words ?? [];
  if (q.code !== undefined || words.length > 0) {
    query = query.where((eb) => {
      const alternatives = [];
      if (q.code !== undefined) alternatives.push(eb(sql`lower(h.code)`, 'like', `%${escapeLike(q.code.toLowerCase())}%`));
      if (words.length > 0) {
        let members = eb.selectFrom('person as m').select(sql`1`.as('one')).whereRef('m.householdId', '=', 'h.id');
        for (const w of words) members = members.where('m.nameKey', 'like', `%${escapeLike(w)}%`);
        alternatives.push(eb.exists(members));
      }
      return eb.or(alternatives);
    });
  }
  return query;
}

const memberCount = (eb: any) =>
  eb
    .selectFrom('person as m')
    .select((m: any) => m.fn.countAll().as('n'))
    .whereRef('m.householdId', '=', 'h.id');

const headName = (eb: any) =>
  eb
    .selectFrom('person as m')
    .select('m.fullName')
    .whereRef('m.householdId', '=', 'h.id')
    .orderBy(sql`case when m.relationship = 'head' then 0 else 1 end`)
    .orderBy('m.birthDate')
    .orderBy('m.id')
    .limit(1);

export async function listHouseholds(db: Kysely<DB>, filter: RegisterFilter, q: { code?: string; words?: string[] }, limit: number, offset: number) {
  const items = await householdListBase(db, filter, q)
    .innerJoin('unit as c', 'c.code', 'h.communeCode')
    .leftJoin('unit as v', 'v.code', 'h.villageCode')
    .select(householdColumns)
    .select((eb) => [memberCount(eb).as('memberCount'), headName(eb).as('headName')])
    .orderBy('h.communeCode')
    .orderBy(sql`h.code collate "C"`)
    .limit(limit)
    .offset(offset)
    .execute();
  const { n } = await householdListBase(db, filter, q)
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return {
    items: items.map(({ provinceCode: _p, ...h }) => ({ ...h, memberCount: Number(h.memberCount ?? 0), headName: (h.headName as string | null) ?? null })),
    total: Number(n),
  };
}

export interface HouseholdValues {
  id: string;
  communeCode: string;
  code: string;
  villageCode: string | null;
  address: string | null;
  povertyStatus: PovertyStatus;
  povertyYear: number | null;
}

export async function insertHousehold(db: Kysely<DB>, h: HouseholdValues): Promise<void> {
  await db.insertInto('household').values(h).execute();
}

export async function updateHousehold(db: Kysely<DB>, id: string, patch: Partial<Omit<HouseholdValues, 'id' | 'communeCode'>>) {
  await db
    .updateTable('household')
    .set({ ...patch, updatedAt: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteHousehold(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('household').where('id', '=', id).execute();
}

export async function countMembers(db: Kysely<DB>, householdId: string): Promise<number> {
  const r = await db
    .selectFrom('person')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('householdId', '=', householdId)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** A village of the given commune, by full code or by the code users type within the commune. */
export function findVillageOfCommune(db: Kysely<DB>, communeCode: string, code: string) {
  return db
    .selectFrom('unit')
    .select(['code', 'name'])
    .where('level', '=', 'village')
    .where('parentCode', '=', communeCode)
    .where((eb) => eb.or([eb('code', '=', code), eb('localCode', '=', code)]))
    .orderBy(sql`case when code = ${code} then 0 else 1 end`)
    .executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------------
// Persons, groups, cards
// ---------------------------------------------------------------------------------------------------

const personColumns = [
  'p.id',
  'p.householdId',
  'p.communeCode',
  'p.relationship',
  'p.fullName',
  'p.birthDate',
  'p.sex',
  'p.citizenId',
  'p.insuranceCode',
  'p.ethnicity',
  'p.phone',
  'p.groupCodes',
  'p.school',
  'p.grade',
] as const;

export type PersonRow = Awaited<ReturnType<typeof findPerson>> & object;

/** Household members: the head first, then by birth date. */
export function listMembers(db: Kysely<DB>, householdId: string) {
  return db
    .selectFrom('person as p')
    .select(personColumns)
    .where('p.householdId', '=', householdId)
    .orderBy(sql`case when p.relationship = 'head' then 0 else 1 end`)
    .orderBy('p.birthDate')
    .orderBy('p.id')
    .execute();
}

export function findPerson(db: Kysely<DB>, id: string) {
  return db.selectFrom('person as p').select(personColumns).where('p.id', '=', id).executeTakeFirst();
}

/** Other persons holding this citizen id / insurance code (uniqueness is kept by the services, not an index). */
export function findPersonIdsBy(db: Kysely<DB>, column: 'citizenId' | 'insuranceCode', value: string, exceptId?: string) {
  let q = db.selectFrom('person').select(['id', 'householdId']).where(column, '=', value);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return q.execute();
}

export interface PersonValues {
  householdId: string;
  id: string;
  communeCode: string;
  relationship: string | null;
  fullName: string;
  nameKey: string;
  birthDate: string;
  sex: 'male' | 'female';
  citizenId: string | null;
  insuranceCode: string | null;
  ethnicity: string | null;
  phone: string | null;
  groupCodes: string[];
  school: string | null;
  grade: number | null;
}

export async function insertPerson(db: Kysely<DB>, p: PersonValues): Promise<void> {
  await db.insertInto('person').values(p).execute();
}

/** Moves a person to another household; groups and cards follow (foreign keys cascade on update). */
export async function movePerson(db: Kysely<DB>, id: string, fromHouseholdId: string, to: { householdId: string; communeCode: string }) {
  await db
    .updateTable('person')
    .set({ householdId: to.householdId, communeCode: to.communeCode })
    .where('householdId', '=', fromHouseholdId)
    .where('id', '=', id)
    .execute();
}

export async function updatePerson(db: Kysely<DB>, householdId: string, id: string, patch: Partial<Omit<PersonValues, 'id' | 'householdId' | 'communeCode'>>) {
  await db
    .updateTable('person')
    .set({ ...patch, updatedAt: sql`now()` })
    .where('householdId', '=', householdId)
    .where('id', '=', id)
    .execute();
}

export async function deletePerson(db: Kysely<DB>, householdId: string, id: string): Promise<void> {
  await db.deleteFrom('person').where('householdId', '=', householdId).where('id', '=', id).execute();
}

/**
 * Each member's group history: the rows of person_group (groups that began or ended after the person was
 * registered), and a row with no dates for each group in force that has none (held since the person was
 * registered, start unknown: an import records no row for them; see decisions.md).
 */
export async function listGroupHistory(db: Kysely<DB>, householdId: string) {
  const r = await sql<{ personId: string; groupCode: string; validFrom: string | null; validTo: string | null }>`
    select * from (
      select person_id, group_code, valid_from, valid_to from person_group where household_id = ${householdId}
      union all
      select p.id, code, null, null from person p cross join lateral unnest(p.group_codes) as code
      where p.household_id = ${householdId} and not exists (
        select 1 from person_group g where g.household_id = p.household_id and g.person_id = p.id and g.group_code = code and g.valid_to is null)
    ) h
    order by valid_to is null desc, valid_to desc, valid_from desc nulls last, group_code`.execute(db);
  return r.rows;
}

export async function startGroups(db: Kysely<DB>, householdId: string, personId: string, codes: string[], from: string | null): Promise<void> {
  if (codes.length === 0) return;
  await db
    .insertInto('personGroup')
    .values(codes.map((groupCode) => ({ householdId, personId, groupCode, validFrom: from, validTo: null })))
    .execute();
}

export async function endGroups(db: Kysely<DB>, householdId: string, personId: string, codes: string[], to: string): Promise<void> {
  if (codes.length === 0) return;
  const ended = await db
    .updateTable('personGroup')
    .set({ validTo: to })
    .where('householdId', '=', householdId)
    .where('personId', '=', personId)
    .where('groupCode', 'in', codes)
    .where('validTo', 'is', null)
    .returning('groupCode')
    .execute();
  // a group held since the person was registered has no row yet: it gets one that ends now
  const held = codes.filter((c) => !ended.some((e) => e.groupCode === c));
  if (held.length) await db.insertInto('personGroup').values(held.map((groupCode) => ({ householdId, personId, groupCode, validFrom: null, validTo: to }))).execute();
}

const cardColumns = ['id', 'personId', 'householdId', 'groupCode', 'validFrom', 'validTo', 'number', 'source', 'facilityCode', 'collectorCode'] as const;

/** Cards of a household, newest first. */
export function listCards(db: Kysely<DB>, householdId: string) {
  return db
    .selectFrom('card')
    .select(cardColumns)
    .where('householdId', '=', householdId)
    .orderBy('validTo', 'desc')
    .orderBy('validFrom', 'desc')
    .orderBy('createdAt', 'desc')
    .execute();
}

export type CardRow = Awaited<ReturnType<typeof findCard>> & object;

export function findCard(db: Kysely<DB>, id: string) {
  return db.selectFrom('card').select(cardColumns).where('id', '=', id).executeTakeFirst();
}

export function findSameCard(db: Kysely<DB>, c: { householdId: string; personId: string; groupCode: string; validFrom: string; validTo: string }, exceptId?: string) {
  let q = db
    .selectFrom('card')
    .select('id')
    .where('householdId', '=', c.householdId)
    .where('personId', '=', c.personId)
    .where('groupCode', '=', c.groupCode)
    .where('validFrom', '=', c.validFrom)
    .where('validTo', '=', c.validTo);
  if (exceptId !== undefined) q = q.where('id', '!=', exceptId);
  return q.executeTakeFirst();
}

export interface CardValues {
  householdId: string;
  id: string;
  personId: string;
  groupCode: string;
  validFrom: string;
  validTo: string;
  number: string | null;
  source: CardSource;
  /** The donation programme that bought the card (source 'programme'). */
  programmeId?: string | null;
  /** The initial health-care facility and the collector (issue 18 item 2). */
  facilityCode?: string | null;
  collectorCode?: string | null;
}

export async function insertCard(db: Kysely<DB>, c: CardValues): Promise<void> {
  await db.insertInto('card').values(c).execute();
}

/** A temporary table of cards of persons known by citizen id (the demo's earlier cards), for COPY. */
export const CARDS_BY_CITIZEN_ID = { table: '_cards_by_citizen_id', columns: ['citizen_id', 'group_code', 'valid_from', 'valid_to'] };

export async function createCardsByCitizenId(db: Kysely<DB>): Promise<void> {
  await sql`drop table if exists ${sql.table(CARDS_BY_CITIZEN_ID.table)}`.execute(db);
  await sql`create temporary table ${sql.table(CARDS_BY_CITIZEN_ID.table)} (citizen_id text, group_code text, valid_from date, valid_to date)`.execute(db);
}

export async function dropCardsByCitizenId(db: Kysely<DB>): Promise<void> {
  await sql`drop table if exists ${sql.table(CARDS_BY_CITIZEN_ID.table)}`.execute(db);
}

/** Every household with a person (a subquery for coverageChange). */
export function householdsWithPersons() {
  return sql`select distinct p.household_id from person p`;
}

/** Inserts the cards of CARDS_BY_CITIZEN_ID for the persons with those citizen ids; an unknown citizen id is skipped. */
export async function insertCardsByCitizenId(db: Kysely<DB>, source: CardSource): Promise<number> {
  const r = await sql`
    insert into card (household_id, id, person_id, group_code, valid_from, valid_to, source)
    select p.household_id, gen_random_uuid(), p.id, c.group_code, c.valid_from, c.valid_to, ${source}
    from ${sql.table(CARDS_BY_CITIZEN_ID.table)} c
    join person p on p.citizen_id = c.citizen_id`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

export async function updateCard(
  db: Kysely<DB>,
  householdId: string,
  id: string,
  patch: Partial<Pick<CardValues, 'groupCode' | 'validFrom' | 'validTo' | 'number' | 'facilityCode' | 'collectorCode'>>,
) {
  await db.updateTable('card').set(patch).where('householdId', '=', householdId).where('id', '=', id).execute();
}

export async function deleteCard(db: Kysely<DB>, householdId: string, id: string): Promise<void> {
  await db.deleteFrom('card').where('householdId', '=', householdId).where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------------
// Voluntary social insurance periods (vsi_period, migration 0017)
// ---------------------------------------------------------------------------------------------------

const vsiColumns = ['id', 'personId', 'householdId', 'validFrom', 'validTo', 'monthlyIncome', 'paymentMonths', 'source'] as const;

/** Periods of a household, newest first. */
export function listVsiPeriods(db: Kysely<DB>, householdId: string) {
  return db
    .selectFrom('vsiPeriod')
    .select(vsiColumns)
    .where('householdId', '=', householdId)
    .orderBy('validTo', 'desc')
    .orderBy('validFrom', 'desc')
    .orderBy('createdAt', 'desc')
    .execute();
}

export type VsiPeriodRow = Awaited<ReturnType<typeof findVsiPeriod>> & object;

export function findVsiPeriod(db: Kysely<DB>, id: string) {
  return db.selectFrom('vsiPeriod').select(vsiColumns).where('id', '=', id).executeTakeFirst();
}

export interface VsiPeriodValues {
  householdId: string;
  id: string;
  personId: string;
  validFrom: string;
  validTo: string;
  monthlyIncome: number;
  paymentMonths: number;
  source: string;
}

/** A period of the person that overlaps [from, to] (one person pays one voluntary contribution at a time). */
export function findOverlappingVsiPeriod(db: Kysely<DB>, p: { householdId: string; personId: string; validFrom: string; validTo: string }) {
  return db
    .selectFrom('vsiPeriod')
    .select(vsiColumns)
    .where('householdId', '=', p.householdId)
    .where('personId', '=', p.personId)
    .where('validTo', '>=', p.validFrom)
    .where('validFrom', '<=', p.validTo)
    .orderBy('validFrom')
    .executeTakeFirst();
}

export async function insertVsiPeriod(db: Kysely<DB>, p: VsiPeriodValues): Promise<void> {
  await db.insertInto('vsiPeriod').values(p).execute();
}

export async function deleteVsiPeriod(db: Kysely<DB>, householdId: string, id: string): Promise<void> {
  await db.deleteFrom('vsiPeriod').where('householdId', '=', householdId).where('id', '=', id).execute();
}

// ---------------------------------------------------------------------------------------------------
// Possible duplicates
// ---------------------------------------------------------------------------------------------------

export interface DuplicateRow {
  reason: 'citizen_id' | 'insurance_code' | 'name_birth';
  key: string;
  id: string;
  householdId: string;
  householdCode: string;
  communeCode: string;
  communeName: string;
  fullName: string;
  birthDate: string;
  sex: 'male' | 'female';
  citizenId: string | null;
  insuranceCode: string | null;
}

/**
 * Persons of the filtered area that look like the same human: the same citizen id or insurance code in
 * two records; or the same name key and birth date in one commune, unless their citizen ids tell them
 * apart (two different ids) or already gave them away (all the same id: reported under citizen_id).
 * At most `maxGroups` groups per reason.
 */
export async function findDuplicates(db: Kysely<DB>, filter: RegisterFilter, maxGroups: number): Promise<DuplicateRow[]> {
  const conditions = filterConditions(filter, 'p.communeCode', 'h.villageCode');
  const where = conditions.length ? sql`where ${sql.join(conditions, sql` and `)}` : sql``;
  const r = await sql<DuplicateRow>`
    with s as (
      select p.id, p.household_id, h.code as household_code, p.commune_code, p.full_name, p.name_key, p.birth_date, p.sex,
        p.citizen_id, p.insurance_code
      from person p join household h on h.id = p.household_id
      ${where}
    ),
    by_citizen as (
      select citizen_id as key from s where citizen_id is not null
      group by citizen_id having count(*) > 1 order by citizen_id limit ${maxGroups}
    ),
    by_insurance as (
      select insurance_code as key from s where insurance_code is not null
      group by insurance_code having count(*) > 1 order by insurance_code limit ${maxGroups}
    ),
    by_name as (
      select commune_code, name_key, birth_date from s
      group by commune_code, name_key, birth_date
      having count(*) > 1 and count(distinct citizen_id) <= 1 and count(citizen_id) < count(*)
      order by commune_code, name_key, birth_date limit ${maxGroups}
    ),
    found as (
      select 'citizen_id' as reason, s.citizen_id as key, s.* from s join by_citizen b on b.key = s.citizen_id
      union all
      select 'insurance_code', s.insurance_code, s.* from s join by_insurance b on b.key = s.insurance_code
      union all
      select 'name_birth', s.commune_code || '|' || s.name_key || '|' || s.birth_date::text, s.*
      from s join by_name b on b.commune_code = s.commune_code and b.name_key = s.name_key and b.birth_date = s.birth_date
    )
    select f.reason, f.key, f.id, f.household_id as "householdId", f.household_code as "householdCode", f.commune_code as "communeCode",
      c.name as "communeName", f.full_name as "fullName", f.birth_date as "birthDate", f.sex, f.citizen_id as "citizenId",
      f.insurance_code as "insuranceCode"
    from found f join unit c on c.code = f.commune_code
    order by case f.reason when 'citizen_id' then 0 when 'insurance_code' then 1 else 2 end, f.key collate "C", f.household_code collate "C", f.id`.execute(db);
  return r.rows;
}

// ---------------------------------------------------------------------------------------------------
// Export: keyset pages of households (index household_commune_code_key), then their rows
// ---------------------------------------------------------------------------------------------------

export interface HouseholdKey {
  id: string;
  communeCode: string;
  code: string;
}

/** The next `limit` households after `after` in (commune code, household code) order. */
export function householdKeysAfter(db: Kysely<DB>, filter: RegisterFilter, after: HouseholdKey | undefined, limit: number): Promise<HouseholdKey[]> {
  let q = db.selectFrom('household as h').select(['h.id', 'h.communeCode', 'h.code']);
  for (const c of filterConditions(filter, 'h.communeCode', 'h.villageCode')) q = q.where(c);
  if (after) q = q.where(sql<SqlBool>`(h.commune_code, h.code) > (${after.communeCode}, ${after.code})`);
  return q.orderBy('h.communeCode').orderBy('h.code').limit(limit).execute();
}

/** Households for the export, in (commune, code) order. */
export function householdsForExport(db: Kysely<DB>, ids: string[]) {
  return db
    .selectFrom('household as h')
    .innerJoin('unit as c', 'c.code', 'h.communeCode')
    .leftJoin('unit as v', 'v.code', 'h.villageCode')
    .select(householdColumns)
    .select((eb) => [memberCount(eb).as('memberCount'), headName(eb).as('headName')])
    .where('h.id', 'in', ids)
    .orderBy('h.communeCode')
    .orderBy('h.code')
    .execute();
}

/**
 * Persons of these households with their household, one row per card (oldest first; a person without a
 * card once), household by household.
 */
export function personsForExport(db: Kysely<DB>, ids: string[]) {
  return db
    .selectFrom('person as p')
    .innerJoin('household as h', 'h.id', 'p.householdId')
    .leftJoin('unit as v', 'v.code', 'h.villageCode')
    .leftJoin('card as k', (j) => j.onRef('k.householdId', '=', 'p.householdId').onRef('k.personId', '=', 'p.id'))
    .select([
      'h.code as householdCode',
      'h.communeCode',
      'v.name as villageName',
      'h.address',
      'h.povertyStatus',
      'h.povertyYear',
      'p.fullName',
      'p.relationship',
      'p.birthDate',
      'p.sex',
      'p.citizenId',
      'p.insuranceCode',
      'p.ethnicity',
      'p.phone',
      'p.groupCodes',
      'p.school',
      'p.grade',
      'k.groupCode as cardGroup',
      'k.validFrom as cardFrom',
      'k.validTo as cardTo',
      'k.number as cardNumber',
      'k.source as cardSource',
      'k.facilityCode',
      'k.collectorCode',
    ])
    .where('p.householdId', 'in', ids)
    .orderBy('h.communeCode')
    .orderBy('h.code')
    .orderBy(sql`case when p.relationship = 'head' then 0 else 1 end`)
    .orderBy('p.birthDate')
    .orderBy('p.id')
    .orderBy('k.validFrom')
    .orderBy('k.validTo')
    .orderBy('k.createdAt')
    .execute();
}

/** Cards of these households with their holder, household by household, newest card first per person. */
export function cardsForExport(db: Kysely<DB>, ids: string[]) {
  return db
    .selectFrom('card as k')
    .innerJoin('person as p', (j) => j.onRef('p.householdId', '=', 'k.householdId').onRef('p.id', '=', 'k.personId'))
    .innerJoin('household as h', 'h.id', 'k.householdId')
    .select([
      'h.code as householdCode',
      'h.communeCode',
      'p.fullName',
      'p.birthDate',
      'p.citizenId',
      'p.insuranceCode',
      'k.groupCode',
      'k.validFrom',
      'k.validTo',
      'k.number',
      'k.source',
    ])
    .where('k.householdId', 'in', ids)
    .orderBy('h.communeCode')
    .orderBy('h.code')
    .orderBy(sql`case when p.relationship = 'head' then 0 else 1 end`)
    .orderBy('p.birthDate')
    .orderBy('p.id')
    .orderBy('k.validTo', 'desc')
    .orderBy('k.validFrom', 'desc')
    .execute();
}

/** Voluntary social insurance periods of these households with their holder, household by household, oldest first per person. */
export function vsiPeriodsForExport(db: Kysely<DB>, ids: string[]) {
  return db
    .selectFrom('vsiPeriod as v')
    .innerJoin('person as p', (j) => j.onRef('p.householdId', '=', 'v.householdId').onRef('p.id', '=', 'v.personId'))
    .innerJoin('household as h', 'h.id', 'v.householdId')
    .select(['p.citizenId', 'p.insuranceCode', 'p.fullName', 'p.birthDate', 'v.validFrom', 'v.validTo', 'v.monthlyIncome', 'v.paymentMonths', 'v.source'])
    .where('v.householdId', 'in', ids)
    .orderBy('h.communeCode')
    .orderBy('h.code')
    .orderBy(sql`case when p.relationship = 'head' then 0 else 1 end`)
    .orderBy('p.birthDate')
    .orderBy('p.id')
    .orderBy('v.validFrom')
    .execute();
}

/**
 * The demo's voluntary social insurance periods (source 'demo'), one statement: about 3% of the persons
 * aged 15 to 60 with a citizen id and none of the state-paid groups (children, social protection, poor,
 * ethnic minorities in difficult areas, pupils), picked by a hash of the citizen id (the same persons for
 * the same seed). Each gets a period started in one of the last 12 months, paid every 1, 3, 6 or 12
 * months at the lowest income mostly (some in force today, some lapsed: realistic), and a third of them
 * the 12 months before it (a renewal). Incomes stay within the limits of every year since 2018.
 */
export async function insertDemoVsiPeriods(db: Kysely<DB>, today: string): Promise<number> {
  const r = await sql`
    with picked as (
      select p.household_id, p.id, get_byte(x.h, 1) as b1, get_byte(x.h, 2) as b2, get_byte(x.h, 3) as b3
      from person p
      cross join lateral (select decode(md5(p.citizen_id), 'hex') as h) x
      where p.citizen_id is not null
        and p.birth_date <= (${today}::date - interval '15 years') and p.birth_date > (${today}::date - interval '60 years')
        and not (p.group_codes && array['TE', 'BT', 'HN', 'DT', 'HS']::text[])
        and get_byte(x.h, 0) < 8
    ), main as (
      select household_id, id, (array[1, 3, 6, 12])[1 + b1 % 4] as months,
        (array[1500000, 1500000, 1500000, 1500000, 2000000, 3000000, 5000000])[1 + b2 % 7] as income,
        (date_trunc('month', ${today}::date) - make_interval(months => b3 % 12))::date as f, b1
      from picked
    ), periods as (
      select household_id, id, f as valid_from, (f + make_interval(months => months) - interval '1 day')::date as valid_to, income, months from main
      union all
      select household_id, id, (f - interval '12 months')::date, (f - interval '1 day')::date, income, 12 from main where b1 % 3 = 0
    )
    insert into vsi_period (household_id, id, person_id, valid_from, valid_to, monthly_income, payment_months, source)
    select household_id, gen_random_uuid(), id, valid_from, valid_to, income, months, 'demo' from periods`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}

/** True when the register holds at least one person. */
export async function anyPerson(db: Kysely<DB>): Promise<boolean> {
  return (await db.selectFrom('person').select('id').limit(1).executeTakeFirst()) !== undefined;
}
