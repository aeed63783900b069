/**
 * Bank statements (issue 22): the column layouts of the major banks' exports as data, a generic layout
 * found by header names, and the reading of a sheet's rows into statement lines (money received only).
 * Pure: the rows come from src/io (CSV or XLSX), the caller stores the lines.
 *
 * A layout names, per field, the headers that carry it (compared folded: no marks, lower case, spaces
 * collapsed). Banks put a title block above the table: the header row is the first of the first 30 rows
 * in which every required field is found. Debit (money out) rows are skipped; a layout with one signed
 * amount column takes the positive amounts.
 */
import { foldVietnamese } from './text';
import { isIsoDate } from './dates';

export type StatementField = 'date' | 'amount' | 'credit' | 'debit' | 'description' | 'transactionId' | 'counterparty';

export interface StatementLayout {
  name: string;
  label: string;
  /** Headers per field (any one of them). A layout has 'amount' (signed) or 'credit' (money in). */
  columns: Partial<Record<StatementField, string[]>>;
}

/**
 * The banks' layouts, as their internet-banking statement exports (.xlsx/.csv) head their columns
 * (Vietnamese and the English the bilingual exports add). Recorded in docs/import-format.md; a bank that
 * changes its export is read by the generic layout or an account's own mapping meanwhile.
 */
export const STATEMENT_LAYOUTS: readonly StatementLayout[] = [
  {
    name: 'vietcombank',
    label: 'Vietcombank',
    columns: {
      date: ['Ngày giao dịch', 'Ngày GD', 'Transaction Date'],
      transactionId: ['Số tham chiếu', 'Số CT', 'Reference No'],
      debit: ['Số tiền ghi nợ', 'Debit'],
      credit: ['Số tiền ghi có', 'Credit'],
      description: ['Mô tả', 'Nội dung chi tiết', 'Description'],
    },
  },
  {
    name: 'vietinbank',
    label: 'VietinBank',
    columns: {
      date: ['Ngày giao dịch', 'Ngày hạch toán'],
      transactionId: ['Số giao dịch', 'Số bút toán'],
      debit: ['Nợ', 'Ghi nợ'],
      credit: ['Có', 'Ghi có'],
      description: ['Mô tả giao dịch', 'Diễn giải'],
      counterparty: ['Tên đối ứng', 'Tài khoản đối ứng'],
    },
  },
  {
    name: 'bidv',
    label: 'BIDV',
    columns: {
      date: ['Ngày hiệu lực', 'Ngày GD'],
      transactionId: ['Số tham chiếu', 'Mã GD'],
      debit: ['Ghi nợ', 'Phát sinh nợ'],
      credit: ['Ghi có', 'Phát sinh có'],
      description: ['Mô tả', 'Nội dung giao dịch'],
    },
  },
  {
    name: 'agribank',
    label: 'Agribank',
    columns: {
      date: ['Ngày GD', 'Ngày giao dịch'],
      transactionId: ['Số CT', 'Số chứng từ'],
      debit: ['Phát sinh nợ', 'PS nợ'],
      credit: ['Phát sinh có', 'PS có'],
      description: ['Diễn giải', 'Nội dung'],
    },
  },
  {
    name: 'techcombank',
    label: 'Techcombank',
    columns: {
      date: ['Ngày giao dịch', 'Transaction Date'],
      transactionId: ['Mã giao dịch', 'Transaction ID'],
      debit: ['Nợ/Debit', 'Nợ'],
      credit: ['Có/Credit', 'Có'],
      description: ['Diễn giải/Description', 'Diễn giải'],
      counterparty: ['Đối tác/Remitter', 'Đối tác'],
    },
  },
  {
    name: 'mb',
    label: 'MB',
    columns: {
      date: ['Ngày giao dịch', 'Ngày GD'],
      transactionId: ['Số bút toán', 'Mã giao dịch'],
      debit: ['Số tiền ghi nợ', 'Ghi nợ'],
      credit: ['Số tiền ghi có', 'Ghi có'],
      description: ['Nội dung', 'Nội dung giao dịch'],
      counterparty: ['Tên TK đối ứng', 'Tên tài khoản đối ứng'],
    },
  },
  {
    name: 'generic',
    label: 'Generic',
    columns: {
      date: ['date', 'Ngày giao dịch', 'Ngày'],
      amount: ['amount', 'Số tiền'],
      description: ['description', 'Nội dung', 'Mô tả'],
      transactionId: ['transaction_id', 'Mã giao dịch'],
      counterparty: ['counterparty', 'Người chuyển', 'Tên người chuyển'],
    },
  },
];

