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
import { quoteJson } from './premium.cli';
import { readAudit } from '../audit/audit.service';

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
  app.inject({ method: 'POST', url: '/api/premium/quote', payload: payload as object, headers: { 'accept-language': lang } });

describe(`premium quotes over HTTP (${engineName})`, () => {
  it('prices a household without login: 1.263.600 ₫ for the first member, 70% for the second', async () => {
    const res = await post({ date: '2025-09-01', months: 12, members: [{ groups: ['GD'] }, { groups: ['GD'] }, { groups: ['HS'] }] });
    expect(res.statusCode).toBe(200);
    const q = res.json();
    expect(q.members.map((m: { payable: number }) => m.payable)).toEqual([1263600, 884520, 631800]);
    expect(q.total).toEqual({ premium: 3411720, state: 631800, local: 0, payable: 2779920 });
    const base = q.rules.find((r: { id: string }) => r.id === 'base-salary-2024-07-01');
    expect(base.source).toContain('73/2024');
    // what the rule says, for the calculator to name it rather than show its id
    expect(base.rule).toMatchObject({ id: 'base-salary-2024-07-01', amount: 2340000 });
    expect(q.rules.find((r: { id: string }) => r.id === 'state-share-HS-2025-07-01').rule).toMatchObject({ group: 'HS', basisPoints: 5000 });
  });

  it('refuses bad input with a localised error naming the field, never a number', async () => {
    const cases: [unknown, string][] = [
      [{ date: '2025-09-01', months: 12, members: [{ groups: ['GD'] }, { groups: ['ZZ'] }] }, 'members.1.groups.0'],
      [{ date: '2025-09-01', months: 0, members: [{ groups: ['GD'] }] }, 'months'],
      [{ date: '2025-09-01', months: 13, members: [{ groups: ['GD'] }] }, 'months'],
      [{ date: '2019-06-30', months: 12, members: [{ groups: ['GD'] }] }, 'date'],
      [{ date: '2025-02-30', months: 12, members: [{ groups: ['GD'] }] }, 'date'],
      [{ date: '2025-09-01', months: 12, members: [] }, 'members'],
      [{ date: '2025-09-01', months: '12', members: [{ groups: ['GD'] }] }, 'months'],
    ];
    for (const [body, path] of cases) {
      const res = await post(body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      const { error } = res.json();
      expect(error.code).toBe('validation');
      expect(error.fields.map((f: { path: string }) => f.path)).toContain(path);
      expect(JSON.stringify(res.json())).not.toMatch(/premium"?:\s*\d/);
    }
    const months = (await post({ date: '2025-09-01', months: 13, members: [{ groups: ['GD'] }] })).json();
    expect(months.error.fields[0].message).toBe('Số tháng đóng phải từ 1 đến 12');
    const en = (await post({ date: '2025-09-01', months: 13, members: [{ groups: ['GD'] }] }, 'en')).json();
    expect(en.error.fields[0].message).toBe('Months must be 1 to 12');
    const malformed = await app.inject({ method: 'POST', url: '/api/premium/quote', payload: '{"date":', headers: { 'content-type': 'application/json' } });
    expect(malformed.statusCode).toBe(400);
    expect(malformed.json().error.code).toBe('invalid_json');
  });
});

describe(`rules as data, changed by admins (${engineName})`, () => {
  it('applies a new base salary from its date, audited, and keeps saved quotes as they were priced', async () => {
    const request = { date: '2027-03-01', months: 12, members: [{ groups: ['GD'] }] };
    const saved = await premium.saveQuote(t.db, system, request);
    expect(saved.members[0].premium).toBe(Math.round(0.045 * 2530000 * 12));

    await premium.addBaseSalary(t.db, system, { from: '2027-01-01', amount: 2_800_000, source: 'Nghị định thử nghiệm 1/2027/NĐ-CP' });
    const after = await premium.quote(t.db, request);
    expect(after.members[0].premium).toBe(0.045 * 2_800_000 * 12);
    expect(after.ruleIds).toContain('base-salary-2027-01-01');
    // the day before still uses the previous base salary
    expect((await premium.quote(t.db, { ...request, date: '2026-12-31' })).members[0].premium).toBe(Math.round(0.045 * 2530000 * 12));

    const reread = await premium.getSavedQuote(t.db, system, saved.id);
    expect(reread.members[0].premium).toBe(Math.round(0.045 * 2530000 * 12));
    expect(reread.ruleIds).not.toContain('base-salary-2027-01-01');

    const log = await readAudit(t.db, system, { entity: 'premium_rule', entityId: 'base-salary-2027-01-01' });
    expect(log[0]).toMatchObject({ action: 'create', after: expect.objectContaining({ amount: 2_800_000 }) });
  });

  it('adds a local policy that lowers what the participant pays in that province only', async () => {
    await premium.addLocalPolicy(t.db, system, {
      province: '15',
      nameVi: 'Lào Cai hỗ trợ học sinh thêm 20%',
      groups: ['HS'],
      percent: 20,
      from: '2026-01-01',
      source: 'Nghị quyết thử nghiệm/2025/NQ-HĐND',
    });
    const q = await premium.quote(t.db, { date: '2026-03-01', months: 12, province: '15', members: [{ groups: ['HS'] }] });
    const m = q.members[0];
    expect(m.local).toBe(Math.round((m.premium - m.state) * 0.2));
    expect(m.premium).toBe(m.state + m.local + m.payable);
    const elsewhere = await premium.quote(t.db, { date: '2026-03-01', months: 12, province: '01', members: [{ groups: ['HS'] }] });
    expect(elsewhere.members[0].local).toBe(0);
  });

  it('only admins change rules; bad additions are refused naming the field', async () => {
    const { actor } = await makeUser(t, 'province_staff', '15');
    await expect(premium.addBaseSalary(t.db, actor, { from: '2028-01-01', amount: 3_000_000, source: 'x' })).rejects.toMatchObject({ code: 'forbidden' });
    const bad = await premium.addBaseSalary(t.db, system, { from: '2028-13-01', amount: -5, source: '' }).catch((e) => e);
    expect(bad.fields.map((f: { path: string }) => f.path).sort()).toEqual(['amount', 'from', 'source']);
    const badPolicy = await premium.addLocalPolicy(t.db, system, { province: '02905', nameVi: 'x', percent: 10, from: '2026-01-01', source: 's' }).catch((e) => e);
    expect(badPolicy.fields[0].path).toBe('province');
  });

  it('lists the rules in force on a date with sources and uncertain flags', async () => {
    const { rules } = await premium.rulesInForce(t.db, '2025-09-01');
    const base = rules.find((r) => r.kind === 'base-salary')!;
    expect(base.id).toBe('base-salary-2024-07-01');
    expect(rules.some((r) => r.uncertain)).toBe(true);
    expect(rules.every((r) => r.source.length > 0)).toBe(true);
  });
});

describe(`the premium routes answer what the service computes (${engineName})`, () => {
  it('keeps every field of the rules, groups, quotes and rule additions through their response schemas', async () => {
    const admin = await makeUser(t, 'admin', null);
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: admin.username, password: admin.password } });
    const headers = { cookie: `cd_session=${login.cookies[0].value}`, 'x-csrf-token': login.json().csrfToken };
    const json = (v: unknown) => JSON.parse(JSON.stringify(v)) as unknown;
    const answer = async (url: string, status = 200, method: 'GET' | 'POST' = 'GET', payload?: object) => {
      const res = await app.inject({ method, url, headers, payload });
      expect(res.statusCode, res.body.slice(0, 300)).toBe(status);
      return res.json() as unknown;
    };
    // an addition of each kind admins make, with every optional field
    const salary = await answer('/api/premium/rules/base-salaries', 201, 'POST', { from: '2029-01-01', amount: 3_100_000, source: 'Nghị định thử nghiệm', note: 'n', uncertain: true });
    expect(salary).toEqual(json((await premium.rulesHistory(t.db)).find((r) => r.id === 'base-salary-2029-01-01')!.rule));
    const policy = (await answer('/api/premium/rules/local-policies', 201, 'POST', {
      ...{ province: '15', nameVi: 'Hỗ trợ', nameEn: 'Support', groups: ['hs', 'GD'], ageFrom: 6, ageBelow: 19, percent: 12.5 },
      ...{ from: '2029-01-01', to: '2030-01-01', source: 'Nghị quyết', note: 'n', uncertain: true },
    })) as { id: string };
    expect(policy).toEqual(json((await premium.rulesHistory(t.db)).find((r) => r.id === policy.id)!.rule));

    expect(await answer('/api/premium/rules?history=true')).toEqual(json({ history: await premium.rulesHistory(t.db) }));
    for (const date of ['2018-12-01', '2025-09-01', '2029-06-01']) {
      expect(await answer(`/api/premium/rules?date=${date}`)).toEqual(json(await premium.rulesInForce(t.db, date)));
      expect(await answer(`/api/premium/groups?date=${date}`)).toEqual(json(await premium.groupsOn(t.db, date)));
    }
    const request = {
      date: '2029-06-01',
      months: 12,
      province: '15',
      enrolledThisYear: 1,
      members: [{ groups: ['GD'], birthDate: '2010-05-01' }, { groups: ['GD'], birthDate: '2024-03-10' }, { groups: ['HS'], grade: 1 }, { groups: ['GD'], previousCardTo: '2029-05-31' }],
    };
    const quote = await answer('/api/premium/quote', 200, 'POST', request);
    expect(quote).toEqual(json(await premium.quote(t.db, request)));
    expect((quote as { members: { notes: unknown[] }[] }).members.some((m) => m.notes.length > 0)).toBe(true);
  });
});

