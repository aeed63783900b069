/**
 * CLI of plans (issue 21): `plan add|list|status|cascade|report|tasks-export|tasks-import|delete` and
 * `task add|set|note|split|attach`. Goals are given as `metric=value@YYYY-MM-DD` (repeat --goal), e.g.
 * `--goal coverage_pct=95@2026-12-31 --goal participants=580000@2026-12-31`. `--json` prints the objects.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { formatDateVi, todayInVietnam } from '../../domain/dates';
import { deadlineText, parseGoalText } from '../../domain/plans';
import { validationError } from '../../errors';
import * as plans from './plans.service';
import { planReportPdf, planReportWorkbook } from './plans.report';
import { exportTasks, importTasks } from './plans.tasks-table';

const collect = (value: string, previous: string[]) => [...previous, value];
const list = (text?: string) => (text ? text.split(/[;,]/).map((s) => s.trim()).filter(Boolean) : undefined);

/** '--goal coverage_pct=95@2026-12-31' values -> the goals (a bad one named). */
export function parseGoals(values: string[]) {
  return values.map((v, i) => {
    const g = parseGoalText(v);
    if (!g) throw validationError([plans.planField(`goals.${i}`, 'goal_format', { value: v })]);
    return g;
  });
}

export function registerPlanCommands(program: Command, ctx: () => CliContext): void {
  const plan = program.command('plan').description('Plans (kế hoạch) with goals (chỉ tiêu) and tasks (nhiệm vụ)');
  plan
    .command('add')
    .description('Create a plan of a province or commune')
    .requiredOption('--number <number>', 'e.g. 15-KH/TU')
    .requiredOption('--unit <code>', 'a province or commune code, e.g. 15')
    .requiredOption('--date <date>', 'the day it was issued (YYYY-MM-DD)')
    .requiredOption('--title <title>', 'its title')
    .option('--issuer <name>', 'who issued it, e.g. Tỉnh ủy Lào Cai')
    .option('--implements <document>', 'the document it implements, e.g. 52-CT/TW')
    .option('--goal <metric=value@date>', 'a goal (repeat): coverage_pct, participants, pupils_pct, vsi_participants', collect, [])
    .option('--json', 'print the plan as JSON')
    .action(async (opts: { number: string; unit: string; date: string; title: string; issuer?: string; implements?: string; goal: string[]; json?: boolean }) => {
      const c = ctx();
      const goals = parseGoals(opts.goal);
      const saved = await c.withDb(({ db }) =>
        plans.createPlan(db, c.actor, { unitCode: opts.unit, number: opts.number, issuedOn: opts.date, title: opts.title, issuer: opts.issuer, implements: opts.implements, goals }),
      );
      if (opts.json) return c.json(saved);
      c.out(c.t('plans:cli.saved', { number: saved.number, id: saved.id }));
    });
  plan
    .command('list')
    .description('Plans you see')
    .option('--json', 'print as JSON')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      const rows = await c.withDb(({ db }) => plans.listPlans(db, c.actor));
      if (opts.json) return c.json(rows);
      if (rows.length === 0) return c.out(c.t('plans:cli.none'));
      for (const r of rows) c.out(`${r.id}  ${r.number}  ${formatDateVi(r.issuedOn)}  ${r.unitName}  ${r.title}`);
    });
  plan
    .command('status')
    .description('A plan on a day: goals with current, projected and at risk; tasks with status and overdue')
    .requiredOption('--id <id>', 'the plan')
    .option('--date <date>', 'the day (default today)')
    .option('--json', 'print as JSON: {plan, date, goals: [{metric, value, byDate, current, projected, atRisk, ...}], tasks: [{status, overdue, ...}], scorecard}')
    .action(async (opts: { id: string; date?: string; json?: boolean }) => {
      const c = ctx();
      const s = await c.withDb(({ db }) => plans.planStatus(db, c.actor, opts.id, opts.date ? { date: opts.date } : {}, todayInVietnam()));
      if (opts.json) return c.json(s);
      c.out(`${s.plan.number} ${s.plan.title} (${s.plan.unitName}, ${formatDateVi(s.date)})`);
      for (const g of s.goals)
        c.out(`${g.atRisk ? '!' : ' '} ${c.t(`plans:metrics.${g.metric}`)}: ${g.value} @ ${formatDateVi(g.byDate)}; ${c.t('plans:report.current')} ${g.current ?? '–'}; ${c.t('plans:report.projected')} ${g.projected ?? '–'}`);
      for (const x of s.tasks)
        c.out(`${x.overdue ? '!' : ' '} ${x.no}. ${x.content} [${x.responsible}; ${deadlineText(x.deadline, x.recurrence, c.lang)}; ${c.t(`plans:statuses.${x.status}`)}]`);
    });
  plan
    .command('cascade')
    .description('Cascade a provincial plan to commune plans')
    .requiredOption('--id <id>', 'the provincial plan')
    .option('--communes <codes>', 'commune codes (default: every commune without one yet)')
    .option('--json', 'print the commune plans as JSON')
    .action(async (opts: { id: string; communes?: string; json?: boolean }) => {
      const c = ctx();
      const made = await c.withDb(({ db }) => plans.cascadePlan(db, c.actor, opts.id, { communes: list(opts.communes) }, todayInVietnam()));
      if (opts.json) return c.json(made);
      c.out(c.t('plans:cli.cascaded', { n: made.length }));
    });
  plan
    .command('report')
    .description('Write the plan status report (.pdf or .xlsx by the file’s extension)')
    .requiredOption('--id <id>', 'the plan')
    .requiredOption('--out <file>', 'report.pdf or report.xlsx')
    .option('--date <date>', 'the day (default today)')
    .action(async (opts: { id: string; out: string; date?: string }) => {
      const c = ctx();
      const q = opts.date ? { date: opts.date } : {};
      const bytes = await c.withDb(async ({ db }) =>
        opts.out.toLowerCase().endsWith('.pdf') ? (await planReportPdf(db, c.actor, opts.id, q, todayInVietnam(), c.lang)).pdf : (await planReportWorkbook(db, c.actor, opts.id, q, todayInVietnam(), c.lang)).buffer,
      );
      fs.writeFileSync(opts.out, bytes);
      c.out(c.t('plans:cli.written', { file: opts.out }));
    });
  plan
    .command('tasks-export')
    .description('Write the task table (.xlsx: STT, Nội dung, Đơn vị chủ trì, Đơn vị phối hợp, Thời gian hoàn thành)')
    .requiredOption('--id <id>', 'the plan')
    .requiredOption('--out <file>', 'tasks.xlsx')
    .action(async (opts: { id: string; out: string }) => {
      const c = ctx();
      const { buffer } = await c.withDb(({ db }) => exportTasks(db, c.actor, opts.id, todayInVietnam(), c.lang));
      fs.writeFileSync(opts.out, buffer);
      c.out(c.t('plans:cli.written', { file: opts.out }));
    });
  plan
    .command('tasks-import')
    .description('Import a task table (.xlsx) into the plan: all rows or none')
    .requiredOption('--id <id>', 'the plan')
    .requiredOption('--file <file>', 'tasks.xlsx')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { id: string; file: string; json?: boolean }) => {
      const c = ctx();
      const r = await c.withDb(({ db }) => importTasks(db, c.actor, opts.id, path.resolve(opts.file), todayInVietnam(), c.lang));
      if (opts.json) return c.json(r);
      c.out(c.t('plans:cli.imported', { n: r.imported }));
    });
  plan
    .command('delete <id>')
    .description('Delete a plan (its tasks and commune plans)')
    .action(async (id: string) => {
      const c = ctx();
      await c.withDb(({ db }) => plans.deletePlan(db, c.actor, id));
      c.out(c.t('plans:cli.deleted', { id }));
    });

  const task = program.command('task').description('Tasks (nhiệm vụ) of plans');
  task
    .command('add')
    .description('Add a task to a plan')
    .requiredOption('--plan <id>', 'the plan')
    .requiredOption('--content <text>', 'what is to be done')
    .requiredOption('--responsible <unit>', 'the responsible unit (đơn vị chủ trì)')
    .requiredOption('--deadline <day-or-month>', 'YYYY-MM-DD, or YYYY-MM for "done in that month"')
    .option('--coordinating <units>', 'coordinating units, separated by ; or ,')
    .option('--recurrence <none|monthly|quarterly>', 'a recurring report', 'none')
    .option('--json', 'print the task as JSON')
    .action(async (opts: { plan: string; content: string; responsible: string; deadline: string; coordinating?: string; recurrence: string; json?: boolean }) => {
      const c = ctx();
      const saved = await c.withDb(({ db }) =>
        plans.addTask(db, c.actor, opts.plan, { content: opts.content, responsible: opts.responsible, deadline: opts.deadline, coordinating: list(opts.coordinating) ?? [], recurrence: opts.recurrence as 'none' }, todayInVietnam()),
      );
      if (opts.json) return c.json(saved);
      c.out(c.t('plans:cli.task_saved', { no: saved.no, id: saved.id }));
    });
  task
    .command('set <id>')
    .description('Change a task')
    .option('--status <not_started|in_progress|done>', 'its status')
    .option('--deadline <day-or-month>', 'a new deadline')
    .option('--content <text>', 'new content')
    .option('--responsible <unit>', 'the responsible unit')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, opts: { status?: string; deadline?: string; content?: string; responsible?: string; json?: boolean }) => {
      const c = ctx();
      const saved = await c.withDb(({ db }) =>
        plans.updateTask(db, c.actor, id, { status: opts.status as 'done' | undefined, deadline: opts.deadline, content: opts.content, responsible: opts.responsible }, todayInVietnam()),
      );
      if (opts.json) return c.json(saved);
      c.out(c.t('plans:cli.task_saved', { no: saved.no, id: saved.id }));
    });
  task
    .command('note <id>')
    .description('Add a progress note (a recurring task’s report)')
    .requiredOption('--text <text>', 'the note')
    .option('--date <date>', 'its day (default today)')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, opts: { text: string; date?: string; json?: boolean }) => {
      const c = ctx();
      const saved = await c.withDb(({ db }) => plans.addNote(db, c.actor, id, { note: opts.text, notedOn: opts.date }, todayInVietnam()));
      if (opts.json) return c.json(saved);
      c.out(c.t('plans:cli.task_saved', { no: saved.no, id: saved.id }));
    });
  task
    .command('split <id>')
    .description('Split a provincial task into sub-tasks of the commune plans')
    .option('--communes <codes>', 'commune codes (default: every commune plan)')
    .option('--json', 'print the task as JSON')
    .action(async (id: string, opts: { communes?: string; json?: boolean }) => {
      const c = ctx();
      const saved = await c.withDb(({ db }) => plans.splitTask(db, c.actor, id, { communes: list(opts.communes) }, todayInVietnam(), c.lang));
      if (opts.json) return c.json(saved);
      c.out(c.t('plans:cli.task_saved', { no: saved.no, id: saved.id }));
    });
  task
    .command('attach <id>')
    .description('Attach an evidence file (JPEG, PNG or PDF, at most 10 MB)')
    .requiredOption('--file <file>', 'the file')
    .action(async (id: string, opts: { file: string }) => {
      const c = ctx();
      const data = fs.readFileSync(opts.file);
      const saved = await c.withDb(({ db }) => plans.attachFile(db, c.actor, id, { name: path.basename(opts.file), data }, todayInVietnam()));
      c.out(c.t('plans:cli.task_saved', { no: saved.no, id: saved.id }));
    });
}
