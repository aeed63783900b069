/**
 * A Kysely dialect whose queries run in the worker thread that owns PGlite. PGlite has one connection,
 * so the driver hands it to one user at a time (a transaction holds it from BEGIN to COMMIT).
 */
import { Worker, type Transferable } from 'node:worker_threads';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { DbErrorInfo, WorkerRequest, WorkerResponse } from './worker-protocol';

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };
type Distribute<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A PostgreSQL error raised in the worker, with its SQLSTATE code and constraint. */
export class DbError extends Error {
  code?: string;
  detail?: string;
  constraint?: string;
  constructor(info: DbErrorInfo) {
    super(info.message);
    this.name = 'DbError';
    Object.assign(this, info);
  }
}

/** Serialises access to the single embedded connection. */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  lock(): Promise<() => void> {
    let release!: () => void;
    const next = new Promise<void>((r) => (release = r));
    const acquired = this.tail.then(() => release);
    this.tail = this.tail.then(() => next);
    return acquired;
  }
}

export class PgliteWorker {
  private worker: Worker;
  private mutex = new Mutex();
  /** PGlite has one connection: whoever talks to it (a query, a transaction, a COPY) holds this first. */
  readonly lock = () => this.mutex.lock();
  private nextId = 1;
  private pending = new Map<number, Pending>();
  readonly ready: Promise<void>;
  /** Milliseconds the database thread has been busy (not waiting for a request) since it started. */
  readonly busyMs = () => this.worker.performance.eventLoopUtilization().active;

  constructor(options: { dataDir?: string; loadFrom?: Uint8Array; cacheSize?: string }) {
    this.worker = new Worker(new URL('./worker-boot.mjs', import.meta.url), {
      workerData: options,
      // the worker must not inherit a test runner's loader flags: it registers tsx itself
      execArgv: [],
    });
    let readyResolve!: () => void;
    let readyReject!: (e: unknown) => void;
    this.ready = new Promise((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    this.pending.set(0, { resolve: () => readyResolve(), reject: readyReject });
    this.worker.on('message', (msg: WorkerResponse) => {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.result);
      else p.reject(new DbError(msg.error));
    });
    this.worker.on('error', (e) => {
      for (const p of this.pending.values()) p.reject(e);
      this.pending.clear();
    });
  }

  request<T>(req: Distribute<WorkerRequest>, transfer: readonly Transferable[] = []): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.worker.postMessage({ ...req, id }, transfer);
    });
  }

  query<R = Record<string, unknown>>(sql: string, params: unknown[] = []) {
    return this.request<{ rows: R[]; affectedRows: number }>({ type: 'query', sql, params });
  }

  /**
   * A COPY of `data` (`sql` reads it from COPY_FILE). Large data moves to the worker with its buffer
   * instead of being copied, so the caller must not use it afterwards. (Node's shared pool serves only
   * Buffers under half its size: a view this large owns its buffer.)
   */
  copy(sql: string, data: Uint8Array): Promise<void> {
    return this.request({ type: 'copy', sql, data }, data.byteLength >= Buffer.poolSize ? [data.buffer as ArrayBuffer] : []);
  }

  /** The bytes a COPY ... TO COPY_OUT_FILE writes (`sql`). */
  copyOut(sql: string): Promise<Uint8Array> {
    return this.request<Uint8Array>({ type: 'copyOut', sql });
  }

  async close(): Promise<void> {
    try {
      await this.request({ type: 'close' });
    } finally {
      await this.worker.terminate();
    }
  }
}

class WorkerConnection implements DatabaseConnection {
  constructor(private readonly pg: PgliteWorker) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const r = await this.pg.query<R>(compiled.sql, compiled.parameters as unknown[]);
    const isWrite = /^\s*(insert|update|delete|merge)/i.test(compiled.sql);
    return { rows: r.rows, numAffectedRows: isWrite ? BigInt(r.affectedRows) : undefined };
  }

  async *streamQuery<R>(compiled: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    yield await this.executeQuery<R>(compiled);
  }
}

class WorkerDriver implements Driver {
  private releases = new WeakMap<DatabaseConnection, () => void>();
  private connection: WorkerConnection;

  /** `pinned`: the caller already holds the worker's lock for a whole session (see Database.session). */
  constructor(
    private readonly pg: PgliteWorker,
    private readonly pinned = false,
  ) {
    this.connection = new WorkerConnection(pg);
  }

  async init(): Promise<void> {
    await this.pg.ready;
  }
  async acquireConnection(): Promise<DatabaseConnection> {
    const release = this.pinned ? () => undefined : await this.pg.lock();
    this.releases.set(this.connection, release);
    return this.connection;
  }
  async beginTransaction(conn: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const iso = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await conn.executeQuery(CompiledQuery.raw(`begin${iso}`));
  }
  async commitTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('commit'));
  }
  async rollbackTransaction(conn: DatabaseConnection): Promise<void> {
    await conn.executeQuery(CompiledQuery.raw('rollback'));
  }
  async releaseConnection(conn: DatabaseConnection): Promise<void> {
    const release = this.releases.get(conn);
    this.releases.delete(conn);
    release?.();
  }
  async destroy(): Promise<void> {
    if (!this.pinned) await this.pg.close();
  }
}

export class PgliteWorkerDialect implements Dialect {
  constructor(
    private readonly pg: PgliteWorker,
    private readonly pinned = false,
  ) {}
  createAdapter() {
    return new PostgresAdapter();
  }
  createDriver() {
    return new WorkerDriver(this.pg, this.pinned);
  }
  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
  createIntrospector(db: Kysely<any>) {
    return new PostgresIntrospector(db);
  }
}
