/**
 * BulkLoader: load many rows into a table at COPY speed on either engine. PGlite crashes on COPY FROM
 * STDIN over its wire protocol, so its worker puts the data in a file of its in-memory file system for
 * `COPY ... FROM` that file (pglite-worker.ts); PostgreSQL gets pg-copy-streams. Rows are given as CSV
 * text (RFC 4180, no header), or in COPY's binary format (`BinaryRows`), which the database reads
 * without parsing text: uuids, dates, numbers and arrays arrive as their stored bytes.
 */
import type pg from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
import type { PgliteWorker } from './worker-dialect';
import { COPY_FILE, COPY_OUT_FILE } from './worker-protocol';

export interface BulkLoader {
  copyCsv(table: string, columns: string[], csv: string): Promise<void>;
  /** `rows`: a BinaryRows' bytes. */
  copyBinary(table: string, columns: string[], rows: Uint8Array, options?: CopyOptions): Promise<void>;
}

export interface CopyOptions {
  /**
   * COPY ... FREEZE: the rows are written frozen and their pages marked all-visible, so nothing rewrites
   * them later to set hint bits, and index-only scans can read them at once. Only for a table emptied
   * (TRUNCATE) or created in the current transaction; PostgreSQL refuses it otherwise.
   */
  freeze?: boolean;
}

/** The bytes of `csv` for PGlite's COPY file. */
export const csvBytes = (csv: string): Uint8Array => new TextEncoder().encode(csv);

/** Days from 1970-01-01 to 2000-01-01, PostgreSQL's day zero for dates and timestamps. */
const PG_EPOCH_DAY = 10_957;
/** The OID of type text (fixed in every PostgreSQL). */
const TEXT_OID = 25;
const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

/**
 * Rows in COPY's binary format (PostgreSQL documentation, "COPY", "Binary Format"), written field by
 * field into one growing buffer. Each row starts with `row(fields)`, then exactly that many fields, in
 * the order of the COPY's column list. Text is written as UTF-8; the database checks it as it would
 * text input.
 */
export class BinaryRows {
  private buffer: Buffer;
  private length = 0;
  rows = 0;

  /** `capacity`: the bytes to start with (say, the size of the last batch of the same rows). */
  constructor(capacity = 1 << 16) {
    this.buffer = Buffer.allocUnsafe(Math.max(capacity, 64));
    SIGNATURE.copy(this.buffer, 0);
    this.buffer.writeInt32BE(0, 11); // flags
    this.buffer.writeInt32BE(0, 15); // header extension length
    this.length = 19;
  }

