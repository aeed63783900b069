/**
 * One row of the population-register import template (households, persons, cards): header mapping,
 * cell parsers and row validation. Pure: the caller reads the file (Excel/CSV), passes the cells and
 * "today", and gets back either a normalised row or every problem of the row as stable codes + params
 * (the i18n catalogue turns codes into sentences).
 */
import { dateParts } from './calendar';
import { daysInMonth, type IsoDate } from './dates';
import { normalizeName, normalizePhone, validateCitizenId, validateInsuranceCode, type Sex } from './identity';
import { foldVietnamese } from './text';

// ---------------------------------------------------------------------------------------------------
// Columns and headers
// ---------------------------------------------------------------------------------------------------

export const CANONICAL_COLUMNS = [
  'household_code',
  'commune_code',
  'village',
  'address',
  'poverty_status',
  'full_name',
  'relationship',
  'birth_date',
  'sex',
  'citizen_id',
  'insurance_code',
  'ethnicity',
  'phone',
  'groups',
  'card_group',
  'card_from',
  'card_to',
  'school',
  'grade',
  // the card's own facts (issue 18): optional, at the end so that older files keep their columns
  'card_number',
  'card_source',
  'facility_code',
  'collector_code',
] as const;

export type CanonicalColumn = (typeof CANONICAL_COLUMNS)[number];

export const REQUIRED_COLUMNS: readonly CanonicalColumn[] = ['household_code', 'commune_code', 'full_name', 'birth_date', 'sex'];

/** The headers our Vietnamese template writes. */
export const TEMPLATE_HEADERS_VI: Record<CanonicalColumn, string> = {
  household_code: 'Mã hộ',
  commune_code: 'Mã xã',
  village: 'Thôn/Tổ dân phố',
  address: 'Địa chỉ',
  poverty_status: 'Hộ nghèo/cận nghèo',
  full_name: 'Họ và tên',
  relationship: 'Quan hệ với chủ hộ',
  birth_date: 'Ngày sinh',
  sex: 'Giới tính',
  citizen_id: 'Số CCCD',
  insurance_code: 'Mã số BHXH',
  ethnicity: 'Dân tộc',
  phone: 'Số điện thoại',
  groups: 'Đối tượng',
  card_group: 'Mã đối tượng thẻ',
  card_from: 'Thẻ từ ngày',
  card_to: 'Thẻ đến ngày',
  school: 'Trường',
  grade: 'Lớp',
  card_number: 'Số thẻ',
  card_source: 'Nguồn thẻ',
  facility_code: 'Mã nơi đăng ký KCB ban đầu',
  collector_code: 'Mã nhân viên thu',
};

/** The headers of the English template. */
export const TEMPLATE_HEADERS_EN: Record<CanonicalColumn, string> = {
  household_code: 'Household code',
  commune_code: 'Commune code',
  village: 'Village',
  address: 'Address',
  poverty_status: 'Poverty status',
  full_name: 'Full name',
  relationship: 'Relationship to head',
  birth_date: 'Date of birth',
  sex: 'Sex',
  citizen_id: 'Citizen ID',
  insurance_code: 'Social insurance code',
  ethnicity: 'Ethnicity',
  phone: 'Phone',
  groups: 'Participant groups',
  card_group: 'Card group',
  card_from: 'Card valid from',
  card_to: 'Card valid to',
  school: 'School',
  grade: 'Grade',
  card_number: 'Card number',
  card_source: 'Card source',
  facility_code: 'Health facility code',
  collector_code: 'Collector code',
};

