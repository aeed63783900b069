/**
 * The thread that owns the embedded database. PGlite runs PostgreSQL in WebAssembly on the thread that
 * calls it and blocks that thread while a query runs; owning it here keeps the HTTP server's event loop
 * free (see docs/decisions.md). The main thread talks to it through ./worker-dialect.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_PARSERS } from './types';
import { COPY_FILE, COPY_OUT_FILE, type WorkerRequest, type WorkerResponse } from './worker-protocol';

const { dataDir, loadFrom, cacheSize } = workerData as { dataDir?: string; loadFrom?: Uint8Array; cacheSize?: string };

const pg = new PGlite({
  dataDir,
  parsers: PGLITE_PARSERS,
  // Minimal WAL: the embedded database has no replica and no archive to feed, and a table emptied or
  // created in a transaction then skips the WAL entirely (a fresh register import: import-fresh.ts).
  // A larger page cache (COVERDESK_DB_CACHE) keeps a province's persons and households in memory: each page
  // read past it goes through the WebAssembly file layer (docs/decisions.md, the reminder list).
  startParams: [...PGlite.defaultStartParams, '-c', 'wal_level=minimal', '-c', 'max_wal_senders=0', ...(cacheSize ? ['-c', `shared_buffers=${cacheSize}`] : [])],
  loadDataDir: loadFrom ? new Blob([loadFrom as Uint8Array<ArrayBuffer>]) : undefined,
});

function serializeError(e: unknown) {
  const err = e as Record<string, unknown> & Error;
  return {
    message: err?.message ?? String(e),
    code: err?.code as string | undefined,
    detail: err?.detail as string | undefined,
    constraint: err?.constraint as string | undefined,
    table: err?.table as string | undefined,
    column: err?.column as string | undefined,
  };
}

/**
 * A COPY from COPY_FILE after writing `data` there. PGlite's own '/dev/blob' hands the data to the
 * database a byte at a time in JavaScript (about 6% of the database thread in a large import: 1.2 s less
 * of its CPU at 1,000,000 persons); its in-memory file system copies it in one go.
 */
async function copy(sql: string, data: Uint8Array): Promise<void> {
  const fs = pg.Module.FS;
  // (the file keeps `data` itself instead of a copy: the worker owns it, moved here by postMessage)
  fs.writeFile(COPY_FILE, data, { canOwn: true });
  try {
    await pg.query(sql);
  } finally {
    fs.unlink(COPY_FILE);
  }
}
let copies: Promise<unknown> = Promise.resolve();

/** A COPY ... TO COPY_OUT_FILE, answered with what it wrote. */
async function copyOut(sql: string): Promise<Uint8Array> {
  const fs = pg.Module.FS;
  try {
    await pg.query(sql);
    return fs.readFile(COPY_OUT_FILE) as Uint8Array;
  } finally {
    try {
      fs.unlink(COPY_OUT_FILE);
    } catch {
      /* the COPY failed before writing it */
    }
  }
}

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.type) {
    case 'query': {
      const r = await pg.query(req.sql, req.params);
      return { rows: r.rows, affectedRows: r.affectedRows ?? 0 };
    }
    case 'copy': {
      // one COPY at a time through the one file (the database runs one statement at a time anyway)
      const run = copies.then(() => copy(req.sql, req.data));
      copies = run.catch(() => undefined);
      await run;
      return null;
    }
    case 'copyOut':
      return copyOut(req.sql);
    case 'exec':
      await pg.exec(req.sql);
      return null;
    case 'dump': {
      const blob = await pg.dumpDataDir('none');
      return new Uint8Array(await blob.arrayBuffer());
    }
    case 'close':
      await pg.close();
      return null;
  }
}

parentPort!.on('message', (req: WorkerRequest) => {
  handle(req).then(
    (result) => parentPort!.postMessage({ id: req.id, ok: true, result } satisfies WorkerResponse),
    (e) => parentPort!.postMessage({ id: req.id, ok: false, error: serializeError(e) } satisfies WorkerResponse),
  );
});

pg.waitReady.then(
  () => parentPort!.postMessage({ id: 0, ok: true, result: 'ready' } satisfies WorkerResponse),
  (e) => parentPort!.postMessage({ id: 0, ok: false, error: serializeError(e) } satisfies WorkerResponse),
);
