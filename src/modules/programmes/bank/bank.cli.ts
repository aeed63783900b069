/**
 * `bank-account add|list|mapping`, `bank-statement import|lines|match|undo|reconcile|report`: a
 * programme's bank transfers, the same services as the API, with --json everywhere.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../../../cli/context';
import { todayInVietnam } from '../../../domain/dates';
import { formatVnd } from '../../../domain/money';
import { AppError } from '../../../errors';
import { parseAmount } from '../programme/programme.cli';
import { confirmedRun } from '../programme/confirm.cli';
import * as bank from './bank.service';
import { reconciliationWorkbook } from './bank.report';

/** "date=Ngày GD,amount=Số tiền,description=Nội dung" -> a mapping. */
function parseMap(text: string | undefined): Record<string, string> | null {
  if (!text) return null;
  return Object.fromEntries(
    text
      .split(',')
      .map((p) => p.split('='))
      .filter((kv) => kv.length === 2)
      .map(([k, v]) => [k.trim(), v.trim()]),
  );
}

/** "PLEDGE:AMOUNT,PLEDGE:AMOUNT" -> the parts of a staff match. */
function parseParts(text: string) {
  return text.split(',').map((p) => {
    const [pledgeId, amount] = p.split(':');
    return { pledgeId: pledgeId.trim(), amount: parseAmount(amount ?? '', 'parts') };
  });
}

async function accountFor(c: CliContext, db: Parameters<typeof bank.listAccounts>[0], programmeId: string, given: string | undefined) {
  if (given) return given;
  const accounts = (await bank.listAccounts(db, c.actor, programmeId)).filter((a) => a.active);
  if (accounts.length !== 1) throw new AppError('validation', {}, [{ path: '--account', key: 'account_unknown', params: { ns: 'bank' } }]);
  return accounts[0].id;
}

