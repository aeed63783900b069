import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DEFAULT_RULES, isKnownGroup } from './premium-rules';
import enWeb from '../i18n/locales/en/web.json';
import {
  CANONICAL_COLUMNS,
  RELATIONSHIP_KEYS,
  HEADER_ALIASES,
  ROW_ERROR_CODES,
  TEMPLATE_HEADERS_EN,
  TEMPLATE_HEADERS_VI,
  cellText,
  columnForHeader,
  mapHeader,
  parseDate,
  parsePovertyStatus,
  parseRelationship,
  parseSex,
  validateRow,
  type CanonicalColumn,
  type RowCells,
  type RowError,
} from './register-row';
import { foldVietnamese } from './text';

const ctx = { knownGroups: (code: string) => isKnownGroup(DEFAULT_RULES, code), today: '2026-03-15' };

const goodRow: RowCells = {
  household_code: 'HGD-0001',
  commune_code: '02905',
  village: 'Thôn 3',
  address: 'Thôn 3, xã Bảo Thắng',
  poverty_status: 'Hộ nghèo 2025',
  full_name: 'nguyễn  thị HOA',
  relationship: 'Vợ',
  birth_date: '05/03/1985',
  sex: 'Nữ',
  citizen_id: '010185012345',
  insurance_code: '1012345678',
  ethnicity: 'Kinh',
  phone: '0912.345.678',
  groups: 'hn; dt',
  card_group: 'HN',
  card_from: '01/01/2026',
  card_to: '31/12/2026',
};

function errorsOf(cells: RowCells): RowError[] {
  const result = validateRow(cells, ctx);
  if (result.ok) throw new Error(`expected errors, got ${JSON.stringify(result.row)}`);
  return result.errors;
}

const codes = (errors: RowError[]) => errors.map((e) => `${e.column}:${e.code}`).sort();

describe('headers', () => {
  it('maps the Vietnamese and English templates and the canonical names', () => {
    const vi = mapHeader(CANONICAL_COLUMNS.map((c) => TEMPLATE_HEADERS_VI[c]));
    expect(vi).toEqual({ columns: [...CANONICAL_COLUMNS], missing: [], unknown: [], duplicates: [] });
    const en = mapHeader(CANONICAL_COLUMNS.map((c) => TEMPLATE_HEADERS_EN[c]));
    expect(en.columns).toEqual([...CANONICAL_COLUMNS]);
    expect(mapHeader([...CANONICAL_COLUMNS]).columns).toEqual([...CANONICAL_COLUMNS]);
  });

  it('accepts common alternatives, without diacritics and in any case', () => {
    const m = mapHeader([
      'STT',
      'HỌ TÊN',
      'ho va ten nguoi tham gia',
      'CCCD',
      'Số định danh',
      'Mã BHXH',
      'SĐT',
      'Giới',
      'Ngày tháng năm sinh',
      'Hạn thẻ từ',
      'Hạn thẻ đến',
      'Mã hộ *',
      'Ma xa',
      'Ngày sinh (dd/mm/yyyy)',
      'Thôn / Tổ dân phố',
      'Ghi chú',
      '',
    ]);
    expect(m.columns).toEqual([
      null,
      'full_name',
      null,
      'citizen_id',
      null,
      'insurance_code',
      'phone',
      'sex',
      'birth_date',
      'card_from',
      'card_to',
      'household_code',
      'commune_code',
      null,
      'village',
      null,
      null,
    ]);
    expect(m.duplicates).toEqual(['full_name', 'citizen_id', 'birth_date']);
    expect(m.unknown).toEqual(['Ghi chú']);
    expect(m.missing).toEqual([]);
  });

  it('reports missing required columns', () => {
    expect(mapHeader(['Họ và tên', 'Số điện thoại']).missing).toEqual(['household_code', 'commune_code', 'birth_date', 'sex']);
  });

  it('alias keys are folded and every canonical column has at least its template headers', () => {
    for (const key of Object.keys(HEADER_ALIASES)) expect(key).toBe(foldVietnamese(key));
    for (const c of CANONICAL_COLUMNS) {
      expect(columnForHeader(TEMPLATE_HEADERS_VI[c])).toBe(c);
      expect(columnForHeader(foldVietnamese(TEMPLATE_HEADERS_VI[c]).toUpperCase())).toBe(c);
    }
    expect(columnForHeader('Điện thoại')).toBe('phone');
    expect(columnForHeader('Số CMND/CCCD')).toBe('citizen_id');
  });
});

