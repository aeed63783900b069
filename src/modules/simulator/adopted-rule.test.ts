/**
 * An adopted local-support rule limited to ethnic minorities (issue 21 item 5), on both engines: once
 * approved, the door-to-door list and the reminder list price a person of an ethnic minority with the
 * top-up (their ethnicity read from the register with the rest of what prices them), a Kinh person
 * without it; a quote does the same. Before approval its draft can be edited (API), audited; once
 * approved it cannot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access';
import { buildApp } from '../../http/app';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { createToken } from '../access/access.service';
import { readAudit } from '../audit/audit.service';
import { doorList } from '../outreach/doorlist.service';
import { createGroup } from '../outreach/groups.service';
import { quote } from '../premium/premium.service';
import * as register from '../register/register.service';
import { reminderList } from '../reminders/reminders.service';
import { createVillage } from '../units/units.service';
import { registerSimulatorCommands } from './simulator.cli';
import * as simulator from './simulator.service';

const TODAY = '2026-11-20';
const FROM = '2026-11-01';
/** 4.5% x 2,530,000 x 12 (the base salary from 1 July 2026): a household's first member. */
const FIRST = 1_366_200;
/** 30% of that premium: the top-up for an ethnic minority. */
const TOP_UP = 409_860;

let t: TestDatabase;
let officer: Actor;
let groupId: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  t = await testDatabase();
  officer = (await makeUser(t, 'commune_officer', '02905')).actor;
  await createVillage(t.db, system, { parentCode: '02905', code: 'T1', name: 'Thôn Một', kind: 'village' });
  groupId = (await createGroup(t.db, officer, { communeCode: '02905', name: 'Tổ 1', villages: ['T1'] })).id;
  // two households of one member each (both first in household order), cards ending on 30/11/2026
  for (const [code, name, ethnicity] of [
    ['H1', 'Sùng Thị Mỷ', "H'Mông"],
    ['H2', 'Nguyễn Văn Lâm', 'Kinh'],
  ] as const) {
    const householdId = (await register.createHousehold(t.db, system, { communeCode: '02905', code, villageCode: '02905.T1', povertyStatus: 'none' })).id;
    ids[code] = (
      await register.createPerson(t.db, system, { householdId, fullName: name, birthDate: '1985-04-01', sex: 'female', groupCodes: ['GD'], citizenId: null, phone: '0912000111', relationship: 'head', ethnicity }, TODAY)
    ).id;
    await register.createCard(t.db, system, { personId: ids[code], groupCode: 'GD', validFrom: '2025-12-01', validTo: '2026-11-30' });
  }
  // the simulator's scenario for ethnic minorities (30% of the premium), adopted and approved
  const s = await simulator.saveScenario(t.db, officer, { unitCode: '02905', group: 'ethnic_minority', topUpPct: 30, from: FROM, months: 12, name: 'DTTS 30%' }, TODAY, 'vi');
  const adopted = await simulator.adoptScenario(t.db, officer, s.id, 'vi');
  await simulator.approveRule(t.db, system, adopted.rule!.id, { decision: '12/2026/NQ-HĐND', from: FROM });
});
afterAll(async () => {
  await t?.cleanup();
});

describe(`an approved ethnic-minority top-up on every price (${engineName})`, () => {
  it('prices the door-to-door list: the H’Mông person gets it, the Kinh person does not', async () => {
    const list = await doorList(t.db, officer, groupId, {}, TODAY);
    const price = (code: string) => list.households.find((h) => h.code === code)!.members[0].price;
    expect(price('H1')).toMatchObject({ group: 'GD', premium: FIRST, local: TOP_UP, payable: FIRST - TOP_UP });
    expect(price('H2')).toMatchObject({ group: 'GD', premium: FIRST, local: 0, payable: FIRST });
  });

  it('prices the reminder and its text: the amount after the top-up for the H’Mông person only', async () => {
    const l = await reminderList(t.db, officer, { unit: '02905', date: TODAY }, TODAY, 'vi');
    const items = l.villages.flatMap((v) => v.items);
    const mong = items.find((i) => i.personId === ids['H1'])!;
    const kinh = items.find((i) => i.personId === ids['H2'])!;
    expect(mong.amount).toBe(FIRST - TOP_UP);
    expect(mong.text).toContain('Gia hạn 12 tháng: 956.340 ₫.');
    expect(kinh.amount).toBe(FIRST);
    expect(kinh.text).toContain('Gia hạn 12 tháng: 1.366.200 ₫.');
    expect(l.summary.amount).toBe(FIRST - TOP_UP + FIRST);
  });

  it('prices a quote given the ethnicity', async () => {
    const q = (ethnicity: string) => quote(t.db, { date: TODAY, months: 12, province: '15', members: [{ groups: ['GD'], ethnicity, commune: '02905' }] });
    expect((await q('Dao')).members[0].local).toBe(TOP_UP);
    expect((await q('Kinh')).members[0].local).toBe(0);
    // a group only minorities belong to counts with no ethnicity written: DT-FORMER (the state pays 70%),
    // 30% of the premium is all that remains
    const former = await quote(t.db, { date: TODAY, months: 12, province: '15', members: [{ groups: ['DT-FORMER'], commune: '02905' }] });
    expect(former.members[0]).toMatchObject({ group: 'DT-FORMER', local: TOP_UP, payable: 0 });
  });
});

