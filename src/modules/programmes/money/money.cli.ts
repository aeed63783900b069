/**
 * `donor add|list`, `pledge add|confirm`, `receipt add`, `refund add`, `ledger --programme ID`: a
 * programme's money, the same services as the API, with --json everywhere.
 */
import type { Command } from 'commander';
import type { CliContext } from '../../../cli/context';
import { todayInVietnam } from '../../../domain/dates';
import { formatVnd } from '../../../domain/money';
import * as money from './donors.service';
import { readLedger } from '../programme/ledger.service';
import { integer, parseAmount } from '../programme/programme.cli';
import { confirmedRun } from '../programme/confirm.cli';

export function registerMoneyCommands(program: Command, ctx: () => CliContext): void {
  const vnd = (n: number) => formatVnd(n);

  // -------------------------------------------------------------------------------------------- donor
  const donor = program.command('donor').description('Donors (nhà hảo tâm): organisations, businesses, individuals, collectives of officials');
  donor
    .command('add')
    .description('Add a donor kept by a unit')
    .requiredOption('--owner <code>', 'the unit keeping the donor (province or commune)')
    .requiredOption('--name <text>', 'name')
    .option('--kind <kind>', 'organisation | business | individual | officials', 'individual')
    .option('--contact <text>', 'phone or e-mail (never public)')
    .option('--public', 'the donor agrees to be named publicly')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const d = await c.withDb(({ db }) =>
        money.createDonor(db, c.actor, { ownerUnitCode: opts.owner, name: opts.name, kind: opts.kind, contact: opts.contact, publicConsent: Boolean(opts.public) }),
      );
      if (opts.json) return c.json(d);
      c.out(c.t('programmes:cli.donor_created', { name: d.name, id: d.id }));
    });
  donor
    .command('list')
    .description('Donors in scope')
    .option('--q <text>', 'name contains')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const items = await c.withDb(({ db }) => money.listDonors(db, c.actor, { q: opts.q }));
      if (opts.json) return c.json(items);
      if (items.length === 0) return c.out(c.t('programmes:cli.no_donors'));
      for (const d of items) c.out([d.id, d.name, c.t(`programmes:donor_kind.${d.kind}`), d.ownerUnitCode, d.publicConsent ? c.t('programmes:money.public_consent') : ''].join(' | '));
    });

  // ------------------------------------------------------------------------------------------- pledge
  const pledge = program.command('pledge').description('Pledges (cam kết ủng hộ) of donors to a programme');
  pledge
    .command('add')
    .description('Record a pledge (confirmed at once)')
    .requiredOption('--programme <id>', 'programme id')
    .requiredOption('--donor <id>', 'donor id')
    .requiredOption('--amount <dong>', 'amount in dong, e.g. 50.000.000')
    .option('--date <yyyy-mm-dd>', 'pledged on (default today)')
    .option('--commune <code>', 'earmark: a commune of the area')
    .option('--tag <tag>', 'earmark: a priority group, e.g. pupil')
    .option('--note <text>', 'a note')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const p = await c.withDb(({ db }) =>
        money.createPledge(db, c.actor, opts.programme, {
          donorId: opts.donor,
          amount: parseAmount(opts.amount),
          pledgedOn: opts.date ?? todayInVietnam(),
          earmarkCommuneCode: opts.commune ?? null,
          earmarkTag: opts.tag ?? null,
          note: opts.note,
        }),
      );
      if (opts.json) return c.json(p);
      c.out(c.t('programmes:cli.pledge_created', { amount: vnd(p.amount), id: p.id }));
    });
  pledge
    .command('confirm')
    .description('Confirm a pledge proposed on the public page')
    .requiredOption('--programme <id>', 'programme id')
    .argument('<pledgeId>', 'pledge id')
    .option('--json', 'print as JSON')
    .action(async (pledgeId: string, opts) => {
      const c = ctx();
      const p = await c.withDb(({ db }) => money.confirmPledge(db, c.actor, opts.programme, pledgeId));
      if (opts.json) return c.json(p);
      c.out(c.t('programmes:cli.pledge_confirmed', { id: p.id }));
    });

  // ------------------------------------------------------------------------------------------ receipt
  program
    .command('receipt')
    .description('Money received (khoản thu)')
    .command('add')
    .description('Record money received (debit cash / credit fund in the ledger)')
    .requiredOption('--programme <id>', 'programme id')
    .requiredOption('--donor <id>', 'donor id')
    .requiredOption('--amount <dong>', 'amount in dong')
    .option('--date <yyyy-mm-dd>', 'received on (default today)')
    .option('--method <method>', 'cash | bank_transfer | other', 'bank_transfer')
    .option('--reference <text>', 'bank or voucher reference')
    .option('--pledge <id>', 'the confirmed pledge it pays')
    .option('--yes', 'confirm (else the command says what it would do and changes nothing)')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const r = await c.withDb(({ db }) =>
        confirmedRun(
          c,
          opts.yes,
          (confirm) =>
            money.createReceipt(db, c.actor, opts.programme, {
              donorId: opts.donor,
              pledgeId: opts.pledge ?? null,
              amount: parseAmount(opts.amount),
              receivedOn: opts.date ?? todayInVietnam(),
              method: opts.method,
              reference: opts.reference,
              ...(confirm && confirm !== true ? { confirm } : {}),
            }),
          opts.json,
        ),
      );
      if (opts.json) return c.json(r);
      c.out(c.t('programmes:cli.receipt_created', { amount: vnd(r.amount), id: r.id }));
    });

  // ------------------------------------------------------------------------------------------- refund
  program
    .command('refund')
    .description('Money returned to a donor (hoàn trả)')
    .command('add')
    .description("Return money of one receipt, at most its unspent remainder (debit fund / credit refunded)")
    .requiredOption('--programme <id>', 'programme id')
    .requiredOption('--receipt <id>', 'receipt id')
    .requiredOption('--amount <dong>', 'amount in dong')
    .option('--date <yyyy-mm-dd>', 'refunded on (default today)')
    .option('--reason <text>', 'why')
    .option('--yes', 'confirm (else the command says what it would do and changes nothing)')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const r = await c.withDb(({ db }) =>
        confirmedRun(
          c,
          opts.yes,
          (confirm) =>
            money.createRefund(db, c.actor, opts.programme, {
              receiptId: opts.receipt,
              amount: parseAmount(opts.amount),
              refundedOn: opts.date ?? todayInVietnam(),
              reason: opts.reason,
              ...(confirm && confirm !== true ? { confirm } : {}),
            }),
          opts.json,
        ),
      );
      if (opts.json) return c.json(r);
      c.out(c.t('programmes:cli.refund_created', { amount: vnd(r.amount), id: r.id }));
    });

  // ------------------------------------------------------------------------------------------- ledger
  program
    .command('ledger')
    .description("A programme's balances and ledger postings (debit +, credit -; each transaction sums to zero)")
    .requiredOption('--programme <id>', 'programme id')
    .option('--limit <n>', 'postings to show (newest first)', '200')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const l = await c.withDb(({ db }) => readLedger(db, c.actor, opts.programme, integer(opts.limit, 'limit')));
      if (opts.json) return c.json(l);
      c.out(c.t('programmes:cli.balance', Object.fromEntries(Object.entries(l.balance).map(([k, v]) => [k, vnd(v)]))));
      for (const e of l.entries)
        c.out(
          [e.postedAt.slice(0, 19).replace('T', ' '), e.txnId.slice(0, 8), c.t(`programmes:txn_kind.${e.kind}`), c.t(`programmes:account.${e.account}`), vnd(e.amount), e.memo ?? ''].join(' | '),
        );
    });
}
