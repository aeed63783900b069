/**
 * Donation programmes (issue 6): create, edit, list and read them in the actor's scope, and move them
 * through their status flow, each step recorded (programme_status_change) and audited.
 * Who may see and change a programme: programme.access.ts.
 *
 * Status flow: its order and rules are in src/domain/programme-status.ts; here they are checked against
 * the database (awards, the money) and recorded.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, ProgrammeStatus } from '../../../db/schema';
import { inScope, type Actor, requirePermission } from '../../../domain/access';
import { ACTION_STEPS, isOverdue, manualNextStatus, nextStatus, previousStatus, PROGRAMME_STATUSES, statusIndex } from '../../../domain/programme-status';
import { foldVietnamese } from '../../../domain/text';
import { AppError, type FieldError } from '../../../errors';
import { parseInput } from '../../../validation';
import { audit } from '../../audit/audit.service';
import { lineageOf, unitNames } from '../../units/units.service';
import * as repo from './programme.repository';
import { accessTo, programmeField, programmeForActor, PROGRAMMES_READ, PROGRAMMES_WRITE, transitionError, type Programme } from './programme.access';
import * as ledgerRepo from './ledger.repository';
import { balancesOf, cancelAward, type Balance } from './ledger.service';
import { requireConfirmation, type Confirmation } from './confirm';
import {
  createProgrammeInput,
  programmeListQuery,
  updateProgrammeInput,
  type CreateProgrammeInput,
  type ProgrammeListQuery,
  type UpdateProgrammeInput,
} from './programme.schemas';

// ---------------------------------------------------------------------------------------------------
// Status flow
// ---------------------------------------------------------------------------------------------------

/**
 * The status buttons and `programme status`: a step an action takes is refused with the action named,
 * except approving a list of cards awarded by hand (there is no round to approve). `confirm`: `true`;
 * going back from an approved list (its cards cancelled) needs the count and amount of those cards.
 */
export async function stepProgrammeStatus(db: Kysely<DB>, actor: Actor, id: string, to: ProgrammeStatus, note?: string | null, confirm?: Confirmation | null): Promise<void> {
  await programmeForActor(db, actor, id, 'write');
  // one transaction with the programme row locked: the figures confirmed are the ones changed
  await db.transaction().execute(async (trx) => {
    await programmeForActor(trx, actor, id, 'write');
    const programme = (await repo.findProgramme(trx, id, true))!;
    const action = ACTION_STEPS[to];
    if (action && to === nextStatus(programme.status)) {
      // cards awarded one by one (no round) make the list: approving it is then a plain step
      const handMade = to === 'list_approved' && (await repo.countAwards(trx, id)).live > 0;
      if (!handMade) throw transitionError(programme.status, to, `use_${action}`);
    }
    if (to === nextStatus(programme.status) || to === previousStatus(programme.status)) {
      // going back from an approved list cancels its cards: their money goes back to the fund
      const withdraws = programme.status === 'list_approved' && to === previousStatus(programme.status);
      requireConfirmation(
        confirm,
        withdraws
          ? { action: 'withdraw_list', count: (await repo.countAwards(trx, id)).live, amount: (await balancesOf(trx, [id])).get(id)!.awarded }
          : { action: 'status', count: 0, amount: null },
      );
    }
    await changeProgrammeStatus(trx, actor, id, to, note, trx);
  });
}

async function withdrawApprovedList(trx: Kysely<DB>, actor: Actor, programmeId: string, note: string): Promise<void> {
  for (const awardId of await ledgerRepo.liveAwardIds(trx, programmeId)) await cancelAward(trx, actor, awardId, note);
  const approved = await repo.findApprovedRound(trx, programmeId);
  if (approved) await repo.setRoundStatus(trx, approved.id, 'discarded', actor.username);
}

/**
 * Moves a programme one step forward, or one step back (a note is then required), recording who, when
 * and why in programme_status_change and in the audit log. With `trx`, runs inside the caller's
 * transaction (the programme row is locked until it ends); otherwise in a transaction of its own.
 */
