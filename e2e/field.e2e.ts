/**
 * The field pages on a 390 px phone with the network cut: a field worker signs in once online, opens the
 * group's door-to-door list, goes offline, logs 3 visits (one promised), reloads the page offline (it
 * opens, 3 visits wait), and comes back online: the server holds exactly those 3. A send cut after the
 * server stored the visits (the answer lost) leaves them waiting on the phone; sending again stores
 * nothing twice.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { apiAs, launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let phone: BrowserContext;
let page: Page;
let groupId = '';
let admin: Page;

const WORKER = { username: 'vanhung', password: 'một mật khẩu dài cho thực địa' };

interface Visit {
  id: string;
  clientId: string;
  outcome: string;
  userName: string;
}

async function serverVisits(): Promise<Visit[]> {
  const res = await admin.request.get(`${server.url}/api/outreach/visits?group=${groupId}`);
  expect(res.status()).toBe(200);
  return (await res.json()) as Visit[];
}

const pending = async () => Number(await page.getByTestId('pending-count').getAttribute('data-count'));

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer({ COVERDESK_DEMO: '1' }), launchBrowser()]);
  admin = await browser.newPage();
  await logIn(admin, server);
  const post = await apiAs(admin.request, server);
  // a commune of the demo and all its villages
  const communeCode = '02905';
  const units = (await (await admin.request.get(`${server.url}/api/units?parent=${communeCode}`)).json()) as { code: string; level: string }[];
  const villages = units.filter((u) => u.level === 'village');
  expect(villages.length).toBeGreaterThan(0);
  await post('/api/users', { username: WORKER.username, displayName: 'Nguyễn Văn Hùng', role: 'field_worker', scopeCode: communeCode, password: WORKER.password });
  const group = await post<{ id: string }>('/api/outreach/groups', {
    communeCode,
    name: 'Tổ công tác thử',
    villages: villages.map((v) => v.code),
    leader: WORKER.username,
    members: [WORKER.username],
  });
  groupId = group.id;
  phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, locale: 'vi-VN', timezoneId: 'Asia/Ho_Chi_Minh' });
  page = await phone.newPage();
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('door to door on a phone, offline', () => {
  it('signs in once online and keeps the group’s list on the phone', async () => {
    await page.goto(`${server.url}/field/`);
    await page.getByTestId('login-username').fill(WORKER.username);
    await page.getByTestId('login-password').fill(WORKER.password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId(`field-group-${groupId}`).waitFor({ timeout: 30_000 });
    // the service worker holds the pages before the network goes
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await expect.poll(() => page.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: 15_000 }).toBe(true);
    await page.getByTestId(`field-group-${groupId}`).click();
    await page.getByTestId('field-group-title').waitFor();
    await screenshot(page, 'field-group-list');
    expect(await pending()).toBe(0);
  });

  it('logs 3 visits offline, and the page opens again offline with 3 waiting', async () => {
    await phone.setOffline(true);
    await expect.poll(() => page.getByTestId('field-network').textContent(), { timeout: 15_000 }).toBe('Mất mạng');
    const households = page.locator('[data-testid^="field-household-"]:not([data-testid$="-state"])');
    expect(await households.count()).toBeGreaterThanOrEqual(3);

    // 1: a promise to come back tomorrow
    await households.nth(0).click();
    await page.getByTestId('field-household-title').waitFor();
    const firstPromise = page.locator('[data-testid$="-promised"]').first();
    await firstPromise.click();
    await page.locator('[data-testid^="follow-"][data-testid$="-1"]').first().click();
    await screenshot(page, 'field-household-visit');
    await page.getByTestId('visit-save').click();
    await page.getByTestId('field-group-title').waitFor();
    await expect.poll(pending, { timeout: 15_000 }).toBe(1);

    // 2: nobody home, in one tap
    await households.nth(1).click();
    await page.getByTestId('nobody-home').click();
    await page.getByTestId('field-group-title').waitFor();
    await expect.poll(pending, { timeout: 15_000 }).toBe(2);

    // 3: refused, for the cost
    await households.nth(2).click();
    await page.locator('[data-testid$="-refused"]').first().click();
    await page.locator('[data-testid^="reason-"][data-testid$="-cost"]').first().click();
    await page.getByTestId('visit-save').click();
    await page.getByTestId('field-group-title').waitFor();
    await expect.poll(pending, { timeout: 15_000 }).toBe(3);
    expect(await page.getByTestId('field-outbox').innerText()).toContain('3 lượt thăm chờ gửi');

    await page.reload();
    await expect.poll(pending, { timeout: 15_000 }).toBe(3);
    await page.getByTestId('field-group-title').waitFor();
    await screenshot(page, 'field-offline-reloaded');
    expect(await serverVisits()).toHaveLength(0);
  });

  it('sends them when the network is back; a send whose answer is lost stores nothing twice', async () => {
    // the first send reaches the server but its answer never comes back to the phone
    let cut = 0;
    await page.route('**/api/outreach/visits/batch', async (route) => {
      if (cut++ === 0) {
        await route.fetch();
        await route.abort('connectionreset');
      } else await route.continue();
    });
    await phone.setOffline(false);
    await expect.poll(() => cut, { timeout: 20_000 }).toBeGreaterThanOrEqual(1);
    await expect.poll(async () => (await serverVisits()).length, { timeout: 15_000 }).toBe(3);

    // the page sends again by itself (or at a tap): the server answers "duplicate" and the phone lets go
    if ((await pending()) > 0 && (await page.getByTestId('send-now').count())) await page.getByTestId('send-now').click();
    await expect.poll(pending, { timeout: 45_000 }).toBe(0);
    const stored = await serverVisits();
    expect(stored).toHaveLength(3);
    expect(new Set(stored.map((v) => v.clientId)).size).toBe(3);
    expect(stored.map((v) => v.outcome).sort()).toEqual(['not_home', 'promised', 'refused']);

    // and a second send changes nothing
    await page.unroute('**/api/outreach/visits/batch');
    await page.reload();
    await expect.poll(pending, { timeout: 15_000 }).toBe(0);
    expect(await serverVisits()).toHaveLength(3);
  });

  it('shows the commune officer the group and its "every door" progress', async () => {
    await admin.goto(`${server.url}/#/outreach/02905`);
    await admin.getByTestId('groups-table').getByText('Tổ công tác thử').waitFor({ timeout: 30_000 });
    await expect.poll(() => admin.getByTestId('outreach-every-door').innerText(), { timeout: 15_000 }).toMatch(/^Đã đến 3 \/ \d+ hộ cần đến/);
    expect(await admin.getByTestId('progress-groups').innerText()).toContain('Tổ công tác thử');
    await screenshot(admin, 'outreach-officer-page');

    // the leader's daily sheet: what is due, then the list village by village, to print
    await admin.getByTestId('group-row').filter({ hasText: 'Tổ công tác thử' }).getByTestId('group-sheet-link').click();
    await admin.getByTestId('group-sheet').waitFor();
    expect(await admin.getByTestId('group-sheet').innerText()).toContain('Danh sách đi từng nhà – Tổ công tác thử');
    expect(await admin.getByTestId('sheet-village').count()).toBeGreaterThan(0);
    await screenshot(admin, 'outreach-daily-sheet');

    // the coverage dashboard of the commune folds the same progress in
    await admin.goto(`${server.url}/#/coverage/02905`);
    await admin.getByTestId('fold-outreach').locator('summary').click();
    await expect.poll(() => admin.getByTestId('fold-outreach').innerText(), { timeout: 15_000 }).toMatch(/Đã đến \d+ \/ \d+ hộ cần đến/);
  });
});
