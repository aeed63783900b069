/**
 * SQL of outreach events (issue 20 item 4): the events of a set of communes, their attendees and files, and
 * the enrolments attributed to them. Every read of events takes the communes the caller may see (a
 * CommuneScope, applied as SQL); persons are read only through an event of those communes, or checked
 * against the scope when added.
 */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, OutreachEventTable } from '../../db/schema';
import { communeInScope, communeUnder, type CommuneScope } from '../../db/scope';

export type EventRow = Omit<Selectable<OutreachEventTable>, 'cost'> & {
  cost: number;
  communeName: string;
  villageName: string | null;
  campaignName: string | null;
  files: number;
};

const eventQuery = (db: Kysely<DB>) =>
  db
    .selectFrom('outreachEvent as e')
    .innerJoin('unit as c', 'c.code', 'e.communeCode')
    .leftJoin('unit as v', 'v.code', 'e.villageCode')
    .leftJoin('campaign as k', 'k.id', 'e.campaignId')
    .select(['e.id', 'e.kind', sql<string>`e.held_on::text`.as('heldOn'), 'e.communeCode', 'e.villageCode', 'e.place', 'e.organiser', 'e.campaignId'])
    .select(['e.attendance', 'e.leaflets', 'e.consultations', sql<number>`e.cost::float8`.as('cost'), 'e.note', 'e.createdBy', 'e.createdAt', 'e.updatedBy', 'e.updatedAt'])
    .select(['c.name as communeName', 'v.name as villageName', 'k.name as campaignName'])
    .select(sql<number>`(select count(*)::int from outreach_event_file f where f.event_id = e.id)`.as('files'));

export async function findEvent(db: Kysely<DB>, id: string, scope: CommuneScope): Promise<EventRow | undefined> {
  return eventQuery(db).where('e.id', '=', id).where(communeInScope('e.commune_code', scope)).executeTakeFirst();
}

export interface EventFilter {
  /** A commune or province (its communes); undefined: the whole scope. */
  unit?: string;
  campaignId?: string;
  from?: string;
  to?: string;
}

/** Events in the scope (and the filter), latest first. */
export async function listEvents(db: Kysely<DB>, scope: CommuneScope, filter: EventFilter): Promise<EventRow[]> {
  let q = eventQuery(db).where(communeInScope('e.commune_code', scope));
  if (filter.unit) q = q.where(communeUnder('e.commune_code', filter.unit));
  if (filter.campaignId) q = q.where('e.campaignId', '=', filter.campaignId);
  if (filter.from) q = q.where('e.heldOn', '>=', filter.from);
  if (filter.to) q = q.where('e.heldOn', '<=', filter.to);
  return q.orderBy('e.heldOn', 'desc').orderBy('e.createdAt', 'desc').execute();
}

export type EventValues = Omit<Selectable<OutreachEventTable>, 'createdAt' | 'updatedAt'>;

export async function insertEvent(db: Kysely<DB>, values: EventValues): Promise<void> {
  await db.insertInto('outreachEvent').values(values).execute();
}

