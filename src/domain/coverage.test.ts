import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addDays } from './calendar';
import { DEFAULT_RULES, RuleError } from './premium-rules';
import {
  cheapestWayToClose,
  coverageEndOn,
  coverageMeasures,
  coverageSpans,
  expiresWithin,
  gapToTarget,
  isCoveredOn,
  isRenewalOf,
  latestCardEnd,
  observedRenewalRate,
  percentOf,
  projectCoverage,
  renewalHistory,
  wholeMonthsBetween,
  type CoverageCandidate,
  staleReportedFields,
  usableYearAgo,
} from './coverage';

const R = DEFAULT_RULES;
/** 4.5% x 2,340,000 x 12: one household member, 12 months, paid 2025-09-01. */
const FULL = 1_263_600;
const card = (validFrom: string, validTo: string) => ({ validFrom, validTo });

describe('isCoveredOn / latestCardEnd', () => {
  const cards = [card('2025-01-01', '2025-12-31')];

  it('a card covers its first and last day, not the day before or after', () => {
    expect(isCoveredOn(cards, '2025-12-31')).toBe(true);
    expect(isCoveredOn(cards, '2025-01-01')).toBe(true);
    expect(isCoveredOn(cards, '2026-01-01')).toBe(false);
    expect(isCoveredOn(cards, '2024-12-31')).toBe(false);
  });

  it('a card starting the day after the date does not cover it', () => {
    expect(isCoveredOn([card('2025-10-02', '2026-10-01')], '2025-10-01')).toBe(false);
    expect(isCoveredOn([], '2025-10-01')).toBe(false);
  });

  it('an empty card covers nothing and has no end', () => {
    expect(isCoveredOn([card('2025-10-02', '2025-10-01')], '2025-10-01')).toBe(false);
    expect(latestCardEnd([card('2025-10-02', '2025-10-01')])).toBeNull();
  });

  it('latestCardEnd is the last valid day of any card', () => {
    expect(latestCardEnd([card('2025-01-01', '2025-12-31'), card('2024-01-01', '2024-12-31')])).toBe('2025-12-31');
    expect(latestCardEnd([])).toBeNull();
  });

  it('refuses a non-date', () => {
    expect(() => isCoveredOn(cards, '2025-02-30')).toThrow(RangeError);
    expect(() => isCoveredOn([card('2025-01-01', 'soon')], '2025-02-01')).toThrow(RangeError);
  });
});

