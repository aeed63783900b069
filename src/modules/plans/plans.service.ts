/**
 * Plans and tasks (issue 21 items 1-4): a plan (kế hoạch) of a province or commune with its goals (chỉ
 * tiêu) and tasks (nhiệm vụ); a provincial plan cascades to commune plans; tasks split into sub-tasks per
 * commune; progress notes and evidence files; the plan's status on a day with the goals' live progress read
 * from the coverage figures (current value, trend, the coverage projection to the goal's date, at risk);
 * the commune chairmen's scorecard; the dashboard of overdue and due-soon tasks per responsible unit.
 *
 * Who may: reading, users with units:read whose scope holds the plan's unit (a commune officer sees only
 * their commune's plans and tasks; province staff the province's and its communes'); changing, users with
 * units:write in that scope. Every change is audited (entity 'plan' or 'plan_task', unit = the plan's).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { can, inScope, requirePermission, type Actor, type Permission } from '../../domain/access';
import { formatDateVi } from '../../domain/dates';
import {
  atRisk,
  dueOnOf,
  GOAL_MEASURES,
  GOAL_METRICS,
  MEASURE_OF,
  pct2,
  shownGoalValue,
  splitProRata,
  storedGoalValue,
  taskState,
  type GoalMetric,
} from '../../domain/plans';
import { compareVietnamese } from '../../domain/text';
import { AppError, notFound, validationError, type FieldError } from '../../errors';
import { checkEvidence, type EvidenceFile, type EvidencePolicy } from '../../io/evidence';
import { translator, type Language } from '../../i18n/index';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { coverageOf, expectedParticipants, pupils, trend, type CoverageReport } from '../coverage/coverage.service';
import { expectedVsiParticipants, vsiCoverageOf } from '../coverage/vsi-coverage.service';
import { lineageOf } from '../units/units.service';
import * as repo from './plans.repository';
import {
  cascadeInput,
  createPlanInput,
  createTaskInput,
  noteInput,
  splitTaskInput,
  statusQuery,
  updatePlanInput,
  updateTaskInput,
  type CreatePlanInput,
  type CreateTaskInput,
  type UpdatePlanInput,
  type UpdateTaskInput,
} from './plans.schemas';

export const PLANS_READ: Permission = 'units:read';
export const PLANS_MANAGE: Permission = 'units:write';

export const planField = (path: string, key: string, params: Record<string, unknown> = {}): FieldError => ({ path, key, params: { ...params, ns: 'plans' } });

/** An evidence file of a task: a photo (JPEG, PNG) or a PDF, 10 MB at most. */
export const TASK_EVIDENCE: EvidencePolicy = {
  maxBytes: 10 * 1024 * 1024,
  types: ['image/jpeg', 'image/png', 'application/pdf'],
  error: (reason, params) => planField('file', `file_${reason}`, params),
};

const isUuid = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);

// ---- access ----

async function readable(db: Kysely<DB>, actor: Actor, unitCode: string): Promise<boolean> {
  const unit = await lineageOf(db, unitCode);
  return !!unit && inScope(actor, unit.lineage);
}

async function changeable(db: Kysely<DB>, actor: Actor, unitCode: string): Promise<boolean> {
  return can(actor, PLANS_MANAGE) && (await readable(db, actor, unitCode));
}

async function visiblePlan(db: Kysely<DB>, actor: Actor, id: string): Promise<repo.PlanRow> {
  requirePermission(actor, PLANS_READ);
  const row = isUuid(id) ? await repo.findPlan(db, id) : undefined;
  if (!row || !(await readable(db, actor, row.unitCode))) throw notFound('plan', id);
  return row;
}

async function manageablePlan(db: Kysely<DB>, actor: Actor, id: string): Promise<repo.PlanRow> {
  requirePermission(actor, PLANS_MANAGE);
  const row = await visiblePlan(db, actor, id);
  if (!(await changeable(db, actor, row.unitCode))) throw new AppError('forbidden');
  return row;
}

async function visibleTask(db: Kysely<DB>, actor: Actor, id: string): Promise<{ task: repo.TaskRow; plan: repo.PlanRow }> {
  requirePermission(actor, PLANS_READ);
  const task = isUuid(id) ? await repo.findTask(db, id) : undefined;
  const plan = task ? await repo.findPlan(db, task.planId) : undefined;
  if (!task || !plan || !(await readable(db, actor, plan.unitCode))) throw notFound('task', id);
  return { task, plan };
}

