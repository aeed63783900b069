/**
 * Outreach events (issue 20 item 4, sự kiện truyền thông): dialogue and customer conferences, mobile
 * propaganda, leaflet distribution, thematic sessions and launch ceremonies held in a commune (optionally a
 * village), perhaps for a campaign of that commune or its province; their counts (attendance, leaflets,
 * consultations), cost in dong, the persons of the register who attended, evidence files, and the
 * enrolments attributed to them: an attendee who becomes a new household BHYT participant or a new
 * voluntary social insurance participant within N days (default 30) after the event.
 *
 * Who may: reading, users with units:read, the events of the communes in their scope (a commune officer
 * their commune's, province staff their province's); changing, users with units:write in that scope.
 * Attendance (the count or persons) of an event still to come is refused: it is recorded after it happens.
 * Every change is audited (entity 'outreach_event', unit = the commune).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { CommuneScope } from '../../db/scope';
import { can, inScope, requirePermission, type Actor, type Permission } from '../../domain/access';
import { AppError, notFound, validationError, type FieldError } from '../../errors';
import { checkEvidence, type EvidenceFile, type EvidencePolicy } from '../../io/evidence';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { lineageOf } from '../units/units.service';
import * as repo from './events.repository';
import {
  ATTRIBUTION_DAYS,
  attendeesInput,
  createEventInput,
  listQuery,
  updateEventInput,
  type AttendeesInput,
  type CreateEventInput,
  type ListQuery,
  type UpdateEventInput,
} from './events.schemas';

export const EVENTS_READ: Permission = 'units:read';
export const EVENTS_WRITE: Permission = 'units:write';

/** An evidence file of an event: a photo (JPEG, PNG) or a PDF, 10 MB at most. */
export const EVENT_FILE_MAX_BYTES = 10 * 1024 * 1024;

export const eventField = (path: string, key: string, params: Record<string, unknown> = {}): FieldError => ({ path, key, params: { ...params, ns: 'events' } });

export const EVENT_EVIDENCE: EvidencePolicy = {
  maxBytes: EVENT_FILE_MAX_BYTES,
  types: ['image/jpeg', 'image/png', 'application/pdf'],
  error: (reason, params) => eventField('file', `file_${reason}`, params),
};

const iso = (d: Date | string) => new Date(d).toISOString();
const scopeOf = (actor: Actor): CommuneScope => ({ under: actor.scopeCode });
const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const pct = (part: number, whole: number) => (whole > 0 ? Math.round((1000 * part) / whole) / 10 : null);

function eventView(e: repo.EventRow, attribution: { attendees: number; enrolled: number } | undefined, days: number) {
  const a = attribution ?? { attendees: 0, enrolled: 0 };
  return {
    id: e.id,
    kind: e.kind,
    heldOn: e.heldOn,
    communeCode: e.communeCode,
    communeName: e.communeName,
    villageCode: e.villageCode,
    villageName: e.villageName,
    place: e.place,
    organiser: e.organiser,
    campaignId: e.campaignId,
    campaignName: e.campaignName,
    attendance: e.attendance,
    leaflets: e.leaflets,
    consultations: e.consultations,
    cost: Number(e.cost),
    note: e.note,
    files: e.files,
    attribution: { days, attendees: a.attendees, enrolled: a.enrolled, pct: pct(a.enrolled, a.attendees) },
    createdBy: e.createdBy,
    createdAt: iso(e.createdAt),
    updatedAt: iso(e.updatedAt),
  };
}
export type EventView = ReturnType<typeof eventView>;

/** The event if the actor may see it (not found otherwise: an event of another area does not exist for them). */
async function visibleEvent(db: Kysely<DB>, actor: Actor, id: string): Promise<repo.EventRow> {
  requirePermission(actor, EVENTS_READ);
  const row = isUuid(id) ? await repo.findEvent(db, id, scopeOf(actor)) : undefined;
  if (!row) throw notFound('outreach_event', id);
  return row;
}

async function changeableEvent(db: Kysely<DB>, actor: Actor, id: string): Promise<repo.EventRow> {
  requirePermission(actor, EVENTS_WRITE);
  return visibleEvent(db, actor, id);
}

