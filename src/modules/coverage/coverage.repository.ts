/**
 * Coverage from the person-level register: who is covered on a date, per commune or per village.
 * A person is covered on D when one of their cards has valid_from <= D <= valid_to.
 */
import { withoutParallelWorkers } from '../../db/parallel';
import { sql, type Kysely } from 'kysely';
import type { DB, UnitLevel } from '../../db/schema';
import { communesServedBy } from '../../db/scope';
import { addDays } from '../../domain/calendar';
import { RENEWAL_WINDOW_DAYS } from '../../domain/coverage';

export interface RegisterCounts {
  unitCode: string;
  population: number;
  participants: number;
  expiring30: number;
  neverInsured: number;
  /** Covered persons by the group of their coverage (kept aggregates only). */
  byGroup?: Record<string, number>;
}

const covered = (day: unknown) =>
  sql`exists (select 1 from card c where c.household_id = p.household_id and c.person_id = p.id and c.valid_from <= ${day}::date and c.valid_to >= ${day}::date)`;

/** True when `date` is the last day of its month (the month-end snapshots answer it). */
export function isMonthEnd(date: string): boolean {
  return addDays(date, 1).endsWith('-01');
}

/** The last day of the month before `date`'s month. */
function previousMonthEnd(date: string): string {
  return addDays(`${date.slice(0, 8)}01`, -1);
}

/** Village codes are `<commune>.<local code>`: their communes (the first key of the span counts). */
function communesOf(villages: string[]): string[] {
  return [...new Set(villages.map((v) => v.split('.')[0]))];
}

/**
 * Covered persons on `date` per unit and group (rows of unit, group_code, n) and how many of them have
 * coverage ending on or before `in30` (rows with e).
 * - Villages: from the span counts of their communes (a commune holds a few thousand span rows).
 * - Communes on a month end with `in30` 30 days later: the month-end snapshot.
 * - Communes on another day D: the snapshot of the month end M before it, plus the spans starting in
 *   (M, D] (the starts per day, coverage_day), minus the spans ending in [M, D) (the ends per day,
 *   coverage_end_day: those that ran on M, and those that started after M and ended before D, counted in
 *   the starts); expiring: the spans ending in [D, in30], less the short ones starting after D. Spans under
 *   31 days come from a partial index; a window is never longer than 31 days, so a longer span cannot start
 *   and end inside it.
 */
function coveredOn(level: 'commune' | 'village', codes: string[], date: string, in30: string) {
  if (level === 'village')
    return sql`select village_code as unit, group_code, persons as n, case when span_to <= ${in30}::date then persons else 0 end as e
      from coverage_count where commune_code in (${sql.join(communesOf(codes))}) and village_code in (${sql.join(codes)})
        and span_from <= ${date}::date and span_to >= ${date}::date`;
  const inCodes = sql`commune_code in (${sql.join(codes)})`;
  if (isMonthEnd(date) && in30 === addDays(date, 30))
    return sql`select commune_code as unit, group_code, persons as n, expiring30 as e from coverage_month where day = ${date}::date and ${inCodes}`;
  const m = previousMonthEnd(date);
  const short = sql`span_to - span_from < 31`;
  const expiring =
    in30 <= addDays(date, 30)
      ? sql`
    union all
    select commune_code, group_code, 0, persons from coverage_end_day where day >= ${date}::date and day <= ${in30}::date and ${inCodes}
    union all
    select commune_code, group_code, 0, -persons from coverage_count
      where ${short} and ${inCodes} and span_from > ${date}::date and span_from <= ${in30}::date and span_to <= ${in30}::date`
      : sql`
    union all
    select commune_code, group_code, 0, persons from coverage_count
      where ${inCodes} and span_to >= ${date}::date and span_to <= ${in30}::date and span_from <= ${date}::date`;
  return sql`
    select commune_code as unit, group_code, persons as n, 0 as e from coverage_month where day = ${m}::date and ${inCodes}
    union all
    select commune_code, group_code, started, 0 from coverage_day where day > ${m}::date and day <= ${date}::date and ${inCodes} and started <> 0
    union all
    select commune_code, group_code, -persons, 0 from coverage_end_day where day >= ${m}::date and day < ${date}::date and ${inCodes}
    ${expiring}`;
}

