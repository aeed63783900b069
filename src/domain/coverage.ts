/**
 * Coverage rules (issue 5): who is covered on a date, card continuity, coverage ratios, projection to a
 * target date, the gap to a target and the cheapest way to close it.
 *
 * Pure: no I/O, no clock (every date comes in as an argument), dates are 'YYYY-MM-DD' strings, money is
 * integer dong. Counts of people are whole numbers; every ratio is computed on integers (BigInt), so a
 * percentage such as 1,475,810 / 1,579,758 comes out as exactly 93.42, never 93.41999999.
 *
 * Invalid input (a non-date, a negative count, a rate outside 0..1) throws a RangeError: these are
 * programming errors of the caller, not facts about a person. Premium rules that refuse a person
 * (RuleError from `quote`) are reported per person instead (see `cheapestWayToClose`).
 */
import { addDays, addMonths, addYears, daysBetween, dateParts } from './calendar';
import { isIsoDate, type IsoDate } from './dates';
import { vnd, type Vnd } from './money';
import { quote, type MemberQuote, type QuoteMemberInput } from './premium';
import { RuleError, isFullyStateFunded, type RuleSet } from './premium-rules';

// ---------------------------------------------------------------------------------------------------
// Input checks and exact arithmetic
// ---------------------------------------------------------------------------------------------------

function requireDate(value: unknown, field: string): IsoDate {
  if (typeof value !== 'string' || !isIsoDate(value)) throw new RangeError(`${field}: not a date (YYYY-MM-DD): ${String(value)}`);
  return value;
}

function requireCount(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(`${field}: must be a whole number >= 0, got ${String(value)}`);
  }
  return value;
}

function requireNonNegative(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    throw new RangeError(`${field}: must be a finite number >= 0, got ${String(value)}`);
  }
  return value;
}

/** An exact fraction. */
interface Fraction {
  readonly num: bigint;
  readonly den: bigint;
}

/**
 * The exact value of the shortest decimal that prints as `x` (0.35 -> 35/100, 1.5e-7 -> 15/100000000):
 * the number the user typed, not its binary approximation. `x` must be finite.
 */
function decimalFraction(x: number): Fraction {
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(x));
  if (!match) throw new RangeError(`not a finite number: ${x}`);
  const [, sign, whole, fraction = '', exponentText = '0'] = match;
  let num = BigInt(`${whole}${fraction}`);
  let den = 10n ** BigInt(fraction.length);
  const exponent = Number(exponentText);
  if (exponent >= 0) num *= 10n ** BigInt(exponent);
  else den *= 10n ** BigInt(-exponent);
  return { num: sign === '-' ? -num : num, den };
}

/** num / den rounded to the nearest integer, halves away from zero (den > 0). */
function roundHalfAwayFromZero(num: bigint, den: bigint): bigint {
  const magnitude = (2n * (num < 0n ? -num : num) + den) / (2n * den);
  return num < 0n ? -magnitude : magnitude;
}

/** num / den rounded up (den > 0). */
function ceilDiv(num: bigint, den: bigint): bigint {
  const q = num / den;
  return num % den !== 0n && num > 0n ? q + 1n : q;
}

// ---------------------------------------------------------------------------------------------------
// 1. Cards: covered on a date, continuity, expiring soon
// ---------------------------------------------------------------------------------------------------

/** A card's validity period; both days inclusive. */
export interface CardPeriodLike {
  readonly validFrom: IsoDate;
  readonly validTo: IsoDate;
}