/** An account's own mapping: one header per field (date, amount or credit, description required). */
export type StatementMapping = Partial<Record<StatementField, string>>;

export const mappingLayout = (mapping: StatementMapping): StatementLayout => ({
  name: 'mapping',
  label: 'Mapping',
  columns: Object.fromEntries(Object.entries(mapping).filter(([, v]) => v).map(([k, v]) => [k, [v!]])),
});

const fold = (s: unknown) => foldVietnamese(String(s ?? '')).replace(/\s*\/\s*/g, '/');

const required = (layout: StatementLayout): StatementField[] => ['date', layout.columns.amount ? 'amount' : 'credit', 'description'];

/** Where each field of the layout is in a header row, or the required fields it lacks. */
function locate(layout: StatementLayout, header: unknown[]): { at: Partial<Record<StatementField, number>>; missing: StatementField[] } {
  const cells = header.map(fold);
  const at: Partial<Record<StatementField, number>> = {};
  for (const [field, names] of Object.entries(layout.columns) as [StatementField, string[]][]) {
    // an exact header first, in the order the layout lists them
    for (const name of names) {
      const i = cells.indexOf(fold(name));
      if (i >= 0 && !Object.values(at).includes(i)) {
        at[field] = i;
        break;
      }
    }
  }
  return { at, missing: required(layout).filter((f) => at[f] === undefined) };
}

export interface FoundLayout {
  layout: StatementLayout;
  headerRow: number;
  at: Partial<Record<StatementField, number>>;
}

export const HEADER_SEARCH_ROWS = 30;

/**
 * The layout of a sheet: the named one, else the account's mapping, else each bank's, else the generic
 * one, on the first row (of the first 30) where all its required fields are. Unknown: the required
 * fields that the closest layout lacks (the named one's, or the generic layout's).
 */
export function findLayout(
  rows: unknown[][],
  options: { layout?: string; mapping?: StatementMapping | null } = {},
): { found: FoundLayout } | { missing: { field: StatementField; headers: string[] }[]; layout: string } {
  let candidates: StatementLayout[];
  if (options.layout) {
    const named = options.layout === 'mapping' && options.mapping ? mappingLayout(options.mapping) : STATEMENT_LAYOUTS.find((l) => l.name === options.layout);
    if (!named) return { missing: [], layout: options.layout };
    candidates = [named];
  } else candidates = [...(options.mapping ? [mappingLayout(options.mapping)] : []), ...STATEMENT_LAYOUTS];
  const head = rows.slice(0, HEADER_SEARCH_ROWS);
  for (const layout of candidates)
    for (let r = 0; r < head.length; r++) {
      const { at, missing } = locate(layout, head[r]);
      if (missing.length === 0) return { found: { layout, headerRow: r, at } };
    }
  const closest = candidates.length === 1 ? candidates[0] : STATEMENT_LAYOUTS.find((l) => l.name === 'generic')!;
  const best = head.map((row) => locate(closest, row).missing).sort((a, b) => a.length - b.length)[0] ?? required(closest);
  return { missing: best.map((field) => ({ field, headers: closest.columns[field] ?? [] })), layout: closest.name };
}

