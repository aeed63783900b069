/**
 * A voluntary social insurance (BHXH tự nguyện) participation period of a person, checked against the
 * rules in force on its first day (voluntary-si-rules.ts): the monthly income from the rural poverty line
 * up to 20 x the base salary (both named in the refusal), a payment period the terms allow (1, 3, 6 or 12
 * months), and an end on or after the start. Pure: the register service, the import and the demo loader
 * all check a period here.
 */
import { formatDateVi, isIsoDate, type IsoDate } from './dates';
import { formatVnd } from './money';
import { entryInForce, type BaseSalaryRule } from './premium-rules';
import { incomeCeilingOn, povertyLineOn, vsiTermsOn, type VsiRuleSet } from './voluntary-si-rules';

export interface VsiPeriodDraft {
  validFrom: IsoDate;
  validTo: IsoDate;
  monthlyIncome: number;
  paymentMonths: number;
}

/** One thing wrong with a period: the field, a catalogue key (register `fields.vsi_*`) and its parameters. */
export interface VsiPeriodProblem {
  field: 'validFrom' | 'validTo' | 'monthlyIncome' | 'paymentMonths';
  code: 'vsi_dates_order' | 'vsi_invalid_date' | 'vsi_no_rules' | 'vsi_income_below_floor' | 'vsi_income_above_ceiling' | 'vsi_invalid_income' | 'vsi_payment_period';
  params: Record<string, string>;
}

/** The lowest and highest monthly income on a date, dong; undefined when no rule is in force then. */
export function vsiIncomeLimits(date: IsoDate, rules: VsiRuleSet, baseSalaries: readonly BaseSalaryRule[]): { floor: number; ceiling: number } | undefined {
  const line = povertyLineOn(rules, date);
  const ceiling = incomeCeilingOn(rules, date);
  const base = entryInForce(baseSalaries, date);
  if (!line || !ceiling || !base) return undefined;
  return { floor: line.amount, ceiling: Math.round(base.amount * ceiling.baseSalaryMultiple) };
}

/** Every problem of a period (empty: the period is good). */
export function checkVsiPeriod(p: VsiPeriodDraft, rules: VsiRuleSet, baseSalaries: readonly BaseSalaryRule[]): VsiPeriodProblem[] {
  const problems: VsiPeriodProblem[] = [];
  const fromOk = typeof p.validFrom === 'string' && isIsoDate(p.validFrom);
  const toOk = typeof p.validTo === 'string' && isIsoDate(p.validTo);
  if (!fromOk) problems.push({ field: 'validFrom', code: 'vsi_invalid_date', params: { value: String(p.validFrom) } });
  if (!toOk) problems.push({ field: 'validTo', code: 'vsi_invalid_date', params: { value: String(p.validTo) } });
  if (fromOk && toOk && p.validTo < p.validFrom) problems.push({ field: 'validTo', code: 'vsi_dates_order', params: { from: formatDateVi(p.validFrom), to: formatDateVi(p.validTo) } });
  if (!fromOk) return problems;
  const terms = vsiTermsOn(rules, p.validFrom);
  const limits = vsiIncomeLimits(p.validFrom, rules, baseSalaries);
  if (!terms || !limits) {
    problems.push({ field: 'validFrom', code: 'vsi_no_rules', params: { date: formatDateVi(p.validFrom) } });
    return problems;
  }
  if (!terms.paymentPeriods.includes(p.paymentMonths))
    problems.push({ field: 'paymentMonths', code: 'vsi_payment_period', params: { periods: terms.paymentPeriods.join(', '), value: String(p.paymentMonths) } });
  const named = { floor: formatVnd(limits.floor), ceiling: formatVnd(limits.ceiling), date: formatDateVi(p.validFrom) };
  if (!Number.isSafeInteger(p.monthlyIncome) || p.monthlyIncome <= 0)
    problems.push({ field: 'monthlyIncome', code: 'vsi_invalid_income', params: { ...named, value: String(p.monthlyIncome) } });
  else if (p.monthlyIncome < limits.floor)
    problems.push({ field: 'monthlyIncome', code: 'vsi_income_below_floor', params: { ...named, value: formatVnd(p.monthlyIncome) } });
  else if (p.monthlyIncome > limits.ceiling)
    problems.push({ field: 'monthlyIncome', code: 'vsi_income_above_ceiling', params: { ...named, value: formatVnd(p.monthlyIncome) } });
  return problems;
}
