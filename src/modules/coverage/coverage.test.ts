import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { importRegister } from '../register/import.service';
import { CANONICAL_COLUMNS } from '../../domain/register-row';
import { setFigures } from './figures.service';
import * as coverage from './coverage.service';
import { coverageJson, coverageLines } from './coverage.cli';
import { translator } from '../../i18n/index';

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await testDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-coverage-'));
});
afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(`coverage (${engineName})`, () => {
  it('gives 93.42% of plan and 88.21% of population for the Lào Cai figures, and 57,418 fewer than a year earlier', async () => {
    await setFigures(t.db, system, { unitCode: '15', asOf: '2024-10-31', participants: 1_533_228 });
    await setFigures(t.db, system, { unitCode: '15', asOf: '2025-10-31', participants: 1_475_810, plan: 1_579_758, population: 1_673_064, planDecision: '462/QĐ-BHXH' });
    const r = await coverage.coverageOf(t.db, system, '15', '2025-10-31');
    expect(coverageJson(r)).toMatchObject({
      unit: '15',
      participants: 1_475_810,
      plan: 1_579_758,
      population: 1_673_064,
      pctPlan: 93.42,
      pctPopulation: 88.21,
      yoyChange: -57_418,
      sources: { participants: 'reported', population: 'reported', plan: 'reported' },
    });
    expect(r.children).toHaveLength(99);
  });

  it('counts a hand-computed register: a card ending on the date covers, one starting the day after does not', async () => {
    // commune 02680 (Xã Hợp Thành): five persons in two villages
    const rows = [
      // covered: card ends on the date
      'P1,02680,Thôn A,,,Nguyễn Văn Một,chủ hộ,01/01/1980,nam,,,Kinh,,GD,GD,01/11/2024,31/10/2025',
      // not covered: card starts the day after
      'P1,02680,Thôn A,,,Nguyễn Thị Hai,vợ,01/01/1982,nữ,,,Kinh,,GD,GD,01/11/2025,31/10/2026',
      // covered, and expiring within 30 days (ends 15/11/2025; so does the first card, ending on the date)
      'P2,02680,Thôn B,,,Lò Văn Ba,chủ hộ,01/01/1970,nam,,,Thái,,HN,HN,16/11/2024,15/11/2025',
      // covered for long, pupil
      'P2,02680,Thôn B,,,Lò Thị Bốn,con,01/01/2012,nữ,,,Thái,,HS,HS,01/10/2025,30/09/2026',
      // never insured
      'P2,02680,Thôn B,,,Lò Văn Năm,con,01/01/2000,nam,,,Thái,,GD,,,',
    ];
    const file = path.join(dir, 'register.csv');
    fs.writeFileSync(file, [CANONICAL_COLUMNS.join(','), ...rows].join('\n'));
    const imported = await importRegister(t, system, { path: file }, { today: '2025-10-31' });
    expect(imported.inserted).toBe(5);
    await setFigures(t.db, system, { unitCode: '02680', asOf: '2025-01-01', plan: 4 });

    const r = await coverage.coverageOf(t.db, system, '02680', '2025-10-31');
    expect(r).toMatchObject({ population: 5, participants: 3, expiring30: 2, neverInsured: 1, plan: 4, pctPlan: 75, pctPopulation: 60 });
    expect(r.sources).toEqual({ population: 'register', participants: 'register', plan: 'reported' });
    expect(r.byGroup).toEqual({ GD: 1, HN: 1, HS: 1 });
    // a year earlier (31/10/2024) no card had started: nobody was covered
    expect(r.yoyChange).toBe(3);
    const villages = Object.fromEntries(r.children.map((c) => [c.name, [c.population, c.participants]]));
    expect(villages).toEqual({ 'Thôn A': [2, 1], 'Thôn B': [3, 2] });
    // the next day the first card has ended
    expect((await coverage.coverageOf(t.db, system, '02680', '2025-11-01')).participants).toBe(3);
    expect((await coverage.coverageOf(t.db, system, '02680', '2025-11-16')).participants).toBe(2);

    // the province adds up its communes' registers, and shows its reported figures beside them
    const province = await coverage.coverageOf(t.db, system, '15', '2025-10-31');
    expect(province.register).toMatchObject({ population: 5, participants: 3 });
    // a register of one commune does not stand for the province: its reported figures stay the headline
    expect(province).toMatchObject({ participants: 1_475_810, pctPlan: 93.42, sources: { participants: 'reported' } });
    expect(province.difference).toEqual({ participants: 3 - 1_475_810, population: 5 - 1_673_064 });
    expect(province.children.find((c) => c.unit === '02680')).toMatchObject({ participants: 3, population: 5 });
    // the CLI shows both sources and their difference, in its JSON and its text
    expect(coverageJson(province)).toMatchObject({
      participants: 1_475_810,
      register: { population: 5, participants: 3 },
      reported: { asOf: '2025-10-31', participants: 1_475_810, population: 1_673_064, plan: 1_579_758, staleFields: [] },
      difference: { participants: 3 - 1_475_810, population: 5 - 1_673_064 },
      stale: false,
    });
    expect(coverageJson(province).children.find((c) => c.unit === '02680')).toMatchObject({ register: { participants: 3 }, reported: { plan: 4 } });
    const lines = coverageLines(province, translator('vi'), 'vi');
    expect(lines.slice(0, 4)).toEqual([
      'Lào Cai: 1.475.810 người tham gia, 93,42% kế hoạch, 88,21% dân số',
      '  sổ quản lý: 3 người tham gia, dân số 5',
      '  số liệu báo cáo đến ngày 31/10/2025: 1.475.810 người tham gia, dân số 1.673.064, kế hoạch 1.579.758',
      '  chênh lệch (sổ quản lý trừ báo cáo): người tham gia -1.475.807, dân số -1.673.059',
    ]);
    // read a year later, the reported figures are flagged
    const later = coverageLines(await coverage.coverageOf(t.db, system, '15', '2026-11-30'), translator('vi'), 'vi');
    expect(later).toContain('  ⚠ Số liệu báo cáo đã cũ so với ngày 30/11/2026: số người tham gia tính đến ngày 31/10/2025; dân số tính đến ngày 31/10/2025; chỉ tiêu kế hoạch của năm 2025. Hãy nhập số liệu mới.');

    const trend = await coverage.trend(t.db, system, { unit: '02680', date: '2025-11-15', months: 3 });
    expect(trend.points).toEqual([
      { month: '2025-09', date: '2025-09-30', participants: 2, participantsYearAgo: 0 },
      { month: '2025-10', date: '2025-10-31', participants: 3, participantsYearAgo: 0 },
      { month: '2025-11', date: '2025-11-30', participants: 2, participantsYearAgo: 2 },
    ]);
    const pupils = await coverage.pupils(t.db, system, { unit: '02680', date: '2025-10-31' });
    expect(pupils).toMatchObject({ schoolYear: '2025-2026', total: { pupils: 1, covered: 1, pct: 100, missing: 0 } });
    const low = await coverage.lowCoverage(t.db, system, { unit: '15', date: '2025-10-31', threshold: 95 });
    expect(low.find((u) => u.unit === '02680')).toMatchObject({ pctPopulation: 60, target: 95, missing: 2 });

    const uncovered = await coverage.actionList(t.db, system, { unit: '02680', date: '2025-10-31', kind: 'uncovered' });
    // Nguyễn Thị Hai is not covered today but her card starts tomorrow: nobody needs to visit her
    expect(uncovered.map((p) => p.fullName)).toEqual(['Lò Văn Năm']);
    const expiring = await coverage.actionList(t.db, system, { unit: '02680', date: '2025-10-31', kind: 'expiring', days: 30 });
    expect(expiring.map((p) => p.fullName)).toEqual(['Nguyễn Văn Một', 'Lò Văn Ba']);
  });

  it('keeps users inside their scope', async () => {
    const { actor } = await makeUser(t, 'commune_officer', '02905');
    await expect(coverage.coverageOf(t.db, actor, '02680', '2025-10-31')).rejects.toMatchObject({ code: 'out_of_scope' });
    await expect(coverage.coverageOf(t.db, actor, '15', '2025-10-31')).rejects.toMatchObject({ code: 'out_of_scope' });
    await expect(coverage.actionList(t.db, actor, { unit: '02680', date: '2025-10-31', kind: 'uncovered' })).rejects.toMatchObject({ code: 'out_of_scope' });
    expect((await coverage.coverageOf(t.db, actor, '02905', '2025-10-31')).unit).toBe('02905');
    await expect(coverage.coverageOf(t.db, actor, '02905', '2025-13-01')).rejects.toMatchObject({ code: 'validation' });
  });
});