/** '1.500.000', '1,500,000', '1500000', '1.500.000 VND', '+1.500.000', '1500000.00', a number cell -> dong; else null. */
export function parseStatementAmount(value: unknown): number | null {
  if (typeof value === 'number') return Number.isSafeInteger(Math.round(value)) && Math.abs(value - Math.round(value)) < 1e-6 ? Math.round(value) : null;
  if (typeof value !== 'string') return null;
  let text = value.trim().replace(/\s*(VND|VNĐ|đ|₫)$/i, '').replace(/\s/g, '');
  let sign = 1;
  if (/^[+-]/.test(text)) {
    sign = text[0] === '-' ? -1 : 1;
    text = text.slice(1);
  }
  let digits: string | null = null;
  if (/^\d+$/.test(text)) digits = text;
  else if (/^\d{1,3}(\.\d{3})+$/.test(text)) digits = text.replace(/\./g, '');
  else if (/^\d{1,3}(\.\d{3})+,0{1,2}$/.test(text)) digits = text.replace(/,0+$/, '').replace(/\./g, '');
  else if (/^\d{1,3}(,\d{3})+(\.0{1,2})?$/.test(text)) digits = text.replace(/\.0+$/, '').replace(/,/g, '');
  else if (/^\d+[.,]0{1,2}$/.test(text)) digits = text.replace(/[.,]0+$/, '');
  if (digits === null) return null;
  const n = Number(digits);
  return Number.isSafeInteger(n) ? sign * n : null;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** dd/MM/yyyy (also d/M/yyyy, dd-MM-yyyy, with a time after), yyyy-mm-dd, or a date cell -> 'YYYY-MM-DD'; else null. */
export function parseStatementDate(value: unknown): string | null {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return null;
    return `${value.getUTCFullYear()}-${pad(value.getUTCMonth() + 1)}-${pad(value.getUTCDate())}`;
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  let iso: string | null = null;
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$/.exec(text);
  if (m) iso = `${m[3]}-${pad(+m[2])}-${pad(+m[1])}`;
  m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?$/.exec(text);
  if (m) iso = `${m[1]}-${m[2]}-${m[3]}`;
  return iso && isIsoDate(iso) ? iso : null;
}

export interface StatementLine {
  /** The spreadsheet's row number (1 = first row of the file). */
  row: number;
  bookedOn: string;
  amount: number;
  description: string;
  transactionId: string | null;
  counterparty: string | null;
}

export interface StatementProblem {
  row: number;
  field: 'date' | 'amount';
  key: 'bad_date' | 'bad_amount';
  value: string;
}

export interface ReadStatement {
  layout: string;
  lines: StatementLine[];
  /** Rows of money out (debits) and rows of nothing. */
  skipped: number;
  problems: StatementProblem[];
}

const text = (v: unknown) => (v === null || v === undefined ? '' : v instanceof Date ? v.toISOString() : String(v).trim());
const blankAmount = (v: unknown) => v === null || v === undefined || (typeof v === 'string' && /^[\s0.,-]*$/.test(v)) || v === 0;

/** The statement's lines of money received, from the rows after the header. */
export function readStatement(rows: unknown[][], found: FoundLayout): ReadStatement {
  const { at, layout } = found;
  const lines: StatementLine[] = [];
  const problems: StatementProblem[] = [];
  let skipped = 0;
  for (let r = found.headerRow + 1; r < rows.length; r++) {
    const cells = rows[r];
    const row = r + 1;
    const get = (f: StatementField) => (at[f] === undefined ? undefined : cells[at[f]!]);
    const rawDate = get('date');
    const rawAmount = layout.columns.amount ? get('amount') : get('credit');
    // a closing total row ("Tổng cộng") or a blank row: no date
    if (text(rawDate) === '' && blankAmount(rawAmount)) {
      skipped++;
      continue;
    }
    if (!layout.columns.amount && blankAmount(rawAmount)) {
      // a debit row (money out) of a credit/debit layout
      if (!blankAmount(get('debit')) && parseStatementAmount(get('debit')) === null) problems.push({ row, field: 'amount', key: 'bad_amount', value: text(get('debit')) });
      else skipped++;
      continue;
    }
    // a totals row carries an amount and a label where the date goes
    if (parseStatementDate(rawDate) === null && cells.some((c) => typeof c === 'string' && /^(tong|total|cong)\b/.test(foldVietnamese(c)))) {
      skipped++;
      continue;
    }
    const amount = parseStatementAmount(rawAmount);
    const bookedOn = parseStatementDate(rawDate);
    if (amount === null) problems.push({ row, field: 'amount', key: 'bad_amount', value: text(rawAmount) });
    if (bookedOn === null) problems.push({ row, field: 'date', key: 'bad_date', value: text(rawDate) });
    if (amount === null || bookedOn === null) continue;
    if (amount <= 0) {
      skipped++;
      continue;
    }
    const id = text(get('transactionId'));
    const cp = text(get('counterparty'));
    lines.push({ row, bookedOn, amount, description: text(get('description')), transactionId: id || null, counterparty: cp || null });
  }
  return { layout: layout.name, lines, skipped, problems };
}

/**
 * What makes a line the same line in another statement: the account's transaction id, else its date,
 * amount and description (folded) with the count of identical lines before it in the same file (two
 * identical transfers in one statement are two lines; the same statement imported twice adds nothing).
 */
export function lineFingerprints(lines: StatementLine[]): string[] {
  const seen = new Map<string, number>();
  return lines.map((l) => {
    if (l.transactionId) return `id:${l.transactionId}`;
    const key = `d:${l.bookedOn}|${l.amount}|${foldVietnamese(l.description)}`;
    const k = (seen.get(key) ?? 0) + 1;
    seen.set(key, k);
    return `${key}|${k}`;
  });
}
