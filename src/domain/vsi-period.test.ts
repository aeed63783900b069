import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from './premium-rules';
import { DEFAULT_VSI_RULES } from './voluntary-si-rules';
import { checkVsiPeriod, vsiIncomeLimits } from './vsi-period';

const BASE = DEFAULT_RULES.baseSalaries;
const check = (p: Partial<Parameters<typeof checkVsiPeriod>[0]>) =>
  checkVsiPeriod({ validFrom: '2025-09-01', validTo: '2025-11-30', monthlyIncome: 1_500_000, paymentMonths: 3, ...p }, DEFAULT_VSI_RULES, BASE);

describe('checkVsiPeriod', () => {
  it('limits on 2025-09-01: 1,500,000 ₫ (rural poverty line, Decree 07/2021) to 20 x 2,340,000 = 46,800,000 ₫ (Law 41/2024, Decree 73/2024)', () => {
    expect(vsiIncomeLimits('2025-09-01', DEFAULT_VSI_RULES, BASE)).toEqual({ floor: 1_500_000, ceiling: 46_800_000 });
  });
  it('before 1 July 2024 the ceiling follows the base salary then: 20 x 1,800,000 = 36,000,000 ₫', () => {
    expect(vsiIncomeLimits('2024-03-01', DEFAULT_VSI_RULES, BASE)).toEqual({ floor: 1_500_000, ceiling: 36_000_000 });
  });
  it('a good period has no problem (floor and ceiling themselves allowed)', () => {
    expect(check({})).toEqual([]);
    expect(check({ monthlyIncome: 46_800_000 })).toEqual([]);
  });
  it('an income under the floor names both amounts', () => {
    const [p] = check({ monthlyIncome: 1_000_000 });
    expect(p).toMatchObject({ field: 'monthlyIncome', code: 'vsi_income_below_floor' });
    expect(p.params.floor).toBe('1.500.000 ₫');
    expect(p.params.ceiling).toBe('46.800.000 ₫');
  });
  it('an income over the ceiling names both amounts', () => {
    const [p] = check({ monthlyIncome: 46_800_001 });
    expect(p).toMatchObject({ field: 'monthlyIncome', code: 'vsi_income_above_ceiling' });
    expect(p.params).toMatchObject({ floor: '1.500.000 ₫', ceiling: '46.800.000 ₫' });
  });
  it('a payment period other than 1, 3, 6, 12 and dates in the wrong order are refused together', () => {
    expect(check({ paymentMonths: 2, validTo: '2025-08-31' }).map((p) => `${p.field}:${p.code}`)).toEqual(['validTo:vsi_dates_order', 'paymentMonths:vsi_payment_period']);
  });
  it('a one-day period (from = to) is allowed; a date with no rules in force is refused', () => {
    expect(check({ validTo: '2025-09-01' })).toEqual([]);
    expect(check({ validFrom: '2010-01-01', validTo: '2010-12-31' }).map((p) => p.code)).toEqual(['vsi_no_rules']);
  });
});