/** The commune (a commune in the actor's scope), the village (of that commune) and the campaign (of the commune or its province). */
async function checkedPlace(db: Kysely<DB>, actor: Actor, data: { communeCode: string; villageCode?: string | null; campaignId?: string | null }) {
  const commune = await lineageOf(db, data.communeCode);
  if (!commune || commune.unit.level !== 'commune') throw validationError([eventField('communeCode', 'not_a_commune', { code: data.communeCode })]);
  if (!inScope(actor, commune.lineage)) throw new AppError('out_of_scope', { code: data.communeCode });
  let villageCode: string | null = null;
  if (data.villageCode) {
    const village = await repo.villageOf(db, commune.unit.code, data.villageCode);
    if (!village) throw validationError([eventField('villageCode', 'village_of_other_commune', { code: data.villageCode, commune: commune.unit.name })]);
    villageCode = village.code;
  }
  let campaignId: string | null = null;
  if (data.campaignId) {
    const campaign = await repo.campaignUnit(db, data.campaignId);
    if (!campaign) throw validationError([eventField('campaignId', 'campaign_unknown', { id: data.campaignId })]);
    if (campaign.unitCode !== commune.unit.code && campaign.unitCode !== commune.unit.parentCode)
      throw validationError([eventField('campaignId', 'campaign_other_area', { name: campaign.name, commune: commune.unit.name })]);
    campaignId = campaign.id;
  }
  return { communeCode: commune.unit.code, villageCode, campaignId };
}

/** Persons of the register in the actor's scope (each id not found or out of scope is named). */
async function checkedPersons(db: Kysely<DB>, actor: Actor, ids: readonly string[], path: string) {
  const unique = [...new Set(ids)];
  const found = await repo.personsInScope(db, unique, scopeOf(actor));
  const known = new Set(found.map((p) => p.id));
  const missing = ids.map((id, i) => ({ id, i })).filter((x) => !known.has(x.id));
  if (missing.length) throw validationError(missing.slice(0, 20).map((x) => eventField(`${path}.${x.i}`, 'person_out_of_scope', { id: x.id })));
  return found;
}

/** Attendance is recorded after the event: an event still to come has no count and no persons. */
function checkNotFuture(heldOn: string, today: string, attendance: number | null | undefined, persons: number) {
  if (heldOn <= today) return;
  const fields: FieldError[] = [];
  if (attendance) fields.push(eventField('attendance', 'attendance_future', { heldOn, today }));
  if (persons > 0) fields.push(eventField('attendees', 'attendance_future', { heldOn, today }));
  if (fields.length) throw validationError(fields);
}

/** What the audit log keeps of an event. */
function auditable(e: Omit<repo.EventValues, 'createdBy' | 'updatedBy' | 'id'>) {
  return {
    kind: e.kind,
    heldOn: e.heldOn,
    communeCode: e.communeCode,
    villageCode: e.villageCode,
    place: e.place,
    organiser: e.organiser,
    campaignId: e.campaignId,
    attendance: e.attendance,
    leaflets: e.leaflets,
    consultations: e.consultations,
    cost: e.cost,
    note: e.note,
  };
}

export async function createEvent(db: Kysely<DB>, actor: Actor, input: CreateEventInput, today: string): Promise<EventDetail> {
  requirePermission(actor, EVENTS_WRITE);
  const data = parseInput(createEventInput, input);
  const place = await checkedPlace(db, actor, data);
  const persons = await checkedPersons(db, actor, data.attendees ?? [], 'attendees');
  checkNotFuture(data.heldOn, today, data.attendance, persons.length);
  const id = randomUUID();
  const values: repo.EventValues = {
    id,
    kind: data.kind,
    heldOn: data.heldOn,
    ...place,
    place: data.place ?? null,
    organiser: data.organiser ?? null,
    attendance: data.attendance ?? null,
    leaflets: data.leaflets ?? 0,
    consultations: data.consultations ?? 0,
    cost: data.cost ?? 0,
    note: data.note ?? null,
    createdBy: actor.username,
    updatedBy: actor.username,
  };
  await db.transaction().execute(async (trx) => {
    await repo.insertEvent(trx, values);
    await repo.addAttendees(trx, id, persons);
    await audit(trx, actor, { action: 'create', entity: 'outreach_event', entityId: id, unitCode: place.communeCode, after: { ...auditable(values), attendees: persons.map((p) => p.id) } });
  });
  return getEvent(db, actor, id);
}

