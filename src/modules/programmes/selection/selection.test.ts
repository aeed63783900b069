/**
 * Candidates, nominations, selection rounds and approval (issue 6 items 3-5), on PGlite and, with
 * TEST_DATABASE_URL, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../../errors';
import { errorBody } from '../../../http/plugins/errors';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../../test/db';
import { failure, runCli } from '../../../test/helpers';
import * as register from '../../register/register.service';
import { createProgramme, changeProgrammeStatus, updateProgramme } from '../programme/programme.service';
import { postTxn, programmeBalance } from '../programme/ledger.service';
import { formatDateVi } from '../../../domain/dates';
import * as candidates from './candidates.service';
import * as selection from './selection.service';
import * as d03 from './d03.service';
import * as issue from './issue.service';
import { confirmWithFigures } from '../programme/confirm';
import * as statements from '../handover/statement.service';
import { pdfText } from '../../../io/pdf-text';
import ExcelJS from 'exceljs';
import { buildApp } from '../../../http/app';
import { roundSchema } from './selection.schemas';
import { registerSelectionCommands } from './selection.cli';
import * as offices from '../../offices/offices.service';
import * as facilities from '../../offices/facilities.service';
import * as collectors from '../../offices/collectors.service';
import { createVillage } from '../../units/units.service';

let t: TestDatabase;
let province = '';
let communes: string[] = [];
let worlds = 0;
const TODAY = '2025-10-20';
const PURCHASE = '2025-11-01';

beforeAll(async () => {
  t = await testDatabase();
  const rows = await t.db.selectFrom('unit').select('code').where('level', '=', 'commune').where('parentCode', '=', '15').orderBy('code').limit(40).execute();
  province = '15';
  communes = rows.map((r) => r.code);
});
afterAll(async () => {
  await t?.cleanup();
});


let seq = 0;
async function household(commune: string, povertyStatus: 'none' | 'poor' | 'near_poor' = 'none') {
  return register.createHousehold(t.db, system, { communeCode: commune, code: `H${++seq}-${randomUUID().slice(0, 4)}`, povertyStatus });
}
async function person(householdId: string, fullName: string, birthDate: string, extra: Record<string, unknown> = {}) {
  return register.createPerson(t.db, system, { householdId, fullName, birthDate, sex: 'female', ...extra }, TODAY);
}

/** Money in: a donor and a receipt, posted to the ledger. */
async function receive(programmeId: string, amount: number) {
  await t.db.transaction().execute(async (trx) => {
    const donorId = randomUUID();
    await trx.insertInto('donor').values({ id: donorId, ownerUnitCode: province, kind: 'business', name: 'Công ty A' }).execute();
    const receiptId = randomUUID();
    await trx.insertInto('receipt').values({ id: receiptId, programmeId, donorId, amount, receivedOn: '2025-10-15', method: 'bank_transfer', createdBy: 'test' }).execute();
    await postTxn(trx, system, programmeId, 'receipt', [
      { account: 'cash', amount, receiptId },
      { account: 'fund', amount: -amount, receiptId },
    ]);
  });
}

interface World {
  programmeId: string;
  ids: Record<string, string>;
  c1: string;
  c2: string;
}

/** Two communes of Lào Cai: a mix of persons who are, or are not, candidates for a 12-month programme. */
async function world(priorities: Record<string, number> | string[] = { ethnic_minority: 3, pupil: 2, elderly_60_79: 2, near_poor: 1, storm_victim: 5 }, priorityMode: 'weights' | 'tiers' = 'weights'): Promise<World> {
  // each world in two communes of its own
  const c1 = communes[2 * worlds];
  const c2 = communes[2 * worlds + 1];
  worlds++;
  const h1 = await household(c1);
  const a = await person(h1.id, 'Nguyễn Văn An', '1985-03-02', { ethnicity: 'Kinh' });
  const b = await person(h1.id, 'Lò Thị Bình', '1990-05-06', { ethnicity: 'Tày' });
  const c = await person(h1.id, 'Nguyễn Thị Cúc', '2012-09-01', { groupCodes: ['HS'], school: 'THCS Bảo Thắng', grade: 8 });
  const d = await person(h1.id, 'Nguyễn Văn Dũng', '2022-01-01');
  const h2 = await household(c1, 'near_poor');
  const e = await person(h2.id, 'Trần Thị Én', '1980-01-01');
  const h3 = await household(c2);
  const f = await person(h3.id, 'Hoàng Văn Phúc', '1950-02-02');
  const g = await person(h3.id, 'Hoàng Thị Giang', '1955-02-02');
  await register.createCard(t.db, system, { personId: g.id, groupCode: 'GD', validFrom: '2024-06-01', validTo: '2026-12-31' });
  const h4 = await household(c2, 'poor');
  const h = await person(h4.id, 'Vàng Thị Hoa', '1970-01-01', { ethnicity: "H'Mông" });
  const programme = await createProgramme(t.db, system, {
    name: `Tặng thẻ BHYT ${++seq}`,
    ownerUnitCode: province,
    areaKind: 'communes',
    areaCodes: [c1, c2],
    cardMonths: 12,
    purchaseDate: PURCHASE,
    deadline: '2025-12-31',
    priorityMode,
    priorities,
  });
  return { programmeId: programme.id, ids: { a: a.id, b: b.id, c: c.id, d: d.id, e: e.id, f: f.id, g: g.id, h: h.id }, c1, c2 };
}

async function toSelecting(programmeId: string) {
  await changeProgrammeStatus(t.db, system, programmeId, 'raising');
  await changeProgrammeStatus(t.db, system, programmeId, 'selecting');
}

const FULL = 1_263_600; // 4.5% x 2,340,000 x 12

