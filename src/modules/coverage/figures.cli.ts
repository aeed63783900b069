import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { formatDateVi, todayInVietnam } from '../../domain/dates';
import { AppError } from '../../errors';
import * as figures from './figures.service';
import { coverageField } from './figures.service';
import type { SetFiguresInput } from './figures.schemas';

/** A count option: '1475810' or '1.475.810'; refuses anything else naming the option. */
function count(value: string | undefined, field: string): number | undefined {
  if (value === undefined) return undefined;
  const n = figures.parseCount(value);
  if (n === undefined || Number.isNaN(n)) throw new AppError('validation', {}, [coverageField(field, 'not_a_count')]);
  return n;
}

/** A number option (a percent may have decimals: 95.5 or 95,5). */
function decimal(value: string, field: string): number {
  const text = value.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(text)) throw new AppError('validation', {}, [{ path: field, key: 'invalid_type', params: { expected: 'number' } }]);
  return Number(text);
}

/** --group GD=1200 --group HS=300 -> {GD: 1200, HS: 300} */
function groups(values: string[] | undefined): Record<string, number> | undefined {
  if (!values?.length) return undefined;
  const out: Record<string, number> = {};
  for (const v of values) {
    const [code, n] = v.split('=');
    if (!code?.trim() || n === undefined) throw new AppError('validation', {}, [{ path: 'group', key: 'invalid_format' }]);
    out[code.trim()] = count(n, `participantsByGroup.${code.trim()}`)!;
  }
  return out;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

function formatters(lang: 'vi' | 'en') {
  const n = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 2 });
  return {
    count: (v: number | null) => (v === null ? '-' : n.format(v)),
    percent: (v: number | null) => (v === null ? '-' : `${n.format(v)}%`),
    date: (iso: string) => (lang === 'vi' ? formatDateVi(iso) : iso),
  };
}

interface FiguresSetOptions {
  unit?: string;
  oldCode?: string;
  date: string;
  participants?: string;
  population?: string;
  plan?: string;
  planYear?: string;
  planDecision?: string;
  voluntarySi?: string;
  group?: string[];
  source?: string;
  note?: string;
  json?: boolean;
}

/** The request `figures set` makes from its options (exported for tests). */
export function figuresInputFromOptions(opts: FiguresSetOptions): SetFiguresInput {
  const input: SetFiguresInput = { asOf: opts.date };
  if (opts.unit !== undefined) input.unitCode = opts.unit;
  if (opts.oldCode !== undefined) input.oldCode = opts.oldCode;
  const set = <K extends keyof SetFiguresInput>(k: K, v: SetFiguresInput[K] | undefined) => {
    if (v !== undefined) input[k] = v;
  };
  set('participants', count(opts.participants, 'participants'));
  set('population', count(opts.population, 'population'));
  set('plan', count(opts.plan, 'plan'));
  set('planYear', count(opts.planYear, 'planYear'));
  set('voluntarySi', count(opts.voluntarySi, 'voluntarySi'));
  set('participantsByGroup', groups(opts.group));
  set('planDecision', opts.planDecision);
  set('source', opts.source);
  set('note', opts.note);
  return input;
}

