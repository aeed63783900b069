/**
 * The restore drill (issue 23 "Done means"), on the engine the tests run on: a small demo province and
 * a programme with donors, receipts, a refund, awards and issued cards (so ledger, cards and audit rows);
 * a backup (plain and encrypted); a restore elsewhere (an empty data directory, or a new PostgreSQL
 * database); every table's count and checksum and every ledger total equal. And the refusals: a target
 * that is not empty, a damaged, truncated or newer file, a wrong or missing passphrase, all before
 * anything is written.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorBody } from '../../http/plugins/errors';
import { engineName, system, testDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../test/db';
import { failure } from '../../test/helpers';
import { loadDemo } from '../register/demo.service';
import { handoverWorld } from '../programmes/handover/handover.fixture';
import { databaseFacts, factDifferences, type DatabaseFacts } from './database-facts.repository';
import { backupToFile, KNOWN_MIGRATIONS, lastBackup, recordBackup, restoreBackup, type RestoreTarget } from './backup.service';
import { readBackupHeader, verifyBackupFile } from './backup-file';
import { buildApp } from '../../http/app';
import { makeUser } from '../../test/db';

let t: TestDatabase;
let dir: string;
let before: DatabaseFacts;
const databases: string[] = [];
const conn = () => ({ databaseUrl: TEST_DATABASE_URL, schema: t.schema });
const NOW = new Date('2026-12-05T01:02:03Z');

/** A database on the same server, empty, for a restore (dropped at the end). */
async function newServerDatabase(): Promise<string> {
  const name = `restore_${randomBytes(5).toString('hex')}`;
  const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await client.connect();
  try {
    await client.query(`create database ${name}`);
  } finally {
    await client.end();
  }
  databases.push(name);
  const url = new URL(TEST_DATABASE_URL!);
  url.pathname = `/${name}`;
  return url.toString();
}

/** An empty place to restore into, on this engine (the same schema name as the source on the server). */
async function emptyTarget(): Promise<RestoreTarget> {
  if (TEST_DATABASE_URL) return { databaseUrl: await newServerDatabase(), schema: t.schema };
  return { dataDir: fs.mkdtempSync(path.join(dir, 'restore-')) };
}

async function factsOf(target: RestoreTarget): Promise<DatabaseFacts> {
  const { openDb } = await import('../../db/connect');
  const database = await openDb({ ...target, migrate: false });
  try {
    return await databaseFacts(database.db);
  } finally {
    await database.close();
  }
}

const message = (e: Awaited<ReturnType<typeof failure>>, lang: 'vi' | 'en' = 'en') =>
  errorBody(lang, e.code, e.params, e.fields).error.fields!.map((f) => `${f.path}: ${f.message}`).join('\n');

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-backup-'));
  t = await testDatabase();
  await loadDemo(t, system, { province: '15', persons: 300, seed: 3, today: '2025-12-01' });
  await handoverWorld(t.db, system, { issue: true });
  before = await databaseFacts(t.db);
}, 120_000);