describe('continuity and expiresWithin', () => {
  it('merges overlapping and back-to-back cards, not cards with a gap', () => {
    expect(
      coverageSpans([card('2026-01-01', '2026-12-31'), card('2025-01-01', '2025-12-31'), card('2027-01-02', '2027-03-01')]),
    ).toEqual([
      { from: '2025-01-01', to: '2026-12-31' },
      { from: '2027-01-02', to: '2027-03-01' },
    ]);
    expect(coverageSpans([card('2025-01-01', '2025-12-31'), card('2025-06-01', '2025-07-01')])).toEqual([
      { from: '2025-01-01', to: '2025-12-31' },
    ]);
  });

  const old = card('2025-01-01', '2025-10-31');

  it('a card alone expires within the window when its end is at most `days` away', () => {
    expect(expiresWithin([old], '2025-10-01', 30)).toBe(true); // ends 2025-10-31 = date + 30
    expect(expiresWithin([old], '2025-10-01', 29)).toBe(false);
    expect(expiresWithin([old], '2025-10-31', 0)).toBe(true);
    expect(coverageEndOn([old], '2025-10-01')).toBe('2025-10-31');
  });

  it('a back-to-back renewal continues the coverage: not expiring', () => {
    const renewed = [old, card('2025-11-01', '2026-10-31')];
    expect(expiresWithin(renewed, '2025-10-01', 30)).toBe(false);
    expect(coverageEndOn(renewed, '2025-10-01')).toBe('2026-10-31');
  });

  it('an overlapping renewal continues the coverage', () => {
    expect(expiresWithin([old, card('2025-10-15', '2026-10-14')], '2025-10-01', 30)).toBe(false);
  });

  it('a renewal after a one-day gap does not continue it', () => {
    expect(expiresWithin([old, card('2025-11-02', '2026-11-01')], '2025-10-01', 30)).toBe(true);
  });

  it('not covered on the date: not expiring', () => {
    expect(expiresWithin([old], '2025-11-01', 365)).toBe(false);
    expect(coverageEndOn([old], '2025-11-01')).toBeNull();
  });

  it('continuity does not depend on the order of the cards (property)', () => {
    const day = fc.integer({ min: 0, max: 400 }).map((n) => addDays('2025-01-01', n));
    const cardArb = fc.tuple(day, fc.integer({ min: 0, max: 120 })).map(([from, len]) => card(from, addDays(from, len)));
    fc.assert(
      fc.property(fc.array(cardArb, { maxLength: 6 }), day, fc.integer({ min: 0, max: 200 }), (cards, date, days) => {
        const reversed = [...cards].reverse();
        expect(expiresWithin(reversed, date, days)).toBe(expiresWithin(cards, date, days));
        // Covered exactly when some run of continuous coverage includes the date.
        const spans = coverageSpans(cards);
        expect(spans.some((s) => s.from <= date && date <= s.to)).toBe(isCoveredOn(cards, date));
        // Runs are separated by at least one uncovered day.
        for (let i = 1; i < spans.length; i++) expect(addDays(spans[i - 1].to, 1) < spans[i].from).toBe(true);
      }),
    );
  });
});

describe('coverageMeasures', () => {
  it('reproduces the Lào Cai figures of October 2025', () => {
    expect(
      coverageMeasures({ participants: 1_475_810, plan: 1_579_758, population: 1_673_064, participantsYearAgo: 1_533_228 }),
    ).toEqual({ pctPlan: 93.42, pctPopulation: 88.21, yoyChange: -57_418 });
  });

  it('gives null for a missing or zero denominator and an unknown year-ago figure', () => {
    expect(coverageMeasures({ participants: 10, plan: 0, population: null })).toEqual({
      pctPlan: null,
      pctPopulation: null,
      yoyChange: null,
    });
    expect(coverageMeasures({ participants: 0, plan: 7, population: 3, participantsYearAgo: 5 })).toEqual({
      pctPlan: 0,
      pctPopulation: 0,
      yoyChange: -5,
    });
  });

  it('rounds halves away from zero, exactly', () => {
    expect(percentOf(1, 8)).toBe(12.5);
    expect(percentOf(1, 80_000)).toBe(0); // 0.00125 %
    expect(percentOf(1, 20_000)).toBe(0.01); // 0.005 % -> 0.01 (half away from zero)
    expect(percentOf(1, 40_000)).toBe(0); // 0.0025 %
    expect(percentOf(2, 3)).toBe(66.67);
    expect(percentOf(1, 3)).toBe(33.33);
    expect(percentOf(3, 2)).toBe(150);
  });

  it('refuses negative or fractional counts', () => {
    expect(() => coverageMeasures({ participants: -1, plan: 10 })).toThrow(RangeError);
    expect(() => coverageMeasures({ participants: 1.5, plan: 10 })).toThrow(RangeError);
  });

  it('percentages are >= 0, have at most 2 decimals and are within 0.005 of the exact ratio (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 200_000_000 }), fc.integer({ min: 1, max: 200_000_000 }), (part, whole) => {
        const pct = percentOf(part, whole)!;
        expect(pct).toBeGreaterThanOrEqual(0);
        expect(Math.round(pct * 100) / 100).toBe(pct);
        expect(String(pct)).toMatch(/^\d+(\.\d{1,2})?$/);
        // |pct - 100 part / whole| <= 0.005, checked on integers
        const diff = BigInt(Math.round(pct * 100)) * BigInt(whole) - BigInt(part) * 10_000n;
        expect(2n * (diff < 0n ? -diff : diff) <= BigInt(whole)).toBe(true);
      }),
    );
  });
});

