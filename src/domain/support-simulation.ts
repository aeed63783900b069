/**
 * The local support simulator (issue 21 item 5), pure: what a provincial top-up of the BHYT premium for a
 * group would cost and buy. The database counts the group's persons by "profile" (their groups, the
 * household's poverty status, age on the `from` day, their place among the household-mode members of the
 * household, covered or not on the `from` day, ethnic minority, commune); each distinct profile is priced
 * once through the rules engine (`quote`), with and without the scenario's local policy, and multiplied by
 * its count. So a 2,000,000-person province costs a few thousand quotes, and the figures are exactly those
 * a person-by-person loop through the engine gives.
 *
 * Definitions (docs/decisions.md):
 * - persons: the group's persons in the unit; covered: holding a card valid on `from`.
 * - the support a person gets is what the engine's local support becomes with the scenario's policy added,
 *   minus what existing policies already give (the engine takes the policy paying most: they do not add up).
 *   A person the state pays for in full gets nothing (nothing remains to support).
 * - budgetCost, per year (12-month cards priced on `from`): the support of every covered person of the
 *   group (they renew with it) plus take-up × the support of the uncovered persons it reaches.
 *   periodCost: budgetCost × months / 12.
 * - expectedNew: take-up × the uncovered persons the support reaches (not state-paid, support > 0).
 * - take-up default: enrolment rate + (renewal rate − enrolment rate) × the share of what those persons pay
 *   that the top-up covers: a free card makes the uncovered join like participants renew, no support leaves
 *   them at the observed enrolment rate. Rates observed over the year before min(from, today) on the group's
 *   persons the state does not pay for in full (the state, not the family, renews those cards).
 * - ethnic minorities: an ethnicity given and not Kinh, or a group only minorities belong to (DT, in a
 *   difficult area, and DT-FORMER); those in a difficult area (DT) or otherwise state-paid count in the
 *   group and cost nothing.
 * - costPerExtraPerson: budgetCost / expectedNew (null when nobody new is expected).
 */
import { addMonths, addYears } from './calendar';
import { vnd, type Vnd } from './money';
import { pricingGroups } from './pricing-groups';
import { quote, type QuoteMemberInput } from './premium';
import { RuleError } from './premium-rules';
import { groupOn, groupWithRoleOn, isFullyStateFunded, mergeRules, type BasisPoints, type LocalPolicy, type RuleSet } from './premium-rules';

export const SIMULATOR_GROUPS = ['elderly_60_79', 'near_poor', 'ethnic_minority', 'pupils', 'communes'] as const;
export type SimulatorGroup = (typeof SIMULATOR_GROUPS)[number];

/** A share of each member's premium (basis points), or an amount per person for 12 months. */
export type TopUp = { readonly kind: 'pct'; readonly basisPoints: BasisPoints } | { readonly kind: 'amount'; readonly amountPerYear: Vnd };

export interface Scenario {
  readonly group: SimulatorGroup;
  readonly topUp: TopUp;
  /** For the group 'communes': the communes whose households are supported. */
  readonly communes?: readonly string[];
  readonly from: string;
  /** Months the support runs, 1-60. */
  readonly months: number;
}

/** The group's persons of one kind, counted by the database. */
export interface Profile {
  readonly groupCodes: readonly string[];
  readonly povertyStatus: string;
  /** Completed years on `from`. */
  readonly age: number;
  /** Place among the household's household-mode (GD) members (head first, then by birth date); null: not one. */
  readonly order: number | null;
  readonly covered: boolean;
  readonly ethnicMinority: boolean;
  readonly commune: string | null;
  readonly count: number;
}

/** Counts over the group for the observed rates: covered a year before the observation day, and on it. */
export interface ObservedCounts {
  readonly coveredBefore: number;
  readonly renewed: number;
  readonly uncoveredBefore: number;
  readonly enrolled: number;
}

export type SimulationErrorCode = 'top_up_over_100' | 'top_up_exceeds_payable';

export class SimulationError extends Error {
  constructor(
    readonly code: SimulationErrorCode,
    readonly field: string,
    readonly params: Record<string, string | number>,
  ) {
    super(`${code} (${field}): ${JSON.stringify(params)}`);
    this.name = 'SimulationError';
  }
}