describe('parseDate', () => {
  it('reads the usual Vietnamese and ISO forms', () => {
    expect(parseDate('05/03/1985')).toBe('1985-03-05');
    expect(parseDate('5/3/1985')).toBe('1985-03-05');
    expect(parseDate('05-03-1985')).toBe('1985-03-05');
    expect(parseDate('05.03.1985')).toBe('1985-03-05');
    expect(parseDate('1985-03-05')).toBe('1985-03-05');
    expect(parseDate(' 1985-3-5 ')).toBe('1985-03-05');
    expect(parseDate('05/03/1985 00:00:00')).toBe('1985-03-05');
    expect(parseDate('29/02/2024')).toBe('2024-02-29');
  });

  it('reads Excel serial numbers (1900 system) and Dates by their UTC parts', () => {
    expect(parseDate(1)).toBe('1900-01-01');
    expect(parseDate(59)).toBe('1900-02-28');
    expect(parseDate(61)).toBe('1900-03-01');
    expect(parseDate(31111)).toBe('1985-03-05');
    expect(parseDate(45658)).toBe('2025-01-01');
    expect(parseDate(45658.75)).toBe('2025-01-01');
    expect(parseDate(new Date(Date.UTC(1985, 2, 5)))).toBe('1985-03-05');
    expect(parseDate(new Date(Date.UTC(1985, 2, 5, 23, 59)))).toBe('1985-03-05');
  });

  it('rejects impossible or ambiguous input', () => {
    for (const bad of ['31/02/2020', '29/02/2023', '00/01/2020', '12/13/2020', '2020-02-30', '05/03/85', '1985', '31111', 'hôm qua', '', '05/03-1985']) {
      expect(parseDate(bad)).toBeUndefined();
    }
    expect(parseDate(0)).toBeUndefined();
    expect(parseDate(60)).toBeUndefined(); // Excel's 1900-02-29 does not exist
    expect(parseDate(-5)).toBeUndefined();
    expect(parseDate(Number.NaN)).toBeUndefined();
    expect(parseDate(new Date('invalid'))).toBeUndefined();
    expect(parseDate(null)).toBeUndefined();
  });

  it('property: every real date round-trips through dd/MM/yyyy, d/M/yyyy, ISO, Date and Excel serial', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date(Date.UTC(1900, 2, 1)), max: new Date(Date.UTC(2099, 11, 31)), noInvalidDate: true }), (d) => {
        const iso = d.toISOString().slice(0, 10);
        const [y, m, day] = iso.split('-');
        expect(parseDate(`${day}/${m}/${y}`)).toBe(iso);
        expect(parseDate(`${Number(day)}/${Number(m)}/${y}`)).toBe(iso);
        expect(parseDate(iso)).toBe(iso);
        expect(parseDate(d)).toBe(iso);
        const serial = Math.round((Date.UTC(+y, +m - 1, +day) - Date.UTC(1899, 11, 30)) / 86_400_000);
        expect(parseDate(serial)).toBe(iso);
      }),
    );
  });
});

