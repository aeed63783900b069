/**
 * Voluntary social insurance (BHXH tự nguyện) rules as dated data: the second product of the rules
 * engine, beside the BHYT rules of premium-rules.ts (reference: shared/reference/voluntary-si-rules.md).
 *
 * The same conventions as the BHYT rules: every entry has a stable `id`, `from` (inclusive), `to`
 * (EXCLUSIVE; absent: until a later entry of the same kind), a legal `source` and `uncertain` where the
 * fact is not settled. Percentages are basis points (10000 = 100%); money is integer dong. The income
 * ceiling is a multiple of the base salary, which is read from the BHYT rule set (one base salary for
 * both products, so an administrator's new base salary moves both).
 */
import { isIsoDate, type IsoDate } from './dates';
import { vnd, type Vnd } from './money';
import { covers, entryInForce, type BasisPoints, type DatedRule, type RuleProblem } from './premium-rules';

/** Support groups of Decree 159/2025/NĐ-CP (island: residents of island communes and special zones). */
export const VSI_GROUPS = ['poor', 'near_poor', 'ethnic_minority', 'island', 'other'] as const;
export type VsiGroup = (typeof VSI_GROUPS)[number];
export const isVsiGroup = (value: string): value is VsiGroup => (VSI_GROUPS as readonly string[]).includes(value);

/** The contribution as a share of the chosen monthly income (22% = 2200). */
export interface VsiContributionRateRule extends DatedRule {
  readonly basisPoints: BasisPoints;
}

/** The rural poverty line (chuẩn nghèo khu vực nông thôn), dong per month: the lowest income, and the support base. */
export interface PovertyLineRule extends DatedRule {
  readonly amount: Vnd;
}

/** The highest income as a multiple of the base salary. */
export interface IncomeCeilingRule extends DatedRule {
  readonly baseSalaryMultiple: number;
}

/** State support for a group: a share of (contribution rate x rural poverty line) per month. */
export interface VsiStateSupportRule extends DatedRule {
  readonly group: VsiGroup;
  readonly basisPoints: BasisPoints;
}

/** How long the state supports one person, and which payment periods are allowed. */
export interface VsiTermsRule extends DatedRule {
  /** Months of state support per person over a lifetime (120 = 10 years). */
  readonly maxSupportMonths: number;
  /** Allowed payment periods in months (1, 3, 6, 12). */
  readonly paymentPeriods: readonly number[];
}

/**
 * A province's own support from the local budget (People's Council resolution), on the same base as the
 * state support (a share of the contribution rate x the rural poverty line per month), for the groups
 * given (all when absent). State and local support together never exceed the contribution.
 */
export interface VsiLocalTopUp extends DatedRule {
  readonly province: string;
  readonly nameVi: string;
  readonly nameEn: string;
  readonly groups?: readonly VsiGroup[];
  readonly basisPoints: BasisPoints;
}

export interface VsiRuleSet {
  readonly contributionRates: readonly VsiContributionRateRule[];
  readonly povertyLines: readonly PovertyLineRule[];
  readonly incomeCeilings: readonly IncomeCeilingRule[];
  readonly stateSupport: readonly VsiStateSupportRule[];
  readonly terms: readonly VsiTermsRule[];
  readonly localTopUps: readonly VsiLocalTopUp[];
}

export type VsiRuleEntry =
  | { readonly kind: 'vsi-contribution-rate'; readonly rule: VsiContributionRateRule }
  | { readonly kind: 'vsi-poverty-line'; readonly rule: PovertyLineRule }
  | { readonly kind: 'vsi-income-ceiling'; readonly rule: IncomeCeilingRule }
  | { readonly kind: 'vsi-state-support'; readonly rule: VsiStateSupportRule }
  | { readonly kind: 'vsi-terms'; readonly rule: VsiTermsRule }
  | { readonly kind: 'vsi-local-top-up'; readonly rule: VsiLocalTopUp };

export type VsiRuleKind = VsiRuleEntry['kind'];

export const VSI_RULE_KINDS: ReadonlyArray<readonly [VsiRuleKind, keyof VsiRuleSet]> = [
  ['vsi-contribution-rate', 'contributionRates'],
  ['vsi-poverty-line', 'povertyLines'],
  ['vsi-income-ceiling', 'incomeCeilings'],
  ['vsi-state-support', 'stateSupport'],
  ['vsi-terms', 'terms'],
  ['vsi-local-top-up', 'localTopUps'],
];

// ---------------------------------------------------------------------------------------------------
// Default data
// ---------------------------------------------------------------------------------------------------

const LAW_2014 = 'Law on Social Insurance 58/2014/QH13';
const LAW_2024 = 'Law on Social Insurance 41/2024/QH15';
const DECREE_134 = 'Decree 134/2015/NĐ-CP';
const DECREE_159 = 'Decree 159/2025/NĐ-CP';
const DECREE_07 = 'Decree 07/2021/NĐ-CP';
/** Decree 159/2025/NĐ-CP and Law 41/2024/QH15 in force. */
const NEW_LAW = '2025-07-01';
/** Decree 134/2015/NĐ-CP's support (art. 14) as the reference file dates it. */
const OLD_SUPPORT = '2018-01-01';

