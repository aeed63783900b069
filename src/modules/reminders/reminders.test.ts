/**
 * Renewal reminders (issue 20 item 6), on both engines, as a commune officer with a second commune's data
 * present: the list (who is on it, masked names, household prices in order, due dates, where to pay, the
 * texts), by village and by collector; the journal (nobody twice for the same card, end date and offset;
 * nobody once renewed); the CSV; the renewal rate; the CLI and the API.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access';
import { buildApp } from '../../http/app';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { createToken } from '../access/access.service';
import { createCollector } from '../offices/collectors.service';
import { createOffice } from '../offices/offices.service';
import * as register from '../register/register.service';
import { createVillage } from '../units/units.service';
import { registerRemindersCommands } from './reminders.cli';
import { exportCsv, markSent, renewalRate, reminderList } from './reminders.service';

const TODAY = '2026-11-20';
/** 4.5% x 2,530,000 x 12 (the base salary from 1 July 2026), the household's first member; the second pays 70%. */
const FIRST = 1_366_200;
const SECOND = 956_340;

let t: TestDatabase;
let officer: Actor;
let otherOfficer: Actor;
let provinceStaff: Actor;
const ids: Record<string, string> = {};
const cards: Record<string, string> = {};

beforeAll(async () => {
  t = await testDatabase();
  provinceStaff = (await makeUser(t, 'province_staff', '15')).actor;
  officer = (await makeUser(t, 'commune_officer', '02905')).actor;
  otherOfficer = (await makeUser(t, 'commune_officer', '02923')).actor;
  for (const [parent, code, name] of [
    ['02905', 'T1', 'Thôn Một'],
    ['02905', 'T2', 'Thôn Hai'],
    ['02923', 'X1', 'Thôn Xa'],
  ])
    await createVillage(t.db, system, { parentCode: parent, code, name, kind: 'village' });
  await createOffice(t.db, provinceStaff, { code: '1000', name: 'Bảo hiểm xã hội tỉnh Lào Cai', kind: 'si_province', parentCode: '15' });
  await createOffice(t.db, provinceStaff, {
    code: '1005',
    name: 'BHXH cơ sở Bảo Thắng',
    kind: 'si_grassroots',
    parentCode: '1000',
    communes: ['02905'],
    profile: { address: 'Thị trấn Phố Lu', phone: '0214 3860 000' },
  });
  await createCollector(t.db, provinceStaff, { code: 'NV01', name: 'Bùi Thị Thu', kind: 'agent', officeCode: '1005', phone: '0987654321', villages: ['02905.T1'] });

  const household = async (communeCode: string, code: string, villageCode: string, povertyStatus: 'none' | 'poor' = 'none') =>
    (ids[code] = (await register.createHousehold(t.db, system, { communeCode, code, villageCode, povertyStatus })).id);
  const person = async (key: string, householdId: string, fullName: string, birthDate: string, phone: string | null, groupCodes = ['GD']) =>
    (ids[key] = (await register.createPerson(t.db, system, { householdId, fullName, birthDate, sex: 'male', groupCodes, citizenId: null, phone }, TODAY)).id);
  const card = async (key: string, personId: string, groupCode: string, validFrom: string, validTo: string, collectorCode: string | null = null) =>
    (cards[key] = (await register.createCard(t.db, system, { personId, groupCode, validFrom, validTo, collectorCode })).id);

  // Thôn Một: two members ending within 30 days (the first names the collector, the second does not)
  const h1 = await household('02905', 'H1', '02905.T1');
  await card('an', await person('an', h1, 'Nguyễn Văn An', '1980-03-12', '0912345678'), 'GD', '2025-12-01', '2026-11-30', 'NV01');
  await card('binh', await person('binh', h1, 'Trần Thị Bình', '1985-07-20', '0912000111'), 'GD', '2025-12-11', '2026-12-10');
  // Thôn Một: ended within the window but renewed already
  const h2 = await household('02905', 'H2', '02905.T1');
  await person('cuong', h2, 'Lê Văn Cường', '1970-01-01', '0912000222');
  await card('cuong', ids['cuong'], 'GD', '2025-12-06', '2026-12-05');
  await card('cuong2', ids['cuong'], 'GD', '2026-12-06', '2027-12-05');
  // Thôn Hai: one beyond the window, one within it (no collector in Thôn Hai: the office), one without a phone
  const h3 = await household('02905', 'H3', '02905.T2');
  await card('dung', await person('dung', h3, 'Phạm Thị Dung', '1990-01-01', '0912000333'), 'GD', '2026-01-16', '2027-01-15');
  await card('em', await person('em', h3, 'Hoàng Văn Em', '1965-05-05', null), 'GD', '2025-12-16', '2026-12-15');
  // a poor household: the state pays, the office renews: not reminded
  const h4 = await household('02905', 'H4', '02905.T2', 'poor');
  await card('phu', await person('phu', h4, 'Vàng A Phủ', '1975-02-02', '0912000444', ['HN']), 'HN', '2026-01-01', '2026-12-01');
  // another commune (no office): must not leak to the officer of 02905
  const h6 = await household('02923', 'H6', '02923.X1');
  await card('giang', await person('giang', h6, 'Đỗ Văn Giang', '1982-02-02', '0912999888'), 'GD', '2025-12-01', '2026-12-01');
});
afterAll(async () => {
  await t?.cleanup();
});

