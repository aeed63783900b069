import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import { vnd } from './money';
import {
  DEFAULT_RULES,
  RuleError,
  baseSalaryOn,
  cardValidityOn,
  covers,
  entryInForce,
  firstBaseSalaryDate,
  groupOn,
  householdFactorsOn,
  isFullyStateFunded,
  listRulesInForce,
  localPoliciesOn,
  mergeRules,
  premiumRateOn,
  pricingBasisOn,
  ruleHistory,
  stateShareOn,
  validateRuleSet,
  type BaseSalaryRule,
  type DatedRule,
  type RuleSet,
} from './premium-rules';

const R = DEFAULT_RULES;

function ruleErrorOf(fn: () => unknown): RuleError {
  try {
    fn();
  } catch (error) {
    if (error instanceof RuleError) return error;
    throw error;
  }
  throw new Error('expected a RuleError');
}

describe('DEFAULT_RULES', () => {
  it('is internally consistent', () => {
    expect(validateRuleSet(R)).toEqual([]);
  });

  it('is frozen, so no caller can change the defaults', () => {
    expect(Object.isFrozen(R)).toBe(true);
    expect(Object.isFrozen(R.baseSalaries)).toBe(true);
    expect(Object.isFrozen(R.baseSalaries[0])).toBe(true);
    expect(() => (R.baseSalaries as BaseSalaryRule[]).push(R.baseSalaries[0])).toThrow(TypeError);
  });

  it('gives every entry an id, a start date and a legal source', () => {
    for (const { rule } of ruleHistory(R)) {
      expect(rule.id).toMatch(/^[a-z]+(-[A-Za-z0-9]+)+/);
      expect(rule.from).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(rule.source.length).toBeGreaterThan(5);
    }
  });

  it('marks exactly the unsettled facts as uncertain', () => {
    const uncertain = ruleHistory(R)
      .filter((e) => e.rule.uncertain)
      .map((e) => e.rule.id)
      .sort();
    expect(uncertain).toEqual(
      [
        'base-salary-2026-07-01',
        'group-ARTISAN',
        'group-CN-POOR-COMMUNE',
        'group-DT-FORMER',
        'group-MILITIA',
        'group-SECURITY-FORCE',
        'group-SOCIAL-PENSION',
        'group-SURVIVOR-75',
        'group-TRAFFICKING-VICTIM',
        'group-VILLAGE-HEALTH',
        'group-VILLAGE-WORKER',
        'local-79-HS-2026-01-01',
        'local-79-age-65-75-2026-01-01',
        'pricing-basis-2019-07-01',
        'state-share-GB-2018-12-01',
      ].sort(),
    );
  });
});

describe('base salary table', () => {
  const amountOn = (date: string) => baseSalaryOn(R, date)?.amount;

  it.each([
    ['2019-06-30', undefined],
    ['2019-07-01', 1_490_000],
    ['2023-06-30', 1_490_000],
    ['2023-07-01', 1_800_000],
    ['2024-06-30', 1_800_000],
    ['2024-07-01', 2_340_000],
    ['2026-06-30', 2_340_000],
    ['2026-07-01', 2_530_000],
    ['2040-01-01', 2_530_000],
  ])('on %s the base salary is %s', (date, amount) => {
    expect(amountOn(date)).toBe(amount);
  });

  it('names each entry by its start date and cites the decree', () => {
    expect(R.baseSalaries.map((b) => [b.id, b.source])).toEqual([
      ['base-salary-2019-07-01', 'Decree 38/2019/NĐ-CP'],
      ['base-salary-2023-07-01', 'Decree 24/2023/NĐ-CP'],
      ['base-salary-2024-07-01', 'Decree 73/2024/NĐ-CP'],
      ['base-salary-2026-07-01', 'Decree 161/2026/NĐ-CP'],
    ]);
    expect(baseSalaryOn(R, '2026-07-01')?.uncertain).toBe(true);
    expect(baseSalaryOn(R, '2026-06-30')?.uncertain).toBeUndefined();
    expect(firstBaseSalaryDate(R)).toBe('2019-07-01');
  });
});