describe('projectCoverage', () => {
  const base = {
    date: '2025-10-31',
    targetDate: '2025-12-31',
    covered: 1_000,
    expiringBy: [
      { date: '2025-11-15', count: 40 },
      { date: '2025-12-30', count: 60 },
      { date: '2025-12-31', count: 500 }, // still covered on the target date
      { date: '2026-03-31', count: 100 },
    ],
  };

  it('rate 0: every expiring person is lost', () => {
    expect(projectCoverage({ ...base, renewalRate: 0 })).toMatchObject({ expected: 900, lost: 100, renewed: 0, expiring: 100 });
  });

  it('rate 1: nobody is lost', () => {
    expect(projectCoverage({ ...base, renewalRate: 1 })).toMatchObject({ expected: 1_000, lost: 0, renewed: 100 });
  });

  it('an expected value, rounded once, halves counted as lost', () => {
    expect(projectCoverage({ ...base, renewalRate: 0.35 })).toMatchObject({ lost: 65, renewed: 35, expected: 935 });
    const odd = { ...base, expiringBy: [{ date: '2025-11-01', count: 1 }] };
    expect(projectCoverage({ ...odd, renewalRate: 0.5 })).toMatchObject({ lost: 1, renewed: 0, expected: 999 });
    // 10 x 0.35 is 3.5 exactly from the decimal rate, not 3.4999999: 7 lost (6.5 rounds up)
    const ten = { ...base, expiringBy: [{ date: '2025-11-01', count: 10 }] };
    expect(projectCoverage({ ...ten, renewalRate: 0.35 })).toMatchObject({ lost: 7, renewed: 3 });
  });

  it('adds new enrolments for the whole months to the target date', () => {
    const p = projectCoverage({ ...base, renewalRate: 1, newEnrolmentsPerMonth: 12.5 });
    expect(p).toMatchObject({ months: 2, newEnrolments: 25, expected: 1_025 });
    expect(wholeMonthsBetween('2025-01-31', '2025-02-28')).toBe(1);
    expect(wholeMonthsBetween('2025-01-31', '2025-02-27')).toBe(0);
    expect(wholeMonthsBetween('2025-10-31', '2026-10-30')).toBe(11);
  });

  it('target date = date: nothing changes', () => {
    expect(
      projectCoverage({ date: '2025-10-31', targetDate: '2025-10-31', covered: 5, expiringBy: [{ date: '2025-10-31', count: 5 }], renewalRate: 0 }),
    ).toMatchObject({ expected: 5, lost: 0, renewed: 0, months: 0 });
  });

  it('refuses inconsistent input', () => {
    expect(() => projectCoverage({ ...base, renewalRate: 1.2 })).toThrow(RangeError);
    expect(() => projectCoverage({ ...base, renewalRate: -0.1 })).toThrow(RangeError);
    expect(() => projectCoverage({ ...base, targetDate: '2025-10-30', renewalRate: 0.5 })).toThrow(RangeError);
    expect(() => projectCoverage({ ...base, covered: 50, renewalRate: 0.5 })).toThrow(/more than the 50 covered/);
    expect(() =>
      projectCoverage({ ...base, expiringBy: [{ date: '2025-10-30', count: 1 }], renewalRate: 0.5 }),
    ).toThrow(/not covered/);
  });

  it('lost + renewed = expiring and expected lies between the rate-0 and rate-1 projections (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 120 }), fc.nat({ max: 1000 })), { maxLength: 5 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.nat({ max: 5000 }),
        (ends, renewalRate, extra) => {
          const expiringBy = ends.map(([d, count]) => ({ date: addDays('2025-10-31', d), count }));
          const covered = ends.reduce((s, [, c]) => s + c, 0) + extra;
          const input = { date: '2025-10-31', targetDate: '2026-01-31', covered, expiringBy };
          const p = projectCoverage({ ...input, renewalRate });
          expect(p.lost + p.renewed).toBe(p.expiring);
          expect(Number.isInteger(p.lost) && p.lost >= 0 && p.renewed >= 0).toBe(true);
          expect(p.expected).toBeGreaterThanOrEqual(projectCoverage({ ...input, renewalRate: 0 }).expected);
          expect(p.expected).toBeLessThanOrEqual(covered);
        },
      ),
    );
  });
});

