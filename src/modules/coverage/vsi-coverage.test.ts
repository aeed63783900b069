import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { CANONICAL_COLUMNS } from '../../domain/register-row';
import { buildApp } from '../../http/app';
import { importRegister } from '../register/import.service';
import { createVsiPeriod } from '../register/register.service';
import { registerCoverageCommands } from './coverage.cli';
import { listTargets, setTarget } from './figures.service';
import { expectedVsiParticipants, vsiCoverageOf } from './vsi-coverage.service';

let t: TestDatabase;
let dir: string;
const ROWS = [
  'A01,02905,Thôn Phú Lâm,Số 1,,Nguyễn Văn An,chủ hộ,12/03/1980,nam,010080001234,,Kinh,,,,,',
  'A01,02905,Thôn Phú Lâm,Số 1,,Trần Thị Bình,vợ,20/07/1985,nữ,,0101234567,Kinh,,,,,',
  'A02,02905,,,,Lò Văn Cường,chủ hộ,05/05/1975,nam,001075000111,,Thái,,,,,',
  'B01,02680,Bản Một,,,Lý Văn Em,chủ hộ,01/01/1980,nam,010080009999,,Giáy,,,,,',
];
const QUERY = { date: '2025-10-01', from: '2025-01-01', to: '2025-10-01' };

