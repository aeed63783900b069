/**
 * The end state of each import started over HTTP (issue 16): the job itself lives in the server's memory
 * (its progress must be readable while the embedded database is busy with it), so a crash forgot it and
 * its user could not tell that it was rolled back. A row is written when the import starts and updated
 * when it ends; on the next start a row still 'running' is marked 'interrupted' (the import's one
 * transaction was rolled back with the crash).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('import_job')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('owner_id', 'uuid')
    .addColumn('file_name', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull().check(sql`status in ('running', 'done', 'failed', 'interrupted')`))
    .addColumn('dry_run', 'boolean', (c) => c.notNull())
    .addColumn('valid_rows_only', 'boolean', (c) => c.notNull())
    .addColumn('rows', 'integer')
    .addColumn('inserted', 'integer')
    .addColumn('updated', 'integer')
    .addColumn('unchanged', 'integer')
    .addColumn('rejected', 'integer')
    .addColumn('rolled_back', 'boolean')
    .addColumn('error_code', 'text')
    .addColumn('started_at', 'timestamptz', (c) => c.notNull())
    .addColumn('finished_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('import_job_status_idx').on('import_job').column('status').execute();
}