async function manageableTask(db: Kysely<DB>, actor: Actor, id: string) {
  requirePermission(actor, PLANS_MANAGE);
  const found = await visibleTask(db, actor, id);
  if (!(await changeable(db, actor, found.plan.unitCode))) throw new AppError('forbidden');
  return found;
}

// ---- views ----

const goalView = (g: repo.GoalRow) => ({ id: g.id, metric: g.metric, measure: g.measure, value: shownGoalValue(g.measure, g.value), byDate: g.byDate });

async function planView(db: Kysely<DB>, actor: Actor, row: repo.PlanRow, goals?: repo.GoalRow[]) {
  return {
    id: row.id,
    unitCode: row.unitCode,
    unitName: row.unitName,
    level: row.unitLevel,
    parentId: row.parentId,
    number: row.number,
    issuer: row.issuer,
    issuedOn: row.issuedOn,
    title: row.title,
    implements: row.implements,
    goals: (goals ?? (await repo.goalsOf(db, [row.id]))).map(goalView),
    canChange: await changeable(db, actor, row.unitCode),
    updatedAt: new Date(row.updatedAt).toISOString(),
  };
}
export type PlanView = Awaited<ReturnType<typeof planView>>;

type SubCounts = { total: number; done: number; overdue: number };

function taskView(t: repo.TaskRow, date: string, subs: SubCounts = { total: 0, done: 0, overdue: 0 }) {
  const state = taskState(t, date);
  return {
    id: t.id,
    planId: t.planId,
    parentTaskId: t.parentTaskId,
    no: t.position,
    content: t.content,
    responsible: t.responsible,
    coordinating: t.coordinating,
    deadline: t.deadline,
    dueOn: t.dueOn,
    recurrence: t.recurrence,
    status: t.status,
    nextDue: state.nextDue,
    overdue: state.overdue,
    dueSoon: state.dueSoon,
    lastNoteOn: t.lastNoteOn,
    files: t.files,
    subTasks: subs,
  };
}
export type TaskView = ReturnType<typeof taskView>;

async function tasksWithSubs(db: Kysely<DB>, tasks: repo.TaskRow[], date: string): Promise<TaskView[]> {
  const subs = await repo.subTasksOf(db, tasks.map((t) => t.id));
  const counts = new Map<string, SubCounts>();
  for (const s of subs) {
    const c = counts.get(s.parentTaskId!) ?? { total: 0, done: 0, overdue: 0 };
    c.total += 1;
    if (s.status === 'done') c.done += 1;
    if (taskState(s, date).overdue) c.overdue += 1;
    counts.set(s.parentTaskId!, c);
  }
  return tasks.map((t) => taskView(t, date, counts.get(t.id)));
}

// ---- checks ----

function checkedGoals(goals: { metric: string; measure?: string; value: number; byDate: string }[], issuedOn: string) {
  const errors: FieldError[] = [];
  const out = goals.map((g, i) => {
    const metric = g.metric as GoalMetric;
    if (!(GOAL_METRICS as readonly string[]).includes(g.metric)) {
      errors.push(planField(`goals.${i}.metric`, 'unknown_metric', { metric: g.metric, known: GOAL_METRICS.join(', ') }));
      return undefined;
    }
    const measure = g.measure ?? MEASURE_OF[metric];
    if (!(GOAL_MEASURES as readonly string[]).includes(measure)) errors.push(planField(`goals.${i}.measure`, 'unknown_measure', { measure, known: GOAL_MEASURES.join(', ') }));
    else if (measure !== MEASURE_OF[metric]) errors.push(planField(`goals.${i}.measure`, 'measure_mismatch', { measure, metric, expected: MEASURE_OF[metric] }));
    if (measure === 'percent' && g.value > 100) errors.push(planField(`goals.${i}.value`, 'percent_over_100', { value: g.value }));
    if (measure === 'persons' && !Number.isInteger(g.value)) errors.push(planField(`goals.${i}.value`, 'whole_persons', { value: g.value }));
    if (g.byDate < issuedOn) errors.push(planField(`goals.${i}.byDate`, 'goal_before_plan', { date: formatDateVi(g.byDate), planDate: formatDateVi(issuedOn) }));
    return { id: randomUUID(), metric, measure: MEASURE_OF[metric], value: storedGoalValue(MEASURE_OF[metric], g.value), byDate: g.byDate };
  });
  if (errors.length) throw validationError(errors);
  return out.filter((g) => g !== undefined);
}

