import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { CANONICAL_COLUMNS } from '../../domain/register-row';
import { sql } from 'kysely';
import { buildApp } from '../../http/app';
import { readAudit } from '../audit/audit.service';
import { importRegister } from './import.service';
import * as register from './register.service';

const TODAY = '2025-10-01';
let t: TestDatabase;
let dir: string;

// household_code,commune_code,village,address,poverty_status,full_name,relationship,birth_date,sex,citizen_id,insurance_code,ethnicity,phone,groups,card_group,card_from,card_to
const ROWS = [
  'A01,02905,Thôn Phú Lâm,Số 1,hộ nghèo,Nguyễn Văn An,chủ hộ,12/03/1980,nam,010080001234,,Kinh,0912345678,HN,HN,01/01/2025,31/12/2025',
  'A01,02905,Thôn Phú Lâm,Số 1,hộ nghèo,Trần Thị Bình,vợ,20/07/1985,nữ,,0101234567,Kinh,,HN,HN,01/01/2024,31/12/2024',
  "A02,02905,Thôn Phú Lâm,,,Giàng A Sử,chủ hộ,05/05/1975,nam,,,H'Mông,,GD,,,",
  'A03,02905,,,,Nguyễn Văn Ân,chủ hộ,01/01/1990,nam,,,Kinh,,GD,,,',
  'A04,02905,,,,Lò Thị Mai,chủ hộ,01/01/2010,nữ,,,Thái,,HS,,,',
  'A05,02905,,,,Lò Thị Mai,chủ hộ,01/01/2010,nữ,,,Thái,,HS,,,',
  'B01,02680,Bản Một,,cận nghèo,Lý Văn Em,chủ hộ,01/01/1980,nam,,,Giáy,,CN,CN,01/01/2025,31/12/2025',
];

const householdId = async (communeCode: string, code: string) =>
  (await t.db.selectFrom('household').select('id').where('communeCode', '=', communeCode).where('code', '=', code).executeTakeFirstOrThrow()).id;
const personId = async (fullName: string) => (await t.db.selectFrom('person').select('id').where('fullName', '=', fullName).executeTakeFirstOrThrow()).id;

