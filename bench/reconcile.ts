/**
 * `npm run bench -- reconcile [--pledges 10000] [--lines 20000] [--seed 1]`: a bank statement of 20,000
 * lines imported and reconciled against 10,000 pledges on the embedded database (goal: < 5 s), and the
 * automatic matching's precision (goal >= 99.9 %) and recall (goal >= 95 %) on a generator that mangles the
 * descriptions the way banks do: the reference lower-cased, split by spaces or dashes, glued after
 * prefixes such as `MBVCB.1234.IBFT.`, Vietnamese words around it with or without their marks, the
 * description cut short; lines paying another amount than pledged, pledges paid in two transfers; and the
 * noise of a real account: transfers without a reference, look-alike codes, fees.
 *
 * Ground truth: each line pays one pledge (its reference in some form) or none. Precision = automatic
 * matches to the right pledge / automatic matches; recall = automatic matches to the right pledge / lines
 * whose description still carries the reference (whole, or cut to at least `CD` and 4 characters).
 * The reference: the statement file loaded as it is by PostgreSQL's own COPY (every column as text, into
 * a table of its own), in the same run: what putting the file's bytes into the database costs at all,
 * against which our import (parse, store, match, receipts through the ledger, audit) is measured.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { openDb, sql } from '../src/db/connect';
import { cliOperator } from '../src/domain/access';
import { newReference, REFERENCE_ALPHABET } from '../src/domain/bank-reference';
import { createProgramme } from '../src/modules/programmes/programme/programme.service';
import * as bank from '../src/modules/programmes/bank/bank.service';
import { programmeBalance } from '../src/modules/programmes/programme/ledger.service';
import { arg } from './_demo';

const PLEDGES = Number(arg('pledges') ?? 10_000);
const LINES = Number(arg('lines') ?? 20_000);
let seed = Number(arg('seed') ?? 1);
/** mulberry32: the same statement for the same seed. */
const random = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)];
const chance = (p: number) => random() < p;

const FAMILY = ['Nguyễn', 'Trần', 'Lê', 'Phạm', 'Hoàng', 'Vũ', 'Đặng', 'Bùi', 'Đỗ', 'Hồ', 'Ngô', 'Dương', 'Lý'];
const MIDDLE = ['Văn', 'Thị', 'Minh', 'Đức', 'Thu', 'Quốc', 'Ngọc', 'Hữu'];
const GIVEN = ['An', 'Bình', 'Cường', 'Dung', 'Hải', 'Hằng', 'Hùng', 'Lan', 'Long', 'Mai', 'Nam', 'Phương', 'Sơn', 'Tâm', 'Trang', 'Tuấn', 'Yến'];
const WORDS = ['ủng hộ', 'chuyển tiền', 'ung ho dong bao', 'tặng thẻ BHYT', 'quyên góp', 'CK', 'gui tien'];
const PREFIXES = ['MBVCB.%.IBFT.', 'IBFT ', 'FT%.', 'TKThe:%, tai VCB. ', 'REM Tfr Ac: % ', '%-', 'VCB.%.', ''];
const AMOUNTS = [100_000, 200_000, 300_000, 500_000, 1_000_000, 1_263_600, 2_000_000, 5_000_000];

const fold = (s: string) =>
  s
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[đĐ]/g, 'd');
const digits = (n: number) => String(Math.floor(random() * 10 ** n)).padStart(n, '0');

/** The reference as a bank may pass it on: case, a space or dash inside, or cut short. */
function mangleReference(ref: string): { text: string } {
  let r = chance(0.4) ? ref.toLowerCase() : ref;
  if (chance(0.2)) {
    const at = 2 + Math.floor(random() * 5);
    r = `${r.slice(0, at)}${pick([' ', '-', '.', '  '])}${r.slice(at)}`;
  }
  return { text: r };
}

interface Truth {
  pledgeIndex: number | null;
  /** Does the description still carry the reference (whole or cut to CD + 4)? */
  carries: boolean;
}