describe(`candidates (${engineName})`, () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
  });

  it('derives tags and set-aside reasons from the register', async () => {
    const list = await candidates.listCandidates(t.db, system, w.programmeId, { limit: 1000 });
    const by = new Map(list.items.map((c) => [c.personId, c]));
    expect(by.get(w.ids.a)).toMatchObject({ tags: [], status: 'no_priority' });
    expect(by.get(w.ids.b)).toMatchObject({ tags: ['ethnic_minority'], status: 'eligible', value: 3, pricingGroup: 'GD' });
    expect(by.get(w.ids.c)).toMatchObject({ tags: ['pupil'], status: 'eligible', value: 2, pricingGroup: 'HS', cost: FULL / 2 });
    expect(by.get(w.ids.d)).toMatchObject({ tags: ['child_under_6'], status: 'state_budget' });
    expect(by.get(w.ids.e)).toMatchObject({ tags: ['near_poor'], status: 'eligible', pricingGroup: 'CN', cost: 379_080 });
    expect(by.get(w.ids.f)).toMatchObject({ tags: ['elderly_60_79'], status: 'eligible', cost: FULL });
    expect(by.get(w.ids.h)).toMatchObject({ tags: ['ethnic_minority', 'poor'], status: 'state_budget', pricingGroup: 'HN' });
    // covered for the whole period: not a candidate, counted
    expect(by.has(w.ids.g)).toBe(false);
    expect(list.summary.coveredInArea).toBeGreaterThanOrEqual(1);
    expect(list.summary.byStatus.state_budget).toBeGreaterThanOrEqual(2);
    const stateOnly = await candidates.listCandidates(t.db, system, w.programmeId, { status: 'state_budget' });
    expect(stateOnly.items.every((c) => c.status === 'state_budget')).toBe(true);
  });

  it('nominations add tags; a covered nominee is set aside as already covered', async () => {
    await candidates.nominate(t.db, system, w.programmeId, { personIds: [w.ids.a, w.ids.g], tags: ['Nạn nhân bão'], note: 'bão Yagi' });
    const list = await candidates.listCandidates(t.db, system, w.programmeId, { limit: 1000 });
    const by = new Map(list.items.map((c) => [c.personId, c]));
    expect(by.get(w.ids.a)).toMatchObject({ tags: ['storm_victim'], nominated: true, status: 'eligible', value: 5 });
    expect(by.get(w.ids.g)).toMatchObject({ status: 'already_covered', nominated: true });
    const e = await failure(candidates.nominate(t.db, system, w.programmeId, { personIds: [w.ids.a], tags: ['martian'] }));
    expect(e.code).toBe('validation');
    expect(errorBody('en', e.code, e.params, e.fields).error.fields?.[0]).toMatchObject({ path: 'tags.0' });
    expect(errorBody('en', e.code, e.params, e.fields).error.fields?.[0].message).toContain('martian');
  });

  it('a nominee living outside the area is a candidate once, with their household; one inside is not listed twice', async () => {
    const outside = communes[39];
    const hh = await household(outside, 'near_poor');
    const k = await person(hh.id, 'Lý Văn Khải', '1978-04-04');
    await candidates.nominate(t.db, system, w.programmeId, { personIds: [k.id, w.ids.b], tags: ['flood_victim'] });
    const list = await candidates.listCandidates(t.db, system, w.programmeId, { limit: 1000 });
    expect(list.items.filter((c) => c.personId === k.id)).toEqual([
      expect.objectContaining({ communeCode: outside, householdCode: hh.code, povertyStatus: 'near_poor', pricingGroup: 'CN', nominated: true, tags: ['near_poor', 'flood_victim'] }),
    ]);
    expect(list.items.filter((c) => c.personId === w.ids.b)).toHaveLength(1);
    await candidates.removeNomination(t.db, system, w.programmeId, k.id);
    await candidates.removeNomination(t.db, system, w.programmeId, w.ids.b);
    const after = await candidates.listCandidates(t.db, system, w.programmeId, { limit: 1000 });
    expect(after.items.some((c) => c.personId === k.id)).toBe(false);
  });

  it('a commune officer nominates only persons of their commune', async () => {
    const { actor } = await makeUser(t, 'commune_officer', w.c1);
    await candidates.nominate(t.db, actor, w.programmeId, { personIds: [w.ids.b], tags: ['flood_victim'] });
    const e = await failure(candidates.nominate(t.db, actor, w.programmeId, { personIds: [w.ids.f], tags: ['flood_victim'] }));
    expect(e.code).toBe('validation');
    expect(e.fields[0].path).toBe('personIds.0');
    const mine = await candidates.listCandidates(t.db, actor, w.programmeId, { limit: 1000 });
    expect(new Set(mine.items.map((c) => c.communeCode))).toEqual(new Set([w.c1]));
    expect(mine.summary.communes.map((m) => m.code)).toEqual([w.c1]);
    const nominations = await candidates.listNominations(t.db, actor, w.programmeId);
    expect(nominations.map((n) => n.communeCode)).toEqual([w.c1, w.c1]);
  });
});

describe('tiers as weights', () => {
  it('one tag of a tier outweighs every lower-tier tag of all candidates together', () => {
    const tags = [['storm_victim'], ['pupil'], ['pupil'], ['pupil', 'elderly_60_79'], ['elderly_60_79'], []];
    const w = candidates.tierWeights(['storm_victim', 'pupil', 'elderly_60_79'], tags);
    expect(w).toEqual({ elderly_60_79: 1, pupil: 3, storm_victim: 12 });
    // everything below storm_victim together: 3 pupils x 3 + 2 elderly x 1 = 11 < 12
    expect(w.storm_victim).toBeGreaterThan(3 * w.pupil + 2 * w.elderly_60_79);
  });
});

describe(`selection rounds (${engineName})`, () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
    await toSelecting(w.programmeId);
  });

  it('runs a round on the available money and freezes it; approval creates the awards and moves the programme', async () => {
    await receive(w.programmeId, 2_000_000);
    const round = await selection.runRound(t, system, w.programmeId);
    expect(round).toMatchObject({ number: 1, status: 'proposed', budget: 2_000_000, pricedOn: PURCHASE, months: 12 });
    // best for 2,000,000: B (3, 1,263,600) + C (2, 631,800) = 5 for 1,895,400; E (1) would not fit
    const detail = await selection.getRound(t.db, system, w.programmeId, round.id);
    const by = new Map(detail.items.map((c) => [c.personId, c]));
    expect(by.get(w.ids.b)).toMatchObject({ selected: true, reason: 'within_budget', cost: FULL, pricingGroup: 'GD' });
    expect(by.get(w.ids.c)).toMatchObject({ selected: true, cost: FULL / 2, pricingGroup: 'HS' });
    expect(by.get(w.ids.e)).toMatchObject({ selected: false, reason: 'over_budget' });
    expect(by.get(w.ids.d)).toMatchObject({ selected: false, reason: 'state_budget' });
    expect(round.spent).toBe(FULL + FULL / 2);
    expect(round.objective).toBe(5);
    expect(detail.totals).toMatchObject({ selected: 2, spent: FULL + FULL / 2 });

    // the register changes after the round: the round does not
    await register.updatePerson(t.db, system, w.ids.b, { fullName: 'Lò Thị Bình Minh' }, TODAY);
    const round2 = await selection.runRound(t, system, w.programmeId);
    expect(round2.number).toBe(2);

    const approval = await selection.approveRound(t.db, system, w.programmeId, round.id, null, { count: round.selectedCount, amount: round.spent });
    expect(approval).toMatchObject({ awards: 2, amount: FULL + FULL / 2, discarded: 1 });
    const programme = await t.db.selectFrom('programme').select('status').where('id', '=', w.programmeId).executeTakeFirstOrThrow();
    expect(programme.status).toBe('list_approved');
    const awards = await t.db.selectFrom('award').selectAll().where('programmeId', '=', w.programmeId).orderBy('amount').execute();
    expect(awards.map((a) => [a.personId, a.groupCode, Number(a.amount), a.roundId])).toEqual([
      [w.ids.c, 'HS', FULL / 2, round.id],
      [w.ids.b, 'GD', FULL, round.id],
    ]);
    expect((await programmeBalance(t.db, w.programmeId)).available).toBe(2_000_000 - FULL - FULL / 2);
    const after = await selection.getRound(t.db, system, w.programmeId, round.id);
    expect(after.round.status).toBe('approved');
    expect(after.items.find((c) => c.personId === w.ids.b)?.fullName).toBe('Lò Thị Bình');
    const rounds = await selection.listRounds(t.db, system, w.programmeId);
    expect(rounds.map((r) => [r.number, r.status])).toEqual([
      [2, 'discarded'],
      [1, 'approved'],
    ]);
    // approving again is refused, in both languages
    const e = await failure(selection.approveRound(t.db, system, w.programmeId, round.id, null, { count: round.selectedCount, amount: round.spent }));
    expect(e.code).toBe('invalid_transition');
    expect(errorBody('vi', e.code, e.params, e.fields).error.message).not.toContain('errors.');
  });
});

