/**
 * The coverage dashboard of a province from the kept aggregates, against the same numbers computed by a
 * plain GROUP BY over the register, in one run; prints the ratio last. Generates and imports the demo
 * province (N persons, default 2,000,000) into a fresh embedded database first.
 *   npm run bench -- coverage [--persons N] [--runs R]
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
const today = '2025-10-31';
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-bench-coverage-'));
const actor = cliOperator('bench');
const database = await openDb({ dataDir: path.join(work, 'data') });
const t0 = performance.now();
const loaded = await loadDemo(database, actor, { province: '15', persons, seed: 1, today });
console.log(`loaded ${loaded.inserted.toLocaleString('en')} persons in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

const communes = (await database.db.selectFrom('unit').select('code').where('parentCode', '=', '15').execute()).map((u) => u.code);
async function time(fn: () => Promise<unknown>) {
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  return times.sort((a, b) => a - b);
}
// the dashboard request: the province and its communes, from the kept aggregates
const kept = await time(() => coverageOf(database.db, actor, '15', today));
// the reference: the same counts by a plain GROUP BY over the register (now and a year earlier, as the dashboard needs)
const plain = await time(async () => {
  await registerCountsDirect(database.db, 'commune', communes, today, addDays(today, 30));
  await registerCountsDirect(database.db, 'commune', communes, '2024-10-31', addDays('2024-10-31', 30));
});
const check = await coverageOf(database.db, actor, '15', today);
const direct = await registerCountsDirect(database.db, 'commune', communes, today, addDays(today, 30));
const directParticipants = direct.reduce((n, r) => n + r.participants, 0);
if (directParticipants !== check.register?.participants) throw new Error(`aggregates ${check.register?.participants} != register ${directParticipants}`);
await database.close();
fs.rmSync(work, { recursive: true, force: true });

console.log(`province 15: ${persons.toLocaleString('en')} persons, ${check.register?.participants.toLocaleString('en')} covered on ${today} (both ways)`);
console.log(`dashboard from kept aggregates: p50 ${fmt(percentile(kept, 50))}, p99 ${fmt(percentile(kept, 99))} (${runs} runs)`);
console.log(`plain GROUP BY over the register: p50 ${fmt(percentile(plain, 50))}, p99 ${fmt(percentile(plain, 99))}`);
console.log(`coverage dashboard p50 ${fmt(percentile(kept, 50))}; GROUP BY ${fmt(percentile(plain, 50))}; ratio ${(percentile(plain, 50) / percentile(kept, 50)).toFixed(1)}x faster`);
