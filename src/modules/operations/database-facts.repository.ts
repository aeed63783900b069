/**
 * What a database holds, in a form two databases can be compared by: every table's row count and an
 * order-independent checksum of its rows, the money totals of every programme's ledger, and the last
 * migration. A backup that restores, a transfer to the server and an upgrade are each checked by
 * comparing these facts before and after (docs/decisions.md, "How a copy of the database is proven").
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import type { DB } from '../../db/schema';

export interface TableFact {
  table: string;
  rows: number;
  /**
   * Sum over the rows of the first 60 bits of md5(row as text), as a decimal string: the same set of
   * rows gives the same sum whatever their physical order, and one changed value changes it.
   */
  checksum: string;
}

export interface LedgerFact {
  programmeId: string;
  account: string;
  /** Sum of the postings in dong. */
  total: number;
}

export interface DatabaseFacts {
  /** Name of the last migration run (null on an empty database). */
  migration: string | null;
  tables: TableFact[];
  ledger: LedgerFact[];
}

/** The migrator's own bookkeeping is not data: the lock table changes while a migration runs. */
const NOT_DATA = new Set(['kysely_migration_lock']);

/** The base tables of the current schema, by name. */
export async function dataTables(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and table_type = 'BASE TABLE'
    order by table_name`.execute(db);
  return rows.map((r) => r.name).filter((n) => !NOT_DATA.has(n));
}

/**
 * Counts and checksums every table inside one REPEATABLE READ transaction (one consistent snapshot) with
 * the text output settings pinned, so the same rows give the same text on PGlite and on the server.
 */
export async function databaseFacts(db: Kysely<DB>): Promise<DatabaseFacts> {
  return db
    .transaction()
    .setIsolationLevel('repeatable read')
    .execute((trx) => factsInTransaction(trx));
}

/**
 * The same facts read by a caller that has begun a (REPEATABLE READ) transaction on `trx` itself: a
 * transfer checks what it has written before it commits, a backup reads them in the very snapshot it copies
 * (PostgreSQL: the snapshot pg_dump is given). The output settings last until that transaction ends.
 */
export async function factsInTransaction(trx: Kysely<DB>): Promise<DatabaseFacts> {
  await pinTextOutput(trx);
  const tables: TableFact[] = [];
  for (const table of await dataTables(trx)) tables.push(await rowsFact(trx, table, sql`select * from ${sql.table(table)}`));
  const hasLedger = tables.some((t) => t.table === 'ledger_entry');
  const ledger = hasLedger
    ? (
        await sql<{ programmeId: string; account: string; total: string }>`
          select programme_id, account, sum(amount)::text as total from ledger_entry
          group by programme_id, account order by programme_id, account`.execute(trx)
      ).rows.map((r) => ({ programmeId: r.programmeId, account: r.account, total: Number(r.total) }))
    : [];
  const hasMigrations = tables.some((t) => t.table === 'kysely_migration');
  const migration = hasMigrations
    ? ((await sql<{ name: string }>`select name from kysely_migration order by name desc limit 1`.execute(trx)).rows[0]?.name ?? null)
    : null;
  return { migration, tables, ledger };
}

/** The text output settings, pinned until the transaction ends, so the same rows give the same text on both engines. */
export async function pinTextOutput(trx: Kysely<DB>): Promise<void> {
  await sql`set local timezone = 'UTC'`.execute(trx);
  await sql`set local datestyle = 'ISO, YMD'`.execute(trx);
  await sql`set local intervalstyle = 'postgres'`.execute(trx);
  await sql`set local extra_float_digits = 1`.execute(trx);
  await sql`set local bytea_output = 'hex'`.execute(trx);
}

/**
 * The count and checksum of the rows a select returns (`name` labels it): a whole table's, or a part of one
 * (a commune's households). Call after pinTextOutput, in the same transaction.
 */
export async function rowsFact(trx: Kysely<DB>, name: string, query: RawBuilder<unknown>): Promise<TableFact> {
  const { rows } = await sql<{ rows: string; checksum: string }>`
    select count(*)::text as rows,
           coalesce(sum(('x' || substr(md5(t::text), 1, 15))::bit(60)::bigint), 0)::text as checksum
    from (${query}) t`.execute(trx);
  return { table: name, rows: Number(rows[0]!.rows), checksum: rows[0]!.checksum };
}

/** Where two databases' facts differ, one line each ("table person: 10 rows, 9 rows"); empty when equal. */
export function factDifferences(a: DatabaseFacts, b: DatabaseFacts, options: { checksums?: boolean } = {}): string[] {
  const out: string[] = [];
  const checksums = options.checksums ?? true;
  const bTables = new Map(b.tables.map((t) => [t.table, t]));
  for (const t of a.tables) {
    const other = bTables.get(t.table);
    if (!other) out.push(`table ${t.table}: missing`);
    else if (other.rows !== t.rows) out.push(`table ${t.table}: ${t.rows} rows, ${other.rows} rows`);
    else if (checksums && other.checksum !== t.checksum) out.push(`table ${t.table}: checksum ${t.checksum}, ${other.checksum}`);
    bTables.delete(t.table);
  }
  for (const t of bTables.values()) if (checksums || t.rows > 0) out.push(`table ${t.table}: not in the first`);
  const key = (l: LedgerFact) => `${l.programmeId} ${l.account}`;
  const bLedger = new Map(b.ledger.map((l) => [key(l), l.total]));
  for (const l of a.ledger) {
    const other = bLedger.get(key(l));
    if (other !== l.total) out.push(`ledger ${key(l)}: ${l.total} ₫, ${other === undefined ? 'none' : `${other} ₫`}`);
    bLedger.delete(key(l));
  }
  for (const [k, total] of bLedger) out.push(`ledger ${k}: none, ${total} ₫`);
  return out;
}
