import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { embeddedCacheFor, loadConfig, parseBackupDays, parseCacheSize, parseReplica, parseTrustProxy, PGLITE_REPLICA_REFUSED } from './config';
import { embeddedDatabaseBytes, openDb } from './db/connect';

describe('configuration from the environment', () => {
  it('sizes the embedded database cache to the data and the machine when none is set', () => {
    const MB = 2 ** 20;
    const GB = 2 ** 30;
    // a commune's database: PGlite's default 128 MB holds it
    expect(embeddedCacheFor(150 * MB, 8 * GB)).toBeUndefined();
    expect(embeddedCacheFor(0, 32 * GB)).toBeUndefined();
    // half the database, in steps of 64 MB
    expect(embeddedCacheFor(700 * MB, 8 * GB)).toBe('320MB');
    // a province's: at most 1 GB, and at most an eighth of the memory
    expect(embeddedCacheFor(3 * GB, 24 * GB)).toBe('1GB');
    expect(embeddedCacheFor(3 * GB, 4 * GB)).toBe('512MB');
    expect(embeddedCacheFor(3 * GB, 1 * GB)).toBeUndefined();
    // what it gives is a size the setting accepts
    for (const [db, mem] of [[700 * MB, 8 * GB], [3 * GB, 24 * GB], [3 * GB, 4 * GB]]) expect(parseCacheSize(embeddedCacheFor(db, mem))).toBe(embeddedCacheFor(db, mem));
  });

  it('measures the embedded database on disk', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-size-'));
    try {
      expect(embeddedDatabaseBytes(dir)).toBe(0);
      fs.mkdirSync(path.join(dir, 'db', 'base', '1'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'db', 'PG_VERSION'), '17\n');
      fs.writeFileSync(path.join(dir, 'db', 'base', '1', '1259'), Buffer.alloc(8192));
      expect(embeddedDatabaseBytes(dir)).toBe(8192 + 3);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads the embedded database cache size, refusing what is not a size', () => {
    expect(parseCacheSize(undefined)).toBeUndefined();
    expect(parseCacheSize(' ')).toBeUndefined();
    expect(parseCacheSize('1GB')).toBe('1GB');
    expect(parseCacheSize('512MB')).toBe('512MB');
    expect(() => parseCacheSize('lots')).toThrow(/COVERDESK_DB_CACHE.*"lots"/);
    expect(() => parseCacheSize('0MB')).toThrow(/COVERDESK_DB_CACHE/);
    expect(loadConfig({ COVERDESK_DB_CACHE: '768MB' }).dbCache).toBe('768MB');
    expect(loadConfig({}).dbCache).toBeUndefined();
  });

  it('reads the backup settings: folder, days kept, passphrase file, backup before upgrades', () => {
    expect(parseBackupDays(undefined)).toBe(0);
    expect(parseBackupDays('14')).toBe(14);
    expect(() => parseBackupDays('two weeks')).toThrow(/COVERDESK_BACKUP_DAYS.*"two weeks"/);
    expect(() => parseBackupDays('-1')).toThrow(/COVERDESK_BACKUP_DAYS/);
    const defaults = loadConfig({ COVERDESK_DATA_DIR: '/srv/coverdesk' });
    expect(defaults).toMatchObject({ backupDir: '/srv/coverdesk/backups', backupDays: 0, backupPassphraseFile: undefined, upgradeBackup: true });
    const set = loadConfig({ COVERDESK_BACKUP_DIR: '/mnt/usb/coverdesk', COVERDESK_BACKUP_DAYS: '7', COVERDESK_BACKUP_PASSPHRASE_FILE: '/etc/coverdesk/backup.key', COVERDESK_UPGRADE_BACKUP: '0' });
    expect(set).toMatchObject({ backupDir: '/mnt/usb/coverdesk', backupDays: 7, backupPassphraseFile: '/etc/coverdesk/backup.key', upgradeBackup: false });
  });

  it('reads the trusted proxies', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('1')).toBe(true);
    expect(parseTrustProxy('10.0.0.1, 192.168.0.0/16')).toEqual(['10.0.0.1', '192.168.0.0/16']);
  });

  it('reads the read replica, refusing it without a PostgreSQL primary (the embedded database has none)', () => {
    const primary = 'postgres://db1/coverdesk';
    expect(parseReplica({})).toBeUndefined();
    expect(parseReplica({ DATABASE_URL: primary, DATABASE_REPLICA_URL: ' ' })).toBeUndefined();
    expect(parseReplica({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'postgres://db2/coverdesk' })).toEqual({ url: 'postgres://db2/coverdesk', maxLagSeconds: 30 });
    expect(loadConfig({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'postgresql://db2/x', DATABASE_REPLICA_MAX_LAG: '5' }).replica).toEqual({ url: 'postgresql://db2/x', maxLagSeconds: 5 });
    expect(() => loadConfig({ DATABASE_REPLICA_URL: 'postgres://db2/coverdesk' })).toThrow(PGLITE_REPLICA_REFUSED);
    expect(PGLITE_REPLICA_REFUSED).toMatch(/embedded database.*no read replica/);
    expect(() => parseReplica({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'db2:5432' })).toThrow(/DATABASE_REPLICA_URL must be a postgres:\/\/ URL, got "db2:5432"/);
    expect(() => parseReplica({ DATABASE_URL: primary, DATABASE_REPLICA_URL: 'postgres://db2/x', DATABASE_REPLICA_MAX_LAG: 'soon' })).toThrow(/DATABASE_REPLICA_MAX_LAG.*"soon"/);
    expect(loadConfig({ DATABASE_URL: primary }).replica).toBeUndefined();
  });

  it('gives the embedded database the cache asked for', async () => {
    const database = await openDb({ cacheSize: '256MB', migrate: false });
    try {
      const r = await sql<{ sharedBuffers: string }>`show shared_buffers`.execute(database.db);
      expect(r.rows[0].sharedBuffers).toBe('256MB');
    } finally {
      await database.close();
    }
  });
});