afterAll(async () => {
  await t?.cleanup();
  if (TEST_DATABASE_URL && databases.length) {
    const client = new pg.Client({ connectionString: TEST_DATABASE_URL });
    await client.connect();
    for (const name of databases) await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(`restore drill (${engineName})`, () => {
  it('holds what the drill needs: persons, cards, a ledger and audit rows', () => {
    const rows = (table: string) => before.tables.find((x) => x.table === table)?.rows ?? 0;
    expect(rows('person')).toBeGreaterThan(300);
    expect(rows('card')).toBeGreaterThan(0);
    expect(rows('ledger_entry')).toBeGreaterThan(0);
    expect(rows('audit_log')).toBeGreaterThan(0);
    expect(before.ledger.length).toBeGreaterThan(0);
  });

  it('restores a backup elsewhere with every count, checksum and ledger total equal', async () => {
    const file = path.join(dir, 'plain.coverdesk');
    const made = await backupToFile(t, conn(), file, { now: NOW });
    expect(made.sizeBytes).toBe(fs.statSync(file).size);
    expect(fs.existsSync(`${file}.partial`)).toBe(false);
    const header = readBackupHeader(file).header;
    expect(header).toMatchObject({ engine: engineName, migration: before.migration, createdAt: NOW.toISOString() });
    expect(factDifferences(before, header.facts)).toEqual([]);

    const target = await emptyTarget();
    const restored = await restoreBackup(file, target);
    expect(factDifferences(before, restored.facts)).toEqual([]);
    // read again from a fresh connection, not from what the restore said
    expect(factDifferences(before, await factsOf(target))).toEqual([]);

    // the backup is noted after its snapshot: the admin page shows it, the file does not contain it
    await recordBackup(t, system, 'manual', made);
    expect(await lastBackup(t, system)).toMatchObject({ kind: 'manual', file, sizeBytes: made.sizeBytes, encrypted: false });
    expect(restored.facts.tables.find((x) => x.table === 'backup_record')!.rows).toBe(0);
    before = await databaseFacts(t.db);
  }, 120_000);

  it.runIf(TEST_DATABASE_URL)('restores a schema into a schema of another name in another database', async () => {
    const file = path.join(dir, 'renamed.coverdesk');
    await backupToFile(t, conn(), file, { now: NOW });
    const target = { databaseUrl: await newServerDatabase(), schema: 'coverdesk' };
    const restored = await restoreBackup(file, target);
    expect(restored.target).toMatch(/\/coverdesk$/);
    expect(factDifferences(before, await factsOf(target))).toEqual([]);
  }, 120_000);

  it.runIf(TEST_DATABASE_URL)('leaves no file when pg_dump fails, and says why', async () => {
    const bin = fs.mkdtempSync(path.join(dir, 'bin-'));
    fs.writeFileSync(path.join(bin, 'pg_dump'), '#!/bin/sh\nprintf PGDMP\necho "pg_dump: error: aborting because of server version mismatch" >&2\nexit 1\n', { mode: 0o755 });
    const file = path.join(dir, 'failed.coverdesk');
    const path0 = process.env.PATH;
    process.env.PATH = `${bin}:${path0}`;
    try {
      const e = await failure(backupToFile(t, conn(), file, { now: NOW }));
      expect(message(e)).toBe('pg_dump: pg_dump failed (exit 1): pg_dump: error: aborting because of server version mismatch');
    } finally {
      process.env.PATH = path0;
    }
    expect(fs.readdirSync(dir).filter((f) => f.startsWith('failed'))).toEqual([]);
  }, 60_000);

  it('encrypts with a passphrase and refuses a missing or wrong one before writing anything', async () => {
    const file = path.join(dir, 'secret.coverdesk');
    await backupToFile(t, conn(), file, { now: NOW, passphrase: 'ba con mèo trèo cây cau' });
    const bytes = fs.readFileSync(file);
    // the personal data is not readable in the file
    expect(bytes.includes(Buffer.from('Nguyễn Thị Hồng'))).toBe(false);
    const target = await emptyTarget();
    expect(message(await failure(restoreBackup(file, target)))).toMatch(/^file: .*encrypted.*passphrase/i);
    expect(message(await failure(restoreBackup(file, target, { passphrase: 'ba con mèo trèo cây' })))).toMatch(/^file: .*wrong passphrase/i);
    expect(await isEmpty(target)).toBe(true);
    const restored = await restoreBackup(file, target, { passphrase: 'ba con mèo trèo cây cau' });
    expect(factDifferences(before, restored.facts)).toEqual([]);
  }, 120_000);

  it('refuses a damaged, truncated or newer file, and a target that is not empty, naming it', async () => {
    const file = path.join(dir, 'good.coverdesk');
    await backupToFile(t, conn(), file, { now: NOW });
    const bytes = fs.readFileSync(file);
    const target = await emptyTarget();

    const damaged = path.join(dir, 'damaged.coverdesk');
    const flipped = Buffer.from(bytes);
    flipped[Math.floor(flipped.length * 0.6)]! ^= 0x40;
    fs.writeFileSync(damaged, flipped);
    expect(message(await failure(restoreBackup(damaged, target)))).toMatch(/^file: .*damaged or incomplete/);

    const truncated = path.join(dir, 'truncated.coverdesk');
    fs.writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length / 2)));
    expect(message(await failure(restoreBackup(truncated, target)))).toMatch(/^file: .*damaged or incomplete/);

    const other = path.join(dir, 'not-a-backup.txt');
    fs.writeFileSync(other, 'họ tên,ngày sinh\n');
    expect(message(await failure(restoreBackup(other, target)))).toMatch(/^file: .*not a coverdesk backup/);

    // a newer release: its last migration is one this code does not know (header rewritten, checksum made whole)
    const newer = path.join(dir, 'newer.coverdesk');
    fs.writeFileSync(newer, await rewriteHeader(file, (h) => ({ ...h, migration: '9999_from_the_future', facts: { ...h.facts, migration: '9999_from_the_future' } })));
    const e = message(await failure(restoreBackup(newer, target)));
    expect(e).toMatch(/^file: .*newer release/);
    expect(e).toContain('9999_from_the_future');
    expect(await isEmpty(target)).toBe(true);

    const into = await emptyTarget();
    await restoreBackup(file, into);
    const refused = message(await failure(restoreBackup(file, into)));
    expect(refused).toMatch(/^target: .*not empty/);
    expect(refused).toContain(TEST_DATABASE_URL ? `/${t.schema}` : path.join(into.dataDir!, 'db'));
    expect(factDifferences(before, await factsOf(into))).toEqual([]);
  }, 180_000);
});

