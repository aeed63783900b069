import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { addDays, addMonths, addYears, ageInYears, daysBetween, endOfPeriod, lastDayOfMonth } from './calendar';
import { vnd } from './money';
import { DEFAULT_RULES, RuleError, mergeRules, type LocalPolicy, type RuleSet } from './premium-rules';
import {
  childCardEnd,
  listRulesInForce,
  periodPremium,
  quote,
  ruleHistory,
  shareOf,
  pricingGroupOf,
  statePaysInFull,
  type QuoteInput,
  type QuoteMemberInput,
} from './premium';

const R = DEFAULT_RULES;
const card = R.cardValidity[0];

/** 4.5% x 2,340,000 x 12 */
const YEAR_2024 = 1_263_600;

function ruleErrorOf(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error('expected a RuleError');
}

const one = (member: QuoteMemberInput, date = '2025-09-01', months = 12, extra: Partial<QuoteInput> = {}) =>
  quote({ date, months, members: [member], ...extra }, R).members[0];

describe('calendar', () => {
  it('adds days and months on ISO strings', () => {
    expect(addDays('2025-09-01', 30)).toBe('2025-10-01');
    expect(addDays('2024-03-01', -1)).toBe('2024-02-29');
    expect(addMonths('2025-01-31', 1)).toBe('2025-02-28');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(addMonths('2026-02-15', -3)).toBe('2025-11-15');
    expect(addYears('2024-02-29', 1)).toBe('2025-02-28');
    expect(lastDayOfMonth('2024-02-10')).toBe('2024-02-29');
    expect(daysBetween('2025-09-01', '2025-10-01')).toBe(30);
  });

  it('ends a period the day before the same date N months later, or at month end', () => {
    expect(endOfPeriod('2025-09-01', 12)).toBe('2026-08-31');
    expect(endOfPeriod('2025-01-15', 1)).toBe('2025-02-14');
    expect(endOfPeriod('2025-01-31', 1)).toBe('2025-02-28');
    expect(endOfPeriod('2025-01-30', 1)).toBe('2025-02-28');
    expect(endOfPeriod('2024-01-30', 1)).toBe('2024-02-29');
    expect(endOfPeriod('2025-12-01', 1)).toBe('2025-12-31');
  });

  it('counts age in completed years', () => {
    expect(ageInYears('1960-01-02', '2026-01-01')).toBe(65);
    expect(ageInYears('1960-01-01', '2026-01-01')).toBe(66);
    expect(ageInYears('2020-02-29', '2021-02-27')).toBe(0);
    expect(ageInYears('2020-02-29', '2021-02-28')).toBe(1);
  });

  const isoDay = fc.integer({ min: 0, max: 40_000 }).map((n) => addDays('1950-01-01', n));

  it('addDays is reversible and matches daysBetween (property)', () => {
    fc.assert(
      fc.property(isoDay, fc.integer({ min: -5000, max: 5000 }), (date, n) => {
        expect(addDays(addDays(date, n), -n)).toBe(date);
        expect(daysBetween(date, addDays(date, n))).toBe(n);
      }),
    );
  });

  it('a period of N months is non-empty, grows with N and ends within the right month (property)', () => {
    fc.assert(
      fc.property(isoDay, fc.integer({ min: 1, max: 12 }), (from, months) => {
        const end = endOfPeriod(from, months);
        expect(end > from).toBe(true);
        expect(endOfPeriod(from, months + 1) > end).toBe(true);
        const days = daysBetween(from, end) + 1;
        expect(days).toBeGreaterThanOrEqual(28 * months - 3);
        expect(days).toBeLessThanOrEqual(31 * months + 1);
        if (Number(from.slice(8)) <= 28) expect(addDays(end, 1)).toBe(addMonths(from, months));
      }),
    );
  });
});

describe('integer money helpers', () => {
  it('rounds shares to the nearest dong, halves up', () => {
    expect(shareOf(45_001, 5_000)).toBe(22_501);
    expect(shareOf(45_003, 3_333)).toBe(14_999);
    expect(periodPremium(2_340_000, 450, 12)).toBe(YEAR_2024);
    expect(periodPremium(1_000_023, 450, 1)).toBe(45_001);
  });

  it('is never more than half a dong from the exact share (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1e10 }), fc.integer({ min: 0, max: 10_000 }), (amount, bp) => {
        const exact = (amount * bp) / 10_000;
        const rounded = shareOf(amount, bp);
        expect(Number.isSafeInteger(rounded)).toBe(true);
        expect(Math.abs(rounded - exact)).toBeLessThanOrEqual(0.5 + 1e-6);
      }),
    );
  });
});

