/**
 * Issue 20 item 6 in the browser: the renewal reminders of the demo province (persons whose card ends within
 * 30 days, by collector and by village, with their texts), the CSV recorded as sent (the list empties:
 * nobody twice for the same card, end date and offset), the renewal rate panel. Screenshots at 1280 and 390 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ COVERDESK_DEMO: '1' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('renewal reminders', () => {
  it('lists who to remind by village, exports the CSV recorded as sent, and shows the renewal rate', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 1000 }, locale: 'vi-VN', acceptDownloads: true });
    const page = await context.newPage();
    await logIn(page, server);
    // the commune of the demo province with the most persons to remind
    const all = (await (await context.request.get(`${server.url}/api/reminders?unit=15`)).json()) as { villages: { communeCode: string; persons: number }[] };
    const per = new Map<string, number>();
    for (const v of all.villages) per.set(v.communeCode, (per.get(v.communeCode) ?? 0) + v.persons);
    const commune = [...per.entries()].sort((a, b) => b[1] - a[1])[0][0];

    await page.goto(`${server.url}/#/reminders/${commune}`);
    const summary = page.getByTestId('reminders-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toMatch(/^\d[\d.]* người/);
    await page.getByTestId('reminders-village').first().locator('summary').click();
    const row = page.getByTestId('reminders-items').locator('tbody tr').first();
    await row.waitFor();
    const text = (await row.textContent()) ?? '';
    expect(text).toMatch(/BHXH nhắc: thẻ BHYT của .+ hết hạn ngày \d{2}\/\d{2}\/\d{4}/);
    expect(text).toMatch(/\d{1,3}(\.\d{3})+ ₫/);
    await page.getByTestId('reminders-rate-table').waitFor();
    await screenshot(page, 'reminders-commune');

    const download = page.waitForEvent('download');
    await page.getByTestId('reminders-export-mark').click();
    expect((await download).suggestedFilename()).toMatch(/^nhac-gia-han-.*\.csv$/);
    await page.getByText(/Đã ghi nhận \d+ nhắc/).waitFor();
    // those exported are off the list now (counted as reminded); those without a phone stay
    await page.getByText(/[1-9][\d.]* đã được nhắc/).waitFor();
    // the list came again (villages folded): open the first one
    await page.getByTestId('reminders-village').first().locator('summary').click();
    await page.getByTestId('reminders-items').first().waitFor();
    await screenshot(page, 'reminders-after-export');
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByTestId('reminders-items').first().waitFor();
    await screenshot(page, 'reminders-phone');
    await context.close();
  });
});
