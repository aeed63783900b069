/**
 * Voluntary social insurance periods in the browser (issue 20 item 2): a member's periods under their
 * cards (a refusal named next to the income, then a period added), and the coverage page's panel of
 * participants, new participants and plan on the demo province.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Browser, Page } from 'playwright-core';
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

async function asAdmin(method: string, url: string, body: unknown) {
  const login = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: server.adminPassword }),
  });
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0];
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const res = await fetch(`${server.url}${url}`, { method, headers: { 'content-type': 'application/json', cookie, 'x-csrf-token': csrfToken }, body: JSON.stringify(body) });
  expect(res.status, await res.clone().text()).toBeLessThan(300);
  return res.json() as Promise<Record<string, string>>;
}

describe('voluntary social insurance periods', () => {
  it("adds a member's period under their cards; an income under the floor is refused naming both amounts", async () => {
    const household = await asAdmin('POST', '/api/register/households', { communeCode: '02905', code: 'VSI01' });
    const person = await asAdmin('POST', '/api/register/persons', { householdId: household.id, fullName: 'Phạm Văn Tự', birthDate: '1990-04-02', sex: 'male', citizenId: '001090044444', relationship: 'head' });
    await logIn(page, server);
    await page.goto(`${server.url}/#/register/household/${household.id}`);
    await page.getByTestId(`member-toggle-${person.id}`).click();
    expect(await page.getByTestId(`member-vsi-${person.id}`).textContent()).toContain('Chưa tham gia BHXH tự nguyện');
    await page.getByTestId(`member-add-vsi-${person.id}`).click();
    await page.getByTestId('vsi-from').fill('01/01/2025');
    await page.getByTestId('vsi-to').fill('31/03/2025');
    await page.getByTestId('vsi-income').fill('1.000.000');
    await page.getByTestId('vsi-months').selectOption('3');
    await page.getByTestId('vsi-submit').click();
    await expect.poll(() => page.getByTestId(`add-vsi-form-${person.id}`).textContent()).toContain('1.500.000 ₫');
    expect(await page.getByTestId(`add-vsi-form-${person.id}`).textContent()).toContain('46.800.000 ₫');
    await screenshot(page, 'vsi-period-refused');
    await page.getByTestId('vsi-income').fill('2.000.000');
    await page.getByTestId('vsi-submit').click();
    await expect.poll(() => page.getByTestId(`member-vsi-${person.id}`).textContent()).toContain('2.000.000 ₫');
    expect(await page.getByTestId(`member-vsi-${person.id}`).textContent()).toContain('31/03/2025');
    await screenshot(page, 'vsi-period-added');
    await page.getByTestId(`member-vsi-${person.id}`).screenshot({ path: path.join(SCREENSHOTS, 'vsi-periods.png') });
  });

  it("shows the province's participants per commune against the plan on the coverage page", async () => {
    const year = new Date().getFullYear();
    await asAdmin('PUT', '/api/coverage/targets', { unitCode: '15', year, kind: 'participants', value: 500, product: 'bhxh-tn' });
    await page.goto(`${server.url}/#/coverage/15`);
    await page.getByTestId('coverage-vsi-total').waitFor();
    const total = await page.getByTestId('coverage-vsi-total').textContent();
    expect(total).toContain('500');
    await expect.poll(async () => (await page.getByTestId('coverage-vsi').locator('[data-testid^="coverage-vsi-row-"]').count()) > 1).toBe(true);
    await page.getByTestId('coverage-vsi').scrollIntoViewIfNeeded();
    await page.getByTestId('coverage-vsi').screenshot({ path: path.join(SCREENSHOTS, 'coverage-vsi.png') });
  });

  it('imports a workbook whose second sheet holds periods, and says what the sheet did', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-e2e-vsi-'));
    try {
      const file = path.join(dir, 'vsi.xlsx');
      const book = new ExcelJS.Workbook();
      const persons = book.addWorksheet('Danh sách');
      persons.addRow(['Mã hộ', 'Mã xã', 'Họ và tên', 'Ngày sinh', 'Giới tính', 'Số CCCD']);
      persons.addRow(['VSI01', '02905', 'Phạm Văn Tự', '02/04/1990', 'Nam', '001090044444']);
      const vsi = book.addWorksheet('BHXH tự nguyện');
      vsi.addRow(['Số CCCD', 'Từ ngày', 'Đến ngày', 'Thu nhập tháng', 'Phương thức đóng (tháng)']);
      vsi.addRow(['001090044444', '01/04/2025', '30/09/2025', '1.500.000', 6]);
      await book.xlsx.writeFile(file);
      await page.getByTestId('nav-import').click();
      await page.getByTestId('import-file').setInputFiles(file);
      await page.getByTestId('import-submit').click();
      await page.getByTestId('import-result').waitFor();
      await expect.poll(() => page.getByTestId('import-vsi').textContent()).toContain('thêm 1');
      await screenshot(page, 'vsi-import');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
