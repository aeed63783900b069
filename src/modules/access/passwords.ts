/** Password hashing with scrypt (node:crypto), stored as `scrypt$N$r$p$salt$hash` (base64). */
import { randomBytes, scrypt, timingSafeEqual, createHash } from 'node:crypto';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as zxcvbnCommon from '@zxcvbn-ts/language-common';
import * as zxcvbnEn from '@zxcvbn-ts/language-en';

const N = 16384;
const R = 8;
const P = 1;
const KEYLEN = 32;

function derive(password: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFC'), salt, KEYLEN, { N: n, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(password, salt, N, R, P);
  return `scrypt$${N}$${R}$${P}$${salt.toString('base64')}$${key.toString('base64')}`;
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = stored.split('$');
  if (scheme !== 'scrypt' || !hash) return false;
  const expected = Buffer.from(hash, 'base64');
  const key = await derive(password, Buffer.from(salt, 'base64'), Number(n), Number(r), Number(p));
  return key.length === expected.length && timingSafeEqual(key, expected);
}

/** A random secret for cookies and tokens (URL-safe). */
export const randomSecret = (bytes = 32) => randomBytes(bytes).toString('base64url');

/** Secrets are stored as their sha256; the secret itself is shown once. */
export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/**
 * Is a new password too easy to guess? zxcvbn-ts estimates how many guesses it takes (common passwords,
 * dictionary words and names, repeats, sequences, keyboard rows, dates, and the user's own username and
 * name given as `userInputs`); below score 3 (about 10^8 guesses) it is refused. Returns the catalogue key
 * (under `fields.`) saying why, from zxcvbn's warning, or undefined when the password will do. The factory
 * (its dictionaries) is made on first use.
 */
export const MIN_PASSWORD_SCORE = 3;

/** zxcvbn's warnings, grouped into the reasons our catalogue words (fields.password_weak_<reason>). */
const WEAKNESS: Record<string, string> = {
  straightRow: 'keyboard',
  keyPattern: 'keyboard',
  simpleRepeat: 'repeat',
  extendedRepeat: 'repeat',
  sequences: 'sequence',
  recentYears: 'dates',
  dates: 'dates',
  topTen: 'common',
  topHundred: 'common',
  common: 'common',
  similarToCommon: 'common',
  pwned: 'common',
  wordByItself: 'words',
  namesByThemselves: 'words',
  commonNames: 'words',
  userInputs: 'personal',
};

let strength: ZxcvbnFactory | undefined;
function estimator(): ZxcvbnFactory {
  // warnings come back as their keys (each translation is its own key): the message is ours, in vi or en
  const asKeys = <T extends Record<string, string>>(o: T) => Object.fromEntries(Object.keys(o).map((k) => [k, k])) as T;
  strength ??= new ZxcvbnFactory({
    dictionary: { ...zxcvbnCommon.dictionary, ...zxcvbnEn.dictionary },
    graphs: zxcvbnCommon.adjacencyGraphs,
    translations: { ...zxcvbnEn.translations, warnings: asKeys(zxcvbnEn.translations.warnings), suggestions: asKeys(zxcvbnEn.translations.suggestions) },
  });
  return strength;
}

export function passwordWeakness(password: string, userInputs: readonly (string | undefined | null)[] = []): string | undefined {
  const inputs = userInputs.filter((s): s is string => !!s).flatMap((s) => [s, ...s.split(/[\s._-]+/).filter((w) => w.length > 2)]);
  const result = estimator().check(password.normalize('NFC'), inputs);
  if (result.score >= MIN_PASSWORD_SCORE) return undefined;
  const reason = result.feedback.warning ? WEAKNESS[result.feedback.warning] : undefined;
  return reason ? `password_weak_${reason}` : 'password_weak';
}
