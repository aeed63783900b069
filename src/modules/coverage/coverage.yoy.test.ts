import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { errorBody } from '../../http/plugins/errors';
import { AppError } from '../../errors';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure } from '../../test/helpers';
import { readAudit } from '../audit/audit.service';
import * as figures from './figures.service';
import { figuresInputFromOptions } from './figures.cli';
import { coverageOf } from './coverage.service';
import { dashboardPdf, exportSheet } from './coverage.export';
import { pdfText } from '../../io/pdf-text';

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await testDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-yoy-'));
});
afterAll(async () => {
  await t?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

const fieldsOf = (e: AppError) => errorBody('vi', e.code, e.params, e.fields).error.fields ?? [];

describe(`year over year across the 2025 reorganisation (${engineName})`, () => {
  // Xã Dền Sáng (02707, since 1/7/2025) = old Xã Dền Sáng (02707: the code lives on) + Xã Sàng Ma Sáo (02713) + Xã Dền Thàng (02722)
  it('compares a new commune with the sum of its pre-2025 communes a year earlier, once every one of them is reported', async () => {
    await figures.setFigures(t.db, system, { unitCode: '02707', asOf: '2025-10-31', participants: 9_000, population: 9_600 });
    // an old code given as the unit: it is no current unit, so it is taken as the old commune
    const first = await figures.setFigures(t.db, system, { unitCode: '02713', asOf: '2024-10-31', participants: 4_000, population: 4_500, source: 'VSS 2024' });
    expect(first).toMatchObject({ unitCode: '02707', unitName: 'Xã Dền Sáng', oldCode: '02713', oldName: 'Xã Sàng Ma Sáo', participants: 4_000, created: true });
    // one old commune of three: no comparison yet
    let r = await coverageOf(t.db, system, '02707', '2025-10-31');
    expect(r).toMatchObject({ participants: 9_000, yoyChange: null });

    // another one, reported at an earlier month end, through the CLI's options
    await figures.setFigures(t.db, system, figuresInputFromOptions({ oldCode: '02722', date: '2024-09-30', participants: '4.200', population: '4800' }));
    expect((await coverageOf(t.db, system, '02707', '2025-10-31')).yoyChange).toBe(null);
    // the old commune whose code the new one kept: given as oldCode (unitCode 02707 is the new commune)
    await figures.setFigures(t.db, system, { oldCode: '02707', asOf: '2024-10-31', participants: 300, population: 320 });
    r = await coverageOf(t.db, system, '02707', '2025-10-31');
    expect(r).toMatchObject({ participants: 9_000, yoyChange: 500, reported: { participantsYearAgo: 8_500 } });
    expect(r.reported?.yearAgoFromOldCommunes).toEqual([
      { oldCode: '02707', oldName: 'Xã Dền Sáng', asOf: '2024-10-31', participants: 300, population: 320 },
      { oldCode: '02713', oldName: 'Xã Sàng Ma Sáo', asOf: '2024-10-31', participants: 4_000, population: 4_500 },
      { oldCode: '02722', oldName: 'Xã Dền Thàng', asOf: '2024-09-30', participants: 4_200, population: 4_800 },
    ]);
    // the PDF names where the year-ago number comes from
    const text = await pdfText(await dashboardPdf(t.db, system, { unit: '02707', date: '2025-10-31' }, 'vi'));
    expect(text).toContain('Cùng kỳ năm trước (số liệu báo cáo của các xã cũ trước sắp xếp năm 2025, cộng lại): 8.500 người tham gia');
    expect(text.replace(/\s+/g, ' ')).toContain('Xã Sàng Ma Sáo (02713): 4.000, 31/10/2024; Xã Dền Thàng (02722): 4.200, 30/09/2024.');
    // the province's table shows the same change for the commune
    const province = await coverageOf(t.db, system, '15', '2025-10-31');
    expect(province.children.find((c) => c.unit === '02707')).toMatchObject({ yoyChange: 500 });
    // a later update of an old figure replaces it (upsert by new commune, old code and date), audited
    await figures.setFigures(t.db, system, { oldCode: '02713', asOf: '2024-10-31', participants: 4_100 });
    expect((await coverageOf(t.db, system, '02707', '2025-10-31')).yoyChange).toBe(400);
    const log = await readAudit(t.db, system, { entity: 'old_commune_figure', entityId: first.id });
    expect(log.map((l) => l.action).sort()).toEqual(['create', 'update']);

    // the new commune's own figure of a year earlier, when there is one, comes first
    await figures.setFigures(t.db, system, { unitCode: '02707', asOf: '2024-10-31', participants: 8_000 });
    r = await coverageOf(t.db, system, '02707', '2025-10-31');
    expect(r).toMatchObject({ yoyChange: 1_000, reported: { participantsYearAgo: 8_000, yearAgoFromOldCommunes: null } });
  });

  it('refuses a split old commune without the new commune it counts towards, naming the candidates; accepts the apportioned part', async () => {
    // old Phường Cống Vị (00007) went into Phường Ngọc Hà (00008) and Phường Giảng Võ (00025)
    const split = await failure(figures.setFigures(t.db, system, { oldCode: '00007', asOf: '2024-10-31', participants: 100 }));
    expect(fieldsOf(split)).toEqual([
      {
        path: 'oldCode',
        message:
          'Xã cũ 00007 đã được chia cho nhiều xã, phường mới: 00008 Phường Ngọc Hà; 00025 Phường Giảng Võ. Ghi thêm mã xã mới (unitCode, --unit) và số liệu của phần thuộc xã đó',
      },
    ]);
    const wrong = await failure(figures.setFigures(t.db, system, { oldCode: '00007', unitCode: '00004', asOf: '2024-10-31', participants: 100 }));
    expect(fieldsOf(wrong)[0]).toMatchObject({ path: 'unitCode', message: expect.stringContaining('00008 Phường Ngọc Hà; 00025 Phường Giảng Võ') });
    const part = await figures.setFigures(t.db, system, { oldCode: '00007', unitCode: '00008', asOf: '2024-10-31', participants: 100 });
    expect(part).toMatchObject({ unitCode: '00008', oldCode: '00007', participants: 100 });

    const unknown = await failure(figures.setFigures(t.db, system, { oldCode: '99999', asOf: '2024-10-31', participants: 1 }));
    expect(fieldsOf(unknown)).toEqual([{ path: 'oldCode', message: 'Không có xã cũ (trước 2025) mã 99999' }]);
    const plan = await failure(figures.setFigures(t.db, system, { oldCode: '02731', asOf: '2024-10-31', participants: 1, plan: 2 }));
    expect(fieldsOf(plan)).toEqual([{ path: 'plan', message: 'Với xã cũ chỉ nhập số người tham gia và dân số (để so sánh cùng kỳ)' }]);
    // the scope is the new commune's
    const officer = await makeUser(t, 'commune_officer', '02905');
    expect((await failure(figures.setFigures(t.db, officer.actor, { oldCode: '02731', asOf: '2024-10-31', participants: 1 }))).code).toBe('out_of_scope');
  });

  it('imports old commune codes from a file: one new commune, or an error naming the candidates for a split one', async () => {
    const file = path.join(dir, 'old.csv');
    // old Xã Mường Hum (02728), Xã Trung Lèng Hồ (02731) and Xã Nậm Pung (02740) went into Xã Mường Hum (02728)
    fs.writeFileSync(
      file,
      [
        'Mã đơn vị,Mã xã cũ,Ngày,Số người tham gia,Dân số',
        // an old code in the unit column (no current unit has it), or in its own column
        '02731,,31/10/2024,1.500,1.700',
        ',02740,31/10/2024,2.000,2.100',
        ',02728,31/10/2024,100,110',
        '02728,,31/10/2025,3.900,4.000',
      ].join('\n'),
    );
    const ok = await figures.importFigures(t.db, system, file);
    expect(ok).toMatchObject({ rows: 4, inserted: 4, rejected: 0, rolledBack: false });
    expect(await coverageOf(t.db, system, '02728', '2025-10-31')).toMatchObject({ participants: 3_900, yoyChange: 300 });

    const bad = path.join(dir, 'split.csv');
    fs.writeFileSync(
      bad,
      ['Mã đơn vị,Mã xã cũ,Ngày,Số người tham gia', '00007,,31/10/2024,100', '02731,,31/10/2024,1.600', ',02740,31/10/2024,10', ',02740,31/10/2024,20', '00008,00007,31/10/2024,60'].join('\n'),
    );
    const r = await figures.importFigures(t.db, system, bad);
    expect(r.rolledBack).toBe(true);
    expect(r.errors.map((e) => [e.row, e.column, e.message.slice(0, 60)])).toEqual([
      [2, 'unit_code', 'Xã cũ đã được chia cho nhiều xã, phường mới: 00008 Phường Ng'],
      [5, 'as_of', 'Đơn vị và ngày này đã có ở dòng 4 của tệp'],
    ]);
    // nothing written: the change stays 300
    expect((await coverageOf(t.db, system, '02728', '2025-10-31')).yoyChange).toBe(300);
  });
});

describe(`reported figures read long after their date (${engineName})`, () => {
  it('flags a figure a year old or more as stale, never computes a change from a figure against itself, and says so in the PDF and .xlsx', async () => {
    // Xã Bát Xát (02683): one report, on 31/10/2025, with its plan for 2025
    await figures.setFigures(t.db, system, { unitCode: '02683', asOf: '2025-10-31', participants: 7_000, population: 8_000, plan: 7_500, planDecision: '462/QĐ-BHXH' });
    // read the same day: fresh, no year-ago figure
    let r = await coverageOf(t.db, system, '02683', '2025-10-31');
    expect(r).toMatchObject({ participants: 7_000, yoyChange: null, stale: false, reported: { staleFields: [], participantsYearAgo: null, yearAgoAsOf: null } });
    // read on 04/12/2026: the same figure is both "now" and "a year ago" (04/12/2025): no change, stale
    r = await coverageOf(t.db, system, '02683', '2026-12-04');
    expect(r).toMatchObject({
      participants: 7_000,
      pctPlan: 93.33,
      yoyChange: null,
      stale: true,
      reported: { asOf: '2025-10-31', dates: { participants: '2025-10-31', population: '2025-10-31', plan: '2025-10-31' }, participantsYearAgo: null, yearAgoAsOf: null },
    });
    expect(r.reported!.staleFields).toEqual(['participants', 'population', 'plan']);
    // the province's table flags the commune too
    const province = await coverageOf(t.db, system, '15', '2026-12-04');
    expect(province.children.find((c) => c.unit === '02683')).toMatchObject({ stale: true, yoyChange: null });

    const pdf = (await pdfText(await dashboardPdf(t.db, system, { unit: '02683', date: '2026-12-04' }, 'vi'))).replace(/\s+/g, ' ');
    expect(pdf).toContain(
      'Số liệu báo cáo đã cũ so với ngày 04/12/2026: số người tham gia tính đến ngày 31/10/2025; dân số tính đến ngày 31/10/2025; chỉ tiêu kế hoạch của năm 2025. Hãy nhập số liệu mới.',
    );
    expect(pdf).toContain('Tăng/giảm so với cùng kỳ – Số liệu báo cáo Dân số 8.000 Số liệu báo cáo · đến ngày 31/10/2025');
    expect(pdf).not.toMatch(/Tăng\/giảm so với cùng kỳ \+?0 /);
    expect(pdf).toContain('không tính tăng/giảm');
    const provincePdf = (await pdfText(await dashboardPdf(t.db, system, { unit: '15', date: '2026-12-04' }, 'vi'))).replace(/\s+/g, ' ');
    expect(provincePdf).toMatch(/đơn vị dùng số liệu báo cáo đã cũ so với ngày báo cáo: [^.]*Xã Bát Xát/);

    const sheet = await exportSheet(t.db, system, 'children', { unit: '15', date: '2026-12-04' }, 'vi');
    const row = sheet.rows.find((x) => x.code === '02683')!;
    expect(row).toMatchObject({ yoyChange: null, reportedAsOf: '2025-10-31', staleWarning: expect.stringContaining('số người tham gia tính đến ngày 31/10/2025') });
    expect(sheet.columns.map((c) => c.header)).toContain('Cảnh báo số liệu cũ');
    // the "as of" column is an Excel date, not text
    expect(sheet.columns.find((c) => c.key === 'reportedAsOf')?.type).toBe('date');

    // a newer count: fresh again, and the old one is a real year-ago figure
    await figures.setFigures(t.db, system, { unitCode: '02683', asOf: '2026-11-30', participants: 7_400, plan: 7_800, planYear: 2026 });
    r = await coverageOf(t.db, system, '02683', '2026-12-04');
    expect(r).toMatchObject({ participants: 7_400, yoyChange: 400, stale: true, reported: { participantsYearAgo: 7_000, yearAgoAsOf: '2025-10-31' } });
    // only the population (carried from 31/10/2025) is still old
    expect(r.reported!.staleFields).toEqual(['population']);
    await figures.setFigures(t.db, system, { unitCode: '02683', asOf: '2026-11-30', population: 8_100 });
    expect(await coverageOf(t.db, system, '02683', '2026-12-04')).toMatchObject({ stale: false, reported: { staleFields: [] } });
  });
});
