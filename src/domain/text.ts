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

const codeCollator = new Intl.Collator('vi', { numeric: true });
const DIGITS_ONLY = /^\d+$/;

/**
 * Compare two codes (households, villages) in the order people read them: '2' before '10'. Codes of digits
 * alone and of one length (most household codes) compare as text, the same order without the collator's
 * cost (a province's reminder list sorts 28,000 of them).
 */
export function compareCodes(a: string, b: string): number {
  if (a.length === b.length && DIGITS_ONLY.test(a) && DIGITS_ONLY.test(b)) return a < b ? -1 : a > b ? 1 : 0;
  return codeCollator.compare(a, b);
}

const UNIT_KIND_PREFIX = /^(xã|phường|đặc khu|thị trấn|tỉnh|thành phố|thôn|bản|tổ dân phố)\s+/iu;

/** A unit's name as a place line writes it: 'Xã Bảo Thắng' -> 'Bảo Thắng' ("Bảo Thắng, ngày ... tháng ... năm ..."). */
export function placeName(unitName: string): string {
  const rest = unitName.normalize('NFC').trim().replace(UNIT_KIND_PREFIX, '');
  return rest || unitName;
}

/**
 * An address with the village, commune and province it lies in, each added only when the address does
 * not name it already (a register address often holds them: "Thôn Phố Lu 1, xã Bảo Thắng, tỉnh Lào Cai").
 */
export function addressWithUnits(address: string | null | undefined, units: (string | null | undefined)[]): string {
  const parts = address && address.trim() ? [address.trim()] : [];
  for (const name of units) {
    if (!name || !name.trim()) continue;
    const said = foldVietnamese(parts.join(', '));
    if (!said.includes(foldVietnamese(placeName(name)))) parts.push(name.trim());
  }
  return parts.join(', ');
}
