import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, toEpochDay } from './calendar';

describe('toEpochDay', () => {
  it('counts the days from 1970-01-01 for every day from 1000 to 2200, as Date does', () => {
    const start = Date.UTC(1000, 0, 1) / 86_400_000;
    const end = Date.UTC(2200, 11, 31) / 86_400_000;
    for (let day = start; day <= end; day++) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      if (toEpochDay(iso) !== day) expect(`${iso}: ${toEpochDay(iso)}`).toBe(`${iso}: ${day}`);
    }
    expect(toEpochDay('1970-01-01')).toBe(0);
    // and back: addDays goes through the day number both ways
    for (let day = start; day <= end; day += 1) {
      const iso = new Date(day * 86_400_000).toISOString().slice(0, 10);
      const next = new Date((day + 1) * 86_400_000).toISOString().slice(0, 10);
      if (addDays(iso, 1) !== next) expect(`${iso} + 1 = ${addDays(iso, 1)}`).toBe(`${iso} + 1 = ${next}`);
    }
    expect(toEpochDay('9999-12-31')).toBe(2_932_896);
  });

  it('agrees with addDays and daysBetween across leap days', () => {
    expect(addDays('2024-02-28', 1)).toBe('2024-02-29');
    expect(addDays('2100-02-28', 1)).toBe('2100-03-01');
    expect(daysBetween('2000-02-28', '2000-03-01')).toBe(2);
    expect(daysBetween('2026-11-24', '2025-11-24')).toBe(-365);
  });
});
