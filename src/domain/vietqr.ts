/**
 * VietQR (NAPAS's EMVCo merchant-presented QR for bank transfers, issue 22): the payload text of a
 * dynamic VietQR for one pledge, built with vietnam-qr-pay, and an independent reader of EMVCo payloads
 * (TLV fields and CRC-16/CCITT-FALSE) that the tests and the payload's own check use.
 *
 * What the library does not guard (read in its source, 1.5.1, docs/decisions.md "VietQR"): a field's
 * length is the JavaScript string length (UTF-16 units), not bytes, and a length over 99 is cut to its
 * last two digits; Vietnamese letters in the purpose therefore give a wrong length and a payload banking
 * apps refuse or mangle. So the purpose is reduced here to plain ASCII letters, digits and spaces, at most
 * 25 characters (the EMVCo purpose field, 62/08, of VietQR), and every field is checked before building.
 */
import { QRPay } from 'vietnam-qr-pay';
import { foldVietnamese } from './text';

export interface VietQrInput {
  /** The bank's 6-digit NAPAS BIN (acquirer id). */
  bin: string;
  /** The receiving account number. */
  account: string;
  /** Integer dong; absent = the payer types it (a static code). */
  amount?: number;
  /** The transfer description: reduced to plain ASCII. */
  purpose?: string;
}

/** EMVCo field 62/08 (purpose of transaction) is at most 25 characters in VietQR. */
export const PURPOSE_MAX = 25;

/** Plain ASCII: Vietnamese letters without their marks, đ -> d, anything else but letters, digits and spaces dropped; upper case, at most 25. */
export function asciiPurpose(text: string): string {
  return foldVietnamese(text)
    .toUpperCase()
    .replace(/[^A-Z0-9 ]/g, '')
    .replace(/ +/g, ' ')
    .trim()
    .slice(0, PURPOSE_MAX)
    .trim();
}

export class VietQrError extends Error {}

/** The payload text of a VietQR code ('12' dynamic with an amount, '11' static without). */
export function vietQrPayload(input: VietQrInput): string {
  if (!/^\d{6}$/.test(input.bin)) throw new VietQrError(`bank BIN must be 6 digits: ${input.bin}`);
  if (!/^[0-9A-Za-z]{1,19}$/.test(input.account)) throw new VietQrError(`account number must be 1-19 letters or digits: ${input.account}`);
  if (input.amount !== undefined && (!Number.isSafeInteger(input.amount) || input.amount <= 0 || String(input.amount).length > 13))
    throw new VietQrError(`amount must be a positive integer of at most 13 digits: ${input.amount}`);
  const purpose = input.purpose === undefined ? undefined : asciiPurpose(input.purpose);
  const qr = QRPay.initVietQR({
    bankBin: input.bin,
    bankNumber: input.account,
    ...(input.amount !== undefined ? { amount: String(input.amount) } : {}),
    ...(purpose ? { purpose } : {}),
  });
  const payload = qr.build();
  // the library's output read back independently: a wrong length or CRC would show here
  const read = readEmv(payload);
  if (!read.crcValid || read.fields['38']?.sub?.['01']?.sub?.['01']?.value !== input.account) throw new VietQrError('VietQR payload did not read back');
  return payload;
}

export interface EmvField {
  value: string;
  /** Nested fields (templates 26-51 and 62, and 38/01). */
  sub?: Record<string, EmvField>;
}

/** CRC-16/CCITT-FALSE (poly 0x1021, init 0xFFFF, no reflection, no final xor) over the UTF-8 bytes. */
export function crc16Ccitt(text: string): string {
  let crc = 0xffff;
  for (const byte of Buffer.from(text, 'utf8')) {
    crc ^= byte << 8;
    for (let i = 0; i < 8; i++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}

function tlv(text: string): Record<string, EmvField> | null {
  const out: Record<string, EmvField> = {};
  let i = 0;
  while (i < text.length) {
    const id = text.slice(i, i + 2);
    const len = Number(text.slice(i + 2, i + 4));
    if (!/^\d{2}$/.test(id) || !/^\d{2}$/.test(text.slice(i + 2, i + 4)) || i + 4 + len > text.length) return null;
    out[id] = { value: text.slice(i + 4, i + 4 + len) };
    i += 4 + len;
  }
  return out;
}

/** Reads an EMVCo payload: its fields (templates opened) and whether its CRC (field 63, last) is right. */
export function readEmv(payload: string): { fields: Record<string, EmvField>; crcValid: boolean } {
  const fields = tlv(payload) ?? {};
  for (const [id, f] of Object.entries(fields)) {
    const n = Number(id);
    if ((n >= 26 && n <= 51) || n === 62) {
      const sub = tlv(f.value);
      if (sub) {
        f.sub = sub;
        for (const [sid, s] of Object.entries(sub)) if (n === 38 && sid === '01') s.sub = tlv(s.value) ?? undefined;
      }
    }
  }
  const crcValid = payload.length > 8 && payload.slice(-8, -4) === '6304' && crc16Ccitt(payload.slice(0, -4)) === payload.slice(-4);
  return { fields, crcValid };
}