describe('quote: premium', () => {
  it('prices one household member for 12 months on 2025-09-01 at 1,263,600', () => {
    const m = one({ groups: ['GD'] });
    expect(m).toMatchObject({ group: 'GD', order: 1, premium: YEAR_2024, state: 0, local: 0, payable: YEAR_2024 });
    expect(m.baseSalary).toBe(2_340_000);
  });

  it('prices GD, GD, HS on 2025-09-01 as in the reference', () => {
    const q = quote({ date: '2025-09-01', months: 12, members: [{ groups: ['GD'] }, { groups: ['GD'] }, { groups: ['HS'] }] }, R);
    expect(q.members.map((m) => [m.group, m.order, m.premium, m.state, m.payable])).toEqual([
      ['GD', 1, 1_263_600, 0, 1_263_600],
      ['GD', 2, 884_520, 0, 884_520],
      ['HS', null, 1_263_600, 631_800, 631_800],
    ]);
    expect(q.total).toEqual({ premium: 3_411_720, state: 631_800, local: 0, payable: 2_779_920 });
    expect(q.ruleIds).toEqual(
      expect.arrayContaining(['base-salary-2024-07-01', 'state-share-HS-2025-07-01', 'group-GD', 'household-factors-2025-08-15']),
    );
  });

  it('switches base salary on 2024-07-01 (2024-06-30 is still 1,800,000)', () => {
    expect(one({ groups: ['GD'] }, '2024-06-30').premium).toBe(972_000);
    expect(one({ groups: ['GD'] }, '2024-06-30').ruleIds).toContain('base-salary-2023-07-01');
    expect(one({ groups: ['GD'] }, '2024-07-01').premium).toBe(YEAR_2024);
    expect(one({ groups: ['GD'] }, '2024-07-01').ruleIds).toContain('base-salary-2024-07-01');
  });

  it('prices from the first base salary, 2019-07-01, and refuses earlier dates', () => {
    expect(one({ groups: ['GD'] }, '2019-07-01', 1).premium).toBe(67_050);
    const error = ruleErrorOf(() => one({ groups: ['GD'] }, '2019-06-30'));
    expect([error.code, error.field]).toEqual(['date_before_first_base_salary', 'date']);
  });

  it('uses the 2026-07-01 base salary (uncertain) from that day', () => {
    const m = one({ groups: ['GD'] }, '2026-07-01', 1);
    expect(m.premium).toBe(113_850);
    expect(m.uncertainRuleIds).toContain('base-salary-2026-07-01');
  });

  it('charges N x monthly for 1 and 12 months', () => {
    expect(one({ groups: ['GD'] }, '2025-09-01', 1).premium).toBe(105_300);
    expect(one({ groups: ['GD'] }, '2025-09-01', 12).premium).toBe(12 * 105_300);
  });

  it.each([0, 13, 1.5, -1, Number.NaN])('refuses %s months', (months) => {
    const error = ruleErrorOf(() => quote({ date: '2025-09-01', months, members: [{ groups: ['GD'] }] }, R));
    expect([error.code, error.field]).toEqual(['months_out_of_range', 'months']);
  });
});

