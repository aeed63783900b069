/**
 * `coverdesk programme candidates|nominate|select|rounds|round|approve|discard|d03|issue-cards`: candidates,
 * nominations, selection rounds, approval, the D03-TS list and the issued cards of a donation programme
 * (issue 6 items 3-5), as the local operator. Every command takes --json for programs.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../../../cli/context';
import { formatDateVi, todayInVietnam } from '../../../domain/dates';
import { formatVnd } from '../../../domain/money';
import { parseDate } from '../../../domain/register-row';
import { AppError } from '../../../errors';
import * as candidates from './candidates.service';
import { selectionField } from './candidates.service';
import * as selection from './selection.service';
import type { EarmarkUse } from './selection.service';
import * as d03 from './d03.service';
import * as issue from './issue.service';
import { CANDIDATE_STATUSES } from './selection.schemas';
import { confirmedRun } from '../programme/confirm.cli';

type Ctx = () => CliContext;

const date = (c: CliContext, iso: string | null) => (iso === null ? '-' : c.lang === 'vi' ? formatDateVi(iso) : iso);
const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/** One earmark of a round: what it had, used and has left (kept for its earmark unless released). */
function earmarkLine(t: CliContext['t'], e: EarmarkUse): string {
  const target = [e.commune, e.tag ? t(`selection:tags.${e.tag}`, { defaultValue: e.tag }) : null].filter(Boolean).join(', ');
  return t('selection:web.earmark_line', { target, available: formatVnd(e.available), spent: formatVnd(e.spent), count: e.selected, unspent: formatVnd(e.unspent) });
}
const collect = (value: string, previous: string[] = []) => [...previous, value];
const split = (values: string[] | undefined) => (values ?? []).flatMap((v) => v.split(/[;,]/)).map((v) => v.trim()).filter(Boolean);

/** An amount of dong as typed: 2000000, 2.000.000 or 2,000,000. */
export function parseBudget(value: string): number {
  const text = value.trim().replace(/[.,\s]/g, '').replace(/₫$/, '');
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new AppError('validation', {}, [selectionField('budget', 'budget_invalid')]);
  return Number(text);
}

function formatOf(file: string): 'csv' | 'xlsx' {
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  throw new AppError('validation', {}, [{ path: 'file', key: 'import_format' }]);
}

function readFile(file: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch {
    throw new AppError('validation', {}, [{ path: 'file', key: 'required' }]);
  }
}

function printRound(c: CliContext, r: selection.RoundSummary) {
  c.out(
    c.t('selection:web.round_line', {
      number: r.number,
      status: c.t(`selection:round_status.${r.status}`),
      selected: r.selectedCount,
      spent: formatVnd(r.spent),
      budget: formatVnd(r.budget),
    }) + `  ${c.t('selection:web.objective')}: ${round6(r.objective)}  ${r.id}`,
  );
}

