/**
 * The local support simulator (issue 21 item 5), on both engines: a hand-computed case on a small register,
 * the take-up default and its override, saved scenarios, adoption as a draft rule that prices nothing, its
 * approval (a quote uses it from its date and not before), who may do what, bad input that changes nothing,
 * the CLI's JSON, the .xlsx table and the PDF brief.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { pdfText } from '../../io/pdf-text';
import type { Actor } from '../../domain/access';
import * as register from '../register/register.service';
import { quote } from '../premium/premium.service';
import { findUnit } from '../units/units.service';
import { registerSimulatorCommands } from './simulator.cli';
import { scenariosPdf, scenariosWorkbook } from './simulator.report';
import * as simulator from './simulator.service';

/** The day the register is looked at (the observed rates end here: min(from, today)). */
const TODAY = '2025-12-01';
const FROM = '2026-01-01';
/** 4.5% x 2,340,000 x 12: the premium of a year on 1 January 2026. */
const YEAR = 1_263_600;

let t: TestDatabase;
let province: string;
let officer: Actor;
let otherOfficer: Actor;
const persons: Record<string, string> = {};

beforeAll(async () => {
  t = await testDatabase();
  province = (await findUnit(t.db, '02905'))!.parentCode!;
  officer = (await makeUser(t, 'commune_officer', '02905')).actor;
  otherOfficer = (await makeUser(t, 'commune_officer', '02923')).actor;
  const households: Record<string, string> = {};
  const household = async (communeCode: string, code: string, povertyStatus: 'none' | 'poor' | 'near_poor' = 'none') => {
    households[code] = (await register.createHousehold(t.db, system, { communeCode, code, povertyStatus })).id;
  };
  const person = async (code: string, name: string, birthDate: string, extra: { groupCodes?: string[]; relationship?: string; ethnicity?: string } = {}) => {
    persons[name] = (await register.createPerson(t.db, system, { householdId: households[code], fullName: name, birthDate, sex: 'female', groupCodes: extra.groupCodes ?? ['GD'], ...extra }, TODAY)).id;
    return persons[name];
  };
  const card = (name: string, groupCode: string, validFrom: string, validTo: string) => register.createCard(t.db, system, { personId: persons[name], groupCode, validFrom, validTo });

  // H1: the head An (75) covered; Bình (67) and Cường (40) not. Household order among the GD members:
  // the head first, then by birth date: An 1, Bình 2, Cường 3.
  await household('02905', 'H1');
  await person('H1', 'An', '1950-05-01', { relationship: 'head' });
  await card('An', 'GD', '2025-06-01', '2026-05-31'); // not covered a year before (01/12/2024), covered on 01/12/2025: enrolled
  await person('H1', 'Bình', '1958-03-01', { relationship: 'wife' });
  await card('Bình', 'GD', '2024-01-01', '2024-12-31'); // covered a year before, not since: did not renew
  await person('H1', 'Cường', '1985-01-01');
  // H2, near-poor: Dung (66) priced in CN, the state pays 70%; never insured
  await household('02905', 'H2', 'near_poor');
  await person('H2', 'Dung', '1960-01-01', { groupCodes: [] });
  // H3: Em (71) is a social-protection beneficiary (state-paid: not in the elderly group), Giang is 80 and
  // Hà 59 (outside 60-79)
  await household('02905', 'H3');
  await person('H3', 'Em', '1955-01-01', { groupCodes: ['BT'], relationship: 'head' });
  await person('H3', 'Giang', '1946-01-01');
  await person('H3', 'Hà', '1966-01-02');
  // H4, poor: Khánh (75) is state-paid
  await household('02905', 'H4', 'poor');
  await person('H4', 'Khánh', '1950-01-01', { groupCodes: [] });
  // H5: the head Lan (25) first, then her mother Mai (63), covered all along (renewed): Mai is 2nd
  await household('02905', 'H5');
  await person('H5', 'Lan', '2000-01-01', { relationship: 'head' });
  await person('H5', 'Mai', '1962-07-01', { relationship: 'mother', ethnicity: "H'Mông" });
  await card('Mai', 'GD', '2024-01-01', '2026-12-31');
  // H6: Nga (64), card ended in 2023: not covered a year before nor since
  await household('02905', 'H6');
  await person('H6', 'Nga', '1961-02-01', { relationship: 'head' });
  await card('Nga', 'GD', '2023-01-01', '2023-12-31');
  // another commune of the province
  await household('02923', 'H7');
  await person('H7', 'Oanh', '1955-01-01', { relationship: 'head' });
});
afterAll(async () => {
  await t?.cleanup();
});

