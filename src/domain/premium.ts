/**
 * BHYT premium and subsidy engine: who pays what, and when the card is valid.
 *
 * `quote(input, rules)` prices one payment for one or more people (a household, a class of pupils, a
 * donor's list). It is pure: the payment date comes in as an argument and every number that the law can
 * change comes from the `RuleSet` (see premium-rules.ts). It refuses with a `RuleError` rather than return
 * a number it cannot stand behind.
 *
 * How a member is priced:
 * 1. Groups: the member's group codes, plus the child-under-6 group (TE) when the birth date shows the
 *    person is under 6 on the payment date (noted as 'auto_child_under_6').
 * 2. Pricing group: the group with the highest state share on the payment date (ties: the first listed).
 * 3. Full premium = premium rate (4.5%) x base salary x months, with the base salary and rate in force on
 *    the pricing date (the payment date under the working rule; see the pricing-basis entry).
 * 4. Household mode (pricing group with role 'household', GD): members are numbered in input order after
 *    `enrolledThisYear`; the n-th pays the n-th household factor (the last factor for any later member)
 *    of the full premium. Members priced in another group do not count and pay the full premium.
 * 5. State share = round(premium x state basis points / 10000).
 * 6. Local share: the highest local policy of the member's province (member.province ?? input.province)
 *    whose group and age conditions the member meets, applied to what remains after the state share:
 *    local = round((premium - state) x local basis points / 10000). A province tops up what the state
 *    leaves to the participant, so it never pays more than that remainder.
 * 7. Payable = premium - state - local (exact: the three parts always add up to the premium).
 * Rounding is to the nearest dong, halves up, on integers (no floating point).
 */
import { addDays, addMonths, ageInYears, dateParts, endOfPeriod, lastDayOfMonth, laterOf } from './calendar';
import { isIsoDate, type IsoDate } from './dates';
import { vnd, type Vnd } from './money';
import {
  RuleError,
  baseSalaryOn,
  cardValidityOn,
  firstBaseSalaryDate,
  groupOn,
  groupWithRoleOn,
  householdFactorsOn,
  isKnownGroup,
  localPoliciesOn,
  premiumRateOn,
  pricingBasisOn,
  stateShareOn,
  type BasisPoints,
  type CardValidityRule,
  type DatedRule,
  type LocalPolicy,
  type ParticipantGroup,
  type RuleSet,
  type StateShareRule,
} from './premium-rules';

export { RuleError, listRulesInForce, ruleHistory } from './premium-rules';
export type { RuleErrorCode, RuleEntry, RuleKind, RuleSet } from './premium-rules';

// ---------------------------------------------------------------------------------------------------
// Input and output
// ---------------------------------------------------------------------------------------------------

export interface QuoteMemberInput {
  /** One or more group codes; a person in several groups gets the highest support. */
  readonly groups: readonly string[];
  readonly birthDate?: IsoDate;
  /** Province code for local support; defaults to the quote's province. */
  readonly province?: string;
  /** Last day of the person's previous card, if any (for continuity and the 30-day wait). */
  readonly previousCardTo?: IsoDate;
  /** School grade 1-12, for pupils' card dates. */
  readonly grade?: number;
  /** Commune code of the member's household, for local support limited to communes. */
  readonly commune?: string;
  /** Ethnicity as in the register (e.g. 'Kinh', 'H'Mông'), for local support of ethnic minorities. */
  readonly ethnicity?: string;
}

export interface QuoteInput {
  /** Payment date. */
  readonly date: IsoDate;
  /** Months paid for, 1-12. */
  readonly months: number;
  readonly members: readonly QuoteMemberInput[];
  /** Members of this household already enrolled in household mode earlier in this calendar year. */
  readonly enrolledThisYear?: number;
  /** Province code for local support (each member may override it). */
  readonly province?: string;
}

export type QuoteNoteCode =
  | 'auto_child_under_6'
  | 'base_salary_changes_in_period'
  | 'local_policy_needs_birth_date'
  | 'child_card_end_unknown'
  | 'first_time_wait_uncertain';

/** Something the person reading the quote should know; `message` is English, `code` is for i18n. */
export interface QuoteNote {
  readonly code: QuoteNoteCode;
  readonly message: string;
}

