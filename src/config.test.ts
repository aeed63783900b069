import { sql } from 'kysely';
import { describe, expect, it } from 'vitest';
import { loadConfig, parseCacheSize, parseTrustProxy } from './config';
import { openDb } from './db/connect';

describe('configuration from the environment', () => {
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

  it('reads the trusted proxies', () => {
    expect(parseTrustProxy(undefined)).toBe(false);
    expect(parseTrustProxy('1')).toBe(true);
    expect(parseTrustProxy('10.0.0.1, 192.168.0.0/16')).toEqual(['10.0.0.1', '192.168.0.0/16']);
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
