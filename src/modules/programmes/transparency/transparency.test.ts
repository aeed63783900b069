/**
 * The donor's self-check and the public ledger on both engines: a donation found by its reference and by
 * the bank's transaction id with the amount, what it funded (initials and birth year only, handovers with
 * their minutes number), nothing about the donor or anyone else, throttled; the ledger's rows and totals
 * equal to the programme's balance after receipts, a payment, a refund and an undone bank match; search
 * and CSV without the name of a donor who did not agree to be named.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { engineName, system, testDatabase, type TestDatabase } from '../../../test/db';
import { failure, runCli } from '../../../test/helpers';
import { buildApp } from '../../../http/app';
import { registerTransparencyCommands } from './transparency.cli';
import { RateLimit } from '../../../domain/rate-limit';
import { handoverWorld, NAMED_DONOR, UNNAMED_DONOR, type HandoverWorld } from '../handover/handover.fixture';
import * as handover from '../handover/handover.service';
import * as donors from '../money/donors.service';
import { programmeBalance, recordPayment } from '../programme/ledger.service';
import * as bank from '../bank/bank.service';
import * as transparency from './transparency.service';
import { CHECK_LIMITS } from './transparency.service';

let t: TestDatabase;
let w: HandoverWorld;
const edge = { ip: '203.0.113.9', now: new Date('2025-12-02T03:00:00Z') };
const unlimited = () => new RateLimit(CHECK_LIMITS, 1);

beforeAll(async () => {
  t = await testDatabase();
  w = await handoverWorld(t.db, system);
});
afterAll(async () => {
  await t?.cleanup();
});

/** Nothing personal in a public answer: no full name, id, insurance code, card number, phone, nor a donor's name or contact. */
function expectNothingPersonal(answer: unknown) {
  const flat = JSON.stringify(answer);
  for (const p of w.facts) for (const secret of [p.fullName, p.citizenId, p.insuranceCode, p.cardNumber, p.phone]) if (secret) expect(flat).not.toContain(secret);
  for (const secret of [UNNAMED_DONOR.name, UNNAMED_DONOR.contact, NAMED_DONOR.contact]) expect(flat).not.toContain(secret);
}

async function referenceOf(donorId: string) {
  const r = await t.db.selectFrom('pledge').select('reference').where('donorId', '=', donorId).where('programmeId', '=', w.programmeId).executeTakeFirstOrThrow();
  return r.reference!;
}

/** The truth: what these receipts funded, straight from award_funding. */
async function fundedTruth(donorId: string) {
  const r = await sql<{ cards: number; amount: string }>`
    select count(distinct f.award_id)::int as cards, coalesce(sum(f.amount), 0)::text as amount
    from award_funding f join receipt r on r.id = f.receipt_id join award a on a.id = f.award_id
    where r.donor_id = ${donorId} and a.status <> 'cancelled' and r.voided_at is null`.execute(t.db);
  return { cards: r.rows[0].cards, amount: Number(r.rows[0].amount) };
}

