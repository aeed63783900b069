/**
 * Outreach events (issue 20 item 4), on both engines, as a commune officer with another commune's events
 * and persons present: recording, the refusals naming their field (attendance of an event to come,
 * negative counts, a person out of scope, a campaign of another area, evidence files too large or of
 * another type), the enrolments attributed to attendees within N days, the lists per unit and campaign
 * with totals, the audit, the evidence files over HTTP, and the CLI's JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../errors';
import { buildApp } from '../../http/app';
import { errorBody } from '../../http/plugins/errors';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { createCampaign } from '../campaigns/campaigns.service';
import { outreachFixture, TODAY, type OutreachFixture } from '../outreach/outreach.fixture';
import { createCard, createVsiPeriod } from '../register/register.service';
import { registerEventCommands } from './events.cli';
import * as events from './events.service';

let t: TestDatabase;
let f: OutreachFixture;
let app: Awaited<ReturnType<typeof buildApp>>;
let provinceCampaign: string;
let otherCampaign: string;

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake image body')]);
const PDF = Buffer.from('%PDF-1.4\n% minutes of the conference\n');
const WEBP = Buffer.concat([Buffer.from('RIFF'), Buffer.from([0, 0, 0, 0]), Buffer.from('WEBPVP8 ')]);
const fieldsOf = (e: AppError, lang: 'vi' | 'en' = 'vi') => errorBody(lang, e.code, e.params, e.fields).error.fields ?? [];

beforeAll(async () => {
  t = await testDatabase();
  f = await outreachFixture(t);
  app = await buildApp({ database: t, webDist: false });
  await app.ready();
  const province = (await t.db.selectFrom('unit').select('parentCode').where('code', '=', '02905').executeTakeFirstOrThrow()).parentCode!;
  provinceCampaign = (await createCampaign(t.db, system, { unitCode: province, name: 'Tháng vận động tỉnh', startsOn: '2026-11-01', endsOn: '2026-11-30' })).id;
  otherCampaign = (await createCampaign(t.db, system, { unitCode: '02923', name: 'Chiến dịch xã khác', startsOn: '2026-11-01', endsOn: '2026-11-30' })).id;
  // after the conference of 01/11/2026: An (never insured) gets a household card from the 10th: enrolled;
  // Bình (card ended 31/12/2025) comes back from the 15th: enrolled; Hoa starts voluntary social insurance
  // on the 3rd: enrolled; Dũng, covered until 05/12/2026, takes nothing new; Khoa's card starts on
  // 05/12/2026, 34 days after: not within 30 days (within 40)
  await createCard(t.db, system, { personId: f.persons['An'], groupCode: 'GD', validFrom: '2026-11-10', validTo: '2027-11-09' });
  await createCard(t.db, system, { personId: f.persons['Bình'], groupCode: 'GD', validFrom: '2026-11-15', validTo: '2027-11-14' });
  await createVsiPeriod(t.db, system, { personId: f.persons['Hoa'], validFrom: '2026-11-03', validTo: '2027-02-02', monthlyIncome: 1_500_000, paymentMonths: 3 });
  await createCard(t.db, system, { personId: f.persons['Khoa'], groupCode: 'GD', validFrom: '2026-12-05', validTo: '2027-12-04' });
  // Long (the other commune) attends the other commune's event and enrols: never seen by our officer
  await createCard(t.db, system, { personId: f.persons['Long'], groupCode: 'GD', validFrom: '2026-11-05', validTo: '2027-11-04' });
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

describe(`outreach events (${engineName})`, () => {
  let conference: string;
  let other: string;

  it('records an event with its attendees and attributes the enrolments within 30 days after it', async () => {
    const e = await events.createEvent(
      t.db,
      f.officer,
      {
        kind: 'dialogue_conference',
        heldOn: '2026-11-01',
        communeCode: '02905',
        villageCode: 'T1',
        place: 'Nhà văn hóa thôn Một',
        organiser: 'UBND xã',
        campaignId: provinceCampaign,
        attendance: 40,
        leaflets: 120,
        consultations: 15,
        cost: 2_500_000,
        attendees: ['An', 'Bình', 'Dũng', 'Hoa', 'Khoa'].map((n) => f.persons[n]),
      },
      TODAY,
    );
    conference = e.id;
    expect(e).toMatchObject({ communeCode: '02905', villageCode: '02905.T1', villageName: 'Thôn Một', campaignName: 'Tháng vận động tỉnh', attendance: 40, cost: 2_500_000 });
    expect(e.attribution).toEqual({ days: 30, attendees: 5, enrolled: 3, pct: 60 });
    const byName = Object.fromEntries(e.attendees.map((a) => [a.fullName.split(' ').pop(), [a.bhytFrom, a.vsiFrom]]));
    expect(byName).toEqual({ An: ['2026-11-10', null], Bình: ['2026-11-15', null], Dũng: [null, null], Hoa: [null, '2026-11-03'], Khoa: [null, null] });
    // a wider window counts Khoa
    expect((await events.getEvent(t.db, f.officer, e.id, 40)).attribution).toEqual({ days: 40, attendees: 5, enrolled: 4, pct: 80 });
    const audit = await t.db.selectFrom('auditLog').select(['action', 'actorId', 'unitCode']).where('entity', '=', 'outreach_event').where('entityId', '=', e.id).execute();
    expect(audit).toEqual([{ action: 'create', actorId: f.officer.userId, unitCode: '02905' }]);

    other = (
      await events.createEvent(t.db, f.otherOfficer, { kind: 'mobile_propaganda', heldOn: '2026-11-02', communeCode: '02923', campaignId: otherCampaign, attendance: 300, leaflets: 999, cost: 9_000_000, attendees: [f.persons['Long']] }, TODAY)
    ).id;
  });

  it("shows a commune officer their commune's events only, with totals; per campaign too", async () => {
    await events.createEvent(t.db, f.officer, { kind: 'leaflet_distribution', heldOn: '2026-11-05', communeCode: '02905', campaignId: provinceCampaign, leaflets: 500, cost: 300_000, attendees: [f.persons['An']] }, TODAY);
    const mine = await events.listEvents(t.db, f.officer, {});
    expect(mine.events.map((e) => e.kind)).toEqual(['leaflet_distribution', 'dialogue_conference']);
    // An attended both: counted once in the totals
    expect(mine.totals).toEqual({ events: 2, attendance: 40, leaflets: 620, consultations: 15, cost: 2_800_000, attendees: 5, enrolled: 3 });
    expect(mine.events[0].attribution).toEqual({ days: 30, attendees: 1, enrolled: 1, pct: 100 });
    expect((await events.listEvents(t.db, f.officer, { campaign: provinceCampaign })).totals.events).toBe(2);
    expect((await events.listEvents(t.db, f.officer, { campaign: otherCampaign })).events).toEqual([]);
    // province staff see both communes' events
    const staff = (await makeUser(t, 'province_staff', (await t.db.selectFrom('unit').select('parentCode').where('code', '=', '02905').executeTakeFirstOrThrow()).parentCode!)).actor;
    expect((await events.listEvents(t.db, staff, {})).totals).toMatchObject({ events: 3, attendance: 340, attendees: 6, enrolled: 4 });
    // the other commune's event does not exist for our officer
    expect((await failure(events.getEvent(t.db, f.officer, other))).code).toBe('not_found');
    expect((await failure(events.listEvents(t.db, f.officer, { unit: '02923' }))).code).toBe('out_of_scope');
    expect((await failure(events.changeAttendees(t.db, f.officer, other, { add: [f.persons['An']] }, TODAY))).code).toBe('not_found');
  });

  it('refuses bad input, naming the field, and changes nothing', async () => {
    const count = async () => Number((await t.db.selectFrom('outreachEvent').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    const base = { kind: 'customer_conference' as const, heldOn: '2026-11-10', communeCode: '02905' };
    const future = await failure(events.createEvent(t.db, f.officer, { ...base, heldOn: '2026-12-01', attendance: 50 }, TODAY));
    expect(fieldsOf(future)).toEqual([{ path: 'attendance', message: 'Sự kiện ngày 2026-12-01 chưa diễn ra: số người tham dự chỉ ghi sau khi sự kiện diễn ra' }]);
    expect(fieldsOf(future, 'en')[0].message).toContain('attendance is recorded after it happens');
    const negative = await failure(events.createEvent(t.db, f.officer, { ...base, leaflets: -1 }, TODAY));
    expect(fieldsOf(negative).map((x) => x.path)).toEqual(['leaflets']);
    const outsider = await failure(events.createEvent(t.db, f.officer, { ...base, attendees: [f.persons['An'], f.persons['Long']] }, TODAY));
    expect(fieldsOf(outsider)).toEqual([{ path: 'attendees.1', message: `Không có người ${f.persons['Long']} trong sổ đăng ký thuộc địa bàn của bạn` }]);
    const campaign = await failure(events.createEvent(t.db, f.officer, { ...base, campaignId: otherCampaign }, TODAY));
    expect(fieldsOf(campaign)[0]).toMatchObject({ path: 'campaignId' });
    expect(fieldsOf(campaign)[0].message).toContain('Chiến dịch xã khác');
    expect((await failure(events.createEvent(t.db, f.officer, { ...base, communeCode: '02923' }, TODAY))).code).toBe('out_of_scope');
    expect(fieldsOf(await failure(events.createEvent(t.db, f.officer, { ...base, villageCode: 'X1' }, TODAY))).map((x) => x.path)).toEqual(['villageCode']);
    expect(await count()).toBe(before);
    // an event to come may be planned without attendance, but gets no attendees until it has happened
    const planned = await events.createEvent(t.db, f.officer, { ...base, heldOn: '2026-12-01', leaflets: 200 }, TODAY);
    expect(fieldsOf(await failure(events.changeAttendees(t.db, f.officer, planned.id, { add: [f.persons['An']] }, TODAY))).map((x) => x.path)).toEqual(['attendees']);
    await events.deleteEvent(t.db, f.officer, planned.id);
    // a viewer reads but does not record
    const viewer = (await makeUser(t, 'viewer', '02905')).actor;
    expect((await events.listEvents(t.db, viewer, {})).totals.events).toBe(2);
    expect((await failure(events.createEvent(t.db, viewer, base, TODAY))).code).toBe('forbidden');
  });

  it('changes an event: the attendees replaced, a date moved into the future refused while it has attendance', async () => {
    const e = await events.createEvent(t.db, f.officer, { kind: 'thematic_session', heldOn: '2026-11-08', communeCode: '02905', attendance: 12, attendees: [f.persons['Dũng']] }, TODAY);
    const changed = await events.updateEvent(t.db, f.officer, e.id, { organiser: 'Hội Nông dân', attendees: [f.persons['An'], f.persons['Hoa']] }, TODAY);
    expect(changed.organiser).toBe('Hội Nông dân');
    expect(changed.attendees.map((a) => a.fullName).sort()).toEqual(['Hoàng Thị Hoa', 'Nguyễn Văn An']);
    // An's card (10/11) and Hoa's period (03/11): only An's starts after 08/11
    expect(changed.attribution).toMatchObject({ attendees: 2, enrolled: 1 });
    const moved = await failure(events.updateEvent(t.db, f.officer, e.id, { heldOn: '2026-12-24' }, TODAY));
    expect(fieldsOf(moved).map((x) => x.path)).toEqual(['attendance', 'attendees']);
    expect((await failure(events.updateEvent(t.db, f.otherOfficer, e.id, { note: 'x' }, TODAY))).code).toBe('not_found');
    const audit = await t.db.selectFrom('auditLog').select(['action']).where('entity', '=', 'outreach_event').where('entityId', '=', e.id).orderBy('at').execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'update']);
    await events.deleteEvent(t.db, f.officer, e.id);
  });

  it('keeps evidence files checked by their bytes, 10 MB at most, served to staff of the area only', async () => {
    const e = await events.attachFile(t.db, f.officer, conference, { name: 'anh-hoi-nghi.png', type: 'application/pdf', data: PNG });
    expect(e.fileList).toMatchObject([{ name: 'anh-hoi-nghi.png', type: 'image/png', size: PNG.length }]);
    const pdf = await events.attachFile(t.db, f.officer, conference, { name: 'bien-ban.pdf', data: PDF });
    expect(pdf.fileList.map((x) => x.type)).toEqual(['image/png', 'application/pdf']);
    const wrong = await failure(events.attachFile(t.db, f.officer, conference, { name: 'x.png', type: 'image/png', data: Buffer.from('not an image') }));
    expect(fieldsOf(wrong)).toEqual([{ path: 'file', message: 'Tệp minh chứng phải là ảnh hoặc PDF (JPEG, PNG, PDF)' }]);
    expect(fieldsOf(await failure(events.attachFile(t.db, f.officer, conference, { name: 'x.webp', data: WEBP })))[0].path).toBe('file');
    const big = await failure(events.attachFile(t.db, f.officer, conference, { name: 'big.png', data: Buffer.concat([PNG, Buffer.alloc(events.EVENT_FILE_MAX_BYTES)]) }));
    expect(fieldsOf(big, 'en')).toEqual([{ path: 'file', message: 'The evidence file is too large (at most 10 MB)' }]);
    expect((await failure(events.fileOf(t.db, f.otherOfficer, conference, e.fileList[0].id))).code).toBe('not_found');
    expect((await events.fileOf(t.db, f.officer, conference, e.fileList[0].id)).data.equals(PNG)).toBe(true);
  });

  it('takes evidence over HTTP (multipart) and serves it to staff of the area only', async () => {
    const login = async (actor: { username: string }, password: string) => {
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: actor.username, password } });
      return { cookie: `cd_session=${res.cookies[0].value}`, 'x-csrf-token': res.json().csrfToken as string };
    };
    const me = await makeUser(t, 'commune_officer', '02905');
    const them = await makeUser(t, 'commune_officer', '02923');
    const mine = await login(me.actor, me.password);
    const theirs = await login(them.actor, them.password);
    const form = (data: Buffer, name = 'photo.jpg') => {
      const boundary = '----events' + Math.random().toString(16).slice(2);
      const payload = Buffer.concat([
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: image/jpeg\r\n\r\n`),
        data,
        Buffer.from(`\r\n--${boundary}--\r\n`),
      ]);
      return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
    };
    const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('jfif body')]);
    const ok = form(JPEG);
    const res = await app.inject({ method: 'POST', url: `/api/events/${conference}/files`, headers: { ...mine, ...ok.headers }, payload: ok.payload });
    expect(res.statusCode).toBe(201);
    const file = res.json().fileList.find((x: { type: string }) => x.type === 'image/jpeg');
    const got = await app.inject({ url: `/api/events/${conference}/files/${file.id}`, headers: mine });
    expect(got.statusCode).toBe(200);
    expect(got.headers['content-type']).toBe('image/jpeg');
    expect(got.headers['x-content-type-options']).toBe('nosniff');
    expect((await app.inject({ url: `/api/events/${conference}/files/${file.id}`, headers: theirs })).statusCode).toBe(404);
    const huge = form(Buffer.concat([JPEG, Buffer.alloc(events.EVENT_FILE_MAX_BYTES)]));
    const tooBig = await app.inject({ method: 'POST', url: `/api/events/${conference}/files`, headers: { ...mine, ...huge.headers }, payload: huge.payload });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.fields).toEqual([{ path: 'file', message: 'Tệp minh chứng quá lớn (tối đa 10 MB)' }]);
    const list = await app.inject({ url: '/api/events', headers: theirs });
    expect(list.json().events.map((e: { communeCode: string }) => e.communeCode)).toEqual(['02923']);
  });

  it('answers the CLI with JSON', async () => {
    const added = await runCli(t, registerEventCommands, ['event', 'add', '--kind', 'thematic_session', '--date', '2026-11-12', '--commune', '02905', '--attendance', '25', '--cost', '1000000', '--json'], { actor: f.officer });
    expect(added.json[0]).toMatchObject({ kind: 'thematic_session', attendance: 25, cost: 1_000_000 });
    const id = added.json[0].id as string;
    const attended = await runCli(t, registerEventCommands, ['event', 'attendees', id, '--add', `${f.persons['Hoa']}`, '--json'], { actor: f.officer });
    expect(attended.json[0]).toMatchObject({ attribution: { attendees: 1, enrolled: 0 } });
    const listed = await runCli(t, registerEventCommands, ['event', 'list', '--json'], { actor: f.officer });
    expect(listed.json[0]).toMatchObject({ totals: { events: 3, attendance: 65 } });
    const printed = await runCli(t, registerEventCommands, ['event', 'list'], { actor: f.officer });
    expect(printed.printed.at(-1)).toContain('3 sự kiện');
    const bad = await failure(runCli(t, registerEventCommands, ['event', 'add', '--kind', 'launch_ceremony', '--date', '2026-11-12', '--commune', '02905', '--consultations', '-3'], { actor: f.officer }));
    expect(fieldsOf(bad).map((x) => x.path)).toEqual(['consultations']);
  });
});
