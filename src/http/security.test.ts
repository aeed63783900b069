/**
 * Accounts and sessions through the HTTP API (issue 16, section 4): a change to a user holds from the
 * very next request, a stranger cannot lock a user out, a saved quote is its creator's, and the session
 * cookie is Secure over HTTPS behind a trusted proxy. On PGlite and, with TEST_DATABASE_URL, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../test/db';
import { createToken, updateUser } from '../modules/access/access.service';

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

async function login(username: string, password: string, remoteAddress = '127.0.0.1') {
  const res = await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress, payload: { username, password } });
  expect(res.statusCode).toBe(200);
  const cookie = res.cookies.find((c) => c.name === 'cd_session')!;
  return { headers: { cookie: `cd_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken as string } };
}

let villages = 0;
const newVillage = () => ({ parentCode: '02905', code: `S${++villages}`, name: `Thôn Thử ${villages}` });

describe(`a change to a user holds from the next request (${engineName})`, () => {
  it('refuses the session of a commune officer deactivated through the API at once', async () => {
    const officer = await makeUser(t, 'commune_officer', '02905');
    const s = await login(officer.username, officer.password);
    // the session is in use (and, on the embedded database, cached)
    expect((await app.inject({ method: 'POST', url: '/api/units', ...s, payload: newVillage() })).statusCode).toBe(201);
    expect((await app.inject({ url: '/api/auth/me', ...s })).statusCode).toBe(200);

    const admin = await makeUser(t, 'admin', null);
    const a = await login(admin.username, admin.password);
    const off = await app.inject({ method: 'PATCH', url: `/api/users/${officer.user.id}`, ...a, payload: { active: false } });
    expect(off.statusCode).toBe(200);

    const next = await app.inject({ method: 'POST', url: '/api/units', ...s, payload: newVillage() });
    expect(next.statusCode).toBe(401);
    expect(next.json().error.code).toBe('unauthenticated');
    expect((await app.inject({ url: '/api/auth/me', ...s })).statusCode).toBe(401);
  });

  it('gives an API token the new role at once when its user is demoted through the service, and refuses it once deactivated', async () => {
    const staff = await makeUser(t, 'province_staff', '15');
    const { token } = await createToken(t.db, system, staff.username);
    const bearer = { headers: { authorization: `Bearer ${token}` } };
    expect((await app.inject({ method: 'POST', url: '/api/units', ...bearer, payload: newVillage() })).statusCode).toBe(201);

    await updateUser(t.db, system, staff.user.id, { role: 'viewer' });
    const demoted = await app.inject({ method: 'POST', url: '/api/units', ...bearer, payload: newVillage() });
    expect(demoted.statusCode).toBe(403);
    expect(demoted.json().error.code).toBe('forbidden');
    expect((await app.inject({ url: '/api/units?parent=15', ...bearer })).statusCode).toBe(200);

    expect((await app.inject({ url: '/api/units?parent=02905', ...bearer })).statusCode).toBe(200);
    await updateUser(t.db, system, staff.user.id, { scopeCode: '01' });
    expect((await app.inject({ url: '/api/units?parent=02905', ...bearer })).statusCode).toBe(403);

    await updateUser(t.db, system, staff.user.id, { active: false });
    expect((await app.inject({ url: '/api/units?parent=01', ...bearer })).statusCode).toBe(401);
  });

  it('ends the session at logout, and after a password change', async () => {
    const u = await makeUser(t, 'viewer', '15');
    const s1 = await login(u.username, u.password);
    const s2 = await login(u.username, u.password);
    expect((await app.inject({ url: '/api/auth/me', ...s1 })).statusCode).toBe(200);
    expect((await app.inject({ url: '/api/auth/me', ...s2 })).statusCode).toBe(200);
    expect((await app.inject({ method: 'POST', url: '/api/auth/logout', ...s1 })).statusCode).toBe(204);
    expect((await app.inject({ url: '/api/auth/me', ...s1 })).statusCode).toBe(401);
    expect((await app.inject({ url: '/api/auth/me', ...s2 })).statusCode).toBe(200);
    await updateUser(t.db, system, u.user.id, { password: 'mot cau mat khau moi hon' });
    expect((await app.inject({ url: '/api/auth/me', ...s2 })).statusCode).toBe(401);
  });
});

describe(`sign-in throttle and audit (${engineName})`, () => {
  it('lets the real user sign in from their address while a stranger elsewhere is refused, and audits both', async () => {
    const u = await makeUser(t, 'viewer', '15');
    for (let i = 0; i < 5; i++) {
      const r = await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '203.0.113.50', payload: { username: u.username, password: 'doan mo lan nua' } });
      expect(r.statusCode).toBe(401);
    }
    const stranger = await app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: '203.0.113.50', payload: { username: u.username, password: u.password } });
    expect(stranger.statusCode).toBe(429);
    expect(stranger.json().error.code).toBe('too_many_attempts');
    await login(u.username, u.password, '192.0.2.77');

    const admin = await makeUser(t, 'admin', null);
    const a = await login(admin.username, admin.password);
    const log = await app.inject({ url: `/api/audit?entity=user&entityId=${u.user.id}`, ...a });
    expect(log.statusCode).toBe(200);
    const rows = (log.json().items as { action: string; after: { ip: string } }[]).filter((r) => r.action.startsWith('login'));
    expect(rows.map((r) => [r.action, r.after.ip])).toEqual([
      ['login', '192.0.2.77'],
      ...Array.from({ length: 5 }, () => ['login_failed', '203.0.113.50']),
    ]);
  });
});

describe(`saved premium quotes (${engineName})`, () => {
  it('shows a saved quote to its creator and administrators only; 404 to others', async () => {
    const owner = await makeUser(t, 'commune_officer', '02905');
    const other = await makeUser(t, 'commune_officer', '02905');
    const admin = await makeUser(t, 'admin', null);
    const o = await login(owner.username, owner.password);
    const saved = await app.inject({ method: 'POST', url: '/api/premium/quotes', ...o, payload: { date: '2026-03-01', months: 12, members: [{ groups: ['GD'] }] } });
    expect(saved.statusCode).toBe(201);
    const url = `/api/premium/quotes/${saved.json().id}`;
    const mine = await app.inject({ url, ...o });
    expect(mine.statusCode).toBe(200);
    expect(mine.json().total).toEqual(saved.json().total);
    const theirs = await app.inject({ url, ...(await login(other.username, other.password)) });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.body).not.toContain(owner.username);
    expect((await app.inject({ url, ...(await login(admin.username, admin.password)) })).statusCode).toBe(200);
  });
});

describe(`the session cookie over HTTPS (${engineName})`, () => {
  it('is Secure when a trusted proxy says the client came over HTTPS, and not otherwise', async () => {
    const u = await makeUser(t, 'viewer', '15');
    const cookieOf = async (server: typeof app, headers: Record<string, string>) => {
      const res = await server.inject({ method: 'POST', url: '/api/auth/login', headers, payload: { username: u.username, password: u.password } });
      expect(res.statusCode).toBe(200);
      return res.cookies.find((c) => c.name === 'cd_session')!;
    };
    const proxied = await buildApp({ database: t, webDist: false, trustProxy: true });
    try {
      const secure = await cookieOf(proxied, { 'x-forwarded-proto': 'https' });
      expect(secure.secure).toBe(true);
      expect(secure.httpOnly).toBe(true);
      expect((await cookieOf(proxied, {})).secure).toBeUndefined();
    } finally {
      await proxied.close();
    }
    // without a trusted proxy the header is anybody's word
    expect((await cookieOf(app, { 'x-forwarded-proto': 'https' })).secure).toBeUndefined();
  });
});
