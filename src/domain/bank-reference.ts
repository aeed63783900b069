/**
 * A pledge's payment reference (issue 22): `CD` and six characters drawn at random from an alphabet
 * without look-alikes (no 0/O/D/Q, 1/I/L/J, 2/Z, 5/S, 8/B, U/V), e.g. `CD7K3M9R`. Random (not sequential,
 * so references cannot be listed), unique per database (the caller retries on a clash).
 *
 * Finding a reference in a bank's description, whatever the bank did to it: case, spaces or dots inside
 * it, prefixes glued before it (`MBVCB.1234.IBFT.CD7K...`), Vietnamese marks removed, the description cut
 * short (the last characters of the reference missing).
 */
import { randomInt } from 'node:crypto';
import { foldVietnamese } from './text';

export const REFERENCE_PREFIX = 'CD';
export const REFERENCE_ALPHABET = '34679ACEFGHKMNPRTWXY';
export const REFERENCE_BODY = 6;
/** A reference cut short still counts with at least this many of its characters after the prefix. */
export const MIN_PARTIAL = 4;

const BODY = new RegExp(`^[${REFERENCE_ALPHABET}]{${REFERENCE_BODY}}$`);

export function newReference(random: (max: number) => number = randomInt): string {
  let body = '';
  for (let i = 0; i < REFERENCE_BODY; i++) body += REFERENCE_ALPHABET[random(REFERENCE_ALPHABET.length)];
  return REFERENCE_PREFIX + body;
}

export const isReference = (text: string) => text.startsWith(REFERENCE_PREFIX) && BODY.test(text.slice(REFERENCE_PREFIX.length));

/** A reference as someone may type it (spaces, dashes, lower case) -> its canonical form, or null. */
export function canonicalReference(text: string): string | null {
  const compact = foldVietnamese(text).toUpperCase().replace(/[^A-Z0-9]/g, '');
  return isReference(compact) ? compact : null;
}

/** The description folded to upper-case letters and digits only (marks removed, spaces and punctuation dropped). */
export const compactDescription = (description: string) => foldVietnamese(description).toUpperCase().replace(/[^A-Z0-9]/g, '');

export interface ReferenceHits {
  /** Whole references found (in order, without repeats). */
  full: string[];
  /** A reference cut short at the end of the description: `CD` and 4-5 characters of the alphabet. */
  partial: string | null;
}

/** The references a bank description may carry. */
export function referencesIn(description: string): ReferenceHits {
  const text = compactDescription(description);
  const full: string[] = [];
  let partial: string | null = null;
  for (let i = text.indexOf(REFERENCE_PREFIX); i >= 0; i = text.indexOf(REFERENCE_PREFIX, i + 1)) {
    const body = text.slice(i + 2, i + 2 + REFERENCE_BODY);
    if (body.length === REFERENCE_BODY && BODY.test(body)) {
      if (!full.includes(REFERENCE_PREFIX + body)) full.push(REFERENCE_PREFIX + body);
    } else if (i + 2 + body.length === text.length && body.length >= MIN_PARTIAL && new RegExp(`^[${REFERENCE_ALPHABET}]+$`).test(body)) {
      partial = REFERENCE_PREFIX + body;
    }
  }
  return { full, partial };
}