export async function updateEvent(db: Kysely<DB>, actor: Actor, id: string, input: UpdateEventInput, today: string): Promise<EventDetail> {
  const row = await changeableEvent(db, actor, id);
  const data = parseInput(updateEventInput, input);
  const merged = {
    communeCode: data.communeCode ?? row.communeCode,
    villageCode: data.villageCode !== undefined ? data.villageCode : data.communeCode && data.communeCode !== row.communeCode ? null : row.villageCode,
    campaignId: data.campaignId !== undefined ? data.campaignId : row.campaignId,
  };
  const place = await checkedPlace(db, actor, merged);
  const before = auditable({ ...row, cost: Number(row.cost) });
  const after = auditable({
    kind: data.kind ?? row.kind,
    heldOn: data.heldOn ?? row.heldOn,
    ...place,
    place: data.place !== undefined ? data.place : row.place,
    organiser: data.organiser !== undefined ? data.organiser : row.organiser,
    attendance: data.attendance !== undefined ? data.attendance : row.attendance,
    leaflets: data.leaflets ?? row.leaflets,
    consultations: data.consultations ?? row.consultations,
    cost: data.cost ?? Number(row.cost),
    note: data.note !== undefined ? data.note : row.note,
  });
  const added = data.attendees ? await checkedPersons(db, actor, data.attendees, 'attendees') : undefined;
  const current = await repo.attendeeIds(db, id);
  checkNotFuture(after.heldOn, today, after.attendance, added ? added.length : current.length);
  await db.transaction().execute(async (trx) => {
    await repo.updateEvent(trx, id, { ...after, updatedBy: actor.username });
    if (added) {
      await repo.removeAttendees(trx, id, current);
      await repo.addAttendees(trx, id, added);
    }
    await audit(trx, actor, {
      action: 'update',
      entity: 'outreach_event',
      entityId: id,
      unitCode: place.communeCode,
      before: { ...before, attendees: added ? current : undefined },
      after: { ...after, attendees: added?.map((p) => p.id) },
    });
  });
  return getEvent(db, actor, id);
}

export async function deleteEvent(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  const row = await changeableEvent(db, actor, id);
  const attendees = await repo.attendeeIds(db, id);
  await db.transaction().execute(async (trx) => {
    await repo.deleteEvent(trx, id);
    await audit(trx, actor, { action: 'delete', entity: 'outreach_event', entityId: id, unitCode: row.communeCode, before: { ...auditable({ ...row, cost: Number(row.cost) }), attendees } });
  });
}

/** Adds and removes attendees (persons of the register in the actor's scope); refused for an event still to come. */
export async function changeAttendees(db: Kysely<DB>, actor: Actor, id: string, input: AttendeesInput, today: string): Promise<EventDetail> {
  const row = await changeableEvent(db, actor, id);
  const data = parseInput(attendeesInput, input);
  const added = await checkedPersons(db, actor, data.add, 'add');
  checkNotFuture(row.heldOn, today, null, added.length);
  const current = new Set(await repo.attendeeIds(db, id));
  const newOnes = added.filter((p) => !current.has(p.id));
  const removed = [...new Set(data.remove)].filter((p) => current.has(p));
  if (newOnes.length || removed.length)
    await db.transaction().execute(async (trx) => {
      await repo.addAttendees(trx, id, newOnes);
      await repo.removeAttendees(trx, id, removed);
      await audit(trx, actor, { action: 'update', entity: 'outreach_event', entityId: id, unitCode: row.communeCode, after: { added: newOnes.map((p) => p.id), removed } });
    });
  return getEvent(db, actor, id);
}

