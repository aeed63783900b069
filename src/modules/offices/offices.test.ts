/**
 * Social insurance offices, unit profiles, facilities and collectors (issue 18 item 2), on both engines,
 * as admin and as the users whose scope they change: office staff, province staff, commune officers.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import type { Actor } from '../../domain/access';
import { coverageOf } from '../coverage/coverage.service';
import { listTargets, setFigures, setTarget } from '../coverage/figures.service';
import { createCard, createHousehold, createPerson, getHousehold, updateCard } from '../register/register.service';
import { createVillage } from '../units/units.service';
import { readAudit } from '../audit/audit.service';
import * as collectors from './collectors.service';
import * as facilities from './facilities.service';
import * as offices from './offices.service';

let t: TestDatabase;
let officeStaff: Actor;
let provinceStaff: Actor;
let officer: Actor;

const BAO_THANG = ['02905', '02923', '02908', '02926']; // Bảo Thắng, Gia Phú, Tằng Loỏng, Xuân Quang

beforeAll(async () => {
  t = await testDatabase();
  provinceStaff = (await makeUser(t, 'province_staff', '15')).actor;
  officer = (await makeUser(t, 'commune_officer', '02905')).actor;
  await offices.createOffice(t.db, provinceStaff, {
    code: '1000',
    name: 'Bảo hiểm xã hội tỉnh Lào Cai',
    kind: 'si_province',
    parentCode: '15',
    profile: { address: 'Đường Hoàng Liên, phường Lào Cai', phone: '0214 3820 000', email: 'lca@vss.gov.vn', taxCode: '5300100000' },
  });
  await offices.createOffice(t.db, provinceStaff, { code: '1005', name: 'Bảo hiểm xã hội cơ sở Bảo Thắng', kind: 'si_grassroots', parentCode: '1000', communes: BAO_THANG });
  officeStaff = (await makeUser(t, 'province_staff', '1005')).actor;
});
afterAll(async () => {
  await t?.cleanup();
});

describe(`social insurance offices (${engineName})`, () => {
  it('keeps the provincial office and a grassroots office with the communes it serves, audited', async () => {
    const office = await offices.getOffice(t.db, officer, '1005');
    expect(office).toMatchObject({ name: 'Bảo hiểm xã hội cơ sở Bảo Thắng', kind: 'si_grassroots', parentCode: '1000', provinceCode: '15' });
    expect(office.communes.map((c) => c.name)).toEqual(['Xã Bảo Thắng', 'Xã Tằng Loỏng', 'Xã Gia Phú', 'Xã Xuân Quang']);
    expect((await offices.listOffices(t.db, officer, '15')).map((o) => o.code)).toEqual(['1000', '1005']);
    expect((await readAudit(t.db, system, { entity: 'office', entityId: '1005' }))[0]).toMatchObject({ action: 'create', actorName: provinceStaff.username });
  });

  it('names the office that issues a commune\'s, a province\'s and an office\'s documents', async () => {
    expect((await offices.issuingOffice(t.db, '02923'))?.name).toBe('Bảo hiểm xã hội cơ sở Bảo Thắng');
    expect((await offices.issuingOffice(t.db, '15'))?.profile?.phone).toBe('0214 3820 000');
    expect((await offices.issuingOffice(t.db, '1005'))?.code).toBe('1005');
    // a commune no office serves yet
    expect(await offices.issuingOffice(t.db, '02671')).toBeNull();
  });

  it('refuses a commune of another province, a commune another office serves, a taken code, a wrong parent', async () => {
    const err = await offices
      .createOffice(t.db, provinceStaff, { code: '1006', name: 'BHXH cơ sở Bắc Hà', kind: 'si_grassroots', parentCode: '1000', communes: ['02905', '00004'] })
      .catch((e) => e);
    expect(err).toMatchObject({ code: 'validation' });
    expect(err.fields).toEqual([
      { path: 'communes.0', key: 'commune_served_by_other', params: { code: '02905', name: 'Xã Bảo Thắng', office: 'Bảo hiểm xã hội cơ sở Bảo Thắng' } },
      { path: 'communes.1', key: 'commune_not_in_province', params: expect.objectContaining({ code: '00004' }) },
    ]);
    await expect(offices.createOffice(t.db, provinceStaff, { code: '15', name: 'X', kind: 'si_grassroots', parentCode: '1000' })).rejects.toMatchObject({
      fields: [{ path: 'code', key: 'unit_code_taken' }],
    });
    await expect(offices.createOffice(t.db, provinceStaff, { code: '1007', name: 'X', kind: 'si_grassroots', parentCode: '15' })).rejects.toMatchObject({
      fields: [{ path: 'parentCode', key: 'office_parent_provincial_office' }],
    });
    await expect(offices.createOffice(t.db, provinceStaff, { code: '1008', name: 'X', kind: 'si_province', parentCode: '15' })).rejects.toMatchObject({
      fields: [{ path: 'kind', key: 'provincial_office_exists' }],
    });
    // nothing was written
    expect((await offices.listOffices(t.db, system, '15')).map((o) => o.code)).toEqual(['1000', '1005']);
  });

  it('lets only who manages the province create offices', async () => {
    await expect(offices.createOffice(t.db, officer, { code: '1009', name: 'X', kind: 'si_grassroots', parentCode: '1000' })).rejects.toMatchObject({ code: 'out_of_scope' });
    const hanoi = (await makeUser(t, 'province_staff', '01')).actor;
    await expect(offices.createOffice(t.db, hanoi, { code: '1009', name: 'X', kind: 'si_grassroots', parentCode: '1000' })).rejects.toMatchObject({ code: 'out_of_scope' });
  });

  it('scopes a user to an office: its communes and nothing else', async () => {
    await expect(coverageOf(t.db, officeStaff, '02923', '2026-06-30')).resolves.toMatchObject({ unit: '02923' });
    await expect(coverageOf(t.db, officeStaff, '02671', '2026-06-30')).rejects.toMatchObject({ code: 'out_of_scope' });
    await expect(coverageOf(t.db, officeStaff, '15', '2026-06-30')).rejects.toMatchObject({ code: 'out_of_scope' });
    // the register inside: a household of Gia Phú is visible to the office's staff
    const h = await createHousehold(t.db, officeStaff, { communeCode: '02923', code: 'GP-1' });
    expect(h.communeCode).toBe('02923');
    await expect(createHousehold(t.db, officeStaff, { communeCode: '02671', code: 'X-1' })).rejects.toMatchObject({ code: 'out_of_scope' });
  });

  it('reads coverage per office: its communes below it, its reported figures against its plan', async () => {
    await setFigures(t.db, officeStaff, { unitCode: '1005', asOf: '2025-10-31', participants: 114_149, plan: 121_435, planYear: 2025 });
    const c = await coverageOf(t.db, officeStaff, '1005', '2025-11-30');
    expect(c.children.map((x) => x.unit).sort()).toEqual([...BAO_THANG].sort());
    expect(c).toMatchObject({ level: 'office', participants: 114_149, plan: 121_435, pctPlan: 94 });
    // a target for the office, read back by its staff
    await setTarget(t.db, officeStaff, { unitCode: '1005', year: 2026, kind: 'percent_population', value: 95, decision: '462/QĐ-BHXH' });
    expect((await listTargets(t.db, officeStaff, { unit: '1005' })).map((x) => [x.unitCode, x.value])).toEqual([['1005', 95]]);
  });

  it('keeps a unit profile as forms print it; a commune officer sets their own commune\'s only', async () => {
    const p = await offices.setUnitProfile(t.db, officer, '02905', { siCode: 'TE0905A', taxCode: '5300123456', phone: '0214 3860 111', email: '' });
    expect(p).toMatchObject({ unitCode: '02905', siCode: 'TE0905A', taxCode: '5300123456', email: null });
    // a later partial change keeps the rest
    expect(await offices.setUnitProfile(t.db, officer, '02905', { address: 'Thôn Phố Lu 1, xã Bảo Thắng' })).toMatchObject({ siCode: 'TE0905A', address: 'Thôn Phố Lu 1, xã Bảo Thắng' });
    await expect(offices.setUnitProfile(t.db, officer, '02923', { siCode: 'X1' })).rejects.toMatchObject({ code: 'out_of_scope' });
    await expect(offices.setUnitProfile(t.db, provinceStaff, '02923', { siCode: 'TE0905A' })).rejects.toMatchObject({ fields: [{ path: 'siCode', key: 'si_code_taken' }] });
    await expect(offices.setUnitProfile(t.db, provinceStaff, '02923', { taxCode: '12ab', email: 'not-mail' })).rejects.toMatchObject({
      fields: [expect.objectContaining({ path: 'taxCode' }), expect.objectContaining({ path: 'email' })],
    });
  });
});

describe(`health-care facilities (${engineName})`, () => {
  it('keeps an editable list per province, searched without diacritics', async () => {
    await facilities.createFacility(t.db, provinceStaff, { code: '10001', name: 'Bệnh viện Đa khoa tỉnh Lào Cai', provinceCode: '15' });
    await facilities.createFacility(t.db, provinceStaff, { code: '10017', name: 'Trung tâm Y tế Bảo Thắng', provinceCode: '15' });
    expect((await facilities.listFacilities(t.db, officer, { province: '15', q: 'bao thang' })).map((f) => f.code)).toEqual(['10017']);
    await facilities.updateFacility(t.db, provinceStaff, '10001', { active: false });
    expect((await facilities.listFacilities(t.db, officer, { province: '15' })).map((f) => f.code)).toEqual(['10017']);
    expect((await facilities.listFacilities(t.db, officer, { province: '15', all: true })).map((f) => f.code)).toEqual(['10001', '10017']);
  });

  it('refuses a bad or taken code, a non-province, and a user who does not manage the province', async () => {
    await expect(facilities.createFacility(t.db, provinceStaff, { code: '1001', name: 'X', provinceCode: '15' })).rejects.toMatchObject({ fields: [{ path: 'code', key: 'facility_code_format' }] });
    await expect(facilities.createFacility(t.db, provinceStaff, { code: '10017', name: 'X', provinceCode: '15' })).rejects.toMatchObject({ fields: [{ path: 'code', key: 'facility_code_taken' }] });
    await expect(facilities.createFacility(t.db, provinceStaff, { code: '10099', name: 'X', provinceCode: '02905' })).rejects.toMatchObject({ fields: [{ path: 'provinceCode', key: 'not_a_province' }] });
    await expect(facilities.createFacility(t.db, officer, { code: '10099', name: 'X', provinceCode: '15' })).rejects.toMatchObject({ code: 'out_of_scope' });
  });
});

describe(`collectors (${engineName})`, () => {
  it('keeps collectors under an office, on villages of the communes it serves', async () => {
    await createVillage(t.db, system, { parentCode: '02905', code: 'PL1', name: 'Thôn Phố Lu 1' });
    await createVillage(t.db, system, { parentCode: '02671', code: 'X1', name: 'Thôn Xa' });
    const c = await collectors.createCollector(t.db, officeStaff, { code: 'NV1005-01', name: 'Vàng Thị Dung', kind: 'staff', officeCode: '1005', villages: ['02905.PL1'] });
    expect(c).toMatchObject({ code: 'NV1005-01', officeCode: '1005', villages: [{ code: '02905.PL1', name: 'Thôn Phố Lu 1' }] });
    expect((await collectors.listCollectors(t.db, officer, { village: '02905.PL1' })).map((x) => x.code)).toEqual(['NV1005-01']);
    expect((await collectors.collectorsOfVillages(t.db, ['02905.PL1'])).get('02905.PL1')?.map((x) => x.name)).toEqual(['Vàng Thị Dung']);
  });

  it('refuses a village outside the office, an unknown office, and a user outside the office', async () => {
    const err = await collectors
      .createCollector(t.db, officeStaff, { code: 'NV1005-02', name: 'X', kind: 'agent', officeCode: '1005', villages: ['02671.X1', '02905.NOPE'] })
      .catch((e) => e);
    expect(err.fields).toEqual([
      { path: 'villages.0', key: 'collector_village_outside_office', params: { code: '02671.X1', name: 'Thôn Xa', office: 'Bảo hiểm xã hội cơ sở Bảo Thắng' } },
      { path: 'villages.1', key: 'unknown_unit', params: { code: '02905.NOPE' } },
    ]);
    await expect(collectors.createCollector(t.db, officeStaff, { code: 'NV9', name: 'X', kind: 'agent', officeCode: '9999' })).rejects.toMatchObject({ fields: [{ path: 'officeCode', key: 'unknown_office' }] });
    await expect(collectors.createCollector(t.db, officer, { code: 'NV9', name: 'X', kind: 'agent', officeCode: '1005' })).rejects.toMatchObject({ code: 'out_of_scope' });
    expect((await collectors.listCollectors(t.db, system, { office: '1005' })).map((x) => x.code)).toEqual(['NV1005-01']);
  });
});

describe(`a card's facility and collector (${engineName})`, () => {
  it('records them on a card, refuses an unknown facility and a collector of another office, shows names on the household', async () => {
    const h = await createHousehold(t.db, officer, { communeCode: '02905', code: 'BT-9', villageCode: '02905.PL1' });
    const p = await createPerson(t.db, officer, { householdId: h.id, fullName: 'Sùng A Tủa', birthDate: '1978-07-07', sex: 'male' }, '2026-01-10');
    const base = { personId: p.id, groupCode: 'GD', validFrom: '2026-01-01', validTo: '2026-12-31' };
    const bad = await createCard(t.db, officer, { ...base, facilityCode: '99999', collectorCode: 'NV404' }).catch((e) => e);
    expect(bad.fields).toEqual([
      { path: 'facilityCode', key: 'unknown_facility', params: { code: '99999' } },
      { path: 'collectorCode', key: 'unknown_collector', params: { code: 'NV404' } },
    ]);
    // a collector of an office that does not serve Bảo Thắng
    await offices.createOffice(t.db, provinceStaff, { code: '1006', name: 'Bảo hiểm xã hội cơ sở Bắc Hà', kind: 'si_grassroots', parentCode: '1000', communes: ['02671'] });
    await collectors.createCollector(t.db, provinceStaff, { code: 'NV1006-01', name: 'Giàng Thị Pàng', kind: 'staff', officeCode: '1006', villages: ['02671.X1'] });
    await expect(createCard(t.db, officer, { ...base, collectorCode: 'NV1006-01' })).rejects.toMatchObject({
      fields: [{ path: 'collectorCode', key: 'collector_outside_office', params: { code: 'NV1006-01', name: 'Giàng Thị Pàng' } }],
    });
    const card = await createCard(t.db, officer, { ...base, facilityCode: '10017', collectorCode: 'nv1005-01' });
    expect(card).toMatchObject({ facilityCode: '10017', collectorCode: 'NV1005-01' });
    const page = await getHousehold(t.db, officer, h.id);
    expect(page.members[0].cards[0]).toMatchObject({ facilityCode: '10017', facilityName: 'Trung tâm Y tế Bảo Thắng', collectorCode: 'NV1005-01', collectorName: 'Vàng Thị Dung' });
    const cleared = await updateCard(t.db, officer, card.id, { facilityCode: null });
    expect(cleared).toMatchObject({ facilityCode: null, collectorCode: 'NV1005-01' });
  });
});
