import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { CANONICAL_COLUMNS, TEMPLATE_HEADERS_EN, TEMPLATE_HEADERS_VI } from '../../domain/register-row';
import { todayInVietnam } from '../../domain/dates';
import type { Actor } from '../../domain/access';
import { readCsvRows } from '../../io/csv';
import { readXlsxRows, type CellValue } from '../../io/excel';
import { buildApp } from '../../http/app';
import { importRegister } from './import.service';
import { exportRegister, exportFileName, writeTemplate, type ExportOptions } from './export.service';
import { createCard } from './register.service';

const TODAY = '2025-10-01';
let t: TestDatabase;
let dir: string;

// household_code,commune_code,village,address,poverty_status,full_name,relationship,birth_date,sex,citizen_id,insurance_code,ethnicity,phone,groups,card_group,card_from,card_to
const ROWS = [
  'A01,02905,Thôn Phú Lâm,"Số 1, ngõ 2",hộ nghèo,Nguyễn Văn An,chủ hộ,12/03/1980,nam,010080001234,,Kinh,0912345678,HN,HN,01/01/2025,31/12/2025',
  'A01,02905,Thôn Phú Lâm,"Số 1, ngõ 2",hộ nghèo,Trần Thị Bình,vợ,20/07/1985,nữ,,0101234567,Kinh,,HN;DT,HN,01/01/2024,31/12/2024',
  'A01,02905,Thôn Phú Lâm,"Số 1, ngõ 2",hộ nghèo,Nguyễn Thị Cúc,con nuôi,02/02/2012,nữ,,,Kinh,,HS,,,',
  "A02,02905,Bản Na Lốc,,cận nghèo 2024,Giàng A Sử,chủ hộ,05/05/1975,nam,,,H'Mông,,CN,,,",
  'A03,02905,,,,Lò Văn Dũng,cháu ngoại,01/01/1990,nam,,,Thái,,GD,GD,01/03/2025,28/02/2026',
  'B01,02680,,,,Lý Văn Em,chủ hộ,01/01/1980,nam,,,Giáy,,GD,,,',
];
/** Many households in one commune, so that the export crosses several keyset pages. */
const MANY = 2500;

let fileNo = 0;
const file = (ext: string) => path.join(dir, `f${++fileNo}.${ext}`);

async function exportToFile(actor: Actor, options: ExportOptions): Promise<{ path: string; rows: number }> {
  const out = file(options.format ?? 'xlsx');
  const stream = fs.createWriteStream(out);
  const { rows } = await exportRegister(t.db, actor, options, stream);
  await finished(stream);
  return { path: out, rows };
}

async function collect<T>(rows: AsyncGenerator<T>): Promise<T[]> {
  const all: T[] = [];
  for await (const r of rows) all.push(r);
  return all;
}

const personsIn = async (communeCode: string) =>
  Number((await t.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).where('communeCode', '=', communeCode).executeTakeFirstOrThrow()).n);