const items = (l: Awaited<ReturnType<typeof reminderList>>) => l.villages.flatMap((v) => v.items);

describe(`the reminder list (${engineName})`, () => {
  it('lists the commune officer’s persons whose latest card ends within 30 days, by village, priced in household order', async () => {
    const l = await reminderList(t.db, officer, { unit: '02905', date: TODAY }, TODAY, 'vi');
    expect(l.until).toBe('2026-12-20');
    expect(l.summary).toEqual({ persons: 3, households: 2, amount: FIRST + SECOND + SECOND, withPhone: 2, statePaid: 1, alreadySent: 0 });
    expect(l.villages.map((v) => [v.name, v.persons, v.amount])).toEqual([
      // Em's household has a member enrolled this year (Dung's card from 16 January): Em is its second
      ['Thôn Hai', 1, SECOND],
      ['Thôn Một', 2, FIRST + SECOND],
    ]);
    const [em, an, binh] = items(l);
    expect([an.maskedName, an.dueDate, an.amount, an.phone]).toEqual(['Nguyễn V. A.', '2026-11-30', FIRST, '0912345678']);
    expect([binh.maskedName, binh.amount]).toEqual(['Trần T. B.', SECOND]);
    expect(an.text).toBe(
      'BHXH nhắc: thẻ BHYT của Nguyễn V. A. hết hạn ngày 30/11/2026. Gia hạn 12 tháng: 1.366.200 ₫. Nộp tại: Bùi Thị Thu, ĐT 0987654321. Xin gia hạn trước ngày hết hạn để không gián đoạn quyền lợi.',
    );
    // the card names no collector: the village's
    expect(binh.payAt).toMatchObject({ kind: 'collector', code: 'NV01' });
    // no collector in the village: the office serving the commune, with its address
    expect(em.payAt).toMatchObject({ kind: 'office', name: 'BHXH cơ sở Bảo Thắng', address: 'Thị trấn Phố Lu', text: 'BHXH cơ sở Bảo Thắng, Thị trấn Phố Lu' });
    expect(l.collectors.map((c) => [c.kind, c.name, c.persons])).toEqual([
      ['office', 'BHXH cơ sở Bảo Thắng', 1],
      ['collector', 'Bùi Thị Thu', 2],
    ]);
    // nothing of the other commune, and no full name
    const text = JSON.stringify(l);
    for (const s of ['Giang', ids['giang'], '0912999888', 'Nguyễn Văn An', 'Cường', 'Dung']) expect(text).not.toContain(s);
  });

  it('in English through the catalogue', async () => {
    const l = await reminderList(t.db, officer, { unit: '02905', date: TODAY }, TODAY, 'en');
    expect(items(l)[1].text).toContain('expires on 30/11/2026. Renewal for 12 months: 1.366.200 ₫. Pay at: Bùi Thị Thu, phone 0987654321.');
  });

  it('refuses another commune or the province to a commune officer; a province sees both communes', async () => {
    expect((await failure(reminderList(t.db, officer, { unit: '02923' }, TODAY))).code).toBe('out_of_scope');
    expect((await failure(reminderList(t.db, officer, { unit: '15' }, TODAY))).code).toBe('out_of_scope');
    expect((await failure(markSent(t.db, otherOfficer, { unit: '02905.T1' }, TODAY))).code).toBe('out_of_scope');
    const p = await reminderList(t.db, provinceStaff, { unit: '15', date: TODAY }, TODAY, 'vi');
    expect(p.summary.persons).toBe(4);
    const giang = items(p).find((i) => i.personId === ids['giang'])!;
    expect(giang.payAt).toMatchObject({ kind: 'commune', text: 'UBND Xã Gia Phú' });
    // the totals without the persons (a province's page asks a village's when it is opened)
    const totals = await reminderList(t.db, provinceStaff, { unit: '15', date: TODAY, items: false }, TODAY, 'vi');
    expect([totals.summary, totals.villages.map((x) => [x.name, x.persons, x.items.length])]).toEqual([p.summary, p.villages.map((x) => [x.name, x.persons, 0])]);
    // a village: its persons only
    const v = await reminderList(t.db, officer, { unit: '02905.T2', date: TODAY }, TODAY, 'vi');
    expect(items(v).map((i) => i.personId)).toEqual([ids['em']]);
  });

  it('a bad window is refused with the field named', async () => {
    const e = await failure(reminderList(t.db, officer, { unit: '02905', days: 400 }, TODAY));
    expect(e.fields.map((f) => f.path)).toEqual(['days']);
    const r = await failure(renewalRate(t.db, officer, { unit: '02905', from: '2026-12-31', to: '2026-11-01' }, TODAY));
    expect(r.fields.map((f) => f.path)).toEqual(['to']);
  });
});

