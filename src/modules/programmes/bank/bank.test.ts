/**
 * Bank transfers on both engines: a pledge's reference and VietQR payload (read back field by field and
 * from the rendered PNG), statement import (idempotent, bad input refused with nothing written), automatic
 * matching through the ledger, a line split across pledges, undo, the ledger balanced after every step,
 * and the reconciliation report (total = matched + unmatched per day).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { makeUser, system, testDatabase, type TestDatabase } from '../../../test/db';
import { failure } from '../../../test/helpers';
import { readEmv } from '../../../domain/vietqr';
import { isReference } from '../../../domain/bank-reference';
import { qrPng } from '../../../io/qr';
import * as donors from '../money/donors.service';
import { programmeBalance } from '../programme/ledger.service';
import { createProgramme } from '../programme/programme.service';
import * as bank from './bank.service';
import { pledgePaymentPdf, reconciliationPdf } from './bank.report';
import { pdfText } from '../../../io/pdf-text';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});
afterAll(async () => {
  await t?.cleanup();
});

async function setup(name = 'Chuyển khoản') {
  const programme = await createProgramme(t.db, system, { name, ownerUnitCode: '15', areaKind: 'province', cardMonths: 12, purchaseDate: '2025-11-01', deadline: '2025-12-31' });
  const account = await bank.addAccount(t.db, system, programme.id, { bin: '970436', accountNumber: '0071000123456', accountName: 'UBND TINH LAO CAI' });
  const pledge = async (donorName: string, amount: number) => {
    const donor = await donors.createDonor(t.db, system, { ownerUnitCode: '15', kind: 'individual', name: donorName });
    return donors.createPledge(t.db, system, programme.id, { donorId: donor.id, amount, pledgedOn: '2025-11-02' });
  };
  return { programme, account, pledge };
}

/** Ledger balanced per transaction, and cash = received receipts (voided ones excluded) = fund + spent. */
async function checkLedger(programmeId: string) {
  const unbalanced = await sql<{ n: number }>`select count(*)::int as n from (select txn_id from ledger_entry where programme_id = ${programmeId} group by txn_id having sum(amount) <> 0) x`.execute(t.db);
  expect(unbalanced.rows[0].n).toBe(0);
  const b = await programmeBalance(t.db, programmeId);
  const receipts = await sql<{ s: number }>`select coalesce(sum(amount), 0)::bigint as s from receipt where programme_id = ${programmeId} and voided_at is null`.execute(t.db);
  expect(b.received).toBe(Number(receipts.rows[0].s));
  expect(b.received).toBe(b.available + b.awarded + b.paid + b.refunded);
  const matched = await sql<{ s: number }>`select coalesce(sum(amount), 0)::bigint as s from bank_match where programme_id = ${programmeId} and undone_at is null`.execute(t.db);
  const bankReceipts = await sql<{ s: number }>`select coalesce(sum(amount), 0)::bigint as s from receipt where programme_id = ${programmeId} and voided_at is null and method = 'bank_transfer'`.execute(t.db);
  expect(Number(matched.rows[0].s)).toBe(Number(bankReceipts.rows[0].s));
  return b;
}

const csv = (rows: (string | number)[][]) => Buffer.from(rows.map((r) => r.map((c) => `"${String(c).replace(/"/g, '""')}"`).join(',')).join('\n'), 'utf8');