/** Other headers seen in lists people keep (written with diacritics; matching ignores them and case). */
const ALTERNATIVE_HEADERS: Record<CanonicalColumn, readonly string[]> = {
  household_code: ['Mã hộ gia đình', 'Mã HGĐ', 'Mã số hộ', 'Số hộ', 'Household', 'Household ID'],
  commune_code: ['Mã xã/phường', 'Mã xã, phường', 'Mã xã phường', 'Mã đơn vị hành chính', 'Mã ĐVHC', 'Commune', 'Commune ID'],
  village: [
    'Thôn',
    'Bản',
    'Thôn/Bản',
    'Thôn, bản',
    'Thôn/Tổ',
    'Thôn/Bản/Tổ dân phố',
    'Thôn, bản, tổ dân phố',
    'Thôn/Bản/TDP',
    'Thôn/TDP',
    'Tổ dân phố',
    'TDP',
    'Ấp',
    'Khóm',
    'Village/residential group',
  ],
  address: ['Địa chỉ thường trú', 'Nơi thường trú', 'Nơi cư trú', 'Địa chỉ cư trú', 'Chỗ ở hiện tại'],
  poverty_status: ['Hộ nghèo', 'Hộ nghèo, cận nghèo', 'Phân loại hộ', 'Loại hộ', 'Diện hộ', 'Household status'],
  full_name: ['Họ tên', 'Họ và tên người tham gia', 'Họ tên người tham gia', 'Tên', 'Name'],
  relationship: ['Quan hệ', 'Quan hệ chủ hộ', 'Quan hệ với chủ hộ gia đình', 'QH với chủ hộ', 'QHCH', 'Relationship'],
  birth_date: [
    'Ngày tháng năm sinh',
    'Ngày, tháng, năm sinh',
    'Ngày/tháng/năm sinh',
    'NTNS',
    'Birth date',
    'Birthdate',
    'DOB',
  ],
  sex: ['Giới', 'Nam/Nữ', 'Gender'],
  citizen_id: [
    'CCCD',
    'Số định danh',
    'Số định danh cá nhân',
    'Mã định danh',
    'Số ĐDCN',
    'ĐDCN',
    'Số CCCD/ĐDCN',
    'CCCD/ĐDCN',
    'Số CCCD/Số định danh',
    'Số CMND/CCCD',
    'CMND/CCCD',
    'Căn cước công dân',
    'Số căn cước công dân',
    'Căn cước',
    'Số căn cước',
    'Personal ID',
    'National ID',
  ],
  insurance_code: ['Mã BHXH', 'Số BHXH', 'Mã số bảo hiểm xã hội', 'Số sổ BHXH', 'Insurance code', 'BHXH code'],
  ethnicity: ['Dân tộc (ghi rõ)', 'Ethnic group'],
  phone: ['SĐT', 'Điện thoại', 'ĐT', 'Số ĐT', 'Điện thoại liên hệ', 'Di động', 'Số di động', 'Phone number', 'Mobile'],
  groups: ['Nhóm đối tượng', 'Mã nhóm đối tượng', 'Mã đối tượng', 'Đối tượng ưu tiên', 'Đối tượng tham gia', 'Groups'],
  card_group: ['Đối tượng thẻ', 'Mã đối tượng trên thẻ', 'Nhóm đối tượng thẻ', 'Mã nhóm thẻ'],
  card_from: ['Hạn thẻ từ', 'Hạn thẻ từ ngày', 'Thẻ có giá trị từ', 'Giá trị sử dụng từ', 'Giá trị sử dụng từ ngày', 'Từ ngày', 'Card from'],
  school: ['Trường học', 'Tên trường', 'Trường đang học'],
  grade: ['Lớp học', 'Khối', 'Khối lớp'],
  card_to: ['Hạn thẻ đến', 'Hạn thẻ đến ngày', 'Thẻ có giá trị đến', 'Giá trị sử dụng đến', 'Giá trị sử dụng đến ngày', 'Đến ngày', 'Card to'],
  card_number: ['Số thẻ BHYT', 'Mã thẻ', 'Mã thẻ BHYT', 'Số thẻ bảo hiểm y tế'],
  card_source: ['Nguồn', 'Nguồn thẻ BHYT', 'Source'],
  facility_code: [
    'Mã nơi ĐKKCB ban đầu',
    'Mã nơi đăng ký KCB',
    'Mã KCB ban đầu',
    'Mã KCBBĐ',
    'Mã bệnh viện',
    'Nơi đăng ký KCB ban đầu',
    'Nơi ĐKKCB ban đầu',
    'Facility code',
  ],
  collector_code: ['Mã số nhân viên thu', 'Mã NV thu', 'Mã đại lý thu', 'Mã đại lý', 'Collector', 'Agent code'],
};

/** Headers of columns that carry nothing to import (row numbers): neither mapped nor reported unknown. */
const IGNORED_HEADERS = new Set(['stt', 'tt', 'so tt', 'so thu tu', 'no', 'no.', '#']);

/** Header key: folded (no diacritics, lower case), punctuation spacing and a trailing '*' removed. */
export function headerKey(text: string): string {
  return foldVietnamese(text)
    .replace(/\s*([/,;:.-])\s*/g, '$1')
    .replace(/[\s*:]+$/, '')
    .replace(/^[\s*]+/, '')
    .trim();
}

function buildAliases(): Record<string, CanonicalColumn> {
  const aliases: Record<string, CanonicalColumn> = {};
  const add = (header: string, column: CanonicalColumn) => {
    const key = headerKey(header);
    const previous = aliases[key];
    if (previous !== undefined && previous !== column) {
      throw new Error(`header alias "${header}" maps to both ${previous} and ${column}`);
    }
    aliases[key] = column;
  };
  for (const column of CANONICAL_COLUMNS) {
    add(column, column);
    add(TEMPLATE_HEADERS_VI[column], column);
    add(TEMPLATE_HEADERS_EN[column], column);
    for (const header of ALTERNATIVE_HEADERS[column]) add(header, column);
  }
  return aliases;
}

/**
 * Header aliases, keyed by the folded header (see `headerKey`: "Số CCCD" -> "so cccd",
 * "Thôn / Tổ dân phố" -> "thon/to dan pho"). Canonical names and the English template headers are aliases too.
 */
export const HEADER_ALIASES: Readonly<Record<string, CanonicalColumn>> = buildAliases();

/** The canonical column a header cell names, or undefined. Ignores diacritics, case, '*' marks and "(hints)". */
export function columnForHeader(header: string): CanonicalColumn | undefined {
  const key = headerKey(header);
  if (key === '') return undefined;
  const direct = HEADER_ALIASES[key];
  if (direct !== undefined) return direct;
  // 'Ngày sinh (dd/mm/yyyy)', 'Số CCCD (12 số) *': drop the hints in brackets and try again.
  const bare = headerKey(key.replace(/\([^)]*\)|\[[^\]]*\]/g, ' '));
  return bare === '' ? undefined : HEADER_ALIASES[bare];
}

export interface HeaderMapping {
  /** For each header cell, the canonical column it feeds, or null (unknown, ignored, empty or a repeat). */
  columns: (CanonicalColumn | null)[];
  /** Required columns that no header names. */
  missing: CanonicalColumn[];
  /** Non-empty header cells that name no column (as written). */
  unknown: string[];
  /** Columns named more than once; the first occurrence is used, the others map to null. */
  duplicates: CanonicalColumn[];
}

