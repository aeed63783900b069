/**
 * Coverage snapshots (issue 5), kept next to the span counts of 0006 so that a province's dashboard (all
 * its communes) reads a few hundred rows whatever the size of its register:
 * - coverage_month: per (month end, commune, group of the coverage), participants and those whose
 *   coverage ends within 30 days; a dashboard on a month end (the dates reports use) reads it alone;
 * - coverage_end_day: per (day, commune, group), persons whose coverage span ends that day. Any other day D
 *   is the month end M before it, plus the spans starting in (M, D] (an index on span_from), minus those
 *   ending in [M, D) (these day counts, less the few short spans that also started after M; a partial index).
 * Villages need none: a commune's villages read the commune's own span counts (a few thousand rows).
 * A statement trigger on coverage_count applies every change of the span counts to both in the same
 * transaction, whoever makes it (refreshCoverageCounts, the fresh import). Rows that fall to zero stay (the
 * key space is bounded: days x communes x groups). A test compares them with the register
 * (src/modules/coverage/coverage-counts.test.ts).
 *
 * Also: reported figures of pre-2025 communes (old codes), each counted towards one new commune, so that
 * a figure reported before the reorganisation compares with the new commune a year later (decisions.md).
 */
import { sql, type Kysely } from 'kysely';

/**
 * Adds the rows of `source` (commune_code, village_code, group_code, span_from, span_to, n) to the
 * snapshots of their communes, in one statement whose cost grows with the rows changed, not with the
 * months they cover. Persons per month end, as a difference table: a span adds n at the first month end on
 * or after its start and takes n away at the first month end after its end (`ev`, at most 2 rows per span,
 * summed per (commune, group, month end), zeros dropped); a running sum over those events in month order
 * gives the change of persons from each event to the next (`runs`), and only the months between two events
 * with a non-zero change are written (`running`; for one household's edit, the few months it changes; for a
 * bulk load, each (commune, group) and month once). The month ends are never joined back to the events (a
 * join of every month with every event of its (commune, group) was the cost of the first running-sum
 * version). Expiring within 30 days: the month ends a span covers that its end follows by 30 days or less,
 * which are the month end of max(start, end - 30) and the one after, when not past the end (no month has
 * fewer than 28 days, so a window of 31 days holds at most two month ends).
 */
const apply = (source: string) => `
  with d as (${source}),
  ev as (
    select commune_code, group_code, day, sum(n)::int as n from (
      select commune_code, group_code, (date_trunc('month', span_from::timestamp) + interval '1 month')::date - 1 as day, n from d
      union all
      select commune_code, group_code, (date_trunc('month', (span_to + 1)::timestamp) + interval '1 month')::date - 1, -n from d
    ) e group by 1, 2, 3 having sum(n) <> 0
  ),
  runs as (
    select commune_code, group_code, day, sum(n) over w as persons, lead(day) over w as next
    from ev window w as (partition by commune_code, group_code order by day)
  ),
  running as (
    select (g + interval '1 month')::date - 1 as day, r.commune_code, r.group_code, r.persons
    from runs r cross join lateral generate_series(date_trunc('month', r.day::timestamp), date_trunc('month', r.next::timestamp) - interval '1 month', interval '1 month') as g
    where r.persons <> 0
  ),
  expiring as (
    select day, commune_code, group_code, sum(n) as n from (
      select commune_code, group_code, span_to, n, (date_trunc('month', greatest(span_from, span_to - 30)::timestamp) + interval '1 month')::date - 1 as day from d
      union all
      select commune_code, group_code, span_to, n, (date_trunc('month', greatest(span_from, span_to - 30)::timestamp) + interval '2 month')::date - 1 from d
    ) x where day <= span_to group by 1, 2, 3
  ),
  months as (
    insert into coverage_month (day, commune_code, group_code, persons, expiring30)
    select day, commune_code, group_code, sum(persons)::int, sum(expiring30)::int from (
      select day, commune_code, group_code, persons, 0 as expiring30 from running
      union all
      select day, commune_code, group_code, 0, n from expiring
    ) u group by 1, 2, 3
    on conflict (day, commune_code, group_code) do update
      set persons = coverage_month.persons + excluded.persons, expiring30 = coverage_month.expiring30 + excluded.expiring30
    returning 1
  )
  insert into coverage_end_day (day, commune_code, group_code, persons)
  select span_to, commune_code, group_code, sum(n)::int from d group by 1, 2, 3
  on conflict (day, commune_code, group_code) do update set persons = coverage_end_day.persons + excluded.persons`;

const columns = 'commune_code, village_code, group_code, span_from, span_to';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('coverage_month')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('commune_code', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addColumn('expiring30', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('coverage_month_pk', ['day', 'commune_code', 'group_code'])
    .execute();

  // persons whose coverage span ends on each day (for a day that is not a month end, and for expiring)
  await db.schema
    .createTable('coverage_end_day')
    .addColumn('day', 'date', (c) => c.notNull())
    .addColumn('commune_code', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('coverage_end_day_pk', ['day', 'commune_code', 'group_code'])
    .execute();
  // a day that is not a month end: the month end before it, plus the spans that start in between, minus
  // those that end in between (the day counts above), corrected by the short spans (under 31 days)
  await db.schema.createIndex('coverage_count_from_idx').ifNotExists().on('coverage_count').column('span_from').execute();
  await sql`create index if not exists coverage_count_short_idx on coverage_count (span_from) where span_to - span_from < 31`.execute(db);

  // whatever the span counts already hold
  await sql.raw(apply(`select ${columns}, persons as n from coverage_count`)).execute(db);

  await sql
    .raw(
      // no JIT: on PostgreSQL a bulk insert's estimates make it compile this statement, which cost more
      // (about 0.3 s per 60,000 span rows) than running it
      `create function coverage_count_to_months() returns trigger language plpgsql set jit = off as $$
      begin
        if tg_op = 'INSERT' then
          ${apply(`select ${columns}, persons as n from new_rows where persons <> 0`)};
        elsif tg_op = 'UPDATE' then
          ${apply(`select ${columns}, persons as n from new_rows where persons <> 0 union all select ${columns}, -persons from old_rows where persons <> 0`)};
        else
          ${apply(`select ${columns}, -persons as n from old_rows where persons <> 0`)};
        end if;
        return null;
      end $$`,
    )
    .execute(db);
  await sql`create trigger coverage_count_months_insert after insert on coverage_count referencing new table as new_rows for each statement execute function coverage_count_to_months()`.execute(db);
  await sql`create trigger coverage_count_months_update after update on coverage_count referencing old table as old_rows new table as new_rows for each statement execute function coverage_count_to_months()`.execute(db);
  await sql`create trigger coverage_count_months_delete after delete on coverage_count referencing old table as old_rows for each statement execute function coverage_count_to_months()`.execute(db);

  await db.schema
    .createTable('old_commune_figure')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    // the pre-2025 commune code (commune_mapping.old_code)
    .addColumn('old_code', 'text', (c) => c.notNull())
    // the new commune the figure counts towards (one of the old commune's new communes)
    .addColumn('unit_code', 'text', (c) => c.notNull().references('unit.code'))
    .addColumn('as_of', 'date', (c) => c.notNull())
    .addColumn('participants', 'bigint', (c) => c.check(sql`participants >= 0`))
    .addColumn('population', 'bigint', (c) => c.check(sql`population >= 0`))
    .addColumn('source', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('old_commune_figure_key', ['unit_code', 'old_code', 'as_of'])
    .execute();
}