/**
 * Counts for each unit on several dates in one round trip, grouped by commune (`level` commune: the codes
 * are communes) or by village (`level` village: the codes are villages), from the kept aggregates
 * (population_count, coverage_count and the month-end snapshots; see coverage-counts.ts). Units without a
 * register are absent. Expiring: covered on the date by a coverage (merged cards) that ends within 30 days.
 */
export async function registerCountsOn(db: Kysely<DB>, level: 'commune' | 'village', codes: string[], dates: string[]): Promise<RegisterCounts[][]> {
  if (codes.length === 0) return dates.map(() => []);
  const key = level === 'commune' ? sql.ref('commune_code') : sql.ref('village_code');
  const parts = dates.map(
    (d, i) => sql`select ${i}::int as k, c.unit as "unitCode", c.group_code as "groupCode", sum(c.n)::int as a, sum(c.e)::int as b
      from (${coveredOn(level, codes, d, addDays(d, 30))}) c group by c.unit, c.group_code`,
  );
  // small index scans: parallel workers would cost more to start than the query (src/db/parallel.ts)
  const r = await withoutParallelWorkers(db, (q) =>
    sql<{ k: number; unitCode: string; groupCode: string | null; a: number; b: number }>`
    select -1 as k, ${key} as "unitCode", null::text as "groupCode", sum(persons)::int as a, sum(ever_insured)::int as b
    from population_count where ${key} in (${sql.join(codes)}) group by 2
    ${sql.join(parts.map((p) => sql`union all ${p}`), sql` `)}`.execute(q),
  );
  const population = r.rows.filter((x) => Number(x.k) === -1);
  return dates.map((_, i) => {
    const covered = new Map<string, { participants: number; expiring30: number; byGroup: Record<string, number> }>();
    for (const x of r.rows) {
      if (Number(x.k) !== i) continue;
      const c = covered.get(x.unitCode) ?? { participants: 0, expiring30: 0, byGroup: {} };
      c.participants += Number(x.a);
      c.expiring30 += Number(x.b);
      c.byGroup[x.groupCode!] = (c.byGroup[x.groupCode!] ?? 0) + Number(x.a);
      covered.set(x.unitCode, c);
    }
    return population.map((p) => ({
      unitCode: p.unitCode,
      population: Number(p.a),
      participants: covered.get(p.unitCode)?.participants ?? 0,
      expiring30: covered.get(p.unitCode)?.expiring30 ?? 0,
      neverInsured: Number(p.a) - Number(p.b),
      byGroup: covered.get(p.unitCode)?.byGroup ?? {},
    }));
  });
}

/**
 * Counts for each unit on `date` (see registerCountsOn); expiring: coverage ending on or before `in30`
 * (the month-end snapshot answers only for `in30` = date + 30 days).
 */
