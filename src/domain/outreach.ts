/**
 * Door to door (issue 19): the rules of a visit, of a person's pipeline (visited -> promised -> enrolled
 * -> card active), of the follow-up queue and of the "every door" figures. Pure: the caller passes the
 * visits, the cards' facts and the day.
 */
import { addDays, daysBetween } from './calendar';
import type { IsoDate } from './dates';
import { isIsoDate } from './dates';
import { percentOf } from './coverage';
import { quote, RuleError, type MemberQuote, type QuoteMemberInput, type RuleSet } from './premium';

export const OUTCOMES = ['enrolled', 'promised', 'refused', 'not_home'] as const;
export type Outcome = (typeof OUTCOMES)[number];
export const PRODUCTS = ['household_bhyt', 'other'] as const;
export type Product = (typeof PRODUCTS)[number];
export const REASONS = ['cost', 'distrust', 'insured_elsewhere', 'moved_away', 'deceased', 'other'] as const;
export type Reason = (typeof REASONS)[number];
/** Refusal reasons that report a status for the commune officer to review (the register may change). */
export const REPORTED_REASONS = ['moved_away', 'deceased', 'insured_elsewhere'] as const;
export type ReportedReason = (typeof REPORTED_REASONS)[number];
export const isReportedReason = (r: string | null | undefined): r is ReportedReason => (REPORTED_REASONS as readonly string[]).includes(r ?? '');

/** How far ahead of the server's clock a phone's time may be before the visit counts as dated in the future. */
export const CLOCK_TOLERANCE_MS = 60 * 60_000;

export interface Problem {
  path: string;
  key: string;
  params?: Record<string, unknown>;
}

/** The calendar day in Vietnam (UTC+7) of an instant. */
export const dayInVietnam = (at: Date): IsoDate => new Date(at.getTime() + 7 * 3600_000).toISOString().slice(0, 10);

/**
 * The instant a phone's visit time stands for: an ISO date-time with its offset ('2026-03-18T09:30:00+07:00',
 * '...Z'), or a calendar day ('2026-03-18', the start of that day in Vietnam). undefined: neither.
 */
