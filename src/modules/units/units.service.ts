/**
 * Administrative units: the official provinces and communes (read-only reference data), and the
 * villages (thôn, bản, tổ dân phố) that users create under communes.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { inScope, type Actor, requirePermission } from '../../domain/access';
import { compareVietnamese, foldVietnamese } from '../../domain/text';
import { AppError, notFound } from '../../errors';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import * as repo from './units.repository';
import { createVillageInput, updateVillageInput, type CreateVillageInput, type UpdateVillageInput } from './units.schemas';

export type Unit = repo.Unit;

const byName = (a: { name: string }, b: { name: string }) => compareVietnamese(a.name, b.name);

/**
 * The unit's code and its ancestors' codes, for scope checks; for a commune or a village, then the codes
 * of the social insurance offices serving the commune (a user scoped to an office sees its communes).
 */
export async function lineageOf(db: Kysely<DB>, code: string): Promise<{ unit: Unit; ancestors: Unit[]; lineage: string[] } | undefined> {
  const unit = await repo.findUnit(db, code);
  if (!unit) return undefined;
  const ancestors = await repo.findAncestors(db, unit);
  const commune = unit.level === 'commune' ? unit.code : unit.level === 'village' ? unit.parentCode : null;
  const offices = commune ? await repo.officesOfCommune(db, commune) : [];
  return { unit, ancestors, lineage: [unit.code, ...ancestors.map((a) => a.code), ...offices] };
}

/**
 * Official units (provinces, communes) are public knowledge and any signed-in user may read them;
 * villages and everything inside a unit are visible only within the user's scope.
 */
function canSee(actor: Actor, unit: Unit, lineage: string[]): boolean {
  return unit.level !== 'village' || inScope(actor, lineage);
}

export async function listProvinces(db: Kysely<DB>, actor: Actor): Promise<Unit[]> {
  requirePermission(actor, 'units:read');
  return (await repo.listProvinces(db)).sort(byName);
}

export async function listChildren(db: Kysely<DB>, actor: Actor, parentCode: string): Promise<Unit[]> {
  requirePermission(actor, 'units:read');
  const found = await lineageOf(db, parentCode);
  if (!found) throw notFound('unit', parentCode);
  const children = await repo.listChildren(db, parentCode);
  // a commune's children are villages: only inside the scope
  if (found.unit.level === 'commune' && !inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code: parentCode });
  return children.sort(byName);
}

export async function getUnit(db: Kysely<DB>, actor: Actor, code: string) {
  requirePermission(actor, 'units:read');
  const found = await lineageOf(db, code);
  if (!found || !canSee(actor, found.unit, found.lineage)) throw notFound('unit', code);
  return { unit: found.unit, ancestors: found.ancestors };
}

export async function searchUnits(db: Kysely<DB>, actor: Actor, query: string, limit = 50) {
  requirePermission(actor, 'units:read');
  const words = foldVietnamese(query).split(' ').filter(Boolean);
  if (words.length === 0) return [];
  const rows = await repo.searchUnits(db, words, limit * 2);
  const visible = [];
  for (const r of rows) {
    if (r.level === 'village' && actor.scopeCode !== null) {
      const l = await lineageOf(db, r.code);
      if (!l || !inScope(actor, l.lineage)) continue;
    }
    visible.push(r);
  }
  return visible.slice(0, limit);
}

/** New commune(s) for a pre-2025 commune code; a split commune gives every candidate. */
export async function resolveOldCode(db: Kysely<DB>, actor: Actor, oldCode: string) {
  requirePermission(actor, 'units:read');
  return repo.findByOldCode(db, oldCode.trim());
}

export async function createVillage(db: Kysely<DB>, actor: Actor, input: CreateVillageInput): Promise<Unit> {
  requirePermission(actor, 'units:write');
  const data = parseInput(createVillageInput, input);
  const parent = await lineageOf(db, data.parentCode);
  if (!parent) throw new AppError('validation', {}, [{ path: 'parentCode', key: 'unknown_unit', params: { code: data.parentCode } }]);
  if (parent.unit.level !== 'commune')
    throw new AppError('validation', {}, [{ path: 'parentCode', key: 'village_parent_not_commune' }]);
  if (!inScope(actor, parent.lineage)) throw new AppError('out_of_scope', { code: data.parentCode });
  const unit: Unit = {
    code: `${parent.unit.code}.${data.code}`,
    name: data.name,
    level: 'village',
    kind: data.kind,
    parentCode: parent.unit.code,
    localCode: data.code,
  };
  return db.transaction().execute(async (trx) => {
    if (await repo.findUnit(trx, unit.code)) throw new AppError('conflict', { entity: 'unit', id: unit.code });
    await repo.insertUnit(trx, { ...unit, searchName: foldVietnamese(unit.name) });
    await audit(trx, actor, { action: 'create', entity: 'unit', entityId: unit.code, unitCode: unit.code, after: unit });
    return unit;
  });
}

