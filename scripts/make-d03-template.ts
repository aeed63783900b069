/**
 * Writes the D03-TS template (src/modules/programmes/selection/templates/d03-ts.xlsx), the layout of the list a
 * donation programme hands to the social insurance office ("Danh sách người chỉ tham gia BHYT", form
 * D03-TS of Decision 490/QĐ-BHXH). Run once; the .xlsx is committed and an office may then edit it in
 * Excel (headings, column order, widths, fonts, extra columns) without touching code:
 *
 *   npx tsx scripts/make-d03-template.ts [output.xlsx]
 *
 * How the export (src/modules/programmes/selection/d03.service.ts) fills it, first worksheet only:
 * - `{{name}}` anywhere in a cell is replaced by the header value `name`: unitName, unitCode, programme,
 *   groups, funding, baseSalary, supportRates, months, fromMonth, purchaseDate, date, count, totalAmount.
 * - The first row holding a `{{r.name}}` placeholder is the ROW TEMPLATE: it is repeated once per
 *   beneficiary (style kept) with r.no, r.fullName, r.insuranceCode, r.citizenId, r.birthDate, r.sex,
 *   r.address, r.commune, r.village, r.householdCode, r.facility, r.group, r.supportRate, r.amount,
 *   r.fromMonth, r.months, r.tags, r.note, r.collector. A cell that is exactly one placeholder of a
 *   number (r.no, r.amount, r.months, totalAmount, count) gets the number, so Excel can sum it.
 * - Rows below the row template move down. Keep merged cells out of the row template.
 */
import path from 'node:path';
import ExcelJS from 'exceljs';

const out = process.argv[2] ?? path.resolve(import.meta.dirname, '../src/modules/programmes/selection/templates/d03-ts.xlsx');

const columns: [string, string, number][] = [
  ['STT', '{{r.no}}', 6],
  ['Họ và tên', '{{r.fullName}}', 26],
  ['Mã số BHXH\n(1)', '{{r.insuranceCode}}', 14],
  ['Số CCCD/ĐDCN\n(2)', '{{r.citizenId}}', 15],
  ['Ngày sinh\n(3)', '{{r.birthDate}}', 12],
  ['Giới tính\n(4)', '{{r.sex}}', 8],
  ['Địa chỉ\n(5)', '{{r.address}}', 34],
  ['Nơi đăng ký KCB ban đầu\n(6)', '{{r.facility}}', 18],
  ['Mã đối tượng\n(7)', '{{r.group}}', 10],
  ['Tỷ lệ NSNN hỗ trợ\n(8)', '{{r.supportRate}}', 10],
  ['Số tiền đóng (đồng)\n(9)', '{{r.amount}}', 14],
  ['Từ tháng\n(10)', '{{r.fromMonth}}', 10],
  ['Số tháng\n(11)', '{{r.months}}', 8],
  ['Mã hộ\n(12)', '{{r.householdCode}}', 12],
  ['Ghi chú\n(13)', '{{r.tags}}', 24],
  ['Mã nhân viên thu\n(14)', '{{r.collector}}', 12],
];

async function main() {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'coverdesk';
  const ws = wb.addWorksheet('D03-TS', { pageSetup: { orientation: 'landscape', paperSize: 9, fitToPage: true, fitToWidth: 1, fitToHeight: 0 } });
  ws.columns = columns.map(([, , width]) => ({ width }));
  const bold = { bold: true, name: 'Times New Roman', size: 11 };
  const plain = { name: 'Times New Roman', size: 11 };
  const last = String.fromCharCode(64 + columns.length);

  ws.getCell('A1').value = 'Tên đơn vị: {{unitName}}';
  ws.getCell('A2').value = 'Mã đơn vị: {{unitCode}}';
  ws.getCell(`${String.fromCharCode(64 + columns.length - 3)}1`).value = 'Mẫu D03-TS';
  ws.getCell(`${String.fromCharCode(64 + columns.length - 3)}2`).value = '(Ban hành kèm theo QĐ số 490/QĐ-BHXH)';
  ws.mergeCells(`A4:${last}4`);
  ws.getCell('A4').value = 'DANH SÁCH NGƯỜI CHỈ THAM GIA BẢO HIỂM Y TẾ';
  ws.getCell('A4').alignment = { horizontal: 'center' };
  ws.getCell('A4').font = { ...bold, size: 14 };
  ws.mergeCells(`A5:${last}5`);
  ws.getCell('A5').value = 'Chương trình tặng thẻ BHYT: {{programme}}';
  ws.getCell('A5').alignment = { horizontal: 'center' };
  ws.getCell('A6').value = 'Đối tượng tham gia: {{groups}}';
  ws.getCell('A7').value = 'Nguồn đóng: {{funding}}';
  ws.getCell('A8').value = 'Mức lương cơ sở: {{baseSalary}}';
  ws.getCell('F8').value = 'Tỷ lệ NSNN hỗ trợ: {{supportRates}}';
  ws.getCell('A9').value = 'Thời hạn thẻ: {{months}} tháng, từ tháng {{fromMonth}}';
  for (const r of [1, 2, 6, 7, 8, 9]) ws.getRow(r).font = plain;
  ws.getRow(1).font = bold;

  const head = ws.getRow(11);
  columns.forEach(([h], i) => (head.getCell(i + 1).value = h));
  head.font = bold;
  head.height = 42;
  head.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };

  const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
  const row = ws.getRow(12);
  columns.forEach(([, v], i) => (row.getCell(i + 1).value = v));
  row.font = plain;
  row.getCell(11).numFmt = '#,##0';
  row.getCell(1).alignment = { horizontal: 'center' };
  for (const r of [head, row]) for (let c = 1; c <= columns.length; c++) r.getCell(c).border = border;

  const total = ws.getRow(13);
  total.getCell(2).value = 'Tổng cộng: {{count}} người';
  total.getCell(11).value = '{{totalAmount}}';
  total.getCell(11).numFmt = '#,##0';
  total.font = bold;

  ws.getCell(`${String.fromCharCode(64 + columns.length - 4)}15`).value = '{{place}}, ngày {{date}}';
  ws.getCell('B16').value = 'Người lập biểu';
  ws.getCell(`${String.fromCharCode(64 + columns.length - 4)}16`).value = 'Thủ trưởng đơn vị';
  ws.getCell('B17').value = '(Ký, ghi rõ họ tên)';
  ws.getCell(`${String.fromCharCode(64 + columns.length - 4)}17`).value = '(Ký, ghi rõ họ tên, đóng dấu)';
  for (const r of [15, 16, 17]) ws.getRow(r).font = plain;
  ws.getRow(16).font = bold;

  await wb.xlsx.writeFile(out);
  process.stdout.write(`wrote ${out}\n`);
}

void main();