export function mapHeader(headerCells: string[]): HeaderMapping {
  const seen = new Set<CanonicalColumn>();
  const duplicates: CanonicalColumn[] = [];
  const unknown: string[] = [];
  const columns = headerCells.map((cell): CanonicalColumn | null => {
    const text = cell == null ? '' : String(cell).trim();
    if (text === '') return null;
    const column = columnForHeader(text);
    if (column === undefined) {
      if (!IGNORED_HEADERS.has(headerKey(text))) unknown.push(text);
      return null;
    }
    if (seen.has(column)) {
      if (!duplicates.includes(column)) duplicates.push(column);
      return null;
    }
    seen.add(column);
    return column;
  });
  const missing = REQUIRED_COLUMNS.filter((c) => !seen.has(c));
  return { columns, missing, unknown, duplicates };
}

// ---------------------------------------------------------------------------------------------------
// Cell parsers
// ---------------------------------------------------------------------------------------------------

export type CellValue = string | number | Date | null | undefined;

/** Excel's 1900 date system: serial 1 = 1900-01-01; 60 is the non-existent 1900-02-29 (Lotus bug). */
function excelSerialToDate(serial: number): IsoDate | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial >= 2_958_466) return undefined; // up to 9999-12-31
  const day = Math.floor(serial);
  if (day === 60) return undefined;
  const offset = day < 60 ? day : day - 1; // days after 1899-12-31
  return new Date(Date.UTC(1899, 11, 31) + offset * 86_400_000).toISOString().slice(0, 10);
}

function dateFromParts(year: number, month: number, day: number): IsoDate | undefined {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  // (three dates a row, millions of rows: the pieces joined by +, not a padding call or an array each)
  return year + '-' + TWO_DIGITS[month] + '-' + TWO_DIGITS[day];
}
const TWO_DIGITS = Array.from({ length: 32 }, (_, i) => String(i).padStart(2, '0'));

/** The number written by two ASCII digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

/** Optional time after a date, as some systems export it ('... 00:00:00', 'T00:00:00.000Z'). */
const TIME = '(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2})?)?';
const DMY = new RegExp(`^(\\d{1,2})([/.-])(\\d{1,2})\\2(\\d{4})${TIME}$`);
const YMD = new RegExp(`^(\\d{4})([/.-])(\\d{1,2})\\2(\\d{1,2})${TIME}$`);

/**
 * A calendar date from a cell: 'dd/MM/yyyy' or 'd/M/yyyy' (also with '-' or '.'), 'yyyy-mm-dd'
 * (also with '/'), a JS Date (its UTC parts, as spreadsheet readers produce them) or a number taken as
 * an Excel serial day (1900 date system). Returns 'YYYY-MM-DD', or undefined for anything else,
 * impossible dates (31/02/2020) included. Numeric strings are not taken as serials.
 */
export function parseDate(value: CellValue): IsoDate | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return excelSerialToDate(value);
  // the common case, 'dd/MM/yyyy' in plain digits, without the regular expressions
  if (typeof value === 'string' && value.length === 10 && value.charCodeAt(2) === 47 && value.charCodeAt(5) === 47) {
    const day = twoDigits(value, 0);
    const month = twoDigits(value, 3);
    const year = twoDigits(value, 6) * 100 + twoDigits(value, 8);
    if (day >= 0 && month >= 0 && year >= 0) return dateFromParts(year, month, day);
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined;
    return dateFromParts(value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate());
  }
  const text = String(value).normalize('NFKC').trim();
  let m = DMY.exec(text);
  if (m) return dateFromParts(Number(m[4]), Number(m[3]), Number(m[1]));
  m = YMD.exec(text);
  if (m) return dateFromParts(Number(m[1]), Number(m[3]), Number(m[4]));
  return undefined;
}

/** The usual cells exactly as written (NFC): the same answers as the general rule below, sooner. */
const SEX_AS_WRITTEN = new Map<string, Sex>([
  ['Nam', 'male'],
  ['nam', 'male'],
  ['NAM', 'male'],
  ['Nữ', 'female'],
  ['nữ', 'female'],
  ['NỮ', 'female'],
  ['Nu', 'female'],
  ['nu', 'female'],
  ['male', 'male'],
  ['female', 'female'],
]);

/** 'nam' / 'nữ' / 'nu' / 'male' / 'female' / 'm' / 'f', any case -> 'male' | 'female'; anything else undefined. */
export function parseSex(value: CellValue): Sex | undefined {
  if (typeof value !== 'string') return undefined;
  const exact = SEX_AS_WRITTEN.get(value);
  if (exact !== undefined) return exact;
  const text = value.normalize('NFC').trim().toLocaleLowerCase('vi');
  switch (text) {
    case 'nam':
    case 'male':
    case 'm':
      return 'male';
    case 'nữ':
    case 'nu':
    case 'female':
    case 'f':
      return 'female';
    default:
      return undefined;
  }
}

export type PovertyStatus = 'poor' | 'near_poor' | 'average_agri' | 'none';

