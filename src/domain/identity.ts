/**
 * Personal identifiers and names (reference: shared/reference/bhyt-rules.md, "Identifiers").
 *
 * - Citizen id (CCCD / số định danh cá nhân): 12 digits = 3-digit birth-registration province (old
 *   63-province codes; not checked against the 34 provinces of 2025) + 1 digit century and sex + 2 digits
 *   year of birth + 6 digits. Century/sex digit: 0/1 = 1900s male/female, 2/3 = 2000s, 4/5 = 2100s,
 *   6/7 = 2200s, 8/9 = 2300s (Circular 07/2016/TT-BCA, art. 7). Even digit = male, odd digit = female.
 * - Legacy social insurance code (mã số BHXH): 10 digits.
 * - Names: Vietnamese title case for display, a folded key (no diacritics, lower case) for matching.
 * - Phone numbers: Vietnamese mobile (10 digits) and landline (11 digits, 02x...) in national format.
 *
 * Pure: no I/O, no clock.
 */
import type { IsoDate } from './dates';
import { foldVietnamese } from './text';

export type Sex = 'male' | 'female';

// ---------------------------------------------------------------------------------------------------
// Citizen id
// ---------------------------------------------------------------------------------------------------

export type CitizenIdProblem = 'format' | 'century_sex' | 'birth_year' | 'sex_mismatch';

export type CitizenIdCheck = { ok: true } | { ok: false; reason: CitizenIdProblem };

export interface CitizenIdFacts {
  /** Birth-registration province, 3 digits (old 63-province code, e.g. '010' Lào Cai, '001' Hà Nội). */
  provinceCode: string;
  sex: Sex;
  /** Full year of birth, 1900-2399. */
  birthYear: number;
}

const CITIZEN_ID = /^\d{12}$/;

/** The first year of the century a century/sex digit stands for: 0/1 -> 1900, 2/3 -> 2000, ... 8/9 -> 2300. */
function centuryOfDigit(digit: number): number {
  return 1900 + 100 * Math.floor(digit / 2);
}

/** The century/sex digit for a birth year and sex, or undefined outside 1900-2399. */
export function centurySexDigit(birthYear: number, sex: Sex): number | undefined {
  if (!Number.isInteger(birthYear) || birthYear < 1900 || birthYear > 2399) return undefined;
  return 2 * Math.floor((birthYear - 1900) / 100) + (sex === 'female' ? 1 : 0);
}

/** What a well-formed citizen id says about its holder; undefined when `id` is not 12 digits. */
export function citizenIdFacts(id: string): CitizenIdFacts | undefined {
  if (!CITIZEN_ID.test(id)) return undefined;
  const digit = id.charCodeAt(3) - 48;
  return {
    provinceCode: id.slice(0, 3),
    sex: digit % 2 === 0 ? 'male' : 'female',
    birthYear: centuryOfDigit(digit) + Number(id.slice(4, 6)),
  };
}

/**
 * Checks a citizen id, and when they are given, that it agrees with the holder's birth date and sex.
 * Reasons, in the order they are checked:
 * - 'format': not exactly 12 ASCII digits (no spaces: normalise first);
 * - 'century_sex': the century/sex digit names another century than the birth year's;
 * - 'birth_year': the two year digits differ from the birth year's last two digits;
 * - 'sex_mismatch': the century/sex digit names the other sex.
 * A birth date that is not 'YYYY-MM-DD' is ignored (the caller validates dates).
 */
export function validateCitizenId(id: string, birthDate?: IsoDate, sex?: Sex): CitizenIdCheck {
  const facts = citizenIdFacts(id);
  if (!facts) return { ok: false, reason: 'format' };
  if (birthDate !== undefined && /^\d{4}-/.test(birthDate)) {
    const year = Number(birthDate.slice(0, 4));
    if (Math.floor(year / 100) !== Math.floor(facts.birthYear / 100)) return { ok: false, reason: 'century_sex' };
    if (year % 100 !== facts.birthYear % 100) return { ok: false, reason: 'birth_year' };
  }
  if (sex !== undefined && sex !== facts.sex) return { ok: false, reason: 'sex_mismatch' };
  return { ok: true };
}

// ---------------------------------------------------------------------------------------------------
// Legacy social insurance code
// ---------------------------------------------------------------------------------------------------

/** Legacy social insurance code (mã số BHXH): exactly 10 ASCII digits. */
export function validateInsuranceCode(code: string): boolean {
  return /^\d{10}$/.test(code);
}

// ---------------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------------

/** Apostrophe look-alikes found in names such as "H'Mông", "H'Hen Niê". */
const APOSTROPHES = /[\u2018\u2019\u02bc\u02b9\u0060\u00b4]/g;

