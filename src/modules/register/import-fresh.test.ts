import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { PROJECT_ROOT } from '../../config';
import { MIGRATED_DUMP } from '../../test/paths';
import { engineName, system, testDatabase, TEST_DATABASE_URL, type TestDatabase } from '../../test/db';
import { openDb, type Database } from '../../db/connect';
import { CANONICAL_COLUMNS } from '../../domain/register-row';
import { importRegister, type ImportReport } from './import.service';
import { writeDemoFile } from './demo.service';
import { OrderedIds } from './import-fresh';

const TODAY = '2025-10-31';
let staged: TestDatabase;
let fresh: TestDatabase;
let dir: string;
let file: string;
let badFile: string;

beforeAll(async () => {
  staged = await testDatabase();
  fresh = await testDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-fresh-'));
  file = path.join(dir, 'demo.csv');
  await writeDemoFile(staged, system, { province: '15', persons: 2000, seed: 11, today: TODAY }, file);
  const lines = fs.readFileSync(file, 'utf8').trimEnd().split('\n');
  const extra = [
    // the same person twice: the later row is an error row
    lines[5],
    // no ids: the same name and birth date in one household twice
    'F01,02905,thôn mới,,,Lò Văn Sáu,chủ hộ,01/01/1960,nam,,,Thái,,GD,GD,01/01/2025,31/12/2025',
    'F01,02905,Thôn Mới,,,lò văn  sáu,con,01/01/1960,nam,,,Thái,,GD,,,',
    // a new village typed two ways is one village; groups in any order
    'F02,02905,Thôn  MỚI,Số 2,cận nghèo,Lò Thị Bảy,chủ hộ,02/02/1970,nữ,,,Thái,,"HS;CN",CN,01/01/2025,31/12/2025',
    // a bad row
    'F03,02905,,,,Lò Văn Tám,chủ hộ,31/02/1990,nam,,,Thái,,GD,,,',
  ];
  fs.writeFileSync(file, [...lines, ...extra].join('\n') + '\n');
  badFile = path.join(dir, 'bad.csv');
  fs.writeFileSync(badFile, [...lines, ...extra].join('\n') + '\n');
});
afterAll(async () => {
  await staged?.cleanup();
  await fresh?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The register without its ids: what a user can see, in a stable order. */
async function snapshot(database: Database) {
  const rows = async (q: string) => ((await sql.raw(q).execute(database.db)).rows as unknown[]).map((r) => JSON.stringify(r)).sort();
  const person = `h.commune_code, h.code, p.name_key, p.birth_date, p.citizen_id`;
  const aggregates = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
    where table_schema = current_schema() and (table_name like 'coverage\\_%' or table_name like 'population\\_%') order by 1`.execute(database.db);
  const out: Record<string, string[]> = {
    villages: await rows(`select code, name, search_name, parent_code, local_code from unit where level = 'village'`),
    households: await rows(`select commune_code, code, village_code, address, poverty_status, poverty_year from household`),
    persons: await rows(
      `select h.code as household, p.commune_code, p.relationship, p.full_name, p.name_key, p.birth_date, p.sex, p.citizen_id, p.insurance_code,
        p.ethnicity, p.phone, p.group_codes, p.school, p.grade from person p join household h on h.id = p.household_id`,
    ),
    groups: await rows(`select ${person}, g.group_code, g.valid_from, g.valid_to from person_group g join person p on p.id = g.person_id join household h on h.id = g.household_id`),
    coveredUntil: await rows(`select h.commune_code, h.code, c.village_code, c.covered_until::text from household_coverage c join household h on h.id = c.household_id`),
    latestCards: await rows(
      `select ${person}, k.valid_to::text, l.collector_code from latest_card l join card k on k.household_id = l.household_id and k.person_id = l.person_id and k.id = l.card_id
        join person p on p.household_id = l.household_id and p.id = l.person_id join household h on h.id = l.household_id`,
    ),
    cards: await rows(`select ${person}, c.group_code, c.valid_from, c.valid_to, c.number, c.source from card c join person p on p.id = c.person_id join household h on h.id = c.household_id`),
  };
  for (const { name } of aggregates.rows) out[name] = await rows(`select * from ${name}`);
  return out;
}

const count = async (database: Database, table: 'person' | 'household' | 'unit') =>
  Number((await database.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

/** Row 2002 repeats row 6, row 2004 repeats row 2003 (no ids), row 2006 has an impossible date. */
const EXPECTED_ERRORS = [
  [2002, expect.stringMatching(/^(citizen_id|insurance_code|full_name)$/)],
  [2004, 'full_name'],
  [2006, 'birth_date'],
];

const comparable = (r: ImportReport) => ({ ...r, errors: r.errors.map((e) => ({ ...e })) });

describe(`register import into an empty register, fast path (${engineName})`, () => {
  it('writes nothing when a row is bad (all or nothing) or on a dry run, and keeps the indexes', async () => {
    const units = await count(fresh, 'unit');
    const indexes = async () => (await sql<{ n: number }>`select count(*)::int as n from pg_indexes where schemaname = current_schema()`.execute(fresh.db)).rows[0].n;
    const before = await indexes();
    const r = await importRegister(fresh, system, { path: badFile }, { today: TODAY, freshPathFromBytes: 0 });
    expect(r).toMatchObject({ rows: 2005, inserted: 0, updated: 0, unchanged: 0, rejected: 3, rolledBack: true });
    expect(r.errors.map((e) => [e.row, e.column])).toEqual(EXPECTED_ERRORS);
    expect(await count(fresh, 'person')).toBe(0);
    expect(await count(fresh, 'household')).toBe(0);
    expect(await count(fresh, 'unit')).toBe(units);
    expect(await indexes()).toBe(before);

    const dry = await importRegister(fresh, system, { path: file }, { today: TODAY, freshPathFromBytes: 0, validRowsOnly: true, dryRun: true });
    expect(dry).toMatchObject({ rows: 2005, inserted: 2002, rejected: 3, rolledBack: true });
    expect(await count(fresh, 'person')).toBe(0);
    expect(await count(fresh, 'unit')).toBe(units);
    expect(await indexes()).toBe(before);
  });

  it('gives the same register, aggregates and report as the staged path', async () => {
    const a = await importRegister(staged, system, { path: file }, { today: TODAY, freshPathFromBytes: Infinity, validRowsOnly: true });
    const b = await importRegister(fresh, system, { path: file }, { today: TODAY, freshPathFromBytes: 0, validRowsOnly: true });
    expect(b).toMatchObject({ rows: 2005, inserted: 2002, updated: 0, unchanged: 0, rejected: 3, rolledBack: false });
    expect(comparable(b)).toEqual(comparable(a));
    expect(b.errors.map((e) => [e.row, e.column])).toEqual(EXPECTED_ERRORS);
    // the fast path made the ids (time-ordered), the staged path did not
    const v7 = await sql<{ n: number }>`select count(*)::int as n from person where id::text like '________-____-7%'`.execute(fresh.db);
    expect(v7.rows[0].n).toBe(2002);
    const expected = await snapshot(staged);
    expect(expected.villages.some((v) => v.includes('"02905.thon-moi"'))).toBe(true);
    // every person with a card has their latest one kept (migration 0023)
    const insured = await sql<{ n: number }>`select count(distinct person_id)::int as n from card`.execute(staged.db);
    expect(expected.latestCards.length).toBe(insured.rows[0].n);
    expect(insured.rows[0].n).toBeGreaterThan(1000);
    expect(await snapshot(fresh)).toEqual(expected);
  });

  it('counts the same spans when the file comes back to a commune it had left', async () => {
    // the fast path writes a commune's span counts when the file moves on to another commune
    const list = path.join(dir, 'interleaved.csv');
    const card = 'GD,GD,01/01/2025,31/12/2025';
    fs.writeFileSync(
      list,
      [
        CANONICAL_COLUMNS.join(','),
        `A1,02905,Thôn Một,,,Lò Văn A,chủ hộ,01/01/1960,nam,,,Thái,,${card},,`,
        `A1,02905,Thôn Một,,,Lò Thị B,vợ,01/01/1962,nữ,,,Thái,,GD,,,,,`,
        `B1,04543,Tổ 1,,,Vàng Văn C,chủ hộ,01/01/1970,nam,,,H'Mông,,${card},,`,
        `A2,02905,Thôn Một,,,Lò Văn D,chủ hộ,01/01/1980,nam,,,Thái,,${card},,`,
        // his card renewed from the day after it ends (a further card of the row before)
        `A2,02905,Thôn Một,,,Lò Văn D,chủ hộ,01/01/1980,nam,,,Thái,,GD,GD,01/01/2026,31/12/2026,,`,
        // a member naming another village than the head's: the village is made, the household keeps the head's
        `A2,02905,Thôn Hai,,,Lò Thị I,vợ,01/01/1982,nữ,,,Thái,,GD,,,,,`,
        `A3,02905,,,,Lò Văn E,chủ hộ,01/01/1981,nam,,,Thái,,GD,GD,01/03/2025,28/02/2026,,`,
        `B2,04543,Tổ 1,,,Vàng Thị F,chủ hộ,01/01/1971,nữ,,,H'Mông,,${card},,`,
        // back in the first commune, a household met before, naming the village of the row before it (in the other commune)
        `A1,02905,Tổ 1,,,Lò Văn H,con,01/01/1990,nam,,,Thái,,GD,,,,,`,
        `A4,02905,Thôn Một,,,Lò Văn G,chủ hộ,01/01/1982,nam,,,Thái,,${card},,`,
      ].join('\n') + '\n',
    );
    const [a, b] = [await testDatabase(), await testDatabase()];
    try {
      await importRegister(a, system, { path: list }, { today: TODAY, freshPathFromBytes: Infinity });
      const r = await importRegister(b, system, { path: list }, { today: TODAY, freshPathFromBytes: 0 });
      expect(r).toMatchObject({ inserted: 10, rejected: 0 });
      const v7 = await sql<{ n: number }>`select count(*)::int as n from person where id::text like '________-____-7%'`.execute(b.db);
      expect(v7.rows[0].n).toBe(9);
      const expected = await snapshot(a);
      expect(expected.villages.filter((v) => v.includes('"02905.thon-hai"') || v.includes('"02905.to-1"'))).toHaveLength(2);
      // Lò Văn A's span was written when the file moved on to the other commune; G's was added at the end
      expect(expected.coverage_renewal).toEqual(['{"communeCode":"02905","villageCode":"02905.thon-mot","groupCode":"GD","day":"2026-01-01","persons":1}']);
      expect(expected.coverage_count).toContain('{"communeCode":"02905","villageCode":"02905.thon-mot","groupCode":"GD","spanFrom":"2025-01-01","spanTo":"2025-12-31","persons":2}');
      // D's two cards, back to back, one span
      expect(expected.coverage_count).toContain('{"communeCode":"02905","villageCode":"02905.thon-mot","groupCode":"GD","spanFrom":"2025-01-01","spanTo":"2026-12-31","persons":1}');
      expect(await snapshot(b)).toEqual(expected);
    } finally {
      await a.cleanup();
      await b.cleanup();
    }
  });

  it('leaves an empty register whose aggregates are not empty to the staged path (it adds to them)', async () => {
    const other = await testDatabase();
    try {
      await sql`insert into coverage_count (commune_code, village_code, group_code, span_from, span_to, persons) values ('02905', '', 'GD', '2025-01-01', '2025-12-31', 1)`.execute(other.db);
      const r = await importRegister(other, system, { path: file }, { today: TODAY, freshPathFromBytes: 0, validRowsOnly: true });
      expect(r).toMatchObject({ inserted: 2002, rejected: 3 });
      const v7 = await sql<{ n: number }>`select count(*)::int as n from person where id::text like '________-____-7%'`.execute(other.db);
      expect(v7.rows[0].n).toBe(0);
    } finally {
      await other.cleanup();
    }
  });

  it('then takes the same file again as all unchanged (staged path, register no longer empty)', async () => {
    const r = await importRegister(fresh, system, { path: file }, { today: TODAY, freshPathFromBytes: 0, validRowsOnly: true });
    expect(r).toMatchObject({ rows: 2005, inserted: 0, updated: 0, unchanged: 2002, rejected: 3 });
    expect(await snapshot(fresh)).toEqual(await snapshot(staged));
  });
});

