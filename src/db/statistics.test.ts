import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { engineName, testDatabase, type TestDatabase } from '../test/db';
import { noteWrites, refreshTables, vacuumDatabase } from './statistics';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
  await sql`create table stat_probe (n int)`.execute(t.db);
});
afterAll(async () => {
  await t?.cleanup();
});

const estimate = async () => Number((await sql<{ n: number }>`select reltuples::float8 as n from pg_class where oid = to_regclass('stat_probe')`.execute(t.db)).rows[0].n);

describe(`planner statistics of growing tables (${engineName})`, () => {
  it('analyses a table once the rows written pass 50 + 10% of its size, not before', async () => {
    await sql`insert into stat_probe select generate_series(1, 40)`.execute(t.db);
    await noteWrites(t.db, 'stat_probe', 40);
    expect(await estimate()).toBeLessThanOrEqual(0);
    await sql`insert into stat_probe select generate_series(1, 960)`.execute(t.db);
    await noteWrites(t.db, 'stat_probe', 960);
    expect(await estimate()).toBe(1000);
    // 1,000 rows: the next ANALYZE after 150 more
    await sql`insert into stat_probe select generate_series(1, 100)`.execute(t.db);
    await noteWrites(t.db, 'stat_probe', 100);
    expect(await estimate()).toBe(1000);
    await sql`insert into stat_probe select generate_series(1, 60)`.execute(t.db);
    await noteWrites(t.db, 'stat_probe', 60);
    expect(await estimate()).toBe(1160);
  });

  it('after a bulk change: fresh statistics, and on the embedded database the updated rows vacuumed (pages all visible)', async () => {
    await sql`create table refresh_probe (n int primary key, v text)`.execute(t.db);
    await sql`insert into refresh_probe select g, 'a' from generate_series(1, 2000) g`.execute(t.db);
    await sql`update refresh_probe set v = 'b'`.execute(t.db);
    await refreshTables(t.db, t.engine, ['refresh_probe']);
    const r = await sql<{ rows: number; pages: number; visible: number }>`
      select reltuples::float8 as rows, relpages as pages, relallvisible as visible from pg_class where oid = to_regclass('refresh_probe')`.execute(t.db);
    expect(Number(r.rows[0].rows)).toBe(2000);
    // VACUUM on the embedded database (on PostgreSQL its autovacuum does it)
    if (t.engine === 'pglite') expect(Number(r.rows[0].visible)).toBe(Number(r.rows[0].pages));
  });

  // (on PostgreSQL its autovacuum's work: vacuumDatabase does nothing there)
  it.skipIf(engineName !== 'pglite')("the server's daily maintenance: every table of the embedded database vacuumed", async () => {
    await sql`create table daily_probe (n int primary key, v text)`.execute(t.db);
    await sql`insert into daily_probe select g, 'a' from generate_series(1, 2000) g`.execute(t.db);
    await sql`update daily_probe set v = 'b' where n % 2 = 0`.execute(t.db);
    await vacuumDatabase(t.db, t.engine);
    const r = await sql<{ pages: number; visible: number }>`select relpages as pages, relallvisible as visible from pg_class where oid = to_regclass('daily_probe')`.execute(t.db);
    expect(Number(r.rows[0].pages)).toBeGreaterThan(0);
    expect(Number(r.rows[0].visible)).toBe(Number(r.rows[0].pages));
  });
});
