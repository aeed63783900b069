import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { buildApp } from '../../http/app';
import { errorBody } from '../../http/plugins/errors';
import { AppError } from '../../errors';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { readAudit } from '../audit/audit.service';
import * as figures from './figures.service';
import { registerFiguresCommands } from './figures.cli';

let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
let dir: string;
beforeAll(async () => {
  t = await testDatabase();
  app = await buildApp({ database: t, webDist: false });
  await app.ready();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-figures-'));
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const LAO_CAI = { unitCode: '15', asOf: '2025-10-31', participants: 1_475_810, plan: 1_579_758, population: 1_673_064, planDecision: '462/QĐ-BHXH' };

/** The AppError a promise rejects with (fails the test when it resolves). */

/** The field paths and their messages, as the API would answer in `lang`. */
const fieldsOf = (e: AppError, lang: 'vi' | 'en' = 'vi') => errorBody(lang, e.code, e.params, e.fields).error.fields ?? [];

let fileNo = 0;
function csvFile(lines: string[]): string {
  const file = path.join(dir, `f${++fileNo}.csv`);
  fs.writeFileSync(file, lines.join('\n'));
  return file;
}

describe(`reported figures (${engineName})`, () => {
  it('sets the Lào Cai figures of 31/10/2025 and reads them back: 93.42% of plan, 88.21% of population', async () => {
    const saved = await figures.setFigures(t.db, system, { ...LAO_CAI, source: 'VSS report' });
    expect(saved).toMatchObject({
      unitCode: '15',
      unitName: 'Lào Cai',
      asOf: '2025-10-31',
      participants: 1_475_810,
      plan: 1_579_758,
      planYear: 2025,
      planDecision: '462/QĐ-BHXH',
      population: 1_673_064,
      source: 'VSS report',
      percentOfPlan: 93.42,
      percentOfPopulation: 88.21,
      created: true,
      warnings: [],
      createdBy: 'cli:test',
    });
    const list = await figures.listFigures(t.db, system, { unit: '15' });
    expect(list).toHaveLength(1);
    expect(list[0]).toMatchObject({ id: saved.id, participants: 1_475_810, plan: 1_579_758, population: 1_673_064, percentOfPlan: 93.42, percentOfPopulation: 88.21 });
    expect(typeof list[0].participants).toBe('number');

    const log = await readAudit(t.db, system, { entity: 'reported_figure', entityId: saved.id });
    expect(log).toHaveLength(1);
    expect(log[0]).toMatchObject({ action: 'create', unitCode: '15', after: expect.objectContaining({ participants: 1_475_810, asOf: '2025-10-31' }) });
  });

  it('upserts by unit and date: a field left out keeps its value, null clears it, and each change is audited', async () => {
    const again = await figures.setFigures(t.db, system, { unitCode: '15', asOf: '2025-10-31', participants: 1_475_900, voluntarySi: 52_000 });
    expect(again).toMatchObject({ created: false, participants: 1_475_900, plan: 1_579_758, population: 1_673_064, voluntarySi: 52_000, planDecision: '462/QĐ-BHXH' });
    const cleared = await figures.setFigures(t.db, system, { unitCode: '15', asOf: '2025-10-31', voluntarySi: null, participants: 1_475_810 });
    expect(cleared).toMatchObject({ voluntarySi: null, participants: 1_475_810, percentOfPlan: 93.42 });
    expect(await figures.listFigures(t.db, system, { unit: '15' })).toHaveLength(1);
    const log = await readAudit(t.db, system, { entity: 'reported_figure', entityId: again.id });
    expect(log.map((l) => l.action).sort()).toEqual(['create', 'update', 'update']);
    const update = log.find((l) => (l.after as { voluntarySi: number | null }).voluntarySi === null)!;
    expect(update.before).toMatchObject({ voluntarySi: 52_000 });

    // clearing the plan clears its year and decision with it
    const noPlan = await figures.setFigures(t.db, system, { unitCode: '15', asOf: '2025-10-31', plan: null });
    expect(noPlan).toMatchObject({ plan: null, planYear: null, planDecision: null, percentOfPlan: null });
    await figures.setFigures(t.db, system, LAO_CAI);
  });

  it('keeps participants above the population (real data can exceed it) with a warning, and counts by group', async () => {
    const r = await figures.setFigures(t.db, system, {
      unitCode: '02680',
      asOf: '2025-10-31',
      participants: 10_500,
      population: 10_000,
      participantsByGroup: { gd: 4_000, HS: 2_500, HN: 5_000 },
    });
    expect(r.participantsByGroup).toEqual({ GD: 4_000, HS: 2_500, HN: 5_000 });
    expect(r.warnings.map((w) => w.code)).toEqual(['participants_above_population', 'groups_above_participants']);
    expect(r.warnings[0].message).toBe('Số người tham gia (10.500) lớn hơn dân số (10.000); số liệu vẫn được lưu');
    const en = await figures.setFigures(t.db, system, { unitCode: '02680', asOf: '2025-10-31', note: 'checked' }, { language: 'en' });
    expect(en.warnings[0].message).toBe('Participants (10,500) exceed the population (10,000); the figures were saved anyway');
    expect(en.percentOfPopulation).toBe(105);
  });

  it('refuses bad input naming the field, with messages from the catalogue', async () => {
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ unitCode: '15', asOf: '2025-10-31', participants: -1 }, 'participants', 'Phải lớn hơn hoặc bằng 0'],
      [{ unitCode: '15', asOf: '2025-10-31', participants: 1.5 }, 'participants'],
      [{ unitCode: '15', asOf: '2025-10-31', population: '1673064' }, 'population'],
      [{ unitCode: '15', asOf: '2025-02-30', participants: 1 }, 'asOf', 'Ngày phải có dạng YYYY-MM-DD'],
      [{ unitCode: '15', asOf: '31/10/2025', participants: 1 }, 'asOf'],
      [{ unitCode: '99999', asOf: '2025-10-31', participants: 1 }, 'unitCode', 'Không có đơn vị mã 99999'],
      [{ unitCode: '15', asOf: '2025-10-31', participantsByGroup: { ZZ: 3 } }, 'participantsByGroup.ZZ', 'Mã đối tượng tham gia không tồn tại: ZZ'],
      [{ unitCode: '15', asOf: '2024-06-30' }, 'participants', 'Nhập ít nhất một số liệu: số người tham gia, theo đối tượng, BHXH tự nguyện, dân số hoặc chỉ tiêu kế hoạch'],
      [{ unitCode: '15', asOf: '2024-06-30', participants: 5, planDecision: '1/QĐ' }, 'plan', 'Năm kế hoạch và số quyết định chỉ đi kèm chỉ tiêu kế hoạch'],
      [{ unitCode: '15', asOf: '2025-10-31', participants: 1, colour: 'red' }, 'colour'],
    ];
    for (const [input, field, message] of cases) {
      const e = await failure(figures.setFigures(t.db, system, input as never));
      expect(e.code, JSON.stringify(input)).toBe('validation');
      const fields = fieldsOf(e);
      expect(fields.map((f) => f.path), JSON.stringify(input)).toContain(field);
      if (message) expect(fields.find((f) => f.path === field)?.message).toBe(message);
    }
    const en = await failure(figures.setFigures(t.db, system, { unitCode: '15', asOf: '2024-06-30' }));
    expect(fieldsOf(en, 'en')[0].message).toMatch(/^Enter at least one figure/);
    expect(await figures.listFigures(t.db, system, { unit: '15', to: '2025-01-01' })).toEqual([]);
  });

  it('keeps a commune officer of 02905 to their commune', async () => {
    const { actor } = await makeUser(t, 'commune_officer', '02905');
    const own = await figures.setFigures(t.db, actor, { unitCode: '02905', asOf: '2025-10-31', participants: 14_000, population: 15_000 });
    expect(own.percentOfPopulation).toBe(93.33);
    for (const unitCode of ['02680', '15']) {
      const e = await failure(figures.setFigures(t.db, actor, { unitCode, asOf: '2025-10-31', participants: 1 }));
      expect(e.code).toBe('out_of_scope');
      expect(e.status).toBe(403);
    }
    expect((await failure(figures.listFigures(t.db, actor, { unit: '15' }))).code).toBe('out_of_scope');
    expect((await figures.listFigures(t.db, actor, { unit: '02905' })).map((f) => f.participants)).toEqual([14_000]);
    expect((await figures.listFigures(t.db, system, { unit: '02680' }))[0].participants).toBe(10_500);

    const viewer = (await makeUser(t, 'viewer', '15')).actor;
    expect((await failure(figures.setFigures(t.db, viewer, { unitCode: '15', asOf: '2025-10-31', participants: 1 }))).code).toBe('forbidden');
    expect((await figures.listFigures(t.db, viewer, { unit: '02905' })).map((f) => f.participants)).toEqual([14_000]);
  });

  it('answers the figures known on a date, carrying population and plan forward, and a year earlier', async () => {
    await figures.setFigures(t.db, system, { unitCode: '15', asOf: '2024-10-31', participants: 1_533_228, population: 1_660_000 });
    await figures.setFigures(t.db, system, { unitCode: '15', asOf: '2025-11-30', participants: 1_480_000 });

    const now = await figures.latestFigures(t.db, '15', '2025-11-15');
    expect(now).toMatchObject({ unitCode: '15', asOf: '2025-10-31', participants: 1_475_810, plan: 1_579_758, planYear: 2025, planDecision: '462/QĐ-BHXH', population: 1_673_064 });

    // the November count has no plan or population of its own: both come from 31/10
    const later = await figures.latestFigures(t.db, '15', '2025-12-31');
    expect(later).toMatchObject({ asOf: '2025-11-30', participants: 1_480_000, plan: 1_579_758, population: 1_673_064 });
    expect(later!.dates).toEqual({ participants: '2025-11-30', plan: '2025-10-31', population: '2025-10-31' });

    const yearBefore = await figures.figureOnOrNear(t.db, '15', '2025-10-31');
    expect(yearBefore).toMatchObject({ asOf: '2024-10-31', participants: 1_533_228, plan: null });
    expect(now!.participants! - yearBefore!.participants!).toBe(-57_418);

    expect(await figures.latestFigures(t.db, '15', '2024-10-30')).toBeUndefined();
    expect(await figures.latestFigures(t.db, '91', '2025-12-31')).toBeUndefined();
    expect(figures.oneYearBefore('2024-02-29')).toBe('2023-02-28');
    expect(figures.oneYearBefore('2025-03-01')).toBe('2024-03-01');

    const many = await figures.latestFiguresOf(t.db, ['15', '02905', '02680', '91'], '2025-10-31');
    expect([...many.keys()].sort()).toEqual(['02680', '02905', '15']);
    expect(many.get('02680')!.participantsByGroup).toEqual({ GD: 4_000, HS: 2_500, HN: 5_000 });
  });
});

