/**
 * SQL of renewal reminders (issue 20 item 6): what ends in a window (BHYT cards; a second source, the
 * voluntary social insurance periods, plugs in beside `endingCards`), the households' facts the pricing
 * needs, where to pay (collectors, the commune's office), the journal of reminders sent and the renewal
 * rate. Every read of households and persons takes the HouseholdScope and applies it here (src/db/scope.ts).
 * Reads of `unit`, `household`, `person`, `card`, `collector` are joins and lookups; only `reminder_sent` is written.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, ReminderSentTable, ReminderSource } from '../../db/schema';
import { householdInScope, type HouseholdScope } from '../../db/scope';

/** One thing that ends in the window, with its holder and what pricing and the text need. */
export interface EndingRow {
  source: ReminderSource;
  subjectId: string;
  householdId: string;
  personId: string;
  endsOn: string;
  /** The collector the card names (null: none named). */
  collectorCode: string | null;
  fullName: string;
  birthDate: string;
  groupCodes: string[];
  grade: number | null;
  /** As in the register: local support limited to ethnic minorities prices by it. */
  ethnicity: string | null;
  phone: string | null;
  communeCode: string;
  communeName: string;
  provinceCode: string | null;
  villageCode: string | null;
  villageName: string | null;
  householdCode: string;
  povertyStatus: string;
}

export interface Window {
  /** First and last day a card may end on to be listed. */
  from: string;
  to: string;
  /** Only these villages (full codes); null: every village of the scope. */
  villages: string[] | null;
  /** The scope is one commune (or narrower): start from its households rather than from the cards. */
  narrow: boolean;
}

/**
 * The persons in the scope whose latest card (migration 0023, kept per person) ends in the window: not
 * renewed. Two plans, one answer: a commune's list starts from its households and reaches their latest
 * cards by its key (household_id first); a province's takes the range of end dates of latest_card_valid_to_idx.
 */
export async function endingCards(db: Kysely<DB>, w: Window, scope: HouseholdScope): Promise<EndingRow[]> {
  if (w.villages?.length === 0) return [];
  const inScope = householdInScope('h.commune_code', 'h.village_code', scope);
  const villageFilter = w.villages ? sql`and h.village_code in (${sql.join(w.villages)})` : sql``;
  const due = w.narrow
    ? sql`with hh as materialized (select h.id from household h where ${inScope} ${villageFilter}),
        due as materialized (select l.household_id, l.person_id, l.card_id as id, l.valid_to, l.collector_code
          from hh join latest_card l on l.household_id = hh.id where l.valid_to between ${w.from}::date and ${w.to}::date)`
    : sql`with due as (select l.household_id, l.person_id, l.card_id as id, l.valid_to, l.collector_code
          from latest_card l where l.valid_to between ${w.from}::date and ${w.to}::date)`;
  // one JSON text: the embedded database hands rows over field by field, which costs more than the query for tens of thousands
  const r = await sql<{ j: string }>`${due}
    select coalesce(json_agg(json_build_array(d.id, d.household_id, d.person_id, d.valid_to, d.collector_code,
      p.full_name, p.birth_date, p.group_codes, p.grade, p.phone,
      h.commune_code, h.village_code, h.code, h.poverty_status, p.ethnicity)), '[]')::text as j
    from due d
    join household h on h.id = d.household_id
    join person p on p.household_id = d.household_id and p.id = d.person_id
    where ${inScope} ${villageFilter}`.execute(db);
  type Row = [string, string, string, string, string | null, string, string, string[], number | null, string | null, string, string | null, string, string, string | null];
  const rows = JSON.parse(r.rows[0].j) as Row[];
  // the units' names by a look-up of their own: joined in, the planner (which cannot see how few rows the
  // join to the persons leaves) scanned the unit table once per person
  const units = await unitsByCode(db, [...new Set(rows.flatMap((x) => (x[11] ? [x[10], x[11]] : [x[10]])))]);
  return rows.map(
    ([subjectId, householdId, personId, endsOn, collectorCode, fullName, birthDate, groupCodes, grade, phone, communeCode, villageCode, householdCode, povertyStatus, ethnicity]) => ({
      source: 'bhyt_card',
      subjectId,
      householdId,
      personId,
      endsOn,
      collectorCode,
      fullName,
      birthDate,
      groupCodes,
      grade,
      ethnicity,
      phone,
      communeCode,
      communeName: units.get(communeCode)?.name ?? communeCode,
      provinceCode: units.get(communeCode)?.parentCode ?? null,
      villageCode,
      villageName: villageCode ? (units.get(villageCode)?.name ?? null) : null,
      householdCode,
      povertyStatus,
    }),
  );
}