const POVERTY_WORDS: Record<string, PovertyStatus> = {
  '': 'none',
  khong: 'none',
  '-': 'none',
  none: 'none',
  'binh thuong': 'none',
  ngheo: 'poor',
  'ho ngheo': 'poor',
  hn: 'poor',
  poor: 'poor',
  'can ngheo': 'near_poor',
  'ho can ngheo': 'near_poor',
  cn: 'near_poor',
  hcn: 'near_poor',
  'near poor': 'near_poor',
  'near-poor': 'near_poor',
  'muc song trung binh': 'average_agri',
  'ho muc song trung binh': 'average_agri',
  'ho co muc song trung binh': 'average_agri',
  'ho nong, lam, ngu nghiep co muc song trung binh': 'average_agri',
  'ho nong lam ngu nghiep co muc song trung binh': 'average_agri',
  mstb: 'average_agri',
  gb: 'average_agri',
  'average living standard': 'average_agri',
};

/**
 * 'Hộ nghèo', 'nghèo', 'HN' -> poor; 'Cận nghèo', 'Hộ cận nghèo', 'CN' -> near_poor; 'Mức sống trung
 * bình', 'GB' -> average_agri; '' or 'Không' -> none. An optional year of the poverty list may follow
 * ('Hộ nghèo 2025', 'HN năm 2025', 'Cận nghèo (2024)'). Undefined when not recognised.
 */