describe('premium rate, household factors, pricing basis', () => {
  it('is 4.5% of the base salary throughout, under the decree in force', () => {
    expect(premiumRateOn(R, '2019-07-01')).toMatchObject({ id: 'premium-rate-2018-12-01', basisPoints: 450 });
    expect(premiumRateOn(R, '2025-08-14')).toMatchObject({ id: 'premium-rate-2018-12-01', basisPoints: 450 });
    expect(premiumRateOn(R, '2025-08-15')).toMatchObject({ id: 'premium-rate-2025-08-15', basisPoints: 450 });
    expect(premiumRateOn(R, '2025-08-15')?.source).toContain('188/2025');
  });

  it('reduces household members to 100/70/60/50/40%', () => {
    expect(householdFactorsOn(R, '2025-09-01')?.factors).toEqual([10_000, 7_000, 6_000, 5_000, 4_000]);
    expect(householdFactorsOn(R, '2020-01-01')?.factors).toEqual([10_000, 7_000, 6_000, 5_000, 4_000]);
  });

  it('prices a period by the payment date (working rule, uncertain)', () => {
    expect(pricingBasisOn(R, '2025-09-01')).toMatchObject({ basis: 'payment-date', uncertain: true });
  });
});

describe('participant groups', () => {
  const names: Record<string, string> = {
    HN: 'Hộ nghèo',
    CN: 'Hộ cận nghèo',
    HS: 'Học sinh',
    SV: 'Sinh viên',
    GD: 'Hộ gia đình',
    TE: 'Trẻ em dưới 6 tuổi',
    DT: 'Người dân tộc thiểu số vùng khó khăn',
    DK: 'Người sống ở vùng đặc biệt khó khăn',
    XD: 'Người sống ở xã đảo, huyện đảo',
    BT: 'Bảo trợ xã hội',
    GB: 'Hộ nông, lâm, ngư nghiệp có mức sống trung bình',
    CC: 'Người có công với cách mạng',
    CB: 'Cựu chiến binh',
  };

  it.each(Object.entries(names))('%s is named "%s" in Vietnamese', (code, name) => {
    expect(groupOn(R, code, '2025-09-01')?.nameVi).toBe(name);
  });

  it('has unique codes, both names, and a state share on every day it exists', () => {
    const codes = R.groups.map((g) => g.code);
    expect(new Set(codes).size).toBe(codes.length);
    for (const g of R.groups) {
      expect(g.id).toBe(`group-${g.code}`);
      expect(g.nameEn.length).toBeGreaterThan(3);
      for (const date of [g.from < '2019-07-01' ? '2019-07-01' : g.from, '2025-06-30', '2025-07-01', '2030-01-01']) {
        if (date >= g.from) expect(stateShareOn(R, g.code, date), `${g.code} on ${date}`).toBeDefined();
      }
    }
  });

  it.each(['HN', 'DT', 'DK', 'XD', 'TE', 'BT', 'CC', 'CK', 'CB', 'KC'])('%s is paid in full by the state', (code) => {
    expect(stateShareOn(R, code, '2020-01-01')?.basisPoints).toBe(10_000);
    expect(stateShareOn(R, code, '2026-01-01')?.basisPoints).toBe(10_000);
    expect(isFullyStateFunded(R, code, '2026-01-01')).toBe(true);
  });

  it('gives pupils and students 30% before 2025-07-01 and 50% from it', () => {
    for (const code of ['HS', 'SV']) {
      expect(stateShareOn(R, code, '2025-06-30')).toMatchObject({ basisPoints: 3_000, id: `state-share-${code}-2018-12-01` });
      expect(stateShareOn(R, code, '2025-07-01')).toMatchObject({ basisPoints: 5_000, id: `state-share-${code}-2025-07-01` });
    }
    expect(isFullyStateFunded(R, 'HS', '2025-07-01')).toBe(false);
  });

  it('supports near-poor 70%, GB 30% (uncertain), former-difficult-commune DT 70%, household 0%', () => {
    expect(stateShareOn(R, 'CN', '2025-09-01')?.basisPoints).toBe(7_000);
    expect(stateShareOn(R, 'GB', '2025-09-01')).toMatchObject({ basisPoints: 3_000, uncertain: true });
    expect(stateShareOn(R, 'DT-FORMER', '2025-09-01')?.basisPoints).toBe(7_000);
    expect(groupOn(R, 'DT-FORMER', '2025-09-01')?.note).toContain('36 months');
    expect(stateShareOn(R, 'GD', '2025-09-01')?.basisPoints).toBe(0);
  });

  it('adds the post-2025 groups only from 2025-07-01', () => {
    for (const code of ['MILITIA', 'SURVIVOR-75', 'SOCIAL-PENSION', 'CN-POOR-COMMUNE']) {
      expect(groupOn(R, code, '2025-06-30')).toBeUndefined();
      expect(stateShareOn(R, code, '2025-07-01')?.basisPoints).toBe(10_000);
    }
    for (const code of ['SECURITY-FORCE', 'VILLAGE-HEALTH', 'VILLAGE-WORKER', 'ARTISAN', 'TRAFFICKING-VICTIM']) {
      expect(groupOn(R, code, '2025-06-30')).toBeUndefined();
      expect(stateShareOn(R, code, '2025-07-01')?.basisPoints).toBe(5_000);
    }
  });

  it('flags the 30-day wait per group', () => {
    const wait = (code: string) => groupOn(R, code, '2025-09-01')?.firstTimeWait;
    expect(wait('GD')).toBe(true);
    expect(wait('CN')).toBe(true);
    expect(wait('HN')).toBe(false);
    expect(wait('TE')).toBe(false);
    expect(wait('HS')).toBe(false);
    expect(groupOn(R, 'CN', '2025-09-01')?.firstTimeWaitUncertain).toBe(true);
  });

  it('gives the engine its special roles by data', () => {
    expect(R.groups.filter((g) => g.role).map((g) => [g.code, g.role])).toEqual([
      ['TE', 'child-under-6'],
      ['HS', 'pupil'],
      ['GD', 'household'],
    ]);
  });
});

