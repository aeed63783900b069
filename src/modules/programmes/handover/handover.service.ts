/**
 * Handing the cards over (issue 6, item 6): handover events per commune, the recipients expected at
 * each (every live award of the commune is assigned automatically when the event is added; one can be
 * moved to another event), each card's result (received and by whom, absent, refused) with an evidence
 * file, and the move of the programme to 'handed_over' once every card has a final result.
 *
 * Access: the programme's own scope check (programmeForActor), 'read' to see, 'write' to change. Every
 * change is audited in its transaction (entity 'handover_event' | 'handover_result', unit = the commune).
 * The evidence (a photo or a signature scan) is stored in the database row, checked by its first bytes
 * (JPEG, PNG, WebP or PDF) and limited to EVIDENCE_MAX_BYTES; only staff who may read the programme get it.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, HandoverOutcome } from '../../../db/schema';
import type { Actor } from '../../../domain/access';
import { AppError, notFound, type FieldError } from '../../../errors';
import { parseInput } from '../../../validation';
import { checkEvidence as checkEvidenceFile, type EvidenceFile, type EvidencePolicy } from '../../../io/evidence';
import { audit } from '../../audit/audit.service';
import { communeVisible, programmeForActor, scopeOf } from '../programme/programme.access';
import { changeProgrammeStatus } from '../programme/programme.service';
import { WHOLE_COUNTRY } from '../../../db/scope';
import { findUnit } from '../../units/units.service';
import * as repo from './handover.repository';
import {
  HANDOVER,
  addEventInput,
  recordResultInput,
  updateEventInput,
  uuid,
  type AddEventInput,
  type RecordResultInput,
  type UpdateEventInput,
} from './handover.schemas';
import { requireConfirmation, type Confirmation } from '../programme/confirm';

export const EVIDENCE_MAX_BYTES = 5 * 1024 * 1024;

export const handoverField = (fieldPath: string, key: string, params: Record<string, unknown> = {}): FieldError => ({
  path: fieldPath,
  key,
  params: { ...params, ...HANDOVER },
});

const toIso = (d: Date | string | null) => (d === null ? null : d instanceof Date ? d.toISOString() : new Date(d).toISOString());
type Counts = Record<HandoverOutcome, number>;
const collator = new Intl.Collator('vi');
const ZERO: Counts = { expected: 0, received: 0, absent: 0, refused: 0 };

export type HandoverEvent = ReturnType<typeof eventView>;
export type Recipient = ReturnType<typeof recipientView>;

function eventView(e: repo.EventRow, deadline: string, counts: Counts = ZERO) {
  return {
    id: e.id,
    programmeId: e.programmeId,
    communeCode: e.communeCode,
    communeName: e.communeName,
    heldOn: e.heldOn,
    place: e.place,
    note: e.note,
    minutesNumber: e.minutesNumber,
    overdue: e.heldOn > deadline,
    counts: { ...counts },
    createdBy: e.createdBy,
    createdAt: toIso(e.createdAt)!,
  };
}

function recipientView(r: repo.RecipientRow) {
  return {
    awardId: r.awardId,
    eventId: r.eventId,
    communeCode: r.communeCode,
    communeName: r.communeName,
    personId: r.personId,
    fullName: r.fullName,
    birthYear: Number(r.birthDate.slice(0, 4)),
    birthDate: r.birthDate,
    groupCode: r.groupCode,
    awardStatus: r.awardStatus,
    cardNumber: r.cardNumber,
    cardFrom: r.cardFrom,
    cardTo: r.cardTo,
    result: r.result,
    receivedBy: r.receivedBy,
    note: r.note,
    evidence: r.evidenceName && r.evidenceType ? { name: r.evidenceName, type: r.evidenceType, size: Number(r.evidenceSize ?? 0) } : null,
    recordedBy: r.recordedBy,
    recordedAt: toIso(r.recordedAt),
  };
}

/** Handover can be planned from 'raising' on; once handed over or closed it is history. */
const OPEN_STATUSES = ['raising', 'selecting', 'list_approved', 'submitted', 'cards_issued'];
function requireOpen(programme: { status: string }) {
  if (!OPEN_STATUSES.includes(programme.status))
    throw new AppError('validation', {}, [handoverField('programme', 'programme_status', { status: programme.status })]);
}

