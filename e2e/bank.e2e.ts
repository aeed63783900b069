/**
 * Bank transfers in the browser (issue 22): a programme with a receiving account (through the API); a
 * visitor pledges on the public page and gets a VietQR code, read back from the page's image with jsQR
 * to the EMVCo payload (bank, account, amount, reference); staff add an account on the Transfers tab,
 * import the bank's statement whose description mangles the reference, and see the line matched to the
 * pledge automatically (its receipt in the balances) and the reconciliation balanced; an unmatched line
 * is matched by hand from a suggestion, then undone.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { apiAs, launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';
import { readEmv } from '../src/domain/vietqr';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const iso = (d: Date) => d.toISOString().slice(0, 10);
const dmy = (isoDate: string) => isoDate.split('-').reverse().join('/');

describe('bank transfers in the browser', () => {
  let programme: { id: string; publicSlug: string };
  let reference = '';
  const today = iso(new Date());

  it('a programme raising money with a receiving account, made through the API', async () => {
    await logIn(page, server);
    const post = await apiAs(page.request, server);
    const deadline = iso(new Date(Date.now() + 30 * 86_400_000));
    programme = await post('/api/programmes', { name: 'Tặng thẻ BHYT vùng lũ', ownerUnitCode: '15', areaKind: 'province', cardMonths: 12, purchaseDate: today, deadline });
    await post(`/api/programmes/${programme.id}/status`, { to: 'raising', confirm: true });
    await post(`/api/programmes/${programme.id}/bank-accounts`, { bin: '970436', accountNumber: '0071000999888', accountName: 'UBND TINH LAO CAI' });
    const donor = await post<{ id: string }>('/api/donors', { ownerUnitCode: '15', kind: 'individual', name: 'Vũ Thị Lan' });
    await post(`/api/programmes/${programme.id}/pledges`, { donorId: donor.id, amount: 700_000, pledgedOn: today });
  });

  it('gives a public pledge its VietQR code, which a QR reader reads to the right payload', async () => {
    const visitor = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await visitor.goto(`${server.url}/#/p/${programme.publicSlug}`);
    await visitor.getByTestId('pledge-form').waitFor();
    await visitor.getByTestId('pledge-name').fill('Đặng Văn Hùng');
    await visitor.getByTestId('pledge-contact').fill('0912 345 678');
    await visitor.getByTestId('pledge-amount').fill('1.263.600');
    await visitor.getByTestId('pledge-submit').click();
    await visitor.getByTestId('pledge-qr').waitFor();
    reference = (await visitor.getByTestId('pledge-reference').textContent())!;
    expect(reference).toMatch(/^CD[34679ACEFGHKMNPRTWXY]{6}$/);
    // the image as the browser shows it, read back
    const image = visitor.getByTestId('pledge-qr-image');
    await image.scrollIntoViewIfNeeded();
    const png = PNG.sync.read(await image.screenshot());
    const read = jsQR(new Uint8ClampedArray(png.data), png.width, png.height);
    expect(read).not.toBeNull();
    const { fields, crcValid } = readEmv(read!.data);
    expect(crcValid).toBe(true);
    expect(fields['38'].sub!['01'].sub!['00'].value).toBe('970436');
    expect(fields['38'].sub!['01'].sub!['01'].value).toBe('0071000999888');
    expect(fields['54'].value).toBe('1263600');
    expect(fields['53'].value).toBe('704');
    expect(fields['58'].value).toBe('VN');
    expect(fields['62'].sub!['08'].value).toBe(reference);
    // nothing of the donor on the page but what they typed
    expect(await visitor.getByTestId('pledge-thanks').textContent()).toContain('UBND TINH LAO CAI');
    await screenshot(visitor, 'bank-public-qr-390');
    await visitor.setViewportSize({ width: 1280, height: 900 });
    await screenshot(visitor, 'bank-public-qr');
    await visitor.close();
  });

  it('imports the statement, matches the mangled reference automatically, balances, and matches and undoes by hand', async () => {
    await page.goto(`${server.url}/#/programmes/${programme.id}/bank`);
    await page.getByTestId('bank-tab').waitFor();
    expect(await page.getByTestId('bank-accounts').textContent()).toContain('0071000999888');
    // a second account through the form
    await page.getByTestId('bank-bin').selectOption('970422');
    await page.getByTestId('bank-account-number').fill('0123456789');
    await page.getByTestId('bank-account-name').fill('UBND TINH LAO CAI');
    await page.getByTestId('bank-account-submit').click();
    await expect.poll(() => page.getByTestId('bank-accounts').locator('tbody tr').count()).toBe(2);

    const mangled = `MBVCB.8812.IBFT.${reference.slice(0, 4).toLowerCase()} ${reference.slice(4)}.DANG VAN HUNG ung ho`;
    const csv = [
      'STT,Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Số dư,Mô tả',
      `1,${dmy(today)},FT25001,,1.263.600,1.263.600,"${mangled}"`,
      `2,${dmy(today)},FT25002,,700.000,1.963.600,"VU THI LAN CHUYEN TIEN"`,
      `3,${dmy(today)},FT25003,11.000,,1.952.600,"Phi SMS"`,
    ].join('\n');
    await page.getByTestId('bank-import-account').selectOption({ index: 0 });
    // a file whose columns no layout knows is refused, naming what is missing
    await page.getByTestId('bank-import-file').setInputFiles({ name: 'sai.csv', mimeType: 'text/csv', buffer: Buffer.from('Ngày,Tiền\n01/11/2025,1000\n') });
    await page.getByTestId('bank-import-submit').click();
    await expect.poll(async () => (await page.getByTestId('bank-import-form').textContent()) ?? '').toContain('thiếu cột');
    await page.getByTestId('bank-import-file').setInputFiles({ name: 'vcb.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('bank-import-submit').click();
    await expect.poll(async () => (await page.getByTestId('bank-import-result').textContent()) ?? '').toContain('Đã nhập 2 dòng (2 mới, 0 trùng): tự đối chiếu 1, có gợi ý 1, chưa đối chiếu 0.');
    await expect.poll(() => page.getByTestId('bank-report-total').textContent()).toBe('1.963.600 ₫');
    expect(await page.getByTestId('bank-report-matched').textContent()).toBe('1.263.600 ₫');
    expect(await page.getByTestId('bank-report-unmatched').textContent()).toBe('700.000 ₫');
    expect(await page.getByTestId('bank-report').getAttribute('data-balanced')).toBe('true');
    const sheet = await page.request.get(`${server.url}${await page.getByTestId('bank-report-xlsx').getAttribute('href')}`);
    expect(sheet.status()).toBe(200);
    expect(sheet.headers()['content-type']).toContain('spreadsheetml');
    const auto = page.getByTestId('bank-line').filter({ hasText: 'FT25001' });
    expect(await auto.getByTestId('bank-line-match').textContent()).toContain(reference);
    await screenshot(page, 'bank-tab-imported');

    // the same statement again adds nothing
    await page.getByTestId('bank-import-submit').click();
    await expect.poll(async () => (await page.getByTestId('bank-import-result').textContent()) ?? '').toContain('(0 mới, 2 trùng)');

    // the line without a reference: matched by hand from the suggestion (same amount, the donor's name)
    const other = page.getByTestId('bank-line').filter({ hasText: 'FT25002' });
    await other.getByTestId('bank-match').first().click();
    expect(await other.getByTestId('bank-match-confirm').textContent()).toContain('Ghi nhận 700.000 ₫ từ dòng sao kê này vào cam kết');
    await other.getByTestId('bank-match-confirm-yes').click();
    await expect.poll(() => page.getByTestId('bank-report-unmatched').textContent()).toBe('0 ₫');

    // undo it: back to unmatched, reversed in the ledger
    await page.getByTestId('bank-line').filter({ hasText: 'FT25002' }).getByTestId('bank-undo').click();
    await page.getByTestId('bank-undo-confirm-yes').click();
    await expect.poll(() => page.getByTestId('bank-report-unmatched').textContent()).toBe('700.000 ₫');

    await page.getByTestId('programme-tab-money').click();
    await expect.poll(() => page.getByTestId('balance-received').textContent()).toBe('1.263.600 ₫');
  });

  it("lets the donor check their money by reference and by the bank's transaction id, and shows it on the public ledger", async () => {
    const visitor = await browser.newPage({ viewport: { width: 390, height: 844 } });
    await visitor.goto(`${server.url}/#/check/${reference}`);
    await expect.poll(async () => (await visitor.getByTestId('check-receipts').textContent().catch(() => '')) ?? '').toBe(`Đã nhận 1.263.600 ₫ ngày ${dmy(today)}`);
    expect(await visitor.getByTestId('check-result').textContent()).toContain('Tặng thẻ BHYT vùng lũ');
    expect(await visitor.getByTestId('check-result').textContent()).not.toContain('Đặng Văn Hùng');
    await screenshot(visitor, 'donor-check-390');
    // by the transaction id and amount as on the donor's own statement
    await visitor.goto(`${server.url}/#/check`);
    await visitor.reload();
    await visitor.getByTestId('check-by-transaction').click();
    await visitor.getByTestId('check-transaction').fill('ft25001');
    await visitor.getByTestId('check-amount').fill('1.263.600');
    await visitor.getByTestId('check-submit').click();
    await expect.poll(async () => (await visitor.getByTestId('check-receipts').textContent().catch(() => '')) ?? '').toContain('1.263.600 ₫');
    // a wrong amount finds nothing, and says what to check
    await visitor.getByTestId('check-amount').fill('1.263.000');
    await visitor.getByTestId('check-submit').click();
    await expect.poll(async () => (await visitor.getByTestId('check-form').textContent()) ?? '').toContain('Không tìm thấy khoản đóng góp');

    await visitor.goto(`${server.url}/#/p/${programme.publicSlug}`);
    await visitor.getByTestId('public-ledger-link').click();
    await visitor.getByTestId('ledger-rows').waitFor();
    expect(await visitor.getByTestId('ledger-totals').textContent()).toContain('1.263.600 ₫');
    const rows = await visitor.getByTestId('ledger-rows').locator('tbody tr').allTextContents();
    expect(rows.join('|')).toContain('Nhà hảo tâm ẩn danh');
    expect(rows.join('|')).not.toContain('Đặng Văn Hùng');
    await screenshot(visitor, 'public-ledger-390');
    await visitor.setViewportSize({ width: 1280, height: 900 });
    await visitor.getByTestId('ledger-search').fill('1.263.600');
    await visitor.keyboard.press('Enter');
    await expect.poll(async () => (await visitor.getByTestId('ledger-found').textContent().catch(() => '')) ?? '').toContain('Tìm thấy 1 khoản');
    const csv = await visitor.request.get(`${server.url}${await visitor.getByTestId('ledger-csv').getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    expect(await csv.text()).toContain('1263600');
    await screenshot(visitor, 'public-ledger');
    await visitor.close();
  });

  it('keeps the Transfers tab usable on a phone', async () => {
    await page.goto(`${server.url}/#/programmes/${programme.id}/bank`);
    await page.getByTestId('bank-tab').waitFor();
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'bank-tab-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });
});