beforeAll(async () => {
  t = await testDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-register-'));
  const file = path.join(dir, 'register.csv');
  fs.writeFileSync(file, [CANONICAL_COLUMNS.join(','), ...ROWS].join('\n'));
  const report = await importRegister(t, system, { path: file }, { today: TODAY });
  expect(report).toMatchObject({ inserted: ROWS.length, rejected: 0 });
});
afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(`register search and household pages (${engineName})`, () => {
  it('finds persons by name without diacritics or case, with their household, commune, village and coverage', async () => {
    const r = await register.searchPersons(t.db, system, { q: 'nguyen van an' }, TODAY);
    expect(r.total).toBe(2);
    expect(r.items.map((p) => p.fullName).sort()).toEqual(['Nguyễn Văn An', 'Nguyễn Văn Ân']);
    const an = r.items.find((p) => p.fullName === 'Nguyễn Văn An')!;
    expect(an).toMatchObject({
      householdCode: 'A01',
      communeCode: '02905',
      communeName: 'Xã Bảo Thắng',
      villageName: 'Thôn Phú Lâm',
      birthDate: '1980-03-12',
      sex: 'male',
      citizenId: '010080001234',
      groupCodes: ['HN'],
      coveredToday: true,
      cardTo: '2025-12-31',
    });
    const other = r.items.find((p) => p.fullName === 'Nguyễn Văn Ân')!;
    expect(other).toMatchObject({ coveredToday: false, cardTo: null, villageName: null });

    expect((await register.searchPersons(t.db, system, { q: 'NGUYỄN  văn' }, TODAY)).total).toBe(2);
    const binh = await register.searchPersons(t.db, system, { q: 'binh' }, TODAY);
    expect(binh.items).toEqual([expect.objectContaining({ fullName: 'Trần Thị Bình', coveredToday: false, cardTo: '2024-12-31' })]);
    expect((await register.searchPersons(t.db, system, { q: 'nguyen van binh' }, TODAY)).total).toBe(0);
  });

  it('finds a person by citizen id or insurance code, and pages through a list', async () => {
    const byId = await register.searchPersons(t.db, system, { q: '010080001234' }, TODAY);
    expect(byId.items.map((p) => p.fullName)).toEqual(['Nguyễn Văn An']);
    expect((await register.searchPersons(t.db, system, { q: '0101 234 567' }, TODAY)).items.map((p) => p.fullName)).toEqual(['Trần Thị Bình']);
    expect((await register.searchPersons(t.db, system, { q: '0100800' }, TODAY)).items.map((p) => p.fullName)).toEqual(['Nguyễn Văn An']);
    expect((await register.searchPersons(t.db, system, { q: '999999999999' }, TODAY)).total).toBe(0);

    const all = await register.searchPersons(t.db, system, { unit: '02905', limit: 4 }, TODAY);
    expect(all.total).toBe(6);
    expect(all.items).toHaveLength(4);
    const rest = await register.searchPersons(t.db, system, { unit: '02905', limit: 4, offset: 4 }, TODAY);
    expect(rest.items).toHaveLength(2);
    expect(new Set([...all.items, ...rest.items].map((p) => p.id)).size).toBe(6);
    // sorted by name without diacritics
    expect(all.items.map((p) => p.fullName)).toEqual(['Giàng A Sử', 'Lò Thị Mai', 'Lò Thị Mai', 'Nguyễn Văn An']);
  });

  it('narrows a search to a commune, a village or a province', async () => {
    expect((await register.searchPersons(t.db, system, { unit: '02680' }, TODAY)).items.map((p) => p.fullName)).toEqual(['Lý Văn Em']);
    const village = await register.searchPersons(t.db, system, { unit: '02905.thon-phu-lam' }, TODAY);
    expect(village.items.map((p) => p.fullName).sort()).toEqual(['Giàng A Sử', 'Nguyễn Văn An', 'Trần Thị Bình']);
    expect((await register.searchPersons(t.db, system, { unit: '15' }, TODAY)).total).toBe(7);
    expect((await register.searchPersons(t.db, system, { unit: '91' }, TODAY)).total).toBe(0);
    await expect(register.searchPersons(t.db, system, { unit: '99999' }, TODAY)).rejects.toMatchObject({ code: 'not_found' });
  });

  it('lists the households of a unit with their member count and head', async () => {
    const r = await register.listHouseholds(t.db, system, { unit: '02905' });
    expect(r.total).toBe(5);
    expect(r.items[0]).toMatchObject({
      code: 'A01',
      communeName: 'Xã Bảo Thắng',
      villageName: 'Thôn Phú Lâm',
      address: 'Số 1',
      povertyStatus: 'poor',
      memberCount: 2,
      headName: 'Nguyễn Văn An',
    });
    expect((await register.listHouseholds(t.db, system, { q: 'giang a su' })).items.map((h) => h.code)).toEqual(['A02']);
    expect((await register.listHouseholds(t.db, system, { q: 'b01' })).items.map((h) => h.code)).toEqual(['B01']);
  });

  it('shows a household with its members, every card newest first, and the group history', async () => {
    const id = await householdId('02905', 'A01');
    const an = await personId('Nguyễn Văn An');
    await register.createCard(t.db, system, { personId: an, groupCode: 'hn', validFrom: '2026-01-01', validTo: '2026-12-31', number: 'HN2010080001234' });
    const page = await register.getHousehold(t.db, system, id);
    expect(page.household).toEqual({
      id,
      code: 'A01',
      communeCode: '02905',
      communeName: 'Xã Bảo Thắng',
      villageCode: '02905.thon-phu-lam',
      villageName: 'Thôn Phú Lâm',
      address: 'Số 1',
      povertyStatus: 'poor',
      povertyYear: null,
    });
    expect(page.members.map((m) => [m.fullName, m.relationship])).toEqual([
      ['Nguyễn Văn An', 'head'],
      ['Trần Thị Bình', 'vợ'],
    ]);
    expect(page.members[0].cards.map((c) => [c.groupCode, c.validFrom, c.validTo, c.source, c.number])).toEqual([
      ['HN', '2026-01-01', '2026-12-31', 'manual', 'HN2010080001234'],
      ['HN', '2025-01-01', '2025-12-31', 'import', null],
    ]);
    expect(page.members[0].groups).toEqual([{ groupCode: 'HN', validFrom: null, validTo: null }]);
    expect(page.members[1].cards.map((c) => c.validTo)).toEqual(['2024-12-31']);
  });
});

