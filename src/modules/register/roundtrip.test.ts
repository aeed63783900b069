/**
 * Round trip without loss (issue 18, item 5): the register exported (the persons export, the import
 * template's columns, one row per card) and imported into an empty database gives the same register:
 * households, persons, every card with its number, source, facility and collector, and the same coverage
 * counts; through the staged path and the fast path alike. On the demo province, with several cards per
 * person, cards entered by hand and programme cards.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoRegisterRows, generateDemoPopulation } from '../../domain/demo-population';
import { CANONICAL_COLUMNS, type CanonicalColumn } from '../../domain/register-row';
import { foldVietnamese } from '../../domain/text';
import { csvLine } from '../../io/csv';
import { engineName, system, testDatabase, type TestDatabase } from '../../test/db';
import { listChildren } from '../units/units.service';
import { exportRegister } from './export.service';
import { importRegister } from './import.service';
import { createCard } from './register.service';

const TODAY = '2026-12-04';
const PERSONS = 2500;
const FACILITIES = ['10001', '10002', '01003'];
const COLLECTORS = ['DL15001', 'NV15002'];

let source: TestDatabase;
let dir: string;

/** The lists a card's facility and collector are checked against: reference data, loaded before the register. */
async function seedLists(t: TestDatabase) {
  await t.db
    .insertInto('healthFacility')
    .values(FACILITIES.map((code) => ({ code, name: `Trạm y tế ${code}`, searchName: foldVietnamese(`Trạm y tế ${code}`), provinceCode: '15' })))
    .execute();
  await t.db
    .insertInto('collector')
    .values(COLLECTORS.map((code, i) => ({ code, name: `Nhân viên thu ${i}`, searchName: `nhan vien thu ${i}`, kind: 'staff' as const, officeCode: '15' })))
    .execute();
}

/** The register as comparable facts: counts, every card with its holder, the coverage counts. */
async function snapshot(t: TestDatabase) {
  const count = async (table: 'household' | 'person' | 'card') => Number((await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(t.db)).rows[0].n);
  const cards = await sql<Record<string, unknown>>`
    select h.commune_code, h.code, p.full_name, p.birth_date::text as birth, p.citizen_id, c.group_code, c.valid_from::text as "from", c.valid_to::text as "to",
      c.number, c.source, c.facility_code, c.collector_code
    from card c join person p on p.household_id = c.household_id and p.id = c.person_id join household h on h.id = c.household_id
    order by 1, 2, 3, 4, 7, 8, 6`.execute(t.db);
  const coverage = await sql<Record<string, unknown>>`
    select commune_code, village_code, group_code, span_from::text, span_to::text, persons from coverage_count order by 1, 2, 3, 4, 5`.execute(t.db);
  const population = await sql<Record<string, unknown>>`select commune_code, village_code, persons, ever_insured from population_count order by 1, 2`.execute(t.db);
  return { households: await count('household'), persons: await count('person'), cards: await count('card'), list: cards.rows, coverage: coverage.rows, population: population.rows };
}

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-roundtrip-'));
  source = await testDatabase();
  await seedLists(source);
  // the demo province with every card of each person (one row per card, consecutive), some with a
  // number, a facility, a collector, some from a donation programme
  const communes = (await listChildren(source.db, system, '15')).filter((c) => c.level === 'commune').map((c) => ({ code: c.code, name: c.name }));
  const file = path.join(dir, 'demo.csv');
  const lines = [CANONICAL_COLUMNS.join(',')];
  let n = 0;
  for (const household of generateDemoPopulation({ communes, persons: PERSONS, seed: 7, today: TODAY })) {
    for (const person of household.members) {
      const cards = person.cards.length ? person.cards.map((card) => [card]) : [[]];
      for (const one of cards) {
        const [row] = demoRegisterRows({ ...household, members: [{ ...person, cards: one }] });
        if (one.length) {
          n++;
          const facts: Partial<Record<CanonicalColumn, string>> = {
            card_number: n % 3 === 0 ? '' : `${row.card_group}4${String(100000000 + n)}`,
            card_source: n % 11 === 0 ? 'Chương trình tặng thẻ' : '',
            facility_code: n % 4 === 0 ? '' : FACILITIES[n % FACILITIES.length],
            collector_code: n % 5 === 0 ? COLLECTORS[n % COLLECTORS.length] : '',
          };
          Object.assign(row, facts);
        }
        lines.push(csvLine(CANONICAL_COLUMNS.map((c) => row[c])));
      }
    }
  }
  fs.writeFileSync(file, lines.join('\n'));
  const loaded = await importRegister(source, system, { path: file }, { today: TODAY });
  expect(loaded).toMatchObject({ rejected: 0, errors: [] });
  // more cards entered by hand (a renewal with a number; after every demo card, so that no two cards of a
  // person share their dates: the coverage counts name a span by its latest card, and between two cards
  // with the same dates either may be taken)
  const some = await source.db.selectFrom('person').select('id').orderBy('id').limit(40).execute();
  for (const [i, p] of some.entries())
    await createCard(source.db, system, { personId: p.id, groupCode: 'GD', validFrom: '2028-01-01', validTo: '2028-12-31', number: `GD4${String(900000000 + i)}` });
}, 300_000);