describe('renewal rate', () => {
  it('is the share of ended coverages renewed within 90 days', () => {
    expect(observedRenewalRate({ ended: 200, renewedWithin: 150 })).toBe(0.75);
    expect(observedRenewalRate({ ended: 0, renewedWithin: 0 })).toBe(0);
    expect(observedRenewalRate({ ended: 0, renewedWithin: 0 }, 0.8)).toBe(0.8);
    expect(() => observedRenewalRate({ ended: 1, renewedWithin: 2 })).toThrow(RangeError);
  });

  it('counts a new card starting up to 90 days after the end as a renewal', () => {
    const ended = card('2025-01-01', '2025-06-30');
    expect(isRenewalOf(ended, card('2025-07-01', '2026-06-30'))).toBe(true);
    expect(isRenewalOf(ended, card(addDays('2025-06-30', 90), '2026-09-27'))).toBe(true);
    expect(isRenewalOf(ended, card(addDays('2025-06-30', 91), '2026-09-28'))).toBe(false);
    expect(isRenewalOf(ended, card('2025-01-01', '2025-03-31'))).toBe(false);
  });

  it('renewalHistory counts coverage runs that ended in the window', () => {
    const people = [
      [card('2025-01-01', '2025-06-30'), card('2025-07-01', '2026-06-30')], // renewed on time: no run ends in the window
      [card('2025-01-01', '2025-06-30'), card('2025-08-01', '2026-07-31')], // ended, renewed after 32 days
      [card('2025-01-01', '2025-06-30'), card('2025-11-01', '2026-10-31')], // ended, back after 124 days
      [card('2025-01-01', '2025-05-31')], // ended, never renewed
      [card('2024-01-01', '2024-12-31')], // ended before the window
    ];
    const history = renewalHistory(people, { from: '2025-04-01', to: '2025-06-30' });
    expect(history).toEqual({ ended: 3, renewedWithin: 1 });
    expect(observedRenewalRate(history)).toBeCloseTo(1 / 3, 12);
  });
});