export function parsePovertyStatus(value: CellValue): { status: PovertyStatus; year?: number } | undefined {
  if (value === null || value === undefined) return { status: 'none' };
  if (typeof value !== 'string') return undefined;
  let text = foldVietnamese(value);
  let year: number | undefined;
  const m = /^(.*?)[\s(,/-]*(?:nam\s*)?\(?((?:19|20)\d{2})\)?$/.exec(text);
  if (m) {
    year = Number(m[2]);
    text = m[1].trim();
  }
  const status = POVERTY_WORDS[text];
  if (status === undefined) return undefined;
  if (year === undefined) return { status };
  if (status === 'none') return undefined;
  return { status, year };
}

export type Relationship = string;

/**
 * The relationships the register knows, as it stores them ('head' or the Vietnamese word), with their
 * catalogue keys (web:register.relationship.<key>), in the order forms offer them. Any other stored
 * word is shown as it is.
 */
export const RELATIONSHIP_KEYS: Readonly<Record<string, string>> = {
  head: 'head',
  vợ: 'wife',
  chồng: 'husband',
  con: 'child',
  'con dâu': 'daughterInLaw',
  'con rể': 'sonInLaw',
  'con nuôi': 'adoptedChild',
  cha: 'father',
  mẹ: 'mother',
  ông: 'grandfather',
  bà: 'grandmother',
  cháu: 'grandchild',
  anh: 'olderBrother',
  chị: 'olderSister',
  em: 'youngerSibling',
  khác: 'other',
};

/** Recognised relationships, by exact lower-case Vietnamese (NFC) or English. */
const RELATIONSHIP_EXACT: Record<string, string> = {
  'chủ hộ': 'head',
  head: 'head',
  'head of household': 'head',
  vợ: 'vợ',
  wife: 'vợ',
  chồng: 'chồng',
  husband: 'chồng',
  con: 'con',
  'con trai': 'con',
  'con gái': 'con',
  'con đẻ': 'con',
  child: 'con',
  son: 'con',
  daughter: 'con',
  'con dâu': 'con dâu',
  'daughter-in-law': 'con dâu',
  'con rể': 'con rể',
  'son-in-law': 'con rể',
  'con nuôi': 'con nuôi',
  'adopted child': 'con nuôi',
  cha: 'cha',
  bố: 'cha',
  father: 'cha',
  mẹ: 'mẹ',
  mother: 'mẹ',
  ông: 'ông',
  grandfather: 'ông',
  bà: 'bà',
  grandmother: 'bà',
  cháu: 'cháu',
  'cháu nội': 'cháu',
  'cháu ngoại': 'cháu',
  grandchild: 'cháu',
  anh: 'anh',
  'older brother': 'anh',
  chị: 'chị',
  'older sister': 'chị',
  em: 'em',
  'younger sibling': 'em',
  khác: 'khác',
  other: 'khác',
};

/**
 * Relationships typed without diacritics. 'ba' is left out on purpose: it is 'bà' (grandmother) typed
 * plainly, but also the southern word for father.
 */
const RELATIONSHIP_FOLDED: Record<string, string> = {
  'chu ho': 'head',
  vo: 'vợ',
  chong: 'chồng',
  'con trai': 'con',
  'con gai': 'con',
  'con de': 'con',
  'con dau': 'con dâu',
  're': 'con rể',
  'con re': 'con rể',
  'con nuoi': 'con nuôi',
  bo: 'cha',
  me: 'mẹ',
  ong: 'ông',
  chau: 'cháu',
  'chau noi': 'cháu',
  'chau ngoai': 'cháu',
  chi: 'chị',
  khac: 'khác',
};

/**
 * Relationship to the head of household: 'chủ hộ' / 'head' -> 'head'; 'vợ', 'chồng', 'con', 'cha', 'mẹ',
 * 'ông', 'bà', 'cháu', 'anh', 'chị', 'em', 'khác' (and a few variants: 'bố' -> 'cha', 'con trai' -> 'con',
 * 'con dâu', 'con rể', 'con nuôi', English words) -> that Vietnamese word in lower case; anything else is
 * kept as typed (NFC, trimmed, single spaces). Undefined for an empty cell.
 */
export function parseRelationship(value: CellValue): Relationship | undefined {
  return typeof value === 'string' ? relationships.of(value) : relationshipOf(value);
}

const MEMO_LIMIT = 100_000;
/** A pure function's results kept for the texts a register repeats (relationships, names, statuses, groups); bounded. */
class Memo<V> {
  private readonly known = new Map<string, V | null>();
  constructor(private readonly compute: (text: string) => V | undefined) {}

  of(text: string): V | undefined {
    let known = this.known.get(text);
    if (known === undefined) {
      known = this.compute(text) ?? null;
      if (this.known.size >= MEMO_LIMIT) this.known.clear();
      // a key cut from a larger string (a CSV reader's chunk) would keep that whole chunk alive: keep a copy
      this.known.set((' ' + text).slice(1), known);
    }
    return known ?? undefined;
  }
}
const relationships = new Memo(relationshipOf);
/** `normalizeName` and the name's search key (`nameKey`). */
const names = new Memo((text) => {
  const normal = normalizeName(text);
  return { name: normal, key: foldVietnamese(normal) };
});
const povertyStatuses = new Memo(parsePovertyStatus);
/** (read only: the same list answers every row) */
const groupCodes = new Memo((text) => Object.freeze(parseGroupCodes(text)));

function relationshipOf(value: CellValue): Relationship | undefined {
  if (value === null || value === undefined) return undefined;
  const text = String(value).normalize('NFC').replace(/\s+/g, ' ').trim();
  if (text === '') return undefined;
  const lower = text.toLocaleLowerCase('vi');
  return RELATIONSHIP_EXACT[lower] ?? RELATIONSHIP_FOLDED[foldVietnamese(lower)] ?? text;
}

// ---------------------------------------------------------------------------------------------------
// Row validation
// ---------------------------------------------------------------------------------------------------

export const ROW_ERROR_CODES = [
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
] as const;

export type RowErrorCode = (typeof ROW_ERROR_CODES)[number];

export interface RowError {
  column: CanonicalColumn;
  /** The cell as text (as the user typed it, for the error report). */
  value: string;
  code: RowErrorCode;
  params?: Record<string, unknown>;
}

export interface RegisterCard {
  group: string;
  from: IsoDate;
  to: IsoDate;
  /** The number printed on the card. */
  number?: string;
  /** Where the card came from (default 'import'). */
  source?: CardSource;
  /** The initial health-care facility, 5 digits (checked against the list by the importer). */
  facilityCode?: string;
  /** The collector's code (checked against the list by the importer). */
  collectorCode?: string;
}

export type CardSource = 'import' | 'manual' | 'programme';

/**
 * The card source as written: the code, or the label an export writes in either language (folded:
 * 'Nhập từ tệp', 'Nhập tay', 'Chương trình tặng thẻ', 'Imported', 'Entered by hand', 'Donation programme').
 */
const CARD_SOURCE_WORDS: Record<string, CardSource> = {
  import: 'import',
  imported: 'import',
  'nhap tu tep': 'import',
  manual: 'manual',
  'entered by hand': 'manual',
  'nhap tay': 'manual',
  programme: 'programme',
  program: 'programme',
  'donation programme': 'programme',
  'chuong trinh tang the': 'programme',
  'tang the': 'programme',
};

export function parseCardSource(value: CellValue): CardSource | undefined {
  return CARD_SOURCE_WORDS[foldVietnamese(cellText(value))];
}

export interface RegisterRow {
  householdCode: string;
  /** 5 digits. */
  communeCode: string;
  village?: string;
  address?: string;
  povertyStatus: PovertyStatus;
  povertyYear?: number;
  /** Normalised (`normalizeName`). */
  fullName: string;
  /** `nameKey(fullName)`: folded for search and matching. */
  nameKey: string;
  /** 'head', a recognised Vietnamese word, or the text as typed (see `parseRelationship`). */
  relationship?: Relationship;
  birthDate: IsoDate;
  sex: Sex;
  citizenId?: string;
  insuranceCode?: string;
  ethnicity?: string;
  /** National format, e.g. '0912345678'. */
  phone?: string;
  /** Upper-case group codes, each known, without repeats, in the order given. */
  groups: string[];
  card?: RegisterCard;
  /** Pupils: the school and the grade (1-12) in the current school year. */
  school?: string;
  grade?: number;
}

export interface RowContext {
  knownGroups: (code: string) => boolean;
  today: IsoDate;
}

export type RowCells = Partial<Record<CanonicalColumn, CellValue>>;

/**
 * A refused row still names its commune (the 5-digit code) when that cell was good, so the caller can
 * check the commune too and report every problem of the row at once.
 */
export type RowResult = { ok: true; row: RegisterRow } | { ok: false; errors: RowError[]; communeCode?: string };

/** Longest text accepted per column (characters, after trimming). */
export const MAX_LENGTH: Record<CanonicalColumn, number> = {
  household_code: 50,
  commune_code: 20,
  village: 200,
  address: 500,
  poverty_status: 100,
  full_name: 100,
  relationship: 50,
  birth_date: 40,
  sex: 20,
  citizen_id: 30,
  insurance_code: 30,
  ethnicity: 50,
  phone: 30,
  groups: 200,
  card_group: 30,
  card_from: 40,
  card_to: 40,
  school: 200,
  grade: 10,
  card_number: 30,
  card_source: 50,
  facility_code: 10,
  collector_code: 30,
};

/** Births before this are taken as typing mistakes. */
export const EARLIEST_BIRTH_DATE: IsoDate = '1900-01-01';

/**
 * A cell as text, the same for every import (register, figures, candidate lists, issued cards): strings in
 * NFC, trimmed, runs of white space made one space; numbers in plain digits; dates as ISO dates; booleans
 * as written.
 */
export function cellText(value: CellValue | boolean): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    return Number.isInteger(value) && Math.abs(value) < 1e21 ? BigInt(value).toString() : String(value);
  }
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? '' : value.toISOString().slice(0, 10);
  const text = String(value);
  if (isPlain(text)) return text.trim();
  // NFC only when there is something to compose (combining marks); runs of white space become one space
  const nfc = COMBINING.test(text) ? text.normalize('NFC') : text;
  return (ODD_SPACE.test(nfc) ? nfc.replace(/\s+/g, ' ') : nfc).trim();
}