/** A deadline ('YYYY-MM-DD' or 'YYYY-MM') checked against the plan's date: the day it is due. */
export function checkedDeadline(deadline: string, issuedOn: string, path = 'deadline'): string {
  const dueOn = dueOnOf(deadline);
  if (!dueOn) throw validationError([planField(path, 'deadline_format', { value: deadline })]);
  if (dueOn < issuedOn) throw validationError([planField(path, 'deadline_before_plan', { deadline: formatDateVi(dueOn), planDate: formatDateVi(issuedOn) })]);
  return dueOn;
}

async function checkedUnit(db: Kysely<DB>, actor: Actor, unitCode: string) {
  const unit = await lineageOf(db, unitCode);
  if (!unit || (unit.unit.level !== 'province' && unit.unit.level !== 'commune')) throw validationError([planField('unitCode', 'unit_not_province_or_commune', { code: unitCode })]);
  if (!inScope(actor, unit.lineage)) throw new AppError('forbidden');
  return unit.unit;
}

// ---- plans ----

export async function createPlan(db: Kysely<DB>, actor: Actor, input: CreatePlanInput): Promise<PlanView> {
  requirePermission(actor, PLANS_MANAGE);
  const data = parseInput(createPlanInput, input);
  const unit = await checkedUnit(db, actor, data.unitCode);
  const goals = checkedGoals(data.goals, data.issuedOn);
  if (await repo.numberTaken(db, unit.code, data.number, null)) throw validationError([planField('number', 'number_taken', { number: data.number })]);
  return db.transaction().execute(async (trx) => {
    const id = randomUUID();
    await repo.insertPlan(trx, { id, unitCode: unit.code, parentId: null, number: data.number, issuer: data.issuer ?? null, issuedOn: data.issuedOn, title: data.title, implements: data.implements ?? null, by: actor.username });
    await repo.setGoals(trx, id, goals);
    const after = await planView(trx, actor, (await repo.findPlan(trx, id))!);
    await audit(trx, actor, { action: 'create', entity: 'plan', entityId: id, unitCode: unit.code, after: auditable(after) });
    return after;
  });
}

const auditable = ({ canChange: _c, updatedAt: _u, ...v }: PlanView) => v;

export async function updatePlan(db: Kysely<DB>, actor: Actor, id: string, input: UpdatePlanInput): Promise<PlanView> {
  const row = await manageablePlan(db, actor, id);
  const data = parseInput(updatePlanInput, input);
  const before = await planView(db, actor, row);
  const issuedOn = data.issuedOn ?? row.issuedOn;
  const goals = checkedGoals(data.goals ?? before.goals, issuedOn);
  const tasks = await repo.tasksOf(db, [id]);
  const early = tasks.find((t) => t.dueOn < issuedOn);
  if (early) throw validationError([planField('issuedOn', 'plan_after_deadline', { no: early.position, deadline: formatDateVi(early.dueOn) })]);
  const number = data.number ?? row.number;
  if (await repo.numberTaken(db, row.unitCode, number, id)) throw validationError([planField('number', 'number_taken', { number })]);
  return db.transaction().execute(async (trx) => {
    await repo.updatePlan(trx, id, {
      number,
      issuer: data.issuer !== undefined ? data.issuer : row.issuer,
      issuedOn,
      title: data.title ?? row.title,
      implements: data.implements !== undefined ? data.implements : row.implements,
      by: actor.username,
    });
    await repo.setGoals(trx, id, goals);
    const after = await planView(trx, actor, (await repo.findPlan(trx, id))!);
    await audit(trx, actor, { action: 'update', entity: 'plan', entityId: id, unitCode: row.unitCode, before: auditable(before), after: auditable(after) });
    return after;
  });
}

export async function deletePlan(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  const row = await manageablePlan(db, actor, id);
  const before = await planView(db, actor, row);
  await db.transaction().execute(async (trx) => {
    await repo.deletePlan(trx, id);
    await audit(trx, actor, { action: 'delete', entity: 'plan', entityId: id, unitCode: row.unitCode, before: auditable(before) });
  });
}

export async function getPlan(db: Kysely<DB>, actor: Actor, id: string): Promise<PlanView> {
  return planView(db, actor, await visiblePlan(db, actor, id));
}

