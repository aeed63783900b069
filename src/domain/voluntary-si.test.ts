import { describe, it, expect } from 'vitest';
import { DEFAULT_RULES, RuleError } from './premium-rules';
import { quoteVoluntarySi, type VsiQuoteInput } from './voluntary-si';
import { DEFAULT_VSI_RULES, validateVsiRuleSet, vsiRuleHistory, vsiRulesInForce, type VsiRuleSet } from './voluntary-si-rules';

const BASE = DEFAULT_RULES.baseSalaries;
const q = (input: Partial<VsiQuoteInput> & { members: VsiQuoteInput['members'] }, rules: VsiRuleSet = DEFAULT_VSI_RULES) =>
  quoteVoluntarySi({ date: '2025-09-01', months: 1, ...input }, rules, BASE);
const one = (group: string, extra: Partial<VsiQuoteInput['members'][number]> = {}, input: Partial<VsiQuoteInput> = {}) =>
  q({ ...input, members: [{ groups: [group], ...extra }] }).members[0];

function ruleErrorOf(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (e) {
    if (e instanceof RuleError) return e;
    throw e;
  }
  throw new Error('expected a RuleError');
}

describe('default voluntary social insurance rules', () => {
  it('are consistent (ids, dates, sources, shares)', () => {
    expect(validateVsiRuleSet(DEFAULT_VSI_RULES)).toEqual([]);
  });

  it('validation finds a bad entry', () => {
    const bad: VsiRuleSet = { ...DEFAULT_VSI_RULES, povertyLines: [...DEFAULT_VSI_RULES.povertyLines, { id: 'x', from: '2027-01-01', amount: -1 as never, source: '' }] };
    expect(validateVsiRuleSet(bad).map((p) => `${p.id}.${p.field}`)).toEqual(['x.source', 'x.amount']);
  });

  it('in force on 2025-09-01: 22% (Law 41/2024), 1,500,000 ₫ poverty line (Decree 07/2021), the Decree 159/2025 levels', () => {
    const inForce = vsiRulesInForce('2025-09-01', DEFAULT_VSI_RULES).map((e) => e.rule.id);
    expect(inForce).toContain('vsi-rate-2025-07-01');
    expect(inForce).toContain('rural-poverty-line-2022-01-01');
    expect(inForce).toContain('vsi-support-poor-2025-07-01');
    expect(inForce).toContain('vsi-support-other-2025-07-01');
    expect(inForce).not.toContain('vsi-support-poor-2018-01-01');
  });

  it('the 2026 poverty line is flagged uncertain (2026-2030 standard not confirmed)', () => {
    const line = vsiRulesInForce('2026-03-01', DEFAULT_VSI_RULES).find((e) => e.kind === 'vsi-poverty-line')!;
    expect(line.rule.id).toBe('rural-poverty-line-2026-01-01');
    expect(line.rule.uncertain).toBe(true);
  });

  it('every entry has a legal source', () => {
    for (const e of vsiRuleHistory(DEFAULT_VSI_RULES)) expect(e.rule.source.length).toBeGreaterThan(5);
  });
});

describe('quoteVoluntarySi: Decree 159/2025/NĐ-CP, one month at the lowest income (1,500,000 ₫, Decree 07/2021)', () => {
  it('poor household: 22% x 1,500,000 = 330,000; state 50% x 330,000 = 165,000; pays 165,000', () => {
    expect(one('poor')).toMatchObject({ premium: 330_000, state: 165_000, local: 0, payable: 165_000, stateBasisPoints: 5_000 });
  });
  it('island commune / special zone: 50% like the poor: pays 165,000', () => {
    expect(one('island')).toMatchObject({ state: 165_000, payable: 165_000 });
  });
  it('near-poor: state 40% x 330,000 = 132,000; pays 330,000 - 132,000 = 198,000', () => {
    expect(one('near_poor')).toMatchObject({ premium: 330_000, state: 132_000, payable: 198_000 });
  });
  it('ethnic minority: state 30% x 330,000 = 99,000; pays 330,000 - 99,000 = 231,000', () => {
    expect(one('ethnic_minority')).toMatchObject({ premium: 330_000, state: 99_000, payable: 231_000 });
  });
  it('other: state 20% x 330,000 = 66,000; pays 330,000 - 66,000 = 264,000 (the reference worked example)', () => {
    expect(one('other')).toMatchObject({ premium: 330_000, state: 66_000, payable: 264_000 });
  });
  it('other at 5,000,000 ₫: 22% x 5,000,000 = 1,100,000; support still on the poverty line, 66,000; pays 1,034,000', () => {
    expect(one('other', { income: 5_000_000 })).toMatchObject({ premium: 1_100_000, state: 66_000, payable: 1_034_000, income: 5_000_000 });
  });
  it('only the highest level: ethnic minority and near-poor gets 40% (132,000), not 70%', () => {
    const m = q({ members: [{ groups: ['ethnic_minority', 'near_poor'] }] }).members[0];
    expect(m).toMatchObject({ group: 'near_poor', state: 132_000, payable: 198_000 });
  });
  it('12 months, other: 330,000 x 12 = 3,960,000; state 66,000 x 12 = 792,000; pays 3,168,000', () => {
    expect(one('other', {}, { months: 12 })).toMatchObject({ premium: 3_960_000, state: 792_000, payable: 3_168_000, validTo: '2026-08-31' });
  });
  it('a household: totals add up, premium = state + local + payable', () => {
    const r = q({ months: 3, members: [{ groups: ['poor'] }, { groups: ['other'], income: 2_000_000 }] });
    // poor: 990,000 - 495,000 = 495,000; other: 22% x 2,000,000 x 3 = 1,320,000 - 198,000 = 1,122,000
    expect(r.total).toEqual({ premium: 2_310_000, state: 693_000, local: 0, payable: 1_617_000 });
    expect(r.total.premium).toBe(r.total.state + r.total.local + r.total.payable);
  });
});