describe('local policies and card validity', () => {
  it('has Ho Chi Minh City example policies from 2026-01-01, marked uncertain', () => {
    expect(localPoliciesOn(R, '79', '2025-12-31')).toEqual([]);
    const policies = localPoliciesOn(R, '79', '2026-01-01');
    expect(policies.map((p) => p.id)).toEqual(['local-79-HS-2026-01-01', 'local-79-age-65-75-2026-01-01']);
    expect(policies.every((p) => p.uncertain && p.basisPoints === 10_000)).toBe(true);
    expect(policies[1]).toMatchObject({ ageFrom: 65, ageBelow: 75 });
    expect(localPoliciesOn(R, '01', '2026-01-01')).toEqual([]);
  });

  it('holds the card dates as data', () => {
    expect(cardValidityOn(R, '2025-09-01')).toMatchObject({
      firstTimeWaitDays: 30,
      breakMonths: 3,
      childCardAgeMonths: 72,
      childCardCutoff: '09-30',
      pupilFirstGradeStart: '10-01',
      pupilFinalGrade: 12,
      pupilFinalGradeEnd: '09-30',
    });
  });
});

describe('entryInForce', () => {
  const rule = (id: string, from: string, to?: string): DatedRule => ({ id, from, to, source: 'test' });

  it('treats `from` as inclusive and `to` as exclusive', () => {
    const r = rule('a', '2025-01-01', '2025-07-01');
    expect(covers(r, '2024-12-31')).toBe(false);
    expect(covers(r, '2025-01-01')).toBe(true);
    expect(covers(r, '2025-06-30')).toBe(true);
    expect(covers(r, '2025-07-01')).toBe(false);
  });

  it('lets a later open-ended entry supersede an earlier one, and respects a closing `to`', () => {
    const entries = [rule('a', '2020-01-01'), rule('b', '2022-01-01', '2023-01-01')];
    expect(entryInForce(entries, '2021-12-31')?.id).toBe('a');
    expect(entryInForce(entries, '2022-06-01')?.id).toBe('b');
    expect(entryInForce(entries, '2023-01-01')?.id).toBe('a');
    expect(entryInForce(entries, '2019-12-31')).toBeUndefined();
  });

  it('picks the latest start on or before the date (property)', () => {
    const day = fc.integer({ min: 0, max: 5000 }).map((n) => new Date(Date.UTC(2015, 0, 1 + n)).toISOString().slice(0, 10));
    fc.assert(
      fc.property(fc.uniqueArray(day, { minLength: 1, maxLength: 8 }), day, (starts, date) => {
        const entries = starts.map((from, i) => rule(`r${i}`, from));
        const found = entryInForce(entries, date);
        const eligible = starts.filter((s) => s <= date).sort();
        if (eligible.length === 0) expect(found).toBeUndefined();
        else expect(found?.from).toBe(eligible[eligible.length - 1]);
      }),
    );
  });
});