async function isEmpty(target: RestoreTarget): Promise<boolean> {
  if (target.dataDir) return !fs.existsSync(path.join(target.dataDir, 'db')) || fs.readdirSync(path.join(target.dataDir, 'db')).length === 0;
  const client = new pg.Client({ connectionString: target.databaseUrl });
  await client.connect();
  try {
    const r = await client.query(`select count(*)::int as n from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname not in ('pg_catalog', 'information_schema', 'pg_toast')`);
    return r.rows[0].n === 0;
  } finally {
    await client.end();
  }
}

/** The file with its header changed and its trailing SHA-256 recomputed (what a newer release would write). */
async function rewriteHeader(file: string, change: (h: ReturnType<typeof readBackupHeader>['header']) => unknown): Promise<Buffer> {
  const { createHash } = await import('node:crypto');
  const opened = readBackupHeader(file);
  const bytes = fs.readFileSync(file);
  const header = Buffer.from(JSON.stringify(change(opened.header)));
  const magicEnd = opened.payloadStart - opened.headerBytes.length - 4;
  const length = Buffer.alloc(4);
  length.writeUInt32BE(header.length);
  const body = Buffer.concat([bytes.subarray(0, magicEnd), length, header, bytes.subarray(opened.payloadStart, bytes.length - 32)]);
  return Buffer.concat([body, createHash('sha256').update(body).digest()]);
}

describe(`backups over HTTP (${engineName})`, () => {
  it('sends a backup to an admin or to the local operator key, refuses everyone else, and shows the last one', async () => {
    const app = await buildApp({ database: t, webDist: false, operations: { connection: conn(), operatorKey: 'the-operator-key', backupDays: 3 } });
    await app.ready();
    try {
      const login = async (username: string, password: string) => {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
        return { cookie: `cd_session=${res.cookies[0]!.value}`, 'x-csrf-token': res.json().csrfToken as string };
      };
      const admin = await makeUser(t, 'admin', null);
      const viewer = await makeUser(t, 'viewer', '15');
      const asAdmin = await login(admin.username, admin.password);
      const asViewer = await login(viewer.username, viewer.password);
      const post = (headers: Record<string, string>, payload: object = {}) => app.inject({ method: 'POST', url: '/api/operations/backup', headers, payload });

      expect((await post({})).statusCode).toBe(401);
      expect((await post({ 'x-coverdesk-operator-key': 'a-guess' })).statusCode).toBe(401);
      expect((await post(asViewer)).statusCode).toBe(403);
      expect((await post({ cookie: asAdmin.cookie })).statusCode).toBe(403); // no CSRF token
      expect((await app.inject({ url: '/api/operations/backups/last', headers: asViewer })).statusCode).toBe(403);

      let current = await databaseFacts(t.db);
      for (const [who, headers] of [['admin', asAdmin], ['operator', { 'x-coverdesk-operator-key': 'the-operator-key' }]] as const) {
        const res = await post(headers, { file: `/backups/${who}.coverdesk` });
        expect(res.statusCode, who).toBe(200);
        expect(res.headers['content-type']).toBe('application/octet-stream');
        const file = path.join(dir, `http-${who}.coverdesk`);
        fs.writeFileSync(file, res.rawPayload);
        const opened = await verifyBackupFile(file, { knownMigrations: KNOWN_MIGRATIONS });
        expect(factDifferences(current, opened.header.facts), who).toEqual([]);
        await expect.poll(async () => (await lastBackup(t, system))?.file).toBe(`/backups/${who}.coverdesk`);
        // the next backup holds this one's row of backup_record
        current = await databaseFacts(t.db);
      }
      const last = await app.inject({ url: '/api/operations/backups/last', headers: asAdmin });
      expect(last.json()).toMatchObject({ backup: { kind: 'manual', file: '/backups/operator.coverdesk', createdBy: 'cli:operator', encrypted: false }, backupDays: 3 });
      // each backup is in the audit log: who made which file
      const audited = await t.db.selectFrom('auditLog').select(['actorName', 'after']).where('action', '=', 'backup').orderBy('at').execute();
      expect(audited.map((a) => [a.actorName, (a.after as { file: string }).file])).toEqual(
        expect.arrayContaining([['cli:operator', '/backups/operator.coverdesk']]),
      );
    } finally {
      await app.close();
    }
  }, 180_000);
});
