/**
 * No money moves on one click (issue 16, section 3), on both engines: every action that posts to the
 * ledger or changes a programme's status is refused without a confirmation of its count and amount (or
 * with other figures) and then changes nothing; an Idempotency-Key makes a repeated request answer the
 * first result and post nothing; a submitted list is withdrawn through the ledger without creating or
 * losing a dong; the CLI without --yes changes nothing.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../errors';
import { buildApp } from '../../../http/app';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../../test/db';
import { failure, runCli } from '../../../test/helpers';
import { readAudit } from '../../audit/audit.service';
import { confirmationMatches } from './confirm';
import * as d03 from '../selection/d03.service';
import { handoverWorld, PERSONS, type HandoverWorld } from '../handover/handover.fixture';
import * as ledgerRepo from './ledger.repository';
import { registerSelectionCommands } from '../selection/selection.cli';

let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  t = await testDatabase();
  app = await buildApp({ database: t, webDist: false });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

/** 4 cards awarded by hand: 379.080 + 1.263.600 + 379.080 + 884.520 */
const AWARDED = PERSONS.reduce((s, p) => s + p.amount, 0);

async function login() {
  const u = await makeUser(t, 'province_staff', '15');
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
  return { cookie: `cd_session=${res.cookies[0].value}`, 'x-csrf-token': res.json().csrfToken as string };
}

/** What a refused action must leave as it was: balances, postings, status, awards. */
async function state(programmeId: string) {
  const p = await t.db.selectFrom('programme').select('status').where('id', '=', programmeId).executeTakeFirstOrThrow();
  const entries = await t.db.selectFrom('ledgerEntry').select(['account', 'amount']).where('programmeId', '=', programmeId).execute();
  const byAccount: Record<string, number> = {};
  for (const e of entries) byAccount[e.account] = (byAccount[e.account] ?? 0) + Number(e.amount);
  const awards = await t.db.selectFrom('award').select(['status']).where('programmeId', '=', programmeId).orderBy('id').execute();
  const receipts = await t.db.selectFrom('receipt').select('id').where('programmeId', '=', programmeId).execute();
  return { status: p.status, postings: entries.length, byAccount, awards: awards.map((a) => a.status), receipts: receipts.length };
}

/** The ledger invariants: each transaction sums to zero, and received = available + awarded + paid + refunded. */
async function expectBalanced(programmeId: string) {
  expect(await ledgerRepo.unbalancedTxns(t.db, programmeId)).toEqual([]);
  const s = await state(programmeId);
  const acc = (a: string) => s.byAccount[a] ?? 0;
  expect(acc('cash') + acc('fund') + acc('awarded') + acc('paid') + acc('refunded')).toBe(0);
  const credit = (a: string) => -acc(a) || 0;
  return { received: acc('cash'), available: credit('fund'), awarded: credit('awarded'), paid: credit('paid'), refunded: credit('refunded') };
}

describe('confirmationMatches', () => {
  it('takes exactly the figures, and true only for a step that moves no money', () => {
    expect(confirmationMatches({ count: 2, amount: 500 }, { action: 'receipt', count: 2, amount: 500 })).toBe(true);
    expect(confirmationMatches({ count: 2, amount: 499 }, { action: 'receipt', count: 2, amount: 500 })).toBe(false);
    expect(confirmationMatches({ count: 1, amount: 500 }, { action: 'receipt', count: 2, amount: 500 })).toBe(false);
    expect(confirmationMatches(true, { action: 'receipt', count: 1, amount: 500 })).toBe(false);
    expect(confirmationMatches(null, { action: 'receipt', count: 1, amount: 500 })).toBe(false);
    expect(confirmationMatches(undefined, { action: 'status', count: 0, amount: null })).toBe(false);
    expect(confirmationMatches(true, { action: 'status', count: 0, amount: null })).toBe(true);
    expect(confirmationMatches({ count: 3, amount: 0 }, { action: 'issue_cards', count: 3, amount: null })).toBe(true);
  });
});