/** The plans the actor may read (their unit's and, for province staff, their communes'), latest first. */
export async function listPlans(db: Kysely<DB>, actor: Actor, filter: { parentId?: string } = {}): Promise<PlanView[]> {
  requirePermission(actor, PLANS_READ);
  const rows = await repo.listPlans(db, actor.scopeCode, filter);
  const goals = groupGoals(await repo.goalsOf(db, rows.map((r) => r.id)));
  const mayChange = new Map<string, boolean>();
  const out: PlanView[] = [];
  for (const row of rows) {
    if (!mayChange.has(row.unitCode)) mayChange.set(row.unitCode, await changeable(db, actor, row.unitCode));
    out.push({ ...(await planView(db, actor, row, goals.get(row.id) ?? [])), canChange: mayChange.get(row.unitCode)! });
  }
  return out;
}

function groupGoals(goals: repo.GoalRow[]): Map<string, repo.GoalRow[]> {
  const m = new Map<string, repo.GoalRow[]>();
  for (const g of goals) m.set(g.planId, [...(m.get(g.planId) ?? []), g]);
  return m;
}

/**
 * Cascades a provincial plan to commune plans: one per commune chosen (default every commune of the
 * province without one from this plan yet), with the plan's number, date, title and document, and goals
 * derived: a percentage stays the same; a count is split over all the province's communes pro rata to their
 * population on `today` (the register's, else the latest reported figure; largest remainder), each
 * commune getting its share. Audited per commune plan.
 */
export async function cascadePlan(db: Kysely<DB>, actor: Actor, id: string, input: { communes?: string[] }, today: string): Promise<PlanView[]> {
  const row = await manageablePlan(db, actor, id);
  const data = parseInput(cascadeInput, input);
  if (row.unitLevel !== 'province') throw validationError([planField('id', 'cascade_not_province')]);
  const report = await coverageOf(db, actor, row.unitCode, today);
  const communes = report.children.filter((c) => c.level === 'commune');
  const existing = new Set((await repo.listPlans(db, null, { parentId: id })).map((p) => p.unitCode));
  let chosen: typeof communes;
  if (data.communes) {
    const errors: FieldError[] = [];
    data.communes.forEach((code, i) => {
      if (!communes.some((c) => c.unit === code)) errors.push(planField(`communes.${i}`, 'not_commune_of_province', { code }));
      else if (existing.has(code)) errors.push(planField(`communes.${i}`, 'commune_has_plan', { code }));
    });
    if (errors.length) throw validationError(errors);
    chosen = communes.filter((c) => data.communes!.includes(c.unit));
  } else chosen = communes.filter((c) => !existing.has(c.unit));
  const goals = await repo.goalsOf(db, [id]);
  const weights = communes.map((c) => c.population ?? 0);
  const shares = new Map(goals.filter((g) => g.measure === 'persons').map((g) => [g.id, splitProRata(g.value, weights)]));
  const index = new Map(communes.map((c, i) => [c.unit, i]));
  return db.transaction().execute(async (trx) => {
    const made: PlanView[] = [];
    for (const c of chosen) {
      const pid = randomUUID();
      await repo.insertPlan(trx, { id: pid, unitCode: c.unit, parentId: id, number: row.number, issuer: row.issuer, issuedOn: row.issuedOn, title: row.title, implements: row.implements, by: actor.username });
      await repo.setGoals(
        trx,
        pid,
        goals.map((g) => ({ id: randomUUID(), metric: g.metric, measure: g.measure, value: g.measure === 'percent' ? g.value : shares.get(g.id)![index.get(c.unit)!], byDate: g.byDate })),
      );
      const view = await planView(trx, actor, (await repo.findPlan(trx, pid))!);
      await audit(trx, actor, { action: 'create', entity: 'plan', entityId: pid, unitCode: c.unit, after: { ...auditable(view), cascadedFrom: id } });
      made.push(view);
    }
    return made;
  });
}

// ---- tasks ----

