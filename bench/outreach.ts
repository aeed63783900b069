/**
 * Door to door (issue 19), on the embedded database:
 *  1. the door-to-door list of one commune's working group (all its villages; the commune closest to
 *     20,000 persons in a 2,000,000-person register, and the largest commune's for comparison), against a plain query over the register that picks the same people
 *     (persons of those villages without a card on the day or with one ending within 30 days, with their
 *     cards, in village and household order); goal p50 under 150 ms;
 *  2. 20 phones sending 100 queued visits each at the same time (batches of 50, as the field page does)
 *     through the HTTP API: all 2,000 stored exactly once, in under 10 s, while /api/health p99 stays under
 *     100 ms; then every phone sends everything again (a lost answer): still 2,000;
 *  3. the field pages' JavaScript, gzipped, when web/dist/field is built (goal under 250 KB).
 * Prints the list's ratio (ours / plain query) last.
 *   npm run bench -- outreach [--persons N] [--runs R] [--data DIR] [--commune CODE]
 * --data DIR keeps the loaded database and reuses it (loading 2,000,000 persons takes minutes).
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { addDays } from '../src/domain/calendar';
import { buildApp } from '../src/http/app';
import { createGroup } from '../src/modules/outreach/groups.service';
import { doorList } from '../src/modules/outreach/doorlist.service';
import { createUser, createToken } from '../src/modules/access/access.service';
import { percentile, fmt } from './_stats';
import { arg, demoProvince, DEMO_TODAY, plainDoorList } from './_demo';

const runs = Number(arg('runs') ?? 20);
const today = DEMO_TODAY;
const { database, db, actor, close } = await demoProvince('outreach');

// the commune closest to 20,000 persons (the goal's size; --commune CODE for another), and a group over all its villages
const sizes = (
  await sql<{ code: string; n: number }>`
    select h.commune_code as code, count(*)::int as n from person p join household h on h.id = p.household_id group by 1 order by 2 desc`.execute(db)
).rows;
const commune = arg('commune') ? sizes.find((c) => c.code === arg('commune'))! : [...sizes].sort((a, b) => Math.abs(a.n - 20_000) - Math.abs(b.n - 20_000))[0];
const biggest = sizes[0];
async function groupOver(code: string) {
  const villages = (await db.selectFrom('unit').select('code').where('parentCode', '=', code).where('level', '=', 'village').execute()).map((v) => v.code);
  return { villages, group: await createGroup(db, actor, { communeCode: code, name: `Bench ${randomUUID().slice(0, 8)}`, villages }) };
}
const { villages, group } = await groupOver(commune.code);
console.log(`commune ${commune.code}: ${commune.n.toLocaleString('en')} persons in ${villages.length} villages (the largest, ${biggest.code}: ${biggest.n.toLocaleString('en')})`);

async function time(fn: () => Promise<unknown>, n = runs) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  return times.sort((a, b) => a - b);
}

const query = { days: 30, months: 12 };
const first = await doorList(db, actor, group.id, query, today, 'vi');
const ours = await time(() => doorList(db, actor, group.id, query, today, 'vi'));
// the reference: the same people by one plain query over the register, with their cards
const until = addDays(today, 30);
const plainQuery = () => plainDoorList(db, villages, until);
const plainRows = (await plainQuery()).rows.length;
const plain = await time(plainQuery);
const listed = first.households.reduce((n, h) => n + h.members.length, 0);
console.log(`door-to-door list: ${first.households.length.toLocaleString('en')} households, ${listed.toLocaleString('en')} persons (plain query: ${plainRows.toLocaleString('en')} rows)`);
console.log(`door-to-door list (prices, stages, programmes): p50 ${fmt(percentile(ours, 50))}, p99 ${fmt(percentile(ours, 99))} (${runs} runs)`);
console.log(`plain query over the register: p50 ${fmt(percentile(plain, 50))}, p99 ${fmt(percentile(plain, 99))}`);
if (biggest.code !== commune.code) {
  const largest = (await groupOver(biggest.code)).group;
  const big = await doorList(db, actor, largest.id, query, today, 'vi');
  const times = await time(() => doorList(db, actor, largest.id, query, today, 'vi'), Math.min(runs, 5));
  const persons = big.households.reduce((n, h) => n + h.members.length, 0);
  console.log(`the largest commune's list (${biggest.code}, ${persons.toLocaleString('en')} persons listed): p50 ${fmt(percentile(times, 50))}`);
}

// 20 phones, 100 visits each, at the same time, through the HTTP API
const app = await buildApp({ database, webDist: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as { port: number };
const base = `http://127.0.0.1:${port}`;
// a user of its own each run (a kept database holds the earlier runs' users)
const phoneUser = `bench-phone-${randomUUID().slice(0, 8)}`;
await createUser(db, actor, { username: phoneUser, displayName: 'Bench', role: 'commune_officer', scopeCode: commune.code, password: 'a long bench password' });
const { token } = await createToken(db, actor, phoneUser, 'bench');
const targets = first.households.flatMap((h) => h.members.filter((m) => m.needsCard).map((m) => ({ householdId: h.id, personId: m.id, version: h.version })));
const PHONES = 20;
const PER_PHONE = 100;
const visitAt = `${today}T09:00:00+07:00`;
const phones = Array.from({ length: PHONES }, (_, p) =>
  Array.from({ length: PER_PHONE }, (_, i) => {
    const t = targets[(p * PER_PHONE + i) % targets.length];
    return { clientId: randomUUID(), groupId: group.id, personId: t.personId, householdId: t.householdId, outcome: 'not_home', visitedAt: visitAt, householdVersion: t.version };
  }),
);
const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
async function sendAll(): Promise<{ stored: number; duplicates: number; refused: number }> {
  const totals = { stored: 0, duplicates: 0, refused: 0 };
  await Promise.all(
    phones.map(async (visits) => {
      for (let i = 0; i < visits.length; i += 50) {
        const res = await fetch(`${base}/api/outreach/visits/batch`, { method: 'POST', headers, body: JSON.stringify({ visits: visits.slice(i, i + 50) }) });
        if (!res.ok) throw new Error(`batch: ${res.status} ${await res.text()}`);
        const r = (await res.json()) as typeof totals;
        totals.stored += r.stored;
        totals.duplicates += r.duplicates;
        totals.refused += r.refused;
      }
    }),
  );
  return totals;
}
let sending = true;
const health: number[] = [];
const probe = (async () => {
  while (sending) {
    const t0 = performance.now();
    await (await fetch(`${base}/api/health`)).arrayBuffer();
    health.push(performance.now() - t0);
    await new Promise((r) => setTimeout(r, 10));
  }
})();
const s0 = performance.now();
const firstSend = await sendAll();
const sendMs = performance.now() - s0;
sending = false;
await probe;
const again = await sendAll();
const stored = await sql<{ n: number }>`select count(*)::int as n from visit where group_id = ${group.id}::uuid`.execute(db);
await app.close();
health.sort((a, b) => a - b);
console.log(
  `${PHONES} phones x ${PER_PHONE} visits: ${firstSend.stored} stored, ${firstSend.duplicates} duplicates, ${firstSend.refused} refused in ${(sendMs / 1000).toFixed(2)} s; ` +
    `sent again: ${again.duplicates} duplicates, ${again.stored} stored; in the database: ${stored.rows[0].n}`,
);
console.log(`/api/health meanwhile: ${health.length} requests, p50 ${fmt(percentile(health, 50))}, p99 ${fmt(percentile(health, 99))}, max ${fmt(health[health.length - 1] ?? NaN)}`);
if (stored.rows[0].n !== PHONES * PER_PHONE) throw new Error(`expected ${PHONES * PER_PHONE} visits, found ${stored.rows[0].n}`);

await close();

// the field pages' JavaScript on first load
const fieldAssets = path.join(path.dirname(new URL(import.meta.url).pathname), '..', 'web', 'dist', 'field', 'assets');
if (fs.existsSync(fieldAssets)) {
  const js = fs.readdirSync(fieldAssets).filter((f) => f.endsWith('.js'));
  const gz = js.reduce((n, f) => n + zlib.gzipSync(fs.readFileSync(path.join(fieldAssets, f))).length, 0);
  console.log(`field pages' JavaScript: ${js.length} file(s), ${(gz / 1024).toFixed(1)} KB gzipped (goal < 250 KB)`);
} else console.log("field pages' JavaScript: not built (npm run build:web)");

console.log(`door-to-door list p50 ${fmt(percentile(ours, 50))}; plain query ${fmt(percentile(plain, 50))}; ratio ${(percentile(ours, 50) / percentile(plain, 50)).toFixed(2)}`);
