/**
 * Social insurance offices and unit profiles (issue 18 item 2).
 *
 * An office is a unit of level 'office' (migration 0014): the provincial office (kind si_province, under
 * its province) and the grassroots offices (BHXH cơ sở, kind si_grassroots, under the provincial office),
 * each with the code the social insurance system issued to it and the communes it serves. Reported figures,
 * targets, coverage and user scopes read an office like any unit; its communes come from office_commune.
 *
 * A unit profile holds what a form's header says of a unit: the unit code the social insurance office
 * issued to it, tax code, address, phone, e-mail (D03-TS, minutes, statements).
 *
 * Offices are managed by whoever manages their province (admin, province staff); a unit's profile by
 * whoever manages the unit.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { inScope, requirePermission, type Actor } from '../../domain/access';
import { foldVietnamese } from '../../domain/text';
import { AppError, notFound, type FieldError } from '../../errors';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { lineageOf } from '../units/units.service';
import * as repo from './offices.repository';
import { createOfficeInput, profileInput, updateOfficeInput, type CreateOfficeInput, type ProfileInput, type UpdateOfficeInput } from './offices.schemas';

export type Profile = Awaited<ReturnType<typeof repo.findProfiles>>[number];

export interface Office {
  code: string;
  name: string;
  kind: 'si_province' | 'si_grassroots';
  parentCode: string | null;
  provinceCode: string;
  communes: { code: string; name: string }[];
  profile: Profile | null;
}

/** The unit must exist and be inside the actor's scope (for writing: the actor manages it). */
export async function requireManaged(db: Kysely<DB>, actor: Actor, code: string, path?: string) {
  const found = await lineageOf(db, code);
  if (!found) {
    if (path) throw new AppError('validation', {}, [{ path, key: 'unknown_unit', params: { code } }]);
    throw notFound('unit', code);
  }
  if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code });
  return found;
}

/** The province of an office (its parent, or its parent's parent). */
async function provinceOf(db: Kysely<DB>, office: repo.OfficeRow): Promise<string> {
  if (office.kind === 'si_province') return office.parentCode!;
  const parent = office.parentCode ? await repo.findOffice(db, office.parentCode) : undefined;
  return parent?.parentCode ?? '';
}

async function describe(db: Kysely<DB>, rows: repo.OfficeRow[]): Promise<Office[]> {
  const codes = rows.map((r) => r.code);
  const [communes, profiles] = await Promise.all([repo.officeCommunes(db, codes), repo.findProfiles(db, codes)]);
  const out: Office[] = [];
  for (const r of rows)
    out.push({
      code: r.code,
      name: r.name,
      kind: r.kind as Office['kind'],
      parentCode: r.parentCode,
      provinceCode: await provinceOf(db, r),
      communes: communes
        .filter((c) => c.officeCode === r.code)
        .map((c) => ({ code: c.code, name: c.name }))
        .sort((a, b) => a.code.localeCompare(b.code)),
      profile: profiles.find((p) => p.unitCode === r.code) ?? null,
    });
  return out;
}

export async function listOffices(db: Kysely<DB>, actor: Actor, provinceCode?: string): Promise<Office[]> {
  requirePermission(actor, 'units:read');
  return describe(db, await repo.listOffices(db, provinceCode));
}

export async function getOffice(db: Kysely<DB>, actor: Actor, code: string): Promise<Office> {
  requirePermission(actor, 'units:read');
  const row = await repo.findOffice(db, code.trim().toUpperCase());
  if (!row) throw notFound('office', code);
  return (await describe(db, [row]))[0];
}

