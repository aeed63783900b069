import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../../../cli/context';
import { formatDateVi, todayInVietnam } from '../../../domain/dates';
import { formatVnd } from '../../../domain/money';
import { AppError } from '../../../errors';
import * as handover from './handover.service';
import { handoverField } from './handover.service';
import { handoverMinutesPdf } from './handover.minutes';
import { HANDOVER_RESULTS } from './handover.schemas';
import * as statements from './statement.service';
import { confirmedRun } from '../programme/confirm.cli';

type Ctx = () => CliContext;

const date = (c: CliContext, iso: string | null) => (iso === null ? '-' : c.lang === 'vi' ? formatDateVi(iso) : iso);

function eventLine(c: CliContext, e: handover.HandoverEvent): string {
  const counts = HANDOVER_RESULTS.map((r) => `${c.t(`handover:results.${r}`)} ${e.counts[r]}`).join(', ');
  const overdue = e.overdue ? ` [${c.t('handover:cli.overdue')}]` : '';
  return `${e.id}  ${date(c, e.heldOn)}  ${e.communeName} (${e.communeCode})  ${e.place}${overdue}\n    ${counts}`;
}

function recipientLine(c: CliContext, r: handover.Recipient): string {
  const result = r.result ? c.t(`handover:results.${r.result}`) : c.t('handover:cli.unassigned');
  const by = r.receivedBy ? ` (${r.receivedBy})` : '';
  const evidence = r.evidence ? `  [${r.evidence.name}]` : '';
  return `  ${r.awardId}  ${r.fullName}  ${r.birthYear}  ${r.cardNumber ?? '-'}  ${result}${by}${evidence}`;
}

/** Reads an evidence file given on the command line (the service checks its type and size). */
function readEvidence(file: string): handover.EvidenceFile {
  let data: Buffer;
  try {
    data = fs.readFileSync(file);
  } catch {
    throw new AppError('validation', {}, [handoverField('evidence', 'evidence_unreadable', { file })]);
  }
  return { name: path.basename(file), data };
}

function writeFile(c: CliContext, file: string, data: Buffer) {
  fs.writeFileSync(file, data);
  c.out(c.t('handover:cli.written', { file, size: data.length }));
}

