/**
 * A sliding-window rate limit kept in memory (one server process): at most `limits[kind]` events per key
 * within `windowMs`. Time comes in as an argument: nothing here reads the clock. The login throttle and
 * the public pledge throttle are made of it.
 */
export type RateKey<Kind extends string> = { kind: Kind; value: string };

export class RateLimit<Kind extends string> {
  private events = new Map<string, number[]>();

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
    for (const k of keys) {
      const id = `${k.kind}:${k.value}`;
      this.events.set(id, [...this.recent(id, now), now]);
    }
  }

  /** Forgets the events of these keys. */
  clear(keys: RateKey<Kind>[]): void {
    for (const k of keys) this.events.delete(`${k.kind}:${k.value}`);
  }
}
