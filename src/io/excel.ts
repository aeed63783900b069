/**
 * Excel in and out with exceljs, streaming: the reader yields the first worksheet's rows one at a time
 * (and hands the further sheets' rows to a callback when asked);
 * the writer streams rows to a file or an HTTP response. (The `xlsx` package on npm is frozen with a
 * known vulnerability; exceljs is maintained and streams both ways.)
 */
import ExcelJS from 'exceljs';
import { StringDecoder } from 'node:string_decoder';
import { PassThrough, type Readable, type Writable } from 'node:stream';

export type CellValue = string | number | Date | boolean | null;

function plain(value: ExcelJS.CellValue): CellValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' || value instanceof Date) return value;
  if (typeof value === 'object') {
    if ('richText' in value) return value.richText.map((r) => r.text).join('');
    if ('text' in value && typeof value.text === 'string') return value.text; // hyperlink
    if ('result' in value) return plain(value.result as ExcelJS.CellValue); // formula
    if ('error' in value) return null;
  }
  return String(value);
}

/** Text from pieces of UTF-8, a letter cut between two pieces decoded whole. */
async function* utf8Text(pieces: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  for await (const piece of pieces) {
    const text = typeof piece === 'string' ? piece : decoder.write(piece);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}

/** The streaming reader's methods that read a part of the file (not in exceljs's typings). */
interface ReaderParts {
  _parseWorkbook(entry: Readable): Promise<void>;
  _parseSharedStrings(entry: Readable): AsyncGenerator<unknown>;
  _parseWorksheet(pieces: AsyncIterable<Buffer | string>, sheetNo: string): Generator<unknown>;
}

/**
 * exceljs's streaming reader (4.4.0, the latest) decodes each piece of a part as it is inflated (16 KB)
 * to text on its own, so a letter whose UTF-8 bytes are cut between two pieces comes out as two U+FFFD:
 * 'Nữ' read as 'N\uFFFD\uFFFD', about once in a few hundred rows of a Vietnamese list (exceljs issues
 * #2084 and #2316, open). Its parser takes text as it is, so the reader made here is given text decoded
 * across the pieces: the workbook and shared strings entries decode themselves (`setEncoding`), the
 * worksheets' pieces go through a StringDecoder. rows.test.ts reads 20,000 such rows both ways.
 */
function workbookReader(input: Readable | string, options: Partial<ExcelJS.stream.xlsx.WorkbookStreamReaderOptions>) {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input as never, options);
  const parts = reader as unknown as ReaderParts;
  const { _parseWorkbook: workbook, _parseSharedStrings: sharedStrings, _parseWorksheet: worksheet } = parts;
  if (typeof workbook !== 'function' || typeof sharedStrings !== 'function' || typeof worksheet !== 'function')
    throw new Error('exceljs no longer has the reader methods excel.ts wraps: check its UTF-8 decoding again');
  parts._parseWorkbook = function (entry) {
    entry.setEncoding('utf8');
    return workbook.call(this, entry);
  };
  parts._parseSharedStrings = function (entry) {
    entry.setEncoding('utf8');
    return sharedStrings.call(this, entry);
  };
  parts._parseWorksheet = function (pieces, sheetNo) {
    return worksheet.call(this, utf8Text(pieces), sheetNo);
  };
  return reader;
}

/**
 * The rows of the worksheets after the first, for a reader that wants them too (the register import's
 * voluntary social insurance sheet): called with the sheet's name (when the file says it before the
 * sheet, else 'sheetN'), the spreadsheet's row number and the cells, blank rows left out.
 */
export type OtherSheetRows = (sheet: string, rowNumber: number, cells: CellValue[]) => void;

/**
 * Rows of the first worksheet as arrays of plain values (index 0 = column A). With `otherSheets`, the
 * rows of the further worksheets go to it once the first sheet's are all yielded (they are parsed in the
 * same pass over the file); without it the reading stops after the first sheet.
 */
