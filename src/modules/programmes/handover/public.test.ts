/**
 * Donor statements and the public programme page (issue 6, item 7), and the masking of personal data on
 * both: no full name, citizen id, insurance code, card number or phone of a beneficiary, nor a donor's
 * contact, ever leaves through them. On PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../../http/app';
import { pdfText } from '../../../io/pdf-text';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../../test/db';
import { handoverWorld, NAMED_DONOR, TODAY, UNNAMED_DONOR, type HandoverWorld } from './handover.fixture';
import * as handover from './handover.service';
import { createProgramme, updateProgramme } from '../programme/programme.service';
import * as publicPage from './public.service';
import { pledgeThrottle } from './public.throttle';
import * as statements from './statement.service';

let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
let w: HandoverWorld;
beforeAll(async () => {
  t = await testDatabase();
  app = await buildApp({ database: t, webDist: false });
  await app.ready();
  w = await handoverWorld(t.db, system);
  const event = await handover.addEvent(t.db, system, w.programmeId, { communeCode: w.c1.code, heldOn: '2025-12-12', place: 'Nhà văn hóa' });
  expect(event.assigned).toBe(3);
  await handover.recordResult(t.db, system, w.awards.hong, { result: 'received', receivedBy: 'Bản thân' });
  await handover.recordResult(t.db, system, w.awards.pao, { result: 'refused', note: 'đã có thẻ ở nơi khác' });
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

/** Every personal datum of the world that must never show: full names, ids, codes, card numbers, phones, donors' contacts. */
function secrets(): string[] {
  return [
    ...w.facts.flatMap((p) => [p.fullName, p.citizenId, p.insuranceCode, p.cardNumber, ...(p.phone ? [p.phone] : [])]),
    NAMED_DONOR.contact,
    UNNAMED_DONOR.contact,
  ];
}

function expectMasked(text: string, where: string) {
  const flat = text.replace(/\s+/g, ' ');
  for (const s of secrets()) expect(flat.includes(s), `${where} shows "${s}"`).toBe(false);
  // nor the bare given name or surname+middle as written in full
  for (const p of w.facts) expect(flat).not.toContain(p.fullName.split(' ').slice(0, 2).join(' ') + ' ' + p.fullName.split(' ').at(-1));
}

describe(`donor statements (${engineName})`, () => {
  it("lists a donor's pledges, receipts, refunds and the cards their receipts funded, beneficiaries masked", async () => {
    const s = await statements.donorStatement(t.db, system, w.programmeId, w.namedDonorId);
    expect(s.donor).toEqual({ id: w.namedDonorId, name: NAMED_DONOR.name, kind: 'business', publicConsent: true });
    expect(s.totals).toEqual({ pledged: 50_000_000, received: 3_000_000, refunded: 0, funded: 2_527_200, unspent: 472_800, cards: 3, handedOver: 1 });
    // refused and absent are told apart from "not yet handed over"
    expect(s.cards.map((c) => [c.beneficiary, c.funded, c.handedOver, c.handoverResult])).toEqual([
      ['Lò V. M., 1985, Xã Bảo Thắng', 1_263_600, false, null],
      ['Nguyễn T. H., 2009, Xã Bảo Thắng', 379_080, true, 'received'],
      ['Vàng A. P., 1960, Xã Bảo Thắng', 884_520, false, 'refused'],
    ]);
    // the earmarked gift bought the card in the other commune, and part of it was refunded
    const other = await statements.donorStatement(t.db, system, w.programmeId, w.unnamedDonorId);
    expect(other.totals).toEqual({ pledged: 2_000_000, received: 1_000_000, refunded: 100_000, funded: 379_080, unspent: 520_920, cards: 1, handedOver: 0 });
    expect(other.cards.map((c) => c.beneficiary)).toEqual([`Trần T. T. H., 2012, ${w.c2.name}`]);
    expect(other.pledges[0]).toMatchObject({ amount: 2_000_000, earmarkCommuneCode: w.c2.code, status: 'confirmed' });

    const list = await statements.listStatements(t.db, system, w.programmeId);
    expect(list.map((d) => [d.name, d.received, d.refunded, d.funded, d.cards])).toEqual([
      [NAMED_DONOR.name, 3_000_000, 0, 2_527_200, 3],
      [UNNAMED_DONOR.name, 1_000_000, 100_000, 379_080, 1],
    ]);
  });

  it('writes the thank-you letter: what was received and what it bought, no beneficiary named', async () => {
    const { pdf } = await statements.thankYouLetterPdf(t.db, system, w.programmeId, w.unnamedDonorId, { today: TODAY, language: 'vi' });
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('THƯ CẢM ƠN');
    expect(text).toContain(`Kính gửi: ${UNNAMED_DONOR.name}`);
    expect(text).toContain('chương trình đã nhận của Quý vị 1.000.000 ₫ (1 lần nhận)');
    expect(text).toContain('đã hoàn trả Quý vị 100.000 ₫');
    expect(text).toContain('nhà hảo tâm ẩn danh');
    for (const p of w.facts) expect(text).not.toContain(p.fullName);
    const named = (await pdfText((await statements.thankYouLetterPdf(t.db, system, w.programmeId, w.namedDonorId, { today: TODAY, language: 'en' })).pdf)).replace(/\s+/g, ' ');
    expect(named).toContain('LETTER OF THANKS');
    expect(named).toContain('your name is shown on the programme');
  });

  it('never shows a full name, id, insurance code, card number or phone: JSON and PDF', async () => {
    const staff = await makeUser(t, 'province_staff', '15');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: staff.username, password: staff.password } });
    const headers = { cookie: `cd_session=${login.cookies[0].value}` };
    for (const donorId of [w.namedDonorId, w.unnamedDonorId]) {
      const json = await app.inject({ url: `/api/programmes/${w.programmeId}/statements/${donorId}`, headers });
      expect(json.statusCode).toBe(200);
      expectMasked(json.body, 'statement JSON');
      const pdf = await app.inject({ url: `/api/programmes/${w.programmeId}/statements/${donorId}/pdf`, headers });
      expect(pdf.statusCode).toBe(200);
      expect(pdf.headers['content-type']).toBe('application/pdf');
      const text = await pdfText(pdf.rawPayload);
      expectMasked(text, 'statement PDF');
      expect(text).toContain('BÁO CÁO SỬ DỤNG TIỀN TÀI TRỢ');
    }
    const { pdf } = await statements.donorStatementPdf(t.db, system, w.programmeId, w.namedDonorId, { today: '2025-12-15' });
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Nguyễn T. H., 2009, Xã Bảo Thắng');
    expect(text).toContain('Lò V. M., 1985, Xã Bảo Thắng');
    expect(text).toContain(NAMED_DONOR.name);
    expect(text).toContain('3.000.000 ₫');
    expect(text).toContain('2.527.200 ₫');
    // the issuer (no office recorded for Lào Cai here: its People's Committee), the date line, the signatures
    expect(text).toContain('ỦY BAN NHÂN DÂN LÀO CAI');
    expect(text).toContain('Lào Cai, ngày 15 tháng 12 năm 2025');
    expect(text).toContain('NGƯỜI LẬP');
    expect(text).toContain('Từ chối nhận');
    expect(text).toContain('Chưa trao');
    expect(text).toContain('THỦ TRƯỞNG ĐƠN VỊ');
    const list = await app.inject({ url: `/api/programmes/${w.programmeId}/statements`, headers });
    expectMasked(list.body, 'statements list');
    // not for the public
    expect((await app.inject({ url: `/api/programmes/${w.programmeId}/statements/${w.namedDonorId}` })).statusCode).toBe(401);
  });
});

