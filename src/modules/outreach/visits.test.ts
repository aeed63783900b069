/**
 * The visit log (issue 19 items 3, 4 and the bad input list), on both engines: a visit stored once however
 * often it is sent (alone, in a batch, in a batch cut in the middle and sent again), a reused client id
 * refused without overwriting, each bad field named in Vietnamese and English, a person outside the
 * worker's groups refused with 403, a household changed meanwhile stored and flagged, and the follow-up
 * queue.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { addDays } from '../../domain/calendar';
import { todayInVietnam } from '../../domain/dates';
import { buildApp } from '../../http/app';
import { errorBody } from '../../http/plugins/errors';
import { readAudit } from '../audit/audit.service';
import { createToken } from '../access/access.service';
import { updatePerson } from '../register/register.service';
import { doorList } from './doorlist.service';
import { updateGroup } from './groups.service';
import { registerOutreachCommands } from './outreach.cli';
import { NOW, outreachFixture, TODAY, type OutreachFixture } from './outreach.fixture';
import { addVisit, addVisits, followUps, listVisits } from './visits.service';

let t: TestDatabase;
let f: OutreachFixture;

beforeAll(async () => {
  t = await testDatabase();
  f = await outreachFixture(t);
});
afterAll(async () => {
  await t?.cleanup();
});

const countVisits = async () => Number((await t.db.selectFrom('visit').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

const visit = (over: Record<string, unknown> = {}) => ({
  clientId: randomUUID(),
  groupId: f.groupA.id,
  personId: f.persons['Hoa'],
  outcome: 'promised' as const,
  followUp: '2026-11-25',
  visitedAt: '2026-11-20T09:30:00+07:00',
  ...over,
});

describe(`a visit is stored once (${engineName})`, () => {
  it('stores a visit with the phone’s time and the server’s, audited with both', async () => {
    const v = await addVisit(t.db, f.fieldA, visit({ note: 'Hẹn cuối tuần' }), NOW);
    expect(v).toMatchObject({
      outcome: 'promised',
      personId: f.persons['Hoa'],
      householdId: f.households['H4'],
      villageCode: '02905.T2',
      visitedAt: '2026-11-20T02:30:00.000Z',
      visitedOn: '2026-11-20',
      receivedAt: NOW.toISOString(),
      userName: f.fieldA.username,
      flagged: false,
      duplicate: false,
    });
    const [row] = await readAudit(t.db, system, { entity: 'visit', entityId: v.id });
    expect(row).toMatchObject({ action: 'create', actorName: f.fieldA.username });
    expect(row.after).toMatchObject({ visitedAt: '2026-11-20T02:30:00.000Z', receivedAt: NOW.toISOString() });
  });

  it('answers the same client id with the same content as a duplicate, and refuses other content without overwriting', async () => {
    const input = visit();
    const first = await addVisit(t.db, f.fieldA, input, NOW);
    const before = await countVisits();
    const again = await addVisit(t.db, f.fieldA, { ...input }, new Date(NOW.getTime() + 60_000));
    expect(again).toEqual({ ...first, duplicate: true });
    expect(await countVisits()).toBe(before);
    const other = await failure(addVisit(t.db, f.fieldA, { ...input, outcome: 'refused', reason: 'cost', followUp: null }, NOW));
    expect(other.code).toBe('conflict');
    expect(other.fields[0]).toMatchObject({ path: 'clientId', key: 'client_id_reused' });
    // the same id from another user is not theirs to answer
    expect((await failure(addVisit(t.db, f.officer, { ...input }, NOW))).code).toBe('conflict');
    expect(await countVisits()).toBe(before);
    expect((await listVisits(t.db, f.officer, { household: f.households['H4'] })).find((v) => v.clientId === input.clientId)?.outcome).toBe('promised');
  });

  it('takes a batch item by item: stored, duplicate, refused; a batch cut in the middle and sent again stores nothing twice', async () => {
    const items = [
      visit({ personId: f.persons['An'], outcome: 'enrolled', product: 'household_bhyt', receiptNumber: 'BL-001', followUp: null }),
      visit({ personId: f.persons['Bình'], outcome: 'promised', followUp: '2026-11-22' }),
      visit({ personId: f.persons['Khoa'], outcome: 'not_home', followUp: null }),
      visit({ householdId: f.households['H2'], personId: null, outcome: 'not_home', followUp: null }),
    ];
    const before = await countVisits();
    // the phone lost the answer after the first two were stored
    const cut = await addVisits(t.db, f.fieldA, { visits: items.slice(0, 2) }, NOW);
    expect(cut.stored).toBe(2);
    const resend = await addVisits(t.db, f.fieldA, { visits: items }, NOW);
    expect(resend.results.map((r) => r.status)).toEqual(['duplicate', 'duplicate', 'refused', 'stored']);
    expect(resend).toMatchObject({ stored: 1, duplicates: 2, refused: 1 });
    // Khoa lives in another group's village: refused with the reason, nothing stored for him
    expect(resend.results[2].error).toMatchObject({ code: 'out_of_scope' });
    expect(resend.results[2].error?.fields[0]).toMatchObject({ path: 'personId', key: 'person_not_in_group' });
    const again = await addVisits(t.db, f.fieldA, { visits: items }, NOW);
    expect(again).toMatchObject({ stored: 0, duplicates: 3, refused: 1 });
    expect(await countVisits()).toBe(before + 3);
    // the same visit twice in one send, and one send arriving twice at once: stored once (earlier in the day:
    // the latest outcomes stay as they are)
    const twice = visit({ personId: f.persons['An'], outcome: 'not_home', followUp: null, visitedAt: '2026-11-20T08:10:00+07:00' });
    expect((await addVisits(t.db, f.fieldA, { visits: [twice, { ...twice }] }, NOW)).results.map((r) => r.status)).toEqual(['stored', 'duplicate']);
    const both = [visit({ personId: f.persons['An'], outcome: 'not_home', followUp: null, visitedAt: '2026-11-20T08:20:00+07:00' }), visit({ personId: f.persons['Bình'], outcome: 'not_home', followUp: null, visitedAt: '2026-11-20T08:20:00+07:00' })];
    const [x, y] = await Promise.all([addVisits(t.db, f.fieldA, { visits: both }, NOW), addVisits(t.db, f.fieldA, { visits: both }, NOW)]);
    expect(x.stored + y.stored).toBe(2);
    expect(x.duplicates + y.duplicates).toBe(2);
    expect(await countVisits()).toBe(before + 6);
    // a batch is never empty, and holds at most 500
    expect((await failure(addVisits(t.db, f.fieldA, { visits: [] }, NOW))).code).toBe('validation');
  });
});

describe(`bad input changes nothing (${engineName})`, () => {
  it('refuses a person outside the worker’s groups with 403 and the reason, also to the officer of another commune', async () => {
    const before = await countVisits();
    const e = await failure(addVisit(t.db, f.fieldA, visit({ personId: f.persons['Long'] }), NOW));
    expect(e).toMatchObject({ code: 'out_of_scope', status: 403 });
    expect(e.fields).toEqual([expect.objectContaining({ path: 'personId', key: 'person_not_in_group' })]);
    expect(errorBody('vi', e.code, e.params, e.fields).error.message).toBe('Người này ở ngoài địa bàn của tổ Tổ công tác 1');
    expect(errorBody('en', e.code, e.params, e.fields).error.message).toBe("This person lives outside group Tổ công tác 1's villages");
    expect(errorBody('vi', e.code, e.params, e.fields).error.fields![0].message).toBe(
      'Người này không thuộc các hộ ở địa bàn của tổ Tổ công tác 1: ngoài phạm vi được giao',
    );
    expect(errorBody('en', e.code, e.params, e.fields).error.fields![0].message).toBe(
      "This person does not live in a household of group Tổ công tác 1's villages: outside your scope",
    );
    // by citizen id too
    expect((await failure(addVisit(t.db, f.fieldA, visit({ personId: undefined, citizenId: '010088005678' }), NOW))).code).toBe('out_of_scope');
    // another group's worker, the idle worker and another commune's officer do not see the group at all
    expect((await failure(addVisit(t.db, f.fieldB, visit(), NOW))).code).toBe('not_found');
    expect((await failure(addVisit(t.db, f.idle, visit(), NOW))).code).toBe('not_found');
    expect((await failure(addVisit(t.db, f.otherOfficer, visit(), NOW))).code).toBe('not_found');
    expect(await countVisits()).toBe(before);
  });

  it('names each bad field: future date, outside the period, unknown outcome or reason, follow-up before the visit, malformed client id', async () => {
    const before = await countVisits();
    const fieldsOf = async (over: Record<string, unknown>) => (await failure(addVisit(t.db, f.fieldA, visit(over) as never, NOW))).fields.map((x) => [x.path, x.key]);
    expect(await fieldsOf({ visitedAt: '2026-11-22' })).toEqual([['visitedAt', 'visit_in_future']]);
    expect(await fieldsOf({ visitedAt: '2026-09-30T10:00:00+07:00', followUp: null })).toEqual([['visitedAt', 'visit_before_period']]);
    expect(await fieldsOf({ outcome: 'maybe' })).toEqual([['outcome', 'invalid_value']]);
    expect(await fieldsOf({ outcome: 'refused', reason: 'lazy', followUp: null })).toEqual([['reason', 'invalid_value']]);
    expect(await fieldsOf({ outcome: 'refused', followUp: null })).toEqual([['reason', 'reason_required']]);
    expect(await fieldsOf({ followUp: '2026-11-19' })).toEqual([['followUp', 'follow_up_before_visit']]);
    expect(await fieldsOf({ clientId: 'abc-123' })).toEqual([['clientId', 'client_id_format']]);
    expect(await fieldsOf({ visitedAt: '20/11/2026' })).toEqual([['visitedAt', 'visited_at_format']]);
    expect(await fieldsOf({ personId: null, householdId: f.households['H1'], outcome: 'promised' })).toEqual([['personId', 'household_only_not_home']]);
    expect(await countVisits()).toBe(before);
    // the messages, in both languages
    const e = await failure(addVisit(t.db, f.fieldA, visit({ followUp: '2026-11-19' }), NOW));
    expect(errorBody('vi', e.code, e.params, e.fields).error.fields).toEqual([{ path: 'followUp', message: 'Ngày hẹn quay lại (2026-11-19) trước ngày thăm (2026-11-20)' }]);
    expect(errorBody('en', e.code, e.params, e.fields).error.fields).toEqual([{ path: 'followUp', message: 'The follow-up date (2026-11-19) is before the visit (2026-11-20)' }]);
    const c = await failure(addVisit(t.db, f.fieldA, visit({ clientId: 'x' }), NOW));
    expect(errorBody('vi', c.code, c.params, c.fields).error.fields).toEqual([{ path: 'clientId', message: 'Mã lượt thăm phải là một UUID (do điện thoại tạo)' }]);
  });
});

describe(`a household changed meanwhile (${engineName})`, () => {
  it('stores the visit and flags it for the officer, never drops it', async () => {
    const list = await doorList(t.db, f.fieldA, f.groupA.id, {}, TODAY);
    const h2 = list.households.find((h) => h.code === 'H2')!;
    const ok = await addVisit(t.db, f.fieldA, visit({ personId: f.persons['Dũng'], householdVersion: h2.version, outcome: 'promised', followUp: '2026-11-21' }), NOW);
    expect(ok.flagged).toBe(false);
    // the officer corrects a member's name on the server while the phone is offline
    await updatePerson(t.db, f.officer, f.persons['Em'], { fullName: 'Lê Thị Êm' }, TODAY);
    const late = await addVisit(t.db, f.fieldA, visit({ personId: f.persons['Dũng'], householdVersion: h2.version, outcome: 'not_home', followUp: null, visitedAt: '2026-11-20T09:40:00+07:00' }), NOW);
    expect(late).toMatchObject({ flagged: true, flagReason: 'household_changed', householdVersion: h2.version });
    expect((await listVisits(t.db, f.officer, { flagged: 'true' })).map((v) => v.id)).toContain(late.id);
    // the new version from a fresh list is not flagged
    const fresh = (await doorList(t.db, f.fieldA, f.groupA.id, {}, TODAY)).households.find((h) => h.code === 'H2')!;
    expect(fresh.version).not.toBe(h2.version);
    expect((await addVisit(t.db, f.fieldA, visit({ personId: f.persons['Dũng'], householdVersion: fresh.version, outcome: 'not_home', followUp: null, visitedAt: '2026-11-20T09:50:00+07:00' }), NOW)).flagged).toBe(false);
  });

  it('refuses visits to a group that stopped, but still answers a resend of what it stored', async () => {
    const g = await (await import('./groups.service')).createGroup(t.db, f.officer, { communeCode: '02905', name: 'Tổ ngắn', villages: ['T2'], members: [f.idle.username] });
    const input = visit({ groupId: g.id, visitedAt: '2026-11-20T10:00:00+07:00' });
    const stored = await addVisit(t.db, f.idle, input, NOW);
    await updateGroup(t.db, f.officer, g.id, { active: false });
    expect((await failure(addVisit(t.db, f.idle, visit({ groupId: g.id }), NOW))).fields[0]).toMatchObject({ path: 'groupId', key: 'group_inactive' });
    expect(await addVisit(t.db, f.idle, input, NOW)).toMatchObject({ id: stored.id, duplicate: true });
  });
});

describe(`the follow-up queue (${engineName})`, () => {
  it('lists the member’s promises due and households not at home, oldest first; later visits clear them', async () => {
    const queue = await followUps(t.db, f.fieldA, {}, '2026-11-25');
    // (H2 nobody at home at 09:30 was cleared by the visits to Dũng after it)
    expect(queue.map((q) => [q.dueOn, q.outcome, q.fullName ?? q.householdCode])).toEqual([
      ['2026-11-21', 'not_home', 'Lê Văn Dũng'],
      ['2026-11-22', 'promised', 'Trần Thị Bình'],
    ]);
    // Hoa's latest visit is the idle worker's promise, in the group that stopped: in their queue as the officer
    // reads it, while the worker, with no active group left, sees no household at all
    expect((await followUps(t.db, f.officer, { member: f.idle.userId! }, '2026-11-25')).map((q) => [q.dueOn, q.fullName])).toEqual([['2026-11-25', 'Hoàng Thị Hoa']]);
    expect(await followUps(t.db, f.idle, {}, '2026-11-25')).toEqual([]);
    // on the 21st the promise of the 22nd is not yet due
    expect((await followUps(t.db, f.fieldA, {}, '2026-11-21')).map((q) => q.fullName)).toEqual(['Lê Văn Dũng']);
    // enrolled after the promise: off the queue
    await addVisit(t.db, f.fieldA, visit({ personId: f.persons['Bình'], outcome: 'enrolled', followUp: null, visitedAt: '2026-11-20T11:00:00+07:00' }), NOW);
    expect((await followUps(t.db, f.fieldA, {}, '2026-11-25')).map((q) => q.fullName)).not.toContain('Trần Thị Bình');
    // another member's queue is empty; the officer sees everyone's with all=true, not another commune's officer
    expect(await followUps(t.db, f.fieldB, {}, '2026-11-25')).toEqual([]);
    expect((await followUps(t.db, f.officer, { all: 'true' }, '2026-11-25')).map((q) => [q.fullName, q.userName])).toEqual([
      ['Lê Văn Dũng', f.fieldA.username],
      ['Hoàng Thị Hoa', f.idle.username],
    ]);
    expect(await followUps(t.db, f.otherOfficer, { all: 'true' }, '2026-11-25')).toEqual([]);
    expect((await failure(followUps(t.db, f.fieldB, { member: f.fieldA.userId! }, '2026-11-25'))).code).toBe('forbidden');
  });
});

describe(`visits over HTTP and the CLI (${engineName})`, () => {
  it('answers a batch per item over HTTP, in the user’s language, and stores nothing twice', async () => {
    const app = await buildApp({ database: t, webDist: false });
    try {
      const { token } = await createToken(t.db, system, f.fieldA.username);
      const headers = { authorization: `Bearer ${token}` };
      const today = todayInVietnam();
      // a group with no period, for visits on the real clock
      const g = await (await import('./groups.service')).createGroup(t.db, f.officer, { communeCode: '02905', name: 'Tổ HTTP', villages: ['T1'], members: [f.fieldA.username] });
      const items = [
        { clientId: randomUUID(), groupId: g.id, personId: f.persons['An'], outcome: 'promised', followUp: addDays(today, 3), visitedAt: today },
        { clientId: randomUUID(), groupId: g.id, personId: f.persons['An'], outcome: 'unknown', visitedAt: today },
        { clientId: 'not-a-uuid', groupId: g.id, personId: f.persons['An'], outcome: 'not_home', visitedAt: today },
      ];
      const post = (body: unknown, lang = 'en') => app.inject({ method: 'POST', url: `/api/outreach/visits/batch?lang=${lang}`, headers, payload: body as object });
      const r1 = await post({ visits: items });
      expect(r1.statusCode).toBe(200);
      const b1 = r1.json();
      expect(b1.results.map((x: { status: string }) => x.status)).toEqual(['stored', 'refused', 'refused']);
      expect(b1.results[1].error.fields).toEqual([{ path: 'outcome', message: 'Invalid value (one of: enrolled, promised, refused, not_home)' }]);
      expect(b1.results[2].error.fields).toEqual([{ path: 'clientId', message: 'A visit id must be a UUID (made by the phone)' }]);
      const r2 = await post({ visits: items }, 'vi');
      expect(r2.json().results.map((x: { status: string }) => x.status)).toEqual(['duplicate', 'refused', 'refused']);
      expect(r2.json().results[1].error.fields[0].message).toBe('Giá trị không hợp lệ (chọn một trong: enrolled, promised, refused, not_home)');
      expect((await listVisits(t.db, f.officer, { group: g.id })).length).toBe(1);
      // one visit alone: 201, then 200 with duplicate=true
      const one = { clientId: randomUUID(), groupId: g.id, householdId: f.households['H1'], outcome: 'not_home', visitedAt: today };
      const first = await app.inject({ method: 'POST', url: '/api/outreach/visits', headers, payload: one });
      expect(first.statusCode).toBe(201);
      const second = await app.inject({ method: 'POST', url: '/api/outreach/visits', headers, payload: one });
      expect([second.statusCode, second.json().duplicate, second.json().id]).toEqual([200, true, first.json().id]);
      // a visit to a person outside the group: 403 with the reason
      const out = await app.inject({ method: 'POST', url: '/api/outreach/visits?lang=en', headers, payload: { ...one, clientId: randomUUID(), householdId: f.households['H5'] } });
      expect(out.statusCode).toBe(403);
      expect(out.json().error.fields[0]).toEqual({ path: 'householdId', message: "This person does not live in a household of group Tổ HTTP's villages: outside your scope" });
      // the follow-up queue of the worker: the household nobody was home at (due the next day), then the promise
      const queue = await app.inject({ method: 'GET', url: `/api/outreach/follow-ups?group=${g.id}&date=${addDays(today, 3)}`, headers });
      expect(queue.json().map((q: { fullName: string; householdCode: string; outcome: string }) => [q.fullName ?? q.householdCode, q.outcome])).toEqual([
        ['H1', 'not_home'],
        ['Nguyễn Văn An', 'promised'],
      ]);
    } finally {
      await app.close();
    }
  });

  it('visit add --json: the same --client-id again is the same visit with "duplicate": true; other content exits non-zero', async () => {
    const g = await (await import('./groups.service')).createGroup(t.db, f.officer, { communeCode: '02905', name: 'Tổ CLI', villages: ['T2'] });
    const clientId = randomUUID();
    const at = todayInVietnam();
    const args = ['visit', 'add', '--group', g.id, '--person', '010160004567', '--outcome', 'refused', '--reason', 'cost', '--client-id', clientId, '--at', at, '--json'];
    const first = (await runCli(t, registerOutreachCommands, args)).json[0];
    expect(first).toMatchObject({ clientId, outcome: 'refused', reason: 'cost', personId: f.persons['Hoa'], duplicate: false });
    const second = (await runCli(t, registerOutreachCommands, args)).json[0];
    expect(second).toEqual({ ...first, duplicate: true });
    const other = ['visit', 'add', '--group', g.id, '--person', '010160004567', '--outcome', 'refused', '--reason', 'distrust', '--client-id', clientId, '--at', at, '--json'];
    await expect(runCli(t, registerOutreachCommands, other)).rejects.toMatchObject({ code: 'conflict', status: 409 });
    expect((await listVisits(t.db, system, { group: g.id })).map((v) => v.reason)).toEqual(['cost']);
  });
});