describe(`approval without the money (${engineName})`, () => {
  it('refuses with insufficient_funds and writes nothing', async () => {
    const w = await world();
    await toSelecting(w.programmeId);
    await receive(w.programmeId, 500_000);
    const round = await selection.runRound(t, system, w.programmeId, { budget: 5_000_000 });
    expect(round.selectedCount).toBeGreaterThan(1);
    const e = await failure(selection.approveRound(t.db, system, w.programmeId, round.id, null, { count: round.selectedCount, amount: round.spent }));
    expect(e.code).toBe('insufficient_funds');
    const awards = await t.db.selectFrom('award').select(sql<number>`count(*)::int`.as('n')).where('programmeId', '=', w.programmeId).executeTakeFirstOrThrow();
    expect(Number(awards.n)).toBe(0);
    const [r] = await selection.listRounds(t.db, system, w.programmeId);
    expect(r.status).toBe('proposed');
    const p = await t.db.selectFrom('programme').select('status').where('id', '=', w.programmeId).executeTakeFirstOrThrow();
    expect(p.status).toBe('selecting');
  });

  it('two rounds approved at once: exactly one list is approved, the money is awarded once', async () => {
    const w = await world();
    await toSelecting(w.programmeId);
    await receive(w.programmeId, 2_000_000);
    const r1 = await selection.runRound(t, system, w.programmeId);
    const r2 = await selection.runRound(t, system, w.programmeId, { budget: 1_000_000 });
    const results = await Promise.allSettled([selection.approveRound(t.db, system, w.programmeId, r1.id, null, { count: r1.selectedCount, amount: r1.spent }), selection.approveRound(t.db, system, w.programmeId, r2.id, null, { count: r2.selectedCount, amount: r2.spent })]);
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    const refused = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
    expect((refused.reason as AppError).code).toBe('invalid_transition');
    const rounds = await selection.listRounds(t.db, system, w.programmeId);
    expect(rounds.filter((r) => r.status === 'approved')).toHaveLength(1);
    const winner = rounds.find((r) => r.status === 'approved')!;
    const balance = await programmeBalance(t.db, w.programmeId);
    expect(balance.awarded).toBe(winner.spent);
    expect(balance.available).toBe(2_000_000 - winner.spent);
  });

  it('spread mode with hand-set commune quotas: each commune within its quota, the rest moved', async () => {
    const w = await world();
    await updateProgramme(t.db, system, w.programmeId, { selectionMode: 'spread', communeQuotas: { [w.c1]: 700_000, [w.c2]: 1_300_000 } });
    await toSelecting(w.programmeId);
    const round = await selection.runRound(t, system, w.programmeId, { budget: 2_000_000 });
    expect(round.params).toMatchObject({ mode: 'spread', quotas: { [w.c1]: 700_000, [w.c2]: 1_300_000 } });
    const detail = await selection.getRound(t.db, system, w.programmeId, round.id, { selected: true });
    const by = new Map(detail.items.map((c) => [c.personId, c]));
    // commune 1 (700,000): the pupil (631,800); commune 2 (1,300,000): the elderly man (1,263,600)
    expect(by.get(w.ids.c)).toMatchObject({ reason: 'commune_quota', cost: FULL / 2 });
    expect(by.get(w.ids.f)).toMatchObject({ reason: 'commune_quota', cost: FULL });
    const communes = round.params.communes as { commune: string; quota: number; spentInQuota: number; spentMoved: number }[];
    expect(communes.map((m) => [m.commune, m.quota, m.spentInQuota <= m.quota])).toEqual([
      [w.c1, 700_000, true],
      [w.c2, 1_300_000, true],
    ]);
    expect(communes.reduce((s, m) => s + m.spentInQuota + m.spentMoved, 0)).toBe(round.spent);
    expect(round.spent).toBeLessThanOrEqual(2_000_000);
  });

  it('tiers mode: storm victims first, whatever they cost', async () => {
    const w = await world(['storm_victim', 'pupil', 'near_poor'], 'tiers');
    await candidates.nominate(t.db, system, w.programmeId, { personIds: [w.ids.a], tags: ['storm_victim'] });
    await toSelecting(w.programmeId);
    // 1,300,000: either A (storm, 1,263,600) or C + E (pupil + near-poor, 1,010,880); tiers choose A
    const round = await selection.runRound(t, system, w.programmeId, { budget: 1_300_000 });
    const detail = await selection.getRound(t.db, system, w.programmeId, round.id, { selected: true });
    expect(detail.items.map((c) => c.personId)).toEqual([w.ids.a]);
    expect(round.params).toMatchObject({ priorityMode: 'tiers', tiers: ['storm_victim', 'pupil', 'near_poor'] });
  });
});

/** Money in against a pledge with an earmark (a commune, a tag, or both). */
async function receiveEarmarked(programmeId: string, amount: number, earmark: { commune?: string; tag?: string }) {
  await t.db.transaction().execute(async (trx) => {
    const donorId = randomUUID();
    await trx.insertInto('donor').values({ id: donorId, ownerUnitCode: province, kind: 'business', name: 'Quỹ Người cao tuổi' }).execute();
    const pledgeId = randomUUID();
    await trx
      .insertInto('pledge')
      .values({ id: pledgeId, programmeId, donorId, amount, earmarkCommuneCode: earmark.commune ?? null, earmarkTag: earmark.tag ?? null, status: 'confirmed', pledgedOn: '2025-10-10', note: null, confirmedBy: 'test', confirmedAt: new Date() })
      .execute();
    const receiptId = randomUUID();
    await trx.insertInto('receipt').values({ id: receiptId, programmeId, donorId, pledgeId, amount, receivedOn: '2025-10-14', method: 'bank_transfer', createdBy: 'test' }).execute();
    await postTxn(trx, system, programmeId, 'receipt', [
      { account: 'cash', amount, receiptId },
      { account: 'fund', amount: -amount, receiptId },
    ]);
  });
}

describe(`earmarks are a constraint (issue 16, ${engineName})`, () => {
  it('money earmarked for the elderly funds the elderly first, even when pupils weigh more', async () => {
    const w = await world();
    await toSelecting(w.programmeId);
    await receiveEarmarked(w.programmeId, 1_300_000, { tag: 'elderly_60_79' });
    await receive(w.programmeId, 700_000);
    // without the earmark, 2,000,000 would buy Bình (ethnic, 3) + Cúc (pupil, 2) and no elderly person
    const round = await selection.runRound(t, system, w.programmeId);
    const detail = await selection.getRound(t.db, system, w.programmeId, round.id, { selected: true });
    expect(detail.items.map((c) => [c.personId, c.reason, c.cost]).sort()).toEqual(
      [
        [w.ids.f, 'earmark', FULL],
        [w.ids.c, 'within_budget', FULL / 2],
      ].sort(),
    );
    expect(round.params.earmarks).toEqual([{ commune: null, tag: 'elderly_60_79', available: 1_300_000, spent: FULL, unspent: 1_300_000 - FULL, selected: 1 }]);
    // the earmark's 36,400 left is not spent on others: shown on the round
    expect(round.spent).toBe(FULL + FULL / 2);
    const approval = await selection.approveRound(t.db, system, w.programmeId, round.id, null, { count: round.selectedCount, amount: round.spent });
    expect(approval.amount).toBe(FULL + FULL / 2);
    // the donor's statement names the earmark in words, not the code elderly_60_79
    const donor = await t.db.selectFrom('donor').select('id').where('name', '=', 'Quỹ Người cao tuổi').orderBy('createdAt', 'desc').executeTakeFirstOrThrow();
    const { pdf } = await statements.donorStatementPdf(t.db, system, w.programmeId, donor.id, { today: '2025-11-05' });
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('Người cao tuổi 60–79');
    expect(text).not.toContain('elderly_60_79');
    // and tells the donor what is left of it is kept for the earmark
    expect(text).toContain('Số tiền chưa dùng (36.400 ₫) được giữ cho mục đích nhà tài trợ chỉ định (Người cao tuổi 60–79)');
  });

  it('what an earmark cannot use stays unspent until the officer releases it', async () => {
    const w = await world();
    await toSelecting(w.programmeId);
    await receiveEarmarked(w.programmeId, 1_000_000, { tag: 'storm_victim' }); // nobody is a storm victim
    const kept = await selection.runRound(t, system, w.programmeId);
    expect([kept.spent, kept.selectedCount]).toEqual([0, 0]);
    expect(kept.params.earmarks).toEqual([{ commune: null, tag: 'storm_victim', available: 1_000_000, spent: 0, unspent: 1_000_000, selected: 0 }]);
    const released = await selection.runRound(t, system, w.programmeId, { releaseEarmarks: true });
    // released: the best use of 1,000,000 among the others is Cúc (pupil, 631,800) — Én alone is worth less
    expect([released.spent, released.params.earmarksReleased]).toEqual([FULL / 2, true]);
    // the rounds' answer (the response schema the HTTP routes serialize with) keeps the earmarks and every other setting
    for (const r of [kept, released]) expect(roundSchema.parse(r)).toEqual(r);
  });
});