export async function* readXlsxRows(input: Readable | string, otherSheets?: OtherSheetRows): AsyncGenerator<CellValue[]> {
  const reader = workbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  });
  let first = true;
  for await (const worksheet of reader) {
    const sheet = worksheet as unknown as AsyncIterable<ExcelJS.Row> & { name?: string; id?: string | number };
    for await (const row of sheet) {
      const values = row.values as ExcelJS.CellValue[];
      const cells: CellValue[] = [];
      for (let i = 1; i < values.length; i++) cells.push(plain(values[i]));
      if (!cells.some((c) => c !== null && c !== '')) continue;
      if (first) yield cells;
      else otherSheets!(sheet.name ?? `sheet${String(sheet.id ?? '')}`, row.number, cells);
    }
    if (!otherSheets) return; // the first worksheet only
    first = false;
  }
}

/** How a column's values are written: Excel dates, numbers and percentages stay what they are, not text. */
export type ColumnType = 'text' | 'date' | 'integer' | 'number' | 'percent';

export interface SheetColumn {
  header: string;
  key: string;
  /** Characters (Excel's unit); default: the header's length. */
  width?: number;
  /**
   * 'date': a 'YYYY-MM-DD' string (or a Date) becomes an Excel date shown dd/mm/yyyy; 'percent': a value in
   * percent (93.42) is written as the fraction (0.9342) shown 93.4%; 'integer' and 'number': numbers with
   * thousands separators. Default 'text': the value as it is.
   */
  type?: ColumnType;
  /** Wrap long text in the cell (addresses, messages). */
  wrap?: boolean;
}

export interface SheetSpec {
  name: string;
  columns: SheetColumn[];
  /**
   * Lines written above the header row: the first as the title (bold, larger), the others under it (the
   * unit, the date ...). Leave it out for a sheet that is imported back (its header must stay row 1) and
   * give `pageHeader` instead.
   */
  title?: string[];
  /** Printed at the top of every page (default: the title's lines). */
  pageHeader?: string;
  /** Default: landscape when the columns are wider than a portrait A4 page holds. */
  orientation?: 'portrait' | 'landscape';
  /** A list printed to be carried and written on: borders round every cell and taller rows. */
  grid?: boolean;
}

/** Number formats of the column types ('text' keeps Excel's General). */
export const NUM_FMT: Record<Exclude<ColumnType, 'text'>, string> = {
  date: 'dd/mm/yyyy',
  integer: '#,##0',
  number: '#,##0.##',
  percent: '0.0%',
};

/** A portrait A4 page, fit to width, holds about this many characters of column width at a readable size. */
const PORTRAIT_CHARACTERS = 100;
const THIN = { style: 'thin' as const };
const BORDER = { top: THIN, left: THIN, bottom: THIN, right: THIN };

/** A 'YYYY-MM-DD' day as the Date exceljs writes as that Excel day (midnight UTC). */
export function excelDate(iso: string): Date {
  return new Date(`${iso.slice(0, 10)}T00:00:00Z`);
}

function cellOf(type: ColumnType | undefined, value: CellValue | undefined): CellValue {
  if (value === undefined || value === null || value === '') return null;
  switch (type) {
    case 'date':
      return typeof value === 'string' && /^\d{4}-\d{2}-\d{2}/.test(value) ? excelDate(value) : value;
    case 'percent':
      return typeof value === 'number' ? value / 100 : value;
    case 'integer':
    case 'number':
      return typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)) ? Number(value) : value;
    default:
      return value;
  }
}

/** Text for a page header or footer: '&' is a code there and is doubled. */
const headerText = (text: string) => text.replace(/&/g, '&&');

/**
 * A streaming workbook writer with one sheet (or more, one after another: `nextSheet`), set up to print:
 * A4, landscape when wide, fit to the page width (as many pages down as needed), margins, the header row
 * repeated on every page (print titles), the title or `pageHeader` at the top of each page and the page
 * number at the bottom. Call `add(row)` (values by column key) then `finish()`.
 */