export async function changeProgrammeStatus(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  to: ProgrammeStatus,
  note?: string | null,
  trx?: Kysely<DB>,
  /** submitted -> list_approved: only by withdrawing the list (d03.service unsubmitList), which reverses the payment first */
  options: { withdrawSubmission?: boolean } = {},
): Promise<void> {
  requirePermission(actor, PROGRAMMES_WRITE);
  const run = async (t: Kysely<DB>) => {
    await programmeForActor(t, actor, id, 'write');
    const programme = (await repo.findProgramme(t, id, true))!;
    const from = programme.status;
    if (!PROGRAMME_STATUSES.includes(to)) throw new AppError('validation', {}, [{ path: 'to', key: 'invalid' }]);
    const trimmed = note?.trim() || null;
    if (to === nextStatus(from)) {
      // forward: always allowed one step
    } else if (options.withdrawSubmission && from === 'submitted' && to === 'list_approved') {
      if (!trimmed) throw new AppError('validation', {}, [programmeField('note', 'note_required_back')]);
    } else if (to === previousStatus(from)) {
      if (!trimmed) throw new AppError('validation', {}, [programmeField('note', 'note_required_back')]);
      if (from === 'list_approved' || from === 'selecting') {
        const awards = await repo.countAwards(t, id);
        if (awards.beyondAwarded > 0) throw transitionError(from, to, 'awards_submitted');
        if (from === 'selecting' && awards.live > 0) throw transitionError(from, to, 'awards_live');
      }
      // Reopening an approved list withdraws it: its cards are cancelled (the money goes back to the
      // fund) and its round is discarded, so a new round can be approved.
      if (from === 'list_approved') await withdrawApprovedList(t, actor, id, trimmed!);
    } else {
      throw transitionError(from, to);
    }
    await repo.setStatus(t, id, to);
    await repo.insertStatusChange(t, {
      id: randomUUID(),
      programmeId: id,
      fromStatus: from,
      toStatus: to,
      actorId: actor.userId,
      actorName: actor.username,
      note: trimmed,
    });
    await audit(t, actor, {
      action: 'status',
      entity: 'programme',
      entityId: id,
      unitCode: programme.ownerUnitCode,
      before: { status: from },
      after: { status: to, note: trimmed },
    });
  };
  if (trx) await run(trx);
  else await db.transaction().execute(run);
}

// ---------------------------------------------------------------------------------------------------
// Create, edit
// ---------------------------------------------------------------------------------------------------

/** 'Tặng thẻ BHYT Tết 2026' -> 'tang-the-bhyt-tet-2026-k3x9qa' */
export function makeSlug(name: string): string {
  const base =
    foldVietnamese(name)
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 50)
      .replace(/-+$/, '') || 'chuong-trinh';
  const suffix = Array.from(randomBytes(6), (b) => 'abcdefghijkmnpqrstuvwxyz23456789'[b % 32]).join('');
  return `${base}-${suffix}`;
}

type AreaFields = Pick<Programme, 'ownerUnitCode' | 'areaKind' | 'areaCodes'>;

/** Checks the owner (a province or commune in scope) and the area codes; returns the normalised area codes. */
async function checkOwnerAndArea(db: Kysely<DB>, actor: Actor, p: AreaFields): Promise<string[]> {
  const owner = await lineageOf(db, p.ownerUnitCode);
  if (!owner) throw new AppError('validation', {}, [{ path: 'ownerUnitCode', key: 'unknown_unit', params: { code: p.ownerUnitCode } }]);
  if (owner.unit.level === 'village') throw new AppError('validation', {}, [programmeField('ownerUnitCode', 'owner_level')]);
  if (!inScope(actor, owner.lineage)) throw new AppError('out_of_scope', { code: p.ownerUnitCode });
  const codes = [...new Set(p.areaCodes.map((c) => c.trim()).filter(Boolean))];
  if (p.areaKind === 'province') {
    if (codes.length === 0 && owner.unit.level === 'province') return [owner.unit.code];
    if (codes.length !== 1) throw new AppError('validation', {}, [programmeField('areaCodes', 'area_one_province')]);
  } else if (codes.length === 0) {
    throw new AppError('validation', {}, [programmeField('areaCodes', 'area_required')]);
  }
  const fields: FieldError[] = [];
  for (const [i, code] of codes.entries()) {
    const found = await lineageOf(db, code);
    if (!found) {
      fields.push({ path: `areaCodes.${i}`, key: 'unknown_unit', params: { code } });
      continue;
    }
    const levelOk =
      p.areaKind === 'province' ? found.unit.level === 'province' : p.areaKind === 'communes' ? found.unit.level === 'commune' : found.unit.level !== 'province';
    if (!levelOk) fields.push(programmeField(`areaCodes.${i}`, `area_level_${p.areaKind}`, { code }));
    // the area lies inside the owner unit (a commune programme buys cards in that commune)
    else if (!found.lineage.includes(owner.unit.code)) fields.push(programmeField(`areaCodes.${i}`, 'area_outside_owner', { code }));
  }
  if (fields.length) throw new AppError('validation', {}, fields);
  return codes;
}