describe(`a programme without priorities (issue 16, ${engineName})`, () => {
  it('covers as many people as the money allows, and says so on the round', async () => {
    const w = await world({});
    const list = await candidates.listCandidates(t.db, system, w.programmeId, { limit: 1000 });
    expect(list.summary.countAll).toBe(true);
    expect(list.summary.byStatus.no_priority).toBeUndefined();
    expect(list.items.find((c) => c.personId === w.ids.a)).toMatchObject({ status: 'eligible', value: 1 });
    await toSelecting(w.programmeId);
    // cheapest first: Én (near-poor, 379,080) + Cúc (pupil, 631,800) + one household member (1,263,600) = 2,274,480;
    // a fourth (the household's second member at 70%, 884,520) would need 3,159,000
    const round = await selection.runRound(t, system, w.programmeId, { budget: 3_000_000 });
    expect([round.selectedCount, round.objective, round.spent]).toEqual([3, 3, 379_080 + FULL / 2 + FULL]);
    expect(round.params).toMatchObject({ countAll: true, provenOptimal: true });
    const detail = await selection.getRound(t.db, system, w.programmeId, round.id, { selected: true });
    expect(detail.items.map((c) => c.personId)).toEqual(expect.arrayContaining([w.ids.e, w.ids.c]));
  });
});

describe(`renewals: no card for someone covered on the start date (issue 16, ${engineName})`, () => {
  it('a card ending inside the window makes a renewal candidate: current card shown, card after it, priced for its months, on every screen', async () => {
    const w = await world({ elderly_60_79: 1 });
    // Đàm Thị Luyến's case: covered on the purchase date (01/11/2025), card ends 15/08/2026, inside the window (to 31/10/2026).
    // (A near-poor household: a household-mode card started this year would also count in the household order.)
    const hl = await household(w.c2, 'near_poor');
    const RENEWAL = 94_770; // 30% of 3 months: 4.5% x 2,340,000 x 3 = 315,900, the state pays 70%
    const luyen = await person(hl.id, 'Đàm Thị Luyến', '1958-04-04');
    await register.createCard(t.db, system, { personId: luyen.id, groupCode: 'CN', validFrom: '2025-08-16', validTo: '2026-08-15', number: 'CN4151234567890' });
    const list = await candidates.listCandidates(t.db, system, w.programmeId, { limit: 1000 });
    const by = new Map(list.items.map((c) => [c.personId, c]));
    expect(by.get(luyen.id)).toMatchObject({
      status: 'eligible',
      coveredUntil: '2026-08-15',
      currentCard: { number: 'CN4151234567890', validFrom: '2025-08-16', validTo: '2026-08-15' },
      card: { from: '2026-08-16', to: '2026-11-15', months: 3, renewal: true },
      pricingGroup: 'CN',
      cost: RENEWAL,
    });
    expect(by.get(w.ids.f)).toMatchObject({ currentCard: null, card: { from: PURCHASE, to: '2026-10-31', months: 12, renewal: false }, cost: FULL });
    // Hoàng Thị Giang is covered to 31/12/2026, past the window: not a candidate at all
    expect(by.has(w.ids.g)).toBe(false);

    await toSelecting(w.programmeId);
    await receive(w.programmeId, 2_000_000);
    const round = await selection.runRound(t, system, w.programmeId);
    // elderly: Phúc (1,263,600) and Luyến's renewal (94,770); Giang is not bought a second card
    expect(round.spent).toBe(FULL + RENEWAL);
    const detail = await selection.getRound(t.db, system, w.programmeId, round.id, { selected: true });
    expect(detail.items.map((c) => [c.fullName, c.cost, c.coveredUntil, c.card?.from, c.card?.months]).sort()).toEqual([
      ['Hoàng Văn Phúc', FULL, null, PURCHASE, 12],
      ['Đàm Thị Luyến', RENEWAL, '2026-08-15', '2026-08-16', 3],
    ]);
    await selection.approveRound(t.db, system, w.programmeId, round.id, null, { count: round.selectedCount, amount: round.spent });
    const out = await d03.d03Workbook(t.db, system, w.programmeId, { today: '2025-11-05', allowIncomplete: true });
    const rows = await sheetRows(out.buffer);
    const line = rows.find((r) => r[1] === 'Đàm Thị Luyến')!;
    expect([line[8], line[10], line[11], line[12]]).toEqual(['CN', String(RENEWAL), String(new Date(Date.UTC(2026, 7, 16))), '3']);
    expect(line.join('|')).toContain('Nối tiếp thẻ đến 15/08/2026: thẻ mới từ 16/08/2026');

    // recording cards: one that overlaps the person's card is refused, naming both cards, nothing written
    await confirmWithFigures((confirm) => d03.submitList(t.db, system, w.programmeId, null, confirm));
    const awards = await issue.listIssuedCards(t.db, system, w.programmeId);
    const aL = awards.items.find((a) => a.personId === luyen.id)!;
    const aF = awards.items.find((a) => a.personId === w.ids.f)!;
    const overlap = await failure(
      issue.recordIssuedCards(t.db, system, w.programmeId, [
        { awardId: aF.id, cardNumber: 'GD4159000000001', validFrom: PURCHASE, validTo: '2026-10-31' },
        { awardId: aL.id, cardNumber: 'CN4159000000002', validFrom: PURCHASE, validTo: '2026-10-31' },
      ], true),
    );
    expect(errorBody('vi', overlap.code, overlap.params, overlap.fields).error.fields).toEqual([
      {
        path: 'cards.1.validFrom',
        message:
          'Thẻ CN4159000000002 (01/11/2025–31/10/2026) trùng thời hạn với thẻ CN4151234567890 (16/08/2025–15/08/2026) của cùng người. Nếu đây là đính chính thật, ghi lý do (overlapReason / --overlap-reason)',
      },
    ]);
    expect((await issue.listIssuedCards(t.db, system, w.programmeId)).issued).toBe(0);
    // the same from the office's file: the row and column are named
    const csv = ['Mã suất tặng,Mã thẻ,Từ ngày,Đến ngày', `${aL.id},CN4159000000002,01/11/2025,31/10/2026`].join('\n');
    const report = await issue.importIssuedCards(t.db, system, w.programmeId, { buffer: Buffer.from(csv), format: 'csv' }, { confirm: true });
    expect(report.errors.map((e) => [e.row, e.column, e.value])).toEqual([[2, 'Giá trị từ ngày', '2025-11-01']]);
    expect(report.errors[0].message).toContain('CN4151234567890');
    expect(report.rolledBack).toBe(true);
    // the renewal card the office really issued (after the old card) records without a word
    const ok = await issue.recordIssuedCards(t.db, system, w.programmeId, [{ awardId: aL.id, cardNumber: 'CN4159000000003', validFrom: '2026-08-16', validTo: '2026-11-15' }], true);
    expect(ok).toMatchObject({ recorded: 1, issued: 1 });
    // a real correction: Phúc got a card from elsewhere meanwhile; the office's card is recorded with a reason, audited
    await register.createCard(t.db, system, { personId: w.ids.f, groupCode: 'GD', validFrom: '2025-11-10', validTo: '2026-11-09', number: 'GD4158888888888' });
    const refused = await failure(issue.recordIssuedCards(t.db, system, w.programmeId, [{ awardId: aF.id, cardNumber: 'GD4159000000001', validFrom: PURCHASE, validTo: '2026-10-31' }], true));
    expect(refused.fields.map((f) => [f.path, f.key])).toEqual([['cards.0.validFrom', 'card_overlaps']]);
    const forced = await issue.recordIssuedCards(t.db, system, w.programmeId, [
      { awardId: aF.id, cardNumber: 'GD4159000000001', validFrom: PURCHASE, validTo: '2026-10-31', overlapReason: 'Thẻ GD4158888888888 nhập nhầm, xã sẽ xóa' },
    ], true);
    expect(forced).toMatchObject({ recorded: 1, issued: 2, programmeStatus: 'cards_issued' });
    const entry = await t.db.selectFrom('auditLog').select(['after']).where('entity', '=', 'award').where('entityId', '=', aF.id).where('action', '=', 'issue').executeTakeFirstOrThrow();
    expect((entry.after as { overlap: unknown }).overlap).toMatchObject({
      reason: 'Thẻ GD4158888888888 nhập nhầm, xã sẽ xóa',
      cards: [{ number: 'GD4158888888888', validFrom: '2025-11-10', validTo: '2026-11-09' }],
    });
  });
});