/** The local policy a scenario amounts to, dated [from, from + months). */
export function scenarioPolicy(
  s: Scenario,
  meta: { id: string; province: string; nameVi: string; nameEn: string; source: string; from?: string },
): LocalPolicy {
  const from = meta.from ?? s.from;
  const who: Partial<LocalPolicy> =
    s.group === 'elderly_60_79'
      ? { ageFrom: 60, ageBelow: 80 }
      : s.group === 'near_poor'
        ? { groups: ['CN'] }
        : s.group === 'pupils'
          ? { groups: ['HS'] }
          : s.group === 'ethnic_minority'
            ? { ethnicMinority: true }
            : { communes: [...(s.communes ?? [])] };
  const how: Partial<LocalPolicy> = s.topUp.kind === 'pct' ? { basisPoints: s.topUp.basisPoints, base: 'premium' } : { basisPoints: 0, amountPerYear: s.topUp.amountPerYear };
  return {
    id: meta.id,
    province: meta.province,
    nameVi: meta.nameVi,
    nameEn: meta.nameEn,
    from,
    to: addMonths(from, s.months),
    source: meta.source,
    basisPoints: 0,
    ...who,
    ...how,
  };
}

/** A birth date giving exactly `age` completed years on `on`. */
const bornAged = (age: number, on: string) => addYears(on, -age);

export interface ProfilePrice {
  /** The engine's group for the person (highest state share). */
  group: string;
  premium: number;
  state: number;
  /** What the person pays today (existing local policies included). */
  payable: number;
  /** The scenario's extra support for the person (per year). */
  support: number;
  statePaid: boolean;
}

/** One profile through the engine, with and without the scenario's policy (12-month cards from `from`). */
function priceProfile(p: Profile, s: Scenario, province: string, rules: RuleSet, withPolicy: RuleSet, policy: LocalPolicy): ProfilePrice {
  const birthDate = bornAged(p.age, s.from);
  // the register may still list TE for a child who has turned 6: the engine decides TE from the birth date
  const child = groupWithRoleOn(rules, 'child-under-6', s.from)?.code;
  const member: QuoteMemberInput = {
    groups: pricingGroups({ birthDate, groupCodes: p.groupCodes.filter((g) => g !== child), povertyStatus: p.povertyStatus }, s.from, rules).filter((g) => groupOn(rules, g, s.from)),
    birthDate,
    ...(p.commune ? { commune: p.commune } : {}),
    ...(p.ethnicMinority ? { ethnicity: 'dân tộc thiểu số' } : {}),
  };
  const input = { date: s.from, months: 12, province, enrolledThisYear: Math.max((p.order ?? 1) - 1, 0), members: [member] };
  const before = quote(input, rules).members[0];
  const after = quote(input, withPolicy).members[0];
  const statePaid = isFullyStateFunded(rules, before.group, s.from);
  const remainder = before.premium - before.state;
  const raw = s.topUp.kind === 'pct' ? Math.round((before.premium * s.topUp.basisPoints) / 10_000) : s.topUp.amountPerYear;
  if (!statePaid && remainder > 0 && raw > remainder && matches(policy, p, before.group, member.groups)) {
    throw new SimulationError('top_up_exceeds_payable', s.topUp.kind === 'pct' ? 'topUpPct' : 'topUpAmount', {
      group: before.group,
      premium: before.premium,
      state: before.state,
      remainder,
      topUp: raw,
      maxPct: Math.floor((remainder * 10_000) / before.premium) / 100,
      maxAmount: remainder,
    });
  }
  return { group: before.group, premium: before.premium, state: before.state, payable: before.payable, support: Math.max(after.local - before.local, 0), statePaid };
}

/** Does the scenario's policy apply to the profile (the engine's matching, for the refusal only)? */
function matches(policy: LocalPolicy, p: Profile, _group: string, codes: readonly string[]): boolean {
  if (policy.groups && !policy.groups.some((g) => codes.includes(g))) return false;
  if (policy.ageFrom !== undefined && p.age < policy.ageFrom) return false;
  if (policy.ageBelow !== undefined && p.age >= policy.ageBelow) return false;
  if (policy.ethnicMinority && !p.ethnicMinority) return false;
  if (policy.communes && (p.commune === null || !policy.communes.includes(p.commune))) return false;
  return true;
}

export interface SimulationResult {
  persons: number;
  covered: number;
  uncovered: number;
  /** Persons of the group the state pays for in full (they cost the province nothing). */
  statePaid: number;
  /** Uncovered persons the support reaches (not state-paid, support above 0). */
  reachable: number;
  /** Persons the rules engine refuses to price (their register data contradicts a rule): left out of the cost. */
  unpriced: number;
  budgetCost: Vnd;
  periodCost: Vnd;
  expectedNew: number;
  coveragePctBefore: number;
  coveragePctAfter: number;
  costPerExtraPerson: Vnd | null;
  takeUpPct: number;
  takeUpDefaultPct: number;
  renewalRatePct: number | null;
  enrolmentRatePct: number | null;
  /** The share of what the reachable persons pay that the top-up covers. */
  supportSharePct: number;
  /** Per engine group: persons, covered, the support of one person (average) and the cost per year. */
  byGroup: { group: string; persons: number; covered: number; cost: Vnd }[];
}

