/**
 * Campaigns (issue 20 item 3), on both engines: targets and their split (a split that does not add up is
 * warned, named), progress counted from the register (new household participants from the kept spans,
 * renewals from the cards) and the field (enrolments), per commune, working group, staff member and day;
 * who sees and changes what; bad input; the CLI's JSON; the closing report as .xlsx and PDF.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { pdfText } from '../../io/pdf-text';
import { createCard, createVsiPeriod } from '../register/register.service';
import { findUnit } from '../units/units.service';
import { outreachFixture, NOW, TODAY, type OutreachFixture } from '../outreach/outreach.fixture';
import { addVisit } from '../outreach/visits.service';
import { registerCampaignCommands } from './campaigns.cli';
import { campaignPdf, campaignWorkbook } from './campaigns.report';
import * as campaigns from './campaigns.service';

let t: TestDatabase;
let f: OutreachFixture;
let province: string;

beforeAll(async () => {
  t = await testDatabase();
  f = await outreachFixture(t);
  province = (await findUnit(t.db, '02905'))!.parentCode!;
  // November 2026 (TODAY is the 20th):
  // An (never insured) enrolled at the door on the 5th, the officer enters his household card from the 10th: new
  await addVisit(t.db, f.fieldA, { clientId: randomUUID(), groupId: f.groupA.id, personId: f.persons['An'], outcome: 'enrolled', product: 'household_bhyt', visitedAt: '2026-11-05T09:00:00+07:00' } as never, NOW);
  await createCard(t.db, f.officer, { personId: f.persons['An'], groupCode: 'GD', validFrom: '2026-11-10', validTo: '2027-11-09' });
  // Bình (card ended 31/12/2025) comes back from the 15th: new
  await createCard(t.db, system, { personId: f.persons['Bình'], groupCode: 'GD', validFrom: '2026-11-15', validTo: '2027-11-14' });
  // Dũng (covered until 05/12/2026) renews from the 15th: a renewal, not new
  await createCard(t.db, system, { personId: f.persons['Dũng'], groupCode: 'GD', validFrom: '2026-11-15', validTo: '2027-11-14' });
  // voluntary social insurance: Hoa starts on the 3rd (new); Giang paid October and continues in November (not new)
  await createVsiPeriod(t.db, system, { personId: f.persons['Hoa'], validFrom: '2026-11-03', validTo: '2027-02-02', monthlyIncome: 1_500_000, paymentMonths: 3 });
  await createVsiPeriod(t.db, system, { personId: f.persons['Giang'], validFrom: '2026-10-01', validTo: '2026-10-31', monthlyIncome: 2_000_000, paymentMonths: 1 });
  await createVsiPeriod(t.db, system, { personId: f.persons['Giang'], validFrom: '2026-11-01', validTo: '2026-11-30', monthlyIncome: 2_000_000, paymentMonths: 1 });
  // Khoa (the other group's village) joins in October: before the campaign
  await createCard(t.db, system, { personId: f.persons['Khoa'], groupCode: 'GD', validFrom: '2026-10-20', validTo: '2027-10-19' });
});
afterAll(async () => {
  await t?.cleanup();
});

describe(`campaigns (${engineName})`, () => {
  let id: string;

  it('keeps targets and their split, warning (by name) where the split does not add up', async () => {
    const c = await campaigns.createCampaign(t.db, f.officer, {
      unitCode: '02905',
      name: 'Tháng vận động BHYT tháng 11',
      theme: 'BHYT cho mọi nhà',
      startsOn: '2026-11-01',
      endsOn: '2026-11-30',
      targets: { bhyt_household: 4, renewal: 2 },
      split: [
        { kind: 'bhyt_household', level: 'group', ref: f.groupA.id, value: 3 },
        { kind: 'bhyt_household', level: 'group', ref: f.groupB.id, value: 2 },
        { kind: 'bhyt_household', level: 'staff', ref: f.officer.username, value: 2 },
        { kind: 'bhyt_household', level: 'commune', ref: '02905', value: 4 },
      ],
    });
    id = c.id;
    expect(c.targets).toEqual({ bhyt_household: 4, bhxh_tn: null, renewal: 2 });
    expect(c.split.find((s) => s.level === 'staff')).toMatchObject({ ref: f.officer.userId, name: expect.any(String), value: 2 });
    expect(c.split.find((s) => s.level === 'group' && s.ref === f.groupA.id)?.name).toBe('Tổ công tác 1');
    // groups: 3 + 2 = 5, not 4; staff: 2 of 4; the commune's 4 adds up
    expect(c.warnings.map((w) => [w.level, w.split, w.target])).toEqual([
      ['group', 5, 4],
      ['staff', 2, 4],
    ]);
    expect(c.warnings[0].message).toBe('Người tham gia BHYT hộ gia đình mới: tổng chỉ tiêu giao cho các tổ công tác là 5, khác chỉ tiêu chung 4');
    const audit = await t.db.selectFrom('auditLog').select(['action', 'actorId']).where('entity', '=', 'campaign').where('entityId', '=', id).execute();
    expect(audit).toEqual([{ action: 'create', actorId: f.officer.userId }]);
  });

  it('counts progress from the register and the field: per kind, commune, group, staff member and day', async () => {
    const p = await campaigns.campaignProgress(t.db, f.officer, id, {}, TODAY);
    expect(p.countedUntil).toBe(TODAY);
    // new: An (10th) and Bình (15th); Khoa joined before the campaign; Dũng renewed
    expect(p.kinds.bhyt_household).toEqual({ target: 4, achieved: 2, pct: 50 });
    expect(p.kinds.renewal).toEqual({ target: 2, achieved: 1, pct: 50 });
    expect(p.kinds.bhxh_tn).toEqual({ target: null, achieved: 1, pct: null });
    expect(p.fieldEnrolled).toBe(1);
    expect(p.communes).toEqual([expect.objectContaining({ code: '02905', rank: 1, pct: 50, achieved: 2, fieldEnrolled: 1 })]);
    const [a, b] = [p.groups.find((g) => g.id === f.groupA.id)!, p.groups.find((g) => g.id === f.groupB.id)!];
    expect([a.kinds.bhyt_household, a.kinds.renewal.achieved, a.fieldEnrolled]).toEqual([{ target: 3, achieved: 2, pct: 66.67 }, 1, 1]);
    expect(b.kinds.bhyt_household).toEqual({ target: 2, achieved: 0, pct: 0 });
    // the officer entered An's card by hand; the field worker logged the enrolment
    expect(p.staff.find((s) => s.userId === f.officer.userId)).toMatchObject({ target: 2, achieved: 1, pct: 50, fieldEnrolled: 0 });
    expect(p.staff.find((s) => s.userId === f.fieldA.userId)).toMatchObject({ target: null, achieved: 0, fieldEnrolled: 1 });
    // running totals: one day per day of the period counted
    expect(p.days).toHaveLength(20);
    expect(p.days.find((d) => d.day === '2026-11-09')).toEqual({ day: '2026-11-09', bhyt_household: 0, bhxh_tn: 1, renewal: 0, fieldEnrolled: 1 });
    expect(p.days.find((d) => d.day === '2026-11-15')).toEqual({ day: '2026-11-15', bhyt_household: 2, bhxh_tn: 1, renewal: 1, fieldEnrolled: 1 });
    // before the 10th nothing new yet; after the campaign, counted to its end
    expect((await campaigns.campaignProgress(t.db, f.officer, id, { date: '2026-11-09' }, TODAY)).kinds.bhyt_household.achieved).toBe(0);
    expect((await campaigns.campaignProgress(t.db, f.officer, id, {}, '2027-02-01')).countedUntil).toBe('2026-11-30');
  });

  it('lets the province read but not change a commune’s campaign; hides it from another commune', async () => {
    const provinceStaff = (await makeUser(t, 'province_staff', province)).actor;
    expect((await campaigns.listCampaigns(t.db, provinceStaff)).map((c) => c.id)).toContain(id);
    expect((await campaigns.listCampaigns(t.db, f.otherOfficer)).map((c) => c.id)).not.toContain(id);
    expect((await failure(campaigns.getCampaign(t.db, f.otherOfficer, id))).code).toBe('not_found');
    expect((await failure(campaigns.updateCampaign(t.db, f.otherOfficer, id, { name: 'x' }))).code).toBe('not_found');
    // a province's campaign: the commune officer sees it and its ranking, cannot change it
    const pc = await campaigns.createCampaign(t.db, provinceStaff, { unitCode: province, name: 'Tháng vận động toàn tỉnh', startsOn: '2026-11-01', endsOn: '2026-11-30', targets: { bhyt_household: 100 } });
    expect((await campaigns.listCampaigns(t.db, f.officer)).map((c) => c.id)).toContain(pc.id);
    const p = await campaigns.campaignProgress(t.db, f.officer, pc.id, {}, TODAY);
    expect(p.kinds.bhyt_household.achieved).toBe(2);
    expect(p.communes[0]).toMatchObject({ code: '02905', rank: 1, achieved: 2 });
    expect((await failure(campaigns.updateCampaign(t.db, f.officer, pc.id, { name: 'x' }))).code).toBe('forbidden');
    expect((await failure(campaigns.createCampaign(t.db, f.officer, { unitCode: province, name: 'x', startsOn: '2026-11-01', endsOn: '2026-11-30' }))).code).toBe('forbidden');
    // a field worker cannot read campaigns
    expect((await failure(campaigns.listCampaigns(t.db, f.fieldA))).code).toBe('forbidden');
  });

  it('refuses bad input naming the field, and changes nothing', async () => {
    const before = await campaigns.getCampaign(t.db, f.officer, id);
    const e1 = await failure(campaigns.updateCampaign(t.db, f.officer, id, { endsOn: '2026-10-01' }));
    expect(e1.fields.map((x) => [x.path, x.key])).toEqual([['endsOn', 'ends_before_start']]);
    const e2 = await failure(campaigns.updateCampaign(t.db, f.officer, id, { split: [{ kind: 'renewal', level: 'commune', ref: '02923', value: 1 }, { kind: 'renewal', level: 'staff', ref: 'nobody', value: 1 }] }));
    expect(e2.fields.map((x) => [x.path, x.key])).toEqual([
      ['split.0.ref', 'unknown_commune'],
      ['split.1.ref', 'unknown_staff'],
    ]);
    const e3 = await failure(campaigns.createCampaign(t.db, f.officer, { unitCode: '02905.T1', name: 'x', startsOn: '2026-11-01', endsOn: '2026-11-30' }));
    expect(e3.fields.map((x) => x.key)).toEqual(['unit_not_province_or_commune']);
    const e4 = await failure(campaigns.createCampaign(t.db, f.officer, { unitCode: '02905', name: 'x', startsOn: '2026-11-01', endsOn: '2026-11-30', targets: { bhyt_household: -1 } }));
    expect(e4.fields.map((x) => x.path)).toEqual(['targets.bhyt_household']);
    expect(await campaigns.getCampaign(t.db, f.officer, id)).toEqual(before);
  });

  it('answers the CLI: add with targets, progress per kind as JSON', async () => {
    const { json: added } = await runCli(t, registerCampaignCommands, ['campaign', 'add', '--unit', '02905', '--name', 'Tháng 11 (CLI)', '--from', '2026-11-01', '--to', '2026-11-30', '--target', 'bhyt_household=8,renewal=1', '--json'], { actor: f.officer });
    const cid = added[0].id as string;
    const { json } = await runCli(t, registerCampaignCommands, ['campaign', 'progress', '--id', cid, '--date', TODAY, '--json'], { actor: f.officer });
    expect(json[0]).toMatchObject({ bhyt_household: { target: 8, achieved: 2, pct: 25 }, renewal: { target: 1, achieved: 1, pct: 100 }, bhxh_tn: { target: null, achieved: 1, pct: null } });
    const bad = await failure(runCli(t, registerCampaignCommands, ['campaign', 'add', '--unit', '02905', '--name', 'x', '--from', '2026-11-01', '--to', '2026-11-30', '--target', 'households=8']));
    expect(bad.fields.map((x) => [x.path, x.key])).toEqual([['targets', 'target_format']]);
  });

  it('writes the closing report: .xlsx rows per commune, group and staff; PDF under the national motto', async () => {
    const { buffer, fileName } = await campaignWorkbook(t.db, f.officer, id, TODAY, 'vi');
    expect(fileName).toBe('bao-cao-chien-dich-02905-2026-11-01.xlsx');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as never);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const tổ1 = rows.find((r) => r.includes('Tổ công tác 1'))!;
    expect(tổ1.slice(3, 5)).toEqual([3, 2]);
    expect(tổ1[5]).toBeCloseTo(0.6667, 6);
    expect(rows.some((r) => r[0] === 1 && r.includes('Xã Bảo Thắng'))).toBe(true);
    const { pdf } = await campaignPdf(t.db, f.officer, id, TODAY, 'vi');
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('BÁO CÁO KẾT QUẢ CHIẾN DỊCH');
    expect(text).toContain('Tháng vận động BHYT tháng 11');
    expect(text).toContain('Tổ công tác 1');
  });
});
