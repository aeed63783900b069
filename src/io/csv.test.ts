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
  it('quotes what needs quoting', () => {
    expect(csvLine(['a,b', 'c"d', null, 5])).toBe('"a,b","c""d",,5');
  });
});