/** Communes must be communes of the province and not served by another office; every problem at once. */
async function checkCommunes(db: Kysely<DB>, officeCode: string, provinceCode: string, communes: string[]) {
  const unique = [...new Set(communes)];
  const found = new Map((await repo.units(db, unique)).map((u) => [u.code, u]));
  const serving = new Map((await repo.servingOffices(db, unique)).map((s) => [s.communeCode, s]));
  const fields: FieldError[] = [];
  communes.forEach((code, i) => {
    const u = found.get(code);
    if (!u || u.level !== 'commune') fields.push({ path: `communes.${i}`, key: 'unknown_unit', params: { code } });
    else if (u.parentCode !== provinceCode) fields.push({ path: `communes.${i}`, key: 'commune_not_in_province', params: { code, name: u.name } });
    else if (serving.has(code) && serving.get(code)!.code !== officeCode)
      fields.push({ path: `communes.${i}`, key: 'commune_served_by_other', params: { code, name: u.name, office: serving.get(code)!.name } });
  });
  if (fields.length) throw new AppError('validation', {}, fields);
  return unique;
}

async function checkSiCode(db: Kysely<DB>, unitCode: string, siCode: string | null | undefined) {
  if (!siCode) return;
  const other = await repo.findProfileBySiCode(db, siCode);
  if (other && other.unitCode !== unitCode) throw new AppError('validation', {}, [{ path: 'profile.siCode', key: 'si_code_taken', params: { code: siCode, unit: other.unitCode } }]);
}

function profileRow(unitCode: string, p: ReturnType<typeof profileInput.parse>, before: Profile | null, actor: Actor) {
  const pick = <K extends 'siCode' | 'taxCode' | 'address' | 'phone' | 'email'>(k: K) => (p[k] === undefined ? (before?.[k] ?? null) : p[k]);
  return { unitCode, siCode: pick('siCode'), taxCode: pick('taxCode'), address: pick('address'), phone: pick('phone'), email: pick('email'), updatedBy: actor.username };
}

export async function createOffice(db: Kysely<DB>, actor: Actor, input: CreateOfficeInput): Promise<Office> {
  requirePermission(actor, 'units:write');
  const data = parseInput(createOfficeInput, input);
  return db.transaction().execute(async (trx) => {
    const parent = await requireManaged(trx, actor, data.parentCode, 'parentCode');
    let provinceCode: string;
    if (data.kind === 'si_province') {
      if (parent.unit.level !== 'province') throw new AppError('validation', {}, [{ path: 'parentCode', key: 'office_parent_province' }]);
      provinceCode = parent.unit.code;
      const existing = (await repo.listOffices(trx, provinceCode)).find((o) => o.kind === 'si_province');
      if (existing) throw new AppError('validation', {}, [{ path: 'kind', key: 'provincial_office_exists', params: { name: existing.name } }]);
    } else {
      if (parent.unit.level !== 'office' || parent.unit.kind !== 'si_province')
        throw new AppError('validation', {}, [{ path: 'parentCode', key: 'office_parent_provincial_office' }]);
      provinceCode = parent.unit.parentCode!;
    }
    if (await lineageOf(trx, data.code)) throw new AppError('validation', {}, [{ path: 'code', key: 'unit_code_taken', params: { code: data.code } }]);
    const communes = await checkCommunes(trx, data.code, provinceCode, data.communes);
    await checkSiCode(trx, data.code, data.profile?.siCode);
    await repo.insertOffice(trx, { code: data.code, name: data.name, searchName: foldVietnamese(data.name), kind: data.kind, parentCode: parent.unit.code });
    await repo.replaceOfficeCommunes(trx, data.code, communes);
    if (data.profile) await repo.upsertProfile(trx, profileRow(data.code, data.profile, null, actor));
    const office = (await describe(trx, [(await repo.findOffice(trx, data.code))!]))[0];
    await audit(trx, actor, { action: 'create', entity: 'office', entityId: data.code, unitCode: data.code, after: office });
    return office;
  });
}

