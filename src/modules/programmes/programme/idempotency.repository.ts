/** SQL for the idempotency keys of money actions (confirm.ts): claim, release, store the result, read. */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../db/schema';

/**
 * How long a key answers for its first request. A client retries within minutes (a lost answer, a double
 * click); a week covers a phone that was offline for days. Older keys are deleted as keys are claimed, so
 * the table holds a week of money actions, not every one ever made.
 */
export const KEY_DAYS = 7;

/** Claims (user, key) for `scope`; false when the key is already taken. Keys older than KEY_DAYS go first. */
export async function claimKey(db: Kysely<DB>, username: string, key: string, scope: string): Promise<boolean> {
  await db.deleteFrom('idempotencyKey').where('createdAt', '<', sql<Date>`now() - make_interval(days => ${KEY_DAYS})`).execute();
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
