/**
 * Kept coverage aggregates, so a province's dashboard does not scan its register:
 * - person_coverage: each person's coverage as merged spans (overlapping and back-to-back cards joined),
 *   with the group of the span's latest card; a person without any card has one row with no span
 *   (dropped by migration 0010: a change now reads the spans from the register before it writes);
 * - coverage_count: persons per (commune, village, group, span) — participants on D are the spans around D;
 * - population_count: persons per (commune, village), and how many ever had a card.
 * src/modules/coverage/coverage-counts.ts keeps them equal to the register in the same transaction as
 * every change (a test compares them with the register).
 *
 * The counts of what the register already holds are made by the SQL of coverage-counts.ts as it was
 * when this migration was released (refreshCoverageCounts, commit 6ec9e87), frozen here: a migration
 * does not follow later changes of the code. Its temporary tables carry names of their own and are
 * dropped at the end, so they cannot stand in for the live code's.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('person_coverage')
    .addColumn('household_id', 'uuid', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('commune_code', 'text', (c) => c.notNull())
    .addColumn('village_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('group_code', 'text')
    .addColumn('span_from', 'date')
    .addColumn('span_to', 'date')
    .execute();
  await db.schema.createIndex('person_coverage_household_idx').on('person_coverage').column('household_id').execute();

  await db.schema
    .createTable('coverage_count')
    .addColumn('commune_code', 'text', (c) => c.notNull())
    .addColumn('village_code', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('span_from', 'date', (c) => c.notNull())
    .addColumn('span_to', 'date', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('coverage_count_pk', ['commune_code', 'village_code', 'group_code', 'span_from', 'span_to'])
    .execute();

  await db.schema
    .createTable('population_count')
    .addColumn('commune_code', 'text', (c) => c.notNull())
    .addColumn('village_code', 'text', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addColumn('ever_insured', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('population_count_pk', ['commune_code', 'village_code'])
    .execute();

  // whatever the register already holds
  await countRegister(db);
}

/** refreshCoverageCounts(db, sql`select id from household`) as released with this migration. */
async function countRegister(db: Kysely<any>): Promise<void> {
  await sql`create temporary table if not exists _m0006_coverage_delta (commune_code text, village_code text, group_code text, span_from date, span_to date, n integer)`.execute(db);
  await sql`create temporary table if not exists _m0006_population_delta (commune_code text, village_code text, persons integer, insured integer)`.execute(db);
  await sql`truncate _m0006_coverage_delta, _m0006_population_delta`.execute(db);
  await sql`create temporary table if not exists _m0006_households (id uuid)`.execute(db);
  await sql`truncate _m0006_households`.execute(db);
  await sql`insert into _m0006_households select distinct x.id from (select id from household) as x(id)`.execute(db);

  // take the old snapshot out
  await sql`
    with gone as (delete from person_coverage pc using _m0006_households h where pc.household_id = h.id returning pc.*),
    spans as (
      insert into _m0006_coverage_delta
      select commune_code, village_code, group_code, span_from, span_to, -count(*)::int from gone where span_from is not null
      group by commune_code, village_code, group_code, span_from, span_to)
    insert into _m0006_population_delta
    select commune_code, village_code, -count(distinct person_id)::int, -count(distinct person_id) filter (where span_from is not null)::int
    from gone group by commune_code, village_code`.execute(db);

  // the new snapshot: merged spans per person (islands of overlapping or back-to-back cards)
  await sql`
    insert into person_coverage (household_id, person_id, commune_code, village_code, group_code, span_from, span_to)
    select p.household_id, p.id, p.commune_code, coalesce(hh.village_code, ''), s.group_code, s.span_from, s.span_to
    from person p
    join _m0006_households h on h.id = p.household_id
    join household hh on hh.id = p.household_id
    left join lateral (
      select (array_agg(i.group_code order by i.valid_to desc, i.valid_from desc))[1] as group_code, min(i.valid_from) as span_from, max(i.valid_to) as span_to
      from (
        select c.*, sum(case when c.prev_end is null or c.valid_from > c.prev_end + 1 then 1 else 0 end) over (order by c.valid_from, c.valid_to, c.id) as island
        from (
          select c.id, c.group_code, c.valid_from, c.valid_to,
            max(c.valid_to) over (order by c.valid_from, c.valid_to, c.id rows between unbounded preceding and 1 preceding) as prev_end
          from card c where c.household_id = p.household_id and c.person_id = p.id
        ) c
      ) i group by i.island
    ) s on true`.execute(db);

  await sql`
    with fresh as (select pc.* from person_coverage pc join _m0006_households h on h.id = pc.household_id),
    spans as (
      insert into _m0006_coverage_delta
      select commune_code, village_code, group_code, span_from, span_to, count(*)::int from fresh where span_from is not null
      group by commune_code, village_code, group_code, span_from, span_to)
    insert into _m0006_population_delta
    select commune_code, village_code, count(distinct person_id)::int, count(distinct person_id) filter (where span_from is not null)::int
    from fresh group by commune_code, village_code`.execute(db);

  // add the difference
  await sql`
    insert into coverage_count (commune_code, village_code, group_code, span_from, span_to, persons)
    select commune_code, village_code, group_code, span_from, span_to, sum(n)::int from _m0006_coverage_delta
    group by commune_code, village_code, group_code, span_from, span_to having sum(n) <> 0
    on conflict (commune_code, village_code, group_code, span_from, span_to) do update set persons = coverage_count.persons + excluded.persons`.execute(db);
  await sql`delete from coverage_count where persons = 0`.execute(db);
  await sql`
    insert into population_count (commune_code, village_code, persons, ever_insured)
    select commune_code, village_code, sum(persons)::int, sum(insured)::int from _m0006_population_delta
    group by commune_code, village_code having sum(persons) <> 0 or sum(insured) <> 0
    on conflict (commune_code, village_code) do update set persons = population_count.persons + excluded.persons, ever_insured = population_count.ever_insured + excluded.ever_insured`.execute(db);
  await sql`delete from population_count where persons = 0`.execute(db);
  await sql`drop table _m0006_coverage_delta, _m0006_population_delta, _m0006_households`.execute(db);
}
