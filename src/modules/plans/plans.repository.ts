/**
 * SQL of plans (issue 21): plans, their goals, tasks (with sub-tasks per commune), progress notes and
 * evidence files. Plain SQL on both engines; dates read as text, counts cast to int.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { communesServedBy } from '../../db/scope';
import type { GoalMeasure, GoalMetric, Recurrence, TaskStatus } from '../../domain/plans';

export interface PlanRow {
  id: string;
  unitCode: string;
  unitName: string;
  unitLevel: string;
  parentId: string | null;
  number: string;
  issuer: string | null;
  issuedOn: string;
  title: string;
  implements: string | null;
  createdBy: string;
  updatedAt: string;
}

export interface GoalRow {
  id: string;
  planId: string;
  metric: GoalMetric;
  measure: GoalMeasure;
  value: number;
  byDate: string;
  position: number;
}

export interface TaskRow {
  id: string;
  planId: string;
  parentTaskId: string | null;
  position: number;
  content: string;
  responsible: string;
  coordinating: string[];
  deadline: string;
  dueOn: string;
  recurrence: Recurrence;
  status: TaskStatus;
  lastNoteOn: string | null;
  files: number;
  updatedAt: string;
}

const planSelect = sql`select p.id, p.unit_code as "unitCode", u.name as "unitName", u.level as "unitLevel", p.parent_id as "parentId",
  p.number, p.issuer, p.issued_on::text as "issuedOn", p.title, p.implements, p.created_by as "createdBy", p.updated_at::text as "updatedAt"
  from plan p join unit u on u.code = p.unit_code`;

export async function findPlan(db: Kysely<DB>, id: string): Promise<PlanRow | undefined> {
  return (await sql<PlanRow>`${planSelect} where p.id = ${id}::uuid`.execute(db)).rows[0];
}

/** Plans of units in the scope (the unit, its communes, or the communes an office serves; null: all), latest first. */
export async function listPlans(db: Kysely<DB>, scope: string | null, filter: { parentId?: string } = {}): Promise<PlanRow[]> {
  const inScope = scope === null ? sql`true` : sql`(p.unit_code = ${scope} or u.parent_code = ${scope} or p.unit_code in (${communesServedBy(scope)}))`;
  const parent = filter.parentId ? sql`p.parent_id = ${filter.parentId}::uuid` : sql`true`;
  return (await sql<PlanRow>`${planSelect} where ${inScope} and ${parent} order by p.issued_on desc, u.level desc, u.name, p.number`.execute(db)).rows;
}

export async function insertPlan(db: Kysely<DB>, p: { id: string; unitCode: string; parentId: string | null; number: string; issuer: string | null; issuedOn: string; title: string; implements: string | null; by: string }) {
  await sql`insert into plan (id, unit_code, parent_id, number, issuer, issued_on, title, implements, created_by, updated_by)
    values (${p.id}::uuid, ${p.unitCode}, ${p.parentId}::uuid, ${p.number}, ${p.issuer}, ${p.issuedOn}::date, ${p.title}, ${p.implements}, ${p.by}, ${p.by})`.execute(db);
}

export async function updatePlan(db: Kysely<DB>, id: string, p: { number: string; issuer: string | null; issuedOn: string; title: string; implements: string | null; by: string }) {
  await sql`update plan set number = ${p.number}, issuer = ${p.issuer}, issued_on = ${p.issuedOn}::date, title = ${p.title}, implements = ${p.implements},
    updated_by = ${p.by}, updated_at = now() where id = ${id}::uuid`.execute(db);
}

export async function deletePlan(db: Kysely<DB>, id: string): Promise<void> {
  await sql`delete from plan where id = ${id}::uuid`.execute(db);
}

export async function numberTaken(db: Kysely<DB>, unitCode: string, number: string, exceptId: string | null): Promise<boolean> {
  const r = await sql<{ n: number }>`select count(*)::int as n from plan where unit_code = ${unitCode} and number = ${number} and id::text <> ${exceptId ?? ''}`.execute(db);
  return Number(r.rows[0].n) > 0;
}

export async function goalsOf(db: Kysely<DB>, planIds: string[]): Promise<GoalRow[]> {
  if (planIds.length === 0) return [];
  return (
    await sql<GoalRow>`select id, plan_id as "planId", metric, measure, value::int as value, by_date::text as "byDate", position
      from plan_goal where plan_id = any(${planIds}::uuid[]) order by plan_id, position`.execute(db)
  ).rows;
}

export async function setGoals(db: Kysely<DB>, planId: string, goals: { id: string; metric: GoalMetric; measure: GoalMeasure; value: number; byDate: string }[]) {
  await sql`delete from plan_goal where plan_id = ${planId}::uuid`.execute(db);
  for (const [i, g] of goals.entries())
    await sql`insert into plan_goal (id, plan_id, metric, measure, value, by_date, position)
      values (${g.id}::uuid, ${planId}::uuid, ${g.metric}, ${g.measure}, ${g.value}, ${g.byDate}::date, ${i + 1})`.execute(db);
}

const taskSelect = sql`select t.id, t.plan_id as "planId", t.parent_task_id as "parentTaskId", t.position, t.content, t.responsible, t.coordinating,
  t.deadline, t.due_on::text as "dueOn", t.recurrence, t.status, t.updated_at::text as "updatedAt",
  (select max(n.noted_on)::text from plan_task_note n where n.task_id = t.id) as "lastNoteOn",
  (select count(*)::int from plan_task_file f where f.task_id = t.id) as files
  from plan_task t`;