describe(`register changes (${engineName})`, () => {
  it('creates, changes and deletes a household, auditing each change with before and after', async () => {
    const h = await register.createHousehold(t.db, system, {
      communeCode: '02905',
      code: ' N01 ',
      villageCode: 'thon-phu-lam',
      address: 'Số 5',
      povertyStatus: 'near_poor',
      povertyYear: 2025,
    });
    expect(h).toMatchObject({ code: 'N01', communeCode: '02905', villageCode: '02905.thon-phu-lam', villageName: 'Thôn Phú Lâm', povertyStatus: 'near_poor', povertyYear: 2025 });
    await expect(register.createHousehold(t.db, system, { communeCode: '02905', code: 'N01' })).rejects.toMatchObject({ code: 'conflict', status: 409 });
    await expect(register.createHousehold(t.db, system, { communeCode: '02905', code: 'A01' })).rejects.toMatchObject({ code: 'conflict' });
    // the same code in another commune is another household
    const other = await register.createHousehold(t.db, system, { communeCode: '02680', code: 'N01' });
    expect(other.communeName).toBe('Xã Hợp Thành');
    // a village of another commune is refused, naming the field
    const wrongVillage = await register.createHousehold(t.db, system, { communeCode: '02905', code: 'N02', villageCode: '02680.ban-mot' }).catch((e) => e);
    expect(wrongVillage).toMatchObject({ code: 'validation', fields: [expect.objectContaining({ path: 'villageCode', key: 'village_not_in_commune' })] });
    const notCommune = await register.createHousehold(t.db, system, { communeCode: '00000', code: 'N02' }).catch((e) => e);
    expect(notCommune.fields).toEqual([expect.objectContaining({ path: 'communeCode', key: 'unknown_commune' })]);

    const changed = await register.updateHousehold(t.db, system, h.id, { povertyStatus: 'none', villageCode: null, address: 'Số 7' });
    expect(changed).toMatchObject({ povertyStatus: 'none', povertyYear: null, villageCode: null, villageName: null, address: 'Số 7' });
    await expect(register.updateHousehold(t.db, system, h.id, { code: 'A02' })).rejects.toMatchObject({ code: 'conflict' });
    await expect(register.updateHousehold(t.db, system, h.id, { povertyYear: 2024 })).rejects.toMatchObject({ code: 'validation' });

    await register.deleteHousehold(t.db, system, h.id);
    await expect(register.getHousehold(t.db, system, h.id)).rejects.toMatchObject({ code: 'not_found' });
    // a household with members cannot be deleted
    await expect(register.deleteHousehold(t.db, system, await householdId('02905', 'A02'))).rejects.toMatchObject({ code: 'conflict' });

    const log = await readAudit(t.db, system, { entity: 'household', entityId: h.id });
    expect(log.map((l) => l.action)).toEqual(['delete', 'update', 'create']);
    expect(log.every((l) => l.unitCode === '02905')).toBe(true);
    expect(log[1]).toMatchObject({ before: expect.objectContaining({ address: 'Số 5', povertyStatus: 'near_poor' }), after: expect.objectContaining({ address: 'Số 7' }) });
  });

  it('adds, changes and removes a person, keeping the group history and checking the identifiers', async () => {
    const hid = await householdId('02905', 'A02');
    const p = await register.createPerson(
      t.db,
      system,
      { householdId: hid, fullName: '  lê thị  hoa ', relationship: 'con gái', birthDate: '2001-02-03', sex: 'female', citizenId: '0103 0100 0123', phone: '+84 912 000 111', groupCodes: ['sv'] },
      TODAY,
    );
    expect(p).toMatchObject({ fullName: 'Lê Thị Hoa', relationship: 'con', citizenId: '010301000123', phone: '0912000111', groupCodes: ['SV'], communeCode: '02905' });
    expect((await register.searchPersons(t.db, system, { q: 'le thi hoa' }, TODAY)).items.map((x) => x.id)).toEqual([p.id]);

    // every problem at once, each with its field
    const bad = await register
      .createPerson(t.db, system, { householdId: hid, fullName: 'X', birthDate: '2001-02-03', sex: 'male', citizenId: '010301000123', insuranceCode: '123', phone: '12', groupCodes: ['ZZ'] }, TODAY)
      .catch((e) => e);
    expect(bad.code).toBe('validation');
    expect(bad.fields.map((f: { path: string; key: string }) => [f.path, f.key])).toEqual([
      ['citizenId', 'citizen_id_sex'],
      ['insuranceCode', 'invalid_insurance_code'],
      ['phone', 'invalid_phone'],
      ['groupCodes.0', 'unknown_group'],
    ]);
    const year = await register.createPerson(t.db, system, { householdId: hid, fullName: 'X', birthDate: '2002-02-03', sex: 'female', citizenId: '010301000999' }, TODAY).catch((e) => e);
    expect(year.fields).toEqual([expect.objectContaining({ path: 'citizenId', key: 'citizen_id_birth_year' })]);
    const future = await register.createPerson(t.db, system, { householdId: hid, fullName: 'X', birthDate: '2025-10-02', sex: 'female' }, TODAY).catch((e) => e);
    expect(future.fields).toEqual([expect.objectContaining({ path: 'birthDate', key: 'birth_date_range' })]);
    // a citizen id names one person
    await expect(
      register.createPerson(t.db, system, { householdId: hid, fullName: 'Người Khác', birthDate: '1980-01-01', sex: 'male', citizenId: '010080001234' }, TODAY),
    ).rejects.toMatchObject({ code: 'conflict' });

    // groups: SV ends today, HN and DT start today
    const changed = await register.updatePerson(t.db, system, p.id, { groupCodes: ['HN', 'DT'], phone: null }, '2025-10-02');
    expect(changed).toMatchObject({ groupCodes: ['DT', 'HN'], phone: null, fullName: 'Lê Thị Hoa' });
    const page = await register.getHousehold(t.db, system, hid);
    const member = page.members.find((m) => m.id === p.id)!;
    expect(member.groups).toEqual([
      { groupCode: 'DT', validFrom: '2025-10-02', validTo: null },
      { groupCode: 'HN', validFrom: '2025-10-02', validTo: null },
      { groupCode: 'SV', validFrom: TODAY, validTo: '2025-10-02' },
    ]);
    // a birth date that no longer agrees with the citizen id is refused
    await expect(register.updatePerson(t.db, system, p.id, { birthDate: '2003-02-03' }, TODAY)).rejects.toMatchObject({
      code: 'validation',
      fields: [expect.objectContaining({ path: 'citizenId' })],
    });

    // moving to another household takes the groups and cards along
    await register.createCard(t.db, system, { personId: p.id, groupCode: 'HN', validFrom: '2025-01-01', validTo: '2025-12-31' });
    const target = await householdId('02905', 'A03');
    const moved = await register.updatePerson(t.db, system, p.id, { householdId: target }, TODAY);
    expect(moved.householdId).toBe(target);
    const movedPage = await register.getHousehold(t.db, system, target);
    expect(movedPage.members.find((m) => m.id === p.id)).toMatchObject({ cards: [expect.objectContaining({ groupCode: 'HN' })], groups: expect.arrayContaining([expect.objectContaining({ groupCode: 'SV' })]) });

    await register.deletePerson(t.db, system, p.id);
    await expect(register.updatePerson(t.db, system, p.id, { fullName: 'Y' }, TODAY)).rejects.toMatchObject({ code: 'not_found' });
    expect(await t.db.selectFrom('card').select('id').where('personId', '=', p.id).execute()).toEqual([]);
    expect(await t.db.selectFrom('personGroup').select('groupCode').where('personId', '=', p.id).execute()).toEqual([]);

    const log = await readAudit(t.db, system, { entity: 'person', entityId: p.id });
    expect(log.map((l) => l.action)).toEqual(['delete', 'update', 'update', 'create']);
    expect(log[2]).toMatchObject({ before: expect.objectContaining({ groupCodes: ['SV'] }), after: expect.objectContaining({ groupCodes: ['DT', 'HN'] }), unitCode: '02905' });
  });

  it('records, corrects and deletes a card by hand', async () => {
    const pid = await personId('Giàng A Sử');
    const card = await register.createCard(t.db, system, { personId: pid, groupCode: 'gd', validFrom: '2025-03-01', validTo: '2026-02-28' });
    expect(card).toMatchObject({ personId: pid, groupCode: 'GD', source: 'manual', number: null });
    await expect(register.createCard(t.db, system, { personId: pid, groupCode: 'GD', validFrom: '2025-03-01', validTo: '2026-02-28' })).rejects.toMatchObject({ code: 'conflict' });
    const wrong = await register.createCard(t.db, system, { personId: pid, groupCode: 'XX', validFrom: '2025-03-01', validTo: '2025-01-01' }).catch((e) => e);
    expect(wrong.fields.map((f: { path: string; key: string }) => [f.path, f.key])).toEqual([
      ['groupCode', 'unknown_group'],
      ['validTo', 'card_dates_order'],
    ]);
    expect((await register.searchPersons(t.db, system, { q: 'giang a su' }, TODAY)).items[0]).toMatchObject({ coveredToday: true, cardTo: '2026-02-28' });

    const fixed = await register.updateCard(t.db, system, card.id, { validTo: '2025-12-31', number: 'GD4010175000001' });
    expect(fixed).toMatchObject({ validFrom: '2025-03-01', validTo: '2025-12-31', number: 'GD4010175000001', source: 'manual' });
    await expect(register.updateCard(t.db, system, card.id, { validFrom: '2026-01-01' })).rejects.toMatchObject({ code: 'validation' });
    await register.deleteCard(t.db, system, card.id);
    expect((await register.searchPersons(t.db, system, { q: 'giang a su' }, TODAY)).items[0]).toMatchObject({ coveredToday: false, cardTo: null });

    const log = await readAudit(t.db, system, { entity: 'card', entityId: card.id });
    expect(log.map((l) => l.action)).toEqual(['delete', 'update', 'create']);
    expect(log[1]).toMatchObject({ unitCode: '02905', before: expect.objectContaining({ validTo: '2026-02-28' }), after: expect.objectContaining({ validTo: '2025-12-31' }) });
  });

  it('finds a card or a person by its id alone through an index that leads with the id, not by reading the whole table', async () => {
    // (a card edit or delete names the card only; at province scale a scan reads millions of rows)
    const indexUsed = (table: 'card' | 'person') =>
      t.db.transaction().execute(async (trx) => {
        // the tables are small here: forbid the scan that would win on them, as it loses on a province
        await sql`set local enable_seqscan = off`.execute(trx);
        const plan = await sql<{ 'QUERY PLAN': string }>`explain select * from ${sql.table(table)} where id = ${randomUUID()}::uuid`.execute(trx);
        const index = /(?:Index (?:Only )?Scan using|Bitmap Index Scan on) (\w+)/.exec(plan.rows.map((row) => row['QUERY PLAN']).join('\n'))?.[1];
        // (an index that does not lead with the id can still take the condition, by reading all of it)
        const first = await sql<{ column: string }>`
          select a.attname as column from pg_index i join pg_attribute a on a.attrelid = i.indrelid and a.attnum = i.indkey[0]
          where i.indexrelid = ${index ?? ''}::regclass`.execute(trx);
        return first.rows[0]?.column;
      });
    expect(await indexUsed('card')).toBe('id');
    expect(await indexUsed('person')).toBe('id');
  });
});

