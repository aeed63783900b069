/**
 * The simulator's SQL: the group's persons counted by profile in the database (one pass over the unit's
 * persons, each group member's cards probed in the card key (its dates INCLUDEd), their place among the
 * household's household-mode members counted among the few persons of their household), and the saved
 * scenarios.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { ObservedCounts, Profile, SimulatorGroup } from '../../domain/support-simulation';

export interface ProfileQuery {
  /** The communes of the unit (all the persons looked at). */
  communes: readonly string[];
  group: SimulatorGroup;
  /** For the group 'communes'. */
  chosen: readonly string[];
  from: string;
  /** The observation day (min(from, today)) and a year before it, for the observed rates. */
  observedOn: string;
  yearBefore: string;
  /** Group codes the state pays in full on `from` (the elderly group leaves those persons out). */
  fullCodes: readonly string[];
  /** Group codes in force on `from` with a state share above 0 (a person with one is not household-mode). */
  supportedCodes: readonly string[];
  /** Group codes only ethnic minority persons belong to (DT, in a difficult area): a member is one even with no ethnicity given. */
  minorityCodes: readonly string[];
  /** The household factor list's length: places from it on cost the same. */
  maxOrder: number;
}

/** Person `x` is of an ethnic minority: an ethnicity given and not Kinh, or a group only minorities belong to (DT). */
const minority = (x: string, q: ProfileQuery) =>
  sql`((${sql.ref(`${x}.ethnicity`)} is not null and lower(btrim(${sql.ref(`${x}.ethnicity`)})) not in ('', 'kinh'))
    or ${sql.ref(`${x}.group_codes`)} && ${sql.val(q.minorityCodes)}::text[])`;

/**
 * The state pays person `x` in full on `from` (as the rules engine decides it: a poor household, a group
 * paid in full such as DT, an ethnic minority in a difficult area, or under 6). Such a person costs the
 * province nothing, and the state, not the family, renews the card: the observed rates leave them out.
 */
const statePaid = (x: string, poverty: string, q: ProfileQuery) =>
  sql`(${sql.ref(poverty)} = 'poor' or ${sql.ref(`${x}.group_codes`)} && ${sql.val(q.fullCodes)}::text[]
    or ${sql.ref(`${x}.birth_date`)} > (${q.from}::date - interval '6 years')::date)`;

/** Household-mode (GD) pricing for person `x` of a household of poverty status `poverty` on `from`. */
const householdMode = (x: string, poverty: string, q: ProfileQuery) =>
  sql`(${sql.ref(poverty)} not in ('poor', 'near_poor', 'average_agri') and not (${sql.ref(`${x}.group_codes`)} && ${sql.val(q.supportedCodes)}::text[])
    and ${sql.ref(`${x}.birth_date`)} <= (${q.from}::date - interval '6 years')::date)`;

function groupFilter(q: ProfileQuery) {
  switch (q.group) {
    case 'elderly_60_79':
      return sql`p.birth_date <= (${q.from}::date - interval '60 years')::date and p.birth_date > (${q.from}::date - interval '80 years')::date
        and h.poverty_status <> 'poor' and not (p.group_codes && ${sql.val(q.fullCodes)}::text[])`;
    case 'near_poor':
      return sql`h.poverty_status = 'near_poor'`;
    case 'ethnic_minority':
      return minority('p', q);
    case 'pupils':
      return sql`'HS' = any(p.group_codes)`;
    case 'communes':
      return sql`p.commune_code = any(${sql.val(q.chosen)}::text[])`;
  }
}

/**
 * The query of groupProfiles (apart, for EXPLAIN in the benchmark): the group's persons (one scan of the
 * unit's persons, hash-joined to the households); for each of them, the cards covering one of the three
 * days, by an index-only probe of the card key (its dates are INCLUDEd, migration 0034: some 4 µs a
 * person on the embedded database, where a scan of every card and a hash join cost three times as much at
 * 2,000,000 persons); and the place of each household-mode member among the household-mode members of its
 * household (the group's ones hash-joined to every person by household; whether the other one prices in
 * the household mode is asked after the join, of the few it leaves: asked of every person, the group
 * overlap test cost 0.6 s at 2,000,000 persons).
 */
