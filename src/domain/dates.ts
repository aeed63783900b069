/** Calendar dates as 'YYYY-MM-DD' strings; no time zones, no clock. */
export type IsoDate = string;

const ISO = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isIsoDate(value: string): boolean {
  const m = ISO.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(+m[1], +m[2] - 1, +m[3]));
  return d.getUTCFullYear() === +m[1] && d.getUTCMonth() === +m[2] - 1 && d.getUTCDate() === +m[3];
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
