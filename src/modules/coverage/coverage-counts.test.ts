import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineName, system, testDatabase, type TestDatabase } from '../../test/db';
import { importRegister } from '../register/import.service';
import { writeDemoFile } from '../register/demo.service';
import * as register from '../register/register.service';
import { expiresWithin, isCoveredOn } from '../../domain/coverage';
import { addDays } from '../../domain/calendar';
import { sql } from 'kysely';
import { isMonthEnd, registerCounts, registerCountsDirect, registerCountsOn } from './coverage.repository';

let t: TestDatabase;
let dir: string;
// month ends (the snapshots answer) and other days (the month end before, corrected by the spans between)
const DATES = ['2025-06-30', '2025-07-01', '2025-10-31', '2025-11-11', '2025-11-18', '2025-11-24', '2026-01-01'];

beforeAll(async () => {
  t = await testDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-counts-'));
});
afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The truth: every person's cards, judged by the domain rules, counted per commune and per village. */
async function truth(date: string) {
  const persons = await t.db
    .selectFrom('person as p')
    .innerJoin('household as h', 'h.id', 'p.householdId')
    .select(['p.id', 'p.householdId', 'p.communeCode', 'h.villageCode'])
    .execute();
  const cards = await t.db.selectFrom('card').select(['personId', 'validFrom', 'validTo']).execute();
  const byPerson = new Map<string, { validFrom: string; validTo: string }[]>();
  for (const c of cards) byPerson.set(c.personId, [...(byPerson.get(c.personId) ?? []), c]);
  const units = new Map<string, { population: number; participants: number; expiring30: number; neverInsured: number }>();
  for (const p of persons) {
    const mine = byPerson.get(p.id) ?? [];
    for (const key of [`c:${p.communeCode}`, ...(p.villageCode ? [`v:${p.villageCode}`] : [])]) {
      const u = units.get(key) ?? { population: 0, participants: 0, expiring30: 0, neverInsured: 0 };
      u.population++;
      if (isCoveredOn(mine, date)) u.participants++;
      if (expiresWithin(mine, date, 30)) u.expiring30++;
      if (mine.length === 0) u.neverInsured++;
      units.set(key, u);
    }
  }
  return units;
}

/** Every month end from 2019 to 2027: participants and expiring within 30 days per commune, by the domain rules. */
async function monthTruth() {
  const persons = await t.db
    .selectFrom('person as p')
    .innerJoin('household as h', 'h.id', 'p.householdId')
    .select(['p.id', 'p.communeCode'])
    .execute();
  const cards = await t.db.selectFrom('card').select(['personId', 'validFrom', 'validTo']).execute();
  const byPerson = new Map<string, { validFrom: string; validTo: string }[]>();
  for (const c of cards) byPerson.set(c.personId, [...(byPerson.get(c.personId) ?? []), c]);
  const out = new Map<string, { persons: number; expiring30: number }>();
  for (let y = 2019; y <= 2027; y++)
    for (let m = 1; m <= 12; m++) {
      const day = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
      for (const p of persons) {
        const mine = byPerson.get(p.id) ?? [];
        if (!isCoveredOn(mine, day)) continue;
        const expiring = expiresWithin(mine, day, 30) ? 1 : 0;
        for (const key of [`${day} c:${p.communeCode}`]) {
          const u = out.get(key) ?? { persons: 0, expiring30: 0 };
          u.persons++;
          u.expiring30 += expiring;
          out.set(key, u);
        }
      }
    }
  return out;
}

