/**
 * A plan in the browser, from its creation to its printed report (issue 21): province staff create plan
 * 15-KH/TU with a coverage goal, add a task due "in November 2025" (overdue now), cascade the goals to
 * the communes (the scorecard ranks them), see the task on the to-do dashboard, and print the status
 * report (PDF under the national motto, .xlsx); a commune officer then sees only their commune's plan.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pdfText } from '../src/io/pdf-text';
import { apiAs, launchBrowser, logIn, screenshot, SCREENSHOTS, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

const STAFF = { username: 'chuyenvien_laocai', password: 'một mật khẩu dài cho kế hoạch' };
const OFFICER = { username: 'canbo_kehoach', password: 'một mật khẩu dài cho xã Bảo Thắng' };

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ COVERDESK_DEMO: '1' }), launchBrowser()]);
  const admin = await browser.newPage();
  await logIn(admin, server);
  const post = await apiAs(admin.request, server);
  await post('/api/users', { username: STAFF.username, displayName: 'Nguyễn Thị Kế', role: 'province_staff', scopeCode: '15', password: STAFF.password });
  await post('/api/users', { username: OFFICER.username, displayName: 'Lò Văn Xã', role: 'commune_officer', scopeCode: '02905', password: OFFICER.password });
  await admin.close();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await logIn(page, server, STAFF.username, STAFF.password);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a plan, from its creation to its printed report', () => {
  let planId = '';

  it('creates plan 15-KH/TU with a coverage goal and shows its live progress', async () => {
    await page.getByTestId('nav-plans').click();
    await page.getByTestId('plans-page').waitFor();
    await page.getByTestId('plan-new').click();
    await expect.poll(() => page.getByTestId('plan-unit').inputValue()).toBe('15');
    await page.getByTestId('plan-number').fill('15-KH/TU');
    await page.getByTestId('plan-issuer').fill('Tỉnh ủy Lào Cai');
    await page.getByTestId('plan-issued-on').fill('17/11/2025');
    await page.getByTestId('plan-title').fill('Thực hiện Chỉ thị 52-CT/TW về BHXH, BHYT');
    await page.getByTestId('plan-implements').fill('52-CT/TW');
    await page.getByTestId('goal-0-value').fill('95');
    await page.getByTestId('goal-0-date').fill('31/12/2026');
    await page.getByTestId('plan-save').click();
    await page.getByTestId('plan-page').waitFor({ timeout: 30_000 });
    planId = page.url().split('/').pop()!;
    await expect.poll(() => page.getByTestId('plan-title').textContent()).toContain('15-KH/TU');
    const goal = page.getByTestId('goal-status').first();
    await expect.poll(() => goal.textContent(), { timeout: 30_000 }).toContain('Tỷ lệ dân số tham gia BHYT');
    // the demo register gives a current percentage (a number with a %), not a dash
    expect(await goal.locator('td').nth(3).textContent()).toMatch(/\d%$/);
  });

  it('adds a task due in November 2025: overdue today; a deadline before the plan is refused', async () => {
    await page.getByTestId('task-new').click();
    await page.getByTestId('task-content').fill('Tuyên truyền, quán triệt Chỉ thị 52-CT/TW');
    await page.getByTestId('task-responsible').fill('Ban Tuyên giáo Tỉnh ủy');
    await page.getByTestId('task-coordinating').fill('BHXH tỉnh; Sở Y tế');
    await page.getByTestId('task-deadline').fill('2025-10');
    await page.getByTestId('task-save').click();
    await expect.poll(() => page.getByTestId('task-deadline-error').textContent(), { timeout: 15_000 }).toBe('Thời hạn 31/10/2025 trước ngày ban hành kế hoạch (17/11/2025)');
    await page.getByTestId('task-deadline').fill('2025-11');
    await page.getByTestId('task-save').click();
    const row = page.getByTestId('task-row').first();
    await expect.poll(() => row.textContent(), { timeout: 15_000 }).toContain('Tháng 11/2025');
    expect(await row.getAttribute('data-overdue')).toBe('true');
    await row.getByTestId('task-overdue').waitFor();
  });

  it('cascades the goals to the communes and ranks them on the scorecard', async () => {
    await page.getByTestId('plan-cascade').click();
    await expect.poll(() => page.getByTestId('plan-page').textContent(), { timeout: 60_000 }).toContain('Kế hoạch của các xã (99)');
    await expect.poll(() => page.getByTestId('scorecard-row').count(), { timeout: 30_000 }).toBeGreaterThan(1);
    expect(await page.getByTestId('scorecard-row').count()).toBe(20);
    await page.getByTestId('scorecard-all').click();
    await expect.poll(() => page.getByTestId('scorecard-table').textContent()).toContain('Bảo Thắng');
    await page.getByTestId('scorecard-all').click();
    await screenshot(page, 'plans-plan');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'plans-plan-390');
    await page.screenshot({ path: `${SCREENSHOTS}/plans-plan-390-top.png`, clip: { x: 0, y: 0, width: 390, height: 2400 }, fullPage: true });
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('shows the overdue task and the goal at risk on the dashboard', async () => {
    await page.goto(`${server.url}/#/plans`);
    await page.getByTestId('plans-dashboard').waitFor({ timeout: 30_000 });
    await expect.poll(() => page.getByTestId('dashboard-table').textContent(), { timeout: 30_000 }).toContain('Ban Tuyên giáo Tỉnh ủy');
    expect(await page.getByTestId('plans-table').textContent()).toContain('15-KH/TU');
    await screenshot(page, 'plans-list');
    await page.setViewportSize({ width: 390, height: 844 });
    await screenshot(page, 'plans-list-390');
    await page.setViewportSize({ width: 1280, height: 900 });
  });

  it('prints the status report: PDF under the national motto, and .xlsx', async () => {
    await page.goto(`${server.url}/#/plans/${planId}`);
    const href = await page.getByTestId('report-pdf').getAttribute('href');
    const pdf = await page.request.get(`${server.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const text = (await pdfText(await pdf.body())).replace(/\s+/g, ' ');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH');
    expect(text).toContain('15-KH/TU');
    expect(text).toContain('Tuyên truyền, quán triệt Chỉ thị 52-');
    expect(text).toContain('Ban Tuyên giáo Tỉnh ủy; BHXH tỉnh; Sở Y tế Tháng 11/2025 Chưa thực hiện Quá hạn');
    const xlsx = await page.request.get(`${server.url}${await page.getByTestId('report-xlsx').getAttribute('href')}`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsx.body()) as never);
    const cells: string[] = [];
    wb.worksheets[0].eachRow((r) => cells.push(JSON.stringify(r.values)));
    expect(cells.join('\n')).toContain('Ban Tuyên giáo Tỉnh ủy');
  });

  it('shows a commune officer only their commune’s plan', async () => {
    const officer = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await logIn(officer, server, OFFICER.username, OFFICER.password);
    await officer.goto(`${server.url}/#/plans`);
    await officer.getByTestId('plans-table').waitFor({ timeout: 30_000 });
    const rows = await officer.getByTestId('plan-row').allTextContents();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toContain('Xã Bảo Thắng');
    const res = await officer.request.get(`${server.url}/api/plans/${planId}/status`);
    expect(res.status()).toBe(404);
    await officer.close();
  });
});