/** A run of days covered without a break: [from, to], both inclusive. */
export interface CoverageSpan {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

function checkedCards(cards: readonly CardPeriodLike[]): CardPeriodLike[] {
  return cards.map((card, i) => {
    requireDate(card.validFrom, `cards[${i}].validFrom`);
    requireDate(card.validTo, `cards[${i}].validTo`);
    return card;
  });
}

/**
 * Does any card cover `date`? A card covers every day from validFrom to validTo inclusive: a card that
 * ends on the date covers it, one that starts the day after does not. A card with validTo before
 * validFrom covers no day.
 */
export function isCoveredOn(cards: readonly CardPeriodLike[], date: IsoDate): boolean {
  requireDate(date, 'date');
  return checkedCards(cards).some((card) => card.validFrom <= date && date <= card.validTo);
}

/** The last day any card is valid, or null when there is no (non-empty) card. */
export function latestCardEnd(cards: readonly CardPeriodLike[]): IsoDate | null {
  let latest: IsoDate | null = null;
  for (const card of checkedCards(cards)) {
    if (card.validTo < card.validFrom) continue;
    if (latest === null || card.validTo > latest) latest = card.validTo;
  }
  return latest;
}

/**
 * The cards merged into runs of continuous coverage, in date order. Overlapping cards and a card that
 * starts the day after another ends (a renewal paid on time) form one run; a single uncovered day
 * between two cards separates them. Empty cards (validTo < validFrom) are left out.
 */
export function coverageSpans(cards: readonly CardPeriodLike[]): CoverageSpan[] {
  const sorted = checkedCards(cards)
    .filter((card) => card.validFrom <= card.validTo)
    .sort((a, b) => (a.validFrom < b.validFrom ? -1 : a.validFrom > b.validFrom ? 1 : 0));
  const spans: { from: IsoDate; to: IsoDate }[] = [];
  for (const card of sorted) {
    const last = spans[spans.length - 1];
    if (last && card.validFrom <= addDays(last.to, 1)) {
      if (card.validTo > last.to) last.to = card.validTo;
    } else {
      spans.push({ from: card.validFrom, to: card.validTo });
    }
  }
  return spans;
}

/** The last day of the continuous coverage that includes `date`, or null when `date` is not covered. */
export function coverageEndOn(cards: readonly CardPeriodLike[], date: IsoDate): IsoDate | null {
  requireDate(date, 'date');
  const span = coverageSpans(cards).find((s) => s.from <= date && date <= s.to);
  return span ? span.to : null;
}

/**
 * Covered on `date`, and the continuous coverage that includes `date` ends within `days` days: its last
 * day is on or before `date + days` (days = 0: ends on `date` itself; days = 30 on 2025-10-01: ends on
 * or before 2025-10-31). A renewal that continues the coverage (overlapping, or starting the day after
 * the old card ends) moves the end, so a person who has already renewed is not "expiring".
 */
export function expiresWithin(cards: readonly CardPeriodLike[], date: IsoDate, days: number): boolean {
  requireCount(days, 'days');
  const end = coverageEndOn(cards, date);
  return end !== null && daysBetween(date, end) <= days;
}

// ---------------------------------------------------------------------------------------------------
// 2. Coverage measures
// ---------------------------------------------------------------------------------------------------

export interface CoverageMeasuresInput {
  /** People covered (participants) on the reporting date. */
  readonly participants: number;
  /** Population of the unit; null/undefined when not known. */
  readonly population?: number | null;
  /** Participants planned (assigned by Vietnam Social Security); null/undefined when not known. */
  readonly plan?: number | null;
  /** Participants on the same date a year earlier; null/undefined when not known. */
  readonly participantsYearAgo?: number | null;
}

export interface CoverageMeasures {
  /** participants / plan in percent, 2 decimals; null when the plan is missing or 0. */
  readonly pctPlan: number | null;
  /** participants / population in percent, 2 decimals; null when the population is missing or 0. */
  readonly pctPopulation: number | null;
  /** participants - participantsYearAgo (negative: fewer than a year earlier); null when unknown. */
  readonly yoyChange: number | null;
}

/**
 * `part / whole` in percent, rounded to 2 decimals (halves away from zero), computed on integers: the
 * result is the double nearest to the 2-decimal value (1475810 / 1579758 -> 93.42). Null when `whole`
 * is missing or 0. Both must be whole numbers >= 0.
 */
export function percentOf(part: number, whole: number | null | undefined): number | null {
  requireCount(part, 'part');
  if (whole === null || whole === undefined) return null;
  requireCount(whole, 'whole');
  if (whole === 0) return null;
  const hundredths = roundHalfAwayFromZero(BigInt(part) * 10_000n, BigInt(whole));
  return Number(hundredths) / 100;
}

/** % of plan, % of population and the change from a year earlier (Lào Cai: 93.42%, 88.21%, -57,418). */
export function coverageMeasures(input: CoverageMeasuresInput): CoverageMeasures {
  const participants = requireCount(input.participants, 'participants');
  const yearAgo = input.participantsYearAgo;
  return {
    pctPlan: percentOf(participants, input.plan),
    pctPopulation: percentOf(participants, input.population),
    yoyChange:
      yearAgo === null || yearAgo === undefined ? null : participants - requireCount(yearAgo, 'participantsYearAgo'),
  };
}

/** The reported figures that can go stale when read for a date. */
export type StaleField = 'participants' | 'population' | 'plan';

export interface ReportedFreshnessInput {
  /** The date the figures are read for. */
  readonly date: IsoDate;
  /** The day each figure was reported for (absent: no such figure). */
  readonly dates: Partial<Record<StaleField, IsoDate>>;
  /** The year the plan was assigned for. */
  readonly planYear: number | null;
}

/**
 * The reported figures too old for the date they are read for: a count dated a year or more before the
 * date (on or before the same day a year earlier: it is then also the figure "a year ago", so it cannot
 * stand for now), and a plan assigned for an earlier year.
 */
export function staleReportedFields(input: ReportedFreshnessInput): StaleField[] {
  const date = requireDate(input.date, 'date');
  const yearAgo = addYears(date, -1);
  const out: StaleField[] = [];
  for (const f of ['participants', 'population'] as const) {
    const d = input.dates[f];
    if (d !== undefined && requireDate(d, `dates.${f}`) <= yearAgo) out.push(f);
  }
  if (input.dates.plan !== undefined && input.planYear !== null && input.planYear < dateParts(date).year) out.push('plan');
  return out;
}

/**
 * Whether a reported participant count may serve as the one "a year ago" against a current one: not the
 * same figure (the same day), and itself no older than a year before the day a year earlier.
 */
export function usableYearAgo(input: { readonly date: IsoDate; readonly current: IsoDate | undefined; readonly yearAgo: IsoDate | undefined }): boolean {
  if (input.yearAgo === undefined) return false;
  if (input.current !== undefined && input.current === input.yearAgo) return false;
  return input.yearAgo > addYears(requireDate(input.date, 'date'), -2);
}

// ---------------------------------------------------------------------------------------------------
// 3. Projection and renewal rate
// ---------------------------------------------------------------------------------------------------

export interface ExpiringCount {
  /** Last day of coverage (the end of the continuous coverage, see `coverageEndOn`). */
  readonly date: IsoDate;
  /** People whose coverage ends on that day. */
  readonly count: number;
}

export interface ProjectCoverageInput {
  /** The date `covered` refers to ("today", passed in). */
  readonly date: IsoDate;
  /** The date to project to (on or after `date`). */
  readonly targetDate: IsoDate;
  /** People covered on `date`. */
  readonly covered: number;
  /**
   * Coverage ends of the people covered on `date`, each on or after `date`. Ends on or after
   * `targetDate` do not matter (a coverage that ends on the target date still covers it) and may be
   * included or left out.
   */
  readonly expiringBy: readonly ExpiringCount[];
  /** Share of expiring people who renew, 0..1 (see `observedRenewalRate`). */
  readonly renewalRate: number;
  /** New participants per whole month (an average, may be fractional); default 0. */
  readonly newEnrolmentsPerMonth?: number;
}

export interface CoverageProjection {
  /** Expected coverage on targetDate: covered - lost + newEnrolments. */
  readonly expected: number;
  /** Expiring people expected not to renew (rounded, halves count as lost). */
  readonly lost: number;
  /** Expiring people expected to renew: expiring - lost. */
  readonly renewed: number;
  /** People whose coverage ends on or after `date` and before `targetDate`. */
  readonly expiring: number;
  /** Whole months from date to targetDate. */
  readonly months: number;
  /** newEnrolmentsPerMonth x months, rounded to whole persons (halves up). */
  readonly newEnrolments: number;
}

/** Whole calendar months from `from` to `to` (>= from): 2025-01-31 -> 2025-02-28 is 1 month. */
export function wholeMonthsBetween(from: IsoDate, to: IsoDate): number {
  const a = dateParts(from);
  const b = dateParts(to);
  let months = (b.year - a.year) * 12 + (b.month - a.month);
  if (months > 0 && addMonths(from, months) > to) months -= 1;
  return Math.max(months, 0);
}

/**
 * Expected coverage on `targetDate`, as an expected value rounded to whole persons:
 * - expiring = the people whose coverage ends on or after `date` and before `targetDate`;
 * - lost = round(expiring x (1 - renewalRate)), halves counted as lost (the cautious side), computed
 *   exactly from the decimal rate (0.35 is 35/100); renewed = expiring - lost;
 * - newEnrolments = round(newEnrolmentsPerMonth x whole months from date to targetDate);
 * - expected = covered - lost + newEnrolments.
 * People who renew late (after a gap) are counted as renewed: the rate is measured over 90 days
 * (see `observedRenewalRate`), so pass a target date at least that far away or a lower rate.
 */
export function projectCoverage(input: ProjectCoverageInput): CoverageProjection {
  const date = requireDate(input.date, 'date');
  const targetDate = requireDate(input.targetDate, 'targetDate');
  if (targetDate < date) throw new RangeError(`targetDate ${targetDate} is before date ${date}`);
  const covered = requireCount(input.covered, 'covered');
  const rate = requireNonNegative(input.renewalRate, 'renewalRate');
  if (rate > 1) throw new RangeError(`renewalRate must be between 0 and 1, got ${rate}`);
  const perMonth = requireNonNegative(input.newEnrolmentsPerMonth ?? 0, 'newEnrolmentsPerMonth');

  let expiring = 0;
  input.expiringBy.forEach((entry, i) => {
    const end = requireDate(entry.date, `expiringBy[${i}].date`);
    const count = requireCount(entry.count, `expiringBy[${i}].count`);
    if (end < date) {
      throw new RangeError(`expiringBy[${i}].date ${end} is before ${date}: that person is not covered on ${date}`);
    }
    if (end < targetDate) expiring += count;
  });
  if (expiring > covered) {
    throw new RangeError(`${expiring} coverages end before ${targetDate}, more than the ${covered} covered on ${date}`);
  }

  const r = decimalFraction(rate);
  const lost = Number(roundHalfAwayFromZero(BigInt(expiring) * (r.den - r.num), r.den));
  const months = wholeMonthsBetween(date, targetDate);
  const p = decimalFraction(perMonth);
  const newEnrolments = Number(roundHalfAwayFromZero(p.num * BigInt(months), p.den));
  return { expected: covered - lost + newEnrolments, lost, renewed: expiring - lost, expiring, months, newEnrolments };
}

/** Days after a card's end within which a new card counts as its renewal. */
export const RENEWAL_WINDOW_DAYS = 90;

/**
 * Is `next` a renewal of `ended`? It is when it extends the coverage (ends after `ended` does) and starts
 * no later than RENEWAL_WINDOW_DAYS days after `ended`'s last day (`validFrom <= validTo + 90`). Cards
 * paid before the old one expires start the day after it and count; a card that starts 91 or more days
 * after the end does not (for the rules that is a new start after a break).
 */
export function isRenewalOf(ended: CardPeriodLike, next: CardPeriodLike, windowDays = RENEWAL_WINDOW_DAYS): boolean {
  requireCount(windowDays, 'windowDays');
  return next.validTo > ended.validTo && next.validFrom <= addDays(ended.validTo, windowDays);
}

export interface RenewalHistory {
  /** Coverages that ended in the past window (one per person and end). */
  readonly ended: number;
  /** Of those, how many were renewed within RENEWAL_WINDOW_DAYS days of the end. */
  readonly renewedWithin: number;
}

/**
 * The counts for `observedRenewalRate` from the cards of many people: for each person, every run of
 * continuous coverage (`coverageSpans`) whose last day falls in [from, to] counts as ended, and as renewed
 * when the person's next run starts within `windowDays` days of that end. The window must lie at least
 * `windowDays` days before the day the cards were read, or late renewals are not seen yet.
 */
export function renewalHistory(
  cardsByPerson: readonly (readonly CardPeriodLike[])[],
  window: { readonly from: IsoDate; readonly to: IsoDate },
  windowDays = RENEWAL_WINDOW_DAYS,
): RenewalHistory {
  requireDate(window.from, 'window.from');
  requireDate(window.to, 'window.to');
  requireCount(windowDays, 'windowDays');
  let ended = 0;
  let renewedWithin = 0;
  for (const cards of cardsByPerson) {
    const spans = coverageSpans(cards);
    spans.forEach((span, i) => {
      if (span.to < window.from || span.to > window.to) return;
      ended += 1;
      const next = spans[i + 1];
      if (next && isRenewalOf({ validFrom: span.from, validTo: span.to }, { validFrom: next.from, validTo: next.to }, windowDays)) {
        renewedWithin += 1;
      }
    });
  }
  return { ended, renewedWithin };
}

/**
 * The observed renewal rate: of the coverages that ended in a past window, the share renewed within
 * RENEWAL_WINDOW_DAYS (90) days of their end (`renewedWithin / ended`, a number in 0..1). The service
 * counts them (e.g. with `renewalHistory`). With no history (ended = 0) there is nothing to observe and
 * `whenNoHistory` (default 0: assume nobody renews, the cautious side) is returned.
 */
export function observedRenewalRate(history: RenewalHistory, whenNoHistory = 0): number {
  const ended = requireCount(history.ended, 'ended');
  const renewed = requireCount(history.renewedWithin, 'renewedWithin');
  if (renewed > ended) throw new RangeError(`renewedWithin (${renewed}) is more than ended (${ended})`);
  if (ended === 0) {
    requireNonNegative(whenNoHistory, 'whenNoHistory');
    if (whenNoHistory > 1) throw new RangeError(`whenNoHistory must be between 0 and 1, got ${whenNoHistory}`);
    return whenNoHistory;
  }
  return renewed / ended;
}

// ---------------------------------------------------------------------------------------------------
// 4. Gap to a target
// ---------------------------------------------------------------------------------------------------

export type CoverageTarget =
  /** A share of the population in percent, e.g. 95 or 95.5. */
  | { readonly kind: 'percent_population'; readonly value: number }
  /** A number of participants. */
  | { readonly kind: 'participants'; readonly value: number };

export interface GapToTargetInput {
  readonly target: CoverageTarget;
  /** Required for a 'percent_population' target. */
  readonly population?: number | null;
  /** Participants expected (or counted) on the target date. */
  readonly expected: number;
}

export interface GapToTarget {
  /** Participants the target asks for, rounded up to whole persons (95% of 101 people is 96). */
  readonly targetParticipants: number;
  /** targetParticipants - expected, never below 0. */
  readonly gap: number;
}

/** How many more participants the target needs. Everything rounds up: a target is met, not nearly met. */
export function gapToTarget(input: GapToTargetInput): GapToTarget {
  const expected = requireCount(input.expected, 'expected');
  const { target } = input;
  let targetParticipants: number;
  if (target.kind === 'percent_population') {
    const value = requireNonNegative(target.value, 'target.value');
    const population = input.population;
    if (population === null || population === undefined) {
      throw new RangeError('a percent-of-population target needs the population');
    }
    requireCount(population, 'population');
    const v = decimalFraction(value);
    targetParticipants = Number(ceilDiv(BigInt(population) * v.num, 100n * v.den));
  } else if (target.kind === 'participants') {
    targetParticipants = Math.ceil(requireNonNegative(target.value, 'target.value'));
  } else {
    throw new RangeError(`unknown target kind: ${String((target as { kind: unknown }).kind)}`);
  }
  return { targetParticipants, gap: Math.max(0, targetParticipants - expected) };
}

// ---------------------------------------------------------------------------------------------------
// 5. The cheapest way to close the gap
// ---------------------------------------------------------------------------------------------------

export interface CoverageCandidate {
  /** Unique among the candidates. */
  readonly id: string;
  readonly groups: readonly string[];
  readonly birthDate?: IsoDate;
  /** Household id: household-mode (GD) members of one household are priced together, in input order. */
  readonly household?: string;
  /** Members of the household already enrolled in household mode this calendar year. */
  readonly enrolledThisYear?: number;
  /** Province code, for local support. */
  readonly province?: string;
}

export interface CheapestWayInput {
  /** People still needed (see `gapToTarget`). */
  readonly gap: number;
  readonly candidates: readonly CoverageCandidate[];
  /** Payment date. */
  readonly date: IsoDate;
  /** Months paid for, 1-12. */
  readonly months: number;
  readonly rules: RuleSet;
}

export interface FundedCandidate {
  readonly id: string;
  /** The group that priced the person. */
  readonly group: string;
  readonly premium: Vnd;
  readonly state: Vnd;
  /** Provincial support. */
  readonly local: Vnd;
  /** What a donor pays. */
  readonly payable: Vnd;
  /** Household order (1 = first household-mode member this year), null outside household mode. */
  readonly order: number | null;
}

export interface StateBudgetCandidate {
  readonly id: string;
  readonly group: string;
}

export interface UnpriceableCandidate {
  readonly id: string;
  readonly reason: string;
  /** RuleError code, or 'household_conflict'. */
  readonly code: string;
  /** Offending field of the candidate ('groups[0]', 'birthDate', ...) or ''. */
  readonly field: string;
}

export interface CheapestWay {
  /** People to fund, in the order chosen (cheapest first). */
  readonly fundedFirst: FundedCandidate[];
  /** Every candidate the state pays in full: enrol them through the state budget (cost 0 to a donor). */
  readonly stateBudget: StateBudgetCandidate[];
  /** Candidates the rules refuse to price. */
  readonly unpriceable: UnpriceableCandidate[];
  /** Sum of `payable` of fundedFirst. */
  readonly total: Vnd;
  /** stateBudget + fundedFirst. */
  readonly covered: number;
  /** gap - covered, never below 0: the candidates ran out. */
  readonly shortfall: number;
}

const toMember = (c: CoverageCandidate): QuoteMemberInput => ({
  groups: c.groups,
  ...(c.birthDate !== undefined ? { birthDate: c.birthDate } : {}),
  ...(c.province !== undefined ? { province: c.province } : {}),
});

/** A priced person; household-mode members of one household form a chain that must be bought in order. */
interface Priced {
  readonly index: number;
  readonly candidate: CoverageCandidate;
  readonly quote: MemberQuote;
  /** The next household-mode member of the same household (bought only after this one). */
  next?: Priced;
}

/** A minimal binary heap ordered by payable, then input order. */
class CheapestHeap {
  private readonly items: Priced[] = [];
  private static less(a: Priced, b: Priced): boolean {
    return a.quote.payable < b.quote.payable || (a.quote.payable === b.quote.payable && a.index < b.index);
  }
  get size(): number {
    return this.items.length;
  }
  push(item: Priced): void {
    const items = this.items;
    items.push(item);
    let i = items.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!CheapestHeap.less(items[i], items[parent])) break;
      [items[i], items[parent]] = [items[parent], items[i]];
      i = parent;
    }
  }
  pop(): Priced | undefined {
    const items = this.items;
    const top = items[0];
    const last = items.pop();
    if (items.length > 0 && last !== undefined) {
      items[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let smallest = i;
        if (l < items.length && CheapestHeap.less(items[l], items[smallest])) smallest = l;
        if (r < items.length && CheapestHeap.less(items[r], items[smallest])) smallest = r;
        if (smallest === i) break;
        [items[i], items[smallest]] = [items[smallest], items[i]];
        i = smallest;
      }
    }
    return top;
  }
}

