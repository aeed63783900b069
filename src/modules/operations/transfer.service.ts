/**
 * From the embedded database to a server: copies a whole database into an empty PostgreSQL database (or
 * schema) in one transaction on the target, checks the copy against the source (every table's rows and
 * checksum, every ledger total: database-facts.repository.ts) before it commits, and records it in the
 * target's audit log. A failure, or any difference, rolls the target back to empty (docs/decisions.md,
 * "Moving a database to the server").
 */
import type { Database, Session } from '../../db/connect';
import { migrateToLatest, migrationNames } from '../../db/connect';
import type { Actor } from '../../domain/access';
import { AppError } from '../../errors';
import { audit } from '../audit/audit.service';
import { factDifferences, factsInTransaction, type DatabaseFacts } from './database-facts.repository';
import {
  MIGRATOR_TABLES,
  begin,
  commit,
  rollback,
  ROW_COUNT_CAP,
  addForeignKey,
  chunkQuery,
  currentSchema,
  dropForeignKey,
  executedMigrations,
  foreignKeys,
  schemaRelations,
  sequences,
  setSequence,
  setUserTriggers,
  tableColumns,
  tablePages,
  tablesWithTriggers,
  truncateTables,
  type Relation,
} from './transfer.repository';

/** Pages of a table read and written at a time: 2,048 pages of 8 kB, 16 MB of the table's heap. */
export const CHUNK_PAGES = 2048;

export interface TransferTable {
  table: string;
  source: number;
  target: number;
  /** Same rows and same checksum. */
  same: boolean;
}

export interface TransferReport {
  /** Where the data came from and went (for the audit row and the printout). */
  from: string;
  to: string;
  migration: string | null;
  tables: TransferTable[];
  /** Ledger accounts compared (programme x account). */
  ledgerAccounts: number;
  /** Total dong over every ledger account of the source. */
  ledgerTotal: number;
  /** Where the target differs from the source ("table person: 10 rows, 9 rows"); empty when the copy is exact. */
  differences: string[];
  /** Committed: the copy is equal to the source. When false, nothing was written to the target. */
  committed: boolean;
  /** Chunks copied (COPY statements on the target). */
  chunks: number;
}

export interface TransferOptions {
  /** Names of the two databases as the user gave them (the embedded data folder, the server's URL without its password). */
  from: string;
  to: string;
  /** Pages per chunk (tests use small chunks to copy a table in several). */
  chunkPages?: number;
  /** Told after each table is copied (progress); a test fails the transfer from here. */
  onTable?: (table: string, rows: number) => void | Promise<void>;
  /** Tests only: changes the target after the copy, before the check. */
  beforeCheck?: (target: Session) => Promise<void>;
}

/** Refuses (`code`) a database whose migrations are not exactly the code's. */
export async function requireCurrent(database: Pick<Database, 'db'>, code: 'transfer_source_not_current' | 'transfer_target_not_current'): Promise<void> {
  const names = migrationNames();
  const ran = await executedMigrations(database.db);
  if (ran.join() !== names.join()) throw new AppError(code, { migration: ran.at(-1) ?? '-', code: names.at(-1) ?? '-' });
}

/**
 * The stored columns of each table of the source, after checking the target has the same (the same
 * migrations make the same tables; a difference is a database changed by hand).
 */
export async function sameColumns(src: Session, dst: Session): Promise<Map<string, string[]>> {
  const sourceColumns = await tableColumns(src.db);
  const targetColumns = await tableColumns(dst.db);
  const names = [...new Set([...sourceColumns.keys(), ...targetColumns.keys()])].filter((t) => !MIGRATOR_TABLES.has(t));
  const mismatched = names.filter((t) => sourceColumns.get(t)?.join() !== targetColumns.get(t)?.join());
  if (mismatched.length) throw new AppError('transfer_schema_differs', { tables: mismatched.join(', ') });
  return sourceColumns;
}

/** The target's tables, views and sequences as one line each ("person: 12 rows"), for the refusal. */
function describeRelations(relations: Relation[]): string {
  // the tables with rows first: they say what the database is
  const ordered = [...relations.filter((r) => (r.rows ?? 0) > 0), ...relations.filter((r) => !((r.rows ?? 0) > 0))];
  const shown = ordered.slice(0, 12).map((r) =>
    r.kind === 'table' ? `${r.name} (${r.rows! >= ROW_COUNT_CAP ? `${ROW_COUNT_CAP}+` : r.rows})` : `${r.name} (${r.kind})`,
  );
  return relations.length > shown.length ? `${shown.join(', ')}, +${relations.length - shown.length}` : shown.join(', ');
}

/** The facts without the migrator's own tables: each database ran its migrations at its own time. */
const dataFacts = (facts: DatabaseFacts): DatabaseFacts => ({ ...facts, tables: facts.tables.filter((t) => !MIGRATOR_TABLES.has(t.table)) });

/**
 * Copies `source` (at the code's migration level) into `target` (nothing in its schema). The source is
 * read in one snapshot; the target is written in one transaction: migrations, every table by COPY in
 * chunks of pages, foreign keys and triggers set aside meanwhile, sequences. Before committing, both
 * databases' facts are compared; any difference rolls the target back and is reported.
 */
