/**
 * Register import against raw COPY. Generates a demo file of N persons (default 1,000,000), imports it
 * into a fresh database with the full validation (src/modules/register/import.service.ts) while a
 * client (a process of its own) measures /api/health on the same server, then has the same engine COPY
 * the file's bytes into a bare table of text columns on a fresh database (no code of ours in between).
 * Prints the ratio last.
 *   npm run bench -- import [--persons N] [--postgres postgres://...]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { PGlite } from '@electric-sql/pglite';
import { openDb } from '../src/db/connect';
import { buildApp } from '../src/http/app';
import { cliOperator } from '../src/domain/access';
import { importRegister } from '../src/modules/register/import.service';
import { writeDemoFile } from '../src/modules/register/demo.service';
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
const database = await open();
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
const loadBefore = os.loadavg()[0];
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

// The reference: the file's own bytes, COPYed by the engine into a bare table of text columns (one per
// header column) on a fresh database, through none of coverdesk's code (no CSV parsing, no worker, no
// bulk loader). PGlite: a PGlite of its own on a data directory of the same kind, started with the same
// parameters as the app's worker (pglite-worker.ts), reading the file as the query's blob ('/dev/blob'),
// and the same through its in-memory file system (what the app's own COPYs use); PostgreSQL: COPY FROM
// STDIN streaming the file. Reading the file from disk is inside the time, as it is for the import.
fs.rmSync(path.join(work, 'data'), { recursive: true, force: true });
// (a BOM would be harmless: HEADER skips the whole first line; the demo file has none)
const headerLine = fs.readFileSync(file, 'utf8').slice(0, 4096).split('\n')[0].replace(/^\uFEFF/, '');
const columns = headerLine.split(',');
if (columns.join(',') !== CANONICAL_COLUMNS.join(',')) throw new Error(`unexpected header ${headerLine}`);
const createRaw = `create table raw_register (${columns.map((c) => `${c} text`).join(', ')})`;
const copyOptions = 'with (format csv, header true)';
let copyMs: number;
let copyUse: string;
let copyNote = '';
let copiedRows: number;
if (postgres) {
  const client = new pg.Client({ connectionString: postgres });
  await client.connect();
  await client.query(`drop schema ${schema} cascade`); // (the import's)
  await client.query(`create schema ${schema}_raw`);
  await client.query(`set search_path = ${schema}_raw`);
  await client.query(createRaw);
  const copyCpu = cpuMeter({});
  t0 = performance.now();
  await pipeline(fs.createReadStream(file, { highWaterMark: 1 << 20 }), client.query(copyFrom(`copy raw_register from stdin ${copyOptions}`)));
  copyMs = performance.now() - t0;
  copyUse = copyCpu(copyMs);
  copiedRows = Number((await client.query('select count(*) as n from raw_register')).rows[0].n);
  await client.query(`drop schema ${schema}_raw cascade`);
  await client.end();
} else {
  const start = async (dir: string) => {
    const pglite = new PGlite({ dataDir: dir, startParams: [...PGlite.defaultStartParams, '-c', 'wal_level=minimal', '-c', 'max_wal_senders=0'] });
    await pglite.exec(createRaw);
    return pglite;
  };
  const busy = () => {
    const elu = performance.eventLoopUtilization();
    return (wallMs: number) => `${(wallMs / 1000).toFixed(1)} s: main thread (the database) busy ${(performance.eventLoopUtilization(elu).active / 1000).toFixed(1)} s`;
  };
  // 1. '/dev/blob'
  let pglite = await start(path.join(work, 'raw-blob'));
  let meter = busy();
  t0 = performance.now();
  await pglite.query(`copy raw_register from '/dev/blob' ${copyOptions}`, [], { blob: new Blob([fs.readFileSync(file)]) });
  const blobMs = performance.now() - t0;
  const blobUse = meter(blobMs);
  copiedRows = (await pglite.query<{ n: number }>('select count(*)::int as n from raw_register')).rows[0].n;
  await pglite.close();
  // 2. a file of its in-memory file system
  pglite = await start(path.join(work, 'raw-memfs'));
  meter = busy();
  t0 = performance.now();
  pglite.Module.FS.writeFile('/tmp/register.csv', fs.readFileSync(file), { canOwn: true });
  await pglite.query(`copy raw_register from '/tmp/register.csv' ${copyOptions}`);
  const memfsMs = performance.now() - t0;
  const memfsUse = meter(memfsMs);
  const memfsRows = (await pglite.query<{ n: number }>('select count(*)::int as n from raw_register')).rows[0].n;
  await pglite.close();
  if (memfsRows !== copiedRows) throw new Error(`the two raw COPYs loaded ${copiedRows} and ${memfsRows} rows`);
  // the faster of the two is the reference
  copyMs = Math.min(blobMs, memfsMs);
  copyUse = blobMs <= memfsMs ? `${blobUse} ('/dev/blob')` : `${memfsUse} (in-memory file)`;
  copyNote = ` (from '/dev/blob' ${(blobMs / 1000).toFixed(1)} s, from an in-memory file ${(memfsMs / 1000).toFixed(1)} s)`;
}
if (copiedRows !== persons) throw new Error(`the raw COPY loaded ${copiedRows} rows, not ${persons}`);
fs.rmSync(work, { recursive: true, force: true });

console.log(`engine: ${postgres ? 'PostgreSQL' : 'PGlite (embedded)'}`);
console.log(`peak memory (rss): ${(peakRss / 1e6).toFixed(0)} MB (main thread JS heap ${(peakHeap / 1e6).toFixed(0)} MB, external ${(peakExternal / 1e6).toFixed(0)} MB)`);
console.log(`/api/health during the import: ${health.length} requests, p50 ${fmt(percentile(health, 50))}, p99 ${fmt(percentile(health, 99))}, max ${fmt(health[health.length - 1] ?? NaN)}`);
console.log(`where the time went (two cores): import ${importUse}; raw COPY ${copyUse}`);
console.log(`raw COPY of the file${copyNote}`);
console.log(`load average (1 min): ${loadBefore.toFixed(2)} before the import, ${os.loadavg()[0].toFixed(2)} at the end`);
console.log(`import ${persons} persons: ${(importMs / 1000).toFixed(1)} s; raw COPY ${(copyMs / 1000).toFixed(1)} s; ratio ${(importMs / copyMs).toFixed(2)}`);