export async function registerCounts(db: Kysely<DB>, level: 'commune' | 'village', codes: string[], date: string, in30: string): Promise<RegisterCounts[]> {
  if (codes.length === 0) return [];
  if (in30 === addDays(date, 30)) return (await registerCountsOn(db, level, codes, [date]))[0];
  const key = level === 'commune' ? sql.ref('commune_code') : sql.ref('village_code');
  const population = await sql<{ unitCode: string; population: number; insured: number }>`
      select ${key} as "unitCode", sum(persons)::int as population, sum(ever_insured)::int as insured
      from population_count where ${key} in (${sql.join(codes)}) group by 1`.execute(db);
  const spans = await sql<{ unitCode: string; groupCode: string; participants: number; expiring30: number }>`
      select c.unit as "unitCode", c.group_code as "groupCode", sum(c.n)::int as participants, sum(c.e)::int as "expiring30"
      from (${coveredOn(level, codes, date, in30)}) c group by 1, 2`.execute(db);
  const covered = new Map<string, { participants: number; expiring30: number; byGroup: Record<string, number> }>();
  for (const r of spans.rows) {
    const c = covered.get(r.unitCode) ?? { participants: 0, expiring30: 0, byGroup: {} };
    c.participants += Number(r.participants);
    c.expiring30 += Number(r.expiring30);
    c.byGroup[r.groupCode] = (c.byGroup[r.groupCode] ?? 0) + Number(r.participants);
    covered.set(r.unitCode, c);
  }
  return population.rows.map((p) => ({
    unitCode: p.unitCode,
    population: Number(p.population),
    participants: covered.get(p.unitCode)?.participants ?? 0,
    expiring30: covered.get(p.unitCode)?.expiring30 ?? 0,
    neverInsured: Number(p.population) - Number(p.insured),
    byGroup: covered.get(p.unitCode)?.byGroup ?? {},
  }));
}

/** The same counts computed from the register itself with a plain GROUP BY (the reference for tests and the benchmark). */
export async function registerCountsDirect(db: Kysely<DB>, level: 'commune' | 'village', codes: string[], date: string, in30: string): Promise<RegisterCounts[]> {
  if (codes.length === 0) return [];
  const unit = level === 'commune' ? sql`p.commune_code` : sql`h.village_code`;
  const join = level === 'commune' ? sql`` : sql`join household h on h.id = p.household_id`;
  const r = await sql<RegisterCounts>`
    select ${unit} as "unitCode",
      count(*)::int as population,
      count(*) filter (where ${covered(date)})::int as participants,
      count(*) filter (where ${covered(date)} and not ${covered(addDays(in30, 1))})::int as "expiring30",
      count(*) filter (where not exists (select 1 from card c where c.household_id = p.household_id and c.person_id = p.id))::int as "neverInsured"
    from person p ${join}
    where ${unit} in (${sql.join(codes)})
    group by 1`.execute(db);
  return r.rows.map((x) => ({ ...x, population: Number(x.population), participants: Number(x.participants), expiring30: Number(x.expiring30), neverInsured: Number(x.neverInsured) }));
}

export interface ActionListRow {
  personId: string;
  householdId: string;
  householdCode: string;
  villageCode: string | null;
  villageName: string | null;
  communeCode: string;
  address: string | null;
  fullName: string;
  birthDate: string;
  sex: string;
  phone: string | null;
  groupCodes: string[];
  cardTo: string | null;
}

/**
 * Persons to visit in a commune or village: without a card covering `date` ('uncovered'), or covered but
 * with coverage ending within the window ('expiring'); in the order a visiting team walks: village, household.
 */
export async function actionList(
  db: Kysely<DB>,
  filter: { communeCodes: string[]; villageCode?: string; kind: 'uncovered' | 'expiring'; date: string; until: string; limit: number; offset: number },
): Promise<ActionListRow[]> {
  if (filter.communeCodes.length === 0) return [];
  const condition =
    filter.kind === 'uncovered'
      ? // no card now, and none bought for later either
        sql`not exists (select 1 from card c where c.household_id = p.household_id and c.person_id = p.id and c.valid_to >= ${filter.date}::date)`
      : sql`${covered(filter.date)} and not ${covered(filter.until)}`;
  const r = await sql<ActionListRow>`
    select p.id as "personId", p.household_id as "householdId", h.code as "householdCode", h.village_code as "villageCode",
      v.name as "villageName", p.commune_code as "communeCode", h.address, p.full_name as "fullName", p.birth_date as "birthDate",
      p.sex, p.phone, p.group_codes as "groupCodes",
      (select max(c.valid_to) from card c where c.household_id = p.household_id and c.person_id = p.id) as "cardTo"
    from person p join household h on h.id = p.household_id
    left join unit v on v.code = h.village_code
    where p.commune_code in (${sql.join(filter.communeCodes)})
      ${filter.villageCode ? sql`and h.village_code = ${filter.villageCode}` : sql``}
      and ${condition}
    order by v.name nulls last, h.code, p.birth_date
    limit ${filter.limit} offset ${filter.offset}`.execute(db);
  return r.rows;
}