describe(`donor self-check (${engineName})`, () => {
  it('finds a donation by its reference (typed any way) and shows what it funded, people as initials and birth year', async () => {
    const ref = await referenceOf(w.unnamedDonorId);
    const typed = `${ref.slice(0, 4).toLowerCase()} ${ref.slice(4)}`;
    const r = await transparency.donorCheck(t.db, unlimited(), { reference: typed }, edge);
    expect(r.reference).toBe(ref);
    expect(r.programme.slug).toBe(w.slug);
    expect(r.receipts).toEqual([{ receivedOn: '2025-10-12', amount: 1_000_000, method: 'cash' }]);
    expect(r).toMatchObject({ pledged: 2_000_000, received: 1_000_000, difference: -1_000_000, refunded: 100_000 });
    const truth = await fundedTruth(w.unnamedDonorId);
    expect(truth.cards).toBeGreaterThan(0);
    expect(r.funded.cards).toBe(truth.cards);
    expect(r.funded.amount).toBe(truth.amount);
    expect(r.unspent).toBe(1_000_000 - 100_000 - truth.amount);
    // earmarked to the second commune: its cards are there
    expect(r.funded.communes).toEqual([w.c2.name]);
    const ha = w.facts.find((p) => p.key === 'ha')!;
    expect(r.funded.beneficiaries).toContainEqual(expect.objectContaining({ initials: 'T.T.T.H.', birthYear: 2012, communeName: w.c2.name, handedOver: false }));
    expect(JSON.stringify(r)).not.toContain(ha.masked);
    expectNothingPersonal(r);
  });

  it('shows the handover date and the minutes number once the card is handed over', async () => {
    const event = await handover.addEvent(t.db, system, w.programmeId, { communeCode: w.c2.code, heldOn: '2025-12-05', place: 'Nhà văn hóa xã', minutesNumber: '07' });
    expect(event.minutesNumber).toBe('07');
    await handover.recordResult(t.db, system, w.awards.ha, { result: 'received', receivedBy: 'Mẹ: Trần Thị Lan' });
    const r = await transparency.donorCheck(t.db, unlimited(), { reference: await referenceOf(w.unnamedDonorId) }, edge);
    expect(r.funded.handovers).toEqual([{ communeName: w.c2.name, heldOn: '2025-12-05', minutesNumber: '07', cards: 1, handedOver: 1 }]);
    expect(r.funded.beneficiaries.find((b) => b.initials === 'T.T.T.H.')).toMatchObject({ handedOver: true, handoverOn: '2025-12-05' });
    expect(JSON.stringify(r)).not.toContain('Trần Thị Lan');
  });

  it("finds a bank transfer by the bank's transaction id and the exact amount, also before staff matched it", async () => {
    const account = await bank.addAccount(t.db, system, w.programmeId, { bin: '970436', accountNumber: '0071000999888', accountName: 'UBND TINH LAO CAI' });
    const donor = await donors.createDonor(t.db, system, { ownerUnitCode: '15', kind: 'individual', name: 'Phạm Văn Dũng', contact: '0911222333' });
    const pledge = await donors.createPledge(t.db, system, w.programmeId, { donorId: donor.id, amount: 700_000, pledgedOn: '2025-11-01' });
    const file = Buffer.from(
      [
        'Ngày giao dịch,Mã giao dịch,Số tiền,Nội dung',
        `03/11/2025,FT25307ABC,700.000,MBVCB.99.IBFT.${pledge.reference}.PHAM VAN DUNG`,
        '04/11/2025,FT25308XYZ,250.000,ung ho khong ghi ma',
      ].join('\n'),
    );
    const imported = await bank.importStatement(t.db, system, w.programmeId, { accountId: account.id, buffer: file, format: 'csv' });
    expect(imported).toMatchObject({ new: 2, matched: 1 });

    const r = await transparency.donorCheck(t.db, unlimited(), { transactionId: 'ft25307abc', amount: 700_000 }, edge);
    expect(r).toMatchObject({ reference: null, pledged: null, received: 700_000, bankLines: [{ bookedOn: '2025-11-03', amount: 700_000 }] });
    expect(JSON.stringify(r)).not.toContain('Phạm Văn Dũng');
    expect(JSON.stringify(r)).not.toContain('PHAM VAN DUNG');
    // the unmatched line: the bank's booking is shown, no receipt yet
    const waiting = await transparency.donorCheck(t.db, unlimited(), { transactionId: 'FT25308XYZ', amount: 250_000 }, edge);
    expect(waiting).toMatchObject({ bankLines: [{ bookedOn: '2025-11-04', amount: 250_000 }], receipts: [], received: 0 });
    // the same id with another amount finds nothing
    expect((await failure(transparency.donorCheck(t.db, unlimited(), { transactionId: 'FT25307ABC', amount: 70_000 }, edge))).code).toBe('donation_not_found');
  });

  it('refuses unclear input with the field, and answers the same for a reference that does not exist', async () => {
    const none = await failure(transparency.donorCheck(t.db, unlimited(), {}, edge));
    expect(none.fields[0]).toMatchObject({ path: 'reference', key: 'check_what' });
    const bad = await failure(transparency.donorCheck(t.db, unlimited(), { reference: 'XYZ' }, edge));
    expect(bad.fields[0]).toMatchObject({ path: 'reference', key: 'check_reference_format' });
    const noAmount = await failure(transparency.donorCheck(t.db, unlimited(), { transactionId: 'FT1' }, edge));
    expect(noAmount.fields[0]).toMatchObject({ path: 'amount', key: 'check_amount_required' });
    expect((await failure(transparency.donorCheck(t.db, unlimited(), { reference: 'CD333333' }, edge))).code).toBe('donation_not_found');
  });

  it('counts every look-up of an address, found or not, and refuses past the limit', async () => {
    const throttle = new RateLimit(CHECK_LIMITS, 60 * 60 * 1000);
    const ref = await referenceOf(w.namedDonorId);
    for (let i = 0; i < CHECK_LIMITS.ip; i++) await transparency.donorCheck(t.db, throttle, { reference: i % 2 ? ref : 'CD444444' }, edge).catch(() => undefined);
    expect((await failure(transparency.donorCheck(t.db, throttle, { reference: ref }, edge))).code).toBe('too_many_checks');
    // another address is not held back
    await transparency.donorCheck(t.db, throttle, { reference: ref }, { ...edge, ip: '203.0.113.10' });
  });
});

