/**
 * The voluntary social insurance sheet of a register workbook (docs/import-format.md): a second sheet
 * named "BHXH tự nguyện" ("Voluntary social insurance"), one row per participation period, the person
 * keyed by citizen id (else social insurance code). Name and birth date are written by the export for
 * the reader and ignored on import. The sheet is found by its header (whatever its name): a sheet whose
 * header names the period columns. Pure: parsing and header mapping; the rules are checked by
 * vsi-period.ts and the person looked up by the import.
 */
import type { IsoDate } from './dates';
import { foldVietnamese } from './text';
import { cellText, headerKey, parseCitizenIdCell, parseDate, parseInsuranceCodeCell, TEMPLATE_HEADERS_EN, TEMPLATE_HEADERS_VI, type CellValue } from './register-row';

export const VSI_COLUMNS = ['citizen_id', 'insurance_code', 'full_name', 'birth_date', 'valid_from', 'valid_to', 'monthly_income', 'payment_months', 'source'] as const;
export type VsiColumn = (typeof VSI_COLUMNS)[number];
/** Without these the sheet is not a period sheet (a person key is needed too: citizen id or insurance code). */
export const VSI_REQUIRED: readonly VsiColumn[] = ['valid_from', 'valid_to', 'monthly_income', 'payment_months'];

export const VSI_SHEET_VI = 'BHXH tự nguyện';
export const VSI_SHEET_EN = 'Voluntary social insurance';

export const VSI_HEADERS_VI: Record<VsiColumn, string> = {
  citizen_id: TEMPLATE_HEADERS_VI.citizen_id,
  insurance_code: TEMPLATE_HEADERS_VI.insurance_code,
  full_name: TEMPLATE_HEADERS_VI.full_name,
  birth_date: TEMPLATE_HEADERS_VI.birth_date,
  valid_from: 'Từ ngày',
  valid_to: 'Đến ngày',
  monthly_income: 'Thu nhập tháng',
  payment_months: 'Phương thức đóng (tháng)',
  source: 'Nguồn',
};

export const VSI_HEADERS_EN: Record<VsiColumn, string> = {
  citizen_id: TEMPLATE_HEADERS_EN.citizen_id,
  insurance_code: TEMPLATE_HEADERS_EN.insurance_code,
  full_name: TEMPLATE_HEADERS_EN.full_name,
  birth_date: TEMPLATE_HEADERS_EN.birth_date,
  valid_from: 'From',
  valid_to: 'To',
  monthly_income: 'Monthly income',
  payment_months: 'Payment period (months)',
  source: 'Source',
};

const ALIASES: Record<string, VsiColumn> = (() => {
  const aliases: Record<string, VsiColumn> = {};
  const add = (text: string, c: VsiColumn) => {
    aliases[headerKey(text)] = c;
    aliases[headerKey(text.replace(/\([^)]*\)/g, ' '))] = c;
  };
  for (const c of VSI_COLUMNS) {
    add(c, c);
    add(VSI_HEADERS_VI[c], c);
    add(VSI_HEADERS_EN[c], c);
  }
  for (const [text, c] of [
    ['so cccd', 'citizen_id'],
    ['cccd', 'citizen_id'],
    ['ma so bhxh', 'insurance_code'],
    ['tu thang', 'valid_from'],
    ['den thang', 'valid_to'],
    ['muc thu nhap', 'monthly_income'],
    ['muc thu nhap thang', 'monthly_income'],
    ['thu nhap', 'monthly_income'],
    ['income', 'monthly_income'],
    ['phuong thuc dong', 'payment_months'],
    ['so thang dong', 'payment_months'],
    ['payment period', 'payment_months'],
    ['months', 'payment_months'],
  ] as const)
    add(text, c);
  return aliases;
})();

