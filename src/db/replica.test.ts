/**
 * The read replica against a real PostgreSQL streaming standby (scripts/start-standby.sh, started by
 * .ci/run): reads go to the standby, writes to the primary, the writer reads its change at once, and a
 * lagging or unreachable standby falls back to the primary and says so in /api/health. Skipped without
 * TEST_DATABASE_URL and TEST_REPLICA_URL; the refusal on the embedded database runs everywhere.
 */
import net from 'node:net';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { sql, type Kysely } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dropSchema, openDb, type Database } from './connect';
import { PGLITE_REPLICA_REFUSED } from '../config';
import { buildApp } from '../http/app';
import { makeUser } from '../test/db';

const PRIMARY = process.env.TEST_DATABASE_URL || undefined;
const REPLICA = process.env.TEST_REPLICA_URL || undefined;

const inRecovery = async (db: Kysely<any>) => (await sql<{ r: boolean }>`select pg_is_in_recovery() as r`.execute(db)).rows[0].r;
const probeCount = async (db: Kysely<any>) => (await sql<{ n: number }>`select count(*)::int as n from replica_probe`.execute(db)).rows[0].n;

describe('read replica on the embedded database', () => {
  it('is refused with a message that says why', async () => {
    await expect(openDb({ replica: { url: 'postgres://postgres@127.0.0.1:5433/test' }, migrate: false })).rejects.toThrow(PGLITE_REPLICA_REFUSED);
  });
});

