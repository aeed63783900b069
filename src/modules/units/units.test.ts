import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { AppError } from '../../errors';
import * as units from './units.service';
import { readAudit } from '../audit/audit.service';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});
afterAll(async () => {
  await t?.cleanup();
});

describe(`administrative units (${engineName})`, () => {
  it('knows the 34 provinces and 3,321 communes in force since 1 July 2025', async () => {
    const provinces = await units.listProvinces(t.db, system);
    expect(provinces).toHaveLength(34);
    let communes = 0;
    for (const p of provinces) communes += (await units.listChildren(t.db, system, p.code)).length;
    expect(communes).toBe(3321);
  });

  it('lists the 99 units of Lào Cai, among them 02905 Xã Bảo Thắng', async () => {
    const children = await units.listChildren(t.db, system, '15');
    expect(children).toHaveLength(99);
    expect(children).toContainEqual(expect.objectContaining({ code: '02905', name: 'Xã Bảo Thắng', level: 'commune', kind: 'commune', parentCode: '15' }));
  });

  it('finds units by name without diacritics or case', async () => {
    const found = await units.searchUnits(t.db, system, 'bao thang');
    expect(found.map((u) => u.code)).toContain('02905');
    expect(found.find((u) => u.code === '02905')?.parentName).toBe('Lào Cai');
    expect((await units.searchUnits(t.db, system, 'BẢO THẮNG')).map((u) => u.code)).toContain('02905');
  });

  it('resolves an old commune code to its new commune, and a split one to every candidate', async () => {
    expect((await units.resolveOldCode(t.db, system, '30454')).map((u) => [u.code, u.name])).toEqual([['30445', 'Xã Bình Thạnh Đông']]);
    expect((await units.resolveOldCode(t.db, system, '00007')).map((u) => u.code)).toEqual(['00008', '00025']);
    expect(await units.resolveOldCode(t.db, system, '99999')).toEqual([]);
  });

  it('returns a unit with its ancestors', async () => {
    const { unit, ancestors } = await units.getUnit(t.db, system, '02905');
    expect(unit.name).toBe('Xã Bảo Thắng');
    expect(ancestors.map((a) => a.code)).toEqual(['15']);
  });
});

describe(`villages (${engineName})`, () => {
  it('creates a village with a code unique in its commune, and audits it in the same transaction', async () => {
    const v = await units.createVillage(t.db, system, { parentCode: '02905', code: 'T01', name: '  Thôn Phú Lâm ', kind: 'village' });
    expect(v).toEqual({ code: '02905.T01', name: 'Thôn Phú Lâm', level: 'village', kind: 'village', parentCode: '02905', localCode: 'T01' });
    await expect(units.createVillage(t.db, system, { parentCode: '02905', code: 'T01', name: 'Khác' })).rejects.toMatchObject({ code: 'conflict' });
    // the same village code in another commune is fine
    await units.createVillage(t.db, system, { parentCode: '02671', code: 'T01', name: 'Tổ dân phố 1', kind: 'residential_group' });
    const log = await readAudit(t.db, system, { entity: 'unit', entityId: '02905.T01' });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'create', actorName: 'cli:test', after: expect.objectContaining({ name: 'Thôn Phú Lâm' }) });
    expect((await units.searchUnits(t.db, system, 'phu lam')).map((u) => u.code)).toContain('02905.T01');
  });

  it('rejects bad input naming the field', async () => {
    const err = await units.createVillage(t.db, system, { parentCode: '15', code: 'x y', name: '' }).catch((e) => e);
    expect(err).toBeInstanceOf(AppError);
    expect(err.code).toBe('validation');
    expect(err.fields.map((f: { path: string }) => f.path).sort()).toEqual(['code', 'name']);
    const notCommune = await units.createVillage(t.db, system, { parentCode: '15', code: 'A', name: 'A' }).catch((e) => e);
    expect(notCommune.fields).toEqual([{ path: 'parentCode', key: 'village_parent_not_commune' }]);
  });

  it("keeps a commune officer inside their commune: another commune's villages can be neither read nor changed", async () => {
    const { actor } = await makeUser(t, 'commune_officer', '02905');
    await units.createVillage(t.db, system, { parentCode: '02680', code: 'B1', name: 'Bản Một' });
    // own commune: allowed
    const own = await units.createVillage(t.db, actor, { parentCode: '02905', code: 'T02', name: 'Thôn Hai' });
    expect(own.code).toBe('02905.T02');
    expect((await units.listChildren(t.db, actor, '02905')).map((u) => u.code)).toContain('02905.T02');
    // other commune: refused, and nothing returned
    await expect(units.listChildren(t.db, actor, '02680')).rejects.toMatchObject({ code: 'out_of_scope' });
    await expect(units.getUnit(t.db, actor, '02680.B1')).rejects.toMatchObject({ code: 'not_found' });
    await expect(units.createVillage(t.db, actor, { parentCode: '02680', code: 'B2', name: 'X' })).rejects.toMatchObject({ code: 'out_of_scope' });
    await expect(units.updateVillage(t.db, actor, '02680.B1', { name: 'Đổi tên' })).rejects.toMatchObject({ code: 'not_found' });
    await expect(units.deleteVillage(t.db, actor, '02680.B1')).rejects.toMatchObject({ code: 'not_found' });
    expect((await units.searchUnits(t.db, actor, 'ban mot')).map((u) => u.code)).not.toContain('02680.B1');
    expect((await units.getUnit(t.db, system, '02680.B1')).unit.name).toBe('Bản Một');
  });

  it('lets a viewer read but not change', async () => {
    const { actor } = await makeUser(t, 'viewer', '15');
    expect(await units.listChildren(t.db, actor, '15')).toHaveLength(99);
    await expect(units.createVillage(t.db, actor, { parentCode: '02905', code: 'V9', name: 'X' })).rejects.toMatchObject({ code: 'forbidden' });
  });

  it('renames and deletes a village, auditing before and after; official units cannot be changed', async () => {
    await units.createVillage(t.db, system, { parentCode: '02905', code: 'T09', name: 'Thôn Chín' });
    const renamed = await units.updateVillage(t.db, system, '02905.T09', { name: 'Thôn Chín Mới', kind: 'hamlet' });
    expect(renamed).toMatchObject({ name: 'Thôn Chín Mới', kind: 'hamlet' });
    await units.deleteVillage(t.db, system, '02905.T09');
    await expect(units.getUnit(t.db, system, '02905.T09')).rejects.toMatchObject({ code: 'not_found' });
    const log = await readAudit(t.db, system, { entity: 'unit', entityId: '02905.T09' });
    expect(log.map((l) => l.action)).toEqual(['delete', 'update', 'create']);
    expect(log[1]).toMatchObject({ before: expect.objectContaining({ name: 'Thôn Chín' }), after: expect.objectContaining({ name: 'Thôn Chín Mới' }) });
    await expect(units.updateVillage(t.db, system, '02905', { name: 'X' })).rejects.toMatchObject({ code: 'forbidden' });
  });
});
