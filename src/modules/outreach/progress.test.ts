/**
 * "Every door" progress (issue 19 item 5), on both engines: the figures of a commune, its villages, its
 * groups and members (with their targets), on a day; a field worker's figures limited to their villages;
 * the .xlsx; the CLI's JSON.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { buildApp } from '../../http/app';
import { createToken } from '../access/access.service';
import { setStaffTarget } from '../coverage/figures.service';
import { createCard } from '../register/register.service';
import { doorList } from './doorlist.service';
import { registerOutreachCommands } from './outreach.cli';
import { NOW, outreachFixture, TODAY, type OutreachFixture } from './outreach.fixture';
import { progress, progressWorkbook } from './progress.service';
import { addVisit } from './visits.service';

let t: TestDatabase;
let f: OutreachFixture;

const at = (day: string) => `${day}T09:00:00+07:00`;

beforeAll(async () => {
  t = await testDatabase();
  f = await outreachFixture(t);
  const log = (actor: typeof f.fieldA, groupId: string, over: Record<string, unknown>) =>
    addVisit(t.db, actor, { clientId: randomUUID(), groupId, ...over } as never, NOW);
  const A = f.groupA.id;
  // An: promised on 1 November, enrolled on the 5th, card from the 10th
  await log(f.fieldA, A, { personId: f.persons['An'], outcome: 'promised', followUp: '2026-11-05', visitedAt: at('2026-11-01') });
  await log(f.fieldA, A, { personId: f.persons['An'], outcome: 'enrolled', product: 'household_bhyt', receiptNumber: 'BL-1', visitedAt: at('2026-11-05') });
  await createCard(t.db, system, { personId: f.persons['An'], groupCode: 'GD', validFrom: '2026-11-10', validTo: '2027-11-09' });
  await log(f.fieldA, A, { personId: f.persons['Bình'], outcome: 'promised', followUp: '2026-11-25', visitedAt: at('2026-11-10') });
  await log(f.fieldA, A, { personId: f.persons['Hoa'], outcome: 'refused', reason: 'cost', visitedAt: at('2026-11-12') });
  await log(f.fieldA, A, { householdId: f.households['H2'], outcome: 'not_home', visitedAt: at('2026-11-14') });
  await log(f.fieldA, A, { personId: f.persons['Dũng'], outcome: 'not_home', visitedAt: at('2026-11-15') });
  // Khoa (group 2): enrolled at the first visit, no card yet
  await log(f.fieldB, f.groupB.id, { personId: f.persons['Khoa'], outcome: 'enrolled', visitedAt: at('2026-11-16') });
  await setStaffTarget(t.db, f.officer, { username: f.fieldA.username, year: 2026, participants: 20 });
});
afterAll(async () => {
  await t?.cleanup();
});

describe(`"every door" progress (${engineName})`, () => {
  it('counts the commune: households visited, persons by outcome, the pipeline and the medians', async () => {
    const p = await progress(t.db, f.officer, { unit: '02905' }, TODAY);
    expect(p.unit).toEqual({ code: '02905', name: 'Xã Bảo Thắng', level: 'commune' });
    expect(p.total).toEqual({
      households: 5,
      householdsVisited: 4,
      pctVisited: 80,
      visits: 7,
      personsReached: 5,
      enrolled: 2,
      promised: 1,
      refused: 1,
      notHome: 1,
      awaitingCard: 1,
      cardActive: 1,
      conversion: 40,
      // An 4 days, Khoa 0: median 2; An's card came 9 days after the first visit
      medianDaysToEnrolment: 2,
      medianDaysToCard: 9,
    });
    expect(p.villages.map((v) => [v.name, v.households, v.householdsVisited, v.pctVisited])).toEqual([
      ['Thôn Ba', 1, 1, 100],
      ['Thôn Hai', 2, 1, 50],
      ['Thôn Một', 2, 2, 100],
    ]);
    expect(p.groups.map((g) => [g.name, g.households, g.householdsVisited, g.personsReached, g.enrolled])).toEqual([
      ['Tổ công tác 1', 4, 3, 4, 1],
      ['Tổ công tác 2', 1, 1, 1, 1],
    ]);
    expect(p.members.map((m) => [m.username, m.target, m.households, m.householdsVisited, m.visits, m.enrolled])).toEqual(
      [
        [f.fieldA.username, 20, 4, 3, 6, 1],
        [f.fieldB.username, null, 1, 1, 1, 1],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('counts only the visits up to the day asked', async () => {
    const p = await progress(t.db, f.officer, { unit: '02905', date: '2026-11-10' }, TODAY);
    expect(p.total).toMatchObject({ householdsVisited: 1, visits: 3, personsReached: 2, enrolled: 1, promised: 1, cardActive: 1, medianDaysToCard: 9 });
  });

  it('shows a field worker their villages only; another commune’s officer nothing', async () => {
    const mine = await progress(t.db, f.fieldA, { unit: '02905' }, TODAY);
    expect(mine.total).toMatchObject({ households: 4, householdsVisited: 3, personsReached: 4, enrolled: 1 });
    expect(mine.villages.map((v) => v.name)).toEqual(['Thôn Hai', 'Thôn Một']);
    expect(mine.groups.map((g) => g.name)).toEqual(['Tổ công tác 1']);
    expect((await failure(progress(t.db, f.otherOfficer, { unit: '02905' }, TODAY))).code).toBe('out_of_scope');
    // one group only
    expect((await progress(t.db, f.officer, { unit: '02905', group: f.groupB.id }, TODAY)).total).toMatchObject({ households: 1, householdsVisited: 1, personsReached: 1 });
    // a province: one row per commune with visits or households
    const province = await progress(t.db, system, { unit: '15' }, TODAY);
    expect(province.total).toMatchObject({ householdsVisited: 4, personsReached: 5 });
    expect(province.communes.map((c) => [c.code, c.households])).toEqual([
      ['02905', 5],
      ['02923', 1],
    ]);
  });

  it('shows the pipeline on the list: card active, enrolled awaiting the card, promised', async () => {
    const list = await doorList(t.db, f.officer, f.groupA.id, {}, TODAY);
    const h1 = list.households.find((h) => h.code === 'H1')!;
    expect(h1.members.map((m) => [m.fullName, m.stage])).toEqual([
      ['Nguyễn Văn An', 'card_active'],
      ['Trần Thị Bình', 'promised'],
      ['Nguyễn Văn Cường', 'not_visited'],
    ]);
    const khoa = (await doorList(t.db, f.fieldB, f.groupB.id, {}, TODAY)).households[0].members[0];
    // enrolled does not make a card: still never insured, awaiting the card
    expect(khoa).toMatchObject({ stage: 'enrolled', status: 'never_insured', needsCard: true, lastVisit: { outcome: 'enrolled' } });
  });

  it('exports the progress as .xlsx and prints it with the CLI', async () => {
    const { buffer, fileName } = await progressWorkbook(t.db, f.officer, { unit: '02905' }, TODAY, 'vi');
    expect(fileName).toBe(`tien-do-di-tung-nha-02905-${TODAY}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    const header = ws.getRow(4).values as unknown[];
    expect(header.slice(1, 6)).toEqual(['Cấp', 'Tên', 'Chỉ tiêu năm', 'Số hộ', 'Hộ đã đến']);
    expect((ws.getRow(5).values as unknown[]).slice(1, 6)).toEqual(['Xã', 'Xã Bảo Thắng', null, 5, 4].map((v) => v ?? undefined));
    const { json } = await runCli(t, registerOutreachCommands, ['outreach', 'progress', '--unit', '02905', '--date', TODAY, '--json']);
    expect(json[0]).toMatchObject({ unit: '02905', date: TODAY, households: 5, householdsVisited: 4, pctVisited: 80, personsReached: 5, enrolled: 2, promised: 1, refused: 1, notHome: 1 });
  });
});

describe(`the outreach API answers what its schemas say (${engineName})`, () => {
  it('serves every route to the commune officer, and the field routes to a field worker', async () => {
    const app = await buildApp({ database: t, webDist: false });
    try {
      const as = async (username: string) => ({ authorization: `Bearer ${(await createToken(t.db, system, username)).token}` });
      const officer = await as(f.officer.username);
      const worker = await as(f.fieldA.username);
      const get = async (url: string, headers: Record<string, string>) => {
        const r = await app.inject({ url, headers });
        expect([url, r.statusCode]).toEqual([url, 200]);
        return r;
      };
      expect((await get('/api/outreach/groups', officer)).json().map((g: { name: string }) => g.name)).toEqual(['Tổ công tác 1', 'Tổ công tác 2']);
      expect((await get(`/api/outreach/groups/${f.groupA.id}`, worker)).json().name).toBe('Tổ công tác 1');
      expect((await get('/api/outreach/workers?commune=02905', officer)).json().length).toBeGreaterThanOrEqual(4);
      expect((await get(`/api/outreach/groups/${f.groupA.id}/doors?date=${TODAY}`, worker)).json().summary.households).toBe(3);
      expect((await get(`/api/outreach/visits?group=${f.groupA.id}`, worker)).json().length).toBe(6);
      await get(`/api/outreach/follow-ups?date=${TODAY}`, worker);
      await get('/api/outreach/reports?status=all', officer);
      expect((await get(`/api/outreach/progress?unit=02905&date=${TODAY}`, worker)).json().total.households).toBe(4);
      const xlsx = await get(`/api/outreach/progress.xlsx?unit=02905&date=${TODAY}`, officer);
      expect(xlsx.headers['content-type']).toContain('spreadsheetml');
      expect((await get(`/api/outreach/groups/${f.groupA.id}/doors.xlsx?date=${TODAY}`, worker)).headers['content-disposition']).toContain('.xlsx');
      const patched = await app.inject({ method: 'PATCH', url: `/api/outreach/groups/${f.groupB.id}`, headers: officer, payload: { note: 'Thôn Ba' } });
      expect([patched.statusCode, patched.json().note]).toEqual([200, 'Thôn Ba']);
      // a field worker does not manage groups, nor reads the workers
      expect((await app.inject({ method: 'PATCH', url: `/api/outreach/groups/${f.groupA.id}`, headers: worker, payload: { note: 'x' } })).statusCode).toBe(403);
      expect((await app.inject({ url: '/api/outreach/workers?commune=02905', headers: worker })).statusCode).toBe(403);
      // a report decided over HTTP
      await addVisit(t.db, f.fieldA, { clientId: randomUUID(), groupId: f.groupA.id, personId: f.persons['Cường'], outcome: 'refused', reason: 'moved_away', visitedAt: at('2026-11-18') }, NOW);
      const [report] = (await get('/api/outreach/reports', officer)).json();
      const rejected = await app.inject({ method: 'POST', url: `/api/outreach/reports/${report.id}/reject`, headers: officer, payload: { note: 'Vẫn ở nhà' } });
      expect([rejected.statusCode, rejected.json().status]).toEqual([200, 'rejected']);
    } finally {
      await app.close();
    }
  });
});