export interface Amounts {
  readonly premium: Vnd;
  readonly state: Vnd;
  readonly local: Vnd;
  readonly payable: Vnd;
}

export interface MemberQuote extends Amounts {
  /** The group that priced this member. */
  readonly group: string;
  /** Household order (1 = first member this year) for household-mode members, otherwise null. */
  readonly order: number | null;
  /** Base salary and full (undiscounted) premium for the period. */
  readonly baseSalary: Vnd;
  readonly fullPremium: Vnd;
  /** Household factor applied (basis points), null outside household mode. */
  readonly householdFactor: BasisPoints | null;
  readonly stateBasisPoints: BasisPoints;
  readonly localBasisPoints: BasisPoints;
  readonly validFrom: IsoDate;
  readonly validTo: IsoDate;
  /** True when the card continues a previous one (no 30-day wait). */
  readonly continuous: boolean;
  /** Every rule entry that priced this member or dated the card. */
  readonly ruleIds: string[];
  /** The entries among `ruleIds` marked uncertain that actually matter for this member. */
  readonly uncertainRuleIds: string[];
  readonly notes: QuoteNote[];
}

export interface Quote {
  readonly date: IsoDate;
  readonly months: number;
  readonly members: MemberQuote[];
  readonly total: Amounts;
  readonly ruleIds: string[];
  readonly uncertainRuleIds: string[];
}

// ---------------------------------------------------------------------------------------------------
// Integer arithmetic
// ---------------------------------------------------------------------------------------------------

/** round(a x b / c) to the nearest integer, halves up, exactly (non-negative integers). */
export function mulDivRound(a: number, b: number, c: number): number {
  const numerator = BigInt(a) * BigInt(b);
  const denominator = BigInt(c);
  return Number((2n * numerator + denominator) / (2n * denominator));
}

/** The basis-point share of an amount in whole dong. */
export function shareOf(amount: number, basisPoints: BasisPoints): Vnd {
  return vnd(mulDivRound(amount, basisPoints, 10_000));
}

/** Full premium for a period: rate x base salary x months, rounded once, to whole dong. */
export function periodPremium(baseSalary: number, rateBasisPoints: BasisPoints, months: number): Vnd {
  return vnd(mulDivRound(baseSalary * months, rateBasisPoints, 10_000));
}

// ---------------------------------------------------------------------------------------------------
// Card validity
// ---------------------------------------------------------------------------------------------------

export interface CardPeriodInput {
  readonly paymentDate: IsoDate;
  readonly months: number;
  readonly group: ParticipantGroup;
  readonly birthDate?: IsoDate;
  readonly previousCardTo?: IsoDate;
  readonly grade?: number;
}

export interface CardPeriod {
  readonly validFrom: IsoDate;
  readonly validTo: IsoDate;
  readonly continuous: boolean;
  readonly notes: QuoteNote[];
}

/** Is the person under the child-card age (72 months) on `date`? */
export function isUnderChildAge(birthDate: IsoDate, date: IsoDate, rule: CardValidityRule): boolean {
  return date < addMonths(birthDate, rule.childCardAgeMonths);
}

/**
 * Last day of a child's card: 30 September of the year the child turns 72 months when born on or before
 * 30 September (of the birth year), otherwise the last day of the month the child turns 72 months.
 */
export function childCardEnd(birthDate: IsoDate, rule: CardValidityRule): IsoDate {
  const turns = addMonths(birthDate, rule.childCardAgeMonths);
  const bornMonthDay = birthDate.slice(5);
  if (bornMonthDay <= rule.childCardCutoff) return `${turns.slice(0, 4)}-${rule.childCardCutoff}`;
  return lastDayOfMonth(turns);
}

/** Calendar year in which the school year of `date` began (see `schoolYearStart`). */
export function schoolYearOf(date: IsoDate, rule: CardValidityRule): number {
  const { year } = dateParts(date);
  return date.slice(5) >= rule.schoolYearStart ? year : year - 1;
}

