import { describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough, Readable } from 'node:stream';
import { readRowBatches, readRows } from './rows';
import ExcelJS from 'exceljs';
import { readXlsxRows, xlsxWriter } from './excel';

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) out.push(item);
  return out;
}

describe('rows of a list, in batches', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-rows-'));
  const rows = Array.from({ length: 2500 }, (_, i) => [`H${i}`, `Lò Thị Ánh ${i}`]);

  it('gives a CSV file the same rows as one at a time, and counts every byte of it', async () => {
    const file = path.join(dir, 'list.csv');
    fs.writeFileSync(file, '\uFEFFmã,tên\n' + rows.map((r) => r.join(',')).join('\n') + '\n');
    const read = readRowBatches(file, 'csv');
    const batches = await collect(read.batches);
    expect(batches.length).toBeGreaterThan(0);
    expect(batches.flat()).toEqual(await collect(readRows(file, 'csv')));
    expect(batches.flat()).toEqual([['mã', 'tên'], ...rows]);
    expect(read.bytesRead()).toBe(fs.statSync(file).size);
  });

  it('gives an XLSX file its rows in batches and counts its (compressed) bytes', async () => {
    const file = path.join(dir, 'list.xlsx');
    const out = fs.createWriteStream(file);
    const w = xlsxWriter(out, { name: 'DS', columns: [{ header: 'mã', key: 'a' }, { header: 'tên', key: 'b' }] });
    for (const [a, b] of rows) w.add({ a, b });
    await w.finish();
    await new Promise<void>((resolve) => out.on('close', () => resolve()));
    const read = readRowBatches(fs.createReadStream(file), 'xlsx');
    const batches = await collect(read.batches);
    expect(batches.length).toBe(3); // 2,501 rows in batches of 1,000
    expect(batches.flat()).toEqual([['mã', 'tên'], ...rows]);
    expect(read.bytesRead()).toBe(fs.statSync(file).size);
  });

  it('fails, not hangs, when the source breaks off (an upload cut)', async () => {
    const upload = new PassThrough();
    const read = readRowBatches(upload, 'csv');
    upload.write('mã,tên\n1,A\n');
    setTimeout(() => upload.destroy(new Error('connection reset')), 10);
    await expect(collect(read.batches)).rejects.toThrow('connection reset');
  });

  it('reads a list given as a stream one row at a time', async () => {
    expect(await collect(readRows(Readable.from([Buffer.from('a;b\n1;2\n')]), 'csv'))).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
  });
});

describe('XLSX text with Vietnamese letters', () => {
  // Each letter with a diacritic is 2-3 bytes of UTF-8; a sheet's XML is inflated in pieces of 16 KB,
  // so such a letter is often cut between two pieces (exceljs 4.4.0 decoded each piece alone and made
  // the cut letter two U+FFFD: 'Nữ' read as 'N\uFFFD\uFFFD').
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-xlsx-utf8-'));
  const names = ['Đặng Thị Ánh Tuyết', 'Nguyễn Hoàng Phượng', 'Lò Văn Chứ', 'Giàng Thị Mỷ', 'Hoàng Ngọc Ước'];
  const rows = Array.from({ length: 20_000 }, (_, i) => [`HỘ-${i}`, `${names[i % names.length]} ${i}`, i % 2 ? 'Nữ' : 'Nam']);
  const expected = [['mã hộ', 'họ và tên', 'giới tính'], ...rows];

  it('reads every letter of a sheet written with inline strings (as coverdesk writes exports)', async () => {
    const file = path.join(dir, 'inline.xlsx');
    const out = fs.createWriteStream(file);
    const w = xlsxWriter(out, { name: 'DS', columns: expected[0].map((header, i) => ({ header, key: String(i) })) });
    for (const r of rows) w.add(Object.fromEntries(r.map((v, i) => [String(i), v])));
    await w.finish();
    await new Promise<void>((resolve) => out.on('close', () => resolve()));
    expect(await collect(readXlsxRows(file))).toEqual(expected);
  });

  it('reads every letter of a sheet written with shared strings (as Excel and LibreOffice write)', async () => {
    const file = path.join(dir, 'shared.xlsx');
    const workbook = new ExcelJS.Workbook();
    const sheet = workbook.addWorksheet('DS');
    for (const r of expected) sheet.addRow(r);
    await workbook.xlsx.writeFile(file);
    expect(await collect(readXlsxRows(file))).toEqual(expected);
  });
});