export async function addTask(db: Kysely<DB>, actor: Actor, planId: string, input: CreateTaskInput, today: string): Promise<TaskView> {
  const plan = await manageablePlan(db, actor, planId);
  const data = parseInput(createTaskInput, input);
  const dueOn = checkedDeadline(data.deadline, plan.issuedOn);
  return db.transaction().execute(async (trx) => {
    const id = randomUUID();
    await repo.insertTask(trx, { id, planId, parentTaskId: null, position: await repo.nextPosition(trx, planId), ...data, dueOn, by: actor.username });
    const task = (await repo.findTask(trx, id))!;
    await audit(trx, actor, { action: 'create', entity: 'plan_task', entityId: id, unitCode: plan.unitCode, after: auditableTask(task) });
    return taskView(task, today);
  });
}

const auditableTask = (t: repo.TaskRow) => ({ planId: t.planId, parentTaskId: t.parentTaskId, no: t.position, content: t.content, responsible: t.responsible, coordinating: t.coordinating, deadline: t.deadline, recurrence: t.recurrence, status: t.status });

export async function updateTask(db: Kysely<DB>, actor: Actor, id: string, input: UpdateTaskInput, today: string): Promise<TaskView> {
  const { task, plan } = await manageableTask(db, actor, id);
  const data = parseInput(updateTaskInput, input);
  const deadline = data.deadline ?? task.deadline;
  const dueOn = data.deadline !== undefined ? checkedDeadline(deadline, plan.issuedOn) : task.dueOn;
  return db.transaction().execute(async (trx) => {
    await repo.updateTask(trx, id, {
      content: data.content ?? task.content,
      responsible: data.responsible ?? task.responsible,
      coordinating: data.coordinating ?? task.coordinating,
      deadline,
      dueOn,
      recurrence: data.recurrence ?? task.recurrence,
      status: data.status ?? task.status,
      by: actor.username,
    });
    const after = (await repo.findTask(trx, id))!;
    await audit(trx, actor, { action: 'update', entity: 'plan_task', entityId: id, unitCode: plan.unitCode, before: auditableTask(task), after: auditableTask(after) });
    return (await tasksWithSubs(trx, [after], today))[0];
  });
}

export async function deleteTask(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  const { task, plan } = await manageableTask(db, actor, id);
  await db.transaction().execute(async (trx) => {
    await repo.deleteTask(trx, id);
    await audit(trx, actor, { action: 'delete', entity: 'plan_task', entityId: id, unitCode: plan.unitCode, before: auditableTask(task) });
  });
}

/** A task with its progress notes, files and sub-tasks per commune (those the actor may see). */
export async function getTask(db: Kysely<DB>, actor: Actor, id: string, today: string) {
  const { task, plan } = await visibleTask(db, actor, id);
  const [view] = await tasksWithSubs(db, [task], today);
  const subs = [];
  for (const s of await repo.subTasksOf(db, [id])) if (await readable(db, actor, s.unitCode)) subs.push({ ...taskView(s, today), unitCode: s.unitCode, unitName: s.unitName });
  return { ...view, notes: await repo.notesOf(db, id), fileList: await repo.filesOf(db, id), subTaskList: subs, canChange: await changeable(db, actor, plan.unitCode) };
}
export type TaskDetail = Awaited<ReturnType<typeof getTask>>;

/** A progress note (dated today unless given; not after today). A recurring task's note is its report for the period. */
export async function addNote(db: Kysely<DB>, actor: Actor, id: string, input: { note: string; notedOn?: string }, today: string): Promise<TaskDetail> {
  const { plan } = await manageableTask(db, actor, id);
  const data = parseInput(noteInput, input);
  const notedOn = data.notedOn ?? today;
  if (notedOn > today) throw validationError([planField('notedOn', 'note_in_future', { date: formatDateVi(notedOn) })]);
  await db.transaction().execute(async (trx) => {
    const nid = randomUUID();
    await repo.insertNote(trx, { id: nid, taskId: id, notedOn, note: data.note, by: actor.username });
    await audit(trx, actor, { action: 'update', entity: 'plan_task', entityId: id, unitCode: plan.unitCode, after: { note: { id: nid, notedOn, note: data.note } } });
  });
  return getTask(db, actor, id, today);
}

/** Attaches an evidence file (JPEG, PNG or PDF, 10 MB at most, the type read from its bytes). */
export async function attachFile(db: Kysely<DB>, actor: Actor, id: string, file: EvidenceFile | undefined, today: string): Promise<TaskDetail> {
  const { plan } = await manageableTask(db, actor, id);
  if (!file) throw validationError([planField('file', 'file_empty')]);
  const checked = checkEvidence(file, TASK_EVIDENCE);
  await db.transaction().execute(async (trx) => {
    const fid = randomUUID();
    await repo.insertFile(trx, { id: fid, taskId: id, ...checked, by: actor.username });
    await audit(trx, actor, { action: 'update', entity: 'plan_task', entityId: id, unitCode: plan.unitCode, after: { file: { id: fid, name: checked.name, type: checked.type, size: checked.data.length } } });
  });
  return getTask(db, actor, id, today);
}

