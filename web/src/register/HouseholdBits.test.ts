import { describe, expect, it } from 'vitest';
import { dayText, orNull, parseDayMonthYear } from './HouseholdBits';

describe('parseDayMonthYear', () => {
  it('reads dd/MM/yyyy and its short and dashed forms as an ISO date', () => {
    expect(parseDayMonthYear('05/09/2019')).toBe('2019-09-05');
    expect(parseDayMonthYear(' 5/9/2019 ')).toBe('2019-09-05');
    expect(parseDayMonthYear('31-12-2025')).toBe('2025-12-31');
    expect(parseDayMonthYear('29.02.2024')).toBe('2024-02-29');
    expect(parseDayMonthYear('2025-01-01')).toBe('2025-01-01');
  });
  it('refuses what is not a calendar date', () => {
    for (const text of ['', '31/02/2025', '29/02/2025', '12/13/2025', '1/1/25', '2025/01/01', 'abc', '00/01/2025']) {
      expect(parseDayMonthYear(text)).toBeNull();
    }
  });
  it('shows a stored date as dd/MM/yyyy and clears empty text to null', () => {
    expect(dayText('2019-09-05')).toBe('05/09/2019');
    expect(dayText(null)).toBe('');
    expect(orNull('  ')).toBeNull();
    expect(orNull(' Kinh ')).toBe('Kinh');
  });
});