/** Units' names and parents by code. */
async function unitsByCode(db: Kysely<DB>, codes: string[]): Promise<Map<string, { name: string; parentCode: string | null }>> {
  if (codes.length === 0) return new Map();
  const r = await db.selectFrom('unit').select(['code', 'name', 'parentCode']).where('code', 'in', codes).execute();
  return new Map(r.map((u) => [u.code, { name: u.name, parentCode: u.parentCode }]));
}

/** Household-mode (GD) members of each household whose card started this calendar year, up to `date` (by card_household_gd_idx, migration 0023). */
export async function enrolledThisYear(db: Kysely<DB>, householdIds: string[], date: string): Promise<Map<string, number>> {
  if (householdIds.length === 0) return new Map();
  const r = await sql<{ householdId: string; n: number }>`
    select k.household_id as "householdId", count(distinct k.person_id)::int as n
    from unnest(${sql.val(householdIds)}::uuid[]) x(id) join card k on k.household_id = x.id
    where k.group_code = 'GD' and k.valid_from >= ${`${date.slice(0, 4)}-01-01`}::date and k.valid_from <= ${date}::date
    group by k.household_id`.execute(db);
  return new Map(r.rows.map((x) => [x.householdId, Number(x.n)]));
}

/** The unit is a commune or a village (a list of it starts from its households). */
export async function unitLevel(db: Kysely<DB>, code: string): Promise<string | undefined> {
  return (await db.selectFrom('unit').select('level').where('code', '=', code).executeTakeFirst())?.level;
}

export interface CollectorRow {
  code: string;
  name: string;
  phone: string | null;
  active: boolean;
}

/** Collectors by code (those the cards name). */
export async function collectorsByCode(db: Kysely<DB>, codes: string[]): Promise<CollectorRow[]> {
  if (codes.length === 0) return [];
  return db.selectFrom('collector').select(['code', 'name', 'phone', 'active']).where('code', 'in', codes).execute();
}

/** The first active collector of each village (by code), as the D03 list takes it. */
export async function villageCollectors(db: Kysely<DB>, villages: string[]): Promise<Map<string, CollectorRow>> {
  if (villages.length === 0) return new Map();
  const r = await sql<CollectorRow & { villageCode: string }>`
    select distinct on (cv.village_code) cv.village_code as "villageCode", c.code, c.name, c.phone, c.active
    from collector_village cv join collector c on c.code = cv.collector_code
    where cv.village_code in (${sql.join(villages)}) and c.active
    order by cv.village_code, c.code`.execute(db);
  return new Map(r.rows.map(({ villageCode, ...c }) => [villageCode, c]));
}

export interface OfficeRow {
  communeCode: string;
  name: string;
  address: string | null;
  phone: string | null;
}

/** The office serving each commune, with the address and phone of its profile. */
export async function communeOffices(db: Kysely<DB>, communes: string[]): Promise<Map<string, OfficeRow>> {
  if (communes.length === 0) return new Map();
  const r = await sql<OfficeRow>`
    select distinct on (oc.commune_code) oc.commune_code as "communeCode", o.name, pr.address, pr.phone
    from office_commune oc join unit o on o.code = oc.office_code left join unit_profile pr on pr.unit_code = o.code
    where oc.commune_code in (${sql.join(communes)})
    order by oc.commune_code, o.code`.execute(db);
  return new Map(r.rows.map((o) => [o.communeCode, o]));
}

