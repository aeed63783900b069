/**
 * The programme ledger on both engines: receipts, refunds, awards, cancellations and payments keep every
 * transaction balanced, never spend more than was received, fund awards from specific receipts (earmarks
 * first, then the oldest money) and agree with the receipt, refund and award tables. Concurrency: 20
 * parallel awards against money for 10.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { sql } from 'kysely';
import { AppError } from '../../../errors';
import { errorBody } from '../../../http/plugins/errors';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../../test/db';
import { failure } from '../../../test/helpers';
import { readAudit } from '../../audit/audit.service';
import type { Actor } from '../../../domain/access';
import * as donors from './donors.service';
import { awardCards, cancelAward, programmeBalance, receiptsWithRemainder, recordPayment, type NewAward } from '../programme/ledger.service';
import { createProgramme } from '../programme/programme.service';

let t: TestDatabase;
let communes: string[];
/** A commune of another province. */
let foreign: string;
beforeAll(async () => {
  t = await testDatabase();
  foreign = (await t.db.selectFrom('unit').select('code').where('parentCode', '=', '01').orderBy('code').executeTakeFirstOrThrow()).code;
  communes = (await t.db.selectFrom('unit').select('code').where('parentCode', '=', '15').orderBy('code').limit(3).execute()).map((r) => r.code);
});
afterAll(async () => {
  await t?.cleanup();
});


async function newProgramme(actor: Actor = system, name = 'Tặng thẻ BHYT Tết 2026') {
  return createProgramme(t.db, actor, {
    name,
    ownerUnitCode: '15',
    areaKind: 'province',
    cardMonths: 12,
    purchaseDate: '2025-11-01',
    deadline: '2025-11-30',
  });
}

async function newDonor(name = 'Công ty ABC', actor: Actor = system) {
  return donors.createDonor(t.db, actor, { ownerUnitCode: '15', kind: 'business', name, publicConsent: true });
}

const award = (amount: number, communeCode: string, tags: string[] = []): NewAward => ({
  roundId: null,
  householdId: randomUUID(),
  personId: randomUUID(),
  communeCode,
  groupCode: 'GD',
  tags,
  amount,
});

/** Awards in a transaction of their own. */
const awardTx = (programmeId: string, awards: NewAward[], actor: Actor = system) => t.db.transaction().execute((trx) => awardCards(trx, actor, programmeId, awards));

/** Every invariant of a programme's money, from the ledger and from the tables. */
async function checkInvariants(programmeId: string) {
  const unbalanced = await sql<{ n: number }>`select count(*)::int as n from (select txn_id from ledger_entry where programme_id = ${programmeId} group by txn_id having sum(amount) <> 0) x`.execute(t.db);
  expect(unbalanced.rows[0].n).toBe(0);
  const b = await programmeBalance(t.db, programmeId);
  expect(b.available).toBeGreaterThanOrEqual(0);
  expect(b.received).toBe(b.available + b.awarded + b.paid + b.refunded);
  const receipts = await receiptsWithRemainder(t.db, programmeId);
  for (const r of receipts) {
    expect(r.funded + r.refunded).toBeLessThanOrEqual(r.amount);
    expect(r.free).toBeGreaterThanOrEqual(0);
  }
  const tables = await sql<{ received: number; refunded: number; live: number; paid: number }>`select
      (select coalesce(sum(amount), 0)::bigint from receipt where programme_id = ${programmeId}) as received,
      (select coalesce(sum(amount), 0)::bigint from refund where programme_id = ${programmeId}) as refunded,
      (select coalesce(sum(amount), 0)::bigint from award where programme_id = ${programmeId} and status = 'awarded') as live,
      (select coalesce(sum(amount), 0)::bigint from award where programme_id = ${programmeId} and status not in ('awarded', 'cancelled')) as paid`.execute(t.db);
  const row = tables.rows[0];
  expect(b.received).toBe(Number(row.received));
  expect(b.refunded).toBe(Number(row.refunded));
  expect(b.awarded).toBe(Number(row.live));
  expect(b.paid).toBe(Number(row.paid));
  // award_funding of live awards equals the award amounts, receipt by receipt as well as in total
  const funding = await sql<{ n: number }>`select count(*)::int as n from award a
      where a.programme_id = ${programmeId} and a.amount <> (select coalesce(sum(f.amount), 0) from award_funding f where f.award_id = a.id)`.execute(t.db);
  expect(funding.rows[0].n).toBe(0);
  expect(receipts.reduce((s, r) => s + r.free, 0)).toBe(b.available);
  return b;
}

