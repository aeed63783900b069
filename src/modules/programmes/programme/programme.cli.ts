/**
 * `programme create|list|show|status`: the same services as the API, with --json everywhere. The
 * money commands (`donor`, `pledge`, `receipt`, `refund`, `ledger`) are in money/money.cli.ts.
 */
import type { Command } from 'commander';
import type { CliContext } from '../../../cli/context';
import { formatDateVi, todayInVietnam } from '../../../domain/dates';
import { formatVnd } from '../../../domain/money';
import { AppError } from '../../../errors';
import type { ProgrammeStatus } from '../../../db/schema';
import * as programmes from './programme.service';
import { programmeField, programmeForActor } from './programme.access';
import type { CreateProgrammeInput } from './programme.schemas';
import { confirmedRun } from './confirm.cli';

/** '1263600', '1.263.600' or '1,263,600' -> 1263600; anything else refuses naming the option. */
export function parseAmount(value: string, field = 'amount'): number {
  const text = value.trim().replace(/[.,\s]/g, '').replace(/₫$/, '');
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) throw new AppError('validation', {}, [programmeField(field, 'not_an_amount')]);
  return Number(text);
}

export function integer(value: string, field: string): number {
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
        const b = await programmeForActor(db, c.actor, id, 'write');
        await confirmedRun(c, opts.yes, (confirm) => programmes.stepProgrammeStatus(db, c.actor, id, to as ProgrammeStatus, opts.note ?? null, confirm), opts.json);
        return { before: b, after: await programmes.getProgramme(db, c.actor, id, todayInVietnam()) };
      });
      if (opts.json) return c.json(after);
      c.out(c.t('programmes:cli.status_changed', { id, from: c.t(`programmes:status.${before.status}`), to: c.t(`programmes:status.${after.status}`) }));
    });
}