describe(`register scope (${engineName})`, () => {
  it('keeps a commune officer of 02905 away from the households of 02680: nothing listed, 404 or 403, nothing changed', async () => {
    const { actor } = await makeUser(t, 'commune_officer', '02905');
    const b01 = await householdId('02680', 'B01');
    const em = await personId('Lý Văn Em');
    const emCard = (await t.db.selectFrom('card').select('id').where('personId', '=', em).executeTakeFirstOrThrow()).id;

    const everyone = await register.searchPersons(t.db, actor, { limit: 200 }, TODAY);
    expect(everyone.items.every((p) => p.communeCode === '02905')).toBe(true);
    expect(everyone.total).toBe(everyone.items.length);
    expect((await register.searchPersons(t.db, actor, { q: 'ly van em' }, TODAY)).total).toBe(0);
    expect((await register.listHouseholds(t.db, actor, {})).items.map((h) => h.code)).not.toContain('B01');
    await expect(register.searchPersons(t.db, actor, { unit: '02680' }, TODAY)).rejects.toMatchObject({ code: 'out_of_scope', status: 403 });
    await expect(register.searchPersons(t.db, actor, { unit: '02680.ban-mot' }, TODAY)).rejects.toMatchObject({ code: 'not_found' });
    await expect(register.listHouseholds(t.db, actor, { unit: '15' })).rejects.toMatchObject({ code: 'out_of_scope' });

    const notFound = { code: 'not_found', status: 404 };
    await expect(register.getHousehold(t.db, actor, b01)).rejects.toMatchObject(notFound);
    await expect(register.updateHousehold(t.db, actor, b01, { address: 'X' })).rejects.toMatchObject(notFound);
    await expect(register.deleteHousehold(t.db, actor, b01)).rejects.toMatchObject(notFound);
    await expect(register.createPerson(t.db, actor, { householdId: b01, fullName: 'X', birthDate: '2000-01-01', sex: 'male' }, TODAY)).rejects.toMatchObject(notFound);
    await expect(register.updatePerson(t.db, actor, em, { fullName: 'Đổi Tên' }, TODAY)).rejects.toMatchObject(notFound);
    await expect(register.deletePerson(t.db, actor, em)).rejects.toMatchObject(notFound);
    await expect(register.createCard(t.db, actor, { personId: em, groupCode: 'GD', validFrom: '2026-01-01', validTo: '2026-12-31' })).rejects.toMatchObject(notFound);
    await expect(register.updateCard(t.db, actor, emCard, { number: 'X' })).rejects.toMatchObject(notFound);
    await expect(register.deleteCard(t.db, actor, emCard)).rejects.toMatchObject(notFound);
    await expect(register.createHousehold(t.db, actor, { communeCode: '02680', code: 'Z1' })).rejects.toMatchObject({ code: 'out_of_scope', status: 403 });
    // nor may a person of 02905 be moved into a household of 02680
    await expect(register.updatePerson(t.db, actor, await personId('Giàng A Sử'), { householdId: b01 }, TODAY)).rejects.toMatchObject(notFound);

    // nothing changed
    const page = await register.getHousehold(t.db, system, b01);
    expect(page.members.map((m) => m.fullName)).toEqual(['Lý Văn Em']);
    expect(page.members[0].cards).toHaveLength(1);
    expect(page.household.address).toBeNull();

    // own commune: allowed
    const own = await register.createHousehold(t.db, actor, { communeCode: '02905', code: 'Z1' });
    expect((await register.getHousehold(t.db, actor, own.id)).household.code).toBe('Z1');
    await register.deleteHousehold(t.db, actor, own.id);
  });

  it('lets province staff see their communes only, and viewers read but not change', async () => {
    const laoCai = (await makeUser(t, 'province_staff', '15')).actor;
    expect((await register.searchPersons(t.db, laoCai, { q: 'ly van em' }, TODAY)).total).toBe(1);
    expect((await register.getHousehold(t.db, laoCai, await householdId('02680', 'B01'))).household.code).toBe('B01');
    const anGiang = (await makeUser(t, 'province_staff', '91')).actor;
    expect((await register.searchPersons(t.db, anGiang, {}, TODAY)).total).toBe(0);
    await expect(register.getHousehold(t.db, anGiang, await householdId('02680', 'B01'))).rejects.toMatchObject({ code: 'not_found' });

    const viewer = (await makeUser(t, 'viewer', '02905')).actor;
    expect((await register.searchPersons(t.db, viewer, { q: 'nguyen van an' }, TODAY)).total).toBe(2);
    await expect(register.createHousehold(t.db, viewer, { communeCode: '02905', code: 'V1' })).rejects.toMatchObject({ code: 'forbidden' });
    await expect(register.updatePerson(t.db, viewer, await personId('Giàng A Sử'), { fullName: 'X' }, TODAY)).rejects.toMatchObject({ code: 'forbidden' });
  });
});

