/**
 * SQL of the kept coverage aggregates (coverage-counts.ts): the session's temporary tables that gather a
 * change's differences, what a set of households counts for, and adding the differences to the counts.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';
import { RENEWAL_WINDOW_DAYS } from '../../domain/coverage';

/** Household ids: a list, or a subquery of one column. */
export type Households = RawBuilder<unknown> | string[];

/** The session's temporary tables of a change, created when missing and emptied. */
export async function startDeltas(db: Kysely<any>): Promise<void> {
  await sql`create temporary table if not exists _coverage_delta (commune_code text, village_code text, group_code text, span_from date, span_to date, n integer)`.execute(db);
  await sql`create temporary table if not exists _population_delta (commune_code text, village_code text, persons integer, insured integer)`.execute(db);
  await sql`create temporary table if not exists _renewal_delta (commune_code text, village_code text, group_code text, day date, n integer)`.execute(db);
  await sql`create temporary table if not exists _card_end_delta (commune_code text, day date, ended integer, renewed integer)`.execute(db);
  await sql`create temporary table if not exists _households (id uuid primary key)`.execute(db);
  await sql`truncate _coverage_delta, _population_delta, _renewal_delta, _card_end_delta, _households`.execute(db);
}

/** Adds households to _households; false when given an empty list. */
export async function addHouseholds(db: Kysely<any>, households: Households): Promise<boolean> {
  if (Array.isArray(households) && households.length === 0) return false;
  const ids = Array.isArray(households) ? sql`select unnest(${households}::uuid[])` : households;
  await sql`insert into _households select distinct x.id from (${ids}) as x(id) where x.id is not null on conflict do nothing`.execute(db);
  return true;
}

/**
 * Adds (sign 1) or takes out (sign -1) what the persons of _households count for: their merged spans
 * (islands of overlapping or back-to-back cards) per commune, village, group and span, and the persons
 * and those ever insured per commune and village.
 */
export async function countSpans(db: Kysely<any>, sign: 1 | -1): Promise<void> {
  await sql`
    with spans as (
      select p.id as person_id, p.commune_code, coalesce(hh.village_code, '') as village_code, s.group_code, s.span_from, s.span_to
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
      ) s on true),
    counted as (
      insert into _coverage_delta
      select commune_code, village_code, group_code, span_from, span_to, ${sign}::int * count(*)::int from spans where span_from is not null
      group by commune_code, village_code, group_code, span_from, span_to)
    insert into _population_delta
    select commune_code, village_code, ${sign}::int * count(distinct person_id)::int, ${sign}::int * (count(distinct person_id) filter (where span_from is not null))::int
    from spans group by commune_code, village_code`.execute(db);
}

/**
 * Adds (sign 1) or takes out (sign -1) the renewals of the persons of _households (migration 0020): per
 * commune, village, group and day, the persons with a card starting that day while a card of theirs that
 * started earlier covered the day before.
 */
export async function countRenewals(db: Kysely<any>, sign: 1 | -1): Promise<void> {
  await sql`
    insert into _renewal_delta
    select hh.commune_code, coalesce(hh.village_code, ''), r.group_code, r.valid_from, ${sign}::int * count(distinct r.person_id)::int
    from _households x
    join household hh on hh.id = x.id
    join lateral (
      select c.person_id, c.group_code, c.valid_from,
        max(c.valid_to) over (partition by c.person_id order by c.valid_from range between unbounded preceding and current row exclude group) as before_end
      from card c where c.household_id = hh.id
    ) r on r.before_end >= r.valid_from - 1
    group by 1, 2, 3, 4`.execute(db);
}

/**
 * Adds (sign 1) or takes out (sign -1) the card ends of the persons of _households (migration 0032): per
 * commune and day, the cards ending that day, and those followed by a card of the same person ending later
 * and starting at most RENEWAL_WINDOW_DAYS (90) days after.
 */
