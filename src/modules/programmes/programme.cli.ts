/**
 * `programme create|list|show|status`, `donor add|list`, `pledge add|confirm`, `receipt add`,
 * `refund add`, `ledger --programme ID`: the same services as the API, with --json everywhere.
 */
import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { formatDateVi, todayInVietnam } from '../../domain/dates';
import { formatVnd } from '../../domain/money';
import { AppError } from '../../errors';
import type { ProgrammeStatus } from '../../db/schema';
import * as money from './donors.service';
import { readLedger } from './ledger.service';
import * as programmes from './programme.service';
import { programmeField } from './programme.service';
import type { CreateProgrammeInput } from './programme.schemas';
import { confirmedRun } from './confirm.cli';

/** '1263600', '1.263.600' or '1,263,600' -> 1263600; anything else refuses naming the option. */
export function parseAmount(value: string, field = 'amount'): number {
  const text = value.trim().replace(/[.,\s]/g, '').replace(/₫$/, '');
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new AppError('validation', {}, [programmeField(field, 'not_an_amount')]);
  return Number(text);
}

function integer(value: string, field: string): number {
  if (!/^\d+$/.test(value.trim())) throw new AppError('validation', {}, [{ path: field, key: 'invalid_type', params: { expected: 'number' } }]);
  return Number(value);
}

