/**
 * CLI of the local support simulator (issue 21 item 5): `simulate` (what a top-up would cost and buy),
 * `scenario save|list|show|adopt|approve|delete|report`. `--json` prints the objects the API returns.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { formatDateVi, todayInVietnam } from '../../domain/dates';
import { formatVnd } from '../../domain/money';
import * as simulator from './simulator.service';
import { scenariosPdf, scenariosWorkbook } from './simulator.report';
import type { SimulateInput } from './simulator.schemas';

interface SimOpts {
  unit: string;
  group: string;
  topUpPct?: string;
  topUpAmount?: string;
  communes?: string;
  from: string;
  months: string;
  takeUp?: string;
  json?: boolean;
}

/** Numbers as typed ('30', '12.5'); what is not a number is passed on for the validation to name. */
const num = (s: string | undefined) => (s === undefined ? undefined : s.trim() !== '' && Number.isFinite(Number(s)) ? Number(s) : (s as unknown as number));

const inputOf = (o: SimOpts): SimulateInput => ({
  unitCode: o.unit,
  group: o.group as SimulateInput['group'],
  ...(o.topUpPct !== undefined ? { topUpPct: num(o.topUpPct) } : {}),
  ...(o.topUpAmount !== undefined ? { topUpAmount: num(o.topUpAmount) } : {}),
  ...(o.communes !== undefined ? { communes: o.communes.split(',').map((s) => s.trim()).filter(Boolean) } : {}),
  from: o.from,
  months: num(o.months)!,
  ...(o.takeUp !== undefined ? { takeUpPct: num(o.takeUp) } : {}),
});

const simOptions = (cmd: Command) =>
  cmd
    .requiredOption('--unit <code>', 'a province or commune code, e.g. 15')
    .requiredOption('--group <group>', 'elderly_60_79 | near_poor | ethnic_minority | pupils | communes')
    .option('--top-up-pct <pct>', 'top-up as a percent of the premium, e.g. 30')
    .option('--top-up-amount <dong>', 'top-up as dong per person per year, e.g. 300000')
    .option('--communes <codes>', 'for --group communes: commune codes, comma-separated')
    .requiredOption('--from <date>', 'first day the support applies (YYYY-MM-DD)')
    .requiredOption('--months <n>', 'months it applies, 1-60')
    .option('--take-up <pct>', 'percent of the uncovered it reaches expected to join (default: from the register)')
    .option('--json', 'print as JSON');

