/**
 * Rate-limits failed logins: after 5 failures for one username, or 30 from one client address, within
 * 15 minutes, further attempts are refused until the window has passed. Kept in memory (one server process).
 */
const WINDOW_MS = 15 * 60 * 1000;
export const DEFAULT_LIMITS = { user: 5, ip: 30 };

export type ThrottleKey = { kind: keyof typeof DEFAULT_LIMITS; value: string };

export class LoginThrottle {
  private failures = new Map<string, number[]>();

  constructor(
    private readonly limits = DEFAULT_LIMITS,
    private readonly windowMs = WINDOW_MS,
  ) {}

  private recent(key: string, now: number): number[] {
    const list = (this.failures.get(key) ?? []).filter((t) => now - t < this.windowMs);
    if (list.length) this.failures.set(key, list);
    else this.failures.delete(key);
    return list;
  }

  isBlocked(keys: ThrottleKey[], now: number): boolean {
    return keys.some((k) => this.recent(`${k.kind}:${k.value}`, now).length >= this.limits[k.kind]);
  }

  recordFailure(keys: ThrottleKey[], now: number): void {
    for (const k of keys) {
      const id = `${k.kind}:${k.value}`;
      this.failures.set(id, [...this.recent(id, now), now]);
    }
  }

  /** A successful login clears the username's failures (not the address's). */
  reset(keys: ThrottleKey[]): void {
    for (const k of keys) if (k.kind === 'user') this.failures.delete(`${k.kind}:${k.value}`);
  }
}