beforeAll(async () => {
  t = await testDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-export-'));
  const many: string[] = [];
  for (let i = 1; i <= MANY; i++) {
    many.push(`L${String(i).padStart(4, '0')},30445,Ấp ${(i % 7) + 1},,,Thạch Thị Số ${i},chủ hộ,01/01/1970,nữ,,,Khmer,,GD,GD,01/01/2025,31/12/2025`);
    if (i % 10 === 0) many.push(`L${String(i).padStart(4, '0')},30445,Ấp ${(i % 7) + 1},,,Thạch Văn Số ${i},chồng,01/01/1968,nam,,,Khmer,,GD,,,`);
  }
  const source = file('csv');
  fs.writeFileSync(source, [CANONICAL_COLUMNS.join(','), ...ROWS, ...many].join('\n'));
  const report = await importRegister(t, system, { path: source }, { today: TODAY });
  expect(report).toMatchObject({ rejected: 0, inserted: ROWS.length + MANY + MANY / 10 });
  // a second card: both are exported, a row each
  const an = await t.db.selectFrom('person').select('id').where('citizenId', '=', '010080001234').executeTakeFirstOrThrow();
  await createCard(t.db, system, { personId: an.id, groupCode: 'HN', validFrom: '2026-01-01', validTo: '2026-12-31', number: 'HN2' });
});
afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(`register export (${engineName})`, () => {
  it('writes persons as CSV with a BOM and the Vietnamese template headers, one row per card with its number and source', async () => {
    const out = await exportToFile(system, { unit: '02905', what: 'persons', format: 'csv', language: 'vi' });
    const bytes = fs.readFileSync(out.path);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = bytes.toString('utf8').slice(1).split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines[0]).toBe(CANONICAL_COLUMNS.map((c) => TEMPLATE_HEADERS_VI[c]).join(','));
    // one row per card: Nguyễn Văn An has two, each on a row of its own
    expect(lines.slice(1)).toEqual([
      'A01,02905,Thôn Phú Lâm,"Số 1, ngõ 2",Hộ nghèo,Nguyễn Văn An,Chủ hộ,12/03/1980,Nam,010080001234,,Kinh,0912345678,HN,HN,01/01/2025,31/12/2025,,,,Nhập từ tệp,,',
      'A01,02905,Thôn Phú Lâm,"Số 1, ngõ 2",Hộ nghèo,Nguyễn Văn An,Chủ hộ,12/03/1980,Nam,010080001234,,Kinh,0912345678,HN,HN,01/01/2026,31/12/2026,,,HN2,Nhập tay,,',
      'A01,02905,Thôn Phú Lâm,"Số 1, ngõ 2",Hộ nghèo,Trần Thị Bình,vợ,20/07/1985,Nữ,,0101234567,Kinh,,"DT, HN",HN,01/01/2024,31/12/2024,,,,Nhập từ tệp,,',
      'A01,02905,Thôn Phú Lâm,"Số 1, ngõ 2",Hộ nghèo,Nguyễn Thị Cúc,con nuôi,02/02/2012,Nữ,,,Kinh,,HS,,,,,,,,,',
      "A02,02905,Bản Na Lốc,,Hộ cận nghèo 2024,Giàng A Sử,Chủ hộ,05/05/1975,Nam,,,H'Mông,,CN,,,,,,,,,",
      'A03,02905,,,,Lò Văn Dũng,cháu,01/01/1990,Nam,,,Thái,,GD,GD,01/03/2025,28/02/2026,,,,Nhập từ tệp,,',
    ]);
    expect(out.rows).toBe(6);
  });

  it('writes the relationships the register knows in English in an English export, and any other word as it is', async () => {
    await t.db.updateTable('person').set({ relationship: 'cô' }).where('fullName', '=', 'Lò Văn Dũng').execute();
    try {
      const out = await exportToFile(system, { unit: '02905', what: 'persons', format: 'csv', language: 'en' });
      const rows = await collect(readCsvRows(out.path));
      expect(rows.slice(1).map((r) => [r[5], r[6]])).toEqual([
        ['Nguyễn Văn An', 'Head'],
        ['Nguyễn Văn An', 'Head'],
        ['Trần Thị Bình', 'Wife'],
        ['Nguyễn Thị Cúc', 'Adopted child'],
        ['Giàng A Sử', 'Head'],
        ['Lò Văn Dũng', 'cô'],
      ]);
    } finally {
      await t.db.updateTable('person').set({ relationship: 'cháu' }).where('fullName', '=', 'Lò Văn Dũng').execute();
    }
  });

  it('re-imports an exported CSV (Vietnamese or English headers) as all unchanged, households untouched', async () => {
    const before = await t.db.selectFrom('household').select(['id', 'updatedAt', 'villageCode', 'address', 'povertyStatus', 'povertyYear']).orderBy('id').execute();
    for (const language of ['vi', 'en'] as const) {
      const out = await exportToFile(system, { what: 'persons', format: 'csv', language, unit: '15' });
      const [header] = await collect(readCsvRows(out.path));
      expect(header).toEqual(CANONICAL_COLUMNS.map((c) => (language === 'en' ? TEMPLATE_HEADERS_EN : TEMPLATE_HEADERS_VI)[c]));
      const report = await importRegister(t, system, { path: out.path }, { today: TODAY });
      expect(report).toMatchObject({ rows: 7, inserted: 0, updated: 0, unchanged: 7, rejected: 0, errors: [] });
    }
    const after = await t.db.selectFrom('household').select(['id', 'updatedAt', 'villageCode', 'address', 'povertyStatus', 'povertyYear']).orderBy('id').execute();
    expect(after).toEqual(before);
  });

  it('writes .xlsx that readXlsxRows reads back with the same rows, and that re-imports unchanged', async () => {
    const out = await exportToFile(system, { unit: '02905', what: 'persons', format: 'xlsx', language: 'vi' });
    const rows = await collect(readXlsxRows(out.path));
    expect(rows[0]).toEqual(CANONICAL_COLUMNS.map((c) => TEMPLATE_HEADERS_VI[c]));
    expect(rows).toHaveLength(1 + out.rows);
    expect(out.rows).toBe((await personsIn('02905')) + 1); // Nguyễn Văn An's two cards
    // identifiers stay text (leading zeros kept)
    expect(rows[1].slice(0, 2)).toEqual(['A01', '02905']);
    expect(rows[1][9]).toBe('010080001234');
    // dates are Excel dates shown dd/MM/yyyy; the sheet prints: A4 landscape fit to the width, the header
    // row on every page, the title with the unit and date in the page header (row 1 stays the header)
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out.path);
    const ws = wb.worksheets[0];
    const birth = ws.getRow(2).getCell(1 + CANONICAL_COLUMNS.indexOf('birth_date'));
    expect(birth.value).toBeInstanceOf(Date);
    expect(birth.numFmt).toBe('dd/mm/yyyy');
    expect(ws.getRow(2).getCell(1 + CANONICAL_COLUMNS.indexOf('card_to')).value).toBeInstanceOf(Date);
    expect(ws.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToPage: true, fitToWidth: 1, fitToHeight: 0, printTitlesRow: '1:1' });
    expect(ws.headerFooter.oddHeader).toContain('DANH SÁCH NHÂN KHẨU · Xã Bảo Thắng (02905) · Ngày ');
    const report = await importRegister(t, system, { path: out.path }, { today: TODAY });
    expect(report).toMatchObject({ rows: 6, unchanged: 6, inserted: 0, updated: 0, rejected: 0 });
  });

  it('pages through thousands of households without losing or repeating one, and re-imports them unchanged', async () => {
    const out = await exportToFile(system, { unit: '30445', what: 'persons', format: 'csv' });
    const rows = (await collect(readCsvRows(out.path))).slice(1);
    expect(out.rows).toBe(MANY + MANY / 10);
    expect(rows).toHaveLength(out.rows);
    expect(new Set(rows.map((r) => r[5])).size).toBe(rows.length);
    expect(new Set(rows.map((r) => r[0])).size).toBe(MANY);
    // household by household: members of a household are together, households in code order
    const codes = rows.map((r) => r[0]);
    expect(codes).toEqual([...codes].sort());
    const report = await importRegister(t, system, { path: out.path }, { today: TODAY });
    expect(report).toMatchObject({ rows: out.rows, unchanged: out.rows, inserted: 0, updated: 0, rejected: 0 });
  });

  it('exports households and cards with their own columns', async () => {
    const households = await exportToFile(system, { unit: '02905', what: 'households', format: 'xlsx', language: 'vi' });
    const all = await collect(readXlsxRows(households.path));
    // the title and the unit and date above the table
    expect(all[0]).toEqual(['DANH SÁCH HỘ GIA ĐÌNH']);
    expect(String(all[1][0])).toMatch(/^Xã Bảo Thắng \(02905\) · Ngày \d{2}\/\d{2}\/\d{4}$/);
    const h = all.slice(2);
    expect(h[0]).toEqual(['Mã hộ', 'Mã xã', 'Thôn/Tổ dân phố', 'Địa chỉ', 'Hộ nghèo/cận nghèo', 'Họ tên chủ hộ', 'Số nhân khẩu']);
    expect(h.slice(1)).toEqual([
      ['A01', '02905', 'Thôn Phú Lâm', 'Số 1, ngõ 2', 'Hộ nghèo', 'Nguyễn Văn An', 3],
      ['A02', '02905', 'Bản Na Lốc', null, 'Hộ cận nghèo 2024', 'Giàng A Sử', 1],
      ['A03', '02905', null, null, null, 'Lò Văn Dũng', 1],
    ]);

    const cards = await exportToFile(system, { unit: '02905', what: 'cards', format: 'csv', language: 'en' });
    const c = await collect(readCsvRows(cards.path));
    expect(c[0]).toEqual([
      'Household code',
      'Commune code',
      'Full name',
      'Date of birth',
      'Citizen ID',
      'Social insurance code',
      'Card group',
      'Card valid from',
      'Card valid to',
      'Card number',
      'Source',
    ]);
    expect(c.slice(1).map((r) => [r[2], r[7], r[8], r[9], r[10]])).toEqual([
      ['Nguyễn Văn An', '01/01/2026', '31/12/2026', 'HN2', 'Entered by hand'],
      ['Nguyễn Văn An', '01/01/2025', '31/12/2025', '', 'Imported'],
      ['Trần Thị Bình', '01/01/2024', '31/12/2024', '', 'Imported'],
      ['Lò Văn Dũng', '01/03/2025', '28/02/2026', '', 'Imported'],
    ]);
  });

  it('exports only what the user may see', async () => {
    const officer = (await makeUser(t, 'commune_officer', '02905')).actor;
    const own = await exportToFile(officer, { what: 'persons', format: 'csv' });
    const rows = (await collect(readCsvRows(own.path))).slice(1);
    expect(rows).toHaveLength(6);
    expect(rows.every((r) => r[1] === '02905')).toBe(true);
    const sink = new Writable({ write: (_c, _e, cb) => cb() });
    await expect(exportRegister(t.db, officer, { unit: '02680', what: 'persons', format: 'csv' }, sink)).rejects.toMatchObject({ code: 'out_of_scope' });
    await expect(exportRegister(t.db, officer, { what: 'everything' as never }, sink)).rejects.toMatchObject({ code: 'validation' });
    const viewer = (await makeUser(t, 'viewer', '02680')).actor;
    const theirs = await exportToFile(viewer, { what: 'households', format: 'csv' });
    expect(theirs.rows).toBe(1);
    expect(exportFileName('persons', '02905', officer, TODAY, 'xlsx')).toBe('persons-02905-2025-10-01.xlsx');
    expect(exportFileName('cards', undefined, viewer, TODAY, 'csv')).toBe('cards-02680-2025-10-01.csv');
    expect(exportFileName('households', undefined, system, TODAY, 'csv')).toBe('households-all-2025-10-01.csv');
  });
});