describe('pledge reference and VietQR', () => {
  it('gives each pledge a unique random reference and a VietQR payload whose every field reads back', async () => {
    const { pledge } = await setup();
    const a = await pledge('Nguyễn Văn An', 1_500_000);
    const b = await pledge('Trần Thị Bình', 2_000_000);
    expect(isReference(a.reference!)).toBe(true);
    expect(a.reference).not.toBe(b.reference);
    const { fields, crcValid } = readEmv(a.vietqr!);
    expect(crcValid).toBe(true);
    expect(fields['00'].value).toBe('01');
    expect(fields['01'].value).toBe('12'); // dynamic: carries an amount
    expect(fields['38'].sub!['00'].value).toBe('A000000727');
    expect(fields['38'].sub!['01'].sub!['00'].value).toBe('970436');
    expect(fields['38'].sub!['01'].sub!['01'].value).toBe('0071000123456');
    expect(fields['38'].sub!['02'].value).toBe('QRIBFTTA');
    expect(fields['53'].value).toBe('704');
    expect(fields['54'].value).toBe('1500000');
    expect(fields['58'].value).toBe('VN');
    expect(fields['62'].sub!['08'].value).toBe(a.reference);
    // a changed character breaks the CRC
    expect(readEmv(a.vietqr!.replace('1500000', '1500001')).crcValid).toBe(false);
  });

  it("puts the pledge's payment details and its VietQR code in a PDF for the donor", async () => {
    const { programme, pledge } = await setup('Chuyển khoản PDF');
    const p = await pledge('Đỗ Thị Hạnh', 1_263_600);
    const { pdf, payment } = await pledgePaymentPdf(t.db, system, programme.id, p.id, { today: '2025-11-03', language: 'vi' });
    expect(payment.vietqr).toBe(p.vietqr);
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    for (const s of ['THÔNG TIN CHUYỂN KHOẢN ỦNG HỘ', 'Kính gửi: Đỗ Thị Hạnh', '0071000123456', 'UBND TINH LAO CAI', '1.263.600 ₫', p.reference!]) expect(text).toContain(s);
    // the QR code is an image in the document
    expect(pdf.toString('latin1')).toMatch(/\/Subtype\s*\/Image/);
    // no receiving account: refused, naming why
    const bare = await createProgramme(t.db, system, { name: 'Không tài khoản', ownerUnitCode: '15', areaKind: 'province', cardMonths: 12, purchaseDate: '2025-11-01', deadline: '2025-12-31' });
    const donor = await donors.createDonor(t.db, system, { ownerUnitCode: '15', kind: 'individual', name: 'Bùi Văn Tài' });
    const q = await donors.createPledge(t.db, system, bare.id, { donorId: donor.id, amount: 100_000, pledgedOn: '2025-11-02' });
    const refused = await failure(pledgePaymentPdf(t.db, system, bare.id, q.id, { today: '2025-11-03' }));
    expect(refused.fields[0]).toMatchObject({ path: 'account', key: 'no_active_account' });
  });

  it('renders the payload as a PNG that a QR reader reads back to the same text', async () => {
    const { pledge } = await setup();
    const p = await pledge('Lê Văn Cường', 300_000);
    const png = PNG.sync.read(await qrPng(p.vietqr!));
    const read = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(read?.data).toBe(p.vietqr);
  });

  it('has no VietQR without a receiving account', async () => {
    const programme = await createProgramme(t.db, system, { name: 'Không tài khoản', ownerUnitCode: '15', areaKind: 'province', cardMonths: 12, purchaseDate: '2025-11-01', deadline: '2025-12-31' });
    const donor = await donors.createDonor(t.db, system, { ownerUnitCode: '15', kind: 'individual', name: 'X' });
    const p = await donors.createPledge(t.db, system, programme.id, { donorId: donor.id, amount: 100_000, pledgedOn: '2025-11-02' });
    expect(isReference(p.reference!)).toBe(true);
    expect(p.vietqr).toBeNull();
  });

  it('refuses a bank not in the NAPAS list and a second identical account', async () => {
    const { programme } = await setup();
    const e1 = await failure(bank.addAccount(t.db, system, programme.id, { bin: '123456', accountNumber: '1', accountName: 'A' }));
    expect(e1.fields[0]).toMatchObject({ path: 'bin', key: 'unknown_bin' });
    const e2 = await failure(bank.addAccount(t.db, system, programme.id, { bin: '970436', accountNumber: '0071000123456', accountName: 'A' }));
    expect(e2.fields[0]).toMatchObject({ path: 'accountNumber', key: 'account_exists' });
  });
});