export async function createProgramme(db: Kysely<DB>, actor: Actor, input: CreateProgrammeInput): Promise<Programme> {
  requirePermission(actor, PROGRAMMES_WRITE);
  const data = parseInput(createProgrammeInput, input);
  const areaCodes = await checkOwnerAndArea(db, actor, { ownerUnitCode: data.ownerUnitCode, areaKind: data.areaKind, areaCodes: data.areaCodes ?? [] });
  const priorityMode = data.priorityMode ?? (Array.isArray(data.priorities) ? 'tiers' : 'weights');
  checkPriorities(priorityMode, data.priorities);
  await checkQuotas(db, areaCodes, data.communeQuotas);
  return db.transaction().execute(async (trx) => {
    const id = randomUUID();
    const row = await repo.insertProgramme(trx, {
      id,
      name: data.name,
      ownerUnitCode: data.ownerUnitCode,
      areaKind: data.areaKind,
      areaCodes,
      areaNote: data.areaNote ?? null,
      cardMonths: data.cardMonths,
      purchaseDate: data.purchaseDate,
      deadline: data.deadline,
      handoverSeason: data.handoverSeason ?? null,
      selectionMode: data.selectionMode ?? 'concentrate',
      priorityMode,
      priorities: data.priorities ?? (priorityMode === 'tiers' ? [] : {}),
      communeQuotas: data.communeQuotas ?? null,
      publicSlug: makeSlug(data.name),
      publicEnabled: data.publicEnabled ?? true,
      createdBy: actor.username,
    });
    await repo.insertStatusChange(trx, { id: randomUUID(), programmeId: id, fromStatus: null, toStatus: 'draft', actorId: actor.userId, actorName: actor.username, note: null });
    await audit(trx, actor, { action: 'create', entity: 'programme', entityId: id, unitCode: row.ownerUnitCode, after: row });
    return row;
  });
}

/** Hand-set quotas name communes of the area. */
async function checkQuotas(db: Kysely<DB>, areaCodes: string[], quotas: Record<string, number> | null | undefined) {
  if (!quotas) return;
  const fields: FieldError[] = [];
  for (const code of Object.keys(quotas)) {
    const found = await lineageOf(db, code);
    const inArea = found && found.unit.level === 'commune' && areaCodes.some((a) => found.lineage.includes(a) || a.startsWith(`${code}.`));
    if (!inArea) fields.push(programmeField(`communeQuotas.${code}`, 'quota_outside_area', { code }));
  }
  if (fields.length) throw new AppError('validation', {}, fields);
}

function checkPriorities(mode: 'weights' | 'tiers', priorities: unknown) {
  if (priorities === undefined) return;
  if ((mode === 'tiers') !== Array.isArray(priorities)) throw new AppError('validation', {}, [programmeField('priorities', `priorities_${mode}`)]);
}

/** Fields that fix what was bought: frozen once the list is approved. */
const FROZEN_AFTER_APPROVAL = ['ownerUnitCode', 'areaKind', 'areaCodes', 'cardMonths', 'purchaseDate', 'selectionMode', 'priorityMode', 'priorities', 'communeQuotas'] as const;

