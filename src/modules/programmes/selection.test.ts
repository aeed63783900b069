/**
 * Candidates, nominations, selection rounds and approval (issue 6 items 3-5), on PGlite and, with
 * TEST_DATABASE_URL, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { AppError } from '../../errors';
import { errorBody } from '../../http/plugins/errors';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import * as register from '../register/register.service';
import { createProgramme, changeProgrammeStatus } from './programme.service';
import { postTxn, programmeBalance } from './ledger.service';
import * as candidates from './candidates.service';
import * as selection from './selection.service';

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

async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

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

  it('a commune officer nominates only persons of their commune', async () => {
    const { actor } = await makeUser(t, 'commune_officer', w.c1);
    await candidates.nominate(t.db, actor, w.programmeId, { personIds: [w.ids.b], tags: ['flood_victim'] });
    const e = await failure(candidates.nominate(t.db, actor, w.programmeId, { personIds: [w.ids.f], tags: ['flood_victim'] }));
    expect(e.code).toBe('validation');
    expect(e.fields[0].path).toBe('personIds.0');
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
    const round = await selection.runRound(t.db, system, w.programmeId);
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
    const round2 = await selection.runRound(t.db, system, w.programmeId);
    expect(round2.number).toBe(2);

    const approval = await selection.approveRound(t.db, system, w.programmeId, round.id);
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
    const e = await failure(selection.approveRound(t.db, system, w.programmeId, round.id));
    expect(e.code).toBe('invalid_transition');
    expect(errorBody('vi', e.code, e.params, e.fields).error.message).not.toContain('errors.');
  });
});

describe(`approval without the money (${engineName})`, () => {
  it('refuses with insufficient_funds and writes nothing', async () => {
    const w = await world();
    await toSelecting(w.programmeId);
    await receive(w.programmeId, 500_000);
    const round = await selection.runRound(t.db, system, w.programmeId, { budget: 5_000_000 });
    expect(round.selectedCount).toBeGreaterThan(1);
    const e = await failure(selection.approveRound(t.db, system, w.programmeId, round.id));
    expect(e.code).toBe('insufficient_funds');
    const awards = await t.db.selectFrom('award').select(sql<number>`count(*)::int`.as('n')).where('programmeId', '=', w.programmeId).executeTakeFirstOrThrow();
    expect(Number(awards.n)).toBe(0);
    const [r] = await selection.listRounds(t.db, system, w.programmeId);
    expect(r.status).toBe('proposed');
    const p = await t.db.selectFrom('programme').select('status').where('id', '=', w.programmeId).executeTakeFirstOrThrow();
    expect(p.status).toBe('selecting');
  });

  it('tiers mode: storm victims first, whatever they cost', async () => {
    const w = await world(['storm_victim', 'pupil', 'near_poor'], 'tiers');
    await candidates.nominate(t.db, system, w.programmeId, { personIds: [w.ids.a], tags: ['storm_victim'] });
    await toSelecting(w.programmeId);
    // 1,300,000: either A (storm, 1,263,600) or C + E (pupil + near-poor, 1,010,880); tiers choose A
    const round = await selection.runRound(t.db, system, w.programmeId, { budget: 1_300_000 });
    const detail = await selection.getRound(t.db, system, w.programmeId, round.id, { selected: true });
    expect(detail.items.map((c) => c.personId)).toEqual([w.ids.a]);
    expect(round.params).toMatchObject({ priorityMode: 'tiers', tiers: ['storm_victim', 'pupil', 'near_poor'] });
  });
});