export function profileQuery(q: ProfileQuery) {
  const byCommune = q.group === 'communes';
  const latest = [q.from, q.observedOn, q.yearBefore].sort()[2];
  const earliest = [q.from, q.observedOn, q.yearBefore].sort()[0];
  const covers = (day: string) => sql`(c.valid_from <= ${day}::date and c.valid_to >= ${day}::date)`;
  const rank = (x: string) => sql`(case when ${sql.ref(`${x}.relationship`)} = 'head' then 0 else 1 end, ${sql.ref(`${x}.birth_date`)}, ${sql.ref(`${x}.id`)})`;
  return sql<{ profiles: string; observed: string }>`
    with g as materialized (
      select p.household_id, p.id, p.relationship, p.birth_date, p.group_codes, h.poverty_status,
        ${byCommune ? sql`p.commune_code` : sql`null::text`} as commune, ${minority('p', q)} as minority,
        ${householdMode('p', 'h.poverty_status', q)} as gd, ${statePaid('p', 'h.poverty_status', q)} as state
      from person p join household h on h.id = p.household_id
      where p.commune_code in (select unnest(${sql.val(q.communes)}::text[])) and p.birth_date <= ${q.from}::date and ${groupFilter(q)}
    ),
    o as (
      select g.household_id, g.id, count(*) filter (where ${householdMode('x', 'g.poverty_status', q)})::int as before
      from g join person x on x.household_id = g.household_id
      where g.gd and x.id <> g.id and ${rank('x')} < ${rank('g')}
      group by g.household_id, g.id
    ),
    s as (
      select g.group_codes, g.poverty_status, extract(year from age(${q.from}::date, g.birth_date))::int as age, g.commune, g.minority,
        case when g.gd then least(1 + coalesce(o.before, 0), ${q.maxOrder}) end as ord,
        coalesce(k.on_from, false) as on_from, coalesce(k.on_observed, false) as on_observed, coalesce(k.year_before, false) as year_before, g.state
      from g cross join lateral (
        select bool_or(${covers(q.from)}) as on_from, bool_or(${covers(q.observedOn)}) as on_observed, bool_or(${covers(q.yearBefore)}) as year_before
        from card c where c.household_id = g.household_id and c.person_id = g.id and c.valid_from <= ${latest}::date and c.valid_to >= ${earliest}::date) k
      left join o on o.household_id = g.household_id and o.id = g.id
    )
    select
      (select coalesce(json_agg(json_build_array(group_codes, poverty_status, age, ord, on_from, minority, commune, n)), '[]')::text from (
        select group_codes, poverty_status, age, ord, on_from, minority, commune, count(*)::int as n
        from s group by group_codes, poverty_status, age, ord, on_from, minority, commune) t) as profiles,
      (select json_build_array(count(*) filter (where year_before), count(*) filter (where year_before and on_observed),
        count(*) filter (where not year_before), count(*) filter (where not year_before and on_observed))::text from s where not s.state) as observed`;
}

export async function groupProfiles(db: Kysely<DB>, q: ProfileQuery): Promise<{ profiles: Profile[]; observed: ObservedCounts }> {
  // A province's group is tens of thousands of persons or more: one scan of the persons beats a look-up
  // per person, but the planner, misjudging the group's size, picks the look-ups; for a province it is
  // told not to (the cards' probe is a lateral join: a nested loop whatever the setting). A commune keeps them.
  const r = await db.transaction().execute(async (trx) => {
    if (q.communes.length > 1) {
      await sql`set local enable_nestloop = off`.execute(trx);
      await sql`set local enable_bitmapscan = off`.execute(trx);
      // the group's rows and their profiles kept and grouped in memory, not in temporary files (4 MB by default)
      await sql`set local work_mem = '64MB'`.execute(trx);
    }
    return profileQuery(q).execute(trx);
  });
  type Row = [string[], string, number, number | null, boolean, boolean, string | null, number];
  const profiles = (JSON.parse(r.rows[0].profiles) as Row[]).map(([groupCodes, povertyStatus, age, order, covered, ethnicMinority, commune, count]) => ({
    groupCodes,
    povertyStatus,
    age,
    order,
    covered,
    ethnicMinority,
    commune,
    count,
  }));
  const [coveredBefore, renewed, uncoveredBefore, enrolled] = JSON.parse(r.rows[0].observed) as number[];
  return { profiles, observed: { coveredBefore, renewed, uncoveredBefore, enrolled } };
}

/** The communes of a unit: itself when a commune, its communes when a province. */
export async function communesOf(db: Kysely<DB>, unitCode: string): Promise<{ code: string; name: string }[]> {
  return db
    .selectFrom('unit')
    .select(['code', 'name'])
    .where('level', '=', 'commune')
    .where((eb) => eb.or([eb('code', '=', unitCode), eb('parentCode', '=', unitCode)]))
    .orderBy('code')
    .execute();
}

export interface ScenarioRow {
  id: string;
  unitCode: string;
  name: string;
  input: unknown;
  result: unknown;
  ruleId: string | null;
  createdBy: string;
  createdAt: Date;
}

const scenarioColumns = ['id', 'unitCode', 'name', 'input', 'result', 'ruleId', 'createdBy', 'createdAt'] as const;

export async function insertScenario(db: Kysely<DB>, row: Omit<ScenarioRow, 'createdAt' | 'ruleId'>): Promise<void> {
  await db
    .insertInto('supportScenario')
    .values({ ...row, input: JSON.stringify(row.input), result: JSON.stringify(row.result) })
    .execute();
}

export const listScenarios = (db: Kysely<DB>, unitCode: string): Promise<ScenarioRow[]> =>
  db.selectFrom('supportScenario').select(scenarioColumns).where('unitCode', '=', unitCode).orderBy('createdAt', 'desc').orderBy('id').execute() as Promise<ScenarioRow[]>;

export const findScenario = (db: Kysely<DB>, id: string): Promise<ScenarioRow | undefined> =>
  db.selectFrom('supportScenario').select(scenarioColumns).where('id', '=', id).executeTakeFirst() as Promise<ScenarioRow | undefined>;

export async function deleteScenario(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('supportScenario').where('id', '=', id).execute();
}

export async function setScenarioRule(db: Kysely<DB>, id: string, ruleId: string): Promise<void> {
  await db.updateTable('supportScenario').set({ ruleId }).where('id', '=', id).execute();
}

/** The rule made from each scenario, with its status. */
export async function rulesOfScenarios(db: Kysely<DB>, ids: readonly string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('supportScenario as s')
    .innerJoin('premiumRule as r', 'r.id', 's.ruleId')
    .select(['s.id as scenarioId', 'r.id', 'r.status', 'r.decision', 'r.entry'])
    .where('s.id', 'in', ids)
    .execute();
}

/** The scenario a rule was adopted from, if any. */
export const scenarioOfRule = (db: Kysely<DB>, ruleId: string): Promise<ScenarioRow | undefined> =>
  db.selectFrom('supportScenario').select(scenarioColumns).where('ruleId', '=', ruleId).executeTakeFirst() as Promise<ScenarioRow | undefined>;
