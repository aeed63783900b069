/**
 * SQL for handover events and results (issue 6, item 6). Reads of programme, award, person and unit
 * are joins for names, dates and card data; the only writes outside handover_* are the award's status
 * (handed over when its card was received, back to issued when a result is corrected).
 */
import { sql, type Kysely } from 'kysely';
import type { DB, HandoverOutcome } from '../../../db/schema';
import { communeInScope, type CommuneScope } from '../../../db/scope';

export interface ProgrammeRow {
  id: string;
  name: string;
  ownerUnitCode: string;
  areaKind: string;
  areaCodes: string[];
  deadline: string;
  purchaseDate: string;
  cardMonths: number;
  status: string;
  publicSlug: string;
  publicEnabled: boolean;
}

const programmeColumns = [
  'id',
  'name',
  'ownerUnitCode',
  'areaKind',
  'areaCodes',
  'deadline',
  'purchaseDate',
  'cardMonths',
  'status',
  'publicSlug',
  'publicEnabled',
] as const;

export function findProgramme(db: Kysely<DB>, id: string): Promise<ProgrammeRow | undefined> {
  return db.selectFrom('programme').select(programmeColumns).where('id', '=', id).executeTakeFirst();
}

export function findProgrammeBySlug(db: Kysely<DB>, slug: string): Promise<ProgrammeRow | undefined> {
  return db.selectFrom('programme').select(programmeColumns).where('publicSlug', '=', slug).executeTakeFirst();
}

// ---------------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------------

export interface EventRow {
  id: string;
  programmeId: string;
  communeCode: string;
  communeName: string;
  heldOn: string;
  place: string;
  note: string | null;
  minutesNumber: string | null;
  createdBy: string;
  createdAt: Date;
}

const eventColumns = [
  'e.id',
  'e.programmeId',
  'e.communeCode',
  'u.name as communeName',
  'e.heldOn',
  'e.place',
  'e.note',
  'e.minutesNumber',
  'e.createdBy',
  'e.createdAt',
] as const;

export function insertEvent(
  trx: Kysely<DB>,
  row: { id: string; programmeId: string; communeCode: string; heldOn: string; place: string; note: string | null; minutesNumber: string | null; createdBy: string },
) {
  return trx.insertInto('handoverEvent').values(row).execute();
}

export function findEvent(db: Kysely<DB>, id: string): Promise<EventRow | undefined> {
  return db
    .selectFrom('handoverEvent as e')
    .innerJoin('unit as u', 'u.code', 'e.communeCode')
    .select(eventColumns)
    .where('e.id', '=', id)
    .executeTakeFirst();
}

/** The programme's events in communes of the scope. */
export function listEvents(db: Kysely<DB>, programmeId: string, scope: CommuneScope): Promise<EventRow[]> {
  return db
    .selectFrom('handoverEvent as e')
    .innerJoin('unit as u', 'u.code', 'e.communeCode')
    .select(eventColumns)
    .where('e.programmeId', '=', programmeId)
    .where(communeInScope('e.commune_code', scope))
    .orderBy('e.heldOn')
    .orderBy('u.name')
    .orderBy('e.id')
    .execute();
}

export function updateEvent(trx: Kysely<DB>, id: string, patch: { heldOn?: string; place?: string; note?: string | null; minutesNumber?: string | null }) {
  return trx.updateTable('handoverEvent').set(patch).where('id', '=', id).execute();
}