describe(`possible duplicates (${engineName})`, () => {
  it('reports the same citizen id in two records and the same name and birth date in one commune', async () => {
    // a legacy record holding An's citizen id in another household (the import and the API refuse this)
    const a03 = await householdId('02905', 'A03');
    const legacy = randomUUID();
    await t.db
      .insertInto('person')
      .values({ householdId: a03, id: legacy, communeCode: '02905', fullName: 'Nguyễn V. An', nameKey: 'nguyen v. an', birthDate: '1980-03-12', sex: 'male', citizenId: '010080001234', groupCodes: [] })
      .execute();

    const groups = await register.findDuplicates(t.db, system, {});
    expect(groups.map((g) => [g.reason, g.persons.map((p) => p.fullName).sort()])).toEqual([
      ['citizen_id', ['Nguyễn V. An', 'Nguyễn Văn An']],
      ['name_birth', ['Lò Thị Mai', 'Lò Thị Mai']],
    ]);
    expect(groups[0].key).toBe('010080001234');
    expect(groups[1].persons.map((p) => p.householdCode)).toEqual(['A04', 'A05']);
    expect(groups[1].persons[0]).toMatchObject({ communeCode: '02905', communeName: 'Xã Bảo Thắng', birthDate: '2010-01-01', citizenId: null });

    // in scope only
    const officer = (await makeUser(t, 'commune_officer', '02680')).actor;
    expect(await register.findDuplicates(t.db, officer, {})).toEqual([]);
    expect(await register.findDuplicates(t.db, system, { unit: '02680' })).toEqual([]);
    await t.db.deleteFrom('person').where('id', '=', legacy).execute();
  });

  it('does not take two records with different citizen ids for one person', async () => {
    const a04 = await householdId('02905', 'A04');
    const a05 = await householdId('02905', 'A05');
    await t.db.updateTable('person').set({ citizenId: '010310000001' }).where('householdId', '=', a04).execute();
    await t.db.updateTable('person').set({ citizenId: '010310000002' }).where('householdId', '=', a05).execute();
    expect(await register.findDuplicates(t.db, system, { unit: '02905' })).toEqual([]);
    await t.db.updateTable('person').set({ citizenId: null }).where('householdId', 'in', [a04, a05]).execute();
    expect((await register.findDuplicates(t.db, system, { unit: '02905' })).map((g) => g.reason)).toEqual(['name_birth']);
  });
});

