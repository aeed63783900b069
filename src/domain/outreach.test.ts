import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, mergeRules } from './premium-rules';
import { RuleError } from './premium';
import {
  countedOutcome,
  dayInVietnam,
  dueOn,
  figuresOf,
  median,
  parseVisitTime,
  priceHousehold,
  stageOf,
  visitProblems,
  type VisitContext,
  type VisitFacts,
  type VisitPoint,
} from './outreach';

const NOW = new Date('2026-11-20T12:00:00+07:00');
const base: VisitFacts = {
  outcome: 'promised',
  reason: null,
  product: null,
  followUp: '2026-11-25',
  personId: 'p',
  cardNumber: null,
  receiptNumber: null,
  visitedAt: new Date('2026-11-20T09:00:00+07:00'),
};
const ctx: VisitContext = { now: NOW, periodFrom: '2026-10-01', periodTo: '2026-12-31' };
const keys = (v: Partial<VisitFacts>, c: Partial<VisitContext> = {}) => visitProblems({ ...base, ...v }, { ...ctx, ...c }).map((p) => `${p.path}:${p.key}`);

const point = (outcome: VisitPoint['outcome'], day: string, followUp: string | null = null): VisitPoint => ({
  outcome,
  visitedOn: day,
  visitedAt: new Date(`${day}T09:00:00+07:00`),
  followUp,
});

describe('a visit’s time', () => {
  it('reads a phone’s time with its offset, or a day as its start in Vietnam', () => {
    expect(parseVisitTime('2026-11-20T09:30:00+07:00')?.toISOString()).toBe('2026-11-20T02:30:00.000Z');
    expect(parseVisitTime('2026-11-20T02:30Z')?.toISOString()).toBe('2026-11-20T02:30:00.000Z');
    expect(parseVisitTime('2026-11-20')?.toISOString()).toBe('2026-11-19T17:00:00.000Z');
    for (const bad of ['20/11/2026', '2026-02-30', '2026-11-20T09:30', 'soon', '']) expect(parseVisitTime(bad)).toBeUndefined();
  });
  it('falls on the day in Vietnam', () => {
    expect(dayInVietnam(new Date('2026-11-19T17:30:00Z'))).toBe('2026-11-20');
    expect(dayInVietnam(new Date('2026-11-19T16:59:00Z'))).toBe('2026-11-19');
  });
});

describe('what is wrong with a visit', () => {
  it('accepts a good promise, enrolment, refusal, and a whole household not at home', () => {
    expect(keys({})).toEqual([]);
    expect(keys({ outcome: 'enrolled', followUp: null, product: 'household_bhyt', receiptNumber: 'BL1', cardNumber: 'GD401' })).toEqual([]);
    expect(keys({ outcome: 'refused', reason: 'insured_elsewhere', cardNumber: 'DN401', followUp: null })).toEqual([]);
    expect(keys({ outcome: 'refused', reason: 'cost', followUp: '2027-01-10' })).toEqual([]);
    expect(keys({ outcome: 'not_home', personId: null, followUp: null })).toEqual([]);
  });
  it('refuses a visit in the future (beyond the clock tolerance) or outside the group’s period', () => {
    expect(keys({ visitedAt: new Date('2026-11-20T12:59:00+07:00') })).toEqual([]);
    expect(keys({ visitedAt: new Date('2026-11-20T13:01:00+07:00') })).toEqual(['visitedAt:visit_in_future']);
    expect(keys({ visitedAt: new Date('2026-09-30T09:00:00+07:00'), followUp: null })).toEqual(['visitedAt:visit_before_period']);
    expect(keys({}, { now: new Date('2027-02-01T00:00:00Z'), periodTo: '2026-11-19' })).toEqual(['visitedAt:visit_after_period']);
    expect(keys({}, { periodFrom: null, periodTo: null })).toEqual([]);
  });
  it('names every field that does not go with the outcome', () => {
    expect(keys({ outcome: 'refused', followUp: null })).toEqual(['reason:reason_required']);
    expect(keys({ reason: 'cost' })).toEqual(['reason:reason_only_refused']);
    expect(keys({ product: 'other', receiptNumber: 'x', cardNumber: 'y' })).toEqual([
      'product:product_only_enrolled',
      'receiptNumber:product_only_enrolled',
      'cardNumber:card_number_when',
    ]);
    expect(keys({ personId: null })).toEqual(['personId:household_only_not_home']);
    expect(keys({ followUp: '2026-11-19' })).toEqual(['followUp:follow_up_before_visit']);
    expect(keys({ outcome: 'enrolled', followUp: '2026-11-21' })).toEqual(['followUp:follow_up_not_for_outcome']);
    expect(keys({ outcome: 'refused', reason: 'deceased', followUp: '2026-11-21' })).toEqual(['followUp:follow_up_not_for_outcome']);
  });
});

