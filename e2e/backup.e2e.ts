/**
 * The last backup on the admin's audit page: none yet (a warning with the command), then one made by
 * `bin/coverdesk backup` while the server runs (through it), shown with its time, size and file.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { PROJECT_ROOT } from '../src/config';
import { launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ COVERDESK_BACKUP_DAYS: '14' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('backups on the audit page', () => {
  it('says there is no backup yet, then shows the one the CLI made through the running server', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    await logIn(page, server);
    await page.goto(`${server.url}/#/audit`);
    const status = page.getByTestId('backup-status');
    await status.waitFor();
    expect(await status.textContent()).toContain('Chưa có bản sao lưu nào');
    expect(await status.textContent()).toContain('giữ 14 ngày');

    const file = path.join(server.dataDir, 'tay.coverdesk');
    const r = spawnSync(path.join(PROJECT_ROOT, 'bin', 'coverdesk'), ['backup', '--out', file], {
      encoding: 'utf8',
      env: { ...process.env, COVERDESK_DATA_DIR: server.dataDir, DATABASE_URL: '', COVERDESK_LANG: 'vi' },
      timeout: 180_000,
    });
    expect(r.status, r.stderr).toBe(0);
    const size = fs.statSync(file).size;

    await page.reload();
    await page.getByTestId('backup-size').waitFor();
    const text = (await status.textContent()) ?? '';
    expect(text).toContain(file);
    expect(text).toContain('sao lưu thủ công');
    expect(await page.getByTestId('backup-size').textContent()).toBe(`${(Math.round((size / 1024 / 1024) * 10) / 10).toString().replace('.', ',')} MB`);
    await screenshot(page, 'backup-status-1280');
    await page.close();
  }, 300_000);
});