export async function countCardEnds(db: Kysely<any>, sign: 1 | -1): Promise<void> {
  await sql`
    insert into _card_end_delta
    select hh.commune_code, c.valid_to, ${sign}::int * count(*)::int,
      ${sign}::int * (count(*) filter (where exists (
        select 1 from card n where n.household_id = c.household_id and n.person_id = c.person_id
          and n.valid_to > c.valid_to and n.valid_from <= c.valid_to + ${RENEWAL_WINDOW_DAYS}::int)))::int
    from _households x
    join household hh on hh.id = x.id
    join card c on c.household_id = hh.id
    group by 1, 2`.execute(db);
}

/** Adds the gathered differences to the counts (rows that fall to zero are deleted). */
export async function addDeltas(db: Kysely<any>): Promise<void> {
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
  await sql`
    insert into coverage_renewal (commune_code, village_code, group_code, day, persons)
    select commune_code, village_code, group_code, day, sum(n)::int from _renewal_delta
    group by commune_code, village_code, group_code, day having sum(n) <> 0
    on conflict (commune_code, day, village_code, group_code) do update set persons = coverage_renewal.persons + excluded.persons`.execute(db);
  await sql`delete from coverage_renewal where persons = 0`.execute(db);
  // the same starts and renewals per commune and day (migration 0033)
  await sql`
    insert into coverage_day (day, commune_code, group_code, started, renewed)
    select day, commune_code, group_code, sum(started)::int, sum(renewed)::int from (
      select span_from as day, commune_code, group_code, n as started, 0 as renewed from _coverage_delta
      union all
      select day, commune_code, group_code, 0, n from _renewal_delta
    ) x group by 1, 2, 3 having sum(started) <> 0 or sum(renewed) <> 0
    on conflict (day, commune_code, group_code) do update set started = coverage_day.started + excluded.started, renewed = coverage_day.renewed + excluded.renewed`.execute(db);
  await sql`delete from coverage_day where started = 0 and renewed = 0
    and day in (select span_from from _coverage_delta union select day from _renewal_delta)`.execute(db);
  await sql`
    insert into card_end_count (commune_code, day, ended, renewed)
    select commune_code, day, sum(ended)::int, sum(renewed)::int from _card_end_delta
    group by commune_code, day having sum(ended) <> 0 or sum(renewed) <> 0
    on conflict (commune_code, day) do update set ended = card_end_count.ended + excluded.ended, renewed = card_end_count.renewed + excluded.renewed`.execute(db);
  await sql`delete from card_end_count where ended = 0 and renewed = 0`.execute(db);
}

/**
 * Recomputes "covered until" (migration 0016) of the households in _households from their persons and
 * cards: the smallest, over the members, of the day their latest card ends ('-infinity' for a member who
 * never had one); a household left without members (or deleted) loses its row.
 */
export async function keepCoveredUntil(db: Kysely<any>): Promise<void> {
  await sql`delete from household_coverage c using _households h where c.household_id = h.id`.execute(db);
  await sql`
    insert into household_coverage (household_id, village_code, covered_until)
    select hh.id, hh.village_code,
      min(coalesce((select max(k.valid_to) from card k where k.household_id = p.household_id and k.person_id = p.id), '-infinity'::date))
    from _households x join household hh on hh.id = x.id join person p on p.household_id = hh.id
    group by hh.id, hh.village_code`.execute(db);
}

/**
 * Recomputes the latest card (migration 0023) of the persons of the households in _households: per person,
 * the card that ends last (the same day: the smaller id) with its collector; a person without cards (or deleted) has no row.
 */
export async function keepLatestCards(db: Kysely<any>): Promise<void> {
  await sql`delete from latest_card l using _households h where l.household_id = h.id`.execute(db);
  await sql`
    insert into latest_card (household_id, person_id, card_id, valid_to, collector_code)
    select distinct on (k.household_id, k.person_id) k.household_id, k.person_id, k.id, k.valid_to, k.collector_code
    from _households x join card k on k.household_id = x.id
    order by k.household_id, k.person_id, k.valid_to desc, k.id`.execute(db);
}