afterAll(async () => {
  await source?.cleanup();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

describe(`round trip of the register (${engineName})`, () => {
  it('gives the same register after export and import into an empty database, by both import paths', async () => {
    const before = await snapshot(source);
    // what the test must cover: persons with several cards, cards of every source, facilities, collectors
    expect(before.cards).toBeGreaterThan(before.persons * 0.9);
    const perPerson = await sql<{ n: number }>`select count(*)::int as n from (select person_id from card group by person_id having count(*) > 1) x`.execute(source.db);
    expect(perPerson.rows[0].n).toBeGreaterThan(40);
    expect(new Set(before.list.map((c) => c.source))).toEqual(new Set(['import', 'manual', 'programme']));
    expect(before.list.filter((c) => c.facility_code !== null).length).toBeGreaterThan(100);
    expect(before.list.filter((c) => c.collector_code !== null).length).toBeGreaterThan(100);

    const file = path.join(dir, 'export.xlsx');
    const out = fs.createWriteStream(file);
    const { rows } = await exportRegister(source.db, system, { what: 'persons', format: 'xlsx', language: 'vi' }, out);
    await finished(out);
    // one row per card, and one per person without a card
    const uninsured = Number((await sql<{ n: number }>`select count(*)::int as n from person p where not exists (select 1 from card c where c.person_id = p.id)`.execute(source.db)).rows[0].n);
    expect(rows).toBe(before.cards + uninsured);

    for (const [name, freshPathFromBytes] of [
      ['staged', Infinity],
      ['fast', 0],
    ] as const) {
      const target = await testDatabase();
      try {
        await seedLists(target);
        const report = await importRegister(target, system, { path: file }, { today: TODAY, freshPathFromBytes });
        expect(report, name).toMatchObject({ rows, inserted: rows, rejected: 0, errors: [] });
        const after = await snapshot(target);
        expect({ households: after.households, persons: after.persons, cards: after.cards }, name).toEqual({ households: before.households, persons: before.persons, cards: before.cards });
        expect(after.list, name).toEqual(before.list);
        expect(after.coverage, name).toEqual(before.coverage);
        expect(after.population, name).toEqual(before.population);
      } finally {
        await target.cleanup();
      }
    }
  }, 600_000);

  it('refuses a card whose facility or collector is not in the lists, naming the code, the column and the row', async () => {
    const file = path.join(dir, 'unknown.csv');
    const header = CANONICAL_COLUMNS.join(',');
    const cells = (facility: string, collector: string) =>
      csvLine(
        CANONICAL_COLUMNS.map(
          (c) =>
            ({
              household_code: 'X01',
              commune_code: '02905',
              full_name: 'Lò Văn Mười',
              birth_date: '01/01/1990',
              sex: 'Nam',
              card_group: 'GD',
              card_from: '01/01/2026',
              card_to: '31/12/2026',
              facility_code: facility,
              collector_code: collector,
            })[c as string] ?? '',
        ),
      );
    fs.writeFileSync(file, [header, cells('10001', 'DL15001'), cells('99999', 'NOBODY')].join('\n'));
    const target = await testDatabase();
    try {
      await seedLists(target);
      const report = await importRegister(target, system, { path: file }, { today: TODAY, language: 'vi' });
      expect(report).toMatchObject({ rolledBack: true, rejected: 1 });
      expect(report.errors).toEqual([
        { row: 3, column: 'facility_code', value: '99999', message: 'Không có nơi đăng ký KCB ban đầu mã 99999 trong danh sách cơ sở KCB' },
        { row: 3, column: 'collector_code', value: 'NOBODY', message: 'Không có nhân viên thu mã NOBODY trong danh sách nhân viên thu' },
      ]);
      expect(Number((await sql<{ n: number }>`select count(*)::int as n from card`.execute(target.db)).rows[0].n)).toBe(0);
    } finally {
      await target.cleanup();
    }
  }, 120_000);
});