describe(`programme ledger (${engineName})`, () => {
  it('records a receipt as debit cash / credit fund, reconciles pledges, refunds at most the remainder', async () => {
    const p = await newProgramme();
    const donor = await newDonor();
    const pledge = await donors.createPledge(t.db, system, p.id, { donorId: donor.id, amount: 50_000_000, pledgedOn: '2025-10-01' });
    expect(pledge).toMatchObject({ status: 'confirmed', source: 'staff', received: 0, donorName: 'Công ty ABC' });
    const r1 = await donors.createReceipt(t.db, system, p.id, { donorId: donor.id, pledgeId: pledge.id, amount: 30_000_000, receivedOn: '2025-10-05', method: 'bank_transfer', reference: 'UNC 123', confirm: { count: 1, amount: 30_000_000 } });
    expect(r1).toMatchObject({ amount: 30_000_000, remaining: 30_000_000, funded: 0, refunded: 0 });
    const entries = await t.db.selectFrom('ledgerEntry').select(['account', 'amount', 'kind', 'receiptId']).where('programmeId', '=', p.id).orderBy('account').execute();
    expect(entries).toEqual([
      { account: 'cash', amount: 30_000_000, kind: 'receipt', receiptId: r1.id },
      { account: 'fund', amount: -30_000_000, kind: 'receipt', receiptId: r1.id },
    ]);
    expect(await programmeBalance(t.db, p.id)).toEqual({ pledged: 50_000_000, received: 30_000_000, refunded: 0, awarded: 0, paid: 0, available: 30_000_000 });
    const [listed] = await donors.listPledges(t.db, system, p.id);
    expect(listed.received).toBe(30_000_000);

    // spend 20,000,000 then refund: at most the 10,000,000 left
    await awardTx(p.id, [award(20_000_000, communes[0])]);
    const over = await failure(donors.createRefund(t.db, system, p.id, { receiptId: r1.id, amount: 10_000_001, refundedOn: '2025-10-20', confirm: { count: 1, amount: 10_000_001 } }));
    expect(over.code).toBe('validation');
    expect(errorBody('vi', over.code, over.params, over.fields).error.fields).toEqual([{ path: 'amount', message: 'Vượt số tiền còn lại của khoản thu (10.000.000 ₫)' }]);
    const refund = await donors.createRefund(t.db, system, p.id, { receiptId: r1.id, amount: 4_000_000, refundedOn: '2025-10-20', reason: 'Nhà hảo tâm xin lại', confirm: { count: 1, amount: 4_000_000 } });
    expect(refund).toMatchObject({ amount: 4_000_000, donorName: 'Công ty ABC' });
    const b = await checkInvariants(p.id);
    expect(b).toEqual({ pledged: 50_000_000, received: 30_000_000, refunded: 4_000_000, awarded: 20_000_000, paid: 0, available: 6_000_000 });
    expect((await donors.listPledges(t.db, system, p.id))[0].received).toBe(26_000_000);
    expect((await donors.listReceipts(t.db, system, p.id))[0]).toMatchObject({ funded: 20_000_000, refunded: 4_000_000, remaining: 6_000_000 });

    const log = await readAudit(t.db, system, { entity: 'refund', entityId: refund.id });
    expect(log).toHaveLength(1);
    expect((await readAudit(t.db, system, { entity: 'receipt', entityId: r1.id })).map((a) => a.action)).toEqual(['create']);
  });

  it('refuses an award the free fund cannot cover, writing nothing', async () => {
    const p = await newProgramme();
    const donor = await newDonor('Bà Nguyễn Thị Hoa');
    await donors.createReceipt(t.db, system, p.id, { donorId: donor.id, amount: 1_000_000, receivedOn: '2025-10-05', method: 'cash', confirm: { count: 1, amount: 1_000_000 } });
    const e = await failure(awardTx(p.id, [award(600_000, communes[0]), award(600_000, communes[0])]));
    expect(e.code).toBe('insufficient_funds');
    expect(e.status).toBe(409);
    expect(e.params).toMatchObject({ available: 1_000_000, needed: 1_200_000 });
    expect(errorBody('vi', e.code, e.params).error.message).toBe('Không đủ tiền: quỹ còn 1.000.000 ₫, cần 1.200.000 ₫');
    expect(errorBody('en', e.code, e.params).error.message).toBe('Not enough money: the fund has 1.000.000 ₫, 1.200.000 ₫ is needed');
    expect(await t.db.selectFrom('award').select('id').where('programmeId', '=', p.id).execute()).toEqual([]);
    expect(await checkInvariants(p.id)).toMatchObject({ available: 1_000_000, awarded: 0 });
  });

  it('funds awards from earmarked money first, then the oldest; cancellation gives the same receipts back; payment moves awarded to paid', async () => {
    const p = await newProgramme();
    const a = await newDonor('Donor A');
    const b = await newDonor('Donor B');
    const c = await newDonor('Donor C');
    const pledgeB = await donors.createPledge(t.db, system, p.id, { donorId: b.id, amount: 5_000_000, earmarkCommuneCode: communes[1], pledgedOn: '2025-10-01' });
    const pledgeC = await donors.createPledge(t.db, system, p.id, { donorId: c.id, amount: 5_000_000, earmarkTag: 'pupil', pledgedOn: '2025-10-01' });
    // oldest first: A (1 Oct), then B earmarked to communes[1] (2 Oct), then C earmarked to pupils (3 Oct)
    const rA = await donors.createReceipt(t.db, system, p.id, { donorId: a.id, amount: 3_000_000, receivedOn: '2025-10-01', method: 'cash', confirm: { count: 1, amount: 3_000_000 } });
    const rC = await donors.createReceipt(t.db, system, p.id, { donorId: c.id, pledgeId: pledgeC.id, amount: 2_000_000, receivedOn: '2025-10-03', method: 'cash', confirm: { count: 1, amount: 2_000_000 } });
    const rB = await donors.createReceipt(t.db, system, p.id, { donorId: b.id, pledgeId: pledgeB.id, amount: 2_000_000, receivedOn: '2025-10-02', method: 'cash', confirm: { count: 1, amount: 2_000_000 } });

    const [inB, pupil, plain, spill] = await awardTx(p.id, [
      award(1_500_000, communes[1]), // B's earmark first
      award(1_000_000, communes[0], ['pupil']), // C's earmark
      award(2_000_000, communes[0]), // A (oldest unearmarked)
      award(2_000_000, communes[0]), // A's last 1,000,000, then money earmarked elsewhere: B (older) then C
    ]);
    const funding = async (id: string) =>
      (await t.db.selectFrom('awardFunding').select(['receiptId', 'amount']).where('awardId', '=', id).execute()).sort((x, y) => x.receiptId.localeCompare(y.receiptId));
    const sorted = (xs: { receiptId: string; amount: number }[]) => xs.sort((x, y) => x.receiptId.localeCompare(y.receiptId));
    expect(await funding(inB.id)).toEqual([{ receiptId: rB.id, amount: 1_500_000 }]);
    expect(await funding(pupil.id)).toEqual([{ receiptId: rC.id, amount: 1_000_000 }]);
    expect(await funding(plain.id)).toEqual([{ receiptId: rA.id, amount: 2_000_000 }]);
    expect(await funding(spill.id)).toEqual(
      sorted([
        { receiptId: rA.id, amount: 1_000_000 },
        { receiptId: rB.id, amount: 500_000 },
        { receiptId: rC.id, amount: 500_000 },
      ]),
    );
    expect(await checkInvariants(p.id)).toMatchObject({ received: 7_000_000, awarded: 6_500_000, available: 500_000 });

    // cancel: the money returns to the receipts that paid (C's earmarked money is free again)
    await t.db.transaction().execute((trx) => cancelAward(trx, system, pupil.id, 'Đã có thẻ hộ nghèo'));
    const remainders = await receiptsWithRemainder(t.db, p.id);
    expect(remainders.find((r) => r.id === rC.id)!.free).toBe(1_500_000);
    expect(await checkInvariants(p.id)).toMatchObject({ awarded: 5_500_000, available: 1_500_000 });
    const again = await failure(t.db.transaction().execute((trx) => cancelAward(trx, system, pupil.id, null)));
    expect(again.code).toBe('invalid_transition');

    // payment: awarded -> paid; a paid award can no longer be cancelled; paying twice changes nothing
    const paid = await t.db.transaction().execute((trx) => recordPayment(trx, system, p.id, [inB.id, plain.id]));
    expect(paid).toEqual({ count: 2, amount: 3_500_000 });
    expect(await t.db.transaction().execute((trx) => recordPayment(trx, system, p.id, [inB.id]))).toEqual({ count: 0, amount: 0 });
    expect(await checkInvariants(p.id)).toMatchObject({ received: 7_000_000, awarded: 2_000_000, paid: 3_500_000, available: 1_500_000 });
    expect((await failure(t.db.transaction().execute((trx) => cancelAward(trx, system, inB.id, null)))).code).toBe('invalid_transition');
    expect((await failure(t.db.transaction().execute((trx) => recordPayment(trx, system, p.id, [pupil.id])))).code).toBe('invalid_transition');
    const statuses = await t.db.selectFrom('award').select(['id', 'status']).where('programmeId', '=', p.id).execute();
    expect(new Map(statuses.map((s) => [s.id, s.status]))).toEqual(
      new Map([
        [inB.id, 'submitted'],
        [pupil.id, 'cancelled'],
        [plain.id, 'submitted'],
        [spill.id, 'awarded'],
      ]),
    );
    // a person has one live award per programme
    const twice = await failure(awardTx(p.id, [{ ...award(100_000, communes[0]), personId: spill.personId }]));
    expect(twice.code).toBe('conflict');
    expect(await checkInvariants(p.id)).toMatchObject({ available: 1_500_000 });
  });

  it('confirms or cancels pledges proposed on the public page; a pledge with money cannot be cancelled', async () => {
    const p = await newProgramme();
    const proposed = await donors.proposePublicPledge(
      t.db,
      { ...system, username: 'public' },
      p.id,
      { kind: 'individual', name: 'Lê Văn Tâm', contact: '0912 345 678', amount: 2_000_000, earmarkCommuneCode: communes[0] },
      '2025-10-10',
    );
    expect(proposed).toMatchObject({ amount: 2_000_000, status: 'proposed' });
    expect(await programmeBalance(t.db, p.id)).toMatchObject({ pledged: 0 });
    const outside = await failure(
      donors.proposePublicPledge(t.db, system, p.id, { kind: 'individual', name: 'X', contact: 'x@example.com', amount: 1, earmarkCommuneCode: foreign }, '2025-10-10'),
    );
    expect(outside.fields.map((f) => f.path)).toEqual(['earmarkCommuneCode']);
    const pledge = (await donors.listPledges(t.db, system, p.id)).find((x) => x.id === proposed.id)!;
    expect(pledge).toMatchObject({ source: 'public', status: 'proposed', pledgedOn: '2025-10-10' });
    // a receipt cannot name an unconfirmed pledge
    const early = await failure(donors.createReceipt(t.db, system, p.id, { donorId: pledge.donorId, pledgeId: pledge.id, amount: 2_000_000, receivedOn: '2025-10-12', method: 'cash', confirm: { count: 1, amount: 2_000_000 } }));
    expect(early.fields.map((f) => f.path)).toEqual(['pledgeId']);
    const confirmed = await donors.confirmPledge(t.db, system, p.id, pledge.id);
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmedBy: 'cli:test' });
    expect(await programmeBalance(t.db, p.id)).toMatchObject({ pledged: 2_000_000 });
    await donors.createReceipt(t.db, system, p.id, { donorId: pledge.donorId, pledgeId: pledge.id, amount: 2_000_000, receivedOn: '2025-10-12', method: 'cash', confirm: { count: 1, amount: 2_000_000 } });
    const refused = await failure(donors.cancelPledge(t.db, system, p.id, pledge.id));
    expect(refused.code).toBe('invalid_transition');
    expect(errorBody('vi', refused.code, refused.params).error.message).toBe('Không thể huỷ: đã nhận tiền theo cam kết này');
    const other = await donors.createPledge(t.db, system, p.id, { donorId: pledge.donorId, amount: 1_000_000, pledgedOn: '2025-10-13' });
    expect(await donors.cancelPledge(t.db, system, p.id, other.id)).toMatchObject({ status: 'cancelled' });
    expect(await programmeBalance(t.db, p.id)).toMatchObject({ pledged: 2_000_000, received: 2_000_000 });
  });

  it('keeps money in scope: a commune officer cannot record money of a provincial programme; another province does not see it', async () => {
    const p = await newProgramme();
    const officer = await makeUser(t, 'commune_officer', communes[0]);
    const donor = await newDonor();
    expect((await failure(donors.createReceipt(t.db, officer.actor, p.id, { donorId: donor.id, amount: 1, receivedOn: '2025-10-01', method: 'cash', confirm: { count: 1, amount: 1 } }))).code).toBe('forbidden');
    expect(await donors.listReceipts(t.db, officer.actor, p.id)).toEqual([]);
    const other = await makeUser(t, 'province_staff', '01');
    expect((await failure(donors.listReceipts(t.db, other.actor, p.id))).code).toBe('not_found');
    expect((await failure(donors.createDonor(t.db, other.actor, { ownerUnitCode: '15', kind: 'business', name: 'X' }))).code).toBe('out_of_scope');
  });

  it('20 parallel awards, each in its own transaction, against money for exactly 10: 10 succeed, 10 get insufficient_funds', async () => {
    const staff = await makeUser(t, 'province_staff', '15');
    const p = await newProgramme(staff.actor, 'Concurrency');
    const donor = await newDonor('Quỹ 10 thẻ', staff.actor);
    const price = 1_263_600;
    await donors.createReceipt(t.db, staff.actor, p.id, { donorId: donor.id, amount: 6 * price, receivedOn: '2025-10-01', method: 'bank_transfer', confirm: { count: 1, amount: 6 * price } });
    await donors.createReceipt(t.db, staff.actor, p.id, { donorId: donor.id, amount: 4 * price, receivedOn: '2025-10-02', method: 'cash', confirm: { count: 1, amount: 4 * price } });

    // On PostgreSQL, prove the transactions really overlap: each opens its transaction and waits at a barrier
    // until as many transactions as the pool has connections are open at once, before any awards. PGlite has
    // one connection, so there the transactions queue for it (the barrier would never fill).
    const overlap = engineName === 'postgres' ? 10 : 1;
    let open = 0;
    let release!: () => void;
    const barrier = new Promise<void>((resolve) => (release = resolve));
    let maxOpen = 0;
    const attempts = Array.from({ length: 20 }, (_, i) =>
      t.db.transaction().execute(async (trx) => {
        await sql`select 1`.execute(trx);
        open += 1;
        maxOpen = Math.max(maxOpen, open);
        if (open >= overlap) release();
        await barrier;
        try {
          return await awardCards(trx, staff.actor, p.id, [award(price, communes[i % 3])]);
        } finally {
          open -= 1;
        }
      }),
    );
    const results = await Promise.allSettled(attempts);
    const ok = results.filter((r) => r.status === 'fulfilled');
    const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(ok).toHaveLength(10);
    expect(refused).toHaveLength(10);
    for (const r of refused) expect((r.reason as AppError).code).toBe('insufficient_funds');
    expect(maxOpen).toBeGreaterThanOrEqual(overlap);
    const b = await checkInvariants(p.id);
    expect(b).toMatchObject({ received: 10 * price, awarded: 10 * price, available: 0 });
    expect(await t.db.selectFrom('award').select('id').where('programmeId', '=', p.id).execute()).toHaveLength(10);
  });

  it('awards 3,500 cards in one call (more postings than one statement may carry) and pays them', async () => {
    const p = await newProgramme(system, 'Large batch');
    const donor = await newDonor('Quỹ lớn');
    await donors.createReceipt(t.db, system, p.id, { donorId: donor.id, amount: 2_000_000_000, receivedOn: '2025-10-01', method: 'bank_transfer', confirm: { count: 1, amount: 2_000_000_000 } });
    await donors.createReceipt(t.db, system, p.id, { donorId: donor.id, amount: 3_000_000_000, receivedOn: '2025-10-02', method: 'bank_transfer', confirm: { count: 1, amount: 3_000_000_000 } });
    const many = Array.from({ length: 3500 }, (_, i) => award(1_263_600, communes[i % 3]));
    const awarded = await awardTx(p.id, many);
    expect(awarded).toHaveLength(3500);
    // the first receipt pays the first 1,582 cards whole and part of the next one
    const split = await t.db.selectFrom('awardFunding').select(['awardId']).where('awardId', 'in', awarded.map((a) => a.id).slice(1580, 1584)).execute();
    expect(split).toHaveLength(5);
    const paid = await t.db.transaction().execute((trx) => recordPayment(trx, system, p.id, awarded.map((a) => a.id)));
    expect(paid).toEqual({ count: 3500, amount: 3500 * 1_263_600 });
    expect(await checkInvariants(p.id)).toEqual({ pledged: 0, received: 5_000_000_000, refunded: 0, awarded: 0, paid: 4_422_600_000, available: 577_400_000 });
  });

  it('keeps every invariant over random sequences of receipts, refunds, awards, cancellations and payments', async () => {
    const donor = await newDonor('Property donor');
    type Op =
      | { op: 'receipt'; amount: number; earmark: number }
      | { op: 'refund'; pick: number; part: number }
      | { op: 'award'; amounts: number[]; commune: number }
      | { op: 'cancel'; pick: number }
      | { op: 'pay'; pick: number };
    const opArb: fc.Arbitrary<Op> = fc.oneof(
      fc.record({ op: fc.constant('receipt' as const), amount: fc.integer({ min: 1, max: 5_000_000 }), earmark: fc.integer({ min: 0, max: 3 }) }),
      fc.record({ op: fc.constant('refund' as const), pick: fc.nat(), part: fc.integer({ min: 1, max: 100 }) }),
      fc.record({ op: fc.constant('award' as const), amounts: fc.array(fc.integer({ min: 1, max: 3_000_000 }), { minLength: 1, maxLength: 3 }), commune: fc.integer({ min: 0, max: 2 }) }),
      fc.record({ op: fc.constant('cancel' as const), pick: fc.nat() }),
      fc.record({ op: fc.constant('pay' as const), pick: fc.nat() }),
    );
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 12 }), async (ops) => {
        runs += 1;
        const p = await newProgramme(system, `Property ${runs}`);
        let expectedReceived = 0;
        let expectedRefunded = 0;
        for (const o of ops) {
          if (o.op === 'receipt') {
            const pledge =
              o.earmark > 0 && o.earmark <= communes.length
                ? await donors.createPledge(t.db, system, p.id, { donorId: donor.id, amount: o.amount, earmarkCommuneCode: communes[o.earmark - 1], pledgedOn: '2025-10-01' })
                : undefined;
            await donors.createReceipt(t.db, system, p.id, { donorId: donor.id, pledgeId: pledge?.id ?? null, amount: o.amount, receivedOn: '2025-10-01', method: 'cash', confirm: { count: 1, amount: o.amount } });
            expectedReceived += o.amount;
          } else if (o.op === 'refund') {
            const receipts = await receiptsWithRemainder(t.db, p.id);
            if (receipts.length === 0) continue;
            const r = receipts[o.pick % receipts.length];
            const amount = Math.max(1, Math.floor((r.free * o.part) / 100));
            if (r.free === 0) {
              expect((await failure(donors.createRefund(t.db, system, p.id, { receiptId: r.id, amount: 1, refundedOn: '2025-10-02', confirm: { count: 1, amount: 1 } }))).code).toBe('validation');
              continue;
            }
            await donors.createRefund(t.db, system, p.id, { receiptId: r.id, amount, refundedOn: '2025-10-02', confirm: { count: 1, amount } });
            expectedRefunded += amount;
          } else if (o.op === 'award') {
            const before = await programmeBalance(t.db, p.id);
            const needed = o.amounts.reduce((s, x) => s + x, 0);
            const attempt = awardTx(
              p.id,
              o.amounts.map((x) => award(x, communes[o.commune])),
            );
            if (needed > before.available) expect((await failure(attempt)).code).toBe('insufficient_funds');
            else expect(await attempt).toHaveLength(o.amounts.length);
          } else {
            const live = await t.db.selectFrom('award').select(['id', 'status']).where('programmeId', '=', p.id).where('status', '=', 'awarded').orderBy('createdAt').orderBy('id').execute();
            if (live.length === 0) continue;
            const target = live[o.pick % live.length];
            if (o.op === 'cancel') await t.db.transaction().execute((trx) => cancelAward(trx, system, target.id, null));
            else await t.db.transaction().execute((trx) => recordPayment(trx, system, p.id, [target.id]));
          }
          const b = await checkInvariants(p.id);
          expect(b.received).toBe(expectedReceived);
          expect(b.refunded).toBe(expectedRefunded);
        }
      }),
      { numRuns: engineName === 'postgres' ? 15 : 25, seed: 20261124 },
    );
  });
});
