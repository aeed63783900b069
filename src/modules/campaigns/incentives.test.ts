/**
 * Gifts and vouchers (issue 20 item 5), on both engines: a voucher's code (random, no look-alike letters),
 * redeemed once at the renewal (a second time refused, naming when and by whom; an expired one refused),
 * the campaign's incentive ledger, scope, the audit log and the CLI.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { formatDateVi, todayInVietnam } from '../../domain/dates';
import { createCard } from '../register/register.service';
import { outreachFixture, TODAY, type OutreachFixture } from '../outreach/outreach.fixture';
import { registerCampaignCommands } from './campaigns.cli';
import { createCampaign } from './campaigns.service';
import { createEvent } from '../events/events.service';
import * as incentives from './incentives.service';

let t: TestDatabase;
let f: OutreachFixture;
let campaignId: string;

beforeAll(async () => {
  t = await testDatabase();
  f = await outreachFixture(t);
  campaignId = (await createCampaign(t.db, f.officer, { unitCode: '02905', name: 'Tháng vận động tháng 11', startsOn: '2026-11-01', endsOn: '2026-11-30' })).id;
});
afterAll(async () => {
  await t?.cleanup();
});

describe(`gifts and vouchers (${engineName})`, () => {
  it('makes voucher codes of 8 characters none of which can be taken for another, not sequential', () => {
    const codes = Array.from({ length: 2000 }, () => incentives.voucherCode());
    expect(new Set(codes).size).toBe(2000);
    for (const c of codes) expect(c).toMatch(/^[ACDEFGHJKMNPQRTUVWXY34679]{8}$/);
    expect(incentives.normalCode(' kt7m-x3qa ')).toBe('KT7MX3QA');
  });

  it('redeems a voucher once at the renewal; a second time is refused naming when and by whom', async () => {
    const v = await incentives.issueIncentive(t.db, f.officer, { personId: f.persons['Dũng'], kind: 'voucher', value: 50_000, sponsor: 'BHXH cơ sở Bảo Thắng', campaignId }, TODAY);
    expect(v).toMatchObject({ kind: 'voucher', value: 50_000, issuedOn: TODAY, expiresOn: '2027-11-20', redeemedAt: null });
    const card = await createCard(t.db, system, { personId: f.persons['Dũng'], groupCode: 'GD', validFrom: '2026-12-06', validTo: '2027-12-05' });
    const used = await incentives.redeemVoucher(t.db, f.officer, { code: v.code!.toLowerCase(), cardId: card.id }, TODAY);
    expect(used).toMatchObject({ redeemedBy: f.officer.username, redeemedCardId: card.id });
    const again = await failure(incentives.redeemVoucher(t.db, f.officer, { code: v.code! }, TODAY));
    expect(again.code).toBe('conflict');
    expect(again.fields[0]).toMatchObject({ path: 'code', key: 'voucher_redeemed', params: expect.objectContaining({ by: f.officer.username, at: formatDateVi(todayInVietnam()) }) });
    const audit = await t.db.selectFrom('auditLog').select('action').where('entity', '=', 'incentive').where('entityId', '=', v.id).orderBy('at').execute();
    expect(audit.map((a) => a.action)).toEqual(['create', 'redeem']);
  });

  it('refuses an expired voucher, a card of someone else, a voucher of another commune; changes nothing', async () => {
    const v = await incentives.issueIncentive(t.db, f.officer, { personId: f.persons['Em'], kind: 'voucher', value: 30_000, campaignId, expiresOn: '2026-11-25' }, TODAY);
    expect((await failure(incentives.redeemVoucher(t.db, f.officer, { code: v.code! }, '2026-11-26'))).fields[0].key).toBe('voucher_expired');
    const other = await createCard(t.db, system, { personId: f.persons['Giang'], groupCode: 'GD', validFrom: '2028-01-01', validTo: '2028-12-31' });
    expect((await failure(incentives.redeemVoucher(t.db, f.officer, { code: v.code!, cardId: other.id }, TODAY))).fields[0].key).toBe('card_not_of_person');
    expect((await failure(incentives.redeemVoucher(t.db, f.otherOfficer, { code: v.code! }, TODAY))).code).toBe('not_found');
    expect((await failure(incentives.issueIncentive(t.db, f.otherOfficer, { personId: f.persons['An'], kind: 'gift', value: 1 }, TODAY))).code).toBe('not_found');
    expect((await incentives.listIncentives(t.db, f.officer, { personId: f.persons['Em'] }))[0].redeemedAt).toBeNull();
    expect(await incentives.listIncentives(t.db, f.otherOfficer, { campaignId })).toEqual([]);
    // given at an event: the event must be of the person's commune
    const here = await createEvent(t.db, f.officer, { kind: 'dialogue_conference', heldOn: '2026-11-10', communeCode: '02905', attendance: 30 }, TODAY);
    const there = await createEvent(t.db, f.otherOfficer, { kind: 'leaflet_distribution', heldOn: '2026-11-10', communeCode: '02923' }, TODAY);
    expect((await incentives.issueIncentive(t.db, f.officer, { personId: f.persons['Em'], kind: 'gift', value: 10_000, eventId: here.id }, TODAY)).eventId).toBe(here.id);
    expect((await failure(incentives.issueIncentive(t.db, f.officer, { personId: f.persons['Em'], kind: 'gift', value: 10_000, eventId: there.id }, TODAY))).code).toBe('not_found');
    expect((await failure(incentives.issueIncentive(t.db, system, { personId: f.persons['Em'], kind: 'gift', value: 10_000, eventId: there.id }, TODAY))).fields[0]).toMatchObject({ path: 'eventId', key: 'event_not_of_commune' });
  });

  it('keeps the campaign’s incentive ledger: issued, redeemed, expired, outstanding; and answers the CLI', async () => {
    await incentives.issueIncentive(t.db, f.officer, { personId: f.persons['An'], kind: 'gift', value: 120_000, description: 'Áo mưa', sponsor: 'Bưu điện huyện', campaignId }, TODAY);
    const { json } = await runCli(t, registerCampaignCommands, ['incentive', 'issue', '--person', f.persons['Bình'], '--kind', 'voucher', '--value', '40000', '--campaign', campaignId, '--json'], { actor: f.officer });
    expect(json[0]).toMatchObject({ kind: 'voucher', value: 40_000, code: expect.stringMatching(/^[A-Z0-9]{8}$/) });
    const l = await incentives.incentiveLedger(t.db, f.officer, { campaign: campaignId }, '2026-11-26');
    expect(l.kinds).toEqual([
      { kind: 'gift', issued: 1, issuedValue: 120_000, redeemed: 0, redeemedValue: 0, expired: 0, expiredValue: 0, outstanding: 1, outstandingValue: 120_000 },
      { kind: 'voucher', issued: 3, issuedValue: 120_000, redeemed: 1, redeemedValue: 50_000, expired: 1, expiredValue: 30_000, outstanding: 1, outstandingValue: 40_000 },
    ]);
    const { json: ledger } = await runCli(t, registerCampaignCommands, ['incentive', 'ledger', '--campaign', campaignId, '--json'], { actor: f.officer });
    expect((ledger[0] as { total: { issued: number } }).total.issued).toBe(4);
  });
});