export function parseVisitTime(text: string): Date | undefined {
  const s = text.trim();
  if (/^\d{4}-\d{2}-\d{2}$/.test(s)) return isIsoDate(s) ? new Date(`${s}T00:00:00+07:00`) : undefined;
  const m = /^(\d{4}-\d{2}-\d{2})T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.exec(s);
  if (!m || !isIsoDate(m[1])) return undefined;
  const at = new Date(s);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export interface VisitFacts {
  outcome: Outcome;
  reason: Reason | null;
  product: Product | null;
  followUp: IsoDate | null;
  /** null: the whole household. */
  personId: string | null;
  cardNumber: string | null;
  receiptNumber: string | null;
  visitedAt: Date;
}

export interface VisitContext {
  /** The server's clock. */
  now: Date;
  periodFrom: IsoDate | null;
  periodTo: IsoDate | null;
}

/**
 * What is wrong with a visit, every problem at once, each naming its field: a reason only with (and
 * always with) a refusal; a product, receipt or card number only with an enrolment (or, the card number,
 * with "insured elsewhere"); a whole household only "not at home"; a follow-up date not before the visit;
 * a visit not in the future and inside the group's period.
 */
export function visitProblems(v: VisitFacts, ctx: VisitContext): Problem[] {
  const problems: Problem[] = [];
  const day = dayInVietnam(v.visitedAt);
  if (v.visitedAt.getTime() > ctx.now.getTime() + CLOCK_TOLERANCE_MS) problems.push({ path: 'visitedAt', key: 'visit_in_future', params: { date: day } });
  else if (ctx.periodFrom !== null && day < ctx.periodFrom) problems.push({ path: 'visitedAt', key: 'visit_before_period', params: { date: day, from: ctx.periodFrom } });
  else if (ctx.periodTo !== null && day > ctx.periodTo) problems.push({ path: 'visitedAt', key: 'visit_after_period', params: { date: day, to: ctx.periodTo } });
  if (v.outcome === 'refused' && v.reason === null) problems.push({ path: 'reason', key: 'reason_required' });
  if (v.outcome !== 'refused' && v.reason !== null) problems.push({ path: 'reason', key: 'reason_only_refused' });
  if (v.outcome !== 'enrolled' && v.product !== null) problems.push({ path: 'product', key: 'product_only_enrolled' });
  if (v.outcome !== 'enrolled' && v.receiptNumber !== null) problems.push({ path: 'receiptNumber', key: 'product_only_enrolled' });
  if (v.cardNumber !== null && v.outcome !== 'enrolled' && v.reason !== 'insured_elsewhere') problems.push({ path: 'cardNumber', key: 'card_number_when' });
  if (v.personId === null && v.outcome !== 'not_home') problems.push({ path: 'personId', key: 'household_only_not_home' });
  if (v.followUp !== null && v.followUp < day) problems.push({ path: 'followUp', key: 'follow_up_before_visit', params: { followUp: v.followUp, date: day } });
  if (v.followUp !== null && (v.outcome === 'enrolled' || (v.outcome === 'refused' && isReportedReason(v.reason))))
    problems.push({ path: 'followUp', key: 'follow_up_not_for_outcome' });
  return problems;
}

// ---------------------------------------------------------------------------------------------------
// A person's pipeline
// ---------------------------------------------------------------------------------------------------

/** One visit as the figures read it. */
export interface VisitPoint {
  outcome: Outcome;
  visitedOn: IsoDate;
  /** For ordering visits of the same day. */
  visitedAt: Date;
  followUp: IsoDate | null;
}

export type Stage = 'visited' | 'promised' | 'enrolled' | 'card_active';

const latest = <T extends VisitPoint>(visits: readonly T[]): T =>
  visits.reduce((a, b) => (b.visitedAt.getTime() > a.visitedAt.getTime() ? b : a));
const earliest = <T extends VisitPoint>(visits: readonly T[]): T =>
  visits.reduce((a, b) => (b.visitedAt.getTime() < a.visitedAt.getTime() ? b : a));

/**
 * The outcome a person counts under (the outcome counts add up to the persons reached): enrolled once any
 * visit enrolled them, otherwise the latest visit's outcome (a promise broken by a later refusal counts as
 * refused; a correction is a later visit).
 */
export function countedOutcome(visits: readonly VisitPoint[]): Outcome {
  if (visits.some((v) => v.outcome === 'enrolled')) return 'enrolled';
  return latest(visits).outcome;
}

/**
 * Where a visited person stands: card active (a card that started on or after the first visit covers the
 * day), enrolled (awaiting the card: enrolment never makes a card), promised (the latest outcome is a
 * promise), or visited. `cardSince` is the first day of the first card starting on or after the first
 * visit, `activeToday` whether such a card covers the day.
 */
export function stageOf(visits: readonly VisitPoint[], card: { activeToday: boolean }): Stage {
  if (card.activeToday) return 'card_active';
  if (visits.some((v) => v.outcome === 'enrolled')) return 'enrolled';
  if (latest(visits).outcome === 'promised') return 'promised';
  return 'visited';
}

/**
 * Whether a visited person's card is "active since the visit": the latest card covering the day
 * (`activeSince`, its first day) started on or after their first visit (`visits`: theirs, at least one).
 */
export function newCardActive(activeSince: IsoDate | null, visits: readonly VisitPoint[]): boolean {
  return activeSince !== null && activeSince >= earliest(visits).visitedOn;
}

/** Days from the first visit to the first enrolment, and to the first day of the new card (null: not yet). */
export function daysToConversion(visits: readonly VisitPoint[], cardSince: IsoDate | null): { toEnrolment: number | null; toCard: number | null } {
  const first = earliest(visits).visitedOn;
  const enrolments = visits.filter((v) => v.outcome === 'enrolled');
  return {
    toEnrolment: enrolments.length ? daysBetween(first, earliest(enrolments).visitedOn) : null,
    toCard: cardSince !== null && cardSince >= first ? daysBetween(first, cardSince) : null,
  };
}

/** The median of whole days (the mean of the two middle ones for an even count, to one decimal); null for none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : Math.round(((s[mid - 1] + s[mid]) / 2) * 10) / 10;
}

// ---------------------------------------------------------------------------------------------------
// Follow-ups
// ---------------------------------------------------------------------------------------------------

/**
 * The day a person (or a household nobody was home at) is due again, from their latest visit: a promise on
 * its follow-up date (the visit's day when none was set), "not at home" on its follow-up date or the next
 * day; null when the latest visit closed the matter (enrolled, refused).
 */
export function dueOn(last: VisitPoint): IsoDate | null {
  if (last.outcome === 'promised') return last.followUp ?? last.visitedOn;
  if (last.outcome === 'not_home') return last.followUp ?? addDays(last.visitedOn, 1);
  return null;
}

export { latest as latestVisit };

// ---------------------------------------------------------------------------------------------------
// "Every door" figures
// ---------------------------------------------------------------------------------------------------

/** A visited person's facts for the figures. */
export interface PersonFacts {
  personId: string;
  householdId: string;
  visits: VisitPoint[];
  /** First day of the first card starting on or after the first visit; null: none. */
  cardSince: IsoDate | null;
  /** That card (or a later one) covers the day. */
  activeToday: boolean;
}

export interface Figures {
  /** Households in scope (all the households of the villages or communes). */
  households: number;
  /** Households visited at least once (a person or the whole household). */
  householdsVisited: number;
  /** The "every door" rate: householdsVisited / households in %, 2 decimals; null without households. */
  pctVisited: number | null;
  visits: number;
  /** Persons visited at least once. */
  personsReached: number;
  /** Persons by the outcome they count under (countedOutcome): the four add up to personsReached. */
  enrolled: number;
  promised: number;
  refused: number;
  notHome: number;
  /** Persons by stage: enrolled awaiting their card, and with a new card in force. */
  awaitingCard: number;
  cardActive: number;
  /** Persons enrolled (or with a new card) per person reached, in %. */
  conversion: number | null;
  medianDaysToEnrolment: number | null;
  medianDaysToCard: number | null;
}

/**
 * The figures of a set of households: `households` in scope, the households visited (`visitedHouseholds`,
 * including those visited as a whole), `visitCount` visits, and the facts of the persons visited.
 */
export function figuresOf(input: { households: number; visitedHouseholds: number; visitCount: number; persons: readonly PersonFacts[] }): Figures {
  const counts = { enrolled: 0, promised: 0, refused: 0, notHome: 0, awaitingCard: 0, cardActive: 0 };
  const toEnrolment: number[] = [];
  const toCard: number[] = [];
  let converted = 0;
  for (const p of input.persons) {
    const outcome = countedOutcome(p.visits);
    if (outcome === 'enrolled') counts.enrolled++;
    else if (outcome === 'promised') counts.promised++;
    else if (outcome === 'refused') counts.refused++;
    else counts.notHome++;
    const stage = stageOf(p.visits, p);
    if (stage === 'card_active') counts.cardActive++;
    if (stage === 'enrolled') counts.awaitingCard++;
    if (stage === 'card_active' || stage === 'enrolled') converted++;
    const days = daysToConversion(p.visits, p.cardSince);
    if (days.toEnrolment !== null) toEnrolment.push(days.toEnrolment);
    if (days.toCard !== null) toCard.push(days.toCard);
  }
  return {
    households: input.households,
    householdsVisited: input.visitedHouseholds,
    pctVisited: percentOf(input.visitedHouseholds, input.households),
    visits: input.visitCount,
    personsReached: input.persons.length,
    ...counts,
    conversion: percentOf(converted, input.persons.length),
    medianDaysToEnrolment: median(toEnrolment),
    medianDaysToCard: median(toCard),
  };
}

// ---------------------------------------------------------------------------------------------------
// The price on the door-to-door list
// ---------------------------------------------------------------------------------------------------

export interface DoorPrice {
  months: number;
  group: string;
  order: number | null;
  premium: number;
  state: number;
  local: number;
  payable: number;
  validFrom: IsoDate;
  validTo: IsoDate;
  /** The state pays the whole premium (poor households, children under 6, ...): check the card was issued. */
  statePaysInFull: boolean;
}

export interface DoorPriceMember {
  /** The groups to price in (pricingGroups: register groups, poverty, age, GD last). */
  groups: readonly string[];
  birthDate: IsoDate;
  grade: number | null;
  /** Last day of the latest card, if any (a renewal continues it). */
  previousCardTo: IsoDate | null;
  /** Ethnicity as in the register (local support for ethnic minorities), when the caller has it. */
  ethnicity?: string | null;
}

/** A member as the rules engine's quote takes it (in `commune`, when known). */
export function quoteMemberOf(m: DoorPriceMember, commune?: string | null): QuoteMemberInput {
  return {
    groups: m.groups,
    birthDate: m.birthDate,
    ...(m.grade !== null ? { grade: m.grade } : {}),
    ...(m.previousCardTo ? { previousCardTo: m.previousCardTo } : {}),
    // local support limited to communes or ethnic minorities (an adopted simulator scenario) needs these
    ...(commune ? { commune } : {}),
    ...(m.ethnicity ? { ethnicity: m.ethnicity } : {}),
  };
}

/**
 * The price of a card from `date` for `months` for each member who needs one, in household order: the
 * members are priced one after the other, each household-mode (GD) member taking the next place after the
 * `enrolledThisYear` already enrolled this year, so the household factors apply as at the counter. A member
 * the rules engine cannot price gets the RuleError instead (and takes no place).
 */
export function priceHousehold(
  members: readonly DoorPriceMember[],
  ctx: { date: IsoDate; months: number; enrolledThisYear: number; province: string | null; commune?: string | null },
  rules: RuleSet,
): (DoorPrice | RuleError)[] {
  const input = (ms: readonly DoorPriceMember[], enrolledThisYear: number) => ({
    date: ctx.date,
    months: ctx.months,
    enrolledThisYear,
    ...(ctx.province ? { province: ctx.province } : {}),
    members: ms.map((m) => quoteMemberOf(m, ctx.commune)),
  });
  const price = (q: MemberQuote): DoorPrice => ({
    months: ctx.months,
    group: q.group,
    order: q.order,
    premium: q.premium,
    state: q.state,
    local: q.local,
    payable: q.payable,
    validFrom: q.validFrom,
    validTo: q.validTo,
    statePaysInFull: q.premium > 0 && q.state === q.premium,
  });
  // the whole household in one quote (the engine numbers the GD members in order); when a member cannot be
  // priced, one by one, so that only that member gets the error
  try {
    return quote(input(members, ctx.enrolledThisYear), rules).members.map(price);
  } catch (e) {
    if (!(e instanceof RuleError)) throw e;
  }
  let enrolled = ctx.enrolledThisYear;
  return members.map((m) => {
    try {
      const q = quote(input([m], enrolled), rules).members[0];
      if (q.order !== null) enrolled = q.order;
      return price(q);
    } catch (e) {
      if (e instanceof RuleError) return e;
      throw e;
    }
  });
}