describe(`figure import (${engineName})`, () => {
  const HEADER = 'STT,Mã đơn vị,Tên đơn vị,Ngày,Số người tham gia,Dân số,Chỉ tiêu,Số quyết định,GD,HS';

  it('imports nothing when one row is bad, and reports each bad cell', async () => {
    const file = csvFile([
      HEADER,
      '1,2905,Xã Bảo Thắng,31/03/2025,"13.500",15000,14250,462/QĐ-BHXH,6000,2000',
      '2,02680,Xã Mường Bo,31/03/2025,abc,,,,,',
      '3,99999,Không có,31/03/2025,5,,,,,',
      '4,02905,Xã Bảo Thắng,31/02/2025,5,,,,,',
      '5,02905,Xã Bảo Thắng,31/03/2025,7,,,,,',
      '6,02905,Xã Bảo Thắng,30/04/2025,,,,,,',
    ]);
    const r = await figures.importFigures(t.db, system, file);
    expect(r).toMatchObject({ rows: 6, inserted: 0, updated: 0, rejected: 5, rolledBack: true, ignoredColumns: ['STT', 'Tên đơn vị'] });
    expect(r.errors).toEqual([
      { row: 3, column: 'participants', value: 'abc', message: 'Phải là số nguyên không âm (ví dụ 1475810 hoặc 1.475.810)' },
      { row: 4, column: 'unit_code', value: '99999', message: 'Không có đơn vị mã này' },
      { row: 5, column: 'as_of', value: '31/02/2025', message: 'Ngày không hợp lệ (dd/MM/yyyy hoặc yyyy-mm-dd)' },
      { row: 6, column: 'as_of', value: '2025-03-31', message: 'Đơn vị và ngày này đã có ở dòng 2 của tệp' },
      { row: 7, column: 'participants', value: '', message: 'Dòng không có số liệu nào' },
    ]);
    expect(await figures.listFigures(t.db, system, { unit: '02905', to: '2025-06-30' })).toEqual([]);
  });

  it('imports a good file, then updates from a second one keeping blank cells', async () => {
    const file = csvFile([HEADER, '1,2905,Xã Bảo Thắng,31/03/2025,"13.500",15000,14250,462/QĐ-BHXH,6000,2000', '2,02680,Xã Mường Bo,2025-03-31,9000,,,,,']);
    const dry = await figures.importFigures(t.db, system, file, { dryRun: true });
    expect(dry).toMatchObject({ rows: 2, inserted: 2, updated: 0, rejected: 0, rolledBack: true });
    expect(await figures.listFigures(t.db, system, { unit: '02905', to: '2025-06-30' })).toEqual([]);

    const r = await figures.importFigures(t.db, system, file);
    expect(r).toMatchObject({ rows: 2, inserted: 2, updated: 0, rejected: 0, errors: [], rolledBack: false });
    const [march] = await figures.listFigures(t.db, system, { unit: '02905', to: '2025-06-30' });
    expect(march).toMatchObject({
      asOf: '2025-03-31',
      participants: 13_500,
      population: 15_000,
      plan: 14_250,
      planYear: 2025,
      planDecision: '462/QĐ-BHXH',
      participantsByGroup: { GD: 6_000, HS: 2_000 },
      percentOfPlan: 94.74,
    });

    const update = csvFile(['unit_code,as_of,participants,population', '02905,2025-03-31,13600,']);
    expect(await figures.importFigures(t.db, system, update)).toMatchObject({ inserted: 0, updated: 1, rolledBack: false });
    const [after] = await figures.listFigures(t.db, system, { unit: '02905', to: '2025-06-30' });
    expect(after).toMatchObject({ participants: 13_600, population: 15_000, plan: 14_250 });
    const log = await readAudit(t.db, system, { entity: 'reported_figure', entityId: march.id });
    expect(log.map((l) => l.action)).toEqual(['import', 'import']);
  });

  it('reads .xlsx with numbers and dates as Excel stores them, and keeps a commune officer to their commune', async () => {
    const file = path.join(dir, 'so-lieu.xlsx');
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Số liệu');
    ws.addRow(['Mã đơn vị', 'Ngày', 'Số người tham gia', 'Dân số', 'BHXH tự nguyện', 'HN']);
    ws.addRow([2905, new Date(Date.UTC(2025, 4, 31)), 13_700, 15_010, 800, 1_200]);
    await wb.xlsx.writeFile(file);
    const { actor } = await makeUser(t, 'commune_officer', '02905');
    const r = await figures.importFigures(t.db, actor, file);
    expect(r).toMatchObject({ rows: 1, inserted: 1, rejected: 0, rolledBack: false });
    const may = (await figures.listFigures(t.db, actor, { unit: '02905', from: '2025-05-31', to: '2025-05-31' }))[0];
    expect(may).toMatchObject({ participants: 13_700, population: 15_010, voluntarySi: 800, participantsByGroup: { HN: 1_200 } });

    const outside = csvFile(['Mã đơn vị,Ngày,Số người tham gia', '02680,31/05/2025,1', '15,31/05/2025,2', '02905,30/06/2025,3']);
    const refused = await figures.importFigures(t.db, actor, outside);
    expect(refused).toMatchObject({ rows: 3, inserted: 0, rejected: 2, rolledBack: true });
    expect(refused.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [2, 'unit_code', 'Đơn vị này nằm ngoài phạm vi quản lý của bạn'],
      [3, 'unit_code', 'Đơn vị này nằm ngoài phạm vi quản lý của bạn'],
    ]);
    expect(await figures.listFigures(t.db, actor, { unit: '02905', from: '2025-06-30', to: '2025-06-30' })).toEqual([]);
  });

  it('refuses a file without the required columns, an unknown format, and viewers', async () => {
    const e = await failure(figures.importFigures(t.db, system, csvFile(['Số người tham gia,Dân số', '1,2'])));
    expect(fieldsOf(e).map((f) => f.message)).toEqual(['Thiếu cột bắt buộc: unit_code', 'Thiếu cột bắt buộc: as_of']);
    expect(fieldsOf(await failure(figures.importFigures(t.db, system, path.join(dir, 'scan.pdf'))))[0].path).toBe('file');
    const viewer = (await makeUser(t, 'viewer', '15')).actor;
    expect((await failure(figures.importFigures(t.db, viewer, csvFile([HEADER])))).code).toBe('forbidden');
  });

  it('parses counts as offices write them', () => {
    expect(['1475810', '1.475.810', '1,475,810', '1 475 810', ' 12 '].map((v) => figures.parseCount(v))).toEqual([1475810, 1475810, 1475810, 1475810, 12]);
    expect(figures.parseCount('')).toBeUndefined();
    expect(figures.parseCount(null)).toBeUndefined();
    for (const bad of ['1.5', '-3', '12a', '1.47.810', 2.5, -1]) expect(figures.parseCount(bad)).toBeNaN();
    expect(figures.parseUnitCodeCell(15)).toBe('15');
    expect(figures.parseUnitCodeCell(1)).toBe('01');
    expect(figures.parseUnitCodeCell('2905')).toBe('02905');
    expect(figures.parseUnitCodeCell('02905.thon-phu-lam')).toBe('02905.thon-phu-lam');
  });
});

