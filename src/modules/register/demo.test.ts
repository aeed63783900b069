import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, system, testDatabase, type TestDatabase } from '../../test/db';
import { addYears } from '../../domain/calendar';
import { isCoveredOn } from '../../domain/coverage';
import { coverageOf } from '../coverage/coverage.service';
import { loadDemo } from './demo.service';
import { listOffices } from '../offices/offices.service';
import { listGroups } from '../outreach/groups.service';
import { progress } from '../outreach/progress.service';
import { listReports } from '../outreach/reports.service';
import { DEFAULT_RULES } from '../../domain/premium-rules';
import { DEFAULT_VSI_RULES } from '../../domain/voluntary-si-rules';
import { checkVsiPeriod } from '../../domain/vsi-period';
import { vsiCoverageOf } from '../coverage/vsi-coverage.service';

// not a month end: the dashboard reads the month end before and the spans since
const TODAY = '2026-03-18';
const YEAR_AGO = addYears(TODAY, -1);
const PERSONS = 4_000;
let t: TestDatabase;

beforeAll(async () => {
  t = await testDatabase();
  const report = await loadDemo(t, system, { province: '15', persons: PERSONS, seed: 5, today: TODAY });
  expect(report.inserted).toBe(PERSONS);
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
});

/** The truth from the register's cards, by the domain rules: persons covered on `date`. */
async function coveredOn(date: string): Promise<number> {
  const cards = await t.db.selectFrom('card').select(['personId', 'validFrom', 'validTo']).execute();
  const byPerson = new Map<string, typeof cards>();
  for (const c of cards) byPerson.set(c.personId, [...(byPerson.get(c.personId) ?? []), c]);
  return [...byPerson.values()].filter((mine) => isCoveredOn(mine, date)).length;
}

describe(`the demo province looks like a real one (${engineName})`, () => {
  it('holds a card history: renewals before the card in force, not one card each', async () => {
    const { n } = await t.db.selectFrom('card').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(n)).toBeGreaterThan(2 * PERSONS);
  });

  it('has a dashboard with a coverage rate near the seeds and a year-over-year change of a few percent', async () => {
    const now = await coverageOf(t.db, system, '15', TODAY);
    const before = await coverageOf(t.db, system, '15', YEAR_AGO);
    // the kept aggregates agree with the cards (the history was added with its counts)
    expect(now.participants).toBe(await coveredOn(TODAY));
    expect(before.participants).toBe(await coveredOn(YEAR_AGO));
    expect(now.register?.participantsYearAgo).toBe(before.participants);

    expect(now.population).toBe(PERSONS);
    // about 93% of the population insured (Lào Cai 88%, the country about 95% at the end of 2025)
    expect(now.pctPopulation).toBeGreaterThan(90);
    expect(now.pctPopulation).toBeLessThan(96);
    expect(before.pctPopulation).toBeGreaterThan(88);
    // a few percent up or down a year over, not a register that starts last year
    for (const day of [now, before]) {
      expect(day.yoyChange).not.toBeNull();
      const yearAgo = day.participants! - day.yoyChange!;
      expect(Math.abs(day.yoyChange! / yearAgo)).toBeLessThan(0.05);
    }
    // the state-paid groups are there on both dates
    for (const day of [now, before]) for (const group of ['TE', 'HN', 'DT', 'HS', 'GD']) expect(day.byGroup[group] ?? 0).toBeGreaterThan(0);
    // and some lapsed: cards that ended months ago, not renewed
    expect(now.register?.neverInsured).toBeGreaterThan(0);
    expect(now.participants!).toBeLessThan(PERSONS - now.register!.neverInsured);
  });
});