describe(`public programme page (${engineName})`, () => {
  it('shows money, cards by commune and group, named donors, masked beneficiaries and progress; no personal data', async () => {
    const res = await app.inject({ url: `/api/public/programmes/${w.slug}` });
    expect(res.statusCode).toBe(200);
    expectMasked(res.body, 'public JSON');
    expect(res.body).not.toContain(UNNAMED_DONOR.name);
    const page = res.json() as publicPage.PublicProgramme;
    expect(page.money).toEqual({ pledged: 52_000_000, received: 4_000_000, refunded: 100_000, spent: 2_906_280, left: 993_720 });
    expect(page.cardsByCommune).toEqual(
      expect.arrayContaining([
        { communeCode: w.c1.code, communeName: w.c1.name, cards: 3, handedOver: 1, amount: 2_527_200 },
        { communeCode: w.c2.code, communeName: w.c2.name, cards: 1, handedOver: 0, amount: 379_080 },
      ]),
    );
    expect(page.cardsByGroup).toEqual([
      { groupCode: 'GD', cards: 2, handedOver: 0 },
      { groupCode: 'HS', cards: 2, handedOver: 1 },
    ]);
    expect(page.donors).toEqual([{ name: NAMED_DONOR.name, kind: 'business', given: 3_000_000 }]);
    expect(page.otherDonors).toEqual({ count: 1, given: 900_000 });
    expect(page.beneficiaries.map((b) => b.beneficiary).sort()).toEqual(
      ['Lò V. M., 1985, Xã Bảo Thắng', 'Nguyễn T. H., 2009, Xã Bảo Thắng', 'Vàng A. P., 1960, Xã Bảo Thắng', `Trần T. T. H., 2012, ${w.c2.name}`].sort(),
    );
    expect(page.progress).toMatchObject({ deadline: '2025-12-20', cardsAwarded: 4, cardsHandedOver: 1 });
    expect(page.pledgesOpen).toBe(true);
    expect(page.earmarkCommunes.map((c) => c.code).sort()).toEqual([w.c1.code, w.c2.code].sort());

    const service = await publicPage.publicProgramme(t.db, w.slug, '2025-12-15');
    expect(service.progress).toMatchObject({ today: '2025-12-15', daysLeft: 5, overdue: false });
    expect((await publicPage.publicProgramme(t.db, w.slug, '2025-12-22')).progress).toMatchObject({ daysLeft: -2, overdue: true });
  });

  it('hides drafts, programmes not made public, and unknown slugs', async () => {
    const draft = await createProgramme(t.db, system, { name: 'Bản nháp', ownerUnitCode: '15', areaKind: 'province', cardMonths: 12, purchaseDate: '2025-11-01', deadline: '2025-12-31' });
    expect((await app.inject({ url: `/api/public/programmes/${draft.publicSlug}` })).statusCode).toBe(404);
    await updateProgramme(t.db, system, w.programmeId, { publicEnabled: false });
    expect((await app.inject({ url: `/api/public/programmes/${w.slug}` })).statusCode).toBe(404);
    await updateProgramme(t.db, system, w.programmeId, { publicEnabled: true });
    expect((await app.inject({ url: '/api/public/programmes/no-such-thing' })).statusCode).toBe(404);
    expect((await app.inject({ url: '/api/public/programmes/%27%3B%20drop' })).statusCode).toBe(404);
  });

  it('takes a pledge from anyone as a proposed pledge with a new donor, validates every field, and throttles', async () => {
    const ok = await app.inject({
      method: 'POST',
      url: `/api/public/programmes/${w.slug}/pledges`,
      remoteAddress: '203.0.113.7',
      payload: { name: 'Phạm Văn Đức', contact: '+84 912 000 111', amount: 1_263_600, earmarkCommuneCode: w.c2.code, publicConsent: true },
    });
    expect(ok.statusCode).toBe(201);
    const body = ok.json();
    expect(body).toMatchObject({ amount: 1_263_600, status: 'proposed', earmarkCommuneCode: w.c2.code });
    expect(body.message).toContain('Cảm ơn bạn đã đăng ký ủng hộ');
    const pledge = await t.db
      .selectFrom('pledge as p')
      .innerJoin('donor as d', 'd.id', 'p.donorId')
      .select(['p.status', 'p.source', 'p.amount', 'p.earmarkCommuneCode', 'd.name', 'd.contact', 'd.kind', 'd.publicConsent', 'd.ownerUnitCode'])
      .where('p.id', '=', body.pledgeId)
      .executeTakeFirstOrThrow();
    expect(pledge).toEqual({ status: 'proposed', source: 'public', amount: 1_263_600, earmarkCommuneCode: w.c2.code, name: 'Phạm Văn Đức', contact: '0912000111', kind: 'individual', publicConsent: true, ownerUnitCode: '15' });
    // a proposed pledge is not money: the public page's figures do not move, and the donor is not shown
    const page = (await app.inject({ url: `/api/public/programmes/${w.slug}` })).json();
    expect(page.money.pledged).toBe(52_000_000);
    expect(JSON.stringify(page)).not.toContain('Phạm Văn Đức');

    const bad = await app.inject({
      method: 'POST',
      url: `/api/public/programmes/${w.slug}/pledges`,
      remoteAddress: '203.0.113.8',
      headers: { 'accept-language': 'en' },
      payload: { name: ' ', contact: 'not a contact', amount: 5000.5, extra: 1 },
    });
    expect(bad.statusCode).toBe(400);
    const paths = bad.json().error.fields.map((f: { path: string }) => f.path).sort();
    expect(paths).toEqual(['amount', 'contact', 'extra', 'name']);
    expect(bad.json().error.fields.find((f: { path: string }) => f.path === 'contact').message).toBe('Enter a valid phone number or e-mail address');

    const outside = await app.inject({
      method: 'POST',
      url: `/api/public/programmes/${w.slug}/pledges`,
      remoteAddress: '203.0.113.8',
      payload: { name: 'Công ty B', contact: 'b@example.vn', amount: 500_000, earmarkCommuneCode: '01' },
    });
    expect(outside.statusCode).toBe(400);
    expect(outside.json().error.fields).toEqual([{ path: 'earmarkCommuneCode', message: 'Xã 01 không thuộc địa bàn của chương trình' }]);

    // five pledges an hour from one address: the sixth is refused
    const throttle = pledgeThrottle();
    const edge = (i: number) => ({ ip: '198.51.100.1', now: new Date(Date.UTC(2025, 11, 1, 8, i)), today: '2025-12-01' });
    for (let i = 0; i < 5; i += 1) await publicPage.publicPledge(t.db, throttle, w.slug, { name: `Người ${i}`, contact: 'x@example.vn', amount: 100_000 }, edge(i));
    await expect(publicPage.publicPledge(t.db, throttle, w.slug, { name: 'Người 6', contact: 'x@example.vn', amount: 100_000 }, edge(6))).rejects.toMatchObject({ code: 'too_many_attempts' });
    // another address is not held back; the first address again after the hour
    await publicPage.publicPledge(t.db, throttle, w.slug, { name: 'Người 7', contact: 'y@example.vn', amount: 100_000 }, { ...edge(7), ip: '198.51.100.2' });
    await publicPage.publicPledge(t.db, throttle, w.slug, { name: 'Người 8', contact: 'x@example.vn', amount: 100_000 }, { ...edge(0), now: new Date(Date.UTC(2025, 11, 1, 9, 1)) });
    const count = await t.db.selectFrom('pledge').select((eb) => eb.fn.countAll<number>().as('n')).where('programmeId', '=', w.programmeId).where('source', '=', 'public').executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(8);
  });
});
