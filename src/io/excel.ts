/**
 * Excel in and out with exceljs, streaming: the reader yields the first worksheet's rows one at a time;
 * the writer streams rows to a file or an HTTP response. (The `xlsx` package on npm is frozen with a
 * known vulnerability; exceljs is maintained and streams both ways.)
 */
import ExcelJS from 'exceljs';
import { StringDecoder } from 'node:string_decoder';
import type { Readable, Writable } from 'node:stream';

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

/** Rows of the first worksheet as arrays of plain values (index 0 = column A). */
export async function* readXlsxRows(input: Readable | string): AsyncGenerator<CellValue[]> {
  const reader = workbookReader(input, {
    worksheets: 'emit',
    sharedStrings: 'cache',
    hyperlinks: 'ignore',
    styles: 'cache',
    entries: 'emit',
  });
  for await (const worksheet of reader) {
    for await (const row of worksheet as AsyncIterable<ExcelJS.Row>) {
      const values = row.values as ExcelJS.CellValue[];
      const cells: CellValue[] = [];
      for (let i = 1; i < values.length; i++) cells.push(plain(values[i]));
      if (cells.some((c) => c !== null && c !== '')) yield cells;
    }
    return; // the first worksheet only
  }
}

export interface SheetSpec {
  name: string;
  columns: { header: string; key: string; width?: number }[];
}

/** A streaming workbook writer with one sheet; call `add(row)` then `finish()`. */
export function xlsxWriter(output: Writable, sheet: SheetSpec) {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  const ws = workbook.addWorksheet(sheet.name, { views: [{ state: 'frozen', ySplit: 1 }] });
  ws.columns = sheet.columns.map((c) => ({ header: c.header, key: c.key, width: c.width ?? Math.max(12, c.header.length + 2) }));
  ws.getRow(1).font = { bold: true };
  ws.getRow(1).commit();
  return {
    add(row: Record<string, CellValue | undefined>) {
      ws.addRow(row).commit();
    },
    async finish() {
      ws.commit();
      await workbook.commit();
    },
  };
}
