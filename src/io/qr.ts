/**
 * QR code images with qrcode (maintained, no native code): a PNG for the pages and PDFs, or a data URL
 * for a JSON answer. Error correction M (15 %), a 4-module quiet zone as ISO/IEC 18004 asks.
 */
import QRCode from 'qrcode';

const OPTIONS = { errorCorrectionLevel: 'M' as const, margin: 4, scale: 6 };

export function qrPng(text: string): Promise<Buffer> {
  return QRCode.toBuffer(text, { ...OPTIONS, type: 'png' });
}

export function qrDataUrl(text: string): Promise<string> {
  return QRCode.toDataURL(text, OPTIONS);
}