describe('gapToTarget', () => {
  it('rounds the target up to whole persons', () => {
    expect(gapToTarget({ target: { kind: 'percent_population', value: 95 }, population: 101, expected: 90 })).toEqual({
      targetParticipants: 96, // 95.95
      gap: 6,
    });
    expect(gapToTarget({ target: { kind: 'percent_population', value: 95 }, population: 1_673_064, expected: 1_475_810 })).toEqual({
      targetParticipants: 1_589_411, // 1,589,410.8
      gap: 113_601,
    });
    expect(gapToTarget({ target: { kind: 'percent_population', value: 95 }, population: 100, expected: 0 })).toEqual({
      targetParticipants: 95,
      gap: 95,
    });
  });

  it('uses the decimal target exactly', () => {
    // 1000 x 95.1% = 951 exactly (binary 95.1 x 10 would be 951.0000000000001 and round up to 952)
    expect(gapToTarget({ target: { kind: 'percent_population', value: 95.1 }, population: 1000, expected: 0 }).targetParticipants).toBe(951);
  });

  it('a participant target; the gap is never negative', () => {
    expect(gapToTarget({ target: { kind: 'participants', value: 1_500_000 }, expected: 1_475_810 })).toEqual({
      targetParticipants: 1_500_000,
      gap: 24_190,
    });
    expect(gapToTarget({ target: { kind: 'participants', value: 100 }, expected: 120 }).gap).toBe(0);
  });

  it('needs the population for a percent target', () => {
    expect(() => gapToTarget({ target: { kind: 'percent_population', value: 95 }, expected: 1 })).toThrow(RangeError);
  });

  it('target and expected meet: gap >= 0 and expected + gap >= target (property)', () => {
    fc.assert(
      fc.property(fc.nat({ max: 10_000 }), fc.nat({ max: 10_000_000 }), fc.nat({ max: 12_000_000 }), (basis, population, expected) => {
        const value = basis / 100; // 0.00 .. 100.00 percent
        const { targetParticipants, gap } = gapToTarget({ target: { kind: 'percent_population', value }, population, expected });
        expect(gap).toBeGreaterThanOrEqual(0);
        expect(expected + gap).toBeGreaterThanOrEqual(targetParticipants);
        // targetParticipants = ceil(population x basis / 10000), on integers
        expect(BigInt(targetParticipants) * 10_000n >= BigInt(population) * BigInt(basis)).toBe(true);
        expect(BigInt(targetParticipants - 1) * 10_000n < BigInt(population) * BigInt(basis)).toBe(true);
      }),
    );
  });
});

