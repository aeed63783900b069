import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';
import { LoginThrottle } from './login-throttle';

describe('passwords', () => {
  it('hashes with scrypt and a salt, and verifies', async () => {
    const h1 = await hashPassword('mật khẩu bí mật');
    const h2 = await hashPassword('mật khẩu bí mật');
    expect(h1).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(h1).not.toBe(h2);
    expect(await verifyPassword('mật khẩu bí mật', h1)).toBe(true);
    expect(await verifyPassword('mật khẩu bí mật'.normalize('NFD'), h1)).toBe(true);
    expect(await verifyPassword('mat khau bi mat', h1)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('login throttle', () => {
  const user = { kind: 'user' as const, value: 'an' };
  const ip = { kind: 'ip' as const, value: '10.0.0.1' };
  it('blocks a username after 5 failures within 15 minutes, and forgets after the window', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 4; i++) t.recordFailure([user, ip], 1000 + i);
    expect(t.isBlocked([user, ip], 2000)).toBe(false);
    t.recordFailure([user, ip], 2000);
    expect(t.isBlocked([user, ip], 2001)).toBe(true);
    expect(t.isBlocked([{ kind: 'user', value: 'binh' }, ip], 2001)).toBe(false);
    expect(t.isBlocked([user], 2000 + 15 * 60 * 1000 + 1)).toBe(false);
  });
  it('blocks an address after 30 failures across usernames', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 30; i++) t.recordFailure([{ kind: 'user', value: `u${i}` }, ip], i);
    expect(t.isBlocked([{ kind: 'user', value: 'new' }, ip], 100)).toBe(true);
  });
});
