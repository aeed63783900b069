/**
 * Rate-limits failed logins: after 5 failures for one username from one client address, or 30 from one
 * client address across usernames, within 15 minutes, further attempts from that address are refused until
 * the window has passed. A username alone is never blocked: anyone could otherwise lock a known user out
 * with five wrong passwords, while the real user, on their own address, can still sign in. Kept in memory
 * (one server process).
 */
import { RateLimit, type RateKey } from '../../domain/rate-limit';

const WINDOW_MS = 15 * 60 * 1000;
export const DEFAULT_LIMITS = { userAddress: 5, ip: 30 };

export type ThrottleKey = RateKey<keyof typeof DEFAULT_LIMITS>;

/** The keys one login attempt counts against: the (username, address) pair and the address. */
export function loginKeys(username: string, ip: string): ThrottleKey[] {
  return [
    { kind: 'userAddress', value: `${username.trim().toLowerCase()}\u0000${ip}` },
    { kind: 'ip', value: ip },
  ];
}

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

  /** A successful login clears the failures of the (username, address) pair (not the address's). */
  reset(keys: ThrottleKey[]): void {
    this.failures.clear(keys.filter((k) => k.kind === 'userAddress'));
  }
}