/**
 * One pass over the common case of a text cell: characters from U+0020 below U+0300 (no combining mark or
 * control character there) or precomposed Vietnamese letters (U+1E00-U+1EFF), single spaces. Trimmed, it
 * is its own `cellText`, and holds no control character.
 */
function isPlain(text: string): boolean {
  let space = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 32) {
      if (space) return false;
      space = true;
      continue;
    }
    space = false;
    if (c < 32 || c === 0x7f || c === 0xa0 || (c >= 0x300 && (c < 0x1e00 || c > 0x1eff))) return false;
  }
  return true;
}

// C0 controls and DEL that cellText leaves (it turns tabs and line breaks into spaces)
// eslint-disable-next-line no-control-regex -- finding control characters is the point
const CONTROL_CHARACTER = /[\u0000-\u0008\u000e-\u001f\u007f]/;
// combining marks (any \p{M}): their presence means the text may not be in NFC
const COMBINING = /\p{M}/u;
const ODD_SPACE = /[^\S ]| {2}/;

/**
 * Digits of an identifier cell: numbers (Excel dropped the leading zeros) and digit strings that are
 * short by `maxPad` digits or less are left-padded with zeros to `width`. Spaces, dots and dashes inside a
 * text cell and a leading apostrophe (Excel's "keep as text" mark) are removed.
 */
function identifierDigits(value: CellValue, width: number, maxPad: number): string {
  let text: string;
  if (typeof value === 'string' && value.length === width && ALL_DIGITS.test(value)) return value;
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 0) return cellText(value);
    text = BigInt(value).toString();
  } else {
    text = cellText(value).normalize('NFKC').replace(/^'/, '').replace(/[\s.-]/g, '');
  }
  if (/^\d+$/.test(text) && text.length < width && width - text.length <= maxPad) text = text.padStart(width, '0');
  return text;
}

const ALL_DIGITS = /^\d+$/;

/** Commune code: 5 digits; a number or a 1-4 digit text that lost its leading zeros is padded ('2905' -> '02905'). */
export function parseCommuneCode(value: CellValue): string | undefined {
  const text = typeof value === 'number' ? (Number.isInteger(value) && value >= 0 ? String(value) : '') : cellText(value);
  if (!/^\d{1,5}$/.test(text)) return undefined;
  return text.padStart(5, '0');
}

/**
 * Citizen id from a cell. Every old province code starts with 0 ('001'-'096'), so Excel numbers lose 1
 * or 2 leading zeros: 10- and 11-digit numbers or digit strings are padded to 12.
 */
export function parseCitizenIdCell(value: CellValue): string {
  return identifierDigits(value, 12, 2);
}

/** Legacy insurance code from a cell: a 9-digit number or digit string (lost zero of province '0x') is padded to 10. */
export function parseInsuranceCodeCell(value: CellValue): string {
  return identifierDigits(value, 10, 1);
}

/** Group codes from a cell: separated by ';', ',' or spaces; upper case; repeats dropped. */
export function parseGroupCodes(value: CellValue): string[] {
  const text = cellText(value);
  const codes: string[] = [];
  for (const part of text.split(/[;,\s]+/)) {
    const code = part.trim().toUpperCase();
    if (code !== '' && !codes.includes(code)) codes.push(code);
  }
  return codes;
}

/**
 * Each column's number (its place in CANONICAL_COLUMNS). A row's cells and texts are reached by it, in
 * arrays: reading an object's property by a column name held in a variable is a slow generic lookup in
 * V8, and validation does it some forty times a row, a million rows a file.
 */
const COL = Object.fromEntries(CANONICAL_COLUMNS.map((c, i) => [c, i])) as Record<CanonicalColumn, number>;
const MAX_LENGTHS = CANONICAL_COLUMNS.map((c) => MAX_LENGTH[c]);
/**
 * The free-text columns (names, places, relationships): their text is written back into exports and
 * shown in spreadsheets, where a cell starting with `=`, `+`, `-` or `@` runs as a formula (e.g. a name
 * `=HYPERLINK("http://evil.example/","click")`). No name or place starts so: such a cell is refused.
 * (CSV exports neutralise such text too: io/csv-cell.ts.)
 */
const FREE_TEXT = (['household_code', 'village', 'address', 'full_name', 'relationship', 'ethnicity', 'school'] as const).reduce(
  (bits, c) => bits | (1 << COL[c]),
  0,
);
/** Is this the first character of a spreadsheet formula (`=`, `+`, `-`, `@`)? */
const startsFormula = (text: string) => {
  const c = text.charCodeAt(0);
  return c === 61 || c === 43 || c === 45 || c === 64;
};
const CARD_COLUMNS = ['card_group', 'card_from', 'card_to'] as const;

/** One row being checked: its cells as text (each computed once) and the problems found so far. */
class RowCheck {
  readonly errors: RowError[] = [];
  /** each column's text, by column number, when first asked for */
  private readonly texts: (string | undefined)[] = new Array<string | undefined>(CANONICAL_COLUMNS.length).fill(undefined);