  private room(bytes: number): void {
    const need = this.length + bytes;
    if (need > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
  }

  /** Big-endian at `p`, written byte by byte (Buffer's writeInt32BE checks its arguments on every call). */
  private int32At(p: number, value: number): void {
    const b = this.buffer;
    b[p] = value >>> 24;
    b[p + 1] = value >>> 16;
    b[p + 2] = value >>> 8;
    b[p + 3] = value;
  }

  private int32(value: number): void {
    this.int32At(this.length, value);
    this.length += 4;
  }

  row(fields: number): void {
    this.room(2);
    this.buffer[this.length] = fields >>> 8;
    this.buffer[this.length + 1] = fields;
    this.length += 2;
    this.rows++;
  }

  null(): void {
    this.room(4);
    this.int32(-1);
  }

  /**
   * A text field; null or undefined is SQL null. Encoded to UTF-8 here, as Buffer would (a lone surrogate
   * becomes U+FFFD): most fields are a few characters, where calling Buffer's encoder cost more than
   * encoding (about 140 ns a field, 1.9 s of the main thread at a million rows).
   */
  text(value: string | null | undefined): void {
    if (value === null || value === undefined) return this.null();
    const n = value.length;
    this.room(4 + n * 3);
    const b = this.buffer;
    const start = this.length + 4;
    let p = start;
    for (let i = 0; i < n; i++) {
      let c = value.charCodeAt(i);
      if (c < 0x80) b[p++] = c;
      else if (c < 0x800) {
        b[p++] = 0xc0 | (c >> 6);
        b[p++] = 0x80 | (c & 0x3f);
      } else {
        if (c >= 0xd800 && c < 0xe000) {
          const d = i + 1 < n ? value.charCodeAt(i + 1) : 0;
          if (c < 0xdc00 && d >= 0xdc00 && d < 0xe000) {
            // a surrogate pair: one code point of four bytes
            const cp = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
            b[p++] = 0xf0 | (cp >> 18);
            b[p++] = 0x80 | ((cp >> 12) & 0x3f);
            b[p++] = 0x80 | ((cp >> 6) & 0x3f);
            b[p++] = 0x80 | (cp & 0x3f);
            i++;
            continue;
          }
          c = 0xfffd;
        }
        b[p++] = 0xe0 | (c >> 12);
        b[p++] = 0x80 | ((c >> 6) & 0x3f);
        b[p++] = 0x80 | (c & 0x3f);
      }
    }
    this.int32At(this.length, p - start);
    this.length = p;
  }

  /** A uuid field from its 16 bytes (`source` from `offset`). */
  uuid(source: Uint8Array, offset = 0): void {
    this.room(20);
    this.int32(16);
    this.copy(source, offset, 16);
  }

  /** A uuid field from its text ('1b4e28ba-2fa1-11d2-883f-0016d3cca427'); null or undefined is SQL null. */
  uuidText(value: string | null | undefined): void {
    if (value === null || value === undefined) return this.null();
    this.room(20);
    this.int32(16);
    const b = this.buffer;
    const start = this.length;
    let p = start;
    for (let i = 0; i < value.length && p - start < 16; i++) {
      const c = value.charCodeAt(i);
      if (c === 45) continue; // '-'
      b[p++] = (hexDigit(c) << 4) | hexDigit(value.charCodeAt(++i));
    }
    if (p - start !== 16) throw new Error(`invalid uuid ${value}`);
    this.length = p;
  }

  /** A boolean field. */
  bool(value: boolean): void {
    this.room(5);
    this.int32(1);
    this.buffer[this.length++] = value ? 1 : 0;
  }

  /** A double precision field. */
  float8(value: number): void {
    this.room(12);
    this.int32(8);
    this.buffer.writeDoubleBE(value, this.length);
    this.length += 8;
  }

  /** A bigint field from a safe integer (money in dong); null or undefined is SQL null. */
  int8(value: number | null | undefined): void {
    if (value === null || value === undefined) return this.null();
    if (!Number.isSafeInteger(value)) throw new Error(`not a safe integer: ${value}`);
    this.room(12);
    this.int32(8);
    const high = Math.floor(value / 0x1_0000_0000);
    this.int32(high | 0);
    this.int32(value - high * 0x1_0000_0000);
  }

  private copy(source: Uint8Array, offset: number, bytes: number): void {
    const b = this.buffer;
    const p = this.length;
    for (let i = 0; i < bytes; i++) b[p + i] = source[offset + i];
    this.length = p + bytes;
  }

  /** An integer field (int4); null or undefined is SQL null. */
  int4(value: number | null | undefined): void {
    if (value === null || value === undefined) return this.null();
    this.room(8);
    this.int32(4);
    this.int32(value);
  }

  /** A date field from its day number counted from 1970-01-01 (-Infinity: '-infinity'); null or undefined is SQL null. */
  date(epochDay: number | null | undefined): void {
    if (epochDay === null || epochDay === undefined) return this.null();
    if (epochDay === -Infinity) return this.int4(-0x80000000);
    this.int4(epochDay - PG_EPOCH_DAY);
  }

  /** A timestamptz field (`timestamptzBytes`). */
  timestamptz(value: Uint8Array): void {
    this.room(12);
    this.int32(8);
    this.copy(value, 0, 8);
  }

  /** A text[] field (one dimension; an empty list is the empty array). */
  textArray(values: readonly string[]): void {
    this.room(24);
    const at = this.length;
    this.length += 4;
    this.int32(values.length ? 1 : 0); // dimensions
    this.int32(0); // no nulls
    this.int32(TEXT_OID);
    if (values.length) {
      this.int32(values.length);
      this.int32(1); // lower bound
      for (const v of values) this.text(v);
    }
    this.int32At(at, this.length - at - 4);
  }

  get byteLength(): number {
    return this.length;
  }

  /** The whole COPY data, trailer included (the buffer is let go: write no more). */
  bytes(): Uint8Array {
    this.room(2);
    this.buffer.writeInt16BE(-1, this.length);
    return this.buffer.subarray(0, this.length + 2);
  }
}

/** The value of a hexadecimal digit's character code (a uuid's text is checked by its length). */
function hexDigit(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  const lower = c | 32;
  if (lower >= 97 && lower <= 102) return lower - 87;
  throw new Error(`invalid hexadecimal digit ${String.fromCharCode(c)}`);
}

/** A timestamptz field's 8 bytes (microseconds since 2000-01-01 UTC) from microseconds since 1970. */
export function timestamptzBytes(unixMicros: bigint): Uint8Array {
  const bytes = Buffer.alloc(8);
  bytes.writeBigInt64BE(unixMicros - BigInt(PG_EPOCH_DAY) * 86_400_000_000n);
  return bytes;
}

/** The data of a COPY: CSV text or bytes, or COPY's binary format. */
export type CopyFormat = 'csv' | 'binary';

const IDENT = /^[a-z_][a-z0-9_.]*$/;

export function copySql(table: string, columns: string[], source: string, format: CopyFormat = 'csv', options: CopyOptions = {}): string {
  for (const name of [table, ...columns]) if (!IDENT.test(name)) throw new Error(`invalid identifier ${name}`);
  return `copy ${table} (${columns.join(', ')}) from ${source} with (format ${format}${options.freeze ? ', freeze' : ''})`;
}

/** Quote one value for CSV: null becomes an empty unquoted field. */
export function csvField(value: unknown): string {
  if (value === null || value === undefined) return '';
  const s = value instanceof Date ? value.toISOString() : String(value);
  return /[",\n\r]/.test(s) || s === '' ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(rows: unknown[][]): string {
  return rows.map((r) => r.map(csvField).join(',')).join('\n') + (rows.length ? '\n' : '');
}

export function createBulkLoader(
  target: { engine: 'pglite'; worker: PgliteWorker } | { engine: 'postgres'; pool: pg.Pool },
): BulkLoader {
  if (target.engine === 'pglite') {
    const copy = async (table: string, columns: string[], data: Uint8Array, format: CopyFormat, options?: CopyOptions) => {
      const release = await target.worker.lock();
      try {
        await copyIntoPglite(target.worker, table, columns, data, format, options);
      } finally {
        release();
      }
    };
    return {
      copyCsv: (table, columns, csv) => copy(table, columns, csvBytes(csv), 'csv'),
      copyBinary: (table, columns, rows, options) => copy(table, columns, rows, 'binary', options),
    };
  }
  const copy = async (table: string, columns: string[], data: string | Uint8Array, format: CopyFormat, options?: CopyOptions) => {
    const client = await target.pool.connect();
    try {
      await copyIntoPostgres(client, table, columns, data, format, options);
    } finally {
      client.release();
    }
  };
  return {
    copyCsv: (table, columns, csv) => copy(table, columns, csv, 'csv'),
    copyBinary: (table, columns, rows, options) => copy(table, columns, rows, 'binary', options),
  };
}

/** One COPY on the embedded database's worker (the caller holds it). */
export async function copyIntoPglite(worker: PgliteWorker, table: string, columns: string[], data: Uint8Array, format: CopyFormat, options?: CopyOptions): Promise<void> {
  await worker.copy(copySql(table, columns, `'${COPY_FILE}'`, format, options), data);
}

/** One COPY on a PostgreSQL connection. */
export async function copyIntoPostgres(
  client: pg.PoolClient,
  table: string,
  columns: string[],
  data: string | Uint8Array,
  format: CopyFormat,
  options?: CopyOptions,
): Promise<void> {
  await pipeline(Readable.from([data]), client.query(copyFrom(copySql(table, columns, 'stdin', format, options))));
}

/**
 * COPY (query) TO ... in COPY's binary format: the statement for `target` ('stdout' or a file name in
 * quotes). The query is the caller's own SQL (a select of known columns), never user input.
 */
export function copyOutSql(query: string, target: string): string {
  return `copy (${query}) to ${target} with (format binary)`;
}

/** The rows of `query` in COPY's binary format, from the embedded database's worker (the caller holds it). */
export function copyOutOfPglite(worker: PgliteWorker, query: string): Promise<Uint8Array> {
  return worker.copyOut(copyOutSql(query, `'${COPY_OUT_FILE}'`));
}

/** The rows of `query` in COPY's binary format, from a PostgreSQL connection. */
export async function copyOutOfPostgres(client: pg.PoolClient, query: string): Promise<Uint8Array> {
  const parts: Buffer[] = [];
  const stream = client.query(copyTo(copyOutSql(query, 'stdout')));
  for await (const part of stream) parts.push(part as Buffer);
  return Buffer.concat(parts);
}
