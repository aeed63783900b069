import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { buildApp } from '../../http/app';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { PROJECT_ROOT } from '../../config';
import { MIGRATED_DUMP } from '../../test/paths';
import * as premium from './premium.service';
import { vsiQuoteJson } from './premium.cli';

let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  t = await testDatabase();
  app = await buildApp({ database: t, webDist: false });
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

const post = (payload: unknown, lang = 'vi') =>
  app.inject({ method: 'POST', url: '/api/premium/bhxh-tn/quote', payload: payload as object, headers: { 'accept-language': lang } });
const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;

describe(`voluntary social insurance quotes over HTTP (${engineName})`, () => {
  it('a household, one month at the lowest income (Decree 159/2025): 165,000 + 198,000 + 231,000 + 264,000 ₫ to pay', async () => {
    const res = await post({ date: '2025-09-01', months: 1, members: [{ groups: ['poor'] }, { groups: ['near_poor'] }, { groups: ['ethnic_minority'] }, { groups: ['other'] }] });
    expect(res.statusCode, res.body.slice(0, 300)).toBe(200);
    const q = res.json();
    expect(q.product).toBe('bhxh-tn');
    expect(q.members.map((m: { payable: number }) => m.payable)).toEqual([165_000, 198_000, 231_000, 264_000]);
    // 4 x 330,000 = 1,320,000; state 165,000 + 132,000 + 99,000 + 66,000 = 462,000
    expect(q.total).toEqual({ premium: 1_320_000, state: 462_000, local: 0, payable: 858_000 });
    expect(q.rules.find((r: { id: string }) => r.id === 'rural-poverty-line-2022-01-01')).toMatchObject({ kind: 'vsi-poverty-line', rule: { amount: 1_500_000 } });
    expect(q.rules.find((r: { id: string }) => r.id === 'vsi-support-poor-2025-07-01').source).toContain('159/2025');
  });

  it('other at 5,000,000 ₫: 1,100,000 - 66,000 = 1,034,000 ₫; the answer is what the service computes, through the schema', async () => {
    const request = { date: '2025-09-01', months: 1, members: [{ groups: ['other'], income: 5_000_000, supportMonthsUsed: 119 }] };
    const res = await post(request);
    expect(res.json().members[0]).toMatchObject({ premium: 1_100_000, state: 66_000, payable: 1_034_000 });
    expect(res.json()).toEqual(json(await premium.vsiQuote(t.db, request)));
  });

  it('refuses an income out of range naming both amounts, and a payment period not 1/3/6/12, in vi and en', async () => {
    const low = (await post({ date: '2025-09-01', months: 1, members: [{ groups: ['other'], income: 1_000_000 }] })).json();
    expect(low.error.fields[0].path).toBe('members.0.income');
    expect(low.error.fields[0].message).toBe('Thu nhập tháng 1.000.000 ₫ thấp hơn mức thấp nhất 1.500.000 ₫ (chuẩn nghèo khu vực nông thôn); mức cao nhất là 46.800.000 ₫');
    const high = (await post({ date: '2025-09-01', months: 1, members: [{ groups: ['poor'] }, { groups: ['other'], income: 50_000_000 }] }, 'en')).json();
    expect(high.error.fields[0].path).toBe('members.1.income');
    expect(high.error.fields[0].message).toBe('The monthly income 50.000.000 ₫ is over the highest, 46.800.000 ₫ (20 times the base salary); the lowest is 1.500.000 ₫');
    for (const months of [2, 5, 24]) {
      const res = await post({ date: '2025-09-01', months, members: [{ groups: ['other'] }] }, 'en');
      expect(res.statusCode).toBe(400);
      expect(res.json().error.fields[0]).toMatchObject({ path: 'months', message: `The payment period must be 1, 3, 6, 12 months (got ${months})` });
    }
    const group = (await post({ date: '2025-09-01', months: 1, members: [{ groups: ['GD'] }] })).json();
    expect(group.error.fields[0].path).toBe('members.0.groups.0');
  });

  it('the rules in force on a date, for signed-in staff, each with its source', async () => {
    const user = await makeUser(t, 'province_staff', '15');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: user.username, password: user.password } });
    const res = await app.inject({ method: 'GET', url: '/api/premium/bhxh-tn/rules?date=2026-03-01', headers: { cookie: `cd_session=${login.cookies[0].value}` } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(json(premium.vsiRulesOn('2026-03-01')));
    const line = res.json().rules.find((r: { kind: string }) => r.kind === 'vsi-poverty-line');
    expect(line).toMatchObject({ id: 'rural-poverty-line-2026-01-01', uncertain: true });
    expect((await app.inject({ method: 'GET', url: '/api/premium/bhxh-tn/rules' })).statusCode).toBe(401);
  });

  it('the ceiling follows a base salary an administrator adds (20 x 3,000,000 = 60,000,000 ₫)', async () => {
    await premium.addBaseSalary(t.db, system, { from: '2030-01-01', amount: 3_000_000, source: 'Nghị định thử nghiệm' });
    const q = await premium.vsiQuote(t.db, { date: '2030-02-01', months: 1, members: [{ groups: ['other'], income: 60_000_000 }] });
    expect(q.members[0].maxIncome).toBe(60_000_000);
    expect(q.members[0].premium).toBe(13_200_000);
  });

  it('BHYT quotes are unchanged by the second product (1.263.600 ₫ for a year, household mode)', async () => {
    const res = await app.inject({ method: 'POST', url: '/api/premium/quote', payload: { date: '2025-09-01', months: 12, members: [{ groups: ['GD'] }] } });
    expect(res.json().total.payable).toBe(1_263_600);
  });
});

describe('the CLI --product bhxh-tn gives the API answer', () => {
  it('for the lowest income and a chosen income', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-vsi-'));
    fs.mkdirSync(path.join(dataDir, 'db'));
    spawnSync('tar', ['-xf', MIGRATED_DUMP, '-C', path.join(dataDir, 'db'), '--strip-components=1']);
    const fresh = await testDatabase();
    const freshApp = await buildApp({ database: fresh, webDist: false });
    const cli = (args: string[]) =>
      spawnSync(path.join(PROJECT_ROOT, 'bin', 'coverdesk'), args, { encoding: 'utf8', env: { ...process.env, COVERDESK_DATA_DIR: dataDir, DATABASE_URL: '' } });
    try {
      for (const c of [
        { group: 'near_poor', months: '1', income: undefined },
        { group: 'other', months: '12', income: '5000000' },
      ]) {
        const args = ['premium', '--product', 'bhxh-tn', '--date', '2025-09-01', '--months', c.months, '--group', c.group, ...(c.income ? ['--income', c.income] : []), '--json'];
        const r = cli(args);
        expect(r.stderr).toBe('');
        const api = await freshApp.inject({
          method: 'POST',
          url: '/api/premium/bhxh-tn/quote',
          payload: { date: '2025-09-01', months: Number(c.months), members: [{ groups: [c.group], ...(c.income ? { income: Number(c.income) } : {}) }] },
        });
        const out = JSON.parse(r.stdout);
        expect(out).toEqual(vsiQuoteJson(api.json()));
        expect(out.total.premium).toBe(out.total.state + out.total.local + out.total.payable);
      }
      const bad = cli(['--lang', 'en', 'premium', '--product', 'bhxh-tn', '--date', '2025-09-01', '--months', '4', '--group', 'other', '--json']);
      expect(bad.status).not.toBe(0);
      expect(bad.stderr).toContain('months: The payment period must be 1, 3, 6, 12 months (got 4)');
    } finally {
      await freshApp.close();
      await fresh.cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