  /**
   * `cells`: the row as read; `at`: where each column is in it, by column number (-1: the file has no
   * such column). The row's cells are read where they are, not copied.
   */
  constructor(
    private readonly cells: readonly unknown[],
    private readonly at: readonly number[],
  ) {}

  /** The cell of column number `column` as it was read (a reader's other types, such as booleans, are read as text). */
  cell(column: number): CellValue {
    const i = this.at[column];
    return i < 0 ? undefined : (this.cells[i] as CellValue);
  }

  /** Columns (a bit each: CANONICAL_COLUMNS has fewer than 31) whose text is known to hold no control character (`isPlain`). */
  private plain = 0;

  /** The cell of column number `column` as text. */
  text(column: number): string {
    let t = this.texts[column];
    if (t === undefined) {
      const cell = this.cell(column);
      if (typeof cell === 'string' && isPlain(cell)) {
        t = cell.trim();
        this.plain |= 1 << column;
      } else t = cellText(cell);
      this.texts[column] = t;
    }
    return t;
  }

  blank(column: number): boolean {
    return this.text(column) === '';
  }

  fail(column: number, code: RowErrorCode, params?: Record<string, unknown>): void {
    const error: RowError = { column: CANONICAL_COLUMNS[column], value: this.text(column), code };
    if (params !== undefined) error.params = params;
    this.errors.push(error);
  }

  /**
   * Length first: an over-long cell is reported once, as too long, and not parsed further. Then control
   * characters (a NUL, a form feed pasted from another program...): no field may hold them, and the
   * database refuses a NUL in text outright. Then a free-text cell that a spreadsheet would run as a
   * formula (FREE_TEXT).
   */
  usable(column: number): boolean {
    const text = this.text(column);
    if (text.length > MAX_LENGTHS[column]) {
      this.fail(column, 'too_long', { max: MAX_LENGTHS[column], length: text.length });
      return false;
    }
    if ((this.plain & (1 << column)) === 0 && CONTROL_CHARACTER.test(text)) {
      this.fail(column, 'invalid_characters');
      return false;
    }
    if ((FREE_TEXT & (1 << column)) !== 0 && startsFormula(text)) {
      this.fail(column, 'formula_text');
      return false;
    }
    return true;
  }

  required(column: number): boolean {
    if (this.blank(column)) {
      this.fail(column, 'required');
      return false;
    }
    return this.usable(column);
  }

  optional(column: number): boolean {
    return !this.blank(column) && this.usable(column);
  }
}

/**
 * Validates one import row and returns the normalised row, or ALL the problems found in it. Cells may
 * be strings, numbers (Excel numeric cells, dates as serials) or Dates (UTC parts). Cross-checks (citizen
 * id against birth date and sex) only run when both sides are valid themselves.
 */
export function validateRow(cells: RowCells, ctx: RowContext): RowResult {
  return checkRow(new RowCheck(CANONICAL_COLUMNS.map((c) => cells[c]), IN_ORDER), ctx);
}
const IN_ORDER = CANONICAL_COLUMNS.map((_, i) => i);

/**
 * `validateRow` for the rows of a file with this header, each given as the cells read (in the file's
 * order).
 */
export function rowValidator(header: HeaderMapping, ctx: RowContext): (cells: readonly unknown[]) => RowResult {
  const at = CANONICAL_COLUMNS.map((c) => header.columns.indexOf(c));
  return (cells) => checkRow(new RowCheck(cells, at), ctx);
}