/** The month-end snapshots (coverage_month), summed over groups, equal the truth on every month end. */
async function expectSnapshotsEqualTruth() {
  const expected = await monthTruth();
  const rows = await sql<{ key: string; persons: number; expiring30: number }>`
    select day::text || ' c:' || commune_code as key, sum(persons)::int as persons, sum(expiring30)::int as expiring30
    from coverage_month where day between '2019-01-01' and '2027-12-31' group by day, commune_code having sum(persons) <> 0 or sum(expiring30) <> 0`.execute(t.db);
  const actual = new Map(rows.rows.map((r) => [r.key, { persons: Number(r.persons), expiring30: Number(r.expiring30) }]));
  expect(actual.size).toBeGreaterThan(1000);
  expect(actual).toEqual(expected);
  // the persons whose coverage ends each day, per commune and group, equal the span counts
  const ends = await sql<{ key: string; n: number }>`
    select day::text || ' ' || commune_code || ' ' || group_code as key, persons as n from coverage_end_day where persons <> 0 order by 1`.execute(t.db);
  const spans = await sql<{ key: string; n: number }>`
    select span_to::text || ' ' || commune_code || ' ' || group_code as key, sum(persons)::int as n from coverage_count group by 1 order by 1`.execute(t.db);
  expect(ends.rows.length).toBeGreaterThan(100);
  expect(ends.rows.map((r) => [r.key, Number(r.n)])).toEqual(spans.rows.map((r) => [r.key, Number(r.n)]));
  // and no snapshot outside those years is negative
  const negative = await sql<{ n: number }>`select count(*)::int as n from coverage_month where persons < 0 or expiring30 < 0 or expiring30 > persons`.execute(t.db);
  expect(Number(negative.rows[0].n)).toBe(0);
}

/** Each household's kept "covered until" (migration 0016) equals the smallest of its members' latest card ends. */
async function expectCoveredUntilEqualTruth() {
  const persons = await t.db.selectFrom('person as p').innerJoin('household as h', 'h.id', 'p.householdId').select(['p.id', 'p.householdId', 'h.villageCode']).execute();
  const cards = await t.db.selectFrom('card').select(['personId', 'validTo']).execute();
  const latest = new Map<string, string>();
  for (const c of cards) if (!latest.has(c.personId) || c.validTo > latest.get(c.personId)!) latest.set(c.personId, c.validTo);
  // ('-infinity' sorts before any yyyy-mm-dd)
  const smallest = (a: string | undefined, b: string) => (a === undefined || b === '-infinity' || (a !== '-infinity' && b < a) ? b : a);
  const until = new Map<string, string>();
  for (const p of persons) until.set(p.householdId, smallest(until.get(p.householdId), latest.get(p.id) ?? '-infinity'));
  const villageOf = new Map(persons.map((p) => [p.householdId, p.villageCode ?? '']));
  const expected = new Map([...until].map(([id, day]) => [id, `${villageOf.get(id)} ${day}`]));
  const kept = await sql<{ id: string; village: string | null; until: string }>`
    select household_id as id, village_code as village, covered_until::text as until from household_coverage`.execute(t.db);
  expect(new Map(kept.rows.map((r) => [r.id, `${r.village ?? ''} ${r.until}`]))).toEqual(expected);
  expect(expected.size).toBeGreaterThan(0);
}

/** Each person's kept latest card (migration 0023) is a card of theirs that ends last; persons without cards have none. */
async function expectLatestCardsEqualTruth() {
  const cards = await t.db.selectFrom('card').select(['householdId', 'personId', 'id', 'validTo', 'collectorCode']).execute();
  const latest = new Map<string, string>();
  for (const c of cards) if (!latest.has(c.personId) || c.validTo > latest.get(c.personId)!) latest.set(c.personId, c.validTo);
  const byId = new Map(cards.map((c) => [c.id, c]));
  const kept = await sql<{ householdId: string; personId: string; cardId: string; validTo: string; collectorCode: string | null }>`
    select household_id as "householdId", person_id as "personId", card_id as "cardId", valid_to::text as "validTo", collector_code as "collectorCode" from latest_card`.execute(t.db);
  expect(new Map(kept.rows.map((r) => [r.personId, r.validTo]))).toEqual(latest);
  for (const r of kept.rows) expect(byId.get(r.cardId)).toMatchObject({ householdId: r.householdId, personId: r.personId, validTo: r.validTo, collectorCode: r.collectorCode });
  expect(latest.size).toBeGreaterThan(0);
}

