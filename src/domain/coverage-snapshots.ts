/**
 * The month-end snapshots of the coverage counts (migration 0008), computed in memory from span counts.
 *
 * The database keeps them with a statement trigger on coverage_count, which handles any change (edits,
 * deletions, negative counts). A bulk load into EMPTY aggregates (the register import's fast path) has
 * the spans in memory already, and there computing the rows here and COPYing them is several times
 * cheaper than the trigger's upserts. The rows are the trigger's, row for row: the fast path's test
 * compares the two on both engines.
 * - coverage_month: per (month end, commune, group), the persons whose span covers the month end, and
 *   those among them whose span ends within 30 days of it;
 * - coverage_end_day: per (day, commune, group), the persons whose span ends that day.
 * Days are epoch days (days since 1970-01-01), so that a million spans cost no date strings.
 */
import { epochDayParts } from './calendar';

export interface SpanCount {
  commune: string;
  group: string;
  /** first and last covered day, epoch days */
  from: number;
  to: number;
  /** persons with this span (positive) */
  n: number;
}

export interface MonthSnapshot {
  /** the month end, epoch day */
  day: number;
  commune: string;
  group: string;
  persons: number;
  expiring30: number;
}

export interface EndDayCount {
  day: number;
  commune: string;
  group: string;
  persons: number;
}

/** Year * 12 + month (0-11) of an epoch day. */
export function monthIndexOfDay(day: number): number {
  const { year, month } = epochDayParts(day);
  return year * 12 + month - 1;
}

/** The last day of a month (year * 12 + month 0-11), epoch day. */
export function monthEndDay(monthIndex: number): number {
  const year = Math.floor(monthIndex / 12);
  return Date.UTC(year, monthIndex - year * 12 + 1, 0) / 86_400_000;
}

/** The snapshot rows of `spans` (any order; equal keys are summed). */
export function monthEndSnapshots(spans: Iterable<SpanCount>): { months: MonthSnapshot[]; endDays: EndDayCount[] } {
  const snapshots = new MonthEndSnapshots();
  for (const s of spans) snapshots.add(s.commune, s.group, s.from, s.to, s.n);
  return snapshots.rows();
}

/**
 * The same, counted span by span as they come (a bulk load adds each span when it writes it, and keeps
 * only these counts per commune and group, not the spans).
 */
export class MonthEndSnapshots {
  // per commune + group: change of persons at each month (difference table), the expiring per month, the ends per day
  private readonly byUnit = new Map<string, { commune: string; group: string; change: Map<number, number>; expiring: Map<number, number>; ends: Map<number, number> }>();

  add(commune: string, group: string, from: number, to: number, n: number): void {
    const key = [commune, group].join('\u0001');
    let unit = this.byUnit.get(key);
    if (!unit) this.byUnit.set(key, (unit = { commune, group, change: new Map(), expiring: new Map(), ends: new Map() }));
    // covered on the month ends from the one of its first day to the one before the month of the day after its last
    addTo(unit.change, monthIndexOfDay(from), n);
    addTo(unit.change, monthIndexOfDay(to + 1), -n);
    // a window of 31 days holds at most two month ends: those of max(from, to - 30) and the next one
    const first = monthIndexOfDay(Math.max(from, to - 30));
    if (monthEndDay(first) <= to) addTo(unit.expiring, first, n);
    if (monthEndDay(first + 1) <= to) addTo(unit.expiring, first + 1, n);
    addTo(unit.ends, to, n);
  }

  rows(): { months: MonthSnapshot[]; endDays: EndDayCount[] } {
    const months: MonthSnapshot[] = [];
    const endDays: EndDayCount[] = [];
    for (const { commune, group, change, expiring, ends } of this.byUnit.values()) {
      const persons = new Map<number, number>();
      const at = [...change.keys()].sort((a, b) => a - b);
      let running = 0;
      for (let i = 0; i + 1 < at.length; i++) {
        running += change.get(at[i])!;
        if (running !== 0) for (let m = at[i]; m < at[i + 1]; m++) persons.set(m, running);
      }
      for (const m of new Set([...persons.keys(), ...expiring.keys()]))
        months.push({ day: monthEndDay(m), commune, group, persons: persons.get(m) ?? 0, expiring30: expiring.get(m) ?? 0 });
      for (const [day, n] of ends) endDays.push({ day, commune, group, persons: n });
    }
    return { months, endDays };
  }
}

const addTo = (m: Map<number, number>, k: number, n: number) => m.set(k, (m.get(k) ?? 0) + n);
