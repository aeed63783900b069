/**
 * Voluntary social insurance (BHXH tự nguyện) contribution engine: the second product of the rules
 * engine (the first is BHYT, premium.ts). Pure: the payment date comes in, every figure the law can change
 * comes from the `VsiRuleSet` (voluntary-si-rules.ts) and the base salary from the BHYT rule set.
 *
 * For each member, on the payment date:
 * 1. Income: the monthly income the person chooses (default: the lowest, the rural poverty line), from the
 *    rural poverty line up to 20 x the base salary; outside that range the quote is refused, naming both.
 * 2. Contribution = 22% x income x months (rounded once, to whole dong, halves up).
 * 3. State support = the group's share x 22% x the rural poverty line x the months still supported: the
 *    highest level among the member's groups; at most 120 months per person (`supportMonthsUsed` counts
 *    those already had), so a payment past the cap is supported only for the months left.
 * 4. Local top-up: the highest provincial top-up the member qualifies for, on the same base as the state
 *    support, never more than what the state leaves to pay.
 * 5. Payable = contribution - state - local (the three always add up to the contribution).
 * Paying years ahead at once (discounted) is not priced: payment periods are 1, 3, 6 or 12 months.
 */
import { endOfPeriod } from './calendar';
import { isIsoDate, type IsoDate } from './dates';
import { formatVnd, vnd, type Vnd } from './money';
import { mulDivRound } from './premium';
import { RuleError, entryInForce, type BaseSalaryRule, type BasisPoints, type DatedRule } from './premium-rules';
import {
  incomeCeilingOn,
  isVsiGroup,
  povertyLineOn,
  vsiRateOn,
  vsiSupportOn,
  vsiTermsOn,
  vsiTopUpsOn,
  type VsiGroup,
  type VsiLocalTopUp,
  type VsiRuleSet,
  type VsiStateSupportRule,
} from './voluntary-si-rules';

export interface VsiMemberInput {
  /** Support groups (poor, near_poor, ethnic_minority, island, other); the highest level applies. */
  readonly groups: readonly string[];
  /** Monthly income chosen, dong; default the lowest (the rural poverty line). */
  readonly income?: number;
  /** Province code for a local top-up; defaults to the quote's province. */
  readonly province?: string;
  /** Months of state support the person has already had (of the 120). */
  readonly supportMonthsUsed?: number;
}

export interface VsiQuoteInput {
  readonly date: IsoDate;
  /** Payment period: 1, 3, 6 or 12 months. */
  readonly months: number;
  readonly members: readonly VsiMemberInput[];
  readonly province?: string;
}

export type VsiNoteCode = 'support_months_capped' | 'income_default_minimum';

export interface VsiNote {
  readonly code: VsiNoteCode;
  readonly message: string;
}

export interface VsiMemberQuote {
  readonly group: VsiGroup;
  /** Always null (no household order for this product): kept so both products have one shape. */
  readonly order: null;
  readonly premium: Vnd;
  readonly state: Vnd;
  readonly local: Vnd;
  readonly payable: Vnd;
  readonly income: Vnd;
  readonly minIncome: Vnd;
  readonly maxIncome: Vnd;
  readonly rateBasisPoints: BasisPoints;
  readonly stateBasisPoints: BasisPoints;
  readonly localBasisPoints: BasisPoints;
  /** Months of this payment the state supports (fewer than `months` past the 120-month cap). */
  readonly supportMonths: number;
  /** The months paid for: from the payment date. */
  readonly validFrom: IsoDate;
  readonly validTo: IsoDate;
  readonly ruleIds: string[];
  readonly uncertainRuleIds: string[];
  readonly notes: VsiNote[];
}

export interface VsiQuote {
  readonly product: 'bhxh-tn';
  readonly date: IsoDate;
  readonly months: number;
  readonly members: VsiMemberQuote[];
  readonly total: { premium: Vnd; state: Vnd; local: Vnd; payable: Vnd };
  readonly ruleIds: string[];
  readonly uncertainRuleIds: string[];
}

function need<T>(rule: T | undefined, what: string, date: IsoDate): T {
  if (!rule) throw new RuleError('no_rule_in_force', 'date', `no ${what} in force on ${date}`);
  return rule;
}

const sortedUnique = (ids: Iterable<string>) => [...new Set(ids)].sort();

