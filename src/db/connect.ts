/**
 * openDb: the one way to reach the database. PGlite (embedded, in a worker thread) by default, a
 * PostgreSQL server when a postgres:// URL is given. Both return the same Kysely<DB> and the same types.
 */
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { CamelCasePlugin, Kysely, Migrator, PostgresDialect, sql } from 'kysely';
import type { DB } from './schema';
import { migrations } from './migrations/index';
import { configurePgTypes } from './types';
import { PgliteWorker, PgliteWorkerDialect } from './worker-dialect';
import { acquireLock, type LockInfo } from './data-dir-lock';
import { Replica, type ReplicaOptions } from './replica';
import { PGLITE_REPLICA_REFUSED } from '../config';
import { copyIntoPglite, copyIntoPostgres, copyOutOfPglite, copyOutOfPostgres, createBulkLoader, csvBytes, type BulkLoader } from './bulk';

/**
 * snake_case columns as camelCase properties. Keys inside json/jsonb values stay as stored: they are
 * data (priority tags such as 'near_poor', group codes), not column names.
 */
const camelCase = () => new CamelCasePlugin({ maintainNestedObjectKeys: true });

export type Engine = 'pglite' | 'postgres';

export interface OpenDbOptions {
  /** postgres://... ; when absent the embedded database is used. */
  databaseUrl?: string;
  /** Folder for the embedded database (its files go in `<dataDir>/db`); omit for an in-memory one. */
  dataDir?: string;
  /** PostgreSQL only: work inside this schema (created if missing); used by tests. */
  schema?: string;
  /** Embedded only: start from a saved data directory (a dumpDataDir tarball). */
  loadFrom?: Uint8Array;
  /** Embedded only: the database's page cache (PostgreSQL's shared_buffers, e.g. '1GB'; PGlite's default 128MB when absent). */
  cacheSize?: string;
  /** Who holds the embedded data directory (written to its lock file). */
  role?: LockInfo['role'];
  /**
   * PostgreSQL only: a streaming standby that answers `reads` (DATABASE_REPLICA_URL). Refused on the
   * embedded database, which has no replica.
   */
  replica?: Omit<ReplicaOptions, 'schema'>;
  /** Run the migrations now (default true). */
  migrate?: boolean;
  /**
   * Called before migrations run on a database that has run some before (one with data): the edge makes
   * a backup here (src/modules/operations/upgrade-backup.ts). Not called on a new database or when
   * nothing is pending; when it throws, no migration runs.
   */
  beforeMigrate?: (database: Database, pending: string[]) => Promise<void>;
}

/**
 * One connection held for a whole unit of work that mixes COPY and SQL (an import): temp tables and the
 * transaction live on it. On the embedded database nothing else runs meanwhile.
 */
export interface Session {
  db: Kysely<DB>;
  copyCsv: BulkLoader['copyCsv'];
  copyBinary: BulkLoader['copyBinary'];
  /** The rows of a select (`query`, the caller's own SQL) in COPY's binary format. */
  copyOut(query: string): Promise<Uint8Array>;
}

export interface Database {
  /** The primary: every write, and every read that is not one of the read-only views. */
  db: Kysely<DB>;
  /**
   * The read-only views (dashboards, public pages, exports, lists) of `reader` (a user or an address):
   * the read replica when one is set, answers, is not lagging, and has replayed that reader's last write
   * (see `wrote`); otherwise the primary (`db`). Without a replica, always `db`. Never write through it.
   */
  reads(reader?: string): Kysely<DB>;
  /** After `writer` changed something: its reads stay on the primary until the replica has replayed the change. */
  wrote(writer: string): Promise<void>;
  /** The read replica, when DATABASE_REPLICA_URL is set (its state for /api/health). */
  replica?: Replica;
  engine: Engine;
  bulk: BulkLoader;
  session<T>(fn: (session: Session) => Promise<T>): Promise<T>;
  /** Embedded only: a tarball of the whole data directory, for fast test set-up. */
  dump(): Promise<Uint8Array>;
  /** Embedded only: milliseconds the database thread has been busy since it started (benchmarks). */
  busyMs?(): number;
  /** Tell the lock file which port the server listens on. */
  announcePort(port: number): void;
  close(): Promise<void>;
}

export async function openDb(options: OpenDbOptions = {}): Promise<Database> {
  const db = options.databaseUrl ? await openPostgres(options) : await openPglite(options);
  if (options.migrate !== false) {
    try {
      if (options.beforeMigrate) {
        const applied = await appliedMigrations(db.db);
        const pending = Object.keys(migrations).filter((m) => !applied.has(m)).sort();
        if (applied.size > 0 && pending.length > 0) await options.beforeMigrate(db, pending);
      }
      await migrateToLatest(db.db, options.schema);
    } catch (e) {
      await db.close();
      throw e;
    }
  }
  return db;
}

/** The bytes the embedded database holds on disk in `<dataDir>/db` (0 when there is none yet). */
export function embeddedDatabaseBytes(dataDir: string): number {
  const dir = path.join(dataDir, 'db');
  if (!fs.existsSync(dir)) return 0;
  let total = 0;
  for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile()) total += fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).size;
  }
  return total;
}

