/**
 * A small register for the door-to-door tests: commune 02905 (Bảo Thắng) with three villages, a household
 * of another commune (02923), two working groups, and the users whose scope the tests check: field
 * workers of each group, one in no group, the commune officer, and the officer of another commune.
 */
import type { Actor } from '../../domain/access';
import { makeUser, system, type TestDatabase } from '../../test/db';
import * as register from '../register/register.service';
import { createVillage } from '../units/units.service';
import { createGroup, type GroupView } from './groups.service';

export const TODAY = '2026-11-20';
/** Noon of TODAY in Vietnam: the server's clock for visits in these tests. */
export const NOW = new Date('2026-11-20T12:00:00+07:00');
/** 4.5% x 2,530,000 x 12 (the base salary from 1 July 2026). */
export const FULL = 1_366_200;

export interface OutreachFixture {
  officer: Actor;
  otherOfficer: Actor;
  fieldA: Actor;
  fieldB: Actor;
  idle: Actor;
  groupA: GroupView;
  groupB: GroupView;
  /** Household ids by code. */
  households: Record<string, string>;
  /** Person ids by first name. */
  persons: Record<string, string>;
}

export async function outreachFixture(t: TestDatabase): Promise<OutreachFixture> {
  for (const [code, name] of [
    ['T1', 'Thôn Một'],
    ['T2', 'Thôn Hai'],
    ['T3', 'Thôn Ba'],
  ])
    await createVillage(t.db, system, { parentCode: '02905', code, name, kind: 'village' });
  await createVillage(t.db, system, { parentCode: '02923', code: 'X1', name: 'Thôn Xa', kind: 'village' });

  const households: Record<string, string> = {};
  const persons: Record<string, string> = {};
  const household = async (communeCode: string, code: string, village: string, povertyStatus: 'none' | 'poor' = 'none') => {
    households[code] = (await register.createHousehold(t.db, system, { communeCode, code, villageCode: village, povertyStatus, address: `Nhà ${code}` })).id;
  };
  const person = async (code: string, fullName: string, birthDate: string, sex: 'male' | 'female', extra: { citizenId?: string; groupCodes?: string[]; relationship?: string } = {}) => {
    const p = await register.createPerson(t.db, system, { householdId: households[code], fullName, birthDate, sex, groupCodes: extra.groupCodes ?? ['GD'], ...extra }, TODAY);
    persons[fullName.split(' ').pop()!] = p.id;
    return p.id;
  };
  const card = (personId: string, groupCode: string, validFrom: string, validTo: string) => register.createCard(t.db, system, { personId, groupCode, validFrom, validTo });

  // Thôn Một: a household nobody of which is insured today
  await household('02905', 'H1', 'T1');
  await person('H1', 'Nguyễn Văn An', '1980-03-12', 'male', { citizenId: '010080001234', relationship: 'chủ hộ' });
  await card(await person('H1', 'Trần Thị Bình', '1985-07-20', 'female', { citizenId: '010185002345', relationship: 'vợ' }), 'GD', '2025-01-01', '2025-12-31');
  await person('H1', 'Nguyễn Văn Cường', '2022-05-01', 'male', { groupCodes: [], relationship: 'con' });
  // Thôn Một: one card ending within 30 days, one covered well beyond
  await household('02905', 'H2', 'T1');
  await card(await person('H2', 'Lê Văn Dũng', '1970-01-01', 'male', { citizenId: '010070003456', relationship: 'chủ hộ' }), 'GD', '2026-01-01', '2026-12-05');
  await card(await person('H2', 'Lê Thị Em', '1975-01-01', 'female', { relationship: 'vợ' }), 'GD', '2026-07-01', '2027-06-30');
  // Thôn Hai: covered (not on the list), and an uncovered elder
  await household('02905', 'H3', 'T2');
  await card(await person('H3', 'Phạm Văn Giang', '1990-01-01', 'male'), 'GD', '2026-01-01', '2027-12-31');
  await household('02905', 'H4', 'T2');
  await person('H4', 'Hoàng Thị Hoa', '1960-06-06', 'female', { citizenId: '010160004567' });
  // Thôn Ba (the other group's): uncovered
  await household('02905', 'H5', 'T3');
  await person('H5', 'Vũ Văn Khoa', '1988-08-08', 'male', { citizenId: '010088005678' });
  // another commune
  await household('02923', 'H6', '02923.X1');
  await person('H6', 'Đỗ Văn Long', '1982-02-02', 'male', { citizenId: '010082006789' });

  const officer = (await makeUser(t, 'commune_officer', '02905')).actor;
  const otherOfficer = (await makeUser(t, 'commune_officer', '02923')).actor;
  const fieldA = (await makeUser(t, 'field_worker', '02905')).actor;
  const fieldB = (await makeUser(t, 'field_worker', '02905')).actor;
  const idle = (await makeUser(t, 'field_worker', '02905')).actor;
  const groupA = await createGroup(t.db, officer, { communeCode: '02905', name: 'Tổ công tác 1', villages: ['T1', '02905.T2'], leader: fieldA.username, periodFrom: '2026-10-01', periodTo: '2026-12-31' });
  const groupB = await createGroup(t.db, officer, { communeCode: '02905', name: 'Tổ công tác 2', villages: ['T3'], members: [fieldB.username] });
  return { officer, otherOfficer, fieldA, fieldB, idle, groupA, groupB, households, persons };
}