describe(`import template (${engineName})`, () => {
  it('has the Vietnamese template headers, bold and frozen, and a guide sheet with every column', async () => {
    const out = file('xlsx');
    const stream = fs.createWriteStream(out);
    await writeTemplate(stream, 'vi');
    await finished(stream);
    const rows: CellValue[][] = await collect(readXlsxRows(out));
    expect(rows).toEqual([CANONICAL_COLUMNS.map((c) => TEMPLATE_HEADERS_VI[c])]);

    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(out);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['Danh sách', 'Hướng dẫn']);
    const list = wb.worksheets[0];
    expect(list.getRow(1).getCell(1).font?.bold).toBe(true);
    expect(list.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(list.getColumn(10).width).toBeGreaterThanOrEqual(12);
    const guide = wb.worksheets[1];
    expect(guide.getRow(1).values).toEqual([undefined, 'Cột', 'Bắt buộc', 'Ý nghĩa', 'Ví dụ']);
    const citizen = guide.getRow(2 + CANONICAL_COLUMNS.indexOf('citizen_id'));
    expect(citizen.getCell(1).value).toBe('Số CCCD');
    expect(String(citizen.getCell(3).value)).toContain('12 chữ số');
    expect(citizen.getCell(4).value).toBe('010080001234');
    expect(guide.getRow(2).getCell(2).value).toBe('Có');

    // a template filled in by a user imports
    const filled = new ExcelJS.Workbook();
    await filled.xlsx.readFile(out);
    filled.worksheets[0].addRow(['T01', '02905', '', '', '', 'Vừ A Tủa', 'Chủ hộ', '01/01/1990', 'Nam', '', '', "H'Mông", '', 'GD', '', '', '']);
    const filledPath = file('xlsx');
    await filled.xlsx.writeFile(filledPath);
    const report = await importRegister(t, system, { path: filledPath }, { today: TODAY, dryRun: true });
    expect(report).toMatchObject({ rows: 1, inserted: 1, rejected: 0 });
  });
});

