/** The end state of imports started over HTTP (table import_job, migration 0012). */
import type { Insertable, Kysely, Updateable } from 'kysely';
import type { DB, ImportJobTable } from '../../db/schema';

export async function insertImportJob(db: Kysely<DB>, row: Insertable<ImportJobTable>): Promise<void> {
  await db.insertInto('importJob').values(row).execute();
}

export async function updateImportJob(db: Kysely<DB>, id: string, patch: Updateable<ImportJobTable>): Promise<void> {
  await db.updateTable('importJob').set(patch).where('id', '=', id).execute();
}

export const findImportJob = (db: Kysely<DB>, id: string) => db.selectFrom('importJob').selectAll().where('id', '=', id).executeTakeFirst();

/** Marks the imports left running by a server that stopped as interrupted; returns how many. */
export async function markRunningInterrupted(db: Kysely<DB>, now: Date): Promise<number> {
  const r = await db.updateTable('importJob').set({ status: 'interrupted', rolledBack: true, finishedAt: now }).where('status', '=', 'running').executeTakeFirst();
  return Number(r.numUpdatedRows);
}
