import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { DataDirInUseError } from '../../db/data-dir-lock';
import { formatVnd } from '../../domain/money';
import { formatDateVi } from '../../domain/dates';
import { AppError } from '../../errors';
import * as premium from './premium.service';
import type { QuoteRequest, VsiQuoteRequest } from './premium.schemas';

/** The products the rules engine quotes: BHYT (the default) and voluntary social insurance. */
const PRODUCTS = ['bhyt', 'bhxh-tn'] as const;
type Product = (typeof PRODUCTS)[number];

function productOf(opts: PremiumOptions): Product {
  const product = (opts.product ?? 'bhyt').toLowerCase();
  if (!(PRODUCTS as readonly string[]).includes(product))
    throw new AppError('validation', {}, [{ path: 'product', key: 'invalid_value', params: { options: PRODUCTS.join(', ') } }]);
  return product as Product;
}

const requireOption = (value: string | undefined, path: string): string => {
  if (value === undefined || !value.trim()) throw new AppError('validation', {}, [{ path, key: 'required' }]);
  return value;
};

interface PremiumOptions {
  product?: string;
  date: string;
  months: string;
  groups?: string;
  group?: string;
  income?: string;
  province?: string;
  enrolledThisYear?: string;
  birthDates?: string;
  json?: boolean;
}

const int = (value: string | undefined, path: string) => {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value.trim())) throw new AppError('validation', {}, [{ path, key: 'invalid_type', params: { expected: 'integer' } }]);
  return Number(value);
};

/** The CLI's request: one member per group code; `--birth-dates` in the same order (empty to skip). */
export function requestFromOptions(opts: PremiumOptions): QuoteRequest {
  const births = opts.birthDates?.split(',') ?? [];
  return {
    date: opts.date,
    months: int(opts.months, 'months')!,
    members: requireOption(opts.groups, 'groups').split(',').map((g, i) => ({
      groups: g
        .split('+')
        .map((c) => c.trim().toUpperCase())
        .filter(Boolean),
      ...(births[i]?.trim() ? { birthDate: births[i].trim() } : {}),
    })),
    ...(opts.province ? { province: opts.province } : {}),
    ...(opts.enrolledThisYear !== undefined ? { enrolledThisYear: int(opts.enrolledThisYear, 'enrolledThisYear') } : {}),
  };
}

/** The voluntary social insurance request: one member in the group(s) `--group` names ('poor', 'poor+island'). */
export function vsiRequestFromOptions(opts: PremiumOptions): VsiQuoteRequest {
  return {
    date: opts.date,
    months: int(opts.months, 'months')!,
    members: [
      {
        groups: requireOption(opts.group ?? opts.groups, 'group')
          .split('+')
          .map((g) => g.trim().toLowerCase())
          .filter(Boolean),
        ...(opts.income !== undefined ? { income: int(opts.income, 'income') } : {}),
      },
    ],
    ...(opts.province ? { province: opts.province } : {}),
  };
}

/** The voluntary social insurance answer in the shape of the BHYT one (`--json`), plus the income. */
export function vsiQuoteJson(q: premium.VsiQuoteWithRules) {
  return {
    product: q.product,
    members: q.members.map((m) => ({
      group: m.group,
      order: m.order,
      income: m.income,
      premium: m.premium,
      state: m.state,
      local: m.local,
      payable: m.payable,
      validFrom: m.validFrom,
      validTo: m.validTo,
    })),
    total: q.total,
  };
}

/** The shape `--json` prints (and the API's numbers, which a test compares). */
export function quoteJson(q: premium.QuoteWithRules) {
  return {
    members: q.members.map((m) => ({
      group: m.group,
      order: m.order,
      premium: m.premium,
      state: m.state,
      local: m.local,
      payable: m.payable,
      validFrom: m.validFrom,
      validTo: m.validTo,
    })),
    total: q.total,
  };
}