describe(`targets (${engineName})`, () => {
  it('sets a target per unit and year (a % of population or a count), upserts, and lists a unit with the units under it', async () => {
    const p = await figures.setTarget(t.db, system, { unitCode: '15', year: 2025, kind: 'percent_population', value: 95, decision: '15-KH/TU' });
    expect(p).toMatchObject({ unitCode: '15', unitName: 'Lào Cai', year: 2025, kind: 'percent_population', value: 95, decision: '15-KH/TU' });
    const again = await figures.setTarget(t.db, system, { unitCode: '15', year: 2025, kind: 'percent_population', value: 95.5 });
    expect(again).toMatchObject({ id: p.id, value: 95.5, decision: null });
    await figures.setTarget(t.db, system, { unitCode: '02905', year: 2025, kind: 'participants', value: 14_500 });
    await figures.setTarget(t.db, system, { unitCode: '02905', year: 2026, kind: 'percent_population', value: 96 });
    await figures.setTarget(t.db, system, { unitCode: '30445', year: 2025, kind: 'participants', value: 100 });

    const lc = await figures.listTargets(t.db, system, { unit: '15' });
    expect(lc.map((x) => [x.unitCode, x.year, x.kind, x.value])).toEqual([
      ['02905', 2026, 'percent_population', 96],
      ['02905', 2025, 'participants', 14_500],
      ['15', 2025, 'percent_population', 95.5],
    ]);
    expect((await figures.listTargets(t.db, system, { year: 2025 })).map((x) => x.unitCode)).toEqual(['02905', '15', '30445']);
    const log = await readAudit(t.db, system, { entity: 'coverage_target', entityId: p.id });
    expect(log.map((l) => l.action).sort()).toEqual(['create', 'update']);

    const officer = (await makeUser(t, 'commune_officer', '02905')).actor;
    expect((await figures.listTargets(t.db, officer)).map((x) => [x.unitCode, x.year])).toEqual([
      ['02905', 2026],
      ['02905', 2025],
    ]);
    expect((await failure(figures.setTarget(t.db, officer, { unitCode: '15', year: 2025, kind: 'participants', value: 1 }))).code).toBe('out_of_scope');
    expect((await failure(figures.listTargets(t.db, officer, { unit: '15' }))).code).toBe('out_of_scope');
  });

  it('refuses a percent above 100 and a fractional count, naming the value', async () => {
    for (const input of [
      { unitCode: '15', year: 2025, kind: 'percent_population' as const, value: 120 },
      { unitCode: '15', year: 2025, kind: 'participants' as const, value: 10.5 },
      { unitCode: '15', year: 2025, kind: 'participants' as const, value: -1 },
    ]) {
      const e = await failure(figures.setTarget(t.db, system, input));
      expect(fieldsOf(e).map((f) => f.path)).toEqual(['value']);
    }
    const e = await failure(figures.setTarget(t.db, system, { unitCode: '15', year: 2025, kind: 'percent_population', value: 120 }));
    expect(fieldsOf(e)[0].message).toBe('Tỷ lệ dân số tham gia tối đa là 100%');
  });

  it('sets a recruitment target per staff member and year, inside their unit and the actor scope', async () => {
    const lan = await makeUser(t, 'commune_officer', '02905', 'lan_target');
    const s = await figures.setStaffTarget(t.db, system, { username: 'lan_target', year: 2025, participants: 300 });
    expect(s).toMatchObject({ userId: lan.user.id, username: 'lan_target', year: 2025, participants: 300, unitCode: '02905', unitName: 'Xã Bảo Thắng' });
    const again = await figures.setStaffTarget(t.db, system, { userId: lan.user.id, year: 2025, participants: 350 });
    expect(again).toMatchObject({ id: s.id, participants: 350 });

    const province = (await makeUser(t, 'province_staff', '15')).actor;
    expect((await figures.listStaffTargets(t.db, province, { unit: '15', year: 2025 })).map((x) => [x.username, x.participants])).toEqual([['lan_target', 350]]);
    const other = (await makeUser(t, 'province_staff', '91')).actor;
    expect(await figures.listStaffTargets(t.db, other)).toEqual([]);
    const hidden = await failure(figures.setStaffTarget(t.db, other, { username: 'lan_target', year: 2025, participants: 1 }));
    expect(fieldsOf(hidden)).toEqual([{ path: 'username', message: 'Không có người dùng lan_target' }]);

    const outside = await failure(figures.setStaffTarget(t.db, system, { username: 'lan_target', year: 2026, participants: 1, unitCode: '02680' }));
    expect(fieldsOf(outside)).toEqual([{ path: 'unitCode', message: 'Đơn vị 02680 nằm ngoài phạm vi phụ trách của lan_target' }]);
    const both = await failure(figures.setStaffTarget(t.db, system, { username: 'lan_target', userId: lan.user.id, year: 2026, participants: 1 }));
    expect(fieldsOf(both)[0].path).toBe('userId');
    const log = await readAudit(t.db, system, { entity: 'staff_target', entityId: s.id });
    expect(log.map((l) => l.action).sort()).toEqual(['create', 'update']);
  });
});

