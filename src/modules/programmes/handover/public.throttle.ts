/**
 * Throttles the public pledge form (no login): at most 5 pledges per client address per hour, and 100 per
 * programme per hour, kept in memory (one server process), like the login throttle. Time comes in as
 * an argument: nothing here reads the clock.
 */
import { RateLimit, type RateKey } from '../../../domain/rate-limit';

const HOUR_MS = 60 * 60 * 1000;
export const PLEDGE_LIMITS = { ip: 5, programme: 100 };

export type PledgeThrottleKey = RateKey<keyof typeof PLEDGE_LIMITS>;

export class PledgeThrottle {
  private readonly pledges: RateLimit<PledgeThrottleKey['kind']>;

  constructor(limits = PLEDGE_LIMITS, windowMs = HOUR_MS) {
    this.pledges = new RateLimit(limits, windowMs);
  }

  /** True (and counted) when the attempt may go ahead; false when one of the keys is over its limit. */
  take(keys: PledgeThrottleKey[], now: number): boolean {
    return this.pledges.take(keys, now);
  }
}