/** The tasks of the plans, in their order. */
export async function tasksOf(db: Kysely<DB>, planIds: string[]): Promise<TaskRow[]> {
  if (planIds.length === 0) return [];
  return (await sql<TaskRow>`${taskSelect} where t.plan_id = any(${planIds}::uuid[]) order by t.plan_id, t.position`.execute(db)).rows.map(fixTask);
}

/** The sub-tasks (in commune plans) of the tasks given. */
export async function subTasksOf(db: Kysely<DB>, taskIds: string[]): Promise<(TaskRow & { unitCode: string; unitName: string })[]> {
  if (taskIds.length === 0) return [];
  const r = await sql<TaskRow & { unitCode: string; unitName: string }>`select x.*, p.unit_code as "unitCode", u.name as "unitName" from (${taskSelect} where t.parent_task_id = any(${taskIds}::uuid[])) x
    join plan p on p.id = x."planId" join unit u on u.code = p.unit_code order by u.name`.execute(db);
  return r.rows.map(fixTask);
}

export async function findTask(db: Kysely<DB>, id: string): Promise<TaskRow | undefined> {
  const r = await sql<TaskRow>`${taskSelect} where t.id = ${id}::uuid`.execute(db);
  return r.rows[0] ? fixTask(r.rows[0]) : undefined;
}

const fixTask = <T extends TaskRow>(t: T): T => ({ ...t, files: Number(t.files), coordinating: t.coordinating ?? [] });

export async function nextPosition(db: Kysely<DB>, planId: string): Promise<number> {
  const r = await sql<{ n: number }>`select coalesce(max(position), 0)::int + 1 as n from plan_task where plan_id = ${planId}::uuid`.execute(db);
  return Number(r.rows[0].n);
}

export interface NewTask {
  id: string;
  planId: string;
  parentTaskId: string | null;
  position: number;
  content: string;
  responsible: string;
  coordinating: string[];
  deadline: string;
  dueOn: string;
  recurrence: Recurrence;
  status: TaskStatus;
  by: string;
}

export async function insertTask(db: Kysely<DB>, t: NewTask): Promise<void> {
  await sql`insert into plan_task (id, plan_id, parent_task_id, position, content, responsible, coordinating, deadline, due_on, recurrence, status, created_by, updated_by)
    values (${t.id}::uuid, ${t.planId}::uuid, ${t.parentTaskId}::uuid, ${t.position}, ${t.content}, ${t.responsible}, ${t.coordinating}::text[], ${t.deadline}, ${t.dueOn}::date,
      ${t.recurrence}, ${t.status}, ${t.by}, ${t.by})`.execute(db);
}

export async function updateTask(db: Kysely<DB>, id: string, t: Omit<NewTask, 'id' | 'planId' | 'parentTaskId' | 'position'>): Promise<void> {
  await sql`update plan_task set content = ${t.content}, responsible = ${t.responsible}, coordinating = ${t.coordinating}::text[], deadline = ${t.deadline},
    due_on = ${t.dueOn}::date, recurrence = ${t.recurrence}, status = ${t.status}, updated_by = ${t.by}, updated_at = now() where id = ${id}::uuid`.execute(db);
}

export async function deleteTask(db: Kysely<DB>, id: string): Promise<void> {
  await sql`delete from plan_task where id = ${id}::uuid`.execute(db);
}

export interface NoteRow {
  id: string;
  notedOn: string;
  note: string;
  createdBy: string;
}

export async function notesOf(db: Kysely<DB>, taskId: string): Promise<NoteRow[]> {
  return (
    await sql<NoteRow>`select id, noted_on::text as "notedOn", note, created_by as "createdBy" from plan_task_note where task_id = ${taskId}::uuid order by noted_on, created_at`.execute(db)
  ).rows;
}

export async function insertNote(db: Kysely<DB>, n: { id: string; taskId: string; notedOn: string; note: string; by: string }): Promise<void> {
  await sql`insert into plan_task_note (id, task_id, noted_on, note, created_by) values (${n.id}::uuid, ${n.taskId}::uuid, ${n.notedOn}::date, ${n.note}, ${n.by})`.execute(db);
}

export interface FileRow {
  id: string;
  name: string;
  type: string;
  size: number;
  createdBy: string;
}

export async function filesOf(db: Kysely<DB>, taskId: string): Promise<FileRow[]> {
  const r = await sql<FileRow>`select id, name, type, length(data)::int as size, created_by as "createdBy" from plan_task_file where task_id = ${taskId}::uuid order by created_at, name`.execute(db);
  return r.rows.map((f) => ({ ...f, size: Number(f.size) }));
}

export async function insertFile(db: Kysely<DB>, f: { id: string; taskId: string; name: string; type: string; data: Buffer; by: string }): Promise<void> {
  await sql`insert into plan_task_file (id, task_id, name, type, data, created_by) values (${f.id}::uuid, ${f.taskId}::uuid, ${f.name}, ${f.type}, ${f.data}, ${f.by})`.execute(db);
}

export async function findFile(db: Kysely<DB>, taskId: string, fileId: string): Promise<{ name: string; type: string; data: Buffer } | undefined> {
  return (await sql<{ name: string; type: string; data: Buffer }>`select name, type, data from plan_task_file where task_id = ${taskId}::uuid and id = ${fileId}::uuid`.execute(db)).rows[0];
}

export async function deleteFile(db: Kysely<DB>, taskId: string, fileId: string): Promise<void> {
  await sql`delete from plan_task_file where task_id = ${taskId}::uuid and id = ${fileId}::uuid`.execute(db);
}
