import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { testDatabase, type TestDatabase } from '../../test/db';
import { databaseFacts, factDifferences } from './database-facts.repository';

let a: TestDatabase;
beforeAll(async () => {
  a = await testDatabase();
});
afterAll(async () => {
  await a?.cleanup();
});

describe('database facts', () => {
  it('are the same for two databases that hold the same rows, and name the table where one value differs', async () => {
    const before = await databaseFacts(a.db);
    expect(before.migration).toMatch(/^\d{4}_/);
    expect(before.tables.find((t) => t.table === 'unit')!.rows).toBeGreaterThan(3000);
    expect(before.tables.map((t) => t.table)).not.toContain('kysely_migration_lock');
    expect(factDifferences(before, await databaseFacts(a.db))).toEqual([]);

    await sql`update unit set name = name || ' ' where code = (select min(code) from unit)`.execute(a.db);
    const changed = await databaseFacts(a.db);
    expect(factDifferences(before, changed)).toEqual([expect.stringMatching(/^table unit: checksum /)]);
    // counts alone (an upgrade may change columns) do not see a changed value
    expect(factDifferences(before, changed, { checksums: false })).toEqual([]);
    await sql`update unit set name = rtrim(name) where code = (select min(code) from unit)`.execute(a.db);
    expect(factDifferences(before, await databaseFacts(a.db))).toEqual([]);
  });

  it('total each programme ledger account, and tell a missing row from a changed one', async () => {
    const before = await databaseFacts(a.db);
    await sql`insert into unit (code, name, search_name, level, kind, parent_code, local_code)
      select '99999', 'Thử', 'thu', level, kind, parent_code, '99999' from unit where code = (select max(code) from unit where level = 'commune')`.execute(a.db);
    const diff = factDifferences(before, await databaseFacts(a.db));
    expect(diff.some((d) => /^table unit: \d+ rows, \d+ rows$/.test(d))).toBe(true);
    const ledger = factDifferences(
      { migration: null, tables: [], ledger: [{ programmeId: 'p', account: 'cash', total: 500_000 }] },
      { migration: null, tables: [], ledger: [{ programmeId: 'p', account: 'cash', total: 499_999 }] },
    );
    expect(ledger).toEqual(['ledger p cash: 500000 ₫, 499999 ₫']);
  });
});
