/**
 * Working groups and the field worker's scope (issue 19 items 1, 2 and 6), on both engines: as the commune
 * officer, as the officer of another commune, as field workers of each group and of none; and the
 * door-to-door list with its prices in household order.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { buildApp } from '../../http/app';
import { readAudit } from '../audit/audit.service';
import { searchPersons } from '../register/register.service';
import { createProgramme, changeProgrammeStatus } from '../programmes/programme/programme.service';
import { listNominations } from '../programmes/selection/candidates.service';
import { doorList, doorSheet, nominateFromList } from './doorlist.service';
import * as groups from './groups.service';
import { registerOutreachCommands } from './outreach.cli';
import { FULL, outreachFixture, TODAY, type OutreachFixture } from './outreach.fixture';

let t: TestDatabase;
let f: OutreachFixture;

beforeAll(async () => {
  t = await testDatabase();
  f = await outreachFixture(t);
});
afterAll(async () => {
  await t?.cleanup();
});

describe(`working groups (${engineName})`, () => {
  it('keeps a group with its villages, leader (a member) and period, audited', async () => {
    const g = await groups.getGroup(t.db, f.officer, f.groupA.id);
    expect(g).toMatchObject({ communeCode: '02905', communeName: 'Xã Bảo Thắng', name: 'Tổ công tác 1', periodFrom: '2026-10-01', periodTo: '2026-12-31', active: true });
    expect(g.villages).toEqual([
      { code: '02905.T2', name: 'Thôn Hai' },
      { code: '02905.T1', name: 'Thôn Một' },
    ]);
    expect(g.leader?.username).toBe(f.fieldA.username);
    expect(g.members.map((m) => m.username)).toEqual([f.fieldA.username]);
    expect((await readAudit(t.db, system, { entity: 'working_group', entityId: g.id }))[0]).toMatchObject({ action: 'create', actorName: f.officer.username });
  });

  it('refuses villages of another commune, members of another commune, a reversed period and a taken name, naming each field', async () => {
    const err = await failure(
      groups.createGroup(t.db, f.officer, {
        communeCode: '02905',
        name: 'Tổ 3',
        villages: ['T1', '02923.X1'],
        members: [f.fieldA.username, 'nobody-here', f.otherOfficer.username],
      }),
    );
    expect(err.code).toBe('validation');
    expect(err.fields).toEqual([expect.objectContaining({ path: 'villages.1', key: 'village_not_in_commune' })]);
    const members = await failure(groups.createGroup(t.db, f.officer, { communeCode: '02905', name: 'Tổ 3', villages: ['T1'], members: ['nobody-here', f.otherOfficer.username] }));
    expect(members.fields.map((x) => [x.path, x.key])).toEqual([
      ['members.0', 'unknown_user'],
      ['members.1', 'member_not_of_commune'],
    ]);
    const period = await failure(groups.createGroup(t.db, f.officer, { communeCode: '02905', name: 'Tổ 3', villages: ['T1'], periodFrom: '2026-12-01', periodTo: '2026-11-01' }));
    expect(period.fields[0]).toMatchObject({ path: 'periodTo', key: 'period_order' });
    expect((await failure(groups.createGroup(t.db, f.officer, { communeCode: '02905', name: 'tổ công tác 1', villages: ['T1'] }))).code).toBe('conflict');
    expect((await groups.listGroups(t.db, f.officer)).map((g) => g.name)).toEqual(['Tổ công tác 1', 'Tổ công tác 2']);
  });

  it('is out of reach of another commune’s officer, and of a field worker outside it', async () => {
    expect((await failure(groups.createGroup(t.db, f.otherOfficer, { communeCode: '02905', name: 'Tổ X', villages: ['T1'] }))).code).toBe('out_of_scope');
    expect((await failure(groups.getGroup(t.db, f.otherOfficer, f.groupA.id))).code).toBe('not_found');
    expect(await groups.listGroups(t.db, f.otherOfficer)).toEqual([]);
    expect((await failure(groups.getGroup(t.db, f.fieldB, f.groupA.id))).code).toBe('not_found');
    expect((await groups.listGroups(t.db, f.fieldA)).map((g) => g.name)).toEqual(['Tổ công tác 1']);
    expect(await groups.listGroups(t.db, f.idle)).toEqual([]);
    // field workers do not manage groups
    expect((await failure(groups.updateGroup(t.db, f.fieldA, f.groupA.id, { name: 'X' }))).code).toBe('forbidden');
  });

  it('gives a field worker no register reading: search and export are refused', async () => {
    expect((await failure(searchPersons(t.db, f.fieldA, { q: 'an' }, TODAY))).code).toBe('forbidden');
    const app = await buildApp({ database: t, webDist: false });
    try {
      const token = await import('../access/access.service').then((a) => a.createToken(t.db, system, f.fieldA.username));
      const headers = { authorization: `Bearer ${token.token}` };
      expect((await app.inject({ url: '/api/register/persons?q=an', headers })).statusCode).toBe(403);
      expect((await app.inject({ url: '/api/register/export?unit=02905&what=persons&format=csv', headers })).statusCode).toBe(403);
      expect((await app.inject({ url: `/api/outreach/groups/${f.groupA.id}/doors?date=${TODAY}`, headers })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });

  it('changes villages and members, and deletes only a group with no visit', async () => {
    const g = await groups.createGroup(t.db, f.officer, { communeCode: '02905', name: 'Tổ tạm', villages: ['T3'] });
    const changed = await groups.updateGroup(t.db, f.officer, g.id, { villages: ['T2', 'T3'], leader: f.idle.username, note: 'thử' });
    expect(changed.villages.map((v) => v.code)).toEqual(['02905.T3', '02905.T2']);
    expect(changed.leader?.username).toBe(f.idle.username);
    // the idle worker now sees the group and its villages' households
    expect((await groups.listGroups(t.db, f.idle)).map((x) => x.name)).toEqual(['Tổ tạm']);
    await groups.deleteGroup(t.db, f.officer, g.id);
    expect(await groups.listGroups(t.db, f.idle)).toEqual([]);
  });
});

describe(`the door-to-door list (${engineName})`, () => {
  it('lists the households with someone to visit, village then household, with prices in household order', async () => {
    const list = await doorList(t.db, f.fieldA, f.groupA.id, {}, TODAY);
    expect(list.households.map((h) => [h.villageName, h.code])).toEqual([
      ['Thôn Hai', 'H4'],
      ['Thôn Một', 'H1'],
      ['Thôn Một', 'H2'],
    ]);
    expect(list.summary).toEqual({ households: 3, persons: 6, needCard: 5, visitedHouseholds: 0 });
    const h1 = list.households.find((h) => h.code === 'H1')!;
    const [an, binh, cuong] = ['Nguyễn Văn An', 'Trần Thị Bình', 'Nguyễn Văn Cường'].map((n) => h1.members.find((m) => m.fullName === n)!);
    // the field sees the last 4 digits of the citizen id only
    expect(an).toMatchObject({ citizenIdLast4: '1234', status: 'never_insured', needsCard: true, stage: 'not_visited' });
    expect(JSON.stringify(list)).not.toContain('010080001234');
    // household order: the first member pays the full premium, the second 70%; a child under 6 is state-paid
    expect(an.price).toMatchObject({ group: 'GD', order: 1, premium: FULL, state: 0, payable: FULL, statePaysInFull: false });
    expect(binh).toMatchObject({ status: 'uncovered', cardTo: '2025-12-31' });
    expect(binh.price).toMatchObject({ group: 'GD', order: 2, payable: Math.round(FULL * 0.7) });
    expect(cuong.price).toMatchObject({ group: 'TE', order: null, payable: 0, statePaysInFull: true });
    expect(h1.payable).toBe(FULL + Math.round(FULL * 0.7));
    // a card ending within 30 days is on the list (renewal from the day after), one covered beyond it is not
    const h2 = list.households.find((h) => h.code === 'H2')!;
    expect(h2.members.map((m) => [m.fullName, m.status, m.needsCard])).toEqual([
      ['Lê Văn Dũng', 'expiring', true],
      ['Lê Thị Em', 'covered', false],
    ]);
    expect(h2.members[0].price).toMatchObject({ validFrom: '2026-12-06' });
    // the window is a parameter: 10 days leave Dũng's card (ending 5 December) off
    expect((await doorList(t.db, f.fieldA, f.groupA.id, { days: 10 }, TODAY)).households.map((h) => h.code)).toEqual(['H4', 'H1']);
    // one village only
    expect((await doorList(t.db, f.fieldA, f.groupA.id, { village: 'T2' }, TODAY)).households.map((h) => h.code)).toEqual(['H4']);
    expect((await failure(doorList(t.db, f.fieldA, f.groupA.id, { village: 'T3' }, TODAY))).fields[0]).toMatchObject({ path: 'village', key: 'village_not_in_group' });
  });

  it('prints as a sheet for the day: a row per person, what the household pays, empty columns to write in', async () => {
    const { buffer, fileName, rows } = await doorSheet(t.db, f.fieldA, f.groupA.id, {}, TODAY, 'vi');
    expect([fileName, rows]).toEqual([`danh-sach-di-tung-nha-${TODAY}.xlsx`, 6]);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as unknown as ArrayBuffer);
    const ws = wb.worksheets[0];
    expect((ws.getRow(4).values as unknown[]).slice(1)).toEqual(['STT', 'Thôn', 'Mã hộ', 'Họ và tên', 'Ngày sinh', 'Tình trạng thẻ', 'Thẻ đến ngày', 'Hộ đóng (₫)', 'Ghi chú đóng', 'Lần thăm trước', 'Hẹn quay lại', 'Kết quả hôm nay', 'Ghi chú']);
    const row = (name: string) => {
      for (let i = 5; i <= ws.rowCount; i++) if (ws.getRow(i).getCell(4).value === name) return ws.getRow(i);
      throw new Error(name);
    };
    expect([row('Nguyễn Văn An').getCell(6).value, row('Nguyễn Văn An').getCell(8).value]).toEqual(['Chưa từng tham gia', FULL]);
    expect(row('Nguyễn Văn Cường').getCell(9).value).toBe('Nhà nước đóng toàn bộ: kiểm tra thẻ đã được cấp chưa');
  });

  it('is the same list for the commune officer, and nothing for another commune’s officer or another group’s worker', async () => {
    const mine = await doorList(t.db, f.fieldA, f.groupA.id, {}, TODAY);
    expect(await doorList(t.db, f.officer, f.groupA.id, {}, TODAY)).toEqual(mine);
    expect((await failure(doorList(t.db, f.otherOfficer, f.groupA.id, {}, TODAY))).code).toBe('not_found');
    expect((await failure(doorList(t.db, f.fieldB, f.groupA.id, {}, TODAY))).code).toBe('not_found');
    expect((await doorList(t.db, f.fieldB, f.groupB.id, {}, TODAY)).households.map((h) => h.code)).toEqual(['H5']);
  });

  it('offers the open donation programmes covering the household, and nominates from the list', async () => {
    const p = await createProgramme(t.db, system, {
      name: 'Tặng thẻ Bảo Thắng',
      ownerUnitCode: '15',
      areaKind: 'communes',
      areaCodes: ['02905'],
      cardMonths: 12,
      purchaseDate: '2026-12-01',
      deadline: '2026-12-31',
    });
    // a draft is not offered
    expect((await doorList(t.db, f.fieldA, f.groupA.id, {}, TODAY)).households[0].members[0].programmes).toEqual([]);
    await changeProgrammeStatus(t.db, system, p.id, 'raising');
    const list = await doorList(t.db, f.fieldA, f.groupA.id, {}, TODAY);
    const hoa = list.households.find((h) => h.code === 'H4')!.members[0];
    expect(hoa.programmes).toEqual([{ id: p.id, name: 'Tặng thẻ Bảo Thắng', nominated: false }]);
    // the state-paid child is not offered (the state pays), nor is a covered person
    const h1 = list.households.find((h) => h.code === 'H1')!;
    expect(h1.members.find((m) => m.fullName === 'Nguyễn Văn Cường')!.programmes).toEqual([]);
    await nominateFromList(t.db, f.fieldA, f.groupA.id, { programmeId: p.id, personId: f.persons['Hoa'], tags: ['elderly_60_79'] });
    expect((await listNominations(t.db, system, p.id)).map((n) => [n.fullName, n.tags, n.nominatedBy])).toEqual([['Hoàng Thị Hoa', ['elderly_60_79'], f.fieldA.username]]);
    expect((await doorList(t.db, f.fieldA, f.groupA.id, {}, TODAY)).households[0].members[0].programmes[0].nominated).toBe(true);
    // a person outside the group's villages: 403 with the reason
    const outside = await failure(nominateFromList(t.db, f.fieldA, f.groupA.id, { programmeId: p.id, personId: f.persons['Khoa'] }));
    expect(outside.code).toBe('out_of_scope');
    expect(outside.fields[0]).toMatchObject({ path: 'personId', key: 'person_not_in_group' });
  });
});

describe(`the group CLI (${engineName})`, () => {
  it('adds a group with --json and refuses an unknown village', async () => {
    const { json } = await runCli(t, registerOutreachCommands, ['group', 'add', '--commune', '02905', '--name', 'Tổ công tác CLI', '--villages', 'T1,T3', '--json']);
    expect(json[0]).toMatchObject({ id: expect.any(String), name: 'Tổ công tác CLI', communeCode: '02905', villages: [{ code: '02905.T3', name: 'Thôn Ba' }, { code: '02905.T1', name: 'Thôn Một' }] });
    await expect(runCli(t, registerOutreachCommands, ['group', 'add', '--commune', '02905', '--name', 'Tổ Y', '--villages', 'T9', '--json'])).rejects.toMatchObject({ code: 'validation' });
  });
});
