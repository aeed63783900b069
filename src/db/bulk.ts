/**
 * BulkLoader: load many rows into a table at COPY speed on either engine. PGlite crashes on COPY FROM
 * STDIN over its wire protocol, so it gets its native `COPY ... FROM '/dev/blob'`; PostgreSQL gets
 * pg-copy-streams. Rows are given as CSV text (RFC 4180, no header).
 */
import type pg from 'pg';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import type { PgliteWorker } from './worker-dialect';

export interface BulkLoader {
  /** `csv`: the rows as text, or as its UTF-8 bytes (a CsvBuffer's). */
  copyCsv(table: string, columns: string[], csv: string | Uint8Array): Promise<void>;
}

/** The bytes of `csv` for PGlite's `/dev/blob`. */
export const csvBytes = (csv: string | Uint8Array): Uint8Array => (typeof csv === 'string' ? new TextEncoder().encode(csv) : csv);

/**
 * CSV lines for COPY, written as UTF-8 into one growing buffer as they come: a large load then keeps
 * bytes rather than a string per line until the COPY (less for the garbage collector to trace and move),
 * and needs no join nor encoding pass at the end.
 */
export class CsvBuffer {
  private buffer = Buffer.allocUnsafe(1 << 16);
  private length = 0;
  lines = 0;

  /** Adds one line (without its line break). */
  push(line: string): void {
    // a UTF-8 character takes at most 3 bytes per UTF-16 unit
    const need = this.length + line.length * 3 + 1;
    if (need > this.buffer.length) {
      const bigger = Buffer.allocUnsafe(Math.max(need, this.buffer.length * 2));
      this.buffer.copy(bigger, 0, 0, this.length);
      this.buffer = bigger;
    }
    this.length += this.buffer.write(line, this.length, 'utf8');
    this.buffer[this.length++] = 10;
    this.lines++;
  }

  /** The bytes written (the buffer is let go: push no more). */
  bytes(): Uint8Array {
    return this.buffer.subarray(0, this.length);
  }
}

const IDENT = /^[a-z_][a-z0-9_.]*$/;

export function copySql(table: string, columns: string[], source: string): string {
  for (const name of [table, ...columns]) if (!IDENT.test(name)) throw new Error(`invalid identifier ${name}`);
  return `copy ${table} (${columns.join(', ')}) from ${source} with (format csv)`;
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
    return {
      async copyCsv(table, columns, csv) {
        const release = await target.worker.lock();
        try {
          await target.worker.query(copySql(table, columns, `'/dev/blob'`), [], csvBytes(csv));
        } finally {
          release();
        }
      },
    };
  }
  return {
    async copyCsv(table, columns, csv) {
      const client = await target.pool.connect();
      try {
        await pipeline(Readable.from([csv]), client.query(copyFrom(copySql(table, columns, 'stdin'))));
      } finally {
        client.release();
      }
    },
  };
}
