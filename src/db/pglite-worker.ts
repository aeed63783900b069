/**
 * The thread that owns the embedded database. PGlite runs PostgreSQL in WebAssembly on the thread that
 * calls it and blocks that thread while a query runs; owning it here keeps the HTTP server's event loop
 * free (see docs/decisions.md). The main thread talks to it through ./worker-dialect.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite } from '@electric-sql/pglite';
import { PGLITE_PARSERS } from './types';
import type { WorkerRequest, WorkerResponse } from './worker-protocol';

const { dataDir, loadFrom } = workerData as { dataDir?: string; loadFrom?: Uint8Array };

const pg = new PGlite({
  dataDir,
  parsers: PGLITE_PARSERS,
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

async function handle(req: WorkerRequest): Promise<unknown> {
  switch (req.type) {
    case 'query': {
      const r = await pg.query(req.sql, req.params, req.blob ? { blob: new Blob([req.blob as Uint8Array<ArrayBuffer>]) } : undefined);
      return { rows: r.rows, affectedRows: r.affectedRows ?? 0 };
    }
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
