/**
 * Rate-limits failed logins per username and per client address: after MAX_FAILURES failures within
 * WINDOW_MS, further attempts are refused until the window has passed. Kept in memory (one server process).
 */
const MAX_FAILURES = 5;
const WINDOW_MS = 15 * 60 * 1000;

export class LoginThrottle {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly maxFailures = MAX_FAILURES,
    private readonly windowMs = WINDOW_MS,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  isBlocked(keys: string[], now: number): boolean {
    return keys.some((k) => this.recent(k, now).length >= this.maxFailures);
  }

  recordFailure(keys: string[], now: number): void {
    for (const k of keys) this.failures.set(k, [...this.recent(k, now), now]);
  }

  reset(keys: string[]): void {
    for (const k of keys) this.failures.delete(k);
  }
}
