import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { compareCodes, compareVietnamese, foldVietnamese } from './text';
import { formatVnd, vnd } from './money';
import { formatDateVi, isIsoDate } from './dates';

describe('foldVietnamese', () => {
  it('drops diacritics and case so "bao thang" finds "Xã Bảo Thắng"', () => {
    expect(foldVietnamese('Xã Bảo Thắng')).toBe('xa bao thang');
    expect(foldVietnamese('ĐẶC KHU Côn Đảo')).toBe('dac khu con dao');
    expect(foldVietnamese('  Thôn   Phú  Lâm ')).toBe('thon phu lam');
  });
  it('treats composed and decomposed input alike', () => {
    expect(foldVietnamese('Nguyễn'.normalize('NFD'))).toBe(foldVietnamese('Nguyễn'.normalize('NFC')));
  });
  it('is idempotent and yields ASCII for Vietnamese letters', () => {
    const viChars = fc.constantFrom(...'aăâbcdđeêghiklmnoôơpqrstuưvxyàảãáạằẳẵắặầẩẫấậèẻẽéẹềểễếệìỉĩíịòỏõóọồổỗốộờởỡớợùủũúụừửữứựỳỷỹýỵ ĐĂÂÊÔƠƯ'.split(''));
    fc.assert(
      fc.property(fc.array(viChars, { maxLength: 30 }).map((a) => a.join('')), (s) => {
        const f = foldVietnamese(s);
        expect(foldVietnamese(f)).toBe(f);
        expect(/^[ -~]*$/.test(f)).toBe(true);
      }),
    );
  });
});

describe('Vietnamese order', () => {
  it('sorts đ after d and accented letters by their base letter', () => {
    const names = ['Đông', 'Dung', 'Ánh', 'An', 'Bình'];
    expect([...names].sort(compareVietnamese)).toEqual(['An', 'Ánh', 'Bình', 'Dung', 'Đông']);
  });
});

describe('money and dates', () => {
  it('formats dong the Vietnamese way', () => {
    expect(formatVnd(vnd(1263600))).toBe('1.263.600 ₫');
    expect(formatVnd(vnd(0))).toBe('0 ₫');
    expect(formatVnd(vnd(-5000))).toBe('-5.000 ₫');
  });
  it('refuses non-integer dong', () => {
    expect(() => vnd(1.5)).toThrow(RangeError);
  });
  it('checks calendar dates and formats dd/MM/yyyy', () => {
    expect(isIsoDate('2025-02-29')).toBe(false);
    expect(isIsoDate('2024-02-29')).toBe(true);
    expect(isIsoDate('2025-13-01')).toBe(false);
    expect(formatDateVi('2025-09-01')).toBe('01/09/2025');
  });
});

describe('compareCodes', () => {
  const collator = new Intl.Collator('vi', { numeric: true });
  const sign = (n: number) => Math.sign(n);

  it('orders codes as people read them: 2 before 10, household codes by number', () => {
    expect(['10', '2', '150001000010', '150001000009', 'A-10', 'A-9'].sort(compareCodes)).toEqual(['2', '10', '150001000009', '150001000010', 'A-9', 'A-10']);
  });

  it('gives the numeric collation order for any codes (digits alone of one length compared as text)', () => {
    const code = fc.oneof(fc.stringMatching(/^\d{1,12}$/), fc.stringMatching(/^[A-Z0-9-]{1,8}$/));
    fc.assert(
      fc.property(code, code, (a, b) => {
        expect(sign(compareCodes(a, b))).toBe(sign(collator.compare(a, b)));
      }),
      { numRuns: 2000 },
    );
  });
});