beforeAll(async () => {
  t = await testDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-vsi-coverage-'));
  const file = path.join(dir, 'register.csv');
  fs.writeFileSync(file, [CANONICAL_COLUMNS.slice(0, 17).join(','), ...ROWS].join('\n'));
  expect(await importRegister(t, system, { path: file }, { today: '2025-10-01' })).toMatchObject({ rejected: 0 });
  const id = async (name: string) => (await t.db.selectFrom('person').select('id').where('fullName', '=', name).executeTakeFirstOrThrow()).id;
  const add = async (name: string, validFrom: string, validTo: string) =>
    createVsiPeriod(t.db, system, { personId: await id(name), validFrom, validTo, monthlyIncome: 1_500_000, paymentMonths: 1 });
  // An: 2024, then renewed without a gap in 2025 (a renewal, not new); ended 31/03/2025
  await add('Nguyễn Văn An', '2024-01-01', '2024-12-31');
  await add('Nguyễn Văn An', '2025-01-01', '2025-03-31');
  // Bình: new in July 2025, ended before the date
  await add('Trần Thị Bình', '2025-07-01', '2025-07-31');
  // Cường: stopped in 2024 and came back in May 2025 (new again), in force on the date
  await add('Lò Văn Cường', '2024-01-01', '2024-06-30');
  await add('Lò Văn Cường', '2025-05-01', '2025-12-31');
  // Em (another commune): new in September, in force on the date
  await add('Lý Văn Em', '2025-09-01', '2026-02-28');
  await setTarget(t.db, system, { unitCode: '15', year: 2025, kind: 'participants', value: 4, product: 'bhxh-tn' });
  await setTarget(t.db, system, { unitCode: '02905', year: 2025, kind: 'participants', value: 3, product: 'bhxh-tn' });
  await setTarget(t.db, system, { unitCode: '15', year: 2025, kind: 'percent_population', value: 95 });
}, 120_000);
afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(`voluntary social insurance on the coverage dashboard (${engineName})`, () => {
  it('a province: participants on the date, new participants in the period (none the day before), against the plan; per commune', async () => {
    const r = await vsiCoverageOf(t.db, system, '15', QUERY);
    expect(r).toMatchObject({ product: 'bhxh-tn', unit: '15', participants: 2, newParticipants: 3, plan: 4, pctPlan: 50 });
    const byCode = new Map(r.children.map((c) => [c.unit, c]));
    expect(byCode.get('02905')).toMatchObject({ participants: 1, newParticipants: 2, plan: 3, pctPlan: 33.33 });
    expect(byCode.get('02680')).toMatchObject({ participants: 1, newParticipants: 1, plan: null, pctPlan: null });
    // before An's renewal ended, on 15/03/2025: An and nobody else; over January only, no one is new (An renewed)
    expect(await vsiCoverageOf(t.db, system, '15', { date: '2025-03-15', from: '2025-01-01', to: '2025-01-31' })).toMatchObject({ participants: 1, newParticipants: 0 });
  });

  it('a commune and its villages; the BHYT targets stay apart from the voluntary social insurance plans', async () => {
    const r = await vsiCoverageOf(t.db, system, '02905', QUERY);
    expect(r).toMatchObject({ participants: 1, newParticipants: 2, plan: 3 });
    const village = r.children.find((c) => c.name === 'Thôn Phú Lâm')!;
    expect(village).toMatchObject({ participants: 0, newParticipants: 1 });
    expect((await listTargets(t.db, system, { unit: '15', year: 2025 })).map((x) => [x.unitCode, x.kind, x.product])).toEqual([['15', 'percent_population', 'bhyt']]);
  });

  it('projects the participants to a date: periods ending before it, renewed at the rate of the past year', async () => {
    // on 01/10/2025 Cường (to 31/12/2025) and Em (to 28/02/2026) take part: both end before 30/06/2026.
    // Periods ended from 01/10/2024 to 03/07/2025 (90 days before the date): An's 31/12/2024 (followed by
    // 01/01/2025, renewed) and An's 31/03/2025 (not): rate 1/2, so 1 of the 2 is lost -> 1 expected
    const p = await expectedVsiParticipants(t.db, system, { unit: '15', date: '2025-10-01', targetDate: '2026-06-30' });
    expect(p).toMatchObject({ covered: 2, renewal: { ended: 2, renewedWithin: 1, rate: 0.5 }, expected: 1 });
    expect(p.projection).toMatchObject({ expiring: 2, lost: 1 });
    // the commune: Cường alone; half of one is counted lost (the cautious side) -> 0; before Em's end, Em stays
    expect(await expectedVsiParticipants(t.db, system, { unit: '02905', date: '2025-10-01', targetDate: '2026-06-30' })).toMatchObject({ covered: 1, expected: 0 });
    expect(await expectedVsiParticipants(t.db, system, { unit: '02680', date: '2025-10-01', targetDate: '2026-02-28' })).toMatchObject({ covered: 1, expected: 1 });
    expect((await failure(expectedVsiParticipants(t.db, system, { unit: '15', date: '2025-10-01', targetDate: '2025-09-01' }))).fields[0]).toMatchObject({ path: 'targetDate' });
  });

  it('scope: a commune officer sees their commune, not the province; dates checked', async () => {
    const { actor } = await makeUser(t, 'commune_officer', '02905');
    expect((await vsiCoverageOf(t.db, actor, '02905', QUERY)).participants).toBe(1);
    expect((await failure(vsiCoverageOf(t.db, actor, '15', QUERY))).code).toBe('out_of_scope');
    expect((await failure(vsiCoverageOf(t.db, actor, '02905', { date: '2025-10-01', from: '2025-12-01', to: '2025-01-01' }))).fields[0]).toMatchObject({ path: 'from' });
  });

  it('CLI: coverage --product bhxh-tn (--json and text)', async () => {
    const json = await runCli(t, registerCoverageCommands, ['coverage', '--unit', '15', '--product', 'bhxh-tn', '--date', '2025-10-01', '--from', '2025-01-01', '--json']);
    expect(json.json[0]).toMatchObject({ product: 'bhxh-tn', participants: 2, newParticipants: 3, plan: 4, pctPlan: 50, from: '2025-01-01', to: '2025-10-01' });
    const text = await runCli(t, registerCoverageCommands, ['coverage', '--unit', '02905', '--product', 'bhxh-tn', '--date', '2025-10-01'], { lang: 'en' });
    expect(text.printed[0]).toContain('1 voluntary social insurance participants on 01/10/2025; new 01/01/2025 – 01/10/2025: 2; plan 3');
  });

  it('API: GET /api/coverage/:unit/vsi as a commune officer', async () => {
    const app = await buildApp({ database: t, webDist: false });
    try {
      await app.ready();
      const u = await makeUser(t, 'commune_officer', '02905');
      const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
      const cookie = `cd_session=${res.cookies.find((c) => c.name === 'cd_session')!.value}`;
      const ok = await app.inject({ url: '/api/coverage/02905/vsi?date=2025-10-01&from=2025-01-01', headers: { cookie } });
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toMatchObject({ unit: '02905', participants: 1, newParticipants: 2 });
      expect((await app.inject({ url: '/api/coverage/15/vsi', headers: { cookie } })).statusCode).toBe(403);
    } finally {
      await app.close();
    }
  });
});
