/**
 * CLI of renewal reminders (issue 20 item 6): `reminders list --unit CODE [--days N] [--date D] [--json]`,
 * `reminders export --unit CODE --out F.csv [--mark-sent]`, `reminders mark-sent --unit CODE`,
 * `reminders rate --unit CODE --from D --to D [--within N]`.
 */
import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { formatDateVi, todayInVietnam } from '../../domain/dates';
import { formatVnd } from '../../domain/money';
import { formatDecimalIn } from '../../domain/numbers';
import { exportCsv, markSent, renewalRate, reminderList } from './reminders.service';

interface WindowOpts {
  unit: string;
  date?: string;
  days: string;
  months: string;
  json?: boolean;
}

const withWindow = (cmd: Command) =>
  cmd
    .requiredOption('--unit <code>', 'a province, office, commune or village (full code) in your scope')
    .option('--date <date>', 'the day (default today, YYYY-MM-DD)')
    .option('--days <n>', 'cards ending from the day to this many days after it; also the reminder’s offset', '30')
    .option('--months <n>', 'the renewal priced (months)', '12')
    .option('--json', 'print JSON');

const pct = (r: number | null, lang: string) => (r === null ? '—' : `${formatDecimalIn(Math.round(r * 1000) / 10, lang)}%`);

export function registerRemindersCommands(program: Command, ctx: () => CliContext): void {
  const reminders = program.command('reminders').description('Renewal reminders: BHYT cards about to end, their texts, the journal of reminders sent');
  withWindow(reminders.command('list').description('Persons whose latest card ends soon and who have not renewed, by village and collector'))
    .option('--include-sent', 'those already reminded for the same card, end date and offset too')
    .action(async (opts: WindowOpts & { includeSent?: boolean }) => {
      const c = ctx();
      const l = await c.withDb(({ db }) =>
        reminderList(db, c.actor, { unit: opts.unit, date: opts.date, days: Number(opts.days), months: Number(opts.months), includeSent: !!opts.includeSent }, todayInVietnam(), c.lang),
      );
      if (opts.json) return c.json(l);
      c.out(
        c.t('reminders:cli.list_summary', {
          unit: l.unit.name,
          persons: formatDecimalIn(l.summary.persons, c.lang),
          households: formatDecimalIn(l.summary.households, c.lang),
          withPhone: formatDecimalIn(l.summary.withPhone, c.lang),
          statePaid: formatDecimalIn(l.summary.statePaid, c.lang),
          alreadySent: formatDecimalIn(l.summary.alreadySent, c.lang),
          amount: formatVnd(l.summary.amount),
          from: formatDateVi(l.date),
          until: formatDateVi(l.until),
        }),
      );
      for (const v of l.villages) c.out(c.t('reminders:cli.village_line', { village: v.name ?? '—', commune: v.communeName, persons: v.persons, amount: formatVnd(v.amount) }));
    });
  withWindow(reminders.command('export').description('The CSV for the office’s SMS or Zalo sender (phone, text, ...)'))
    .requiredOption('--out <file>', 'the .csv file to write')
    .option('--channel <sms|zalo>', 'how it will be sent', 'sms')
    .option('--mark-sent', 'record the exported reminders as sent (each card, end date and offset once)')
    .action(async (opts: WindowOpts & { out: string; channel: string; markSent?: boolean }) => {
      const c = ctx();
      const r = await c.withDb(({ db }) =>
        exportCsv(
          db,
          c.actor,
          { unit: opts.unit, date: opts.date, days: Number(opts.days), months: Number(opts.months), channel: opts.channel as 'sms', markSent: !!opts.markSent },
          todayInVietnam(),
          c.lang,
        ),
      );
      fs.writeFileSync(opts.out, r.csv);
      if (opts.json) return c.json({ file: opts.out, rows: r.rows, withoutPhone: r.withoutPhone, marked: r.marked });
      c.out(c.t('reminders:cli.exported', { rows: r.rows, file: opts.out, withoutPhone: r.withoutPhone }));
      if (r.marked) c.out(c.t('reminders:cli.marked', r.marked));
    });
  withWindow(reminders.command('mark-sent').description('Record the list as sent (e.g. printed and handed to the collectors)'))
    .option('--channel <sms|zalo|list>', 'how it went out', 'list')
    .action(async (opts: WindowOpts & { channel: string }) => {
      const c = ctx();
      const r = await c.withDb(({ db }) =>
        markSent(db, c.actor, { unit: opts.unit, date: opts.date, days: Number(opts.days), months: Number(opts.months), channel: opts.channel as 'list' }, todayInVietnam()),
      );
      if (opts.json) return c.json(r);
      c.out(c.t('reminders:cli.marked', r));
    });
  reminders
    .command('rate')
    .description('Renewal rate of cards that ended in a period: reminded against not reminded')
    .requiredOption('--unit <code>', 'a province, office, commune or village in your scope')
    .requiredOption('--from <date>', 'cards that ended from this day')
    .requiredOption('--to <date>', 'to this day')
    .option('--within <n>', 'renewed: a later card starting at most this many days after the end', '30')
    .option('--json', 'print JSON')
    .action(async (opts: { unit: string; from: string; to: string; within: string; json?: boolean }) => {
      const c = ctx();
      const r = await c.withDb(({ db }) => renewalRate(db, c.actor, { unit: opts.unit, from: opts.from, to: opts.to, within: Number(opts.within) }, todayInVietnam()));
      if (opts.json) return c.json(r);
      const n = (v: number) => formatDecimalIn(v, c.lang);
      c.out(
        c.t('reminders:cli.rate', {
          unit: r.unit.name,
          from: formatDateVi(r.from),
          to: formatDateVi(r.to),
          within: r.within,
          remindedRenewed: n(r.reminded.renewed),
          remindedCards: n(r.reminded.cards),
          remindedRate: pct(r.reminded.rate, c.lang),
          otherRenewed: n(r.notReminded.renewed),
          otherCards: n(r.notReminded.cards),
          otherRate: pct(r.notReminded.rate, c.lang),
          pending: n(r.pending),
        }),
      );
    });
}
