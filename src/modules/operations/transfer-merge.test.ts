/**
 * Merging a commune's register into a province's server that holds the other communes: the server is a
 * whole transfer of the embedded source with one commune's register taken out again, so after the merge
 * it must hold exactly what the source holds (its audit log aside). Needs TEST_DATABASE_URL.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dropSchema, openDb, type Database } from '../../db/connect';
import { MIGRATED_DUMP } from '../../test/paths';
import { TEST_DATABASE_URL, system } from '../../test/db';
import { failure } from '../../test/helpers';
import { loadDemo } from '../register/demo.service';
import { handoverWorld } from '../programmes/handover/handover.fixture';
import { databaseFacts, factDifferences, type DatabaseFacts } from './database-facts.repository';
import { transferDatabase } from './transfer.service';
import { mergeCommunes } from './transfer-merge.service';
import { derivedTables, mergedTables, villageRows } from './transfer-merge.repository';

const url = TEST_DATABASE_URL;
const names = { from: 'data/', to: 'postgres://127.0.0.1/test' };
const withoutMigrator = (f: DatabaseFacts): DatabaseFacts => ({ ...f, tables: f.tables.filter((t) => !t.table.startsWith('kysely_migration')) });

describe.skipIf(!url)("merging a commune's register into the province's server", () => {
  let source: Database;
  let target: Database;
  let schema: string;
  /** A commune of the demo with households and nothing but its register. */
  let commune: string;
  /** The commune of the handover programme (awards, a handover event: more than a register). */
  let busy: string;

  beforeAll(async () => {
    source = await openDb({ loadFrom: new Uint8Array(fs.readFileSync(MIGRATED_DUMP)) });
    await loadDemo(source, system, { province: '15', persons: 300, seed: 4, today: '2025-12-01' });
    const world = await handoverWorld(source.db, system);
    busy = world.c1.code;
    const { rows } = await sql<{ code: string }>`
      select commune_code as code from household where commune_code not in (${world.c1.code}, ${world.c2.code})
      group by 1 order by count(*) desc limit 1`.execute(source.db);
    commune = rows[0]!.code;

    schema = `t_${randomBytes(6).toString('hex')}`;
    target = await openDb({ databaseUrl: url, schema, migrate: false });
    expect((await transferDatabase(source, target, system, names)).committed).toBe(true);
    // the province's server before this commune came: its register, coverage counts, villages and audit rows taken out
    for (const { table, where } of [...mergedTables([commune])].reverse()) await sql.raw(`delete from ${table} where ${where}`).execute(target.db);
    for (const { table } of derivedTables([commune])) await sql.raw(`delete from ${table} where commune_code = '${commune}'`).execute(target.db);
    await sql.raw(`delete from unit where ${villageRows([commune]).where}`).execute(target.db);
  });
  afterAll(async () => {
    await source?.close();
    await target?.close();
    if (schema) await dropSchema(url!, schema);
  });

  it('refuses a commune whose data the server holds already, naming the commune, the tables and their rows', async () => {
    const e = await failure(mergeCommunes(source, target, system, { ...names, communes: [busy] }));
    // (the handover commune is on the server: the whole transfer brought it)
    expect(e.code).toBe('transfer_commune_on_target');
    expect(e.params.conflicts).toMatch(new RegExp(`^${busy}: .*\\bhousehold \\d+`));
    expect(e.params.conflicts).toMatch(/award \d+/);
  });

  it("merges the commune's households, persons, cards and coverage counts; the server then holds what the source holds", async () => {
    const households = await sql<{ n: number }>`select count(*)::int as n from household where commune_code = ${commune}`.execute(source.db);
    expect(households.rows[0]!.n).toBeGreaterThan(1);
    expect((await sql<{ n: number }>`select count(*)::int as n from household where commune_code = ${commune}`.execute(target.db)).rows[0]!.n).toBe(0);
    const auditsBefore = (await databaseFacts(target.db)).tables.find((t) => t.table === 'audit_log')!.rows;

    // a difference found before the commit rolls the merge back
    const wrong = await mergeCommunes(source, target, system, {

      ...names,
      communes: [commune],
      beforeCheck: async (dst) => void (await sql`delete from card where ctid = (select min(ctid) from card where household_id in (select id from household where commune_code = ${commune}))`.execute(dst.db)),
    });
    expect(wrong.committed).toBe(false);
    expect(wrong.differences).toEqual([expect.stringMatching(/^table card: \d+ rows, \d+ rows$/)]);
    expect((await sql<{ n: number }>`select count(*)::int as n from household where commune_code = ${commune}`.execute(target.db)).rows[0]!.n).toBe(0);

    // a coverage target of the commune (kept on both: the server has it from its own users) is more than the register
    const id = '00000000-0000-4000-8000-000000000001';
    for (const db of [source.db, target.db])
      await sql`insert into coverage_target (id, unit_code, year, kind, value, created_by, updated_by, created_at, updated_at)
        values (${id}, ${commune}, 2026, 'participants', 100, 'test', 'test', '2025-12-01T00:00:00Z', '2025-12-01T00:00:00Z')`.execute(db);
    const leaves = await failure(mergeCommunes(source, target, system, { ...names, communes: [commune] }));
    expect(leaves.code).toBe('transfer_merge_leaves_data');
    expect(leaves.params.tables).toBe(`${commune}: coverage_target 1`);

    const report = await mergeCommunes(source, target, system, { ...names, communes: [commune], registerOnly: true });
    expect(report.differences).toEqual([]);
    expect(report.committed).toBe(true);
    expect(report.leftBehind).toEqual([{ commune, table: 'coverage_target', rows: 1 }]);
    const person = report.tables.find((t) => t.table === 'person')!;
    expect(person.source).toBeGreaterThan(households.rows[0]!.n);
    expect(person).toMatchObject({ target: person.source, same: true });
    expect(report.tables.find((t) => t.table === 'coverage_month')!.source).toBeGreaterThan(0);

    // every table of the server equals the source's now, but for the audit log (the transfer's and the merge's own
    // rows) and the coverage snapshots, where the source keeps rows that fell to zero (compared without them above)
    const a = withoutMigrator(await databaseFacts(source.db));
    const b = withoutMigrator(await databaseFacts(target.db));
    const diff = factDifferences(a, b);
    expect(diff.filter((d) => !/^table (audit_log|coverage_month|coverage_end_day):/.test(d))).toEqual([]);
    for (const table of ['coverage_month', 'coverage_end_day']) expect(report.tables.find((t) => t.table === table)!.same, table).toBe(true);
    expect(report.tables.find((t) => t.table === 'collector_village')!.source).toBeGreaterThan(0);
    expect(b.ledger).toEqual(a.ledger);
    const audits = b.tables.find((t) => t.table === 'audit_log')!.rows;
    expect(audits).toBeGreaterThan(auditsBefore + 1);
    const merge = await target.db.selectFrom('auditLog').select(['action', 'entity', 'entityId', 'unitCode', 'after']).where('action', '=', 'commune_merge').executeTakeFirstOrThrow();
    expect(merge).toMatchObject({ entity: 'unit', entityId: commune, unitCode: commune, after: { source: 'data/', mergedCommunes: [commune] } });

    // once on the server, the commune cannot be merged again
    const e = await failure(mergeCommunes(source, target, system, { ...names, communes: [commune] }));
    expect(e.code).toBe('transfer_commune_on_target');
    expect(e.params.conflicts).toMatch(new RegExp(`^${commune}: .*\\bhousehold ${households.rows[0]!.n}, person \\d+`));
  });

  it('refuses an unknown commune and a code that is not a unit code', async () => {
    const e = await failure(mergeCommunes(source, target, system, { ...names, communes: ['99999'] }));
    expect(e.code).toBe('validation');
    expect(e.fields).toEqual([{ path: 'commune', key: 'unknown_unit', params: { code: '99999' } }]);
    const bad = await failure(mergeCommunes(source, target, system, { ...names, communes: ["1'; drop table person; --"] }));
    expect(bad.fields[0]).toMatchObject({ path: 'commune', key: 'invalid_format' });
  });
});
