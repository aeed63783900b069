/** Messages between the main thread and the embedded-database worker. */
export type WorkerRequest =
  | { id: number; type: 'query'; sql: string; params: unknown[] }
  /** A COPY whose `sql` reads COPY_FILE: the worker writes `data` there first (see pglite-worker.ts). */
  | { id: number; type: 'copy'; sql: string; data: Uint8Array }
  /** A COPY ... TO COPY_OUT_FILE: the worker answers with the file's bytes (see pglite-worker.ts). */
  | { id: number; type: 'copyOut'; sql: string }
  | { id: number; type: 'exec'; sql: string }
  | { id: number; type: 'dump' }
  | { id: number; type: 'close' };

/**
 * Where the worker puts a COPY's data for the database to read: a file of the embedded database's own
 * in-memory file system (its data folder is mounted elsewhere), not a file on disk.
 */
export const COPY_FILE = '/tmp/coverdesk-copy.bin';

/** Where a COPY ... TO writes for the worker to read back (the same in-memory file system). */
export const COPY_OUT_FILE = '/tmp/coverdesk-copy-out.bin';

export interface DbErrorInfo {
  message: string;
  code?: string;
  detail?: string;
  constraint?: string;
  table?: string;
  column?: string;
}

export type WorkerResponse =
  | { id: number; ok: true; result: unknown }
  | { id: number; ok: false; error: DbErrorInfo };