const elderly = { unitCode: '02905', group: 'elderly_60_79' as const, topUpPct: 30, from: FROM, months: 12 };

describe(`simulator (${engineName})`, () => {
  it('computes a hand-checked case: persons, covered, budget cost in household order, take-up from the register', async () => {
    const r = await simulator.simulate(t.db, officer, elderly, TODAY, 'vi');
    // In the group: An, Bình, Dung, Mai, Nga (Cường is 40, Em state-paid, Giang 80, Hà 59, Khánh poor, Oanh elsewhere)
    expect(r).toMatchObject({ persons: 5, covered: 2, uncovered: 3, statePaid: 0, reachable: 3, unpriced: 0 });
    // The top-up, 30% of each one's premium:
    //   An   (GD, 1st): 30% x 1,263,600          = 379,080  covered
    //   Mai  (GD, 2nd): 30% x 70% x 1,263,600    = 265,356  covered
    //   Bình (GD, 2nd): 30% x 884,520            = 265,356  uncovered, pays 884,520
    //   Dung (CN): state 884,520, pays 379,080; 30% x 1,263,600 = 379,080 (all she pays)  uncovered
    //   Nga  (GD, 1st): 379,080                  uncovered, pays 1,263,600
    // covered: 644,436; uncovered: 1,023,516 of the 2,527,200 they pay = 40.5%
    // Observed (01/12/2024 -> 01/12/2025): renewal 1 of 2 (Mai yes, Bình no) = 50%; enrolment 1 of 3 (An yes; Dung, Nga no)
    // take-up = 1/3 + (1/2 - 1/3) x 0.405 = 0.4008333 -> 40.08%
    expect(r.renewalRatePct).toBe(50);
    expect(r.enrolmentRatePct).toBe(33.33);
    expect(r.supportSharePct).toBe(40.5);
    expect(r.takeUpDefaultPct).toBe(40.08);
    expect(r.takeUpPct).toBe(40.08);
    // expected new: round(0.4008333 x 3) = 1; cost: 644,436 + 0.4008333 x 1,023,516 = 1,054,695.33
    expect(r.expectedNew).toBe(1);
    expect(r.budgetCost).toBe(1_054_695);
    expect(r.periodCost).toBe(1_054_695);
    expect(r.coveragePctBefore).toBe(40);
    expect(r.coveragePctAfter).toBe(60);
    expect(r.costPerExtraPerson).toBe(1_054_695);
    expect(r.byGroup).toEqual([
      { group: 'GD', persons: 4, covered: 2, cost: Math.round(644_436 + (265_356 + 379_080) * (1 / 3 + (1 / 6) * 0.405)) },
      { group: 'CN', persons: 1, covered: 0, cost: Math.round(379_080 * (1 / 3 + (1 / 6) * 0.405)) },
    ]);
  });

  it('takes the take-up given, an amount per person, and a shorter period', async () => {
    const all = await simulator.simulate(t.db, officer, { ...elderly, takeUpPct: 100 }, TODAY, 'vi');
    // everyone reached joins: 644,436 + 1,023,516
    expect(all).toMatchObject({ expectedNew: 3, budgetCost: 1_667_952, costPerExtraPerson: 555_984, coveragePctAfter: 100, takeUpPct: 100, takeUpDefaultPct: 40.08 });
    // 300,000 a year each: the covered An and Mai 600,000; the uncovered 900,000 at 50% = 450,000; 6 months: half
    const amount = await simulator.simulate(t.db, officer, { unitCode: '02905', group: 'elderly_60_79', topUpAmount: 300_000, from: FROM, months: 6, takeUpPct: 50 }, TODAY, 'vi');
    expect(amount).toMatchObject({ expectedNew: 2, budgetCost: 1_050_000, periodCost: 525_000, costPerExtraPerson: 525_000, to: '2026-06-30' });
  });

  it('counts the other groups: near-poor, ethnic minority, chosen communes (a state-paid person costs nothing)', async () => {
    const nearPoor = await simulator.simulate(t.db, officer, { ...elderly, group: 'near_poor', takeUpPct: 100 }, TODAY, 'vi');
    expect(nearPoor).toMatchObject({ persons: 1, covered: 0, budgetCost: 379_080, expectedNew: 1 });
    const minority = await simulator.simulate(t.db, officer, { ...elderly, group: 'ethnic_minority' }, TODAY, 'vi');
    expect(minority).toMatchObject({ persons: 1, covered: 1, budgetCost: 265_356, expectedNew: 0, costPerExtraPerson: null });
    // every person of commune 02905: 11; Em (BT) and Khánh (poor) are state-paid; covered An, Mai
    const communes = await simulator.simulate(t.db, system, { ...elderly, unitCode: province, group: 'communes', communes: ['02905'], topUpPct: 10, takeUpPct: 0 }, TODAY, 'vi');
    expect(communes).toMatchObject({ persons: 11, covered: 2, statePaid: 2, expectedNew: 0 });
    // 10% of the premium for the covered: An 126,360 + Mai 88,452
    expect(communes.budgetCost).toBe(126_360 + 88_452);
  });

  it('counts ethnic minorities by ethnicity or a minority group (DT); those the state pays (a difficult area, poor) cost nothing and leave the rates', async () => {
    const household = async (code: string, povertyStatus: 'none' | 'poor' = 'none') => (await register.createHousehold(t.db, system, { communeCode: '02923', code, povertyStatus })).id;
    const person = async (householdId: string, name: string, birthDate: string, extra: { groupCodes?: string[]; relationship?: string; ethnicity?: string }) =>
      (persons[name] = (await register.createPerson(t.db, system, { householdId, fullName: name, birthDate, sex: 'male', groupCodes: extra.groupCodes ?? ['GD'], ...extra }, TODAY)).id);
    const card = (name: string, groupCode: string, validFrom: string, validTo: string) => register.createCard(t.db, system, { personId: persons[name], groupCode, validFrom, validTo });
    // H8: Páo (H'Mông, DT: an ethnic minority in a difficult area, state-paid), card to 31/12/2025;
    // Sùng (H'Mông, GD, the household's 1st household-mode member), never insured; Vàng (DT, no ethnicity
    // written: DT is a minority group), never insured
    const h8 = await household('H8');
    await person(h8, 'Páo', '1986-01-01', { relationship: 'head', groupCodes: ['DT'], ethnicity: "H'Mông" });
    await card('Páo', 'DT', '2025-01-01', '2025-12-31');
    await person(h8, 'Sùng', '1990-01-01', { relationship: 'wife', ethnicity: "H'Mông" });
    await person(h8, 'Vàng', '1992-01-01', { relationship: 'child', groupCodes: ['DT'] });
    // H9: Tòng (Tày, head, GD 1st) renewed; Lý (Kinh, GD 2nd) and Khu (Kinh, DK: state-paid) not in the
    // group; Thào (Dao, GD 3rd: 60%) covered a year before, not since
    const h9 = await household('H9');
    await person(h9, 'Tòng', '1976-01-01', { relationship: 'head', ethnicity: 'Tày' });
    await card('Tòng', 'GD', '2024-06-01', '2026-05-31');
    await person(h9, 'Lý', '1978-01-01', { relationship: 'wife', ethnicity: 'Kinh' });
    await person(h9, 'Khu', '1979-01-01', { relationship: 'brother', groupCodes: ['DK'], ethnicity: 'Kinh' });
    await person(h9, 'Thào', '1995-01-01', { relationship: 'son', ethnicity: 'Dao' });
    await card('Thào', 'GD', '2024-01-01', '2024-12-31');
    // H10, poor: Giàng (Mông) is state-paid (HN), the state renews his card
    const h10 = await household('H10', 'poor');
    await person(h10, 'Giàng', '1980-01-01', { relationship: 'head', groupCodes: [], ethnicity: 'Mông' });
    await card('Giàng', 'HN', '2024-01-01', '2026-12-31');

    const r = await simulator.simulate(t.db, system, { unitCode: '02923', group: 'ethnic_minority', topUpPct: 30, from: FROM, months: 12 }, TODAY, 'vi');
    // In the group: Páo, Sùng, Vàng, Tòng, Thào, Giàng (not Lý, Khu: Kinh; not Oanh: no ethnicity)
    // covered on 01/01/2026: Tòng, Giàng; state-paid: Páo, Vàng (DT), Giàng (HN); reached: Sùng, Thào
    expect(r).toMatchObject({ persons: 6, covered: 2, uncovered: 4, statePaid: 3, reachable: 2, unpriced: 0 });
    // The top-up, 30% of each one's premium (the state-paid get nothing: nothing remains to pay):
    //   Tòng (GD, 1st): 379,080 covered
    //   Sùng (GD, 1st): 379,080 uncovered, pays 1,263,600
    //   Thào (GD, 3rd): 30% x 60% x 1,263,600 = 227,448 uncovered, pays 758,160
    // uncovered: 606,528 of the 2,021,760 they pay = 30%
    // Observed (01/12/2024 -> 01/12/2025) on those who pay, not the state-paid: renewal 1 of 2 (Tòng yes,
    // Thào no); enrolment 0 of 1 (Sùng). take-up = 0 + (50% - 0) x 30% = 15%
    expect(r).toMatchObject({ renewalRatePct: 50, enrolmentRatePct: 0, supportSharePct: 30, takeUpDefaultPct: 15, takeUpPct: 15 });
    // cost: 379,080 + 15% x 606,528 = 470,059.2; expected new: round(15% x 2) = 0
    expect(r).toMatchObject({ budgetCost: 470_059, expectedNew: 0, costPerExtraPerson: null, coveragePctBefore: 33.33, coveragePctAfter: 33.33 });
    expect(r.byGroup).toEqual([
      { group: 'GD', persons: 3, covered: 1, cost: 470_059 },
      { group: 'DT', persons: 2, covered: 0, cost: 0 },
      { group: 'HN', persons: 1, covered: 1, cost: 0 },
    ]);
    // everyone reached joins: 379,080 + 606,528 for 2 new persons
    const all = await simulator.simulate(t.db, system, { unitCode: '02923', group: 'ethnic_minority', topUpPct: 30, from: FROM, months: 12, takeUpPct: 100 }, TODAY, 'vi');
    expect(all).toMatchObject({ budgetCost: 985_608, expectedNew: 2, costPerExtraPerson: 492_804, coveragePctAfter: 66.67 });
  });

  it('refuses bad input with a clear message, naming the field', async () => {
    const over = await failure(simulator.simulate(t.db, officer, { ...elderly, topUpPct: 130 }, TODAY, 'en'));
    expect(over.fields).toEqual([expect.objectContaining({ path: 'topUpPct', key: 'top_up_over_100' })]);
    // 40% of the premium is more than the 30% a near-poor person pays
    const negative = await failure(simulator.simulate(t.db, officer, { ...elderly, group: 'near_poor', topUpPct: 40 }, TODAY, 'en'));
    expect(negative.fields).toEqual([expect.objectContaining({ path: 'topUpPct', key: 'top_up_exceeds_payable', params: expect.objectContaining({ group: 'CN', maxPct: '30', remainder: '379.080 ₫' }) })]);
    const amount = await failure(simulator.simulate(t.db, officer, { unitCode: '02905', group: 'near_poor', topUpAmount: 400_000, from: FROM, months: 12 }, TODAY, 'en'));
    expect(amount.fields[0]).toMatchObject({ path: 'topUpAmount', key: 'top_up_exceeds_payable' });
    const group = await failure(simulator.simulate(t.db, officer, { ...elderly, group: 'elderly' as never }, TODAY, 'en'));
    expect(group.fields[0].path).toBe('group');
    const date = await failure(simulator.simulate(t.db, officer, { ...elderly, from: '2026-02-30' }, TODAY, 'en'));
    expect(date.fields[0].path).toBe('from');
    const both = await failure(simulator.simulate(t.db, officer, { ...elderly, topUpAmount: 100_000 }, TODAY, 'en'));
    expect(both.fields[0]).toMatchObject({ path: 'topUpPct', key: 'top_up_one_of' });
    const commune = await failure(simulator.simulate(t.db, officer, { ...elderly, group: 'communes', communes: ['02923'] }, TODAY, 'en'));
    expect(commune.fields[0]).toMatchObject({ path: 'communes.0', key: 'unknown_commune' });
    // nothing saved by a refused save
    await failure(simulator.saveScenario(t.db, officer, { ...elderly, topUpPct: 130, name: 'x' }, TODAY, 'en'));
    expect(await simulator.listScenarios(t.db, officer, '02905')).toEqual([]);
  });

  it('keeps a unit to its scope: another commune’s officer cannot simulate it', async () => {
    expect((await failure(simulator.simulate(t.db, otherOfficer, elderly, TODAY, 'vi'))).code).toBe('out_of_scope');
  });

  it('saves up to 3 scenarios; adopting one makes a draft rule that prices nothing; approval prices from its date', async () => {
    const a = await simulator.saveScenario(t.db, system, { ...elderly, unitCode: province, name: 'A: 30%' }, TODAY, 'vi');
    await simulator.saveScenario(t.db, system, { ...elderly, unitCode: province, topUpPct: 25, name: 'B: 25%' }, TODAY, 'vi');
    await simulator.saveScenario(t.db, system, { ...elderly, unitCode: province, topUpPct: 20, name: 'C: 20%' }, TODAY, 'vi');
    const fourth = await failure(simulator.saveScenario(t.db, system, { ...elderly, unitCode: province, name: 'D' }, TODAY, 'vi'));
    expect(fourth.fields[0].key).toBe('too_many_scenarios');
    const list = await simulator.listScenarios(t.db, system, province);
    expect(list.map((s) => s.name).sort()).toEqual(['A: 30%', 'B: 25%', 'C: 20%']);
    // the province's figures include Oanh (02923)
    expect(a.result.persons).toBe(6);

    const gd65 = (date: string) => quote(t.db, { date, months: 12, province, members: [{ groups: ['GD'], birthDate: '1960-06-01' }] });
    expect((await gd65('2026-03-01')).members[0].local).toBe(0);

    const adopted = await simulator.adoptScenario(t.db, system, a.id, 'vi');
    expect(adopted.rule).toMatchObject({ status: 'draft', decision: null, from: FROM, to: '2027-01-01' });
    expect(adopted.canAdopt).toBe(false);
    // a draft prices nothing
    expect((await gd65('2026-03-01')).members[0].local).toBe(0);
    expect((await failure(simulator.adoptScenario(t.db, system, a.id, 'vi'))).code).toBe('conflict');

    // a commune officer may not approve
    expect((await failure(simulator.approveRule(t.db, officer, adopted.rule!.id, { decision: '25/2025/NQ-HĐND', from: '2026-03-01' }))).code).toBe('forbidden');
    const approved = await simulator.approveRule(t.db, system, adopted.rule!.id, { decision: '25/2025/NQ-HĐND', from: '2026-03-01' });
    expect(approved).toMatchObject({ status: 'approved', decision: '25/2025/NQ-HĐND', from: '2026-03-01', to: '2027-03-01', source: '25/2025/NQ-HĐND' });
    // from its date and not before: 30% of 1,263,600 = 379,080
    expect((await gd65('2026-02-28')).members[0].local).toBe(0);
    const q = await gd65('2026-03-01');
    expect(q.members[0]).toMatchObject({ local: 379_080, payable: YEAR - 379_080 });
    expect(q.rules.find((r) => r.id === approved.id)?.source).toBe('25/2025/NQ-HĐND');
    // outside its age bounds, nothing
    expect((await quote(t.db, { date: '2026-03-01', months: 12, province, members: [{ groups: ['GD'], birthDate: '1990-01-01' }] })).members[0].local).toBe(0);
    expect((await failure(simulator.approveRule(t.db, system, adopted.rule!.id, { decision: 'x', from: '2026-03-01' }))).code).toBe('conflict');
    expect((await simulator.listScenarios(t.db, system, province)).find((s) => s.id === a.id)?.rule?.status).toBe('approved');
  });

  it('limits a commune scenario’s rule to the commune', async () => {
    const s = await simulator.saveScenario(t.db, officer, { ...elderly, group: 'near_poor', topUpPct: 20, name: 'Cận nghèo 20%' }, TODAY, 'vi');
    const adopted = await simulator.adoptScenario(t.db, officer, s.id, 'vi');
    await simulator.approveRule(t.db, system, adopted.rule!.id, { decision: '7/QĐ-UBND', from: FROM });
    const cn = (commune: string) => quote(t.db, { date: FROM, months: 12, province, members: [{ groups: ['CN'], commune }] });
    // 20% of 1,263,600
    expect((await cn('02905')).members[0].local).toBe(252_720);
    expect((await cn('02923')).members[0].local).toBe(0);
  });

  it('answers the CLI with the figures as JSON', async () => {
    const { json } = await runCli(t, registerSimulatorCommands, ['simulate', '--unit', '02905', '--group', 'elderly_60_79', '--top-up-pct', '30', '--from', FROM, '--months', '12', '--take-up', '100', '--json'], { actor: officer });
    expect(json[0]).toMatchObject({ persons: 5, covered: 2, uncovered: 3, budgetCost: 1_667_952, expectedNew: 3, coveragePctBefore: 40, coveragePctAfter: 100, costPerExtraPerson: 555_984 });
    await expect(runCli(t, registerSimulatorCommands, ['simulate', '--unit', '02905', '--group', 'elderly_60_79', '--top-up-pct', '101', '--from', FROM, '--months', '12', '--json'], { actor: officer })).rejects.toMatchObject({ fields: [expect.objectContaining({ key: 'top_up_over_100' })] });
  });

  it('prints the scenarios side by side as .xlsx and a one-page PDF brief with the national motto', async () => {
    const { buffer } = await scenariosWorkbook(t.db, system, province, TODAY, 'vi');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as never);
    const ws = wb.worksheets[0];
    const rows: unknown[][] = [];
    ws.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
    const header = rows.find((r) => r[0] === 'Kịch bản')!;
    expect(header.slice(1).sort()).toEqual(['A: 30%', 'B: 25%', 'C: 20%']);
    const cost = rows.find((r) => r[0] === 'Chi ngân sách tỉnh mỗi năm')!;
    expect(cost.slice(1).every((v) => typeof v === 'number' && v > 0)).toBe(true);
    const { pdf } = await scenariosPdf(t.db, system, province, TODAY, 'vi');
    const text = await pdfText(pdf);
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('BÁO CÁO TÓM TẮT');
    expect(text).toContain('25/2025/NQ-HĐND');
  });
});
