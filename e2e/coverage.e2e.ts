import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import path from 'node:path';
import { launchBrowser, logIn, screenshot, SCREENSHOTS, startServer, type RunningServer } from './harness';

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

/** Calls the API as the admin (login, then the request with the session cookie and CSRF token). */
async function asAdmin(method: string, path: string, body: unknown) {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: server.adminPassword }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const res = await fetch(`${server.url}${path}`, { method, headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json();
}

describe('coverage dashboard', () => {
  it("shows staff members' progress against their targets, and offers each table as .xlsx and the dashboard as PDF", async () => {
    const year = new Date().getFullYear();
    await asAdmin('POST', '/api/users', { username: 'lan_e2e', displayName: 'Nguyễn Thị Lan', role: 'province_staff', scopeCode: '15', password: 'correct horse battery' });
    await asAdmin('PUT', '/api/coverage/staff-targets', { username: 'lan_e2e', year, participants: 1200 });
    // a page of its own (its own cookies): the next test logs in afresh
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await logIn(page, server);
    await page.goto(`${server.url}/#/coverage/15`);
    await page.getByTestId('coverage-staff-row-lan_e2e').waitFor();
    expect(await page.getByTestId('coverage-staff-row-lan_e2e').textContent()).toContain('Nguyễn Thị Lan');
    expect(await page.getByTestId('coverage-staff-row-lan_e2e').textContent()).toContain('1.200');
    // the date field reads dd/MM/yyyy like every other date field, whatever the browser's locale
    const shownDate = await page.getByTestId('coverage-date').inputValue();
    expect(shownDate).toMatch(/^\d{2}\/\d{2}\/\d{4}$/);
    expect(await page.getByTestId('coverage-staff-xlsx').getAttribute('href')).toBe(`/api/coverage/15/export?table=staff&date=${shownDate.split('/').reverse().join('-')}&year=${year}`);
    expect(await page.getByTestId('coverage-xlsx').getAttribute('href')).toContain('/api/coverage/15/export?table=children');
    // the .csv button says how to open it without losing leading zeros, and points to the .xlsx
    expect(await page.getByTestId('coverage-export').getAttribute('title')).toContain('kiểu Văn bản');
    expect(await page.getByTestId('coverage-pdf').getAttribute('href')).toContain('/api/coverage/15/pdf?date=');
    // the .xlsx link downloads a workbook
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('coverage-xlsx').click()]);
    expect(download.suggestedFilename()).toMatch(/^bao-phu-theo-don-vi-15-\d{4}-\d{2}-\d{2}\.xlsx$/);
    await page.getByTestId('coverage-staff').scrollIntoViewIfNeeded();
    await screenshot(page, 'coverage-staff-exports');
    await page.getByTestId('coverage-staff').screenshot({ path: path.join(SCREENSHOTS, 'coverage-staff.png') });
    // a date typed as dd/MM/yyyy moves the dashboard to that day
    await page.getByTestId('coverage-date').fill('31/10/2025');
    await expect.poll(() => page.getByTestId('coverage-pdf').getAttribute('href'), { timeout: 20_000 }).toContain('/api/coverage/15/pdf?date=2025-10-31');
    await page.getByTestId('coverage-date').screenshot({ path: path.join(SCREENSHOTS, 'coverage-date-field.png') });
    await page.close();
  });

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
    // the commune's sections below the headline are folded: open the table of villages
    await page.getByTestId('fold-table').locator('summary').click();
    // the commune's own table (its villages' codes start with the commune's), not the province's still on screen
    await page.getByTestId('coverage-table').locator(`[data-testid^="coverage-row-${commune}."]`).first().waitFor();
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
    expect(await page.getByTestId('visits-csv').getAttribute('title')).toContain('.xlsx');
    await screenshot(page, 'coverage-village-visits');
  });

  it("enters a commune's reported figures and the year's target in the web, and the dashboard's % of plan fills in", async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await logIn(page, server);
    // Xã Bát Xát: no plan yet
    await page.goto(`${server.url}/#/coverage/02683`);
    await page.getByTestId('coverage-pct-plan').waitFor();
    expect(await page.getByTestId('coverage-pct-plan').textContent()).toContain('—');
    // a commune's long sections are folded, closed, below the headline figures
    for (const id of ['fold-trend', 'fold-table', 'fold-staff', 'fold-visits']) expect(await page.getByTestId(id).getAttribute('open')).toBeNull();
    const closedHeight = await page.evaluate(() => document.documentElement.scrollHeight);
    expect(closedHeight).toBeLessThan(4000);
    await screenshot(page, 'coverage-commune-folded');

    await page.getByTestId('coverage-figures').locator('summary').click();
    const shownDate = await page.getByTestId('coverage-date').inputValue();
    expect(await page.getByTestId('figure-asOf').inputValue()).toBe(shownDate);
    await page.getByTestId('figure-participants').fill('7.000');
    await page.getByTestId('figure-population').fill('8000');
    await page.getByTestId('figure-plan').fill('7.500');
    await page.getByTestId('figure-planDecision').fill('462/QĐ-BHXH');
    await page.getByTestId('figure-save').click();
    await page.getByTestId('figure-form').getByTestId('notice').waitFor();
    expect(await page.getByTestId('figure-form').getByTestId('notice').textContent()).toContain(`Đã lưu số liệu ngày ${shownDate}`);
    // the dashboard reads the figures again: % kế hoạch is filled
    await expect.poll(() => page.getByTestId('coverage-pct-plan').textContent()).toMatch(/\d+,\d{2}\s*%/);
    expect(await page.getByTestId('coverage-plan').textContent()).toContain('7.500');
    expect(await page.getByTestId('coverage-plan').textContent()).toContain('462/QĐ-BHXH');

    // the year's target
    await page.getByTestId('target-value').fill('96,5');
    await page.getByTestId('target-save').click();
    await page.getByTestId('target-form').getByTestId('notice').waitFor();
    expect(await page.getByTestId('target-form').getByTestId('notice').textContent()).toMatch(/Đã lưu mục tiêu năm \d{4}: 96,50\s*%/);

    // a figures file with two bad rows: nothing written, every bad cell listed
    const csv = ['Mã đơn vị,Ngày,Số người tham gia,Chỉ tiêu', '02683,31/13/2025,7.100,7.500', '99999,30/11/2025,abc,1', '02683,30/11/2025,7.100,7.500'].join('\n');
    await page.getByTestId('figure-file').setInputFiles({ name: 'so-lieu.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await page.getByTestId('figure-upload-submit').click();
    await page.getByTestId('figure-import-errors').waitFor();
    const errors = await page.getByTestId('figure-import-errors').locator('tbody tr').allTextContents();
    expect(errors.length).toBeGreaterThanOrEqual(3);
    expect(errors.join(' ')).toContain('31/13/2025');
    expect(errors.join(' ')).toContain('abc');
    expect(await page.getByTestId('figure-import-report').textContent()).toContain('Không ghi gì');
    await page.getByTestId('coverage-figures').screenshot({ path: path.join(SCREENSHOTS, 'coverage-figures-entry.png') });

    // the projection and the register export
    await page.getByTestId('coverage-projection').locator('summary').click();
    await page.getByTestId('projection-run').click();
    await page.getByTestId('projection-result').waitFor();
    expect(await page.getByTestId('projection-result').textContent()).toContain('96,50');
    expect(await page.getByTestId('coverage-register-xlsx').getAttribute('href')).toBe('/api/register/export?unit=02683&what=persons&format=xlsx');
    await page.getByTestId('coverage-headline').scrollIntoViewIfNeeded();
    await screenshot(page, 'coverage-commune-figures');
    await page.close();
  });
});