describe(`the demo province's social insurance network (${engineName})`, () => {
  it('has its offices serving every commune, facilities and collectors, and cards naming them', async () => {
    const list = await listOffices(t.db, system, '15');
    expect(list.filter((o) => o.kind === 'si_province').map((o) => o.name)).toEqual(['Bảo hiểm xã hội tỉnh Lào Cai']);
    const served = list.flatMap((o) => o.communes.map((c) => c.code));
    expect(new Set(served).size).toBe(served.length);
    expect(served.length).toBe(99);
    const cards = await t.db.selectFrom('card').select(['facilityCode', 'collectorCode']).execute();
    expect(cards.every((c) => c.facilityCode !== null)).toBe(true);
    expect(cards.filter((c) => c.collectorCode !== null).length).toBeGreaterThan(cards.length * 0.9);
    // each person's kept latest card (migration 0023) names the card's collector
    const differ = await sql<{ n: number; all: number }>`
      select count(*) filter (where l.collector_code is distinct from c.collector_code)::int as n, count(*)::int as all
      from latest_card l join card c on c.household_id = l.household_id and c.person_id = l.person_id and c.id = l.card_id`.execute(t.db);
    expect(differ.rows[0]).toEqual({ n: 0, all: expect.any(Number) });
    expect(differ.rows[0].all).toBeGreaterThan(cards.length / 3);
    // the commune a household lives in is read by its office's staff
    const office = list.find((o) => o.kind === 'si_grassroots')!;
    const report = await coverageOf(t.db, system, office.code, TODAY);
    expect(report.children.map((c) => c.unit).sort()).toEqual(office.communes.map((c) => c.code).sort());
  });
});


describe(`the demo province's door to door (${engineName})`, () => {
  it('has two working groups with their members and visits logged on their lists, some waiting for review', async () => {
    const groups = await listGroups(t.db, system, { unit: '15' });
    expect(groups.map((g) => [g.name, g.leader?.username, g.members.length]).sort()).toEqual([
      ['Tổ công tác 1', 'demo.to1.truong', 2],
      ['Tổ công tác 2', 'demo.to2.truong', 2],
    ]);
    const visits = await t.db.selectFrom('visit').select(['groupId', 'villageCode', 'outcome', 'reason', 'visitedOn']).execute();
    expect(visits.length).toBeGreaterThan(20);
    for (const v of visits) {
      expect(groups.find((g) => g.id === v.groupId)!.villages.map((x) => x.code)).toContain(v.villageCode);
      expect(v.visitedOn <= TODAY).toBe(true);
    }
    expect(new Set(visits.map((v) => v.outcome)).size).toBe(4);
    const reported = visits.filter((v) => v.reason === 'moved_away' || v.reason === 'deceased' || v.reason === 'insured_elsewhere').length;
    expect((await listReports(t.db, system, { status: 'pending' })).length).toBe(reported);
    const p = await progress(t.db, system, { unit: groups[0].communeCode }, TODAY);
    expect(p.total.visits).toBe(visits.filter((v) => v.groupId === groups[0].id).length);
    expect(p.total.householdsVisited).toBeGreaterThan(0);
  });
});

describe(`the demo province's voluntary social insurance (${engineName})`, () => {
  it('a few % of the adults outside the state-paid groups have periods that pass the rules; the dashboard counts them', async () => {
    const periods = await t.db
      .selectFrom('vsiPeriod as v')
      .innerJoin('person as p', (j) => j.onRef('p.householdId', '=', 'v.householdId').onRef('p.id', '=', 'v.personId'))
      .select(['v.personId', 'v.validFrom', 'v.validTo', 'v.monthlyIncome', 'v.paymentMonths', 'v.source', 'p.groupCodes', 'p.birthDate'])
      .execute();
    const persons = new Set(periods.map((v) => v.personId));
    expect(persons.size).toBeGreaterThan(PERSONS * 0.005);
    expect(persons.size).toBeLessThan(PERSONS * 0.04);
    for (const v of periods) {
      expect(checkVsiPeriod(v, DEFAULT_VSI_RULES, DEFAULT_RULES.baseSalaries)).toEqual([]);
      expect(v.source).toBe('demo');
      expect(v.groupCodes.some((g) => ['TE', 'BT', 'HN', 'DT', 'HS'].includes(g))).toBe(false);
      expect(v.birthDate <= addYears(TODAY, -15)).toBe(true);
    }
    const r = await vsiCoverageOf(t.db, system, '15', { date: TODAY });
    expect(r.participants).toBeGreaterThan(0);
    expect(r.participants).toBe(new Set(periods.filter((v) => v.validFrom <= TODAY && TODAY <= v.validTo).map((v) => v.personId)).size);
    expect(r.newParticipants).toBeGreaterThan(0);
  });
});