export function registerSimulatorCommands(program: Command, ctx: () => CliContext): void {
  simOptions(program.command('simulate').description('Local support simulator: what a provincial top-up of the BHYT premium for a group would cost and buy')).action(async (opts: SimOpts) => {
    const c = ctx();
    const r = await c.withDb(({ db }) => simulator.simulate(db, c.actor, inputOf(opts), todayInVietnam(), c.lang));
    if (opts.json) return c.json(r);
    const f = (k: string) => c.t(`simulator:figures.${k}`);
    c.out(`${r.unitName} · ${r.groupName} · ${formatDateVi(r.from)} (${r.months})`);
    c.out(`${f('persons')}: ${r.persons}`);
    c.out(`${f('covered')}: ${r.covered} (${r.coveragePctBefore} %)`);
    c.out(`${f('statePaid')}: ${r.statePaid}`);
    c.out(`${f('budgetCost')}: ${formatVnd(r.budgetCost)}`);
    c.out(`${f('takeUpPct')}: ${r.takeUpPct} %`);
    c.out(`${f('expectedNew')}: ${r.expectedNew}`);
    c.out(`${f('coveragePctAfter')}: ${r.coveragePctAfter} %`);
    c.out(`${f('costPerExtraPerson')}: ${r.costPerExtraPerson === null ? '-' : formatVnd(r.costPerExtraPerson)}`);
  });

  const scenario = program.command('scenario').description('Saved simulator scenarios (up to 3 per unit), their adoption as a local-support rule and its approval');
  simOptions(scenario.command('save').description('Simulate and save a scenario').requiredOption('--name <name>', 'the scenario’s name')).action(async (opts: SimOpts & { name: string }) => {
    const c = ctx();
    const s = await c.withDb(({ db }) => simulator.saveScenario(db, c.actor, { ...inputOf(opts), name: opts.name }, todayInVietnam(), c.lang));
    if (opts.json) return c.json(s);
    c.out(c.t('simulator:cli.saved', { name: s.name, id: s.id }));
  });
  scenario
    .command('list')
    .description('The saved scenarios of a unit')
    .requiredOption('--unit <code>', 'a province or commune code')
    .option('--json', 'print as JSON')
    .action(async (opts: { unit: string; json?: boolean }) => {
      const c = ctx();
      const rows = await c.withDb(({ db }) => simulator.listScenarios(db, c.actor, opts.unit));
      if (opts.json) return c.json(rows);
      if (rows.length === 0) return c.out(c.t('simulator:cli.none'));
      for (const s of rows) {
        const status = s.rule ? ` [${s.rule.status}${s.rule.decision ? ` ${s.rule.decision}` : ''}]` : '';
        c.out(`${s.id}  ${s.name}  ${s.result.groupName}  ${formatVnd(s.result.budgetCost)}  +${s.result.expectedNew}${status}`);
      }
    });
  scenario
    .command('adopt')
    .description('Adopt a scenario: makes a draft local-support rule (it prices nothing until approved)')
    .requiredOption('--id <id>', 'the scenario')
    .option('--json', 'print as JSON')
    .action(async (opts: { id: string; json?: boolean }) => {
      const c = ctx();
      const s = await c.withDb(({ db }) => simulator.adoptScenario(db, c.actor, opts.id, c.lang));
      if (opts.json) return c.json(s);
      c.out(c.t('simulator:cli.adopted', { id: s.rule?.id }));
    });
  scenario
    .command('approve')
    .description('Approve an adopted scenario’s draft rule: the decision’s number becomes its source; it applies from --from')
    .requiredOption('--rule <id>', 'the draft rule (from `scenario adopt`)')
    .requiredOption('--decision <number>', 'the approving decision, e.g. 25/2025/NQ-HĐND')
    .requiredOption('--from <date>', 'the day it applies from (YYYY-MM-DD)')
    .option('--json', 'print as JSON')
    .action(async (opts: { rule: string; decision: string; from: string; json?: boolean }) => {
      const c = ctx();
      const r = await c.withDb(({ db }) => simulator.approveRule(db, c.actor, opts.rule, { decision: opts.decision, from: opts.from }));
      if (opts.json) return c.json(r);
      c.out(c.t('simulator:cli.approved', { id: r.id, decision: r.decision, from: formatDateVi(r.from) }));
    });
  scenario
    .command('edit-rule')
    .description('Edit an adopted scenario’s draft rule before its approval (an approved rule cannot be changed)')
    .requiredOption('--rule <id>', 'the draft rule (from `scenario adopt`)')
    .option('--top-up-pct <pct>', 'the top-up as a % of each member’s premium', Number)
    .option('--top-up-amount <dong>', 'the top-up as an amount per person per year', Number)
    .option('--from <date>', 'the first day (YYYY-MM-DD)')
    .option('--months <n>', 'months it runs', Number)
    .option('--communes <codes>', 'the communes it is limited to, comma-separated (empty: the whole province)')
    .option('--source <text>', 'the source (legal basis)')
    .option('--json', 'print as JSON')
    .action(async (opts: { rule: string; topUpPct?: number; topUpAmount?: number; from?: string; months?: number; communes?: string; source?: string; json?: boolean }) => {
      const c = ctx();
      const input = {
        ...(opts.topUpPct !== undefined ? { topUpPct: opts.topUpPct } : {}),
        ...(opts.topUpAmount !== undefined ? { topUpAmount: opts.topUpAmount } : {}),
        ...(opts.from !== undefined ? { from: opts.from } : {}),
        ...(opts.months !== undefined ? { months: opts.months } : {}),
        ...(opts.communes !== undefined ? { communes: opts.communes.split(',').map((x) => x.trim()).filter(Boolean) } : {}),
        ...(opts.source !== undefined ? { source: opts.source } : {}),
      };
      const r = await c.withDb(({ db }) => simulator.editRule(db, c.actor, opts.rule, input, todayInVietnam(), c.lang));
      if (opts.json) return c.json(r);
      const topUp = r.topUpPct !== null ? `${r.topUpPct} %` : formatVnd(r.topUpAmount ?? 0);
      c.out(c.t('simulator:cli.edited', { id: r.id, topUp, from: formatDateVi(r.from), months: r.months }));
    });
  scenario
    .command('delete')
    .description('Delete a saved scenario (a rule made from it stays)')
    .requiredOption('--id <id>', 'the scenario')
    .action(async (opts: { id: string }) => {
      const c = ctx();
      await c.withDb(({ db }) => simulator.deleteScenario(db, c.actor, opts.id));
      c.out(c.t('simulator:cli.deleted'));
    });
  scenario
    .command('report')
    .description('The saved scenarios of a unit side by side: a table (.xlsx) or a one-page brief (PDF)')
    .requiredOption('--unit <code>', 'a province or commune code')
    .requiredOption('--out <file>', 'file to write (.xlsx or .pdf)')
    .action(async (opts: { unit: string; out: string }) => {
      const c = ctx();
      const pdf = opts.out.toLowerCase().endsWith('.pdf');
      const bytes = await c.withDb(async ({ db }) =>
        pdf ? (await scenariosPdf(db, c.actor, opts.unit, todayInVietnam(), c.lang)).pdf : (await scenariosWorkbook(db, c.actor, opts.unit, todayInVietnam(), c.lang)).buffer,
      );
      fs.writeFileSync(opts.out, bytes);
      c.out(opts.out);
    });
}