export async function updateOffice(db: Kysely<DB>, actor: Actor, code: string, input: UpdateOfficeInput): Promise<Office> {
  requirePermission(actor, 'units:write');
  const patch = parseInput(updateOfficeInput, input);
  return db.transaction().execute(async (trx) => {
    const row = await repo.findOffice(trx, code.trim().toUpperCase());
    if (!row) throw notFound('office', code);
    await requireManaged(trx, actor, row.code);
    const [before] = await describe(trx, [row]);
    if (patch.name !== undefined) await repo.renameOffice(trx, row.code, patch.name, foldVietnamese(patch.name));
    if (patch.communes !== undefined) await repo.replaceOfficeCommunes(trx, row.code, await checkCommunes(trx, row.code, before.provinceCode, patch.communes));
    if (patch.profile) {
      await checkSiCode(trx, row.code, patch.profile.siCode);
      await repo.upsertProfile(trx, profileRow(row.code, patch.profile, before.profile, actor));
    }
    const [after] = await describe(trx, [(await repo.findOffice(trx, row.code))!]);
    await audit(trx, actor, { action: 'update', entity: 'office', entityId: row.code, unitCode: row.code, before, after });
    return after;
  });
}

/** A unit's profile (null: none yet); any signed-in user may read it (it is printed on public forms). */
export async function unitProfile(db: Kysely<DB>, actor: Actor, code: string): Promise<Profile | null> {
  requirePermission(actor, 'units:read');
  if (!(await lineageOf(db, code))) throw notFound('unit', code);
  return (await repo.findProfiles(db, [code]))[0] ?? null;
}

export async function setUnitProfile(db: Kysely<DB>, actor: Actor, code: string, input: ProfileInput): Promise<Profile> {
  requirePermission(actor, 'units:write');
  const data = parseInput(profileInput, input);
  return db.transaction().execute(async (trx) => {
    const found = await requireManaged(trx, actor, code);
    if (found.unit.level === 'village') throw new AppError('validation', {}, [{ path: 'unitCode', key: 'profile_not_for_village' }]);
    const before = (await repo.findProfiles(trx, [code]))[0] ?? null;
    if (data.siCode) {
      const other = await repo.findProfileBySiCode(trx, data.siCode);
      if (other && other.unitCode !== code) throw new AppError('validation', {}, [{ path: 'siCode', key: 'si_code_taken', params: { code: data.siCode, unit: other.unitCode } }]);
    }
    const row = profileRow(code, data, before, actor);
    await repo.upsertProfile(trx, row);
    const after = (await repo.findProfiles(trx, [code]))[0];
    await audit(trx, actor, { action: before ? 'update' : 'create', entity: 'unit_profile', entityId: code, unitCode: code, before, after });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------------
// For other modules (no permission check: the caller's use case has done it)
// ---------------------------------------------------------------------------------------------------

/** The profiles of these units (missing ones left out). */
export async function profilesOf(db: Kysely<DB>, codes: string[]): Promise<Map<string, Profile>> {
  return new Map((await repo.findProfiles(db, [...new Set(codes)])).map((p) => [p.unitCode, p]));
}

/**
 * The social insurance office that issues a unit's documents: for a commune its grassroots office (or the
 * provincial office serving it directly), for a province its provincial office, for an office itself;
 * null where none is recorded. With its profile (address, phone) when it has one.
 */
export async function issuingOffice(db: Kysely<DB>, unitCode: string): Promise<{ code: string; name: string; profile: Profile | null } | null> {
  const found = await lineageOf(db, unitCode);
  if (!found) return null;
  let office: repo.OfficeRow | undefined;
  if (found.unit.level === 'office') office = await repo.findOffice(db, found.unit.code);
  else if (found.unit.level === 'province') office = (await repo.listOffices(db, found.unit.code)).find((o) => o.kind === 'si_province');
  else {
    const commune = found.unit.level === 'village' ? found.unit.parentCode! : found.unit.code;
    const serving = (await repo.servingOffices(db, [commune]))[0];
    office = serving ? await repo.findOffice(db, serving.code) : undefined;
  }
  if (!office) return null;
  return { code: office.code, name: office.name, profile: (await repo.findProfiles(db, [office.code]))[0] ?? null };
}
