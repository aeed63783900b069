/** The record of backup files made (table backup_record, migration 0027). */
import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { BackupRecordTable, DB } from '../../db/schema';

export type BackupRecordInput = Omit<BackupRecordTable, 'id'>;

export async function insertBackupRecord(db: Kysely<DB>, row: BackupRecordInput): Promise<string> {
  const id = randomUUID();
  await db.insertInto('backupRecord').values({ id, ...row }).execute();
  return id;
}

export async function lastBackupRecord(db: Kysely<DB>) {
  return (await db.selectFrom('backupRecord').selectAll().orderBy('createdAt', 'desc').limit(1).executeTakeFirst()) ?? null;
}

/** PostgreSQL: the schema coverdesk's tables live in on this connection, and the database's name. */
export async function currentSchemaAndDatabase(db: Kysely<DB>): Promise<{ schema: string | null; database: string }> {
  const { rows } = await sql<{ schema: string | null; database: string }>`select current_schema() as schema, current_database() as database`.execute(db);
  return rows[0]!;
}

/** The tables, views and sequences in `schema` (the first few names; empty when it holds none or does not exist). */
export async function relationsIn(db: Kysely<DB>, schema: string, limit = 5): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
    where n.nspname = ${schema} and c.relkind in ('r', 'p', 'v', 'm', 'S', 'f')
    order by c.relname limit ${limit}`.execute(db);
  return rows.map((r) => r.name);
}

export async function schemaExists(db: Kysely<DB>, schema: string): Promise<boolean> {
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from pg_namespace where nspname = ${schema}`.execute(db);
  return rows[0]!.n > 0;
}

/** Drops an empty schema (no CASCADE: it fails rather than drop anything in it). */
export async function dropEmptySchema(db: Kysely<DB>, schema: string): Promise<void> {
  await sql`drop schema if exists ${sql.id(schema)}`.execute(db);
}

export async function renameSchema(db: Kysely<DB>, from: string, to: string): Promise<void> {
  await sql`alter schema ${sql.id(from)} rename to ${sql.id(to)}`.execute(db);
}

export async function checkpoint(db: Kysely<DB>): Promise<void> {
  await sql`checkpoint`.execute(db);
}

/** PostgreSQL: exports the calling REPEATABLE READ transaction's snapshot for pg_dump --snapshot. */
export async function exportSnapshot(trx: Kysely<DB>): Promise<string> {
  const { rows } = await sql<{ id: string }>`select pg_export_snapshot() as id`.execute(trx);
  return rows[0]!.id;
}

