/**
 * Campaigns (issue 20 item 3): a campaign month's targets per kind, how far each is reached, whether the
 * split of a target over communes, working groups or staff adds up, and the day-by-day series. Pure.
 *
 * The kinds of target:
 * - bhyt_household: new household BHYT participants: persons whose BHYT coverage starts in the period
 *   with a household (GD) card and who had no card the day before;
 * - bhxh_tn: new voluntary social insurance participants: a participation period starts in the period
 *   and none covered the day before;
 * - renewal: household cards renewed: a GD card starts in the period while the person was covered the
 *   day before.
 */
import { addDays } from './calendar';
import { percentOf } from './coverage';
import type { IsoDate } from './dates';

export const TARGET_KINDS = ['bhyt_household', 'bhxh_tn', 'renewal'] as const;
export type TargetKind = (typeof TARGET_KINDS)[number];
export const SPLIT_LEVELS = ['commune', 'group', 'staff'] as const;
export type SplitLevel = (typeof SPLIT_LEVELS)[number];

export interface Target {
  kind: TargetKind;
  level: 'campaign' | SplitLevel;
  /** '' for the campaign; the commune code, group id or user id. */
  ref: string;
  value: number;
}

export interface Reached {
  target: number | null;
  achieved: number;
  /** achieved / target in percent (2 decimals); null without a target. */
  pct: number | null;
}

export const reached = (target: number | null | undefined, achieved: number): Reached => ({
  target: target ?? null,
  achieved,
  pct: target ? percentOf(achieved, target) : null,
});

/** A split that does not add up to the campaign's target of its kind (a warning, not an error). */
export interface SplitWarning {
  kind: TargetKind;
  level: SplitLevel;
  target: number;
  split: number;
}

/**
 * For each kind with a campaign target and each level where that kind is split, the split's sum when it
 * differs from the target.
 */
export function splitWarnings(targets: readonly Target[]): SplitWarning[] {
  const out: SplitWarning[] = [];
  for (const kind of TARGET_KINDS) {
    const whole = targets.find((t) => t.kind === kind && t.level === 'campaign');
    for (const level of SPLIT_LEVELS) {
      const parts = targets.filter((t) => t.kind === kind && t.level === level);
      if (parts.length === 0) continue;
      const split = parts.reduce((n, t) => n + t.value, 0);
      if (whole && split !== whole.value) out.push({ kind, level, target: whole.value, split });
    }
  }
  return out;
}

/**
 * The running totals from `from` to `to`, one per day, of counts given per day (days outside are left
 * out; a day without a count repeats the total before).
 */
export function runningTotals(from: IsoDate, to: IsoDate, perDay: ReadonlyMap<IsoDate, number>): { day: IsoDate; total: number }[] {
  const out: { day: IsoDate; total: number }[] = [];
  let total = 0;
  for (let day = from; day <= to; day = addDays(day, 1)) {
    total += perDay.get(day) ?? 0;
    out.push({ day, total });
  }
  return out;
}

/** The last day counted: the campaign's end, or `today` while it runs (the start before it starts). */
export function countedUntil(startsOn: IsoDate, endsOn: IsoDate, today: IsoDate): IsoDate {
  if (today < startsOn) return startsOn;
  return today < endsOn ? today : endsOn;
}

/**
 * Rows ranked by how far they reached their target (percent, highest first; rows without a target after,
 * by what they achieved), ties by `name`; each gets its rank (equal percentages share a rank).
 */
export function ranked<T extends { pct: number | null; achieved: number }>(rows: readonly T[], name: (row: T) => string, compare: (a: string, b: string) => number): (T & { rank: number })[] {
  const sorted = [...rows].sort((a, b) => {
    if (a.pct !== null && b.pct !== null) return b.pct - a.pct || b.achieved - a.achieved || compare(name(a), name(b));
    if (a.pct !== null) return -1;
    if (b.pct !== null) return 1;
    return b.achieved - a.achieved || compare(name(a), name(b));
  });
  let rank = 0;
  return sorted.map((row, i) => {
    const prev = sorted[i - 1];
    if (!prev || prev.pct !== row.pct || prev.achieved !== row.achieved) rank = i + 1;
    return { ...row, rank };
  });
}
