/**
 * Planner statistics for tables that grow through the day. The embedded database has no autovacuum, so
 * nothing ever runs ANALYZE there and a table's row estimate stays what it was (often "empty"): a query over
 * 15,000 visits of a month was planned as one row, sorted instead of hashed, and took twice as long. The
 * server's autovacuum does it on PostgreSQL; doing it here too is cheap and harmless. A service notes the
 * rows it wrote; when they pass autovacuum's default threshold (50 rows + 10% of the table as last
 * analysed), the table is analysed. Counts live in this process (per database handle).
 */
import { sql, type Kysely } from 'kysely';

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