describe('quoteVoluntarySi: before 1 July 2025 (Decree 134/2015/NĐ-CP art. 14)', () => {
  it('poor 30% x 330,000 = 99,000, pays 231,000; near-poor 25% = 82,500, pays 247,500; other 10% = 33,000, pays 297,000', () => {
    const r = q({ date: '2025-06-30', members: [{ groups: ['poor'] }, { groups: ['near_poor'] }, { groups: ['other'] }, { groups: ['ethnic_minority'] }] });
    expect(r.members.map((m) => [m.state, m.payable])).toEqual([
      [99_000, 231_000],
      [82_500, 247_500],
      [33_000, 297_000],
      [33_000, 297_000],
    ]);
  });
});

describe('quoteVoluntarySi: the 120-month cap', () => {
  it('118 months used, paying 6: support for 2 months only (2 x 66,000 = 132,000), with a note', () => {
    const m = one('other', { supportMonthsUsed: 118 }, { months: 6 });
    expect(m).toMatchObject({ premium: 1_980_000, state: 132_000, payable: 1_848_000, supportMonths: 2 });
    expect(m.notes.map((n) => n.code)).toContain('support_months_capped');
  });
  it('120 used: no support', () => {
    expect(one('poor', { supportMonthsUsed: 120 })).toMatchObject({ state: 0, payable: 330_000, supportMonths: 0 });
  });
});

describe('quoteVoluntarySi: provincial top-ups as data', () => {
  const withTopUp: VsiRuleSet = {
    ...DEFAULT_VSI_RULES,
    localTopUps: [
      { id: 'test-topup', province: '01', nameVi: 'Hỗ trợ thêm', nameEn: 'Extra support', groups: ['near_poor'], basisPoints: 3_000, from: '2025-07-01', source: 'test resolution' },
      { id: 'test-topup-big', province: '02', nameVi: 'Hỗ trợ toàn bộ', nameEn: 'All of it', basisPoints: 10_000, from: '2025-07-01', source: 'test resolution' },
    ],
  };
  it('near-poor in province 01: local 30% x 330,000 = 99,000; pays 330,000 - 132,000 - 99,000 = 99,000', () => {
    const m = q({ province: '01', members: [{ groups: ['near_poor'] }] }, withTopUp).members[0];
    expect(m).toMatchObject({ state: 132_000, local: 99_000, payable: 99_000 });
  });
  it('a top-up never exceeds what the state leaves: poor + 100% pays 0, local 165,000', () => {
    const m = q({ province: '02', members: [{ groups: ['poor'] }] }, withTopUp).members[0];
    expect(m).toMatchObject({ state: 165_000, local: 165_000, payable: 0 });
  });
  it('a top-up for other groups does not apply', () => {
    expect(q({ province: '01', members: [{ groups: ['other'] }] }, withTopUp).members[0].local).toBe(0);
  });
});

describe('quoteVoluntarySi: bad input names the field', () => {
  it('income under the floor names both amounts', () => {
    const e = ruleErrorOf(() => one('other', { income: 1_000_000 }));
    expect(e.code).toBe('income_below_floor');
    expect(e.field).toBe('members[0].income');
    expect(e.params).toMatchObject({ floor: '1.500.000 ₫', ceiling: '46.800.000 ₫' });
  });
  it('income over 20 x the base salary (20 x 2,340,000 = 46,800,000) names both amounts', () => {
    expect(one('other', { income: 46_800_000 }).premium).toBe(10_296_000);
    const e = ruleErrorOf(() => one('other', { income: 46_800_001 }));
    expect(e.code).toBe('income_above_ceiling');
    expect(e.params).toMatchObject({ floor: '1.500.000 ₫', ceiling: '46.800.000 ₫' });
  });
  it('a payment period that is not 1, 3, 6 or 12', () => {
    for (const months of [2, 4, 0, 24, 1.5]) {
      const e = ruleErrorOf(() => one('other', {}, { months }));
      expect([e.code, e.field]).toEqual(['payment_period_invalid', 'months']);
    }
  });
  it('an unknown group, no group, a bad date', () => {
    expect(ruleErrorOf(() => one('rich')).field).toBe('members[0].groups[0]');
    expect(ruleErrorOf(() => q({ members: [{ groups: [] }] })).code).toBe('missing_group');
    expect(ruleErrorOf(() => one('other', {}, { date: '2025-02-30' })).code).toBe('invalid_date');
  });
});
