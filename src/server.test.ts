/**
 * A second server on a data directory another server holds prints the clear message and exits 1, without
 * a stack trace (issue 16, 6c).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PROJECT_ROOT } from './config';
import { acquireLock } from './db/data-dir-lock';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-second-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a second server on the same data directory', () => {
  it('says which server holds it and exits 1, without a stack trace', () => {
    // this process plays the first server
    const lock = acquireLock(dir, { pid: process.pid, role: 'server', port: 3999 });
    try {
      const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(PROJECT_ROOT, 'src', 'server.ts')], {
        cwd: PROJECT_ROOT,
        env: { ...process.env, DATABASE_URL: '', COVERDESK_DATA_DIR: dir, PORT: '0', COVERDESK_DEMO: '0' },
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).toBe(1);
      expect(r.stderr.trim()).toBe(
        `The coverdesk server (pid ${process.pid}, http://localhost:3999) is using the embedded database in ${dir}. Stop the server first, or do this through the web app or the API (/api/docs).`,
      );
      expect(r.stderr).not.toMatch(/\n\s+at /);
    } finally {
      lock.release();
    }
  });
});