describe(`confirmed money and status actions over HTTP (${engineName})`, () => {
  let w: HandoverWorld;
  let headers: Record<string, string>;
  let base: string;
  beforeAll(async () => {
    w = await handoverWorld(t.db, system, { issue: false });
    headers = await login();
    base = `/api/programmes/${w.programmeId}`;
  });
  const post = (url: string, payload: unknown, extra: Record<string, string> = {}) => app.inject({ method: 'POST', url, headers: { ...headers, ...extra }, payload: payload as object });

  it('refuses every action without a confirmation, or with other figures, and changes nothing', async () => {
    const receiptId = (await t.db.selectFrom('receipt').select('id').where('programmeId', '=', w.programmeId).orderBy('receivedOn').executeTakeFirstOrThrow()).id;
    const person = w.persons.hong;
    const before = await state(w.programmeId);
    expect(before).toMatchObject({ status: 'raising', receipts: 2 });

    const refused = [
      [`${base}/status`, { to: 'selecting' }, { action: 'status', count: 0, amount: 0, moneyMoves: false }],
      [`${base}/receipts`, { donorId: w.namedDonorId, amount: 5_000_000, receivedOn: '2025-11-02', method: 'cash' }, { action: 'receipt', count: 1, amount: 5_000_000 }],
      [`${base}/refunds`, { receiptId, amount: 10_000, refundedOn: '2025-11-02' }, { action: 'refund', count: 1, amount: 10_000 }],
      [`${base}/awards/${w.awards.minh}/cancel`, { reason: 'thử' }, { action: 'award_cancel', count: 1, amount: 1_263_600 }],
    ] as const;
    for (const [url, payload, details] of refused) {
      const res = await post(url, payload);
      expect(res.statusCode, url).toBe(409);
      expect(res.json().error, url).toMatchObject({ code: 'confirmation_required', details });
      expect(res.json().error.fields.map((f: { path: string }) => f.path)).toEqual(['confirm']);
    }
    // a card by hand: the figures come first (the person's existing card is refused only once confirmed)
    const award = await post(`${base}/awards`, { personId: person, amount: 100_000 });
    expect(award.json().error).toMatchObject({ code: 'confirmation_required', details: { action: 'award', count: 1, amount: 100_000 } });

    // other figures than what would be posted now
    const wrong = await post(`${base}/receipts`, { donorId: w.namedDonorId, amount: 5_000_000, receivedOn: '2025-11-02', method: 'cash', confirm: { count: 1, amount: 500_000 } });
    expect(wrong.statusCode).toBe(409);
    expect(wrong.json().error.fields).toEqual([{ path: 'confirm', message: 'Số lượng hoặc số tiền đã thay đổi: hiện là 1 mục, 5.000.000 ₫; hãy xem lại rồi xác nhận' }]);
    const wrongCancel = await post(`${base}/awards/${w.awards.minh}/cancel`, { confirm: { count: 1, amount: 1_263_599 } }, { cookie: `${headers.cookie}; cd_lang=en` });
    expect(wrongCancel.json().error).toMatchObject({ code: 'confirmation_required', message: 'Confirm: cancel 1 cards, 1.263.600 ₫ back to the fund' });
    // `true` is not enough where money moves
    expect((await post(`${base}/refunds`, { receiptId, amount: 10_000, refundedOn: '2025-11-02', confirm: true })).statusCode).toBe(400);

    expect(await state(w.programmeId)).toEqual(before);

    // the steps to an approved list (cards awarded by hand), each confirmed
    expect((await post(`${base}/status`, { to: 'selecting', confirm: true })).json()).toMatchObject({ status: 'selecting' });
    expect((await post(`${base}/status`, { to: 'list_approved', confirm: true })).json()).toMatchObject({ status: 'list_approved' });

    // submitting: the live cards and their money, as the issue's example
    const atApproved = await state(w.programmeId);
    const submit = await post(`${base}/d03/submit`, {});
    expect(submit.statusCode).toBe(409);
    expect(submit.json().error).toMatchObject({
      code: 'confirmation_required',
      message: `Cần xác nhận: gửi danh sách cho cơ quan BHXH, 4 thẻ, nộp 2.906.280 ₫`,
      details: { action: 'submit_list', count: 4, amount: AWARDED, moneyMoves: true },
    });
    expect((await post(`${base}/d03/submit`, { confirm: { count: 4, amount: AWARDED - 1 } })).statusCode).toBe(409);
    expect((await post(`${base}/d03/submit`, { confirm: { count: 3, amount: AWARDED } })).statusCode).toBe(409);
    // going back from the approved list would cancel the 4 cards: it needs their figures too
    const back = await post(`${base}/status`, { to: 'selecting', note: 'xem lại', confirm: true });
    expect(back.json().error).toMatchObject({ code: 'confirmation_required', details: { action: 'withdraw_list', count: 4, amount: AWARDED } });
    expect(await state(w.programmeId)).toEqual(atApproved);
    expect(await expectBalanced(w.programmeId)).toMatchObject({ paid: 0, awarded: AWARDED });

    const sent = await post(`${base}/d03/submit`, { note: 'gửi BHXH', confirm: { count: 4, amount: AWARDED } });
    expect(sent.statusCode).toBe(200);
    expect(sent.json()).toMatchObject({ awards: 4, amount: AWARDED, paid: { count: 4, amount: AWARDED } });
    expect(await expectBalanced(w.programmeId)).toMatchObject({ paid: AWARDED, awarded: 0 });

    // recording issued cards may move the status: confirmed with true or the number of cards
    const card = { awardId: w.awards.hong, cardNumber: w.facts[0].cardNumber, validFrom: '2025-12-01', validTo: '2026-11-30' };
    const unissued = await post(`${base}/issued-cards`, { cards: [card] });
    expect(unissued.json().error).toMatchObject({ code: 'confirmation_required', details: { action: 'issue_cards', count: 1, moneyMoves: false } });
    const importRefused = await app.inject({ method: 'POST', url: `${base}/issued-cards/import`, headers: { ...headers, 'content-type': 'multipart/form-data; boundary=x' }, payload: '--x\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n\r\nMã suất tặng,Mã thẻ,Từ ngày,Đến ngày\r\n--x--\r\n' });
    expect(importRefused.statusCode).toBe(409);
    expect((await state(w.programmeId)).awards.filter((s) => s === 'issued')).toEqual([]);
  });

  it('answers a repeated Idempotency-Key with the first result and posts once', async () => {
    const key = `test-${crypto.randomUUID()}`;
    const payload = { donorId: w.unnamedDonorId, amount: 700_000, receivedOn: '2025-11-03', method: 'cash', confirm: { count: 1, amount: 700_000 } };
    const before = await state(w.programmeId);
    const first = await post(`${base}/receipts`, payload, { 'idempotency-key': key });
    const second = await post(`${base}/receipts`, payload, { 'idempotency-key': key });
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    const after = await state(w.programmeId);
    expect(after.receipts).toBe(before.receipts + 1);
    expect(after.postings).toBe(before.postings + 2);
    expect(after.byAccount.cash).toBe(before.byAccount.cash + 700_000);

    // the same key for another action is refused
    const other = await post(`${base}/refunds`, { receiptId: first.json().id, amount: 1_000, refundedOn: '2025-11-03', confirm: { count: 1, amount: 1_000 } }, { 'idempotency-key': key });
    expect(other.statusCode).toBe(400);
    expect(other.json().error.fields).toEqual([{ path: 'Idempotency-Key', message: 'Khoá chống gửi trùng này đã dùng cho một thao tác khác' }]);
    expect((await post(`${base}/receipts`, payload, { 'idempotency-key': 'short' })).statusCode).toBe(400);

    // a refused request releases its key: the confirmed retry with the same key goes through once
    const retryKey = `test-${crypto.randomUUID()}`;
    const unconfirmed = await post(`${base}/receipts`, { ...payload, confirm: undefined }, { 'idempotency-key': retryKey });
    expect(unconfirmed.statusCode).toBe(409);
    const confirmed = await post(`${base}/receipts`, payload, { 'idempotency-key': retryKey });
    expect(confirmed.statusCode).toBe(201);

    // a double click: two requests with one key at the same moment post once
    const clickKey = `test-${crypto.randomUUID()}`;
    const mid = await state(w.programmeId);
    const both = await Promise.all([post(`${base}/receipts`, payload, { 'idempotency-key': clickKey }), post(`${base}/receipts`, payload, { 'idempotency-key': clickKey })]);
    expect(both.map((r) => r.statusCode).sort()).toEqual(both.some((r) => r.statusCode === 409) ? [201, 409] : [201, 201]);
    const end = await state(w.programmeId);
    expect(end.receipts).toBe(mid.receipts + 1);
    expect(end.byAccount.cash).toBe(mid.byAccount.cash + 700_000);
    await expectBalanced(w.programmeId);

    // a key is kept a week: after that the same key is a new request (and the old rows are gone)
    await t.db.updateTable('idempotencyKey').set({ createdAt: sql<Date>`now() - interval '8 days'` }).where('key', '=', key).execute();
    const weekLater = await post(`${base}/receipts`, payload, { 'idempotency-key': key });
    expect(weekLater.statusCode).toBe(201);
    expect(weekLater.json().id).not.toBe(first.json().id);
    expect((await state(w.programmeId)).receipts).toBe(end.receipts + 1);
    expect(await t.db.selectFrom('idempotencyKey').select('createdAt').where('createdAt', '<', sql<Date>`now() - interval '7 days'`).execute()).toEqual([]);
  });

  it('withdraws a submitted list through the ledger, confirmed, without creating or losing a dong', async () => {
    const before = await state(w.programmeId);
    expect(before.status).toBe('submitted');
    const money = await expectBalanced(w.programmeId);
    expect(money.paid).toBe(AWARDED);

    expect((await post(`${base}/d03/unsubmit`, { confirm: { count: 4, amount: AWARDED } })).json().error.fields.map((f: { path: string }) => f.path)).toEqual(['reason']);
    const unconfirmed = await post(`${base}/d03/unsubmit`, { reason: 'Sai số thẻ' });
    expect(unconfirmed.json().error).toMatchObject({ code: 'confirmation_required', details: { action: 'unsubmit_list', count: 4, amount: AWARDED } });
    expect(await state(w.programmeId)).toEqual(before);

    const key = `test-${crypto.randomUUID()}`;
    const undone = await post(`${base}/d03/unsubmit`, { reason: 'Sai số thẻ', confirm: { count: 4, amount: AWARDED } }, { 'idempotency-key': key });
    expect(undone.statusCode).toBe(200);
    expect(undone.json()).toEqual({ awards: 4, amount: AWARDED, reversed: { count: 4, amount: AWARDED } });
    // the same request again: the same answer, nothing reversed twice
    expect((await post(`${base}/d03/unsubmit`, { reason: 'Sai số thẻ', confirm: { count: 4, amount: AWARDED } }, { 'idempotency-key': key })).json()).toEqual(undone.json());

    const after = await state(w.programmeId);
    expect(after.status).toBe('list_approved');
    expect(after.awards).toEqual(['awarded', 'awarded', 'awarded', 'awarded']);
    expect(after.postings).toBeGreaterThan(before.postings);
    const moved = await expectBalanced(w.programmeId);
    expect(moved).toEqual({ ...money, paid: 0, awarded: AWARDED });
    const reversal = await t.db.selectFrom('ledgerEntry').select(['account', 'amount', 'memo']).where('programmeId', '=', w.programmeId).where('kind', '=', 'payment_reversal').execute();
    expect(reversal.length).toBeGreaterThanOrEqual(8);
    expect(new Set(reversal.map((r) => r.memo))).toEqual(new Set(['Sai số thẻ']));
    expect(reversal.filter((r) => r.account === 'paid').reduce((s, r) => s + Number(r.amount), 0)).toBe(AWARDED);
    const audit = await readAudit(t.db, system, { entityId: w.programmeId, limit: 50 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['unsubmit', 'payment_reversal']));
    const history = (await app.inject({ url: base, headers })).json().history as { fromStatus: string; toStatus: string; note: string }[];
    expect(history).toContainEqual(expect.objectContaining({ fromStatus: 'submitted', toStatus: 'list_approved', note: 'Sai số thẻ' }));

    // submitted again: paid once more, and a card issued afterwards forbids withdrawing
    await d03.submitList(t.db, system, w.programmeId, null, { count: 4, amount: AWARDED });
    expect(await expectBalanced(w.programmeId)).toEqual({ ...money, paid: AWARDED, awarded: 0 });
    const card = { awardId: w.awards.hong, cardNumber: w.facts[0].cardNumber, validFrom: '2025-12-01', validTo: '2026-11-30' };
    expect((await post(`${base}/issued-cards`, { cards: [card], confirm: { count: 1, amount: 0 } })).statusCode).toBe(200);
    const late = await failure(d03.unsubmitList(t.db, system, w.programmeId, 'muộn', { count: 4, amount: AWARDED }));
    expect(late.params).toMatchObject({ reason: 'unsubmit_issued' });
  });
});

