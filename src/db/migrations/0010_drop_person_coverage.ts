/**
 * person_coverage (migration 0006) kept each person's merged spans as the coverage counts last saw them,
 * so that a change could take the old ones out. A change now reads them from the register before it
 * writes (coverageChange, src/modules/coverage/coverage-counts.ts), so the copy is no longer needed: one
 * row per person less to write and keep equal to the cards (a bulk import wrote as many rows into it as
 * into person). The counts themselves are unchanged.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists person_coverage`.execute(db);
}
