/**
 * Register import against raw COPY. Generates a demo file of N persons (default 1,000,000), imports it
 * into a fresh database with the full validation (src/modules/register/import.service.ts) while a
 * client (a process of its own) measures /api/health on the same server, then loads the same rows with
 * a raw COPY into a bare table on the same engine. Prints the ratio last.
 *   npm run bench -- import [--persons N] [--postgres postgres://...]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { openDb } from '../src/db/connect';
import { buildApp } from '../src/http/app';
import { cliOperator } from '../src/domain/access';
import { importRegister } from '../src/modules/register/import.service';
import { writeDemoFile } from '../src/modules/register/demo.service';
import { readCsvRows } from '../src/io/csv';
import { toCsv } from '../src/db/bulk';
import { CANONICAL_COLUMNS } from '../src/domain/register-row';
import { cpuMeter, percentile, fmt, sampleFromOutside } from './_stats';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const persons = Number(arg('persons') ?? 1_000_000);
const postgres = arg('postgres');
const schema = `bench_${process.pid}`;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-bench-import-'));
const actor = cliOperator('bench');
const today = '2025-10-01';

const open = () => openDb(postgres ? { databaseUrl: postgres, schema } : { dataDir: path.join(work, 'data') });
let database = await open();
const file = path.join(work, 'register.csv');
let t0 = performance.now();
await writeDemoFile(database, actor, { province: '15', persons, seed: 1, today }, file);
console.log(`generated ${persons.toLocaleString('en')} persons: ${(fs.statSync(file).size / 1e6).toFixed(0)} MB in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

// the import, on a running server whose /api/health is sampled meanwhile
const app = await buildApp({ database, webDist: false });
await app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}/api/health`;
const sampler = await sampleFromOutside(url);
let peakRss = 0;
let peakHeap = 0;
let peakExternal = 0;
const trace = process.env.BENCH_TRACE === '1';
let ticks = 0;
const mem = setInterval(() => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
  peakExternal = Math.max(peakExternal, m.external);
  if (trace && ++ticks % 50 === 0)
    console.log(`[mem] ${((performance.now() - t0) / 1000).toFixed(0)} s rss ${(m.rss / 1e6).toFixed(0)} heapUsed ${(m.heapUsed / 1e6).toFixed(0)} heapTotal ${(m.heapTotal / 1e6).toFixed(0)} external ${(m.external / 1e6).toFixed(0)} arrayBuffers ${(m.arrayBuffers / 1e6).toFixed(0)}`);
}, 100);
const importCpu = cpuMeter(database);
t0 = performance.now();
const report = await importRegister(database, actor, { path: file }, { today });
const importMs = performance.now() - t0;
const importUse = importCpu(importMs);
const health = await sampler.stop();
clearInterval(mem);
await app.close();
if (report.rejected || report.inserted !== persons) throw new Error(`import did not insert everything: ${JSON.stringify({ ...report, errors: report.errors.slice(0, 3) })}`);
await database.close();

// the reference: the same rows, raw COPY into a bare table on a fresh database of the same engine
fs.rmSync(path.join(work, 'data'), { recursive: true, force: true });
database = await open();
// one text column per column of the template (the file's header)
const columns = [...CANONICAL_COLUMNS];
await sql`create table raw_register (${sql.raw(columns.map((c) => `${c} text`).join(', '))})`.execute(database.db);
const copyCpu = cpuMeter(database);
t0 = performance.now();
let header = true;
let chunk: unknown[][] = [];
for await (const row of readCsvRows(file)) {
  if (header) {
    if (row.join(',') !== columns.join(',')) throw new Error(`unexpected header ${row.join(',')}`);
    header = false;
    continue;
  }
  chunk.push(row);
  if (chunk.length === 20_000) {
    await database.bulk.copyCsv('raw_register', columns, toCsv(chunk));
    chunk = [];
  }
}
if (chunk.length) await database.bulk.copyCsv('raw_register', columns, toCsv(chunk));
const copyMs = performance.now() - t0;
const copyUse = copyCpu(copyMs);
if (postgres) await sql`drop schema ${sql.raw(schema)} cascade`.execute(database.db);
await database.close();
fs.rmSync(work, { recursive: true, force: true });

console.log(`engine: ${postgres ? 'PostgreSQL' : 'PGlite (embedded)'}`);
console.log(`peak memory (rss): ${(peakRss / 1e6).toFixed(0)} MB (main thread JS heap ${(peakHeap / 1e6).toFixed(0)} MB, external ${(peakExternal / 1e6).toFixed(0)} MB)`);
console.log(`/api/health during the import: ${health.length} requests, p50 ${fmt(percentile(health, 50))}, p99 ${fmt(percentile(health, 99))}, max ${fmt(health[health.length - 1] ?? NaN)}`);
console.log(`where the time went (two cores): import ${importUse}; raw COPY ${copyUse}`);
console.log(`import ${persons} persons: ${(importMs / 1000).toFixed(1)} s; raw COPY ${(copyMs / 1000).toFixed(1)} s; ratio ${(importMs / copyMs).toFixed(2)}`);