/**
 * When the card for one member is valid.
 * - Continuous (previousCardTo given, and payment on or before it, or a break shorter than `breakMonths`):
 *   from the day after the previous card when paying before it expires, else from the payment date.
 * - First time, or a break of `breakMonths` or more: from the payment date, plus `firstTimeWaitDays` for
 *   groups with the wait flag.
 * - validTo = validFrom + months - 1 day (see `endOfPeriod`), except:
 *   children under 6 (role 'child-under-6'): to `childCardEnd`;
 *   pupils (role 'pupil') in grade 1: from no earlier than 1 October of the school year;
 *   pupils in the final grade: the period may not run past 30 September of the year school ends.
 */
export function cardPeriod(input: CardPeriodInput, rule: CardValidityRule, fieldPrefix = ''): CardPeriod {
  const { paymentDate, months, group, previousCardTo, birthDate, grade } = input;
  const notes: QuoteNote[] = [];

  let continuous = false;
  let validFrom = paymentDate;
  if (previousCardTo !== undefined) {
    if (paymentDate <= previousCardTo) {
      continuous = true;
      validFrom = addDays(previousCardTo, 1);
    } else {
      const breakStart = addDays(previousCardTo, 1);
      continuous = paymentDate < addMonths(breakStart, rule.breakMonths);
    }
  }
  if (!continuous) {
    if (group.firstTimeWait) validFrom = addDays(paymentDate, rule.firstTimeWaitDays);
    if (group.firstTimeWaitUncertain) {
      notes.push({
        code: 'first_time_wait_uncertain',
        message: `Whether group ${group.code} waits ${rule.firstTimeWaitDays} days for a first card is not settled (assumed: ${group.firstTimeWait ? 'it waits' : 'no wait'}).`,
      });
    }
  }

  const schoolYear = schoolYearOf(paymentDate, rule);
  if (group.role === 'pupil' && grade === 1) {
    validFrom = laterOf(validFrom, `${schoolYear}-${rule.pupilFirstGradeStart}`);
  }

  let validTo = endOfPeriod(validFrom, months);
  if (group.role === 'child-under-6') {
    if (birthDate !== undefined) {
      validTo = childCardEnd(birthDate, rule);
      if (validTo < validFrom) {
        throw new RuleError(
          'not_eligible',
          `${fieldPrefix}previousCardTo`,
          `the child's card would start on ${validFrom}, after the child card ends on ${validTo}`,
        );
      }
    } else {
      notes.push({
        code: 'child_card_end_unknown',
        message: 'No birth date: the child card end (age 6) cannot be computed; the card is dated by the months paid.',
      });
    }
  }
  if (group.role === 'pupil' && grade === rule.pupilFinalGrade) {
    const lastDay = `${schoolYear + 1}-${rule.pupilFinalGradeEnd}`;
    if (validTo > lastDay) {
      throw new RuleError(
        'months_out_of_range',
        'months',
        `a grade ${rule.pupilFinalGrade} pupil's card ends on ${lastDay}; a card from ${validFrom} for ${months} months would end on ${validTo}`,
      );
    }
  }
  return { validFrom, validTo, continuous, notes };
}

// ---------------------------------------------------------------------------------------------------
// The quote
// ---------------------------------------------------------------------------------------------------

function requireRule<T extends DatedRule>(rule: T | undefined, what: string, date: IsoDate, field: string): T {
  if (!rule) throw new RuleError('no_rule_in_force', field, `no ${what} in force on ${date}`);
  return rule;
}

