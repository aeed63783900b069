/** The priority tags of a donation programme's selection (their labels are in the selection catalogue, `tags.*`). */

/** Tags the register gives (derived on the purchase date). */
export const DERIVED_TAGS = ['ethnic_minority', 'pupil', 'child_under_6', 'elderly_60_79', 'poor', 'near_poor'] as const;
/** Tags a commune's nomination usually gives. */
export const NOMINATION_TAGS = ['storm_victim', 'flood_victim', 'difficult', 'especially_difficult', 'disability', 'orphan'] as const;
export const KNOWN_TAGS: readonly string[] = [...DERIVED_TAGS, ...NOMINATION_TAGS];
