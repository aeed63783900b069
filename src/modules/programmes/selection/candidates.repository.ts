/**
 * SQL of the candidates of a donation programme (issue 6 item 3): the register persons of the
 * programme's area without a card that covers the period, the persons communes nominated, and the
 * nominations themselves. The only place with SQL for programme_nomination.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, PovertyStatus, ProgrammeStatus } from '../../../db/schema';
import { communeUnder } from '../../../db/scope';

/** Where the candidates come from: the communes of provinces, some communes, or communes/villages of one area. */
export interface AreaFilter {
  kind: 'province' | 'communes' | 'area';
  codes: string[];
}

/** A person of the register as the selection sees it, with what the programme needs to know. */
export interface CandidateRow {
  personId: string;
  householdId: string;
  communeCode: string;
  communeName: string | null;
  /** The commune's province (its local support policies price the card). */
  provinceCode: string | null;
  villageCode: string | null;
  householdCode: string;
  fullName: string;
  birthDate: string;
  sex: string;
  citizenId: string | null;
  insuranceCode: string | null;
  ethnicity: string | null;
  address: string | null;
  povertyStatus: PovertyStatus;
  groupCodes: string[];
  school: string | null;
  /** Last day of the latest card that starts before the period ends, if any. */
  coveredUntil: string | null;
  /** That card (the one ending on coveredUntil): its first day. */
  coveredFrom: string | null;
  /** Household-mode (GD) members of the household whose card started this calendar year before the purchase date. */
  enrolledThisYear: number;
  /** Tags given by a nomination (null: not nominated). */
  nominationTags: string[] | null;
}

function areaCondition(area: AreaFilter) {
  const codes = area.codes;
  if (area.kind === 'province') {
    return sql`p.commune_code in (select u.code from unit u where u.level = 'commune' and u.parent_code = any(${codes}::text[]))`;
  }
  if (area.kind === 'communes') return sql`p.commune_code = any(${codes}::text[])`;
  return sql`(p.commune_code = any(${codes}::text[]) or h.village_code = any(${codes}::text[]))`;
}

/**
 * The persons of the area who have no card covering the period up to `periodEnd`, and every nominated
 * person (wherever they live, covered or not: the selection says why they are set aside).
 *
 * One pass over the area's persons with their household (a province's programme reads a million of them:
 * reading them once to choose and again to join back cost seconds), the nominated persons outside the
 * area added by their key; each person's cards by a lateral probe of the card key (its INCLUDEd dates: no
 * card row read; the current card's number is read for the page that shows it, `cardNumbers`), and the
 * household's enrolments this year by the partial index of its GD cards. (Lateral lookups: the
 * planner, misjudging the rows, once ran a grouped join of every card per candidate: 76 s for 20,000.)
 */
export async function listCandidateRows(
  db: Kysely<DB>,
  programmeId: string,
  area: AreaFilter,
  purchaseDate: string,
  periodEnd: string,
): Promise<CandidateRow[]> {
  const yearStart = `${purchaseDate.slice(0, 4)}-01-01`;
  const columns = sql`p.id as person_id, p.household_id, p.commune_code, h.village_code, h.code as household_code, p.full_name,
        p.birth_date, p.sex, p.citizen_id, p.insurance_code, p.ethnicity, h.address, h.poverty_status, p.group_codes, p.school`;
  const query = sql<CandidateRow>`
    with chosen as (
      select ${columns} from person p join household h on h.id = p.household_id where ${areaCondition(area)}
      union all
      select ${columns} from programme_nomination n
        join person p on p.household_id = n.household_id and p.id = n.person_id
        join household h on h.id = p.household_id
      where n.programme_id = ${programmeId}::uuid and (${areaCondition(area)}) is not true
    ),
    wanted as (
      select x.*, cv.covered_until, cv.covered_from, n.tags as nomination_tags
      from chosen x
      left join lateral (
        select max(c.valid_to) as covered_until, (array_agg(c.valid_from order by c.valid_to desc, c.valid_from desc))[1] as covered_from
        from card c
        where c.household_id = x.household_id and c.person_id = x.person_id and c.valid_from <= ${periodEnd}::date
      ) cv on true
      left join programme_nomination n on n.programme_id = ${programmeId}::uuid and n.person_id = x.person_id
      where cv.covered_until is null or cv.covered_until < ${periodEnd}::date or n.person_id is not null
    )
    select w.person_id as "personId", w.household_id as "householdId", w.commune_code as "communeCode", u.name as "communeName", u.parent_code as "provinceCode",
      w.village_code as "villageCode", w.household_code as "householdCode", w.full_name as "fullName", w.birth_date::text as "birthDate",
      w.sex, w.citizen_id as "citizenId", w.insurance_code as "insuranceCode", w.ethnicity, w.address,
      w.poverty_status as "povertyStatus", w.group_codes as "groupCodes", w.school, w.covered_until::text as "coveredUntil",
      w.covered_from::text as "coveredFrom",
      coalesce(e.n, 0)::int as "enrolledThisYear", w.nomination_tags as "nominationTags"
    from wanted w
    left join lateral (
      select count(distinct c.person_id)::int as n
      from card c
      where c.household_id = w.household_id and c.group_code = 'GD'
        and c.valid_from >= ${yearStart}::date and c.valid_from <= ${purchaseDate}::date
    ) e on true
    left join unit u on u.code = w.commune_code`;
  // In no order: sorting a province's million rows first (by commune and household) kept the server's
  // parallel workers from the card look-ups and took 20 s instead of 11 s; the lists sort their page.
  // Every column is named as the row wants it: no plugin copies a million rows to rename their keys.
  return (await query.execute(db.withoutPlugins())).rows;
}