function unpriceableFrom(candidate: CoverageCandidate, error: RuleError): UnpriceableCandidate {
  return { id: candidate.id, reason: error.message, code: error.code, field: error.field.replace(/^members\[\d+\]\./, '') };
}

/**
 * What it takes to cover `gap` more people from a candidate list, at the least donor money, greedily:
 * 1. Each candidate is priced with `quote` (one member, their own groups, birth date and province). A
 *    candidate the rules refuse goes to `unpriceable` with the RuleError's message, never priced wrong.
 * 2. Candidates whose pricing group the state pays in full on `date` (HN, TE, DT, ...) go to
 *    `stateBudget`: enrol them through the state budget. They count towards the gap but are not bought.
 *    (People whose remainder a province pays in full are bought at payable 0: that is local money.)
 * 3. Household-mode (GD) candidates of one household are priced together, in input order, after the
 *    household's `enrolledThisYear` (candidates of one household that give different values are
 *    unpriceable: 'household_conflict'), so the 2nd member pays 70%, the 3rd 60%, ... They are bought in
 *    that order only: the 2nd member's reduced price is never taken without the 1st, so every payable
 *    listed is exactly what that person costs when the listed people are enrolled.
 * 4. Repeatedly buy the cheapest person available (payable, then input order) until the gap left after
 *    the state-budget people is closed or the candidates run out (`shortfall`).
 * The greedy order is the brief's rule, not a proof of the least total: with household discounts a whole
 * household can occasionally beat cheaper strangers (exact selection under a budget is allocation.ts).
 */
