/** SQL of the social insurance offices (units of level 'office'), unit profiles, facilities and collectors. */
import { sql, type Kysely } from 'kysely';
import type { CollectorKind, DB } from '../../db/schema';

export interface OfficeRow {
  code: string;
  name: string;
  kind: string;
  parentCode: string | null;
}

export function listOffices(db: Kysely<DB>, provinceCode?: string): Promise<OfficeRow[]> {
  let q = db.selectFrom('unit as o').select(['o.code', 'o.name', 'o.kind', 'o.parentCode']).where('o.level', '=', 'office');
  if (provinceCode)
    q = q.where((eb) =>
      eb.or([eb('o.parentCode', '=', provinceCode), eb('o.parentCode', 'in', eb.selectFrom('unit as p').select('p.code').where('p.parentCode', '=', provinceCode).where('p.level', '=', 'office'))]),
    );
  return q.orderBy('o.code').execute();
}

export function findOffice(db: Kysely<DB>, code: string): Promise<OfficeRow | undefined> {
  return db.selectFrom('unit').select(['code', 'name', 'kind', 'parentCode']).where('code', '=', code).where('level', '=', 'office').executeTakeFirst();
}

export async function insertOffice(db: Kysely<DB>, office: { code: string; name: string; searchName: string; kind: string; parentCode: string }) {
  await db.insertInto('unit').values({ ...office, level: 'office', localCode: office.code }).execute();
}

export async function renameOffice(db: Kysely<DB>, code: string, name: string, searchName: string) {
  await db.updateTable('unit').set({ name, searchName }).where('code', '=', code).execute();
}

