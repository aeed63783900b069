/**
 * Keeps the coverage aggregates (see migration 0006) equal to the register. A change to the persons,
 * cards or village of some households, in one transaction:
 *
 *   const coverage = await coverageChange(trx, households); // what they count for now
 *   ... change them ...
 *   await coverage.apply();                                  // what they count for now; the difference is added
 *
 * `households` (a list of ids or a subquery) must name every existing household the change touches (a
 * moved person's old and new one); households the change creates are passed to `apply` (they counted for
 * nothing before). What a household counts for is read from the register itself: each person's coverage
 * as merged spans (overlapping and back-to-back cards joined, with the group of the span's latest card),
 * under the household's village; the renewals (migration 0020); the card ends and their renewals (migration 0032); each household's "covered until" (migration 0016); and each person's latest card (migration 0023). The month-end snapshots (coverage_month, coverage_end_day) follow
 * coverage_count by a trigger (migration 0008), whoever writes it (this module, the fresh-import fast path).
 *
 * One change at a time per connection: the deltas are gathered in temporary tables of the session.
 */
import type { Kysely } from 'kysely';
import { addDeltas, addHouseholds, countCardEnds, countRenewals, countSpans, keepCoveredUntil, keepLatestCards, startDeltas, type Households } from './coverage-counts.repository';

export type { Households };

export interface CoverageChange {
  /** Adds the difference between what the households count for now and before; `created`: households made since. */
  apply(created?: Households): Promise<void>;
}

export async function coverageChange(db: Kysely<any>, households: Households): Promise<CoverageChange> {
  await startDeltas(db);
  const touched = await addHouseholds(db, households);
  if (touched) {
    await countSpans(db, -1);
    await countRenewals(db, -1);
    await countCardEnds(db, -1);
  }
  return {
    async apply(created: Households = []) {
      const more = await addHouseholds(db, created);
      if (!touched && !more) return;
      await countSpans(db, 1);
      await countRenewals(db, 1);
      await countCardEnds(db, 1);
      await addDeltas(db);
      await keepCoveredUntil(db);
      await keepLatestCards(db);
    },
  };
}
