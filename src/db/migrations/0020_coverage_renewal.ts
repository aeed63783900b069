/**
 * Renewals kept like the coverage counts (issue 20: a campaign's renewal target): `coverage_renewal` holds,
 * per commune, village ('' for none), group and day, how many persons had a card of that group start on
 * that day while an earlier-starting card of theirs covered the day before (a renewal; a card after a gap
 * starts a new span instead, counted by coverage_count). A province's renewals in a month are then a
 * few thousand rows, not a look at every card that starts in the month. Kept by coverageChange
 * (src/modules/coverage/coverage-counts.ts) and the fresh-import fast path, like coverage_count.
 *
 * What the register already holds is counted by the SQL below, frozen here as released.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('coverage_renewal')
    .addColumn('commune_code', 'text', (c) => c.notNull())
    .addColumn('village_code', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('coverage_renewal_pk', ['commune_code', 'day', 'village_code', 'group_code'])
    .execute();
  await sql`
    insert into coverage_renewal (commune_code, village_code, group_code, day, persons)
    select h.commune_code, coalesce(h.village_code, ''), r.group_code, r.valid_from, count(distinct r.person_id)::int
    from household h
    join lateral (
      select c.person_id, c.group_code, c.valid_from,
        max(c.valid_to) over (partition by c.person_id order by c.valid_from range between unbounded preceding and current row exclude group) as before_end
      from card c where c.household_id = h.id
    ) r on r.before_end >= r.valid_from - 1
    group by 1, 2, 3, 4`.execute(db);
}