const pct = (num: number, den: number) => (den > 0 ? Math.round((num * 10_000) / den) / 100 : 0);
const rate = (num: number, den: number) => (den > 0 ? num / den : null);

/**
 * The scenario's figures. `takeUpPct` (0-100) overrides the default take-up. Throws SimulationError when the
 * top-up is over 100% or would leave someone of the group paying below zero.
 */
export function simulateSupport(
  profiles: readonly Profile[],
  observed: ObservedCounts,
  s: Scenario,
  ctx: { province: string; rules: RuleSet; takeUpPct?: number },
): SimulationResult {
  if (s.topUp.kind === 'pct' && s.topUp.basisPoints > 10_000) throw new SimulationError('top_up_over_100', 'topUpPct', { value: s.topUp.basisPoints / 100 });
  const policy = scenarioPolicy(s, { id: 'simulated-scenario', province: ctx.province, nameVi: 'Mô phỏng', nameEn: 'Simulation', source: 'simulation' });
  const withPolicy = mergeRules(ctx.rules, { localPolicies: [policy] });
  const cache = new Map<string, ProfilePrice | null>();
  const priced = profiles.map((p) => {
    const key = JSON.stringify([p.groupCodes, p.povertyStatus, p.age, p.order, p.ethnicMinority, p.commune]);
    let price = cache.get(key);
    if (price === undefined) {
      try {
        price = priceProfile(p, s, ctx.province, ctx.rules, withPolicy, policy);
      } catch (e) {
        // a person the engine cannot price (e.g. a register group that contradicts the birth date) is counted apart
        if (!(e instanceof RuleError)) throw e;
        price = null;
      }
      cache.set(key, price);
    }
    return { p, price };
  });

  let persons = 0, covered = 0, statePaid = 0, reachable = 0;
  let coveredCost = 0, uncoveredCost = 0, reachablePays = 0;
  const groups = new Map<string, { persons: number; covered: number; coveredCost: number; uncoveredCost: number }>();
  let unpriced = 0;
  for (const { p, price } of priced) {
    persons += p.count;
    if (p.covered) covered += p.count;
    if (price === null) {
      unpriced += p.count;
      continue;
    }
    if (price.statePaid) statePaid += p.count;
    const g = groups.get(price.group) ?? { persons: 0, covered: 0, coveredCost: 0, uncoveredCost: 0 };
    groups.set(price.group, g);
    g.persons += p.count;
    if (p.covered) {
      g.covered += p.count;
      coveredCost += price.support * p.count;
      g.coveredCost += price.support * p.count;
    } else if (!price.statePaid && price.support > 0) {
      reachable += p.count;
      uncoveredCost += price.support * p.count;
      g.uncoveredCost += price.support * p.count;
      reachablePays += price.payable * p.count;
    }
  }
  const renewal = rate(observed.renewed, observed.coveredBefore);
  const enrolment = rate(observed.enrolled, observed.uncoveredBefore);
  const share = reachablePays > 0 ? Math.min(uncoveredCost / reachablePays, 1) : 0;
  const base = enrolment ?? 0;
  const takeUpDefault = Math.min(Math.max(base + ((renewal ?? base) - base) * share, 0), 1);
  const takeUp = ctx.takeUpPct !== undefined ? ctx.takeUpPct / 100 : takeUpDefault;
  const expectedNew = Math.round(takeUp * reachable);
  const budgetCost = vnd(Math.round(coveredCost + takeUp * uncoveredCost));
  return {
    persons,
    covered,
    uncovered: persons - covered,
    statePaid,
    reachable,
    unpriced,
    budgetCost,
    periodCost: vnd(Math.round((budgetCost * s.months) / 12)),
    expectedNew,
    coveragePctBefore: pct(covered, persons),
    coveragePctAfter: pct(covered + expectedNew, persons),
    costPerExtraPerson: expectedNew > 0 ? vnd(Math.round(budgetCost / expectedNew)) : null,
    takeUpPct: Math.round(takeUp * 10_000) / 100,
    takeUpDefaultPct: Math.round(takeUpDefault * 10_000) / 100,
    renewalRatePct: renewal === null ? null : Math.round(renewal * 10_000) / 100,
    enrolmentRatePct: enrolment === null ? null : Math.round(enrolment * 10_000) / 100,
    supportSharePct: Math.round(share * 10_000) / 100,
    byGroup: [...groups.entries()]
      .map(([group, g]) => ({ group, persons: g.persons, covered: g.covered, cost: vnd(Math.round(g.coveredCost + takeUp * g.uncoveredCost)) }))
      .sort((a, b) => b.persons - a.persons || (a.group < b.group ? -1 : 1)),
  };
}