describe(`public ledger (${engineName})`, () => {
  it("lists receipts, the payment to the office and the refund, with totals equal to the programme's balance", async () => {
    // the list paid to the social insurance office: one ledger transaction per card, one public row
    await t.db.transaction().execute((trx) => recordPayment(trx, system, w.programmeId, Object.values(w.awards)));
    const l = await transparency.publicLedger(t.db, w.slug);
    const b = await programmeBalance(t.db, w.programmeId);
    expect(l.totals).toEqual({ received: b.received, paid: b.paid, refunded: b.refunded, held: b.received - b.paid - b.refunded });
    expect(b.paid).toBeGreaterThan(0);
    const kinds = l.rows.map((r) => r.kind);
    expect(kinds).toContain('payment');
    expect(kinds).toContain('refund');
    const named = l.rows.find((r) => r.donor === NAMED_DONOR.name)!;
    expect(named).toMatchObject({ kind: 'receipt', amount: 3_000_000, on: '2025-10-10', method: 'bank_transfer' });
    expect(l.rows.find((r) => r.kind === 'refund')).toMatchObject({ donor: null, amount: -100_000 });
    expect(l.rows.find((r) => r.kind === 'payment')).toMatchObject({ donor: null, cards: 4, amount: -b.paid });
    expectNothingPersonal(l);
    // newest first
    expect([...l.rows].sort((a, c) => c.on.localeCompare(a.on)).map((r) => r.on)).toEqual(l.rows.map((r) => r.on));
  });

  it('searches a donor without diacritics, an amount written either way, a date; totals of what it found', async () => {
    const byName = await transparency.publicLedger(t.db, w.slug, { q: 'hoa phat' });
    expect(byName.rows.map((r) => r.donor)).toEqual([NAMED_DONOR.name]);
    expect(byName.found).toMatchObject({ count: 1, received: 3_000_000 });
    const byAmount = await transparency.publicLedger(t.db, w.slug, { q: '1.000.000' });
    expect(byAmount.rows).toContainEqual(expect.objectContaining({ kind: 'receipt', donor: null, amount: 1_000_000 }));
    expect((await transparency.publicLedger(t.db, w.slug, { q: '1000000' })).found.count).toBe(byAmount.found.count);
    const byDate = await transparency.publicLedger(t.db, w.slug, { q: '12/10/2025' });
    expect(byDate.rows.map((r) => r.amount)).toEqual([1_000_000]);
    expect((await transparency.publicLedger(t.db, w.slug, { kind: 'refund' })).rows).toHaveLength(1);
    // the unnamed donor's name finds nothing
    expect((await transparency.publicLedger(t.db, w.slug, { q: 'le thi mai' })).found.count).toBe(0);
    const badPage = await failure(transparency.publicLedger(t.db, w.slug, { page: 0 }));
    expect(badPage.fields[0].path).toBe('page');
  });

  it('keeps its totals equal to the balance after a bank match is undone, and its CSV has every row', async () => {
    const lines = await bank.listLines(t.db, system, w.programmeId, { today: '2025-12-02' });
    const match = lines.flatMap((x) => x.matches).find((m) => !m.undoneAt)!;
    await bank.undoMatch(t.db, system, w.programmeId, match.id, { count: 1, amount: match.amount });
    const l = await transparency.publicLedger(t.db, w.slug);
    const b = await programmeBalance(t.db, w.programmeId);
    expect(l.totals).toMatchObject({ received: b.received, paid: b.paid, refunded: b.refunded });
    expect(l.rows.filter((r) => r.reversal)).toEqual([expect.objectContaining({ kind: 'receipt', amount: -match.amount })]);

    const { csv, rows } = await transparency.publicLedgerCsv(t.db, w.slug);
    const body = csv.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(body[0]).toBe('Ngày,Loại,Nhà hảo tâm / Nơi nhận,Số tiền (đồng),Số thẻ,Hình thức');
    expect(body).toHaveLength(rows + 1);
    expect(rows).toBe(l.found.count);
    expect(csv).toContain(NAMED_DONOR.name);
    expect(csv).toContain('Nhà hảo tâm ẩn danh');
    expect(csv).not.toContain(UNNAMED_DONOR.name);
    const sumIn = body.slice(1).map((line) => line.split(',')).filter((c) => c[1].startsWith('Nhận') || c[1].startsWith('Hủy khoản nhận')).reduce((s, c) => s + Number(c[3]), 0);
    expect(sumIn).toBe(b.received);
  });

  it('is not there for a programme that is not public', async () => {
    expect((await failure(transparency.publicLedger(t.db, 'khong-co-chuong-trinh-nay'))).code).toBe('not_found');
  });
});

