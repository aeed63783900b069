/**
 * Rate-limits failed logins: after 5 failures for one username, or 30 from one client address, within
 * 15 minutes, further attempts are refused until the window has passed. Kept in memory (one server process).
 */
import { RateLimit, type RateKey } from '../../domain/rate-limit';

const WINDOW_MS = 15 * 60 * 1000;
export const DEFAULT_LIMITS = { user: 5, ip: 30 };

export type ThrottleKey = RateKey<keyof typeof DEFAULT_LIMITS>;

export class LoginThrottle {
  private readonly failures: RateLimit<ThrottleKey['kind']>;

  constructor(limits = DEFAULT_LIMITS, windowMs = WINDOW_MS) {
    this.failures = new RateLimit(limits, windowMs);
  }

  isBlocked(keys: ThrottleKey[], now: number): boolean {
    return this.failures.isOver(keys, now);
  }

  recordFailure(keys: ThrottleKey[], now: number): void {
    this.failures.record(keys, now);
  }

  /** A successful login clears the username's failures (not the address's). */
  reset(keys: ThrottleKey[]): void {
    this.failures.clear(keys.filter((k) => k.kind === 'user'));
  }
}
