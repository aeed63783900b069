/**
 * Does /api/health keep answering while the embedded database is busy? Measures the p99 latency of
 * /api/health on a running server, first idle, then while a query of about 2 s runs on PGlite (which
 * lives in its own worker thread), and prints busy/idle as the last line. Goal: below 2.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDb } from '../src/db/connect';
import { buildApp } from '../src/http/app';
import { percentile, fmt } from './_stats';

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-bench-'));
const database = await openDb({ dataDir, role: 'server' });
const app = await buildApp({ database, webDist: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const { port } = app.server.address() as { port: number };
const url = `http://127.0.0.1:${port}/api/health`;

async function sample(durationMs: number): Promise<number[]> {
  const times: number[] = [];
  const end = performance.now() + durationMs;
  while (performance.now() < end) {
    const t0 = performance.now();
    const res = await fetch(url);
    await res.arrayBuffer();
    times.push(performance.now() - t0);
  }
  return times.sort((a, b) => a - b);
}

/** A CPU-bound query; rows chosen so that it takes about 2 s on this machine. */
const heavy = (n: number) => sql`select count(*) from generate_series(1, ${n}) a, lateral (select md5(a::text)) b`.execute(database.db);

// calibrate the query to about 2 s
let n = 200_000;
for (;;) {
  const t0 = performance.now();
  await heavy(n);
  const ms = performance.now() - t0;
  if (ms > 300) {
    n = Math.round((n * 2000) / ms);
    break;
  }
  n *= 4;
}
await sample(500); // warm-up
const idle = await sample(2000);

const t0 = performance.now();
const running = heavy(n);
const busy = await sample(1800);
await running;
const queryMs = performance.now() - t0;

await app.close();
await database.close();
fs.rmSync(dataDir, { recursive: true, force: true });

const idleP99 = percentile(idle, 99);
const busyP99 = percentile(busy, 99);
console.log(`query on the embedded database: ${(queryMs / 1000).toFixed(2)} s`);
console.log(`/api/health idle: ${idle.length} requests, p50 ${fmt(percentile(idle, 50))}, p99 ${fmt(idleP99)}`);
console.log(`/api/health during the query: ${busy.length} requests, p50 ${fmt(percentile(busy, 50))}, p99 ${fmt(busyP99)}, max ${fmt(busy[busy.length - 1])}`);
console.log(`responsiveness p99 busy/idle: ratio ${(busyP99 / idleP99).toFixed(2)}`);