export function registerBankCommands(program: Command, ctx: () => CliContext): void {
  const account = program.command('bank-account').description("A programme's receiving bank accounts (VietQR)");
  account
    .command('add')
    .description('Add a receiving account (bank by its NAPAS BIN, e.g. 970436 Vietcombank)')
    .requiredOption('--programme <id>', 'programme id')
    .requiredOption('--bin <bin>', "the bank's 6-digit NAPAS BIN")
    .requiredOption('--account <number>', 'account number')
    .requiredOption('--name <text>', 'account name as the bank writes it')
    .option('--map <fields>', 'own statement columns: date=...,amount=...,description=...,transactionId=...')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const a = await c.withDb(({ db }) =>
        bank.addAccount(db, c.actor, opts.programme, { bin: opts.bin, accountNumber: opts.account, accountName: opts.name, mapping: parseMap(opts.map) }),
      );
      if (opts.json) return c.json(a);
      c.out(c.t('bank:cli.account_added', { bank: a.bankName, account: a.accountNumber, id: a.id }));
    });
  account
    .command('list')
    .description("The programme's receiving accounts")
    .requiredOption('--programme <id>', 'programme id')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const items = await c.withDb(({ db }) => bank.listAccounts(db, c.actor, opts.programme));
      if (opts.json) return c.json(items);
      if (items.length === 0) return c.out(c.t('bank:cli.no_accounts'));
      for (const a of items) c.out([a.id, a.bankName, a.accountNumber, a.accountName].join(' | '));
    });
  account
    .command('mapping')
    .description("Set (or with no --map remove) an account's own statement columns")
    .requiredOption('--programme <id>', 'programme id')
    .requiredOption('--account <id>', 'account id')
    .option('--map <fields>', 'date=...,amount=...,description=...,transactionId=...')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const a = await c.withDb(({ db }) => bank.setMapping(db, c.actor, opts.programme, opts.account, { mapping: parseMap(opts.map) }));
      if (opts.json) return c.json(a);
      c.out(JSON.stringify(a.mapping));
    });

  const statement = program.command('bank-statement').description('Bank statements: import, match to pledges, reconcile');
  statement
    .command('import <file>')
    .description('Import a statement (.xlsx or .csv) of a receiving account; lines already imported are skipped; matched by reference')
    .requiredOption('--programme <id>', 'programme id')
    .option('--account <id>', 'account id (default: the programme has one)')
    .option('--layout <name>', 'vietcombank | vietinbank | bidv | agribank | techcombank | mb | generic | mapping (default: recognised)')
    .option('--json', 'print as JSON')
    .action(async (file: string, opts) => {
      const c = ctx();
      const buffer = fs.readFileSync(file);
      const format = file.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
      const r = await c.withDb(async ({ db }) =>
        bank.importStatement(db, c.actor, opts.programme, { accountId: await accountFor(c, db, opts.programme, opts.account), buffer, format, fileName: path.basename(file), layout: opts.layout ?? null }),
      );
      if (opts.json) return c.json(r);
      c.out(c.t('bank:cli.imported', { ...r }));
      if (r.outsidePeriod) c.out(c.t('bank:cli.outside_period', { count: r.outsidePeriod }));
    });
  statement
    .command('lines')
    .description('Statement lines with their matches, age and suggestions')
    .requiredOption('--programme <id>', 'programme id')
    .option('--unmatched', 'only lines not fully matched')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const items = await c.withDb(({ db }) => bank.listLines(db, c.actor, opts.programme, { unmatched: Boolean(opts.unmatched), today: todayInVietnam() }));
      if (opts.json) return c.json(items);
      for (const l of items)
        c.out(
          [l.id, l.bookedOn, formatVnd(l.amount), l.description, l.transactionId ?? '', formatVnd(l.matched), l.ageDays === null ? '' : c.t('bank:web.ageDays', { count: l.ageDays }), l.suggestions.map((s) => s.reference).join(' ')].join(' | '),
        );
    });
  statement
    .command('match')
    .description('Match a line to pledges by hand (a split: several PLEDGE:AMOUNT); moves money, asks to confirm')
    .requiredOption('--programme <id>', 'programme id')
    .requiredOption('--line <id>', 'statement line id')
    .requiredOption('--parts <list>', 'PLEDGE_ID:AMOUNT[,PLEDGE_ID:AMOUNT]')
    .option('--yes', 'confirm without asking')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const parts = parseParts(opts.parts);
      const r = await c.withDb(({ db }) =>
        confirmedRun(c, opts.yes, (confirm) => bank.matchByStaff(db, c.actor, opts.programme, opts.line, { parts, ...(confirm && confirm !== true ? { confirm } : {}) }), opts.json),
      );
      if (opts.json) return c.json(r);
      c.out(c.t('bank:cli.matched', { amount: formatVnd(r.matches.reduce((s, m) => s + m.amount, 0)), count: r.matches.length }));
    });
  statement
    .command('undo')
    .description('Undo a match: its receipt is reversed in the ledger; asks to confirm')
    .requiredOption('--programme <id>', 'programme id')
    .requiredOption('--match <id>', 'match id')
    .option('--yes', 'confirm without asking')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const r = await c.withDb(({ db }) => confirmedRun(c, opts.yes, (confirm) => bank.undoMatch(db, c.actor, opts.programme, opts.match, confirm), opts.json));
      if (opts.json) return c.json(r);
      c.out(c.t('bank:cli.undone', { id: r.id }));
    });
  statement
    .command('reconcile')
    .description('Match again, by reference, every line nothing is matched to')
    .requiredOption('--programme <id>', 'programme id')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const r = await c.withDb(({ db }) => bank.reconcile(db, c.actor, opts.programme));
      if (opts.json) return c.json(r);
      c.out(c.t('bank:cli.reconciled', r));
    });
  statement
    .command('report')
    .description('Reconciliation per day: statement total = matched + unmatched')
    .requiredOption('--programme <id>', 'programme id')
    .option('--xlsx <file>', 'also write it as a sheet')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const r = await c.withDb(async ({ db }) => {
        if (!opts.xlsx) return bank.reconciliationReport(db, c.actor, opts.programme);
        const made = await reconciliationWorkbook(db, c.actor, opts.programme, c.lang);
        fs.writeFileSync(opts.xlsx, made.buffer);
        return made.report;
      });
      if (opts.json) return c.json(r);
      for (const d of r.days) c.out(c.t('bank:cli.report_line', { ...d, total: formatVnd(d.total), matched: formatVnd(d.matched), unmatched: formatVnd(d.unmatched) }));
      c.out(c.t('bank:cli.report_total', { total: formatVnd(r.total), matched: formatVnd(r.matched), unmatched: formatVnd(r.unmatched), state: c.t(r.balanced ? 'bank:cli.balanced' : 'bank:cli.unbalanced') }));
    });
}
