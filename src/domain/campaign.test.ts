import { describe, expect, it } from 'vitest';
import { countedUntil, ranked, reached, runningTotals, splitWarnings } from './campaign';

describe('campaign rules', () => {
  it('warns for each kind and level whose split does not add up to the target', () => {
    expect(
      splitWarnings([
        { kind: 'bhyt_household', level: 'campaign', ref: '', value: 500 },
        { kind: 'bhyt_household', level: 'commune', ref: 'A', value: 300 },
        { kind: 'bhyt_household', level: 'commune', ref: 'B', value: 200 },
        { kind: 'bhyt_household', level: 'staff', ref: 'u', value: 20 },
        { kind: 'bhxh_tn', level: 'campaign', ref: '', value: 100 },
        { kind: 'bhxh_tn', level: 'group', ref: 'g', value: 120 },
        // a split without a campaign target: nothing to compare with
        { kind: 'renewal', level: 'commune', ref: 'A', value: 5 },
      ]),
    ).toEqual([
      { kind: 'bhyt_household', level: 'staff', target: 500, split: 20 },
      { kind: 'bhxh_tn', level: 'group', target: 100, split: 120 },
    ]);
  });

  it('gives the percentage reached only against a target', () => {
    expect(reached(3, 1)).toEqual({ target: 3, achieved: 1, pct: 33.33 });
    expect(reached(null, 7)).toEqual({ target: null, achieved: 7, pct: null });
    expect(reached(0, 7)).toEqual({ target: 0, achieved: 7, pct: null });
  });

  it('counts until today while the campaign runs, its end after, its start before', () => {
    expect(countedUntil('2025-05-01', '2025-05-31', '2025-05-10')).toBe('2025-05-10');
    expect(countedUntil('2025-05-01', '2025-05-31', '2025-07-01')).toBe('2025-05-31');
    expect(countedUntil('2025-05-01', '2025-05-31', '2025-04-01')).toBe('2025-05-01');
  });

  it('keeps running totals over every day, across a month end', () => {
    expect(runningTotals('2025-04-29', '2025-05-02', new Map([['2025-04-30', 2], ['2025-05-02', 3], ['2025-05-09', 9]]))).toEqual([
      { day: '2025-04-29', total: 0 },
      { day: '2025-04-30', total: 2 },
      { day: '2025-05-01', total: 2 },
      { day: '2025-05-02', total: 5 },
    ]);
  });

  it('ranks by percentage, then what was achieved; equal rows share a rank; rows without a target after', () => {
    const rows = [
      { name: 'Bắc', pct: 50, achieved: 5 },
      { name: 'Ân', pct: null, achieved: 9 },
      { name: 'Cao', pct: 80, achieved: 8 },
      { name: 'Đông', pct: 50, achieved: 5 },
    ];
    expect(ranked(rows, (r) => r.name, (a, b) => a.localeCompare(b, 'vi')).map((r) => [r.name, r.rank])).toEqual([
      ['Cao', 1],
      ['Bắc', 2],
      ['Đông', 2],
      ['Ân', 4],
    ]);
  });
});
