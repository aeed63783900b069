/**
 * The rows of a CSV or XLSX list, whichever the file is, for the importers: one at a time, or in batches
 * with a count of the file's bytes read so far (for a progress bar).
 */
import fs from 'node:fs';
import { pipeline, Transform, type Readable } from 'node:stream';
import { readCsvBatches, readCsvRows } from './csv';
import { readXlsxRows, type CellValue, type OtherSheetRows } from './excel';

export type TableFormat = 'csv' | 'xlsx';

/** Rows of an XLSX sheet in batches of this many (a CSV's come as each piece of the file is parsed). */
const XLSX_BATCH = 1000;

/**
 * The rows in batches, and the bytes of the file read so far (counted as they pass, so it is right for
 * an upload as for a file, and for a compressed XLSX too). Iterating a batch at a time saves a promise
 * and a turn of the event loop per row: at a million rows that is a second of the import's main thread.
 */
export function readRowBatches(
  input: Readable | string,
  format: TableFormat,
  otherSheets?: OtherSheetRows,
): { batches: AsyncIterable<CellValue[][]>; bytesRead: () => number } {
  let bytes = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      bytes += chunk.length;
      done(null, chunk);
    },
  });
  // (a failing source, a missing file or a broken upload, fails the reading of the rows)
  pipeline(typeof input === 'string' ? fs.createReadStream(input) : input, counted, () => undefined);
  return { batches: format === 'csv' ? readCsvBatches(counted) : xlsxBatches(counted, otherSheets), bytesRead: () => bytes };
}

async function* xlsxBatches(input: Readable, otherSheets?: OtherSheetRows): AsyncGenerator<CellValue[][]> {
  let batch: CellValue[][] = [];
  for await (const row of readXlsxRows(input, otherSheets)) {
    batch.push(row);
    if (batch.length === XLSX_BATCH) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}

/** The rows one at a time. */
export async function* readRows(input: Readable | string, format: TableFormat): AsyncGenerator<CellValue[]> {
  yield* format === 'csv' ? readCsvRows(input) : readXlsxRows(input);
}