describe('a person’s pipeline', () => {
  it('counts a person once: enrolled once enrolled, else the latest outcome', () => {
    expect(countedOutcome([point('promised', '2026-11-01'), point('refused', '2026-11-05')])).toBe('refused');
    expect(countedOutcome([point('enrolled', '2026-11-01'), point('not_home', '2026-11-05')])).toBe('enrolled');
    expect(countedOutcome([point('not_home', '2026-11-05'), point('promised', '2026-11-01')])).toBe('not_home');
  });
  it('stands at card active only with a card, enrolled (awaiting the card) without one', () => {
    const visits = [point('promised', '2026-11-01'), point('enrolled', '2026-11-05')];
    expect(stageOf(visits, { activeToday: false })).toBe('enrolled');
    expect(stageOf(visits, { activeToday: true })).toBe('card_active');
    expect(stageOf([point('promised', '2026-11-01')], { activeToday: false })).toBe('promised');
    expect(stageOf([point('promised', '2026-11-01'), point('not_home', '2026-11-03')], { activeToday: false })).toBe('visited');
  });
  it('is due again on the follow-up day, the day after "not at home", never after an enrolment or refusal', () => {
    expect(dueOn(point('promised', '2026-11-01', '2026-11-08'))).toBe('2026-11-08');
    expect(dueOn(point('promised', '2026-11-01'))).toBe('2026-11-01');
    expect(dueOn(point('not_home', '2026-11-30'))).toBe('2026-12-01');
    expect(dueOn(point('enrolled', '2026-11-01'))).toBeNull();
    expect(dueOn(point('refused', '2026-11-01'))).toBeNull();
  });
});

describe('"every door" figures', () => {
  it('takes the median of days, halves for an even count', () => {
    expect(median([])).toBeNull();
    expect(median([9])).toBe(9);
    expect(median([4, 0])).toBe(2);
    expect(median([1, 2, 4, 10])).toBe(3);
    expect(median([1, 2])).toBe(1.5);
  });
  it('adds the outcomes up to the persons reached', () => {
    const f = figuresOf({
      households: 8,
      visitedHouseholds: 3,
      visitCount: 6,
      persons: [
        { personId: 'a', householdId: 'h1', visits: [point('promised', '2026-11-01'), point('enrolled', '2026-11-05')], cardSince: '2026-11-10', activeToday: true },
        { personId: 'b', householdId: 'h1', visits: [point('promised', '2026-11-02')], cardSince: null, activeToday: false },
        { personId: 'c', householdId: 'h2', visits: [point('enrolled', '2026-11-03')], cardSince: null, activeToday: false },
        { personId: 'd', householdId: 'h3', visits: [point('refused', '2026-11-04')], cardSince: null, activeToday: false },
      ],
    });
    expect(f).toEqual({
      households: 8,
      householdsVisited: 3,
      pctVisited: 37.5,
      visits: 6,
      personsReached: 4,
      enrolled: 2,
      promised: 1,
      refused: 1,
      notHome: 0,
      awaitingCard: 1,
      cardActive: 1,
      conversion: 50,
      medianDaysToEnrolment: 2,
      medianDaysToCard: 9,
    });
    expect(f.enrolled + f.promised + f.refused + f.notHome).toBe(f.personsReached);
    expect(figuresOf({ households: 0, visitedHouseholds: 0, visitCount: 0, persons: [] })).toMatchObject({ pctVisited: null, conversion: null, medianDaysToCard: null });
  });
});

describe('the price on the list', () => {
  const member = (groups: string[], birthDate = '1980-01-01', previousCardTo: string | null = null) => ({ groups, birthDate, grade: null, previousCardTo });
  it('prices household members in order after those enrolled this year, skipping members of other groups', () => {
    const full = 1_366_200;
    const prices = priceHousehold([member(['GD']), member(['HN', 'GD']), member(['GD'])], { date: '2026-11-20', months: 12, enrolledThisYear: 1, province: '15' }, DEFAULT_RULES);
    expect(prices.map((p) => (p instanceof RuleError ? p.code : [p.group, p.order, p.payable, p.statePaysInFull]))).toEqual([
      ['GD', 2, Math.round(full * 0.7), false],
      ['HN', null, 0, true],
      ['GD', 3, Math.round(full * 0.6), false],
    ]);
  });
  it('continues a card that is still running, and gives the engine’s refusal for a member it cannot price', () => {
    const [renewal, bad] = priceHousehold([member(['GD'], '1970-01-01', '2026-12-05'), member(['NOPE'])], { date: '2026-11-20', months: 12, enrolledThisYear: 0, province: null }, DEFAULT_RULES);
    expect(renewal).toMatchObject({ validFrom: '2026-12-06', validTo: '2027-12-05', order: 1 });
    expect(bad).toBeInstanceOf(RuleError);
    expect((bad as RuleError).code).toBe('unknown_group');
  });
  it('passes the household’s commune and the member’s ethnicity to the engine, for local support limited to them', () => {
    const rules = mergeRules(DEFAULT_RULES, {
      localPolicies: [
        { id: 'local-15-communes', province: '15', nameVi: 'x', nameEn: 'x', from: '2026-01-01', source: 'QĐ 1', basisPoints: 5_000, communes: ['02905'] },
        { id: 'local-15-minority', province: '15', nameVi: 'y', nameEn: 'y', from: '2026-01-01', source: 'QĐ 2', basisPoints: 2_000, base: 'premium', ethnicMinority: true },
      ],
    });
    const ctx = { date: '2026-11-20', months: 12, enrolledThisYear: 0, province: '15' };
    const full = 1_366_200;
    // in commune 02905: 50% of the first member's premium; elsewhere nothing
    expect(priceHousehold([member(['GD'])], { ...ctx, commune: '02905' }, rules)[0]).toMatchObject({ local: full / 2 });
    expect(priceHousehold([member(['GD'])], { ...ctx, commune: '02923' }, rules)[0]).toMatchObject({ local: 0 });
    // an ethnic minority member elsewhere: 20% of the premium
    expect(priceHousehold([{ ...member(['GD']), ethnicity: 'Dao' }], { ...ctx, commune: '02923' }, rules)[0]).toMatchObject({ local: Math.round(full * 0.2) });
  });
});
