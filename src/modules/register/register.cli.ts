import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { todayInVietnam } from '../../domain/dates';
import { importRegister, type ImportProgress } from './import.service';
import { loadDemo, writeDemoFile } from './demo.service';
import { AppError } from '../../errors';

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
}
