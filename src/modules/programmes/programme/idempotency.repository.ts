/** SQL for the idempotency keys of money actions (confirm.ts): claim, release, store the result, read. */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';

/** Claims (user, key) for `scope`; false when the key is already taken. */
export async function claimKey(db: Kysely<DB>, username: string, key: string, scope: string): Promise<boolean> {
  const claimed = await db
    .insertInto('idempotencyKey')
    .values({ username, key, scope, response: null })
    .onConflict((oc) => oc.columns(['username', 'key']).doNothing())
    .returning('key')
    .executeTakeFirst();
  return claimed !== undefined;
}

export async function releaseKey(db: Kysely<DB>, username: string, key: string): Promise<void> {
  await db.deleteFrom('idempotencyKey').where('username', '=', username).where('key', '=', key).execute();
}

/** Stores the result (JSON) of the run that claimed the key. */
export async function storeResponse(db: Kysely<DB>, username: string, key: string, response: string): Promise<void> {
  await db.updateTable('idempotencyKey').set({ response }).where('username', '=', username).where('key', '=', key).execute();
}

export function findKey(db: Kysely<DB>, username: string, key: string) {
  return db.selectFrom('idempotencyKey').select(['scope', 'response']).where('username', '=', username).where('key', '=', key).executeTakeFirst();
}
