import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { importRegister } from './import.service';
import { getHousehold, updatePerson } from './register.service';
import { TEMPLATE_HEADERS_VI, CANONICAL_COLUMNS } from '../../domain/register-row';

let t: TestDatabase;
let dir: string;
beforeAll(async () => {
  t = await testDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-import-'));
});
afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const HEADER = CANONICAL_COLUMNS.join(',');
let fileNo = 0;
function csv(lines: string[]): string {
  const file = path.join(dir, `f${++fileNo}.csv`);
  fs.writeFileSync(file, [HEADER, ...lines].join('\n'));
  return file;
}
/** `text` as Windows-1258 writes it: letters with a tone mark as the letter, then the mark (a combining character). */
function windows1258(text: string): Buffer {
  const TONE: Record<string, number> = { '\u0300': 0xcc, '\u0301': 0xec, '\u0303': 0xde, '\u0309': 0xd2, '\u0323': 0xf2 };
  const LETTER: Record<string, number> = { ă: 0xe3, â: 0xe2, ê: 0xea, ô: 0xf4, ơ: 0xf5, ư: 0xfd, đ: 0xf0, Ă: 0xc3, Â: 0xc2, Ê: 0xca, Ô: 0xd4, Ơ: 0xd5, Ư: 0xdd, Đ: 0xd0 };
  const bytes: number[] = [];
  for (const ch of text.normalize('NFC')) {
    const parts = [...ch.normalize('NFD')];
    const base = parts.filter((c) => !(c in TONE)).join('').normalize('NFC');
    bytes.push(LETTER[base] ?? base.charCodeAt(0), ...parts.filter((c) => c in TONE).map((c) => TONE[c]));
  }
  return Buffer.from(bytes);
}
const count = async (table: 'person' | 'household' | 'card') =>
  Number((await t.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

// household_code,commune_code,village,address,poverty_status,full_name,relationship,birth_date,sex,citizen_id,insurance_code,ethnicity,phone,groups,card_group,card_from,card_to
const GOOD = [
  'A01,02905,Thôn Phú Lâm,Số 1,hộ nghèo,Nguyễn Văn An,chủ hộ,12/03/1980,nam,010080001234,,Kinh,0912345678,HN,HN,01/01/2025,31/12/2025',
  'A01,02905,Thôn Phú Lâm,Số 1,hộ nghèo,Trần Thị Bình,vợ,1985-07-20,nữ,,0101234567,Kinh,,HN,HN,01/01/2025,31/12/2025',
  'A02,02905,Thôn Phú Lâm,,,Giàng A Sử,chủ hộ,05/05/1975,nam,,,H\'Mông,,GD,,,',
];

describe(`register import (${engineName})`, () => {
  it('imports nothing when one row is bad, and reports exactly that row and column', async () => {
    const file = csv([...GOOD, 'A03,02905,,,,Lò Văn Dũng,chủ hộ,31/02/1990,nam,,,Thái,,GD,,,']);
    const r = await importRegister(t, system, { path: file }, { today: '2025-10-01' });
    expect(r).toMatchObject({ rows: 4, inserted: 0, updated: 0, unchanged: 0, rejected: 1, rolledBack: true });
    expect(r.errors).toEqual([{ row: 5, column: 'birth_date', value: '31/02/1990', message: expect.stringContaining('Ngày không hợp lệ') }]);
    expect(await count('person')).toBe(0);
    expect(await count('household')).toBe(0);

    const valid = await importRegister(t, system, { path: file }, { today: '2025-10-01', validRowsOnly: true });
    expect(valid).toMatchObject({ rows: 4, inserted: 3, rejected: 1, rolledBack: false });
    expect(await count('person')).toBe(3);
    expect(await count('household')).toBe(2);
    expect(await count('card')).toBe(2);
  });

  it('refuses a name that a spreadsheet would run as a formula, naming its row and column (issue 16)', async () => {
    const file = csv([
      'F01,02905,,,,Lò Văn Phúc,chủ hộ,01/01/1990,nam,,,Thái,,GD,,,',
      'F01,02905,,,,"=HYPERLINK(""http://evil.example/"",""click"")",vợ,01/01/1991,nữ,,,Thái,,GD,,,',
    ]);
    for (const fresh of [0, Infinity]) {
      const r = await importRegister(t, system, { path: file }, { today: '2025-10-01', freshPathFromBytes: fresh });
      expect(r).toMatchObject({ rows: 2, inserted: 0, rejected: 1, rolledBack: true });
      expect(r.errors).toEqual([
        { row: 3, column: 'full_name', value: '=HYPERLINK("http://evil.example/","click")', message: 'Không được bắt đầu bằng =, +, - hoặc @: bảng tính sẽ chạy ô này như một công thức. Hãy sửa lại nội dung' },
      ]);
    }
    expect(await count('person')).toBe(3);
  });

  it('reports a NUL in a cell as that row and column, instead of failing in the database', async () => {
    const file = csv(['N01,02905,,,,Lò\u0000 Văn Nul,chủ hộ,01/01/1990,nam,,,Thái,,GD,,,']);
    for (const fresh of [0, Infinity]) {
      const r = await importRegister(t, system, { path: file }, { today: '2025-10-01', freshPathFromBytes: fresh });
      expect(r).toMatchObject({ rows: 1, inserted: 0, rejected: 1, rolledBack: true });
      expect(r.errors).toEqual([{ row: 2, column: 'full_name', value: 'Lò\u0000 Văn Nul', message: expect.stringContaining('ký tự điều khiển') }]);
    }
    expect(await count('person')).toBe(3);
  });

  it('is idempotent: the same file again changes nothing', async () => {
    const file = csv(GOOD);
    const r = await importRegister(t, system, { path: file }, { today: '2025-10-01' });
    expect(r).toMatchObject({ rows: 3, inserted: 0, updated: 0, unchanged: 3, rejected: 0 });
    expect(await count('person')).toBe(3);
    expect(await count('card')).toBe(2);
  });

  it('updates a changed person matched by citizen id, and adds a new card', async () => {
    const file = csv([
      'A01,02905,Thôn Phú Lâm,Số 1,hộ nghèo,Nguyễn Văn An,chủ hộ,12/03/1980,nam,010080001234,,Kinh,0987654321,HN,HN,01/01/2026,31/12/2026',
    ]);
    const dry = await importRegister(t, system, { path: file }, { today: '2025-10-01', dryRun: true });
    expect(dry).toMatchObject({ inserted: 0, updated: 1, unchanged: 0, rolledBack: true });
    expect(await count('card')).toBe(2);
    const r = await importRegister(t, system, { path: file }, { today: '2025-10-01' });
    expect(r).toMatchObject({ inserted: 0, updated: 1, unchanged: 0 });
    const p = await t.db.selectFrom('person').select(['phone', 'groupCodes']).where('citizenId', '=', '010080001234').executeTakeFirstOrThrow();
    expect(p).toEqual({ phone: '0987654321', groupCodes: ['HN'] });
    expect(await count('card')).toBe(3);
  });

  it('adds the further cards of a person given on the next rows, with their number, source and facility; a repeat elsewhere is an error (issue 18)', async () => {
    await t.db.insertInto('healthFacility').values({ code: '10001', name: 'Trạm y tế Bảo Thắng', searchName: 'tram y te bao thang', provinceCode: '15' }).execute();
    const an = 'A01,02905,Thôn Phú Lâm,Số 1,hộ nghèo,Nguyễn Văn An,chủ hộ,12/03/1980,nam,010080001234,,Kinh,0987654321,HN';
    const cards = async () =>
      t.db
        .selectFrom('card as c')
        .innerJoin('person as p', 'p.id', 'c.personId')
        .select(['c.validFrom', 'c.number', 'c.source', 'c.facilityCode'])
        .where('p.citizenId', '=', '010080001234')
        .orderBy('c.validFrom')
        .execute();
    const held = (await cards()).length;
    // the card An holds, then two more on the next rows (one given twice)
    const file = csv([
      `${an},HN,01/01/2026,31/12/2026`,
      `${an},HN,01/01/2027,31/12/2027,,,HN4010000000001,Chương trình tặng thẻ,10001,`,
      `${an},HN,01/01/2027,31/12/2027,,,HN4010000000001,Chương trình tặng thẻ,10001,`,
      `${an},HN,01/01/2028,31/12/2028,,,,Nhập tay,,`,
    ]);
    const r = await importRegister(t, system, { path: file }, { today: '2025-10-01' });
    expect(r).toMatchObject({ rows: 4, inserted: 0, updated: 3, unchanged: 1, rejected: 0 });
    const after = await cards();
    expect(after).toHaveLength(held + 2);
    expect(after.slice(-2)).toEqual([
      { validFrom: '2027-01-01', number: 'HN4010000000001', source: 'programme', facilityCode: '10001' },
      { validFrom: '2028-01-01', number: null, source: 'manual', facilityCode: null },
    ]);
    // the same file again: nothing to add
    expect(await importRegister(t, system, { path: file }, { today: '2025-10-01' })).toMatchObject({ inserted: 0, updated: 0, unchanged: 4 });
    // a card held without a facility: a file that names it fills it in (an empty cell erases nothing)
    const facility = csv([`${an},HN,01/01/2026,31/12/2026`, `${an},HN,01/01/2028,31/12/2028,,,,,10001,`]);
    expect(await importRegister(t, system, { path: facility }, { today: '2025-10-01' })).toMatchObject({ inserted: 0, updated: 1, unchanged: 1 });
    expect((await cards()).at(-1)).toEqual({ validFrom: '2028-01-01', number: null, source: 'manual', facilityCode: '10001' });
    // a row of An that does not follow An's previous row is the same person twice in the file
    const apart = await importRegister(
      t,
      system,
      { path: csv([`${an},HN,01/01/2026,31/12/2026`, "A02,02905,,,,Giàng A Sử,chủ hộ,05/05/1975,nam,,,H'Mông,,CN,,,", `${an},HN,01/01/2029,31/12/2029`]) },
      { today: '2025-10-01' },
    );
    expect(apart.errors.map((e) => [e.row, e.column, e.message])).toEqual([[4, 'citizen_id', expect.stringContaining('dòng trước')]]);
    expect(await cards()).toHaveLength(held + 2);
  });

  it("keeps each person's group history: groups held since the import, ended by a later file or an edit, and begun after", async () => {
    const history = async (citizenId: string) => {
      const p = await t.db.selectFrom('person').select(['id', 'householdId']).where('citizenId', '=', citizenId).executeTakeFirstOrThrow();
      const page = await getHousehold(t.db, system, p.householdId);
      return page.members.find((m) => m.id === p.id)!.groups;
    };
    const first = csv(['G01,02905,,,,Vàng Thị Mai,chủ hộ,02/02/1990,nữ,010190002345,,H\'Mông,,"HN;DT",,,']);
    expect(await importRegister(t, system, { path: first }, { today: '2025-10-01' })).toMatchObject({ inserted: 1 });
    // held since she was registered: no dates, and no person_group row for them
    expect(await history('010190002345')).toEqual([
      { groupCode: 'DT', validFrom: null, validTo: null },
      { groupCode: 'HN', validFrom: null, validTo: null },
    ]);
    const id = (await t.db.selectFrom('person').select('id').where('citizenId', '=', '010190002345').executeTakeFirstOrThrow()).id;
    expect(await t.db.selectFrom('personGroup').selectAll().where('personId', '=', id).execute()).toEqual([]);

    // a later file drops DT and adds CN
    const second = csv(['G01,02905,,,,Vàng Thị Mai,chủ hộ,02/02/1990,nữ,010190002345,,H\'Mông,,"HN;CN",,,']);
    expect(await importRegister(t, system, { path: second }, { today: '2025-11-01' })).toMatchObject({ updated: 1 });
    expect(await history('010190002345')).toEqual([
      { groupCode: 'CN', validFrom: '2025-11-01', validTo: null },
      { groupCode: 'HN', validFrom: null, validTo: null },
      { groupCode: 'DT', validFrom: null, validTo: '2025-11-01' },
    ]);

    // an edit ends HN, held since the import
    await updatePerson(t.db, system, id, { groupCodes: ['CN'] }, '2025-12-01');
    expect(await history('010190002345')).toEqual([
      { groupCode: 'CN', validFrom: '2025-11-01', validTo: null },
      { groupCode: 'HN', validFrom: null, validTo: '2025-12-01' },
      { groupCode: 'DT', validFrom: null, validTo: '2025-11-01' },
    ]);
  });

  it('maps an old commune code to the new commune, and rejects a split one naming the candidates', async () => {
    const file = csv([
      'B01,30454,Ấp Một,,,Lê Văn Cường,chủ hộ,05/05/1990,nam,,,Kinh,,GD,,,',
      'B02,00007,,,,Phạm Thị Dung,chủ hộ,05/05/1992,nữ,,,Kinh,,GD,,,',
    ]);
    const r = await importRegister(t, system, { path: file }, { today: '2025-10-01', validRowsOnly: true, language: 'en' });
    expect(r).toMatchObject({ inserted: 1, rejected: 1 });
    expect(r.errors).toHaveLength(1);
    expect(r.errors[0]).toMatchObject({ row: 3, column: 'commune_code', value: '00007' });
    expect(r.errors[0].message).toContain('00008');
    expect(r.errors[0].message).toContain('00025');
    const h = await t.db.selectFrom('household').select(['communeCode', 'villageCode']).where('code', '=', 'B01').executeTakeFirstOrThrow();
    expect(h.communeCode).toBe('30445');
    expect(h.villageCode).toBe('30445.ap-mot');
  });

  it('never merges silently: an ambiguous match and a duplicate in the file are error rows', async () => {
    // two persons with the same name and birth date in one household, then a row without ids that matches both
    await importRegister(
      t,
      system,
      { path: csv(['C01,02905,,,,Vàng Thị Mai,con,01/01/2010,nữ,,,H\'Mông,,HS,,,', 'C01,02905,,,,Vàng Thị Mai,con,01/01/2010,nữ,010310000001,,H\'Mông,,HS,,,']) },
      { today: '2025-10-01' },
    );
    const r = await importRegister(
      t,
      system,
      { path: csv(['C01,02905,,,,Vàng Thị Mai,con,01/01/2010,nữ,,,H\'Mông,,HS,,,', 'D01,02905,,,,Hảng A Lử,chủ hộ,01/01/1970,nam,010070000009,,H\'Mông,,GD,,,', 'D01,02905,,,,Hảng A Lử,chủ hộ,01/01/1970,nam,010070000009,,H\'Mông,,GD,,,']) },
      { today: '2025-10-01' },
    );
    expect(r.rolledBack).toBe(true);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'full_name'],
      [4, 'citizen_id'],
    ]);
  });

  it('reports every problem of a row at once: a bad date and sex, and its unknown commune (issue 18)', async () => {
    const file = csv([...GOOD, 'G01,99999,,,,Lò Văn Giang,chủ hộ,31/02/1990,khác,,,Thái,,GD,,,']);
    for (const fresh of [0, Infinity]) {
      const r = await importRegister(t, system, { path: file }, { today: '2025-10-01', freshPathFromBytes: fresh, language: 'en' });
      // the rejected count is of rows, not errors
      expect(r).toMatchObject({ rows: 4, inserted: 0, rejected: 1, rolledBack: true });
      expect(r.errors).toEqual([
        { row: 5, column: 'birth_date', value: '31/02/1990', message: 'Invalid date (dd/MM/yyyy or yyyy-mm-dd)' },
        { row: 5, column: 'sex', value: 'khác', message: 'Sex must be male or female (nam/nữ)' },
        { row: 5, column: 'commune_code', value: '99999', message: 'No commune or ward has this code (old pre-2025 codes included)' },
      ]);
    }
  });

  it('checks the commune of a bad row against the scope too', async () => {
    const { actor } = await makeUser(t, 'commune_officer', '02905');
    const r = await importRegister(t, actor, { path: csv(['E02,02680,,,,Lý Văn Em,chủ hộ,01/01/1980,khác,,,Giáy,,GD,,,']) }, { today: '2025-10-01' });
    expect(r.rejected).toBe(1);
    expect(r.errors.map((e) => [e.row, e.column])).toEqual([
      [2, 'sex'],
      [2, 'commune_code'],
    ]);
  });

  it('keeps a commune officer inside their commune', async () => {
    const { actor } = await makeUser(t, 'commune_officer', '02905');
    const r = await importRegister(t, actor, { path: csv(['E01,02680,,,,Lý Văn Em,chủ hộ,01/01/1980,nam,,,Giáy,,GD,,,']) }, { today: '2025-10-01' });
    expect(r.rejected).toBe(1);
    expect(r.errors[0]).toMatchObject({ row: 2, column: 'commune_code' });
  });

  it('reads .xlsx with Vietnamese headers as Excel writes them (numbers and dates as cells)', async () => {
    const wb = new ExcelJS.Workbook();
    const ws = wb.addWorksheet('Danh sách');
    ws.addRow(CANONICAL_COLUMNS.map((c) => TEMPLATE_HEADERS_VI[c]));
    ws.addRow(['X01', 2905, 'Bản Na Lốc', '', 'cận nghèo', 'tẩn láo  lở', 'Chủ hộ', new Date(Date.UTC(1968, 4, 2)), 'Nam', '', 101234568, 'Dao', '', 'CN', 'CN', new Date(Date.UTC(2025, 0, 1)), new Date(Date.UTC(2025, 11, 31))]);
    const file = path.join(dir, 'list.xlsx');
    await wb.xlsx.writeFile(file);
    const r = await importRegister(t, system, { path: file }, { today: '2025-10-01' });
    expect(r).toMatchObject({ rows: 1, inserted: 1, rejected: 0 });
    const p = await t.db.selectFrom('person').selectAll().where('insuranceCode', '=', '0101234568').executeTakeFirstOrThrow();
    expect(p).toMatchObject({ fullName: 'Tẩn Láo Lở', birthDate: '1968-05-02', sex: 'male', communeCode: '02905', groupCodes: ['CN'] });
  });

  it("keeps pupils' school and grade, and refuses a grade that is not 1-12", async () => {
    const file = csv([
      'S01,02905,,,,Sùng Thị Mỷ,con,03/04/2014,nữ,,,H\'Mông,,HS,HS,01/10/2025,30/09/2026,Trường Tiểu học Bảo Thắng,Lớp 5',
      'S01,02905,,,,Sùng A Páo,con,03/04/2012,nam,,,H\'Mông,,HS,,,,Trường THCS Bảo Thắng,13',
    ]);
    const r = await importRegister(t, system, { path: file }, { today: '2025-10-01', validRowsOnly: true });
    expect(r).toMatchObject({ inserted: 1, rejected: 1 });
    expect(r.errors).toEqual([{ row: 3, column: 'grade', value: '13', message: 'Lớp phải là số từ 1 đến 12' }]);
    const p = await t.db.selectFrom('person').select(['school', 'grade']).where('fullName', '=', 'Sùng Thị Mỷ').executeTakeFirstOrThrow();
    expect(p).toEqual({ school: 'Trường Tiểu học Bảo Thắng', grade: 5 });
  });

  it('reads a CSV saved as Windows-1258 with its letters composed, and refuses a UTF-8 one with a bad byte, writing nothing', async () => {
    const persons = await count('person');
    const file = path.join(dir, 'windows-1258.csv');
    fs.writeFileSync(file, windows1258(`${HEADER}\nC01,02905,Thôn Phú Lâm,Số 9,,Nguyễn Văn Cường,chủ hộ,12/03/1980,nam,,,Kinh,,GD,,,\n`));
    const r = await importRegister(t, system, { path: file }, { today: '2025-10-01' });
    expect(r).toMatchObject({ rows: 1, inserted: 1, rejected: 0 });
    const p = await t.db.selectFrom('person').select(['fullName', 'nameKey']).where('fullName', '=', 'Nguyễn Văn Cường').executeTakeFirstOrThrow();
    expect(p).toEqual({ fullName: 'Nguyễn Văn Cường', nameKey: 'nguyen van cuong' });

    const bad = path.join(dir, 'bad-byte.csv');
    const line = (code: string) => `${code},02905,,,,Lò Văn Dũng,chủ hộ,01/01/1990,nam,,,Thái,,GD,,,\n`;
    fs.writeFileSync(bad, Buffer.concat([Buffer.from(`${HEADER}\n${line('C02')}`), Buffer.from([0x43, 0x30, 0x33, 0xff]), Buffer.from(line(''))]));
    await expect(importRegister(t, system, { path: bad }, { today: '2025-10-01', validRowsOnly: true })).rejects.toMatchObject({
      code: 'validation',
      fields: [{ path: 'file', key: 'import_not_utf8', params: { row: 3 } }],
    });
    expect(await count('person')).toBe(persons + 1);
  });

  it('refuses a file without the required columns, naming them', async () => {
    const file = path.join(dir, 'bad-header.csv');
    fs.writeFileSync(file, 'Họ và tên,Ngày sinh\nAn,01/01/2000\n');
    await expect(importRegister(t, system, { path: file })).rejects.toMatchObject({
      code: 'validation',
      fields: expect.arrayContaining([expect.objectContaining({ path: 'household_code' }), expect.objectContaining({ path: 'sex' })]),
    });
  });
});
