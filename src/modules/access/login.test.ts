/**
 * Sign-in (issue 16, section 4): the same password-hash work for an unknown username as for a known one,
 * sign-ins, sign-outs and failures in the audit log, and weak passwords refused. On PGlite and, with
 * TEST_DATABASE_URL, on PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure } from '../../test/helpers';
import { errorBody } from '../../http/plugins/errors';
import * as access from './access.service';
import { LoginThrottle } from './login-throttle';
import { verifyPassword, passwordWeakness } from './passwords';

vi.mock('./passwords', async (importOriginal) => {
  const original = await importOriginal<typeof import('./passwords')>();
  return { ...original, verifyPassword: vi.fn(original.verifyPassword) };
});

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});
afterAll(async () => {
  await t?.cleanup();
});

const client = (ip = '192.0.2.10') => ({ ip, now: new Date() });
const auditOf = (entityId: string) =>
  t.db.selectFrom('auditLog').select(['actorId', 'actorName', 'action', 'entity', 'entityId', 'after']).where('entityId', '=', entityId).orderBy('at').execute();

describe(`login (${engineName})`, () => {
  it('checks a password hash for an unknown username too, and audits the failure without creating anything', async () => {
    const verify = vi.mocked(verifyPassword);
    const users = await t.db.selectFrom('appUser').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    const sessions = await t.db.selectFrom('userSession').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    verify.mockClear();
    const e = await failure(access.login(t.db, new LoginThrottle(), { username: 'khong.ai.ca', password: 'mot mat khau bat ky' }, client()));
    expect(e.code).toBe('invalid_credentials');
    expect(verify).toHaveBeenCalledTimes(1);
    expect(verify.mock.calls[0][0]).toBe('mot mat khau bat ky');
    expect(verify.mock.calls[0][1]).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(await verify.mock.results[0].value).toBe(false);

    // a known user costs the same one verification
    const u = await makeUser(t, 'viewer', '15');
    verify.mockClear();
    await failure(access.login(t.db, new LoginThrottle(), { username: u.username, password: 'sai mat khau roi' }, client()));
    expect(verify).toHaveBeenCalledTimes(1);

    expect(await auditOf('khong.ai.ca')).toEqual([
      {
        actorId: null,
        actorName: 'public:192.0.2.10',
        action: 'login_failed',
        entity: 'user',
        entityId: 'khong.ai.ca',
        after: { ip: '192.0.2.10', username: 'khong.ai.ca', reason: 'unknown_user' },
      },
    ]);
    expect(await t.db.selectFrom('appUser').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).toEqual({ n: Number(users.n) + 1 });
    const after = await t.db.selectFrom('userSession').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(sessions.n));
  });

  it('audits sign-ins, sign-outs and failed sign-ins (wrong password, deactivated user)', async () => {
    const u = await makeUser(t, 'commune_officer', '02905');
    const throttle = new LoginThrottle();
    await failure(access.login(t.db, throttle, { username: u.username, password: 'sai mat khau roi' }, client('192.0.2.11')));
    const ok = await access.login(t.db, throttle, { username: u.username, password: u.password }, client('192.0.2.11'));
    await access.logout(t.db, u.actor, ok.sessionId, { ip: '192.0.2.11' });
    expect(await access.sessionUser(t.db, ok.sessionId, new Date())).toBeUndefined();
    await access.updateUser(t.db, system, u.user.id, { active: false });
    await failure(access.login(t.db, throttle, { username: u.username, password: u.password }, client('192.0.2.11')));
    const rows = (await auditOf(u.user.id)).filter((r) => r.action.startsWith('log'));
    expect(rows.map((r) => [r.actorId, r.actorName, r.action, r.after])).toEqual([
      [null, 'public:192.0.2.11', 'login_failed', { ip: '192.0.2.11', username: u.username, reason: 'wrong_password' }],
      [u.user.id, u.username, 'login', { ip: '192.0.2.11' }],
      [u.user.id, u.username, 'logout', { ip: '192.0.2.11' }],
      [null, 'public:192.0.2.11', 'login_failed', { ip: '192.0.2.11', username: u.username, reason: 'inactive' }],
    ]);
  });

  it('lets the real user in from their own address while another address is blocked for that username', async () => {
    const u = await makeUser(t, 'viewer', '15');
    const throttle = new LoginThrottle();
    for (let i = 0; i < 5; i++) await failure(access.login(t.db, throttle, { username: u.username, password: 'doan mo mat khau' }, client('198.51.100.66')));
    expect((await failure(access.login(t.db, throttle, { username: u.username, password: u.password }, client('198.51.100.66')))).code).toBe('too_many_attempts');
    const ok = await access.login(t.db, throttle, { username: u.username, password: u.password }, client('192.0.2.20'));
    expect(ok.user.username).toBe(u.username);
  });
});

describe(`weak passwords (${engineName})`, () => {
  it('refuses common, repetitive and personal passwords, naming the field and the reason in vi and en', async () => {
    expect(passwordWeakness('aaaaaaaaaa')).toBe('password_weak_repeat');
    expect(passwordWeakness('password123')).toBe('password_weak_common');
    expect(passwordWeakness('1234567890')).toBe('password_weak_common');
    expect(passwordWeakness('abcdefghij1')).toBe('password_weak_sequence');
    expect(passwordWeakness('nguyen.thi.lan', ['nguyen.thi.lan'])).toBe('password_weak_personal');
    expect(passwordWeakness('correct horse battery')).toBeUndefined();
    expect(passwordWeakness('mat-khau-dai-12345')).toBeUndefined();

    const e = await failure(access.createUser(t.db, system, { username: 'yeu.qua', role: 'viewer', scopeCode: '15', password: 'aaaaaaaaaa' }));
    expect(e.code).toBe('validation');
    expect(e.fields).toEqual([{ path: 'password', key: 'password_weak_repeat' }]);
    expect(errorBody('vi', e.code, e.params, e.fields).error.fields).toEqual([
      { path: 'password', message: 'Mật khẩu quá dễ đoán: lặp lại ký tự hoặc cụm ký tự (như "aaa", "abcabc"). Hãy dùng một cụm vài từ ít gặp' },
    ]);
    expect(errorBody('en', e.code, e.params, e.fields).error.fields![0].message).toMatch(/^The password is too easy to guess: it repeats characters/);
    expect(await t.db.selectFrom('appUser').select('id').where('username', '=', 'yeu.qua').executeTakeFirst()).toBeUndefined();

    const u = await makeUser(t, 'viewer', '15', 'tran.van.binh');
    const reset = await failure(access.updateUser(t.db, system, u.user.id, { password: 'tran.van.binh' }));
    expect(reset.fields).toEqual([{ path: 'password', key: 'password_weak_personal' }]);
    // the old password still works: nothing changed
    expect((await access.login(t.db, new LoginThrottle(), { username: u.username, password: u.password }, client())).user.id).toBe(u.user.id);
  });

  it('makes a first-start administrator password that passes', async () => {
    const fresh = await testDatabase();
    try {
      const password = await access.ensureInitialAdmin(fresh.db, system);
      expect(password).toBeTruthy();
      expect(passwordWeakness(password!, ['admin', 'Administrator'])).toBeUndefined();
    } finally {
      await fresh.cleanup();
    }
  });
});
