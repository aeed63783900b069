/**
 * Handover events, expected recipients, results with evidence, the move to 'handed_over' and the handover
 * minutes PDF (issue 6, item 6), on PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { AppError } from '../../../errors';
import { errorBody } from '../../../http/plugins/errors';
import { buildApp } from '../../../http/app';
import { pdfText } from '../../../io/pdf-text';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../../test/db';
import { failure, runCli } from '../../../test/helpers';
import { readAudit } from '../../audit/audit.service';
import { handoverWorld, DEADLINE, UNNAMED_DONOR, type HandoverWorld } from './handover.fixture';
import * as handover from './handover.service';
import { handoverMinutesPdf } from './handover.minutes';
import * as offices from '../../offices/offices.service';
import { PROJECT_ROOT } from '../../../config';

const SCREENSHOTS = path.join(PROJECT_ROOT, 'test-results', 'screenshots');
import { registerHandoverCommands } from './handover.cli';
import * as register from '../../register/register.service';
import * as donors from '../money/donors.service';

let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  t = await testDatabase();
  app = await buildApp({ database: t, webDist: false });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const fieldsOf = (e: AppError, lang: 'vi' | 'en' = 'vi') => errorBody(lang, e.code, e.params, e.fields).error.fields ?? [];

const PNG = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.from('fake image body')]);
const JPEG = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0]), Buffer.from('jfif body')]);

describe(`handover events and results (${engineName})`, () => {
  let w: HandoverWorld;
  let e1: string;
  let e2: string;
  beforeAll(async () => {
    w = await handoverWorld(t.db, system);
  });

  it('adds an event per commune and expects there every card of the commune; flags events after the deadline', async () => {
    const first = await handover.addEvent(t.db, system, w.programmeId, { communeCode: w.c1.code, heldOn: '2025-12-15', place: 'Nhà văn hóa thôn Phố Lu', note: 'Trước Tết' });
    expect(first).toMatchObject({ communeCode: w.c1.code, communeName: w.c1.name, heldOn: '2025-12-15', overdue: false, assigned: 3, counts: { expected: 3 } });
    const late = await handover.addEvent(t.db, system, w.programmeId, { communeCode: w.c2.code, heldOn: '2025-12-28', place: 'Trường THCS' });
    expect(late).toMatchObject({ assigned: 1, overdue: true });
    expect(late.heldOn > DEADLINE).toBe(true);
    e1 = first.id;
    e2 = late.id;

    const overview = await handover.handoverOverview(t.db, system, w.programmeId);
    expect(overview.events.map((e) => [e.communeCode, e.counts.expected, e.overdue])).toEqual([
      [w.c1.code, 3, false],
      [w.c2.code, 1, true],
    ]);
    expect(overview.unassigned).toEqual([]);
    expect(overview.communes).toEqual(
      expect.arrayContaining([
        { code: w.c1.code, name: w.c1.name, cards: 3, unassigned: 0 },
        { code: w.c2.code, name: w.c2.name, cards: 1, unassigned: 0 },
      ]),
    );
    expect(overview.totals).toEqual({ expected: 4, received: 0, absent: 0, refused: 0, unassigned: 0, cards: 4 });
    expect(overview.complete).toBe(false);

    const detail = await handover.eventDetail(t.db, system, e1);
    expect(detail.recipients.map((r) => r.fullName).sort()).toEqual(['Lò Văn Minh', 'Nguyễn Thị Hồng', 'Vàng A Páo']);
    expect(detail.recipients.find((r) => r.awardId === w.awards.hong)).toMatchObject({ birthYear: 2009, cardNumber: w.facts[0].cardNumber, cardFrom: '2025-12-01', cardTo: '2026-11-30', result: 'expected' });

    const log = await readAudit(t.db, system, { entity: 'handover_event', entityId: e1 });
    expect(log).toHaveLength(1);
    expect(log[0].after).toMatchObject({ assigned: 3, place: 'Nhà văn hóa thôn Phố Lu' });
  });

  it('refuses an event in a unit that is not a commune, naming the field', async () => {
    const e = await failure(handover.addEvent(t.db, system, w.programmeId, { communeCode: '15', heldOn: '2025-12-15', place: 'X' }));
    expect(fieldsOf(e)).toEqual([{ path: 'communeCode', message: '15 không phải là một xã/phường/đặc khu' }]);
    const bad = await failure(handover.addEvent(t.db, system, w.programmeId, { communeCode: w.c1.code, heldOn: '2025-02-30', place: '' }));
    expect(fieldsOf(bad).map((f) => f.path).sort()).toEqual(['heldOn', 'place']);
  });

  it('moves a card to another event, and audits it', async () => {
    const moved = await handover.moveRecipient(t.db, system, e2, w.awards.pao);
    expect(moved.eventId).toBe(e2);
    expect((await handover.eventDetail(t.db, system, e1)).recipients).toHaveLength(2);
    expect((await handover.eventDetail(t.db, system, e2)).event.counts.expected).toBe(2);
    const back = await handover.moveRecipient(t.db, system, e1, w.awards.pao);
    expect(back.eventId).toBe(e1);
    expect((await readAudit(t.db, system, { entity: 'handover_result', entityId: w.awards.pao })).map((a) => a.action)).toEqual(['move', 'move']);
  });

  it('records results: received needs who received it; evidence is type-checked and size-limited', async () => {
    const noWho = await failure(handover.recordResult(t.db, system, w.awards.hong, { result: 'received' }));
    expect(fieldsOf(noWho)).toEqual([{ path: 'receivedBy', message: 'Ghi rõ người nhận thẻ (bản thân hoặc người thân)' }]);
    const text = await failure(handover.recordResult(t.db, system, w.awards.hong, { result: 'received', receivedBy: 'Bản thân' }, { name: 'a.txt', data: Buffer.from('hello') }));
    expect(fieldsOf(text, 'en')).toEqual([{ path: 'evidence', message: 'The evidence must be a photo (JPEG, PNG, WebP) or a PDF scan' }]);
    const big = Buffer.concat([PNG, Buffer.alloc(handover.EVIDENCE_MAX_BYTES)]);
    const tooBig = await failure(handover.recordResult(t.db, system, w.awards.hong, { result: 'received', receivedBy: 'Bản thân' }, { name: 'big.png', data: big }));
    expect(fieldsOf(tooBig)).toEqual([{ path: 'evidence', message: 'Tệp minh chứng quá lớn (tối đa 5 MB)' }]);

    const got = await handover.recordResult(t.db, system, w.awards.hong, { result: 'received', receivedBy: 'Mẹ: Lò Thị Mai' }, { name: '../../ảnh ký nhận.png', data: PNG });
    expect(got).toMatchObject({ result: 'received', receivedBy: 'Mẹ: Lò Thị Mai', awardStatus: 'handed_over', evidence: { name: 'ảnh ký nhận.png', type: 'image/png', size: PNG.length } });
    const file = await handover.evidenceOf(t.db, system, w.awards.hong);
    expect(file.type).toBe('image/png');
    expect(file.data.equals(PNG)).toBe(true);

    // a correction: absent puts the award back to issued and drops the receiver
    const absent = await handover.recordResult(t.db, system, w.awards.minh, { result: 'absent', note: 'Đi làm xa' });
    expect(absent).toMatchObject({ result: 'absent', receivedBy: null, awardStatus: 'issued', evidence: null });
    const log = await readAudit(t.db, system, { entity: 'handover_result', entityId: w.awards.hong });
    expect(log[0]).toMatchObject({ action: 'record' });
    expect(log[0].after).toMatchObject({ result: 'received', evidence: { name: 'ảnh ký nhận.png', type: 'image/png' } });
    expect((await handover.eventDetail(t.db, system, e1)).event.counts).toEqual({ expected: 1, received: 1, absent: 1, refused: 0 });
  });

  it("refuses a received card while open cards remain; then moves the programme to 'handed_over'", async () => {
    const open = await failure(handover.completeHandover(t.db, system, w.programmeId));
    expect(fieldsOf(open)).toEqual([{ path: 'programme', message: 'Còn 2/4 thẻ chưa có kết quả bàn giao' }]);
    await handover.recordResult(t.db, system, w.awards.pao, { result: 'refused', note: 'Đã có thẻ hộ nghèo' });
    await handover.recordResult(t.db, system, w.awards.ha, { result: 'received', receivedBy: 'Bản thân' }, { name: 'ky.jpg', data: JPEG });
    const before = await handover.handoverOverview(t.db, system, w.programmeId);
    expect(before.complete).toBe(true);
    const after = await handover.completeHandover(t.db, system, w.programmeId, 'Đã bàn giao xong', true);
    expect(after.status).toBe('handed_over');
    const changes = await t.db.selectFrom('programmeStatusChange').select(['toStatus', 'note']).where('programmeId', '=', w.programmeId).orderBy('at').execute();
    expect(changes.at(-1)).toEqual({ toStatus: 'handed_over', note: 'Đã bàn giao xong' });
    // handed over: the results are history
    const late = await failure(handover.recordResult(t.db, system, w.awards.minh, { result: 'received', receivedBy: 'Bản thân' }));
    expect(fieldsOf(late)).toEqual([{ path: 'programme', message: 'Chương trình đang ở trạng thái không cho phép việc này' }]);
    expect((await failure(handover.addEvent(t.db, system, w.programmeId, { communeCode: w.c1.code, heldOn: '2025-12-30', place: 'X' }))).code).toBe('validation');
  });

  it('writes the handover minutes in Vietnamese with the cards and a signature table', async () => {
    const { pdf, fileName } = await handoverMinutesPdf(t.db, system, e1);
    expect(fileName).toBe(`bien-ban-ban-giao-${w.c1.code}-2025-12-15.pdf`);
    // table cells may wrap: compare with single spaces
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('BIÊN BẢN BÀN GIAO THẺ BẢO HIỂM Y TẾ');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('Nguyễn Thị Hồng');
    expect(text).toContain('Vàng A Páo');
    expect(text).toContain('Xã Bảo Thắng');
    expect(text).toContain('Nhà văn hóa thôn Phố Lu');
    expect(text).toContain('Hôm nay, ngày 15 tháng 12 năm 2025');
    expect(text).toContain(w.facts[0].cardNumber);
    expect(text).toContain('01/12/2025 - 30/11/2026');
    expect(text).toContain('Đã nhận (Mẹ: Lò Thị Mai)');
    expect(text).toContain('Vắng mặt');
    expect(text).toContain('Ký nhận');
    expect(text).toContain('ĐẠI DIỆN NHÀ TÀI TRỢ');
    // the donors whose money bought this event's cards
    expect(text).toContain('3. Nhà tài trợ: Công ty Cổ phần Hòa Phát Lào Cai');
    expect(text).toContain('(Ký, ghi rõ họ tên)');
    // the other commune's card is not on this event's minutes
    expect(text).not.toContain('Trần Thị Thu Hà');
  });

  it('names the issuing office, the number, the place and date; a donor only with their consent', async () => {
    const before = (await pdfText((await handoverMinutesPdf(t.db, system, e1)).pdf)).replace(/\s+/g, ' ');
    // no office recorded for the commune: the commune's People's Committee issues the minutes, not an invented office
    expect(before).toContain('ỦY BAN NHÂN DÂN XÃ BẢO THẮNG');
    expect(before).not.toContain('BẢO HIỂM XÃ HỘI XÃ');
    expect(before).toContain('Số: ……/BB-BGT');
    expect(before).toContain('Bảo Thắng, ngày 15 tháng 12 năm 2025');
    expect(before).not.toContain(UNNAMED_DONOR.name);
    await offices.createOffice(t.db, system, { code: '1000', name: 'Bảo hiểm xã hội tỉnh Lào Cai', kind: 'si_province', parentCode: '15' });
    await offices.createOffice(t.db, system, { code: '1005', name: 'Bảo hiểm xã hội cơ sở Bảo Thắng', kind: 'si_grassroots', parentCode: '1000', communes: [w.c1.code] });
    const text = (await pdfText((await handoverMinutesPdf(t.db, system, e1, 'vi', { number: '12' })).pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('BẢO HIỂM XÃ HỘI TỈNH LÀO CAI BẢO HIỂM XÃ HỘI CƠ SỞ BẢO THẮNG');
    expect(text).toContain('Số: 12/BB-BGT');
    expect(text).toContain('1. Cơ quan Bảo hiểm xã hội: Bảo hiểm xã hội cơ sở Bảo Thắng');
    // set in Tinos (Times New Roman's metrics), embedded: not in the app's sans-serif
    const { pdf } = await handoverMinutesPdf(t.db, system, e1);
    expect(pdf.toString('latin1')).toMatch(/\/BaseFont \/[A-Z]{6}\+Tinos/);
    expect(pdf.toString('latin1')).not.toMatch(/\/BaseFont \/[A-Z]{6}\+Roboto/);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    fs.writeFileSync(path.join(SCREENSHOTS, 'minutes-office.pdf'), pdf);
  });
});

describe(`handover over HTTP (${engineName})`, () => {
  let w: HandoverWorld;
  beforeAll(async () => {
    w = await handoverWorld(t.db, system);
  });

  async function login(role: 'province_staff' | 'commune_officer' | 'viewer', scope: string) {
    const u = await makeUser(t, role, scope);
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    return { cookie: `cd_session=${res.cookies[0].value}`, 'x-csrf-token': res.json().csrfToken as string };
  }

  function form(fields: Record<string, string>, file?: { name: string; type: string; data: Buffer }) {
    const boundary = '----coverdesk' + Math.random().toString(16).slice(2);
    const parts: Buffer[] = [];
    for (const [k, v] of Object.entries(fields)) parts.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${k}"\r\n\r\n${v}\r\n`));
    if (file)
      parts.push(
        Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="evidence"; filename="${file.name}"\r\nContent-Type: ${file.type}\r\n\r\n`),
        file.data,
        Buffer.from('\r\n'),
      );
    parts.push(Buffer.from(`--${boundary}--\r\n`));
    return { payload: Buffer.concat(parts), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
  }

  it('adds an event, records a result with an evidence upload, serves the evidence to staff only, and the minutes', async () => {
    const staff = await login('province_staff', '15');
    const added = await app.inject({
      method: 'POST',
      url: `/api/programmes/${w.programmeId}/handover/events`,
      headers: staff,
      payload: { communeCode: w.c1.code, heldOn: '2025-12-10', place: 'UBND xã' },
    });
    expect(added.statusCode).toBe(201);
    const event = added.json();
    expect(event).toMatchObject({ assigned: 3, overdue: false });

    const missing = await app.inject({ method: 'POST', url: `/api/programmes/${w.programmeId}/handover/events`, headers: staff, payload: { heldOn: '2025-12-10' } });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['communeCode', 'place']);

    const upload = form({ result: 'received', receivedBy: 'Bản thân', note: '' }, { name: 'chu-ky.png', type: 'image/png', data: PNG });
    const recorded = await app.inject({ method: 'POST', url: `/api/handover/results/${w.awards.hong}`, headers: { ...staff, ...upload.headers }, payload: upload.payload });
    expect(recorded.statusCode).toBe(200);
    expect(recorded.json()).toMatchObject({ result: 'received', receivedBy: 'Bản thân', note: null, evidence: { name: 'chu-ky.png', type: 'image/png' } });

    const wrong = form({ result: 'received', receivedBy: 'Bản thân' }, { name: 'x.png', type: 'image/png', data: Buffer.from('<html>not an image</html>') });
    const refused = await app.inject({ method: 'POST', url: `/api/handover/results/${w.awards.minh}`, headers: { ...staff, ...wrong.headers }, payload: wrong.payload });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields).toEqual([{ path: 'evidence', message: 'Tệp minh chứng phải là ảnh (JPEG, PNG, WebP) hoặc bản quét PDF' }]);

    const json = await app.inject({ method: 'POST', url: `/api/handover/results/${w.awards.minh}`, headers: staff, payload: { result: 'absent' } });
    expect(json.statusCode).toBe(200);
    expect(json.json().result).toBe('absent');

    const file = await app.inject({ method: 'GET', url: `/api/handover/results/${w.awards.hong}/evidence`, headers: staff });
    expect(file.statusCode).toBe(200);
    expect(file.headers['content-type']).toBe('image/png');
    expect(file.headers['x-content-type-options']).toBe('nosniff');
    expect(file.rawPayload.equals(PNG)).toBe(true);
    const anonymous = await app.inject({ method: 'GET', url: `/api/handover/results/${w.awards.hong}/evidence` });
    expect(anonymous.statusCode).toBe(401);
    // a commune officer elsewhere does not see the programme at all
    const other = await t.db.selectFrom('unit').select('code').where('level', '=', 'commune').where('parentCode', '=', '01').limit(1).executeTakeFirstOrThrow();
    const outsider = await login('commune_officer', other.code);
    expect((await app.inject({ method: 'GET', url: `/api/handover/results/${w.awards.hong}/evidence`, headers: outsider })).statusCode).toBe(404);
    // a viewer of the province reads, but does not record
    const viewer = await login('viewer', '15');
    expect((await app.inject({ method: 'GET', url: `/api/handover/results/${w.awards.hong}/evidence`, headers: viewer })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: `/api/handover/results/${w.awards.pao}`, headers: viewer, payload: { result: 'absent' } })).statusCode).toBe(403);

    const minutes = await app.inject({ method: 'GET', url: `/api/handover/events/${event.id}/minutes.pdf`, headers: staff });
    expect(minutes.statusCode).toBe(200);
    expect(minutes.headers['content-type']).toBe('application/pdf');
    expect(await pdfText(minutes.rawPayload)).toContain('BIÊN BẢN BÀN GIAO');

    const overview = await app.inject({ method: 'GET', url: `/api/programmes/${w.programmeId}/handover`, headers: staff });
    expect(overview.statusCode).toBe(200);
    expect(overview.json()).toMatchObject({ totals: { received: 1, absent: 1, expected: 1, unassigned: 1, cards: 4 }, complete: false });
    expect(overview.json().unassigned.map((r: { awardId: string }) => r.awardId)).toEqual([w.awards.ha]);

    const notYet = await app.inject({ method: 'POST', url: `/api/programmes/${w.programmeId}/handover/complete`, headers: staff, payload: {} });
    expect(notYet.statusCode).toBe(400);

    const huge = form({ result: 'received', receivedBy: 'Bản thân' }, { name: 'big.png', type: 'image/png', data: Buffer.concat([PNG, Buffer.alloc(handover.EVIDENCE_MAX_BYTES)]) });
    const tooBig = await app.inject({ method: 'POST', url: `/api/handover/results/${w.awards.pao}`, headers: { ...staff, ...huge.headers }, payload: huge.payload });
    expect(tooBig.statusCode).toBe(400);
    expect(tooBig.json().error.fields).toEqual([{ path: 'evidence', message: 'Tệp minh chứng quá lớn (tối đa 5 MB)' }]);
  });

  it('expects a card awarded after its commune\'s event at that event; a commune without an event keeps its cards unassigned', async () => {
    const staff = await login('province_staff', '15');
    const household = await register.createHousehold(t.db, system, { communeCode: w.c1.code, code: 'HO-LATE' });
    const person = await register.createPerson(t.db, system, { householdId: household.id, fullName: 'Giàng Thị Say', birthDate: '2015-05-05', sex: 'female' }, '2025-12-01');
    const late = await donors.awardOne(t.db, system, w.programmeId, { personId: person.id, groupCode: 'HS', amount: 100_000, confirm: { count: 1, amount: 100_000 } });
    const before = (await app.inject({ url: `/api/programmes/${w.programmeId}/handover`, headers: staff })).json();
    expect(before.unassigned.map((r: { awardId: string }) => r.awardId).sort()).toEqual([late.id, w.awards.ha].sort());
    const res = await app.inject({ method: 'POST', url: `/api/programmes/${w.programmeId}/handover/assign`, headers: staff, payload: {} });
    expect(res.statusCode).toBe(200);
    expect(res.json().assigned).toBe(1);
    expect(res.json().unassigned.map((r: { awardId: string }) => r.awardId)).toEqual([w.awards.ha]);
    const event = res.json().events.find((e: { communeCode: string }) => e.communeCode === w.c1.code);
    expect((await handover.eventDetail(t.db, system, event.id)).recipients.map((r) => r.fullName)).toContain('Giàng Thị Say');
    expect((await readAudit(t.db, system, { entity: 'handover_result', entityId: late.id }))[0]).toMatchObject({ action: 'assign', after: { eventId: event.id } });
  });
});

describe(`handover CLI (${engineName})`, () => {
  let w: HandoverWorld;
  let dir: string;
  beforeAll(async () => {
    w = await handoverWorld(t.db, system);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-handover-'));
  });
  afterAll(() => {
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  const run = (args: string[]) => runCli(t, registerHandoverCommands, args);

  it('handover event-add, list, result with evidence, minutes and statement', async () => {
    const added = await run(['handover', 'event-add', '--programme', w.programmeId, '--commune', w.c1.code, '--date', '2025-12-18', '--place', 'Nhà văn hóa']);
    expect(added.printed[0]).toBe('Đã thêm buổi bàn giao; 3 thẻ được xếp vào buổi này');
    const list = await run(['handover', 'list', '--programme', w.programmeId, '--json']);
    const overview = list.json[0] as Awaited<ReturnType<typeof handover.handoverOverview>>;
    expect(overview.events).toHaveLength(1);
    expect(overview.unassigned.map((r) => r.fullName)).toEqual(['Trần Thị Thu Hà']);
    const text = await run(['handover', 'list', '--programme', w.programmeId]);
    expect(text.printed.at(-1)).toBe('Tổng 4 thẻ: đã nhận 0, vắng mặt 0, từ chối 0, chờ bàn giao 3, chưa xếp buổi 1');

    const photo = path.join(dir, 'ky-nhan.jpg');
    fs.writeFileSync(photo, JPEG);
    const rec = await run(['handover', 'result', '--award', w.awards.hong, '--result', 'received', '--by', 'Bản thân', '--evidence', photo, '--json']);
    expect(rec.json[0]).toMatchObject({ result: 'received', receivedBy: 'Bản thân', evidence: { name: 'ky-nhan.jpg', type: 'image/jpeg' } });
    await expect(run(['handover', 'result', '--award', w.awards.minh, '--result', 'gone'])).rejects.toMatchObject({ code: 'validation' });

    const pdf = path.join(dir, 'bien-ban.pdf');
    await run(['minutes', '--event', overview.events[0].id, '--pdf', pdf]);
    expect((await pdfText(fs.readFileSync(pdf))).replace(/\s+/g, ' ')).toContain('BIÊN BẢN BÀN GIAO THẺ BẢO HIỂM Y TẾ');

    const statement = await run(['statement', '--programme', w.programmeId, '--donor', w.namedDonorId]);
    expect(statement.printed).toContain('  Nguyễn T. H., 2009, Xã Bảo Thắng  HS  379.080 ₫  Đã trao thẻ');
    const spdf = path.join(dir, 'sao-ke.pdf');
    await run(['statement', '--programme', w.programmeId, '--donor', w.namedDonorId, '--pdf', spdf]);
    const stext = await pdfText(fs.readFileSync(spdf));
    expect(stext).toContain('BÁO CÁO SỬ DỤNG TIỀN TÀI TRỢ');
    expect(stext).not.toContain('Nguyễn Thị Hồng');
  });
});
