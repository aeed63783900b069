/**
 * A campaign month in the browser, as a commune officer: targets and their split (a split that does not add
 * up is warned by name), the results counted from the demo register (a household card entered by hand
 * during the campaign counts as a new participant), the communes ranked, the chart by day, and the
 * closing report as .xlsx and PDF.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { pdfText } from '../src/io/pdf-text';
import { apiAs, launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

const OFFICER = { username: 'canbo_baothang', password: 'một mật khẩu dài cho chiến dịch' };
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
const [year, month] = today.split('-');
const firstOfMonth = `${year}-${month}-01`;
const dmy = (iso: string) => iso.split('-').reverse().join('/');
const lastOfMonth = new Date(Date.UTC(Number(year), Number(month), 0)).toISOString().slice(0, 10);

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ COVERDESK_DEMO: '1' }), launchBrowser()]);
  const admin = await browser.newPage();
  await logIn(admin, server);
  const post = await apiAs(admin.request, server);
  await post('/api/users', { username: OFFICER.username, displayName: 'Lò Thị Mai', role: 'commune_officer', scopeCode: '02905', password: OFFICER.password });
  await admin.close();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await logIn(page, server, OFFICER.username, OFFICER.password);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('a campaign month, from targets to the closing report', () => {
  let campaignId = '';

  it('creates the campaign with targets and a split that does not add up (warned by name)', async () => {
    await page.getByTestId('nav-campaigns').click();
    await page.getByTestId('campaigns-page').waitFor();
    await page.getByTestId('campaign-new').click();
    await page.getByTestId('campaign-name').fill('Tháng vận động BHYT hộ gia đình');
    await page.getByTestId('campaign-theme').fill('BHYT – an sinh cho mọi nhà');
    // the officer's commune is chosen already
    await page.getByTestId('campaign-unit-chosen-02905').waitFor();
    await page.getByTestId('campaign-from').fill(dmy(firstOfMonth));
    await page.getByTestId('campaign-to').fill(dmy(lastOfMonth));
    await page.getByTestId('campaign-target-bhyt_household').fill('10');
    await page.getByTestId('campaign-target-renewal').fill('5');
    await page.getByTestId('split-add').click();
    const line = page.getByTestId('split-line').first();
    await line.getByLabel('Xã / tổ / cán bộ').selectOption('02905');
    await line.getByLabel('Số người').fill('8');
    await page.getByTestId('campaign-save').click();
    await page.getByTestId('campaign-page').waitFor();
    campaignId = page.url().split('/').pop()!;
    await expect.poll(() => page.getByTestId('campaign-warnings').textContent(), { timeout: 15_000 }).toContain('tổng chỉ tiêu giao cho các xã là 8, khác chỉ tiêu chung 10');
  });

  it('counts a household card entered during the campaign as a new participant, ranked and by day', async () => {
    const before = Number(await page.getByTestId('campaign-kind-bhyt_household').locator('.stat-value').evaluate((e) => e.firstChild?.textContent?.replace(/\D/g, '') ?? '0'));
    // a person of the commune without a card gets a household card from today (the register API, as the officer)
    const post = await apiAs(page.request, server);
    const household = await post<{ id: string }>('/api/register/households', { communeCode: '02905', code: 'CD-E2E-1', povertyStatus: 'none' });
    const person = await post<{ id: string }>('/api/register/persons', { householdId: household.id, fullName: 'Lò Văn Chiến', birthDate: '1990-02-02', sex: 'male', groupCodes: ['GD'] });
    await post('/api/register/cards', { personId: person.id, groupCode: 'GD', validFrom: today, validTo: `${Number(year) + 1}${today.slice(4)}` });
    await page.reload();
    await page.getByTestId('campaign-kinds').waitFor();
    await expect
      .poll(async () => Number(await page.getByTestId('campaign-kind-bhyt_household').locator('.stat-value').evaluate((e) => e.firstChild?.textContent?.replace(/\D/g, '') ?? '0')), { timeout: 15_000 })
      .toBe(before + 1);
    await expect.poll(() => page.getByTestId('campaign-communes').textContent(), { timeout: 15_000 }).toContain('Bảo Thắng');
    await page.getByTestId('campaign-chart').locator('canvas').first().waitFor({ timeout: 15_000 });
    await page.waitForTimeout(600); // the chart's animation
    await screenshot(page, 'campaign-progress');
  });

  it('redeems a voucher once at the renewal: a second time is refused, naming when and by whom', async () => {
    const post = await apiAs(page.request, server);
    const household = await post<{ id: string }>('/api/register/households', { communeCode: '02905', code: 'CD-E2E-2', povertyStatus: 'none' });
    const person = await post<{ id: string }>('/api/register/persons', { householdId: household.id, fullName: 'Lò Thị Phiếu', birthDate: '1992-03-03', sex: 'female', groupCodes: ['GD'] });
    const voucher = await post<{ code: string }>('/api/incentives', { personId: person.id, kind: 'voucher', value: 50000, sponsor: 'BHXH cơ sở', campaignId });
    await page.reload();
    await page.getByTestId('incentive-ledger').waitFor();
    await page.getByTestId('redeem-code').fill(voucher.code.toLowerCase());
    await page.getByTestId('redeem-submit').click();
    // the redemption is done when the field is emptied (the ledger's "1 · 50.000" is already there, as issued)
    await expect.poll(() => page.getByTestId('redeem-code').inputValue(), { timeout: 15_000 }).toBe('');
    await expect.poll(() => page.getByTestId('incentive-ledger').textContent(), { timeout: 15_000 }).toContain('1 · 50.000');
    await page.getByTestId('redeem-code').fill(voucher.code);
    await page.getByTestId('redeem-submit').click();
    await expect.poll(() => page.getByTestId('redeem-code-error').textContent(), { timeout: 15_000 }).toContain(`Phiếu ${voucher.code} đã được dùng ngày`);
    await screenshot(page, 'campaign-incentives');
  });

  it('gives the closing report as .xlsx and as PDF under the national motto', async () => {
    const xlsx = await page.request.get(`${server.url}/api/campaigns/${campaignId}/report.xlsx`);
    expect(xlsx.status()).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await xlsx.body()) as never);
    const cells: string[] = [];
    wb.worksheets[0].eachRow((r) => cells.push(JSON.stringify(r.values)));
    expect(cells.join('\n')).toContain('Bảo Thắng');
    const pdf = await page.request.get(`${server.url}/api/campaigns/${campaignId}/report.pdf`);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    const text = (await pdfText(await pdf.body())).replace(/\s+/g, ' ');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('BÁO CÁO KẾT QUẢ CHIẾN DỊCH');
    expect(text).toContain('Tháng vận động BHYT hộ gia đình');
  });
});