/** Attaches an evidence file (JPEG, PNG or PDF, 10 MB at most, the type read from its bytes). */
export async function attachFile(db: Kysely<DB>, actor: Actor, id: string, file: EvidenceFile | undefined): Promise<EventDetail> {
  const row = await changeableEvent(db, actor, id);
  if (!file) throw validationError([eventField('file', 'file_empty')]);
  const checked = checkEvidence(file, EVENT_EVIDENCE);
  const fileId = randomUUID();
  await db.transaction().execute(async (trx) => {
    await repo.insertFile(trx, { id: fileId, eventId: id, ...checked, createdBy: actor.username });
    await audit(trx, actor, {
      action: 'update',
      entity: 'outreach_event',
      entityId: id,
      unitCode: row.communeCode,
      after: { file: { id: fileId, name: checked.name, type: checked.type, size: checked.data.length } },
    });
  });
  return getEvent(db, actor, id);
}

export async function removeFile(db: Kysely<DB>, actor: Actor, id: string, fileId: string): Promise<EventDetail> {
  const row = await changeableEvent(db, actor, id);
  const file = isUuid(fileId) ? await repo.findFile(db, id, fileId) : undefined;
  if (!file) throw notFound('evidence', fileId);
  await db.transaction().execute(async (trx) => {
    await repo.deleteFile(trx, id, fileId);
    await audit(trx, actor, { action: 'update', entity: 'outreach_event', entityId: id, unitCode: row.communeCode, before: { file: { id: fileId, name: file.name, type: file.type, size: file.data.length } } });
  });
  return getEvent(db, actor, id);
}

/** An evidence file (staff who may see the event only). */
export async function fileOf(db: Kysely<DB>, actor: Actor, id: string, fileId: string): Promise<{ name: string; type: string; data: Buffer }> {
  await visibleEvent(db, actor, id);
  const file = isUuid(fileId) ? await repo.findFile(db, id, fileId) : undefined;
  if (!file) throw notFound('evidence', fileId);
  return { ...file, data: Buffer.from(file.data) };
}

/** An event with its attendees (and what each enrolled in within `days`), its files, and whether the actor may change it. */
export async function getEvent(db: Kysely<DB>, actor: Actor, id: string, days = ATTRIBUTION_DAYS) {
  const row = await visibleEvent(db, actor, id);
  const attendees = await repo.attendeesOf(db, id, days);
  const files = await repo.filesOf(db, id);
  const enrolled = attendees.filter((a) => a.bhytFrom || a.vsiFrom).length;
  return {
    ...eventView(row, { attendees: attendees.length, enrolled }, days),
    attendees,
    fileList: files.map((f) => ({ id: f.id, name: f.name, type: f.type, size: Number(f.size), createdBy: f.createdBy, createdAt: iso(f.createdAt) })),
    canChange: can(actor, EVENTS_WRITE),
  };
}
export type EventDetail = Awaited<ReturnType<typeof getEvent>>;

/**
 * Events of a unit (a commune or province in the actor's scope; default their scope) or of a campaign,
 * latest first, with totals: events, attendance, leaflets, consultations, cost, and the attendees and
 * attributed enrolments (distinct persons: one attending two events counts once).
 */
export async function listEvents(db: Kysely<DB>, actor: Actor, query: ListQuery) {
  requirePermission(actor, EVENTS_READ);
  const q = parseInput(listQuery, query);
  const days = q.days ?? ATTRIBUTION_DAYS;
  if (q.unit) {
    const unit = await lineageOf(db, q.unit);
    if (!unit || !inScope(actor, unit.lineage)) throw new AppError('out_of_scope', { code: q.unit });
  }
  const rows = await repo.listEvents(db, scopeOf(actor), { unit: q.unit, campaignId: q.campaign, from: q.from, to: q.to });
  const ids = rows.map((r) => r.id);
  const per = await repo.attributionOf(db, ids, days);
  const distinct = await repo.distinctAttribution(db, ids, days);
  const events = rows.map((r) => eventView(r, per.get(r.id), days));
  return {
    events,
    totals: {
      events: events.length,
      attendance: events.reduce((s, e) => s + (e.attendance ?? 0), 0),
      leaflets: events.reduce((s, e) => s + e.leaflets, 0),
      consultations: events.reduce((s, e) => s + e.consultations, 0),
      cost: events.reduce((s, e) => s + e.cost, 0),
      attendees: distinct.attendees,
      enrolled: distinct.enrolled,
    },
  };
}