const checkId = (id: string, entity: string) => {
  if (!uuid.safeParse(id).success) throw notFound(entity, id);
};

/** The event and its programme, with the actor's access to it checked. */
async function eventFor(db: Kysely<DB>, actor: Actor, eventId: string, need: 'read' | 'write') {
  checkId(eventId, 'handover_event');
  const event = await repo.findEvent(db, eventId);
  // an event of another commune does not exist for this actor (nor does its programme's id)
  if (!event || !(await communeVisible(db, actor, event.communeCode))) throw notFound('handover_event', eventId);
  const programme = await programmeForActor(db, actor, event.programmeId, need);
  return { event, programme };
}

async function recipientFor(db: Kysely<DB>, actor: Actor, awardId: string, need: 'read' | 'write') {
  checkId(awardId, 'award');
  const recipient = await repo.findRecipient(db, awardId, scopeOf(actor));
  if (!recipient) throw notFound('award', awardId);
  const programme = await programmeForActor(db, actor, recipient.programmeId, need);
  return { recipient, programme };
}

/** Events, the cards no event expects yet, and the totals: the handover tab's overview. */
export async function handoverOverview(db: Kysely<DB>, actor: Actor, programmeId: string) {
  const programme = await programmeForActor(db, actor, programmeId, 'read');
  const scope = scopeOf(actor);
  const [events, counts, unassigned, totals, communes] = await Promise.all([
    repo.listEvents(db, programme.id, scope),
    repo.countsByEvent(db, programme.id, scope),
    repo.unassignedRecipients(db, programme.id, scope),
    repo.programmeOutcomes(db, programme.id, scope),
    repo.awardCommunes(db, programme.id, scope),
  ]);
  const cards = totals.expected + totals.received + totals.absent + totals.refused + totals.unassigned;
  return {
    programmeId: programme.id,
    status: programme.status,
    deadline: programme.deadline,
    events: events.map((e) => eventView(e, programme.deadline, counts.get(e.id))),
    unassigned: unassigned.map(recipientView),
    communes: [...communes].sort((a, b) => collator.compare(a.name, b.name)),
    totals: { ...totals, cards },
    complete: cards > 0 && totals.expected === 0 && totals.unassigned === 0,
  };
}

/** Adds an event in a commune and expects there every live award of that commune not yet expected elsewhere. */
export async function addEvent(db: Kysely<DB>, actor: Actor, programmeId: string, input: AddEventInput) {
  const data = parseInput(addEventInput, input);
  const programme = await programmeForActor(db, actor, programmeId, 'write');
  const unit = await findUnit(db, data.communeCode);
  if (!unit || unit.level !== 'commune') throw new AppError('validation', {}, [handoverField('communeCode', 'not_a_commune', { code: data.communeCode })]);
  requireOpen(programme);
  const id = randomUUID();
  return db.transaction().execute(async (trx) => {
    await repo.insertEvent(trx, { id, programmeId: programme.id, communeCode: unit.code, heldOn: data.heldOn, place: data.place, note: data.note ?? null, minutesNumber: data.minutesNumber ?? null, createdBy: actor.username });
    const assigned = await repo.assignCommuneAwards(trx, programme.id, unit.code, id);
    await audit(trx, actor, {
      action: 'create',
      entity: 'handover_event',
      entityId: id,
      unitCode: unit.code,
      after: { programmeId: programme.id, communeCode: unit.code, heldOn: data.heldOn, place: data.place, note: data.note ?? null, minutesNumber: data.minutesNumber ?? null, assigned },
    });
    const event = (await repo.findEvent(trx, id))!;
    return { ...eventView(event, programme.deadline, { ...ZERO, expected: assigned }), assigned };
  });
}