describe('the CLI and the API give the same answers', () => {
  it('for several households, periods and dates', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-premium-'));
    fs.mkdirSync(path.join(dataDir, 'db'));
    spawnSync('tar', ['-xf', MIGRATED_DUMP, '-C', path.join(dataDir, 'db'), '--strip-components=1']);
    const fresh = await testDatabase();
    const freshApp = await buildApp({ database: fresh, webDist: false });
    try {
      const cases = [
        { date: '2025-09-01', months: '12', groups: 'GD,GD,HS', enrolled: '0' },
        { date: '2024-06-30', months: '6', groups: 'GD,GD,GD,GD,GD,GD', enrolled: '1' },
        { date: '2025-07-01', months: '1', groups: 'CN,HS,SV,GB', enrolled: '0' },
      ];
      for (const c of cases) {
        const args = ['premium', '--date', c.date, '--months', c.months, '--groups', c.groups, '--enrolled-this-year', c.enrolled, '--json'];
        const r = spawnSync(path.join(PROJECT_ROOT, 'bin', 'coverdesk'), args, { encoding: 'utf8', env: { ...process.env, COVERDESK_DATA_DIR: dataDir, DATABASE_URL: '' } });
        expect(r.stderr).toBe('');
        const api = await freshApp.inject({
          method: 'POST',
          url: '/api/premium/quote',
          payload: { date: c.date, months: Number(c.months), enrolledThisYear: Number(c.enrolled), members: c.groups.split(',').map((g) => ({ groups: [g] })) },
        });
        expect(JSON.parse(r.stdout)).toEqual(quoteJson(api.json()));
      }
    } finally {
      await freshApp.close();
      await fresh.cleanup();
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
