import { describe, expect, it } from 'vitest';
import { changedFields, compactJson, foldText, formatDate, formatDateTime, localPart, shortId } from './format';

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

describe('compactJson', () => {
  it('prints one line and cuts long text', () => {
    expect(compactJson({ a: 1, b: 'x' })).toBe('{"a":1,"b":"x"}');
    expect(compactJson({ s: 'abcdefghij' }, 8)).toBe('{"s":"a…');
    expect(compactJson({ s: 'abcdefghij' }, 8)).toHaveLength(8);
  });
  it('shows nothing for null, undefined and an empty object', () => {
    expect(compactJson(null)).toBe('');
    expect(compactJson(undefined)).toBe('');
    expect(compactJson({})).toBe('');
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
