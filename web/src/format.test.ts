import { describe, expect, it } from 'vitest';
import {
  changedFields,
  dayBefore,
  formatDecimal,
  foldText,
  formatDate,
  formatDateTime,
  formatPercent,
  formatVnd,
  isIsoDate,
  isoDateOf,
  localPart,
  parseDecimal,
  parseVnd,
  parseWhole,
  shortId,
} from './format';

describe('formatDate', () => {
  it('formats a calendar date as dd/MM/yyyy without a time zone shift', () => {
    expect(formatDate('2025-07-01')).toBe('01/07/2025');
    expect(formatDate('2026-12-31')).toBe('31/12/2026');
  });
  it('formats a Date in local time', () => {
    expect(formatDate(new Date(2025, 0, 5, 23, 59))).toBe('05/01/2025');
  });
  it('gives an empty string for nothing or garbage', () => {
    expect(formatDate(null)).toBe('');
    expect(formatDate('')).toBe('');
    expect(formatDate('not a date')).toBe('');
  });
});

describe('formatDateTime', () => {
  it('formats dd/MM/yyyy HH:mm in local time', () => {
    expect(formatDateTime(new Date(2025, 10, 24, 8, 4, 33))).toBe('24/11/2025 08:04');
    const iso = new Date(2025, 1, 3, 17, 9).toISOString();
    expect(formatDateTime(iso)).toBe('03/02/2025 17:09');
  });
  it('gives an empty string for an invalid value', () => {
    expect(formatDateTime('x')).toBe('');
    expect(formatDateTime(undefined)).toBe('');
  });
});

describe('changedFields', () => {
  it('keeps only the keys that differ', () => {
    const r = changedFields({ code: '1', name: 'A', kind: 'village' }, { code: '1', name: 'B', kind: 'village' });
    expect(r).toEqual({ before: { name: 'A' }, after: { name: 'B' }, partial: true });
  });
  it('handles keys present on one side only', () => {
    expect(changedFields({ a: 1 }, { a: 1, b: 2 })).toEqual({ before: {}, after: { b: 2 }, partial: true });
  });
  it('leaves a create or delete (one side null) as it is', () => {
    expect(changedFields(null, { a: 1 })).toEqual({ before: null, after: { a: 1 }, partial: false });
    expect(changedFields({ a: 1 }, null)).toEqual({ before: { a: 1 }, after: null, partial: false });
  });
  it('compares nested values by content', () => {
    expect(changedFields({ x: { y: [1, 2] } }, { x: { y: [1, 2] } })).toEqual({ before: {}, after: {}, partial: true });
  });
});

describe('small helpers', () => {
  it('localPart takes the village part of a unit code', () => {
    expect(localPart('02905.01')).toBe('01');
    expect(localPart('02905')).toBe('02905');
  });
  it('shortId shortens UUIDs only', () => {
    expect(shortId('77a09967-5766-4a0c-b487-2c42a6be4d45')).toBe('77a09967');
    expect(shortId('02905.01')).toBe('02905.01');
  });
  it('foldText ignores diacritics, đ and case', () => {
    expect(foldText('Xã Bảo Thắng')).toBe('xa bao thang');
    expect(foldText('  Đặc khu  Phú Quốc ')).toBe('dac khu phu quoc');
  });
});

describe('money and percentages', () => {
  it('formatVnd puts dots between thousands and ₫ after', () => {
    expect(formatVnd(1263600)).toBe('1.263.600 ₫');
    expect(formatVnd(2779920)).toBe('2.779.920 ₫');
    expect(formatVnd(0)).toBe('0 ₫');
    expect(formatVnd(999)).toBe('999 ₫');
    expect(formatVnd(1000)).toBe('1.000 ₫');
    expect(formatVnd(-631800)).toBe('-631.800 ₫');
    expect(formatVnd(null)).toBe('');
    expect(formatVnd(Number.NaN)).toBe('');
  });
  it('formatPercent reads basis points with the language decimal mark', () => {
    expect(formatPercent(450)).toBe('4,5%');
    expect(formatPercent(450, 'en')).toBe('4.5%');
    expect(formatPercent(7000)).toBe('70%');
    expect(formatPercent(10000)).toBe('100%');
    expect(formatPercent(1250)).toBe('12,5%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(undefined)).toBe('');
  });
  it('parses amounts and decimals as people type them', () => {
    expect(parseVnd('2.530.000')).toBe(2530000);
    expect(parseVnd('2 530 000 ₫')).toBe(2530000);
    expect(parseVnd('2530000')).toBe(2530000);
    expect(parseVnd('abc')).toBeNull();
    expect(parseVnd('')).toBeNull();
    expect(parseDecimal('12,5')).toBe(12.5);
    expect(parseDecimal('20')).toBe(20);
    expect(parseDecimal('x')).toBeNull();
    expect(parseWhole('3')).toBe(3);
    expect(parseWhole('3.5')).toBeNull();
    expect(parseWhole('')).toBeNull();
  });
});

describe('calendar dates', () => {
  it('isoDateOf gives the local calendar day', () => {
    expect(isoDateOf(new Date(2025, 8, 1, 23, 30))).toBe('2025-09-01');
  });
  it('isIsoDate accepts real dates only', () => {
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2025-9-1')).toBe(false);
  });
  it('dayBefore turns an exclusive end into the last day', () => {
    expect(dayBefore('2026-07-01')).toBe('2026-06-30');
    expect(dayBefore('2025-01-01')).toBe('2024-12-31');
    expect(dayBefore('2024-03-01')).toBe('2024-02-29');
    expect(dayBefore('x')).toBe('');
  });
});

describe('decimal numbers', () => {
  it('shows a score with a decimal comma and grouped thousands in Vietnamese, the English marks in English', () => {
    expect(formatDecimal(200.714)).toBe('200,71');
    expect(formatDecimal(200.714, 'en')).toBe('200.71');
    expect(formatDecimal(12000.5)).toBe('12.000,5');
    expect(formatDecimal(12000.5, 'en')).toBe('12,000.5');
    expect(formatDecimal(10000)).toBe('10.000');
    expect(formatDecimal(-3.456)).toBe('-3,46');
    expect(formatDecimal(0.001)).toBe('0');
    expect(formatDecimal(null)).toBe('—');
  });
});
