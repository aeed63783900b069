/**
 * Writes the D03-TS template (src/modules/programmes/selection/templates/d03-ts.xlsx), the layout of the list a
 * donation programme hands to the social insurance office ("Danh sách người chỉ tham gia BHYT", form
 * D03-TS as amended by Decision 490/QĐ-BHXH of 28/3/2023). Run once; the .xlsx is committed and an office
 * may then edit it in Excel (headings, column order, widths, fonts, extra columns) without touching code:
 *
 *   npx tsx scripts/make-d03-template.ts [output.xlsx]
 *
 * How the export (src/modules/programmes/selection/d03.service.ts) fills it, first worksheet only:
 * - `{{name}}` anywhere in a cell is replaced by the header value `name`: unitName, unitCode (the unit code
 *   the social insurance office issued), taxCode, unitAddress, unitPhone, unitEmail, listNo, listMonth,
 *   listYear, programme, groups, funding, baseSalary, supportRates, months, fromMonth, purchaseDate, date,
 *   dateLine ("ngày 04 tháng 12 năm 2026"), place, count, totalAmount.
 * - The first row holding a `{{r.name}}` placeholder is the ROW TEMPLATE: it is repeated once per
 *   beneficiary (style kept) with r.no, r.fullName, r.insuranceCode, r.citizenId, r.birthDate, r.sex,
 *   r.address, r.commune, r.village, r.householdCode, r.facility, r.group, r.supportRate, r.amount,
 *   r.fromMonth, r.months, r.tags, r.note, r.collector. A cell that is exactly one placeholder of a
 *   number or a date gets the number or the date (r.no, r.amount, r.months, r.supportRate as a fraction,
 *   r.birthDate, r.fromMonth, totalAmount, count), so Excel can sum and sort it; the template cell's
 *   number format shows it (dd/mm/yyyy, mm/yyyy, 0%).
 * - Rows below the row template move down (the "II. Giảm" section, the total, the signatures). Keep merged
 *   cells out of the row template. The header and numbering rows are the print titles (repeated on every
 *   printed page).
 */
import path from 'node:path';
import ExcelJS from 'exceljs';

const out = process.argv[2] ?? path.resolve(import.meta.dirname, '../src/modules/programmes/selection/templates/d03-ts.xlsx');

/** [heading, numbering, placeholder, width, number format] */
const columns: [string, string, string, number, string?][] = [
  ['STT', 'A', '{{r.no}}', 5],
  ['Họ và tên', 'B', '{{r.fullName}}', 22],
  ['Mã số BHXH', '1', '{{r.insuranceCode}}', 12],
  ['Số CCCD/ĐDCN/ Hộ chiếu', '2', '{{r.citizenId}}', 14],
  ['Ngày tháng năm sinh', '3', '{{r.birthDate}}', 11, 'dd/mm/yyyy'],
  ['Giới tính', '4', '{{r.sex}}', 6],
  ['Địa chỉ (nơi sinh sống)', '5', '{{r.address}}', 30],
  ['Nơi đăng ký KCB ban đầu', '6', '{{r.facility}}', 18],
  ['Mã đối tượng', '7', '{{r.group}}', 7],
  ['Tỷ lệ NSNN hỗ trợ', '8', '{{r.supportRate}}', 8, '0%'],
  ['Số tiền đóng (đồng)', '9', '{{r.amount}}', 11, '#,##0'],
  ['Từ tháng', '10', '{{r.fromMonth}}', 8, 'mm/yyyy'],
  ['Số tháng', '11', '{{r.months}}', 6, '0'],
  ['Mã hộ gia đình', '12', '{{r.householdCode}}', 11],
  ['Ghi chú', '13', '{{r.tags}}', 20],
  ['Mã số nhân viên thu', '14', '{{r.collector}}', 11],
];