/** Every cell text of the first worksheet, row by row. */
async function sheetRows(buffer: Buffer): Promise<string[][]> {
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(buffer as never);
  const rows: string[][] = [];
  wb.worksheets[0].eachRow({ includeEmpty: false }, (row) => {
    const cells: string[] = [];
    row.eachCell({ includeEmpty: true }, (cell, col) => (cells[col - 1] = cell.value === null || cell.value === undefined ? '' : String(cell.value)));
    rows.push(cells);
  });
  return rows;
}

describe(`the D03-TS list, submission and issued cards (${engineName})`, () => {
  let w: World;
  beforeAll(async () => {
    w = await world();
    await toSelecting(w.programmeId);
    await receive(w.programmeId, 2_000_000);
    const round = await selection.runRound(t, system, w.programmeId);
    await selection.approveRound(t.db, system, w.programmeId, round.id, 'duyệt đợt 1', { count: round.selectedCount, amount: round.spent });
  });

  it('says before export what the list lacks, and refuses it naming every row and field', async () => {
    const check = await d03.d03Check(t.db, system, w.programmeId);
    expect(check).toMatchObject({ rows: 2, total: FULL + FULL / 2, headerMissing: ['unitCode'] });
    expect(check.incomplete.map((r) => [r.no, r.fullName, r.missing])).toEqual([
      [1, 'Lò Thị Bình', ['insuranceCode', 'citizenId', 'facility', 'collector']],
      [2, 'Nguyễn Thị Cúc', ['insuranceCode', 'citizenId', 'facility', 'collector']],
    ]);
    const refused = await failure(d03.d03Workbook(t.db, system, w.programmeId, { today: '2025-11-05' }));
    expect(errorBody('vi', refused.code, refused.params, refused.fields).error.fields).toEqual([
      { path: 'unitCode', message: 'Lào Cai chưa có mã đơn vị do cơ quan BHXH cấp (thông tin đơn vị)' },
      { path: 'rows.1', message: 'Dòng 1 (Lò Thị Bình) thiếu: mã số BHXH, số CCCD/ĐDCN, nơi đăng ký KCB ban đầu, mã số nhân viên thu' },
      { path: 'rows.2', message: 'Dòng 2 (Nguyễn Thị Cúc) thiếu: mã số BHXH, số CCCD/ĐDCN, nơi đăng ký KCB ban đầu, mã số nhân viên thu' },
    ]);
  });

  it('fills the D03-TS form of 490/QĐ-BHXH: header, numbering, sections, real dates and numbers, print titles, flagged rows', async () => {
    const out = await d03.d03Workbook(t.db, system, w.programmeId, { today: '2025-11-05', allowIncomplete: true, number: '07' });
    expect(out).toMatchObject({ rows: 2, total: FULL + FULL / 2, incomplete: 2 });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(out.buffer as never);
    const ws = wb.worksheets[0];
    const rows = await sheetRows(out.buffer);
    const text = rows.map((r) => r.join('|')).join('\n');
    expect(text).toContain('Tên đơn vị: Lào Cai');
    expect(text).toContain('(Ban hành kèm theo QĐ số 490/QĐ-BHXH ngày 28/3/2023 của BHXH Việt Nam)');
    expect(text).toContain('DANH SÁCH NGƯỜI CHỈ THAM GIA BẢO HIỂM Y TẾ');
    expect(text).toContain('Số: 07 tháng 11 năm 2025');
    expect(text).toContain('Lương cơ sở: 2.340.000 đồng');
    expect(text).toContain('Tỷ lệ NSNN hỗ trợ theo quy định: GD: 0%; HS: 50%');
    expect(text).toContain('Lào Cai, ngày 05 tháng 11 năm 2025');
    expect(text).not.toContain('{{');
    // the numbering row A, B, 1..14 under the headings, both repeated on every printed page
    const numbering = rows.findIndex((r) => r[0] === 'A' && r[1] === 'B');
    expect(rows[numbering]).toEqual(['A', 'B', ...Array.from({ length: 14 }, (_, i) => String(i + 1))]);
    expect(ws.pageSetup.printTitlesRow).toBe('15:16');
    expect(ws.pageSetup).toMatchObject({ orientation: 'landscape', fitToWidth: 1, fitToHeight: 0 });
    // the increase section holds the rows, the decrease section follows
    expect(ws.getCell('A17').value).toBe('I');
    expect(ws.getCell('B17').value).toBe('Tăng');
    expect(ws.getCell('A20').value).toBe('II');
    // rows: real dates, numbers and percentages; the address once; what is missing flagged
    const bình = ws.getRow(18);
    expect(bình.getCell(2).value).toBe('Lò Thị Bình');
    expect(bình.getCell(5).value).toEqual(new Date(Date.UTC(1990, 4, 6)));
    expect(bình.getCell(5).numFmt).toBe('dd/mm/yyyy');
    expect(bình.getCell(10).value).toBe(0);
    expect(ws.getRow(19).getCell(10).value).toBe(0.5);
    expect(bình.getCell(10).numFmt).toBe('0%');
    expect(bình.getCell(11).value).toBe(FULL);
    expect(bình.getCell(12).value).toEqual(new Date(Date.UTC(2025, 10, 1)));
    expect(bình.getCell(12).numFmt).toBe('mm/yyyy');
    const commune = (await t.db.selectFrom('unit').select('name').where('code', '=', w.c1).executeTakeFirstOrThrow()).name;
    expect(bình.getCell(7).value).toBe(`${commune}, Lào Cai`);
    expect(String(bình.getCell(15).value)).toContain('Thiếu: mã số BHXH, số CCCD/ĐDCN, nơi đăng ký KCB ban đầu, mã số nhân viên thu');
    expect((bình.getCell(3).fill as ExcelJS.FillPattern).fgColor?.argb).toBe('FFFFF2CC');
    expect((bình.getCell(2).fill as ExcelJS.FillPattern | undefined)?.fgColor?.argb).not.toBe('FFFFF2CC');
    const total = rows.find((r) => r[1]?.startsWith('Tổng cộng'));
    expect(total?.[1]).toBe('Tổng cộng: 2 người');
    expect(total?.[10]).toBe(String(FULL + FULL / 2));
  });

  it('fills every column from the register, the facility list, the collectors and the unit profile', async () => {
    await offices.setUnitProfile(t.db, system, province, { siCode: 'TE1500A', taxCode: '5300100001', address: 'Phường Cam Đường, Lào Cai', phone: '0214 3840 000' });
    await facilities.createFacility(t.db, system, { code: '10017', name: 'Trung tâm Y tế Bảo Thắng', provinceCode: province });
    await facilities.createFacility(t.db, system, { code: '10021', name: 'Trạm Y tế xã Gia Phú', provinceCode: province });
    await offices.createOffice(t.db, system, { code: '1000', name: 'Bảo hiểm xã hội tỉnh Lào Cai', kind: 'si_province', parentCode: province });
    await offices.createOffice(t.db, system, { code: '1005', name: 'Bảo hiểm xã hội cơ sở Bảo Thắng', kind: 'si_grassroots', parentCode: '1000', communes: [w.c1] });
    const village = await createVillage(t.db, system, { parentCode: w.c1, code: 'T1', name: 'Thôn Phú Lâm' });
    await collectors.createCollector(t.db, system, { code: 'NV100501', name: 'Vàng Thị Dung', kind: 'staff', officeCode: '1005', villages: [village.code] });
    const person = await register.getHousehold(t.db, system, (await t.db.selectFrom('person').select('householdId').where('id', '=', w.ids.b).executeTakeFirstOrThrow()).householdId);
    await register.updateHousehold(t.db, system, person.household.id, { villageCode: village.code, address: `Thôn Phú Lâm, ${(await t.db.selectFrom('unit').select('name').where('code', '=', w.c1).executeTakeFirstOrThrow()).name}` });
    await register.updatePerson(t.db, system, w.ids.b, { insuranceCode: '1512345678', citizenId: '015190001234' }, TODAY);
    await register.updatePerson(t.db, system, w.ids.c, { insuranceCode: '1512345679', citizenId: '015312001235' }, TODAY);
    // Bình's facility chosen for the award; Cúc's from her last card
    const awards = await issue.listIssuedCards(t.db, system, w.programmeId);
    const bình = awards.items.find((a) => a.personId === w.ids.b)!;
    await expect(d03.setAwardsFacility(t.db, system, w.programmeId, { awardIds: [bình.id], facilityCode: '99999' })).rejects.toMatchObject({ fields: [{ path: 'facilityCode', key: 'unknown_facility' }] });
    expect(await d03.setAwardsFacility(t.db, system, w.programmeId, { awardIds: [bình.id], facilityCode: '10017' })).toEqual({ changed: 1 });
    const old = await register.createCard(t.db, system, { personId: w.ids.c, groupCode: 'HS', validFrom: '2023-10-01', validTo: '2024-09-30' });
    await t.db.updateTable('card').set({ facilityCode: '10021' }).where('id', '=', old.id).execute();

    expect((await d03.d03Check(t.db, system, w.programmeId)).incomplete.map((r) => [r.fullName, r.missing])).toEqual([]);
    const out = await d03.d03Workbook(t.db, system, w.programmeId, { today: '2025-11-05' });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(out.buffer as never);
    const ws = wb.worksheets[0];
    expect(ws.getCell('A2').value).toBe('Mã đơn vị: TE1500A');
    expect(ws.getCell('A3').value).toBe('Mã số thuế: 5300100001');
    const [b, c] = [ws.getRow(18), ws.getRow(19)];
    expect([b.getCell(2).value, b.getCell(3).value, b.getCell(4).value, b.getCell(8).value, b.getCell(16).value]).toEqual([
      'Lò Thị Bình', '1512345678', '015190001234', '10017 - Trung tâm Y tế Bảo Thắng', 'NV100501',
    ]);
    // the stored address already names the commune: not written twice
    expect(String(b.getCell(7).value).match(/Phú Lâm/g)).toHaveLength(1);
    expect(String(b.getCell(7).value)).toMatch(/, Lào Cai$/);
    expect([c.getCell(2).value, c.getCell(8).value]).toEqual(['Nguyễn Thị Cúc', '10021 - Trạm Y tế xã Gia Phú']);
    expect(String(b.getCell(15).value)).not.toContain('Thiếu');
  });

  it('an edited template changes the export without code', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(d03.D03_TEMPLATE);
    wb.worksheets[0].getCell('B15').value = 'HỌ TÊN NGƯỜI THAM GIA';
    wb.worksheets[0].getCell('Q18').value = '{{r.commune}}';
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'd03-')), 'mine.xlsx');
    await wb.xlsx.writeFile(file);
    const out = await d03.d03Workbook(t.db, system, w.programmeId, { templatePath: file, allowIncomplete: true });
    const rows = await sheetRows(out.buffer);
    expect(rows.some((r) => r[1] === 'HỌ TÊN NGƯỜI THAM GIA')).toBe(true);
    const commune = await t.db.selectFrom('unit').select('name').where('code', '=', w.c1).executeTakeFirstOrThrow();
    expect(rows.filter((r) => r[16] === commune.name)).toHaveLength(2);
  });

  it('submits the list (payment in the ledger), records the cards, and the programme reaches cards_issued', async () => {
    const early = await failure(issue.recordIssuedCards(t.db, system, w.programmeId, [{ citizenId: '1', cardNumber: 'X', validFrom: '2025-12-01', validTo: '2026-11-30' }], true));
    expect(early.code).toBe('invalid_transition');
    const sent = await confirmWithFigures((confirm) => d03.submitList(t.db, system, w.programmeId, 'gửi BHXH tỉnh', confirm));
    expect(sent).toMatchObject({ awards: 2, amount: FULL + FULL / 2 });
    expect((await programmeBalance(t.db, w.programmeId)).paid).toBe(FULL + FULL / 2);

    const awards = await issue.listIssuedCards(t.db, system, w.programmeId);
    const b = awards.items.find((a) => a.personId === w.ids.b)!;
    // a wrong entry refuses the call, naming the entry and field
    const bad = await failure(
      issue.recordIssuedCards(t.db, system, w.programmeId, [
        { awardId: b.id, cardNumber: 'GD4151234567890', validFrom: '2025-12-01', validTo: '2026-11-30' },
        { citizenId: '999999999999', cardNumber: 'HS4151234567891', validFrom: '2025-12-01', validTo: '2026-11-30' },
      ], true),
    );
    expect(bad.code).toBe('validation');
    expect(errorBody('vi', bad.code, bad.params, bad.fields).error.fields).toEqual([{ path: 'cards.1.citizenId', message: 'Không có suất tặng thẻ nào khớp' }]);
    expect((await issue.listIssuedCards(t.db, system, w.programmeId)).issued).toBe(0);

    // persons covered on 15/01/2026 by the kept span counts
    const coveredMidJanuary = async () =>
      Number((await sql<{ n: number }>`select coalesce(sum(persons), 0)::int as n from coverage_count where span_from <= '2026-01-15' and span_to >= '2026-01-15'`.execute(t.db)).rows[0].n);
    const coveredBefore = await coveredMidJanuary();
    const first = await issue.recordIssuedCards(t.db, system, w.programmeId, [{ awardId: b.id, cardNumber: 'GD4151234567890', validFrom: '2025-12-01', validTo: '2026-11-30' }], true);
    expect(first).toMatchObject({ recorded: 1, issued: 1, total: 2, programmeStatus: 'submitted' });
    const card = await t.db.selectFrom('card').selectAll().where('personId', '=', w.ids.b).executeTakeFirstOrThrow();
    expect(card).toMatchObject({ source: 'programme', programmeId: w.programmeId, groupCode: 'GD', number: 'GD4151234567890', validFrom: '2025-12-01', validTo: '2026-11-30' });
    // the coverage aggregates follow: the person is covered now
    expect(await coveredMidJanuary()).toBe(coveredBefore + 1);

    // the office's returned list, matched by citizen id... C has none: by the award id column
    const c = awards.items.find((a) => a.personId === w.ids.c)!;
    const csv = ['Mã suất tặng,Mã thẻ,Từ ngày,Đến ngày', `${c.id},HS4151234567891,01/12/2025,30/11/2026`].join('\n');
    const report = await issue.importIssuedCards(t.db, system, w.programmeId, { buffer: Buffer.from(csv), format: 'csv' }, { confirm: true });
    expect(report.errors).toEqual([]);
    expect(report.result).toMatchObject({ recorded: 1, issued: 2, total: 2, programmeStatus: 'cards_issued' });
    // the same list again changes nothing
    const again = await issue.importIssuedCards(t.db, system, w.programmeId, { buffer: Buffer.from(csv), format: 'csv' }, { confirm: true });
    expect(again.result).toMatchObject({ recorded: 0, unchanged: 1 });
    // a bad date is reported with its row and column, nothing written
    const badCsv = ['Mã suất tặng,Mã thẻ,Từ ngày,Đến ngày', `${c.id},HS4151234567892,31/02/2025,30/11/2026`].join('\n');
    const badReport = await issue.importIssuedCards(t.db, system, w.programmeId, { buffer: Buffer.from(badCsv), format: 'csv' }, { language: 'en', confirm: true });
    expect(badReport.errors).toEqual([{ row: 2, column: 'Valid from', value: '31/02/2025', message: 'Invalid date (dd/MM/yyyy or YYYY-MM-DD)' }]);
  });
});

