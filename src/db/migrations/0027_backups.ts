/**
 * Backups (issue 23 item 1): one row per backup file made (by hand, daily, or before an upgrade's
 * migrations), written after the snapshot it describes, so the admin page shows the last one and its size.
 * The file itself lives outside the database (docs/user-guide.md, "Backups").
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('backup_record')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('manual', 'daily', 'before_upgrade')`))
    // the file as the one who made it named it (an absolute path, or the name the CLI wrote)
    .addColumn('file', 'text', (c) => c.notNull())
    .addColumn('size_bytes', 'bigint', (c) => c.notNull())
    .addColumn('encrypted', 'boolean', (c) => c.notNull())
    // the last migration of the snapshot
    .addColumn('migration', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('backup_record_created_idx').on('backup_record').column('created_at').execute();
}
