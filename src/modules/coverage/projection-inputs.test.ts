/**
 * The coverage projection's inputs, which plans' goals reuse (issue 21): coverage ends of the persons
 * covered on a day and the past renewals, computed by hand on a small register, and equal to a plain
 * person-by-person reading (kept here to check any faster rewrite of the repository's SQL), on both engines.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, system, testDatabase, type TestDatabase } from '../../test/db';
import { outreachFixture, type OutreachFixture } from '../outreach/outreach.fixture';
import { createCard } from '../register/register.service';
import { coverageEnds, inUnit, renewals } from './coverage.repository';

let t: TestDatabase;
let f: OutreachFixture;

beforeAll(async () => {
  t = await testDatabase();
  f = await outreachFixture(t);
  const card = (name: string, validFrom: string, validTo: string) => createCard(t.db, system, { personId: f.persons[name], groupCode: 'GD', validFrom, validTo });
  // An: ends 30/06/2025, renewed after 32 days; Cường: ends 31/05/2025, back only after 123 days;
  // Hoa: renewed the day after; Bình (fixture): 01/01-31/12/2025
  await card('An', '2025-01-01', '2025-06-30');
  await card('An', '2025-08-01', '2026-07-31');
  await card('Cường', '2025-01-01', '2025-05-31');
  await card('Cường', '2025-10-01', '2026-09-30');
  await card('Hoa', '2024-07-01', '2025-06-30');
  await card('Hoa', '2025-07-01', '2026-06-30');
});
afterAll(async () => {
  await t?.cleanup();
});

const unit = inUnit('commune', '02905');
const date = '2025-10-31';

describe(`the projection's inputs (${engineName})`, () => {
  it('counts coverage ends before a day of the persons covered', async () => {
    const ends = await coverageEnds(t.db, unit, date, '2026-08-01');
    expect(ends).toEqual([
      { date: '2025-12-31', count: 1 },
      { date: '2026-06-30', count: 1 },
      { date: '2026-07-31', count: 1 },
    ]);
    const old = await sql<{ date: string; count: number }>`
      select e as date, count(*)::int as count from (
        select (select max(c.valid_to) from card c where c.household_id = p.household_id and c.person_id = p.id and c.valid_to >= ${date}::date) as e
        from person p where ${unit} and exists (select 1 from card c where c.household_id = p.household_id and c.person_id = p.id and c.valid_from <= ${date}::date and c.valid_to >= ${date}::date)
      ) x where e < '2026-08-01'::date group by e order by e`.execute(t.db);
    expect(ends).toEqual(old.rows.map((x) => ({ date: String(x.date), count: Number(x.count) })));
  });

  it('counts the cards ended in a window and those renewed within 90 days', async () => {
    const from = '2024-10-31';
    const to = '2025-08-02';
    expect(await renewals(t.db, unit, from, to, 90)).toEqual({ ended: 3, renewedWithin: 2 });
    const old = await sql<{ ended: number; renewed: number }>`
      select count(*)::int as ended,
        count(*) filter (where exists (select 1 from card n where n.household_id = c.household_id and n.person_id = c.person_id
          and n.valid_to > c.valid_to and n.valid_from <= c.valid_to + 90))::int as renewed
      from card c join person p on p.household_id = c.household_id and p.id = c.person_id
      where ${unit} and c.valid_to between ${from}::date and ${to}::date`.execute(t.db);
    expect({ ended: Number(old.rows[0].ended), renewedWithin: Number(old.rows[0].renewed) }).toEqual({ ended: 3, renewedWithin: 2 });
    // with a 30-day window An's renewal (32 days) no longer counts
    expect(await renewals(t.db, unit, from, to, 30)).toEqual({ ended: 3, renewedWithin: 1 });
  });
});
