/**
 * The public pledge form's throttle answers with its own message (issue 16, 6a), not the login one. The
 * pledge service is replaced by one that is always over the limit, so the test needs no programme.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { buildApp } from './app';
import { testDatabase, type TestDatabase } from '../test/db';
import { AppError } from '../errors';

vi.mock('../modules/programmes/handover/public.service', async (importOriginal) => {
  const original = await importOriginal<typeof import('../modules/programmes/handover/public.service')>();
  return { ...original, publicPledge: vi.fn(async () => Promise.reject(new AppError('too_many_attempts'))) };
});

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

describe('public pledge throttle', () => {
  it('says too many pledges from the address, try again in an hour, in vi and en', async () => {
    const pledge = (lang: string) =>
      app.inject({
        method: 'POST',
        url: '/api/public/programmes/mot-chuong-trinh/pledges',
        headers: { 'accept-language': lang },
        payload: { name: 'Phạm Văn Đức', contact: 'duc@example.vn', amount: 100_000 },
      });
    const vi_ = await pledge('vi');
    expect(vi_.statusCode).toBe(429);
    expect(vi_.json()).toEqual({
      error: { code: 'too_many_pledges', message: 'Địa chỉ của bạn đã gửi quá nhiều lượt đăng ký ủng hộ. Vui lòng thử lại sau một giờ' },
    });
    const en = await pledge('en');
    expect(en.json().error.message).toBe('Too many pledges from your address. Please try again in an hour');
    expect(en.body).not.toMatch(/login|15 minutes/);
  });
});
