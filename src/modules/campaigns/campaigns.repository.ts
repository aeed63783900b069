/**
 * SQL of campaigns (issue 20 item 3): the campaigns and their targets, and what their progress is counted
 * from: the kept coverage spans (new household BHYT participants) and renewals, the voluntary
 * social insurance periods, the field visits and the audit log (cards entered by hand). Reads of the
 * register return counts per commune, village and day, never persons.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { CampaignTable, DB } from '../../db/schema';
import { communeUnder } from '../../db/scope';
import type { Target, TargetKind } from '../../domain/campaign';
import type { IsoDate } from '../../domain/dates';

export type CampaignRow = Selectable<CampaignTable> & { unitName: string; unitLevel: string };

const campaignQuery = (db: Kysely<DB>) =>
  db
    .selectFrom('campaign as c')
    .innerJoin('unit as u', 'u.code', 'c.unitCode')
    .select(['c.id', 'c.unitCode', 'c.name', 'c.theme', sql<string>`c.starts_on::text`.as('startsOn'), sql<string>`c.ends_on::text`.as('endsOn')])
    .select(['c.createdBy', 'c.createdAt', 'c.updatedBy', 'c.updatedAt', 'u.name as unitName', 'u.level as unitLevel']);

export async function findCampaign(db: Kysely<DB>, id: string): Promise<CampaignRow | undefined> {
  return campaignQuery(db).where('c.id', '=', id).executeTakeFirst();
}

/**
 * The campaigns a user reads, latest first: those of a unit inside their scope (its communes, or the
 * communes its office serves), and those of the units above it (`lineage`: their own unit's, e.g. the
 * province's campaign for a commune officer). `scope` null: all.
 */
export async function listCampaigns(db: Kysely<DB>, scope: { under: string; lineage: string[] } | null): Promise<CampaignRow[]> {
  let q = campaignQuery(db);
  if (scope) q = q.where((eb) => eb.or([eb('c.unitCode', 'in', scope.lineage), communeUnder('c.unit_code', scope.under)]));
  return q.orderBy('c.startsOn', 'desc').orderBy('c.name').execute();
}

export async function insertCampaign(db: Kysely<DB>, c: Omit<Selectable<CampaignTable>, 'createdAt' | 'updatedAt'>): Promise<void> {
  await db.insertInto('campaign').values(c).execute();
}