/**
 * Cards awarded or issued after their commune's event was added: expects each at the latest event of its
 * commune (audited per card). Cards of communes without an event stay unassigned.
 */
export async function assignUnassigned(db: Kysely<DB>, actor: Actor, programmeId: string) {
  const programme = await programmeForActor(db, actor, programmeId, 'write');
  requireOpen(programme);
  const assigned = await db.transaction().execute(async (trx) => {
    const rows = await repo.assignToCommuneEvents(trx, programme.id);
    for (const r of rows)
      await audit(trx, actor, { action: 'assign', entity: 'handover_result', entityId: r.awardId, unitCode: r.communeCode, before: { eventId: null }, after: { eventId: r.eventId } });
    return rows.length;
  });
  return { ...(await handoverOverview(db, actor, programme.id)), assigned };
}

/** Changes an event's date, place, note or minutes number (audited). */
export async function updateEvent(db: Kysely<DB>, actor: Actor, eventId: string, input: UpdateEventInput) {
  const data = parseInput(updateEventInput, input);
  const { event, programme } = await eventFor(db, actor, eventId, 'write');
  requireOpen(programme);
  const patch = Object.fromEntries(Object.entries(data).filter(([, v]) => v !== undefined)) as UpdateEventInput;
  return db.transaction().execute(async (trx) => {
    await repo.updateEvent(trx, event.id, patch as { heldOn?: string; place?: string; note?: string | null; minutesNumber?: string | null });
    await audit(trx, actor, {
      action: 'update',
      entity: 'handover_event',
      entityId: event.id,
      unitCode: event.communeCode,
      before: { heldOn: event.heldOn, place: event.place, note: event.note, minutesNumber: event.minutesNumber },
      after: patch,
    });
    const counts = (await repo.countsByEvent(trx, programme.id, scopeOf(actor))).get(event.id);
    return eventView((await repo.findEvent(trx, event.id))!, programme.deadline, counts);
  });
}

/** An event with its expected recipients (full names: a staff view). */
export async function eventDetail(db: Kysely<DB>, actor: Actor, eventId: string) {
  const { event, programme } = await eventFor(db, actor, eventId, 'read');
  const recipients = (await repo.recipientsOfEvent(db, event.id, scopeOf(actor))).map(recipientView);
  const counts = { ...ZERO };
  for (const r of recipients) counts[r.result ?? 'expected'] += 1;
  return { event: eventView(event, programme.deadline, counts), recipients, deadline: programme.deadline, programmeName: programme.name };
}

/**
 * Expects an award at another event of the same programme (or at an event at all, when none did). A card
 * already received keeps its result: it is moved only while still expected, absent or refused.
 */
export async function moveRecipient(db: Kysely<DB>, actor: Actor, eventId: string, awardId: string) {
  const { event, programme } = await eventFor(db, actor, eventId, 'write');
  requireOpen(programme);
  const { recipient } = await recipientFor(db, actor, awardId, 'write');
  if (recipient.programmeId !== programme.id) throw new AppError('validation', {}, [handoverField('awardId', 'other_programme')]);
  if (recipient.result === 'received') throw new AppError('validation', {}, [handoverField('awardId', 'already_received')]);
  if (recipient.eventId === event.id) return recipientView(recipient);
  return db.transaction().execute(async (trx) => {
    await repo.upsertExpected(trx, awardId, event.id);
    await audit(trx, actor, {
      action: 'move',
      entity: 'handover_result',
      entityId: awardId,
      unitCode: recipient.communeCode,
      before: { eventId: recipient.eventId },
      after: { eventId: event.id },
    });
    return recipientView((await repo.findRecipient(trx, awardId, scopeOf(actor)))!);
  });
}

export type { EvidenceFile };