async function villageInScope(db: Kysely<DB>, actor: Actor, code: string) {
  const found = await lineageOf(db, code);
  if (!found || !canSee(actor, found.unit, found.lineage)) throw notFound('unit', code);
  if (found.unit.level !== 'village') throw new AppError('forbidden', { reason: 'official_unit' });
  if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code });
  return found.unit;
}

export async function updateVillage(db: Kysely<DB>, actor: Actor, code: string, input: UpdateVillageInput): Promise<Unit> {
  requirePermission(actor, 'units:write');
  const patch = parseInput(updateVillageInput, input);
  return db.transaction().execute(async (trx) => {
    const before = await villageInScope(trx, actor, code);
    const after = { ...before, ...patch };
    await repo.updateUnit(trx, code, { ...patch, ...(patch.name ? { searchName: foldVietnamese(patch.name) } : {}) });
    await audit(trx, actor, { action: 'update', entity: 'unit', entityId: code, unitCode: code, before, after });
    return after;
  });
}

export async function deleteVillage(db: Kysely<DB>, actor: Actor, code: string): Promise<void> {
  requirePermission(actor, 'units:write');
  await db.transaction().execute(async (trx) => {
    const before = await villageInScope(trx, actor, code);
    await repo.deleteUnit(trx, code);
    await audit(trx, actor, { action: 'delete', entity: 'unit', entityId: code, unitCode: code, before });
  });
}

// ---------------------------------------------------------------------------------------------------
// For other modules (no permission check: the caller's use case has done it)
// ---------------------------------------------------------------------------------------------------

/** A unit by its code, or undefined. */
export function findUnit(db: Kysely<DB>, code: string): Promise<Unit | undefined> {
  return repo.findUnit(db, code);
}

/** The names of the units with these codes (unknown codes are left out). */
export function unitNames(db: Kysely<DB>, codes: string[]): Promise<Map<string, string>> {
  return repo.unitNames(db, codes);
}

/** The units directly under `code`, in no particular order; for an office, the communes it serves. */
export async function childUnits(db: Kysely<DB>, code: string): Promise<Unit[]> {
  const unit = await repo.findUnit(db, code);
  return unit?.level === 'office' ? repo.listCommunesServed(db, code) : repo.listChildren(db, code);
}

/** The offices serving a commune: its grassroots office, then the provincial office. */
export function officesOfCommune(db: Kysely<DB>, communeCode: string): Promise<string[]> {
  return repo.officesOfCommune(db, communeCode);
}

/** The codes of the units directly under `code`. */
export async function childCodes(db: Kysely<DB>, code: string): Promise<string[]> {
  return (await childUnits(db, code)).map((u) => u.code);
}

/** The codes among `codes` that exist, with their parents (the parent of an unknown code is not given). */
export async function parentsOf(db: Kysely<DB>, codes: readonly string[]): Promise<{ code: string; parentCode: string | null }[]> {
  const unique = [...new Set(codes)];
  return unique.length ? repo.findParents(db, unique) : [];
}

/**
 * What an import needs to resolve the commune of a row: the communes (with their provinces) by code, and
 * the new commune(s) of each pre-2025 code.
 */
export async function communeIndex(db: Kysely<DB>) {
  const units = await repo.listUnitsAboveVillages(db);
  const communes = new Map(units.filter((u) => u.level === 'commune').map((u) => [u.code, u]));
  const mapping = new Map<string, string[]>();
  for (const m of await repo.listCommuneMapping(db)) mapping.set(m.oldCode, [...(mapping.get(m.oldCode) ?? []), m.newCode]);
  /** Each commune's lineage for scope checks: the commune, its province, the offices serving it. */
  const offices = new Map<string, string[]>();
  for (const o of await repo.listOfficeCommunes(db)) offices.set(o.communeCode, o.kind === 'si_grassroots' && o.parentCode ? [o.code, o.parentCode] : [o.code]);
  const lineage = (code: string) => [code, communes.get(code)?.parentCode ?? '', ...(offices.get(code) ?? [])];
  return { communes, mapping, lineage };
}

/** Every village of the register's units, with its commune and folded name. */
export function allVillages(db: Kysely<DB>) {
  return repo.listVillages(db);
}

/** Creates villages in one statement (an import's new villages; in the caller's transaction, no audit row). */
export function insertVillages(db: Kysely<DB>, villages: { code: string; name: string; searchName: string; commune: string; local: string }[]): Promise<void> {
  return repo.insertVillages(db, villages);
}