export async function removeFile(db: Kysely<DB>, actor: Actor, id: string, fileId: string, today: string): Promise<TaskDetail> {
  const { plan } = await manageableTask(db, actor, id);
  const file = isUuid(fileId) ? await repo.findFile(db, id, fileId) : undefined;
  if (!file) throw notFound('evidence', fileId);
  await db.transaction().execute(async (trx) => {
    await repo.deleteFile(trx, id, fileId);
    await audit(trx, actor, { action: 'update', entity: 'plan_task', entityId: id, unitCode: plan.unitCode, before: { file: { id: fileId, name: file.name, type: file.type, size: file.data.length } } });
  });
  return getTask(db, actor, id, today);
}

export async function fileOf(db: Kysely<DB>, actor: Actor, id: string, fileId: string): Promise<{ name: string; type: string; data: Buffer }> {
  await visibleTask(db, actor, id);
  const file = isUuid(fileId) ? await repo.findFile(db, id, fileId) : undefined;
  if (!file) throw notFound('evidence', fileId);
  return { ...file, data: Buffer.from(file.data) };
}

/**
 * Splits a task of a provincial plan into sub-tasks per commune: one in each commune plan cascaded from it
 * (default all of them; or the communes given), with the same content, deadline and recurrence, the
 * commune's People's Committee responsible. A commune that already has the sub-task is left as it is.
 */
export async function splitTask(db: Kysely<DB>, actor: Actor, id: string, input: { communes?: string[] }, today: string, lang: Language = actor.language): Promise<TaskDetail> {
  const { task, plan } = await manageableTask(db, actor, id);
  const data = parseInput(splitTaskInput, input);
  if (task.parentTaskId) throw validationError([planField('id', 'split_sub_task')]);
  const children = await repo.listPlans(db, null, { parentId: plan.id });
  if (children.length === 0) throw validationError([planField('id', 'no_commune_plans', { number: plan.number })]);
  const errors: FieldError[] = [];
  (data.communes ?? []).forEach((code, i) => {
    if (!children.some((c) => c.unitCode === code)) errors.push(planField(`communes.${i}`, 'no_commune_plan', { code }));
  });
  if (errors.length) throw validationError(errors);
  const chosen = data.communes ? children.filter((c) => data.communes!.includes(c.unitCode)) : children;
  const have = new Set((await repo.subTasksOf(db, [id])).map((s) => s.unitCode));
  const t = translator(lang);
  await db.transaction().execute(async (trx) => {
    for (const c of chosen) {
      if (have.has(c.unitCode)) continue;
      const sid = randomUUID();
      await repo.insertTask(trx, {
        id: sid,
        planId: c.id,
        parentTaskId: id,
        position: await repo.nextPosition(trx, c.id),
        content: task.content,
        responsible: t('plans:commune_responsible', { name: c.unitName }),
        coordinating: [],
        deadline: task.deadline,
        dueOn: task.dueOn,
        recurrence: task.recurrence,
        status: 'not_started',
        by: actor.username,
      });
      await audit(trx, actor, { action: 'create', entity: 'plan_task', entityId: sid, unitCode: c.unitCode, after: auditableTask((await repo.findTask(trx, sid))!) });
    }
  });
  return getTask(db, actor, id, today);
}

// ---- status: goals' live progress, the scorecard ----

