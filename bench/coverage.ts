/**
 * The coverage dashboard of a province from the kept aggregates, against the same numbers computed by a
 * plain GROUP BY over the register, in one run; prints the ratio last. Generates and imports the demo
 * province (N persons, default 2,000,000) into a fresh embedded database first.
 *   npm run bench -- coverage [--persons N] [--runs R] [--reference-runs R] [--data DIR] [--postgres URL [--schema NAME]]
 * --data DIR keeps the loaded database in DIR and reuses it when it is there already (the load of 2,000,000
 * persons takes minutes); --reference-runs (default 5) limits the slow GROUP BY runs. Also prints the
 * dashboard on a day that is not a month end (answered from the span counts, not the month-end snapshots).
 * --postgres URL runs it on a PostgreSQL server instead, in schema NAME (default bench_coverage_<persons>),
 * loading the demo there unless that schema already holds it.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDb } from '../src/db/connect';
import { cliOperator } from '../src/domain/access';
import { addDays } from '../src/domain/calendar';
import { loadDemo } from '../src/modules/register/demo.service';
import { coverageOf } from '../src/modules/coverage/coverage.service';
import { registerCountsDirect } from '../src/modules/coverage/coverage.repository';
import { percentile, fmt } from './_stats';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const persons = Number(arg('persons') ?? 2_000_000);
const runs = Number(arg('runs') ?? 20);
const referenceRuns = Number(arg('reference-runs') ?? Math.min(runs, 5));
const today = '2025-10-31';
const midMonth = '2025-11-18';
const keep = arg('data');
const work = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-bench-coverage-'));
const actor = cliOperator('bench');
const pgUrl = arg('postgres');
const database = pgUrl
  ? await openDb({ databaseUrl: pgUrl, schema: arg('schema') ?? `bench_coverage_${persons}` })
  : await openDb({ dataDir: path.join(work, 'data') });
const reuse = pgUrl
  ? Number((await database.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n) > 0
  : !!keep && fs.existsSync(path.join(work, 'data', 'db'));
if (!reuse) {
  const t0 = performance.now();
  const loaded = await loadDemo(database, actor, { province: '15', persons, seed: 1, today });
  console.log(`loaded ${loaded.inserted.toLocaleString('en')} persons in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

const communes = (await database.db.selectFrom('unit').select('code').where('parentCode', '=', '15').execute()).map((u) => u.code);
async function time(fn: () => Promise<unknown>, n = runs) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  return times.sort((a, b) => a - b);
}
// the dashboard request: the province and its communes, from the kept aggregates
await coverageOf(database.db, actor, '15', today); // warm the cache once, as a server would be
const kept = await time(() => coverageOf(database.db, actor, '15', today));
// a day that is not a month end: the span counts answer (not part of the ratio)
const mid = await time(() => coverageOf(database.db, actor, '15', midMonth), Math.min(runs, 10));
// the reference: the same counts by a plain GROUP BY over the register (now and a year earlier, as the dashboard needs)
const plain = await time(async () => {
  await registerCountsDirect(database.db, 'commune', communes, today, addDays(today, 30));
  await registerCountsDirect(database.db, 'commune', communes, '2024-10-31', addDays('2024-10-31', 30));
}, referenceRuns);
const check = await coverageOf(database.db, actor, '15', today);
const direct = await registerCountsDirect(database.db, 'commune', communes, today, addDays(today, 30));
const directParticipants = direct.reduce((n, r) => n + r.participants, 0);
if (directParticipants !== check.register?.participants) throw new Error(`aggregates ${check.register?.participants} != register ${directParticipants}`);
const counted = await database.db.selectFrom('person').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
await database.close();
if (!keep) fs.rmSync(work, { recursive: true, force: true });

console.log(`${database.engine}; province 15: ${Number(counted.n).toLocaleString('en')} persons, ${check.register?.participants.toLocaleString('en')} covered on ${today} (both ways)`);
console.log(`dashboard from kept aggregates: p50 ${fmt(percentile(kept, 50))}, p99 ${fmt(percentile(kept, 99))} (${runs} runs)`);
console.log(`dashboard on ${midMonth} (not a month end, from the span counts): p50 ${fmt(percentile(mid, 50))}, p99 ${fmt(percentile(mid, 99))}`);
console.log(`plain GROUP BY over the register: p50 ${fmt(percentile(plain, 50))}, p99 ${fmt(percentile(plain, 99))} (${referenceRuns} runs)`);
console.log(`coverage dashboard p50 ${fmt(percentile(kept, 50))}; GROUP BY ${fmt(percentile(plain, 50))}; ratio ${(percentile(plain, 50) / percentile(kept, 50)).toFixed(1)}x faster`);
