import { describe, expect, it } from 'vitest';
import { monthEndDay, monthEndSnapshots, monthIndexOfDay } from './coverage-snapshots';

const day = (iso: string) => Date.UTC(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)) - 1, Number(iso.slice(8, 10))) / 86_400_000;
const iso = (d: number) => new Date(d * 86_400_000).toISOString().slice(0, 10);

describe('month-end snapshots from span counts', () => {
  it('finds the month of any day and the end of any month', () => {
    for (let d = day('1899-12-25'); d <= day('2101-01-05'); d += 7) {
      const date = new Date(d * 86_400_000);
      expect(monthIndexOfDay(d)).toBe(date.getUTCFullYear() * 12 + date.getUTCMonth());
    }
    expect(iso(monthEndDay(2024 * 12 + 1))).toBe('2024-02-29');
    expect(iso(monthEndDay(2025 * 12 + 11))).toBe('2025-12-31');
  });

  it('counts the month ends a span covers, those it ends within 30 days of, and its last day', () => {
    const { months, endDays } = monthEndSnapshots([
      // covers 31/01 .. 31/05; ends 15/06: expiring on 31/05 (15 days before), not on 30/06 (after the end)
      { commune: '02905', group: 'GD', from: day('2025-01-10'), to: day('2025-06-15'), n: 2 },
      // the same unit, another span: 31/03 and 30/04, ends on 30/04 itself (expiring on 31/03? 30 days: yes, and on 30/04)
      { commune: '02905', group: 'GD', from: day('2025-03-31'), to: day('2025-04-30'), n: 1 },
      // inside one month: no month end, but its last day counts
      { commune: '02905', group: 'HS', from: day('2025-02-02'), to: day('2025-02-20'), n: 5 },
    ]);
    const rows = months.map((m) => [iso(m.day), m.commune, m.group, m.persons, m.expiring30]).sort();
    expect(rows).toEqual([
      ['2025-01-31', '02905', 'GD', 2, 0],
      ['2025-02-28', '02905', 'GD', 2, 0],
      ['2025-03-31', '02905', 'GD', 3, 1],
      ['2025-04-30', '02905', 'GD', 3, 1],
      ['2025-05-31', '02905', 'GD', 2, 2],
    ]);
    expect(endDays.map((e) => [iso(e.day), e.group, e.persons]).sort()).toEqual([
      ['2025-02-20', 'HS', 5],
      ['2025-04-30', 'GD', 1],
      ['2025-06-15', 'GD', 2],
    ]);
  });
});