describe(`the journal of reminders sent (${engineName})`, () => {
  it('exports the CSV for the sender, without persons lacking a phone, and records it once with --mark-sent', async () => {
    const r = await exportCsv(t.db, officer, { unit: '02905.T1', date: TODAY, markSent: true, channel: 'sms' }, TODAY, 'vi');
    const lines = r.csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Số điện thoại,Nội dung,Họ tên (che),Xã,Thôn,Mã hộ,Hạn nộp,Số tiền (đồng),Nơi nộp,Mã tham chiếu');
    expect(lines).toHaveLength(3);
    expect(lines[1].startsWith('0912345678,"BHXH nhắc: thẻ BHYT của Nguyễn V. A.')).toBe(true);
    expect(r.marked).toEqual({ recorded: 2, alreadySent: 0, offsetDays: 30, channel: 'sms' });
    const again = await exportCsv(t.db, officer, { unit: '02905.T1', date: TODAY, markSent: true }, TODAY, 'vi');
    expect([again.rows, again.marked?.recorded]).toEqual([0, 0]);
  });

  it('nobody is reminded twice for the same card, end date and offset; a closer offset reminds again', async () => {
    const before = await reminderList(t.db, officer, { unit: '02905', date: TODAY }, TODAY, 'vi');
    expect([before.summary.persons, before.summary.alreadySent]).toEqual([1, 2]);
    expect(await markSent(t.db, officer, { unit: '02905', date: TODAY, channel: 'list' }, TODAY)).toEqual({ recorded: 1, alreadySent: 0, offsetDays: 30, channel: 'list' });
    expect(await markSent(t.db, officer, { unit: '02905', date: TODAY }, TODAY)).toMatchObject({ recorded: 0 });
    const after = await reminderList(t.db, officer, { unit: '02905', date: TODAY, includeSent: true }, TODAY, 'vi');
    expect(items(after).every((i) => i.sent)).toBe(true);
    const rows = await t.db.selectFrom('reminderSent').selectAll().where('communeCode', '=', '02905').execute();
    expect(rows.map((r) => [r.subjectId, r.endsOn, r.offsetDays, r.channel]).sort()).toEqual(
      [
        [cards['an'], '2026-11-30', 30, 'sms'],
        [cards['binh'], '2026-12-10', 30, 'sms'],
        [cards['em'], '2026-12-15', 30, 'list'],
      ].sort(),
    );
    // a week before the end: a second reminder, for the cards ending within 7 days of 3 December
    const week = await reminderList(t.db, officer, { unit: '02905', date: '2026-12-03', days: 7 }, TODAY, 'vi');
    expect(items(week).map((i) => i.personId)).toEqual([ids['binh']]);
    const audits = await t.db.selectFrom('auditLog').select(['action', 'entity', 'entityId', 'after']).where('entity', '=', 'reminder').orderBy('at').execute();
    expect(audits.map((a) => [a.action, a.entityId])).toEqual([
      ['reminders_sent', '02905.T1'],
      ['reminders_sent', '02905'],
    ]);
    expect(audits[0].after).toMatchObject({ recorded: 2, offsetDays: 30, channel: 'sms', amount: FIRST + SECOND });
  });

  it('nobody once renewed: a new card takes the person off every list', async () => {
    await register.createCard(t.db, system, { personId: ids['binh'], groupCode: 'GD', validFrom: '2026-12-11', validTo: '2027-12-10' });
    const week = await reminderList(t.db, officer, { unit: '02905', date: '2026-12-03', days: 7, includeSent: true }, TODAY, 'vi');
    expect(items(week)).toEqual([]);
    const l = await reminderList(t.db, officer, { unit: '02905', date: TODAY, includeSent: true }, TODAY, 'vi');
    expect(items(l).map((i) => i.personId)).not.toContain(ids['binh']);
  });

  it('the renewal rate of reminded against not-reminded cards', async () => {
    // cards ended in November-December 2026, judged on 1 February 2027: An (reminded, not renewed), Bình (reminded,
    // renewed), Em (reminded, not renewed), Cường (not reminded, renewed), Phủ (state-paid, not reminded, not renewed)
    const r = await renewalRate(t.db, officer, { unit: '02905', from: '2026-11-01', to: '2026-12-31' }, '2027-02-01');
    expect(r.reminded).toEqual({ cards: 3, renewed: 1, rate: 1 / 3 });
    expect(r.notReminded).toEqual({ cards: 2, renewed: 1, rate: 0.5 });
    expect(r.pending).toBe(0);
    // judged on 1 January 2027: the cards ended after 2 December are still within their 30 days
    const early = await renewalRate(t.db, officer, { unit: '02905', from: '2026-11-01', to: '2026-12-31' }, '2027-01-01');
    expect(early.pending).toBe(3);
  });
});