describe(`nomination import (${engineName})`, () => {
  it('imports a commune list in the register template plus tags: persons land in the register and are nominated', async () => {
    const w = await world();
    const csv = [
      'Mã hộ,Mã xã,Họ và tên,Ngày sinh,Giới tính,Dân tộc,Nhóm ưu tiên',
      `NOM-1,${w.c1},Phạm Văn Bão,12/03/1978,Nam,Kinh,Nạn nhân bão; difficult`,
      `NOM-1,${w.c1},Phạm Thị Lũ,15/04/1980,Nữ,Kinh,flood_victim`,
      `NOM-2,${w.c1},Lê Văn Sai,99/99/1999,Nam,Kinh,storm_victim`,
    ].join('\n');
    const report = await candidates.importNominations(t, system, w.programmeId, { buffer: Buffer.from(csv), format: 'csv' }, { today: TODAY });
    expect(report).toMatchObject({ rows: 3, nominated: 2, rejected: 1, rolledBack: false });
    expect(report.errors.map((e) => [e.row, e.column])).toEqual([[4, 'birth_date']]);
    const list = await candidates.listCandidates(t.db, system, w.programmeId, { limit: 1000 });
    const bao = list.items.find((c) => c.fullName === 'Phạm Văn Bão');
    expect(bao).toMatchObject({ nominated: true, tags: ['storm_victim', 'difficult'], status: 'eligible', value: 5 });

    const unknown = [`Mã hộ,Mã xã,Họ và tên,Ngày sinh,Giới tính,Nhóm ưu tiên`, `NOM-3,${w.c1},Đỗ Văn Ba,01/01/1990,Nam,martian`].join('\n');
    const refused = await candidates.importNominations(t, system, w.programmeId, { buffer: Buffer.from(unknown), format: 'csv' }, { today: TODAY, language: 'en' });
    expect(refused).toMatchObject({ nominated: 0, rolledBack: true });
    expect(refused.errors[0]).toMatchObject({ row: 2, column: 'tags', value: 'martian' });
    const persons = await t.db.selectFrom('person').select('id').where('fullName', '=', 'Đỗ Văn Ba').execute();
    expect(persons).toHaveLength(0);
  });
});