export function cheapestWayToClose(input: CheapestWayInput): CheapestWay {
  const { candidates, rules } = input;
  const gap = requireCount(input.gap, 'gap');
  const date = input.date;
  if (typeof date !== 'string' || !isIsoDate(date)) throw new RuleError('invalid_date', 'date', `not a date (YYYY-MM-DD): ${String(date)}`);
  if (!Number.isInteger(input.months) || input.months < 1 || input.months > 12) {
    throw new RuleError('months_out_of_range', 'months', `months must be a whole number from 1 to 12, got ${input.months}`);
  }
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.id)) throw new RangeError(`duplicate candidate id: ${c.id}`);
    seen.add(c.id);
  }

  const unpriceable: UnpriceableCandidate[] = [];
  const stateBudget: StateBudgetCandidate[] = [];
  const quoted = new Map<number, MemberQuote>();

  // 1. Price each candidate alone: refusals, state-budget people and pricing groups.
  candidates.forEach((candidate, index) => {
    try {
      const alone = quote(
        {
          date,
          months: input.months,
          members: [toMember(candidate)],
          ...(candidate.enrolledThisYear !== undefined ? { enrolledThisYear: candidate.enrolledThisYear } : {}),
        },
        rules,
      ).members[0];
      if (isFullyStateFunded(rules, alone.group, date)) stateBudget.push({ id: candidate.id, group: alone.group });
      else quoted.set(index, alone);
    } catch (error) {
      if (!(error instanceof RuleError)) throw error;
      unpriceable.push(unpriceableFrom(candidate, error));
    }
  });

  // 2. Household-mode members of one household: price together, in order.
  const households = new Map<string, number[]>();
  for (const [index, alone] of quoted) {
    const household = candidates[index].household;
    if (household === undefined || alone.order === null) continue;
    const members = households.get(household) ?? [];
    members.push(index);
    households.set(household, members);
  }
  const chainHeads = new Set<number>();
  const priced = new Map<number, Priced>();
  for (const [index, alone] of quoted) {
    if (!(candidates[index].household !== undefined && alone.order !== null)) {
      priced.set(index, { index, candidate: candidates[index], quote: alone });
      chainHeads.add(index);
    }
  }
  for (const [household, indexes] of households) {
    indexes.sort((a, b) => a - b);
    const stated = [...new Set(indexes.map((i) => candidates[i].enrolledThisYear).filter((n) => n !== undefined))];
    if (stated.length > 1) {
      for (const i of indexes) {
        unpriceable.push({
          id: candidates[i].id,
          reason: `the candidates of household ${household} give different enrolledThisYear values (${stated.join(', ')})`,
          code: 'household_conflict',
          field: 'enrolledThisYear',
        });
      }
      continue;
    }
    let together: MemberQuote[];
    try {
      together = quote(
        {
          date,
          months: input.months,
          members: indexes.map((i) => toMember(candidates[i])),
          ...(stated.length === 1 ? { enrolledThisYear: stated[0] } : {}),
        },
        rules,
      ).members;
    } catch (error) {
      // Each member priced alone, so this should not happen; refuse rather than guess.
      if (!(error instanceof RuleError)) throw error;
      for (const i of indexes) unpriceable.push(unpriceableFrom(candidates[i], error));
      continue;
    }
    let previous: Priced | undefined;
    indexes.forEach((i, k) => {
      const item: Priced = { index: i, candidate: candidates[i], quote: together[k] };
      priced.set(i, item);
      if (previous) previous.next = item;
      else chainHeads.add(i);
      previous = item;
    });
  }

  // 3. Greedy: the cheapest available person first; a household member becomes available after the previous one.
  const heap = new CheapestHeap();
  for (const index of [...chainHeads].sort((a, b) => a - b)) heap.push(priced.get(index)!);
  const needed = Math.max(0, gap - stateBudget.length);
  const fundedFirst: FundedCandidate[] = [];
  let total = 0;
  while (fundedFirst.length < needed && heap.size > 0) {
    const item = heap.pop()!;
    const q = item.quote;
    fundedFirst.push({
      id: item.candidate.id,
      group: q.group,
      premium: q.premium,
      state: q.state,
      local: q.local,
      payable: q.payable,
      order: q.order,
    });
    total += q.payable;
    if (item.next) heap.push(item.next);
  }

  const order = new Map(candidates.map((c, i) => [c.id, i]));
  unpriceable.sort((a, b) => order.get(a.id)! - order.get(b.id)!);
  const covered = stateBudget.length + fundedFirst.length;
  return { fundedFirst, stateBudget, unpriceable, total: vnd(total), covered, shortfall: Math.max(0, gap - covered) };
}