describe('quote: household order', () => {
  const gd = (n: number): QuoteMemberInput[] => Array.from({ length: n }, () => ({ groups: ['GD'] }));

  it('charges 100/70/60/50/40% and 40% again for the 6th member', () => {
    const q = quote({ date: '2025-09-01', months: 12, members: gd(6) }, R);
    expect(q.members.map((m) => m.order)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(q.members.map((m) => m.householdFactor)).toEqual([10_000, 7_000, 6_000, 5_000, 4_000, 4_000]);
    expect(q.members.map((m) => m.payable)).toEqual([1_263_600, 884_520, 758_160, 631_800, 505_440, 505_440]);
    expect(q.total.payable).toBe(4_548_960);
  });

  it('continues the order after members already enrolled this year', () => {
    const q = quote({ date: '2025-09-01', months: 12, members: gd(2), enrolledThisYear: 2 }, R);
    expect(q.members.map((m) => [m.order, m.payable])).toEqual([
      [3, 758_160],
      [4, 631_800],
    ]);
    const later = quote({ date: '2025-09-01', months: 12, members: gd(1), enrolledThisYear: 7 }, R);
    expect(later.members[0]).toMatchObject({ order: 8, payable: 505_440 });
  });

  it('does not count members priced in other groups', () => {
    const q = quote(
      {
        date: '2025-09-01',
        months: 12,
        members: [{ groups: ['GD'] }, { groups: ['HS'] }, { groups: ['HN'] }, { groups: ['GD'] }, { groups: ['GD', 'CN'] }],
      },
      R,
    );
    expect(q.members.map((m) => [m.group, m.order])).toEqual([
      ['GD', 1],
      ['HS', null],
      ['HN', null],
      ['GD', 2],
      ['CN', null],
    ]);
    expect(q.members[3].payable).toBe(884_520);
    expect(q.members[4]).toMatchObject({ premium: YEAR_2024, state: 884_520, payable: 379_080 });
  });

  it('does not count a child under 6 found by birth date', () => {
    const q = quote(
      { date: '2025-09-01', months: 12, members: [{ groups: ['GD'] }, { groups: ['GD'], birthDate: '2022-05-01' }, { groups: ['GD'] }] },
      R,
    );
    expect(q.members.map((m) => [m.group, m.order, m.payable])).toEqual([
      ['GD', 1, 1_263_600],
      ['TE', null, 0],
      ['GD', 2, 884_520],
    ]);
  });

  it.each([-1, 1.5])('refuses enrolledThisYear = %s', (enrolledThisYear) => {
    const error = ruleErrorOf(() => quote({ date: '2025-09-01', months: 12, members: gd(1), enrolledThisYear }, R));
    expect([error.code, error.field]).toEqual(['enrolled_out_of_range', 'enrolledThisYear']);
  });
});

describe('quote: state share', () => {
  it('gives pupils 30% on 2025-06-30 and 50% on 2025-07-01', () => {
    expect(one({ groups: ['HS'] }, '2025-06-30')).toMatchObject({ premium: YEAR_2024, state: 379_080, payable: 884_520, stateBasisPoints: 3_000 });
    expect(one({ groups: ['HS'] }, '2025-07-01')).toMatchObject({ premium: YEAR_2024, state: 631_800, payable: 631_800, stateBasisPoints: 5_000 });
    expect(one({ groups: ['SV'] }, '2025-07-01').state).toBe(631_800);
  });

  it('gives a person in several groups the highest support', () => {
    expect(one({ groups: ['GB', 'HS'] })).toMatchObject({ group: 'HS', state: 631_800 });
    expect(one({ groups: ['HS', 'CN'] })).toMatchObject({ group: 'CN', state: 884_520, payable: 379_080 });
    expect(one({ groups: ['HS', 'HN'] })).toMatchObject({ group: 'HN', state: YEAR_2024, payable: 0 });
    expect(one({ groups: ['GB', 'HS'] }, '2025-06-30')).toMatchObject({ group: 'GB', state: 379_080 });
  });

  it.each(['HN', 'DT', 'DK', 'XD', 'BT', 'CC', 'CK', 'CB', 'KC'])('leaves nothing to pay for %s', (code) => {
    expect(one({ groups: [code] })).toMatchObject({ state: YEAR_2024, local: 0, payable: 0 });
  });

  it('treats a child under 6 as TE automatically and says so', () => {
    const m = one({ groups: ['GD'], birthDate: '2020-10-01' });
    expect(m).toMatchObject({ group: 'TE', order: null, state: YEAR_2024, payable: 0 });
    expect(m.notes.map((n) => n.code)).toContain('auto_child_under_6');
    // The day the child turns 6 (72 months) it is no longer TE.
    expect(one({ groups: ['GD'], birthDate: '2019-09-01' }, '2025-08-31').group).toBe('TE');
    expect(one({ groups: ['GD'], birthDate: '2019-09-01' }, '2025-09-01').group).toBe('GD');
  });

  it('refuses TE for a person born 6 or more years before the date', () => {
    const error = ruleErrorOf(() => one({ groups: ['GD', 'TE'], birthDate: '2018-01-01' }));
    expect([error.code, error.field]).toEqual(['not_eligible', 'members[0].groups[1]']);
  });

  it('prices the post-2025 groups only from 2025-07-01', () => {
    expect(one({ groups: ['MILITIA'] }, '2025-07-01').payable).toBe(0);
    const error = ruleErrorOf(() => quote({ date: '2025-06-30', months: 12, members: [{ groups: ['GD'] }, { groups: ['HS', 'MILITIA'] }] }, R));
    expect([error.code, error.field]).toEqual(['group_not_in_force', 'members[1].groups[1]']);
  });

  it('rounds each share to whole dong and keeps premium = state + local + payable exactly', () => {
    const odd = mergeRules(R, {
      baseSalaries: [{ id: 'base-salary-2030-01-01', from: '2030-01-01', amount: vnd(1_000_023), source: 'test' }],
    });
    const m = quote({ date: '2030-01-01', months: 1, members: [{ groups: ['HS'] }] }, odd).members[0];
    expect(m).toMatchObject({ premium: 45_001, state: 22_501, local: 0, payable: 22_500 });
  });
});

describe('quote: local support', () => {
  it('adds Ho Chi Minh City support for pupils from 2026-01-01, on what remains after the state share', () => {
    expect(one({ groups: ['HS'] }, '2025-12-31', 12, { province: '79' })).toMatchObject({ local: 0, payable: 631_800 });
    const m = one({ groups: ['HS'] }, '2026-01-01', 12, { province: '79' });
    expect(m).toMatchObject({ state: 631_800, local: 631_800, payable: 0, localBasisPoints: 10_000 });
    expect(m.ruleIds).toContain('local-79-HS-2026-01-01');
    expect(m.uncertainRuleIds).toContain('local-79-HS-2026-01-01');
  });

  it('tops up a near-poor pupil only by the 30% the state leaves', () => {
    expect(one({ groups: ['HS', 'CN'] }, '2026-01-01', 12, { province: '79' })).toMatchObject({
      group: 'CN',
      state: 884_520,
      local: 379_080,
      payable: 0,
    });
  });

  it('uses the member\'s own province before the quote\'s', () => {
    const q = quote(
      { date: '2026-01-01', months: 12, province: '79', members: [{ groups: ['HS'] }, { groups: ['HS'], province: '01' }] },
      R,
    );
    expect(q.members.map((m) => m.local)).toEqual([631_800, 0]);
    expect(q.total).toEqual({ premium: 2 * YEAR_2024, state: 2 * 631_800, local: 631_800, payable: 631_800 });
  });

  it('applies the 65-75 age policy by completed years on the payment date', () => {
    const gdAged = (birthDate: string) => one({ groups: ['GD'], birthDate }, '2026-01-01', 12, { province: '79' });
    expect(gdAged('1961-01-02')).toMatchObject({ local: 0, payable: YEAR_2024 }); // 64
    expect(gdAged('1961-01-01')).toMatchObject({ local: YEAR_2024, payable: 0 }); // 65
    expect(gdAged('1951-01-02')).toMatchObject({ local: YEAR_2024, payable: 0 }); // 74
    expect(gdAged('1951-01-01')).toMatchObject({ local: 0, payable: YEAR_2024 }); // 75
  });

  it('does not guess an age: without a birth date the age policy is skipped, with a note', () => {
    const m = one({ groups: ['GD'] }, '2026-01-01', 12, { province: '79' });
    expect(m).toMatchObject({ local: 0, payable: YEAR_2024 });
    expect(m.notes.map((n) => n.code)).toContain('local_policy_needs_birth_date');
  });

  it('applies the household factor before the local top-up', () => {
    const q = quote(
      { date: '2026-01-01', months: 12, province: '79', members: [{ groups: ['GD'] }, { groups: ['GD'], birthDate: '1956-03-01' }] },
      R,
    );
    expect(q.members[1]).toMatchObject({ order: 2, premium: 884_520, local: 884_520, payable: 0 });
  });
});

describe('quote: local support by share of the premium, amount, commune, ethnicity (the simulator\'s rules)', () => {
  const policy = (extra: Partial<LocalPolicy>): RuleSet =>
    mergeRules(R, {
      localPolicies: [{ id: 'local-15-test', province: '15', nameVi: 'x', nameEn: 'x', from: '2026-01-01', source: 'QĐ 1/2026', basisPoints: 0, ...extra } as LocalPolicy],
    });
  const at = (rules: RuleSet, member: QuoteMemberInput, date = '2026-01-01', months = 12) =>
    quote({ date, months, province: '15', members: [member] }, rules).members[0];

  it('pays a share of the premium (after the household factor), not of the remainder', () => {
    const rules = policy({ basisPoints: 3_000, base: 'premium', ageFrom: 60, ageBelow: 80 });
    // 1st member: 30% of 1,263,600 = 379,080; pays 884,520
    expect(at(rules, { groups: ['GD'], birthDate: '1960-01-01' })).toMatchObject({ local: 379_080, payable: 884_520 });
    // 2nd member in household mode: premium 70% = 884,520; 30% of it = 265,356
    const q = quote({ date: '2026-01-01', months: 12, province: '15', members: [{ groups: ['GD'] }, { groups: ['GD'], birthDate: '1950-06-01' }] }, rules);
    expect(q.members[1]).toMatchObject({ order: 2, premium: 884_520, local: 265_356, payable: 619_164 });
    // a near-poor 65-year-old: the state pays 70% (884,520); 30% of the premium is 379,080, all of the remaining 379,080
    expect(at(rules, { groups: ['CN'], birthDate: '1960-01-01' })).toMatchObject({ state: 884_520, local: 379_080, payable: 0 });
    // 80 is outside [60, 80)
    expect(at(rules, { groups: ['GD'], birthDate: '1946-01-01' })).toMatchObject({ local: 0 });
  });

  it('never pays more than the remainder: a 40% share of a near-poor premium is capped at the 30% left', () => {
    const rules = policy({ basisPoints: 4_000, base: 'premium', groups: ['CN'] });
    expect(at(rules, { groups: ['CN'] })).toMatchObject({ state: 884_520, local: 379_080, payable: 0 });
  });

  it('pays a fixed amount per year, pro rata for fewer months', () => {
    const rules = policy({ amountPerYear: vnd(300_000), groups: ['HS'] });
    expect(at(rules, { groups: ['HS'] })).toMatchObject({ state: 631_800, local: 300_000, payable: 331_800 });
    // 6 months: premium 631,800, state 315,900, local 150,000
    expect(at(rules, { groups: ['HS'] }, '2026-01-01', 6)).toMatchObject({ state: 315_900, local: 150_000, payable: 165_900 });
  });

  it('limits support to the communes named and to ethnic minorities', () => {
    const communes = policy({ basisPoints: 5_000, communes: ['15.001'] });
    expect(at(communes, { groups: ['GD'], commune: '15.001' })).toMatchObject({ local: 631_800 });
    expect(at(communes, { groups: ['GD'], commune: '15.002' })).toMatchObject({ local: 0 });
    expect(at(communes, { groups: ['GD'] })).toMatchObject({ local: 0 });
    const minority = policy({ basisPoints: 5_000, ethnicMinority: true });
    expect(at(minority, { groups: ['GD'], ethnicity: "H'Mông" })).toMatchObject({ local: 631_800 });
    expect(at(minority, { groups: ['GD'], ethnicity: 'Kinh' })).toMatchObject({ local: 0 });
    expect(at(minority, { groups: ['GD'] })).toMatchObject({ local: 0 });
  });

  it('takes the policy paying the member the most', () => {
    const rules = mergeRules(R, {
      localPolicies: [
        { id: 'local-15-a', province: '15', nameVi: 'a', nameEn: 'a', from: '2026-01-01', source: 's', basisPoints: 1_000 },
        { id: 'local-15-b', province: '15', nameVi: 'b', nameEn: 'b', from: '2026-01-01', source: 's', basisPoints: 0, amountPerYear: vnd(200_000) },
      ],
    });
    expect(at(rules, { groups: ['GD'] })).toMatchObject({ local: 200_000 });
    expect(at(rules, { groups: ['GD'] }).ruleIds).toContain('local-15-b');
  });

  it('refuses a rule with a bad amount or an empty commune list', () => {
    expect(() => policy({ amountPerYear: vnd(-1) })).toThrow(RuleError);
    expect(() => policy({ basisPoints: 100, communes: [] })).toThrow(RuleError);
  });
});

describe('quote: card validity', () => {
  it('makes a first-time household member wait 30 days', () => {
    expect(one({ groups: ['GD'] })).toMatchObject({ validFrom: '2025-10-01', validTo: '2026-09-30', continuous: false });
  });

  it('starts a group without the wait flag on the payment date', () => {
    expect(one({ groups: ['HS'] })).toMatchObject({ validFrom: '2025-09-01', validTo: '2026-08-31' });
    expect(one({ groups: ['HN'] }, '2025-09-01', 1)).toMatchObject({ validFrom: '2025-09-01', validTo: '2025-09-30' });
  });

  it('continues from the day after the old card when paying before it expires', () => {
    expect(one({ groups: ['GD'], previousCardTo: '2025-12-31' }, '2025-12-15')).toMatchObject({
      validFrom: '2026-01-01',
      validTo: '2026-12-31',
      continuous: true,
    });
    expect(one({ groups: ['GD'], previousCardTo: '2025-09-01' }, '2025-09-01').validFrom).toBe('2025-09-02');
  });

  it('counts a break under 3 months as continuous, 3 months or more as a new start', () => {
    // Old card to 2025-05-31: uncovered from 2025-06-01; three months later is 2025-09-01.
    expect(one({ groups: ['GD'], previousCardTo: '2025-05-31' }, '2025-08-31')).toMatchObject({
      validFrom: '2025-08-31',
      continuous: true,
    });
    expect(one({ groups: ['GD'], previousCardTo: '2025-05-31' }, '2025-09-01')).toMatchObject({
      validFrom: '2025-10-01',
      continuous: false,
    });
  });

  it('dates a child\'s card to 30 September of the year of 72 months when born on or before 30 September', () => {
    expect(childCardEnd('2020-09-30', card)).toBe('2026-09-30');
    expect(childCardEnd('2020-01-01', card)).toBe('2026-09-30');
    expect(one({ groups: ['TE'], birthDate: '2020-03-15' }, '2025-09-01', 12)).toMatchObject({
      group: 'TE',
      validFrom: '2025-09-01',
      validTo: '2026-09-30',
      payable: 0,
    });
  });

  it('dates a child\'s card to the end of the month of 72 months when born after 30 September', () => {
    expect(childCardEnd('2020-10-01', card)).toBe('2026-10-31');
    expect(childCardEnd('2020-12-31', card)).toBe('2026-12-31');
    expect(childCardEnd('2020-02-29', card)).toBe('2026-09-30');
    expect(one({ groups: ['GD'], birthDate: '2020-11-20' }, '2025-09-01', 3)).toMatchObject({
      group: 'TE',
      validTo: '2026-11-30',
    });
  });

  it('starts a grade 1 pupil\'s card on 1 October', () => {
    expect(one({ groups: ['HS'], grade: 1 }, '2025-09-10', 12)).toMatchObject({ validFrom: '2025-10-01', validTo: '2026-09-30' });
    expect(one({ groups: ['HS'], grade: 1 }, '2025-08-01', 12).validFrom).toBe('2025-10-01');
    // Paid after 1 October, or later in the school year: from the payment date.
    expect(one({ groups: ['HS'], grade: 1 }, '2025-11-05', 12).validFrom).toBe('2025-11-05');
    expect(one({ groups: ['HS'], grade: 1 }, '2026-03-02', 6).validFrom).toBe('2026-03-02');
    expect(one({ groups: ['HS'], grade: 2 }, '2025-09-10', 12).validFrom).toBe('2025-09-10');
  });

  it('ends a grade 12 pupil\'s card by 30 September of the final school year', () => {
    expect(one({ groups: ['HS'], grade: 12, previousCardTo: '2025-09-30' }, '2025-09-20', 12)).toMatchObject({
      validFrom: '2025-10-01',
      validTo: '2026-09-30',
    });
    expect(one({ groups: ['HS'], grade: 12 }, '2026-01-01', 9).validTo).toBe('2026-09-30');
    const error = ruleErrorOf(() => one({ groups: ['HS'], grade: 12 }, '2026-01-01', 12));
    expect([error.code, error.field]).toEqual(['months_out_of_range', 'months']);
    expect(error.message).toContain('2026-09-30');
  });

  it('notes when the base salary changes during the period (priced at the payment date, uncertain)', () => {
    const straddles = one({ groups: ['HS'] }, '2025-09-01', 12);
    expect(straddles.notes.map((n) => n.code)).toContain('base_salary_changes_in_period');
    expect(straddles.uncertainRuleIds).toEqual(['pricing-basis-2019-07-01']);
    const inside = one({ groups: ['HS'] }, '2024-07-01', 12);
    expect(inside.validTo).toBe('2025-06-30');
    expect(inside.notes.map((n) => n.code)).not.toContain('base_salary_changes_in_period');
    expect(inside.uncertainRuleIds).toEqual([]);
  });

  it('can price by the card start date instead, when the rules say so', () => {
    const byCardStart = mergeRules(R, {
      pricingBasis: [{ id: 'pricing-basis-2026-01-01', from: '2026-01-01', basis: 'card-start', source: 'test' }],
    });
    // Paid 2026-06-15, first time: card from 2026-07-15, after the 2026-07-01 base salary change.
    const input: QuoteInput = { date: '2026-06-15', months: 1, members: [{ groups: ['GD'] }] };
    expect(quote(input, R).members[0]).toMatchObject({ validFrom: '2026-07-15', premium: 105_300 });
    expect(quote(input, byCardStart).members[0]).toMatchObject({ validFrom: '2026-07-15', premium: 113_850 });
  });
});

describe('quote: validation', () => {
  it('refuses an unknown group with its field path', () => {
    const error = ruleErrorOf(() =>
      quote({ date: '2025-09-01', months: 12, members: [{ groups: ['GD'] }, { groups: ['HS'] }, { groups: ['XX', 'GD'] }] }, R),
    );
    expect(error).toBeInstanceOf(RuleError);
    expect([error.code, error.field]).toEqual(['unknown_group', 'members[2].groups[0]']);
  });

  it.each<[string, Partial<QuoteInput>, string, string]>([
    ['a malformed payment date', { date: '2025-02-30' }, 'invalid_date', 'date'],
    ['no members', { members: [] }, 'no_members', 'members'],
    ['a member without groups', { members: [{ groups: [] }] }, 'missing_group', 'members[0].groups'],
    ['a malformed birth date', { members: [{ groups: ['GD'], birthDate: '1990-1-1' }] }, 'invalid_date', 'members[0].birthDate'],
    ['a birth after the payment', { members: [{ groups: ['GD'], birthDate: '2025-09-02' }] }, 'invalid_date', 'members[0].birthDate'],
    ['a malformed previous card', { members: [{ groups: ['GD'], previousCardTo: '2025-13-01' }] }, 'invalid_date', 'members[0].previousCardTo'],
    ['grade 0', { members: [{ groups: ['HS'], grade: 0 }] }, 'invalid_grade', 'members[0].grade'],
    ['grade 13', { members: [{ groups: ['HS'], grade: 13 }] }, 'invalid_grade', 'members[0].grade'],
  ])('refuses %s', (_what, patch, code, field) => {
    const error = ruleErrorOf(() => quote({ date: '2025-09-01', months: 12, members: [{ groups: ['GD'] }], ...patch }, R));
    expect([error.code, error.field]).toEqual([code, field]);
  });

  it('refuses a child card that would start after the child card ends', () => {
    const error = ruleErrorOf(() => one({ groups: ['TE'], birthDate: '2019-10-15', previousCardTo: '2025-12-31' }, '2025-10-10'));
    expect([error.code, error.field]).toEqual(['not_eligible', 'members[0].previousCardTo']);
  });

  it('uses only the rule set it is given', () => {
    const noBase: RuleSet = { ...R, baseSalaries: [] };
    expect(ruleErrorOf(() => quote({ date: '2025-09-01', months: 12, members: [{ groups: ['GD'] }] }, noBase)).code).toBe(
      'date_before_first_base_salary',
    );
  });

  it('re-exports the rules page helpers', () => {
    expect(listRulesInForce('2025-09-01', R).some((e) => e.rule.id === 'base-salary-2024-07-01')).toBe(true);
    expect(ruleHistory(R).length).toBeGreaterThan(40);
  });
});

// ---------------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------------

const GROUPS = ['GD', 'HS', 'SV', 'CN', 'GB', 'HN', 'BT', 'CC', 'DT-FORMER'];
const dayFrom = (start: string, max: number) => fc.integer({ min: 0, max }).map((n) => addDays(start, n));
const paymentDate = dayFrom('2019-07-01', 3_500);

function memberFor(date: string): fc.Arbitrary<QuoteMemberInput> {
  return fc.record(
    {
      groups: fc.uniqueArray(fc.constantFrom(...GROUPS), { minLength: 1, maxLength: 3 }),
      birthDate: fc.integer({ min: 0, max: 90 * 366 }).map((n) => addDays(date, -n)),
      province: fc.constantFrom('79', '01'),
      previousCardTo: fc.integer({ min: 0, max: 400 }).map((n) => addDays(date, -n)),
      grade: fc.integer({ min: 1, max: 11 }),
    },
    { requiredKeys: ['groups'] },
  );
}

const quoteInput: fc.Arbitrary<QuoteInput> = paymentDate.chain((date) =>
  fc.record({
    date: fc.constant(date),
    months: fc.integer({ min: 1, max: 12 }),
    members: fc.array(memberFor(date), { minLength: 1, maxLength: 8 }),
    enrolledThisYear: fc.option(fc.integer({ min: 0, max: 6 }), { nil: undefined }),
    province: fc.option(fc.constantFrom('79', '01'), { nil: undefined }),
  }),
);

describe('quote: properties', () => {
  it('gives whole, non-negative dong that add up exactly, per member and in total', () => {
    fc.assert(
      fc.property(quoteInput, (input) => {
        const q = quote(input, R);
        expect(q.members).toHaveLength(input.members.length);
        for (const m of q.members) {
          for (const amount of [m.premium, m.state, m.local, m.payable]) {
            expect(Number.isSafeInteger(amount)).toBe(true);
            expect(amount).toBeGreaterThanOrEqual(0);
          }
          expect(m.state + m.local + m.payable).toBe(m.premium);
          expect(m.premium).toBeLessThanOrEqual(m.fullPremium);
          expect(m.validTo >= m.validFrom).toBe(true);
          expect(m.validFrom >= input.date).toBe(true);
        }
        const { premium, state, local, payable } = q.total;
        expect(state + local + payable).toBe(premium);
        expect(premium).toBe(q.members.reduce((s, m) => s + m.premium, 0));
        expect(payable).toBe(q.members.reduce((s, m) => s + m.payable, 0));
      }),
      { numRuns: 300 },
    );
  });

  it('numbers household members consecutively after those already enrolled', () => {
    fc.assert(
      fc.property(quoteInput, (input) => {
        const q = quote(input, R);
        const orders = q.members.filter((m) => m.group === 'GD').map((m) => m.order);
        const first = (input.enrolledThisYear ?? 0) + 1;
        expect(orders).toEqual(orders.map((_, i) => first + i));
        expect(q.members.filter((m) => m.group !== 'GD').every((m) => m.order === null)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('dates the card by the months paid unless a child or final-grade rule applies', () => {
    fc.assert(
      fc.property(quoteInput, (input) => {
        const q = quote(input, R);
        for (const m of q.members) {
          if (m.group !== 'TE') expect(m.validTo).toBe(endOfPeriod(m.validFrom, input.months));
        }
      }),
      { numRuns: 200 },
    );
  });

  it('never lowers the household total when a member is added, and leaves earlier members unchanged', () => {
    fc.assert(
      fc.property(
        quoteInput.chain((input) => fc.record({ input: fc.constant(input), extra: memberFor(input.date) })),
        ({ input, extra }) => {
          const before = quote(input, R);
          const after = quote({ ...input, members: [...input.members, extra] }, R);
          expect(after.total.premium).toBeGreaterThanOrEqual(before.total.premium);
          expect(after.total.payable).toBeGreaterThanOrEqual(before.total.payable);
          expect(after.members.slice(0, -1)).toEqual(before.members);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('is pure: the same input gives the same quote and is not modified', () => {
    fc.assert(
      fc.property(quoteInput, (input) => {
        const copy = structuredClone(input);
        expect(quote(input, R)).toEqual(quote(input, R));
        expect(input).toEqual(copy);
      }),
      { numRuns: 50 },
    );
  });
});

describe('statePaysInFull: known without a quote', () => {
  // any groups (the child's and the final-grade pupil's too, wrong ones, unknown ones), birth dates after the
  // payment, previous cards ending after it, grades out of range
  const anyMember = (date: string): fc.Arbitrary<QuoteMemberInput> =>
    fc.record(
      {
        groups: fc.uniqueArray(fc.constantFrom(...GROUPS, 'TE', 'DT', 'XX'), { minLength: 0, maxLength: 3 }),
        birthDate: fc.integer({ min: -30, max: 90 * 366 }).map((n) => addDays(date, -n)),
        previousCardTo: fc.integer({ min: -400, max: 400 }).map((n) => addDays(date, -n)),
        grade: fc.integer({ min: 0, max: 13 }),
        ethnicity: fc.constantFrom('Kinh', 'Tày'),
      },
      { requiredKeys: ['groups'] },
    );

  it('says true only of members the quote prices with the state paying everything', () => {
    let settled = 0;
    fc.assert(
      fc.property(
        paymentDate.chain((date) => fc.record({ date: fc.constant(date), months: fc.integer({ min: 0, max: 13 }), member: anyMember(date) })),
        ({ date, months, member }) => {
          if (!statePaysInFull(pricingGroupOf(member, date, months, R))) return;
          settled++;
          const q = quote({ date, months, members: [member] }, R).members[0];
          expect(q.premium).toBeGreaterThan(0);
          expect(q.state).toBe(q.premium);
          expect(q.order).toBeNull();
        },
      ),
      { numRuns: 3000 },
    );
    expect(settled).toBeGreaterThan(100);
  });

  it('a poor household member: yes; a household-mode member, a child on the child card, an unknown group: no (quoted)', () => {
    expect(statePaysInFull(pricingGroupOf({ groups: ['HN', 'GD'], birthDate: '1980-01-01' }, '2025-10-31', 12, R))).toBe(true);
    expect(statePaysInFull(pricingGroupOf({ groups: ['GD'], birthDate: '1980-01-01' }, '2025-10-31', 12, R))).toBe(false);
    expect(statePaysInFull(pricingGroupOf({ groups: ['TE', 'GD'], birthDate: '2022-01-01' }, '2025-10-31', 12, R))).toBe(false);
    expect(statePaysInFull(pricingGroupOf({ groups: ['HN', 'XX'], birthDate: '1980-01-01' }, '2025-10-31', 12, R))).toBe(false);
  });
});