describe(`coverage over HTTP (${engineName})`, () => {
  async function login(role: 'province_staff' | 'commune_officer', scope: string) {
    const u = await makeUser(t, role, scope);
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    return { cookie: `cd_session=${res.cookies[0].value}`, 'x-csrf-token': res.json().csrfToken };
  }

  function multipart(fileName: string, content: string) {
    const boundary = '----coverdesk' + Math.random().toString(16).slice(2);
    const body =
      `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n` + content + `\r\n--${boundary}--\r\n`;
    return { payload: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }

  it('sets and reads figures, imports a file, and sets targets, every route in scope', async () => {
    const headers = await login('province_staff', '15');
    const body = { unitCode: '15', asOf: '2025-09-30', participants: 1_470_000, plan: 1_579_758, population: 1_673_064, planDecision: '462/QĐ-BHXH' };
    const created = await app.inject({ method: 'PUT', url: '/api/coverage/figures', payload: body, headers });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ created: true, percentOfPlan: 93.05, percentOfPopulation: 87.86, warnings: [] });
    const updated = await app.inject({ method: 'PUT', url: '/api/coverage/figures', payload: { unitCode: '15', asOf: '2025-09-30', participants: 1_470_001 }, headers });
    expect(updated.statusCode).toBe(200);
    expect(updated.json()).toMatchObject({ created: false, participants: 1_470_001, plan: 1_579_758 });

    const list = await app.inject({ url: '/api/coverage/figures?unit=15&from=2025-09-01&to=2025-10-31', headers });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((f: { asOf: string; participants: number }) => [f.asOf, f.participants])).toEqual([
      ['2025-09-30', 1_470_001],
      ['2025-10-31', 1_475_810],
    ]);

    const bad = await app.inject({ method: 'PUT', url: '/api/coverage/figures', payload: { unitCode: '15', asOf: '2025-09-30', participants: -5 }, headers });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([{ path: 'participants', message: 'Phải lớn hơn hoặc bằng 0' }]);
    const group = await app.inject({ method: 'PUT', url: '/api/coverage/figures', payload: { unitCode: '15', asOf: '2025-09-30', participantsByGroup: { XX: 1 } }, headers });
    expect(group.json().error.fields).toEqual([{ path: 'participantsByGroup.XX', message: 'Mã đối tượng tham gia không tồn tại: XX' }]);

    const file = multipart('so-lieu.csv', 'Mã đơn vị,Ngày,Số người tham gia\n02905,31/07/2025,13800\n02680,31/07/2025,-1\n');
    const imported = await app.inject({ method: 'POST', url: '/api/coverage/figures/import', payload: file.payload, headers: { ...headers, ...file.headers } });
    expect(imported.statusCode).toBe(200);
    expect(imported.json()).toMatchObject({ rows: 2, inserted: 0, rejected: 1, rolledBack: true, errors: [{ row: 3, column: 'participants', value: '-1' }] });
    const good = multipart('so-lieu.csv', 'Mã đơn vị,Ngày,Số người tham gia\n02905,31/07/2025,13800\n');
    const ok = await app.inject({ method: 'POST', url: '/api/coverage/figures/import', payload: good.payload, headers: { ...headers, ...good.headers } });
    expect(ok.json()).toMatchObject({ rows: 1, inserted: 1, rolledBack: false });
    const pdf = multipart('scan.pdf', '%PDF');
    const refusedPdf = await app.inject({ method: 'POST', url: '/api/coverage/figures/import', payload: pdf.payload, headers: { ...headers, ...pdf.headers } });
    expect(refusedPdf.statusCode).toBe(400);

    const target = await app.inject({ method: 'PUT', url: '/api/coverage/targets', payload: { unitCode: '15', year: 2026, kind: 'percent_population', value: 95 }, headers });
    expect(target.statusCode).toBe(200);
    expect(target.json()).toMatchObject({ unitCode: '15', year: 2026, value: 95 });
    const targets = await app.inject({ url: '/api/coverage/targets?unit=15&year=2026', headers });
    expect(targets.json().items.map((x: { unitCode: string }) => x.unitCode)).toEqual(['02905', '15']);

    const staff = await app.inject({ method: 'PUT', url: '/api/coverage/staff-targets', payload: { username: 'lan_target', year: 2026, participants: 400 }, headers });
    expect(staff.statusCode).toBe(200);
    expect(staff.json()).toMatchObject({ username: 'lan_target', participants: 400, unitCode: '02905' });
    const staffList = await app.inject({ url: '/api/coverage/staff-targets?year=2026', headers });
    expect(staffList.json().items.map((x: { username: string }) => x.username)).toEqual(['lan_target']);
  });

  it('refuses out-of-scope units, missing CSRF tokens and anonymous callers', async () => {
    const officer = await login('commune_officer', '02905');
    for (const unitCode of ['02680', '15']) {
      const res = await app.inject({ method: 'PUT', url: '/api/coverage/figures', payload: { unitCode, asOf: '2025-10-31', participants: 1 }, headers: officer });
      expect(res.statusCode).toBe(403);
      expect(res.json().error.code).toBe('out_of_scope');
    }
    expect((await app.inject({ url: '/api/coverage/figures?unit=15', headers: officer })).statusCode).toBe(403);
    const noCsrf = await app.inject({ method: 'PUT', url: '/api/coverage/figures', payload: { unitCode: '02905', asOf: '2025-10-31', participants: 1 }, headers: { cookie: officer.cookie } });
    expect(noCsrf.statusCode).toBe(403);
    expect((await app.inject({ url: '/api/coverage/targets' })).statusCode).toBe(401);
    const mine = ['/api/coverage/figures', '/api/coverage/figures/import', '/api/coverage/targets', '/api/coverage/staff-targets'];
    const routes = app.routeTable.filter((r) => mine.includes(r.url) && r.method !== 'HEAD');
    expect(routes.map((r) => `${r.method} ${r.url} ${r.permission}`).sort()).toEqual([
      'GET /api/coverage/figures units:read',
      'GET /api/coverage/staff-targets units:read',
      'GET /api/coverage/targets units:read',
      'POST /api/coverage/figures/import units:write',
      'PUT /api/coverage/figures units:write',
      'PUT /api/coverage/staff-targets units:write',
      'PUT /api/coverage/targets units:write',
    ]);
    const docs = await app.inject({ url: '/api/docs/json' });
    expect(docs.statusCode).toBe(200);
    expect(Object.keys(docs.json().paths)).toEqual(expect.arrayContaining(['/api/coverage/figures', '/api/coverage/figures/import', '/api/coverage/targets', '/api/coverage/staff-targets']));
  });
});

