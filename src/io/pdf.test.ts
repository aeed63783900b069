import { describe, expect, it } from 'vitest';
import { pdfTable, renderPdf } from './pdf';
import { pdfText } from './pdf-text';

describe('renderPdf', () => {
  it('writes Vietnamese text that comes back with its diacritics', async () => {
    const pdf = await renderPdf({
      content: [
        { text: 'BIÊN BẢN BÀN GIAO THẺ BẢO HIỂM Y TẾ', style: 'title' },
        pdfTable(['Họ và tên', 'Xã'], [['Nguyễn Thị Hồng Nhung', 'Xã Bảo Thắng'], ['Lý A Sùng', 'Xã Mường Hum']]),
      ],
    });
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = await pdfText(pdf);
    expect(text).toContain('BIÊN BẢN BÀN GIAO THẺ BẢO HIỂM Y TẾ');
    expect(text).toContain('Nguyễn Thị Hồng Nhung');
    expect(text).toContain('Xã Bảo Thắng');
    expect(text).toContain('Mường Hum');
  });

  it('refuses to read images from the file system or the network', async () => {
    await expect(renderPdf({ content: [{ image: '/etc/passwd' }] })).rejects.toThrow();
    await expect(renderPdf({ content: [{ image: 'https://example.com/a.png' }] })).rejects.toThrow();
  });
});