const list = (value: string | undefined) =>
  (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

/** 'ethnic_minority=3,pupil=2' -> weights; 'storm_victim,pupil' -> tiers. */
export function parsePriorities(value: string | undefined): Record<string, number> | string[] | undefined {
  if (!value) return undefined;
  const parts = list(value);
  if (parts.every((p) => p.includes('='))) {
    const out: Record<string, number> = {};
    for (const p of parts) {
      const [k, v] = p.split('=');
      out[k.trim()] = Number(v.trim().replace(',', '.'));
      if (!Number.isFinite(out[k.trim()])) throw new AppError('validation', {}, [{ path: `priorities.${k.trim()}`, key: 'invalid_type', params: { expected: 'number' } }]);
    }
    return out;
  }
  return parts;
}

export function registerProgrammeCommands(program: Command, ctx: () => CliContext): void {
  const vnd = (n: number) => formatVnd(n);
  const date = (c: CliContext, iso: string) => (c.lang === 'vi' ? formatDateVi(iso) : iso);

  // ---------------------------------------------------------------------------------------- programme
  const prog = program.command('programme').description('Donation programmes (chương trình tặng thẻ BHYT): create, list, show, move through the status flow');

  prog
    .command('create')
    .description('Create a programme (status draft)')
    .requiredOption('--name <text>', 'programme name')
    .requiredOption('--owner <code>', 'the unit running it: a province (15) or a commune (02905)')
    .option('--area-kind <kind>', 'province | communes | area', 'province')
    .option('--area <codes>', 'unit codes of the area, comma separated (communes, or the commune/villages of one area)')
    .option('--area-note <text>', 'a note on the area')
    .requiredOption('--months <n>', 'card months, 1-12')
    .requiredOption('--purchase-date <yyyy-mm-dd>', 'the date the cards are bought')
    .requiredOption('--deadline <yyyy-mm-dd>', 'the handover deadline')
    .option('--season <text>', "handover season, e.g. 'Tết 2026'")
    .option('--selection-mode <mode>', 'concentrate | spread')
    .option('--priorities <list>', "weights 'ethnic_minority=3,pupil=2' or tiers 'storm_victim,pupil' (first = highest)")
    .option('--json', 'print the programme as JSON')
    .action(async (opts) => {
      const c = ctx();
      const priorities = parsePriorities(opts.priorities);
      const input: CreateProgrammeInput = {
        name: opts.name,
        ownerUnitCode: opts.owner,
        areaKind: opts.areaKind,
        areaCodes: list(opts.area),
        areaNote: opts.areaNote,
        cardMonths: integer(opts.months, 'cardMonths'),
        purchaseDate: opts.purchaseDate,
        deadline: opts.deadline,
        handoverSeason: opts.season,
        selectionMode: opts.selectionMode,
        priorities,
        priorityMode: priorities === undefined ? undefined : Array.isArray(priorities) ? 'tiers' : 'weights',
      };
      const detail = await c.withDb(async ({ db }) => {
        const p = await programmes.createProgramme(db, c.actor, input);
        return programmes.getProgramme(db, c.actor, p.id, todayInVietnam());
      });
      if (opts.json) return c.json(detail);
      c.out(c.t('programmes:cli.programme_created', { name: detail.name, id: detail.id }));
    });

  prog
    .command('list')
    .description('Programmes with status, deadline (overdue flagged) and money raised, spent and left')
    .option('--status <status>', 'only programmes in this status')
    .option('--json', 'print as JSON')
    .action(async (opts) => {
      const c = ctx();
      const items = await c.withDb(({ db }) => programmes.listProgrammes(db, c.actor, { status: opts.status }, todayInVietnam()));
      if (opts.json) return c.json(items);
      if (items.length === 0) return c.out(c.t('programmes:cli.no_programmes'));
      for (const p of items) {
        const spent = p.balance.awarded + p.balance.paid;
        c.out(
          [
            p.id,
            p.name,
            c.t(`programmes:status.${p.status}`),
            `${date(c, p.deadline)}${p.overdue ? ` ${c.t('programmes:cli.overdue')}` : ''}`,
            `${c.t('programmes:list.raised')} ${vnd(p.balance.received)}`,
            `${c.t('programmes:list.spent')} ${vnd(spent)}`,
            `${c.t('programmes:list.left')} ${vnd(p.balance.available)}`,
          ].join(' | '),
        );
      }
    });

  prog
    .command('show')
    .description('A programme with its balances and status history')
    .argument('<id>', 'programme id')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts) => {
      const c = ctx();
      const p = await c.withDb(({ db }) => programmes.getProgramme(db, c.actor, id, todayInVietnam()));
      if (opts.json) return c.json(p);
      c.out(`${p.name} (${p.id})`);
      c.out(`${c.t('programmes:page.owner')}: ${p.ownerUnitName} (${p.ownerUnitCode}) | ${c.t('programmes:page.area')}: ${p.areaUnits.map((u) => `${u.name} (${u.code})`).join(', ')}`);
      c.out(`${c.t('programmes:list.status')}: ${c.t(`programmes:status.${p.status}`)} | ${c.t('programmes:page.deadline')}: ${date(c, p.deadline)}${p.overdue ? ` ${c.t('programmes:cli.overdue')}` : ''}`);
      c.out(c.t('programmes:cli.balance', Object.fromEntries(Object.entries(p.balance).map(([k, v]) => [k, vnd(v)]))));
      for (const h of p.history)
        c.out(`  ${h.at.slice(0, 19).replace('T', ' ')}  ${h.actorName}  ${h.fromStatus ? c.t(`programmes:status.${h.fromStatus}`) : '-'} → ${c.t(`programmes:status.${h.toStatus}`)}${h.note ? `  (${h.note})` : ''}`);
    });

  prog
    .command('status')
    .description('Move a programme one step forward, or one step back with --note')
    .argument('<id>', 'programme id')
    .argument('<status>', 'draft | raising | selecting | list_approved | submitted | cards_issued | handed_over | closed')
    .option('--note <text>', 'why (required when going back)')
    .option('--yes', 'confirm (else the command says what it would do and changes nothing)')
    .option('--json', 'print the programme as JSON')
    .action(async (id: string, to: string, opts) => {
      const c = ctx();
      const { before, after } = await c.withDb(async ({ db }) => {
        const b = await programmes.programmeForActor(db, c.actor, id, 'write');
        await confirmedRun(c, opts.yes, (confirm) => programmes.stepProgrammeStatus(db, c.actor, id, to as ProgrammeStatus, opts.note ?? null, confirm), opts.json);
        return { before: b, after: await programmes.getProgramme(db, c.actor, id, todayInVietnam()) };
      });
      if (opts.json) return c.json(after);
      c.out(c.t('programmes:cli.status_changed', { id, from: c.t(`programmes:status.${before.status}`), to: c.t(`programmes:status.${after.status}`) }));
    });

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