describe(`over HTTP and on the command line (${engineName})`, () => {
  it('answers the same donation the same way to the public page and to `donor-check --json`, without login; the ledger CSV downloads', async () => {
    const app = await buildApp({ database: t, webDist: false });
    try {
      const reference = await referenceOf(w.namedDonorId);
      const res = await app.inject({ method: 'POST', url: '/api/public/donor-check', payload: { reference } });
      expect(res.statusCode).toBe(200);
      const cli = await runCli(t, registerTransparencyCommands, ['donor-check', '--reference', reference, '--json']);
      expect(cli.json[0]).toEqual(res.json());
      const plain = await runCli(t, registerTransparencyCommands, ['donor-check', '--reference', reference]);
      expect(plain.printed[0]).toContain(res.json().programme.name);

      const missing = await app.inject({ method: 'POST', url: '/api/public/donor-check', payload: { reference: 'CD333333' }, headers: { 'accept-language': 'en' } });
      expect(missing.statusCode).toBe(404);
      expect(missing.json().error.message).toMatch(/^No donation was found/);
      const unclear = await app.inject({ method: 'POST', url: '/api/public/donor-check', payload: { transactionId: 'FT1' } });
      expect(unclear.statusCode).toBe(400);
      expect(unclear.json().error.fields[0]).toMatchObject({ path: 'amount', message: 'Nhập số tiền đúng như trên sao kê cùng với mã giao dịch' });

      const ledger = await app.inject({ url: `/api/public/programmes/${w.slug}/ledger?q=hoa%20phat` });
      expect(ledger.statusCode).toBe(200);
      expect(ledger.json().rows[0].donor).toBe(NAMED_DONOR.name);
      const csv = await app.inject({ url: `/api/public/programmes/${w.slug}/ledger.csv?lang=en` });
      expect(csv.headers['content-type']).toContain('text/csv');
      expect(csv.body).toContain('Date,Kind,Donor / paid to');
      const cliLedger = await runCli(t, registerTransparencyCommands, ['public-ledger', '--programme', w.slug, '--json']);
      expect((cliLedger.json[0] as { totals: unknown }).totals).toEqual((await app.inject({ url: `/api/public/programmes/${w.slug}/ledger` })).json().totals);
    } finally {
      await app.close();
    }
  });
});
