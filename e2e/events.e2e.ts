/**
 * Outreach events in the browser, as a commune officer: an event in the future with attendance is refused
 * next to the field; a past dialogue conference is recorded, an attendee found in the register by name is
 * added, enrols (a household card from today) and counts in the conversion; a photo is uploaded as
 * evidence and a text file is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { apiAs, launchBrowser, logIn, screenshot, startServer, type RunningServer } from './harness';

let server: RunningServer;
let browser: Browser;
let page: Page;

const OFFICER = { username: 'canbo_sukien', password: 'một mật khẩu dài cho sự kiện' };
const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Ho_Chi_Minh' }).format(new Date());
const shift = (iso: string, days: number) => new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
const dmy = (iso: string) => iso.split('-').reverse().join('/');
const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake image body')]);

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

describe('an outreach event, from the form to the conversion', () => {
  it('refuses attendance for an event still to come, then records a past conference', async () => {
    await page.getByTestId('nav-events').click();
    await page.getByTestId('events-page').waitFor();
    await page.getByTestId('event-new').click();
    await page.getByTestId('event-date').fill(dmy(shift(today, 3)));
    await page.getByTestId('event-attendance').fill('40');
    await page.getByTestId('event-place').fill('Nhà văn hóa xã');
    await page.getByTestId('event-save').click();
    await expect.poll(() => page.getByTestId('event-attendance-error').textContent(), { timeout: 15_000 }).toContain('chưa diễn ra');
    await page.getByTestId('event-date').fill(dmy(shift(today, -5)));
    await page.getByTestId('event-leaflets').fill('120');
    await page.getByTestId('event-cost').fill('2500000');
    await page.getByTestId('event-organiser').fill('UBND xã và BHXH huyện');
    await page.getByTestId('event-save').click();
    await page.getByTestId('event-page').waitFor();
  });

  it('adds an attendee found by name, who enrols and counts in the conversion; keeps a photo as evidence', async () => {
    const eventId = page.url().split('/').pop()!;
    const post = await apiAs(page.request, server);
    const household = await post<{ id: string }>('/api/register/households', { communeCode: '02905', code: 'SK-E2E-1', povertyStatus: 'none' });
    const person = await post<{ id: string }>('/api/register/persons', { householdId: household.id, fullName: 'Lò Văn Sự Kiện', birthDate: '1991-03-03', sex: 'male', groupCodes: ['GD'] });
    await page.getByTestId('attendee-q').fill('lo van su kien');
    await page.getByTestId('attendee-search').getByRole('button').click();
    await page.getByTestId('attendee-add').first().click();
    await expect.poll(() => page.getByTestId('attendee-row').count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('event-conversion').textContent()).toContain('0/1');
    await post('/api/register/cards', { personId: person.id, groupCode: 'GD', validFrom: today, validTo: shift(today, 364) });
    await page.reload();
    await expect.poll(() => page.getByTestId('event-conversion').textContent(), { timeout: 15_000 }).toContain('1/1');
    await page.getByTestId('event-file').setInputFiles({ name: 'hoi-nghi.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => page.getByTestId('event-files').textContent(), { timeout: 15_000 }).toContain('hoi-nghi.png');
    await page.getByTestId('event-file').setInputFiles({ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not an image') });
    await expect.poll(() => page.getByTestId('error-banner').first().textContent(), { timeout: 15_000 }).toContain('ảnh hoặc PDF');
    await screenshot(page, 'event-page');
    await page.goto(`${server.url}/#/events`);
    await expect.poll(() => page.getByTestId('events-totals').textContent(), { timeout: 15_000 }).toContain('1/1');
    await screenshot(page, 'events-list');
    expect(eventId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