describe('statement import and matching', () => {
  it('imports a Vietcombank statement, matches mangled references through the ledger, and is idempotent', async () => {
    const { programme, account, pledge } = await setup();
    const an = await pledge('Nguyễn Văn An', 1_500_000);
    const binh = await pledge('Trần Thị Bình', 2_000_000);
    const cuong = await pledge('Lê Văn Cường', 500_000);
    const spaced = `${binh.reference!.slice(0, 4).toLowerCase()} ${binh.reference!.slice(4)}`;
    const file = csv([
      ['NGÂN HÀNG TMCP NGOẠI THƯƠNG VIỆT NAM'],
      ['Sao kê tài khoản 0071000123456'],
      ['STT', 'Ngày giao dịch', 'Số tham chiếu', 'Số tiền ghi nợ', 'Số tiền ghi có', 'Số dư', 'Mô tả'],
      [1, '03/11/2025', 'FT001', '', '1.500.000', '1.500.000', `MBVCB.1234.IBFT.${an.reference}.NGUYEN VAN AN chuyen tien`],
      [2, '03/11/2025', 'FT002', '', '1.800.000', '3.300.000', `${spaced} ung ho`],
      [3, '04/11/2025', 'FT003', '22.000', '', '3.278.000', 'Phi dich vu'],
      [4, '04/11/2025', 'FT004', '', '500.000', '3.778.000', `LE VAN CUONG ${cuong.reference!.slice(0, 6)}`],
      [5, '05/11/2025', 'FT005', '', '700.000', '4.478.000', 'Ung ho chuong trinh'],
      ['Tổng cộng', '', '', '22.000', '4.500.000', '', ''],
    ]);
    const first = await bank.importStatement(t.db, system, programme.id, { accountId: account.id, buffer: file, format: 'csv', fileName: 'vcb.csv' });
    expect(first).toMatchObject({ layout: 'vietcombank', lines: 4, new: 4, duplicates: 0, matched: 3, unmatched: 1 });
    let b = await checkLedger(programme.id);
    expect(b.received).toBe(1_500_000 + 1_800_000 + 500_000);
    // the pledge paid less shows the difference
    const pledges = await donors.listPledges(t.db, system, programme.id);
    expect(pledges.find((p) => p.id === binh.id)!.received).toBe(1_800_000);
    expect(pledges.find((p) => p.id === an.id)!.received).toBe(1_500_000);
    // line, receipt and ledger point at each other
    const lines = await bank.listLines(t.db, system, programme.id, { today: '2025-11-10' });
    const lineAn = lines.find((l) => l.transactionId === 'FT001')!;
    expect(lineAn.matches).toHaveLength(1);
    const m = lineAn.matches[0];
    expect(m.pledgeId).toBe(an.id);
    const receipt = await t.db.selectFrom('receipt').selectAll().where('id', '=', m.receiptId).executeTakeFirstOrThrow();
    expect(receipt).toMatchObject({ pledgeId: an.id, amount: 1_500_000, receivedOn: '2025-11-03', method: 'bank_transfer', reference: 'FT001' });
    const postings = await t.db.selectFrom('ledgerEntry').select(['account', 'amount', 'receiptId']).where('txnId', '=', m.txnId).orderBy('account').execute();
    expect(postings).toEqual([
      { account: 'cash', amount: 1_500_000, receiptId: m.receiptId },
      { account: 'fund', amount: -1_500_000, receiptId: m.receiptId },
    ]);
    const unmatched = lines.find((l) => l.transactionId === 'FT005')!;
    expect(unmatched).toMatchObject({ matched: 0, left: 700_000, ageDays: 5 });

    // the same statement, and an overlapping one, add nothing twice
    const again = await bank.importStatement(t.db, system, programme.id, { accountId: account.id, buffer: file, format: 'csv' });
    expect(again).toMatchObject({ lines: 4, new: 0, duplicates: 4, matched: 0 });
    b = await checkLedger(programme.id);
    expect(b.received).toBe(3_800_000);

    const report = await bank.reconciliationReport(t.db, system, programme.id);
    expect(report).toMatchObject({ total: 4_500_000, matched: 3_800_000, unmatched: 700_000, balanced: true });
    expect(report.days).toEqual([
      { date: '2025-11-03', lines: 2, total: 3_300_000, matched: 3_300_000, unmatched: 0 },
      { date: '2025-11-04', lines: 1, total: 500_000, matched: 500_000, unmatched: 0 },
      { date: '2025-11-05', lines: 1, total: 700_000, matched: 0, unmatched: 700_000 },
    ]);
    // the same as a signed PDF: every day, the totals and the verdict
    const { pdf } = await reconciliationPdf(t.db, system, programme.id, { today: '2025-11-10', language: 'vi' });
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('BIÊN BẢN ĐỐI CHIẾU SAO KÊ TÀI KHOẢN');
    expect(text).toContain('05/11/2025');
    expect(text).toContain('Kết luận: tổng sao kê 4.500.000 ₫ = đã đối chiếu 3.800.000 ₫ + chưa đối chiếu 700.000 ₫; khớp từng ngày.');
  });

  it('reads the generic layout from an .xlsx with ids absent: identical lines in one file are two, the same file twice adds nothing', async () => {
    const { xlsxBuffer } = await import('../../../io/excel');
    const { programme, account, pledge } = await setup();
    const p = await pledge('Phạm Thị Dung', 200_000);
    const sheet = {
      name: 'Sao kê',
      columns: [
        { key: 'date', header: 'Ngày giao dịch', type: 'text' as const },
        { key: 'amount', header: 'Số tiền', type: 'text' as const },
        { key: 'description', header: 'Nội dung', type: 'text' as const },
      ],
    };
    const buf = await xlsxBuffer(sheet as never, [
      { date: '2025-11-06', amount: '200000', description: `Ủng hộ ${p.reference}` },
      { date: '2025-11-06', amount: '100000', description: 'ung ho' },
      { date: '2025-11-06', amount: '100000', description: 'ung ho' },
    ]);
    const r1 = await bank.importStatement(t.db, system, programme.id, { accountId: account.id, buffer: buf, format: 'xlsx' });
    expect(r1).toMatchObject({ layout: 'generic', lines: 3, new: 3, duplicates: 0, matched: 1 });
    const r2 = await bank.importStatement(t.db, system, programme.id, { accountId: account.id, buffer: buf, format: 'xlsx' });
    expect(r2).toMatchObject({ new: 0, duplicates: 3 });
    await checkLedger(programme.id);
  });

  it('refuses bad input with the missing columns or the row, writing nothing', async () => {
    const { programme, account } = await setup();
    const unknown = await failure(bank.importStatement(t.db, system, programme.id, { accountId: account.id, buffer: csv([['Ngày', 'Tiền', 'Ghi chú'], ['01/11/2025', '1000', 'x']]), format: 'csv' }));
    expect(unknown.fields[0]).toMatchObject({ path: 'file', key: 'layout_unknown' });
    expect(String(unknown.fields[0].params?.missing)).toContain('amount');
    const badAmount = await failure(
      bank.importStatement(t.db, system, programme.id, {
        accountId: account.id,
        buffer: csv([['date', 'amount', 'description'], ['01/11/2025', '1.000', 'a'], ['02/11/2025', 'một triệu', 'b'], ['31/02/2025', '5000', 'c']]),
        format: 'csv',
      }),
    );
    expect(badAmount.fields).toEqual([
      { path: 'rows.3.amount', key: 'bad_amount', params: { row: 3, value: 'một triệu', ns: 'bank' } },
      { path: 'rows.4.date', key: 'bad_date', params: { row: 4, value: '31/02/2025', ns: 'bank' } },
    ]);
    const count = await t.db.selectFrom('bankLine').select(sql<number>`count(*)::int`.as('n')).where('programmeId', '=', programme.id).executeTakeFirstOrThrow();
    expect(count.n).toBe(0);
  });

  it('splits a line across pledges, refuses more than the line, and undoes a match in the ledger', async () => {
    const { programme, account, pledge } = await setup();
    const a = await pledge('Công ty Hòa Bình', 3_000_000);
    const b = await pledge('Công ty Thái Sơn', 2_000_000);
    await bank.importStatement(t.db, system, programme.id, {
      accountId: account.id,
      buffer: csv([['date', 'amount', 'description', 'transaction_id'], ['07/11/2025', '5.000.000', 'CONG TY HOA BINH VA THAI SON UNG HO', 'TX9']]),
      format: 'csv',
    });
    const [line] = await bank.listLines(t.db, system, programme.id, { today: '2025-11-07' });
    expect(line.left).toBe(5_000_000);
    const over = await failure(bank.matchByStaff(t.db, system, programme.id, line.id, { parts: [{ pledgeId: a.id, amount: 3_000_000 }, { pledgeId: b.id, amount: 2_000_001 }] }));
    expect(over.fields[0]).toMatchObject({ path: 'parts', key: 'match_over_line' });
    const unconfirmed = await failure(bank.matchByStaff(t.db, system, programme.id, line.id, { parts: [{ pledgeId: a.id, amount: 3_000_000 }] }));
    expect(unconfirmed.code).toBe('confirmation_required');
    const split = await bank.matchByStaff(t.db, system, programme.id, line.id, {
      parts: [
        { pledgeId: a.id, amount: 3_000_000 },
        { pledgeId: b.id, amount: 2_000_000 },
      ],
      confirm: { count: 2, amount: 5_000_000 },
    });
    expect(split).toMatchObject({ matched: 5_000_000, left: 0 });
    let bal = await checkLedger(programme.id);
    expect(bal.received).toBe(5_000_000);

    const undone = await bank.undoMatch(t.db, system, programme.id, split.matches[1].id, { count: 1, amount: 2_000_000 });
    expect(undone.undoneAt).not.toBeNull();
    bal = await checkLedger(programme.id);
    expect(bal.received).toBe(3_000_000);
    expect(bal.available).toBe(3_000_000);
    const reversal = await t.db.selectFrom('ledgerEntry').select(['account', 'amount', 'kind']).where('txnId', '=', undone.undoTxnId!).orderBy('account').execute();
    expect(reversal).toEqual([
      { account: 'cash', amount: -2_000_000, kind: 'receipt_reversal' },
      { account: 'fund', amount: 2_000_000, kind: 'receipt_reversal' },
    ]);
    const pledges = await donors.listPledges(t.db, system, programme.id);
    expect(pledges.find((p) => p.id === b.id)!.received).toBe(0);
    const report = await bank.reconciliationReport(t.db, system, programme.id);
    expect(report).toMatchObject({ total: 5_000_000, matched: 3_000_000, unmatched: 2_000_000, balanced: true });
    const twice = await failure(bank.undoMatch(t.db, system, programme.id, split.matches[1].id, { count: 1, amount: 2_000_000 }));
    expect(twice.code).toBe('invalid_transition');
  });

  it('suggests pledges of the same amount by name and date when the description has no reference', async () => {
    const { programme, account, pledge } = await setup();
    const p = await pledge('Đỗ Minh Hải', 400_000);
    const line = csv([['date', 'amount', 'description'], ['08/11/2025', '400000', 'DO MINH HAI CHUYEN KHOAN']]);
    const r = await bank.importStatement(t.db, system, programme.id, { accountId: account.id, buffer: line, format: 'csv' });
    expect(r).toMatchObject({ matched: 0, suggested: 1 });
    const [l] = await bank.listLines(t.db, system, programme.id, { today: '2025-11-08' });
    expect(l.suggestions[0]).toMatchObject({ pledgeId: p.id, reasons: ['amount', 'name', 'date'] });
  });

  it('keeps a commune officer out of another province programme accounts and statements', async () => {
    const { programme, account } = await setup();
    const other = (await t.db.selectFrom('unit').select('code').where('parentCode', '=', '01').orderBy('code').executeTakeFirstOrThrow()).code;
    const { actor: officer } = await makeUser(t, 'commune_officer', other);
    const e = await failure(bank.listAccounts(t.db, officer, programme.id));
    expect(e.code).toBe('not_found');
    const e2 = await failure(bank.importStatement(t.db, officer, programme.id, { accountId: account.id, buffer: csv([['date']]), format: 'csv' }));
    expect(e2.code).toBe('not_found');
    // a commune officer of the province reads the provincial programme, but not its bank data
    const inside = (await t.db.selectFrom('unit').select('code').where('parentCode', '=', '15').orderBy('code').executeTakeFirstOrThrow()).code;
    const { actor: local } = await makeUser(t, 'commune_officer', inside);
    expect((await failure(bank.listLines(t.db, local, programme.id, { today: '2025-11-10' }))).code).toBe('forbidden');
    expect((await failure(bank.reconciliationReport(t.db, local, programme.id))).code).toBe('forbidden');
  });
});