/** On the embedded database while the server runs, ask the server (the quote needs no login). */
async function quoteThroughServer<T>(port: number, url: string, request: QuoteRequest | VsiQuoteRequest, lang: string): Promise<T> {
  const res = await fetch(`http://127.0.0.1:${port}${url}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'accept-language': lang },
    body: JSON.stringify(request),
  });
  const body = await res.json();
  if (!res.ok) {
    process.stderr.write(`${body.error.message}\n`);
    for (const f of body.error.fields ?? []) process.stderr.write(`  ${f.path}: ${f.message}\n`);
    process.exit(2);
  }
  return body;
}

type Db = Parameters<Parameters<CliContext['withDb']>[0]>[0]['db'];

/** Price on the local database; while the server holds the embedded database, ask the server instead. */
async function quoteLocallyOrThroughServer<T>(c: CliContext, url: string, request: QuoteRequest | VsiQuoteRequest, local: (db: Db) => Promise<T>): Promise<T> {
  try {
    return await c.withDb(({ db }) => local(db));
  } catch (e) {
    if (e instanceof DataDirInUseError && e.owner.role === 'server' && e.owner.port) return quoteThroughServer<T>(e.owner.port, url, request, c.lang);
    throw e;
  }
}

export function registerPremiumCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('premium')
    .description(
      'What BHYT cards (default) or voluntary social insurance (--product bhxh-tn) cost on a date: per member the premium, state, local and participant shares',
    )
    .option('--product <product>', 'bhyt (default) or bhxh-tn (voluntary social insurance, BHXH tự nguyện)')
    .requiredOption('--date <YYYY-MM-DD>', 'payment date')
    .requiredOption('--months <n>', 'months paid for: BHYT 1-12; bhxh-tn 1, 3, 6 or 12')
    .option('--groups <codes>', 'BHYT: one participant group per member, comma-separated (e.g. GD,GD,HS); a member in several groups: HS+DT')
    .option('--group <group>', 'bhxh-tn: poor, near_poor, ethnic_minority, island or other (several: poor+island; the highest level applies)')
    .option('--income <dong>', 'bhxh-tn: the monthly income chosen (default the lowest, the rural poverty line)')
    .option('--province <code>', 'province code, for local support policies (e.g. 79)')
    .option('--enrolled-this-year <n>', 'household-mode members of the household who already joined this calendar year')
    .option('--birth-dates <dates>', 'birth dates in the order of --groups, comma-separated (empty to skip one)')
    .option('--json', 'print {"members":[{group,order,premium,state,local,payable,validFrom,validTo}],"total":{premium,state,local,payable}}')
    .action(async (opts: PremiumOptions) => {
      const c = ctx();
      if (productOf(opts) === 'bhxh-tn') return printVsiQuote(c, opts);
      const request = requestFromOptions(opts);
      const q = await quoteLocallyOrThroughServer(c, '/api/premium/quote', request, (db) => premium.quote(db, request));
      if (opts.json) return c.json(quoteJson(q));
      const t = c.t;
      const rows = q.members.map((m, i) => [
        String(i + 1),
        m.group,
        m.order === null ? '' : String(m.order),
        formatVnd(m.premium),
        formatVnd(m.state),
        formatVnd(m.local),
        formatVnd(m.payable),
        `${formatDateVi(m.validFrom)} - ${formatDateVi(m.validTo)}`,
      ]);
      const header = ['#', t('premium.group'), t('premium.order'), t('premium.premium'), t('premium.state'), t('premium.local'), t('premium.payable'), t('premium.card')];
      const total = ['', t('premium.total'), '', formatVnd(q.total.premium), formatVnd(q.total.state), formatVnd(q.total.local), formatVnd(q.total.payable), ''];
      const table = [header, ...rows, total];
      const widths = header.map((_, col) => Math.max(...table.map((r) => r[col].length)));
      const line = (r: string[]) => r.map((cell, col) => (col >= 3 && col <= 6 ? cell.padStart(widths[col]) : cell.padEnd(widths[col]))).join('  ');
      c.out(line(header));
      c.out(widths.map((w) => '-'.repeat(w)).join('  '));
      rows.forEach((r) => c.out(line(r)));
      c.out(line(total));
      c.out('');
      printRulesUsed(c, q.rules);
    });
}

/**
 * The rules a quote used, in the user's words: what each is (its kind, and the group a group's rule is
 * about), the day it applies from and its source; the rule's id last, to look it up in `coverdesk rules`.
 */
function printRulesUsed(c: CliContext, rules: readonly { id: string; kind: string; from: string; source: string; uncertain: boolean; rule: object }[]): void {
  for (const r of rules) {
    const about = 'code' in r.rule ? r.rule.code : 'group' in r.rule ? r.rule.group : undefined;
    const code = typeof about === 'string' ? ` ${about}` : '';
    const what = `${c.t(`web:rules.kinds.${r.kind}`, { defaultValue: r.kind })}${code}`;
    c.out(`${r.uncertain ? '? ' : '  '}${c.t('premium.rule_used', { what, from: formatDateVi(r.from), source: r.source, id: r.id })}`);
  }
  if (rules.some((r) => r.uncertain)) c.out(c.t('premium.uncertain_legend'));
}

async function printVsiQuote(c: CliContext, opts: PremiumOptions): Promise<void> {
  const request = vsiRequestFromOptions(opts);
  const q = await quoteLocallyOrThroughServer(c, '/api/premium/bhxh-tn/quote', request, (db) => premium.vsiQuote(db, request));
  if (opts.json) return c.json(vsiQuoteJson(q));
  const t = c.t;
  for (const m of q.members) {
    c.out(`${t('premium.vsi_title')}: ${t(`premium.vsi_group_${m.group}`)}`);
    c.out(`  ${t('premium.vsi_income')}: ${formatVnd(m.income)} (${formatVnd(m.minIncome)} - ${formatVnd(m.maxIncome)})`);
    c.out(`  ${t('premium.premium')}: ${formatVnd(m.premium)}`);
    c.out(`  ${t('premium.state')}: ${formatVnd(m.state)}`);
    c.out(`  ${t('premium.local')}: ${formatVnd(m.local)}`);
    c.out(`  ${t('premium.payable')}: ${formatVnd(m.payable)}`);
    c.out(`  ${formatDateVi(m.validFrom)} - ${formatDateVi(m.validTo)}`);
  }
  c.out('');
  printRulesUsed(c, q.rules);
}

export function registerRulesCommands(program: Command, ctx: () => CliContext): void {
  const rules = program.command('rules').description('The premium and subsidy rules: what is in force, history, and admin additions');
  rules
    .command('list')
    .description('The rules in force on a date, each with its legal source (? marks uncertain ones)')
    .option('--date <YYYY-MM-DD>', 'the date (default today)')
    .option('--history', 'every entry, past and future')
    .option('--json', 'print JSON')
    .action(async (opts: { date?: string; history?: boolean; json?: boolean }) => {
      const c = ctx();
      const { todayInVietnam } = await import('../../domain/dates');
      const list = await c.withDb(async ({ db }) =>
        opts.history ? premium.rulesHistory(db) : (await premium.rulesInForce(db, opts.date ?? todayInVietnam())).rules,
      );
      if (opts.json) return c.json(list);
      for (const r of list) c.out(`${r.uncertain ? '?' : ' '} ${r.kind.padEnd(18)} ${r.from}${r.to ? `..${r.to}` : '   '}  ${r.id}  (${r.source})`);
    });
  rules
    .command('add-base-salary')
    .description('Add a base salary from a date (or correct the one starting that day); audited')
    .requiredOption('--from <YYYY-MM-DD>', 'first day it applies')
    .requiredOption('--amount <dong>', 'dong per month, e.g. 2530000')
    .requiredOption('--source <text>', 'legal basis, e.g. "Nghị định 161/2026/NĐ-CP"')
    .option('--note <text>', 'note')
    .option('--uncertain', 'mark as not yet confirmed')
    .action(async (opts: { from: string; amount: string; source: string; note?: string; uncertain?: boolean }) => {
      const c = ctx();
      const entry = await c.withDb(({ db }) =>
        premium.addBaseSalary(db, c.actor, { from: opts.from, amount: int(opts.amount, 'amount')!, source: opts.source, note: opts.note, uncertain: opts.uncertain }),
      );
      c.out(c.t('cli.rule_added', { id: entry.id }));
    });
  rules
    .command('add-local-policy')
    .description('Add a provincial support policy on top of the state share; audited')
    .requiredOption('--province <code>', 'province code, e.g. 79')
    .requiredOption('--name <text>', 'name of the policy (Vietnamese)')
    .requiredOption('--percent <n>', 'percent of what remains after the state share')
    .requiredOption('--from <YYYY-MM-DD>', 'first day it applies')
    .option('--to <YYYY-MM-DD>', 'first day it no longer applies')
    .option('--groups <codes>', 'participant groups it applies to, comma-separated (default: all)')
    .option('--age-from <n>', 'minimum age (completed years)')
    .option('--age-below <n>', 'age limit (exclusive)')
    .requiredOption('--source <text>', 'legal basis, e.g. "Nghị quyết 12/2025/NQ-HĐND"')
    .action(async (opts: { province: string; name: string; percent: string; from: string; to?: string; groups?: string; ageFrom?: string; ageBelow?: string; source: string }) => {
      const c = ctx();
      const entry = await c.withDb(({ db }) =>
        premium.addLocalPolicy(db, c.actor, {
          province: opts.province,
          nameVi: opts.name,
          percent: Number(opts.percent),
          from: opts.from,
          to: opts.to,
          groups: opts.groups?.split(',').map((g) => g.trim()),
          ageFrom: int(opts.ageFrom, 'ageFrom'),
          ageBelow: int(opts.ageBelow, 'ageBelow'),
          source: opts.source,
        }),
      );
      c.out(c.t('cli.rule_added', { id: entry.id }));
    });
}