describe(`projection and the cost of the gap (${engineName})`, () => {
  it('projects from expiries and renewals, and prices the gap cheapest first with state-paid people apart', async () => {
    // commune 04543: 4 persons; 2 covered (one to 31/12/2025 renewing history, one to 15/11/2025), 2 uncovered (a near-poor adult, a poor one)
    const rows = [
      'Q1,04543,,,,Bùi Văn A,chủ hộ,01/01/1980,nam,,,Kinh,,GD,GD,01/01/2025,31/12/2025',
      'Q1,04543,,,,Bùi Thị B,vợ,01/01/1982,nữ,,,Kinh,,GD,GD,16/11/2024,15/11/2025',
      'Q2,04543,,hộ cận nghèo,,Vi Văn C,chủ hộ,01/01/1975,nam,,,Tày,,CN,,,',
      'Q3,04543,,hộ nghèo,,Vi Văn D,chủ hộ,01/01/1978,nam,,,Tày,,HN,,,',
    ];
    const file = path.join(dir, 'projection.csv');
    fs.writeFileSync(file, [CANONICAL_COLUMNS.join(','), ...rows].join('\n'));
    await importRegister(t, system, { path: file }, { today: '2025-10-31' });
    const p = await coverage.projection(t.db, system, { unit: '04543', date: '2025-10-31', targetPercent: 100 });
    expect(p).toMatchObject({ covered: 2, population: 4, targetDate: '2025-12-31' });
    // no card ended in the observed window: renewal rate 0, so the card ending 15/11 is lost by 31/12
    expect(p.projection).toMatchObject({ expected: 1, lost: 1 });
    expect(p.target).toMatchObject({ targetParticipants: 4, gap: 3 });
    // the poor household member is enrolled through the state budget; the near-poor one is bought first (70% state)
    expect(p.cost.stateBudget).toBe(1);
    expect(p.cost.fundedFirst.map((f) => f.group)).toEqual(['CN']);
    expect(p.cost.total).toBe(p.cost.fundedFirst.reduce((n, f) => n + f.payable, 0));
    expect(p.cost.shortfall).toBe(1);
  });

  it('refuses, naming the unit, to project a commune with neither a register nor a reported population', async () => {
    await expect(coverage.projection(t.db, system, { unit: '00004', date: '2025-10-31' })).rejects.toMatchObject({ code: 'no_population', params: { unit: '00004' } });
  });
});