/** Reads the coverage figures once per unit and day while a status is worked out. */
function figureReader(db: Kysely<DB>, actor: Actor) {
  const memo = new Map<string, Promise<unknown>>();
  const once = <T>(key: string, f: () => Promise<T>): Promise<T> => {
    if (!memo.has(key)) memo.set(key, f());
    return memo.get(key) as Promise<T>;
  };
  return {
    coverage: (unit: string, date: string) => once(`c:${unit}:${date}`, () => coverageOf(db, actor, unit, date)),
    expected: (unit: string, date: string, targetDate: string, report: CoverageReport) =>
      once(`e:${unit}:${date}:${targetDate}`, () => expectedParticipants(db, actor, { unit, date, targetDate, report })),
    trend: (unit: string, date: string) => once(`t:${unit}:${date}`, () => trend(db, actor, { unit, date, months: 6 })),
    pupils: (unit: string, date: string) => once(`p:${unit}:${date}`, () => pupils(db, actor, { unit, date })),
    vsi: (unit: string, date: string) => once(`v:${unit}:${date}`, () => vsiCoverageOf(db, actor, unit, { date })),
    vsiExpected: (unit: string, date: string, targetDate: string) =>
      once(`ve:${unit}:${date}:${targetDate}`, () => expectedVsiParticipants(db, actor, { unit, date, targetDate })),
  };
}
type Figures = ReturnType<typeof figureReader>;

/** The value of a metric for a unit on a day (a percentage in percent, a count in persons). */
async function valueOn(f: Figures, metric: GoalMetric, unit: string, date: string): Promise<number | null> {
  switch (metric) {
    case 'coverage_pct':
      return (await f.coverage(unit, date)).pctPopulation;
    case 'participants':
      return (await f.coverage(unit, date)).participants;
    case 'pupils_pct':
      return (await f.pupils(unit, date)).total.pct;
    case 'vsi_participants':
      return (await f.vsi(unit, date)).participants;
  }
}

/**
 * A goal's progress on `date`: the current value; the value projected to the goal's date (coverage and
 * participants: the coverage projection of the register, expiries and the observed renewal rate; voluntary
 * social insurance participants: the same projection over the periods; a unit without a register, and
 * pupils (covered by school year): the current value carried forward; a goal
 * whose date has passed: the value on that date); at risk when the projection falls short; the gap (goal
 * minus current, never below 0); the last 6 month ends (coverage metrics).
 */
async function goalStatus(f: Figures, unit: string, g: repo.GoalRow, date: string) {
  const goal = shownGoalValue(g.measure, g.value);
  const current = await valueOn(f, g.metric, unit, date);
  let projected: number | null = current;
  if (g.byDate <= date) projected = await valueOn(f, g.metric, unit, g.byDate);
  else if (g.metric === 'coverage_pct' || g.metric === 'participants') {
    const report = await f.coverage(unit, date);
    const e = await f.expected(unit, date, g.byDate, report);
    if (e) projected = g.metric === 'participants' ? e.expected : e.population ? pct2(e.expected, e.population) : null;
  } else if (g.metric === 'vsi_participants') projected = (await f.vsiExpected(unit, date, g.byDate)).expected;
  let points: { month: string; value: number | null }[] = [];
  if (g.metric === 'coverage_pct' || g.metric === 'participants') {
    const population = (await f.coverage(unit, date)).population;
    points = (await f.trend(unit, date)).points.map((p) => ({ month: p.month, value: g.metric === 'participants' ? p.participants : population ? pct2(p.participants, population) : null }));
  }
  return { ...goalView(g), current, projected, atRisk: atRisk(projected, goal), gap: current === null ? null : Math.max(0, round2(goal - current)), trend: points };
}
const round2 = (x: number) => Math.round(x * 100) / 100;

/**
 * The commune chairmen's scorecard of a provincial plan (seed 002: the chairman answers for the commune's
 * target): for its first coverage goal (coverage % or participants), per commune of the province the target
 * (the commune plan's goal; without one, the province's percentage or the commune's pro-rata share of the
 * count), the current value, the gap and the rank by how much of its target it reached.
 */
