import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('foundation in the browser', () => {
  it('shows the login page in Vietnamese and refuses a wrong password', async () => {
    await page.goto(server.url);
    await page.getByTestId('login-username').fill('admin');
    await page.getByTestId('login-password').fill('sai mat khau');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('error-banner').textContent()).toContain('Tên đăng nhập hoặc mật khẩu không đúng');
    await screenshot(page, 'login-error');
  });

  it('logs in, browses to Lào Cai and its communes, and opens Xã Bảo Thắng', async () => {
    await logIn(page, server);
    // a national admin lands on the default dashboard (Lào Cai's coverage page)
    await expect.poll(() => new URL(page.url()).hash).toBe('#/coverage/15');
    await page.getByTestId('nav-units').click();
    await page.getByTestId('unit-item-15').click();
    await expect.poll(() => page.getByTestId('unit-list').locator('[data-testid^="unit-item-"]').count()).toBe(99);
    await expect.poll(() => page.getByTestId('breadcrumb').textContent()).toContain('Lào Cai');
    await screenshot(page, 'lao-cai-communes');
    await page.getByTestId('unit-item-02905').click();
    await expect.poll(() => page.getByTestId('breadcrumb').textContent()).toContain('Xã Bảo Thắng');
  });

  it('adds a village to the commune', async () => {
    await page.getByTestId('village-code').fill('T01');
    await page.getByTestId('village-name').fill('Thôn Phú Lâm');
    await page.getByTestId('village-submit').click();
    await page.getByTestId('unit-item-02905.T01').waitFor();
    expect(await page.getByTestId('unit-item-02905.T01').textContent()).toContain('Thôn Phú Lâm');
    await screenshot(page, 'bao-thang-villages');
  });

  it('searches a commune by name typed without diacritics', async () => {
    await page.getByTestId('nav-units').click();
    await page.getByTestId('unit-search').fill('bao thang');
    await page.getByTestId('unit-search').press('Enter');
    await expect.poll(() => page.getByTestId('unit-search-results').textContent()).toContain('Xã Bảo Thắng');
    await screenshot(page, 'search-bao-thang');
  });

  it('keeps a deep link through the login: the user goes where they were going', async () => {
    const visitor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await visitor.goto(`${server.url}/#/rules`);
    await visitor.getByTestId('login-username').fill('admin');
    await visitor.getByTestId('login-password').fill(server.adminPassword);
    await visitor.getByTestId('login-submit').click();
    await visitor.getByTestId('logout').waitFor();
    await expect.poll(() => new URL(visitor.url()).hash).toBe('#/rules');
    await visitor.close();
  });

  it('switches to English', async () => {
    await page.getByTestId('lang-switch').selectOption('en');
    await expect.poll(async () => (await page.textContent('body')) ?? '').toMatch(/Administrative units|Log out/);
  });
});

describe('premium calculator (public)', () => {
  it('prices a household of GD, GD, HS without login and shows the legal sources', async () => {
    const visitor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await visitor.goto(`${server.url}/#/calculator`);
    // typed as people write dates (dd/MM/yyyy), not the browser's own date format
    await visitor.getByTestId('calc-date').fill('01/09/2025');
    await visitor.getByTestId('calc-months').fill('12');
    while ((await visitor.locator('select[data-testid^="calc-member-"][data-testid$="-group"]').count()) < 3) await visitor.getByTestId('calc-add-member').click();
    await visitor.getByTestId('calc-member-0-group').selectOption('GD');
    await visitor.getByTestId('calc-member-1-group').selectOption('GD');
    await visitor.getByTestId('calc-member-2-group').selectOption('HS');
    await visitor.getByTestId('calc-submit').click();
    await expect.poll(() => visitor.getByTestId('calc-total').textContent()).toContain('2.779.920 ₫');
    expect(await visitor.getByTestId('calc-result-row-1').textContent()).toContain('884.520 ₫');
    // in Vietnamese: groups by name, rules by what they say, legal sources translated
    expect(await visitor.getByTestId('calc-result-row-2-group').textContent()).toBe('Học sinh (HS)');
    const rules = await visitor.getByTestId('calc-rules').textContent();
    expect(rules).toContain('Nghị định 73/2024/NĐ-CP');
    expect(await visitor.getByTestId('calc-rule-base-salary-2024-07-01-value').textContent()).toBe('2.340.000 ₫/tháng');
    expect(rules).not.toMatch(/\b(Decree|Law|Decision)\b/);
    await screenshot(visitor, 'calculator');
    await visitor.close();
  });
});
