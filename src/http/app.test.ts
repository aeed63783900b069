import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { buildApp } from './app';
import { engineName, makeUser, testDatabase, type TestDatabase } from '../test/db';
import { isApiRoute } from './plugins/auth';

let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;

beforeAll(async () => {
  t = await testDatabase();
  app = await buildApp({ database: t, webDist: false });
  await app.ready();
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

async function login(username: string, password: string) {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'cd_session')!;
  expect(cookie.httpOnly).toBe(true);
  return { cookie: `cd_session=${cookie.value}`, csrf: res.json().csrfToken as string };
}

describe(`HTTP API (${engineName})`, () => {
  it('declares a permission on every API route', () => {
    const api = app.routeTable.filter((r) => isApiRoute(r.url));
    expect(api.length).toBeGreaterThan(8);
    const missing = api.filter((r) => !r.permission).map((r) => `${r.method} ${r.url}`);
    expect(missing).toEqual([]);
  });

  it('refuses to register a route without a permission', async () => {
    const other = await buildApp({ database: t, webDist: false });
    expect(() => other.get('/api/naked', async () => 'x')).toThrow(/declares no permission/);
    await other.close();
  });

  it('answers health without login, and 401 with a localised error for data without login', async () => {
    expect((await app.inject('/api/health')).json()).toMatchObject({ status: 'ok' });
    const res = await app.inject('/api/units?parent=15');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toEqual({ error: { code: 'unauthenticated', message: 'Bạn cần đăng nhập' } });
    const en = await app.inject({ url: '/api/units?parent=15', headers: { 'accept-language': 'en-US,en;q=0.9' } });
    expect(en.json().error.message).toBe('Please log in');
  });

  it('logs in with a password, reads units, and needs the CSRF token for changes', async () => {
    const { username, password } = await makeUser(t, 'commune_officer', '02905');
    const s = await login(username, password);
    const me = await app.inject({ url: '/api/auth/me', headers: { cookie: s.cookie } });
    expect(me.json().user).toMatchObject({ username, role: 'commune_officer', scopeCode: '02905' });
    expect(me.json().user.passwordHash).toBeUndefined();

    const lc = await app.inject({ url: '/api/units?parent=15', headers: { cookie: s.cookie } });
    expect(lc.json()).toHaveLength(99);

    const body = { parentCode: '02905', code: 'H1', name: 'Thôn Hạ', kind: 'village' };
    const noCsrf = await app.inject({ method: 'POST', url: '/api/units', headers: { cookie: s.cookie }, payload: body });
    expect(noCsrf.statusCode).toBe(403);
    expect(noCsrf.json().error.code).toBe('csrf');
    const ok = await app.inject({ method: 'POST', url: '/api/units', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf }, payload: body });
    expect(ok.statusCode).toBe(201);
    expect(ok.json()).toMatchObject({ code: '02905.H1', name: 'Thôn Hạ' });
  });

  it("keeps a commune officer out of another commune's villages through the API", async () => {
    const admin = await makeUser(t, 'admin', null);
    const a = await login(admin.username, admin.password);
    const created = await app.inject({
      method: 'POST',
      url: '/api/units',
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrf },
      payload: { parentCode: '02680', code: 'K1', name: 'Thôn Khác' },
    });
    expect(created.statusCode).toBe(201);

    const officer = await makeUser(t, 'commune_officer', '02905');
    const s = await login(officer.username, officer.password);
    const h = { cookie: s.cookie, 'x-csrf-token': s.csrf };
    const list = await app.inject({ url: '/api/units?parent=02680', headers: h });
    expect(list.statusCode).toBe(403);
    expect(list.body).not.toContain('Thôn Khác');
    const one = await app.inject({ url: '/api/units/02680.K1', headers: h });
    expect(one.statusCode).toBe(404);
    expect(one.body).not.toContain('Thôn Khác');
    const search = await app.inject({ url: '/api/units?q=thon khac', headers: h });
    expect(search.statusCode).toBe(200);
    expect(search.body).not.toContain('Thôn Khác');
    expect((await app.inject({ method: 'PATCH', url: '/api/units/02680.K1', headers: h, payload: { name: 'X' } })).statusCode).toBe(404);
    expect((await app.inject({ method: 'DELETE', url: '/api/units/02680.K1', headers: h })).statusCode).toBe(404);
    const create = await app.inject({ method: 'POST', url: '/api/units', headers: h, payload: { parentCode: '02680', code: 'K2', name: 'X' } });
    expect(create.statusCode).toBe(403);
    expect(create.json().error.code).toBe('out_of_scope');
  });

  it('accepts an API token as a bearer, without CSRF', async () => {
    const { createToken } = await import('../modules/access/access.service');
    const { system } = await import('../test/db');
    const u = await makeUser(t, 'province_staff', '15');
    const { token } = await createToken(t.db, system, u.username);
    const res = await app.inject({ url: '/api/units?parent=02905', headers: { authorization: `Bearer ${token}` } });
    expect(res.statusCode).toBe(200);
    const bad = await app.inject({ url: '/api/units', headers: { authorization: 'Bearer cdt_wrong' } });
    expect(bad.statusCode).toBe(401);
  });

  it('rate-limits failed logins', async () => {
    const u = await makeUser(t, 'viewer', '15');
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: 'wrong password' } });
      expect(r.statusCode).toBe(401);
    }
    const blocked = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.json().error.code).toBe('too_many_attempts');
  });

  it('gives validation errors with field paths in the user language', async () => {
    const admin = await makeUser(t, 'admin', null);
    const a = await login(admin.username, admin.password);
    const res = await app.inject({
      method: 'POST',
      url: '/api/users?lang=en',
      headers: { cookie: a.cookie, 'x-csrf-token': a.csrf },
      payload: { username: 'x', role: 'boss', password: 'short' },
    });
    expect(res.statusCode).toBe(400);
    const { error } = res.json();
    expect(error.code).toBe('validation');
    expect(error.message).toBe('Invalid input');
    expect(error.fields.map((f: { path: string }) => f.path).sort()).toEqual(['password', 'role', 'username']);
  });

  it('lets admins manage users and read the audit log; others may not', async () => {
    const admin = await makeUser(t, 'admin', null);
    const a = await login(admin.username, admin.password);
    const h = { cookie: a.cookie, 'x-csrf-token': a.csrf };
    const created = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: h,
      payload: { username: 'can.bo.xa', displayName: 'Cán bộ xã Bảo Thắng', role: 'commune_officer', scopeCode: '02905', password: 'mat khau dai du' },
    });
    expect(created.statusCode).toBe(201);
    const wrongScope = await app.inject({
      method: 'POST',
      url: '/api/users',
      headers: h,
      payload: { username: 'x.y', role: 'commune_officer', scopeCode: '15', password: 'mat khau dai du' },
    });
    expect(wrongScope.statusCode).toBe(400);
    expect(wrongScope.json().error.fields[0].path).toBe('scopeCode');
    const audit = await app.inject({ url: '/api/audit?entity=user', headers: h });
    expect(audit.json().items.some((i: { entityId: string }) => i.entityId === created.json().id)).toBe(true);
    expect(JSON.stringify(audit.json())).not.toContain('scrypt$');

    const v = await makeUser(t, 'viewer', '15');
    const s = await login(v.username, v.password);
    expect((await app.inject({ url: '/api/audit', headers: { cookie: s.cookie } })).statusCode).toBe(403);
    expect((await app.inject({ url: '/api/users', headers: { cookie: s.cookie } })).statusCode).toBe(403);
  });

  it('never answers 500 to malformed input on any route', async () => {
    const admin = await makeUser(t, 'admin', null);
    const a = await login(admin.username, admin.password);
    const routes = app.routeTable.filter((r) => isApiRoute(r.url) && r.method !== 'HEAD');
    const json = fc.oneof(
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string(),
      fc.constantFrom('{', '{"name":', 'null', '[]', '{"parentCode":{"$ne":1}}', '\u0000', '{"password":"' + 'x'.repeat(300) + '"}'),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...routes), json, fc.string({ maxLength: 12 }), async (route, body, param) => {
        const url = route.url.replace(/:(\w+)/g, () => encodeURIComponent(param) || 'x');
        const res = await app.inject({
          method: route.method as 'POST',
          url,
          headers: { cookie: a.cookie, 'x-csrf-token': a.csrf, 'content-type': 'application/json' },
          ...(route.method === 'GET' || route.method === 'DELETE' ? {} : { payload: body }),
        });
        expect(res.statusCode, `${route.method} ${url} ${body}`).toBeLessThan(500);
        if (res.statusCode >= 400) expect(res.json().error.code).toBeTypeOf('string');
      }),
      { numRuns: 150 },
    );
  });
});
