import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import path from 'node:path';
import { launchBrowser, logIn, screenshot, SCREENSHOTS, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the menu on a phone', () => {
  it('hides the menu behind a menu button on a 390 px screen, and the header does not stay pinned', async () => {
    const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    await logIn(page, server);
    await page.getByTestId('coverage-headline').waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, 'menu-390-closed.png') });
    const toggle = page.getByTestId('menu-toggle');
    expect(await toggle.isVisible()).toBe(true);
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await toggle.textContent()).toContain('Menu');
    expect(await page.getByTestId('nav-programmes').isVisible()).toBe(false);
    // a large target, and a header of one slim bar that scrolls away with the page
    const box = (await toggle.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect((await page.locator('header.topbar').boundingBox())!.height).toBeLessThan(140);
    expect(await page.locator('header.topbar').evaluate((el) => getComputedStyle(el).position)).not.toBe('sticky');

    await toggle.click();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.getByTestId('nav-programmes').waitFor({ state: 'visible' });
    await screenshot(page, 'menu-390-open');
    await page.getByTestId('nav-programmes').click();
    await expect.poll(() => new URL(page.url()).hash).toBe('#/programmes');
    // going somewhere closes the menu
    await expect.poll(() => toggle.getAttribute('aria-expanded')).toBe('false');
    expect(await page.getByTestId('nav-programmes').isVisible()).toBe(false);

    // the language switch is in the menu too; the button's label is translated
    expect(await toggle.getAttribute('aria-label')).toBe('Mở menu');
    await toggle.click();
    await page.getByTestId('lang-switch').selectOption('en');
    await expect.poll(() => toggle.getAttribute('aria-label')).toBe('Close the menu');
    expect(await toggle.textContent()).toContain('Menu');
    await page.close();
  });

  it('keeps the desktop header as it was: every link shown, no menu button', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(page, server);
    expect(await page.getByTestId('menu-toggle').isVisible()).toBe(false);
    expect(await page.getByTestId('nav-programmes').isVisible()).toBe(true);
    expect(await page.locator('header.topbar').evaluate((el) => getComputedStyle(el).position)).toBe('sticky');
    await page.close();
  });
});