export async function updateCampaign(db: Kysely<DB>, id: string, patch: Partial<Pick<Selectable<CampaignTable>, 'name' | 'theme' | 'startsOn' | 'endsOn'>> & { updatedBy: string }) {
  await db
    .updateTable('campaign')
    .set({ ...patch, updatedAt: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteCampaign(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('campaign').where('id', '=', id).execute();
}

export async function targetsOf(db: Kysely<DB>, campaignId: string): Promise<Target[]> {
  return db.selectFrom('campaignTarget').select(['kind', 'level', 'ref', 'value']).where('campaignId', '=', campaignId).orderBy('kind').orderBy('level').orderBy('ref').execute();
}

/** Replaces the campaign's targets. */
export async function setTargets(db: Kysely<DB>, campaignId: string, targets: readonly Target[]): Promise<void> {
  await db.deleteFrom('campaignTarget').where('campaignId', '=', campaignId).execute();
  if (targets.length) await db.insertInto('campaignTarget').values(targets.map((t) => ({ campaignId, ...t }))).execute();
}

/** The communes of a province (or the commune itself): code and name. */
export async function communesOf(db: Kysely<DB>, unitCode: string): Promise<{ code: string; name: string }[]> {
  return db
    .selectFrom('unit')
    .select(['code', 'name'])
    .where('level', '=', 'commune')
    .where((eb) => eb.or([eb('code', '=', unitCode), eb('parentCode', '=', unitCode)]))
    .execute();
}

/** The register's counts of a campaign, summed three ways: per commune, per village asked for, per day; each per kind. */
export interface RegisterProgress {
  byCommune: Map<string, Map<TargetKind, number>>;
  byVillage: Map<string, Map<TargetKind, number>>;
  byDay: Map<TargetKind, Map<IsoDate, number>>;
}

/**
 * New household BHYT participants (coverage spans of group GD starting in the period: a span starts where
 * the person had no card the day before) and renewed household cards (a GD card starting while the person's
 * coverage ran the day before), per commune and per day from the kept day counts (`coverage_day`, migration
 * 0033: some 99 x 31 rows for a province's month), and per village of `villages` (the working groups', in
 * the communes `villageCommunes`) from the kept village counts (coverage_count, coverage_renewal); new
 * voluntary social insurance participants (a period starting in the period with none covering the day
 * before) from the periods. Summed in the database: a few hundred rows.
 */
export async function registerProgress(
  db: Kysely<DB>,
  communes: string[],
  groupVillages: { communes: string[]; villages: string[] },
  from: IsoDate,
  to: IsoDate,
): Promise<RegisterProgress> {
  const out: RegisterProgress = { byCommune: new Map(), byVillage: new Map(), byDay: new Map() };
  if (communes.length === 0) return out;
  const { communes: vc, villages } = groupVillages;
  const r = await sql<{ j: string }>`
    with d as (
      select commune_code, day, started, renewed from coverage_day
      where commune_code = any(${communes}::text[]) and group_code = 'GD' and day between ${from}::date and ${to}::date
    ),
    vsi as (
      select h.commune_code, coalesce(h.village_code, '') as village_code, v.valid_from as day, count(distinct v.person_id)::int as n
      from household h join vsi_period v on v.household_id = h.id
      where h.commune_code = any(${communes}::text[]) and v.valid_from between ${from}::date and ${to}::date
        and not exists (select 1 from vsi_period w where w.household_id = v.household_id and w.person_id = v.person_id
          and w.valid_from < v.valid_from and w.valid_to >= v.valid_from - 1)
      group by 1, 2, 3
    ),
    r as (
      select 'bhyt_household' as kind, 'c' || commune_code as place, null::date as day, sum(started) as n from d group by commune_code
      union all select 'renewal', 'c' || commune_code, null, sum(renewed) from d group by commune_code
      union all select 'bhyt_household', null, day, sum(started) from d group by day
      union all select 'renewal', null, day, sum(renewed) from d group by day
      union all select 'bhyt_household', 'v' || village_code, null, sum(persons) from coverage_count
        where commune_code = any(${vc}::text[]) and village_code = any(${villages}::text[]) and group_code = 'GD'
          and span_from between ${from}::date and ${to}::date
        group by village_code
      union all select 'renewal', 'v' || village_code, null, sum(persons) from coverage_renewal
        where commune_code = any(${vc}::text[]) and village_code = any(${villages}::text[]) and group_code = 'GD'
          and day between ${from}::date and ${to}::date
        group by village_code
      union all select 'bhxh_tn', case when grouping(commune_code) = 0 then 'c' || commune_code when grouping(village_code) = 0 then 'v' || village_code end, day, sum(n)
        from vsi group by grouping sets ((commune_code), (day), (village_code))
        having grouping(village_code) = 1 or village_code = any(${villages}::text[])
    )
    select coalesce(json_agg(json_build_array(kind, place, day, n)), '[]')::text as j from r where n <> 0`.execute(db);
  const add = <K>(m: Map<K, Map<TargetKind, number>>, k: K, kind: TargetKind, n: number) => {
    const own = m.get(k) ?? new Map<TargetKind, number>();
    own.set(kind, (own.get(kind) ?? 0) + n);
    m.set(k, own);
  };
  for (const [kind, place, day, n] of JSON.parse(r.rows[0].j) as [TargetKind, string | null, IsoDate | null, number][]) {
    if (place?.startsWith('c')) add(out.byCommune, place.slice(1), kind, n);
    else if (place?.startsWith('v')) add(out.byVillage, place.slice(1), kind, n);
    else if (day) {
      const days = out.byDay.get(kind) ?? new Map<IsoDate, number>();
      days.set(day, (days.get(day) ?? 0) + n);
      out.byDay.set(kind, days);
    }
  }
  return out;
}

/** A person enrolled at the door by a user of a working group, in a commune, on `day`. */
export interface FieldEnrolment {
  communeCode: string;
  groupId: string;
  userId: string | null;
  personId: string;
  day: IsoDate;
}

/**
 * Field enrolments (visits with outcome enrolled) in the period: one row per visit (a person enrolled twice
 * by the same member comes twice; the counting takes each person once, at their first day). As one text of
 * space-separated fields, a line per visit: at 2,000,000 persons a month's 14,712 rows take 30 ms so, 45 ms
 * as JSON and 56 ms grouped per person first (the embedded database's grouping and JSON cost more than the
 * work they save).
 */
export async function fieldEnrolments(db: Kysely<DB>, communes: string[], from: IsoDate, to: IsoDate): Promise<FieldEnrolment[]> {
  if (communes.length === 0) return [];
  const r = await sql<{ t: string | null }>`
    select string_agg(v.commune_code || ' ' || v.group_id::text || ' ' || coalesce(v.user_id::text, '-') || ' ' || v.person_id::text || ' ' || v.visited_on::text, E'\n') as t
    from visit v
    where v.commune_code = any(${communes}::text[]) and v.outcome = 'enrolled' and v.person_id is not null
      and v.visited_on between ${from}::date and ${to}::date`.execute(db);
  if (!r.rows[0].t) return [];
  return r.rows[0].t.split('\n').map((line) => {
    const [communeCode, groupId, userId, personId, day] = line.split(' ');
    return { communeCode, groupId, userId: userId === '-' ? null : userId, personId, day };
  });
}

/** The working groups of the communes with their villages. */
export async function groupsOf(db: Kysely<DB>, communes: string[]) {
  if (communes.length === 0) return [];
  const r = await sql<{ id: string; name: string; communeCode: string; villages: string[] | null }>`
    select g.id, g.name, g.commune_code as "communeCode", array_agg(gv.village_code) filter (where gv.village_code is not null) as villages
    from working_group g left join working_group_village gv on gv.group_id = g.id
    where g.commune_code = any(${communes}::text[])
    group by g.id, g.name, g.commune_code`.execute(db);
  return r.rows.map((g) => ({ ...g, villages: g.villages ?? [] }));
}

/** Users by id or username. */
export async function usersByRefs(db: Kysely<DB>, refs: string[]) {
  if (refs.length === 0) return [];
  const ids = refs.filter((r) => /^[0-9a-f-]{36}$/i.test(r));
  return db
    .selectFrom('appUser')
    .select(['id', 'username', 'displayName', 'scopeCode'])
    .where((eb) => eb.or([eb('username', 'in', refs), ...(ids.length ? [eb('id', 'in', ids)] : [])]))
    .execute();
}

/**
 * Persons whose household (GD) card each user entered by hand (the audit log's card creations) with the
 * card starting in the period: distinct persons per user.
 */
export async function enteredByHand(db: Kysely<DB>, userIds: string[], from: IsoDate, to: IsoDate): Promise<Map<string, number>> {
  if (userIds.length === 0) return new Map();
  const r = await sql<{ userId: string; n: number }>`
    select a.actor_id as "userId", count(distinct c.person_id)::int as n
    from audit_log a join card c on c.id::text = a.entity_id
    where a.entity = 'card' and a.action = 'create' and a.actor_id = any(${userIds}::uuid[])
      and c.group_code = 'GD' and c.valid_from between ${from}::date and ${to}::date
    group by 1`.execute(db);
  return new Map(r.rows.map((x) => [x.userId, Number(x.n)]));
}
