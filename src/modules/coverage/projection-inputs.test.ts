/**
 * The coverage projection's inputs, which plans' goals reuse (issue 21): coverage ends of the persons
 * covered on a day and the past renewals, computed by hand on a small register, read from the kept
 * aggregates (a commune, a province, a village) and equal to a plain reading of the cards, on both engines.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, system, testDatabase, type TestDatabase } from '../../test/db';
import { outreachFixture, type OutreachFixture } from '../outreach/outreach.fixture';
import { createCard } from '../register/register.service';
import { coverageEnds, inUnit, renewals, type RegisterScope } from './coverage.repository';

let t: TestDatabase;
let f: OutreachFixture;

beforeAll(async () => {
  t = await testDatabase();
  f = await outreachFixture(t);
  const card = (name: string, validFrom: string, validTo: string) => createCard(t.db, system, { personId: f.persons[name], groupCode: 'GD', validFrom, validTo });
  // An: ends 30/06/2025, renewed after 32 days; Cường: ends 31/05/2025, back only after 123 days;
  // Hoa: renewed the day after; Bình (fixture): 01/01-31/12/2025, then (bought ahead, after a gap)
  // 01/03-15/07/2026, a span that does not cover 31/10/2025: her coverage ends 31/12/2025
  await card('An', '2025-01-01', '2025-06-30');
  await card('An', '2025-08-01', '2026-07-31');
  await card('Cường', '2025-01-01', '2025-05-31');
  await card('Cường', '2025-10-01', '2026-09-30');
  await card('Hoa', '2024-07-01', '2025-06-30');
  await card('Hoa', '2025-07-01', '2026-06-30');
  await card('Bình', '2026-03-01', '2026-07-15');
});
afterAll(async () => {
  await t?.cleanup();
});

const commune: RegisterScope = { communes: ['02905'] };
const date = '2025-10-31';

describe(`the projection's inputs (${engineName})`, () => {
  it('counts coverage ends before a day of the persons covered', async () => {
    const ends = await coverageEnds(t.db, commune, date, '2026-08-01');
    expect(ends).toEqual([
      { date: '2025-12-31', count: 1 },
      { date: '2026-06-30', count: 1 },
      { date: '2026-07-31', count: 1 },
    ]);
    // with the other commune (no card there) and a village (Thôn Một: Bình and An)
    expect(await coverageEnds(t.db, { communes: ['02905', '02923'] }, date, '2026-08-01')).toEqual(ends);
    const village = (await t.db.selectFrom('household').select('villageCode').where('id', '=', f.households.H1).executeTakeFirstOrThrow()).villageCode!;
    expect(await coverageEnds(t.db, { village }, date, '2026-08-01')).toEqual([
      { date: '2025-12-31', count: 1 },
      { date: '2026-07-31', count: 1 },
    ]);
  });

  it('counts the cards ended in a window and those renewed within 90 days', async () => {
    const from = '2024-10-31';
    const to = '2025-08-02';
    expect(await renewals(t.db, commune, from, to, 90)).toEqual({ ended: 3, renewedWithin: 2 });
    const old = await sql<{ ended: number; renewed: number }>`
      select count(*)::int as ended,
        count(*) filter (where exists (select 1 from card n where n.household_id = c.household_id and n.person_id = c.person_id
          and n.valid_to > c.valid_to and n.valid_from <= c.valid_to + 90))::int as renewed
      from card c join person p on p.household_id = c.household_id and p.id = c.person_id
      where ${inUnit('commune', '02905')} and c.valid_to between ${from}::date and ${to}::date`.execute(t.db);
    expect({ ended: Number(old.rows[0].ended), renewedWithin: Number(old.rows[0].renewed) }).toEqual({ ended: 3, renewedWithin: 2 });
    // with a 30-day window An's renewal (32 days) no longer counts
    // (read from the cards: the kept counts are for 90 days)
    expect(await renewals(t.db, commune, from, to, 30)).toEqual({ ended: 3, renewedWithin: 1 });
    // a village reads the cards: Thôn Một holds An and Cường, both ended in the window, An renewed
    const village = (await t.db.selectFrom('household').select('villageCode').where('id', '=', f.households.H1).executeTakeFirstOrThrow()).villageCode!;
    expect(await renewals(t.db, { village }, from, to, 90)).toEqual({ ended: 2, renewedWithin: 1 });
  });
});
