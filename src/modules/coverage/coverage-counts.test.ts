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
import { registerCounts, registerCountsDirect } from './coverage.repository';

let t: TestDatabase;
let dir: string;
const DATES = ['2025-06-30', '2025-10-31', '2026-01-01'];

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

async function expectCountsEqualTruth() {
  for (const date of DATES) {
    const expected = await truth(date);
    const communes = [...expected.keys()].filter((k) => k.startsWith('c:')).map((k) => k.slice(2));
    const villages = [...expected.keys()].filter((k) => k.startsWith('v:')).map((k) => k.slice(2));
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
    // a person moves to another household (maybe another village), another is removed
    const otherHousehold = await t.db.selectFrom('household').select('id').where('id', '!=', someone[2].householdId).orderBy('code', 'desc').executeTakeFirstOrThrow();
    await register.updatePerson(t.db, system, someone[2].id, { householdId: otherHousehold.id }, '2025-10-31');
    await register.deletePerson(t.db, system, someone[1].id);
    await expectCountsEqualTruth();

    // the same file again restores what it says (the moved and deleted persons come back)
    await importRegister(t, system, { path: file }, { today: '2025-10-31' });
    await expectCountsEqualTruth();
  });
});
