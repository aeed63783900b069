/**
 * `bin/coverdesk backup` and `restore` as an operator runs them: through the running server while it
 * holds the embedded database (which keeps answering), directly otherwise; and every refusal with a
 * non-zero exit, a message naming the file or the target, and nothing written. On PostgreSQL (when
 * TEST_DATABASE_URL is set) the same against a schema of the test server.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from '../../config';
import { MIGRATED_DUMP } from '../../test/paths';
import { readLock } from '../../db/data-dir-lock';
import { dropSchema, openDb } from '../../db/connect';
import { TEST_DATABASE_URL } from '../../test/db';
import { readBackupHeader } from './backup-file';
import { databaseFacts, factDifferences } from './database-facts.repository';

const BIN = path.join(PROJECT_ROOT, 'bin', 'coverdesk');
let dir: string;

function run(args: string[], env: Record<string, string>, input?: string) {
  const r = spawnSync(BIN, args, { input, encoding: 'utf8', env: { ...process.env, DATABASE_URL: '', COVERDESK_LANG: 'en', ...env }, timeout: 180_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** A data directory holding the migrated embedded database the global setup made. */
function migratedDataDir(name: string): string {
  const dataDir = path.join(dir, name);
  fs.mkdirSync(path.join(dataDir, 'db'), { recursive: true });
  spawnSync('tar', ['-xf', MIGRATED_DUMP, '-C', path.join(dataDir, 'db'), '--strip-components=1']);
  return dataDir;
}

