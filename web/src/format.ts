/**
 * Pure formatting helpers for the interface: dates as dd/MM/yyyy, times as dd/MM/yyyy HH:mm
 * (in the browser's time zone), money as 1.263.600 ₫, basis points as percentages, the changed fields
 * of an audit row, and parsers for numbers as people type them. No clock, no I/O.
 */

import { formatDecimalIn } from '../../src/domain/numbers';

const pad = (n: number): string => String(n).padStart(2, '0');
const CALENDAR_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

function toDate(value: string | Date): Date | undefined {
  const date = value instanceof Date ? value : new Date(value);
  return Number.isNaN(date.getTime()) ? undefined : date;
}

/**
 * A calendar date 'YYYY-MM-DD' (taken as is, no time zone shift) or a timestamp (local date) as
 * dd/MM/yyyy; '' for an empty or invalid value.
 */
export function formatDate(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  if (typeof value === 'string') {
    const m = CALENDAR_DATE.exec(value);
    if (m) return `${m[3]}/${m[2]}/${m[1]}`;
  }
  const date = toDate(value);
  if (!date) return '';
  return `${pad(date.getDate())}/${pad(date.getMonth() + 1)}/${date.getFullYear()}`;
}

/** A timestamp as dd/MM/yyyy HH:mm in local time; '' for an empty or invalid value. */
export function formatDateTime(value: string | Date | null | undefined): string {
  if (value == null || value === '') return '';
  const date = toDate(value);
  if (!date) return '';
  return `${formatDate(date)} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** The part of a village code after the commune code: '02905.01' -> '01'. */
export function localPart(code: string): string {
  const dot = code.indexOf('.');
  return dot >= 0 ? code.slice(dot + 1) : code;
}

/** For matching names: 'Xã Bảo Thắng' -> 'xa bao thang' (no diacritics, đ -> d, lower case): the server's rule (src/domain is pure). */
export { foldVietnamese as foldText } from '../../src/domain/text';

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * For an update: only the keys whose values differ between before and after (both objects);
 * otherwise before and after unchanged.
 */
export function changedFields(before: unknown, after: unknown): { before: unknown; after: unknown; partial: boolean } {
  if (!isPlainObject(before) || !isPlainObject(after)) return { before, after, partial: false };
  const b: Record<string, unknown> = {};
  const a: Record<string, unknown> = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (JSON.stringify(before[key]) !== JSON.stringify(after[key])) {
      if (key in before) b[key] = before[key];
      if (key in after) a[key] = after[key];
    }
  }
  // nothing recorded changed (e.g. only a password, which the log never holds): show neither side
  return { before: b, after: a, partial: true };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** A UUID cut to its first 8 characters; any other id unchanged. */
export function shortId(id: string): string {
  return UUID.test(id) ? id.slice(0, 8) : id;
}

/**
 * Whole dong as '1.263.600 ₫' (dots between thousands, ' ₫' after), in every interface language;
 * '' for a value that is not a finite number.
 */
export function formatVnd(value: number | null | undefined): string {
  if (value == null || !Number.isFinite(value)) return '';
  const rounded = Math.round(value);
  const digits = String(Math.abs(rounded)).replace(/\B(?=(\d{3})+(?!\d))/g, '.');
  return `${rounded < 0 ? '-' : ''}${digits} ₫`;
}

/**
 * Basis points (10000 = 100%) as a percentage with at most two decimals and the language's decimal
 * mark: 450 -> '4,5%' in Vietnamese, '4.5%' in English; 7000 -> '70%'.
 */
export function formatPercent(basisPoints: number | null | undefined, language = 'vi'): string {
  if (basisPoints == null || !Number.isFinite(basisPoints)) return '';
  const text = String(Math.round(basisPoints) / 100);
  return `${language === 'vi' ? text.replace('.', ',') : text}%`;
}

/** A local date as 'YYYY-MM-DD' (the browser's calendar day). */
export function isoDateOf(date: Date): string {
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** Whether a value is a real calendar date 'YYYY-MM-DD'. */
export function isIsoDate(value: string): boolean {
  const m = CALENDAR_DATE.exec(value);
  if (!m) return false;
  const date = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return date.getUTCFullYear() === Number(m[1]) && date.getUTCMonth() === Number(m[2]) - 1 && date.getUTCDate() === Number(m[3]);
}

/**
 * A date as people type it: dd/MM/yyyy (also d/M/yyyy, with '-' or '.' between the parts) or an ISO date
 * -> 'YYYY-MM-DD'; null when it is not a real calendar date.
 */
export function parseDayMonthYear(text: string): string | null {
  const value = text.trim();
  if (isIsoDate(value)) return value;
  const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(value);
  if (!m) return null;
  const iso = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
  return isIsoDate(iso) ? iso : null;
}

/** The day before a calendar date: '2026-07-01' -> '2026-06-30' ('' for an invalid date). */
export function dayBefore(value: string): string {
  if (!isIsoDate(value)) return '';
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(Date.UTC(y, m - 1, d - 1));
  return `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
}

/**
 * An amount of dong as typed: '2.530.000', '2 530 000', '2530000' or '2,530,000' -> 2530000;
 * null when it is not a whole number.
 */
export function parseVnd(text: string): number | null {
  const compact = text.replace(/[\s.,₫đ]/gi, '');
  if (!/^\d{1,13}$/.test(compact)) return null;
  return Number(compact);
}

/** A decimal number as typed, with a comma or a dot: '12,5' -> 12.5; null when it is not a number. */
export function parseDecimal(text: string): number | null {
  const t = text.trim().replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(t)) return null;
  return Number(t);
}

/** A whole number as typed ('' and anything else -> null). */
export function parseWhole(text: string): number | null {
  const t = text.trim();
  return /^\d{1,9}$/.test(t) ? Number(t) : null;
}

/** A whole number with the language's thousands separator: 1475810 -> '1.475.810' (vi), '1,475,810' (en); '—' for null. */
export function formatNumber(value: number | null | undefined, language = 'vi'): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const digits = String(Math.abs(Math.round(value))).replace(/\B(?=(\d{3})+(?!\d))/g, language === 'en' ? ',' : '.');
  return value < 0 ? `-${digits}` : digits;
}

/**
 * A decimal number (a score, a weight) with at most two decimals, the language's thousands separator and
 * decimal mark: 200.714 -> '200,71' (vi), '200.71' (en); 12000.5 -> '12.000,5' (vi); '—' for null.
 */
export function formatDecimal(value: number | null | undefined, language = 'vi'): string {
  return value == null || !Number.isFinite(value) ? '—' : formatDecimalIn(value, language);
}

/** A whole number with its sign: +6.346, −57.418, 0 ('—' for null). */
export function formatSigned(value: number | null | undefined, language = 'vi'): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const text = formatNumber(Math.abs(value), language);
  return value > 0 ? `+${text}` : value < 0 ? `−${text}` : text;
}

/** A percentage (already ×100) with two decimals: 93.42 -> '93,42 %' (vi), '93.42%' (en); '—' for null. */
export function formatPct(value: number | null | undefined, language = 'vi'): string {
  if (value == null || !Number.isFinite(value)) return '—';
  const text = value.toFixed(2);
  return language === 'en' ? `${text}%` : `${text.replace('.', ',')} %`;
}
