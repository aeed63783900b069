/** Calendar dates as 'YYYY-MM-DD' strings; no time zones, no clock. */
export type IsoDate = string;

const DIGITS = [0, 1, 2, 3, 5, 6, 8, 9];
const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in `month` (1-12) of `year` (Gregorian leap years). */
export function daysInMonth(year: number, month: number): number {
  if (month !== 2) return MONTH_DAYS[month - 1];
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}

export function isIsoDate(value: string): boolean {
  // by the character codes: called for every date of every quote and import row
  if (typeof value !== 'string' || value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45) return false;
  for (const i of DIGITS) {
    const c = value.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  const year = (value.charCodeAt(0) - 48) * 1000 + (value.charCodeAt(1) - 48) * 100 + (value.charCodeAt(2) - 48) * 10 + value.charCodeAt(3) - 48;
  const month = (value.charCodeAt(5) - 48) * 10 + value.charCodeAt(6) - 48;
  const day = (value.charCodeAt(8) - 48) * 10 + value.charCodeAt(9) - 48;
  // (no year 0: PostgreSQL's dates have none)
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** 'YYYY-MM-DD' -> 'dd/MM/yyyy' */
export function formatDateVi(iso: IsoDate): string {
  const [y, m, d] = iso.split('-');
  return `${d}/${m}/${y}`;
}

/** Today's calendar date in Vietnam (UTC+7), for the edges (routes, CLI) that pass "today" in. */
export function todayInVietnam(now: Date = new Date()): IsoDate {
  return new Date(now.getTime() + 7 * 3600_000).toISOString().slice(0, 10);
}

/** 'YYYY-MM-DD' -> 'ngày 04 tháng 12 năm 2026', as official Vietnamese documents write a date. */
export function formatLongDateVi(iso: IsoDate): string {
  const [y, m, d] = iso.split('-');
  return `ngày ${d} tháng ${m} năm ${y}`;
}

/** 'YYYY-MM-DD' -> the Date Excel shows as that calendar day (midnight UTC: exceljs writes no zone). */
export function excelDate(iso: IsoDate): Date {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d));
}