const embedded = (dataDir: string) => ({ COVERDESK_DATA_DIR: dataDir, COVERDESK_BACKUP_DIR: path.join(dataDir, 'backups') });

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-backup-cli-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('bin/coverdesk backup and restore (embedded database)', () => {
  let server: ChildProcess | undefined;
  afterAll(() => {
    server?.kill('SIGTERM');
  });

  it('backs up through the running server, which keeps answering, and the file restores into an empty data directory', async () => {
    const dataDir = migratedDataDir('served');
    server = spawn(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'server.ts')], {
      cwd: PROJECT_ROOT,
      env: { ...process.env, ...embedded(dataDir), DATABASE_URL: '', PORT: '0', HOST: '127.0.0.1', COVERDESK_DEMO: '0' },
      stdio: 'ignore',
    });
    let port: number | undefined;
    while (!port) {
      if (server.exitCode !== null) throw new Error(`the server stopped (${server.exitCode})`);
      await new Promise((r) => setTimeout(r, 250));
      port = readLock(dataDir)?.port;
    }
    const file = path.join(dir, 'served.coverdesk');
    const passphraseFile = path.join(dir, 'passphrase.txt');
    fs.writeFileSync(passphraseFile, 'một cụm mật khẩu dài\n');
    const r = run(['backup', '--out', file, '--passphrase-file', passphraseFile, '--json'], embedded(dataDir));
    expect(r.stderr).toContain('The server (pid');
    expect(r.code).toBe(0);
    const made = JSON.parse(r.stdout) as { file: string; sizeBytes: number; encrypted: boolean };
    expect(made).toMatchObject({ file, encrypted: true, sizeBytes: fs.statSync(file).size });
    expect(readBackupHeader(file).header.encryption?.cipher).toBe('aes-256-gcm');

    // the server still answers and still holds its data directory; it noted the backup
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    expect(readLock(dataDir)?.role).toBe('server');

    // without the passphrase: refused, nothing written
    const target = path.join(dir, 'restored');
    const refused = run(['restore', file], { COVERDESK_DATA_DIR: target });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/file: The backup .*served\.coverdesk is encrypted/);
    expect(fs.existsSync(path.join(target, 'db'))).toBe(false);

    const restored = run(['restore', file, '--passphrase-stdin'], { COVERDESK_DATA_DIR: target }, 'một cụm mật khẩu dài\n');
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toContain(`Restored ${file} into ${path.join(target, 'db')}`);

    // into the directory the server holds: refused, naming the server
    const busy = run(['restore', file, '--passphrase-file', passphraseFile], embedded(dataDir));
    expect(busy.code).toBe(3);
    expect(busy.stderr).toContain(`http://localhost:${port}`);
  }, 600_000);

  it('refuses a non-empty data directory, a damaged or truncated file, a wrong passphrase and what is not a backup, writing nothing', () => {
    const dataDir = migratedDataDir('plain');
    const file = path.join(dir, 'plain.coverdesk');
    const made = run(['backup', '--out', file], embedded(dataDir));
    expect(made.stderr).toBe('');
    expect(made.stdout).toContain(`Backup written: ${file}`);

    const notEmpty = run(['restore', file], embedded(dataDir));
    expect(notEmpty.code).toBe(2);
    expect(notEmpty.stderr).toContain(`The data directory ${path.join(dataDir, 'db')} is not empty`);

    const bytes = fs.readFileSync(file);
    const damaged = path.join(dir, 'damaged.coverdesk');
    const changed = Buffer.from(bytes);
    changed[changed.length - 100]! ^= 1;
    fs.writeFileSync(damaged, changed);
    const truncated = path.join(dir, 'truncated.coverdesk');
    fs.writeFileSync(truncated, bytes.subarray(0, bytes.length - 1000));
    const empty = path.join(dir, 'empty');
    for (const f of [damaged, truncated]) {
      const r = run(['restore', f], { COVERDESK_DATA_DIR: empty });
      expect(r.code, f).toBe(2);
      expect(r.stderr).toContain(`The backup ${f} is damaged or incomplete`);
    }
    const csv = path.join(dir, 'register.csv');
    fs.writeFileSync(csv, 'ho_ten,ngay_sinh\n');
    const notBackup = run(['restore', csv], { COVERDESK_DATA_DIR: empty });
    expect(notBackup.code).toBe(2);
    expect(notBackup.stderr).toContain(`${csv} is not a coverdesk backup`);

    const secret = path.join(dir, 'secret.coverdesk');
    expect(run(['backup', '--out', secret, '--passphrase-stdin'], embedded(dataDir), 'đúng mật khẩu\n').code).toBe(0);
    const wrong = run(['restore', secret, '--passphrase-stdin'], { COVERDESK_DATA_DIR: empty }, 'sai mật khẩu\n');
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toContain(`Wrong passphrase for the backup ${secret}`);
    expect(fs.existsSync(path.join(empty, 'db'))).toBe(false);
  }, 600_000);
});

describe.runIf(TEST_DATABASE_URL)('bin/coverdesk backup and restore (PostgreSQL)', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  afterAll(async () => {
    await dropSchema(TEST_DATABASE_URL!, schema);
  });

  it('backs up a schema with pg_dump, and refuses to restore into it while it holds tables, naming it', async () => {
    const env = { DATABASE_URL: TEST_DATABASE_URL!, COVERDESK_DB_SCHEMA: schema, COVERDESK_DATA_DIR: path.join(dir, 'pg') };
    const database = await openDb({ databaseUrl: TEST_DATABASE_URL, schema });
    const before = await databaseFacts(database.db);
    await database.close();
    const file = path.join(dir, 'pg.coverdesk');
    const made = run(['backup', '--out', file], env);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const header = readBackupHeader(file).header;
    expect(header).toMatchObject({ engine: 'postgres', payload: 'pg_dump-custom', schema });
    expect(factDifferences(before, header.facts)).toEqual([]);

    const refused = run(['restore', file], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(new RegExp(`The database \\w+/${schema} is not empty \\(tables `));

    const embeddedTarget = run(['restore', file], { COVERDESK_DATA_DIR: path.join(dir, 'not-pg') });
    expect(embeddedTarget.code).toBe(2);
    expect(embeddedTarget.stderr).toContain('is a backup of a PostgreSQL database');
  }, 600_000);
});
