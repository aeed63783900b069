/**
 * Issue 16 in the browser: a provincial programme over three communes, with awards, issued cards and a
 * handover event in each (made through the API as admin). The officer of Xã Bảo Thắng (02905) signs in,
 * opens the programme, and sees their own commune's cards and event, and nothing of the
 * other two communes: no name, no event, no commune in the lists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

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

const OFFICER = { username: 'bt_officer', password: 'Rà soát từng hộ ở Bảo Thắng 2026' };
const COMMUNES = ['02905', '02671', '02647'];
/** Per commune: an awarded pupil (card issued, expected at the commune's event) and a pupil left as candidate. */
const PERSONS = [
  [
    { fullName: 'Hoàng Thị Bảo Ngọc', birthDate: '2011-04-12', sex: 'female' },
    { fullName: 'Lù Văn Thắng', birthDate: '2012-05-02', sex: 'male' },
  ],
  [
    { fullName: 'Phạm Quốc Khánh', birthDate: '2011-03-09', sex: 'male' },
    { fullName: 'Vàng Thị Dợ', birthDate: '2013-01-22', sex: 'female' },
  ],
  [
    { fullName: 'Đinh Thị Sa Pa', birthDate: '2010-07-30', sex: 'female' },
    { fullName: 'Tẩn Láo San', birthDate: '2012-11-11', sex: 'male' },
  ],
];

const iso = (d: Date) => d.toISOString().slice(0, 10);


describe('a commune officer opens a provincial programme', () => {
  let programmeId = '';
  const others = PERSONS.slice(1).flat().map((p) => p.fullName);
  const own = PERSONS[0].map((p) => p.fullName);

  it('admin makes the programme over three communes through the API', async () => {
    await logIn(page, server);
    const post = await apiAs(page.request, server);
    const today = new Date();
    const purchase = iso(today);
    const deadline = iso(new Date(today.getTime() + 30 * 86_400_000));
    const programme = await post<{ id: string }>('/api/programmes', {
      name: 'Tặng thẻ BHYT ba xã',
      ownerUnitCode: '15',
      areaKind: 'communes',
      areaCodes: COMMUNES,
      cardMonths: 12,
      purchaseDate: purchase,
      deadline,
      priorities: { pupil: 2 },
    });
    programmeId = programme.id;
    await post(`/api/programmes/${programmeId}/status`, { to: 'raising', confirm: true });
    const donor = await post<{ id: string }>('/api/donors', { ownerUnitCode: '15', kind: 'business', name: 'Công ty Ba Xã', contact: '0243111222', publicConsent: true });
    const pledge = await post<{ id: string }>(`/api/programmes/${programmeId}/pledges`, { donorId: donor.id, amount: 5_000_000, pledgedOn: purchase });
    await post(`/api/programmes/${programmeId}/receipts`, { donorId: donor.id, pledgeId: pledge.id, amount: 5_000_000, receivedOn: purchase, method: 'bank_transfer', confirm: { count: 1, amount: 5_000_000 } });
    const awards: string[] = [];
    for (const [c, commune] of COMMUNES.entries()) {
      const household = await post<{ id: string }>('/api/register/households', { communeCode: commune, code: `HO-${commune}` });
      for (const [i, p] of PERSONS[c].entries()) {
        const person = await post<{ id: string }>('/api/register/persons', { householdId: household.id, ...p, groupCodes: ['HS'] });
        if (i === 0) awards.push((await post<{ id: string }>(`/api/programmes/${programmeId}/awards`, { personId: person.id, groupCode: 'HS', amount: 379_080, confirm: { count: 1, amount: 379_080 } })).id);
      }
    }
    for (const to of ['selecting', 'list_approved']) await post(`/api/programmes/${programmeId}/status`, { to, confirm: true });
    await post(`/api/programmes/${programmeId}/d03/submit`, { confirm: { count: awards.length, amount: awards.length * 379_080 } });
    await post(`/api/programmes/${programmeId}/issued-cards`, {
      cards: awards.map((awardId, i) => ({ awardId, cardNumber: `HS40${i}01090123${i}5`, validFrom: purchase, validTo: iso(new Date(today.getTime() + 364 * 86_400_000)) })),
      confirm: true,
    });
    for (const commune of COMMUNES) await post(`/api/programmes/${programmeId}/handover/events`, { communeCode: commune, heldOn: purchase, place: `Nhà văn hoá ${commune}` });
    await post('/api/users', { username: OFFICER.username, role: 'commune_officer', scopeCode: '02905', password: OFFICER.password });
    await page.getByTestId('logout').click();
    await page.getByTestId('login-username').waitFor();
  });

  it("shows the officer their commune's part, and nothing of the other communes", async () => {
    await logIn(page, server, OFFICER.username, OFFICER.password);

    await page.goto(`${server.url}/#/programmes/${programmeId}/handover`);
    await page.getByTestId('events-table').waitFor();
    const rows = page.locator('[data-testid="events-table"] tbody tr');
    expect(await rows.count()).toBe(1);
    await expect.poll(() => rows.first().innerText()).toContain('Bảo Thắng');
    await page.getByTestId('open-event').click();
    await page.getByTestId('recipients-table').waitFor();
    const handover = await page.locator('body').innerText();
    expect(handover).toContain(own[0]);
    for (const name of others) expect(handover).not.toContain(name);
    expect(handover).not.toContain('Nhà văn hoá 02671');
    expect(handover).not.toContain('Nhà văn hoá 02647');
    await screenshot(page, 'scope-officer-handover');

    await page.goto(`${server.url}/#/programmes/${programmeId}/selection`);
    await page.getByTestId('selection-cards').waitFor();
    const awardRows = page.getByTestId('award-row');
    await awardRows.first().waitFor();
    expect(await awardRows.count()).toBe(1);
    const cards = await page.locator('body').innerText();
    expect(cards).toContain(own[0]);
    for (const name of others) expect(cards).not.toContain(name);
    await screenshot(page, 'scope-officer-cards');

    await page.goto(`${server.url}/#/programmes/${programmeId}/money`);
    await page.getByTestId('money-tab').waitFor();
    const money = await page.locator('body').innerText();
    for (const name of others) expect(money).not.toContain(name);
    await screenshot(page, 'scope-officer-money');
  });
});
