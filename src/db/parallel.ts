/**
 * PostgreSQL's parallel workers, turned off for short index-driven reads. On the server the planner gave
 * the coverage dashboard's one statement (a union of small index scans) two parallel workers, and starting
 * them cost more than the whole query: at 200,000 persons on 18/11/2025, 144-150 ms with them against
 * 23-35 ms without (docs/BENCHMARKS.md, "coverage"). The embedded database has no parallel workers: the
 * setting changes nothing there.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from './schema';

/**
 * Runs `fn` with `max_parallel_workers_per_gather = 0`: SET LOCAL in a read transaction of its own, or in
 * the caller's transaction when `db` already is one (the setting then lasts until that transaction ends).
 */
export async function withoutParallelWorkers<T>(db: Kysely<DB>, fn: (db: Kysely<DB>) => Promise<T>): Promise<T> {
  const run = async (trx: Kysely<DB>) => {
    await sql`set local max_parallel_workers_per_gather = 0`.execute(trx);
    return fn(trx);
  };
  return db.isTransaction ? run(db) : db.transaction().execute(run);
}