describe(`editing a draft rule before its approval (${engineName})`, () => {
  it('changes the top-up, dates and source through the API, audited; refuses bad changes; an approved rule cannot be changed (vi, en)', async () => {
    const s = await simulator.saveScenario(t.db, officer, { unitCode: '02905', group: 'ethnic_minority', topUpPct: 20, from: '2027-01-01', months: 12, name: 'DTTS 20%' }, TODAY, 'vi');
    const rule = (await simulator.adoptScenario(t.db, officer, s.id, 'vi')).rule!;
    expect(rule).toMatchObject({ status: 'draft', topUpPct: 20, topUpAmount: null, from: '2027-01-01', to: '2028-01-01', months: 12, communes: ['02905'] });

    const app = await buildApp({ database: t, webDist: false });
    try {
      const headers = { authorization: `Bearer ${(await createToken(t.db, system, officer.username)).token}` };
      const patch = (body: unknown, lang = 'vi') => app.inject({ method: 'PATCH', url: `/api/simulator/rules/${rule.id}?lang=${lang}`, headers, payload: body as object });
      const ok = await patch({ topUpPct: 25, from: '2027-03-01', months: 6, source: 'Tờ trình 5/TTr-UBND' });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ id: rule.id, status: 'draft', topUpPct: 25, from: '2027-03-01', to: '2027-09-01', months: 6, source: 'Tờ trình 5/TTr-UBND', communes: ['02905'] });
      // the CLI's edit-rule
      const { json } = await runCli(t, registerSimulatorCommands, ['scenario', 'edit-rule', '--rule', rule.id, '--top-up-pct', '22', '--communes', '02905', '--json'], { actor: officer });
      expect(json[0]).toMatchObject({ id: rule.id, status: 'draft', topUpPct: 22, from: '2027-03-01', months: 6, communes: ['02905'] });
      // an amount instead of a share
      const amount = await patch({ topUpAmount: 300_000 });
      expect(amount.json()).toMatchObject({ topUpPct: null, topUpAmount: 300_000, from: '2027-03-01', months: 6 });
      const [last] = await readAudit(t.db, system, { entity: 'premium_rule', entityId: rule.id, limit: 1 });
      expect(last).toMatchObject({ action: 'update', actorName: officer.username });
      expect(JSON.stringify(last)).toContain('300000');

      // refused, naming the field, and nothing changes
      const refused = async (body: unknown, path: string) => {
        const r = await patch(body, 'en');
        expect(r.statusCode).toBe(400);
        expect(r.json().error.fields[0].path).toBe(path);
        return r.json().error.fields[0].message as string;
      };
      expect(await refused({ topUpPct: 130 }, 'topUpPct')).toContain('over 100');
      expect(await refused({ topUpPct: 20, topUpAmount: 1 }, 'topUpPct')).toContain('not both');
      expect(await refused({ communes: ['02923'] }, 'communes.0')).toContain('02923');
      expect(await refused({ communes: [] }, 'communes')).toContain('commune');
      expect(await refused({}, 'topUpPct')).toContain('at least one change');
      expect(await refused({ from: '2027-02-30' }, 'from')).toBeTruthy();
      expect((await simulator.listScenarios(t.db, officer, '02905')).find((x) => x.id === s.id)!.rule).toMatchObject({ topUpAmount: 300_000, from: '2027-03-01', months: 6, source: 'Tờ trình 5/TTr-UBND' });

      // another commune's officer does not see it
      const other = (await makeUser(t, 'commune_officer', '02923')).actor;
      expect((await failure(simulator.editRule(t.db, other, rule.id, { topUpPct: 10 }, TODAY, 'vi'))).code).toBe('not_found');

      // approved: no change any more, with a clear message in both languages
      await simulator.approveRule(t.db, system, rule.id, { decision: '30/2026/NQ-HĐND', from: '2027-03-01' });
      const vi = await patch({ topUpPct: 10 });
      expect(vi.statusCode).toBe(409);
      expect(vi.json().error).toMatchObject({ code: 'invalid_transition' });
      expect(vi.json().error.message).toContain('đã được phê duyệt (quyết định 30/2026/NQ-HĐND)');
      const en = await patch({ topUpPct: 10 }, 'en');
      expect(en.json().error.message).toContain('has been approved (decision 30/2026/NQ-HĐND) and can no longer be changed');
      expect((await simulator.listScenarios(t.db, officer, '02905')).find((x) => x.id === s.id)!.rule).toMatchObject({ status: 'approved', topUpAmount: 300_000 });
    } finally {
      await app.close();
    }
  });
});
