/**
 * Each person's latest card, kept (issue 20: the province's renewal reminders). `latest_card` holds, per
 * person who ever had a card, the card of theirs that ends last (two ending the same day: the smaller id)
 * and its end. A province's reminder list wants the persons whose latest card ends in a window: without
 * it, each card ending in the window was checked for a later card of the same person (some 20 µs each on
 * the embedded database, about 120,000 candidates at 2,000,000 persons); with it, an index range over the
 * end dates gives exactly those persons. Kept like household_coverage (migration 0016): coverageChange
 * (src/modules/coverage/coverage-counts.ts) recomputes the households a change touches, in the change's
 * transaction, and the fresh-import fast path writes it from the cards it loads. The household's id comes
 * first (distributable by household, docs/scaling.md). No foreign key, like household_coverage: the fast
 * path COPYs it unchecked, and a person's row leaves with their last card through coverageChange. It
 * carries the card's collector (where the reminder says to pay), so the list reads no card at all.
 *
 * `card_household_gd_idx`: the reminder list prices a household's members after those who enrolled in the
 * household mode (GD) this year; reading every card of tens of thousands of households for that cost
 * seconds, this partial index reads only their GD cards by start date.
 *
 * What the register already holds is taken by the SQL below, frozen here as released.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table latest_card (
    household_id uuid not null,
    person_id uuid not null,
    card_id uuid not null,
    valid_to date not null,
    collector_code text,
    primary key (household_id, person_id)
  )`.execute(db);
  await sql`
    insert into latest_card (household_id, person_id, card_id, valid_to, collector_code)
    select distinct on (household_id, person_id) household_id, person_id, id, valid_to, collector_code
    from card order by household_id, person_id, valid_to desc, id`.execute(db);
  await sql`create index latest_card_valid_to_idx on latest_card (valid_to)`.execute(db);
  await sql`analyze latest_card`.execute(db);
  await sql`create index card_household_gd_idx on card (household_id, valid_from) include (person_id) where group_code = 'GD'`.execute(db);
}