async function scorecard(db: Kysely<DB>, f: Figures, plan: repo.PlanRow, goals: repo.GoalRow[], date: string) {
  const goal = goals.find((g) => g.metric === 'coverage_pct' || g.metric === 'participants');
  if (plan.unitLevel !== 'province' || !goal) return { scorecard: null, communePlans: [] };
  const report = await f.coverage(plan.unitCode, date);
  const communes = report.children.filter((c) => c.level === 'commune');
  const children = await repo.listPlans(db, null, { parentId: plan.id });
  const childGoals = await repo.goalsOf(db, children.map((c) => c.id));
  const planOf = new Map(children.map((c) => [c.unitCode, c.id]));
  const shares = goal.measure === 'persons' ? splitProRata(goal.value, communes.map((c) => c.population ?? 0)) : null;
  const rows = communes.map((c, i) => {
    const pid = planOf.get(c.unit) ?? null;
    const own = pid ? childGoals.find((g) => g.planId === pid && g.metric === goal.metric) : undefined;
    const target = shownGoalValue(goal.measure, own ? own.value : shares ? shares[i] : goal.value);
    const current = goal.metric === 'coverage_pct' ? c.pctPopulation : c.participants;
    return { code: c.unit, name: c.name, planId: pid, target, current, gap: current === null ? null : round2(target - current), reached: current === null || target === 0 ? null : current / target };
  });
  const order = [...rows].filter((r) => r.reached !== null).sort((a, b) => b.reached! - a.reached! || compareVietnamese(a.name, b.name));
  const rank = new Map<string, number>();
  order.forEach((r, i) => rank.set(r.code, i > 0 && order[i - 1].reached === r.reached ? rank.get(order[i - 1].code)! : i + 1));
  const communesOut = rows
    .map(({ reached: _r, ...r }) => ({ ...r, rank: rank.get(r.code) ?? null }))
    .sort((a, b) => (a.rank ?? Infinity) - (b.rank ?? Infinity) || compareVietnamese(a.name, b.name));
  return {
    scorecard: { metric: goal.metric, measure: goal.measure, communes: communesOut },
    communePlans: children.map((c) => ({ id: c.id, unitCode: c.unitCode, unitName: c.unitName })).sort((a, b) => compareVietnamese(a.unitName, b.unitName)),
  };
}

/** The plan's status on `date` (default today): goals with live progress, tasks with overdue derived, the scorecard. */
export async function planStatus(db: Kysely<DB>, actor: Actor, id: string, query: { date?: string }, today: string) {
  const row = await visiblePlan(db, actor, id);
  const { date: asked } = parseInput(statusQuery, query);
  const date = asked ?? today;
  const goals = await repo.goalsOf(db, [id]);
  const f = figureReader(db, actor);
  const plan = await planView(db, actor, row, goals);
  const goalRows = [];
  for (const g of goals) goalRows.push(await goalStatus(f, row.unitCode, g, date));
  const tasks = await tasksWithSubs(db, await repo.tasksOf(db, [id]), date);
  return { plan, date, goals: goalRows, tasks, ...(await scorecard(db, f, row, goals, date)) };
}
export type PlanStatus = Awaited<ReturnType<typeof planStatus>>;

/**
 * The dashboard on `date`: per responsible unit, the overdue tasks and those due within 7 days, of every
 * plan the actor may read; and the goals at risk of the plans of the actor's own unit (for a national user,
 * the provincial plans); communes' shortfalls show on each provincial plan's scorecard.
 */
export async function dashboard(db: Kysely<DB>, actor: Actor, query: { date?: string }, today: string) {
  requirePermission(actor, PLANS_READ);
  const { date: asked } = parseInput(statusQuery, query);
  const date = asked ?? today;
  const plans = await repo.listPlans(db, actor.scopeCode);
  const byId = new Map(plans.map((p) => [p.id, p]));
  const tasks = (await repo.tasksOf(db, plans.map((p) => p.id))).map((t) => ({ ...taskView(t, date), planNumber: byId.get(t.planId)!.number, unitName: byId.get(t.planId)!.unitName }));
  const units = new Map<string, { responsible: string; overdue: typeof tasks; dueSoon: typeof tasks }>();
  for (const t of tasks) {
    if (!t.overdue && !t.dueSoon) continue;
    const u = units.get(t.responsible) ?? { responsible: t.responsible, overdue: [], dueSoon: [] };
    if (t.overdue) u.overdue.push(t);
    else u.dueSoon.push(t);
    units.set(t.responsible, u);
  }
  const own = plans.filter((p) => (actor.scopeCode === null ? p.unitLevel === 'province' : p.unitCode === actor.scopeCode));
  const goals = groupGoals(await repo.goalsOf(db, own.map((p) => p.id)));
  const f = figureReader(db, actor);
  const goalsAtRisk = [];
  for (const p of own)
    for (const g of goals.get(p.id) ?? []) {
      const s = await goalStatus(f, p.unitCode, g, date);
      if (s.atRisk) goalsAtRisk.push({ ...s, planId: p.id, planNumber: p.number, unitName: p.unitName });
    }
  return {
    date,
    units: [...units.values()].sort((a, b) => b.overdue.length - a.overdue.length || compareVietnamese(a.responsible, b.responsible)),
    goalsAtRisk,
  };
}
