/**
 * A province on the PostgreSQL server at scale (issue 23, item 5). Each figure beside its plain reference,
 * in the same run:
 *  1. the import of the demo province (generated as the import template, imported by the register's own
 *     import) against PostgreSQL's COPY of the same file into a bare table of text columns; then the rest of
 *     the demo load, timed apart: the card history with the coverage counts, voluntary social insurance
 *     (not the demo's offices and collectors, nor its door-to-door visits: no figure here needs them);
 *  2. the province dashboard p50 (goal < 100 ms) on a month end and on a day that is not one, against the
 *     plain GROUP BY over the register (slow at scale: --reference-runs, default 2);
 *  3. a commune's door-to-door list p50 (goal < 150 ms; the commune of median size, or --commune CODE)
 *     against the plain query of bench/outreach.ts;
 *  4. a selection round (`runRound`: read, price, solve, freeze every candidate) over --candidates
 *     (default 1,000,000) candidates, the communes taken in code order until they hold that many (goal
 *     < 10 s), against the LP upper bound of the same candidates (bench/allocation.ts) and the plain query
 *     that counts them;
 *  5. the database's size per million persons (pg_database_size, pg_total_relation_size of the large tables).
 * Prints the ratios last.
 *   npm run bench -- scale --postgres URL [--persons N] [--schema NAME] [--runs R] [--reference-runs R]
 *     [--candidates N] [--commune CODE]
 * The schema (default scale_<persons>) is kept: a second run on it skips the load (10,000,000 persons take
 * long); drop it (or the database) when done. Use a database of its own: `createdb scale10m`.
 * Give node room at 10,000,000: NODE_OPTIONS=--max-old-space-size=16384.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { sql } from 'kysely';
import { openDb } from '../src/db/connect';
import { cliOperator } from '../src/domain/access';
import { addDays } from '../src/domain/calendar';
import { allocationBound } from '../src/domain/allocation';
import { CANONICAL_COLUMNS } from '../src/domain/register-row';
import { importRegister } from '../src/modules/register/import.service';
import { addDemoCards, writeDemoFiles } from '../src/modules/register/demo.service';
import { insertDemoVsiPeriods } from '../src/modules/register/register.repository';
import { coverageOf } from '../src/modules/coverage/coverage.service';
import { registerCountsDirect } from '../src/modules/coverage/coverage.repository';
import { createGroup } from '../src/modules/outreach/groups.service';
import { doorList } from '../src/modules/outreach/doorlist.service';
import { createProgramme, changeProgrammeStatus } from '../src/modules/programmes/programme/programme.service';
import { prepareCandidates } from '../src/modules/programmes/selection/candidates.service';
import { runRound } from '../src/modules/programmes/selection/selection.service';
import { programmeForActor } from '../src/modules/programmes/programme/programme.access';
import { percentile, fmt, timeRuns } from './_stats';
import { arg, DEMO_TODAY, plainDoorList } from './_demo';

const pgUrl = arg('postgres');
if (!pgUrl) {
  console.error('usage: npm run bench -- scale --postgres URL [--persons N] [--schema NAME] (a database of its own)');
  process.exit(2);
}
const persons = Number(arg('persons') ?? 10_000_000);
const schema = arg('schema') ?? `scale_${persons}`;
const runs = Number(arg('runs') ?? 20);
const referenceRuns = Number(arg('reference-runs') ?? 2);
const wantedCandidates = Number(arg('candidates') ?? 1_000_000);
const today = DEMO_TODAY; // a month end
const midMonth = '2025-11-18'; // not a month end (issue 23 item 6: the common case)
const actor = cliOperator('bench');
const started = performance.now();
const load = () => os.loadavg().map((l) => l.toFixed(2)).join(', ');
const secs = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
const stamp = () => `[${secs(performance.now() - started)}, load ${load()}]`;
const n = (x: number) => x.toLocaleString('en');
console.log(`scale: ${n(persons)} persons in schema ${schema}; ${os.cpus().length} cores; load average ${load()}`);

const database = await openDb({ databaseUrl: pgUrl, schema });
const { db } = database;
const count = async (table: string) => Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db)).rows[0].n);
const summary: string[] = [];

// 1. the import, against PostgreSQL's own COPY of the same file
if ((await count('person')) === 0) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-bench-scale-'));
  try {
    let t0 = performance.now();
    const files = await writeDemoFiles(database, actor, { province: '15', persons, seed: 1, today }, dir);
    console.log(`generated ${n(persons)} persons: ${(fs.statSync(files.file).size / 1e6).toFixed(0)} MB (other cards ${(fs.statSync(files.cardsFile).size / 1e6).toFixed(0)} MB) in ${secs(performance.now() - t0)} ${stamp()}`);
    t0 = performance.now();
    const report = await importRegister(database, actor, { path: files.file }, { today });
    const importMs = performance.now() - t0;
    if (report.rejected || report.inserted !== persons) throw new Error(`import did not insert everything: ${JSON.stringify({ ...report, errors: report.errors.slice(0, 3) })}`);
    console.log(`import (the register's own, into the empty register): ${n(report.inserted)} persons in ${secs(importMs)} ${stamp()}`);
    // the reference: the file's bytes COPYed by the server into a bare table of text columns
    // (the first bytes only: the file is larger than a string may be)
    const head = Buffer.alloc(4096);
    const fd = fs.openSync(files.file, 'r');
    const got = fs.readSync(fd, head, 0, head.length, 0);
    fs.closeSync(fd);
    const headerLine = head.subarray(0, got).toString('utf8').split('\n')[0];
    if (headerLine !== CANONICAL_COLUMNS.join(',')) throw new Error(`unexpected header ${headerLine}`);
    const client = new pg.Client({ connectionString: pgUrl });
    await client.connect();
    await client.query(`drop schema if exists ${schema}_raw cascade`);
    await client.query(`create schema ${schema}_raw`);
    await client.query(`create table ${schema}_raw.raw_register (${CANONICAL_COLUMNS.map((c) => `${c} text`).join(', ')})`);
    t0 = performance.now();
    await pipeline(fs.createReadStream(files.file, { highWaterMark: 1 << 20 }), client.query(copyFrom(`copy ${schema}_raw.raw_register from stdin with (format csv, header true)`)));
    const copyMs = performance.now() - t0;
    const copied = Number((await client.query(`select count(*) as n from ${schema}_raw.raw_register`)).rows[0].n);
    await client.query(`drop schema ${schema}_raw cascade`);
    await client.end();
    if (copied !== persons) throw new Error(`the raw COPY loaded ${copied} rows, not ${persons}`);
    console.log(`raw COPY of the same file: ${secs(copyMs)} ${stamp()}`);
    console.log(`import ${n(persons)}: ${secs(importMs)}; raw COPY ${secs(copyMs)}; ratio ${(importMs / copyMs).toFixed(2)}`);
    summary.push(`import ${secs(importMs)} / COPY ${secs(copyMs)} = ${(importMs / copyMs).toFixed(2)}`);
    // the rest of the demo load, step by step. Not the demo's door-to-door visits (logged one by one through
    // the use case, some 7,500 at 200,000 persons: about an hour at 10,000,000), nor its offices and
    // collectors (one UPDATE of every card: 16 s at 200,000 persons); no measurement below needs them.
    t0 = performance.now();
    await addDemoCards(database, files.cardsFile);
    console.log(`the card history (${n(await count('card'))} cards now) with the coverage counts: ${secs(performance.now() - t0)} ${stamp()}`);
    t0 = performance.now();
    await insertDemoVsiPeriods(db, today);
    console.log(`voluntary social insurance periods: ${secs(performance.now() - t0)} ${stamp()}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  await sql`vacuum analyze`.execute(db);
  console.log(`vacuum analyze ${stamp()}`);
} else console.log(`schema ${schema} holds the register already: the load is skipped (its figures are in the first run's output)`);
const registered = await count('person');
console.log(`register: ${n(registered)} persons, ${n(await count('household'))} households, ${n(await count('card'))} cards`);

// 2. the province dashboard (the plain GROUP BY comes at the end: it is slow)
const communes = (await db.selectFrom('unit').select('code').where('parentCode', '=', '15').where('level', '=', 'commune').execute()).map((u) => u.code);
await coverageOf(db, actor, '15', today); // warm, as a running server is
const kept = await timeRuns(() => coverageOf(db, actor, '15', today), runs);
console.log(`dashboard on ${today} (a month end): p50 ${fmt(percentile(kept, 50))}, p99 ${fmt(percentile(kept, 99))} (${runs} runs) ${stamp()}`);
await coverageOf(db, actor, '15', midMonth);
const mid = await timeRuns(() => coverageOf(db, actor, '15', midMonth), runs);
console.log(`dashboard on ${midMonth} (not a month end): p50 ${fmt(percentile(mid, 50))}, p99 ${fmt(percentile(mid, 99))} (${runs} runs) ${stamp()}`);

// 3. a commune's door-to-door list
const sizes = (await sql<{ code: string; n: number }>`select commune_code as code, count(*)::int as n from person group by 1 order by 2`.execute(db)).rows;
const commune = arg('commune') ? sizes.find((c) => c.code === arg('commune'))! : sizes[Math.floor(sizes.length / 2)];
console.log(`communes: ${sizes.length}, ${n(sizes[0].n)} to ${n(sizes[sizes.length - 1].n)} persons; the list of ${commune.code} (${n(commune.n)} persons, the median) ${stamp()}`);
const villages = (await db.selectFrom('unit').select('code').where('parentCode', '=', commune.code).where('level', '=', 'village').execute()).map((v) => v.code);
const group = await createGroup(db, actor, { communeCode: commune.code, name: `Bench ${randomUUID().slice(0, 8)}`, villages });
const query = { days: 30, months: 12 };
const first = await doorList(db, actor, group.id, query, today, 'vi');
const ours = await timeRuns(() => doorList(db, actor, group.id, query, today, 'vi'), runs);
const until = addDays(today, 30);
const plainQuery = () => plainDoorList(db, villages, until);
const plainRows = (await plainQuery()).rows.length;
const plain = await timeRuns(plainQuery, runs);
const listed = first.households.reduce((s, h) => s + h.members.length, 0);
console.log(`door-to-door list of ${commune.code} (${villages.length} villages): ${n(first.households.length)} households, ${n(listed)} persons (plain query ${n(plainRows)} rows)`);
console.log(`door-to-door list: p50 ${fmt(percentile(ours, 50))}, p99 ${fmt(percentile(ours, 99))}; plain query p50 ${fmt(percentile(plain, 50))}, p99 ${fmt(percentile(plain, 99))} (${runs} runs) ${stamp()}`);

// 4. a selection round over about 1,000,000 candidates: the communes in code order until they hold that many
const purchase = '2025-11-01';
const periodEnd = addDays(addDays(purchase, 365), -1);
const candidateCount = (codes: string[] | null) => sql<{ code: string; n: number }>`
  select p.commune_code as code, count(*)::int as n from person p
  where ${codes ? sql`p.commune_code = any(${codes}::text[])` : sql`true`}
    and not exists (select 1 from card c where c.household_id = p.household_id and c.person_id = p.id and c.valid_from <= ${periodEnd}::date and c.valid_to >= ${periodEnd}::date)
  group by 1 order by 1`.execute(db);
let t0 = performance.now();
const perCommune = (await candidateCount(null)).rows;
console.log(`persons without a card over ${purchase}..${periodEnd}: ${n(perCommune.reduce((s, r) => s + r.n, 0))} in the province (${secs(performance.now() - t0)}) ${stamp()}`);
const area: string[] = [];
let inArea = 0;
for (const r of perCommune) {
  if (inArea >= wantedCandidates) break;
  area.push(r.code);
  inArea += r.n;
}
const programme = await createProgramme(db, actor, {
  name: `Scale ${randomUUID().slice(0, 8)}`,
  ownerUnitCode: '15',
  areaKind: 'communes',
  areaCodes: area,
  cardMonths: 12,
  purchaseDate: purchase,
  deadline: '2025-12-31',
  priorityMode: 'weights',
  priorities: { poor: 3, near_poor: 3, ethnic_minority: 2.5, child_under_6: 2, elderly_60_79: 2, pupil: 1.5 },
});
await changeProgrammeStatus(db, actor, programme.id, 'raising');
await changeProgrammeStatus(db, actor, programme.id, 'selecting');
// the budget: 30% of what the eligible candidates would cost, each priced alone
t0 = performance.now();
let prepared: Awaited<ReturnType<typeof prepareCandidates>> | null = await prepareCandidates(db, await programmeForActor(db, actor, programme.id, 'read'));
const prepareMs = performance.now() - t0;
const eligibleCost = prepared.candidates.reduce((s, c) => s + (c.status === 'eligible' ? (c.cost ?? 0) : 0), 0);
const budget = Math.round(eligibleCost * 0.3);
const boundInput = { date: purchase, months: 12, budget, weights: prepared.priorities.weights, candidates: prepared.allocation, mode: 'concentrate' as const };
const candidates = prepared.candidates.length;
console.log(`selection: ${n(candidates)} candidates in ${area.length} communes (reading and pricing them: ${secs(prepareMs)}); budget ${n(budget)} dong ${stamp()}`);
t0 = performance.now();
const bound = allocationBound(boundInput, prepared.rules);
const boundMs = performance.now() - t0;
prepared = null;
t0 = performance.now();
const round = await runRound(database, actor, programme.id, { budget });
const roundMs = performance.now() - t0;
const frozen = Number((await sql<{ n: string }>`select count(*) as n from selection_candidate where round_id = ${round.id}::uuid`.execute(db)).rows[0].n);
t0 = performance.now();
const plainCount = (await candidateCount(area)).rows.reduce((s, r) => s + r.n, 0);
const plainCountMs = performance.now() - t0;
console.log(`selection round: ${secs(roundMs)} (${n(round.selectedCount)} selected of ${n(frozen)} frozen, spent ${n(round.spent)}, objective ${round.objective.toFixed(2)}) ${stamp()}`);
console.log(`LP bound of the same candidates: ${secs(boundMs)}, bound ${bound.toFixed(2)}; objective / bound ${(round.objective / bound).toFixed(5)}; plain count of the candidates: ${n(plainCount)} in ${secs(plainCountMs)}`);

// 5. the database's size
const sizeRows = (
  await sql<{ name: string; bytes: string; rows: string }>`
    select c.relname as name, pg_total_relation_size(c.oid) as bytes, c.reltuples::bigint as rows
    from pg_class c join pg_namespace s on s.oid = c.relnamespace
    where s.nspname = ${schema} and c.relkind in ('r', 'p') order by 2 desc`.execute(db)
).rows;
const schemaBytes = sizeRows.reduce((s, r) => s + Number(r.bytes), 0);
const dbBytes = Number((await sql<{ b: string }>`select pg_database_size(current_database()) as b`.execute(db)).rows[0].b);
const perMillion = (b: number) => `${((b / 1e9) * (1e6 / registered)).toFixed(2)} GB`;
console.log(`database ${(dbBytes / 1e9).toFixed(2)} GB (${perMillion(dbBytes)} per million persons); schema ${schema} ${(schemaBytes / 1e9).toFixed(2)} GB (${perMillion(schemaBytes)} per million)`);
for (const r of sizeRows.slice(0, 12)) console.log(`  ${r.name}: ${(Number(r.bytes) / 1e9).toFixed(2)} GB with its indexes, about ${n(Number(r.rows))} rows`);

// 2 (the reference). the plain GROUP BY over the register, now and a year earlier, as the dashboard needs
const check = await coverageOf(db, actor, '15', today);
const groupBy = await timeRuns(async () => {
  await registerCountsDirect(db, 'commune', communes, today, addDays(today, 30));
  await registerCountsDirect(db, 'commune', communes, '2024-10-31', addDays('2024-10-31', 30));
}, referenceRuns);
const direct = await registerCountsDirect(db, 'commune', communes, today, addDays(today, 30));
const directParticipants = direct.reduce((s, r) => s + r.participants, 0);
if (directParticipants !== check.register?.participants) throw new Error(`aggregates ${check.register?.participants} != register ${directParticipants}`);
console.log(`plain GROUP BY over the register: p50 ${fmt(percentile(groupBy, 50))} (${referenceRuns} runs; ${n(directParticipants)} covered, as the dashboard says) ${stamp()}`);
await database.close();

summary.unshift(`scale ${n(registered)} persons on PostgreSQL`);
summary.push(`dashboard p50 ${fmt(percentile(kept, 50))} (not a month end ${fmt(percentile(mid, 50))}) / GROUP BY ${fmt(percentile(groupBy, 50))} = ${(percentile(groupBy, 50) / percentile(kept, 50)).toFixed(0)}x faster`);
summary.push(`door-to-door list p50 ${fmt(percentile(ours, 50))} / plain ${fmt(percentile(plain, 50))} = ${(percentile(ours, 50) / percentile(plain, 50)).toFixed(2)}`);
summary.push(`round over ${n(candidates)}: ${secs(roundMs)}, objective ${(round.objective / bound).toFixed(5)} of the LP bound (${secs(boundMs)})`);
summary.push(`${perMillion(dbBytes)} per million persons`);
console.log(summary.join('; '));