export async function updateEvent(db: Kysely<DB>, id: string, values: Partial<EventValues> & { updatedBy: string }): Promise<void> {
  await db
    .updateTable('outreachEvent')
    .set({ ...values, updatedAt: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteEvent(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom('outreachEvent').where('id', '=', id).execute();
}

/** The persons among `ids` that are in the scope, with their household (ids not found or out of scope are left out). */
export async function personsInScope(db: Kysely<DB>, ids: readonly string[], scope: CommuneScope): Promise<{ id: string; householdId: string }[]> {
  if (ids.length === 0) return [];
  return db
    .selectFrom('person as p')
    .select(['p.id', 'p.householdId'])
    .where('p.id', 'in', [...ids])
    .where(communeInScope('p.commune_code', scope))
    .execute();
}

export async function attendeeIds(db: Kysely<DB>, eventId: string): Promise<string[]> {
  const rows = await db.selectFrom('outreachEventAttendee').select('personId').where('eventId', '=', eventId).execute();
  return rows.map((r) => r.personId);
}

export async function addAttendees(db: Kysely<DB>, eventId: string, persons: readonly { id: string; householdId: string }[]): Promise<void> {
  if (persons.length === 0) return;
  await db
    .insertInto('outreachEventAttendee')
    .values(persons.map((p) => ({ eventId, householdId: p.householdId, personId: p.id })))
    .onConflict((oc) => oc.columns(['eventId', 'personId']).doNothing())
    .execute();
}

export async function removeAttendees(db: Kysely<DB>, eventId: string, personIds: readonly string[]): Promise<void> {
  if (personIds.length === 0) return;
  await db.deleteFrom('outreachEventAttendee').where('eventId', '=', eventId).where('personId', 'in', [...personIds]).execute();
}

/**
 * The first day of a new household BHYT participation of the attendee in the window (held_on, held_on +
 * days]: a GD card starting then, with no card of any group covering the day before it.
 */
const newBhyt = (days: number) => sql<string | null>`(select min(c.valid_from)::text from card c
  where c.household_id = a.household_id and c.person_id = a.person_id and c.group_code = 'GD'
    and c.valid_from > e.held_on and c.valid_from <= e.held_on + ${days}::int
    and not exists (select 1 from card b where b.household_id = c.household_id and b.person_id = c.person_id
      and b.valid_from <= c.valid_from - 1 and b.valid_to >= c.valid_from - 1))`;

/** The first day of a new voluntary social insurance period in the window, none covering the day before it. */
const newVsi = (days: number) => sql<string | null>`(select min(s.valid_from)::text from vsi_period s
  where s.household_id = a.household_id and s.person_id = a.person_id
    and s.valid_from > e.held_on and s.valid_from <= e.held_on + ${days}::int
    and not exists (select 1 from vsi_period b where b.household_id = s.household_id and b.person_id = s.person_id
      and b.valid_from <= s.valid_from - 1 and b.valid_to >= s.valid_from - 1))`;

export interface AttendeeRow {
  personId: string;
  householdId: string;
  householdCode: string;
  fullName: string;
  birthDate: string;
  villageName: string | null;
  bhytFrom: string | null;
  vsiFrom: string | null;
}

/** The attendees of an event with what they enrolled in within `days` after it. */
export async function attendeesOf(db: Kysely<DB>, eventId: string, days: number): Promise<AttendeeRow[]> {
  const r = await sql<AttendeeRow>`select a.person_id as "personId", a.household_id as "householdId", h.code as "householdCode",
      p.full_name as "fullName", p.birth_date::text as "birthDate", v.name as "villageName",
      ${newBhyt(days)} as "bhytFrom", ${newVsi(days)} as "vsiFrom"
    from outreach_event_attendee a
    join outreach_event e on e.id = a.event_id
    join person p on p.household_id = a.household_id and p.id = a.person_id
    join household h on h.id = a.household_id
    left join unit v on v.code = h.village_code
    where a.event_id = ${eventId}::uuid
    order by p.name_key, p.birth_date`.execute(db);
  return r.rows;
}

/** Per event: attendees listed, and of them who enrolled within `days` after it. */
export async function attributionOf(db: Kysely<DB>, eventIds: readonly string[], days: number): Promise<Map<string, { attendees: number; enrolled: number }>> {
  if (eventIds.length === 0) return new Map();
  const r = await sql<{ eventId: string; attendees: number; enrolled: number }>`select a.event_id as "eventId", count(*)::int as attendees,
      count(*) filter (where ${newBhyt(days)} is not null or ${newVsi(days)} is not null)::int as enrolled
    from outreach_event_attendee a join outreach_event e on e.id = a.event_id
    where a.event_id = any(${[...eventIds]}::uuid[])
    group by a.event_id`.execute(db);
  return new Map(r.rows.map((x) => [x.eventId, { attendees: x.attendees, enrolled: x.enrolled }]));
}

/** Distinct persons attending any of the events, and of them who enrolled within `days` after one they attended. */
export async function distinctAttribution(db: Kysely<DB>, eventIds: readonly string[], days: number): Promise<{ attendees: number; enrolled: number }> {
  if (eventIds.length === 0) return { attendees: 0, enrolled: 0 };
  const r = await sql<{ attendees: number; enrolled: number }>`select count(distinct a.person_id)::int as attendees,
      count(distinct a.person_id) filter (where ${newBhyt(days)} is not null or ${newVsi(days)} is not null)::int as enrolled
    from outreach_event_attendee a join outreach_event e on e.id = a.event_id
    where a.event_id = any(${[...eventIds]}::uuid[])`.execute(db);
  return r.rows[0] ?? { attendees: 0, enrolled: 0 };
}

export interface FileRow {
  id: string;
  name: string;
  type: string;
  size: number;
  createdBy: string;
  createdAt: Date;
}

export async function filesOf(db: Kysely<DB>, eventId: string): Promise<FileRow[]> {
  return db
    .selectFrom('outreachEventFile')
    .select(['id', 'name', 'type', sql<number>`octet_length(data)`.as('size'), 'createdBy', 'createdAt'])
    .where('eventId', '=', eventId)
    .orderBy('createdAt')
    .execute();
}

export async function insertFile(db: Kysely<DB>, file: { id: string; eventId: string; name: string; type: string; data: Buffer; createdBy: string }): Promise<void> {
  await db.insertInto('outreachEventFile').values(file).execute();
}

export async function findFile(db: Kysely<DB>, eventId: string, fileId: string): Promise<{ name: string; type: string; data: Buffer } | undefined> {
  return db.selectFrom('outreachEventFile').select(['name', 'type', 'data']).where('eventId', '=', eventId).where('id', '=', fileId).executeTakeFirst();
}

export async function deleteFile(db: Kysely<DB>, eventId: string, fileId: string): Promise<number> {
  const r = await db.deleteFrom('outreachEventFile').where('eventId', '=', eventId).where('id', '=', fileId).executeTakeFirst();
  return Number(r.numDeletedRows);
}

/** The village (full code) if it is a village of the commune. */
export async function villageOf(db: Kysely<DB>, communeCode: string, code: string): Promise<{ code: string; name: string } | undefined> {
  return db
    .selectFrom('unit')
    .select(['code', 'name'])
    .where('parentCode', '=', communeCode)
    .where((eb) => eb.or([eb('code', '=', code), eb('code', '=', `${communeCode}.${code}`)]))
    .executeTakeFirst();
}

export async function campaignUnit(db: Kysely<DB>, id: string): Promise<{ id: string; unitCode: string; name: string } | undefined> {
  return db.selectFrom('campaign').select(['id', 'unitCode', 'name']).where('id', '=', id).executeTakeFirst();
}
