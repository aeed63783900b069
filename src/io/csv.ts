/**
 * CSV in and out, streaming. Reading uses papaparse (quotes, embedded newlines, BOM, `,` or `;`
 * delimiters as Excel writes them in Vietnamese locales); writing produces UTF-8 with a BOM so Excel
 * shows Vietnamese correctly.
 */
import fs from 'node:fs';
import { isAscii } from 'node:buffer';
import Papa from 'papaparse';
import type { Readable } from 'node:stream';
import { AppError } from '../errors';
import { csvCell } from './csv-cell';

export const UTF8_BOM = '\uFEFF';

/** A row with at least one cell that is not blank (rows of blank cells are skipped, as Excel leaves them). */
function hasText(row: string[]): boolean {
  for (const cell of row) if (cell !== '' && cell.trim() !== '') return true;
  return false;
}

/** Text read before the delimiter and line break are guessed (a header and some rows). */
const SAMPLE = 64 * 1024;

/**
 * Rows of a CSV file as arrays of strings, in batches (memory stays bounded: the file is read as the
 * batches are taken). Each piece of text read is parsed whole by papaparse's parser; the incomplete row at
 * its end (which may be a quoted field with line breaks) waits for the next piece. (Papaparse's own Node
 * stream mode re-creates its parser every 16 rows, for its stream's back-pressure, and took 2.9 s for a
 * million rows against 1.7 s this way.) The delimiter (`,`, `;` or tab, as Excel writes in Vietnamese
 * locales) and the line break are guessed once from the start of the file; rows of empty cells are skipped.
 */
export async function* readCsvBatches(input: Readable | string): AsyncGenerator<string[][]> {
  const stream = typeof input === 'string' ? fs.createReadStream(input) : input;
  let pending = '';
  /** rows parsed so far, blank ones and the header included (as a spreadsheet numbers them) */
  let parsed = 0;
  let parser: { parse(text: string, base: number, ignoreLastRow: boolean): Papa.ParseResult<string[]> } | undefined;
  const rows = (text: string, last: boolean) => {
    if (!parser) {
      const guess = Papa.parse<string[]>(text.slice(0, SAMPLE), { skipEmptyLines: 'greedy', delimitersToGuess: [',', ';', '\t'] });
      parser = new Papa.Parser({ delimiter: guess.meta.delimiter, newline: guess.meta.linebreak as Papa.ParseConfig['newline'], quoteChar: '"', escapeChar: '"' });
    }
    const result = parser.parse(text, 0, !last);
    pending = last ? '' : text.substring(result.meta.cursor);
    parsed += result.data.length;
    return result.data.filter(hasText);
  };
  let first = true;
  const newlines = (text: string) => {
    let n = 0;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) n++;
    return n;
  };
  // the row of the text not read yet that starts with `before`
  const rowAt = (before: string) => parsed + 1 + newlines(pending) + newlines(before);
  for await (const chunk of csvText(stream, rowAt)) {
    pending += first ? chunk.replace(/^\uFEFF/, '') : chunk;
    first = false;
    if (!parser && pending.length < SAMPLE) continue;
    const batch = rows(pending, false);
    if (batch.length) yield batch;
  }
  if (pending) {
    const batch = rows(pending, true);
    if (batch.length) yield batch;
  }
}

/**
 * The text of a CSV file from its bytes, decoded across pieces (a Vietnamese letter can straddle two).
 * A byte-order mark says UTF-16 (Excel's "Unicode Text") or UTF-8 (and is dropped). Without one, the
 * first piece that is not all ASCII decides: UTF-8 when it is valid UTF-8; a damaged UTF-8 file, which
 * fails, when UTF-8 letters stand beside its bad bytes; else Windows-1258, what Excel's "CSV (Comma
 * delimited)" writes on Vietnamese Windows (its tone marks come as combining marks, which cellText
 * composes). A byte that is not UTF-8 after that fails the reading with the row it is in (`rowAt`),
 * instead of reading U+FFFD into the register.
 */
async function* csvText(stream: Readable, rowAt: (before: string) => number): AsyncGenerator<string> {
  /** undefined while all read so far is ASCII (the same text in every encoding offered) */
  let decoder: TextDecoder | undefined;
  /** the first bytes, until there are enough to tell a byte-order mark */
  let head: Buffer | undefined = Buffer.alloc(0);
  /** The error for `bytes`, naming the row of their first byte that is not UTF-8. */
  const notUtf8 = (bytes: Buffer) => {
    const loose = new TextDecoder('utf-8').decode(bytes);
    const row = rowAt(loose.slice(0, Math.max(0, loose.indexOf('\ufffd'))));
    return new AppError('validation', {}, [{ path: 'file', key: 'import_not_utf8', params: { row } }]);
  };
  const decode = (bytes?: Buffer) => {
    try {
      return bytes ? decoder!.decode(bytes, { stream: true }) : decoder!.decode();
    } catch (e) {
      if (e instanceof TypeError && decoder!.fatal) throw notUtf8(bytes ?? Buffer.alloc(0));
      throw e;
    }
  };
  const text = (bytes: Buffer): string => {
    if (decoder) return decode(bytes);
    if (isAscii(bytes)) return bytes.toString('latin1');
    decoder = new TextDecoder('utf-8', { fatal: true });
    try {
      return decoder.decode(bytes, { stream: true });
    } catch {
      // (a letter beyond ASCII that is not the replacement character)
      if (/[\u0080-\ufffc\ufffe\uffff]/.test(new TextDecoder('utf-8').decode(bytes))) throw notUtf8(bytes);
      decoder = new TextDecoder('windows-1258');
      return decoder.decode(bytes, { stream: true });
    }
  };
  const afterMark = (bytes: Buffer): Buffer => {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) decoder = new TextDecoder('utf-16le');
    else if (bytes[0] === 0xfe && bytes[1] === 0xff) decoder = new TextDecoder('utf-16be');
    else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) decoder = new TextDecoder('utf-8', { fatal: true });
    return bytes;
  };
  for await (const piece of stream as AsyncIterable<Buffer | string>) {
    if (typeof piece === 'string') {
      yield piece; // (a stream that decodes itself)
      continue;
    }
    let bytes = piece;
    if (head) {
      head = Buffer.concat([head, piece]);
      if (head.length < 3) continue;
      bytes = afterMark(head);
      head = undefined;
    }
    const t = text(bytes);
    if (t) yield t;
  }
  const rest = (head?.length ? text(afterMark(head)) : '') + (decoder ? decode() : '');
  if (rest) yield rest;
}

/** Rows of a CSV file as arrays of strings, one at a time (memory stays bounded). */
export async function* readCsvRows(input: Readable | string): AsyncGenerator<string[]> {
  for await (const batch of readCsvBatches(input)) yield* batch;
}

/** One CSV line (RFC 4180 quoting; text that a spreadsheet would run as a formula neutralised, see csv-cell.ts), without the line break. */
export function csvLine(cells: readonly unknown[]): string {
  return cells.map(csvCell).join(',');
}