function checkRow(v: RowCheck, ctx: RowContext): RowResult {
  const errors = v.errors;

  // Household
  let householdCode = '';
  if (v.required(COL.household_code)) householdCode = v.text(COL.household_code);

  let communeCode = '';
  if (v.required(COL.commune_code)) {
    const code = parseCommuneCode(v.cell(COL.commune_code));
    if (code === undefined) v.fail(COL.commune_code, 'invalid_commune_code');
    else communeCode = code;
  }

  const village = v.optional(COL.village) ? v.text(COL.village) : undefined;
  const address = v.optional(COL.address) ? v.text(COL.address) : undefined;

  let povertyStatus: PovertyStatus = 'none';
  let povertyYear: number | undefined;
  if (v.optional(COL.poverty_status)) {
    const parsed = povertyStatuses.of(v.text(COL.poverty_status));
    if (parsed === undefined) v.fail(COL.poverty_status, 'invalid_poverty_status');
    else {
      povertyStatus = parsed.status;
      povertyYear = parsed.year;
    }
  }

  // Person
  let fullName = '';
  let nameKey = '';
  if (v.required(COL.full_name)) ({ name: fullName, key: nameKey } = names.of(v.text(COL.full_name))!);

  const relationship = v.optional(COL.relationship) ? parseRelationship(v.text(COL.relationship)) : undefined;

  let birthDate: IsoDate | undefined;
  if (v.required(COL.birth_date)) {
    const parsed = parseDate(v.cell(COL.birth_date));
    if (parsed === undefined || parsed < EARLIEST_BIRTH_DATE) {
      v.fail(COL.birth_date, 'invalid_date', parsed === undefined ? undefined : { min: EARLIEST_BIRTH_DATE });
    } else if (parsed > ctx.today) v.fail(COL.birth_date, 'future_date', { today: ctx.today });
    else birthDate = parsed;
  }

  let sex: Sex | undefined;
  if (v.required(COL.sex)) {
    sex = parseSex(v.text(COL.sex));
    if (sex === undefined) v.fail(COL.sex, 'invalid_sex');
  }

  let citizenId: string | undefined;
  if (v.optional(COL.citizen_id)) {
    const id = parseCitizenIdCell(v.cell(COL.citizen_id));
    const check = validateCitizenId(id, birthDate, sex);
    if (check.ok) citizenId = id;
    else if (check.reason === 'format') v.fail(COL.citizen_id, 'invalid_citizen_id');
    else if (check.reason === 'sex_mismatch') v.fail(COL.citizen_id, 'citizen_id_sex', { sex });
    else v.fail(COL.citizen_id, 'citizen_id_birth_year', { birthYear: birthDate ? dateParts(birthDate).year : undefined });
  }

  let insuranceCode: string | undefined;
  if (v.optional(COL.insurance_code)) {
    const code = parseInsuranceCodeCell(v.cell(COL.insurance_code));
    if (validateInsuranceCode(code)) insuranceCode = code;
    else v.fail(COL.insurance_code, 'invalid_insurance_code');
  }

  const ethnicity = v.optional(COL.ethnicity) ? v.text(COL.ethnicity) : undefined;
  const school = v.optional(COL.school) ? v.text(COL.school) : undefined;
  let grade: number | undefined;
  if (v.optional(COL.grade)) {
    const text = v.text(COL.grade).replace(/^(lớp|lop|grade)\s*/i, '');
    grade = /^\d{1,2}$/.test(text) && Number(text) >= 1 && Number(text) <= 12 ? Number(text) : undefined;
    if (grade === undefined) v.fail(COL.grade, 'invalid_grade');
  }

  let phone: string | undefined;
  if (v.optional(COL.phone)) {
    phone = normalizePhone(v.text(COL.phone));
    if (phone === undefined) v.fail(COL.phone, 'invalid_phone');
  }

  const groups: string[] = [];
  if (v.optional(COL.groups)) {
    for (const code of groupCodes.of(v.text(COL.groups))!) {
      if (ctx.knownGroups(code)) groups.push(code);
      else v.fail(COL.groups, 'unknown_group', { code });
    }
  }

  // Card: all three cells or none.
  let card: RegisterCard | undefined;
  const cardBlank = [v.blank(COL.card_group), v.blank(COL.card_from), v.blank(COL.card_to)];
  const factsGiven = !v.blank(COL.card_number) || !v.blank(COL.card_source) || !v.blank(COL.facility_code) || !v.blank(COL.collector_code);
  if (cardBlank.includes(true) && (cardBlank.includes(false) || factsGiven)) {
    const missing = CARD_COLUMNS.filter((_, i) => cardBlank[i]);
    for (const column of missing) v.fail(COL[column], 'card_incomplete', { missing });
  }
  let cardGroup: string | undefined;
  let cardFrom: IsoDate | undefined;
  let cardTo: IsoDate | undefined;
  if (v.optional(COL.card_group)) {
    const code = v.text(COL.card_group).toUpperCase();
    if (ctx.knownGroups(code)) cardGroup = code;
    else v.fail(COL.card_group, 'unknown_group', { code });
  }
  if (v.optional(COL.card_from)) {
    cardFrom = parseDate(v.cell(COL.card_from));
    if (cardFrom === undefined) v.fail(COL.card_from, 'invalid_date');
  }
  if (v.optional(COL.card_to)) {
    cardTo = parseDate(v.cell(COL.card_to));
    if (cardTo === undefined) v.fail(COL.card_to, 'invalid_date');
  }
  if (cardFrom !== undefined && cardTo !== undefined && cardFrom > cardTo) {
    v.fail(COL.card_to, 'card_dates_order', { from: cardFrom, to: cardTo });
  } else if (cardGroup !== undefined && cardFrom !== undefined && cardTo !== undefined) {
    card = { group: cardGroup, from: cardFrom, to: cardTo, number: undefined, source: undefined, facilityCode: undefined, collectorCode: undefined };
  }
  if (factsGiven) {
    const number = v.optional(COL.card_number) ? v.text(COL.card_number) : undefined;
    let source: CardSource | undefined;
    if (v.optional(COL.card_source)) {
      source = parseCardSource(v.text(COL.card_source));
      if (source === undefined) v.fail(COL.card_source, 'invalid_card_source');
    }
    let facilityCode: string | undefined;
    if (v.optional(COL.facility_code)) {
      facilityCode = identifierDigits(v.cell(COL.facility_code), 5, 1);
      if (!/^\d{5}$/.test(facilityCode)) {
        v.fail(COL.facility_code, 'invalid_facility_code');
        facilityCode = undefined;
      }
    }
    const collectorCode = v.optional(COL.collector_code) ? v.text(COL.collector_code) : undefined;
    if (card) Object.assign(card, { number, source, facilityCode, collectorCode });
  }

  if (errors.length > 0 || birthDate === undefined || sex === undefined) return communeCode === '' ? { ok: false, errors } : { ok: false, errors, communeCode };

  // every field, in one order, even when undefined: one object shape for every row, so the code that
  // reads a million of them reads each field at a known place (rows whose fields differed had some
  // hundreds of shapes, and each read was a generic look-up)
  const row: RegisterRow = {
    householdCode,
    communeCode,
    village,
    address,
    povertyStatus,
    povertyYear,
    fullName,
    nameKey,
    relationship,
    birthDate,
    sex,
    citizenId,
    insuranceCode,
    ethnicity,
    phone,
    groups,
    card,
    school,
    grade,
  };
  return { ok: true, row };
}