/** The kept renewals (migration 0020) equal the cards: a card starting while an earlier-starting card covered the day before. */
async function expectRenewalsEqualTruth() {
  const persons = await t.db.selectFrom('person as p').innerJoin('household as h', 'h.id', 'p.householdId').select(['p.id', 'p.communeCode', 'h.villageCode']).execute();
  const cards = await t.db.selectFrom('card').select(['personId', 'groupCode', 'validFrom', 'validTo']).execute();
  const expected = new Set<string>();
  const counts = new Map<string, number>();
  for (const p of persons) {
    const mine = cards.filter((c) => c.personId === p.id);
    for (const c of mine) {
      const renewed = mine.some((j) => j.validFrom < c.validFrom && j.validTo >= addDays(c.validFrom, -1));
      const key = `${p.communeCode} ${p.villageCode ?? ''} ${c.groupCode} ${c.validFrom}`;
      if (!renewed || expected.has(`${key} ${p.id}`)) continue;
      expected.add(`${key} ${p.id}`);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  const kept = await sql<{ key: string; n: number }>`
    select commune_code || ' ' || village_code || ' ' || group_code || ' ' || day::text as key, persons as n from coverage_renewal`.execute(t.db);
  expect(new Map(kept.rows.map((r) => [r.key, Number(r.n)]))).toEqual(counts);
}

/** The kept card ends (migration 0032) equal the cards: per commune and day, the cards ending, and those followed within 90 days by a later-ending card. */
async function expectCardEndsEqualTruth() {
  const persons = await t.db.selectFrom('person').select(['id', 'communeCode']).execute();
  const communeOf = new Map(persons.map((p) => [p.id, p.communeCode]));
  const cards = await t.db.selectFrom('card').select(['personId', 'validFrom', 'validTo']).execute();
  const counts = new Map<string, string>();
  const tally = new Map<string, [number, number]>();
  for (const c of cards) {
    const renewed = cards.some((n) => n.personId === c.personId && n.validTo > c.validTo && n.validFrom <= addDays(c.validTo, 90));
    const key = `${communeOf.get(c.personId)} ${c.validTo}`;
    const [ended, renewals] = tally.get(key) ?? [0, 0];
    tally.set(key, [ended + 1, renewals + (renewed ? 1 : 0)]);
  }
  for (const [key, [ended, renewed]] of tally) counts.set(key, `${ended}/${renewed}`);
  const kept = await sql<{ key: string; n: string }>`
    select commune_code || ' ' || day::text as key, ended || '/' || renewed as n from card_end_count`.execute(t.db);
  expect(new Map(kept.rows.map((r) => [r.key, r.n]))).toEqual(counts);
  expect(counts.size).toBeGreaterThan(0);
}

/** The kept starts and renewals per commune and day (migration 0033) equal the span counts by their first day and the renewals, villages summed. */
async function expectCoverageDaysEqualCounts() {
  const sums = await sql<{ key: string; n: string }>`
    select day::text || ' ' || commune_code || ' ' || group_code as key, sum(started) || '/' || sum(renewed) as n from (
      select span_from as day, commune_code, group_code, persons as started, 0 as renewed from coverage_count
      union all
      select day, commune_code, group_code, 0, persons from coverage_renewal) x
    group by 1 having sum(started) <> 0 or sum(renewed) <> 0`.execute(t.db);
  const kept = await sql<{ key: string; n: string }>`
    select day::text || ' ' || commune_code || ' ' || group_code as key, started || '/' || renewed as n from coverage_day`.execute(t.db);
  expect(new Map(kept.rows.map((r) => [r.key, r.n]))).toEqual(new Map(sums.rows.map((r) => [r.key, r.n])));
  expect(sums.rows.length).toBeGreaterThan(0);
}

async function expectCountsEqualTruth() {
  await expectSnapshotsEqualTruth();
  await expectCoverageDaysEqualCounts();
  await expectCardEndsEqualTruth();
  await expectCoveredUntilEqualTruth();
  await expectLatestCardsEqualTruth();
  await expectRenewalsEqualTruth();
  for (const date of DATES) {
    const expected = await truth(date);
    const communes = [...expected.keys()].filter((k) => k.startsWith('c:')).map((k) => k.slice(2));
    const villages = [...expected.keys()].filter((k) => k.startsWith('v:')).map((k) => k.slice(2));
    // on a month end the dashboard reads the snapshots; the span counts give the same numbers
    if (isMonthEnd(date)) {
      const codes = [...expected.keys()].filter((k) => k.startsWith('c:')).map((k) => k.slice(2));
      const [fromSnapshots] = await registerCountsOn(t.db, 'commune', codes, [date]);
      const fromSpans = await registerCounts(t.db, 'commune', codes, date, addDays(date, 31));
      const bySpans = await sql<{ unit: string; n: number }>`
        select commune_code as unit, sum(persons)::int as n from coverage_count where span_from <= ${date}::date and span_to >= ${date}::date group by 1`.execute(t.db);
      expect(new Map(fromSnapshots.map((r) => [r.unitCode, r.participants]))).toEqual(new Map(fromSpans.map((r) => [r.unitCode, r.participants])));
      expect(Object.fromEntries(fromSnapshots.filter((r) => r.participants > 0).map((r) => [r.unitCode, r.participants]))).toEqual(
        Object.fromEntries(bySpans.rows.map((r) => [r.unit, Number(r.n)])),
      );
    }
    const kept = [
      ...(await registerCounts(t.db, 'commune', communes, date, addDays(date, 30))).map((r) => [`c:${r.unitCode}`, r] as const),
      ...(await registerCounts(t.db, 'village', villages, date, addDays(date, 30))).map((r) => [`v:${r.unitCode}`, r] as const),
    ];
    const actual = new Map(kept.map(([k, { unitCode: _u, byGroup: _g, ...counts }]) => [k, counts]));
    expect(actual, date).toEqual(expected);
    // and the plain GROUP BY over the register (the benchmark's reference) agrees
    const direct = await registerCountsDirect(t.db, 'commune', communes, date, addDays(date, 30));
    expect(new Map(direct.map(({ unitCode, ...counts }) => [`c:${unitCode}`, counts])), `${date} direct`).toEqual(
      new Map([...expected].filter(([k]) => k.startsWith('c:'))),
    );
  }
}

describe(`kept coverage aggregates (${engineName})`, () => {
  it('equal the register after an import, edits, card changes and a second import', async () => {
    const file = path.join(dir, 'demo.csv');
    await writeDemoFile(t, system, { province: '15', persons: 1500, seed: 7, today: '2025-10-31' }, file);
    const first = await importRegister(t, system, { path: file }, { today: '2025-10-31' });
    expect(first.inserted).toBe(1500);
    await expectCountsEqualTruth();

    // card changes by hand: add, move, delete
    const someone = await t.db.selectFrom('person').select(['id', 'householdId']).orderBy('id').limit(3).execute();
    const card = await register.createCard(t.db, system, { personId: someone[0].id, groupCode: 'GD', validFrom: '2025-11-01', validTo: '2026-10-31' });
    await register.updateCard(t.db, system, card.id, { validFrom: '2025-06-01' });
    const anyCard = await t.db.selectFrom('card').select('id').where('personId', '=', someone[1].id).executeTakeFirst();
    if (anyCard) await register.deleteCard(t.db, system, anyCard.id);
    // renewals: a card from the day after a card ends, one starting inside a card, one after a gap (new, not renewed)
    const renewals = async () => (await sql<{ n: number }>`select coalesce(sum(persons), 0)::int as n from coverage_renewal`.execute(t.db)).rows[0].n;
    const renewalsBefore = await renewals();
    const held = (
      await sql<{ personId: string; validTo: string }>`
        select person_id as "personId", max(valid_to)::text as "validTo" from card
        where person_id not in (${sql.join(someone.map((p) => p.id))}) group by person_id having count(*) = 1 order by person_id limit 3`.execute(t.db)
    ).rows;
    await register.createCard(t.db, system, { personId: held[0].personId, groupCode: 'GD', validFrom: addDays(held[0].validTo, 1), validTo: addDays(held[0].validTo, 365) });
    await register.createCard(t.db, system, { personId: held[1].personId, groupCode: 'GD', validFrom: addDays(held[1].validTo, -10), validTo: addDays(held[1].validTo, 355) });
    await register.createCard(t.db, system, { personId: held[2].personId, groupCode: 'GD', validFrom: addDays(held[2].validTo, 40), validTo: addDays(held[2].validTo, 405) });
    expect(await renewals()).toBe(renewalsBefore + 2);
    // a person moves to another household (maybe another village), another is removed
    const otherHousehold = await t.db.selectFrom('household').select('id').where('id', '!=', someone[2].householdId).orderBy('code', 'desc').executeTakeFirstOrThrow();
    await register.updatePerson(t.db, system, someone[2].id, { householdId: otherHousehold.id }, '2025-10-31');
    await register.deletePerson(t.db, system, someone[1].id);
    // short cards of persons without any: inside (31/10, 18/11), around 18/11, and starting after it but
    // ending within 30 days (the corrections a day that is not a month end needs)
    const uninsured = await t.db
      .selectFrom('person as p')
      .select('p.id')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('card as c').select('c.id').whereRef('c.personId', '=', 'p.id'))))
      .orderBy('p.id')
      .limit(3)
      .execute();
    expect(uninsured).toHaveLength(3);
    await register.createCard(t.db, system, { personId: uninsured[0].id, groupCode: 'GD', validFrom: '2025-11-02', validTo: '2025-11-12' });
    await register.createCard(t.db, system, { personId: uninsured[1].id, groupCode: 'GD', validFrom: '2025-11-10', validTo: '2025-11-20' });
    await register.createCard(t.db, system, { personId: uninsured[2].id, groupCode: 'GD', validFrom: '2025-11-25', validTo: '2025-12-05' });
    await expectCountsEqualTruth();

    // the same file again restores what it says (the moved and deleted persons come back)
    await importRegister(t, system, { path: file }, { today: '2025-10-31' });
    await expectCountsEqualTruth();

    // a file in which only one household moved to another village: its counts move, nothing else changes
    const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
    const cells = lines[1].split(',');
    cells[2] = 'Thôn Đổi Tên';
    const moved = path.join(dir, 'moved.csv');
    fs.writeFileSync(moved, [lines[0], cells.join(','), ...lines.slice(2)].join('\n') + '\n');
    const r = await importRegister(t, system, { path: moved }, { today: '2025-10-31' });
    expect(r).toMatchObject({ inserted: 0, updated: 0, unchanged: 1500 });
    await expectCountsEqualTruth();
  });

  it('equal the register with spans on the edges of months, one-day spans, and after deleting them', async () => {
    const uninsured = await t.db
      .selectFrom('person as p')
      .select('p.id')
      .where((eb) => eb.not(eb.exists(eb.selectFrom('card as c').select('c.id').whereRef('c.personId', '=', 'p.id'))))
      .orderBy('p.id', 'desc')
      .limit(5)
      .execute();
    expect(uninsured).toHaveLength(5);
    const card = (i: number, validFrom: string, validTo: string) => register.createCard(t.db, system, { personId: uninsured[i].id, groupCode: 'GD', validFrom, validTo });
    // one day, on a month end; from the 1st to a month end; one day inside a month; ending 30 days after a
    // month end (expiring at two month ends); starting on the 1st after another span of the same person
    // ended on the month end before (back to back: one span)
    const oneDay = await card(0, '2025-11-30', '2025-11-30');
    const wholeMonths = await card(1, '2025-12-01', '2026-01-31');
    await card(2, '2025-12-15', '2025-12-15');
    const twoExpiring = await card(3, '2026-01-02', '2026-03-02');
    await card(4, '2025-06-01', '2025-10-31');
    const backToBack = await card(4, '2025-11-01', '2025-11-30');
    await expectCountsEqualTruth();

    await register.deleteCard(t.db, system, oneDay.id);
    await register.deleteCard(t.db, system, wholeMonths.id);
    await register.deleteCard(t.db, system, backToBack.id);
    await register.updateCard(t.db, system, twoExpiring.id, { validFrom: '2026-01-31', validTo: '2026-01-31' });
    await expectCountsEqualTruth();
  });
});