export async function transferDatabase(source: Database, target: Database, actor: Actor, options: TransferOptions): Promise<TransferReport> {
  if (actor.role !== 'admin') throw new AppError('forbidden');
  await requireCurrent(source, 'transfer_source_not_current');
  const present = await schemaRelations(target.db);
  if (present.length) throw new AppError('transfer_target_not_empty', { to: options.to, relations: describeRelations(present) });

  const chunkPages = Math.max(1, options.chunkPages ?? CHUNK_PAGES);
  return inTransactions(source, target, (src, dst) => copyAll(src, dst, actor, options, chunkPages));
}

/**
 * Runs `work` with the source read in one snapshot and the target written in one transaction, committed
 * only when the work says so (`committed`), rolled back on a failure or a difference.
 */
export function inTransactions<R extends { committed: boolean }>(source: Database, target: Database, work: (src: Session, dst: Session) => Promise<R>): Promise<R> {
  return source.session((src) =>
    target.session(async (dst) => {
      await begin(src.db, 'repeatable read');
      try {
        await begin(dst.db);
        try {
          const report = await work(src, dst);
          if (report.committed) await commit(dst.db);
          else await rollback(dst.db);
          return report;
        } catch (e) {
          await rollback(dst.db);
          throw e;
        }
      } finally {
        await rollback(src.db);
      }
    }),
  );
}

/** Each table of the source's facts beside the target's. */
export function compareTables(source: DatabaseFacts, target: DatabaseFacts): TransferTable[] {
  const byTable = new Map(target.tables.map((t) => [t.table, t]));
  return source.tables.map((t) => {
    const other = byTable.get(t.table);
    return { table: t.table, source: t.rows, target: other?.rows ?? 0, same: other?.rows === t.rows && other.checksum === t.checksum };
  });
}

async function copyAll(src: Session, dst: Session, actor: Actor, options: TransferOptions, chunkPages: number): Promise<TransferReport> {
  // (named: the migrator would otherwise find its table in any schema of the database)
  await migrateToLatest(dst.db, await currentSchema(dst.db), { inTransaction: true });
  const sourceColumns = await sameColumns(src, dst);
  const tables = [...sourceColumns.keys()].filter((t) => !MIGRATOR_TABLES.has(t));

  // foreign keys are checked once at the end, over all rows (tables then load in any order, self-references too);
  // triggers are off: what they derive (coverage snapshots) is copied as it is
  const fks = await foreignKeys(dst.db);
  for (const fk of fks) await dropForeignKey(dst.db, fk);
  const triggered = await tablesWithTriggers(dst.db);
  for (const t of triggered) await setUserTriggers(dst.db, t, false);
  await truncateTables(dst.db, tables);

  let chunks = 0;
  for (const table of tables) {
    const columns = sourceColumns.get(table)!;
    const pages = await tablePages(src.db, table);
    let rows = 0;
    for (let from = 0; from < Math.max(pages, 1); from += chunkPages) {
      const to = from + chunkPages >= pages ? null : from + chunkPages;
      const data = await src.copyOut(chunkQuery(table, columns, from, to));
      rows += binaryRowCount(data);
      // FREEZE: the table was emptied in this transaction, so its rows can be written frozen
      await dst.copyBinary(table, columns, data, { freeze: true });
      chunks++;
    }
    await options.onTable?.(table, rows);
  }
  for (const s of await sequences(src.db)) await setSequence(dst.db, s);
  for (const t of triggered) await setUserTriggers(dst.db, t, true);
  for (const fk of fks) await addForeignKey(dst.db, fk);

  await options.beforeCheck?.(dst);
  const before = await factsInTransaction(src.db);
  const after = await factsInTransaction(dst.db);
  const differences = factDifferences(dataFacts(before), dataFacts(after));
  const report: TransferReport = {
    from: options.from,
    to: options.to,
    migration: before.migration,
    tables: compareTables(dataFacts(before), after),
    ledgerAccounts: before.ledger.length,
    ledgerTotal: before.ledger.reduce((sum, l) => sum + l.total, 0),
    differences,
    committed: differences.length === 0,
    chunks,
  };
  if (report.committed)
    await audit(dst.db, actor, {
      action: 'database_transfer',
      entity: 'database',
      entityId: options.to,
      after: {
        source: options.from,
        migration: report.migration,
        tableCount: report.tables.length,
        rowCount: report.tables.reduce((sum, t) => sum + t.source, 0),
        ledgerTotal: report.ledgerTotal,
      },
    });
  return report;
}

/**
 * The rows in a COPY binary stream, from each row's field count (header: 11-byte signature, flags, extension).
 * Reads only the row headers and field lengths, not the values.
 */
export function binaryRowCount(data: Uint8Array): number {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  let p = 11 + 4;
  p += 4 + view.getInt32(p);
  let rows = 0;
  while (p + 2 <= data.byteLength) {
    const fields = view.getInt16(p);
    p += 2;
    if (fields === -1) break;
    for (let f = 0; f < fields; f++) {
      const len = view.getInt32(p);
      p += 4 + Math.max(len, 0);
    }
    rows++;
  }
  return rows;
}