describe(`figures CLI (${engineName})`, () => {
  /** Runs the commands against the test database, capturing what they print. */
  const run = (args: string[]) => runCli(t, registerFiguresCommands, args);

  it('figures set, list and import; target set and list', async () => {
    const set = await run(['figures', 'set', '--unit', '15', '--date', '2025-10-31', '--participants', '1475810', '--plan', '1579758', '--population', '1673064', '--plan-decision', '462/QĐ-BHXH', '--json']);
    expect(set.json[0]).toMatchObject({ unitCode: '15', participants: 1_475_810, plan: 1_579_758, population: 1_673_064, percentOfPlan: 93.42, percentOfPopulation: 88.21 });

    const text = await run(['figures', 'set', '--unit', '15', '--date', '2025-10-31', '--participants', '1.475.810', '--group', 'GD=300000', '--group', 'HS=250000']);
    expect(text.printed[0]).toBe('Đã lưu số liệu của Lào Cai (15) ngày 31/10/2025');
    expect(text.printed[1]).toBe('31/10/2025  Lào Cai (15)  tham gia 1.475.810  kế hoạch 1.579.758 (93,42%)  dân số 1.673.064 (88,21%)');

    const list = await run(['figures', 'list', '--unit', '15', '--from', '2025-10-31', '--to', '2025-10-31', '--json']);
    expect(list.json[0]).toEqual([expect.objectContaining({ asOf: '2025-10-31', participantsByGroup: { GD: 300_000, HS: 250_000 } })]);

    const file = csvFile(['Mã đơn vị,Ngày,Số người tham gia', '02905,31/08/2025,13900']);
    const imported = await run(['figures', 'import', file, '--json']);
    expect(imported.json[0]).toMatchObject({ rows: 1, inserted: 1, rejected: 0, rolledBack: false });

    const target = await run(['target', 'set', '--unit', '15', '--year', '2027', '--percent', '95']);
    expect(target.printed).toEqual(['Đã lưu chỉ tiêu năm 2027 của Lào Cai (15): 95 % dân số']);
    const count = await run(['target', 'set', '--unit', '02905', '--year', '2027', '--participants', '14600', '--json']);
    expect(count.json[0]).toMatchObject({ kind: 'participants', value: 14_600 });
    const targets = await run(['target', 'list', '--unit', '15', '--year', '2027', '--json']);
    expect((targets.json[0] as unknown as { unitCode: string }[]).map((x) => x.unitCode)).toEqual(['02905', '15']);

    await expect(run(['target', 'set', '--unit', '15', '--year', '2027'])).rejects.toMatchObject({ code: 'validation' });
    const e = await failure(run(['figures', 'set', '--unit', '15', '--date', '2025-10-31', '--participants', 'nhiều']));
    expect(fieldsOf(e)).toEqual([{ path: 'participants', message: 'Phải là số nguyên không âm' }]);
  });
});
