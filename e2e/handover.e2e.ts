/**
 * Handover and the public page in the browser: a programme with issued cards (made through the API), a
 * handover event added in the tab, a card recorded as received with a photo, the minutes PDF, the
 * programme moved to "handed over", a donor's statement; then, without a session, the public page shows
 * masked beneficiaries only and takes a pledge.
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

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('photo')]);
const PERSONS = [
  { fullName: 'Nguyễn Thị Hồng', birthDate: '2009-04-12', sex: 'female', citizenId: '001309012345', insuranceCode: '0109012345', phone: '0912345678', group: 'HS', amount: 379_080, card: 'HS4010109012345' },
  { fullName: 'Lò Văn Minh', birthDate: '1985-06-01', sex: 'male', citizenId: '015085004321', insuranceCode: '1585004321', phone: '0987654321', group: 'GD', amount: 1_263_600, card: 'GD4151585004321' },
];

const iso = (d: Date) => d.toISOString().slice(0, 10);
const dmy = (isoDate: string) => isoDate.split('-').reverse().join('/');


describe('handover and the public page in the browser', () => {
  let programme: { id: string; publicSlug: string };
  let eventDate: string;

  it('a programme with two issued cards, made through the API', async () => {
    await logIn(page, server);
    const post = await apiAs(page.request, server);
    const today = new Date();
    const purchase = iso(today);
    const deadline = iso(new Date(today.getTime() + 30 * 86_400_000));
    eventDate = iso(new Date(today.getTime() + 10 * 86_400_000));
    programme = await post('/api/programmes', { name: 'Tặng thẻ BHYT Tết', ownerUnitCode: '15', areaKind: 'communes', areaCodes: ['02905'], cardMonths: 12, purchaseDate: purchase, deadline });
    await post(`/api/programmes/${programme.id}/status`, { to: 'raising', confirm: true });
    const donor = await post<{ id: string }>('/api/donors', { ownerUnitCode: '15', kind: 'business', name: 'Công ty Hòa Phát', contact: '0243999888', publicConsent: true });
    const pledge = await post<{ id: string }>(`/api/programmes/${programme.id}/pledges`, { donorId: donor.id, amount: 5_000_000, pledgedOn: purchase });
    await post(`/api/programmes/${programme.id}/receipts`, { donorId: donor.id, pledgeId: pledge.id, amount: 2_000_000, receivedOn: purchase, method: 'bank_transfer', confirm: { count: 1, amount: 2_000_000 } });
    const household = await post<{ id: string }>('/api/register/households', { communeCode: '02905', code: 'BT-001' });
    const awards: string[] = [];
    for (const p of PERSONS) {
      const person = await post<{ id: string }>('/api/register/persons', {
        householdId: household.id,
        fullName: p.fullName,
        birthDate: p.birthDate,
        sex: p.sex,
        citizenId: p.citizenId,
        insuranceCode: p.insuranceCode,
        phone: p.phone,
      });
      awards.push((await post<{ id: string }>(`/api/programmes/${programme.id}/awards`, { personId: person.id, groupCode: p.group, amount: p.amount, confirm: { count: 1, amount: p.amount } })).id);
    }
    // the cards awarded by hand are the list: approve it, then submit it (pays the awards)
    for (const to of ['selecting', 'list_approved']) await post(`/api/programmes/${programme.id}/status`, { to, confirm: true });
    await post(`/api/programmes/${programme.id}/d03/submit`, { confirm: { count: PERSONS.length, amount: PERSONS.reduce((s, p) => s + p.amount, 0) } });
    const issued = await post<{ programmeStatus: string }>(`/api/programmes/${programme.id}/issued-cards`, {
      cards: PERSONS.map((p, i) => ({ awardId: awards[i], cardNumber: p.card, validFrom: purchase, validTo: iso(new Date(today.getTime() + 364 * 86_400_000)) })),
      confirm: true,
    });
    expect(issued.programmeStatus).toBe('cards_issued');
  });

  it('shows the public page without a session: masked beneficiaries only, and takes a pledge', async () => {
    const visitor = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    await visitor.goto(`${server.url}/#/p/${programme.publicSlug}`);
    await visitor.getByTestId('public-programme').waitFor();
    const text = (await visitor.locator('body').innerText()).replace(/\s+/g, ' ');
    expect(text).toContain('Nguyễn T. H., 2009, Xã Bảo Thắng');
    expect(text).toContain('Lò V. M., 1985, Xã Bảo Thắng');
    expect(text).toContain('2.000.000 ₫');
    expect(text).toContain('Công ty Hòa Phát');
    for (const p of PERSONS) for (const secret of [p.fullName, p.citizenId, p.insuranceCode, p.phone, p.card]) expect(text).not.toContain(secret);
    expect(text).not.toContain('0243999888');
    await screenshot(visitor, 'public-programme');

    await visitor.getByTestId('pledge-name').fill('Phạm Văn Đức');
    await visitor.getByTestId('pledge-contact').fill('không có');
    await visitor.getByTestId('pledge-amount').fill('1.263.600');
    await visitor.getByTestId('pledge-submit').click();
    expect(await visitor.getByTestId('pledge-contact-error').textContent()).toBe('Nhập số điện thoại hoặc địa chỉ email hợp lệ');
    await visitor.getByTestId('pledge-contact').fill('0912 000 111');
    await visitor.getByTestId('pledge-submit').click();
    await visitor.getByTestId('pledge-thanks').waitFor();
    expect(await visitor.getByTestId('pledge-thanks').textContent()).toContain('Cảm ơn bạn đã đăng ký ủng hộ chương trình "Tặng thẻ BHYT Tết"');
    await visitor.close();
  });
  it('adds an event, records a card received with a photo and the other absent, and completes the handover', async () => {
    await page.goto(`${server.url}/#/programmes/${programme.id}/handover`);
    await page.getByTestId('add-event-form').waitFor();
    expect(await page.getByTestId('handover-tab').textContent()).toContain('Chưa có buổi bàn giao nào');
    await page.getByTestId('event-commune').selectOption('02905');
    await page.getByTestId('event-date').fill(dmy(eventDate));
    await page.getByTestId('event-place').fill('Nhà văn hóa thôn Phố Lu');
    await page.getByTestId('add-event').click();
    await page.getByTestId('handover-event').waitFor();
    expect(await page.getByTestId('notice').textContent()).toContain('2 thẻ được xếp vào');
    const rows = page.getByTestId('recipients-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);

    const hong = page.locator('tr', { hasText: 'Nguyễn Thị Hồng' });
    await hong.getByTestId('record-result').click();
    await page.getByTestId('received-by').fill('Mẹ: Lò Thị Mai');
    await page.getByTestId('evidence-file').setInputFiles({ name: 'ky-nhan.png', mimeType: 'image/png', buffer: PNG });
    await page.getByTestId('result-save').click();
    await hong.getByTestId('evidence-link').waitFor();
    expect(await hong.textContent()).toContain('Đã nhận');

    const minh = page.locator('tr', { hasText: 'Lò Văn Minh' });
    await minh.getByTestId('record-result').click();
    await page.getByTestId('result-select').selectOption('absent');
    await page.getByTestId('result-save').click();
    await expect.poll(() => minh.textContent()).toContain('Vắng mặt');

    const minutes = await page.request.get(`${server.url}${await page.getByTestId('minutes-download').getAttribute('href')}`);
    expect(minutes.status()).toBe(200);
    expect(minutes.headers()['content-type']).toBe('application/pdf');

    await page.getByTestId('complete-handover').click();
    await page.getByTestId('complete-handover-confirm-yes').click();
    await expect.poll(() => page.getByTestId('handover-tab').textContent()).toContain('Đã bàn giao xong');
    await screenshot(page, 'handover-tab');

    await page.locator('[data-testid^="statement-open-"]').first().click();
    await page.getByTestId('statement').waitFor();
    const statement = (await page.getByTestId('statement').textContent()) ?? '';
    expect(statement).toContain('Nguyễn T. H., 2009, Xã Bảo Thắng');
    expect(statement).not.toContain('Nguyễn Thị Hồng');
    await screenshot(page, 'handover-statement');

    // handed over: the public page shows the progress and takes no more pledges
    const visitor = await browser.newPage();
    await visitor.goto(`${server.url}/#/p/${programme.publicSlug}`);
    await visitor.getByTestId('public-progress').waitFor();
    expect(await visitor.getByTestId('public-progress').textContent()).toContain('Đã trao 1/2 thẻ');
    expect(await visitor.getByTestId('notice').textContent()).toBe('Chương trình không còn nhận đăng ký ủng hộ.');
    expect(await visitor.getByTestId('pledge-form').count()).toBe(0);
    await visitor.close();
  });

});
