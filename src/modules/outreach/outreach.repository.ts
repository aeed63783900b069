/**
 * SQL of door to door (issue 19): working groups, visits, the review queue, and the reads of the
 * register the field needs (the door-to-door list, follow-ups, progress). Every read of households,
 * persons, visits and reports takes the HouseholdScope and applies it here (src/db/scope.ts), so a field
 * worker never fetches a row outside their groups' villages. Reads of `unit`, `app_user`, `household`,
 * `person` and `card` are joins and lookups; nothing here writes them.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, FieldReportStatus, FieldReportTable, VisitOutcome, VisitTable } from '../../db/schema';
import { communeUnder, groupInScope, householdInScope, type HouseholdScope } from '../../db/scope';

// ---------------------------------------------------------------------------------------------------
// Working groups
// ---------------------------------------------------------------------------------------------------

export interface GroupValues {
  id: string;
  communeCode: string;
  name: string;
  leaderId: string | null;
  periodFrom: string | null;
  periodTo: string | null;
  note: string | null;
  active: boolean;
  createdBy: string;
}

const groupColumns = [
  'g.id',
  'g.communeCode',
  'c.name as communeName',
  'g.name',
  'g.leaderId',
  'g.periodFrom',
  'g.periodTo',
  'g.note',
  'g.active',
  'g.createdBy',
  'g.createdAt',
  'g.updatedAt',
] as const;

export type GroupRow = Awaited<ReturnType<typeof findGroup>> & object;

/** A group the scope sees (undefined: none, or outside the scope). */
export function findGroup(db: Kysely<DB>, id: string, scope: HouseholdScope) {
  return db
    .selectFrom('workingGroup as g')
    .innerJoin('unit as c', 'c.code', 'g.communeCode')
    .select(groupColumns)
    .where('g.id', '=', id)
    .where(groupInScope('g.id', 'g.commune_code', scope))
    .executeTakeFirst();
}

/** The groups the scope sees, of the communes under `area` (a province, an office or a commune) when given. */
export function listGroups(db: Kysely<DB>, scope: HouseholdScope, filter: { area?: string; all: boolean }) {
  let q = db.selectFrom('workingGroup as g').innerJoin('unit as c', 'c.code', 'g.communeCode').select(groupColumns).where(groupInScope('g.id', 'g.commune_code', scope));
  if (filter.area !== undefined) q = q.where(communeUnder('g.commune_code', filter.area));
  if (!filter.all) q = q.where('g.active', '=', true);
  return q.orderBy('g.communeCode').orderBy('g.name').limit(5000).execute();
}

export async function groupVillages(db: Kysely<DB>, groupIds: string[]) {
  if (groupIds.length === 0) return [];
  return db
    .selectFrom('workingGroupVillage as gv')
    .innerJoin('unit as v', 'v.code', 'gv.villageCode')
    .select(['gv.groupId', 'v.code', 'v.name'])
    .where('gv.groupId', 'in', groupIds)
    .execute();
}

const userColumns = ['u.id', 'u.username', 'u.displayName', 'u.role', 'u.active'] as const;

export async function groupMembers(db: Kysely<DB>, groupIds: string[]) {
  if (groupIds.length === 0) return [];
  return db
    .selectFrom('workingGroupMember as m')
    .innerJoin('appUser as u', 'u.id', 'm.userId')
    .select(['m.groupId', ...userColumns, 'u.scopeCode'])
    .where('m.groupId', 'in', groupIds)
    .orderBy('u.username')
    .execute();
}

export async function insertGroup(db: Kysely<DB>, g: GroupValues): Promise<void> {
  await db.insertInto('workingGroup').values(g).execute();
}

