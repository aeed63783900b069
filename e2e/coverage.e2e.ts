import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ COVERDESK_DEMO: '1' }), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('coverage dashboard', () => {
  it("opens the demo province's dashboard with the chart and the commune table, and drills down to a village's visit list", async () => {
    await logIn(page, server);
    await page.getByTestId('nav-coverage').click();
    await page.getByTestId('coverage-chart').locator('canvas').first().waitFor();
    await expect.poll(() => page.getByTestId('coverage-table').locator('[data-testid^="coverage-row-"]').count()).toBe(99);
    expect(await page.getByTestId('coverage-headline').textContent()).toMatch(/\d/);
    await screenshot(page, 'coverage-province');

    // the first commune with a register (its participants are a number)
    const rows = page.getByTestId('coverage-table').locator('[data-testid^="coverage-row-"]');
    let commune = '';
    for (let i = 0; i < (await rows.count()) && !commune; i++) {
      const row = rows.nth(i);
      if (/\d/.test((await row.textContent()) ?? '') && !/—\s*—/.test((await row.textContent()) ?? '')) commune = ((await row.getAttribute('data-testid')) ?? '').replace('coverage-row-', '');
    }
    expect(commune).not.toBe('');
    await page.getByTestId(`coverage-link-${commune}`).click();
    await expect.poll(() => page.getByTestId('coverage-breadcrumb').textContent()).toContain('Lào Cai');
    await page.getByTestId('coverage-table').locator('[data-testid^="coverage-row-"]').first().waitFor();
    const village = ((await page.getByTestId('coverage-table').locator('[data-testid^="coverage-row-"]').first().getAttribute('data-testid')) ?? '').replace('coverage-row-', '');
    await page.getByTestId(`coverage-link-${village}`).click();
    // the village's list for a visiting team: people without a card, else cards ending soon
    await page.getByTestId('visits').waitFor();
    await page.locator('[data-testid="visits-table"], [data-testid="visits-empty"]').first().waitFor();
    if (await page.getByTestId('visits-empty').isVisible()) {
      await page.getByTestId('visits-tab-expiring').click();
      await page.getByTestId('visits-days').selectOption('90');
    }
    await expect.poll(() => page.locator('[data-testid^="visits-row-"]').count()).toBeGreaterThan(0);
    expect(await page.getByTestId('visits-xlsx').getAttribute('href')).toContain('format=xlsx');
    await screenshot(page, 'coverage-village-visits');
  });
});