/** Capitalise one word: first letter upper, the rest lower; also after a hyphen and after "H'" / "Y'". */
const LETTER = /\p{L}/u;

function titleCaseWord(word: string): string {
  // Vietnamese has no locale-specific casing, so the plain (fast) case mappings are exact here
  const lower = word.toLowerCase();
  let out = '';
  let capitaliseNext = true;
  let i = 0;
  for (const ch of lower) {
    out += capitaliseNext ? ch.toUpperCase() : ch;
    if (ch === '-') capitaliseNext = true;
    // One letter then an apostrophe (H'Mông, Y'Moan): the letter after the apostrophe is a capital too.
    else if (ch === "'" && i === 1) capitaliseNext = true;
    else if (LETTER.test(ch)) capitaliseNext = false;
    i++;
  }
  return out;
}

/**
 * Display form of a person's name: NFC, trimmed, single spaces, each word in Vietnamese title case:
 * "nguyễn văn  AN" -> "Nguyễn Văn An", "giàng a sử" -> "Giàng A Sử", "h’hen niê" -> "H'Hen Niê".
 * The Icelandic eth (Ð/ð), a common legacy-font stand-in for Đ/đ, becomes Đ/đ. Tone-mark placement
 * (hoà / hòa) is kept as typed; `nameKey` ignores it.
 */
export function normalizeName(name: string): string {
  const cleaned = name
    .normalize('NFC')
    .replace(/\u00d0/g, '\u0110')
    .replace(/\u00f0/g, '\u0111')
    .replace(APOSTROPHES, "'")
    .replace(/[\u200b-\u200d\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
  if (cleaned === '') return '';
  return cleaned.split(' ').map(titleCaseWord).join(' ');
}

/** Matching key for a name: no diacritics, đ -> d, lower case, single spaces ("Nguyễn Văn  Án" -> "nguyen van an"). */
export function nameKey(name: string): string {
  return foldVietnamese(normalizeName(name));
}

/**
 * A name for public pages: the family name (first word) in full, other words as an initial and a dot:
 * "Nguyễn Thị Hoa" -> "Nguyễn T. H."; a single word keeps only its initial: "Hoa" -> "H.".
 */
export function maskName(fullName: string): string {
  const words = normalizeName(fullName).split(' ').filter((w) => w !== '');
  if (words.length === 0) return '';
  const initial = (w: string) => `${Array.from(w)[0]}.`;
  if (words.length === 1) return initial(words[0]);
  return [words[0], ...words.slice(1).map(initial)].join(' ');
}

/**
 * Initials only, for what a donor may see of the people their money covered: "Nguyễn Thị Hoa" -> "N.T.H."
 * (the family name too: a donor who checks one transfer sees a handful of people, and a family name with a
 * birth year and a commune can point at a household).
 */
export function nameInitials(fullName: string): string {
  return normalizeName(fullName)
    .split(' ')
    .filter((w) => w !== '')
    .map((w) => `${Array.from(w)[0]}.`)
    .join('');
}

// ---------------------------------------------------------------------------------------------------
// Phone numbers
// ---------------------------------------------------------------------------------------------------

/** Mobile: 0 + 3/5/7/8/9 + 8 digits (10 digits). Landline since 2017: 02 + 9 digits (11 digits). */
const MOBILE = /^0[35789]\d{8}$/;
const LANDLINE = /^02\d{9}$/;

/**
 * National format of a Vietnamese phone number, or undefined when it is not one:
 * '+84 912 345 678', '0912.345.678', '84912345678', '(+84) 0912 345 678', '0084912345678' -> '0912345678';
 * '+84 24 3825 1234' -> '02438251234'. A leading zero that Excel dropped ('912345678') is restored.
 * Mobile numbers must start 03, 05, 07, 08 or 09 (10 digits); landlines 02 (11 digits).
 */
export function normalizePhone(phone: string): string | undefined {
  const text = phone.normalize('NFKC').trim();
  if (!/^[+\d\s().\-/]+$/.test(text)) return undefined;
  const plus = text.startsWith('+');
  let digits = text.replace(/\D/g, '');
  if (digits.startsWith('0084')) digits = digits.slice(4);
  else if (plus) {
    if (!digits.startsWith('84')) return undefined;
    digits = digits.slice(2);
  } else if (digits.startsWith('84') && (digits.length === 11 || digits.length === 12)) digits = digits.slice(2);
  if (!digits.startsWith('0')) digits = `0${digits}`;
  if (digits.startsWith('00')) return undefined;
  return MOBILE.test(digits) || LANDLINE.test(digits) ? digits : undefined;
}
