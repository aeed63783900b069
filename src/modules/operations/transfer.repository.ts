/**
 * The SQL of a transfer from one database to another (transfer.service.ts): what a database holds, its
 * tables' columns and foreign keys, and the statements that copy a table in chunks of pages.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';

/** The migrator's own tables: each database keeps its own history of when its migrations ran. */
export const MIGRATOR_TABLES = new Set(['kysely_migration', 'kysely_migration_lock']);

export interface Relation {
  name: string;
  /** 'table', 'view', 'sequence', ... */
  kind: string;
  /** Tables only: rows, counted up to ROW_COUNT_CAP (more shows as the cap). */
  rows?: number;
}

/** A table's rows are counted up to this many when naming what a database holds. */
export const ROW_COUNT_CAP = 1_000_000;

const KINDS: Record<string, string> = { r: 'table', p: 'table', v: 'view', m: 'materialized view', S: 'sequence', f: 'foreign table' };

/** Everything with a name in the current schema (tables, views, sequences), tables with their rows. */
export async function schemaRelations(db: Kysely<DB>): Promise<Relation[]> {
  const { rows } = await sql<{ name: string; kind: string }>`
    select c.relname as name, c.relkind::text as kind from pg_class c
    where c.relnamespace = current_schema()::regnamespace and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
    order by c.relname`.execute(db);
  const out: Relation[] = [];
  for (const r of rows) {
    const kind = KINDS[r.kind] ?? r.kind;
    if (kind !== 'table') {
      out.push({ name: r.name, kind });
      continue;
    }
    const counted = await sql<{ n: number }>`
      select count(*)::int as n from (select from ${sql.table(r.name)} limit ${ROW_COUNT_CAP}) t`.execute(db);
    out.push({ name: r.name, kind, rows: counted.rows[0]!.n });
  }
  return out;
}

/** The schema a database works in (its search_path's first). */
export async function currentSchema(db: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ schema: string }>`select current_schema() as schema`.execute(db);
  return rows[0]!.schema;
}

/** The names of the migrations that have run, in order (none when the database has no migrator table). */
export async function executedMigrations(db: Kysely<DB>): Promise<string[]> {
  const { rows: exists } = await sql<{ found: boolean }>`select to_regclass('kysely_migration') is not null as found`.execute(db);
  if (!exists[0]!.found) return [];
  const { rows } = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.map((r) => r.name);
}

/** Each base table of the current schema with its stored columns (generated ones aside), in table order. */
export async function tableColumns(db: Kysely<DB>): Promise<Map<string, string[]>> {
  const { rows } = await sql<{ table: string; columns: string[] }>`
    select c.table_name as table, array_agg(c.column_name::text order by c.ordinal_position) as columns
    from information_schema.columns c
    join information_schema.tables t on t.table_schema = c.table_schema and t.table_name = c.table_name and t.table_type = 'BASE TABLE'
    where c.table_schema = current_schema() and c.is_generated = 'NEVER'
    group by c.table_name order by c.table_name`.execute(db);
  return new Map(rows.map((r) => [r.table, r.columns]));
}

export interface ForeignKey {
  table: string;
  name: string;
  /** As pg_get_constraintdef writes it ("FOREIGN KEY (x) REFERENCES t(y) ON DELETE CASCADE"). */
  definition: string;
}

export async function foreignKeys(db: Kysely<DB>): Promise<ForeignKey[]> {
  const { rows } = await sql<ForeignKey>`
    select conrelid::regclass::text as table, conname as name, pg_get_constraintdef(oid) as definition
    from pg_constraint where contype = 'f' and connamespace = current_schema()::regnamespace
    order by 1, 2`.execute(db);
  return rows;
}

export async function dropForeignKey(db: Kysely<DB>, fk: ForeignKey): Promise<void> {
  await sql`alter table ${sql.table(fk.table)} drop constraint ${sql.id(fk.name)}`.execute(db);
}

/** Adds a foreign key back; PostgreSQL checks every row against it. */
export async function addForeignKey(db: Kysely<DB>, fk: ForeignKey): Promise<void> {
  await sql`alter table ${sql.table(fk.table)} add constraint ${sql.id(fk.name)} ${sql.raw(fk.definition)}`.execute(db);
}

/** The tables with triggers of their own (not the ones PostgreSQL makes for foreign keys). */
export async function tablesWithTriggers(db: Kysely<DB>): Promise<string[]> {
  const { rows } = await sql<{ table: string }>`
    select distinct c.relname as table from pg_trigger g join pg_class c on c.oid = g.tgrelid
    where not g.tgisinternal and c.relnamespace = current_schema()::regnamespace order by 1`.execute(db);
  return rows.map((r) => r.table);
}

export async function setUserTriggers(db: Kysely<DB>, table: string, enabled: boolean): Promise<void> {
  await sql`alter table ${sql.table(table)} ${sql.raw(enabled ? 'enable' : 'disable')} trigger user`.execute(db);
}

/** Empties the tables (the rows the migrations put there); in one statement, so foreign keys between them do not stop it. */
export async function truncateTables(db: Kysely<DB>, tables: string[]): Promise<void> {
  if (!tables.length) return;
  await sql`truncate ${sql.join(tables.map((t) => sql.table(t)))}`.execute(db);
}

/** The pages a table's rows lie in now (its heap's size over the page size). */
export async function tablePages(db: Kysely<DB>, table: string): Promise<number> {
  const { rows } = await sql<{ pages: number }>`
    select (pg_relation_size(${table}::regclass) / current_setting('block_size')::int)::int as pages`.execute(db);
  return rows[0]!.pages;
}

const IDENT = /^[a-z_][a-z0-9_]*$/;

/**
 * The select of a table's rows that lie in pages [from, to) (to null: from `from` on), by a TID range scan:
 * a chunk reads only its own pages, whatever the table's keys, and the chunks together are every row once.
 */
export function chunkQuery(table: string, columns: string[], from: number, to: number | null): string {
  for (const name of [table, ...columns]) if (!IDENT.test(name)) throw new Error(`invalid identifier ${name}`);
  const upper = to === null ? '' : ` and ctid < '(${to},0)'::tid`;
  return `select ${columns.join(', ')} from ${table} where ctid >= '(${from},0)'::tid${upper}`;
}

export interface SequenceState {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

/** Every sequence of the current schema with its position (coverdesk makes its ids in the app: none today). */
export async function sequences(db: Kysely<DB>): Promise<SequenceState[]> {
  const { rows } = await sql<{ name: string }>`
    select sequencename as name from pg_sequences where schemaname = current_schema() order by 1`.execute(db);
  const out: SequenceState[] = [];
  for (const { name } of rows) {
    const state = await sql<{ lastValue: string; isCalled: boolean }>`select last_value::text, is_called from ${sql.table(name)}`.execute(db);
    out.push({ name, ...state.rows[0]! });
  }
  return out;
}

export async function setSequence(db: Kysely<DB>, s: SequenceState): Promise<void> {
  await sql`select setval(${s.name}::regclass, ${s.lastValue}::bigint, ${s.isCalled})`.execute(db);
}

/** Transaction control on a session's one connection (a Kysely transaction cannot hold COPY and migrations together). */
export async function begin(db: Kysely<DB>, isolation: 'read committed' | 'repeatable read' = 'read committed'): Promise<void> {
  await sql`begin isolation level ${sql.raw(isolation)}`.execute(db);
}

export async function commit(db: Kysely<DB>): Promise<void> {
  await sql`commit`.execute(db);
}

export async function rollback(db: Kysely<DB>): Promise<void> {
  await sql`rollback`.execute(db);
}
