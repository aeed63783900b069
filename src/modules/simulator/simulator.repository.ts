/**
 * The simulator's SQL: the group's persons counted by profile in the database (one pass over the unit's
 * persons, each group member's cards looked up by the (household, person) index, their place among the
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
  /** The household factor list's length: places from it on cost the same. */
  maxOrder: number;
}

const minority = (col: string) => sql`(${sql.ref(col)} is not null and lower(btrim(${sql.ref(col)})) not in ('', 'kinh'))`;

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
      return minority('p.ethnicity');
    case 'pupils':
      return sql`'HS' = any(p.group_codes)`;
    case 'communes':
      return sql`p.commune_code = any(${sql.val(q.chosen)}::text[])`;
  }
}

export async function groupProfiles(db: Kysely<DB>, q: ProfileQuery): Promise<{ profiles: Profile[]; observed: ObservedCounts }> {
  const byCommune = q.group === 'communes';
  const r = await sql<{ profiles: string; observed: string }>`
    with g as (
      select p.group_codes, h.poverty_status, extract(year from age(${q.from}::date, p.birth_date))::int as age,
        ${byCommune ? sql`p.commune_code` : sql`null::text`} as commune, ${minority('p.ethnicity')} as minority,
        case when ${householdMode('p', 'h.poverty_status', q)} then least(1 + (
          select count(*) from person x where x.household_id = p.household_id and x.id <> p.id and ${householdMode('x', 'h.poverty_status', q)}
            and (case when x.relationship = 'head' then 0 else 1 end, x.birth_date, x.id) < (case when p.relationship = 'head' then 0 else 1 end, p.birth_date, p.id)
        ), ${q.maxOrder}) end as ord,
        k.on_from, k.on_observed, k.year_before
      from person p join household h on h.id = p.household_id
      cross join lateral (
        select coalesce(bool_or(c.valid_from <= ${q.from}::date and c.valid_to >= ${q.from}::date), false) as on_from,
          coalesce(bool_or(c.valid_from <= ${q.observedOn}::date and c.valid_to >= ${q.observedOn}::date), false) as on_observed,
          coalesce(bool_or(c.valid_from <= ${q.yearBefore}::date and c.valid_to >= ${q.yearBefore}::date), false) as year_before
        from card c where c.household_id = p.household_id and c.person_id = p.id
      ) k
      where p.commune_code = any(${sql.val(q.communes)}::text[]) and p.birth_date <= ${q.from}::date and ${groupFilter(q)}
    )
    select
      (select coalesce(json_agg(json_build_array(group_codes, poverty_status, age, ord, on_from, minority, commune, n)), '[]')::text from (
        select group_codes, poverty_status, age, ord, on_from, minority, commune, count(*)::int as n
        from g group by group_codes, poverty_status, age, ord, on_from, minority, commune) s) as profiles,
      (select json_build_array(count(*) filter (where year_before), count(*) filter (where year_before and on_observed),
        count(*) filter (where not year_before), count(*) filter (where not year_before and on_observed))::text from g) as observed`.execute(db);
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
