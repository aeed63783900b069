/**
 * Keeps the coverage aggregates (see migration 0006) equal to the register: call
 * `refreshCoverageCounts(trx, households)` in the transaction of any change to the persons, cards or
 * village of those households (a subquery or a list of household ids; include a moved person's old one).
 * It replaces the households' person_coverage rows and adds the difference to the counts. The month-end
 * snapshots (coverage_month, coverage_month_village) follow coverage_count by a trigger (migration 0008),
 * whoever writes it (this function, the fresh-import fast path).
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';

export async function refreshCoverageCounts(db: Kysely<any>, households: RawBuilder<unknown> | string[]): Promise<void> {
  if (Array.isArray(households) && households.length === 0) return;
  const ids = Array.isArray(households) ? sql`select unnest(${households}::uuid[])` : households;
  await sql`create temporary table if not exists _coverage_delta (commune_code text, village_code text, group_code text, span_from date, span_to date, n integer)`.execute(db);
  await sql`create temporary table if not exists _population_delta (commune_code text, village_code text, persons integer, insured integer)`.execute(db);
  await sql`truncate _coverage_delta, _population_delta`.execute(db);
  await sql`create temporary table if not exists _households (id uuid)`.execute(db);
  await sql`truncate _households`.execute(db);
  await sql`insert into _households select distinct x.id from (${ids}) as x(id)`.execute(db);

  // take the old snapshot out
  await sql`
    with gone as (delete from person_coverage pc using _households h where pc.household_id = h.id returning pc.*),
    spans as (
      insert into _coverage_delta
      select commune_code, village_code, group_code, span_from, span_to, -count(*)::int from gone where span_from is not null
      group by commune_code, village_code, group_code, span_from, span_to)
    insert into _population_delta
    select commune_code, village_code, -count(distinct person_id)::int, -count(distinct person_id) filter (where span_from is not null)::int
    from gone group by commune_code, village_code`.execute(db);

  // the new snapshot: merged spans per person (islands of overlapping or back-to-back cards)
  await sql`
    insert into person_coverage (household_id, person_id, commune_code, village_code, group_code, span_from, span_to)
    select p.household_id, p.id, p.commune_code, coalesce(hh.village_code, ''), s.group_code, s.span_from, s.span_to
    from person p
    join _households h on h.id = p.household_id
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
    with fresh as (select pc.* from person_coverage pc join _households h on h.id = pc.household_id),
    spans as (
      insert into _coverage_delta
      select commune_code, village_code, group_code, span_from, span_to, count(*)::int from fresh where span_from is not null
      group by commune_code, village_code, group_code, span_from, span_to)
    insert into _population_delta
    select commune_code, village_code, count(distinct person_id)::int, count(distinct person_id) filter (where span_from is not null)::int
    from fresh group by commune_code, village_code`.execute(db);

  // add the difference
  await sql`
    insert into coverage_count (commune_code, village_code, group_code, span_from, span_to, persons)
    select commune_code, village_code, group_code, span_from, span_to, sum(n)::int from _coverage_delta
    group by commune_code, village_code, group_code, span_from, span_to having sum(n) <> 0
    on conflict (commune_code, village_code, group_code, span_from, span_to) do update set persons = coverage_count.persons + excluded.persons`.execute(db);
  await sql`delete from coverage_count where persons = 0`.execute(db);
  await sql`
    insert into population_count (commune_code, village_code, persons, ever_insured)
    select commune_code, village_code, sum(persons)::int, sum(insured)::int from _population_delta
    group by commune_code, village_code having sum(persons) <> 0 or sum(insured) <> 0
    on conflict (commune_code, village_code) do update set persons = population_count.persons + excluded.persons, ever_insured = population_count.ever_insured + excluded.ever_insured`.execute(db);
  await sql`delete from population_count where persons = 0`.execute(db);
}
