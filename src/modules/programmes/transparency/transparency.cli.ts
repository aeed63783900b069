/**
 * `donor-check` and `public-ledger`: what the public pages show, from the command line (--json prints
 * exactly what the API answers).
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../../../cli/context';
import { formatDateVi } from '../../../domain/dates';
import { formatVnd } from '../../../domain/money';
import { parseAmount } from '../programme/programme.cli';
import { newCheckThrottle } from './transparency.routes';
import * as transparency from './transparency.service';

export function registerTransparencyCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('donor-check')
    .description("What a donor sees of their donation on the public self-check: by payment reference, or by the bank's transaction id and amount")
    .option('--reference <ref>', "the pledge's payment reference, e.g. CD7K3M9Q")
    .option('--transaction <id>', "the bank's transaction id")
    .option('--amount <dong>', 'the amount exactly as on the bank statement (with --transaction)')
    .option('--json', 'print as JSON')
    .action(async (opts: { reference?: string; transaction?: string; amount?: string; json?: boolean }) => {
      const c = ctx();
      const input = { reference: opts.reference, transactionId: opts.transaction, amount: opts.amount === undefined ? undefined : parseAmount(opts.amount, 'amount') };
      const r = await c.withDb(({ db }) => transparency.donorCheck(db, newCheckThrottle(), input, { ip: 'cli', now: new Date() }));
      if (opts.json) return c.json(r);
      const t = (key: string, params: Record<string, unknown> = {}) => c.t(`bank:check.${key}`, params);
      c.out(t('programme', { name: r.programme.name }));
      if (r.receipts.length === 0) c.out(t('not_received'));
      for (const x of r.receipts) c.out(t('received_line', { date: formatDateVi(x.receivedOn), amount: formatVnd(x.amount) }));
      c.out(t('funded', { cards: r.funded.cards, amount: formatVnd(r.funded.amount), communes: r.funded.communes.join(', ') || '-' }));
      for (const b of r.funded.beneficiaries) c.out(`  ${b.initials} ${b.birthYear}, ${b.communeName}${b.handedOver ? ` ✓ ${formatDateVi(b.handoverOn!)}` : ''}`);
      for (const h of r.funded.handovers)
        c.out(t('handover', { commune: h.communeName, date: formatDateVi(h.heldOn), number: h.minutesNumber ?? '-', cards: h.cards, handedOver: h.handedOver }));
      if (r.unspent > 0) c.out(t('unspent', { amount: formatVnd(r.unspent) }));
    });

  program
    .command('public-ledger')
    .description("A programme's public ledger: every receipt, payment to the social insurance office and refund, with totals")
    .requiredOption('--programme <slug>', "the programme's public address (slug)")
    .option('--search <text>', "a donor's name, an amount or a date")
    .option('--kind <kind>', 'receipt, payment or refund')
    .option('--page <n>', 'page (100 rows each, newest first)')
    .option('--csv <file>', 'write the whole ledger as CSV to this file')
    .option('--json', 'print as JSON')
    .action(async (opts: { programme: string; search?: string; kind?: string; page?: string; csv?: string; json?: boolean }) => {
      const c = ctx();
      if (opts.csv) {
        const r = await c.withDb(({ db }) => transparency.publicLedgerCsv(db, opts.programme, c.lang));
        fs.writeFileSync(opts.csv, r.csv);
        return opts.json ? c.json({ file: opts.csv, rows: r.rows }) : c.out(c.t('bank:check.csv_written', { file: opts.csv, rows: r.rows }));
      }
      const r = await c.withDb(({ db }) =>
        transparency.publicLedger(db, opts.programme, { q: opts.search, kind: opts.kind as never, page: opts.page === undefined ? undefined : Number(opts.page) }),
      );
      if (opts.json) return c.json(r);
      for (const x of r.rows) c.out(`${formatDateVi(x.on)}  ${c.t(`bank:ledger.kinds.${x.reversal ? `${x.kind}_reversal` : x.kind}`)}  ${x.donor ?? (x.kind === 'payment' ? c.t('bank:ledger.social_insurance_office') : c.t('bank:ledger.anonymous'))}  ${formatVnd(x.amount)}`);
      c.out(c.t('bank:check.ledger_totals', { received: formatVnd(r.totals.received), paid: formatVnd(r.totals.paid), refunded: formatVnd(r.totals.refunded), held: formatVnd(r.totals.held) }));
    });
}
