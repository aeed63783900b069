/**
 * No money moves on one click (issue 16, section 3), in the browser: "Gửi danh sách cho cơ quan BHXH"
 * used to pay the list and change the programme's status on a single click. Now it states the cards and
 * the money first, a double click on the confirmation pays once, and the submitted list can be withdrawn
 * (through the ledger, with a reason, confirmed too).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { APIRequestContext, Browser, Page } from 'playwright-core';
import { launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

beforeAll(async () => {
  [server, browser] = await Promise.all([startServer(), launchBrowser()]);
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

const PERSONS = [
  { fullName: 'Nguyễn Thị Hồng', birthDate: '2009-04-12', sex: 'female', citizenId: '001309012345', group: 'HS', amount: 379_080 },
  { fullName: 'Lò Văn Minh', birthDate: '1985-06-01', sex: 'male', citizenId: '015085004321', group: 'GD', amount: 1_263_600 },
];
const TOTAL = PERSONS.reduce((s, p) => s + p.amount, 0);
const iso = (d: Date) => d.toISOString().slice(0, 10);

async function apiAs(request: APIRequestContext) {
  const me = await request.get(`${server.url}/api/auth/me`);
  const csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
  return {
    post: async <T>(path: string, data: unknown): Promise<T> => {
      const res = await request.post(`${server.url}${path}`, { data, headers: { 'x-csrf-token': csrf } });
      if (!res.ok()) throw new Error(`${path}: ${res.status()} ${await res.text()}`);
      return (await res.json()) as T;
    },
    get: async <T>(path: string): Promise<T> => (await (await request.get(`${server.url}${path}`)).json()) as T,
  };
}

describe('confirmed money actions in the browser', () => {
  let programmeId: string;
  let api: Awaited<ReturnType<typeof apiAs>>;
  const balance = async () => (await api.get<{ balance: { awarded: number; paid: number } }>(`/api/programmes/${programmeId}/ledger`)).balance;
  const status = async () => (await api.get<{ status: string }>(`/api/programmes/${programmeId}`)).status;

  it('an approved list of two cards, made through the API with confirmations', async () => {
    await logIn(page, server);
    api = await apiAs(page.request);
    const today = new Date();
    const purchase = iso(today);
    const programme = await api.post<{ id: string }>('/api/programmes', {
      name: 'Tặng thẻ BHYT xác nhận',
      ownerUnitCode: '15',
      areaKind: 'communes',
      areaCodes: ['02905'],
      cardMonths: 12,
      purchaseDate: purchase,
      deadline: iso(new Date(today.getTime() + 30 * 86_400_000)),
    });
    programmeId = programme.id;
    await api.post(`/api/programmes/${programmeId}/status`, { to: 'raising', confirm: true });
    const donor = await api.post<{ id: string }>('/api/donors', { ownerUnitCode: '15', kind: 'business', name: 'Công ty Hòa Phát', publicConsent: true });
    await api.post(`/api/programmes/${programmeId}/receipts`, { donorId: donor.id, amount: 2_000_000, receivedOn: purchase, method: 'bank_transfer', confirm: { count: 1, amount: 2_000_000 } });
    const household = await api.post<{ id: string }>('/api/register/households', { communeCode: '02905', code: 'XN-001' });
    for (const p of PERSONS) {
      const person = await api.post<{ id: string }>('/api/register/persons', { householdId: household.id, fullName: p.fullName, birthDate: p.birthDate, sex: p.sex, citizenId: p.citizenId });
      await api.post(`/api/programmes/${programmeId}/awards`, { personId: person.id, groupCode: p.group, amount: p.amount, confirm: { count: 1, amount: p.amount } });
    }
    for (const to of ['selecting', 'list_approved']) await api.post(`/api/programmes/${programmeId}/status`, { to, confirm: true });
    expect(await balance()).toMatchObject({ awarded: TOTAL, paid: 0 });
  });

  it('submitting the list states the cards and the money, and a double click pays once', async () => {
    await page.goto(`${server.url}/#/programmes/${programmeId}/selection`);
    await page.getByTestId('submit-d03').click();
    const bar = page.getByTestId('submit-d03-confirm');
    await bar.waitFor();
    expect(await bar.textContent()).toContain('Gửi danh sách cho cơ quan BHXH: 2 thẻ, nộp 1.642.680 ₫?');
    // nothing moved before the confirmation
    expect(await status()).toBe('list_approved');
    expect(await balance()).toMatchObject({ awarded: TOTAL, paid: 0 });
    await screenshot(page, 'confirm-submit-d03');
    await page.getByTestId('submit-d03-confirm-yes').dblclick();
    await page.getByTestId('unsubmit-d03').waitFor();
    await expect.poll(status).toBe('submitted');
    expect(await balance()).toMatchObject({ awarded: 0, paid: TOTAL });
    const ledger = await api.get<{ entries: { kind: string }[] }>(`/api/programmes/${programmeId}/ledger`);
    expect(ledger.entries.filter((e) => e.kind === 'payment')).toHaveLength(4);
  });

  it('withdraws the submitted list through the ledger, with a reason and a confirmation', async () => {
    expect(await page.getByTestId('unsubmit-d03-button').isDisabled()).toBe(true);
    await page.getByTestId('unsubmit-reason').fill('Sai số CCCD của một người');
    await page.getByTestId('unsubmit-d03-button').click();
    const bar = page.getByTestId('unsubmit-d03-confirm');
    await bar.waitFor();
    expect(await bar.textContent()).toContain('Rút lại danh sách đã gửi: 2 thẻ, 1.642.680 ₫ trở lại «đã tặng»?');
    expect(await status()).toBe('submitted');
    await page.getByTestId('unsubmit-d03-confirm-yes').click();
    await page.getByTestId('submit-d03').waitFor();
    await expect.poll(status).toBe('list_approved');
    expect(await balance()).toMatchObject({ awarded: TOTAL, paid: 0 });
    const ledger = await api.get<{ entries: { kind: string; amount: number; memo: string | null }[] }>(`/api/programmes/${programmeId}/ledger`);
    const reversal = ledger.entries.filter((e) => e.kind === 'payment_reversal');
    expect(reversal).toHaveLength(4);
    expect(reversal.reduce((s, e) => s + e.amount, 0)).toBe(0);
    expect(new Set(reversal.map((e) => e.memo))).toEqual(new Set(['Sai số CCCD của một người']));
    expect(ledger.entries.reduce((s, e) => s + e.amount, 0)).toBe(0);
  });
});
