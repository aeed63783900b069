/**
 * Coverage starts and renewals per commune and day, kept (issue 20: a province's campaign progress; issue
 * 23 item 6: the dashboard on a day that is not a month end). `coverage_day` holds, per (day, commune,
 * group), the persons whose coverage span starts that day (`started`: the span counts of coverage_count by
 * their first day, villages and ends summed) and the persons whose card renews their coverage that day
 * (`renewed`: coverage_renewal, villages summed). A province's month is then some 99 x 31 rows per group,
 * where the village rows of coverage_renewal are some 18,000 and the spans starting in the month (every
 * group, read to pick group GD) some 57,000 at 2,000,000 persons; and a day D that is not a month end is
 * the month end M before it plus the starts in (M, D] less the ends in [M, D) (coverage_end_day), with no
 * span read.
 *
 * Kept where coverage_count and coverage_renewal are (addDeltas in coverage-counts.repository.ts, the same
 * statement's deltas) and by the fresh-import fast path. Rows that fall to zero are deleted.
 *
 * What the register already holds is counted from the kept counts by the SQL below, frozen here as released.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table coverage_day (
    day date not null,
    commune_code text not null,
    group_code text not null,
    started integer not null,
    renewed integer not null,
    primary key (day, commune_code, group_code)
  )`.execute(db);
  await sql`
    insert into coverage_day (day, commune_code, group_code, started, renewed)
    select day, commune_code, group_code, sum(started)::int, sum(renewed)::int from (
      select span_from as day, commune_code, group_code, persons as started, 0 as renewed from coverage_count
      union all
      select day, commune_code, group_code, 0, persons from coverage_renewal
    ) x group by 1, 2, 3 having sum(started) <> 0 or sum(renewed) <> 0`.execute(db);
  await sql`analyze coverage_day`.execute(db);
}