describe('cheapestWayToClose', () => {
  const date = '2025-09-01';
  const run = (gap: number, candidates: CoverageCandidate[], months = 12) =>
    cheapestWayToClose({ gap, candidates, date, months, rules: R });

  it('buys the near-poor (CN, 70% state) before household members, and routes HN/TE to the state budget', () => {
    const result = run(3, [
      { id: 'gd-1', groups: ['GD'] },
      { id: 'hn-1', groups: ['HN'] },
      { id: 'cn-1', groups: ['CN'] },
      { id: 'te-1', groups: ['GD'], birthDate: '2022-05-01' }, // under 6: TE
      { id: 'cn-2', groups: ['CN'] },
    ]);
    expect(result.stateBudget).toEqual([
      { id: 'hn-1', group: 'HN' },
      { id: 'te-1', group: 'TE' },
    ]);
    // gap 3 - 2 state-budget people = 1 to buy: the cheaper CN one (input order breaks the tie)
    expect(result.fundedFirst).toEqual([
      { id: 'cn-1', group: 'CN', premium: FULL, state: 884_520, local: 0, payable: 379_080, order: null },
    ]);
    expect(result).toMatchObject({ total: 379_080, covered: 3, shortfall: 0, unpriceable: [] });

    const more = run(5, [
      { id: 'gd-1', groups: ['GD'] },
      { id: 'cn-1', groups: ['CN'] },
      { id: 'hs-1', groups: ['HS'] },
      { id: 'cn-2', groups: ['CN'] },
    ]);
    expect(more.fundedFirst.map((f) => [f.id, f.payable])).toEqual([
      ['cn-1', 379_080],
      ['cn-2', 379_080],
      ['hs-1', 631_800], // pupils: 50% state from 2025-07-01
      ['gd-1', FULL],
    ]);
    expect(more).toMatchObject({ total: 379_080 * 2 + 631_800 + FULL, covered: 4, shortfall: 1 });
  });

  it('gives the second household member of one household the 70% factor', () => {
    const result = run(2, [
      { id: 'a', groups: ['GD'], household: 'h1' },
      { id: 'b', groups: ['GD'], household: 'h1' },
    ]);
    expect(result.fundedFirst).toEqual([
      { id: 'a', group: 'GD', premium: FULL, state: 0, local: 0, payable: FULL, order: 1 },
      { id: 'b', group: 'GD', premium: 884_520, state: 0, local: 0, payable: 884_520, order: 2 },
    ]);
    expect(result.total).toBe(FULL + 884_520);
  });

  it('never buys a later household member without the earlier ones', () => {
    // Stranger at 100% (listed first) and a household of two: gap 1 buys one person at full price, not
    // the household's 2nd member at 70% alone.
    const result = run(1, [
      { id: 'stranger', groups: ['GD'] },
      { id: 'a', groups: ['GD'], household: 'h1' },
      { id: 'b', groups: ['GD'], household: 'h1' },
    ]);
    expect(result.fundedFirst).toHaveLength(1);
    expect(result.fundedFirst[0].payable).toBe(FULL);
    expect(result.fundedFirst[0].id).toBe('stranger');
    // After the 1st member, the 2nd (70%) is cheaper than another stranger.
    const two = run(2, [
      { id: 'a', groups: ['GD'], household: 'h1' },
      { id: 'stranger', groups: ['GD'] },
      { id: 'b', groups: ['GD'], household: 'h1' },
    ]);
    expect(two.fundedFirst.map((f) => [f.id, f.order])).toEqual([
      ['a', 1],
      ['b', 2],
    ]);
  });

  it('continues the household order after members enrolled earlier this year; non-GD members do not count', () => {
    const result = run(3, [
      { id: 'a', groups: ['GD'], household: 'h1', enrolledThisYear: 2 },
      { id: 'pupil', groups: ['HS'], household: 'h1' },
      { id: 'b', groups: ['GD'], household: 'h1' },
    ]);
    const byId = Object.fromEntries(result.fundedFirst.map((f) => [f.id, f]));
    expect(byId.a).toMatchObject({ order: 3, payable: 758_160 }); // 60%
    expect(byId.b).toMatchObject({ order: 4, payable: 631_800 }); // 50%
    expect(byId.pupil).toMatchObject({ order: null, payable: 631_800 });
  });

  it('reports a shortfall when the candidates run out', () => {
    const result = run(10, [{ id: 'cn', groups: ['CN'] }, { id: 'hn', groups: ['HN'] }]);
    expect(result).toMatchObject({ covered: 2, shortfall: 8, total: 379_080 });
    expect(run(0, [{ id: 'cn', groups: ['CN'] }]).fundedFirst).toEqual([]);
  });

  it('lists the candidates the rules refuse, and never prices them', () => {
    const result = run(3, [
      { id: 'x', groups: ['NOPE'] },
      { id: 'y', groups: ['TE'], birthDate: '2000-01-01' },
      { id: 'z', groups: ['GD'], household: 'h', enrolledThisYear: 1 },
      { id: 'w', groups: ['GD'], household: 'h', enrolledThisYear: 2 },
      { id: 'ok', groups: ['CN'] },
    ]);
    expect(result.unpriceable.map((u) => [u.id, u.code, u.field])).toEqual([
      ['x', 'unknown_group', 'groups[0]'],
      ['y', 'not_eligible', 'groups[0]'],
      ['z', 'household_conflict', 'enrolledThisYear'],
      ['w', 'household_conflict', 'enrolledThisYear'],
    ]);
    expect(result.unpriceable[0].reason).toMatch(/unknown group: NOPE/);
    expect(result.fundedFirst.map((f) => f.id)).toEqual(['ok']);
    expect(result.shortfall).toBe(2);
  });

  it('refuses a bad date, months or duplicate ids as a whole', () => {
    expect(() => run(1, [{ id: 'a', groups: ['CN'] }], 13)).toThrow(RuleError);
    expect(() => cheapestWayToClose({ gap: 1, candidates: [], date: '2025-13-01', months: 12, rules: R })).toThrow(RuleError);
    expect(() => run(1, [{ id: 'a', groups: ['CN'] }, { id: 'a', groups: ['GD'] }])).toThrow(/duplicate/);
  });

  const GROUPS = ['GD', 'GD', 'GD', 'CN', 'HS', 'SV', 'GB', 'HN', 'TE', 'NOPE'];
  const candidatesArb = fc
    .array(
      fc.record({
        group: fc.constantFrom(...GROUPS),
        household: fc.option(fc.constantFrom('h1', 'h2', 'h3'), { nil: undefined }),
      }),
      { maxLength: 25 },
    )
    .map((rows) =>
      rows.map(
        (row, i): CoverageCandidate => ({
          id: `c${i}`,
          groups: [row.group],
          ...(row.household !== undefined ? { household: row.household } : {}),
        }),
      ),
    );

  it('total = sum of chosen payables, chosen = min(needed, available), cheapest first (property)', () => {
    fc.assert(
      fc.property(candidatesArb, fc.nat({ max: 30 }), (candidates, gap) => {
        const result = run(gap, candidates);
        const sum = result.fundedFirst.reduce((s, f) => s + f.payable, 0);
        expect(result.total).toBe(sum);
        expect(Number.isSafeInteger(result.total)).toBe(true);
        for (const f of result.fundedFirst) {
          expect(f.premium).toBe(f.state + f.local + f.payable);
          expect(Number.isInteger(f.payable) && f.payable >= 0).toBe(true);
        }
        const available = candidates.length - result.stateBudget.length - result.unpriceable.length;
        const needed = Math.max(0, gap - result.stateBudget.length);
        expect(result.fundedFirst.length).toBe(Math.min(needed, available));
        expect(result.covered).toBe(result.stateBudget.length + result.fundedFirst.length);
        expect(result.shortfall).toBe(Math.max(0, gap - result.covered));
        // every candidate ends up in exactly one list (or is simply not needed)
        const ids = [...result.fundedFirst, ...result.stateBudget, ...result.unpriceable].map((x) => x.id);
        expect(new Set(ids).size).toBe(ids.length);
        // household-mode members of one household are bought in order 1, 2, 3, ...
        const orders = new Map<string, number[]>();
        for (const f of result.fundedFirst) {
          const h = candidates.find((c) => c.id === f.id)!.household;
          if (h !== undefined && f.order !== null) orders.set(h, [...(orders.get(h) ?? []), f.order]);
        }
        for (const list of orders.values()) expect(list).toEqual(list.map((_, i) => i + 1));
        // without households the choice is simply the cheapest ones, in ascending order
        if (candidates.every((c) => c.household === undefined)) {
          const payables = result.fundedFirst.map((f) => f.payable);
          expect(payables).toEqual([...payables].sort((a, b) => a - b));
        }
      }),
    );
  });
});

