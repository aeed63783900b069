/**
 * `coverdesk transfer --to postgres://...`: the embedded database (the one the CLI opens: refused while the
 * server holds its folder) copied whole into an empty server database or schema, or with `--commune`
 * one commune's register merged into a province's server. Prints each table's rows on both sides and the
 * verdict; exit code 2 when the copy differs (nothing is then written).
 */
import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { loadConfig } from '../../config';
import { openDb } from '../../db/connect';
import { formatVnd } from '../../domain/money';
import { AppError } from '../../errors';
import { transferDatabase, type TransferTable } from './transfer.service';
import { mergeCommunes } from './transfer-merge.service';

interface TransferOptions {
  to: string;
  schema?: string;
  commune?: string[];
  registerOnly?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A database URL fit to print and to keep in the audit log: no password. */
export function printableUrl(url: string, schema?: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '';
    const shown = u.toString().replace(/^(postgres(?:ql)?:\/\/[^:@/]*):@/, '$1@');
    return schema ? `${shown} (schema ${schema})` : shown;
  } catch {
    return 'postgres://?';
  }
}

export function registerTransferCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('transfer')
    .description(
      'Copy this database (the embedded one) into an empty PostgreSQL database or schema and check the copy; with --commune, merge those communes\' register into a province server that has not held them',
    )
    .requiredOption('--to <url>', 'the server: postgres://user@host:5432/database (its password in the URL or in PGPASSWORD / ~/.pgpass)')
    .option('--schema <name>', 'a schema of that database to work in (made if missing; default: the URL\'s search_path)')
    .option('--commune <code>', 'merge only this commune\'s register into a server that holds other communes (repeat for several)', collect)
    .option('--register-only', 'merge the register even when the embedded database holds other data of the commune (it stays there)')
    .option('--json', 'print the report as JSON')
    .action(async (opts: TransferOptions) => {
      const c = ctx();
      if (!/^postgres(ql)?:\/\//.test(opts.to)) throw new AppError('validation', {}, [{ path: 'to', key: 'invalid_format' }]);
      if (opts.schema !== undefined && !/^[a-z_][a-z0-9_]*$/.test(opts.schema)) throw new AppError('validation', {}, [{ path: 'schema', key: 'invalid_format' }]);
      const config = loadConfig();
      const from = config.databaseUrl ? printableUrl(config.databaseUrl, config.databaseSchema) : config.dataDir;
      const to = printableUrl(opts.to, opts.schema);
      const n = new Intl.NumberFormat(c.lang === 'vi' ? 'vi-VN' : 'en-US');
      const printTables = (tables: TransferTable[]) => {
        c.out(c.t('transfer:cli.columns'));
        for (const t of tables) c.out(`${t.table} | ${n.format(t.source)} | ${n.format(t.target)} | ${c.t(t.same ? 'transfer:cli.same' : 'transfer:cli.differs')}`);
      };
      await c.withDb(async (source) => {
        const target = await openDb({ databaseUrl: opts.to, schema: opts.schema, migrate: false });
        try {
          if (opts.commune?.length) {
            const report = await mergeCommunes(source, target, c.actor, { communes: opts.commune, from, to, registerOnly: opts.registerOnly });
            if (!report.committed) process.exitCode = 2;
            if (opts.json) return c.json(report);
            printTables(report.tables);
            if (report.committed) {
              const rows = report.tables.filter((t) => !t.table.startsWith('coverage_month') && !t.table.startsWith('coverage_end_day')).reduce((s, t) => s + t.source, 0);
              c.out(c.t('transfer:cli.merged', { communes: report.communes.join(', '), to, rows: n.format(rows), villages: n.format(report.villages) }));
            } else {
              c.out(c.t('transfer:cli.not_merged', { to }));
              for (const d of report.differences) c.out(`  ${d}`);
            }
            if (report.leftBehind.length)
              c.out(c.t('transfer:cli.left_behind', { tables: report.leftBehind.map((r) => `${r.commune}: ${r.table} ${n.format(r.rows)}`).join('; ') }));
            return;
          }
          const report = await transferDatabase(source, target, c.actor, { from, to });
          if (!report.committed) process.exitCode = 2;
          if (opts.json) return c.json(report);
          printTables(report.tables);
          if (report.committed)
            c.out(
              c.t('transfer:cli.transferred', {
                tables: n.format(report.tables.length),
                rows: n.format(report.tables.reduce((s, t) => s + t.source, 0)),
                total: formatVnd(report.ledgerTotal),
                accounts: n.format(report.ledgerAccounts),
                to,
                migration: report.migration,
              }),
            );
          else {
            c.out(c.t('transfer:cli.not_transferred', { to }));
            for (const d of report.differences) c.out(`  ${d}`);
          }
        } finally {
          await target.close();
        }
      });
    });
}