async function openPglite(options: OpenDbOptions): Promise<Database> {
  if (options.replica) throw new Error(PGLITE_REPLICA_REFUSED);
  let lock: ReturnType<typeof acquireLock> | undefined;
  let dbDir: string | undefined;
  if (options.dataDir) {
    lock = acquireLock(options.dataDir, { pid: process.pid, role: options.role ?? 'cli' });
    dbDir = path.join(options.dataDir, 'db');
    fs.mkdirSync(dbDir, { recursive: true });
  }
  const worker = new PgliteWorker({ dataDir: dbDir, loadFrom: options.loadFrom, cacheSize: options.cacheSize });
  try {
    await worker.ready;
  } catch (e) {
    lock?.release();
    await worker.close().catch(() => undefined);
    throw e;
  }
  const db = new Kysely<DB>({ dialect: new PgliteWorkerDialect(worker), plugins: [camelCase()] });
  return {
    db,
    reads: () => db,
    wrote: async () => undefined,
    engine: 'pglite',
    bulk: createBulkLoader({ engine: 'pglite', worker }),
    busyMs: worker.busyMs,
    session: async (fn) => {
      const release = await worker.lock();
      const pinned = new Kysely<DB>({ dialect: new PgliteWorkerDialect(worker, true), plugins: [camelCase()] });
      try {
        return await fn({
          db: pinned,
          copyCsv: (table, columns, csv) => copyIntoPglite(worker, table, columns, csvBytes(csv), 'csv'),
          copyBinary: (table, columns, rows, options) => copyIntoPglite(worker, table, columns, rows, 'binary', options),
          copyOut: (query) => copyOutOfPglite(worker, query),
        });
      } finally {
        release();
      }
    },
    dump: () => worker.request<Uint8Array>({ type: 'dump' }),
    announcePort: (port) => lock?.update({ role: 'server', port }),
    close: async () => {
      try {
        await db.destroy();
      } finally {
        lock?.release();
      }
    },
  };
}

async function openPostgres(options: OpenDbOptions): Promise<Database> {
  configurePgTypes();
  const schema = options.schema;
  if (schema && !/^[a-z_][a-z0-9_]*$/.test(schema)) throw new Error(`invalid schema name ${schema}`);
  if (schema) {
    const admin = new pg.Client({ connectionString: options.databaseUrl });
    await admin.connect();
    try {
      await admin.query(`create schema if not exists ${schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: options.databaseUrl,
    max: 10,
    options: schema ? `-c search_path=${schema}` : undefined,
  });
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }), plugins: [camelCase()] });
  const replica = options.replica ? new Replica(pool, { ...options.replica, schema }) : undefined;
  const replicaDb = replica && new Kysely<DB>({ dialect: new PostgresDialect({ pool: replica.pool }), plugins: [camelCase()] });
  if (replica) await replica.check().catch(() => undefined);
  return {
    db,
    reads: replica && replicaDb ? (reader) => (replica.readerFor(reader) === 'replica' ? replicaDb : db) : () => db,
    wrote: replica ? (writer) => replica.wrote(writer) : async () => undefined,
    replica,
    engine: 'postgres',
    bulk: createBulkLoader({ engine: 'postgres', pool }),
    session: async (fn) => {
      const client = await pool.connect();
      // Kysely releases the connection after each query: keep it until the session ends
      const release = client.release.bind(client);
      client.release = () => undefined;
      const single = { connect: async () => client, end: async () => undefined };
      const pinned = new Kysely<DB>({ dialect: new PostgresDialect({ pool: single as unknown as pg.Pool }), plugins: [camelCase()] });
      try {
        return await fn({
          db: pinned,
          copyCsv: (table, columns, csv) => copyIntoPostgres(client, table, columns, csv, 'csv'),
          copyBinary: (table, columns, rows, options) => copyIntoPostgres(client, table, columns, rows, 'binary', options),
          copyOut: (query) => copyOutOfPostgres(client, query),
        });
      } finally {
        client.release = release;
        release();
      }
    },
    dump: () => Promise.reject(new Error('dump is only for the embedded database')),
    announcePort: () => undefined,
    close: async () => {
      try {
        await replicaDb?.destroy();
        await replica?.close();
      } finally {
        await db.destroy();
      }
    },
  };
}

/** The migrations this database has run (none on a new one). */
export async function appliedMigrations(db: Kysely<any>): Promise<Set<string>> {
  const { rows } = await sql<{ n: number }>`
    select count(*)::int as n from information_schema.tables where table_schema = current_schema() and table_name = 'kysely_migration'`.execute(db);
  if (rows[0]!.n === 0) return new Set();
  return new Set((await sql<{ name: string }>`select name from kysely_migration`.execute(db)).rows.map((r) => r.name));
}

/**
 * Runs the migrations not yet run. `inTransaction`: the caller has begun a transaction on `db` (a session's
 * one connection) and the migrations become part of it instead of committing on their own.
 */
export async function migrateToLatest(db: Kysely<any>, schema?: string, options: { inTransaction?: boolean } = {}): Promise<string[]> {
  const migrator = new Migrator({
    db,
    provider: { getMigrations: async () => migrations },
    migrationTableSchema: schema,
    disableTransactions: options.inTransaction,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) throw error;
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/** Drops a test schema on PostgreSQL. */
export async function dropSchema(databaseUrl: string, schema: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query(`drop schema if exists ${schema} cascade`);
  } finally {
    await admin.end();
  }
}

/** The names of the code's migrations, in the order they run. */
export const migrationNames = (): string[] => Object.keys(migrations).sort();

export { sql };
