import { describe, expect, it } from 'vitest';
import { Readable } from 'node:stream';
import { readCsvRows, csvLine } from './csv';
import { cellText } from '../domain/register-row';

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
  it("reads Excel's Unicode Text (UTF-16 with a byte-order mark, tabs between cells)", async () => {
    const text = '\uFEFFmã hộ\thọ và tên\r\nH1\tĐặng Thị Ánh\r\n';
    expect(await all(Readable.from([Buffer.from(text, 'utf16le')]))).toEqual([
      ['mã hộ', 'họ và tên'],
      ['H1', 'Đặng Thị Ánh'],
    ]);
    const be = Buffer.from(text, 'utf16le').swap16(); // big-endian, cut inside a character
    expect(await all(Readable.from([be.subarray(0, 5), be.subarray(5)]))).toEqual([
      ['mã hộ', 'họ và tên'],
      ['H1', 'Đặng Thị Ánh'],
    ]);
  });
  it("reads Windows-1258 (Excel's CSV on Vietnamese Windows): its tone marks are combining marks, which cellText composes", async () => {
    // "Nguyễn,Trần" as Windows-1258 writes them: ê = EA then the tilde DE; a = 61 then the grave CC
    const bytes = Buffer.from([0x68, 0x6f, 0x2c, 0x74, 0xea, 0x6e, 0x0a, 0x4e, 0x67, 0x75, 0x79, 0xea, 0xde, 0x6e, 0x2c, 0x54, 0x72, 0xe2, 0xcc, 0x6e, 0x0a]);
    const rows = await all(Readable.from([bytes]));
    expect(rows.map((r) => r.map(cellText))).toEqual([
      ['ho', 'tên'],
      ['Nguyễn', 'Trần'],
    ]);
  });
  it('refuses a UTF-8 file with a byte that is not UTF-8, naming its row, instead of reading U+FFFD (ASCII decides nothing)', async () => {
    const rows = Array.from({ length: 3000 }, (_, i) => `H${i},Nguyen Van A`).join('\n'); // ASCII: more than the first piece
    const late = Buffer.concat([Buffer.from(`ma,ten\n${rows}\nH3000,Nguy`), Buffer.from([0xea, 0xde]), Buffer.from('n\n')]);
    const pieces = [];
    for (let i = 0; i < late.length; i += 4096) pieces.push(late.subarray(i, i + 4096));
    expect((await all(Readable.from(pieces)))[3001].map(cellText)).toEqual(['H3000', 'Nguyễn']); // Windows-1258 after all ASCII
    const utf8 = Buffer.concat([Buffer.from(`ma,ten\nH1,Lò Văn A\n${rows}\nH3000,Nguy`), Buffer.from([0xea, 0xde]), Buffer.from('n\n')]);
    await expect(all(Readable.from([utf8]))).rejects.toMatchObject({ fields: [{ path: 'file', key: 'import_not_utf8', params: { row: 3003 } }] });
    const utf8Pieces = [];
    for (let i = 0; i < utf8.length; i += 4096) utf8Pieces.push(utf8.subarray(i, i + 4096));
    await expect(all(Readable.from(utf8Pieces))).rejects.toMatchObject({ fields: [{ params: { row: 3003 } }] });
    // damaged early, beside UTF-8 letters: not taken for Windows-1258
    const damaged = Buffer.concat([Buffer.from('mã,tên\nH1,Lò Văn A\nH2,Nguy'), Buffer.from([0xff]), Buffer.from('n\n')]);
    await expect(all(Readable.from([damaged]))).rejects.toMatchObject({ fields: [{ key: 'import_not_utf8', params: { row: 3 } }] });
  });
  it('quotes what needs quoting', () => {
    expect(csvLine(['a,b', 'c"d', null, 5])).toBe('"a,b","c""d",,5');
    // formula injection (OWASP): text a spreadsheet would run gets a leading quote; numbers stay numbers
    expect(csvLine(['=HYPERLINK("http://evil.example/","click")', '+1+1', '-2+3+cmd', '@SUM(A1)', '\tx', '\r=1', 'Lò Văn A'])).toBe(
      `"'=HYPERLINK(""http://evil.example/"",""click"")",'+1+1,'-2+3+cmd,'@SUM(A1),'\tx,"'\r=1",Lò Văn A`,
    );
    expect(csvLine([-5, '-12', '-1.5', '+84912000111', 'a=b', '2025-01-01'])).toBe('-5,-12,-1.5,+84912000111,a=b,2025-01-01');
  });
});