/** For each header cell the column it names (or null); undefined when the header is not a period sheet's. */
export function mapVsiHeader(cells: readonly unknown[]): (VsiColumn | null)[] | undefined {
  const seen = new Set<VsiColumn>();
  const columns = cells.map((cell): VsiColumn | null => {
    const key = headerKey(cellText(cell as CellValue));
    const c = ALIASES[key] ?? ALIASES[headerKey(key.replace(/\([^)]*\)/g, ' '))];
    if (!c || seen.has(c)) return null;
    seen.add(c);
    return c;
  });
  if (!VSI_REQUIRED.every((c) => seen.has(c))) return undefined;
  if (!seen.has('citizen_id') && !seen.has('insurance_code')) return undefined;
  return columns;
}

export type VsiSource = 'import' | 'manual' | 'demo';

const SOURCE_WORDS: Record<string, VsiSource> = {
  import: 'import',
  imported: 'import',
  'nhap tu tep': 'import',
  manual: 'manual',
  'entered by hand': 'manual',
  'nhap tay': 'manual',
  demo: 'demo',
  'demo data': 'demo',
  'du lieu mau': 'demo',
};

export interface VsiRow {
  citizenId?: string;
  insuranceCode?: string;
  validFrom?: IsoDate;
  validTo?: IsoDate;
  monthlyIncome?: number;
  paymentMonths?: number;
  source: VsiSource;
}

export interface VsiCellError {
  column: VsiColumn;
  value: string;
  /** Import catalogue key (common `import.*`). */
  code: 'required' | 'invalid_date' | 'vsi_invalid_number' | 'vsi_no_key' | 'invalid_citizen_id' | 'invalid_insurance_code';
}

/** A whole number from a cell: 1500000, '1.500.000', '1,500,000 ₫', '1 500 000'. */
function wholeNumber(value: CellValue): number | undefined {
  if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
  const text = cellText(value).replace(/[\s.,₫đ]|VND|vnd|dong/g, '');
  return /^\d{1,15}$/.test(text) ? Number(text) : undefined;
}

/** One data row of the sheet: the values it gives, or what is wrong with its cells. */
export function parseVsiRow(columns: readonly (VsiColumn | null)[], cells: readonly unknown[]): { row: VsiRow; errors: VsiCellError[] } {
  const get = (c: VsiColumn): CellValue => {
    const i = columns.indexOf(c);
    return i < 0 ? null : ((cells[i] ?? null) as CellValue);
  };
  const errors: VsiCellError[] = [];
  const row: VsiRow = { source: SOURCE_WORDS[foldVietnamese(cellText(get('source')))] ?? 'import' };
  const citizen = cellText(get('citizen_id'));
  if (citizen !== '') {
    const digits = parseCitizenIdCell(get('citizen_id'));
    if (/^\d{12}$/.test(digits)) row.citizenId = digits;
    else errors.push({ column: 'citizen_id', value: citizen, code: 'invalid_citizen_id' });
  }
  const insurance = cellText(get('insurance_code'));
  if (insurance !== '') {
    const digits = parseInsuranceCodeCell(get('insurance_code'));
    if (/^\d{10}$/.test(digits)) row.insuranceCode = digits;
    else errors.push({ column: 'insurance_code', value: insurance, code: 'invalid_insurance_code' });
  }
  if (citizen === '' && insurance === '') errors.push({ column: 'citizen_id', value: '', code: 'vsi_no_key' });
  for (const [c, key] of [
    ['valid_from', 'validFrom'],
    ['valid_to', 'validTo'],
  ] as const) {
    const text = cellText(get(c));
    if (text === '') errors.push({ column: c, value: '', code: 'required' });
    else {
      const d = parseDate(get(c));
      if (d === undefined) errors.push({ column: c, value: text, code: 'invalid_date' });
      else row[key] = d;
    }
  }
  for (const [c, key] of [
    ['monthly_income', 'monthlyIncome'],
    ['payment_months', 'paymentMonths'],
  ] as const) {
    const text = cellText(get(c));
    if (text === '') errors.push({ column: c, value: '', code: 'required' });
    else {
      const n = wholeNumber(get(c));
      if (n === undefined) errors.push({ column: c, value: text, code: 'vsi_invalid_number' });
      else row[key] = n;
    }
  }
  return { row, errors };
}

/** Is this a blank row (every cell empty)? */
export const blankRow = (cells: readonly unknown[]) => cells.every((c) => cellText(c as CellValue) === '');
