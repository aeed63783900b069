/**
 * An adopted local-support rule limited to ethnic minorities (issue 21 item 5), on both engines: once
 * approved, the door-to-door list and the reminder list price a person of an ethnic minority with the
 * top-up (their ethnicity read from the register with the rest of what prices them), a Kinh person
 * without it; a quote does the same.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../domain/access';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { doorList } from '../outreach/doorlist.service';
import { createGroup } from '../outreach/groups.service';
import { quote } from '../premium/premium.service';
import * as register from '../register/register.service';
import { reminderList } from '../reminders/reminders.service';
import { createVillage } from '../units/units.service';
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
