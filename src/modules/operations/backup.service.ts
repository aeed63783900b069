/**
 * Backups and restores on both engines (issue 23 items 1 and 2). A backup is one consistent snapshot:
 * its databaseFacts and its payload are read in the same snapshot (the embedded database: under the
 * worker's lock, after a CHECKPOINT; the server: pg_dump given the snapshot of the transaction that read
 * the facts), so a restore proves itself by comparing the restored database's facts with the header's.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createGunzip, createGzip } from 'node:zlib';
import { Readable, type Writable } from 'node:stream';
import { openDb, type Database, type OpenDbOptions } from '../../db/connect';
import { migrations } from '../../db/migrations/index';
import { readLock, DataDirInUseError } from '../../db/data-dir-lock';
import type { BackupKind } from '../../db/schema';
import { requirePermission, type Actor } from '../../domain/access';
import { AppError } from '../../errors';
import { PROJECT_ROOT } from '../../config';
import { databaseFacts, factDifferences, factsInTransaction, type DatabaseFacts } from './database-facts.repository';
import { readBackupHeader, verifyBackupFile, payloadStream, writeBackup, writeBackupFile, type BackupHeader, type PayloadKind } from './backup-file';
import { pgConnectionArgs, runPgTool } from './pg-tools';
import * as repo from './backup.repository';
import { audit } from '../audit/audit.service';

export const APP_VERSION: string = (JSON.parse(fs.readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as { version: string }).version;
export const KNOWN_MIGRATIONS: readonly string[] = Object.keys(migrations).sort();

/** How to reach the PostgreSQL server for its tools (the embedded database needs nothing). */
export interface ServerConnection {
  databaseUrl?: string;
  schema?: string;
}

export interface Snapshot {
  facts: DatabaseFacts;
  payload: AsyncIterable<Buffer | Uint8Array>;
  kind: PayloadKind;
  schema: string | null;
}

/**
 * Reads one consistent snapshot and hands it to `consume` (which must read the whole payload before it
 * returns). The embedded database's tarball is made in memory (the whole data directory, once) and
 * compressed on the way out; the server's dump streams from pg_dump.
 */
export async function withSnapshot<T>(database: Database, conn: ServerConnection, consume: (s: Snapshot) => Promise<T>): Promise<T> {
  if (database.engine === 'pglite') {
    const { facts, tar } = await database.session(async ({ db }) => {
      const facts = await db.transaction().setIsolationLevel('repeatable read').execute(factsInTransaction);
      // nothing else runs while the session holds the worker: the files are those of this snapshot
      await repo.checkpoint(db);
      return { facts, tar: await database.dump() };
    });
    const gzip = createGzip({ level: 6 });
    Readable.from([Buffer.from(tar.buffer, tar.byteOffset, tar.byteLength)]).pipe(gzip);
    return consume({ facts, payload: gzip, kind: 'pglite-datadir.tar.gz', schema: null });
  }
  if (!conn.databaseUrl) throw new Error('the PostgreSQL backup needs the database URL');
  return database.db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute(async (trx) => {
      const snapshotId = await repo.exportSnapshot(trx);
      const facts = await factsInTransaction(trx);
      const schema = conn.schema ?? (await repo.currentSchemaAndDatabase(trx)).schema ?? 'public';
      const { args, env } = pgConnectionArgs(conn.databaseUrl!);
      const dump = runPgTool('pg_dump', ['--format=custom', '--no-owner', '--no-privileges', `--schema="${schema}"`, `--snapshot=${snapshotId}`, ...args], env, { stdout: true });
      // (awaited by the payload; this only keeps an early failure from being an unhandled rejection)
      dump.done.catch(() => undefined);
      try {
        return await consume({ facts, payload: untilDone(dump.child.stdout!, dump.done), kind: 'pg_dump-custom', schema });
      } catch (e) {
        if (dump.child.exitCode === null) dump.child.kill();
        throw e;
      }
    });
}

/**
 * pg_dump's output, then its exit: a pg_dump that fails (missing, older than the server, refused) fails the
 * payload before the file is complete, so no backup file that looks whole is left.
 */
async function* untilDone(stdout: AsyncIterable<Buffer>, done: Promise<void>): AsyncIterable<Buffer> {
  for await (const chunk of stdout) yield chunk;
  await done;
}