async function main() {
  const wb = new ExcelJS.Workbook();
  wb.creator = 'coverdesk';
  const ws = wb.addWorksheet('D03-TS', {
    pageSetup: {
      orientation: 'landscape',
      paperSize: 9,
      fitToPage: true,
      fitToWidth: 1,
      fitToHeight: 0,
      margins: { left: 0.4, right: 0.4, top: 0.5, bottom: 0.5, header: 0.3, footer: 0.3 },
      printTitlesRow: '15:16',
    },
    headerFooter: { oddFooter: '&C&"Times New Roman"&9Trang &P/&N' },
  });
  ws.columns = columns.map(([, , , width]) => ({ width }));
  const font = { name: 'Times New Roman', size: 11 };
  const bold = { ...font, bold: true };
  const n = columns.length;
  const col = (i: number) => String.fromCharCode(64 + i);
  const last = col(n);
  const right = col(n - 3);

  const lines: [string, string][] = [
    ['A1', 'Tên đơn vị: {{unitName}}'],
    ['A2', 'Mã đơn vị: {{unitCode}}'],
    ['A3', 'Mã số thuế: {{taxCode}}'],
    ['A4', 'Địa chỉ: {{unitAddress}}'],
    ['A5', 'Điện thoại: {{unitPhone}}'],
    ['F5', 'Email: {{unitEmail}}'],
  ];
  for (const [ref, v] of lines) {
    ws.getCell(ref).value = v;
    ws.getCell(ref).font = font;
  }
  ws.getCell('A1').font = bold;
  ws.getCell(`${right}1`).value = 'Mẫu D03-TS';
  ws.getCell(`${right}1`).font = bold;
  ws.getCell(`${right}1`).alignment = { horizontal: 'center' };
  ws.mergeCells(`${right}1:${last}1`);
  ws.mergeCells(`${right}2:${last}3`);
  ws.getCell(`${right}2`).value = '(Ban hành kèm theo QĐ số 490/QĐ-BHXH ngày 28/3/2023 của BHXH Việt Nam)';
  ws.getCell(`${right}2`).font = { ...font, italic: true, size: 10 };
  ws.getCell(`${right}2`).alignment = { horizontal: 'center', vertical: 'top', wrapText: true };

  const centred = (row: number, value: string, f: Partial<ExcelJS.Font>) => {
    ws.mergeCells(`A${row}:${last}${row}`);
    const c = ws.getCell(`A${row}`);
    c.value = value;
    c.font = f;
    c.alignment = { horizontal: 'center' };
  };
  centred(7, 'DANH SÁCH NGƯỜI CHỈ THAM GIA BẢO HIỂM Y TẾ', { ...bold, size: 14 });
  centred(8, 'Số: {{listNo}} tháng {{listMonth}} năm {{listYear}}', { ...font, italic: true });
  centred(9, 'Chương trình tặng thẻ BHYT: {{programme}}', font);
  const facts: [string, string][] = [
    ['A10', 'Đối tượng tham gia: {{groups}}'],
    ['A11', 'Nguồn đóng BHYT: {{funding}}'],
    ['A12', 'Lương cơ sở: {{baseSalary}}'],
    ['G12', 'Tỷ lệ NSNN hỗ trợ theo quy định: {{supportRates}}'],
    ['A13', 'Thời hạn thẻ: {{months}} tháng, từ tháng {{fromMonth}}'],
  ];
  for (const [ref, v] of facts) {
    ws.getCell(ref).value = v;
    ws.getCell(ref).font = font;
  }

  const border = { top: { style: 'thin' }, left: { style: 'thin' }, bottom: { style: 'thin' }, right: { style: 'thin' } } as const;
  const boxed = (row: ExcelJS.Row) => {
    for (let c = 1; c <= n; c++) row.getCell(c).border = border;
  };
  const head = ws.getRow(15);
  columns.forEach(([h], i) => (head.getCell(i + 1).value = h));
  head.font = bold;
  head.height = 45;
  head.alignment = { horizontal: 'center', vertical: 'middle', wrapText: true };
  boxed(head);
  const numbering = ws.getRow(16);
  columns.forEach(([, no], i) => (numbering.getCell(i + 1).value = no));
  numbering.font = { ...font, italic: true, size: 10 };
  numbering.alignment = { horizontal: 'center' };
  boxed(numbering);

  const section = (r: number, no: string, label: string) => {
    const row = ws.getRow(r);
    row.getCell(1).value = no;
    row.getCell(2).value = label;
    row.font = bold;
    row.getCell(1).alignment = { horizontal: 'center' };
    boxed(row);
  };
  section(17, 'I', 'Tăng');
  const row = ws.getRow(18);
  columns.forEach(([, , v, , fmt], i) => {
    const cell = row.getCell(i + 1);
    cell.value = v;
    if (fmt) cell.numFmt = fmt;
  });
  row.font = font;
  row.alignment = { vertical: 'top', wrapText: true };
  row.getCell(1).alignment = { horizontal: 'center', vertical: 'top' };
  for (const c of [5, 6, 9, 10, 12, 13]) row.getCell(c).alignment = { horizontal: 'center', vertical: 'top' };
  boxed(row);
  section(19, 'II', 'Giảm');

  const total = ws.getRow(20);
  total.getCell(2).value = 'Tổng cộng: {{count}} người';
  total.getCell(11).value = '{{totalAmount}}';
  total.getCell(11).numFmt = '#,##0';
  total.font = bold;
  boxed(total);

  const sign = col(n - 4);
  ws.getCell(`${sign}22`).value = '{{place}}, {{dateLine}}';
  ws.getCell(`${sign}22`).font = { ...font, italic: true };
  ws.getCell('B23').value = 'Người lập biểu';
  ws.getCell(`${sign}23`).value = 'Thủ trưởng đơn vị';
  ws.getCell('B24').value = '(Ký, ghi rõ họ tên)';
  ws.getCell(`${sign}24`).value = '(Ký, ghi rõ họ tên, đóng dấu)';
  ws.getRow(23).font = bold;
  ws.getRow(24).font = { ...font, italic: true };

  await wb.xlsx.writeFile(out);
  process.stdout.write(`wrote ${out}\n`);
}

void main();