/** Price one voluntary social insurance payment for one or more people. Throws RuleError naming the field. */
export function quoteVoluntarySi(input: VsiQuoteInput, rules: VsiRuleSet, baseSalaries: readonly BaseSalaryRule[]): VsiQuote {
  const { date, months } = input;
  if (typeof date !== 'string' || !isIsoDate(date)) throw new RuleError('invalid_date', 'date', `not a date (YYYY-MM-DD): ${String(date)}`);
  const terms = need(vsiTermsOn(rules, date), 'voluntary social insurance terms', date);
  if (!terms.paymentPeriods.includes(months)) {
    throw new RuleError('payment_period_invalid', 'months', `the payment period must be ${terms.paymentPeriods.join(', ')} months, got ${months}`, {
      periods: terms.paymentPeriods.join(', '),
      value: String(months),
    });
  }
  if (!Array.isArray(input.members) || input.members.length === 0) throw new RuleError('no_members', 'members', 'a quote needs at least one member');
  const rate = need(vsiRateOn(rules, date), 'contribution rate', date);
  const line = need(povertyLineOn(rules, date), 'rural poverty line', date);
  const ceilingRule = need(incomeCeilingOn(rules, date), 'income ceiling', date);
  const base = entryInForce(baseSalaries, date);
  if (!base) throw new RuleError('date_before_first_base_salary', 'date', `no base salary in force on ${date}`);
  const minIncome = line.amount;
  const maxIncome = vnd(Math.round(base.amount * ceilingRule.baseSalaryMultiple));
  const limits = { floor: formatVnd(minIncome), ceiling: formatVnd(maxIncome) };

  const members = input.members.map((member, i): VsiMemberQuote => {
    const at = `members[${i}]`;
    const notes: VsiNote[] = [];
    const groups: readonly string[] = member.groups;
    if (!Array.isArray(groups) || groups.length === 0) throw new RuleError('missing_group', `${at}.groups`, 'each member needs a support group');
    let chosen: VsiStateSupportRule | undefined;
    groups.forEach((g, j) => {
      if (!isVsiGroup(g)) throw new RuleError('unknown_group', `${at}.groups[${j}]`, `unknown group: ${g}`, { detail: g });
      const level = need(vsiSupportOn(rules, g, date), `state support for ${g}`, date);
      if (!chosen || level.basisPoints > chosen.basisPoints) chosen = level;
    });
    const supportRule = chosen!;

    const income = member.income ?? minIncome;
    if (member.income === undefined) notes.push({ code: 'income_default_minimum', message: `No income given: priced at the lowest, ${minIncome} dong.` });
    if (!Number.isSafeInteger(income) || income < 0) throw new RuleError('invalid_income', `${at}.income`, `not a whole number of dong: ${income}`, limits);
    if (income < minIncome) {
      throw new RuleError('income_below_floor', `${at}.income`, `income ${income} is under the lowest, ${minIncome} (the rural poverty line); the highest is ${maxIncome}`, {
        ...limits,
        value: formatVnd(income),
      });
    }
    if (income > maxIncome) {
      throw new RuleError('income_above_ceiling', `${at}.income`, `income ${income} is over the highest, ${maxIncome} (20 x the base salary); the lowest is ${minIncome}`, {
        ...limits,
        value: formatVnd(income),
      });
    }
    const used = member.supportMonthsUsed ?? 0;
    if (!Number.isSafeInteger(used) || used < 0) {
      throw new RuleError('support_months_out_of_range', `${at}.supportMonthsUsed`, `must be a whole number >= 0, got ${used}`);
    }
    const supportMonths = Math.max(0, Math.min(months, terms.maxSupportMonths - used));
    if (supportMonths < months) {
      notes.push({
        code: 'support_months_capped',
        message: `State support is limited to ${terms.maxSupportMonths} months per person; ${used} already had: ${supportMonths} of ${months} months supported.`,
      });
    }

    const premium = vnd(mulDivRound(income * months, rate.basisPoints, 10_000));
    const supportBase = line.amount * supportMonths; // x rate x share / 10^8
    const state = vnd(Math.min(premium, mulDivRound(supportBase, rate.basisPoints * supportRule.basisPoints, 100_000_000)));
    const province = member.province ?? input.province;
    let topUp: VsiLocalTopUp | undefined;
    if (province !== undefined) {
      for (const p of vsiTopUpsOn(rules, province, date)) {
        if (p.groups && !p.groups.some((g) => groups.includes(g))) continue;
        if (!topUp || p.basisPoints > topUp.basisPoints) topUp = p;
      }
    }
    const local = topUp ? vnd(Math.min(premium - state, mulDivRound(supportBase, rate.basisPoints * topUp.basisPoints, 100_000_000))) : vnd(0);
    const used_: DatedRule[] = [rate, line, ceilingRule, base, supportRule, terms, ...(topUp ? [topUp] : [])];
    return {
      group: supportRule.group,
      order: null,
      premium,
      state,
      local,
      payable: vnd(premium - state - local),
      income: vnd(income),
      minIncome,
      maxIncome,
      rateBasisPoints: rate.basisPoints,
      stateBasisPoints: supportRule.basisPoints,
      localBasisPoints: topUp?.basisPoints ?? 0,
      supportMonths,
      validFrom: date,
      validTo: endOfPeriod(date, months),
      ruleIds: sortedUnique(used_.map((r) => r.id)),
      uncertainRuleIds: sortedUnique(used_.filter((r) => r.uncertain).map((r) => r.id)),
      notes,
    };
  });

  const sum = (pick: (m: VsiMemberQuote) => number) => vnd(members.reduce((total, m) => total + pick(m), 0));
  return {
    product: 'bhxh-tn',
    date,
    months,
    members,
    total: { premium: sum((m) => m.premium), state: sum((m) => m.state), local: sum((m) => m.local), payable: sum((m) => m.payable) },
    ruleIds: sortedUnique(members.flatMap((m) => m.ruleIds)),
    uncertainRuleIds: sortedUnique(members.flatMap((m) => m.uncertainRuleIds)),
  };
}
