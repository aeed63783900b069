/**
 * Voluntary social insurance periods with the register's import and export (docs/import-format.md): the
 * persons workbook's second sheet "BHXH tự nguyện", keyed by citizen id (else insurance code).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import ExcelJS from 'exceljs';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CANONICAL_COLUMNS, TEMPLATE_HEADERS_VI } from '../../domain/register-row';
import { VSI_HEADERS_VI } from '../../domain/vsi-row';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { exportRegister } from './export.service';
import { importRegister } from './import.service';
import { createVsiPeriod } from './register.service';

const TODAY = '2025-10-01';
let source: TestDatabase;
let dir: string;

const ROWS = [
  'A01,02905,Thôn Phú Lâm,Số 1,,Nguyễn Văn An,chủ hộ,12/03/1980,nam,010080001234,,Kinh,,,GD,01/01/2025,31/12/2025',
  'A01,02905,Thôn Phú Lâm,Số 1,,Trần Thị Bình,vợ,20/07/1985,nữ,,0101234567,Kinh,,,,,',
  'A02,02905,,,,Lò Văn Cường,chủ hộ,05/05/1975,nam,001075000111,,Thái,,,,,',
  'B01,02680,Bản Một,,,Lý Văn Em,chủ hộ,01/01/1980,nam,010080009999,,Giáy,,,,,',
];

/** Every period as comparable facts (the person by citizen id or insurance code). */
async function periods(t: TestDatabase) {
  const r = await sql<Record<string, unknown>>`
    select coalesce(p.citizen_id, p.insurance_code) as key, v.valid_from::text as "from", v.valid_to::text as "to", v.monthly_income, v.payment_months, v.source
    from vsi_period v join person p on p.household_id = v.household_id and p.id = v.person_id order by 1, 2`.execute(t.db);
  return r.rows.map((row) => ({ ...row, monthly_income: Number(row.monthly_income) }));
}
const personId = async (t: TestDatabase, name: string) => (await t.db.selectFrom('person').select('id').where('fullName', '=', name).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-vsi-import-'));
  source = await testDatabase();
  const file = path.join(dir, 'register.csv');
  fs.writeFileSync(file, [CANONICAL_COLUMNS.slice(0, 17).join(','), ...ROWS].join('\n'));
  expect(await importRegister(source, system, { path: file }, { today: TODAY })).toMatchObject({ inserted: ROWS.length, rejected: 0 });
  const add = async (name: string, validFrom: string, validTo: string, monthlyIncome: number, paymentMonths: number) =>
    createVsiPeriod(source.db, system, { personId: await personId(source, name), validFrom, validTo, monthlyIncome, paymentMonths });
  await add('Nguyễn Văn An', '2024-01-01', '2024-12-31', 1_500_000, 12);
  await add('Nguyễn Văn An', '2025-01-01', '2025-03-31', 3_000_000, 3);
  await add('Trần Thị Bình', '2025-07-01', '2025-07-31', 1_500_000, 1);
  await add('Lý Văn Em', '2025-09-01', '2026-02-28', 46_800_000, 6);
}, 120_000);
afterAll(async () => {
  await source?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

async function exportTo(file: string, what: 'persons' | 'vsi', format: 'xlsx' | 'csv' = 'xlsx') {
  const out = fs.createWriteStream(file);
  const r = await exportRegister(source.db, system, { what, format, language: 'vi' }, out);
  await finished(out);
  return r;
}

describe(`voluntary social insurance periods in the register import and export (${engineName})`, () => {
  it('export then import into an empty register gives the same periods, by both import paths; again into the same register changes nothing', async () => {
    const before = await periods(source);
    expect(before).toHaveLength(4);
    const file = path.join(dir, 'persons.xlsx');
    await exportTo(file, 'persons');
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const sheet = book.getWorksheet('BHXH tự nguyện')!;
    expect(sheet.getRow(1).getCell(1).value).toBe(TEMPLATE_HEADERS_VI.citizen_id);
    expect(sheet.rowCount).toBe(5);

    for (const [name, freshPathFromBytes] of [
      ['staged', Infinity],
      ['fast', 0],
    ] as const) {
      const target = await testDatabase();
      try {
        const report = await importRegister(target, system, { path: file }, { today: TODAY, freshPathFromBytes });
        expect(report, name).toMatchObject({ rejected: 0, errors: [], rolledBack: false, vsi: { rows: 4, inserted: 4, unchanged: 0, rejected: 0 } });
        expect(await periods(target), name).toEqual(before);
      } finally {
        await target.cleanup();
      }
    }
    const again = await importRegister(source, system, { path: file }, { today: TODAY });
    expect(again).toMatchObject({ rejected: 0, vsi: { rows: 4, inserted: 0, unchanged: 4 } });
    expect(await periods(source)).toEqual(before);
  }, 300_000);

  it('the periods alone as CSV (export kind vsi), with dd/MM/yyyy dates and the source in words', async () => {
    const file = path.join(dir, 'vsi.csv');
    const { rows } = await exportTo(file, 'vsi', 'csv');
    expect(rows).toBe(4);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain(VSI_HEADERS_VI.monthly_income);
    expect(text).toContain('010080009999,,Lý Văn Em,01/01/1980,01/09/2025,28/02/2026,46800000,6,Nhập tay');
  });

  /** A workbook: the persons sheet (template columns) and a period sheet with these rows. */
  async function workbook(file: string, vsiRows: (string | number)[][]) {
    const book = new ExcelJS.Workbook();
    const persons = book.addWorksheet('Danh sách');
    persons.addRow([...CANONICAL_COLUMNS.slice(0, 10)]);
    persons.addRow(['N01', '02905', '', '', '', 'Hà Văn Mới', 'chủ hộ', '02/02/1990', 'nam', '001090000222']);
    book.addWorksheet('Hướng dẫn').addRow(['Cột', 'Ý nghĩa']);
    const vsi = book.addWorksheet('BHXH tự nguyện');
    vsi.addRow([VSI_HEADERS_VI.citizen_id, VSI_HEADERS_VI.insurance_code, VSI_HEADERS_VI.valid_from, VSI_HEADERS_VI.valid_to, VSI_HEADERS_VI.monthly_income, VSI_HEADERS_VI.payment_months]);
    for (const r of vsiRows) vsi.addRow(r);
    await book.xlsx.writeFile(file);
  }

  it('bad period rows: each named with its sheet row, column and reason (both amounts of the income limits); nothing written', async () => {
    const file = path.join(dir, 'bad.xlsx');
    await workbook(file, [
      ['001090000222', '', '01/10/2025', '31/10/2025', 1_500_000, 1], // the new person of the first sheet: good
      ['001090000222', '', '01/11/2025', '30/11/2025', 1_000_000, 1], // under the floor
      ['010080001234', '', '01/11/2025', '31/01/2026', 2_000_000, 2], // payment period 2
      ['999999999999', '', '01/11/2025', '30/11/2025', 2_000_000, 1], // nobody
      ['001075000111', '', '31/12/2025', '01/12/2025', 2_000_000, 1], // dates in the wrong order
      ['010080001234', '', '01/03/2025', '31/05/2025', 2_000_000, 3], // overlaps An's 01/01/2025-31/03/2025
    ]);
    const before = await periods(source);
    const persons = Number((await sql<{ n: number }>`select count(*)::int as n from person`.execute(source.db)).rows[0].n);
    const report = await importRegister(source, system, { path: file }, { today: TODAY, language: 'vi' });
    expect(report).toMatchObject({ rolledBack: true, rejected: 3 });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([
      [3, 'vsi_monthly_income'],
      [4, 'vsi_payment_months'],
      [6, 'vsi_valid_to'],
    ]);
    expect(report.errors[0].message).toBe(
      'Trang "BHXH tự nguyện": Thu nhập tháng 1.000.000 ₫ thấp hơn mức thấp nhất 1.500.000 ₫ (chuẩn nghèo khu vực nông thôn ngày 01/11/2025); mức cao nhất là 46.800.000 ₫ (20 lần mức lương cơ sở)',
    );
    expect(report.headings).toMatchObject({ vsi_monthly_income: VSI_HEADERS_VI.monthly_income });
    // the rows whose cells are good but whose person or dates clash are found once the persons are written
    const valid = await importRegister(source, system, { path: file }, { today: TODAY, language: 'en', validRowsOnly: true });
    expect(valid.errors.map((e) => [e.row, e.column, e.message])).toEqual([
      [3, 'vsi_monthly_income', expect.stringContaining('Sheet "BHXH tự nguyện": The monthly income 1.000.000 ₫ is under the lowest, 1.500.000 ₫')],
      [4, 'vsi_payment_months', 'Sheet "BHXH tự nguyện": The payment period must be 1, 3, 6, 12 months (got 2)'],
      [5, 'vsi_citizen_id', 'Sheet "BHXH tự nguyện": nobody in the register (or in the file) has the number 999999999999'],
      [6, 'vsi_valid_to', expect.stringContaining('must be on or after the start date')],
      [7, 'vsi_valid_from', "Sheet \"BHXH tự nguyện\": overlaps this person's period 01/01/2025 – 31/03/2025"],
    ]);
    expect(valid).toMatchObject({ rolledBack: false, vsi: { rows: 6, inserted: 1, rejected: 5 } });
    expect((await periods(source)).length).toBe(before.length + 1);
    expect(Number((await sql<{ n: number }>`select count(*)::int as n from person`.execute(source.db)).rows[0].n)).toBe(persons + 1);
  }, 120_000);

  it("a commune officer's file cannot give a period to a person of another commune", async () => {
    const { actor } = await makeUser(source, 'commune_officer', '02905');
    const file = path.join(dir, 'scope.xlsx');
    await workbook(file, [['010080009999', '', '01/03/2026', '31/03/2026', 2_000_000, 1]]);
    const report = await importRegister(source, actor, { path: file }, { today: TODAY, language: 'en' });
    expect(report).toMatchObject({ rolledBack: true, rejected: 1 });
    expect(report.errors).toEqual([{ row: 2, column: 'vsi_citizen_id', value: '010080009999', message: 'Sheet "BHXH tự nguyện": the person with the number 010080009999 is outside your area' }]);
  }, 120_000);
});
