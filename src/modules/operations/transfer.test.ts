/**
 * The whole transfer from the embedded database to a PostgreSQL server: an embedded source with a demo
 * register, a programme with its ledger, issued cards and audit rows, copied into a fresh schema of the
 * server in TEST_DATABASE_URL (skipped without one: a clone without a server still passes `npm test`).
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
import { binaryRowCount, transferDatabase } from './transfer.service';
import { foreignKeys, schemaRelations } from './transfer.repository';

const url = TEST_DATABASE_URL;
const withoutMigrator = (f: DatabaseFacts): DatabaseFacts => ({ ...f, tables: f.tables.filter((t) => !t.table.startsWith('kysely_migration')) });

describe.skipIf(!url)('transfer of a whole embedded database to a PostgreSQL server', () => {
  let source: Database;
  const schemas: string[] = [];
  /** A fresh schema on the server, not yet migrated. */
  async function emptyTarget(): Promise<Database> {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return openDb({ databaseUrl: url, schema, migrate: false });
  }
  const names = { from: 'data/', to: 'postgres://127.0.0.1/test' };

  beforeAll(async () => {
    source = await openDb({ loadFrom: new Uint8Array(fs.readFileSync(MIGRATED_DUMP)) });
    await loadDemo(source, system, { province: '15', persons: 400, seed: 3, today: '2025-12-01' });
    await handoverWorld(source.db, system);
  });
  afterAll(async () => {
    await source?.close();
    for (const schema of schemas) await dropSchema(url!, schema);
  });

  it('copies every table in chunks, and the target has the same rows, checksums and ledger totals', async () => {
    const target = await emptyTarget();
    try {
      const seen: Record<string, number> = {};
      const report = await transferDatabase(source, target, system, { ...names, chunkPages: 2, onTable: (t, rows) => void (seen[t] = rows) });
      expect(report.differences).toEqual([]);
      expect(report.committed).toBe(true);
      const person = report.tables.find((t) => t.table === 'person')!;
      expect(person.source).toBeGreaterThanOrEqual(400);
      expect(person).toMatchObject({ target: person.source, same: true });
      expect(seen.person).toBe(person.source);
      // more chunks than tables: the larger tables went over in several
      expect(report.chunks).toBeGreaterThan(report.tables.length);
      expect(report.ledgerAccounts).toBeGreaterThan(0);

      // checked again from outside, after the commit: all equal but the audit log, one row longer (the transfer's own)
      const a = withoutMigrator(await databaseFacts(source.db));
      const b = withoutMigrator(await databaseFacts(target.db));
      expect(factDifferences(a, b)).toEqual([expect.stringMatching(/^table audit_log: (\d+) rows, /)]);
      const audits = (t: DatabaseFacts) => t.tables.find((x) => x.table === 'audit_log')!.rows;
      expect(audits(a)).toBeGreaterThan(10);
      expect(audits(b)).toBe(audits(a) + 1);
      expect(b.ledger).toEqual(a.ledger);
      for (const table of ['card', 'ledger_entry', 'award', 'coverage_month', 'unit'])
        expect(b.tables.find((t) => t.table === table)!.rows, table).toBe(a.tables.find((t) => t.table === table)!.rows);
      const last = await target.db.selectFrom('auditLog').select(['action', 'entity', 'after']).orderBy('at', 'desc').limit(1).executeTakeFirstOrThrow();
      expect(last).toMatchObject({ action: 'database_transfer', entity: 'database', after: { source: 'data/', rowCount: report.tables.reduce((s, t) => s + t.source, 0) } });
      // the foreign keys are back, and hold
      expect((await foreignKeys(target.db)).length).toBe((await foreignKeys(source.db)).length);
      await expect(sql`delete from unit`.execute(target.db)).rejects.toThrow(/foreign key/);
      // the trigger that keeps the coverage snapshots is on again
      const triggers = await sql<{ n: number }>`select count(*)::int as n from pg_trigger where tgenabled = 'O' and not tgisinternal and tgrelid = 'coverage_count'::regclass`.execute(target.db);
      expect(triggers.rows[0]!.n).toBe(3);
    } finally {
      await target.close();
    }
  });

  it('refuses a target that is not empty, naming what is there, and changes nothing', async () => {
    const target = await emptyTarget();
    try {
      await sql`create table notes (x int)`.execute(target.db);
      await sql`insert into notes values (1), (2)`.execute(target.db);
      const e = await failure(transferDatabase(source, target, system, names));
      expect(e.code).toBe('transfer_target_not_empty');
      expect(e.params.relations).toBe('notes (2)');
      expect(await schemaRelations(target.db)).toEqual([{ name: 'notes', kind: 'table', rows: 2 }]);
    } finally {
      await target.close();
    }
  });

  it('leaves the target empty when the copy fails half-way', async () => {
    const target = await emptyTarget();
    try {
      const copied: string[] = [];
      const fail = async (table: string) => {
        copied.push(table);
        if (table === 'person') throw new Error('disk full');
      };
      await expect(transferDatabase(source, target, system, { ...names, onTable: fail })).rejects.toThrow('disk full');
      expect(copied.length).toBeGreaterThan(10);
      expect(await schemaRelations(target.db)).toEqual([]);
      // and it can be tried again
      expect((await transferDatabase(source, target, system, names)).committed).toBe(true);
    } finally {
      await target.close();
    }
  });

  it('rolls back and names the table when the copy differs from the source', async () => {
    const target = await emptyTarget();
    try {
      const report = await transferDatabase(source, target, system, {
        ...names,
        beforeCheck: async (dst) => void (await sql`delete from card where ctid = (select min(ctid) from card)`.execute(dst.db)),
      });
      expect(report.committed).toBe(false);
      expect(report.differences).toEqual([expect.stringMatching(/^table card: (\d+) rows, \d+ rows$/)]);
      const card = report.tables.find((t) => t.table === 'card')!;
      expect(card).toMatchObject({ target: card.source - 1, same: false });
      expect(await schemaRelations(target.db)).toEqual([]);
    } finally {
      await target.close();
    }
  });

  it('refuses a source that is not at the migration level of the code or whose tables were changed by hand, and a user who is not an administrator', async () => {
    const target = await emptyTarget();
    try {
      const last = await source.db.selectFrom('kyselyMigration' as never).selectAll().orderBy('name' as never, 'desc').limit(1).executeTakeFirstOrThrow();
      await sql`delete from kysely_migration where name = ${(last as { name: string }).name}`.execute(source.db);
      try {
        const e = await failure(transferDatabase(source, target, system, names));
        expect(e.code).toBe('transfer_source_not_current');
        expect(e.params.code).toBe((last as { name: string }).name);
        expect(e.params.migration).not.toBe(e.params.code);
      } finally {
        await sql`insert into kysely_migration (name, timestamp) values (${(last as { name: string }).name}, ${(last as { timestamp: string }).timestamp})`.execute(source.db);
      }
      // a table changed by hand in the source: the migrations cannot make it on the server
      await sql`alter table donor add column note_by_hand text`.execute(source.db);
      try {
        const e = await failure(transferDatabase(source, target, system, names));
        expect(e.code).toBe('transfer_schema_differs');
        expect(e.params.tables).toBe('donor');
        expect(await schemaRelations(target.db)).toEqual([]);
      } finally {
        await sql`alter table donor drop column note_by_hand`.execute(source.db);
      }
      const e = await failure(transferDatabase(source, target, { ...system, role: 'province_staff' }, names));
      expect(e.code).toBe('forbidden');
      expect(await schemaRelations(target.db)).toEqual([]);
    } finally {
      await target.close();
    }
  });
});

describe('COPY binary row count', () => {
  it('counts the rows of a COPY binary stream without reading their values', () => {
    const header = [...Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), 0, 0, 0, 0, 0, 0, 0, 0];
    // two rows: (int4 7, null), (int4 8, 'ab'); then the trailer
    const rows = [0, 2, 0, 0, 0, 4, 0, 0, 0, 7, 255, 255, 255, 255, 0, 2, 0, 0, 0, 4, 0, 0, 0, 8, 0, 0, 0, 2, 97, 98];
    expect(binaryRowCount(new Uint8Array([...header, ...rows, 255, 255]))).toBe(2);
    expect(binaryRowCount(new Uint8Array([...header, 255, 255]))).toBe(0);
  });
});