describe('reported figures read for a date', () => {
  it('flags counts a year old or more and a plan of an earlier year', () => {
    const dates = { participants: '2025-10-31', population: '2024-11-30', plan: '2025-01-31' };
    expect(staleReportedFields({ date: '2025-12-04', dates, planYear: 2025 })).toEqual(['population']);
    // exactly a year: the figure is also the one "a year ago"
    expect(staleReportedFields({ date: '2026-10-31', dates, planYear: 2025 })).toEqual(['participants', 'population', 'plan']);
    expect(staleReportedFields({ date: '2026-10-30', dates: { participants: '2025-10-31' }, planYear: null })).toEqual([]);
    expect(staleReportedFields({ date: '2026-01-01', dates: {}, planYear: 2025 })).toEqual([]);
  });
  it('uses a year-ago count only when it is another figure, no more than two years old', () => {
    expect(usableYearAgo({ date: '2026-12-04', current: '2025-10-31', yearAgo: '2025-10-31' })).toBe(false);
    expect(usableYearAgo({ date: '2026-12-04', current: '2026-11-30', yearAgo: '2025-10-31' })).toBe(true);
    expect(usableYearAgo({ date: '2026-12-04', current: '2026-11-30', yearAgo: '2024-12-04' })).toBe(false);
    expect(usableYearAgo({ date: '2026-12-04', current: '2026-11-30', yearAgo: undefined })).toBe(false);
  });
});
