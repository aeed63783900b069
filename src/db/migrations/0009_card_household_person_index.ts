/**
 * Cards are looked up by their person, always with the person's household (every query does: the tables
 * are distributed by household, docs/scaling.md), so the index on a person's cards leads with the
 * household: (household_id, person_id, valid_to) instead of (person_id, valid_to). It is then in the
 * order of person's primary key, which lets the check of the card -> person foreign key, after a bulk
 * load, walk both indexes side by side instead of sorting both tables (import-fresh.ts).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists card_person_idx`.execute(db);
  await db.schema.createIndex('card_person_idx').on('card').columns(['household_id', 'person_id', 'valid_to']).execute();
}