/** SQL condition: the person lives in the unit (a province, a commune or a village). */
export function inUnit(level: UnitLevel, code: string) {
  return level === 'commune'
    ? sql`p.commune_code = ${code}`
    : level === 'village'
      ? sql`p.household_id in (select h.id from household h where h.village_code = ${code})`
      : level === 'office'
        ? sql`p.commune_code in (${communesServedBy(code)})`
        : sql`p.commune_code in (select u.code from unit u where u.parent_code = ${code})`;
}

/** Where the kept aggregates are read: a village, or the communes of a unit (resolved first: a list lets the planner scan one range). */
export type RegisterScope = { village: string } | { communes: readonly string[] };

/** The persons (`p`) of a scope, as a condition. */
export const personsIn = (scope: RegisterScope) =>
  'village' in scope ? inUnit('village', scope.village) : sql`p.commune_code = any(${scope.communes}::text[])`;

/**
 * For persons covered on `date`: the day their coverage ends (the end of their coverage span: back-to-back
 * and overlapping cards joined), counted per day, for the days before `before`. A person with a later card
 * after a gap is counted at the end of the span that covers `date`. From the kept aggregates: a village from
 * its commune's span counts; a larger unit from the spans ending per day (coverage_end_day) less the spans
 * that start after `date` (which do not cover it).
 */
export async function coverageEnds(db: Kysely<DB>, scope: RegisterScope, date: string, before: string) {
  const r =
    'village' in scope
      ? await sql<{ date: string; count: number }>`
          select span_to::text as date, sum(persons)::int as count from coverage_count
          where commune_code = ${communesOf([scope.village])[0]} and village_code = ${scope.village}
            and span_from <= ${date}::date and span_to >= ${date}::date and span_to < ${before}::date
          group by span_to order by span_to`.execute(db)
      : await sql<{ date: string; count: number }>`
          select day::text as date, sum(n)::int as count from (
            select day, persons as n from coverage_end_day
            where commune_code = any(${scope.communes}::text[]) and day >= ${date}::date and day < ${before}::date
            union all
            select span_to, -persons from coverage_count
            where commune_code = any(${scope.communes}::text[]) and span_from > ${date}::date and span_to < ${before}::date
          ) x group by day having sum(n) <> 0 order by day`.execute(db);
  return r.rows.map((x) => ({ date: String(x.date), count: Number(x.count) }));
}

/**
 * Renewal in the past: cards that ended between `from` and `to`, and how many of them were followed by a
 * card of the same person ending later and starting at most `windowDays` after the end. With the usual
 * window (RENEWAL_WINDOW_DAYS) a unit above the village reads the kept card ends (migration 0032); a
 * village, or another window, reads the cards.
 */
export async function renewals(db: Kysely<DB>, scope: RegisterScope, from: string, to: string, windowDays: number) {
  if ('communes' in scope && windowDays === RENEWAL_WINDOW_DAYS) {
    const r = await sql<{ ended: number; renewed: number }>`
      select coalesce(sum(ended), 0)::int as ended, coalesce(sum(renewed), 0)::int as renewed from card_end_count
      where commune_code = any(${scope.communes}::text[]) and day between ${from}::date and ${to}::date`.execute(db);
    return { ended: Number(r.rows[0]?.ended ?? 0), renewedWithin: Number(r.rows[0]?.renewed ?? 0) };
  }
  return endedAndRenewed(db, 'card', scope, from, to, windowDays);
}