function validateInput(input: QuoteInput, rules: RuleSet): void {
  if (typeof input.date !== 'string' || !isIsoDate(input.date)) {
    throw new RuleError('invalid_date', 'date', `not a date (YYYY-MM-DD): ${String(input.date)}`);
  }
  if (!Number.isInteger(input.months) || input.months < 1 || input.months > 12) {
    throw new RuleError('months_out_of_range', 'months', `months must be a whole number from 1 to 12, got ${input.months}`);
  }
  if (!Array.isArray(input.members) || input.members.length === 0) {
    throw new RuleError('no_members', 'members', 'a quote needs at least one member');
  }
  const enrolled = input.enrolledThisYear;
  if (enrolled !== undefined && (!Number.isSafeInteger(enrolled) || enrolled < 0)) {
    throw new RuleError('enrolled_out_of_range', 'enrolledThisYear', `must be a whole number >= 0, got ${enrolled}`);
  }
  const first = firstBaseSalaryDate(rules);
  if (first === undefined || input.date < first) {
    throw new RuleError(
      'date_before_first_base_salary',
      'date',
      `no base salary is known before ${first ?? '(none in the rule set)'}; got ${input.date}`,
    );
  }
  input.members.forEach((member, i) => {
    const at = `members[${i}]`;
    const groups: readonly string[] = member.groups;
    if (!Array.isArray(groups) || groups.length === 0) {
      throw new RuleError('missing_group', `${at}.groups`, 'each member needs at least one group');
    }
    groups.forEach((code: string, j: number) => {
      if (!isKnownGroup(rules, code)) throw new RuleError('unknown_group', `${at}.groups[${j}]`, `unknown group: ${code}`);
      if (!groupOn(rules, code, input.date)) {
        throw new RuleError('group_not_in_force', `${at}.groups[${j}]`, `group ${code} does not apply on ${input.date}`);
      }
    });
    for (const field of ['birthDate', 'previousCardTo'] as const) {
      const value = member[field];
      if (value !== undefined && (typeof value !== 'string' || !isIsoDate(value))) {
        throw new RuleError('invalid_date', `${at}.${field}`, `not a date (YYYY-MM-DD): ${String(value)}`);
      }
    }
    if (member.birthDate !== undefined && member.birthDate > input.date) {
      throw new RuleError('invalid_date', `${at}.birthDate`, `born after the payment date: ${member.birthDate}`);
    }
    if (member.grade !== undefined && (!Number.isInteger(member.grade) || member.grade < 1 || member.grade > 12)) {
      throw new RuleError('invalid_grade', `${at}.grade`, `grade must be a whole number from 1 to 12, got ${member.grade}`);
    }
  });
}

interface Candidate {
  readonly group: ParticipantGroup;
  readonly share: StateShareRule;
}

/** The member's groups on the date (plus TE when under 6), each with its state share; the highest first wins. */
function pricingCandidate(
  member: QuoteMemberInput,
  at: string,
  date: IsoDate,
  rules: RuleSet,
  cardRule: CardValidityRule,
  notes: QuoteNote[],
): { chosen: Candidate; codes: string[] } {
  const codes = [...new Set(member.groups)];
  const child = groupWithRoleOn(rules, 'child-under-6', date);
  if (child && member.birthDate !== undefined) {
    const under = isUnderChildAge(member.birthDate, date, cardRule);
    const listedAt = member.groups.indexOf(child.code);
    if (under && listedAt < 0) {
      codes.push(child.code);
      notes.push({
        code: 'auto_child_under_6',
        message: `Born ${member.birthDate}: under 6 on ${date}, so treated as group ${child.code} (${child.nameEn}).`,
      });
    } else if (!under && listedAt >= 0) {
      throw new RuleError(
        'not_eligible',
        `${at}.groups[${listedAt}]`,
        `group ${child.code} is for children under 6; born ${member.birthDate} is not under 6 on ${date}`,
      );
    }
  }
  let chosen: Candidate | undefined;
  for (const code of codes) {
    const group = groupOn(rules, code, date)!;
    const field = `${at}.groups[${Math.max(member.groups.indexOf(code), 0)}]`;
    const share = requireRule(stateShareOn(rules, code, date), `state share for group ${code}`, date, field);
    if (!chosen || share.basisPoints > chosen.share.basisPoints) chosen = { group, share };
  }
  return { chosen: chosen!, codes };
}

/** An ethnicity given and not Kinh (the majority): the register's free text, folded. */
export function isEthnicMinority(ethnicity: string | undefined | null): boolean {
  if (ethnicity === undefined || ethnicity === null) return false;
  const folded = ethnicity.trim().toLowerCase();
  return folded !== '' && folded !== 'kinh';
}

/**
 * What a local policy pays for one member: a share of the remainder (the default) or of the premium, or a
 * fixed amount per year pro rata for `months`; never more than the remainder (nobody pays below zero).
 */
export function localSupport(policy: LocalPolicy, premium: Vnd, remainder: Vnd, months: number): Vnd {
  const raw =
    policy.amountPerYear !== undefined
      ? Math.round((policy.amountPerYear * months) / 12)
      : shareOf(policy.base === 'premium' ? premium : remainder, policy.basisPoints);
  return vnd(Math.max(0, Math.min(raw, remainder)));
}

