/**
 * A sliding-window rate limit kept in memory (one server process): at most `limits[kind]` events per key
 * within `windowMs`. Time comes in as an argument: nothing here reads the clock. The login throttle and
 * the public pledge throttle are made of it.
 */
export type RateKey<Kind extends string> = { kind: Kind; value: string };

const SWEEP_AT = 50_000;

export class RateLimit<Kind extends string> {
  private events = new Map<string, number[]>();
  /** The number of keys at which the next sweep happens (twice what the last one kept, at least SWEEP_AT). */
  private sweepAt = SWEEP_AT;

  constructor(
    private readonly limits: Record<Kind, number>,
    private readonly windowMs: number,
  ) {}

  private recent(id: string, now: number): number[] {
    const list = (this.events.get(id) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.events.set(id, list);
    else this.events.delete(id);
    return list;
  }

  /** Has one of the keys reached its limit within the window? */
  isOver(keys: RateKey<Kind>[], now: number): boolean {
    return keys.some((k) => this.recent(`${k.kind}:${k.value}`, now).length >= this.limits[k.kind]);
  }

  /** Counts one event for every key. */
  record(keys: RateKey<Kind>[], now: number): void {
    // keys are forgotten when read after their window; many keys never read again (one per username and
    // address tried) are swept now and then, so the map stays bounded
    if (this.events.size >= this.sweepAt) {
      for (const id of [...this.events.keys()]) this.recent(id, now);
      this.sweepAt = Math.max(SWEEP_AT, 2 * this.events.size);
    }
    for (const k of keys) {
      const id = `${k.kind}:${k.value}`;
      this.events.set(id, [...this.recent(id, now), now]);
    }
  }

  /** True (and counted) when the event may go ahead; false (not counted) when one of the keys is at its limit. */
  take(keys: RateKey<Kind>[], now: number): boolean {
    if (this.isOver(keys, now)) return false;
    this.record(keys, now);
    return true;
  }

  /** How many keys have events (tests). */
  get size(): number {
    return this.events.size;
  }

  /** Forgets the events of these keys. */
  clear(keys: RateKey<Kind>[]): void {
    for (const k of keys) this.events.delete(`${k.kind}:${k.value}`);
  }
}