describe(`a step back from an approved list (${engineName})`, () => {
  it('cancels its cards only with their count and amount, through the ledger', async () => {
    const w = await handoverWorld(t.db, system, { issue: false });
    const headers = await login();
    const base = `/api/programmes/${w.programmeId}`;
    for (const to of ['selecting', 'list_approved']) {
      const res = await app.inject({ method: 'POST', url: `${base}/status`, headers, payload: { to, confirm: true } });
      expect(res.statusCode).toBe(200);
    }
    const before = await expectBalanced(w.programmeId);
    const stale = await app.inject({ method: 'POST', url: `${base}/status`, headers, payload: { to: 'selecting', note: 'chọn lại', confirm: { count: 3, amount: AWARDED } } });
    expect(stale.statusCode).toBe(409);
    expect((await state(w.programmeId)).status).toBe('list_approved');
    const back = await app.inject({ method: 'POST', url: `${base}/status`, headers, payload: { to: 'selecting', note: 'chọn lại', confirm: { count: 4, amount: AWARDED } } });
    expect(back.statusCode).toBe(200);
    expect(back.json()).toMatchObject({ status: 'selecting' });
    expect((await state(w.programmeId)).awards).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);
    expect(await expectBalanced(w.programmeId)).toEqual({ ...before, awarded: 0, available: before.available + AWARDED });
  });
});