export type SentValues = Omit<ReminderSentTable, 'createdAt'>;

/** The keys among `subjects` already reminded (`source/subject/endsOn/offset`). */
export async function sentKeys(db: Kysely<DB>, householdIds: string[], offsetDays: number | null): Promise<Set<string>> {
  if (householdIds.length === 0) return new Set();
  const r = await sql<{ source: string; subjectId: string; endsOn: string; offsetDays: number }>`
    select s.source, s.subject_id as "subjectId", s.ends_on::text as "endsOn", s.offset_days as "offsetDays"
    from unnest(${sql.val([...new Set(householdIds)])}::uuid[]) x(id) join reminder_sent s on s.household_id = x.id
    ${offsetDays === null ? sql`` : sql`where s.offset_days = ${offsetDays}`}`.execute(db);
  return new Set(r.rows.map((s) => sentKey(s)));
}

export const sentKey = (s: { source: string; subjectId: string; endsOn: string; offsetDays: number }) => `${s.source}/${s.subjectId}/${s.endsOn}/${s.offsetDays}`;

/** Records reminders; one already there is left as it is. Returns the rows written. */
export async function insertSent(db: Kysely<DB>, rows: SentValues[]): Promise<SentValues[]> {
  const written: SentValues[] = [];
  for (let i = 0; i < rows.length; i += 2000) {
    const chunk = rows.slice(i, i + 2000);
    const r = await db
      .insertInto('reminderSent')
      .values(chunk)
      .onConflict((oc) => oc.columns(['householdId', 'source', 'subjectId', 'endsOn', 'offsetDays']).doNothing())
      .returning(['householdId', 'source', 'subjectId', 'endsOn', 'offsetDays'])
      .execute();
    const got = new Set(r.map((x) => sentKey({ ...x, endsOn: String(x.endsOn) })));
    written.push(...chunk.filter((x) => got.has(sentKey(x))));
  }
  return written;
}

export interface RateRow {
  reminded: boolean;
  /** The card ended long enough ago to judge (end + within days before the day). */
  settled: boolean;
  renewed: boolean;
  n: number;
}

/**
 * Cards of the scope that ended in [from, to], counted by: reminded (a reminder for that card and end
 * date), renewed (a card of the person ending later that starts within `within` days after the end; a
 * card bought ahead counts), and settled (the `within` days after the end are over by `today`).
 */
export async function renewalCounts(db: Kysely<DB>, p: { from: string; to: string; within: number; today: string; villages: string[] | null }, scope: HouseholdScope): Promise<RateRow[]> {
  const inScope = householdInScope('h.commune_code', 'h.village_code', scope);
  const r = await sql<RateRow>`
    with ended as materialized (
      select k.household_id, k.person_id, k.id, k.valid_to from card k
      join household h on h.id = k.household_id
      where k.valid_to between ${p.from}::date and ${p.to}::date and ${inScope}
        ${p.villages ? sql`and h.village_code in (${sql.join(p.villages)})` : sql``}
    )
    select exists (select 1 from reminder_sent s where s.household_id = e.household_id and s.source = 'bhyt_card'
        and s.subject_id = e.id and s.ends_on = e.valid_to) as reminded,
      (e.valid_to + ${p.within}::int) < ${p.today}::date as settled,
      exists (select 1 from card l where l.household_id = e.household_id and l.person_id = e.person_id
        and l.valid_to > e.valid_to and l.valid_from <= e.valid_to + ${p.within + 1}::int) as renewed,
      count(*)::int as n
    from ended e group by 1, 2, 3`.execute(db);
  return r.rows.map((x) => ({ ...x, n: Number(x.n) }));
}