function headerOf(database: Database, s: Snapshot, now: Date): Omit<BackupHeader, 'format' | 'encryption'> {
  return { app: APP_VERSION, engine: database.engine, payload: s.kind, schema: s.schema, migration: s.facts.migration, createdAt: now.toISOString(), facts: s.facts };
}

export interface BackupMade {
  file: string;
  sizeBytes: number;
  encrypted: boolean;
  migration: string | null;
  createdAt: Date;
}

/** Writes a backup file (through `<file>.partial`, renamed when whole); does not record it. */
export async function backupToFile(database: Database, conn: ServerConnection, file: string, options: { passphrase?: string; now: Date }): Promise<BackupMade> {
  return withSnapshot(database, conn, async (s) => {
    const sizeBytes = await writeBackupFile(file, headerOf(database, s, options.now), s.payload, options.passphrase);
    return { file, sizeBytes, encrypted: !!options.passphrase, migration: s.facts.migration, createdAt: options.now };
  });
}

/** Writes a backup to a stream (the server sends it to `bin/coverdesk backup`); returns what it wrote. */
export async function backupToStream(database: Database, conn: ServerConnection, sink: Writable, options: { passphrase?: string; now: Date }): Promise<Omit<BackupMade, 'file'>> {
  return withSnapshot(database, conn, async (s) => {
    const sizeBytes = await writeBackup(sink, headerOf(database, s, options.now), s.payload, options.passphrase);
    return { sizeBytes, encrypted: !!options.passphrase, migration: s.facts.migration, createdAt: options.now };
  });
}

/** Notes a backup made in the database (shown on the admin page), and in the audit log: who made which file, of what. */
export async function recordBackup(database: Database, actor: Actor, kind: BackupKind, made: BackupMade): Promise<void> {
  await database.db.transaction().execute(async (trx) => {
    const id = await repo.insertBackupRecord(trx, {
      kind,
      file: made.file,
      sizeBytes: made.sizeBytes,
      encrypted: made.encrypted,
      migration: made.migration,
      createdBy: actor.username,
      createdAt: made.createdAt,
    });
    await audit(trx, actor, {
      action: 'backup',
      entity: 'database',
      entityId: id,
      after: { kind, file: made.file, sizeBytes: made.sizeBytes, encrypted: made.encrypted, migration: made.migration },
    });
  });
}

/** The last backup made (admins): when, how large, which file, of which kind. */
export async function lastBackup(database: Database, actor: Actor) {
  requirePermission(actor, 'operations:backup');
  const r = await repo.lastBackupRecord(database.db);
  return r && { kind: r.kind, file: r.file, sizeBytes: r.sizeBytes, encrypted: r.encrypted, migration: r.migration, createdBy: r.createdBy, createdAt: r.createdAt };
}

function refused(key: string, params: Record<string, unknown>, where = 'target'): AppError {
  return new AppError('validation', {}, [{ path: where, key, params: { ns: 'operations', ...params } }]);
}

/** Where a restore goes: the embedded database's folder, or a PostgreSQL database (and schema). */
export interface RestoreTarget {
  dataDir?: string;
  databaseUrl?: string;
  schema?: string;
}

export interface Restored {
  header: BackupHeader;
  facts: DatabaseFacts;
  /** Where it went, in words ("/srv/coverdesk/data/db", "database coverdesk, schema public"). */
  target: string;
}

/** Opens a database as it is (no migration), reads its facts and closes it. */
async function factsAfterOpening(options: Omit<OpenDbOptions, 'migrate'>): Promise<DatabaseFacts> {
  const database = await openDb({ ...options, migrate: false });
  try {
    return await databaseFacts(database.db);
  } finally {
    await database.close();
  }
}

async function readAll(stream: AsyncIterable<Buffer | Uint8Array>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const chunk of stream) parts.push(Buffer.from(chunk));
  return Buffer.concat(parts);
}

/**
 * Restores a backup file into an empty embedded data directory or an empty PostgreSQL database/schema.
 * Everything that can be checked is checked before anything is written (the file's checksum, its
 * release, its passphrase and GCM tag, the target's emptiness); afterwards the restored database's facts
 * must equal those in the file's header.
 */
