import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { Command } from 'commander';
import { buildApp } from '../../http/app';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { importRegister } from '../register/import.service';
import * as register from '../register/register.service';
import { CANONICAL_COLUMNS } from '../../domain/register-row';
import { todayInVietnam } from '../../domain/dates';
import { translator } from '../../i18n/index';
import { pdfText } from '../../io/pdf-text';
import type { CliContext } from '../../cli/context';
import { setFigures, setStaffTarget, staffProgress } from './figures.service';
import { registerFiguresCommands } from './figures.cli';
import * as coverage from './coverage.service';

let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
let dir: string;
let headers: Record<string, string>;
/** Audit rows carry the real time: recruitment counts in the current year. */
const YEAR = Number(todayInVietnam().slice(0, 4));

beforeAll(async () => {
  t = await testDatabase();
  app = await buildApp({ database: t, webDist: false });
  await app.ready();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-export-'));
  await setFigures(t.db, system, { unitCode: '15', asOf: '2024-10-31', participants: 1_533_228 });
  await setFigures(t.db, system, { unitCode: '15', asOf: '2025-10-31', participants: 1_475_810, plan: 1_579_758, population: 1_673_064, planDecision: '462/QĐ-BHXH', source: 'VSS' });
  // Xã Bảo Thắng (02905): four persons, one covered on 31/10/2025, a pupil without a card
  const rows = [
    'B1,02905,Thôn Một,,,Nguyễn Văn An,chủ hộ,01/01/1980,nam,,,Kinh,,GD,GD,01/01/2025,31/12/2025',
    'B1,02905,Thôn Một,,,Nguyễn Thị Bình,vợ,01/01/1982,nữ,,,Kinh,,GD,,,',
    'B2,02905,Thôn Hai,,,Lý Văn Cường,chủ hộ,01/01/1970,nam,,,Dao,,GD,,,',
    'B2,02905,Thôn Hai,,,Lý Thị Dung,con,01/01/2012,nữ,,,Dao,,HS,,,',
  ];
  const file = path.join(dir, 'register.csv');
  fs.writeFileSync(file, [CANONICAL_COLUMNS.join(','), ...rows].join('\n'));
  expect((await importRegister(t, system, { path: file }, { today: '2025-10-31' })).inserted).toBe(4);
  const u = await makeUser(t, 'province_staff', '15');
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
  headers = { cookie: `cd_session=${res.cookies[0].value}`, 'x-csrf-token': res.json().csrfToken };
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function workbook(url: string) {
  const res = await app.inject({ url, headers });
  expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
  expect(res.headers['content-type']).toContain('spreadsheetml');
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
  const ws = wb.worksheets[0];
  // the table starts at the header row, the row repeated on every printed page
  const header = Number(ws.pageSetup.printTitlesRow?.split(':')[0]);
  expect(header).toBeGreaterThan(1);
  const rows: unknown[][] = [];
  ws.eachRow((row, n) => {
    if (n >= header) rows.push((row.values as unknown[]).slice(1));
  });
  const title = [1, 2, 3].map((n) => ws.getRow(n).getCell(1).value).filter((v) => v !== null);
  return { name: ws.name, file: String(res.headers['content-disposition']), rows, title, ws, header };
}

describe(`staff progress (${engineName})`, () => {
  it('counts the persons a staff member entered a card for by hand in the year, against their target', async () => {
    const staff = await makeUser(t, 'commune_officer', '02905', 'thu_progress');
    await setStaffTarget(t.db, system, { username: 'thu_progress', year: YEAR, participants: 3 });
    const idle = await makeUser(t, 'commune_officer', '02905', 'nam_progress');
    await setStaffTarget(t.db, system, { username: 'nam_progress', year: YEAR, participants: 10 });
    const persons = await t.db.selectFrom('person').select(['id', 'fullName']).where('communeCode', '=', '02905').orderBy('fullName').execute();
    const byName = Object.fromEntries(persons.map((p) => [p.fullName, p.id]));
    // two persons recruited by Thu (one of them with two cards), one card entered by someone else
    await register.createCard(t.db, staff.actor, { personId: byName['Nguyễn Thị Bình'], groupCode: 'GD', validFrom: '2025-11-01', validTo: '2026-10-31' });
    await register.createCard(t.db, staff.actor, { personId: byName['Lý Văn Cường'], groupCode: 'GD', validFrom: '2025-11-01', validTo: '2026-04-30' });
    await register.createCard(t.db, staff.actor, { personId: byName['Lý Văn Cường'], groupCode: 'GD', validFrom: '2026-05-01', validTo: '2026-10-31' });
    await register.createCard(t.db, system, { personId: byName['Lý Thị Dung'], groupCode: 'HS', validFrom: '2025-11-01', validTo: '2026-10-31' });

    const list = await staffProgress(t.db, system, { unit: '15', year: YEAR });
    expect(list.map((s) => [s.username, s.recruited, s.participants, s.pct, s.missing])).toEqual([
      ['nam_progress', 0, 10, 0, 10],
      ['thu_progress', 2, 3, 66.67, 1],
    ]);
    // another year: nothing recruited yet
    await setStaffTarget(t.db, system, { userId: staff.user.id, year: YEAR + 1, participants: 5 });
    expect((await staffProgress(t.db, system, { unit: '02905', year: YEAR + 1 })).map((s) => [s.username, s.recruited])).toEqual([['thu_progress', 0]]);
    // a commune officer of another commune sees no one
    const other = await makeUser(t, 'commune_officer', '02680');
    expect(await staffProgress(t.db, other.actor, { year: YEAR })).toEqual([]);
    expect(idle.user.id).toBeTruthy();

    const res = await app.inject({ url: `/api/coverage/staff-progress?unit=15&year=${YEAR}`, headers });
    expect(res.statusCode).toBe(200);
    expect(res.json().items.find((s: { username: string }) => s.username === 'thu_progress')).toMatchObject({ recruited: 2, participants: 3, pct: 66.67, missing: 1, unitName: 'Xã Bảo Thắng' });

    // the CLI lists the same progress
    const out: string[] = [];
    let json: unknown;
    const program = new Command().exitOverride();
    const ctx = { actor: system, lang: 'vi', t: translator('vi'), out: (s: string) => out.push(s), json: (v: unknown) => (json = v), withDb: (fn: (d: TestDatabase) => unknown) => fn(t) };
    registerFiguresCommands(program, () => ctx as unknown as CliContext);
    await program.parseAsync(['node', 'coverdesk', 'target', 'staff-list', '--unit', '15', '--year', String(YEAR)]);
    expect(out.join('\n')).toContain('thu_progress');
    expect(out.find((l) => l.includes('thu_progress'))).toMatch(/2 \/\s+3\s+66,67%\s+còn thiếu 1\s+Xã Bảo Thắng \(02905\)/);
    await program.parseAsync(['node', 'coverdesk', 'target', 'staff-list', '--unit', '15', '--year', String(YEAR), '--json']);
    expect((json as { username: string; recruited: number }[]).map((s) => [s.username, s.recruited])).toEqual([
      ['nam_progress', 0],
      ['thu_progress', 2],
    ]);
  });
});

describe(`dashboard exports (${engineName})`, () => {
  it('exports the table of communes, the low-coverage list, pupils per school and staff targets as .xlsx with Vietnamese headers', async () => {
    const communes = await workbook('/api/coverage/15/export?table=children&date=2025-10-31');
    expect(communes.name).toBe('Bao phủ theo đơn vị');
    expect(communes.file).toBe('attachment; filename="bao-phu-theo-don-vi-15-2025-10-31.xlsx"');
    expect(communes.rows[0]).toEqual([
      'Mã đơn vị',
      'Tên đơn vị',
      'Dân số',
      'Số người tham gia',
      'Chỉ tiêu kế hoạch',
      '% kế hoạch',
      '% dân số',
      'Tăng/giảm so với cùng kỳ',
      'Thẻ hết hạn trong 30 ngày',
      'Chưa từng tham gia',
      'Nguồn số người tham gia',
      'Số liệu báo cáo đến ngày',
      'Cảnh báo số liệu cũ',
    ]);
    expect(communes.rows).toHaveLength(1 + 99);
    const baoThang = communes.rows.find((r) => r[0] === '02905')!;
    // 4 persons, 1 covered on 31/10/2025 (cards entered later start in November)
    expect(baoThang.slice(0, 4)).toEqual(['02905', 'Xã Bảo Thắng', 4, 1]);
    expect(baoThang[6]).toBe(0.25); // 25 %, a percentage in Excel
    expect(communes.title).toEqual(['Bao phủ theo đơn vị', 'Lào Cai (15) · Ngày 31/10/2025']);
    const pct = communes.ws.getRow(communes.header + 1).getCell(7);
    expect(pct.numFmt).toBe('0.0%');
    expect(communes.ws.getRow(communes.header + 1).getCell(3).numFmt).toBe('#,##0');
    expect(communes.ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0 });
    expect(baoThang[10]).toBe('Sổ quản lý người tham gia');

    const low = await workbook('/api/coverage/15/export?table=low&date=2025-10-31&threshold=95');
    expect(low.rows[0]).toEqual(['Thứ tự', 'Mã đơn vị', 'Tên đơn vị', 'Dân số', 'Số người tham gia', '% dân số', '% kế hoạch', 'Mục tiêu (% dân số)', 'Còn thiếu (người)']);
    expect(low.rows.find((r) => r[1] === '02905')).toEqual([1, '02905', 'Xã Bảo Thắng', 4, 1, 0.25, null, 95, 3].map((v) => (v === null ? undefined : v)));

    const pupils = await workbook('/api/coverage/02905/export?table=pupils&date=2025-10-31');
    expect(pupils.name).toBe('Học sinh theo trường 2025-2026');
    expect(pupils.rows).toEqual([
      ['Trường', 'Số học sinh', 'Đã có thẻ BHYT', 'Tỷ lệ (%)', 'Còn thiếu (người)'],
      ['(chưa ghi trường)', 1, 0, 0, 1],
      ['Tổng cộng', 1, 0, 0, 1],
    ]);

    const staff = await workbook(`/api/coverage/15/export?table=staff&date=2025-10-31&year=${YEAR}`);
    expect(staff.rows[0]).toEqual(['Tên đăng nhập', 'Họ và tên', 'Đơn vị', 'Chỉ tiêu (người)', 'Đã vận động tham gia', 'Tỷ lệ (%)', 'Còn thiếu (người)']);
    const progress = staff.rows.find((r) => r[0] === 'thu_progress')!;
    expect(progress.slice(2)).toEqual(['Xã Bảo Thắng (02905)', 3, 2, expect.any(Number), 1]);
    expect(progress[5]).toBeCloseTo(0.6667, 6); // 66.67 %

    // English headers for an English-speaking user
    const en = await app.inject({ url: '/api/coverage/15/export?table=low&date=2025-10-31', headers: { ...headers, 'accept-language': 'en' } });
    expect(en.statusCode).toBe(200);
    const bad = await app.inject({ url: '/api/coverage/15/export?table=households', headers });
    expect(bad.statusCode).toBe(400);
  });

  it('renders the dashboard as a Vietnamese PDF with the headline measures, the commune table and the sources', async () => {
    const res = await app.inject({ url: '/api/coverage/15/pdf?date=2025-10-31', headers });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    const text = await pdfText(res.rawPayload);
    expect(text).toContain('Báo cáo bao phủ BHYT: Lào Cai');
    expect(text).toContain('Số liệu đến ngày 31/10/2025');
    expect(text).toContain('1.475.810');
    expect(text).toContain('93,42 %');
    expect(text).toContain('88,21 %');
    expect(text).toContain('-57.418');
    expect(text).toContain('462/QĐ-BHXH');
    expect(text).toContain('Xã Bảo Thắng');
    expect(text).toContain('Các xã, phường (99)');
    expect(text).toContain('Nguồn số liệu');
    expect(text).toContain('Số liệu báo cáo ngày 31/10/2025 (VSS): tham gia 1.475.810, dân số 1.673.064.');
    expect(text).toContain('Sổ quản lý người tham gia');
  });
});

describe(`figure routes (${engineName})`, () => {
  it('answer exactly what the service computes: their response schemas keep every field, and the visit lists still download', async () => {
    // a new commune compared with its pre-2025 communes a year earlier (reported.yearAgoFromOldCommunes)
    await setFigures(t.db, system, { unitCode: '02707', asOf: '2025-10-31', participants: 9_000, population: 9_600 });
    for (const [oldCode, participants] of [['02707', 300], ['02713', 4_000], ['02722', 4_200]] as const)
      await setFigures(t.db, system, { oldCode, asOf: '2024-10-31', participants, population: participants + 100 });
    const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
    const answer = async (url: string) => {
      const res = await app.inject({ url, headers });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
      return res.json() as unknown;
    };
    const date = '2025-10-31';
    for (const unit of ['15', '02905', '02707']) {
      const report = await coverage.coverageOf(t.db, system, unit, date);
      expect(await answer(`/api/coverage/${unit}?date=${date}`)).toEqual(json(report));
      expect(await answer(`/api/coverage/${unit}/trend?date=${date}&months=3`)).toEqual(json(await coverage.trend(t.db, system, { unit, date, months: 3 })));
      expect(await answer(`/api/coverage/${unit}/low?date=${date}&threshold=99`)).toEqual({ items: json(await coverage.lowCoverage(t.db, system, { unit, date, threshold: 99 })) });
      expect(await answer(`/api/coverage/${unit}/pupils?date=${date}`)).toEqual(json(await coverage.pupils(t.db, system, { unit, date })));
      for (const kind of ['uncovered', 'expiring'] as const)
        expect(await answer(`/api/coverage/${unit}/visits?kind=${kind}&date=${date}&days=90`)).toEqual({
          items: json(await coverage.actionList(t.db, system, { unit, date, kind, days: 90 })),
        });
    }
    const province = await coverage.coverageOf(t.db, system, '15', date);
    expect(province.children.find((c) => c.unit === '02707')?.reported?.yearAgoFromOldCommunes).toHaveLength(3);
    expect((await coverage.actionList(t.db, system, { unit: '02905', date, kind: 'expiring', days: 90 })).map((r) => r.fullName)).toEqual(['Nguyễn Văn An']);

    const csv = await app.inject({ url: `/api/coverage/02905/visits?kind=expiring&days=90&date=${date}&format=csv`, headers });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain('Nguyễn Văn An');
    const xlsx = await workbook(`/api/coverage/02905/visits?kind=expiring&days=90&date=${date}&format=xlsx`);
    expect(xlsx.rows.flat()).toContain('Nguyễn Văn An');
    // a sheet a village head can carry: title, commune, date; numbered rows with borders; real dates
    expect(xlsx.title[0]).toBe('DANH SÁCH NGƯỜI CÓ THẺ BẢO HIỂM Y TẾ SẮP HẾT HẠN');
    expect(xlsx.title[1]).toBe('Xã/phường: Xã Bảo Thắng (02905)');
    expect(xlsx.title[2]).toContain(`Thẻ hết hạn trong 90 ngày kể từ ${date.split('-').reverse().join('/')}`);
    expect(xlsx.rows[0]).toEqual(['STT', 'Thôn/Tổ dân phố', 'Mã hộ', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Địa chỉ', 'Số điện thoại', 'Đối tượng', 'Thẻ hết hạn', 'Ghi chú']);
    const first = xlsx.ws.getRow(xlsx.header + 1);
    expect(first.getCell(1).value).toBe(1);
    expect(first.getCell(5).value).toBeInstanceOf(Date);
    expect(first.getCell(5).numFmt).toBe('dd/mm/yyyy');
    expect(first.getCell(10).value).toBeInstanceOf(Date);
    expect(first.getCell(11).border?.left?.style).toBe('thin');
    expect(first.height).toBeGreaterThanOrEqual(26);
    expect(xlsx.ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, fitToHeight: 0, printTitlesRow: `${xlsx.header}:${xlsx.header}` });
    expect(xlsx.ws.headerFooter.oddFooter).toContain('&P');
  });
});
