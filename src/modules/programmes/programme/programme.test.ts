/**
 * Programmes on both engines: create and edit with named field errors, scope (owner unit, and read-only
 * for a commune the area covers), the status flow with its history and audit, and the
 * HTTP API from creation through money to a hand-made award priced by the rules engine.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../errors';
import { errorBody } from '../../../http/plugins/errors';
import { buildApp } from '../../../http/app';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../../test/db';
import { failure } from '../../../test/helpers';
import { readAudit } from '../../audit/audit.service';
import { createHousehold, createPerson } from '../../register/register.service';
import { awardCards } from './ledger.service';
import * as donors from '../money/donors.service';
import { changeProgrammeStatus, stepProgrammeStatus, createProgramme, getProgramme, listProgrammes, makeSlug, updateProgramme } from './programme.service';
import { programmeForActor } from './programme.access';

let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
let communes: string[];
let foreign: string;
beforeAll(async () => {
  t = await testDatabase();
  app = await buildApp({ database: t, webDist: false });
  await app.ready();
  communes = (await t.db.selectFrom('unit').select('code').where('parentCode', '=', '15').orderBy('code').limit(3).execute()).map((r) => r.code);
  foreign = (await t.db.selectFrom('unit').select('code').where('parentCode', '=', '01').orderBy('code').executeTakeFirstOrThrow()).code;
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const fieldsOf = (e: AppError, lang: 'vi' | 'en' = 'vi') => errorBody(lang, e.code, e.params, e.fields).error.fields ?? [];

const BASE = { ownerUnitCode: '15', cardMonths: 12, purchaseDate: '2025-11-01', deadline: '2025-11-30' } as const;

describe(`programmes (${engineName})`, () => {
  it('creates a programme in draft with a slug, its first history row and an audit row; names the bad fields', async () => {
    const p = await createProgramme(t.db, system, { ...BASE, name: 'Tặng thẻ BHYT Tết Bính Ngọ 2026', areaKind: 'communes', areaCodes: [communes[0], communes[1]], handoverSeason: 'Tết 2026' });
    expect(p).toMatchObject({ status: 'draft', areaCodes: [communes[0], communes[1]], selectionMode: 'concentrate', priorityMode: 'weights', priorities: {}, createdBy: 'cli:test' });
    expect(p.publicSlug).toMatch(/^tang-the-bhyt-tet-binh-ngo-2026-[a-z2-9]{6}$/);
    expect(makeSlug('Tặng thẻ')).not.toBe(makeSlug('Tặng thẻ'));
    const detail = await getProgramme(t.db, system, p.id, '2025-11-10');
    expect(detail.history).toMatchObject([{ fromStatus: null, toStatus: 'draft', actorName: 'cli:test' }]);
    expect(detail).toMatchObject({ next: 'raising', previous: null, overdue: false, canWrite: true, ownerUnitName: 'Lào Cai' });
    expect(detail.areaUnits.map((u) => u.code)).toEqual([communes[0], communes[1]]);
    expect((await readAudit(t.db, system, { entity: 'programme', entityId: p.id })).map((a) => a.action)).toEqual(['create']);

    const bad = await failure(createProgramme(t.db, system, { ...BASE, name: 'X', areaKind: 'communes', areaCodes: [foreign], deadline: '2025-10-01' }));
    expect(fieldsOf(bad)).toEqual([{ path: 'deadline', message: 'Hạn chót không được trước ngày mua thẻ' }]);
    const outside = await failure(createProgramme(t.db, system, { ...BASE, name: 'X', areaKind: 'communes', areaCodes: [communes[0], foreign] }));
    expect(fieldsOf(outside, 'en')).toEqual([{ path: 'areaCodes.1', message: `${foreign} is not inside the running unit` }]);
    const level = await failure(createProgramme(t.db, system, { ...BASE, name: 'X', areaKind: 'communes', areaCodes: ['15'] }));
    expect(fieldsOf(level)).toEqual([{ path: 'areaCodes.0', message: '15 không phải là xã, phường, đặc khu' }]);
    const quota = await failure(createProgramme(t.db, system, { ...BASE, name: 'X', areaKind: 'communes', areaCodes: [communes[0]], selectionMode: 'spread', communeQuotas: { [communes[0]]: 10_000_000, [communes[1]]: 5_000_000 } }));
    expect(fieldsOf(quota)).toEqual([{ path: `communeQuotas.${communes[1]}`, message: `${communes[1]} không phải là xã trong địa bàn chương trình` }]);
    const spread = await createProgramme(t.db, system, { ...BASE, name: 'Spread', areaKind: 'province', selectionMode: 'spread', communeQuotas: { [communes[0]]: 10_000_000 } });
    expect(spread.communeQuotas).toEqual({ [communes[0]]: 10_000_000 });
    const staff01 = await makeUser(t, 'province_staff', '01');
    expect((await failure(createProgramme(t.db, staff01.actor, { ...BASE, name: 'X', areaKind: 'province' }))).code).toBe('out_of_scope');
  });

  it('scopes programmes: owner in scope writes, a commune officer of a covered commune reads, others do not see it', async () => {
    const p = await createProgramme(t.db, system, { ...BASE, name: 'Scope', areaKind: 'communes', areaCodes: [communes[0]] });
    const staff = await makeUser(t, 'province_staff', '15');
    const officer = await makeUser(t, 'commune_officer', communes[0]);
    const otherOfficer = await makeUser(t, 'commune_officer', communes[1]);
    const viewer = await makeUser(t, 'viewer', '15');
    const stranger = await makeUser(t, 'province_staff', '01');
    expect((await programmeForActor(t.db, staff.actor, p.id, 'write')).id).toBe(p.id);
    expect((await programmeForActor(t.db, officer.actor, p.id, 'read')).id).toBe(p.id);
    expect((await failure(programmeForActor(t.db, officer.actor, p.id, 'write'))).code).toBe('forbidden');
    expect((await failure(programmeForActor(t.db, otherOfficer.actor, p.id, 'read'))).code).toBe('not_found');
    expect((await programmeForActor(t.db, viewer.actor, p.id, 'read')).id).toBe(p.id);
    expect((await failure(programmeForActor(t.db, viewer.actor, p.id, 'write'))).code).toBe('forbidden');
    expect((await failure(programmeForActor(t.db, stranger.actor, p.id, 'read'))).code).toBe('not_found');
    expect((await failure(programmeForActor(t.db, staff.actor, 'not-a-uuid', 'read'))).code).toBe('not_found');

    const ids = async (actor: typeof staff.actor) => (await listProgrammes(t.db, actor, {}, '2025-11-10')).map((x) => x.id);
    expect(await ids(staff.actor)).toContain(p.id);
    expect(await ids(officer.actor)).toContain(p.id);
    expect(await ids(otherOfficer.actor)).not.toContain(p.id);
    expect(await ids(stranger.actor)).not.toContain(p.id);
    const seen = (await listProgrammes(t.db, officer.actor, {}, '2025-11-10')).find((x) => x.id === p.id)!;
    expect(seen.canWrite).toBe(false);
    // a commune's own programme is the commune officer's to change
    const own = await createProgramme(t.db, officer.actor, { ...BASE, ownerUnitCode: communes[0], name: 'Xã tự vận động', areaKind: 'communes', areaCodes: [communes[0]] });
    expect((await programmeForActor(t.db, officer.actor, own.id, 'write')).id).toBe(own.id);
    expect(await ids(staff.actor)).toContain(own.id);
  });

  it('walks the status flow one step at a time, goes back one step with a note, records and audits each step', async () => {
    const staff = await makeUser(t, 'province_staff', '15');
    const p = await createProgramme(t.db, staff.actor, { ...BASE, name: 'Flow', areaKind: 'province' });
    expect(p.areaCodes).toEqual(['15']);
    const skip = await failure(changeProgrammeStatus(t.db, staff.actor, p.id, 'selecting'));
    expect(skip.code).toBe('invalid_transition');
    // the statuses by their names, not their codes (issue 18)
    expect(errorBody('vi', skip.code, skip.params).error.message).toBe('Không thể chuyển từ «Nháp» sang «Đang chọn người nhận»');
    expect(errorBody('en', skip.code, skip.params).error.message).toBe("Cannot move from 'Draft' to 'Selecting beneficiaries'");
    await changeProgrammeStatus(t.db, staff.actor, p.id, 'raising', 'Bắt đầu vận động');
    await changeProgrammeStatus(t.db, staff.actor, p.id, 'selecting');
    const noNote = await failure(changeProgrammeStatus(t.db, staff.actor, p.id, 'raising'));
    expect(fieldsOf(noNote)).toEqual([{ path: 'note', message: 'Cần ghi lý do khi quay lại bước trước' }]);

    // a live award keeps 'selecting' from going back to 'raising'
    const donor = await donors.createDonor(t.db, staff.actor, { ownerUnitCode: '15', kind: 'officials', name: 'Cán bộ BHXH tỉnh' });
    await donors.createReceipt(t.db, staff.actor, p.id, { donorId: donor.id, amount: 5_000_000, receivedOn: '2025-10-01', method: 'cash', confirm: { count: 1, amount: 5_000_000 } });
    const [a] = await t.db.transaction().execute((trx) =>
      awardCards(trx, staff.actor, p.id, [{ roundId: null, householdId: crypto.randomUUID(), personId: crypto.randomUUID(), communeCode: communes[0], groupCode: 'GD', tags: [], amount: 1_000_000 }]),
    );
    const blocked = await failure(changeProgrammeStatus(t.db, staff.actor, p.id, 'raising', 'Cần thêm tiền'));
    expect(errorBody('en', blocked.code, blocked.params).error.message).toBe('Cannot go back: the programme has selected cards; cancel them first');

    // inside a caller's transaction: approve the list and go back to selecting (the award is not yet submitted)
    await t.db.transaction().execute((trx) => changeProgrammeStatus(t.db, staff.actor, p.id, 'list_approved', 'Duyệt', trx));
    await changeProgrammeStatus(t.db, staff.actor, p.id, 'selecting', 'Sửa danh sách');
    // reopening the list withdraws it: its cards are cancelled and the money is free again
    expect((await t.db.selectFrom('award').select('status').where('id', '=', a.id).executeTakeFirstOrThrow()).status).toBe('cancelled');
    expect((await getProgramme(t.db, staff.actor, p.id, '2025-11-10')).balance).toMatchObject({ awarded: 0, available: 5_000_000 });
    await changeProgrammeStatus(t.db, staff.actor, p.id, 'list_approved');
    await changeProgrammeStatus(t.db, staff.actor, p.id, 'submitted');
    expect((await failure(changeProgrammeStatus(t.db, staff.actor, p.id, 'list_approved', 'x'))).code).toBe('invalid_transition');
    // a failure inside the caller's transaction rolls the caller's work back too
    await failure(
      t.db.transaction().execute(async (trx) => {
        await changeProgrammeStatus(t.db, staff.actor, p.id, 'cards_issued', null, trx);
        await changeProgrammeStatus(t.db, staff.actor, p.id, 'closed', null, trx);
      }),
    );
    const detail = await getProgramme(t.db, staff.actor, p.id, '2025-12-01');
    expect(detail.status).toBe('submitted');
    expect(detail.overdue).toBe(true);
    expect(detail.previous).toBeNull();
    expect(detail.history.map((h) => [h.fromStatus, h.toStatus, h.note])).toEqual([
      [null, 'draft', null],
      ['draft', 'raising', 'Bắt đầu vận động'],
      ['raising', 'selecting', null],
      ['selecting', 'list_approved', 'Duyệt'],
      ['list_approved', 'selecting', 'Sửa danh sách'],
      ['selecting', 'list_approved', null],
      ['list_approved', 'submitted', null],
    ]);
    expect(detail.history.every((h) => h.actorName === staff.username)).toBe(true);
    const statusAudits = (await readAudit(t.db, system, { entity: 'programme', entityId: p.id })).filter((x) => x.action === 'status');
    expect(statusAudits).toHaveLength(6);
    expect(a.status).toBe('awarded');

    // the card data are frozen once the list is approved
    const frozen = await failure(updateProgramme(t.db, staff.actor, p.id, { cardMonths: 6, name: 'Flow 2' }));
    expect(fieldsOf(frozen)).toEqual([{ path: 'cardMonths', message: 'Không sửa được sau khi đã duyệt danh sách' }]);
    expect((await updateProgramme(t.db, staff.actor, p.id, { name: 'Flow 2', deadline: '2025-12-15' })).name).toBe('Flow 2');
  });

  it('approves a list by hand only when cards were awarded by hand; submission is always its own action', async () => {
    const staff = await makeUser(t, 'province_staff', '15');
    const p = await createProgramme(t.db, staff.actor, { ...BASE, name: 'By hand', areaKind: 'province' });
    await stepProgrammeStatus(t.db, staff.actor, p.id, 'raising', null, true);
    await stepProgrammeStatus(t.db, staff.actor, p.id, 'selecting', null, true);
    expect((await failure(stepProgrammeStatus(t.db, staff.actor, p.id, 'list_approved', null, true))).params).toMatchObject({ reason: 'use_approve' });
    const donor = await donors.createDonor(t.db, staff.actor, { ownerUnitCode: '15', kind: 'individual', name: 'Bà Hoa' });
    await donors.createReceipt(t.db, staff.actor, p.id, { donorId: donor.id, amount: 2_000_000, receivedOn: '2025-10-01', method: 'cash', confirm: { count: 1, amount: 2_000_000 } });
    await t.db.transaction().execute((trx) =>
      awardCards(trx, staff.actor, p.id, [{ roundId: null, householdId: crypto.randomUUID(), personId: crypto.randomUUID(), communeCode: communes[0], groupCode: 'GD', tags: [], amount: 1_000_000 }]),
    );
    await stepProgrammeStatus(t.db, staff.actor, p.id, 'list_approved', null, true);
    expect((await failure(stepProgrammeStatus(t.db, staff.actor, p.id, 'submitted', null, true))).params).toMatchObject({ reason: 'use_submit' });
    expect((await getProgramme(t.db, staff.actor, p.id, '2025-11-10')).status).toBe('list_approved');
  });
});

describe(`programmes over HTTP (${engineName})`, () => {
  async function login(role: 'province_staff' | 'commune_officer' | 'viewer', scope: string) {
    const u = await makeUser(t, role, scope);
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    return { cookie: `cd_session=${res.cookies[0].value}`, 'x-csrf-token': res.json().csrfToken };
  }

  it('creates a programme, moves it, records money and awards one person priced by the rules engine', async () => {
    const headers = await login('province_staff', '15');
    const created = await app.inject({
      method: 'POST',
      url: '/api/programmes',
      headers,
      payload: { ...BASE, name: 'Tặng thẻ cho học sinh', areaKind: 'communes', areaCodes: [communes[0]], priorities: { pupil: 2, ethnic_minority: 3 } },
    });
    expect(created.statusCode).toBe(201);
    const p = created.json();
    expect(p).toMatchObject({ status: 'draft', priorityMode: 'weights', priorities: { pupil: 2, ethnic_minority: 3 }, balance: { received: 0, available: 0 } });
    const bad = await app.inject({ method: 'POST', url: '/api/programmes', headers, payload: { ...BASE, name: '', areaKind: 'nowhere', cardMonths: 13 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['areaKind', 'cardMonths', 'name']);

    const moved = await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/status`, headers, payload: { to: 'raising', confirm: true } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json()).toMatchObject({ status: 'raising', next: 'selecting', previous: 'draft', nextAction: null });
    const selecting = await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/status`, headers, payload: { to: 'selecting', confirm: true } });
    expect(selecting.json()).toMatchObject({ status: 'selecting', next: null, nextAction: 'approve' });
    // approving a list is an action (it awards the money), never a bare status change
    const bare = await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/status`, headers, payload: { to: 'list_approved', confirm: true } });
    expect(bare.statusCode).toBe(409);
    expect(bare.json().error.message).toBe('Danh sách được duyệt bằng cách duyệt một vòng xét chọn (thẻ «Xét chọn»)');
    await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/status`, headers, payload: { to: 'raising', note: 'Tiếp tục vận động', confirm: true } });

    const donor = (await app.inject({ method: 'POST', url: '/api/donors', headers, payload: { ownerUnitCode: '15', kind: 'organisation', name: 'Hội Chữ thập đỏ', publicConsent: true } })).json();
    const pledge = await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/pledges`, headers, payload: { donorId: donor.id, amount: 3_000_000, pledgedOn: '2025-10-01' } });
    expect(pledge.statusCode).toBe(201);
    const receipt = await app.inject({
      method: 'POST',
      url: `/api/programmes/${p.id}/receipts`,
      headers,
      payload: { donorId: donor.id, pledgeId: pledge.json().id, amount: 2_000_000, receivedOn: '2025-10-02', method: 'bank_transfer', reference: 'UNC 7', confirm: { count: 1, amount: 2_000_000 } },
    });
    expect(receipt.statusCode).toBe(201);

    // a household of the area with one member in the household group: 4.5% x 2,340,000 x 12 = 1,263,600
    const household = await createHousehold(t.db, system, { communeCode: communes[0], code: `P-${Date.now()}` });
    const person = await createPerson(t.db, system, { householdId: household.id, fullName: 'Giàng Thị Mỷ', birthDate: '2010-05-05', sex: 'female', groupCodes: ['GD'] }, '2025-10-01');
    // without a confirmation the server answers the priced amount and awards nothing
    const unconfirmed = await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/awards`, headers, payload: { personId: person.id, tags: ['pupil'] } });
    expect(unconfirmed.statusCode).toBe(409);
    expect(unconfirmed.json().error).toMatchObject({ code: 'confirmation_required', message: 'Cần xác nhận: tặng 1 thẻ, tổng 1.263.600 ₫', details: { action: 'award', count: 1, amount: 1_263_600 } });
    expect(unconfirmed.json().error.fields).toEqual([{ path: 'confirm', message: 'Chưa xác nhận: hiện là 1 mục, 1.263.600 ₫' }]);
    const awarded = await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/awards`, headers, payload: { personId: person.id, tags: ['pupil'], confirm: { count: 1, amount: 1_263_600 } } });
    expect(awarded.statusCode).toBe(201);
    expect(awarded.json()).toMatchObject({ personId: person.id, communeCode: communes[0], groupCode: 'GD', amount: 1_263_600, status: 'awarded', tags: ['pupil'] });
    const again = await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/awards`, headers: { ...headers, 'accept-language': 'vi' }, payload: { personId: person.id, amount: 800_000, confirm: { count: 1, amount: 800_000 } } });
    expect(again.statusCode).toBe(409);
    const poor = await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/awards`, headers, payload: { personId: crypto.randomUUID() } });
    expect(poor.statusCode).toBe(400);
    expect(poor.json().error.fields[0].path).toBe('personId');

    const second = await createPerson(t.db, system, { householdId: household.id, fullName: 'Giàng A Pao', birthDate: '2012-01-01', sex: 'male', groupCodes: ['GD'] }, '2025-10-01');
    const short = await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/awards`, headers: { ...headers, cookie: `${headers.cookie}; cd_lang=en` }, payload: { personId: second.id, amount: 1_000_000, confirm: { count: 1, amount: 1_000_000 } } });
    expect(short.statusCode).toBe(409);
    expect(short.json().error).toMatchObject({ code: 'insufficient_funds', message: 'Not enough money: the fund has 736.400 ₫, 1.000.000 ₫ is needed' });

    const detail = (await app.inject({ url: `/api/programmes/${p.id}`, headers })).json();
    expect(detail.balance).toEqual({ pledged: 3_000_000, received: 2_000_000, refunded: 0, awarded: 1_263_600, paid: 0, available: 736_400 });
    const ledger = (await app.inject({ url: `/api/programmes/${p.id}/ledger`, headers })).json();
    expect(ledger.entries).toHaveLength(4);
    expect(ledger.entries.reduce((s: number, e: { amount: number }) => s + e.amount, 0)).toBe(0);
    const pledges = (await app.inject({ url: `/api/programmes/${p.id}/pledges`, headers })).json().items;
    expect(pledges[0]).toMatchObject({ amount: 3_000_000, received: 2_000_000 });
    const receipts = (await app.inject({ url: `/api/programmes/${p.id}/receipts`, headers })).json().items;
    expect(receipts[0]).toMatchObject({ funded: 1_263_600, remaining: 736_400 });
    const refund = await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/refunds`, headers, payload: { receiptId: receipts[0].id, amount: 800_000, refundedOn: '2025-10-05', confirm: { count: 1, amount: 800_000 } } });
    expect(refund.statusCode).toBe(400);
    expect(refund.json().error.fields).toEqual([{ path: 'amount', message: 'Vượt số tiền còn lại của khoản thu (736.400 ₫)' }]);
    const awards = (await app.inject({ url: `/api/programmes/${p.id}/awards`, headers })).json().items;
    expect(awards).toMatchObject([{ fullName: 'Giàng Thị Mỷ', amount: 1_263_600 }]);
    const cancelled = await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/awards/${awards[0].id}/cancel`, headers, payload: { reason: 'Đã có thẻ', confirm: { count: 1, amount: 1_263_600 } } });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled' });
    expect((await app.inject({ url: `/api/programmes/${p.id}`, headers })).json().balance.available).toBe(2_000_000);

    const list = (await app.inject({ url: '/api/programmes?status=raising', headers })).json().items;
    expect(list.map((x: { id: string }) => x.id)).toContain(p.id);

    // a commune officer of the area reads but cannot change; a viewer cannot write; anonymous gets 401
    const officer = await login('commune_officer', communes[0]);
    expect((await app.inject({ url: `/api/programmes/${p.id}`, headers: officer })).json()).toMatchObject({ canWrite: false });
    expect((await app.inject({ method: 'POST', url: `/api/programmes/${p.id}/status`, headers: officer, payload: { to: 'selecting', confirm: true } })).statusCode).toBe(403);
    const viewer = await login('viewer', '15');
    expect((await app.inject({ method: 'POST', url: `/api/donors`, headers: viewer, payload: { ownerUnitCode: '15', kind: 'individual', name: 'X' } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/programmes' })).statusCode).toBe(401);
    expect((await app.inject({ url: `/api/programmes/${crypto.randomUUID()}`, headers })).statusCode).toBe(404);
  });
});
