/** SQL for administrative units and villages. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, UnitTable } from '../../db/schema';
import { communesServedBy } from '../../db/scope';

export type UnitRow = Selectable<UnitTable>;
const columns = ['code', 'name', 'level', 'kind', 'parentCode', 'localCode'] as const;
export type Unit = Pick<UnitRow, (typeof columns)[number]>;

export function findUnit(db: Kysely<DB>, code: string): Promise<Unit | undefined> {
  return db.selectFrom('unit').select(columns).where('code', '=', code).executeTakeFirst();
}

/** The names of the units with these codes (unknown codes are left out). */
export async function unitNames(db: Kysely<DB>, codes: string[]): Promise<Map<string, string>> {
  const unique = [...new Set(codes)];
  if (unique.length === 0) return new Map();
  const rows = await db.selectFrom('unit').select(['code', 'name']).where('code', 'in', unique).execute();
  return new Map(rows.map((r) => [r.code, r.name]));
}

export function listProvinces(db: Kysely<DB>): Promise<Unit[]> {
  return db.selectFrom('unit').select(columns).where('level', '=', 'province').execute();
}

/** The units under `parentCode`: a province's communes, a commune's villages, a provincial office's grassroots offices. */
export function listChildren(db: Kysely<DB>, parentCode: string): Promise<Unit[]> {
  // a province's provincial social insurance office hangs under it, but is not one of its communes
  return db
    .selectFrom('unit as u')
    .select(columns.map((c) => `u.${c}` as const))
    .where('u.parentCode', '=', parentCode)
    .where((eb) => eb.or([eb('u.level', '<>', 'office'), eb.exists(eb.selectFrom('unit as p').select('p.code').where('p.code', '=', parentCode).where('p.level', '=', 'office'))]))
    .execute();
}

/** The communes a social insurance office serves (itself or through its grassroots offices). */
export function listCommunesServed(db: Kysely<DB>, officeCode: string): Promise<Unit[]> {
  return db.selectFrom('unit').select(columns).where('code', 'in', sql<string>`(${communesServedBy(officeCode)})`).where('level', '=', 'commune').execute();
}

/** Every commune an office serves, with the office's kind and parent. */
export function listOfficeCommunes(db: Kysely<DB>) {
  return db.selectFrom('officeCommune as oc').innerJoin('unit as o', 'o.code', 'oc.officeCode').select(['oc.communeCode', 'o.code', 'o.kind', 'o.parentCode']).execute();
}

/** The offices serving a commune: its grassroots office, then that office's provincial office. */
export async function officesOfCommune(db: Kysely<DB>, communeCode: string): Promise<string[]> {
  const r = await db
    .selectFrom('officeCommune as oc')
    .innerJoin('unit as o', 'o.code', 'oc.officeCode')
    .select(['o.code', 'o.parentCode', 'o.kind'])
    .where('oc.communeCode', '=', communeCode)
    .executeTakeFirst();
  if (!r) return [];
  return r.kind === 'si_grassroots' && r.parentCode ? [r.code, r.parentCode] : [r.code];
}

/** Units whose folded name contains every word of the folded query. */
export function searchUnits(db: Kysely<DB>, words: string[], limit: number) {
  let q = db
    .selectFrom('unit as u')
    .leftJoin('unit as p', 'p.code', 'u.parentCode')
    .select(['u.code', 'u.name', 'u.level', 'u.kind', 'u.parentCode', 'u.localCode', 'p.name as parentName']);
  for (const w of words) q = q.where('u.searchName', 'like', `%${w.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  return q
    .orderBy(sql`case u.level when 'province' then 0 when 'commune' then 1 else 2 end`)
    .orderBy('u.code')
    .limit(limit)
    .execute();
}

/** The unit's ancestors from the province down (at most two levels above a village). */
export async function findAncestors(db: Kysely<DB>, unit: Unit): Promise<Unit[]> {
  const ancestors: Unit[] = [];
  let parent = unit.parentCode;
  while (parent) {
    const p = await findUnit(db, parent);
    if (!p) break;
    ancestors.unshift(p);
    parent = p.parentCode;
  }
  return ancestors;
}

export function findByOldCode(db: Kysely<DB>, oldCode: string) {
  return db
    .selectFrom('communeMapping as m')
    .innerJoin('unit as u', 'u.code', 'm.newCode')
    .select(['u.code', 'u.name', 'u.level', 'u.kind', 'u.parentCode', 'u.localCode', 'm.oldName', 'm.oldProvinceName'])
    .where('m.oldCode', '=', oldCode)
    .orderBy('u.code')
    .execute();
}

export async function insertUnit(db: Kysely<DB>, unit: Unit & { searchName: string }): Promise<void> {
  await db.insertInto('unit').values(unit).execute();
}

export async function updateUnit(db: Kysely<DB>, code: string, patch: { name?: string; searchName?: string; kind?: string }) {
  await db.updateTable('unit').set(patch).where('code', '=', code).execute();
}

export async function deleteUnit(db: Kysely<DB>, code: string): Promise<void> {
  await db.deleteFrom('unit').where('code', '=', code).execute();
}

export async function countChildren(db: Kysely<DB>, code: string): Promise<number> {
  const r = await db
    .selectFrom('unit')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('parentCode', '=', code)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/** The units above villages (provinces, communes), with their names and parents. */
export function listUnitsAboveVillages(db: Kysely<DB>) {
  return db.selectFrom('unit').select(['code', 'parentCode', 'level', 'name']).where('level', '!=', 'village').execute();
}

/** Every pre-2025 commune code with the new commune(s) it became. */
export function listCommuneMapping(db: Kysely<DB>) {
  return db.selectFrom('communeMapping').select(['oldCode', 'newCode']).execute();
}

/** Every village, with its commune and folded name. */
export function listVillages(db: Kysely<DB>) {
  return db.selectFrom('unit').select(['code', 'parentCode', 'searchName']).where('level', '=', 'village').execute();
}

/** Inserts villages in one statement. */
export async function insertVillages(db: Kysely<DB>, villages: { code: string; name: string; searchName: string; commune: string; local: string }[]): Promise<void> {
  await db
    .insertInto('unit')
    .values(villages.map((v) => ({ code: v.code, name: v.name, searchName: v.searchName, level: 'village', kind: 'village', parentCode: v.commune, localCode: v.local })))
    .execute();
}

/** The codes among `codes` that exist, with their parents. */
export function findParents(db: Kysely<DB>, codes: string[]) {
  return db.selectFrom('unit').select(['code', 'parentCode']).where('code', 'in', codes).execute();
}
