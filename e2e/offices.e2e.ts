/**
 * Issue 18 item 2 in the browser: a province's social insurance offices with the communes they serve, the
 * unit details forms print, the facilities and the collectors, entered by name (no codes to type but the
 * issued ones); a commune officer reads them and cannot change the offices. Screenshots at 1280 and 390 px.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

async function tick(page: Page, filter: string, code: string) {
  await page.getByTestId('office-commune-filter').fill(filter);
  await page.getByTestId(`office-commune-${code}`).check();
}

describe('social insurance offices, facilities and collectors', () => {
  it('a province admin enters the offices, a profile, a facility and a collector by name', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    const page = await context.newPage();
    await logIn(page, server);
    const post = await apiAs(context.request, server);
    await post('/api/units', { parentCode: '02905', code: 'T1', name: 'Thôn Phú Lâm' });
    await page.goto(`${server.url}/#/offices/15`);
    await page.getByTestId('offices-empty').waitFor();

    await page.getByTestId('office-new').click();
    expect(await page.getByTestId('office-kind').inputValue()).toBe('si_province');
    await page.getByTestId('office-code').fill('1000');
    await page.getByTestId('office-name').fill('Bảo hiểm xã hội tỉnh Lào Cai');
    await page.getByTestId('office-save').click();
    await page.getByTestId('office-1000').waitFor();

    await page.getByTestId('office-new').click();
    expect(await page.getByTestId('office-kind').inputValue()).toBe('si_grassroots');
    await page.getByTestId('office-code').fill('1005');
    await page.getByTestId('office-name').fill('Bảo hiểm xã hội cơ sở Bảo Thắng');
    await tick(page, 'bao thang', '02905');
    await tick(page, 'gia phu', '02923');
    await tick(page, 'tang loong', '02908');
    await tick(page, 'xuan quang', '02926');
    await page.getByTestId('office-save').click();
    await page.getByTestId('office-1005').waitFor();
    expect(await page.getByTestId('office-1005').textContent()).toContain('Phụ trách 4 xã: Xã Bảo Thắng');

    // a commune another office serves is refused with its name
    await page.getByTestId('office-new').click();
    await page.getByTestId('office-code').fill('1006');
    await page.getByTestId('office-name').fill('BHXH cơ sở khác');
    await tick(page, 'bao thang', '02905');
    await page.getByTestId('office-save').click();
    await expect.poll(() => page.getByTestId('office-form').textContent(), { timeout: 15_000 }).toContain('đã do Bảo hiểm xã hội cơ sở Bảo Thắng phụ trách');
    await page.getByTestId('office-form').getByRole('button', { name: 'Huỷ' }).click();

    await page.getByTestId('profile-unit').selectOption('02905');
    await page.getByTestId('profile-siCode').fill('TE0905A');
    await page.getByTestId('profile-taxCode').fill('12ab');
    await page.getByTestId('profile-save').click();
    await page.getByTestId('profile-taxCode-error').waitFor();
    await page.getByTestId('profile-taxCode').fill('5300123456');
    await page.getByTestId('profile-save').click();
    await expect.poll(() => page.locator('body').textContent(), { timeout: 15_000 }).toContain('Đã lưu thông tin của Xã Bảo Thắng');

    await page.getByTestId('facility-code').fill('10017');
    await page.getByTestId('facility-name').fill('Trung tâm Y tế Bảo Thắng');
    await page.getByTestId('facility-save').click();
    await page.getByTestId('facility-10017').waitFor();

    await page.getByTestId('collector-office').selectOption('1005');
    await page.getByTestId('collector-code').fill('NV100501');
    await page.getByTestId('collector-name').fill('Vàng Thị Dung');
    await page.getByTestId('collector-village-02905.T1').check();
    await page.getByTestId('collector-save').click();
    await page.getByTestId('collector-NV100501').waitFor();
    expect(await page.getByTestId('collector-NV100501').textContent()).toContain('Thôn Phú Lâm');
    await screenshot(page, 'offices-1280');

    const phone = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: 'vi-VN' });
    await logIn(phone, server);
    await phone.goto(`${server.url}/#/offices/15`);
    await phone.getByTestId('office-1005').waitFor();
    expect(await phone.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await screenshot(phone, 'offices-390');
    await phone.close();

    // a commune officer of Bảo Thắng reads the network and its own unit's details, and changes nothing
    await post('/api/users', { username: 'xa_bao_thang', displayName: 'Cán bộ xã Bảo Thắng', role: 'commune_officer', scopeCode: '02905', password: 'dong bo lua thom mua he' });
    const officer = await browser.newPage({ viewport: { width: 1280, height: 900 }, locale: 'vi-VN' });
    await logIn(officer, server, 'xa_bao_thang', 'dong bo lua thom mua he');
    await officer.goto(`${server.url}/#/offices`);
    await officer.getByTestId('office-1005').waitFor();
    expect(await officer.getByTestId('office-new').count()).toBe(0);
    expect(await officer.getByTestId('office-edit-1005').count()).toBe(0);
    // the profile form is there for their own unit (its values are checked in offices.test.ts)
    await officer.getByTestId('profile-form').waitFor();
    await officer.close();
    await context.close();
  });
});
