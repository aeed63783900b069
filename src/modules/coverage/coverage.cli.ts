import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { todayInVietnam } from '../../domain/dates';
import * as coverage from './coverage.service';

const pct = (v: number | null) => (v === null ? '-' : v.toLocaleString('vi-VN', { minimumFractionDigits: 2, maximumFractionDigits: 2 }));
const num = (v: number | null) => (v === null ? '-' : v.toLocaleString('vi-VN'));

/** The JSON shape of the issue: the unit's figures and the same per child unit. */
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
  });
  return { ...pick(r), children: r.children.map(pick) };
}

export function registerCoverageCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('coverage')
    .description('Coverage of a unit on a date: participants against population and plan, year over year, by group, expiring cards; and each unit below it')
    .requiredOption('--unit <code>', 'province, commune or village code (e.g. 15)')
    .option('--date <YYYY-MM-DD>', 'the date (default today)')
    .option('--json', 'print {unit, date, population, participants, plan, pctPlan, pctPopulation, yoyChange, byGroup, expiring30, children:[...]}')
    .action(async (opts: { unit: string; date?: string; json?: boolean }) => {
      const c = ctx();
      const report = await c.withDb(({ db }) => coverage.coverageOf(db, c.actor, opts.unit, opts.date ?? todayInVietnam()));
      if (opts.json) return c.json(coverageJson(report));
      for (const u of [report, ...report.children])
        c.out(
          `${u === report ? '' : '  '}${c.t('cli.coverage_line', { name: u.name, participants: num(u.participants), pctPlan: pct(u.pctPlan), pctPopulation: pct(u.pctPopulation) })}`,
        );
    });
}