const contributionRates: VsiContributionRateRule[] = [
  { id: 'vsi-rate-2018-01-01', from: OLD_SUPPORT, to: NEW_LAW, basisPoints: 2_200, source: `${LAW_2014}; ${DECREE_134}` },
  { id: 'vsi-rate-2025-07-01', from: NEW_LAW, basisPoints: 2_200, source: `${LAW_2024} art. 36` },
];

const povertyLines: PovertyLineRule[] = [
  {
    id: 'rural-poverty-line-2022-01-01',
    from: '2022-01-01',
    to: '2026-01-01',
    amount: vnd(1_500_000),
    source: `${DECREE_07}, amended by Decree 30/2025/NĐ-CP`,
  },
  {
    id: 'rural-poverty-line-2026-01-01',
    from: '2026-01-01',
    amount: vnd(1_500_000),
    source: `${DECREE_07} (the 2026-2030 standard is not confirmed)`,
    uncertain: true,
    note:
      'The 2026-2030 national poverty standard was a draft when these rules were written: the 2022-2025 figure is ' +
      'carried on, flagged, until the new decree is entered.',
  },
];

const incomeCeilings: IncomeCeilingRule[] = [
  { id: 'vsi-income-ceiling-2018-01-01', from: OLD_SUPPORT, to: NEW_LAW, baseSalaryMultiple: 20, source: `${LAW_2014}; ${DECREE_134}` },
  { id: 'vsi-income-ceiling-2025-07-01', from: NEW_LAW, baseSalaryMultiple: 20, source: LAW_2024 },
];

const ONLY_HIGHEST = 'Only the highest level that applies to the person is given.';

function support(group: VsiGroup, basisPoints: BasisPoints, from: IsoDate, source: string, to?: IsoDate, note?: string): VsiStateSupportRule {
  return { id: `vsi-support-${group}-${from}`, group, basisPoints, from, ...(to ? { to } : {}), source, ...(note ? { note } : {}) };
}

const OLD_SOURCE = `${DECREE_134} art. 14`;
const OLD_NO_LEVEL = 'Decree 134/2015/NĐ-CP had no separate level for this group: it was supported as "others".';

const stateSupport: VsiStateSupportRule[] = [
  support('poor', 3_000, OLD_SUPPORT, OLD_SOURCE, NEW_LAW),
  support('near_poor', 2_500, OLD_SUPPORT, OLD_SOURCE, NEW_LAW),
  support('ethnic_minority', 1_000, OLD_SUPPORT, OLD_SOURCE, NEW_LAW, OLD_NO_LEVEL),
  support('island', 1_000, OLD_SUPPORT, OLD_SOURCE, NEW_LAW, OLD_NO_LEVEL),
  support('other', 1_000, OLD_SUPPORT, OLD_SOURCE, NEW_LAW),
  support('poor', 5_000, NEW_LAW, DECREE_159, undefined, ONLY_HIGHEST),
  support('island', 5_000, NEW_LAW, DECREE_159, undefined, ONLY_HIGHEST),
  support('near_poor', 4_000, NEW_LAW, DECREE_159, undefined, ONLY_HIGHEST),
  support('ethnic_minority', 3_000, NEW_LAW, DECREE_159, undefined, ONLY_HIGHEST),
  support('other', 2_000, NEW_LAW, DECREE_159, undefined, ONLY_HIGHEST),
];

const terms: VsiTermsRule[] = [
  {
    id: 'vsi-terms-2018-01-01',
    from: OLD_SUPPORT,
    to: NEW_LAW,
    maxSupportMonths: 120,
    paymentPeriods: [1, 3, 6, 12],
    source: DECREE_134,
    note: 'Support for at most 10 years (120 months) per person; paid monthly or every 3, 6 or 12 months. Paying years ahead at once is not priced here.',
  },
  {
    id: 'vsi-terms-2025-07-01',
    from: NEW_LAW,
    maxSupportMonths: 120,
    paymentPeriods: [1, 3, 6, 12],
    source: DECREE_159,
    note: 'Support for at most 10 years (120 months) per person; paid monthly or every 3, 6 or 12 months. Paying years ahead at once is not priced here.',
  },
];

/** Empty by default: no provincial resolution has been verified. Administrators' entries are merged in. */
const localTopUps: VsiLocalTopUp[] = [];

export const DEFAULT_VSI_RULES: VsiRuleSet = Object.freeze({ contributionRates, povertyLines, incomeCeilings, stateSupport, terms, localTopUps });

// ---------------------------------------------------------------------------------------------------
// Look-ups, history, validation
// ---------------------------------------------------------------------------------------------------