export async function updateGroup(db: Kysely<DB>, id: string, patch: Partial<Omit<GroupValues, 'id' | 'communeCode' | 'createdBy'>>): Promise<void> {
  await db
    .updateTable('workingGroup')
    .set({ ...patch, updatedAt: sql<Date>`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteGroup(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('workingGroup').where('id', '=', id).execute();
}

export async function setGroupVillages(db: Kysely<DB>, groupId: string, villages: string[]): Promise<void> {
  await db.deleteFrom('workingGroupVillage').where('groupId', '=', groupId).execute();
  if (villages.length) await db.insertInto('workingGroupVillage').values(villages.map((villageCode) => ({ groupId, villageCode }))).execute();
}

export async function setGroupMembers(db: Kysely<DB>, groupId: string, userIds: string[]): Promise<void> {
  await db.deleteFrom('workingGroupMember').where('groupId', '=', groupId).execute();
  if (userIds.length) await db.insertInto('workingGroupMember').values(userIds.map((userId) => ({ groupId, userId }))).execute();
}

export async function groupNameTaken(db: Kysely<DB>, communeCode: string, name: string, exceptId?: string): Promise<boolean> {
  let q = db.selectFrom('workingGroup').select('id').where('communeCode', '=', communeCode).where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) q = q.where('id', '<>', exceptId);
  return (await q.executeTakeFirst()) !== undefined;
}

export async function countVisitsOfGroup(db: Kysely<DB>, groupId: string): Promise<number> {
  const r = await db.selectFrom('visit').select((eb) => eb.fn.countAll<number>().as('n')).where('groupId', '=', groupId).executeTakeFirstOrThrow();
  return Number(r.n);
}

/** Users by id or username (read only: users belong to the access module). */
export async function findUsers(db: Kysely<DB>, refs: string[]) {
  if (refs.length === 0) return [];
  const ids = refs.filter((r) => /^[0-9a-f-]{36}$/i.test(r));
  return db
    .selectFrom('appUser as u')
    .select([...userColumns, 'u.scopeCode'])
    .where((eb) => eb.or([eb('u.username', 'in', refs), ...(ids.length ? [eb('u.id', 'in', ids)] : [])]))
    .execute();
}

/** The users who may be members of a commune's groups: field workers and commune officers of that commune. */
export function listWorkers(db: Kysely<DB>, communeCode: string) {
  return db
    .selectFrom('appUser as u')
    .select(userColumns)
    .where('u.scopeCode', '=', communeCode)
    .where('u.role', 'in', ['field_worker', 'commune_officer'])
    .orderBy('u.username')
    .execute();
}

/** Villages of the commune by full code or by the code users type. */
export async function findVillages(db: Kysely<DB>, communeCode: string, codes: string[]) {
  if (codes.length === 0) return [];
  return db
    .selectFrom('unit')
    .select(['code', 'name', 'localCode'])
    .where('parentCode', '=', communeCode)
    .where('level', '=', 'village')
    .where((eb) => eb.or([eb('code', 'in', codes), eb('localCode', 'in', codes)]))
    .execute();
}

// ---------------------------------------------------------------------------------------------------
// The register as the field reads it
// ---------------------------------------------------------------------------------------------------

export interface DoorHouseholdRow {
  id: string;
  code: string;
  communeCode: string;
  provinceCode: string | null;
  villageCode: string | null;
  villageName: string | null;
  address: string | null;
  povertyStatus: string;
}

/**
 * Households of the villages (all when null) in scope; with `need`, those with at least one person holding no card
 * that is still valid on `until` (uncovered, never insured, or coverage ending before it).
 */
export async function doorHouseholds(
  db: Kysely<DB>,
  where: { villages: string[] | null; householdIds?: string[] },
  scope: HouseholdScope,
  need: { until: string } | null,
): Promise<DoorHouseholdRow[]> {
  if (where.villages?.length === 0 || where.householdIds?.length === 0) return [];
  // with `need`, the households come from their kept "covered until" (migration 0016) by its index over
  // (village, covered until): only those with someone to visit are read. The rows come back as one JSON
  // text: the embedded database hands a row set over field by field, a text at once (2-4 times faster).
  const r = await sql<{ j: string }>`
    with hh as materialized (
      select h.id, h.code, h.commune_code, h.village_code, h.address, h.poverty_status from household h
      ${need ? sql`join household_coverage hc on hc.household_id = h.id and hc.covered_until < ${need.until}::date` : sql``}
      where ${where.villages ? sql`${need ? sql`hc.village_code` : sql`h.village_code`} in (${sql.join(where.villages)})` : sql`true`}
        and ${householdInScope('h.commune_code', 'h.village_code', scope)}
        ${where.householdIds ? sql`and h.id in (${sql.join(where.householdIds.map((id) => sql`${id}::uuid`))})` : sql``}
    )
    select coalesce(json_agg(json_build_object('id', hh.id, 'code', hh.code, 'communeCode', hh.commune_code, 'provinceCode', c.parent_code,
      'villageCode', hh.village_code, 'villageName', v.name, 'address', hh.address, 'povertyStatus', hh.poverty_status)), '[]')::text as j
    from hh
    join unit c on c.code = hh.commune_code
    left join unit v on v.code = hh.village_code`.execute(db);
  return JSON.parse(r.rows[0].j) as DoorHouseholdRow[];
}

/** What a member's cards say, worked out by the database (the list needs no card itself). */
export interface DoorCards {
  /** How many cards; the latest start and the latest end (null without a card). */
  count: number;
  latestFrom: string | null;
  cardTo: string | null;
  /** A card covers `date`. */
  coveredToday: boolean;
  /** The latest start of a card covering `date` (a visited person's card is "active since" it). */
  activeSince: string | null;
  /** A household (GD) card started between 1 January of `date`'s year and `date`. */
  enrolledThisYear: boolean;
}

export interface DoorMemberRow {
  householdId: string;
  id: string;
  relationship: string | null;
  fullName: string;
  birthDate: string;
  sex: string;
  citizenId: string | null;
  insuranceCode: string | null;
  phone: string | null;
  groupCodes: string[];
  grade: number | null;
  /** As in the register: local support limited to ethnic minorities prices by it. */
  ethnicity: string | null;
  cards: DoorCards;
}

/**
 * The members of the households (the caller read the households in scope), head first, then by birth
 * date, with what their cards say on `date`; as one JSON text (see doorHouseholds). One look at each
 * person's cards through the card key, and no card handed over: a few numbers per person.
 */
export async function doorMembers(db: Kysely<DB>, householdIds: string[], date: string): Promise<DoorMemberRow[]> {
  if (householdIds.length === 0) return [];
  const january1 = `${date.slice(0, 4)}-01-01`;
  const r = await sql<{ j: string }>`
    select coalesce(json_agg(json_build_array(p.household_id, p.id, p.relationship, p.full_name, p.birth_date, p.sex, p.citizen_id,
      p.insurance_code, p.phone, p.group_codes, p.grade, k.n, k.latest_from, k.card_to, k.covered, k.active_since, k.enrolled, p.ethnicity)
      order by p.household_id, case when p.relationship = 'head' then 0 else 1 end, p.birth_date, p.id), '[]')::text as j
    from unnest(${sql.val(householdIds)}::uuid[]) x(id)
    join person p on p.household_id = x.id
    cross join lateral (
      select count(*) as n, max(c.valid_from) as latest_from, max(c.valid_to) as card_to,
        coalesce(bool_or(c.valid_from <= ${date}::date and c.valid_to >= ${date}::date), false) as covered,
        max(c.valid_from) filter (where c.valid_from <= ${date}::date and c.valid_to >= ${date}::date) as active_since,
        coalesce(bool_or(c.group_code = 'GD' and c.valid_from between ${january1}::date and ${date}::date), false) as enrolled
      from card c where c.household_id = p.household_id and c.person_id = p.id
    ) k`.execute(db);
  type Row = [string, string, string | null, string, string, string, string | null, string | null, string | null, string[], number | null, number, string | null, string | null, boolean, string | null, boolean, string | null];
  return (JSON.parse(r.rows[0].j) as Row[]).map(
    ([householdId, id, relationship, fullName, birthDate, sex, citizenId, insuranceCode, phone, groupCodes, grade, count, latestFrom, cardTo, coveredToday, activeSince, enrolledThisYear, ethnicity]) => ({
      householdId,
      id,
      relationship,
      fullName,
      birthDate,
      sex,
      citizenId,
      insuranceCode,
      phone,
      groupCodes,
      grade,
      ethnicity,
      cards: { count, latestFrom, cardTo, coveredToday, activeSince, enrolledThisYear },
    }),
  );
}

/** A person and their household for a visit: by id, citizen id or insurance code, or the household alone; in scope. */
export async function findVisitTarget(
  db: Kysely<DB>,
  by: { personId?: string; citizenId?: string; householdId?: string },
  scope: HouseholdScope,
): Promise<{ householdId: string; personId: string | null; communeCode: string; villageCode: string | null }[]> {
  const inScope = householdInScope('h.commune_code', 'h.village_code', scope);
  if (by.personId || by.citizenId) {
    const key = by.personId
      ? sql`p.id = ${by.personId}::uuid`
      : by.citizenId!.length === 10
        ? sql`p.insurance_code = ${by.citizenId}`
        : sql`p.citizen_id = ${by.citizenId}`;
    const r = await sql<{ householdId: string; personId: string; communeCode: string; villageCode: string | null }>`
      select p.household_id as "householdId", p.id as "personId", h.commune_code as "communeCode", h.village_code as "villageCode"
      from person p join household h on h.id = p.household_id
      where ${key} ${by.householdId ? sql`and p.household_id = ${by.householdId}::uuid` : sql``} and ${inScope}`.execute(db);
    return r.rows;
  }
  if (!by.householdId) return [];
  const r = await sql<{ householdId: string; communeCode: string; villageCode: string | null }>`
    select h.id as "householdId", h.commune_code as "communeCode", h.village_code as "villageCode"
    from household h where h.id = ${by.householdId}::uuid and ${inScope}`.execute(db);
  return r.rows.map((x) => ({ ...x, personId: null }));
}

// ---------------------------------------------------------------------------------------------------
// Visits
// ---------------------------------------------------------------------------------------------------

/** A visit as stored (every column given: the server's time too). */
export type VisitValues = Selectable<VisitTable>;

const visitColumns = [
  'v.id',
  'v.clientId',
  'v.groupId',
  'v.householdId',
  'v.personId',
  'v.communeCode',
  'v.villageCode',
  'v.outcome',
  'v.product',
  'v.receiptNumber',
  'v.cardNumber',
  'v.reason',
  'v.followUp',
  'v.note',
  'v.visitedAt',
  'v.visitedOn',
  'v.receivedAt',
  'v.userId',
  'v.userName',
  'v.householdVersion',
  'v.flagged',
  'v.flagReason',
  'v.contentHash',
] as const;

export type VisitRow = Awaited<ReturnType<typeof findVisitByClientId>> & object;

/** The visit a phone's id names, wherever it is (to answer a resend or refuse a reused id). */
export function findVisitByClientId(db: Kysely<DB>, clientId: string) {
  return db.selectFrom('visit as v').select(visitColumns).where('v.clientId', '=', clientId).executeTakeFirst();
}

/** The visits stored under any of the client ids (a send's, read at once). */
export async function findVisitsByClientIds(db: Kysely<DB>, clientIds: string[]) {
  if (clientIds.length === 0) return [];
  return db.selectFrom('visit as v').select(visitColumns).where('v.clientId', 'in', clientIds).execute();
}

export async function insertVisit(db: Kysely<DB>, v: VisitValues): Promise<void> {
  await db.insertInto('visit').values(v).execute();
}

/** Visits in scope, newest first. */
export function listVisits(db: Kysely<DB>, scope: HouseholdScope, filter: { groupId?: string; householdId?: string; flagged?: boolean; limit: number }) {
  let q = db.selectFrom('visit as v').select(visitColumns).where(householdInScope('v.commune_code', 'v.village_code', scope));
  if (filter.groupId) q = q.where('v.groupId', '=', filter.groupId);
  if (filter.householdId) q = q.where('v.householdId', '=', filter.householdId);
  if (filter.flagged !== undefined) q = q.where('v.flagged', '=', filter.flagged);
  return q.orderBy('v.visitedAt', 'desc').orderBy('v.receivedAt', 'desc').limit(filter.limit).execute();
}

/** The visits of households (in scope), for each person's stage and last visit on the list; as one JSON text (see doorHouseholds). */
export async function visitsOfHouseholds(db: Kysely<DB>, householdIds: string[], scope: HouseholdScope) {
  if (householdIds.length === 0) return [];
  const r = await sql<{ j: string }>`
    select coalesce(json_agg(json_build_object('householdId', v.household_id, 'personId', v.person_id, 'outcome', v.outcome, 'reason', v.reason,
      'followUp', v.follow_up, 'visitedAt', v.visited_at, 'visitedOn', v.visited_on)), '[]')::text as j
    from visit v
    where v.household_id = any(${sql.val(householdIds)}::uuid[]) and ${householdInScope('v.commune_code', 'v.village_code', scope)}`.execute(db);
  return JSON.parse(r.rows[0].j) as ({ visitedAt: string } & Pick<Selectable<VisitTable>, 'householdId' | 'personId' | 'outcome' | 'reason' | 'followUp' | 'visitedOn'>)[];
}

/**
 * The first day of a person's first card that starts between their first visit (`f.first`) and `date` and
 * covers `date`; null when none. A scalar subquery per visited person (along the card's primary key), so
 * that no plan scans every card.
 */
const newCardSince = (date: string) =>
  sql<string | null>`(select min(k.valid_from)::text from card k where k.household_id = f.household_id and k.person_id = f.person_id
    and k.valid_from >= f.first and k.valid_from <= ${date}::date and k.valid_to >= ${date}::date)`;

/**
 * The latest visit of each person and of each household visited as a whole, in scope (of `groupIds` when
 * given), up to `date`, with what the follow-up list shows; `newCard`: the person has a card that starts on
 * or after that visit's day (the follow-up is done).
 */
export async function latestVisits(db: Kysely<DB>, scope: HouseholdScope, filter: { groupIds?: string[]; date: string }) {
  if (filter.groupIds?.length === 0) return [];
  const r = await sql<{
    householdId: string;
    personId: string | null;
    groupId: string;
    outcome: VisitOutcome;
    followUp: string | null;
    visitedAt: Date;
    visitedOn: string;
    note: string | null;
    userId: string | null;
    userName: string;
    householdCode: string;
    villageName: string | null;
    address: string | null;
    fullName: string | null;
    phone: string | null;
    newCard: boolean;
  }>`
    select x.*, h.code as "householdCode", vu.name as "villageName", h.address, p.full_name as "fullName", p.phone,
      exists (select 1 from card k where k.household_id = x."householdId" and k.person_id = x."personId" and k.valid_from >= x."visitedOn") as "newCard"
    from (
      select distinct on (v.household_id, coalesce(v.person_id::text, ''))
        v.household_id as "householdId", v.person_id as "personId", v.group_id as "groupId", v.outcome, v.follow_up as "followUp",
        v.visited_at as "visitedAt", v.visited_on as "visitedOn", v.note, v.user_id as "userId", v.user_name as "userName"
      from visit v
      where ${householdInScope('v.commune_code', 'v.village_code', scope)} and v.visited_on <= ${filter.date}::date
        ${filter.groupIds ? sql`and v.group_id in (${sql.join(filter.groupIds.map((id) => sql`${id}::uuid`))})` : sql``}
      order by v.household_id, coalesce(v.person_id::text, ''), v.visited_at desc, v.received_at desc, v.id
    ) x
    join household h on h.id = x."householdId"
    left join unit vu on vu.code = h.village_code
    left join person p on p.household_id = x."householdId" and p.id = x."personId"`.execute(db);
  return r.rows.map((x) => ({ ...x, visitedAt: new Date(x.visitedAt), newCard: Boolean(x.newCard) }));
}

// ---------------------------------------------------------------------------------------------------
// The review queue
// ---------------------------------------------------------------------------------------------------

export type ReportValues = Omit<Selectable<FieldReportTable>, 'status' | 'decidedBy' | 'decidedAt' | 'decisionNote'>;

export async function insertReport(db: Kysely<DB>, r: ReportValues): Promise<void> {
  await db.insertInto('fieldReport').values(r).execute();
}

const reportColumns = [
  'r.id',
  'r.kind',
  'r.status',
  'r.householdId',
  'h.code as householdCode',
  'r.personId',
  'p.fullName',
  'p.birthDate',
  'r.communeCode',
  'r.villageCode',
  'vu.name as villageName',
  'r.cardNumber',
  'r.visitId',
  'vi.note',
  'r.reportedBy',
  'r.reportedAt',
  'r.receivedAt',
  'r.decidedBy',
  'r.decidedAt',
  'r.decisionNote',
] as const;

function reportQuery(db: Kysely<DB>, scope: HouseholdScope) {
  return db
    .selectFrom('fieldReport as r')
    .leftJoin('household as h', 'h.id', 'r.householdId')
    .leftJoin('person as p', (j) => j.onRef('p.householdId', '=', 'r.householdId').onRef('p.id', '=', 'r.personId'))
    .leftJoin('unit as vu', 'vu.code', 'r.villageCode')
    .leftJoin('visit as vi', (j) => j.onRef('vi.householdId', '=', 'r.householdId').onRef('vi.id', '=', 'r.visitId'))
    .select(reportColumns)
    .where(householdInScope('r.commune_code', 'r.village_code', scope));
}

export type ReportRow = Awaited<ReturnType<typeof findReport>> & object;

export function findReport(db: Kysely<DB>, id: string, scope: HouseholdScope) {
  return reportQuery(db, scope).where('r.id', '=', id).executeTakeFirst();
}

export function listReports(db: Kysely<DB>, scope: HouseholdScope, filter: { area?: string; status?: FieldReportStatus }) {
  let q = reportQuery(db, scope);
  if (filter.area !== undefined) q = q.where(communeUnder('r.commune_code', filter.area));
  if (filter.status) q = q.where('r.status', '=', filter.status);
  return q.orderBy('r.receivedAt').orderBy('r.reportedAt').orderBy('h.code').orderBy('r.id').limit(5000).execute();
}

/** Decides a pending report; false when it was no longer pending (decided meanwhile). */
export async function decideReport(db: Kysely<DB>, id: string, status: 'accepted' | 'rejected', by: string, note: string | null): Promise<boolean> {
  const r = await db
    .updateTable('fieldReport')
    .set({ status, decidedBy: by, decidedAt: sql<Date>`now()`, decisionNote: note })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

// ---------------------------------------------------------------------------------------------------
// Progress
// ---------------------------------------------------------------------------------------------------

/** Where progress is counted: communes (all their villages) or villages. */
export type ProgressArea = { communes: string[] } | { villages: string[] };

const areaOf = (area: ProgressArea, communeColumn: string, villageColumn: string) =>
  'communes' in area
    ? sql`${sql.ref(communeColumn)} in (${sql.join(area.communes.length ? area.communes : [''])})`
    : sql`${sql.ref(villageColumn)} in (${sql.join(area.villages.length ? area.villages : [''])})`;

/** Households in scope per commune and village. */
export async function householdCounts(db: Kysely<DB>, area: ProgressArea, scope: HouseholdScope) {
  const r = await sql<{ communeCode: string; villageCode: string | null; n: number }>`
    select h.commune_code as "communeCode", h.village_code as "villageCode", count(*)::int as n from household h
    where ${areaOf(area, 'h.commune_code', 'h.village_code')} and ${householdInScope('h.commune_code', 'h.village_code', scope)}
    group by 1, 2`.execute(db);
  return r.rows.map((x) => ({ ...x, n: Number(x.n) }));
}

/**
 * The visits in scope up to `date` (of one group when given), with each visited person's new card: the
 * first day of the first card that starts between their first visit and `date` and covers `date`.
 */
export async function progressVisits(db: Kysely<DB>, area: ProgressArea, scope: HouseholdScope, filter: { date: string; groupId?: string }) {
  const r = await sql<{
    householdId: string;
    personId: string | null;
    communeCode: string;
    villageCode: string | null;
    groupId: string;
    userId: string | null;
    outcome: VisitOutcome;
    visitedOn: string;
    visitedAt: Date;
    followUp: string | null;
  }>`
    select v.household_id as "householdId", v.person_id as "personId", v.commune_code as "communeCode", v.village_code as "villageCode",
      v.group_id as "groupId", v.user_id as "userId", v.outcome, v.visited_on::text as "visitedOn", v.visited_at as "visitedAt", v.follow_up::text as "followUp"
    from visit v
    where ${areaOf(area, 'v.commune_code', 'v.village_code')} and ${householdInScope('v.commune_code', 'v.village_code', scope)}
      and v.visited_on <= ${filter.date}::date
      ${filter.groupId ? sql`and v.group_id = ${filter.groupId}::uuid` : sql``}`.execute(db);
  const visits = r.rows.map((x) => ({ ...x, visitedAt: new Date(x.visitedAt) }));
  const cards = await sql<{ personId: string; since: string | null }>`
    with firsts as (
      select v.household_id, v.person_id, min(v.visited_on) as first from visit v
      where ${areaOf(area, 'v.commune_code', 'v.village_code')} and ${householdInScope('v.commune_code', 'v.village_code', scope)}
        and v.person_id is not null and v.visited_on <= ${filter.date}::date
        ${filter.groupId ? sql`and v.group_id = ${filter.groupId}::uuid` : sql``}
      group by 1, 2
    )
    select f.person_id as "personId", ${newCardSince(filter.date)} as since from firsts f`.execute(db);
  return { visits, newCards: new Map(cards.rows.filter((x) => x.since !== null).map((x) => [x.personId, x.since!])) };
}

/** The villages of each group among `groupIds`. */
export async function villagesOfGroups(db: Kysely<DB>, groupIds: string[]) {
  if (groupIds.length === 0) return [];
  return db.selectFrom('workingGroupVillage').select(['groupId', 'villageCode']).where('groupId', 'in', groupIds).execute();
}

/** The communes of a province by the persons without a card valid on `until`, most first (the demo's groups). */
export async function communesByNeed(db: Kysely<DB>, provinceCode: string, until: string, limit: number) {
  const r = await sql<{ communeCode: string; n: number }>`
    select p.commune_code as "communeCode", count(*)::int as n from person p
    where p.commune_code in (select u.code from unit u where u.parent_code = ${provinceCode} and u.level = 'commune')
      and not exists (select 1 from card k where k.household_id = p.household_id and k.person_id = p.id and k.valid_to >= ${until}::date)
    group by 1 order by 2 desc, 1 limit ${limit}`.execute(db);
  return r.rows.map((x) => ({ communeCode: x.communeCode, n: Number(x.n) }));
}

/** The health-care facility and collector most cards of the commune name (for the demo's new cards). */
export async function usualCardNetwork(db: Kysely<DB>, communeCode: string): Promise<{ facilityCode: string | null; collectorCode: string | null }> {
  const r = await sql<{ facilityCode: string | null; collectorCode: string | null }>`
    select k.facility_code as "facilityCode", k.collector_code as "collectorCode" from card k
    join person p on p.household_id = k.household_id and p.id = k.person_id
    where p.commune_code = ${communeCode} and k.facility_code is not null
    group by 1, 2 order by count(*) desc, 1, 2 limit 1`.execute(db);
  return r.rows[0] ?? { facilityCode: null, collectorCode: null };
}
