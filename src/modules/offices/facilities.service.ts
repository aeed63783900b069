/**
 * Initial health-care facilities (nơi đăng ký KCB ban đầu): a 5-digit code and a name, in an editable list
 * per province (issue 18 item 2). A card and a programme's award name one; the list is public knowledge
 * (any signed-in user reads it); whoever manages the province edits it. A facility is never deleted
 * (cards name it): it is made inactive and leaves the choices.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { requirePermission, type Actor } from '../../domain/access';
import { foldVietnamese } from '../../domain/text';
import { AppError, notFound } from '../../errors';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import * as repo from './offices.repository';
import { createFacilityInput, updateFacilityInput, type CreateFacilityInput, type UpdateFacilityInput } from './offices.schemas';
import { requireManaged } from './offices.service';

export type Facility = Awaited<ReturnType<typeof repo.findFacilities>>[number];

export async function listFacilities(db: Kysely<DB>, actor: Actor, query: { province?: string; q?: string; all?: boolean } = {}): Promise<Facility[]> {
  requirePermission(actor, 'units:read');
  const words = query.q ? foldVietnamese(query.q).split(' ').filter(Boolean) : [];
  return repo.listFacilities(db, { provinceCode: query.province, words, includeInactive: query.all });
}

export async function createFacility(db: Kysely<DB>, actor: Actor, input: CreateFacilityInput): Promise<Facility> {
  requirePermission(actor, 'units:write');
  const data = parseInput(createFacilityInput, input);
  return db.transaction().execute(async (trx) => {
    const province = await requireManaged(trx, actor, data.provinceCode, 'provinceCode');
    if (province.unit.level !== 'province') throw new AppError('validation', {}, [{ path: 'provinceCode', key: 'not_a_province', params: { code: data.provinceCode } }]);
    if ((await repo.findFacilities(trx, [data.code])).length) throw new AppError('validation', {}, [{ path: 'code', key: 'facility_code_taken', params: { code: data.code } }]);
    await repo.insertFacility(trx, { code: data.code, name: data.name, searchName: foldVietnamese(data.name), provinceCode: data.provinceCode, address: data.address ?? null });
    const [after] = await repo.findFacilities(trx, [data.code]);
    await audit(trx, actor, { action: 'create', entity: 'health_facility', entityId: data.code, unitCode: data.provinceCode, after });
    return after;
  });
}

export async function updateFacility(db: Kysely<DB>, actor: Actor, code: string, input: UpdateFacilityInput): Promise<Facility> {
  requirePermission(actor, 'units:write');
  const patch = parseInput(updateFacilityInput, input);
  return db.transaction().execute(async (trx) => {
    const [before] = await repo.findFacilities(trx, [code.trim()]);
    if (!before) throw notFound('health_facility', code);
    await requireManaged(trx, actor, before.provinceCode);
    await repo.updateFacility(trx, before.code, { ...patch, ...(patch.name ? { searchName: foldVietnamese(patch.name) } : {}) });
    const [after] = await repo.findFacilities(trx, [before.code]);
    await audit(trx, actor, { action: 'update', entity: 'health_facility', entityId: before.code, unitCode: before.provinceCode, before, after });
    return after;
  });
}

/** Facilities by code (unknown codes left out): for imports, selection and forms. */
export async function facilitiesByCode(db: Kysely<DB>, codes: string[]): Promise<Map<string, Facility>> {
  return new Map((await repo.findFacilities(db, [...new Set(codes)])).map((f) => [f.code, f]));
}