export const vsiRateOn = (rules: VsiRuleSet, date: IsoDate) => entryInForce(rules.contributionRates, date);
export const povertyLineOn = (rules: VsiRuleSet, date: IsoDate) => entryInForce(rules.povertyLines, date);
export const incomeCeilingOn = (rules: VsiRuleSet, date: IsoDate) => entryInForce(rules.incomeCeilings, date);
export const vsiTermsOn = (rules: VsiRuleSet, date: IsoDate) => entryInForce(rules.terms, date);
export const vsiSupportOn = (rules: VsiRuleSet, group: VsiGroup, date: IsoDate) =>
  entryInForce(
    rules.stateSupport.filter((s) => s.group === group),
    date,
  );
export const vsiTopUpsOn = (rules: VsiRuleSet, province: string, date: IsoDate) =>
  rules.localTopUps.filter((p) => p.province === province && covers(p, date));

const entriesOf = (rules: VsiRuleSet, kind: VsiRuleKind, list: keyof VsiRuleSet): VsiRuleEntry[] =>
  (rules[list] as readonly DatedRule[]).map((rule) => ({ kind, rule }) as VsiRuleEntry);

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Every entry, each kind in date order (then id). */
export function vsiRuleHistory(rules: VsiRuleSet): VsiRuleEntry[] {
  return VSI_RULE_KINDS.flatMap(([kind, list]) =>
    entriesOf(rules, kind, list).sort((a, b) => compareText(a.rule.from, b.rule.from) || compareText(a.rule.id, b.rule.id)),
  );
}

/** The entries in force on a date: one of each single-valued kind, one support level per group, every top-up. */
export function vsiRulesInForce(date: IsoDate, rules: VsiRuleSet): VsiRuleEntry[] {
  const result: VsiRuleEntry[] = [];
  for (const [kind, list] of VSI_RULE_KINDS) {
    const entries = entriesOf(rules, kind, list);
    if (kind === 'vsi-local-top-up') result.push(...entries.filter((e) => covers(e.rule, date)));
    else if (kind === 'vsi-state-support') {
      for (const group of VSI_GROUPS) {
        const current = vsiSupportOn(rules, group, date);
        if (current) result.push({ kind, rule: current });
      }
    } else {
      const current = entryInForce(
        entries.map((e) => e.rule),
        date,
      );
      if (current) result.push(entries.find((e) => e.rule === current)!);
    }
  }
  return result;
}

const isBasisPoints = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 10_000;

/** Duplicate ids, bad dates, missing sources, amounts and shares out of range, unknown groups. */
export function validateVsiRuleSet(rules: VsiRuleSet): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const problem = (id: string, field: string, message: string) => problems.push({ id, field, message });
  const seen = new Set<string>();
  for (const [, list] of VSI_RULE_KINDS) {
    for (const rule of rules[list] as readonly DatedRule[]) {
      if (seen.has(rule.id)) problem(rule.id, 'id', 'duplicate id');
      seen.add(rule.id);
      if (!isIsoDate(rule.from)) problem(rule.id, 'from', `not a date: ${rule.from}`);
      if (rule.to !== undefined && (!isIsoDate(rule.to) || rule.to <= rule.from)) problem(rule.id, 'to', '`to` (exclusive) must be a date after `from`');
      if (!rule.source?.trim()) problem(rule.id, 'source', 'missing legal source');
    }
  }
  for (const r of rules.contributionRates) if (!isBasisPoints(r.basisPoints) || r.basisPoints === 0) problem(r.id, 'basisPoints', 'must be 1-10000');
  for (const r of rules.povertyLines) if (!Number.isSafeInteger(r.amount) || r.amount <= 0) problem(r.id, 'amount', 'must be a positive whole number of dong');
  for (const r of rules.incomeCeilings) if (!(r.baseSalaryMultiple > 0)) problem(r.id, 'baseSalaryMultiple', 'must be positive');
  for (const r of [...rules.stateSupport, ...rules.localTopUps]) if (!isBasisPoints(r.basisPoints)) problem(r.id, 'basisPoints', 'must be 0-10000');
  for (const r of rules.stateSupport) if (!isVsiGroup(r.group)) problem(r.id, 'group', `unknown group: ${r.group}`);
  for (const r of rules.localTopUps) {
    r.groups?.forEach((g, i) => {
      if (!isVsiGroup(g)) problem(r.id, `groups[${i}]`, `unknown group: ${g}`);
    });
  }
  for (const r of rules.terms) {
    if (!Number.isInteger(r.maxSupportMonths) || r.maxSupportMonths < 0) problem(r.id, 'maxSupportMonths', 'must be a whole number');
    if (r.paymentPeriods.length === 0 || r.paymentPeriods.some((m) => !Number.isInteger(m) || m < 1)) problem(r.id, 'paymentPeriods', 'must be whole months');
  }
  return problems;
}
