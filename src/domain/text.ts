/**
 * Vietnamese text helpers: search that ignores diacritics and case, and sorting in Vietnamese order.
 */

/** "Xã Bảo Thắng" -> "xa bao thang"; đ/Đ become d; whitespace collapsed. */
export function foldVietnamese(text: string): string {
  return text
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd')
    .toLowerCase()
    .replace(/\s+/g, ' ')
    .trim();
}

const collator = new Intl.Collator('vi', { sensitivity: 'base', numeric: true });

/** Compare two names in Vietnamese alphabetical order. */
export const compareVietnamese = (a: string, b: string): number => collator.compare(a, b);
