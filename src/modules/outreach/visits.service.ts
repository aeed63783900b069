/**
 * The visit log (issue 19 items 3 and 4): visits are appended, never changed (a correction is a new visit).
 * A phone makes each visit's id (`clientId`) and may send it any number of times, alone or in a batch:
 * - the same id with the same content answers the stored visit with `duplicate: true` and stores nothing;
 * - the same id with other content is refused (409, nothing overwritten);
 * - a batch answers item by item, each stored in its own transaction, so a send cut in the middle keeps
 *   what was stored and the resend answers those as duplicates.
 * A visit to a household that changed on the server since the phone's list was taken (the `version` the
 * phone sends differs) is stored and flagged for the officer, never dropped; so is one to a person removed
 * from the register meanwhile, when their household is still in the group's villages.
 * A refusal because the person moved away, died or is insured elsewhere also files a report for the
 * commune officer's review (reports.service). Every visit is audited with the phone's time and the server's.
 */
import { createHash, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema';
import { householdScopeOf } from '../../db/scope';
import { can, requirePermission, type Actor } from '../../domain/access';
import { dayInVietnam, dueOn, isReportedReason, parseVisitTime, visitProblems, type Outcome } from '../../domain/outreach';
import { AppError, type FieldError } from '../../errors';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { currentVersions } from './doorlist.service';
import { noteWrites } from '../../db/statistics';
import { OUTREACH_READ, OUTREACH_VISIT, outreachField, visibleGroup } from './groups.service';
import * as repo from './outreach.repository';
import { followUpQuery, MAX_BATCH, visitInput, visitListQuery, type VisitInput } from './outreach.schemas';

const iso = (d: Date | string) => new Date(d).toISOString();

export function visitView(v: repo.VisitRow, duplicate = false) {
  const { contentHash: _h, ...rest } = v;
  return { ...rest, visitedAt: iso(v.visitedAt), receivedAt: iso(v.receivedAt), duplicate };
}
export type VisitView = ReturnType<typeof visitView>;

const invalid = (fields: FieldError[]) => new AppError('validation', {}, fields);

/** The content a resend must repeat: everything the visit says, and who sent it. */
function contentHash(actor: Actor, v: Record<string, unknown>): string {
  return createHash('sha256').update(JSON.stringify([actor.username, v])).digest('hex');
}

const isUniqueViolation = (e: unknown) => (e as { code?: string })?.code === '23505';

/** The answer to a visit whose client id is already stored: the same content is a duplicate; other content is refused. */
function answerExisting(existing: repo.VisitRow, hash: string): VisitView {
  if (existing.contentHash !== hash)
    throw new AppError('conflict', { entity: 'visit', id: existing.clientId }, [outreachField('clientId', 'client_id_reused', { id: existing.clientId })]);
  return visitView(existing, true);
}

/**
 * What the visits of one send share, read once: the visits already stored under the send's client ids,
 * the groups (with their villages) and the households' current versions. A single visit reads them as it goes.
 */
export interface SendContext {
  /** Client ids looked up at once (those absent from `stored` are not stored). */
  looked: Set<string>;
  stored: Map<string, repo.VisitRow>;
  groups: Map<string, Promise<{ group: repo.GroupRow; villages: string[] }>>;
  versions: Map<string, string>;
}

const newContext = (): SendContext => ({ looked: new Set(), stored: new Map(), groups: new Map(), versions: new Map() });

async function storedVisit(db: Kysely<DB>, ctx: SendContext, clientId: string): Promise<repo.VisitRow | undefined> {
  if (ctx.stored.has(clientId) || ctx.looked.has(clientId)) return ctx.stored.get(clientId);
  return repo.findVisitByClientId(db, clientId);
}

function groupOf(db: Kysely<DB>, actor: Actor, ctx: SendContext, id: string) {
  let found = ctx.groups.get(id);
  if (!found) {
    found = visibleGroup(db, actor, id).then(async (group) => ({ group, villages: (await repo.villagesOfGroups(db, [group.id])).map((v) => v.villageCode) }));
    // a refusal (not found) is the same for every visit of the send
    found.catch(() => undefined);
    ctx.groups.set(id, found);
  }
  return found;
}

/** Stores one visit (or answers the one stored under its client id). */
export async function addVisit(db: Kysely<DB>, actor: Actor, input: VisitInput, now: Date = new Date(), ctx: SendContext = newContext()): Promise<VisitView> {
  requirePermission(actor, OUTREACH_VISIT);
  const data = parseInput(visitInput, input);
  const visitedAt = parseVisitTime(data.visitedAt);
  if (!visitedAt) throw invalid([outreachField('visitedAt', 'visited_at_format', { value: data.visitedAt })]);
  const citizenId = data.citizenId ? data.citizenId.replace(/[\s.-]/g, '') : null;
  if (citizenId !== null && !/^(\d{10}|\d{12})$/.test(citizenId)) throw invalid([outreachField('citizenId', 'citizen_id_format', { value: data.citizenId })]);
  if (!data.personId && !citizenId && !data.householdId) throw invalid([outreachField('personId', 'person_required')]);
  const content = {
    groupId: data.groupId.toLowerCase(),
    personId: data.personId?.toLowerCase() ?? null,
    citizenId,
    householdId: data.householdId?.toLowerCase() ?? null,
    outcome: data.outcome,
    product: data.product ?? null,
    receiptNumber: data.receiptNumber ?? null,
    cardNumber: data.cardNumber ?? null,
    reason: data.reason ?? null,
    followUp: data.followUp ?? null,
    note: data.note ?? null,
    visitedAt: visitedAt.toISOString(),
  };
  const clientId = data.clientId.toLowerCase();
  const hash = contentHash(actor, content);
  const existing = await storedVisit(db, ctx, clientId);
  if (existing) return answerExisting(existing, hash);

  const { group, villages } = await groupOf(db, actor, ctx, content.groupId);
  if (!group.active) throw invalid([outreachField('groupId', 'group_inactive', { group: group.name })]);
  const scope = householdScopeOf(actor);
  const inGroup = <T extends { villageCode: string | null }>(rows: T[]) => rows.filter((r) => r.villageCode !== null && villages.includes(r.villageCode));
  let targets = inGroup(await repo.findVisitTarget(db, { personId: content.personId ?? undefined, citizenId: citizenId ?? undefined, householdId: content.householdId ?? undefined }, scope));
  let flagReason: string | null = null;
  if (targets.length === 0 && content.personId && content.householdId) {
    // the person left the register since the list was taken: kept on their household, flagged
    const household = inGroup(await repo.findVisitTarget(db, { householdId: content.householdId }, scope));
    if (household.length) {
      targets = household.map((h) => ({ ...h, personId: content.personId }));
      flagReason = 'person_removed';
    }
  }
  if (targets.length === 0) {
    const path = content.personId ? 'personId' : citizenId ? 'citizenId' : 'householdId';
    throw new AppError('out_of_scope', { group: group.name, context: 'person', ns: 'outreach' }, [outreachField(path, 'person_not_in_group', { group: group.name })]);
  }
  if (targets.length > 1) throw invalid([outreachField('citizenId', 'person_ambiguous', { value: citizenId, count: targets.length })]);
  const target = targets[0];

  const problems = visitProblems({ ...content, personId: target.personId, visitedAt }, { now, periodFrom: group.periodFrom, periodTo: group.periodTo });
  if (problems.length) throw invalid(problems.map((p) => outreachField(p.path, p.key, p.params)));

  const seen = data.householdVersion ?? null;
  if (flagReason === null && seen !== null) {
    const current = ctx.versions.get(target.householdId) ?? (await currentVersions(db, [target.householdId], scope)).get(target.householdId);
    if (current !== seen) flagReason = 'household_changed';
  }
  const values: repo.VisitValues = {
    householdId: target.householdId,
    id: randomUUID(),
    clientId,
    groupId: group.id,
    communeCode: target.communeCode,
    villageCode: target.villageCode,
    personId: target.personId,
    outcome: content.outcome,
    product: content.product,
    receiptNumber: content.receiptNumber,
    cardNumber: content.cardNumber,
    reason: content.reason,
    followUp: content.followUp,
    note: content.note,
    visitedAt,
    visitedOn: dayInVietnam(visitedAt),
    receivedAt: now,
    userId: actor.userId,
    userName: actor.username,
    householdVersion: seen,
    flagged: flagReason !== null,
    flagReason,
    contentHash: hash,
  };
  try {
    const view = await db.transaction().execute(async (trx) => {
      await repo.insertVisit(trx, values);
      let reportId: string | null = null;
      if (values.outcome === 'refused' && isReportedReason(values.reason) && values.personId) {
        reportId = randomUUID();
        await repo.insertReport(trx, {
          householdId: values.householdId,
          id: reportId,
          personId: values.personId,
          visitId: values.id,
          communeCode: values.communeCode,
          villageCode: values.villageCode,
          kind: values.reason,
          cardNumber: values.cardNumber,
          reportedBy: actor.username,
          reportedAt: visitedAt,
          receivedAt: now,
        });
      }
      const stored = visitView(values);
      await audit(trx, actor, { action: 'create', entity: 'visit', entityId: values.id, unitCode: values.communeCode, after: { ...stored, reportId } });
      return stored;
    });
    ctx.stored.set(clientId, values);
    await noteWrites(db, 'visit', 1);
    return view;
  } catch (e) {
    // the same id sent twice at once: the other request stored it first
    if (!isUniqueViolation(e)) throw e;
    const stored = await repo.findVisitByClientId(db, clientId);
    if (!stored) throw e;
    return answerExisting(stored, hash);
  }
}

const batchShape = z.object({ visits: z.array(z.unknown()).min(1).max(MAX_BATCH) }).strict();

/**
 * A phone's queue, sent when the network returns: each item stored (or answered as a duplicate, or
 * refused with its error) on its own, in order. Never all or nothing.
 */
export async function addVisits(db: Kysely<DB>, actor: Actor, body: unknown, now: Date = new Date()) {
  requirePermission(actor, OUTREACH_VISIT);
  const { visits } = parseInput(batchShape, body);
  const ctx = await sendContext(db, actor, visits);
  const results = [];
  for (const [index, item] of visits.entries()) {
    const clientId = typeof (item as { clientId?: unknown })?.clientId === 'string' ? (item as { clientId: string }).clientId : null;
    try {
      const visit = await addVisit(db, actor, item as VisitInput, now, ctx);
      results.push({ index, clientId, status: visit.duplicate ? ('duplicate' as const) : ('stored' as const), visit, error: null as AppError | null });
    } catch (e) {
      const error = e instanceof AppError ? e : /^2[23]/.test((e as { code?: string })?.code ?? '') ? new AppError('validation', {}, [{ path: '', key: 'invalid' }]) : undefined;
      if (!error) throw e;
      results.push({ index, clientId, status: 'refused' as const, visit: null, error });
    }
  }
  return {
    results,
    stored: results.filter((r) => r.status === 'stored').length,
    duplicates: results.filter((r) => r.status === 'duplicate').length,
    refused: results.filter((r) => r.status === 'refused').length,
  };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads at once what the items of a send share: the visits stored under their client ids, their households' versions. */
async function sendContext(db: Kysely<DB>, actor: Actor, items: unknown[]): Promise<SendContext> {
  const ctx = newContext();
  const field = (item: unknown, key: string) => {
    const v = (item as Record<string, unknown> | null)?.[key];
    return typeof v === 'string' && UUID.test(v) ? v.toLowerCase() : undefined;
  };
  const clientIds = [...new Set(items.map((i) => field(i, 'clientId')).filter((x): x is string => !!x))];
  for (const v of await repo.findVisitsByClientIds(db, clientIds)) ctx.stored.set(v.clientId, v);
  for (const id of clientIds) ctx.looked.add(id);
  const households = [...new Set(items.filter((i) => (i as { householdVersion?: unknown })?.householdVersion).map((i) => field(i, 'householdId')).filter((x): x is string => !!x))];
  if (households.length) ctx.versions = await currentVersions(db, households, householdScopeOf(actor));
  return ctx;
}

/** Visits in scope, newest first (of a group, a household; flagged ones for the officer). */
export async function listVisits(db: Kysely<DB>, actor: Actor, query: z.input<typeof visitListQuery> = {}) {
  requirePermission(actor, OUTREACH_READ);
  const q = parseInput(visitListQuery, query);
  if (q.group) await visibleGroup(db, actor, q.group);
  const rows = await repo.listVisits(db, householdScopeOf(actor), {
    groupId: q.group,
    householdId: q.household,
    flagged: q.flagged === undefined ? undefined : q.flagged === 'true',
    limit: q.limit,
  });
  return rows.map((v) => visitView(v));
}

/**
 * A member's follow-up queue (default: the caller's; `all`: every member's of the groups in scope): the
 * persons and households whose latest visit is a promise due on or before the day, or "not at home" to
 * revisit, oldest first. A later visit to the household clears a "nobody at home"; a card that starts on
 * or after the visit clears the person.
 */
export async function followUps(db: Kysely<DB>, actor: Actor, query: z.input<typeof followUpQuery>, today: string) {
  requirePermission(actor, OUTREACH_READ);
  const q = parseInput(followUpQuery, query);
  const date = q.date ?? today;
  if (q.member && q.member !== actor.userId && !can(actor, 'outreach:manage')) throw new AppError('forbidden');
  const groupIds = q.group ? [(await visibleGroup(db, actor, q.group)).id] : undefined;
  const rows = await repo.latestVisits(db, householdScopeOf(actor), { groupIds, date });
  const lastPersonVisit = new Map<string, number>();
  for (const r of rows) if (r.personId !== null) lastPersonVisit.set(r.householdId, Math.max(lastPersonVisit.get(r.householdId) ?? 0, r.visitedAt.getTime()));
  const mine = (r: (typeof rows)[number]) =>
    q.all === 'true' ? true : q.member ? r.userId === q.member : actor.userId !== null ? r.userId === actor.userId : r.userName === actor.username;
  return rows
    .filter((r) => !(r.personId === null && (lastPersonVisit.get(r.householdId) ?? 0) > r.visitedAt.getTime()))
    .filter((r) => !r.newCard && mine(r))
    .map((r) => ({ r, due: dueOn({ outcome: r.outcome as Outcome, visitedOn: r.visitedOn, visitedAt: r.visitedAt, followUp: r.followUp }) }))
    .filter((x): x is { r: (typeof rows)[number]; due: string } => x.due !== null && x.due <= date)
    .sort((a, b) => (a.due < b.due ? -1 : a.due > b.due ? 1 : a.r.visitedAt.getTime() - b.r.visitedAt.getTime()))
    .map(({ r, due }) => ({
      dueOn: due,
      outcome: r.outcome as 'promised' | 'not_home',
      groupId: r.groupId,
      householdId: r.householdId,
      householdCode: r.householdCode,
      villageName: r.villageName,
      address: r.address,
      personId: r.personId,
      fullName: r.fullName,
      phone: r.phone,
      visitedAt: r.visitedAt.toISOString(),
      followUp: r.followUp,
      note: r.note,
      userName: r.userName,
    }));
}
