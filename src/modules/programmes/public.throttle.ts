/**
 * Throttles the public pledge form (no login): at most 5 pledges per client address per hour, and 100 per
 * programme per hour, kept in memory (one server process), like the login throttle. Time comes in as
 * an argument: nothing here reads the clock.
 */
const HOUR_MS = 60 * 60 * 1000;
export const PLEDGE_LIMITS = { ip: 5, programme: 100 };

export type PledgeThrottleKey = { kind: keyof typeof PLEDGE_LIMITS; value: string };

export class PledgeThrottle {
  private hits = new Map<string, number[]>();

  constructor(
    private readonly limits = PLEDGE_LIMITS,
    private readonly windowMs = HOUR_MS,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.hits.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.hits.set(key, list);
    else this.hits.delete(key);
    return list;
  }

  /** True (and counted) when the attempt may go ahead; false when one of the keys is over its limit. */
  take(keys: PledgeThrottleKey[], now: number): boolean {
    if (keys.some((k) => this.recent(`${k.kind}:${k.value}`, now).length >= this.limits[k.kind])) return false;
    for (const k of keys) {
      const id = `${k.kind}:${k.value}`;
      this.hits.set(id, [...this.recent(id, now), now]);
    }
    return true;
  }
}