/** The local policy paying the member the most (the first listed on a tie), with what it pays, or undefined. */
function localPolicyFor(
  member: QuoteMemberInput,
  province: string | undefined,
  codes: readonly string[],
  date: IsoDate,
  rules: RuleSet,
  notes: QuoteNote[],
  amounts: { premium: Vnd; remainder: Vnd; months: number },
): { policy: LocalPolicy; local: Vnd } | undefined {
  if (province === undefined) return undefined;
  let best: { policy: LocalPolicy; local: Vnd } | undefined;
  for (const policy of localPoliciesOn(rules, province, date)) {
    if (policy.groups && !policy.groups.some((code) => codes.includes(code))) continue;
    if (policy.communes && (member.commune === undefined || !policy.communes.includes(member.commune))) continue;
    // an ethnic minority: by the register's ethnicity, or by a group only minorities belong to (DT)
    if (policy.ethnicMinority && !isEthnicMinority(member.ethnicity) && !codes.some((code) => groupOn(rules, code, date)?.ethnicMinority)) continue;
    if (policy.ageFrom !== undefined || policy.ageBelow !== undefined) {
      if (member.birthDate === undefined) {
        notes.push({
          code: 'local_policy_needs_birth_date',
          message: `Local policy ${policy.id} depends on age; without a birth date it was not applied.`,
        });
        continue;
      }
      const age = ageInYears(member.birthDate, date);
      if (policy.ageFrom !== undefined && age < policy.ageFrom) continue;
      if (policy.ageBelow !== undefined && age >= policy.ageBelow) continue;
    }
    const local = localSupport(policy, amounts.premium, amounts.remainder, amounts.months);
    if (!best || local > best.local || (local === best.local && best.local === 0 && policy.basisPoints > best.policy.basisPoints)) best = { policy, local };
  }
  return best;
}

/** Base salary entries in force at some day of [from, to]. */
function baseSalaryIdsDuring(rules: RuleSet, from: IsoDate, to: IsoDate): Set<string> {
  const ids = new Set<string>();
  const atStart = baseSalaryOn(rules, from);
  if (atStart) ids.add(atStart.id);
  for (const entry of rules.baseSalaries) {
    if (entry.from > from && entry.from <= to) {
      const current = baseSalaryOn(rules, entry.from);
      if (current) ids.add(current.id);
    }
  }
  return ids;
}

const sortedUnique = (ids: Iterable<string>) => [...new Set(ids)].sort();

/** A member's group as the quote chooses it, with its state share. */
export type PricingChoice = { group: ParticipantGroup; share: StateShareRule };

/**
 * The group `quote` would price this member by (the highest state share) and its share, found without
 * pricing them; undefined when the quote would refuse the member (an unknown group, a bad date, ...).
 */
export function pricingGroupOf(member: QuoteMemberInput, date: IsoDate, months: number, rules: RuleSet): PricingChoice | undefined {
  try {
    validateInput({ date, months, members: [member] }, rules);
    const cardRule = requireRule(cardValidityOn(rules, date), 'card validity rule', date, 'date');
    if (!pricingBasisOn(rules, date) || !baseSalaryOn(rules, date) || !premiumRateOn(rules, date)) return undefined;
    return pricingCandidate(member, 'members[0]', date, rules, cardRule, []).chosen;
  } catch (e) {
    if (e instanceof RuleError) return undefined;
    throw e;
  }
}

/**
 * Whether `quote` would price the member whose choice this is (pricingGroupOf), alone, with the state
 * paying the whole premium, known without pricing them: the member passes the quote's checks, and the group it would choose has the full share
 * and is not one whose card period can still refuse the payment (the child card, a final-grade pupil's).
 * False means "quote them": a member this cannot settle is priced as usual, so it never says true of a
 * member the engine would not price as fully state-paid. Such a member takes no place in the household
 * order, so leaving them out of a household's quote changes no other member's price. For lists that price
 * tens of thousands of members and leave the state-paid ones out (renewal reminders).
 */
export function statePaysInFull(chosen: PricingChoice | undefined): boolean {
  if (!chosen) return false;
  const role = chosen.group.role;
  return chosen.share.basisPoints === 10_000 && role !== 'child-under-6' && role !== 'pupil' && role !== 'household';
}

