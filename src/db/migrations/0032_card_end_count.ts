/**
 * Card ends kept like the coverage counts (issue 21: a plan's status projects each goal, and the projection's
 * renewal rate read every card that ended in the past year and looked for a later card of the same person:
 * seconds for a province). `card_end_count` holds, per commune and day, how many cards of the commune's
 * persons ended that day (`ended`), and how many of those were followed by a card of the same person ending
 * later and starting at most 90 days (RENEWAL_WINDOW_DAYS, src/domain/coverage.ts) after the end
 * (`renewed`). The observed renewal rate of a commune, a province or an office over a period is then a sum
 * over a few thousand rows. Villages are not kept (a village's cards are few: read from the cards).
 *
 * Kept by coverageChange (src/modules/coverage/coverage-counts.ts: a card added later can turn an earlier
 * end into a renewal, so the touched households are counted again, as for the other counts) and by the
 * fresh-import fast path. Rows that fall to zero are deleted.
 *
 * What the register already holds is counted by the SQL below, frozen here as released.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table card_end_count (
    commune_code text not null,
    day date not null,
    ended integer not null,
    renewed integer not null,
    primary key (commune_code, day)
  )`.execute(db);
  await sql`
    insert into card_end_count (commune_code, day, ended, renewed)
    select h.commune_code, c.valid_to, count(*)::int,
      (count(*) filter (where exists (
        select 1 from card n where n.household_id = c.household_id and n.person_id = c.person_id
          and n.valid_to > c.valid_to and n.valid_from <= c.valid_to + 90)))::int
    from card c join household h on h.id = c.household_id
    group by 1, 2`.execute(db);
  await sql`analyze card_end_count`.execute(db);
}