describe(`the reminders CLI and API (${engineName})`, () => {
  it('reminders list --json and rate --json', async () => {
    const { json } = await runCli(t, registerRemindersCommands, ['reminders', 'list', '--unit', '15', '--date', TODAY, '--json'], { actor: provinceStaff });
    expect((json[0] as { summary: { persons: number } }).summary.persons).toBe(1);
    const rate = await runCli(t, registerRemindersCommands, ['reminders', 'rate', '--unit', '02905', '--from', '2026-11-01', '--to', '2026-12-31', '--json'], { actor: officer });
    expect(rate.json[0]).toMatchObject({ unit: { code: '02905' } });
  });

  it('serves the list to the commune officer and refuses the other commune’s', async () => {
    const app = await buildApp({ database: t, webDist: false });
    try {
      const headers = { authorization: `Bearer ${(await createToken(t.db, system, officer.username)).token}` };
      const ok = await app.inject({ url: `/api/reminders?unit=02905&date=${TODAY}&includeSent=true`, headers });
      expect(ok.statusCode).toBe(200);
      expect(ok.json().summary.persons).toBe(2);
      expect((await app.inject({ url: `/api/reminders?unit=02923&date=${TODAY}`, headers })).statusCode).toBe(403);
      const csv = await app.inject({ url: `/api/reminders/export.csv?unit=02905&date=2026-11-25&days=30`, headers });
      expect([csv.statusCode, csv.headers['content-type']]).toEqual([200, 'text/csv; charset=utf-8']);
      const rate = await app.inject({ url: '/api/reminders/rate?unit=02905&from=2026-11-01&to=2026-12-31', headers });
      expect(rate.statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