describe('mergeRules: admin additions', () => {
  const nextBase: BaseSalaryRule = {
    id: 'base-salary-2027-07-01',
    from: '2027-07-01',
    amount: vnd(2_800_000),
    source: 'Decree 1/2027/NĐ-CP (test)',
  };

  it('adds a new base salary without touching the older entries or the defaults', () => {
    const merged = mergeRules(R, { baseSalaries: [nextBase] });
    expect(baseSalaryOn(merged, '2027-06-30')?.id).toBe('base-salary-2026-07-01');
    expect(baseSalaryOn(merged, '2027-07-01')?.amount).toBe(2_800_000);
    expect(baseSalaryOn(R, '2027-07-01')?.id).toBe('base-salary-2026-07-01');
    expect(R.baseSalaries).toHaveLength(4);
  });

  it('replaces an entry that has the same id (a correction)', () => {
    const corrected = { ...R.baseSalaries[3], amount: vnd(2_600_000), uncertain: false };
    const merged = mergeRules(R, { baseSalaries: [corrected] });
    expect(merged.baseSalaries).toHaveLength(4);
    expect(baseSalaryOn(merged, '2026-07-01')).toMatchObject({ amount: 2_600_000, uncertain: false });
  });

  it('adds a local policy for another province', () => {
    const merged = mergeRules(R, {
      localPolicies: [
        {
          id: 'local-01-CN-2026-01-01',
          province: '01',
          nameVi: 'Hà Nội hỗ trợ hộ cận nghèo',
          nameEn: 'Hanoi tops up near-poor households',
          groups: ['CN'],
          basisPoints: 3_000,
          from: '2026-01-01',
          source: 'Resolution (test)',
        },
      ],
    });
    expect(localPoliciesOn(merged, '01', '2026-01-01').map((p) => p.id)).toEqual(['local-01-CN-2026-01-01']);
  });

  it('refuses a second base salary starting on the same day under another id', () => {
    const error = ruleErrorOf(() => mergeRules(R, { baseSalaries: [{ ...nextBase, id: 'x', from: '2024-07-01' }] }));
    expect(error.code).toBe('invalid_rules');
    expect(error.field).toBe('x.from');
  });

  it.each<[string, Partial<RuleSet>, string]>([
    ['a duplicate id of another kind', { premiumRates: [{ id: 'base-salary-2019-07-01', from: '2030-01-01', basisPoints: 450, source: 's' }] }, 'base-salary-2019-07-01.id'],
    ['a fractional amount', { baseSalaries: [{ ...nextBase, amount: 2_800_000.5 as never }] }, 'base-salary-2027-07-01.amount'],
    ['`to` before `from`', { baseSalaries: [{ ...nextBase, to: '2027-01-01' }] }, 'base-salary-2027-07-01.to'],
    ['a missing source', { baseSalaries: [{ ...nextBase, source: ' ' }] }, 'base-salary-2027-07-01.source'],
    ['a share above 100%', { stateShares: [{ id: 's', group: 'HS', from: '2030-01-01', basisPoints: 10_001, source: 's' }] }, 's.basisPoints'],
    ['a share for an unknown group', { stateShares: [{ id: 's', group: 'ZZ', from: '2030-01-01', basisPoints: 100, source: 's' }] }, 's.group'],
    [
      'a local policy for an unknown group',
      { localPolicies: [{ id: 'l', province: '01', nameVi: 'x', nameEn: 'x', groups: ['ZZ'], basisPoints: 100, from: '2030-01-01', source: 's' }] },
      'l.groups[0]',
    ],
    [
      'an empty age band',
      { localPolicies: [{ id: 'l', province: '01', nameVi: 'x', nameEn: 'x', ageFrom: 70, ageBelow: 70, basisPoints: 100, from: '2030-01-01', source: 's' }] },
      'l.ageBelow',
    ],
  ])('refuses %s', (_what, additions, field) => {
    const error = ruleErrorOf(() => mergeRules(R, additions));
    expect(error.code).toBe('invalid_rules');
    expect(error.field).toBe(field);
  });
});

