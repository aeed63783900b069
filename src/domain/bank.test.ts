/** Pure rules of bank transfers: references in mangled descriptions, statement amounts and dates, the ASCII purpose. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalReference, isReference, newReference, referencesIn, REFERENCE_ALPHABET } from './bank-reference';
import { parseStatementAmount, parseStatementDate, findLayout, lineFingerprints } from './bank-statement';
import { asciiPurpose, crc16Ccitt, readEmv, vietQrPayload } from './vietqr';
import { indexPledges, matchLine, nameLikeness } from './bank-match';

describe('references', () => {
  it('are CD and six characters without look-alikes, random', () => {
    const refs = new Set(Array.from({ length: 2000 }, () => newReference()));
    // 2,000 draws from 20^6 = 64,000,000: a repeat has a chance of about 3 % (the birthday problem; the
    // pledge's unique index and a new draw deal with it), ten repeats practically none
    expect(refs.size).toBeGreaterThanOrEqual(1990);
    for (const r of refs) expect(r).toMatch(/^CD[34679ACEFGHKMNPRTWXY]{6}$/);
    for (const c of '0O1IL2Z5S8BDQUVJ') expect(REFERENCE_ALPHABET).not.toContain(c);
  });

  it('are found whatever the bank did to them', () => {
    const ref = 'CD7K3M9R';
    expect(referencesIn(`MBVCB.1234.IBFT.${ref}.NGUYEN VAN AN`).full).toEqual([ref]);
    expect(referencesIn('cd7k 3m9r ung ho').full).toEqual([ref]);
    expect(referencesIn('Ủng hộ CD7K-3M9R đồng bào').full).toEqual([ref]);
    expect(referencesIn('IBFT CD7K3M9RUNG HO').full).toEqual([ref]);
    expect(referencesIn('NGUYEN VAN AN CHUYEN TIEN CD7K3M').partial).toBe('CD7K3M');
    expect(referencesIn('NGUYEN VAN AN CHUYEN TIEN CD7K3').partial).toBeNull();
    expect(referencesIn('NGUYEN VAN AN CD7').partial).toBeNull();
    expect(referencesIn('ABCD NO REF').full).toEqual([]);
    expect(canonicalReference(' cd7k-3m9r ')).toBe(ref);
    expect(canonicalReference('CD7K3M90')).toBeNull();
    expect(isReference('CD7K3M9R')).toBe(true);
  });

  it('are always found, however a description is padded and cased (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.string({ maxLength: 30 }), fc.boolean(), (before, after, lower) => {
        const ref = newReference();
        const text = `${before} ${lower ? ref.toLowerCase() : ref} ${after}`;
        expect(referencesIn(text).full).toContain(ref);
      }),
    );
  });
});

describe('statement values', () => {
  it('reads amounts as banks write them, refuses what is not an integer of dong', () => {
    expect(parseStatementAmount('1.500.000')).toBe(1_500_000);
    expect(parseStatementAmount('1500000')).toBe(1_500_000);
    expect(parseStatementAmount('1,500,000')).toBe(1_500_000);
    expect(parseStatementAmount('1,500,000.00')).toBe(1_500_000);
    expect(parseStatementAmount('1.500.000,00')).toBe(1_500_000);
    expect(parseStatementAmount('+1.500.000 VND')).toBe(1_500_000);
    expect(parseStatementAmount(1500000)).toBe(1_500_000);
    expect(parseStatementAmount('1.5')).toBeNull();
    expect(parseStatementAmount('1500000.50')).toBeNull();
    expect(parseStatementAmount('abc')).toBeNull();
    expect(parseStatementAmount('1.50.000')).toBeNull();
  });

  it('reads dd/MM/yyyy and yyyy-mm-dd, refuses dates that do not exist', () => {
    expect(parseStatementDate('03/11/2025')).toBe('2025-11-03');
    expect(parseStatementDate('3/1/2025 14:22:05')).toBe('2025-01-03');
    expect(parseStatementDate('2025-11-03')).toBe('2025-11-03');
    expect(parseStatementDate(new Date(Date.UTC(2025, 10, 3)))).toBe('2025-11-03');
    expect(parseStatementDate('31/02/2025')).toBeNull();
    expect(parseStatementDate('2025-13-01')).toBeNull();
    expect(parseStatementDate('hôm qua')).toBeNull();
  });

  it('finds each bank layout by its headers, below a title block, and names the missing columns', () => {
    const found = (header: string[]) => {
      const r = findLayout([['Sao kê'], [], header]);
      return 'found' in r ? `${r.found.layout.name}@${r.found.headerRow}` : r.missing.map((m) => m.field).join(',');
    };
    expect(found(['Ngày giao dịch', 'Số tham chiếu', 'Số tiền ghi nợ', 'Số tiền ghi có', 'Số dư', 'Mô tả'])).toBe('vietcombank@2');
    expect(found(['Ngày hạch toán', 'Diễn giải', 'Nợ', 'Có', 'Số dư', 'Số giao dịch'])).toBe('vietinbank@2');
    expect(found(['Ngày hiệu lực', 'Số tham chiếu', 'Ghi nợ', 'Ghi có', 'Số dư', 'Nội dung giao dịch'])).toBe('bidv@2');
    expect(found(['Ngày GD', 'Số CT', 'Phát sinh nợ', 'Phát sinh có', 'Số dư', 'Diễn giải'])).toBe('agribank@2');
    expect(found(['Ngày giao dịch', 'Đối tác/Remitter', 'Diễn giải/Description', 'Nợ/Debit', 'Có/Credit', 'Số dư', 'Mã giao dịch'])).toBe('techcombank@2');
    expect(found(['Ngày giao dịch', 'Số bút toán', 'Số tiền ghi nợ', 'Số tiền ghi có', 'Nội dung', 'Tên TK đối ứng'])).toBe('mb@2');
    expect(found(['date', 'amount', 'description', 'transaction_id'])).toBe('generic@2');
    expect(found(['Ngày', 'Tiền', 'Ghi chú'])).toBe('amount,description');
  });

  it('fingerprints lines by transaction id, else by content and rank among identical lines', () => {
    const l = { row: 1, bookedOn: '2025-11-03', amount: 100, description: 'Ủng hộ', transactionId: null, counterparty: null };
    expect(lineFingerprints([l, { ...l, description: 'ung ho' }, { ...l, transactionId: 'X' }])).toEqual(['d:2025-11-03|100|ung ho|1', 'd:2025-11-03|100|ung ho|2', 'id:X']);
  });
});

describe('matching', () => {
  const pledges = [
    { id: 'a', reference: 'CD7K3M9R', amount: 500_000, outstanding: 500_000, donorName: 'Nguyễn Văn An', pledgedOn: '2025-11-01' },
    { id: 'b', reference: 'CD7K3MAA', amount: 200_000, outstanding: 200_000, donorName: 'Trần Bình', pledgedOn: '2025-11-01' },
    { id: 'c', reference: 'CDXXXXXX', amount: 300_000, outstanding: 300_000, donorName: 'Lê Cường', pledgedOn: '2025-11-01' },
  ];
  const index = indexPledges(pledges);
  const line = (description: string, amount = 500_000) => ({ description, amount, bookedOn: '2025-11-05', counterparty: null });
  it('matches a whole reference automatically, whatever the amount', () => {
    expect(matchLine(line('IBFT cd7k3m9r'), index)).toEqual({ kind: 'auto', pledgeId: 'a', by: 'reference' });
    expect(matchLine(line('IBFT CD7K3M9R', 400_000), index)).toMatchObject({ kind: 'auto', pledgeId: 'a' });
  });
  it('matches a reference cut short only when one pledge starts so and the amount agrees', () => {
    expect(matchLine(line('NGUYEN VAN AN CD7K3M9'), index)).toMatchObject({ kind: 'auto', pledgeId: 'a', by: 'partial_reference' });
    expect(matchLine(line('NGUYEN VAN AN CD7K3M'), index).kind).toBe('suggest'); // two pledges start CD7K3M
    expect(matchLine(line('CDXXXX', 999), index).kind).toBe('suggest');
  });
  it('suggests by amount, name and date without a reference', () => {
    const m = matchLine(line('LE CUONG UNG HO', 300_000), index);
    expect(m).toEqual({ kind: 'suggest', suggestions: [{ pledgeId: 'c', score: 4 + 26 / 30 - 0 + 0, reasons: ['amount', 'name', 'date'] }].map((s) => ({ ...s, score: Math.round(s.score * 100) / 100 })) });
    expect(matchLine(line('no idea', 123), index)).toEqual({ kind: 'none' });
    expect(nameLikeness('Nguyễn Văn An', { description: 'NGUYEN VAN AN', counterparty: null })).toBe(1);
  });
});

describe('VietQR payload', () => {
  it('computes CRC-16/CCITT-FALSE as the standard check value', () => {
    expect(crc16Ccitt('123456789')).toBe('29B1');
  });
  it('matches the library example of NAPAS and reduces the purpose to ASCII', () => {
    // the README example of vietnam-qr-pay (ACB 970416), independently checked with crc16Ccitt
    const payload = vietQrPayload({ bin: '970416', account: '257678859', amount: 10000, purpose: 'Chuyển tiền' });
    expect(payload).toBe('00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811CHUYEN TIEN6304' + crc16Ccitt('00020101021238530010A0000007270123000697041601092576788590208QRIBFTTA53037045405100005802VN62150811CHUYEN TIEN6304'));
    expect(readEmv(payload).crcValid).toBe(true);
    expect(asciiPurpose('Ủng hộ đồng bào lũ lụt miền Trung năm 2024!')).toBe('UNG HO DONG BAO LU LUT MI');
    expect(() => vietQrPayload({ bin: '97041', account: '1' })).toThrow();
    expect(() => vietQrPayload({ bin: '970416', account: 'số 1' })).toThrow();
  });
});
