import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { readCsvRows, csvLine } from './csv';

async function all(input: Readable) {
  const rows = [];
  for await (const r of readCsvRows(input)) rows.push(r);
  return rows;
}

describe('CSV reading', () => {
  it('keeps Vietnamese letters whole when they straddle two chunks', async () => {
    const bytes = Buffer.from('a,b\nThôn Phú Lâm,Đặng Thị Ánh\n', 'utf8');
    const cut = bytes.indexOf(Buffer.from('ô')) + 1; // inside the two bytes of ô
    const rows = await all(Readable.from([bytes.subarray(0, cut), bytes.subarray(cut)]));
    expect(rows).toEqual([
      ['a', 'b'],
      ['Thôn Phú Lâm', 'Đặng Thị Ánh'],
    ]);
  });
  it('drops the BOM, reads ; delimiters and quoted newlines', async () => {
    const rows = await all(Readable.from([Buffer.from('\uFEFFmã;tên\n1;"Bản\nNa Lốc"\n')]));
    expect(rows).toEqual([
      ['mã', 'tên'],
      ['1', 'Bản\nNa Lốc'],
    ]);
  });
  it('reads rows cut anywhere between pieces of text, CRLF line breaks, tabs, blank rows and a last row without a line break', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `${i + 2}\tTên ${i}\t`);
    const text = 'mã\ttên\tghi chú\r\n1\tLò Văn A\t"dòng một\r\ndòng hai ""x"""\r\n\t\t\r\n   \r\n' + lines.join('\r\n');
    const bytes = Buffer.from('\uFEFF' + text, 'utf8');
    const expected = [['mã', 'tên', 'ghi chú'], ['1', 'Lò Văn A', 'dòng một\r\ndòng hai "x"'], ...Array.from({ length: 3000 }, (_, i) => [`${i + 2}`, `Tên ${i}`, ''])];
    // one piece, and pieces of 7 bytes (inside quotes, line breaks and letters)
    expect(await all(Readable.from([bytes]))).toEqual(expected);
    const pieces = [];
    for (let i = 0; i < bytes.length; i += 7) pieces.push(bytes.subarray(i, i + 7));
    expect(await all(Readable.from(pieces))).toEqual(expected);
  });
  it('quotes what needs quoting', () => {
    expect(csvLine(['a,b', 'c"d', null, 5])).toBe('"a,b","c""d",,5');
  });
});
