import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql, type Kysely } from 'kysely';
import { engineName, testDatabase, type TestDatabase } from '../test/db';
import { withoutParallelWorkers } from './parallel';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});
afterAll(async () => {
  await t?.cleanup();
});

const setting = async (db: Kysely<any>) => (await sql<{ v: string }>`select current_setting('max_parallel_workers_per_gather') as v`.execute(db)).rows[0].v;

describe(`parallel workers off for short reads (${engineName})`, () => {
  it('turns them off for the call only, in its own transaction or in the caller’s', async () => {
    const before = await setting(t.db);
    expect(await withoutParallelWorkers(t.db, (db) => setting(db))).toBe('0');
    expect(await setting(t.db)).toBe(before);
    await t.db.transaction().execute(async (trx) => {
      expect(await withoutParallelWorkers(trx, (db) => setting(db))).toBe('0');
    });
    expect(await setting(t.db)).toBe(before);
  });
});