function describe(ref: string, name: string): { description: string; carries: boolean } {
  const prefix = pick(PREFIXES).replace('%', digits(4 + Math.floor(random() * 6)));
  const m = mangleReference(ref);
  const words = pick(WORDS);
  const who = chance(0.5) ? name : fold(name).toUpperCase();
  let description = chance(0.5) ? `${prefix}${m.text} ${who} ${words}` : `${prefix}${who} ${words} ${m.text}`;
  if (chance(0.5)) description = fold(description);
  let carries = true;
  // cut short at the bank's length limit: the end of the description lost
  if (chance(0.08)) {
    const at = description.lastIndexOf(m.text);
    if (at >= 0) {
      const keep = 2 + Math.floor(random() * 5); // CD + 0..4 characters of the body
      description = description.slice(0, at) + m.text.replace(/[\s.-]/g, '').slice(0, keep);
      carries = keep >= 6;
    }
  }
  return { description, carries };
}

async function main() {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-bench-reconcile-'));
  const database = await openDb({ dataDir: path.join(work, 'data'), role: 'server' });
  const db = database.db;
  const actor = cliOperator('bench');
  try {
    const make = async (name: string) => {
      const p = await createProgramme(db, actor, { name, ownerUnitCode: '15', areaKind: 'province', cardMonths: 12, purchaseDate: '2025-11-01', deadline: '2026-03-31' });
      const a = await bank.addAccount(db, actor, p.id, { bin: '970436', accountNumber: '0071000123456', accountName: 'UBND TINH LAO CAI' });
      return { p, a };
    };
    const { p: programme, a: account } = await make('Bench reconcile');

    // pledges (and their donors), written directly: the setup, not what is measured
    const used = new Set<string>();
    const pledges: { id: string; reference: string; amount: number; name: string }[] = [];
    const donors: { id: string; ownerUnitCode: string; kind: 'individual'; name: string }[] = [];
    for (let i = 0; i < PLEDGES; i++) {
      let ref = newReference();
      while (used.has(ref)) ref = newReference();
      used.add(ref);
      const name = `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)}`;
      const donorId = randomUUID();
      donors.push({ id: donorId, ownerUnitCode: '15', kind: 'individual', name });
      pledges.push({ id: randomUUID(), reference: ref, amount: pick(AMOUNTS), name });
    }
    for (let i = 0; i < PLEDGES; i += 1000) {
      await db.insertInto('donor').values(donors.slice(i, i + 1000)).execute();
      await db
        .insertInto('pledge')
        .values(pledges.slice(i, i + 1000).map((p, k) => ({ id: p.id, programmeId: programme.id, donorId: donors[i + k].id, amount: p.amount, reference: p.reference, status: 'confirmed' as const, pledgedOn: '2025-11-01' })))
        .execute();
    }

    // the statement
    const truth: Truth[] = [];
    const rows: string[] = ['STT,Ngày giao dịch,Số tham chiếu,Số tiền ghi nợ,Số tiền ghi có,Số dư,Mô tả'];
    const day = (i: number) => `${String(1 + (i % 28)).padStart(2, '0')}/${String(11 + Math.floor(i / 28) % 2).padStart(2, '0')}/2025`;
    const q = (s: string) => `"${s.replace(/"/g, '""')}"`;
    for (let i = 0; i < LINES; i++) {
      let amount: number;
      let description: string;
      if (i < Math.round(LINES * 0.55)) {
        // paying a pledge (some twice: every pledge once, then random ones again)
        const k = i < PLEDGES ? i : Math.floor(random() * PLEDGES);
        const pl = pledges[k];
        amount = chance(0.9) ? pl.amount : pick(AMOUNTS);
        const d = describe(pl.reference, pl.name);
        description = d.description;
        truth.push({ pledgeIndex: k, carries: d.carries });
      } else {
        // no reference: names, look-alike codes (CD and 6 characters no pledge has), fees
        amount = chance(0.8) ? pick(AMOUNTS) : 1000 + Math.floor(random() * 9_000_000);
        let decoy = newReference();
        while (used.has(decoy)) decoy = newReference();
        const kinds = [
          () => `${pick(FAMILY)} ${pick(MIDDLE)} ${pick(GIVEN)} ${pick(WORDS)}`,
          () => `${pick(PREFIXES).replace('%', digits(6))}${decoy} ${pick(WORDS)}`,
          () => `ABCD${digits(6)} thanh toan`,
          () => `${pick(WORDS)} CD ${pick([...REFERENCE_ALPHABET]).repeat(3)}`,
        ];
        description = pick(kinds)();
        truth.push({ pledgeIndex: null, carries: false });
      }
      rows.push([i + 1, day(i), `FT${String(i).padStart(8, '0')}`, '', amount.toLocaleString('de-DE'), '', q(description)].join(','));
    }
    const buffer = Buffer.from(rows.join('\n'), 'utf8');

    // the reference: the same file loaded by COPY as it is (the header line dropped), every column as text
    await sql`create table bench_statement_copy (stt text, booked text, transaction_id text, debit text, credit text, balance text, description text)`.execute(db);
    const body = buffer.subarray(buffer.indexOf(10) + 1).toString('utf8');
    const r0 = performance.now();
    await database.bulk.copyCsv('bench_statement_copy', ['stt', 'booked', 'transaction_id', 'debit', 'credit', 'balance', 'description'], body);
    const storeMs = performance.now() - r0;
    const copied = Number((await sql<{ n: string }>`select count(*)::text as n from bench_statement_copy`.execute(db)).rows[0].n);

    const t0 = performance.now();
    const result = await bank.importStatement(db, actor, programme.id, { accountId: account.id, buffer, format: 'csv' });
    const importMs = performance.now() - t0;
    const t1 = performance.now();
    const report = await bank.reconciliationReport(db, actor, programme.id);
    const reportMs = performance.now() - t1;

    // precision and recall against the truth
    const lines = await db.selectFrom('bankLine').select(['id', 'rowNumber']).where('programmeId', '=', programme.id).execute();
    const rowOf = new Map(lines.map((l) => [l.id, l.rowNumber!]));
    const matches = await db.selectFrom('bankMatch').select(['lineId', 'pledgeId']).where('programmeId', '=', programme.id).where('matchedBy', '<>', 'staff').execute();
    const pledgeIndex = new Map(pledges.map((p, i) => [p.id, i]));
    let right = 0;
    let wrong = 0;
    for (const m of matches) {
      const t = truth[rowOf.get(m.lineId)! - 2]; // row 1 is the header
      if (t.pledgeIndex !== null && pledgeIndex.get(m.pledgeId) === t.pledgeIndex) right++;
      else wrong++;
    }
    const carrying = truth.filter((t) => t.carries).length;
    const rightCarrying = matches.filter((m) => {
      const t = truth[rowOf.get(m.lineId)! - 2];
      return t.carries && pledgeIndex.get(m.pledgeId) === t.pledgeIndex;
    }).length;
    const precision = right / Math.max(1, right + wrong);
    const recall = rightCarrying / Math.max(1, carrying);
    const balance = await programmeBalance(db, programme.id);

    console.log(`statement: ${LINES.toLocaleString('en')} lines (${buffer.length.toLocaleString('en')} bytes), ${PLEDGES.toLocaleString('en')} pledges; ${truth.filter((t) => t.pledgeIndex !== null).length.toLocaleString('en')} lines pay a pledge, ${carrying.toLocaleString('en')} still carry its reference`);
    console.log(`import + reconcile: ${(importMs / 1000).toFixed(2)} s (${result.new} new, ${result.matched} matched automatically, ${result.suggested} suggested, ${result.unmatched} unmatched)`);
    console.log(`report: ${reportMs.toFixed(0)} ms; total ${report.total.toLocaleString('en')} = matched ${report.matched.toLocaleString('en')} + unmatched ${report.unmatched.toLocaleString('en')}: ${report.balanced ? 'balanced' : 'NOT BALANCED'}; ledger received ${balance.received.toLocaleString('en')}`);
    console.log(`precision ${(precision * 100).toFixed(3)} % (${right} right, ${wrong} wrong); recall ${(recall * 100).toFixed(2)} % (${rightCarrying} of ${carrying})`);
    console.log(`reference (the same file by COPY, columns as text): ${(storeMs / 1000).toFixed(2)} s (${copied} lines)`);
    console.log(`goals: < 5 s ${importMs < 5000 ? 'met' : 'NOT met'}; precision >= 99.9 % ${precision >= 0.999 ? 'met' : 'NOT met'}; recall >= 95 % ${recall >= 0.95 ? 'met' : 'NOT met'}; balanced ${report.balanced && report.matched === balance.received ? 'yes' : 'NO'}`);
    console.log(`ratio (import + reconcile / raw COPY of the file): ${(importMs / storeMs).toFixed(1)}`);
  } finally {
    await database.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}

await main();
