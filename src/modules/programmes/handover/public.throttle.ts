/**
 * Throttles the public pledge form (no login): at most 5 pledges per client address per hour, and 100 per
 * programme per hour, kept in memory (one server process), like the login throttle. Time comes in as
 * an argument: nothing here reads the clock.
 */
import { RateLimit } from '../../../domain/rate-limit';

const HOUR_MS = 60 * 60 * 1000;
export const PLEDGE_LIMITS = { ip: 5, programme: 100 };

/** The pledge form's limits, per client address and per programme, over an hour. */
export type PledgeThrottle = RateLimit<keyof typeof PLEDGE_LIMITS>;

export const pledgeThrottle = (limits = PLEDGE_LIMITS, windowMs = HOUR_MS): PledgeThrottle => new RateLimit(limits, windowMs);
