/**
 * What coverdesk keeps by itself: the newest three backups taken before upgrades, the daily ones of the
 * last N days; a daily backup made once a day and noted for the admin page (on the engine the tests run on).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatSize } from '../../domain/numbers';
import { system, testDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../test/db';
import { dailyBackup, dailyBackupsToDelete, UPGRADE_BACKUPS_KEPT, upgradeBackupsToDelete } from './backup-schedule';
import { lastBackup } from './backup.service';
import { readBackupHeader } from './backup-file';

describe('which backups are kept', () => {
  it('keeps the newest three before-upgrade backups, and nothing else is touched', () => {
    const names = [
      'before-upgrade-2026-01-02T00-00-00Z-from-0024_support_scenarios.coverdesk',
      'before-upgrade-2026-03-02T00-00-00Z-from-0025_plans.coverdesk',
      'before-upgrade-2025-11-30T09-15-00Z-from-0023_latest_card.coverdesk',
      'before-upgrade-2026-12-05T00-30-00Z-from-0026_bank_reconciliation.coverdesk',
      'daily-2026-12-01.coverdesk',
      'my-own.coverdesk',
    ];
    expect(UPGRADE_BACKUPS_KEPT).toBe(3);
    expect(upgradeBackupsToDelete(names, 3)).toEqual(['before-upgrade-2025-11-30T09-15-00Z-from-0023_latest_card.coverdesk']);
    expect(upgradeBackupsToDelete(names.slice(0, 2), 3)).toEqual([]);
  });

  it('keeps the daily backups of the last N days, today included', () => {
    const names = ['daily-2026-11-28.coverdesk', 'daily-2026-11-29.coverdesk', 'daily-2026-12-05.coverdesk', 'daily-2026-12-05.coverdesk.partial', 'weekly-2026-11-01.coverdesk'];
    expect(dailyBackupsToDelete(names, '2026-12-05', 7)).toEqual(['daily-2026-11-28.coverdesk']);
    expect(dailyBackupsToDelete(names, '2026-12-05', 1)).toEqual(['daily-2026-11-28.coverdesk', 'daily-2026-11-29.coverdesk']);
  });

  it('writes sizes as people read them', () => {
    expect(formatSize(512, 'vi')).toBe('512 B');
    expect(formatSize(1536, 'vi')).toBe('1,5 KB');
    expect(formatSize(6_180_000, 'en')).toBe('5.9 MB');
    expect(formatSize(3 * 1024 ** 3, 'en')).toBe('3 GB');
  });
});

describe('the daily backup', () => {
  let t: TestDatabase;
  let dir: string;
  beforeAll(async () => {
    t = await testDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-daily-'));
  });
  afterAll(async () => {
    await t?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is made once a day, encrypted with the passphrase file, noted, and the old ones removed', async () => {
    const passphraseFile = path.join(dir, 'passphrase');
    fs.writeFileSync(passphraseFile, 'mật khẩu sao lưu hằng ngày\n');
    const place = { dir: path.join(dir, 'backups'), passphraseFile };
    fs.mkdirSync(place.dir);
    fs.writeFileSync(path.join(place.dir, 'daily-2026-11-20.coverdesk'), 'old');
    const conn = { databaseUrl: TEST_DATABASE_URL, schema: t.schema };
    const made = await dailyBackup(t, conn, place, { today: '2026-12-05', now: new Date('2026-12-04T20:00:00Z'), keepDays: 7, actor: system });
    expect(made?.file).toBe(path.join(place.dir, 'daily-2026-12-05.coverdesk'));
    expect(readBackupHeader(made!.file).header.encryption?.kdf).toBe('scrypt');
    expect(fs.readdirSync(place.dir)).toEqual(['daily-2026-12-05.coverdesk']);
    expect(await lastBackup(t, system)).toMatchObject({ kind: 'daily', file: made!.file, sizeBytes: made!.sizeBytes, encrypted: true });
    // the same day again: nothing new
    expect(await dailyBackup(t, conn, place, { today: '2026-12-05', now: new Date('2026-12-04T21:00:00Z'), keepDays: 7, actor: system })).toBeUndefined();
  }, 120_000);
});
