import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { todayInVietnam } from '../../domain/dates';
import { importRegister, type ImportProgress } from './import.service';
import { loadDemo, writeDemoFile } from './demo.service';
import { AppError } from '../../errors';
import { formatDateVi } from '../../domain/dates';
import { formatVnd } from '../../domain/money';
import * as register from './register.service';

/** A one-line progress bar on stderr (only when it is a terminal or asked for). */
function progressBar(enabled: boolean) {
  let last = 0;
  return (p: ImportProgress) => {
    if (!enabled) return;
    const now = Date.now();
    if (p.phase === 'reading' && now - last < 200) return;
    last = now;
    const pct = p.totalBytes && p.bytesRead ? Math.min(100, Math.round((100 * p.bytesRead) / p.totalBytes)) : undefined;
    const width = 30;
    const filled = pct === undefined ? 0 : Math.round((pct / 100) * width);
    const bar = pct === undefined ? '' : `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${String(pct).padStart(3)}% `;
    process.stderr.write(`\r${bar}${p.rows.toLocaleString('vi-VN')} rows ${p.phase === 'applying' ? '(writing...)' : p.phase === 'done' ? 'done\n' : ''}   `);
  };
}

export function registerRegisterCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('import')
    .description('Import households, persons and cards from a .xlsx or .csv file in the register template (docs/import-format.md)')
    .argument('<file>', 'the .xlsx or .csv file')
    .option('--dry-run', 'report what would be inserted, updated, unchanged and rejected, and write nothing')
    .option('--valid-rows-only', 'write the good rows and report the others (default: one bad row and nothing is written)')
    .option('--json', 'print {"rows","inserted","updated","unchanged","rejected","errors":[{"row","column","value","message"}]}')
    .option('--no-progress', 'no progress bar')
    .action(async (file: string, opts: { dryRun?: boolean; validRowsOnly?: boolean; json?: boolean; progress: boolean }) => {
      const c = ctx();
      const report = await c.withDb((database) =>
        importRegister(database, c.actor, { path: file }, {
          dryRun: opts.dryRun,
          validRowsOnly: opts.validRowsOnly,
          language: c.lang,
          today: todayInVietnam(),
          onProgress: progressBar(opts.progress && process.stderr.isTTY),
        }),
      );
      const { rolledBack, ...result } = report;
      if (opts.json) c.json(result);
      else {
        c.out(c.t('cli.import_result', result));
        if (report.vsi) c.out(c.t('cli.import_vsi', { ...report.vsi }));
        for (const e of report.errors.slice(0, 50)) c.out(`  ${e.row}\t${e.column}\t${e.value}\t${e.message}`);
        if (report.errors.length > 50) c.out(`  ... ${report.errors.length - 50}`);
        if (opts.dryRun) c.out(c.t('cli.import_dry_run'));
        else if (rolledBack) c.out(c.t('cli.import_rolled_back'));
      }
      if (rolledBack && !opts.dryRun) process.exitCode = 2;
    });

  program
    .command('demo')
    .description('Generate a realistic, deterministic demo register for a province and import it (or write it to --out)')
    .option('--province <code>', 'province code', '15')
    .option('--persons <n>', 'number of persons', '200000')
    .option('--seed <n>', 'random seed: the same seed gives the same people', '1')
    .option('--out <file>', 'write the import file (CSV) instead of importing it')
    .option('--json', 'print the import result as JSON')
    .action(async (opts: { province: string; persons: string; seed: string; out?: string; json?: boolean }) => {
      const c = ctx();
      const persons = Number(opts.persons);
      const seed = Number(opts.seed);
      if (!Number.isInteger(persons) || persons < 1 || persons > 5_000_000)
        throw new AppError('validation', {}, [{ path: 'persons', key: 'too_big', params: { maximum: 5_000_000 } }]);
      if (!Number.isInteger(seed)) throw new AppError('validation', {}, [{ path: 'seed', key: 'invalid_type', params: { expected: 'integer' } }]);
      const options = { province: opts.province, persons, seed, today: todayInVietnam() };
      if (opts.out) {
        await c.withDb((database) => writeDemoFile(database, c.actor, options, opts.out!));
        return c.out(opts.out);
      }
      const report = await c.withDb((database) => loadDemo(database, c.actor, { ...options, onProgress: progressBar(process.stderr.isTTY) }));
      const { rolledBack: _r, ...result } = report;
      if (opts.json) c.json(result);
      else c.out(c.t('cli.import_result', result));
    });

  const vsi = program.command('vsi').description("A person's voluntary social insurance (BHXH tự nguyện) participation periods");
  const printPeriods = (c: CliContext, periods: Awaited<ReturnType<typeof register.listVsiPeriods>>) => {
    if (periods.length === 0) return c.out(c.t('cli.vsi_none'));
    for (const p of periods)
      c.out(
        c.t('cli.vsi_period', {
          id: p.id,
          from: formatDateVi(p.validFrom),
          to: formatDateVi(p.validTo),
          income: formatVnd(p.monthlyIncome),
          months: p.paymentMonths,
          source: c.t(`register:export.source.${p.source}`, { defaultValue: p.source }),
        }),
      );
  };
  vsi
    .command('add')
    .description('Record a period by hand: income from the rural poverty line to 20 x the base salary in force on --from, paid every 1, 3, 6 or 12 months')
    .requiredOption('--person <id>', "the person's id")
    .requiredOption('--from <YYYY-MM-DD>', 'first day')
    .requiredOption('--to <YYYY-MM-DD>', 'last day')
    .requiredOption('--income <dong>', 'monthly income chosen, whole dong')
    .option('--months <n>', 'payment period: 1, 3, 6 or 12 months', '1')
    .option('--json', 'print the stored period as JSON')
    .action(async (opts: { person: string; from: string; to: string; income: string; months: string; json?: boolean }) => {
      const c = ctx();
      const period = await c.withDb(({ db }) =>
        register.createVsiPeriod(db, c.actor, {
          personId: opts.person,
          validFrom: opts.from,
          validTo: opts.to,
          monthlyIncome: Number(opts.income),
          paymentMonths: Number(opts.months),
        }),
      );
      if (opts.json) return c.json(period);
      printPeriods(c, [period]);
    });
  vsi
    .command('list')
    .description("A person's periods, newest first")
    .requiredOption('--person <id>', "the person's id")
    .option('--json', 'print {items:[{id, personId, householdId, validFrom, validTo, monthlyIncome, paymentMonths, source}]}')
    .action(async (opts: { person: string; json?: boolean }) => {
      const c = ctx();
      const items = await c.withDb(({ db }) => register.listVsiPeriods(db, c.actor, { personId: opts.person }));
      if (opts.json) return c.json({ items });
      printPeriods(c, items);
    });
  vsi
    .command('delete')
    .description('Delete a period (audited)')
    .requiredOption('--id <id>', "the period's id")
    .action(async (opts: { id: string }) => {
      const c = ctx();
      await c.withDb(({ db }) => register.deleteVsiPeriod(db, c.actor, opts.id));
    });
}