describe.skipIf(!PRIMARY || !REPLICA)('read replica on a PostgreSQL streaming standby', () => {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  let clock = Date.parse('2026-12-05T08:00:00Z');
  let database: Database;
  let standby: pg.Client;
  let app: Awaited<ReturnType<typeof buildApp>>;

  /** Stops or resumes the standby's replay (it keeps receiving WAL, it just does not apply it). */
  async function replay(on: boolean) {
    if (on) {
      await standby.query('select pg_wal_replay_resume()');
      return;
    }
    await standby.query('select pg_wal_replay_pause()');
    for (let i = 0; i < 100; i++) {
      const r = await standby.query<{ s: string }>('select pg_get_wal_replay_pause_state() as s');
      if (r.rows[0].s === 'paused') return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error('the standby did not pause its replay');
  }

  async function login(username: string, password: string) {
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'cd_session')!;
    return { cookie: `cd_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken as string };
  }

  beforeAll(async () => {
    standby = new pg.Client({ connectionString: REPLICA });
    await standby.connect();
    database = await openDb({ databaseUrl: PRIMARY, schema, replica: { url: REPLICA!, checkEveryMs: 0, maxLagSeconds: 30, now: () => clock } });
    await sql`create table replica_probe (id int)`.execute(database.db);
    expect(await database.replica!.caughtUp()).toBe(true);
    app = await buildApp({ database, webDist: false });
    await app.ready();
  });
  afterAll(async () => {
    await standby?.query('select pg_wal_replay_resume()').catch(() => undefined);
    await standby?.end();
    await app?.close();
    await database?.close();
    if (PRIMARY) await dropSchema(PRIMARY, schema);
  });

  it('reads from the standby and writes to the primary', async () => {
    expect(database.replica!.status()).toMatchObject({ state: 'used', readsFrom: 'replica', lagSeconds: 0 });
    expect(await inRecovery(database.reads())).toBe(true);
    expect(await inRecovery(database.reads('user:someone'))).toBe(true);
    expect(await inRecovery(database.db)).toBe(false);
    // the migrated tables of this test's schema are on the standby too
    const units = await database.reads().selectFrom('unit').select(sql<number>`count(*)::int`.as('n')).executeTakeFirstOrThrow();
    expect(units.n).toBeGreaterThan(100);
    // a write through the read side is refused by the standby, and the primary takes it
    await expect(sql`insert into replica_probe values (1)`.execute(database.reads())).rejects.toThrow(/read-only/);
    await sql`insert into replica_probe values (1)`.execute(database.db);
    expect(await database.replica!.caughtUp()).toBe(true);
    expect(await probeCount(database.reads())).toBe(1);
  });

  it('lets the writer read its change at once while the standby has not replayed it', async () => {
    await replay(false);
    try {
      await sql`insert into replica_probe values (2)`.execute(database.db);
      await database.wrote('user:writer');
      await database.replica!.check();
      expect(database.replica!.status().state).toBe('used');
      // the writer reads on the primary and sees its row; another user reads the standby, one row behind
      expect(await inRecovery(database.reads('user:writer'))).toBe(false);
      expect(await probeCount(database.reads('user:writer'))).toBe(2);
      expect(await inRecovery(database.reads('user:other'))).toBe(true);
      expect(await probeCount(database.reads('user:other'))).toBe(1);
    } finally {
      await replay(true);
    }
    expect(await database.replica!.caughtUp()).toBe(true);
    // replayed: the writer is back on the standby, and sees its row there
    expect(await inRecovery(database.reads('user:writer'))).toBe(true);
    expect(await probeCount(database.reads('user:writer'))).toBe(2);
  });

  it('routes the lists of the HTTP API the same way: the user who made a village sees it, another sees the standby', async () => {
    const writer = await makeUser(database, 'commune_officer', '02905');
    const reader = await makeUser(database, 'commune_officer', '02905');
    const w = await login(writer.username, writer.password);
    const r = await login(reader.username, reader.password);
    expect(await database.replica!.caughtUp()).toBe(true);
    await replay(false);
    try {
      const made = await app.inject({ method: 'POST', url: '/api/units', headers: w, payload: { parentCode: '02905', code: 'R1', name: 'Thôn Bản Sao' } });
      expect(made.statusCode).toBe(201);
      await database.replica!.check();
      const mine = await app.inject({ url: '/api/units?parent=02905', headers: w });
      expect(mine.json().map((u: { code: string }) => u.code)).toContain('02905.R1');
      const theirs = await app.inject({ url: '/api/units?parent=02905', headers: r });
      expect(theirs.statusCode).toBe(200);
      expect(theirs.json().map((u: { code: string }) => u.code)).not.toContain('02905.R1');
    } finally {
      await replay(true);
    }
    expect(await database.replica!.caughtUp()).toBe(true);
    const later = await app.inject({ url: '/api/units?parent=02905', headers: r });
    expect(later.json().map((u: { code: string }) => u.code)).toContain('02905.R1');
  });

  it('answers every read-only view from the standby without trying to write there', async () => {
    const admin = await makeUser(database, 'admin', null);
    const h = await login(admin.username, admin.password);
    expect(await database.replica!.caughtUp()).toBe(true);
    expect(database.replica!.readerFor(`user:${admin.user.id}`)).toBe('replica');
    const views = [
      '/api/units?parent=15',
      '/api/coverage/15',
      '/api/coverage/15/vsi',
      '/api/coverage/15/visits',
      '/api/coverage/15/visits?format=csv',
      '/api/coverage/15/visits?format=xlsx',
      '/api/coverage/15/trend',
      '/api/coverage/15/low',
      '/api/coverage/15/pupils',
      '/api/coverage/15/export?table=children',
      '/api/coverage/15/pdf',
      '/api/coverage/figures?unit=15',
      '/api/coverage/targets',
      '/api/coverage/staff-targets',
      '/api/coverage/staff-progress?unit=15',
      '/api/register/persons',
      '/api/register/households',
      '/api/register/export?what=persons&format=csv',
      '/api/register/export?what=cards',
      '/api/programmes',
      '/api/outreach/progress?unit=15',
      '/api/outreach/progress.xlsx?unit=15',
      '/api/reminders?unit=15',
      '/api/reminders/export.csv?unit=15',
      '/api/plans/dashboard',
    ];
    const answers = [];
    for (const url of views) answers.push([url, (await app.inject({ url, headers: h })).statusCode]);
    expect(answers).toEqual(views.map((url) => [url, 200]));
    expect((await app.inject({ url: '/api/public/programmes/no-such-programme' })).statusCode).toBe(404);
  });

  it('falls back to the primary when the standby lags beyond the limit, and says so in /api/health', async () => {
    await replay(false);
    try {
      await sql`insert into replica_probe values (3)`.execute(database.db);
      await database.replica!.check();
      clock += 31_000;
      const status = await database.replica!.check();
      expect(status).toMatchObject({ state: 'lagging', readsFrom: 'primary', lagSeconds: 31, maxLagSeconds: 30 });
      expect(await inRecovery(database.reads())).toBe(false);
      expect(await probeCount(database.reads('user:other'))).toBe(3);
      const health = await app.inject({ url: '/api/health?lang=en' });
      expect(health.json()).toMatchObject({
        status: 'ok',
        engine: 'postgres',
        replica: { state: 'lagging', readsFrom: 'primary', lagSeconds: 31, message: 'The replica is 31 s behind (more than 30 s): reading from the primary' },
      });
    } finally {
      await replay(true);
    }
    expect(await database.replica!.caughtUp()).toBe(true);
    expect(database.replica!.status()).toMatchObject({ state: 'used', lagSeconds: 0 });
    expect(await inRecovery(database.reads())).toBe(true);
    expect((await app.inject({ url: '/api/health' })).json().replica).toMatchObject({ state: 'used', readsFrom: 'replica' });
  });

  it('falls back to the primary when the standby does not answer, found by a read or by a check', async () => {
    // a relay to the standby that can be cut: the standby "stops" as far as coverdesk can tell
    const replicaUrl = new URL(REPLICA!);
    const sockets = new Set<net.Socket>();
    let cut = false;
    const relay = net.createServer((client) => {
      if (cut) {
        client.destroy();
        return;
      }
      const upstream = net.connect(Number(replicaUrl.port || 5432), replicaUrl.hostname);
      for (const s of [client, upstream]) {
        sockets.add(s);
        s.on('error', () => undefined);
        s.on('close', () => sockets.delete(s));
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve) => relay.listen(0, '127.0.0.1', resolve));
    const viaRelay = new URL(REPLICA!);
    viaRelay.port = String((relay.address() as net.AddressInfo).port);
    const second = await openDb({ databaseUrl: PRIMARY, schema, migrate: false, replica: { url: viaRelay.toString(), checkEveryMs: 0, now: () => clock } });
    const secondApp = await buildApp({ database: second, webDist: false });
    try {
      expect(second.replica!.status().state).toBe('used');
      expect(await inRecovery(second.reads())).toBe(true);

      // the standby stops taking connections between two checks: two reads at once, one on the connection
      // already open to the standby, the other cannot connect and takes a primary connection instead
      cut = true;
      const reads = second.reads();
      const answers = await Promise.all([inRecovery(reads), inRecovery(reads)]);
      expect(answers.sort()).toEqual([false, true]);
      expect(second.replica!.status()).toMatchObject({ state: 'unreachable', readsFrom: 'primary' });
      expect(await inRecovery(second.reads())).toBe(false);

      // the open connections die too; a check finds the standby gone
      for (const s of sockets) s.destroy();
      const status = await second.replica!.check();
      expect(status).toMatchObject({ state: 'unreachable', readsFrom: 'primary', lagSeconds: null });
      expect(status.error).toBeTruthy();
      expect(await inRecovery(second.reads('user:anyone'))).toBe(false);
      const health = await secondApp.inject({ url: '/api/health' });
      expect(health.json().replica).toMatchObject({ state: 'unreachable', readsFrom: 'primary', message: 'Bản sao không trả lời: đọc từ máy chủ chính' });

      // back: the next check uses it again
      cut = false;
      expect(await second.replica!.check()).toMatchObject({ state: 'used', readsFrom: 'replica' });
      expect(await inRecovery(second.reads())).toBe(true);
    } finally {
      await secondApp.close();
      await second.close();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
      for (const s of sockets) s.destroy();
    }
  });

  it('does not take a server that is not a standby for a replica', async () => {
    const wrong = await openDb({ databaseUrl: PRIMARY, schema, migrate: false, replica: { url: PRIMARY!, checkEveryMs: 0 } });
    try {
      expect(wrong.replica!.status()).toMatchObject({ state: 'not_standby', readsFrom: 'primary' });
      expect(wrong.reads()).toBe(wrong.db);
    } finally {
      await wrong.close();
    }
  });
});
