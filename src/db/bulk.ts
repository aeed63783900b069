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
  copyCsv(table: string, columns: string[], csv: string): Promise<void>;
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
          await target.worker.query(copySql(table, columns, `'/dev/blob'`), [], new TextEncoder().encode(csv));
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
