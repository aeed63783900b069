/**
 * The review queue (issue 19 item 3), on both engines: refusals because the person moved away, died or is
 * insured elsewhere file reports; the commune officer accepts (the register changes, audited with the
 * phone's and the server's times) or rejects; field workers and other communes' officers cannot decide.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { readAudit } from '../audit/audit.service';
import { coverageOf } from '../coverage/coverage.service';
import { getHousehold } from '../register/register.service';
import { registerOutreachCommands } from './outreach.cli';
import { NOW, outreachFixture, TODAY, type OutreachFixture } from './outreach.fixture';
import { acceptReport, listReports, rejectReport } from './reports.service';
import { addVisit } from './visits.service';

let t: TestDatabase;
let f: OutreachFixture;
const reportOf: Record<string, string> = {};

beforeAll(async () => {
  t = await testDatabase();
  f = await outreachFixture(t);
  const refuse = async (name: string, reason: string, cardNumber?: string) => {
    await addVisit(t.db, f.fieldA, { clientId: randomUUID(), groupId: f.groupA.id, personId: f.persons[name], outcome: 'refused', reason: reason as 'cost', cardNumber, visitedAt: '2026-11-19T16:45:00+07:00' }, NOW);
  };
  await refuse('Em', 'insured_elsewhere', 'DN4010123456789');
  await refuse('Giang', 'deceased');
  await refuse('Hoa', 'moved_away');
  // a refusal for cost files nothing
  await refuse('Bình', 'cost');
  for (const r of await listReports(t.db, f.officer)) reportOf[r.fullName!.split(' ').pop()!] = r.id;
});
afterAll(async () => {
  await t?.cleanup();
});

describe(`the review queue (${engineName})`, () => {
  it('lists the reports of the commune, with the phone’s time and the server’s, to whom may see them', async () => {
    const list = await listReports(t.db, f.officer);
    expect(list.map((r) => [r.fullName, r.kind, r.status, r.cardNumber])).toEqual([
      ['Lê Thị Em', 'insured_elsewhere', 'pending', 'DN4010123456789'],
      ['Phạm Văn Giang', 'deceased', 'pending', null],
      ['Hoàng Thị Hoa', 'moved_away', 'pending', null],
    ]);
    expect(list[0]).toMatchObject({ reportedBy: f.fieldA.username, reportedAt: '2026-11-19T09:45:00.000Z', receivedAt: NOW.toISOString(), householdCode: 'H2', villageName: 'Thôn Một' });
    expect((await listReports(t.db, f.fieldA)).length).toBe(3);
    expect(await listReports(t.db, f.fieldB)).toEqual([]);
    expect(await listReports(t.db, f.otherOfficer)).toEqual([]);
    expect((await failure(listReports(t.db, f.otherOfficer, { unit: '02905' }))).code).toBe('out_of_scope');
  });

  it('lets only the commune’s officers decide', async () => {
    expect((await failure(acceptReport(t.db, f.fieldA, reportOf['Giang'], {}))).code).toBe('forbidden');
    expect((await failure(acceptReport(t.db, f.otherOfficer, reportOf['Giang'], {}))).code).toBe('not_found');
    expect((await failure(rejectReport(t.db, f.otherOfficer, reportOf['Hoa']))).code).toBe('not_found');
  });

  it('accepts a death: the person leaves the register with the counts, audited with both times', async () => {
    const before = (await coverageOf(t.db, system, '02905', TODAY)).register!.population;
    const r = await acceptReport(t.db, f.officer, reportOf['Giang'], { note: 'Đã xác minh với trưởng thôn' });
    expect(r).toMatchObject({ status: 'accepted', decidedBy: f.officer.username, decisionNote: 'Đã xác minh với trưởng thôn', fullName: null });
    expect((await getHousehold(t.db, f.officer, f.households['H3'])).members).toEqual([]);
    expect((await coverageOf(t.db, system, '02905', TODAY)).register!.population).toBe(before - 1);
    const [decision] = await readAudit(t.db, system, { entity: 'field_report', entityId: r.id });
    expect(decision).toMatchObject({ action: 'accept', actorName: f.officer.username });
    expect(decision.after).toMatchObject({ reportedAt: '2026-11-19T09:45:00.000Z', receivedAt: NOW.toISOString(), decidedAt: expect.any(String), registerChange: { personDeleted: f.persons['Giang'] } });
    expect((await readAudit(t.db, system, { entity: 'person', entityId: f.persons['Giang'] }))[0]).toMatchObject({ action: 'delete', actorName: f.officer.username });
    // decided once only
    expect((await failure(acceptReport(t.db, f.officer, r.id, {}))).fields[0]).toMatchObject({ path: 'status', key: 'report_decided' });
  });

  it('accepts a card from elsewhere only with the card, which goes into the register', async () => {
    const missing = await failure(acceptReport(t.db, f.officer, reportOf['Em'], {}));
    expect(missing.fields[0]).toMatchObject({ path: 'card', key: 'card_required_to_accept' });
    await acceptReport(t.db, f.officer, reportOf['Em'], { card: { groupCode: 'GD', validFrom: '2026-01-01', validTo: '2026-12-31' } });
    const em = (await getHousehold(t.db, f.officer, f.households['H2'])).members.find((m) => m.id === f.persons['Em'])!;
    expect(em.cards.map((c) => [c.number, c.validFrom, c.validTo])).toContainEqual(['DN4010123456789', '2026-01-01', '2026-12-31']);
  });

  it('rejects a report and leaves the register as it is; the CLI lists what is decided', async () => {
    const r = await rejectReport(t.db, f.officer, reportOf['Hoa'], { note: 'Vẫn ở địa phương' });
    expect(r).toMatchObject({ status: 'rejected', fullName: 'Hoàng Thị Hoa' });
    expect(await listReports(t.db, f.officer)).toEqual([]);
    const { json } = await runCli(t, registerOutreachCommands, ['outreach', 'reports', '--status', 'all', '--json']);
    expect((json[0] as unknown as { kind: string; status: string }[]).map((x) => [x.kind, x.status])).toEqual([
      ['insured_elsewhere', 'accepted'],
      ['deceased', 'accepted'],
      ['moved_away', 'rejected'],
    ]);
  });
});