describe('cell parsers', () => {
  it('parseSex accepts only the listed words', () => {
    for (const male of ['nam', 'Nam', 'NAM', 'male', 'M', ' m ']) expect(parseSex(male)).toBe('male');
    for (const female of ['nữ', 'Nữ', 'NỮ', 'nu', 'Nu', 'female', 'F', 'nữ'.normalize('NFD')]) expect(parseSex(female)).toBe('female');
    for (const bad of ['1', '0', 'x', 'khác', '', 'nam nữ', 'nứ']) expect(parseSex(bad)).toBeUndefined();
    expect(parseSex(1)).toBeUndefined();
  });

  it('parsePovertyStatus reads words, abbreviations and a year', () => {
    expect(parsePovertyStatus('hộ nghèo')).toEqual({ status: 'poor' });
    expect(parsePovertyStatus('Nghèo')).toEqual({ status: 'poor' });
    expect(parsePovertyStatus('HN')).toEqual({ status: 'poor' });
    expect(parsePovertyStatus('Hộ nghèo 2025')).toEqual({ status: 'poor', year: 2025 });
    expect(parsePovertyStatus('HN năm 2024')).toEqual({ status: 'poor', year: 2024 });
    expect(parsePovertyStatus('cận nghèo')).toEqual({ status: 'near_poor' });
    expect(parsePovertyStatus('Hộ cận nghèo (2025)')).toEqual({ status: 'near_poor', year: 2025 });
    expect(parsePovertyStatus('CN')).toEqual({ status: 'near_poor' });
    expect(parsePovertyStatus('Mức sống trung bình')).toEqual({ status: 'average_agri' });
    expect(parsePovertyStatus('GB 2026')).toEqual({ status: 'average_agri', year: 2026 });
    expect(parsePovertyStatus('')).toEqual({ status: 'none' });
    expect(parsePovertyStatus('Không')).toEqual({ status: 'none' });
    expect(parsePovertyStatus(null)).toEqual({ status: 'none' });
    for (const bad of ['giàu', '2025', 'không 2025', 'hộ nghèo abc', 'HNX']) expect(parsePovertyStatus(bad)).toBeUndefined();
  });

  it('parseRelationship recognises the usual words and keeps the rest', () => {
    expect(parseRelationship('Chủ hộ')).toBe('head');
    expect(parseRelationship('CHU HO')).toBe('head');
    expect(parseRelationship('head')).toBe('head');
    expect(parseRelationship('Vợ')).toBe('vợ');
    expect(parseRelationship('vo')).toBe('vợ');
    expect(parseRelationship('CHỒNG')).toBe('chồng');
    expect(parseRelationship('Con trai')).toBe('con');
    expect(parseRelationship('con')).toBe('con');
    expect(parseRelationship('Con dâu')).toBe('con dâu');
    expect(parseRelationship('Bố')).toBe('cha');
    expect(parseRelationship('Mẹ')).toBe('mẹ');
    expect(parseRelationship('Ông')).toBe('ông');
    expect(parseRelationship('Bà')).toBe('bà');
    expect(parseRelationship('Cháu nội')).toBe('cháu');
    expect(parseRelationship('Anh')).toBe('anh');
    expect(parseRelationship('Chị')).toBe('chị');
    expect(parseRelationship('Em')).toBe('em');
    expect(parseRelationship('Khác')).toBe('khác');
    expect(parseRelationship('ba')).toBe('ba'); // 'bà' or the southern 'ba' (father): kept as typed
    expect(parseRelationship('  Em   họ ')).toBe('Em họ');
    expect(parseRelationship('')).toBeUndefined();
  });
});