/** What a handover accepts as evidence: a photo (JPEG, PNG, WebP) or a PDF scan, EVIDENCE_MAX_BYTES at most. */
export const HANDOVER_EVIDENCE: EvidencePolicy = {
  maxBytes: EVIDENCE_MAX_BYTES,
  types: ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'],
  error: (reason, params) => handoverField('evidence', `evidence_${reason}`, params),
};

export function checkEvidence(file: EvidenceFile) {
  return checkEvidenceFile(file, HANDOVER_EVIDENCE);
}

/**
 * Records a card's result (with an evidence file, optional; a new file replaces the old one). 'received'
 * needs who received it and an issued card, and marks the award handed over; any other result puts a
 * handed-over award back to issued. 'expected' clears a result recorded by mistake.
 */
export async function recordResult(db: Kysely<DB>, actor: Actor, awardId: string, input: RecordResultInput, evidence?: EvidenceFile) {
  const data = parseInput(recordResultInput, input);
  const file = evidence ? checkEvidence(evidence) : undefined;
  const { recipient, programme } = await recipientFor(db, actor, awardId, 'write');
  requireOpen(programme);
  if (!recipient.eventId) throw new AppError('validation', {}, [handoverField('awardId', 'not_expected')]);
  if (data.result === 'received' && !['issued', 'handed_over'].includes(recipient.awardStatus))
    throw new AppError('validation', {}, [handoverField('result', 'card_not_issued')]);
  return db.transaction().execute(async (trx) => {
    await repo.saveResult(trx, awardId, {
      result: data.result,
      receivedBy: data.result === 'received' ? (data.receivedBy ?? null) : null,
      note: data.note ?? null,
      recordedBy: actor.username,
      evidence: data.result === 'expected' ? null : file,
    });
    if (data.result === 'received') await repo.setAwardStatus(trx, awardId, ['issued'], 'handed_over');
    else await repo.setAwardStatus(trx, awardId, ['handed_over'], 'issued');
    await audit(trx, actor, {
      action: 'record',
      entity: 'handover_result',
      entityId: awardId,
      unitCode: recipient.communeCode,
      before: { result: recipient.result, receivedBy: recipient.receivedBy, evidence: recipient.evidenceName },
      after: { result: data.result, receivedBy: data.receivedBy ?? null, note: data.note ?? null, evidence: file ? { name: file.name, type: file.type, size: file.data.length } : undefined },
    });
    return recipientView((await repo.findRecipient(trx, awardId, scopeOf(actor)))!);
  });
}

/** The evidence file of a card's handover (staff who may read the programme only). */
export async function evidenceOf(db: Kysely<DB>, actor: Actor, awardId: string): Promise<{ name: string; type: string; data: Buffer }> {
  await recipientFor(db, actor, awardId, 'read');
  const row = await repo.findEvidence(db, awardId);
  if (!row?.evidence || !row.evidenceName || !row.evidenceType) throw notFound('evidence', awardId);
  return { name: row.evidenceName, type: row.evidenceType, data: Buffer.from(row.evidence) };
}

/**
 * Moves the programme to 'handed_over' once every live card is received, refused or absent (the status
 * change itself, with its checks and audit, is the programme service's).
 */
export async function completeHandover(db: Kysely<DB>, actor: Actor, programmeId: string, note?: string, confirm?: Confirmation | null) {
  const programme = await programmeForActor(db, actor, programmeId, 'write');
  // the whole programme's cards: the status is the programme's, whoever asks
  const totals = await repo.programmeOutcomes(db, programme.id, WHOLE_COUNTRY);
  const open = totals.expected + totals.unassigned;
  const cards = open + totals.received + totals.absent + totals.refused;
  if (cards === 0 || open > 0) throw new AppError('validation', {}, [handoverField('programme', 'handover_incomplete', { open, cards })]);
  requireConfirmation(confirm, { action: 'handover_complete', count: cards, amount: null });
  await changeProgrammeStatus(db, actor, programme.id, 'handed_over', note);
  return handoverOverview(db, actor, programme.id);
}