/** Results per event of the cards of the scope's communes: {eventId -> {expected, received, absent, refused}}. */
export async function countsByEvent(db: Kysely<DB>, programmeId: string, scope: CommuneScope) {
  const rows = await db
    .selectFrom('handoverResult as r')
    .innerJoin('handoverEvent as e', 'e.id', 'r.eventId')
    .innerJoin('award as a', 'a.id', 'r.awardId')
    .select(['r.eventId', 'r.result', sql<number>`count(*)::int`.as('n')])
    .where('e.programmeId', '=', programmeId)
    .where('a.status', '<>', 'cancelled')
    .where(communeInScope('a.commune_code', scope))
    .groupBy(['r.eventId', 'r.result'])
    .execute();
  const out = new Map<string, Record<HandoverOutcome, number>>();
  for (const r of rows) {
    const c = out.get(r.eventId) ?? { expected: 0, received: 0, absent: 0, refused: 0 };
    c[r.result] = r.n;
    out.set(r.eventId, c);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------
// Recipients
// ---------------------------------------------------------------------------------------------------

export interface RecipientRow {
  awardId: string;
  eventId: string | null;
  communeCode: string;
  communeName: string;
  personId: string;
  fullName: string;
  birthDate: string;
  groupCode: string;
  awardStatus: string;
  cardNumber: string | null;
  cardFrom: string | null;
  cardTo: string | null;
  result: HandoverOutcome | null;
  receivedBy: string | null;
  note: string | null;
  evidenceName: string | null;
  evidenceType: string | null;
  evidenceSize: number | null;
  recordedBy: string | null;
  recordedAt: Date | null;
}

/** Live awards of the scope's communes with their person, card and handover result. */
function recipientQuery(db: Kysely<DB>, scope: CommuneScope) {
  return db
    .selectFrom('award as a')
    .innerJoin('person as p', (j) => j.onRef('p.householdId', '=', 'a.householdId').onRef('p.id', '=', 'a.personId'))
    .innerJoin('unit as u', 'u.code', 'a.communeCode')
    .leftJoin('handoverResult as r', 'r.awardId', 'a.id')
    .select([
      'a.id as awardId',
      'r.eventId',
      'a.communeCode',
      'u.name as communeName',
      'a.personId',
      'p.fullName',
      'p.birthDate',
      'a.groupCode',
      'a.status as awardStatus',
      'a.cardNumber',
      'a.cardFrom',
      'a.cardTo',
      'r.result',
      'r.receivedBy',
      'r.note',
      'r.evidenceName',
      'r.evidenceType',
      sql<number | null>`octet_length(r.evidence)`.as('evidenceSize'),
      'r.recordedBy',
      'r.recordedAt',
    ])
    .where('a.status', '<>', 'cancelled')
    .where(communeInScope('a.commune_code', scope));
}

const byName = (a: RecipientRow, b: RecipientRow) => collator.compare(a.fullName, b.fullName) || a.awardId.localeCompare(b.awardId);
const collator = new Intl.Collator('vi');

export async function recipientsOfEvent(db: Kysely<DB>, eventId: string, scope: CommuneScope): Promise<RecipientRow[]> {
  const rows = (await recipientQuery(db, scope).where('r.eventId', '=', eventId).execute()) as RecipientRow[];
  return rows.sort(byName);
}

/** Live awards of the programme that no event expects yet. */
export async function unassignedRecipients(db: Kysely<DB>, programmeId: string, scope: CommuneScope): Promise<RecipientRow[]> {
  const rows = (await recipientQuery(db, scope).where('a.programmeId', '=', programmeId).where('r.awardId', 'is', null).execute()) as RecipientRow[];
  return rows.sort((a, b) => collator.compare(a.communeName, b.communeName) || byName(a, b));
}

/** A live award of the scope's communes (absent when it is in another commune). */
export async function findRecipient(db: Kysely<DB>, awardId: string, scope: CommuneScope): Promise<(RecipientRow & { programmeId: string }) | undefined> {
  return (await recipientQuery(db, scope).select('a.programmeId').where('a.id', '=', awardId).executeTakeFirst()) as
    | (RecipientRow & { programmeId: string })
    | undefined;
}

/** Expects, at `eventId`, every live award of the programme in the commune that no event expects yet. */
export async function assignCommuneAwards(trx: Kysely<DB>, programmeId: string, communeCode: string, eventId: string): Promise<number> {
  const r = await sql`
    insert into handover_result (award_id, event_id)
    select a.id, ${eventId}::uuid from award a
    where a.programme_id = ${programmeId}::uuid and a.commune_code = ${communeCode} and a.status <> 'cancelled'
      and not exists (select 1 from handover_result r where r.award_id = a.id)
    on conflict (award_id) do nothing`.execute(trx);
  return Number(r.numAffectedRows ?? 0);
}

export function upsertExpected(trx: Kysely<DB>, awardId: string, eventId: string) {
  return trx
    .insertInto('handoverResult')
    .values({ awardId, eventId })
    .onConflict((oc) => oc.column('awardId').doUpdateSet({ eventId }))
    .execute();
}

export function saveResult(
  trx: Kysely<DB>,
  awardId: string,
  values: {
    result: HandoverOutcome;
    receivedBy: string | null;
    note: string | null;
    recordedBy: string;
    evidence?: { name: string; type: string; data: Buffer } | null;
  },
) {
  const set: Record<string, unknown> = {
    result: values.result,
    receivedBy: values.receivedBy,
    note: values.note,
    recordedBy: values.recordedBy,
    recordedAt: new Date(),
  };
  if (values.evidence !== undefined) {
    set.evidenceName = values.evidence?.name ?? null;
    set.evidenceType = values.evidence?.type ?? null;
    set.evidence = values.evidence?.data ?? null;
  }
  return trx.updateTable('handoverResult').set(set).where('awardId', '=', awardId).execute();
}

export function setAwardStatus(trx: Kysely<DB>, awardId: string, from: string[], to: 'handed_over' | 'issued' | 'awarded') {
  return trx
    .updateTable('award')
    .set({ status: to, updatedAt: new Date() })
    .where('id', '=', awardId)
    .where('status', 'in', from as ('awarded' | 'submitted' | 'issued' | 'handed_over')[])
    .execute();
}

export function findEvidence(db: Kysely<DB>, awardId: string) {
  return db
    .selectFrom('handoverResult')
    .select(['evidenceName', 'evidenceType', 'evidence'])
    .where('awardId', '=', awardId)
    .executeTakeFirst();
}

/** The programme's live awards in the scope's communes by handover result ('unassigned' for those no event expects). */
export async function programmeOutcomes(db: Kysely<DB>, programmeId: string, scope: CommuneScope): Promise<Record<HandoverOutcome | 'unassigned', number>> {
  const rows = await db
    .selectFrom('award as a')
    .leftJoin('handoverResult as r', 'r.awardId', 'a.id')
    .select([sql<string>`coalesce(r.result, 'unassigned')`.as('result'), sql<number>`count(*)::int`.as('n')])
    .where('a.programmeId', '=', programmeId)
    .where('a.status', '<>', 'cancelled')
    .where(communeInScope('a.commune_code', scope))
    .groupBy(sql`coalesce(r.result, 'unassigned')`)
    .execute();
  const out = { expected: 0, received: 0, absent: 0, refused: 0, unassigned: 0 };
  for (const r of rows) out[r.result as keyof typeof out] = r.n;
  return out;
}

/** Communes of the scope where the programme has live awards, with how many cards and how many no event expects yet. */
export function awardCommunes(db: Kysely<DB>, programmeId: string, scope: CommuneScope) {
  return db
    .selectFrom('award as a')
    .innerJoin('unit as u', 'u.code', 'a.communeCode')
    .leftJoin('handoverResult as r', 'r.awardId', 'a.id')
    .select(['a.communeCode as code', 'u.name', sql<number>`count(*)::int`.as('cards'), sql<number>`count(*) filter (where r.award_id is null)::int`.as('unassigned')])
    .where('a.programmeId', '=', programmeId)
    .where('a.status', '<>', 'cancelled')
    .where(communeInScope('a.commune_code', scope))
    .groupBy(['a.communeCode', 'u.name'])
    .orderBy('u.name')
    .execute();
}

/**
 * Expects every live award no event expects yet at the latest event of its commune (when it has one);
 * answers the awards assigned with their event.
 */
export async function assignToCommuneEvents(trx: Kysely<DB>, programmeId: string): Promise<{ awardId: string; eventId: string; communeCode: string }[]> {
  const r = await sql<{ awardId: string; eventId: string; communeCode: string }>`
    insert into handover_result (award_id, event_id)
    select a.id, (select e.id from handover_event e where e.programme_id = a.programme_id and e.commune_code = a.commune_code
                  order by e.held_on desc, e.created_at desc, e.id limit 1)
    from award a
    where a.programme_id = ${programmeId}::uuid and a.status <> 'cancelled'
      and not exists (select 1 from handover_result r where r.award_id = a.id)
      and exists (select 1 from handover_event e where e.programme_id = a.programme_id and e.commune_code = a.commune_code)
    on conflict (award_id) do nothing
    returning award_id as "awardId", event_id as "eventId",
      (select commune_code from award where id = award_id) as "communeCode"`.execute(trx);
  return r.rows;
}

/** The donors whose receipts funded the cards expected at an event (for the minutes' donor line). */
export async function donorsOfEvent(db: Kysely<DB>, eventId: string): Promise<{ name: string; publicConsent: boolean }[]> {
  const rows = await db
    .selectFrom('handoverResult as r')
    .innerJoin('awardFunding as af', 'af.awardId', 'r.awardId')
    .innerJoin('receipt as rc', 'rc.id', 'af.receiptId')
    .innerJoin('donor as d', 'd.id', 'rc.donorId')
    .select(['d.id', 'd.name', 'd.publicConsent'])
    .distinct()
    .where('r.eventId', '=', eventId)
    .execute();
  return rows.map((r) => ({ name: r.name, publicConsent: r.publicConsent })).sort((a, b) => new Intl.Collator('vi').compare(a.name, b.name));
}