export function xlsxWriter(output: Writable, sheet: SheetSpec) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'coverdesk';
  let current = startSheet(workbook, sheet);
  return {
    add(values: Record<string, CellValue | undefined>) {
      current.add(values);
    },
    /** Ends the sheet being written and starts another (same print setup); `add` then writes there. */
    nextSheet(next: SheetSpec) {
      current.ws.commit();
      current = startSheet(workbook, next);
    },
    async finish() {
      current.ws.commit();
      await workbook.commit();
    },
  };
}

function startSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, sheet: SheetSpec) {
  const widths = sheet.columns.map((c) => c.width ?? Math.max(12, c.header.length + 2));
  const wide = widths.reduce((a, b) => a + b, 0) > PORTRAIT_CHARACTERS;
  const title = sheet.title ?? [];
  // the title's lines, an empty row, then the header
  const headerRow = title.length ? title.length + 2 : 1;
  const pageHeader = sheet.pageHeader ?? title.join(' · ');
  const ws = workbook.addWorksheet(sheet.name, {
    views: [{ state: 'frozen', ySplit: headerRow }],
    pageSetup: {
      paperSize: 9, // A4
      orientation: sheet.orientation ?? (wide ? 'landscape' : 'portrait'),
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      horizontalCentered: true,
      margins: { left: 0.4, right: 0.4, top: 0.6, bottom: 0.6, header: 0.25, footer: 0.25 },
      printTitlesRow: `${headerRow}:${headerRow}`,
    },
    headerFooter: {
      oddHeader: pageHeader ? `&L&8${headerText(pageHeader)}` : undefined,
      oddFooter: '&R&8&P / &N',
    },
  });
  ws.columns = sheet.columns.map((c, i) => ({
    key: c.key,
    width: widths[i],
    ...(c.type && c.type !== 'text' ? { style: { numFmt: NUM_FMT[c.type] } } : {}),
  }));
  title.forEach((line, i) => {
    const row = ws.getRow(i + 1);
    row.getCell(1).value = line;
    row.getCell(1).font = { bold: true, size: i === 0 ? 14 : 11 };
    row.getCell(1).alignment = { horizontal: 'center', vertical: 'middle' };
    if (i === 0) row.height = 22;
    ws.mergeCells(i + 1, 1, i + 1, sheet.columns.length);
    row.commit();
  });
  const header = ws.getRow(headerRow);
  sheet.columns.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.value = c.header;
    cell.font = { bold: true };
    cell.alignment = { vertical: 'middle', horizontal: 'center', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFDDEBF7' } };
    if (sheet.grid) cell.border = BORDER;
  });
  // tall enough for the longest heading wrapped in its column (a spreadsheet does not size it on opening)
  header.height = 15 * Math.max(1, ...sheet.columns.map((c, i) => Math.ceil((c.header.length + 1) / Math.max(1, widths[i] - 1))));
  header.commit();
  const wrap = sheet.columns.map((c) => c.wrap === true);
  return {
    ws,
    add(values: Record<string, CellValue | undefined>) {
      const row = ws.addRow(Object.fromEntries(sheet.columns.map((c) => [c.key, cellOf(c.type, values[c.key])])));
      if (sheet.grid || wrap.includes(true)) {
        if (sheet.grid) row.height = 30; // two lines of a wrapped address, and room to write
        sheet.columns.forEach((_, i) => {
          const cell = row.getCell(i + 1);
          if (sheet.grid) cell.border = BORDER;
          cell.alignment = { vertical: 'middle', ...(wrap[i] ? { wrapText: true } : {}) };
        });
      }
      row.commit();
    },
  };
}

/** A one-sheet workbook made in memory (a list of a few thousand rows at most): `xlsxWriter` into a Buffer. */
export async function xlsxBuffer(sheet: SheetSpec, rows: Iterable<Record<string, CellValue | undefined>>): Promise<Buffer> {
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((resolve, reject) => {
    out.on('end', resolve);
    out.on('error', reject);
  });
  const writer = xlsxWriter(out, sheet);
  for (const row of rows) writer.add(row);
  await writer.finish();
  await done;
  return Buffer.concat(chunks);
}