export function registerSelectionCommands(program: Command, ctx: Ctx): void {
  const prog = program.commands.find((cmd) => cmd.name() === 'programme') ?? program.command('programme').description('Donation programmes');

  prog
    .command('candidates <programmeId>')
    .description('Candidates of a programme: register persons of its area without a card for the period and nominated persons, with tags, cost and status')
    .option('--commune <code>', 'one commune')
    .option('--status <status>', `only ${CANDIDATE_STATUSES.join('|')}`)
    .option('--limit <n>', 'persons listed', '200')
    .option('--state-budget-xlsx <file>', 'write the persons the state budget pays in full (to propose for state-budget cards) to an .xlsx')
    .option('--json', 'print {summary, matching, items}')
    .action(async (id: string, opts: { commune?: string; status?: string; limit: string; stateBudgetXlsx?: string; json?: boolean }) => {
      const c = ctx();
      if (opts.stateBudgetXlsx) {
        const file = opts.stateBudgetXlsx;
        const out = await c.withDb((d) => candidates.stateBudgetWorkbook(d.db, c.actor, id, { language: c.lang }));
        fs.writeFileSync(file, out.buffer);
        if (opts.json) return c.json({ file, rows: out.rows });
        return c.out(c.t('selection:cli.written', { file }));
      }
      if (opts.status && !(CANDIDATE_STATUSES as readonly string[]).includes(opts.status))
        throw new AppError('validation', {}, [{ path: 'status', key: 'invalid_value', params: { options: CANDIDATE_STATUSES.join(', ') } }]);
      const list = await c.withDb((d) =>
        candidates.listCandidates(d.db, c.actor, id, { commune: opts.commune, status: opts.status as candidates.CandidateStatus | undefined, limit: Number(opts.limit) || 200 }),
      );
      if (opts.json) return c.json(list);
      const s = list.summary;
      c.out(c.t('selection:web.period', { from: date(c, s.purchaseDate), to: date(c, s.periodEnd), months: s.months }));
      c.out(`${c.t('selection:cli.total')}: ${s.total}   ${c.t('selection:cli.covered')}: ${s.coveredInArea}`);
      c.out(Object.entries(s.byStatus).map(([k, n]) => `${c.t(`selection:status.${k}`)}: ${n}`).join('\n'));
      c.out('');
      for (const p of list.items) {
        const tags = p.tags.map((t) => c.t(`selection:tags.${t}`, { defaultValue: t })).join(', ');
        const covered = p.currentCard ? `  ${c.t('selection:web.covered_until', { date: date(c, p.currentCard.validTo) })}` : '';
        c.out(`${p.communeCode}  ${p.fullName}  ${date(c, p.birthDate)}  [${tags}]  ${p.cost === null ? '-' : formatVnd(p.cost)}  ${c.t(`selection:status.${p.status}`)}${covered}  ${p.personId}`);
      }
      if (list.matching > list.items.length) c.out(c.t('selection:web.more', { count: list.matching - list.items.length }));
    });

  prog
    .command('nominate <programmeId>')
    .description("Nominate register persons (--person, repeatable) with --tags, or import a commune's list (--file: the register template plus a tags column)")
    .option('--person <id>', 'register person id (repeatable)', collect)
    .option('--tags <tags>', 'priority tags, comma-separated (storm_victim, flood_victim, difficult, especially_difficult, ...)', collect)
    .option('--note <text>', 'note')
    .option('--file <list.xlsx|list.csv>', "a commune's list in the register template with a 'Nhóm ưu tiên' (tags) column")
    .option('--dry-run', 'with --file: check and report, write nothing')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { person?: string[]; tags?: string[]; note?: string; file?: string; dryRun?: boolean; json?: boolean }) => {
      const c = ctx();
      if (opts.file) {
        const file = opts.file;
        const report = await c.withDb((d) =>
          candidates.importNominations(d, c.actor, id, { buffer: readFile(file), format: formatOf(file) }, { dryRun: opts.dryRun, language: c.lang, today: todayInVietnam() }),
        );
        if (opts.json) return c.json(report);
        c.out(c.t('selection:web.import_done', { rows: report.rows, nominated: report.nominated, rejected: report.rejected }));
        for (const e of report.errors) c.out(`  ${c.t('selection:web.row')} ${e.row}, ${e.column}: ${e.message}${e.value ? ` (${e.value})` : ''}`);
        if (report.errors.length) process.exitCode = 2;
        return;
      }
      const result = await c.withDb((d) => candidates.nominate(d.db, c.actor, id, { personIds: opts.person ?? [], tags: split(opts.tags), note: opts.note ?? null }));
      if (opts.json) return c.json(result);
      c.out(c.t('selection:web.nominate_done', { count: result.nominated }));
    });

  prog
    .command('select <programmeId>')
    .description("Run a selection round: the solver on the candidates with the programme's priorities; the money available unless --budget; the round is frozen")
    .option('--budget <dong>', 'money to use (default: the money available in the ledger)')
    .option('--mode <mode>', 'concentrate | spread (default: the programme\'s)')
    .option('--note <text>', 'note')
    .option('--release-earmarks', "let earmarked money its earmark cannot use fund other people (see the earmarks of an earlier round)")
    .option('--json', 'print the round as JSON')
    .action(async (id: string, opts: { budget?: string; mode?: string; note?: string; releaseEarmarks?: boolean; json?: boolean }) => {
      const c = ctx();
      if (opts.mode && opts.mode !== 'concentrate' && opts.mode !== 'spread')
        throw new AppError('validation', {}, [{ path: 'mode', key: 'invalid_value', params: { options: 'concentrate, spread' } }]);
      const r = await c.withDb((d) =>
        selection.runRound(d, c.actor, id, {
          ...(opts.budget !== undefined ? { budget: parseBudget(opts.budget) } : {}),
          ...(opts.mode ? { mode: opts.mode as 'concentrate' | 'spread' } : {}),
          note: opts.note ?? null,
          ...(opts.releaseEarmarks ? { releaseEarmarks: true } : {}),
        }),
      );
      if (opts.json) return c.json(r);
      c.out(c.t('selection:cli.round_created', { number: r.number, selected: r.selectedCount, spent: formatVnd(r.spent), budget: formatVnd(r.budget), objective: round6(r.objective) }));
      if (r.params.countAll === true) c.out(c.t('selection:web.count_all'));
      for (const e of (r.params.earmarks ?? []) as EarmarkUse[]) c.out(earmarkLine(c.t, e));
      c.out(r.id);
    });

  prog
    .command('rounds <programmeId>')
    .description('Selection rounds of a programme, newest first')
    .option('--json', 'print the rounds as JSON')
    .action(async (id: string, opts: { json?: boolean }) => {
      const c = ctx();
      const rounds = await c.withDb((d) => selection.listRounds(d.db, c.actor, id));
      if (opts.json) return c.json({ items: rounds });
      for (const r of rounds) printRound(c, r);
    });

  prog
    .command('round <programmeId> <roundId>')
    .description('A round: every frozen candidate with the decision and its reason')
    .option('--commune <code>', 'one commune')
    .option('--selected', 'selected persons only')
    .option('--rejected', 'persons not selected only')
    .option('--json', 'print the round as JSON')
    .action(async (id: string, roundId: string, opts: { commune?: string; selected?: boolean; rejected?: boolean; json?: boolean }) => {
      const c = ctx();
      const selected = opts.selected ? true : opts.rejected ? false : undefined;
      const r = await c.withDb((d) => selection.getRound(d.db, c.actor, id, roundId, { commune: opts.commune, selected, limit: 100_000 }));
      if (opts.json) return c.json(r);
      printRound(c, r.round);
      for (const m of r.communes) c.out(`  ${m.code} ${m.name ?? ''}: ${m.selected}/${m.candidates}  ${formatVnd(m.spent)}`);
      c.out('');
      for (const p of r.items) {
        c.out(`${p.selected ? '+' : '-'} ${p.communeCode}  ${p.fullName}  ${date(c, p.birthDate)}  ${p.pricingGroup ?? '-'}  ${p.cost === null ? '-' : formatVnd(p.cost)}  ${round6(p.value)}  ${c.t(`selection:reasons.${p.reason}`)}`);
      }
    });

  prog
    .command('approve <programmeId> <roundId>')
    .description("Approve a round: awards for its selected persons through the ledger, the programme to 'list_approved' (one transaction)")
    .option('--note <text>', 'note')
    .option('--yes', 'confirm (else the command says what it would award and changes nothing)')
    .option('--json', 'print the approval as JSON')
    .action(async (id: string, roundId: string, opts: { note?: string; yes?: boolean; json?: boolean }) => {
      const c = ctx();
      const a = await c.withDb((d) => confirmedRun(c, opts.yes, (confirm) => selection.approveRound(d.db, c.actor, id, roundId, opts.note ?? null, confirm), opts.json));
      if (opts.json) return c.json(a);
      c.out(c.t('selection:cli.approved', { number: a.round.number, count: a.awards, amount: formatVnd(a.amount) }));
    });

  prog
    .command('discard <programmeId> <roundId>')
    .description('Discard a proposed round')
    .option('--json', 'print the round as JSON')
    .action(async (id: string, roundId: string, opts: { json?: boolean }) => {
      const c = ctx();
      const r = await c.withDb((d) => selection.discardRound(d.db, c.actor, id, roundId));
      if (opts.json) return c.json(r);
      printRound(c, r);
    });

  prog
    .command('d03 <programmeId>')
    .description('Write the D03-TS list for the social insurance office (.xlsx, from the editable template); --submit records the submission and the payment')
    .option('--out <file.xlsx>', 'where to write the list')
    .option('--template <file.xlsx>', 'another template (default: src/modules/programmes/selection/templates/d03-ts.xlsx or COVERDESK_D03_TEMPLATE)')
    .option('--number <no>', 'the list\'s number ("Số: ...")')
    .option('--allow-incomplete', 'write the list even with rows lacking a social insurance code, identity number, facility or collector (flagged)')
    .option('--check', 'say what the list lacks, write nothing')
    .option('--submit', "submit the list: the awards' payment in the ledger, the programme to 'submitted'")
    .option('--note <text>', 'note of the submission')
    .option('--yes', 'with --submit: confirm (else the command says what it would pay and submits nothing)')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { out?: string; template?: string; number?: string; allowIncomplete?: boolean; check?: boolean; submit?: boolean; note?: string; yes?: boolean; json?: boolean }) => {
      const c = ctx();
      if (!opts.out && !opts.submit && !opts.check) throw new AppError('validation', {}, [{ path: 'out', key: 'required' }]);
      await c.withDb(async (d) => {
        const result: Record<string, unknown> = {};
        if (opts.check) {
          const check = await d03.d03Check(d.db, c.actor, id);
          result.check = check;
          if (!opts.json) {
            c.out(c.t('selection:cli.d03_check', { rows: check.rows, incomplete: check.incomplete.length }));
            if (check.headerMissing.length) c.out(`  ${c.t('selection:d03.missing', { fields: c.t('selection:d03.fields.unitCode') })}`);
            for (const r of check.incomplete) c.out(`  ${r.no}. ${r.fullName} (${r.commune}): ${r.missing.map((f) => c.t(`selection:d03.fields.${f}`)).join(', ')}`);
          }
        }
        if (opts.out) {
          const out = await d03.d03Workbook(d.db, c.actor, id, { ...(opts.template ? { templatePath: opts.template } : {}), allowIncomplete: opts.allowIncomplete, number: opts.number });
          fs.writeFileSync(opts.out, out.buffer);
          Object.assign(result, { file: opts.out, rows: out.rows, total: out.total });
          if (!opts.json) c.out(`${c.t('selection:cli.written', { file: opts.out })} (${out.rows}, ${formatVnd(out.total)})`);
        }
        if (opts.submit) {
          const s = await confirmedRun(c, opts.yes, (confirm) => d03.submitList(d.db, c.actor, id, opts.note ?? null, confirm), opts.json);
          result.submitted = s;
          if (!opts.json) c.out(c.t('selection:cli.submitted', { count: s.awards, amount: formatVnd(s.amount) }));
        }
        if (opts.json) c.json(result);
      });
    });

  prog
    .command('unsubmit <programmeId>')
    .description("Withdraw the submitted D03-TS list before any card is issued: the payment reversed in the ledger (paid -> awarded), the programme back to 'list_approved'")
    .requiredOption('--reason <text>', 'why (kept in the ledger and the audit log)')
    .option('--yes', 'confirm (else the command says what it would reverse and changes nothing)')
    .option('--json', 'print the result as JSON')
    .action(async (id: string, opts: { reason: string; yes?: boolean; json?: boolean }) => {
      const c = ctx();
      const r = await c.withDb((d) => confirmedRun(c, opts.yes, (confirm) => d03.unsubmitList(d.db, c.actor, id, opts.reason, confirm), opts.json));
      if (opts.json) return c.json(r);
      c.out(c.t('selection:cli.unsubmitted', { count: r.reversed.count, amount: formatVnd(r.reversed.amount) }));
    });

  prog
    .command('issue-cards <programmeId>')
    .description("Record the cards the social insurance office issued: --file (the office's returned list) or one card with --award/--citizen-id/--insurance-code, --number, --from, --to")
    .option('--file <list.xlsx|list.csv>', "columns 'Số CCCD' or 'Mã số BHXH' (or 'Mã suất tặng'), 'Mã thẻ', 'Từ ngày', 'Đến ngày'")
    .option('--award <id>', 'award id')
    .option('--citizen-id <id>', 'citizen id of the beneficiary')
    .option('--insurance-code <code>', 'social insurance code of the beneficiary')
    .option('--number <cardNumber>', 'card number')
    .option('--from <date>', 'valid from (dd/MM/yyyy or YYYY-MM-DD)')
    .option('--to <date>', 'valid to (dd/MM/yyyy or YYYY-MM-DD)')
    .option('--list', 'list the awards and their cards')
    .option('--yes', 'confirm recording (the last card moves the programme to cards_issued)')
    .option('--overlap-reason <text>', 'record a card that overlaps another card of the person (a real correction): why (audited)')
    .option('--json', 'print the result as JSON')
    .action(
      async (
        id: string,
        opts: { file?: string; award?: string; citizenId?: string; insuranceCode?: string; number?: string; from?: string; to?: string; list?: boolean; yes?: boolean; overlapReason?: string; json?: boolean },
      ) => {
        const c = ctx();
        if (opts.list) {
          const list = await c.withDb((d) => issue.listIssuedCards(d.db, c.actor, id));
          if (opts.json) return c.json(list);
          c.out(c.t('selection:web.cards_done', { issued: list.issued, total: list.live }));
          for (const a of list.items)
            c.out(`  ${a.id}  ${a.fullName}  ${date(c, a.birthDate)}  ${a.citizenId ?? '-'}  ${a.cardNumber ?? '-'}  ${a.cardFrom ? `${date(c, a.cardFrom)}–${date(c, a.cardTo)}` : ''}`);
          return;
        }
        if (opts.file) {
          const file = opts.file;
          const report = await c.withDb((d) =>
            confirmedRun(
              c,
              opts.yes,
              (confirm) =>
                issue.importIssuedCards(d.db, c.actor, id, { buffer: readFile(file), format: formatOf(file) }, { language: c.lang, confirm, ...(opts.overlapReason ? { overlapReason: opts.overlapReason } : {}) }),
              opts.json,
            ),
          );
          if (opts.json) return c.json(report);
          for (const e of report.errors) c.out(`  ${c.t('selection:web.row')} ${e.row}, ${e.column}: ${e.message}${e.value ? ` (${e.value})` : ''}`);
          if (report.result) c.out(c.t('selection:cli.issued', { count: report.result.recorded, issued: report.result.issued, total: report.result.total }));
          if (report.errors.length) process.exitCode = 2;
          return;
        }
        const from = opts.from ? parseDate(opts.from) : undefined;
        const to = opts.to ? parseDate(opts.to) : undefined;
        const fields = [
          ...(from ? [] : [selectionField('from', 'invalid_date')]),
          ...(to ? [] : [selectionField('to', 'invalid_date')]),
          ...(opts.number ? [] : [selectionField('number', 'card_number_required')]),
        ];
        if (fields.length) throw new AppError('validation', {}, fields);
        const card = {
          ...(opts.award ? { awardId: opts.award } : {}),
          ...(opts.citizenId ? { citizenId: opts.citizenId } : {}),
          ...(opts.insuranceCode ? { insuranceCode: opts.insuranceCode } : {}),
          cardNumber: opts.number!,
          validFrom: from!,
          validTo: to!,
          ...(opts.overlapReason ? { overlapReason: opts.overlapReason } : {}),
        };
        const result = await c.withDb((d) => confirmedRun(c, opts.yes, (confirm) => issue.recordIssuedCards(d.db, c.actor, id, [card], confirm), opts.json));
        if (opts.json) return c.json(result);
        c.out(c.t('selection:cli.issued', { count: result.recorded, issued: result.issued, total: result.total }));
      },
    );
}