/**
 * Price one payment. Throws RuleError (with `code` and `field`) on any input it cannot price.
 * `rules` is required: pass DEFAULT_RULES, or the defaults merged with admin additions.
 */
export function quote(input: QuoteInput, rules: RuleSet): Quote {
  validateInput(input, rules);
  const { date, months } = input;
  const cardRule = requireRule(cardValidityOn(rules, date), 'card validity rule', date, 'date');
  const basisRule = requireRule(pricingBasisOn(rules, date), 'pricing basis', date, 'date');
  let householdCount = input.enrolledThisYear ?? 0;

  const members = input.members.map((member, i): MemberQuote => {
    const at = `members[${i}]`;
    const notes: QuoteNote[] = [];
    const { chosen, codes } = pricingCandidate(member, at, date, rules, cardRule, notes);
    const { group, share } = chosen;

    const card = cardPeriod(
      {
        paymentDate: date,
        months,
        group,
        birthDate: member.birthDate,
        previousCardTo: member.previousCardTo,
        grade: member.grade,
      },
      cardRule,
      `${at}.`,
    );
    notes.push(...card.notes);

    const pricingDate = basisRule.basis === 'card-start' ? card.validFrom : date;
    const base = baseSalaryOn(rules, pricingDate);
    if (!base) {
      throw new RuleError('date_before_first_base_salary', 'date', `no base salary in force on ${pricingDate}`);
    }
    const rate = requireRule(premiumRateOn(rules, pricingDate), 'premium rate', pricingDate, 'date');
    const fullPremium = periodPremium(base.amount, rate.basisPoints, months);

    const ruleIds = [group.id, share.id, base.id, rate.id, basisRule.id, cardRule.id];
    const uncertainRules: DatedRule[] = [group, share, base, rate, cardRule];

    let order: number | null = null;
    let householdFactor: BasisPoints | null = null;
    let premium = fullPremium;
    if (group.role === 'household') {
      const factors = requireRule(householdFactorsOn(rules, date), 'household factors', date, 'date');
      householdCount += 1;
      order = householdCount;
      householdFactor = factors.factors[Math.min(order, factors.factors.length) - 1];
      premium = shareOf(fullPremium, householdFactor);
      ruleIds.push(factors.id);
      uncertainRules.push(factors);
    }

    const state = shareOf(premium, share.basisPoints);
    const remainder = premium - state;
    const supported = localPolicyFor(member, member.province ?? input.province, codes, date, rules, notes, { premium, remainder: vnd(remainder), months });
    const policy = supported?.policy;
    const local = supported?.local ?? vnd(0);
    if (policy) {
      ruleIds.push(policy.id);
      uncertainRules.push(policy);
    }
    const payable = vnd(remainder - local);

    const bases = baseSalaryIdsDuring(rules, card.validFrom, card.validTo);
    bases.add(base.id);
    if (bases.size > 1) {
      notes.push({
        code: 'base_salary_changes_in_period',
        message: `The base salary changes between ${card.validFrom} and ${card.validTo}; the whole period is priced at ${base.amount} dong (${basisRule.id}).`,
      });
      uncertainRules.push(basisRule);
    }

    return {
      group: group.code,
      order,
      premium,
      state,
      local,
      payable,
      baseSalary: base.amount,
      fullPremium,
      householdFactor,
      stateBasisPoints: share.basisPoints,
      localBasisPoints: policy?.basisPoints ?? 0,
      validFrom: card.validFrom,
      validTo: card.validTo,
      continuous: card.continuous,
      ruleIds: sortedUnique(ruleIds),
      uncertainRuleIds: sortedUnique(uncertainRules.filter((r) => r.uncertain).map((r) => r.id)),
      notes,
    };
  });

  const sum = (pick: (m: MemberQuote) => number) => vnd(members.reduce((total, m) => total + pick(m), 0));
  return {
    date,
    months,
    members,
    total: {
      premium: sum((m) => m.premium),
      state: sum((m) => m.state),
      local: sum((m) => m.local),
      payable: sum((m) => m.payable),
    },
    ruleIds: sortedUnique(members.flatMap((m) => m.ruleIds)),
    uncertainRuleIds: sortedUnique(members.flatMap((m) => m.uncertainRuleIds)),
  };
}

