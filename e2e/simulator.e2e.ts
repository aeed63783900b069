/**
 * The local support simulator in the browser: a commune officer simulates a 30% top-up for the elderly of
 * the commune, saves it and a 20% one, compares them side by side, downloads the table and the brief, and
 * adopts the first (a draft rule) and edits the draft (top-up, dates, source); the administrator approves
 * the rule with the decision's number, after which it cannot be edited; the page at desktop width (the
 * scenario's name beside its save button) and at 390 px (stacked).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pdfText } from '../src/io/pdf-text';
import { apiAs, launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;
let admin: Page;

const OFFICER = { username: 'canbo_mophong', password: 'một mật khẩu dài cho mô phỏng' };

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ COVERDESK_DEMO: '1' }), launchBrowser()]);
  admin = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await logIn(admin, server);
  const post = await apiAs(admin.request, server);
  await post('/api/users', { username: OFFICER.username, displayName: 'Lò Thị Mai', role: 'commune_officer', scopeCode: '02905', password: OFFICER.password });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await logIn(page, server, OFFICER.username, OFFICER.password);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const digits = async (p: Page, id: string) => Number(((await p.getByTestId(id).locator('dd').textContent()) ?? '').replace(/\D/g, ''));

describe('the local support simulator, from a simulation to an approved rule', () => {
  it('simulates a 30% top-up for the elderly of the commune', async () => {
    await page.getByTestId('nav-simulator').click();
    await page.getByTestId('simulator-page').waitFor();
    await page.getByTestId('sim-unit-chosen-02905').waitFor();
    await page.getByTestId('sim-group').selectOption('elderly_60_79');
    await page.getByTestId('sim-topup').fill('30');
    await page.getByTestId('sim-from').fill('01/01/2026');
    // while the server works (a province's large group takes seconds) the button says so and cannot be pressed again
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/api/simulator/simulate', async (route) => {
      await held;
      await route.continue();
    });
    await page.getByTestId('sim-run').click();
    await expect.poll(() => page.getByTestId('sim-run').textContent()).toBe('Đang mô phỏng…');
    expect(await page.getByTestId('sim-run').isDisabled()).toBe(true);
    expect(await page.getByTestId('sim-run').getAttribute('aria-busy')).toBe('true');
    await screenshot(page, 'simulator-busy');
    release();
    await page.getByTestId('sim-result').waitFor({ timeout: 30_000 });
    await page.unroute('**/api/simulator/simulate');
    expect(await page.getByTestId('sim-run').textContent()).toBe('Mô phỏng');
    const persons = await digits(page, 'sim-persons');
    const covered = await digits(page, 'sim-covered');
    expect(persons).toBeGreaterThan(0);
    expect(covered).toBeLessThanOrEqual(persons);
    expect(await digits(page, 'sim-budgetCost')).toBeGreaterThan(0);
    expect(await page.locator('#sim-takeup-hint').textContent()).toContain('theo sổ đăng ký');
    // the scenario's name and its save button on one line at desktop width
    const name = (await page.getByTestId('sim-name').boundingBox())!;
    const save = (await page.getByTestId('sim-save').boundingBox())!;
    expect(Math.abs(name.y + name.height / 2 - (save.y + save.height / 2))).toBeLessThan(4);
    expect(save.x).toBeGreaterThan(name.x + name.width - 1);
  });

  it('refuses a top-up over 100% next to the field', async () => {
    await page.getByTestId('sim-topup').fill('130');
    await page.getByTestId('sim-run').click();
    await expect.poll(() => page.getByTestId('sim-topup-error').textContent(), { timeout: 15_000 }).toContain('vượt quá 100 %');
    await page.getByTestId('sim-topup').fill('30');
  });

  it('saves two scenarios and compares them side by side, with the downloads', async () => {
    await page.getByTestId('sim-name').fill('Người cao tuổi 30%');
    await page.getByTestId('sim-save').click();
    await expect.poll(() => page.getByTestId('sim-compare').locator('thead th').count(), { timeout: 30_000 }).toBe(2);
    await page.getByTestId('sim-topup').fill('20');
    await page.getByTestId('sim-name').fill('Người cao tuổi 20%');
    await page.getByTestId('sim-save').click();
    await expect.poll(() => page.getByTestId('sim-compare').locator('thead th').count(), { timeout: 30_000 }).toBe(3);
    const header = await page.getByTestId('sim-compare').locator('thead').textContent();
    expect(header).toContain('Người cao tuổi 30%');
    expect(header).toContain('Người cao tuổi 20%');
    await screenshot(page, 'simulator-compare');

    const xlsx = await page.request.get(`${server.url}/api/simulator/scenarios.xlsx?unit=02905`);
    expect(xlsx.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsx.body()) as never);
    const cells: unknown[] = [];
    wb.worksheets[0].eachRow((row) => cells.push(...(row.values as unknown[])));
    expect(cells).toContain('Người cao tuổi 30%');
    const pdf = await page.request.get(`${server.url}/api/simulator/scenarios.pdf?unit=02905`);
    expect(pdf.headers()['content-type']).toContain('application/pdf');
    const text = await pdfText(await pdf.body());
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Người cao tuổi 20%');
  });

  it('adopts a scenario as a draft rule, which the administrator approves', async () => {
    const column = page.getByTestId('sim-actions').filter({ has: page.getByTestId('sim-adopt') }).last();
    await column.getByTestId('sim-adopt').click();
    await page.getByTestId('sim-rule-draft').waitFor({ timeout: 15_000 });
    // the draft is edited before approval: 25% from 01/02/2026 for 6 months, with its source
    await page.getByTestId('sim-edit').click();
    await page.getByTestId('sim-edit-topup').fill('25');
    await page.getByTestId('sim-edit-from').fill('01/02/2026');
    await page.getByTestId('sim-edit-months').fill('6');
    await page.getByTestId('sim-edit-source').fill('Tờ trình 12/TTr-UBND');
    await page.getByTestId('sim-edit-save').click();
    await expect.poll(() => page.getByTestId('sim-rule-terms').textContent(), { timeout: 15_000 }).toContain('Tờ trình 12/TTr-UBND');
    const terms = await page.getByTestId('sim-rule-terms').textContent();
    expect(terms).toContain('25 %');
    expect(terms).toContain('01/02/2026 – 31/07/2026');
    await screenshot(page, 'simulator-draft-edited');
    await admin.goto(`${server.url}/#/simulator/02905`);
    await admin.getByTestId('sim-decision').waitFor({ timeout: 15_000 });
    await admin.getByTestId('sim-decision').fill('25/2025/NQ-HĐND');
    await admin.getByTestId('sim-effective').fill('01/03/2026');
    await admin.getByTestId('sim-approve').click();
    await expect.poll(() => admin.getByTestId('sim-rule-approved').textContent(), { timeout: 15_000 }).toContain('25/2025/NQ-HĐND');
    expect(await admin.getByTestId('sim-rule-approved').textContent()).toContain('01/03/2026');
    // approved: no editing any more
    expect(await admin.getByTestId('sim-edit').count()).toBe(0);
    await screenshot(admin, 'simulator-approved');
  });

  it('fits a 390 px screen', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.reload();
    await page.getByTestId('sim-compare').waitFor({ timeout: 15_000 });
    await screenshot(page, 'simulator-390');
    // the name and its save button stacked, each the form's width
    const name = (await page.getByTestId('sim-name').boundingBox())!;
    const save = (await page.getByTestId('sim-save').boundingBox())!;
    expect(save.y).toBeGreaterThanOrEqual(name.y + name.height - 1);
    expect(Math.abs(save.width - name.width)).toBeLessThan(2);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
  });
});
