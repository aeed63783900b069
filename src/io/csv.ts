/**
 * CSV in and out, streaming. Reading uses papaparse (quotes, embedded newlines, BOM, `,` or `;`
 * delimiters as Excel writes them in Vietnamese locales); writing produces UTF-8 with a BOM so Excel
 * shows Vietnamese correctly.
 */
import fs from 'node:fs';
import Papa from 'papaparse';
import type { Readable } from 'node:stream';

export const UTF8_BOM = '\uFEFF';

/** Rows of a CSV file as arrays of strings, one at a time (memory stays bounded). */
export async function* readCsvRows(input: Readable | string): AsyncGenerator<string[]> {
  const stream = typeof input === 'string' ? fs.createReadStream(input) : input;
  // decode UTF-8 across chunk boundaries (a Vietnamese letter can straddle two chunks)
  stream.setEncoding('utf8');
  const parser = Papa.parse(Papa.NODE_STREAM_INPUT, { skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t'] });
  stream.on('error', (e: Error) => parser.destroy(e));
  stream.pipe(parser);
  let first = true;
  for await (const row of parser as AsyncIterable<string[]>) {
    if (first && row.length) row[0] = row[0].replace(/^\uFEFF/, '');
    first = false;
    yield row;
  }
}

/** One CSV line (RFC 4180 quoting), without the line break. */
export function csvLine(cells: readonly unknown[]): string {
  return cells
    .map((v) => {
      if (v === null || v === undefined) return '';
      const s = String(v);
      return /[",\n\r;]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
    })
    .join(',');
}