/**
 * Read from the rows of `table` (the cards, or the voluntary social insurance periods): those of the scope's
 * persons that ended between `from` and `to`, and those followed by a row of the same person ending later
 * and starting at most `windowDays` after the end.
 */
export async function endedAndRenewed(db: Kysely<DB>, table: 'card' | 'vsi_period', scope: RegisterScope, from: string, to: string, windowDays: number) {
  const r = await sql<{ ended: number; renewed: number }>`
    select count(*)::int as ended,
      count(*) filter (where exists (
        select 1 from ${sql.table(table)} n where n.household_id = c.household_id and n.person_id = c.person_id
          and n.valid_to > c.valid_to and n.valid_from <= c.valid_to + ${windowDays}::int))::int as renewed
    from ${sql.table(table)} c join person p on p.household_id = c.household_id and p.id = c.person_id
    where ${personsIn(scope)} and c.valid_to between ${from}::date and ${to}::date`.execute(db);
  return { ended: Number(r.rows[0]?.ended ?? 0), renewedWithin: Number(r.rows[0]?.renewed ?? 0) };
}

/** Persons not covered on `date`, as candidates for pricing (at most `limit`). */
export async function uncoveredCandidates(db: Kysely<DB>, unit: ReturnType<typeof inUnit>, date: string, limit: number) {
  const r = await sql<{ id: string; householdId: string; groupCodes: string[]; birthDate: string; province: string }>`
    select p.id, p.household_id as "householdId", p.group_codes as "groupCodes", p.birth_date as "birthDate", u.parent_code as province
    from person p join unit u on u.code = p.commune_code
    where ${unit} and not ${covered(date)}
    order by p.household_id, p.birth_date
    limit ${limit}`.execute(db);
  return r.rows;
}

/**
 * Covered persons of the units on each of the given days (month ends for a trend line), from the kept
 * aggregates: month ends from the snapshots, other days from the span counts; one query.
 */
export async function participantsOnDays(db: Kysely<DB>, level: 'commune' | 'village', codes: string[], days: string[]): Promise<Map<string, number>> {
  if (codes.length === 0 || days.length === 0) return new Map();
  const ends = level === 'commune' ? days.filter(isMonthEnd) : [];
  const others = days.filter((d) => !ends.includes(d));
  const parts = [];
  if (ends.length)
    parts.push(sql`select day::text as day, sum(persons)::int as n from coverage_month where day = any(${ends}::date[]) and commune_code in (${sql.join(codes)}) group by day`);
  if (others.length) {
    const where =
      level === 'commune'
        ? sql`cc.commune_code in (${sql.join(codes)})`
        : sql`cc.commune_code in (${sql.join(communesOf(codes))}) and cc.village_code in (${sql.join(codes)})`;
    parts.push(sql`select d.day::text as day, coalesce(sum(cc.persons), 0)::int as n
      from (select unnest(${others}::date[]) as day) d
      left join coverage_count cc on ${where} and cc.span_from <= d.day and cc.span_to >= d.day
      group by d.day`);
  }
  const r = await sql<{ day: string; n: number }>`${sql.join(parts, sql` union all `)}`.execute(db);
  const out = new Map<string, number>(days.map((d) => [d, 0]));
  for (const x of r.rows) out.set(x.day, Number(x.n));
  return out;
}

/** Pupils (a grade, or the group HS) per school in the unit, and how many are covered on `date`. */
export async function pupilsBySchool(db: Kysely<DB>, unit: ReturnType<typeof inUnit>, date: string) {
  const r = await sql<{ school: string | null; pupils: number; covered: number }>`
    select p.school, count(*)::int as pupils, count(*) filter (where ${covered(date)})::int as covered
    from person p where ${unit} and (p.grade is not null or 'HS' = any(p.group_codes))
    group by p.school order by p.school nulls last`.execute(db);
  return r.rows.map((x) => ({ school: x.school, pupils: Number(x.pupils), covered: Number(x.covered) }));
}
