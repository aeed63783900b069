import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('voluntary social insurance beside BHYT in the calculator and on the rules page', () => {
  it('quotes each member at the lowest income or a typed one, with who pays which share (Decree 159/2025/NĐ-CP)', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    await page.goto(`${server.url}/#/calculator`);
    await page.getByTestId('calc-date').fill('01/09/2025');
    await page.getByTestId('calc-months').fill('12');
    while ((await page.locator('select[data-testid^="calc-member-"][data-testid$="-group"]').count()) < 3) await page.getByTestId('calc-add-member').click();
    await page.getByTestId('calc-member-0-group').selectOption('HN');
    await page.getByTestId('calc-member-1-group').selectOption('CN');
    await page.getByTestId('calc-member-2-group').selectOption('GD');
    await page.getByTestId('calc-submit').click();
    // one month at 1.500.000 ₫: poor pays 165.000 ₫, near-poor 198.000 ₫, others 264.000 ₫ (suggested from HN, CN, GD)
    await expect.poll(() => page.getByTestId('vsi-row-2-payable').textContent()).toBe('264.000 ₫');
    expect(await page.getByTestId('vsi-row-0-payable').textContent()).toBe('165.000 ₫');
    expect(await page.getByTestId('vsi-row-1-payable').textContent()).toBe('198.000 ₫');
    expect(await page.getByTestId('vsi-row-1-state').textContent()).toContain('132.000 ₫');
    // an income typed for one member: 22% x 5.000.000 = 1.100.000 ₫, the state still 66.000 ₫: 1.034.000 ₫
    await page.getByTestId('vsi-member-2-income').fill('5.000.000');
    await expect.poll(() => page.getByTestId('vsi-row-2-payable').textContent()).toBe('1.034.000 ₫');
    expect(await page.getByTestId('vsi-total-payable').textContent()).toBe('1.397.000 ₫');
    const rules = (await page.getByTestId('vsi-rules').textContent()) ?? '';
    expect(rules).toContain('Nghị định 159/2025/NĐ-CP');
    expect(rules).not.toMatch(/\b(Decree|Law)\b/);
    await screenshot(page, 'calculator-voluntary-si');
    await page.getByTestId('vsi-panel').screenshot({ path: 'test-results/screenshots/calculator-voluntary-si-panel.png' });
    // an income under the floor: refused on that member's row, naming both amounts
    await page.getByTestId('vsi-member-2-income').fill('1.000.000');
    await expect.poll(() => page.getByTestId('vsi-member-2-income-error').textContent()).toContain('1.500.000 ₫');
    expect(await page.getByTestId('vsi-member-2-income-error').textContent()).toContain('46.800.000 ₫');
    await page.close();
  });

  it('lists the voluntary social insurance rules with their sources in Vietnamese on the rules page', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    await logIn(page, server);
    await page.goto(`${server.url}/#/rules`);
    await page.getByTestId('rules-date').fill('01/03/2026');
    await expect.poll(() => page.getByTestId('rules-vsi').textContent()).toContain('Hộ nghèo: 50% của 22% chuẩn nghèo khu vực nông thôn');
    const text = (await page.getByTestId('rules-vsi').textContent()) ?? '';
    expect(text).toContain('Luật Bảo hiểm xã hội 41/2024/QH15, Điều 36');
    await page.getByTestId('rule-rural-poverty-line-2026-01-01-uncertain').waitFor();
    await page.getByTestId('rules-vsi').screenshot({ path: 'test-results/screenshots/rules-voluntary-si.png' });
    await page.close();
  });
});