export async function restoreBackup(file: string, target: RestoreTarget, options: { passphrase?: string } = {}): Promise<Restored> {
  const header = readBackupHeader(file).header;
  if (header.engine === 'pglite' && target.databaseUrl) throw refused('restore_engine_mismatch_embedded', { file }, 'file');
  if (header.engine === 'postgres' && !target.databaseUrl) throw refused('restore_engine_mismatch_server', { file }, 'file');
  return target.databaseUrl ? restorePostgres(file, target.databaseUrl, target.schema, options) : restorePglite(file, target.dataDir, options);
}

function verified(file: string, passphrase?: string) {
  return verifyBackupFile(file, { passphrase, knownMigrations: KNOWN_MIGRATIONS });
}

async function restorePglite(file: string, dataDir: string | undefined, options: { passphrase?: string }): Promise<Restored> {
  if (!dataDir) throw new Error('the embedded restore needs a data directory');
  const owner = readLock(dataDir);
  if (owner) throw new DataDirInUseError(dataDir, owner);
  const dbDir = path.join(dataDir, 'db');
  const present = fs.existsSync(dbDir) ? fs.readdirSync(dbDir) : [];
  if (present.length > 0) throw refused('restore_not_empty_dir', { target: dbDir });
  const opened = await verified(file, options.passphrase);
  const tar = await readAll(payloadStream(opened).pipe(createGunzip()));
  const facts = await factsAfterOpening({ dataDir, loadFrom: new Uint8Array(tar.buffer, tar.byteOffset, tar.byteLength), role: 'cli' });
  const differences = factDifferences(opened.header.facts, facts);
  if (differences.length) {
    fs.rmSync(dbDir, { recursive: true, force: true });
    throw refused('restore_facts_differ', { target: dbDir, differences: differences.slice(0, 10).join('; ') }, 'file');
  }
  return { header: opened.header, facts, target: dbDir };
}

async function restorePostgres(file: string, databaseUrl: string, schema: string | undefined, options: { passphrase?: string }): Promise<Restored> {
  const admin = await openDb({ databaseUrl, migrate: false });
  let targetSchema: string;
  let where: string;
  const header = readBackupHeader(file).header;
  const sourceSchema = header.schema ?? 'public';
  try {
    const current = await repo.currentSchemaAndDatabase(admin.db);
    targetSchema = schema ?? current.schema ?? 'public';
    where = `${current.database}/${targetSchema}`;
    const present = await repo.relationsIn(admin.db, targetSchema);
    if (present.length) throw refused('restore_not_empty_database', { target: where, tables: present.join(', ') });
    if (sourceSchema !== targetSchema && (await repo.relationsIn(admin.db, sourceSchema)).length)
      throw refused('restore_schema_in_use', { target: `${current.database}/${sourceSchema}`, schema: sourceSchema });
  } finally {
    await admin.close();
  }
  const opened = await verified(file, options.passphrase);
  const { args, env } = pgConnectionArgs(databaseUrl);
  // one transaction: a restore that fails half way leaves the target as empty as it was. --clean drops
  // the empty schema the dump then creates (DROP SCHEMA without CASCADE: it cannot drop anything else).
  const restore = runPgTool('pg_restore', ['--no-owner', '--no-privileges', '--single-transaction', '--exit-on-error', '--clean', '--if-exists', ...args], env, { stdin: true });
  const payload = payloadStream(opened);
  payload.on('error', (e) => restore.child.stdin!.destroy(e));
  payload.pipe(restore.child.stdin!);
  await restore.done;
  const after = await openDb({ databaseUrl, migrate: false });
  try {
    if (sourceSchema !== targetSchema) {
      await repo.dropEmptySchema(after.db, targetSchema);
      await repo.renameSchema(after.db, sourceSchema, targetSchema);
    }
  } finally {
    await after.close();
  }
  const facts = await factsAfterOpening({ databaseUrl, schema: targetSchema });
  const differences = factDifferences(opened.header.facts, facts);
  if (differences.length) throw refused('restore_facts_differ', { target: where, differences: differences.slice(0, 10).join('; ') }, 'file');
  return { header: opened.header, facts, target: where };
}
