import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from '../../config';
import { MIGRATED_DUMP } from '../../test/paths';
import { engineName, testDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../test/db';
import { CANONICAL_COLUMNS } from '../../domain/register-row';
import { openDb } from '../../db/connect';

const BIN = path.join(PROJECT_ROOT, 'bin', 'coverdesk');
const ROWS = 30_000;
let dir: string;
let t: TestDatabase | undefined;
let env: NodeJS.ProcessEnv;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-kill-'));
  const lines = [CANONICAL_COLUMNS.join(',')];
  for (let i = 0; i < ROWS; i++) lines.push(`K${Math.floor(i / 4)},02905,Thôn ${i % 9},,,Lò Văn ${i},,01/01/${1950 + (i % 60)},nam,,,Thái,,GD,GD,01/01/2025,31/12/2025`);
  fs.writeFileSync(path.join(dir, 'list.csv'), lines.join('\n'));
  if (TEST_DATABASE_URL) {
    t = await testDatabase();
    env = { ...process.env, DATABASE_URL: TEST_DATABASE_URL, COVERDESK_DB_SCHEMA: t.schema, COVERDESK_DEBUG_IMPORT: '1' };
  } else {
    fs.mkdirSync(path.join(dir, 'data', 'db'), { recursive: true });
    spawnSync('tar', ['-xf', MIGRATED_DUMP, '-C', path.join(dir, 'data', 'db'), '--strip-components=1']);
    env = { ...process.env, DATABASE_URL: '', COVERDESK_DATA_DIR: path.join(dir, 'data'), COVERDESK_DEBUG_IMPORT: '1' };
  }
});
afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Persons and villages in the register, read by a process of its own (as a user would). */
async function registerCounts() {
  const database = t ?? (await openDb({ dataDir: path.join(dir, 'data') }));
  try {
    const persons = await database.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const villages = await database.db.selectFrom('unit').select((eb) => eb.fn.countAll<number>().as('n')).where('parentCode', '=', '02905').executeTakeFirstOrThrow();
    return { persons: Number(persons.n), villages: Number(villages.n) };
  } finally {
    if (!t) await database.close();
  }
}

describe(`a killed import (${engineName})`, () => {
  it('leaves no trace while it writes, and the same command then runs cleanly', async () => {
    const before = await registerCounts();
    const child = spawn(BIN, ['import', path.join(dir, 'list.csv'), '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (d) => (stdout += d));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? -1 : code)));
    await new Promise<void>((resolve) => {
      child.stderr.on('data', (d) => {
        stderr += d;
        // the file is read and staged: the single write transaction is now running
        if (stderr.includes('read+stage')) setTimeout(resolve, 300);
      });
      child.on('exit', () => resolve());
    });
    child.kill('SIGKILL');
    expect(await exited).toBe(-1);
    expect(stdout).toBe('');
    expect(await registerCounts()).toEqual(before);

    const again = spawnSync(BIN, ['import', path.join(dir, 'list.csv'), '--json'], { env, encoding: 'utf8', timeout: 300_000 });
    expect(again.status).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ rows: ROWS, inserted: ROWS, rejected: 0 });
    const after = await registerCounts();
    expect(after.persons).toBe(before.persons + ROWS);
    expect(after.villages).toBe(before.villages + 9);
  });
});
