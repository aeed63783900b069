/**
 * Issue 16 (no money moves on one click): a request that posts to a programme's ledger or changes its
 * status may carry an Idempotency-Key; the key is claimed here before the action runs and the action's
 * result stored after, so the same key again answers the first result and posts nothing
 * (src/modules/programmes/programme/confirm.ts). A row with response null is a request still running.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table idempotency_key (
    username text not null,
    key text not null,
    scope text not null,
    response text,
    created_at timestamptz not null default now(),
    primary key (username, key)
  )`.execute(db);
}