/** The numbers of the given cards (a person's card by its days; null: none, or no number). */
export async function cardNumbers(db: Kysely<DB>, cards: readonly { householdId: string; personId: string; validFrom: string | null; validTo: string }[]): Promise<(string | null)[]> {
  if (cards.length === 0) return [];
  const r = await sql<{ i: string; number: string | null }>`
    select x.i, (select c.number from card c
      where c.household_id = x.h and c.person_id = x.p and c.valid_to = x.t and (x.f is null or c.valid_from = x.f)
      order by c.number limit 1) as number
    from unnest(${cards.map((c) => c.householdId)}::uuid[], ${cards.map((c) => c.personId)}::uuid[],
      ${cards.map((c) => c.validFrom)}::date[], ${cards.map((c) => c.validTo)}::date[]) with ordinality x(h, p, f, t, i)`.execute(db);
  const out = new Array<string | null>(cards.length).fill(null);
  for (const row of r.rows) out[Number(row.i) - 1] = row.number;
  return out;
}

/** Persons of the area whose card covers the whole period (not candidates; counted for the summary). */
export async function countCoveredInArea(db: Kysely<DB>, area: AreaFilter, periodEnd: string): Promise<number> {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from person p join household h on h.id = p.household_id
    where (${areaCondition(area)})
      and exists (select 1 from card c where c.household_id = p.household_id and c.person_id = p.id
        and c.valid_from <= ${periodEnd}::date and c.valid_to >= ${periodEnd}::date)`.execute(db);
  return Number(r.rows[0]?.n ?? 0);
}

/**
 * The programme's priorities and commune quotas exactly as stored. (Read as text: Kysely's CamelCasePlugin
 * rewrites the keys of JSON objects it returns, so {"near_poor": 1} would come back as {"nearPoor": 1}.)
 */
export async function programmeJson(db: Kysely<DB>, programmeId: string): Promise<{ priorities: Record<string, number> | string[]; communeQuotas: Record<string, number> | null }> {
  const r = await sql<{ p: string; q: string | null }>`select priorities::text as p, commune_quotas::text as q from programme where id = ${programmeId}::uuid`.execute(db);
  const row = r.rows[0];
  return { priorities: row ? (JSON.parse(row.p) as Record<string, number> | string[]) : {}, communeQuotas: row?.q ? (JSON.parse(row.q) as Record<string, number>) : null };
}

// ---------------------------------------------------------------------------------------------------
// Nominations
// ---------------------------------------------------------------------------------------------------

export interface NominationRow {
  personId: string;
  householdId: string;
  communeCode: string;
  fullName: string | null;
  birthDate: string | null;
  tags: string[];
  note: string | null;
  nominatedBy: string;
  createdAt: Date;
}

export async function listNominations(db: Kysely<DB>, programmeId: string, communes?: { scope: string | null }): Promise<NominationRow[]> {
  let q = db
    .selectFrom('programmeNomination as n')
    .leftJoin('person as p', (j) => j.onRef('p.householdId', '=', 'n.householdId').onRef('p.id', '=', 'n.personId'))
    .select([
      'n.personId',
      'n.householdId',
      'n.communeCode',
      'p.fullName',
      sql<string | null>`p.birth_date::text`.as('birthDate'),
      'n.tags',
      'n.note',
      'n.nominatedBy',
      'n.createdAt',
    ])
    .where('n.programmeId', '=', programmeId);
  const scope = communes?.scope;
  if (scope) q = q.where(communeUnder('n.commune_code', scope));
  return q.orderBy('n.communeCode').orderBy('n.createdAt').execute();
}

export async function findNomination(db: Kysely<DB>, programmeId: string, personId: string) {
  return db.selectFrom('programmeNomination').selectAll().where('programmeId', '=', programmeId).where('personId', '=', personId).executeTakeFirst();
}

export async function upsertNomination(
  db: Kysely<DB>,
  values: { programmeId: string; householdId: string; personId: string; communeCode: string; tags: string[]; note: string | null; nominatedBy: string },
) {
  await db
    .insertInto('programmeNomination')
    .values(values)
    .onConflict((oc) =>
      oc.columns(['programmeId', 'personId']).doUpdateSet({
        householdId: values.householdId,
        communeCode: values.communeCode,
        tags: values.tags,
        note: values.note,
        nominatedBy: values.nominatedBy,
      }),
    )
    .execute();
}

export async function deleteNomination(db: Kysely<DB>, programmeId: string, personId: string): Promise<number> {
  const r = await db.deleteFrom('programmeNomination').where('programmeId', '=', programmeId).where('personId', '=', personId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/**
 * Programmes in one of `statuses` whose area may cover the commune: naming its province or itself, one of
 * its villages, or owned by one of them with no area codes (the caller reads the area exactly).
 */
export async function programmesCovering(db: Kysely<DB>, statuses: string[], communeCode: string, provinceCode: string | null) {
  const units = [communeCode, ...(provinceCode ? [provinceCode] : [])];
  return db
    .selectFrom('programme as p')
    .select(['p.id', 'p.name', 'p.areaKind', 'p.areaCodes', 'p.ownerUnitCode'])
    .where('p.status', 'in', statuses as ProgrammeStatus[])
    .where((eb) =>
      eb.or([
        sql<boolean>`p.area_codes && ${sql.val(units)}::text[]`,
        sql<boolean>`exists (select 1 from unnest(p.area_codes) c where c like ${`${communeCode}.%`})`,
        eb.and([sql<boolean>`cardinality(p.area_codes) = 0`, eb('p.ownerUnitCode', 'in', units)]),
      ]),
    )
    .orderBy('p.createdAt')
    .orderBy('p.id')
    .execute();
}

/** The nominations among the programmes and persons given. */
export async function nominationKeys(db: Kysely<DB>, programmeIds: string[], personIds: string[]) {
  if (programmeIds.length === 0 || personIds.length === 0) return [];
  return db.selectFrom('programmeNomination').select(['programmeId', 'personId']).where('programmeId', 'in', programmeIds).where('personId', 'in', personIds).execute();
}

/** Register persons by id, with their commune and the commune's province (for scope checks). */
export async function findPersons(db: Kysely<DB>, ids: string[]) {
  if (ids.length === 0) return [];
  return db
    .selectFrom('person as p')
    .leftJoin('unit as u', 'u.code', 'p.communeCode')
    .select(['p.id', 'p.householdId', 'p.communeCode', 'u.parentCode as provinceCode', 'p.fullName'])
    .where('p.id', 'in', ids)
    .execute();
}

/** Persons matched by the keys of an imported row: citizen id, insurance code, or household + name + birth date. */
export async function matchPerson(
  db: Kysely<DB>,
  keys: { citizenId?: string; insuranceCode?: string; communeCodes: string[]; householdCode: string; nameKey: string; birthDate: string },
): Promise<{ id: string; householdId: string; communeCode: string }[]> {
  if (keys.citizenId) {
    const r = await db.selectFrom('person').select(['id', 'householdId', 'communeCode']).where('citizenId', '=', keys.citizenId).execute();
    if (r.length) return r;
  }
  if (keys.insuranceCode) {
    const r = await db.selectFrom('person').select(['id', 'householdId', 'communeCode']).where('insuranceCode', '=', keys.insuranceCode).execute();
    if (r.length) return r;
  }
  if (keys.communeCodes.length === 0) return [];
  return db
    .selectFrom('person as p')
    .innerJoin('household as h', 'h.id', 'p.householdId')
    .select(['p.id', 'p.householdId', 'p.communeCode'])
    .where('h.communeCode', 'in', keys.communeCodes)
    .where('h.code', '=', keys.householdCode)
    .where('p.nameKey', '=', keys.nameKey)
    .where(sql<boolean>`p.birth_date = ${keys.birthDate}::date`)
    .execute();
}

/** New commune codes for a (possibly pre-2025) code: itself when it exists, else its mapping. */
export async function communesForCode(db: Kysely<DB>, code: string): Promise<string[]> {
  const own = await db.selectFrom('unit').select('code').where('code', '=', code).where('level', '=', 'commune').executeTakeFirst();
  if (own) return [own.code];
  const mapped = await db.selectFrom('communeMapping').select('newCode').where('oldCode', '=', code).execute();
  return [...new Set(mapped.map((m) => m.newCode))];
}