describe(`confirmed actions in the CLI (${engineName})`, () => {
  it('without --yes says what it would do, exits non-zero and changes nothing; with --yes does it', async () => {
    const w = await handoverWorld(t.db, system, { issue: false });
    const run = (args: string[]) => runCli(t, registerSelectionCommands, args);
    for (const to of ['selecting', 'list_approved'] as const) await t.db.updateTable('programme').set({ status: to }).where('id', '=', w.programmeId).execute();
    await d03.submitList(t.db, system, w.programmeId, null, { count: 4, amount: AWARDED });
    const before = await state(w.programmeId);

    const refused = await run(['programme', 'unsubmit', w.programmeId, '--reason', 'Sai tên']).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).code).toBe('confirmation_required');
    expect((refused as AppError).params.details).toMatchObject({ count: 4, amount: AWARDED });
    expect(await state(w.programmeId)).toEqual(before);

    const done = await run(['programme', 'unsubmit', w.programmeId, '--reason', 'Sai tên', '--yes']);
    expect(done.printed).toEqual(['Cần xác nhận: rút lại danh sách đã gửi, 4 thẻ, 2.906.280 ₫ trở lại «đã tặng»', 'Đã rút lại danh sách: 4 thẻ, 2.906.280 ₫ trở lại «đã tặng»']);
    expect((await state(w.programmeId)).status).toBe('list_approved');
    expect(await expectBalanced(w.programmeId)).toMatchObject({ paid: 0, awarded: AWARDED });
  });
});
