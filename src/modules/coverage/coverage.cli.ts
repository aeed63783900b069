import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { formatDateVi, todayInVietnam } from '../../domain/dates';
import type { Language } from '../../i18n/index';
import * as coverage from './coverage.service';
import { staleText } from './coverage.export';
import { vsiCoverageOf } from './vsi-coverage.service';
import { AppError } from '../../errors';

const pct = (v: number | null) => (v === null ? '-' : v.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const num = (v: number | null) => (v === null ? '-' : v.toLocaleString('vi-VN'));

/**
 * The JSON shape of the issue: the unit's figures and the same per child unit; with both sources as the
 * API gives them (the register's counts, the reported figures with their dates and staleness) and their
 * difference, whichever of them the headline numbers come from.
 */
export function coverageJson(r: coverage.CoverageReport) {
  const pick = (u: coverage.UnitCoverage) => ({
    unit: u.unit,
    name: u.name,
    date: u.date,
    population: u.population,
    participants: u.participants,
    plan: u.plan,
    pctPlan: u.pctPlan,
    pctPopulation: u.pctPopulation,
    yoyChange: u.yoyChange,
    byGroup: u.byGroup,
    expiring30: u.expiring30,
    sources: u.sources,
    register: u.register,
    reported: u.reported,
    difference: u.difference,
    stale: u.stale,
  });
  return { ...pick(r), children: r.children.map(pick) };
}

const signed = (v: number | null) => (v === null ? '-' : `${v > 0 ? '+' : ''}${num(v)}`);

/** The text output: a line per unit, each followed by both sources and their difference, and a warning for stale figures. */
export function coverageLines(report: coverage.CoverageReport, t: CliContext['t'], lang: Language): string[] {
  const out: string[] = [];
  for (const u of [report, ...report.children]) {
    const indent = u === report ? '' : '  ';
    out.push(`${indent}${t('cli.coverage_line', { name: u.name, participants: num(u.participants), pctPlan: pct(u.pctPlan), pctPopulation: pct(u.pctPopulation) })}`);
    if (u.register)
      out.push(`${indent}  ${t('cli.coverage_register', { participants: num(u.register.participants), population: num(u.register.population) })}`);
    if (u.reported)
      out.push(
        `${indent}  ${t('cli.coverage_reported', { date: formatDateVi(u.reported.dates.participants ?? u.reported.asOf), participants: num(u.reported.participants), population: num(u.reported.population), plan: num(u.reported.plan) })}`,
      );
    if (u.difference)
      out.push(`${indent}  ${t('cli.coverage_difference', { participants: signed(u.difference.participants), population: signed(u.difference.population) })}`);
    if (u.stale) out.push(`${indent}  ⚠ ${staleText(t, u, lang)}`);
  }
  return out;
}

export function registerCoverageCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('coverage')
    .description('Coverage of a unit on a date: participants against population and plan, year over year, by group, expiring cards; and each unit below it')
    .requiredOption('--unit <code>', 'province, commune or village code (e.g. 15)')
    .option('--date <YYYY-MM-DD>', 'the date (default today)')
    .option('--product <product>', 'bhyt (default) or bhxh-tn: voluntary social insurance participants on the date and new participants over --from/--to, against the plan')
    .option('--from <YYYY-MM-DD>', 'with --product bhxh-tn: first day of the period of new participants (default 1 January)')
    .option('--to <YYYY-MM-DD>', 'with --product bhxh-tn: last day of that period (default the date)')
    .option(
      '--json',
      'print {unit, date, population, participants, plan, pctPlan, pctPopulation, yoyChange, byGroup, expiring30, sources, register, reported, difference, stale, children:[...]}; with --product bhxh-tn {product, unit, name, date, from, to, participants, newParticipants, plan, pctPlan, children:[...]}',
    )
    .action(async (opts: { unit: string; date?: string; product?: string; from?: string; to?: string; json?: boolean }) => {
      const c = ctx();
      if (opts.product !== undefined && opts.product !== 'bhyt') {
        if (opts.product !== 'bhxh-tn') throw new AppError('validation', {}, [{ path: 'product', key: 'invalid_value', params: { options: 'bhyt, bhxh-tn' } }]);
        const vsi = await c.withDb(({ db }) => vsiCoverageOf(db, c.actor, opts.unit, { date: opts.date ?? todayInVietnam(), from: opts.from, to: opts.to }));
        if (opts.json) return c.json(vsi);
        for (const u of [vsi, ...vsi.children])
          c.out(
            `${u === vsi ? '' : '  '}${c.t('cli.vsi_line', { name: u.name, participants: num(u.participants), date: formatDateVi(vsi.date), from: formatDateVi(vsi.from), to: formatDateVi(vsi.to), new: num(u.newParticipants), plan: num(u.plan), pctPlan: pct(u.pctPlan) })}`,
          );
        return;
      }
      const report = await c.withDb(({ db }) => coverage.coverageOf(db, c.actor, opts.unit, opts.date ?? todayInVietnam()));
      if (opts.json) return c.json(coverageJson(report));
      for (const line of coverageLines(report, c.t, c.lang)) c.out(line);
    });
}
