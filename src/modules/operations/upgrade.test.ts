/**
 * Upgrades keep the data (issue 23 item 2). src/test/fixtures/release-0025-plans.tar.br is an embedded
 * data directory made once by the release before the bank-reconciliation migration (commit 226cec7,
 * migrations up to 0025_plans; script in docs/decisions.md): a demo province, a programme with donors,
 * receipts, a refund, awards and issued cards, their ledger and audit rows, a user. Opening it with this
 * release runs the newer migrations, after a backup of it written to the backup folder; every count and
 * every ledger total stays the same, and every table whose columns the migrations did not change keeps
 * its checksum. (It is an embedded data directory, so the test is the same whichever engine the suite
 * runs on.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDb } from '../../db/connect';
import type { DB } from '../../db/schema';
import { migrations } from '../../db/migrations/index';
import { system } from '../../test/db';
import { PROJECT_ROOT } from '../../config';
import { databaseFacts, factDifferences, type DatabaseFacts } from './database-facts.repository';
import { upgradeBackup } from './backup-schedule';
import { lastBackup, restoreBackup, type BackupMade } from './backup.service';

const FIXTURE = path.join(PROJECT_ROOT, 'src', 'test', 'fixtures', 'release-0025-plans.tar.br');
let dir: string;

async function columnsOf(db: Kysely<DB>): Promise<Map<string, string>> {
  const { rows } = await sql<{ table: string; columns: string }>`
    select table_name as table, string_agg(column_name || ' ' || data_type, ', ' order by ordinal_position) as columns
    from information_schema.columns where table_schema = current_schema() group by table_name`.execute(db);
  return new Map(rows.map((r) => [r.table, r.columns]));
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-upgrade-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('a data directory made by the previous release', () => {
  it('is backed up, migrated, and keeps every count, every ledger total and the checksum of every table the migrations did not change', async () => {
    const dataDir = path.join(dir, 'data');
    const tar = zlib.brotliDecompressSync(fs.readFileSync(FIXTURE));
    // as the old release left it (opened without migrating)
    const old = await openDb({ dataDir, loadFrom: new Uint8Array(tar.buffer, tar.byteOffset, tar.byteLength), migrate: false });
    let before: DatabaseFacts;
    let columnsBefore: Map<string, string>;
    try {
      before = await databaseFacts(old.db);
      columnsBefore = await columnsOf(old.db);
    } finally {
      await old.close();
    }
    expect(before.migration).toBe('0025_plans');
    const rows = (table: string) => before.tables.find((x) => x.table === table)?.rows ?? 0;
    for (const table of ['programme', 'ledger_entry', 'card', 'audit_log', 'person', 'receipt', 'award']) expect(rows(table), table).toBeGreaterThan(0);
    expect(before.ledger.length).toBeGreaterThan(0);

    // this release opens it as the server does: a backup first, then the migrations
    const backups = path.join(dir, 'backups');
    const logged: BackupMade[] = [];
    const upgrade = upgradeBackup({}, { dir: backups }, () => new Date('2026-12-05T00:30:00Z'), (m) => logged.push(m));
    const database = await openDb({ dataDir, beforeMigrate: upgrade.beforeMigrate });
    let after: DatabaseFacts;
    let columnsAfter: Map<string, string>;
    try {
      after = await databaseFacts(database.db);
      columnsAfter = await columnsOf(database.db);
      await upgrade.record(database, system);
      // a kept count made by its migration from the register (0032): every card's end is counted once
      const ends = await sql<{ ended: number; cards: number }>`
        select (select coalesce(sum(ended), 0)::int from card_end_count) as ended, (select count(*)::int from card) as cards`.execute(database.db);
      expect(Number(ends.rows[0].ended)).toBe(Number(ends.rows[0].cards));
      // and 0033: every span's start once
      const starts = await sql<{ started: number; spans: number }>`
        select (select coalesce(sum(started), 0)::int from coverage_day) as started, (select coalesce(sum(persons), 0)::int from coverage_count) as spans`.execute(database.db);
      expect(Number(starts.rows[0].started)).toBe(Number(starts.rows[0].spans));
      expect(Number(starts.rows[0].spans)).toBeGreaterThan(0);
      expect(Number(ends.rows[0].cards)).toBeGreaterThan(0);
      expect(await lastBackup(database, system)).toMatchObject({ kind: 'before_upgrade', file: logged[0]!.file, sizeBytes: logged[0]!.sizeBytes, migration: '0025_plans' });
    } finally {
      await database.close();
    }
    const known = Object.keys(migrations).sort();
    expect(after.migration).toBe(known.at(-1));
    expect(known.indexOf('0025_plans')).toBeLessThan(known.length - 1); // at least one migration ran

    // every count and every ledger total (the migrator's own table gains a row per migration run)
    const migrationsRun = known.length - known.indexOf('0025_plans') - 1;
    const bookkeeping = `table kysely_migration: ${known.indexOf('0025_plans') + 1} rows, ${known.length} rows`;
    // kept counts that their migration fills from the register (checked above)
    const derived = ['card_end_count', 'coverage_day'];
    const newDerived = derived.map((t) => `table ${t}: not in the first`);
    expect(factDifferences(before, after, { checksums: false }).sort()).toEqual([bookkeeping, ...newDerived].sort());
    expect(migrationsRun).toBeGreaterThan(0);
    // every checksum, but those of the tables whose columns changed; the new tables are empty
    const changed = [...columnsBefore.keys()].filter((t) => columnsBefore.get(t) !== columnsAfter.get(t));
    const added = [...columnsAfter.keys()].filter((t) => !columnsBefore.has(t));
    expect(changed).toEqual(expect.arrayContaining(['pledge', 'receipt']));
    expect(added).toEqual(expect.arrayContaining(['bank_account', 'backup_record']));
    for (const t of added) if (!derived.includes(t)) expect(after.tables.find((x) => x.table === t)!.rows, t).toBe(0);
    const differences = factDifferences(before, after).filter((d) => d !== bookkeeping && !changed.some((t) => d.startsWith(`table ${t}: checksum`)) && !added.some((t) => d === `table ${t}: not in the first`));
    expect(differences).toEqual([]);

    // the backup taken before the migrations holds the old release's database, whole
    expect(logged).toHaveLength(1);
    expect(path.basename(logged[0]!.file)).toBe('before-upgrade-2026-12-05T00-30-00Z-from-0025_plans.coverdesk');
    expect(fs.readdirSync(backups)).toEqual([path.basename(logged[0]!.file)]);
    const restored = await restoreBackup(logged[0]!.file, { dataDir: path.join(dir, 'restored') });
    expect(factDifferences(before, restored.facts)).toEqual([]);

    // a database already up to date is not backed up again
    const again = upgradeBackup({}, { dir: backups }, () => new Date('2026-12-06T00:30:00Z'), (m) => logged.push(m));
    await (await openDb({ dataDir, beforeMigrate: again.beforeMigrate })).close();
    expect(logged).toHaveLength(1);
  }, 240_000);
});