/** The communes an office serves directly, with their names. */
export function officeCommunes(db: Kysely<DB>, officeCodes: string[]) {
  if (officeCodes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('officeCommune as oc')
    .innerJoin('unit as u', 'u.code', 'oc.communeCode')
    .select(['oc.officeCode', 'u.code', 'u.name', 'u.parentCode'])
    .where('oc.officeCode', 'in', officeCodes)
    .execute();
}

/** The offices now serving these communes. */
export function servingOffices(db: Kysely<DB>, communeCodes: string[]) {
  if (communeCodes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('officeCommune as oc')
    .innerJoin('unit as o', 'o.code', 'oc.officeCode')
    .select(['oc.communeCode', 'o.code', 'o.name'])
    .where('oc.communeCode', 'in', communeCodes)
    .execute();
}

export async function replaceOfficeCommunes(db: Kysely<DB>, officeCode: string, communeCodes: string[]) {
  await db.deleteFrom('officeCommune').where('officeCode', '=', officeCode).execute();
  if (communeCodes.length) await db.insertInto('officeCommune').values(communeCodes.map((communeCode) => ({ communeCode, officeCode }))).execute();
}

export function units(db: Kysely<DB>, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('unit').select(['code', 'name', 'level', 'parentCode']).where('code', 'in', codes).execute();
}

// --- unit profiles ---------------------------------------------------------------------------------

const profileColumns = ['unitCode', 'siCode', 'taxCode', 'address', 'phone', 'email'] as const;

export function findProfiles(db: Kysely<DB>, unitCodes: string[]) {
  if (unitCodes.length === 0) return Promise.resolve([]);
  return db.selectFrom('unitProfile').select(profileColumns).where('unitCode', 'in', unitCodes).execute();
}

export function findProfileBySiCode(db: Kysely<DB>, siCode: string) {
  return db.selectFrom('unitProfile').select(profileColumns).where('siCode', '=', siCode).executeTakeFirst();
}

export async function upsertProfile(
  db: Kysely<DB>,
  p: { unitCode: string; siCode: string | null; taxCode: string | null; address: string | null; phone: string | null; email: string | null; updatedBy: string },
) {
  await db
    .insertInto('unitProfile')
    .values(p)
    .onConflict((oc) => oc.column('unitCode').doUpdateSet({ ...p, updatedAt: sql`now()` }))
    .execute();
}

// --- facilities ------------------------------------------------------------------------------------

const facilityColumns = ['code', 'name', 'provinceCode', 'address', 'active'] as const;

export function listFacilities(db: Kysely<DB>, filter: { provinceCode?: string; words?: string[]; includeInactive?: boolean; limit?: number }) {
  let q = db.selectFrom('healthFacility').select(facilityColumns);
  if (filter.provinceCode) q = q.where('provinceCode', '=', filter.provinceCode);
  if (!filter.includeInactive) q = q.where('active', '=', true);
  for (const w of filter.words ?? []) q = q.where((eb) => eb.or([eb('searchName', 'like', `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`), eb('code', 'like', `${w}%`)]));
  return q.orderBy('code').limit(filter.limit ?? 5000).execute();
}

export function findFacilities(db: Kysely<DB>, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([]);
  return db.selectFrom('healthFacility').select(facilityColumns).where('code', 'in', codes).execute();
}

export async function insertFacility(db: Kysely<DB>, f: { code: string; name: string; searchName: string; provinceCode: string; address: string | null }) {
  await db.insertInto('healthFacility').values(f).execute();
}

export async function updateFacility(db: Kysely<DB>, code: string, patch: { name?: string; searchName?: string; address?: string | null; active?: boolean }) {
  await db.updateTable('healthFacility').set({ ...patch, updatedAt: sql`now()` }).where('code', '=', code).execute();
}

// --- collectors ------------------------------------------------------------------------------------

const collectorColumns = ['code', 'name', 'kind', 'officeCode', 'phone', 'active'] as const;

export function listCollectors(db: Kysely<DB>, filter: { officeCodes?: string[]; villageCodes?: string[]; codes?: string[] }) {
  let q = db.selectFrom('collector').select(collectorColumns);
  if (filter.officeCodes) q = filter.officeCodes.length ? q.where('officeCode', 'in', filter.officeCodes) : q.where(sql<boolean>`false`);
  if (filter.codes) q = filter.codes.length ? q.where('code', 'in', filter.codes) : q.where(sql<boolean>`false`);
  const villages = filter.villageCodes;
  if (villages) q = villages.length ? q.where('code', 'in', (eb) => eb.selectFrom('collectorVillage').select('collectorCode').where('villageCode', 'in', villages)) : q.where(sql<boolean>`false`);
  return q.orderBy('code').execute();
}

export function collectorVillages(db: Kysely<DB>, collectorCodes: string[]) {
  if (collectorCodes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('collectorVillage as cv')
    .innerJoin('unit as v', 'v.code', 'cv.villageCode')
    .select(['cv.collectorCode', 'v.code', 'v.name', 'v.parentCode'])
    .where('cv.collectorCode', 'in', collectorCodes)
    .orderBy('v.code')
    .execute();
}

export async function insertCollector(db: Kysely<DB>, c: { code: string; name: string; searchName: string; kind: CollectorKind; officeCode: string; phone: string | null }) {
  await db.insertInto('collector').values(c).execute();
}

export async function updateCollector(db: Kysely<DB>, code: string, patch: { name?: string; searchName?: string; phone?: string | null; active?: boolean }) {
  await db.updateTable('collector').set({ ...patch, updatedAt: sql`now()` }).where('code', '=', code).execute();
}

export async function replaceCollectorVillages(db: Kysely<DB>, collectorCode: string, villageCodes: string[]) {
  await db.deleteFrom('collectorVillage').where('collectorCode', '=', collectorCode).execute();
  if (villageCodes.length) await db.insertInto('collectorVillage').values(villageCodes.map((villageCode) => ({ villageCode, collectorCode }))).execute();
}

/**
 * The demo's cards (issue 18 item 7): each card without a facility or collector gets its commune's, in one
 * statement per commune list (the demo's register of a province).
 */
export async function assignCardsInCommunes(db: Kysely<DB>, mapping: { communeCode: string; facilityCode: string; collectorCode: string | null }[]): Promise<number> {
  if (mapping.length === 0) return 0;
  const values = sql.join(mapping.map((m) => sql`(${m.communeCode}, ${m.facilityCode}, ${m.collectorCode}::text)`));
  const r = await sql`
    update card c set facility_code = coalesce(c.facility_code, m.facility), collector_code = coalesce(c.collector_code, m.collector)
    from person p, (values ${values}) as m(commune, facility, collector)
    where p.household_id = c.household_id and p.id = c.person_id and p.commune_code = m.commune
      and (c.facility_code is null or c.collector_code is null)`.execute(db);
  // each person's latest card carries its collector (migration 0023)
  await sql`
    update latest_card l set collector_code = c.collector_code
    from card c, person p, (values ${values}) as m(commune, facility, collector)
    where c.household_id = l.household_id and c.person_id = l.person_id and c.id = l.card_id
      and p.household_id = l.household_id and p.id = l.person_id and p.commune_code = m.commune
      and l.collector_code is distinct from c.collector_code`.execute(db);
  return Number(r.numAffectedRows ?? 0);
}