describe(`selection over HTTP (${engineName})`, () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    app = await buildApp({ database: t, webDist: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });
  async function login(role: 'province_staff' | 'commune_officer' | 'viewer', scope: string) {
    const u = await makeUser(t, role, scope);
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    return { cookie: `cd_session=${res.cookies[0].value}`, 'x-csrf-token': res.json().csrfToken };
  }
  function multipart(fileName: string, content: string | Buffer) {
    const boundary = '----coverdesk' + randomUUID().slice(0, 8);
    const body = Buffer.concat([
      Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: application/octet-stream\r\n\r\n`),
      Buffer.from(content),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    return { body, contentType: `multipart/form-data; boundary=${boundary}` };
  }

  it('walks candidates -> round -> approval -> D03-TS -> submission -> issued cards', async () => {
    const w = await world();
    await toSelecting(w.programmeId);
    await receive(w.programmeId, 2_000_000);
    const headers = await login('province_staff', '15');
    const base = `/api/programmes/${w.programmeId}`;

    const list = await app.inject({ url: `${base}/candidates?status=state_budget`, headers: { ...headers, 'accept-language': 'en' } });
    expect(list.statusCode).toBe(200);
    expect(list.json().items.map((c: { personId: string }) => c.personId).sort()).toEqual([w.ids.d, w.ids.h].sort());
    // the state-paid list as .xlsx, for the commune (issue 16)
    const stateXlsx = await app.inject({ url: `${base}/candidates/state-budget.xlsx`, headers });
    expect(stateXlsx.statusCode).toBe(200);
    expect(stateXlsx.headers['content-type']).toContain('spreadsheetml');
    const sheet = await sheetRows(stateXlsx.rawPayload);
    // the title, the programme and the date, then the table (its header repeated on every printed page)
    expect(sheet[0][0]).toBe('DANH SÁCH ĐỀ NGHỊ NGÂN SÁCH NHÀ NƯỚC ĐÓNG BẢO HIỂM Y TẾ');
    expect(sheet[1][0]).toMatch(/^Chương trình: .+ · Ngày \d{2}\/\d{2}\/\d{4}$/);
    expect(sheet[2].slice(0, 4)).toEqual(['STT', 'Họ và tên', 'Ngày sinh', 'Giới tính']);
    const stateBook = new ExcelJS.Workbook();
    await stateBook.xlsx.load(stateXlsx.rawPayload as never);
    const stateSheet = stateBook.worksheets[0];
    expect(stateSheet.pageSetup).toMatchObject({ paperSize: 9, orientation: 'landscape', fitToWidth: 1, fitToHeight: 0, printTitlesRow: '4:4' });
    const stateRows = [5, 6].map((n) => stateSheet.getRow(n));
    expect(stateRows.every((r) => r.getCell(3).value instanceof Date && r.getCell(3).numFmt === 'dd/mm/yyyy')).toBe(true);
    expect(stateRows.map((r) => [r.getCell(2).value, formatDateVi((r.getCell(3).value as Date).toISOString().slice(0, 10)), r.getCell(4).value, r.getCell(10).value]).sort()).toEqual([
      ['Nguyễn Văn Dũng', '01/01/2022', 'Nữ', 'TE'],
      ['Vàng Thị Hoa', '01/01/1970', 'Nữ', 'HN'],
    ]);

    const viewer = await login('viewer', '15');
    expect((await app.inject({ method: 'POST', url: `${base}/rounds`, headers: viewer, payload: {} })).statusCode).toBe(403);
    const bad = await app.inject({ method: 'POST', url: `${base}/rounds`, headers: { ...headers, 'accept-language': 'en' }, payload: { budget: -5 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields[0].path).toBe('budget');

    const created = await app.inject({ method: 'POST', url: `${base}/rounds`, headers, payload: {} });
    expect(created.statusCode).toBe(201);
    const round = created.json();
    expect(round).toMatchObject({ number: 1, budget: 2_000_000, spent: FULL + FULL / 2, selectedCount: 2 });
    const detail = await app.inject({ url: `${base}/rounds/${round.id}?selected=true`, headers });
    expect(detail.json().items.map((c: { fullName: string }) => c.fullName)).toEqual(['Lò Thị Bình', 'Nguyễn Thị Cúc']);

    const approved = await app.inject({ method: 'POST', url: `${base}/rounds/${round.id}/approve`, headers, payload: { note: 'ok', confirm: { count: round.selectedCount, amount: round.spent } } });
    expect(approved.statusCode).toBe(200);
    expect(approved.json()).toMatchObject({ awards: 2, amount: FULL + FULL / 2 });
    const twice = await app.inject({ method: 'POST', url: `${base}/rounds/${round.id}/approve`, headers: { ...headers, 'accept-language': 'en' }, payload: {} });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().error.message).toBe('Chỉ duyệt được danh sách khi chương trình đang xét chọn (hiện: Đã duyệt danh sách)');

    const refused = await app.inject({ url: `${base}/d03.xlsx`, headers });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields.map((f: { path: string }) => f.path)).toEqual(expect.arrayContaining(['rows.1', 'rows.2']));
    expect((await app.inject({ url: `${base}/d03/check`, headers })).json()).toMatchObject({ rows: 2, incomplete: [{ no: 1 }, { no: 2 }] });
    const xlsx = await app.inject({ url: `${base}/d03.xlsx?allowIncomplete=true`, headers });
    expect(xlsx.statusCode).toBe(200);
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const rows = await sheetRows(xlsx.rawPayload);
    expect(rows.filter((r) => r[0] === '1' || r[0] === '2').map((r) => r[1])).toEqual(['Lò Thị Bình', 'Nguyễn Thị Cúc']);

    expect((await app.inject({ method: 'POST', url: `${base}/d03/submit`, headers, payload: { confirm: { count: 2, amount: FULL + FULL / 2 } } })).statusCode).toBe(200);
    const cards = (await app.inject({ url: `${base}/issued-cards`, headers })).json();
    expect(cards).toMatchObject({ live: 2, issued: 0 });
    const csv = ['Mã suất tặng,Mã thẻ,Từ ngày,Đến ngày', ...cards.items.map((a: { id: string }, i: number) => `${a.id},GD41512345678${i}0,01/12/2025,30/11/2026`)].join('\n');
    const file = multipart('the-da-cap.csv', csv);
    const imported = await app.inject({ method: 'POST', url: `${base}/issued-cards/import?confirm=true`, headers: { ...headers, 'content-type': file.contentType }, payload: file.body });
    expect(imported.statusCode).toBe(200);
    expect(imported.json().result).toMatchObject({ recorded: 2, issued: 2, total: 2, programmeStatus: 'cards_issued' });
  });
});

describe(`selection CLI (${engineName})`, () => {
  const run = (args: string[]) => runCli(t, registerSelectionCommands, args);

  it('candidates, nominate, select, approve, d03 --submit, issue-cards', async () => {
    const fs = await import('node:fs');
    const os = await import('node:os');
    const path = await import('node:path');
    const w = await world();
    await toSelecting(w.programmeId);
    await receive(w.programmeId, 2_000_000);
    const list = await run(['programme', 'candidates', w.programmeId]);
    expect(list.printed.join('\n')).toContain('Thuộc diện ngân sách nhà nước đóng 100%');
    await run(['programme', 'nominate', w.programmeId, '--person', w.ids.a, '--tags', 'storm_victim']);
    const sel = await run(['programme', 'select', w.programmeId, '--budget', '1.300.000', '--json']);
    const round = sel.json[0] as { id: string; selectedCount: number; spent: number };
    // the storm victim (5) beats the pupil and the near-poor person (3) for the same money
    const shown = await run(['programme', 'round', w.programmeId, round.id, '--selected']);
    expect(shown.printed.filter((l) => l.startsWith('+')).map((l) => l.split('  ')[1])).toEqual(['Nguyễn Văn An']);
    // without --yes: the figures, a non-zero exit, nothing awarded
    const unconfirmed = await run(['programme', 'approve', w.programmeId, round.id]).catch((e: AppError) => e);
    expect((unconfirmed as AppError).code).toBe('confirmation_required');
    expect((await programmeBalance(t.db, w.programmeId)).awarded).toBe(0);
    const approved = await run(['programme', 'approve', w.programmeId, round.id, '--yes']);
    expect(approved.printed).toEqual(['Cần xác nhận: duyệt danh sách tặng 1 thẻ, tổng 1.263.600 ₫', 'Đã duyệt vòng 1: 1 thẻ, 1.263.600 ₫']);
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'd03-cli-')), 'd03.xlsx');
    const check = await run(['programme', 'd03', w.programmeId, '--check']);
    expect(check.printed[0]).toBe('Danh sách D03-TS: 1 dòng, 1 dòng chưa đủ thông tin');
    await expect(run(['programme', 'd03', w.programmeId, '--out', out])).rejects.toMatchObject({ code: 'validation' });
    const sent = await run(['programme', 'd03', w.programmeId, '--out', out, '--allow-incomplete', '--submit', '--yes', '--json']);
    expect(sent.json[0]).toMatchObject({ rows: 1, total: FULL, submitted: { awards: 1, amount: FULL } });
    expect(fs.statSync(out).size).toBeGreaterThan(1000);
    const cards = await run(['programme', 'issue-cards', w.programmeId, '--list', '--json']);
    const awardId = (cards.json[0] as { items: { id: string }[] }).items[0].id;
    const issued = await run(['programme', 'issue-cards', w.programmeId, '--award', awardId, '--number', 'GD4151234567899', '--from', '01/12/2025', '--to', '30/11/2026', '--yes', '--json']);
    expect(issued.json[0]).toMatchObject({ recorded: 1, issued: 1, total: 1, programmeStatus: 'cards_issued' });
  });
});