export async function updateProgramme(db: Kysely<DB>, actor: Actor, id: string, input: UpdateProgrammeInput): Promise<Programme> {
  requirePermission(actor, PROGRAMMES_WRITE);
  const patch = parseInput(updateProgrammeInput, input);
  return db.transaction().execute(async (trx) => {
    await programmeForActor(trx, actor, id, 'write');
    const before = (await repo.findProgramme(trx, id, true))!;
    if (statusIndex(before.status) >= statusIndex('list_approved')) {
      const frozen = FROZEN_AFTER_APPROVAL.filter((k) => patch[k] !== undefined);
      if (frozen.length) throw new AppError('validation', {}, frozen.map((k) => programmeField(k, 'frozen_after_approval')));
    }
    const merged = { ...before, ...patch } as Programme;
    const purchaseDate = patch.purchaseDate ?? before.purchaseDate;
    const deadline = patch.deadline ?? before.deadline;
    if (deadline < purchaseDate) throw new AppError('validation', {}, [programmeField('deadline', 'deadline_before_purchase')]);
    const values: Parameters<typeof repo.updateProgramme>[2] = { ...patch } as never;
    if (patch.ownerUnitCode !== undefined || patch.areaKind !== undefined || patch.areaCodes !== undefined) {
      values.areaCodes = await checkOwnerAndArea(trx, actor, {
        ownerUnitCode: merged.ownerUnitCode,
        areaKind: merged.areaKind,
        areaCodes: patch.areaCodes ?? (patch.areaKind && patch.areaKind !== before.areaKind ? [] : before.areaCodes),
      });
    }
    if (patch.priorities !== undefined || patch.priorityMode !== undefined) checkPriorities(merged.priorityMode, merged.priorities);
    if (patch.communeQuotas !== undefined || values.areaCodes !== undefined) await checkQuotas(trx, values.areaCodes ?? before.areaCodes, merged.communeQuotas);
    const after = await repo.updateProgramme(trx, id, values);
    await audit(trx, actor, { action: 'update', entity: 'programme', entityId: id, unitCode: after.ownerUnitCode, before, after });
    return after;
  });
}

// ---------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------

function view(p: Programme, names: Map<string, string>, balance: Balance, today: string, canWrite: boolean) {
  return {
    ...p,
    ownerUnitName: names.get(p.ownerUnitCode) ?? p.ownerUnitCode,
    priorities: p.priorities ?? {},
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    overdue: isOverdue(p, today),
    canWrite,
    balance,
  };
}

export type ProgrammeView = ReturnType<typeof view>;

export async function listProgrammes(db: Kysely<DB>, actor: Actor, query: ProgrammeListQuery, today: string): Promise<ProgrammeView[]> {
  requirePermission(actor, PROGRAMMES_READ);
  const q = parseInput(programmeListQuery, query);
  const scopeLineage = actor.scopeCode ? ((await lineageOf(db, actor.scopeCode))?.lineage ?? [actor.scopeCode]) : [];
  const rows = await repo.listProgrammes(db, { scope: actor.scopeCode, scopeLineage, byArea: true, status: q.status, q: q.q || undefined });
  const balances = await balancesOf(db, rows.map((r) => r.id));
  const names = await unitNames(db, rows.map((r) => r.ownerUnitCode));
  const out: ProgrammeView[] = [];
  for (const r of rows) out.push(view(r, names, balances.get(r.id)!, today, (await accessTo(db, actor, r)) === 'write'));
  return out;
}

/** A programme with its balances, history, area units and the steps it may take next. */
export async function getProgramme(db: Kysely<DB>, actor: Actor, id: string, today: string) {
  const p = await programmeForActor(db, actor, id, 'read');
  const canWrite = (await accessTo(db, actor, p)) === 'write';
  const balances = await balancesOf(db, [id]);
  const names = await unitNames(db, [p.ownerUnitCode, ...p.areaCodes]);
  const history = await repo.listStatusChanges(db, id);
  return {
    ...view(p, names, balances.get(id)!, today, canWrite),
    history: history.map((h) => ({ ...h, at: h.at.toISOString() })),
    next: manualNextStatus(p.status),
    /** The action that takes the next step when no button does ('approve', 'submit', ...). */
    nextAction: ACTION_STEPS[nextStatus(p.status) ?? 'draft'] ?? null,
    previous: previousStatus(p.status),
    areaUnits: p.areaCodes.map((code) => ({ code, name: names.get(code) ?? code })),
  };
}

export type ProgrammeDetail = Awaited<ReturnType<typeof getProgramme>>;

/** The approved selection round of a programme, if any (for selection/). */
export function findApprovedRound(db: Kysely<DB>, programmeId: string) {
  return repo.findApprovedRound(db, programmeId);
}

/** Marks a selection round approved or discarded, in the caller's transaction (for selection/). */
export function setRoundStatus(db: Kysely<DB>, roundId: string, status: 'approved' | 'discarded', decidedBy: string): Promise<void> {
  return repo.setRoundStatus(db, roundId, status, decidedBy);
}