/** `figures set|list|import` and `target set|list|staff|staff-list`. */
export function registerFiguresCommands(program: Command, ctx: () => CliContext): void {
  const fig = program.command('figures').description('Reported coverage figures per unit and date (counts from the social insurance system)');

  fig
    .command('set')
    .description('Set the figures of a unit on a date (upsert: options left out keep their stored value)')
    .option('--unit <code>', 'unit code, e.g. 15 for Lào Cai or 02905 for a commune (a pre-2025 commune code is taken as --old-code)')
    .option('--old-code <code>', "a pre-2025 commune's code: its participants and population count towards its new commune (with --unit: the new commune that holds this part of a split commune)")
    .requiredOption('--date <yyyy-mm-dd>', 'the date the figures are as of, e.g. 2025-10-31')
    .option('--participants <n>', 'participants in total')
    .option('--population <n>', 'population')
    .option('--plan <n>', 'plan target assigned for the year')
    .option('--plan-year <yyyy>', 'the year of the plan (default: the year of --date)')
    .option('--plan-decision <text>', 'the decision that assigned the plan, e.g. 462/QĐ-BHXH')
    .option('--voluntary-si <n>', 'voluntary social insurance participants')
    .option('--group <code=n>', 'participants of a participant group, e.g. --group GD=120000 (repeatable)', collect)
    .option('--source <text>', "where the figures come from, e.g. 'VSS report'")
    .option('--note <text>', 'a note')
    .option('--json', 'print the stored figures as JSON (with percentOfPlan, percentOfPopulation and warnings)')
    .action(async (opts: FiguresSetOptions) => {
      const c = ctx();
      const input = figuresInputFromOptions(opts);
      const saved = await c.withDb(({ db }) => figures.setFigures(db, c.actor, input, { language: c.lang }));
      if (opts.json) return c.json(saved);
      const f = formatters(c.lang);
      c.out(c.t('coverage:cli.figures_saved', { unit: `${saved.unitName} (${saved.unitCode})`, date: f.date(saved.asOf) }));
      if (saved.oldCode) c.out(c.t('coverage:cli.old_commune_saved', { old: `${saved.oldName} (${saved.oldCode})`, unit: `${saved.unitName} (${saved.unitCode})` }));
      c.out(figureLine(c, saved));
      for (const w of saved.warnings) c.out(c.t('coverage:cli.warning', { message: w.message }));
    });

  fig
    .command('list')
    .description('List the reported figures of a unit, oldest first')
    .requiredOption('--unit <code>', 'unit code')
    .option('--from <yyyy-mm-dd>', 'from this date (inclusive)')
    .option('--to <yyyy-mm-dd>', 'to this date (inclusive)')
    .option('--json', 'print JSON: an array of figures')
    .action(async (opts: { unit: string; from?: string; to?: string; json?: boolean }) => {
      const c = ctx();
      const list = await c.withDb(({ db }) => figures.listFigures(db, c.actor, { unit: opts.unit, from: opts.from, to: opts.to }));
      if (opts.json) return c.json(list);
      if (list.length === 0) return c.out(c.t('coverage:cli.no_figures'));
      for (const f of list) c.out(figureLine(c, f));
    });

  fig
    .command('import')
    .description("Import figures from a .xlsx or .csv file: 'Mã đơn vị', 'Ngày', 'Số người tham gia', 'Dân số', 'Chỉ tiêu', 'Số quyết định', group columns (GD, HS, ...); all or nothing")
    .argument('<file>', 'the .xlsx or .csv file')
    .option('--dry-run', 'check the file and report what would be added and updated, writing nothing')
    .option('--json', 'print {"rows","inserted","updated","rejected","errors":[{"row","column","value","message"}],"ignoredColumns","rolledBack"}')
    .action(async (file: string, opts: { dryRun?: boolean; json?: boolean }) => {
      const c = ctx();
      const report = await c.withDb(({ db }) => figures.importFigures(db, c.actor, file, { dryRun: opts.dryRun, language: c.lang }));
      if (opts.json) c.json(report);
      else {
        c.out(c.t('coverage:cli.import_result', { rows: report.rows, inserted: report.inserted, updated: report.updated, rejected: report.rejected }));
        if (report.ignoredColumns.length) c.out(c.t('coverage:cli.ignored_columns', { columns: report.ignoredColumns.join(', ') }));
        for (const e of report.errors.slice(0, 50)) c.out(`  ${e.row}\t${e.column}\t${e.value}\t${e.message}`);
        if (report.errors.length > 50) c.out(`  ... ${report.errors.length - 50}`);
        if (opts.dryRun) c.out(c.t('coverage:cli.import_dry_run'));
        else if (report.rolledBack) c.out(c.t('coverage:cli.import_rolled_back'));
      }
      if (report.rolledBack && !opts.dryRun) process.exitCode = 2;
    });

  const target = program.command('target').description('Coverage targets per unit and year, and recruitment targets per staff member');

  target
    .command('set')
    .description("Set a unit's coverage target for a year: --percent (of the population) or --participants")
    .requiredOption('--unit <code>', 'unit code')
    .requiredOption('--year <yyyy>', 'the year')
    .option('--percent <p>', 'a percentage of the population, e.g. 95')
    .option('--participants <n>', 'a number of participants')
    .option('--decision <text>', 'the decision that assigned the target')
    .option('--product <product>', "bhyt (default) or bhxh-tn: a plan of voluntary social insurance participants (with --participants)")
    .option('--json', 'print the stored target as JSON')
    .action(async (opts: { unit: string; year: string; percent?: string; participants?: string; decision?: string; product?: string; json?: boolean }) => {
      const c = ctx();
      if ((opts.percent === undefined) === (opts.participants === undefined))
        throw new AppError('validation', {}, [coverageField('percent', 'target_kind_required')]);
      const input =
        opts.percent !== undefined
          ? { kind: 'percent_population' as const, value: decimal(opts.percent, 'percent') }
          : { kind: 'participants' as const, value: count(opts.participants, 'participants')! };
      const saved = await c.withDb(({ db }) =>
        figures.setTarget(db, c.actor, {
          unitCode: opts.unit,
          year: count(opts.year, 'year')!,
          ...input,
          ...(opts.decision ? { decision: opts.decision } : {}),
          ...(opts.product ? { product: opts.product as 'bhyt' } : {}),
        }),
      );
      if (opts.json) return c.json(saved);
      c.out(targetLine(c, saved, 'target_saved'));
    });

  target
    .command('list')
    .description('List the coverage targets of a unit and the units directly under it (or of everything)')
    .option('--unit <code>', 'unit code')
    .option('--year <yyyy>', 'only this year')
    .option('--product <product>', 'bhyt (default) or bhxh-tn')
    .option('--json', 'print JSON: an array of targets')
    .action(async (opts: { unit?: string; year?: string; product?: string; json?: boolean }) => {
      const c = ctx();
      const list = await c.withDb(({ db }) =>
        figures.listTargets(db, c.actor, { unit: opts.unit, year: count(opts.year, 'year'), ...(opts.product ? { product: opts.product as 'bhyt' } : {}) }),
      );
      if (opts.json) return c.json(list);
      if (list.length === 0) return c.out(c.t('coverage:cli.no_targets'));
      for (const t of list) c.out(targetLine(c, t));
    });

  target
    .command('staff')
    .description("Set a staff member's recruitment target for a year")
    .requiredOption('--user <username>', 'the staff member')
    .requiredOption('--year <yyyy>', 'the year')
    .requiredOption('--participants <n>', 'participants to recruit')
    .option('--unit <code>', "the unit they recruit in (default: the member's own unit)")
    .option('--json', 'print the stored target as JSON')
    .action(async (opts: { user: string; year: string; participants: string; unit?: string; json?: boolean }) => {
      const c = ctx();
      const saved = await c.withDb(({ db }) =>
        figures.setStaffTarget(db, c.actor, {
          username: opts.user,
          year: count(opts.year, 'year')!,
          participants: count(opts.participants, 'participants')!,
          ...(opts.unit ? { unitCode: opts.unit } : {}),
        }),
      );
      if (opts.json) return c.json(saved);
      c.out(c.t('coverage:cli.staff_target_saved', { user: saved.username, year: saved.year, participants: formatters(c.lang).count(saved.participants) }));
    });

  target
    .command('staff-list')
    .description('Staff recruitment targets of a unit and the units directly under it (or of everything), with progress: participants recruited (cards entered by hand in the year), % of target, still missing')
    .option('--unit <code>', 'unit code')
    .option('--year <yyyy>', 'the year (default: this year)')
    .option('--json', 'print JSON: an array of staff targets with recruited, pct and missing')
    .action(async (opts: { unit?: string; year?: string; json?: boolean }) => {
      const c = ctx();
      const year = count(opts.year, 'year') ?? Number(todayInVietnam().slice(0, 4));
      const list = await c.withDb(({ db }) => figures.staffProgress(db, c.actor, { unit: opts.unit, year }));
      if (opts.json) return c.json(list);
      if (list.length === 0) return c.out(c.t('coverage:cli.no_targets'));
      const f = formatters(c.lang);
      c.out(c.t('coverage:cli.staff_progress_head', { year }));
      for (const s of list)
        c.out(
          c.t('coverage:cli.staff_progress_line', {
            user: s.username.padEnd(16),
            recruited: f.count(s.recruited).padStart(8),
            target: f.count(s.participants).padStart(8),
            pct: f.percent(s.pct).padStart(8),
            missing: f.count(s.missing),
            unit: s.unitCode ? `${s.unitName ?? ''} (${s.unitCode})` : '',
          }),
        );
    });
}

function figureLine(c: CliContext, fig: figures.Figure): string {
  const f = formatters(c.lang);
  return c.t('coverage:cli.figure_line', {
    date: f.date(fig.asOf),
    unit: `${fig.unitName} (${fig.unitCode})`,
    participants: f.count(fig.participants),
    plan: f.count(fig.plan),
    percentOfPlan: f.percent(fig.percentOfPlan),
    population: f.count(fig.population),
    percentOfPopulation: f.percent(fig.percentOfPopulation),
  });
}

function targetLine(c: CliContext, t: figures.Target, key: 'target_saved' | 'target_line' = 'target_line'): string {
  const f = formatters(c.lang);
  return c.t(`coverage:cli.${key}`, {
    year: t.year,
    unit: `${t.unitName} (${t.unitCode})`,
    value: f.count(t.value),
    kind: c.t(`coverage:kinds.${t.kind}`),
    decision: t.decision ? ` (${t.decision})` : '',
  });
}
