/**
 * A card was found by its id with a scan of the whole card table (its key was household + id, and no
 * index led with the id): editing or deleting one card of a province's register read every card. Now:
 * - the primary key is (household_id, person_id, id): a person's cards, as every register query asks for
 *   them (household first, docs/scaling.md), and the key the card -> person foreign key is checked along;
 *   it replaces the index on (household_id, person_id, valid_to) of migration 0009;
 * - card_id_idx finds a card by its id alone (as person_id_idx finds a person).
 * The card table keeps two indexes, so a bulk import maintains no more than before.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table card drop constraint card_pk`.execute(db);
  await sql`alter table card add constraint card_pk primary key (household_id, person_id, id)`.execute(db);
  await sql`drop index if exists card_person_idx`.execute(db);
  await sql`create index card_id_idx on card (id)`.execute(db);
}