describe('validateRow', () => {
  it("reads a card's number, source (code or an export's label), facility and collector (issue 18)", () => {
    const row = (cells: RowCells) => {
      const r = validateRow({ ...goodRow, ...cells }, ctx);
      if (!r.ok) throw new Error(JSON.stringify(r.errors));
      return r.row.card;
    };
    expect(row({ card_number: 'HN2101234567891', card_source: 'Chương trình tặng thẻ', facility_code: 10001, collector_code: 'DL10001' })).toEqual({
      group: 'HN',
      from: '2026-01-01',
      to: '2026-12-31',
      number: 'HN2101234567891',
      source: 'programme',
      facilityCode: '10001',
      collectorCode: 'DL10001',
    });
    expect(row({ card_source: 'Entered by hand' })?.source).toBe('manual');
    expect(row({ card_source: 'nhập từ tệp' })?.source).toBe('import');
    // Excel dropped the leading zero of a facility code
    expect(row({ facility_code: 1001 })?.facilityCode).toBe('01001');
    expect(codes(errorsOf({ ...goodRow, card_source: 'bought', facility_code: '12' }))).toEqual(['card_source:invalid_card_source', 'facility_code:invalid_facility_code']);
    // the card's facts without the card: a card given in part
    expect(codes(errorsOf({ ...goodRow, card_group: '', card_from: '', card_to: '', facility_code: '10001' }))).toEqual([
      'card_from:card_incomplete',
      'card_group:card_incomplete',
      'card_to:card_incomplete',
    ]);
    // older files without these columns read as before
    expect(row({})).toEqual({ group: 'HN', from: '2026-01-01', to: '2026-12-31' });
  });

  it('normalises a good row', () => {
    const result = validateRow(goodRow, ctx);
    expect(result).toEqual({
      ok: true,
      row: {
        householdCode: 'HGD-0001',
        communeCode: '02905',
        village: 'Thôn 3',
        address: 'Thôn 3, xã Bảo Thắng',
        povertyStatus: 'poor',
        povertyYear: 2025,
        fullName: 'Nguyễn Thị Hoa',
        nameKey: 'nguyen thi hoa',
        relationship: 'vợ',
        birthDate: '1985-03-05',
        sex: 'female',
        citizenId: '010185012345',
        insuranceCode: '1012345678',
        ethnicity: 'Kinh',
        phone: '0912345678',
        groups: ['HN', 'DT'],
        card: { group: 'HN', from: '2026-01-01', to: '2026-12-31' },
      },
    });
  });

  it('needs only the required columns', () => {
    const result = validateRow(
      { household_code: 7, commune_code: 2905, full_name: 'Giàng A Sử', birth_date: '1990-01-02', sex: 'nam' },
      ctx,
    );
    expect(result).toEqual({
      ok: true,
      row: {
        householdCode: '7',
        communeCode: '02905',
        povertyStatus: 'none',
        fullName: 'Giàng A Sử',
        nameKey: 'giang a su',
        birthDate: '1990-01-02',
        sex: 'male',
        groups: [],
      },
    });
  });

  it('reports every missing required cell', () => {
    const errors = errorsOf({ household_code: ' ', commune_code: null, full_name: '', birth_date: undefined });
    expect(codes(errors)).toEqual([
      'birth_date:required',
      'commune_code:required',
      'full_name:required',
      'household_code:required',
      'sex:required',
    ]);
  });

  it('collects all the errors of a row, with the cell value and params', () => {
    const errors = errorsOf({
      ...goodRow,
      commune_code: '12-34',
      poverty_status: 'giàu',
      birth_date: '31/02/1985',
      sex: 'x',
      citizen_id: '12345',
      insurance_code: 'ABC',
      phone: '12345',
      groups: 'HN;ZZ;QQ',
      card_group: 'XX',
      card_from: '01/13/2026',
    });
    expect(codes(errors)).toEqual([
      'birth_date:invalid_date',
      'card_from:invalid_date',
      'card_group:unknown_group',
      'citizen_id:invalid_citizen_id',
      'commune_code:invalid_commune_code',
      'groups:unknown_group',
      'groups:unknown_group',
      'insurance_code:invalid_insurance_code',
      'phone:invalid_phone',
      'poverty_status:invalid_poverty_status',
      'sex:invalid_sex',
    ]);
    const unknown = errors.filter((e) => e.column === 'groups');
    expect(unknown.map((e) => e.params)).toEqual([{ code: 'ZZ' }, { code: 'QQ' }]);
    expect(errors.find((e) => e.column === 'commune_code')!.value).toBe('12-34');
    for (const e of errors) expect(ROW_ERROR_CODES).toContain(e.code);
  });

  it('rejects birth dates in the future and before 1900', () => {
    expect(errorsOf({ ...goodRow, birth_date: '16/03/2026', citizen_id: undefined })).toEqual([
      { column: 'birth_date', value: '16/03/2026', code: 'future_date', params: { today: '2026-03-15' } },
    ]);
    expect(validateRow({ ...goodRow, birth_date: '15/03/2026', citizen_id: undefined }, ctx).ok).toBe(true);
    expect(codes(errorsOf({ ...goodRow, birth_date: '01/01/1899', citizen_id: undefined }))).toEqual(['birth_date:invalid_date']);
  });

  it('cross-checks the citizen id with birth year and sex', () => {
    expect(errorsOf({ ...goodRow, birth_date: '05/03/1986' })).toEqual([
      { column: 'citizen_id', value: '010185012345', code: 'citizen_id_birth_year', params: { birthYear: 1986 } },
    ]);
    expect(codes(errorsOf({ ...goodRow, birth_date: '05/03/2085' }))).toEqual(['birth_date:future_date']);
    expect(codes(errorsOf({ ...goodRow, citizen_id: '010385012345' }))).toEqual(['citizen_id:citizen_id_birth_year']);
    expect(errorsOf({ ...goodRow, sex: 'Nam' })).toEqual([
      { column: 'citizen_id', value: '010185012345', code: 'citizen_id_sex', params: { sex: 'male' } },
    ]);
  });

  it('restores leading zeros that Excel dropped from numeric cells', () => {
    const result = validateRow(
      { ...goodRow, commune_code: 2905, citizen_id: 10185012345, insurance_code: 112345678, phone: 912345678, household_code: 120 },
      ctx,
    );
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.row.communeCode).toBe('02905');
    expect(result.row.citizenId).toBe('010185012345');
    expect(result.row.insuranceCode).toBe('0112345678');
    expect(result.row.phone).toBe('0912345678');
    expect(result.row.householdCode).toBe('120');
    // Hà Nội ids (province 001) lose two zeros.
    const hanoi = validateRow({ ...goodRow, citizen_id: 1185012345 }, ctx);
    expect(hanoi.ok && hanoi.row.citizenId).toBe('001185012345');
    // Text with a keep-as-text apostrophe and spaces.
    const text = validateRow({ ...goodRow, citizen_id: "'010 185 012 345" }, ctx);
    expect(text.ok && text.row.citizenId).toBe('010185012345');
    // Too short even for a lost zero.
    expect(codes(errorsOf({ ...goodRow, citizen_id: 185012345 }))).toEqual(['citizen_id:invalid_citizen_id']);
    expect(codes(errorsOf({ ...goodRow, commune_code: 102905 }))).toEqual(['commune_code:invalid_commune_code']);
  });

  it('reads dates from Excel serials and Date cells', () => {
    const result = validateRow(
      { ...goodRow, birth_date: 31111, card_from: new Date(Date.UTC(2026, 0, 1)), card_to: 46387 },
      ctx,
    );
    expect(result.ok && result.row.birthDate).toBe('1985-03-05');
    expect(result.ok && result.row.card).toEqual({ group: 'HN', from: '2026-01-01', to: '2026-12-31' });
  });

  it('takes a card only whole and in order', () => {
    expect(errorsOf({ ...goodRow, card_from: '', card_to: null })).toEqual([
      { column: 'card_from', value: '', code: 'card_incomplete', params: { missing: ['card_from', 'card_to'] } },
      { column: 'card_to', value: '', code: 'card_incomplete', params: { missing: ['card_from', 'card_to'] } },
    ]);
    expect(codes(errorsOf({ ...goodRow, card_group: '' }))).toEqual(['card_group:card_incomplete']);
    expect(errorsOf({ ...goodRow, card_from: '01/01/2027' })).toEqual([
      { column: 'card_to', value: '31/12/2026', code: 'card_dates_order', params: { from: '2027-01-01', to: '2026-12-31' } },
    ]);
    const none = validateRow({ ...goodRow, card_group: '', card_from: '', card_to: '' }, ctx);
    expect(none.ok && none.row.card).toBeUndefined();
    const oneDay = validateRow({ ...goodRow, card_from: '31/12/2026' }, ctx);
    expect(oneDay.ok && oneDay.row.card).toEqual({ group: 'HN', from: '2026-12-31', to: '2026-12-31' });
  });

  it('refuses control characters (a NUL, a bell) in any cell, but takes tabs and line breaks as spaces', () => {
    expect(errorsOf({ ...goodRow, full_name: 'Lò\u0000 Văn A', address: 'Số 1\u0007' })).toEqual([
      { column: 'address', value: 'Số 1\u0007', code: 'invalid_characters' },
      { column: 'full_name', value: 'Lò\u0000 Văn A', code: 'invalid_characters' },
    ]);
    const spaced = validateRow({ ...goodRow, full_name: 'Lò\tVăn\nA' }, ctx);
    expect(spaced.ok && spaced.row.fullName).toBe('Lò Văn A');
  });

  it('splits, upper-cases and de-duplicates groups', () => {
    const result = validateRow({ ...goodRow, groups: ' hn , DT;hn ; te' }, ctx);
    expect(result.ok && result.row.groups).toEqual(['HN', 'DT', 'TE']);
  });

  it('refuses over-long cells with too_long', () => {
    const errors = errorsOf({ ...goodRow, full_name: 'A'.repeat(101), household_code: 'X'.repeat(51) });
    expect(errors).toEqual([
      { column: 'household_code', value: 'X'.repeat(51), code: 'too_long', params: { max: 50, length: 51 } },
      { column: 'full_name', value: 'A'.repeat(101), code: 'too_long', params: { max: 100, length: 101 } },
    ]);
  });

  it('refuses free text that a spreadsheet would run as a formula (=, +, -, @ first), and keeps phones with +', () => {
    expect(
      errorsOf({ ...goodRow, full_name: '=HYPERLINK("http://evil.example/","click")', address: '+1+1', village: '-2+3', ethnicity: '@SUM(A1)', school: '-5' }),
    ).toEqual([
      { column: 'village', value: '-2+3', code: 'formula_text' },
      { column: 'address', value: '+1+1', code: 'formula_text' },
      { column: 'full_name', value: '=HYPERLINK("http://evil.example/","click")', code: 'formula_text' },
      { column: 'ethnicity', value: '@SUM(A1)', code: 'formula_text' },
      { column: 'school', value: '-5', code: 'formula_text' },
    ]);
    // after the leading spaces are trimmed, too
    expect(errorsOf({ ...goodRow, full_name: '  =1+1' })).toEqual([{ column: 'full_name', value: '=1+1', code: 'formula_text' }]);
    const ok = validateRow({ ...goodRow, full_name: 'Lò Văn An', phone: '+84 912 345 678', address: 'Số 1 - ngõ 2' }, ctx);
    expect(ok.ok && [ok.row.fullName, ok.row.phone, ok.row.address]).toEqual(['Lò Văn An', '0912345678', 'Số 1 - ngõ 2']);
  });

  it('lists each error code once, and only codes it can produce', () => {
    expect(new Set(ROW_ERROR_CODES).size).toBe(ROW_ERROR_CODES.length);
    expect([...ROW_ERROR_CODES].sort()).toEqual(
      [
        'required',
        'invalid_date',
        'future_date',
        'invalid_sex',
        'invalid_citizen_id',
        'citizen_id_birth_year',
        'citizen_id_sex',
        'invalid_insurance_code',
        'invalid_phone',
        'unknown_group',
        'invalid_poverty_status',
        'invalid_commune_code',
        'card_incomplete',
        'card_dates_order',
        'too_long',
        'invalid_grade',
        'invalid_characters',
        'formula_text',
        'invalid_card_source',
        'invalid_facility_code',
      ].sort(),
    );
  });

  it('property: never throws, and either returns a row or at least one error with a known code and column', () => {
    const cell = fc.oneof(
      fc.string({ maxLength: 30 }),
      fc.integer(),
      fc.double({ noNaN: false }),
      fc.date(),
      fc.constant(null),
      fc.constant(undefined),
      fc.constantFrom('nam', 'nữ', '01/02/2000', '2905', 'HN', 'cận nghèo', '010200123456', '0912345678'),
    );
    const row = fc.record(Object.fromEntries(CANONICAL_COLUMNS.map((c) => [c, cell])) as Record<CanonicalColumn, typeof cell>, {
      requiredKeys: [],
    });
    fc.assert(
      fc.property(row, (cells) => {
        const result = validateRow(cells as RowCells, ctx);
        if (result.ok) {
          expect(result.row.communeCode).toMatch(/^\d{5}$/);
          expect(result.row.birthDate <= ctx.today).toBe(true);
        } else {
          expect(result.errors.length).toBeGreaterThan(0);
          for (const e of result.errors) {
            expect(ROW_ERROR_CODES).toContain(e.code);
            expect(CANONICAL_COLUMNS).toContain(e.column);
            expect(typeof e.value).toBe('string');
          }
        }
      }),
    );
  });
});

