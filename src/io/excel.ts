/**
 * Excel in and out with exceljs, streaming: the reader yields the first worksheet's rows one at a time;
 * the writer streams rows to a file or an HTTP response. (The `xlsx` package on npm is frozen with a
 * known vulnerability; exceljs is maintained and streams both ways.)
 */
import ExcelJS from 'exceljs';
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

/** Rows of the first worksheet as arrays of plain values (index 0 = column A). */
export async function* readXlsxRows(input: Readable | string): AsyncGenerator<CellValue[]> {
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input as never, {
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
