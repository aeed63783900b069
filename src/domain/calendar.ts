/**
 * Calendar arithmetic on 'YYYY-MM-DD' strings. Pure: no clock, no time zones (everything goes through
 * Date.UTC, so a day is always exactly one day). Callers validate their input with `isIsoDate` first;
 * these helpers assume valid dates.
 */
import { daysInMonth, type IsoDate } from './dates';

interface DateParts {
  year: number;
  /** 1..12 */
  month: number;
  /** 1..31 */
  day: number;
}

export function dateParts(date: IsoDate): DateParts {
  return { year: Number(date.slice(0, 4)), month: Number(date.slice(5, 7)), day: Number(date.slice(8, 10)) };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** Build a date from its parts; the parts must name a real day. */
export function makeDate(year: number, month: number, day: number): IsoDate {
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

/**
 * Days from 1970-01-01 (negative before it), by integer arithmetic on the digits (H. Hinnant's
 * days-from-civil): no Date, no string pieces, so a bulk import can afford it for every cell.
 */
export function toEpochDay(date: IsoDate): number {
  // (no inner function: tsx names every closure it makes, at a cost per call)
  const month = (date.charCodeAt(5) - 48) * 10 + date.charCodeAt(6) - 48;
  const day = (date.charCodeAt(8) - 48) * 10 + date.charCodeAt(9) - 48;
  // years start in March, so that the leap day is the last day of the year
  const year = (date.charCodeAt(0) - 48) * 1000 + (date.charCodeAt(1) - 48) * 100 + (date.charCodeAt(2) - 48) * 10 + date.charCodeAt(3) - 48 - (month <= 2 ? 1 : 0);
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * ((month + 9) % 12) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Year, month (1-12) and day of the day `epochDay` days from 1970-01-01 (H. Hinnant's civil-from-days, the inverse of toEpochDay). */
export function epochDayParts(epochDay: number): DateParts {
  const z = epochDay + 719_468;
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const month = mp < 10 ? mp + 3 : mp - 9;
  return { year: yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day: dayOfYear - Math.floor((153 * mp + 2) / 5) + 1 };
}

function fromEpochDay(epochDay: number): IsoDate {
  const { year, month, day } = epochDayParts(epochDay);
  return makeDate(year, month, day);
}

/** 2025-01-31 + 1 -> 2025-02-01; negative n goes back. */
export function addDays(date: IsoDate, days: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + days);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return toEpochDay(to) - toEpochDay(from);
}

/** 2024-02-10 -> 2024-02-29 */
export function lastDayOfMonth(date: IsoDate): IsoDate {
  const { year, month } = dateParts(date);
  return makeDate(year, month, daysInMonth(year, month));
}

/**
 * Same day of the month, `months` later (or earlier when negative). When that day does not exist in
 * the target month the result is the month's last day: 2025-01-31 + 1 month -> 2025-02-28.
 */
export function addMonths(date: IsoDate, months: number): IsoDate {
  const { year, month, day } = dateParts(date);
  const index = year * 12 + (month - 1) + months;
  const targetYear = Math.floor(index / 12);
  const targetMonth = index - targetYear * 12 + 1;
  return makeDate(targetYear, targetMonth, Math.min(day, daysInMonth(targetYear, targetMonth)));
}

/** `addMonths(date, 12 * years)`: a 29 February moves to 28 February in a common year. */
/** Whole calendar months from one date to another, by year and month only (dates made by addMonths). */
export function monthsBetween(from: IsoDate, to: IsoDate): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + Number(to.slice(5, 7)) - Number(from.slice(5, 7));
}

export function addYears(date: IsoDate, years: number): IsoDate {
  return addMonths(date, 12 * years);
}

/**
 * Last day of a period of `months` whole months that starts on `from` (inclusive):
 * the day before the same day-of-month `months` later, e.g. 2025-09-01 + 12 -> 2026-08-31 and
 * 2025-01-15 + 1 -> 2025-02-14. When that day-of-month does not exist in the end month (a period that
 * starts on the 29th-31st and ends in a shorter month) the period runs to the end of that month:
 * 2025-01-31 + 1 -> 2025-02-28, 2025-01-30 + 1 -> 2025-02-28.
 */
export function endOfPeriod(from: IsoDate, months: number): IsoDate {
  const { year, month, day } = dateParts(from);
  const index = year * 12 + (month - 1) + months;
  const endYear = Math.floor(index / 12);
  const endMonth = index - endYear * 12 + 1;
  if (day > daysInMonth(endYear, endMonth)) return makeDate(endYear, endMonth, daysInMonth(endYear, endMonth));
  return addDays(makeDate(endYear, endMonth, day), -1);
}

/** Age in completed years on `on` (the birthday is reached on the same month and day; 29 Feb -> 28 Feb). */
export function ageInYears(birthDate: IsoDate, on: IsoDate): number {
  const born = dateParts(birthDate);
  const today = dateParts(on);
  let age = today.year - born.year;
  if (addYears(birthDate, age) > on) age -= 1;
  return age;
}

/** The later of two dates (ISO strings compare in calendar order). */
export const laterOf = (a: IsoDate, b: IsoDate): IsoDate => (a >= b ? a : b);

/** The earlier of two dates. */
export const earlierOf = (a: IsoDate, b: IsoDate): IsoDate => (a <= b ? a : b);