describe('OrderedIds', () => {
  it('makes increasing, unique version-7 UUIDs', () => {
    const ids = new OrderedIds();
    const bytes = Buffer.alloc(16);
    const made = Array.from({ length: 20_000 }, () => {
      ids.write(bytes, 0);
      const hex = bytes.toString('hex');
      return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join('-');
    });
    expect(new Set(made).size).toBe(made.length);
    for (const id of made) expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-8[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect([...made].sort()).toEqual(made);
  });
});

describe(`a killed fast-path import (${engineName})`, () => {
  it('leaves the register empty, its indexes in place, and the same command then runs cleanly', async () => {
    const rows = 40_000;
    const lines = [CANONICAL_COLUMNS.join(',')];
    for (let i = 0; i < rows; i++) lines.push(`K${Math.floor(i / 4)},02905,Thôn ${i % 9},,,Lò Văn ${i},,01/01/${1950 + (i % 60)},nam,,,Thái,,GD,GD,01/01/2025,31/12/2025`);
    const list = path.join(dir, 'kill.csv');
    fs.writeFileSync(list, lines.join('\n'));
    let t: TestDatabase | undefined;
    let env: NodeJS.ProcessEnv;
    const dataDir = path.join(dir, 'kill-data');
    if (TEST_DATABASE_URL) {
      t = await testDatabase();
      env = { ...process.env, DATABASE_URL: TEST_DATABASE_URL, COVERDESK_DB_SCHEMA: t.schema };
    } else {
      fs.mkdirSync(path.join(dataDir, 'db'), { recursive: true });
      spawnSync('tar', ['-xf', MIGRATED_DUMP, '-C', path.join(dataDir, 'db'), '--strip-components=1']);
      env = { ...process.env, DATABASE_URL: '', COVERDESK_DATA_DIR: dataDir };
    }
    env = { ...env, COVERDESK_DEBUG_IMPORT: '1', COVERDESK_IMPORT_FRESH_MIN_BYTES: '0' };
    const state = async () => {
      const database = t ?? (await openDb({ dataDir }));
      try {
        return {
          persons: await count(database, 'person'),
          villages: Number((await database.db.selectFrom('unit').select((eb) => eb.fn.countAll<number>().as('n')).where('parentCode', '=', '02905').executeTakeFirstOrThrow()).n),
          indexes: (await sql<{ name: string }>`select indexname as name from pg_indexes where schemaname = current_schema() order by 1`.execute(database.db)).rows.map((r) => r.name),
        };
      } finally {
        if (!t) await database.close();
      }
    };
    try {
      const before = await state();
      expect(before.persons).toBe(0);
      const bin = path.join(PROJECT_ROOT, 'bin', 'coverdesk');
      const child = spawn(bin, ['import', list, '--json'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      let stdout = '';
      child.stdout.on('data', (d) => (stdout += d));
      const exited = new Promise<number | null>((resolve) => child.on('exit', (code, signal) => resolve(signal ? -1 : code)));
      await new Promise<void>((resolve) => {
        child.stderr.on('data', (d) => {
          stderr += d;
          // the first rows are in the tables and their indexes are dropped, inside the open transaction
          if (stderr.includes('chunk 1 written')) resolve();
        });
        child.on('exit', () => resolve());
      });
      child.kill('SIGKILL');
      expect(await exited).toBe(-1);
      expect(stdout).toBe('');
      expect(stderr).not.toContain('read+stage');
      expect(await state()).toEqual(before);

      const again = spawnSync(bin, ['import', list, '--json'], { env, encoding: 'utf8', timeout: 300_000 });
      expect(again.status).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ rows, inserted: rows, rejected: 0 });
      expect(again.stderr).toContain('chunk 2 written');
      expect(await state()).toEqual({ ...before, persons: rows, villages: before.villages + 9 });
    } finally {
      await t?.cleanup();
    }
  });
});