describe('rules page', () => {
  it('lists one entry of each single-valued kind, each group with its share, and local policies in force', () => {
    const entries = listRulesInForce('2026-01-01', R);
    const ids = entries.map((e) => e.rule.id);
    expect(entries.filter((e) => e.kind === 'base-salary').map((e) => e.rule.id)).toEqual(['base-salary-2024-07-01']);
    expect(entries.filter((e) => e.kind === 'premium-rate').map((e) => e.rule.id)).toEqual(['premium-rate-2025-08-15']);
    expect(ids).toContain('state-share-HS-2025-07-01');
    expect(ids).not.toContain('state-share-HS-2018-12-01');
    expect(ids).toContain('group-MILITIA');
    expect(ids).toContain('local-79-HS-2026-01-01');
    expect(entries.filter((e) => e.kind === 'group')).toHaveLength(R.groups.length);
    expect(entries.filter((e) => e.kind === 'state-share')).toHaveLength(R.groups.length);
  });

  it('leaves out what is not yet in force', () => {
    const ids = listRulesInForce('2025-06-30', R).map((e) => e.rule.id);
    expect(ids).toContain('base-salary-2024-07-01');
    expect(ids).toContain('state-share-HS-2018-12-01');
    expect(ids).not.toContain('group-MILITIA');
    expect(ids).not.toContain('local-79-HS-2026-01-01');
    expect(listRulesInForce('2019-06-30', R).filter((e) => e.kind === 'base-salary')).toEqual([]);
  });

  it('carries source and uncertainty for display', () => {
    const base = listRulesInForce('2026-07-01', R).find((e) => e.kind === 'base-salary');
    expect(base?.rule).toMatchObject({ id: 'base-salary-2026-07-01', uncertain: true, source: 'Decree 161/2026/NĐ-CP' });
  });

  it('refuses a malformed date', () => {
    const error = ruleErrorOf(() => listRulesInForce('2025-13-01', R));
    expect([error.code, error.field]).toEqual(['invalid_date', 'date']);
  });

  it('gives the whole history, each kind in date order', () => {
    const history = ruleHistory(R);
    const total = R.baseSalaries.length + R.premiumRates.length + R.householdFactors.length + R.pricingBasis.length +
      R.groups.length + R.stateShares.length + R.localPolicies.length + R.cardValidity.length;
    expect(history).toHaveLength(total);
    expect(history.filter((e) => e.kind === 'base-salary').map((e) => e.rule.from)).toEqual([
      '2019-07-01',
      '2023-07-01',
      '2024-07-01',
      '2026-07-01',
    ]);
    expect(history.filter((e) => e.kind === 'state-share' && e.rule.group === 'HS').map((e) => e.rule.id)).toEqual([
      'state-share-HS-2018-12-01',
      'state-share-HS-2025-07-01',
    ]);
  });
});
