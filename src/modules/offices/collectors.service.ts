/**
 * Collection agents (đại lý thu) and their staff (nhân viên thu), with the code the social insurance office
 * issued, under an office, assigned to villages (issue 18 item 2). A card names the collector that
 * collected it (D03-TS column 14); the field work and reminders to come use the villages.
 *
 * A collector's villages must lie in communes its office serves. The list (names, phones) is work data of
 * the office: read within the scope of the office or of the villages; written by whoever manages the office.
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
import { createCollectorInput, updateCollectorInput, type CreateCollectorInput, type UpdateCollectorInput } from './offices.schemas';
import { requireManaged } from './offices.service';

export interface Collector {
  code: string;
  name: string;
  kind: 'agent' | 'staff';
  officeCode: string;
  phone: string | null;
  active: boolean;
  villages: { code: string; name: string }[];
}

async function describe(db: Kysely<DB>, rows: Awaited<ReturnType<typeof repo.listCollectors>>): Promise<Collector[]> {
  const villages = await repo.collectorVillages(db, rows.map((r) => r.code));
  return rows.map((r) => ({ ...r, villages: villages.filter((v) => v.collectorCode === r.code).map((v) => ({ code: v.code, name: v.name })) }));
}

/** The codes of the communes an office serves (itself or through its grassroots offices). */
async function communesOf(db: Kysely<DB>, officeCode: string): Promise<Set<string>> {
  const offices = [officeCode, ...(await repo.listOffices(db)).filter((o) => o.parentCode === officeCode).map((o) => o.code)];
  return new Set((await repo.officeCommunes(db, offices)).map((c) => c.code));
}

async function checkVillages(db: Kysely<DB>, office: repo.OfficeRow, villages: string[]) {
  const unique = [...new Set(villages)];
  const found = new Map((await repo.units(db, unique)).map((u) => [u.code, u]));
  const served = await communesOf(db, office.code);
  const fields: FieldError[] = [];
  villages.forEach((code, i) => {
    const v = found.get(code);
    if (!v || v.level !== 'village') fields.push({ path: `villages.${i}`, key: 'unknown_unit', params: { code } });
    else if (!served.has(v.parentCode ?? '')) fields.push({ path: `villages.${i}`, key: 'collector_village_outside_office', params: { code, name: v.name, office: office.name } });
  });
  if (fields.length) throw new AppError('validation', {}, fields);
  return unique;
}

/** The collectors of an office, or of a village; a user sees those of their scope. */
export async function listCollectors(db: Kysely<DB>, actor: Actor, query: { office?: string; village?: string } = {}): Promise<Collector[]> {
  requirePermission(actor, 'units:read');
  if (query.village) {
    const found = await lineageOf(db, query.village);
    if (!found || found.unit.level !== 'village') throw notFound('unit', query.village);
    if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code: query.village });
    return describe(db, await repo.listCollectors(db, { villageCodes: [query.village] }));
  }
  if (query.office) {
    const office = await repo.findOffice(db, query.office.trim().toUpperCase());
    if (!office) throw notFound('office', query.office);
    await requireManaged(db, actor, office.code);
    return describe(db, await repo.listCollectors(db, { officeCodes: [office.code] }));
  }
  if (actor.scopeCode !== null) {
    // the offices in the actor's scope: an office's lineage is its province, its provincial office and itself
    const all = await repo.listOffices(db);
    const parentOf = new Map(all.map((o) => [o.code, o.parentCode]));
    const lineage = (code: string) => {
      const codes = [code];
      for (let p = parentOf.get(code); p; p = parentOf.get(p)) codes.unshift(p);
      return codes;
    };
    const offices = all.filter((o) => inScope(actor, lineage(o.code))).map((o) => o.code);
    return describe(db, await repo.listCollectors(db, { officeCodes: offices }));
  }
  return describe(db, await repo.listCollectors(db, {}));
}

export async function createCollector(db: Kysely<DB>, actor: Actor, input: CreateCollectorInput): Promise<Collector> {
  requirePermission(actor, 'units:write');
  const data = parseInput(createCollectorInput, input);
  return db.transaction().execute(async (trx) => {
    const office = await repo.findOffice(trx, data.officeCode.toUpperCase());
    if (!office) throw new AppError('validation', {}, [{ path: 'officeCode', key: 'unknown_office', params: { code: data.officeCode } }]);
    await requireManaged(trx, actor, office.code);
    if ((await repo.listCollectors(trx, { codes: [data.code] })).length) throw new AppError('validation', {}, [{ path: 'code', key: 'collector_code_taken', params: { code: data.code } }]);
    const villages = await checkVillages(trx, office, data.villages);
    await repo.insertCollector(trx, { code: data.code, name: data.name, searchName: foldVietnamese(data.name), kind: data.kind, officeCode: office.code, phone: data.phone ?? null });
    await repo.replaceCollectorVillages(trx, data.code, villages);
    const [after] = await describe(trx, await repo.listCollectors(trx, { codes: [data.code] }));
    await audit(trx, actor, { action: 'create', entity: 'collector', entityId: data.code, unitCode: office.code, after });
    return after;
  });
}

export async function updateCollector(db: Kysely<DB>, actor: Actor, code: string, input: UpdateCollectorInput): Promise<Collector> {
  requirePermission(actor, 'units:write');
  const patch = parseInput(updateCollectorInput, input);
  return db.transaction().execute(async (trx) => {
    const [before] = await describe(trx, await repo.listCollectors(trx, { codes: [code.trim().toUpperCase()] }));
    if (!before) throw notFound('collector', code);
    const office = (await repo.findOffice(trx, before.officeCode))!;
    await requireManaged(trx, actor, office.code);
    const { villages, ...rest } = patch;
    await repo.updateCollector(trx, before.code, { ...rest, ...(rest.name ? { searchName: foldVietnamese(rest.name) } : {}) });
    if (villages !== undefined) await repo.replaceCollectorVillages(trx, before.code, await checkVillages(trx, office, villages));
    const [after] = await describe(trx, await repo.listCollectors(trx, { codes: [before.code] }));
    await audit(trx, actor, { action: 'update', entity: 'collector', entityId: before.code, unitCode: office.code, before, after });
    return after;
  });
}

/** Collectors by code (unknown codes left out), with their villages: for imports and forms. */
export async function collectorsByCode(db: Kysely<DB>, codes: string[]): Promise<Map<string, Collector>> {
  const unique = [...new Set(codes)];
  return new Map((await describe(db, await repo.listCollectors(db, { codes: unique }))).map((c) => [c.code, c]));
}

/** The active collectors assigned to each of these villages (a village may have none or several). */
export async function collectorsOfVillages(db: Kysely<DB>, villageCodes: string[]): Promise<Map<string, Collector[]>> {
  const out = new Map<string, Collector[]>();
  const unique = [...new Set(villageCodes)];
  if (unique.length === 0) return out;
  const collectors = (await describe(db, await repo.listCollectors(db, { villageCodes: unique }))).filter((c) => c.active);
  for (const v of unique) {
    const list = collectors.filter((c) => c.villages.some((cv) => cv.code === v));
    if (list.length) out.set(v, list);
  }
  return out;
}
