/**
 * A programme's money in the browser: create a programme, move it to raising, add a donor, a pledge and a
 * receipt, see the pledge reconciled and the balances, refuse a refund above the receipt's remainder,
 * record a smaller one, and go back a step only with a note.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logIn, pickUnit, screenshot, startServer, type RunningServer } from './harness';

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

describe('programme money in the browser', () => {
  it('creates a programme, records a pledge, a receipt and a refund, and shows the balances', async () => {
    await logIn(page, server);
    await page.getByTestId('nav-programmes').click();
    await page.getByTestId('programme-new').click();
    await page.getByTestId('programme-name').fill('Tặng thẻ BHYT Tết 2026');
    await pickUnit(page, 'programme-owner', 'lao cai', '15');
    await page.getByTestId('programme-purchase-date').fill('01/11/2025');
    await page.getByTestId('programme-deadline').fill('30/10/2025');
    await page.getByTestId('programme-submit').click();
    expect(await page.getByTestId('programme-deadline-error').textContent()).toBe('Hạn chót không được trước ngày mua thẻ');
    await page.getByTestId('programme-deadline').fill('30/11/2025');
    await page.getByTestId('programme-submit').click();
    await page.getByTestId('programme-page').waitFor();
    expect(await page.getByTestId('programme-title').textContent()).toBe('Tặng thẻ BHYT Tết 2026');

    // a status step asks first and changes nothing until confirmed
    await page.getByTestId('programme-next').click();
    expect(await page.getByTestId('programme-status-confirm').textContent()).toContain('Chuyển chương trình sang «Đang vận động»?');
    expect(await page.getByTestId('programme-status').first().getAttribute('data-status')).toBe('draft');
    await page.getByTestId('programme-status-confirm-yes').click();
    await expect.poll(() => page.getByTestId('programme-status').first().getAttribute('data-status')).toBe('raising');
    // going back needs a note
    await page.getByTestId('programme-previous').click();
    await expect.poll(() => page.getByTestId('programme-status-note-error').textContent()).toBe('Cần ghi lý do khi quay lại bước trước');
    expect(await page.getByTestId('programme-status').first().getAttribute('data-status')).toBe('raising');

    await page.getByTestId('programme-tab-money').click();
    await page.getByTestId('donor-name').fill('Công ty Điện lực Lào Cai');
    await page.getByTestId('donor-consent').check();
    await page.getByTestId('donor-submit').click();
    await page.getByTestId('donors-table').getByText('Công ty Điện lực Lào Cai').waitFor();

    await page.getByTestId('pledge-donor').selectOption({ label: 'Công ty Điện lực Lào Cai' });
    await page.getByTestId('pledge-amount').fill('50.000.000');
    await page.getByTestId('pledge-date').fill('01/10/2025');
    await page.getByTestId('pledge-submit').click();
    await page.getByTestId('pledge-row').waitFor();

    await page.getByTestId('receipt-donor').selectOption({ label: 'Công ty Điện lực Lào Cai' });
    await page.getByTestId('receipt-pledge').selectOption({ index: 1 });
    await page.getByTestId('receipt-amount').fill('32.800.000');
    await page.getByTestId('receipt-date').fill('05/10/2025');
    await page.getByTestId('receipt-reference').fill('UNC 0512');
    await page.getByTestId('receipt-submit').click();
    // the confirmation states the amount; nothing is recorded before it, and a double click records once
    expect(await page.getByTestId('receipt-confirm').textContent()).toContain('Ghi nhận khoản thu 32.800.000 ₫?');
    expect(await page.getByTestId('balance-received').textContent()).toBe('0 ₫');
    await page.getByTestId('receipt-confirm-yes').dblclick();
    await page.getByTestId('receipt-row').waitFor();
    await expect.poll(() => page.getByTestId('pledge-reconciled').textContent()).toBe('32.800.000 ₫ / 50.000.000 ₫');
    await expect.poll(() => page.getByTestId('balance-received').textContent()).toBe('32.800.000 ₫');

    await page.getByTestId('refund-receipt').selectOption({ index: 1 });
    await page.getByTestId('refund-amount').fill('40.000.000');
    await page.getByTestId('refund-submit').click();
    expect(await page.getByTestId('refund-amount-error').textContent()).toBe('Vượt số tiền còn lại của khoản thu (32.800.000 ₫)');
    await page.getByTestId('refund-amount').fill('800.000');
    await page.getByTestId('refund-reason').fill('Nộp thừa');
    await page.getByTestId('refund-submit').click();
    expect(await page.getByTestId('refund-confirm').textContent()).toContain('Hoàn trả 800.000 ₫ cho nhà hảo tâm?');
    await page.getByTestId('refund-confirm-yes').click();
    await expect.poll(() => page.getByTestId('balance-available').textContent()).toBe('32.000.000 ₫');
    expect(await page.getByTestId('balance-refunded').textContent()).toBe('800.000 ₫');
    expect(await page.getByTestId('balance-pledged').textContent()).toBe('50.000.000 ₫');
    await page.getByTestId('ledger-toggle').click();
    await page.getByTestId('ledger-table').waitFor();
    expect(await page.getByTestId('ledger-table').locator('tbody tr').count()).toBe(4);
    await screenshot(page, 'programme-money');

    await page.getByTestId('nav-programmes').click();
    await page.getByTestId('programme-row').waitFor();
    const row = await page.getByTestId('programme-row').textContent();
    expect(row).toContain('32.800.000 ₫');
    expect(row).toContain('32.000.000 ₫');
    expect(row).toContain('Quá hạn');
    await screenshot(page, 'programmes-list');
  });
});