describe(`export over HTTP (${engineName})`, () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    app = await buildApp({ database: t, webDist: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('downloads a scoped export as an attachment, and the template without signing in', async () => {
    expect((await app.inject('/api/register/export?unit=02905')).statusCode).toBe(401);
    const u = await makeUser(t, 'commune_officer', '02905');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    const cookie = `cd_session=${login.cookies.find((c) => c.name === 'cd_session')!.value}`;

    const res = await app.inject({ url: '/api/register/export?unit=02905&what=persons&format=csv', headers: { cookie } });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toContain(`attachment; filename="persons-02905-${todayInVietnam()}.csv"`);
    expect(res.body.startsWith('\uFEFFMã hộ,Mã xã,')).toBe(true);
    expect(res.body.trimEnd().split('\r\n')).toHaveLength(7);

    const en = await app.inject({ url: '/api/register/export?what=households&format=xlsx&lang=en', headers: { cookie } });
    expect(en.statusCode).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(en.rawPayload as never);
    expect(wb.worksheets[0].name).toBe('Households');
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe('HOUSEHOLDS');
    expect(wb.worksheets[0].getRow(4).getCell(1).value).toBe('Household code');
    expect(wb.worksheets[0].pageSetup.printTitlesRow).toBe('4:4');
    expect(wb.worksheets[0].rowCount).toBe(4 + 3);

    const refused = await app.inject({ url: '/api/register/export?unit=02680', headers: { cookie } });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error.code).toBe('out_of_scope');

    const template = await app.inject('/api/register/template.xlsx');
    expect(template.statusCode).toBe(200);
    expect(template.headers['content-disposition']).toContain('mau-nhap-so-ho.xlsx');
    const tw = new ExcelJS.Workbook();
    await tw.xlsx.load(template.rawPayload as never);
    expect(tw.worksheets.map((w) => w.name)).toEqual(['Danh sách', 'Hướng dẫn']);
  });

  it('writes a name that a spreadsheet would run as a formula with a leading quote, in CSV (issue 16)', async () => {
    // (a name stored before the import refused such names)
    const em = await t.db.selectFrom('person').select(['id', 'fullName']).where('communeCode', '=', '02680').executeTakeFirstOrThrow();
    const evil = '=HYPERLINK("http://evil.example/","click")';
    await t.db.updateTable('person').set({ fullName: evil }).where('id', '=', em.id).execute();
    try {
      const out = await exportToFile(system, { unit: '02680', what: 'persons', format: 'csv', language: 'vi' });
      const line = fs.readFileSync(out.path, 'utf8').split('\r\n')[1];
      expect(line).toBe(`B01,02680,,,,"'=HYPERLINK(""http://evil.example/"",""click"")",Chủ hộ,01/01/1980,Nam,,,Giáy,,GD,,,,,,,,,`);
      const cells = (await collect(readCsvRows(out.path)))[1];
      expect(cells[5]).toBe(`'${evil}`);
    } finally {
      await t.db.updateTable('person').set({ fullName: em.fullName }).where('id', '=', em.id).execute();
    }
  });
});