it('has fewer than 31 canonical columns (a row check keeps one bit per column)', () => {
  expect(CANONICAL_COLUMNS.length).toBeLessThan(31);
});

describe('cellText (every import reads cells with it)', () => {
  it('trims, composes to NFC and makes runs of white space one space', () => {
    expect(cellText('  Nguyễn   Văn\tAn \n')).toBe('Nguyễn Văn An');
    expect(cellText('Nguye\u0302\u0303n')).toBe('Nguyễn');
    expect(cellText('Ghi chú\r\ndòng hai')).toBe('Ghi chú dòng hai');
  });
  it('writes numbers in plain digits, dates as ISO dates, booleans as written, nothing as empty', () => {
    expect(cellText(1234567890123)).toBe('1234567890123');
    expect(cellText(1e21)).toBe('1e+21');
    expect(cellText(2.5)).toBe('2.5');
    expect(cellText(new Date(Date.UTC(2025, 9, 31)))).toBe('2025-10-31');
    expect(cellText(true)).toBe('true');
    expect(cellText(null)).toBe('');
    expect(cellText(undefined)).toBe('');
  });
});

describe('relationships in English', () => {
  it('reads back every English name the catalogue gives a relationship (an English export re-imports unchanged)', () => {
    const names = enWeb.register.relationship as Record<string, string>;
    for (const [stored, key] of Object.entries(RELATIONSHIP_KEYS)) {
      if (stored === 'head') continue; // exported as register:export.head
      expect(parseRelationship(names[key]), key).toBe(stored);
    }
  });
});
