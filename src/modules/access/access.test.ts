import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from './passwords';
import { LoginThrottle, loginKeys } from './login-throttle';
import { RateLimit } from '../../domain/rate-limit';

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
  const attacker = '203.0.113.9';
  const home = '10.0.0.1';
  it('blocks a username from one address after 5 failures within 15 minutes, and forgets after the window', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 4; i++) t.recordFailure(loginKeys('an', attacker), 1000 + i);
    expect(t.isBlocked(loginKeys('an', attacker), 2000)).toBe(false);
    t.recordFailure(loginKeys('An ', attacker), 2000);
    expect(t.isBlocked(loginKeys('an', attacker), 2001)).toBe(true);
    expect(t.isBlocked(loginKeys('binh', attacker), 2001)).toBe(false);
    expect(t.isBlocked(loginKeys('an', attacker), 2000 + 15 * 60 * 1000 + 1)).toBe(false);
  });
  it('does not lock the user out on their own address while another address fails', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 20; i++) t.recordFailure(loginKeys('an', attacker), 1000 + i);
    expect(t.isBlocked(loginKeys('an', attacker), 2000)).toBe(true);
    expect(t.isBlocked(loginKeys('an', home), 2000)).toBe(false);
  });
  it('blocks an address after 30 failures across usernames', () => {
    const t = new LoginThrottle();
    for (let i = 0; i < 30; i++) t.recordFailure(loginKeys(`u${i}`, attacker), i);
    expect(t.isBlocked(loginKeys('new', attacker), 100)).toBe(true);
    expect(t.isBlocked(loginKeys('new', home), 100)).toBe(false);
  });
  it('forgets keys whose window has passed, so many usernames tried do not pile up', () => {
    const limit = new RateLimit({ userAddress: 5, ip: 30 }, 1000);
    for (let i = 0; i < 50_000; i++) limit.record([{ kind: 'userAddress', value: `u${i}` }], 0);
    expect(limit.size).toBe(50_000);
    limit.record([{ kind: 'ip', value: attacker }], 5000);
    expect(limit.size).toBe(1);
  });
  it('a success clears the pair, not the address', () => {
    const t = new LoginThrottle({ userAddress: 5, ip: 6 });
    for (let i = 0; i < 5; i++) t.recordFailure(loginKeys('an', home), i);
    t.reset(loginKeys('an', home));
    expect(t.isBlocked(loginKeys('an', home), 10)).toBe(false);
    t.recordFailure(loginKeys('an', home), 11);
    expect(t.isBlocked(loginKeys('an', home), 12)).toBe(true); // the address has 6 now
  });
});
