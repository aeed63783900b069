/**
 * Planner statistics for tables that grow through the day. The embedded database has no autovacuum, so
 * nothing ever runs ANALYZE there and a table's row estimate stays what it was (often "empty"): a query over
 * 15,000 visits of a month was planned as one row, sorted instead of hashed, and took twice as long. The
 * server's autovacuum does it on PostgreSQL; doing it here too is cheap and harmless. A service notes the
 * rows it wrote; when they pass autovacuum's default threshold (50 rows + 10% of the table as last
 * analysed), the table is analysed. Counts live in this process (per database handle).
 */
import { sql, type Kysely } from 'kysely';
import type { Engine } from './connect';

const written = new WeakMap<object, Map<string, { rows: number; threshold: number }>>();

/** autovacuum's default: 50 rows + 10% of the rows the table had when last analysed. */
async function threshold(db: Kysely<any>, table: string): Promise<number> {
  const r = await sql<{ rows: number }>`select greatest(reltuples, 0)::float8 as rows from pg_class where oid = to_regclass(${table})`.execute(db);
  return 50 + Math.floor(0.1 * Number(r.rows[0]?.rows ?? 0));
}

/** Notes `rows` written to `table`; analyses it when they pass the threshold. */
export async function noteWrites(db: Kysely<any>, table: string, rows: number): Promise<void> {
  if (rows <= 0) return;
  let tables = written.get(db);
  if (!tables) written.set(db, (tables = new Map()));
  const t = tables.get(table) ?? { rows: 0, threshold: 50 };
  tables.set(table, t);
  t.rows += rows;
  if (t.rows < t.threshold) return;
  t.threshold = await threshold(db, table);
  if (t.rows < t.threshold) return;
  await sql`analyze ${sql.table(table)}`.execute(db);
  t.rows = 0;
  t.threshold = await threshold(db, table);
}

/**
 * After a bulk change of `tables` (an import, the demo's load): fresh planner statistics, and on the
 * embedded database a VACUUM too. With no autovacuum there, the rows an update or delete leaves behind are
 * never reclaimed and the visibility map is never set: the kept tables (each person's latest card, each
 * household's coverage) grew to 2.5 times their size, every index probe read dead rows, and no scan could
 * be index-only. Measured at 2,000,000 persons: the province's reminder list 4.0 s -> 3.1 s. A VACUUM skips
 * the pages all visible since the last one, so after the first it costs little more than the ANALYZE.
 * Outside a transaction (VACUUM cannot run in one). The server's autovacuum does it on PostgreSQL.
 */
export async function refreshTables(db: Kysely<any>, engine: Engine, tables: readonly string[]): Promise<void> {
  if (tables.length === 0) return;
  const list = sql.join(tables.map((t) => sql.table(t)));
  if (engine === 'pglite') await sql`vacuum (analyze) ${list}`.execute(db);
  else await sql`analyze ${list}`.execute(db);
}

/**
 * The whole embedded database VACUUMed and analysed: the server does it once a day, for the rows that
 * day-to-day edits leave behind (one card at a time, between imports). Nothing on PostgreSQL, whose
 * autovacuum does it.
 */
export async function vacuumDatabase(db: Kysely<any>, engine: Engine): Promise<void> {
  if (engine === 'pglite') await sql`vacuum (analyze)`.execute(db);
}