describe(`register over HTTP (${engineName})`, () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    app = await buildApp({ database: t, webDist: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  async function login(role: 'commune_officer' | 'viewer', scope: string) {
    const u = await makeUser(t, role, scope);
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'cd_session')!;
    return { cookie: `cd_session=${cookie.value}`, csrf: res.json().csrfToken as string };
  }

  it('declares a permission on every register route', () => {
    const routes = app.routeTable.filter((r) => r.url.startsWith('/api/register'));
    expect(routes.length).toBeGreaterThanOrEqual(14);
    expect(routes.filter((r) => !r.permission)).toEqual([]);
  });

  it('searches, shows a household page, changes a card, and keeps other communes out', async () => {
    expect((await app.inject('/api/register/persons?q=nguyen')).statusCode).toBe(401);
    const s = await login('commune_officer', '02905');
    const search = await app.inject({ url: '/api/register/persons?q=nguyen%20van%20an', headers: { cookie: s.cookie } });
    expect(search.statusCode).toBe(200);
    const body = search.json();
    expect(body.total).toBe(2);
    const an = body.items.find((p: { fullName: string }) => p.fullName === 'Nguyễn Văn An');
    expect(an).toMatchObject({ householdCode: 'A01', communeName: 'Xã Bảo Thắng', coveredToday: expect.any(Boolean), cardTo: '2026-12-31' });

    const page = await app.inject({ url: `/api/register/households/${an.householdId}`, headers: { cookie: s.cookie } });
    expect(page.statusCode).toBe(200);
    expect(page.json().household).toMatchObject({ code: 'A01', villageName: 'Thôn Phú Lâm' });
    expect(page.json().members[0].cards).toHaveLength(2);

    const b01 = await householdId('02680', 'B01');
    const hidden = await app.inject({ url: `/api/register/households/${b01}`, headers: { cookie: s.cookie } });
    expect(hidden.statusCode).toBe(404);
    expect(hidden.body).not.toContain('Lý Văn Em');
    const outside = await app.inject({ url: '/api/register/persons?unit=02680', headers: { cookie: s.cookie } });
    expect(outside.statusCode).toBe(403);
    expect(outside.body).not.toContain('Lý Văn Em');
    expect((await app.inject({ url: '/api/register/households/not-a-uuid', headers: { cookie: s.cookie } })).statusCode).toBe(400);

    const payload = { personId: an.id, groupCode: 'HN', validFrom: '2027-01-01', validTo: '2027-12-31' };
    const noCsrf = await app.inject({ method: 'POST', url: '/api/register/cards', headers: { cookie: s.cookie }, payload });
    expect(noCsrf.statusCode).toBe(403);
    const created = await app.inject({ method: 'POST', url: '/api/register/cards', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload });
    expect(created.statusCode).toBe(201);
    expect(created.json()).toMatchObject({ groupCode: 'HN', source: 'manual', validTo: '2027-12-31' });
    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/register/cards/${created.json().id}?lang=en`,
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      payload: { validFrom: '2028-01-01' },
    });
    expect(patched.statusCode).toBe(400);
    expect(patched.json().error.fields).toEqual([{ path: 'validTo', message: 'The card must end after it starts' }]);
    const vi = await app.inject({
      method: 'POST',
      url: '/api/register/persons',
      headers: { cookie: s.cookie, 'x-csrf-token': s.csrf },
      payload: { householdId: an.householdId, fullName: 'Nguyễn Thị Con', birthDate: '2015-06-01', sex: 'female', citizenId: '010314000001' },
    });
    expect(vi.statusCode).toBe(400);
    expect(vi.json().error.fields).toEqual([{ path: 'citizenId', message: 'Số CCCD không khớp với năm sinh' }]);
    const deleted = await app.inject({ method: 'DELETE', url: `/api/register/cards/${created.json().id}`, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf } });
    expect(deleted.statusCode).toBe(204);

    const viewer = await login('viewer', '02905');
    const refused = await app.inject({ method: 'POST', url: '/api/register/cards', headers: { cookie: viewer.cookie, 'x-csrf-token': viewer.csrf }, payload });
    expect(refused.statusCode).toBe(403);
  });

  it('creates a household and lists households and duplicates', async () => {
    const s = await login('commune_officer', '02905');
    const h = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    const created = await app.inject({ method: 'POST', url: '/api/register/households', headers: h, payload: { communeCode: '02905', code: 'H99', address: 'Số 9' } });
    expect(created.statusCode).toBe(201);
    const again = await app.inject({ method: 'POST', url: '/api/register/households', headers: h, payload: { communeCode: '02905', code: 'H99' } });
    expect(again.statusCode).toBe(409);
    const listed = await app.inject({ url: '/api/register/households?q=h99', headers: h });
    expect(listed.json()).toMatchObject({ total: 1, items: [{ code: 'H99', memberCount: 0, headName: null }] });
    const dups = await app.inject({ url: '/api/register/duplicates', headers: h });
    expect(dups.statusCode).toBe(200);
    expect(dups.json().map((g: { reason: string }) => g.reason)).toEqual(['name_birth']);
    expect((await app.inject({ method: 'DELETE', url: `/api/register/households/${created.json().id}`, headers: h })).statusCode).toBe(204);
  });
});