/** `handover event-add|list|event|move|assign|result|evidence|complete`, `minutes`, `statement`. */
export function registerHandoverCommands(program: Command, ctx: Ctx): void {
  const ho = program.command('handover').description('Handing BHYT cards over: events per commune, expected recipients, results with evidence');

  ho.command('event-add')
    .description("Add a handover event in a commune; every card of the commune not yet expected elsewhere is expected there")
    .requiredOption('--programme <id>', 'the programme')
    .requiredOption('--commune <code>', 'the commune, e.g. 02905')
    .requiredOption('--date <yyyy-mm-dd>', 'the day of the handover')
    .requiredOption('--place <text>', "where, e.g. 'Nhà văn hóa thôn Phố Lu'")
    .option('--note <text>', 'a note')
    .option('--minutes-number <no>', "the minutes' document number, e.g. '12/BB-UBND'")
    .option('--json', 'print the event as JSON')
    .action(async (opts: { programme: string; commune: string; date: string; place: string; note?: string; minutesNumber?: string; json?: boolean }) => {
      const c = ctx();
      const e = await c.withDb(({ db }) =>
        handover.addEvent(db, c.actor, opts.programme, { communeCode: opts.commune, heldOn: opts.date, place: opts.place, note: opts.note ?? null, minutesNumber: opts.minutesNumber ?? null }),
      );
      if (opts.json) return c.json(e);
      c.out(c.t('handover:cli.event_added', { count: e.assigned }));
      c.out(eventLine(c, e));
    });

  ho.command('list')
    .description("A programme's handover events, the cards no event expects yet, and the totals")
    .requiredOption('--programme <id>', 'the programme')
    .option('--json', 'print JSON')
    .action(async (opts: { programme: string; json?: boolean }) => {
      const c = ctx();
      const o = await c.withDb(({ db }) => handover.handoverOverview(db, c.actor, opts.programme));
      if (opts.json) return c.json(o);
      if (o.events.length === 0) c.out(c.t('handover:cli.no_events'));
      for (const e of o.events) c.out(eventLine(c, e));
      if (o.unassigned.length) {
        c.out(c.t('handover:cli.unassigned_title', { count: o.unassigned.length }));
        for (const r of o.unassigned) c.out(recipientLine(c, r));
      }
      c.out(c.t('handover:cli.totals', { ...o.totals }));
      if (o.complete) c.out(c.t('handover:cli.complete_ready'));
    });

  ho.command('event')
    .description('One handover event with its expected recipients')
    .requiredOption('--event <id>', 'the event')
    .option('--json', 'print JSON')
    .action(async (opts: { event: string; json?: boolean }) => {
      const c = ctx();
      const d = await c.withDb(({ db }) => handover.eventDetail(db, c.actor, opts.event));
      if (opts.json) return c.json(d);
      c.out(eventLine(c, d.event));
      for (const r of d.recipients) c.out(recipientLine(c, r));
    });

  ho.command('move')
    .description('Expect a card (award) at another event')
    .requiredOption('--event <id>', 'the event to expect it at')
    .requiredOption('--award <id>', 'the award (card)')
    .option('--json', 'print JSON')
    .action(async (opts: { event: string; award: string; json?: boolean }) => {
      const c = ctx();
      const r = await c.withDb(({ db }) => handover.moveRecipient(db, c.actor, opts.event, opts.award));
      if (opts.json) return c.json(r);
      c.out(recipientLine(c, r));
    });

  ho.command('result')
    .description("Record a card's result: received (with --by), absent, refused; expected clears it")
    .requiredOption('--award <id>', 'the award (card)')
    .requiredOption('--result <result>', HANDOVER_RESULTS.join(' | '))
    .option('--by <who>', "who received it: 'Bản thân' or e.g. 'Mẹ: Lò Thị Mai' (required for received)")
    .option('--note <text>', 'a note')
    .option('--evidence <file>', 'a photo (JPEG, PNG, WebP) or a PDF scan, at most 5 MB')
    .option('--json', 'print JSON')
    .action(async (opts: { award: string; result: string; by?: string; note?: string; evidence?: string; json?: boolean }) => {
      const c = ctx();
      const file = opts.evidence ? readEvidence(opts.evidence) : undefined;
      const r = await c.withDb(({ db }) =>
        handover.recordResult(db, c.actor, opts.award, { result: opts.result as (typeof HANDOVER_RESULTS)[number], receivedBy: opts.by ?? null, note: opts.note ?? null }, file),
      );
      if (opts.json) return c.json(r);
      c.out(recipientLine(c, r));
    });

  ho.command('evidence')
    .description("Save a card's handover evidence file")
    .requiredOption('--award <id>', 'the award (card)')
    .requiredOption('--out <file>', 'where to write it')
    .action(async (opts: { award: string; out: string }) => {
      const c = ctx();
      const f = await c.withDb(({ db }) => handover.evidenceOf(db, c.actor, opts.award));
      writeFile(c, opts.out, f.data);
    });

  ho.command('assign')
    .description("Expect the cards no event expects yet at their commune's (latest) event")
    .requiredOption('--programme <id>', 'the programme')
    .option('--json', 'print JSON')
    .action(async (opts: { programme: string; json?: boolean }) => {
      const c = ctx();
      const o = await c.withDb(({ db }) => handover.assignUnassigned(db, c.actor, opts.programme));
      if (opts.json) return c.json(o);
      c.out(c.t('handover:cli.assigned', { count: o.assigned, left: o.unassigned.length }));
    });

  ho.command('complete')
    .description("Move the programme to 'handed_over' once every card is received, absent or refused")
    .requiredOption('--programme <id>', 'the programme')
    .option('--note <text>', 'a note for the status history')
    .option('--yes', 'confirm (else the command says what it would do and changes nothing)')
    .option('--json', 'print JSON')
    .action(async (opts: { programme: string; note?: string; yes?: boolean; json?: boolean }) => {
      const c = ctx();
      const o = await c.withDb(({ db }) => confirmedRun(c, opts.yes, (confirm) => handover.completeHandover(db, c.actor, opts.programme, opts.note, confirm), opts.json));
      if (opts.json) return c.json(o);
      c.out(c.t('handover:cli.completed', { ...o.totals }));
    });

  program
    .command('minutes')
    .description('The handover minutes of an event (biên bản bàn giao thẻ BHYT) as a PDF')
    .requiredOption('--event <id>', 'the event')
    .requiredOption('--pdf <file>', 'where to write the PDF')
    .option('--en', 'in English (default Vietnamese)')
    .option('--number <no>', 'the document number ("Số: ...")')
    .action(async (opts: { event: string; pdf: string; en?: boolean; number?: string }) => {
      const c = ctx();
      const { pdf } = await c.withDb(({ db }) => handoverMinutesPdf(db, c.actor, opts.event, opts.en ? 'en' : 'vi', { number: opts.number }));
      writeFile(c, opts.pdf, pdf);
    });

  program
    .command('statement')
    .description("A donor's statement in a programme: pledges, receipts, refunds, the cards their money bought (beneficiaries masked); --pdf writes it to send them")
    .requiredOption('--programme <id>', 'the programme')
    .option('--donor <id>', 'the donor (without it: every donor of the programme with their totals)')
    .option('--pdf <file>', 'write the statement as a PDF')
    .option('--letter <file>', 'write the thank-you letter to the donor as a PDF')
    .option('--json', 'print JSON')
    .action(async (opts: { programme: string; donor?: string; pdf?: string; letter?: string; json?: boolean }) => {
      const c = ctx();
      if (!opts.donor) {
        if (opts.pdf || opts.letter) throw new AppError('validation', {}, [{ path: 'donor', key: 'required' }]);
        const list = await c.withDb(({ db }) => statements.listStatements(db, c.actor, opts.programme));
        if (opts.json) return c.json(list);
        for (const d of list)
          c.out(`${d.donorId}  ${d.name}  ${c.t('handover:cli.donor_totals', { received: formatVnd(d.received), refunded: formatVnd(d.refunded), funded: formatVnd(d.funded), cards: d.cards })}`);
        return;
      }
      const donorId = opts.donor;
      if (opts.letter) {
        const file = opts.letter;
        const { pdf } = await c.withDb(({ db }) => statements.thankYouLetterPdf(db, c.actor, opts.programme, donorId, { today: todayInVietnam(), language: c.lang }));
        return writeFile(c, file, pdf);
      }
      if (opts.pdf) {
        const file = opts.pdf;
        const { pdf } = await c.withDb(({ db }) => statements.donorStatementPdf(db, c.actor, opts.programme, donorId, { today: todayInVietnam(), language: c.lang }));
        return writeFile(c, file, pdf);
      }
      const s = await c.withDb(({ db }) => statements.donorStatement(db, c.actor, opts.programme, donorId));
      if (opts.json) return c.json(s);
      c.out(`${s.donor.name} - ${s.programme.name}`);
      c.out(c.t('handover:cli.statement_totals', { pledged: formatVnd(s.totals.pledged), received: formatVnd(s.totals.received), refunded: formatVnd(s.totals.refunded), funded: formatVnd(s.totals.funded), unspent: formatVnd(s.totals.unspent) }));
      for (const card of s.cards) c.out(`  ${card.beneficiary}  ${card.groupCode}  ${formatVnd(card.funded)}${card.handedOver ? `  ${c.t('handover:statement.handed_over')}` : ''}`);
    });
}
