/**
 * Register import: a CSV or XLSX list (the documented template, Vietnamese or English headers) into
 * households, persons, their groups and cards.
 *
 * 1. Stream the file, map the header, validate each row (src/domain/register-row.ts), resolve the commune
 *    (pre-2025 codes through the mapping; a split commune is an error naming the candidates) and the
 *    actor's scope; good rows go to a temporary staging table by COPY in chunks, so memory stays bounded.
 * 2. In ONE transaction on the same connection: create missing villages and households, match each row to
 *    a person (citizen id, then insurance code, then name + birth date + household; more than one
 *    candidate is an error row, never a merge), insert new persons, update changed ones, add new cards.
 *    Any error row rolls everything back unless `validRowsOnly`; `dryRun` always rolls back. A crash or
 *    kill before COMMIT leaves the register as it was: the same command can simply be run again.
 * Fast path (import-fresh.ts): a large file into an EMPTY register skips the staging table. In one
 * transaction that locks household and person, the indexes and foreign keys of the register tables are
 * dropped, each chunk of rows is COPYed straight into the final tables (duplicates in the file found while
 * reading), the indexes and keys are rebuilt and the coverage counts added from the rows. Same outcome
 * as the staged path (a test compares both), same all-or-nothing, dry run and kill guarantees.
 * In both paths the next chunk is read and validated while the previous one is being written.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import { sql, type Kysely } from 'kysely';
import type { Database, Engine, Session } from '../../db/connect';
import type { DB } from '../../db/schema';
import { inScope, type Actor } from '../../domain/access';
import { todayInVietnam } from '../../domain/dates';
import { foldVietnamese } from '../../domain/text';
import { DEFAULT_RULES, isKnownGroup } from '../../domain/premium-rules';
import { mapHeader, rowValidator, type RegisterRow } from '../../domain/register-row';
import { AppError } from '../../errors';
import { readRowBatches } from '../../io/rows';
import { translator, type Language } from '../../i18n/index';
import { toCsv } from '../../db/bulk';
import { audit } from '../audit/audit.service';
import { coverageChange } from '../coverage/coverage-counts';
import { aggregatesAreEmpty, deferIndexes, FRESH_TABLES, FreshLoader, liveIndexes, villageLocalCode } from './import-fresh';

export interface ImportOptions {
  dryRun?: boolean;
  validRowsOnly?: boolean;
  /** For messages in the error report. */
  language?: Language;
  /** Called now and then while reading and once per apply step. */
  onProgress?: (p: ImportProgress) => void;
  /** 'YYYY-MM-DD' (the edge passes today in). */
  today?: string;
  /** Stop collecting error details after this many (all rejected rows are still counted). */
  maxErrors?: number;
  /**
   * Files of at least this many bytes (default FRESH_MIN_BYTES; a stream of unknown size counts as large)
   * go into an empty register by the fast path (import-fresh.ts); 0: always, Infinity: never.
   */
  freshPathFromBytes?: number;
}

export interface ImportProgress {
  phase: 'reading' | 'applying' | 'done';
  rows: number;
  bytesRead?: number;
  totalBytes?: number;
}

export interface ImportErrorRow {
  /** As the spreadsheet numbers it: the header is row 1. */
  row: number;
  column: string;
  value: string;
  message: string;
}

export interface ImportReport {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: ImportErrorRow[];
  /** True when nothing was written (dry run, or an all-or-nothing import with errors). */
  rolledBack: boolean;
}

export type ImportSource = { path: string; format?: 'csv' | 'xlsx' } | { stream: Readable; format: 'csv' | 'xlsx'; totalBytes?: number };

const CHUNK_ROWS = 20_000;
/**
 * The fast path into an empty register pays off for large files; it also locks the register's tables
 * against readers (indexes are dropped and rebuilt) for the whole read, which a small file's staged
 * import (seconds) does not need. About 40,000 rows of the template.
 */
export const FRESH_MIN_BYTES = Number(process.env.COVERDESK_IMPORT_FRESH_MIN_BYTES || 8_000_000);
/**
 * Rows per chunk of the fast path (five COPYs per chunk). One chunk is read while the previous one is
 * written; its lines are let go as each table's text is made. 10,000 was no lower at 1,000,000 persons and
 * higher at 100,000 (more, smaller messages to the database worker): see BENCHMARKS.md.
 */
const FRESH_CHUNK_ROWS = 25_000;
const debug = process.env.COVERDESK_DEBUG_IMPORT === '1';
let lastMark = Date.now();
const mark = (what: string) => {
  if (!debug) return;
  const now = Date.now();
  process.stderr.write(`[import] ${what}: ${now - lastMark} ms\n`);
  lastMark = now;
};

const STAGE_COLUMNS = [
  'row_no',
  'household_code',
  'commune_code',
  'village_name',
  'village_key',
  'village_local',
  'address',
  'poverty_status',
  'poverty_year',
  'full_name',
  'name_key',
  'relationship',
  'birth_date',
  'sex',
  'citizen_id',
  'insurance_code',
  'ethnicity',
  'phone',
  'group_codes',
  'card_group',
  'card_from',
  'card_to',
  'school',
  'grade',
] as const;

export { villageLocalCode };

const pgArray = (codes: string[]) => `{${codes.join(',')}}`;

function stageRow(rowNo: number, r: RegisterRow, communeCode: string): unknown[] {
  const villageKey = r.village ? foldVietnamese(r.village) : null;
  return [
    rowNo,
    r.householdCode,
    communeCode,
    r.village ?? null,
    villageKey,
    villageKey ? villageLocalCode(villageKey) : null,
    r.address ?? null,
    r.povertyStatus,
    r.povertyYear ?? null,
    r.fullName,
    r.nameKey,
    r.relationship ?? null,
    r.birthDate,
    r.sex,
    r.citizenId ?? null,
    r.insuranceCode ?? null,
    r.ethnicity ?? null,
    r.phone ?? null,
    pgArray([...r.groups].sort()),
    r.card?.group ?? null,
    r.card?.from ?? null,
    r.card?.to ?? null,
    r.school ?? null,
    r.grade ?? null,
  ];
}

/** Units and old codes, loaded once per import: which commune a code means, and where it lies. */
async function loadCommunes(db: Kysely<DB>) {
  const units = await db.selectFrom('unit').select(['code', 'parentCode', 'level', 'name']).where('level', '!=', 'village').execute();
  const communes = new Map(units.filter((u) => u.level === 'commune').map((u) => [u.code, u]));
  const mapping = new Map<string, string[]>();
  for (const m of await db.selectFrom('communeMapping').select(['oldCode', 'newCode']).execute()) {
    mapping.set(m.oldCode, [...(mapping.get(m.oldCode) ?? []), m.newCode]);
  }
  return { communes, mapping };
}

function detectFormat(source: ImportSource): 'csv' | 'xlsx' {
  if (source.format) return source.format;
  const ext = path.extname((source as { path: string }).path).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  throw new AppError('validation', {}, [{ path: 'file', key: 'import_format' }]);
}

export async function importRegister(database: Database, actor: Actor, source: ImportSource, options: ImportOptions = {}): Promise<ImportReport> {
  if (actor.role === 'viewer') throw new AppError('forbidden');
  const lang = options.language ?? actor.language;
  const t = translator(lang);
  const today = options.today ?? todayInVietnam();
  const maxErrors = options.maxErrors ?? 10_000;
  const format = detectFormat(source);
  const totalBytes = 'path' in source ? fs.statSync(source.path).size : source.totalBytes;
  const { communes, mapping } = await loadCommunes(database.db);
  const groupKnown = new Map<string, boolean>();
  const knownGroups = (code: string) => {
    let known = groupKnown.get(code);
    if (known === undefined) groupKnown.set(code, (known = isKnownGroup(DEFAULT_RULES, code)));
    return known;
  };

  const report: ImportReport = { rows: 0, inserted: 0, updated: 0, unchanged: 0, rejected: 0, errors: [], rolledBack: false };
  const addError = (row: number, column: string, value: unknown, key: string, params: Record<string, unknown> = {}) => {
    if (report.errors.length < maxErrors)
      report.errors.push({ row, column, value: value === null || value === undefined ? '' : String(value), message: t(`import.${key}`, { ...params, defaultValue: key }) });
  };
  const scope = new Map<string, boolean>();
  const inActorScope = (communeCode: string) => {
    let yes = scope.get(communeCode);
    if (yes === undefined) scope.set(communeCode, (yes = inScope(actor, [communeCode, communes.get(communeCode)?.parentCode ?? ''])));
    return yes;
  };

  /** The commune a row's code means, or undefined after reporting why not. */
  const resolveCommune = (rowNo: number, code: string): string | undefined => {
    if (communes.has(code)) return code;
    const candidates = mapping.get(code);
    if (candidates?.length === 1) return candidates[0];
    if (candidates && candidates.length > 1) {
      const names = candidates.map((c) => `${c} ${communes.get(c)?.name ?? ''}`.trim()).join('; ');
      addError(rowNo, 'commune_code', code, 'old_code_split', { candidates: names });
    } else addError(rowNo, 'commune_code', code, 'unknown_commune');
    return undefined;
  };

  /**
   * Reads the file: maps the header, validates each row, resolves its commune and checks the actor's
   * scope; hands every good row to `accept`, and calls `flush` whenever `chunkFull` says so (and at the end).
   */
  let file: ReturnType<typeof readRowBatches> | undefined;
  const bytesRead = () => file?.bytesRead() ?? 0;
  let rejectedRows = 0;
  const read = async (accept: (rowNo: number, row: RegisterRow, communeCode: string) => void, chunkFull: () => boolean, flush: () => Promise<void>) => {
    let header: ReturnType<typeof mapHeader> | undefined;
    let validate: ReturnType<typeof rowValidator> | undefined;
    let rowNo = 1;
    file = readRowBatches('path' in source ? source.path : source.stream, format);
    for await (const batch of file.batches) {
      for (const cells of batch) {
        if (!header) {
          header = mapHeader(cells.map((c) => (c === null ? '' : String(c))));
          if (header.missing.length)
            throw new AppError(
              'validation',
              {},
              header.missing.map((c) => ({ path: c, key: 'import_missing_column', params: { column: c } })),
            );
          validate = rowValidator(header, { knownGroups, today });
          continue;
        }
        rowNo++;
        report.rows++;
        const result = validate!(cells);
        if (!result.ok) {
          rejectedRows++;
          for (const e of result.errors) addError(rowNo, e.column, e.value, e.code, e.params);
          continue;
        }
        const communeCode = resolveCommune(rowNo, result.row.communeCode);
        if (!communeCode) {
          rejectedRows++;
          continue;
        }
        if (!inActorScope(communeCode)) {
          rejectedRows++;
          addError(rowNo, 'commune_code', result.row.communeCode, 'out_of_scope');
          continue;
        }
        accept(rowNo, result.row, communeCode);
        if (chunkFull()) {
          await flush();
          options.onProgress?.({ phase: 'reading', rows: report.rows, bytesRead: bytesRead(), totalBytes });
        }
      }
    }
    await flush();
    if (!header) throw new AppError('validation', {}, [{ path: 'file', key: 'import_empty' }]);
  };

  return database.session(async (session) => {
    lastMark = Date.now();
    const large = totalBytes === undefined || totalBytes >= (options.freshPathFromBytes ?? FRESH_MIN_BYTES);
    if (large && (await registerIsEmpty(session.db))) {
      const fresh = await importIntoEmptyRegister(session, { report, options, read, addError, rejected: () => rejectedRows, progress: () => ({ bytesRead: bytesRead(), totalBytes }), actor, source, engine: database.engine });
      if (fresh) return fresh;
    }
    const stage = `import_stage_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await createStage(session, stage);
    try {
      // 1. read, validate, stage (the next chunk is read while the previous one is copied)
      let chunk: unknown[][] = [];
      const writes = new OneInFlight();
      try {
        await read(
          (rowNo, row, communeCode) => chunk.push(stageRow(rowNo, row, communeCode)),
          () => chunk.length >= CHUNK_ROWS,
          async () => {
            const rows = chunk;
            chunk = [];
            if (rows.length) await writes.push(() => session.copyCsv(stage, [...STAGE_COLUMNS], toCsv(rows)));
          },
        );
      } finally {
        await writes.drain();
      }
      mark('read+stage');
      options.onProgress?.({ phase: 'applying', rows: report.rows, bytesRead: bytesRead(), totalBytes });

      // 2. apply in one transaction
      try {
        await session.db.transaction().execute(async (trx) => {
          // statistics of the staging table only need to be roughly right: sample less
          await sql`set local default_statistics_target = 10`.execute(trx);
          await sql`analyze ${sql.table(stage)}`.execute(trx);
          const conflicts = await findConflicts(trx, stage);
          for (const c of conflicts) addError(c.rowNo, c.column, c.value, c.code);
          report.rejected = rejectedRows + new Set(conflicts.map((c) => c.rowNo)).size;
          if (report.rejected > 0 && !options.validRowsOnly) throw new Rollback();
          if (conflicts.length) await sql`delete from ${sql.table(stage)} where row_no in (${sql.join(conflicts.map((c) => c.rowNo))})`.execute(trx);
          const counts = await applyStage(trx, stage, today);
          Object.assign(report, counts);
          await audit(trx, actor, {
            action: options.dryRun ? 'import-dry-run' : 'import',
            entity: 'register',
            entityId: 'path' in source ? path.basename(source.path) : 'upload',
            unitCode: actor.scopeCode,
            after: { rows: report.rows, ...counts, rejected: report.rejected },
          });
          if (options.dryRun) throw new Rollback();
        });
      } catch (e) {
        if (!(e instanceof Rollback)) throw e;
        report.rolledBack = true;
        if (!options.dryRun) Object.assign(report, { inserted: 0, updated: 0, unchanged: 0 });
      }
      mark('apply');
      report.errors.sort((a, b) => a.row - b.row);
      options.onProgress?.({ phase: 'done', rows: report.rows, bytesRead: bytesRead(), totalBytes });
      return report;
    } finally {
      await sql`drop table if exists ${sql.table(stage)}`.execute(session.db);
    }
  });
}

/** Serialises writes on one connection while letting the caller prepare the next one: at most one in flight. */
class OneInFlight {
  private inflight: Promise<void> | undefined;
  /** Milliseconds the reading waited for the previous write (shown with COVERDESK_DEBUG_IMPORT=1). */
  waited = 0;
  async push(job: () => Promise<void>): Promise<void> {
    if (this.inflight) {
      const t0 = performance.now();
      await this.inflight;
      this.waited += performance.now() - t0;
    }
    const p = job();
    // the error surfaces at the next push or drain
    p.catch(() => undefined);
    this.inflight = p;
  }
  async drain(): Promise<void> {
    const p = this.inflight;
    this.inflight = undefined;
    if (p) await p;
  }
}

async function registerIsEmpty(db: Kysely<DB>): Promise<boolean> {
  const r = await sql<{ taken: boolean }>`select exists (select 1 from household) or exists (select 1 from person) as taken`.execute(db);
  return !r.rows[0].taken;
}

interface FreshContext {
  report: ImportReport;
  options: ImportOptions;
  read: (accept: (rowNo: number, row: RegisterRow, communeCode: string) => void, chunkFull: () => boolean, flush: () => Promise<void>) => Promise<void>;
  addError: (row: number, column: string, value: unknown, key: string) => void;
  rejected: () => number;
  progress: () => { bytesRead: number; totalBytes?: number };
  actor: Actor;
  source: ImportSource;
  engine: Engine;
}

class NotEmpty extends Error {}

/**
 * The fast path (see import-fresh.ts): the register is empty, so every row is new and goes straight into
 * the final tables, inside one transaction that holds household and person locked from the first row to
 * COMMIT. Returns undefined, having written nothing, when the register turns out not to be empty.
 */
async function importIntoEmptyRegister(session: Session, ctx: FreshContext): Promise<ImportReport | undefined> {
  const { report, options } = ctx;
  try {
    await session.db.transaction().execute(async (trx) => {
      await sql`lock table household, person in share row exclusive mode`.execute(trx);
      if (!(await registerIsEmpty(trx)) || !(await aggregatesAreEmpty(trx))) throw new NotEmpty();
      const rebuild = await deferIndexes(trx, FRESH_TABLES, liveIndexes(ctx.engine));
      mark('defer indexes');
      const loader = await FreshLoader.open(trx, session.copyBinary);
      const writes = new OneInFlight();
      let conflicts = 0;
      // all-or-nothing with a bad row: keep checking the rest of the file, write nothing more
      const doomed = () => !options.validRowsOnly && ctx.rejected() + conflicts > 0;
      try {
        await ctx.read(
          (rowNo, row, communeCode) => {
            const conflict = loader.add(row, communeCode);
            if (conflict) {
              conflicts++;
              ctx.addError(rowNo, conflict.column, conflict.value, 'duplicate_in_file');
            }
          },
          () => loader.pendingRows >= FRESH_CHUNK_ROWS,
          async () => {
            const write = loader.take();
            if (!doomed()) await writes.push(write);
          },
        );
      } finally {
        await writes.drain();
      }
      mark(`read+stage (waited for the database ${Math.round(writes.waited)} ms)`);
      options.onProgress?.({ phase: 'applying', rows: report.rows, ...ctx.progress() });
      report.rejected = ctx.rejected() + conflicts;
      if (doomed()) throw new Rollback();
      // the database starts on the indexes while this thread counts the kept aggregates (their COPYs
      // then queue behind the index builds on the one connection)
      const rebuilt = rebuild();
      rebuilt.catch(() => undefined); // (awaited below; a failure of the counts rolls everything back)
      await loader.finishCounts();
      mark('counts');
      await rebuilt;
      mark('rebuild indexes');
      if (debug) process.stderr.write(`[import] ${JSON.stringify(Object.fromEntries([...loader.timings].map(([k, v]) => [k, Math.round(v)])))}\n`);
      const counts = { inserted: loader.inserted, updated: 0, unchanged: 0 };
      Object.assign(report, counts);
      await audit(trx, ctx.actor, {
        action: options.dryRun ? 'import-dry-run' : 'import',
        entity: 'register',
        entityId: 'path' in ctx.source ? path.basename(ctx.source.path) : 'upload',
        unitCode: ctx.actor.scopeCode,
        after: { rows: report.rows, ...counts, rejected: report.rejected },
      });
      if (options.dryRun) throw new Rollback();
    });
  } catch (e) {
    if (e instanceof NotEmpty) return undefined;
    if (!(e instanceof Rollback)) throw e;
    report.rolledBack = true;
    if (!options.dryRun) Object.assign(report, { inserted: 0, updated: 0, unchanged: 0 });
  }
  mark('commit');
  report.errors.sort((a, b) => a.row - b.row);
  options.onProgress?.({ phase: 'done', rows: report.rows, ...ctx.progress() });
  return report;
}

class Rollback extends Error {}

async function createStage(session: Session, stage: string) {
  await sql`create temporary table ${sql.table(stage)} (
    row_no integer primary key,
    household_code text not null,
    commune_code text not null,
    village_name text,
    village_key text,
    village_local text,
    address text,
    poverty_status text not null,
    poverty_year integer,
    full_name text not null,
    name_key text not null,
    relationship text,
    birth_date date not null,
    sex text not null,
    citizen_id text,
    insurance_code text,
    ethnicity text,
    phone text,
    group_codes text[] not null,
    card_group text,
    card_from date,
    card_to date,
    school text,
    grade integer,
    household_id uuid,
    person_id uuid,
    person_household_id uuid,
    candidates integer,
    action text
  )`.execute(session.db);
}

interface Conflict {
  rowNo: number;
  column: string;
  value: string;
  code: 'ambiguous_match' | 'duplicate_in_file';
}

/**
 * Rows that cannot be applied safely: several persons match (never merge silently), or two rows of the
 * file are the same person. Fills household_id and person_id of the rows as a side effect.
 */
async function findConflicts(trx: Kysely<DB>, stage: string): Promise<Conflict[]> {
  const s = sql.table(stage);
  // the household of each row when it exists, and the candidates, in order of the keys: citizen id, then
  // insurance code, then name + birth date + household, each key looked up only when the ones before it
  // found nobody (one pass that writes each staging row once)
  await sql`
    update ${s} st set household_id = m.household_id, candidates = m.n, person_id = m.pid, person_household_id = m.hid
    from (
      select st2.row_no, h.id as household_id, coalesce(c.n, i.n, k.n, 0) as n, coalesce(c.pid, i.pid, k.pid) as pid, coalesce(c.hid, i.hid, k.hid) as hid
      from ${s} st2
      left join household h on h.commune_code = st2.commune_code and h.code = st2.household_code
      left join lateral (
        select count(*)::int as n, min(p.id::text)::uuid as pid, min(p.household_id::text)::uuid as hid
        from person p where st2.citizen_id is not null and p.citizen_id = st2.citizen_id
        having count(*) > 0
      ) c on true
      left join lateral (
        select count(*)::int as n, min(p.id::text)::uuid as pid, min(p.household_id::text)::uuid as hid
        from person p
        where c.n is null and st2.insurance_code is not null and p.insurance_code = st2.insurance_code
          and (p.citizen_id is null or st2.citizen_id is null or p.citizen_id = st2.citizen_id)
        having count(*) > 0
      ) i on true
      left join lateral (
        select count(*)::int as n, min(p.id::text)::uuid as pid, min(p.household_id::text)::uuid as hid
        from person p
        where c.n is null and i.n is null and h.id is not null and p.household_id = h.id and p.name_key = st2.name_key and p.birth_date = st2.birth_date
          and (p.citizen_id is null or st2.citizen_id is null or p.citizen_id = st2.citizen_id)
        having count(*) > 0
      ) k on true
    ) m
    where m.row_no = st.row_no`.execute(trx);
  const ambiguous = await sql<{ rowNo: number; fullName: string }>`
    select row_no as "rowNo", full_name as "fullName" from ${s} where candidates > 1`.execute(trx);
  // two rows of the file that are one person: same matched person, or same citizen id / insurance code,
  // or same name + birth date in the same household
  const duplicates = await sql<{ rowNo: number; value: string; column: string }>`
    select row_no as "rowNo", value, col as "column" from (
      select row_no, coalesce(citizen_id, insurance_code, full_name) as value,
        case when citizen_id is not null then 'citizen_id' when insurance_code is not null then 'insurance_code' else 'full_name' end as col,
        row_number() over (partition by coalesce(person_id::text, 'c:' || citizen_id, 'i:' || insurance_code, 'n:' || commune_code || '/' || household_code || '/' || name_key || '/' || birth_date::text) order by row_no) as nth
      from ${s} where coalesce(candidates, 0) <= 1
    ) d where nth > 1`.execute(trx);
  return [
    ...ambiguous.rows.map((r) => ({ rowNo: r.rowNo, column: 'full_name', value: r.fullName, code: 'ambiguous_match' as const })),
    ...duplicates.rows.map((r) => ({ rowNo: r.rowNo, column: r.column, value: r.value, code: 'duplicate_in_file' as const })),
  ];
}

/** Writes the staged rows into the register; returns what happened per row. */
async function applyStage(trx: Kysely<DB>, stage: string, today: string) {
  const s = sql.table(stage);
  // villages that do not exist yet (matched by name without diacritics within the commune)
  await sql`
    insert into unit (code, name, search_name, level, kind, parent_code, local_code)
    select distinct on (st.commune_code, st.village_key)
      st.commune_code || '.' || st.village_local, st.village_name, st.village_key, 'village', 'village', st.commune_code, st.village_local
    from ${s} st
    where st.village_key is not null
      and not exists (select 1 from unit u where u.parent_code = st.commune_code and u.search_name = st.village_key)
      and not exists (select 1 from unit u where u.code = st.commune_code || '.' || st.village_local)
    order by st.commune_code, st.village_key, st.row_no`.execute(trx);

  // the staged rows changed: fresh statistics keep the planner from nested loops over thousands of rows
  await sql`analyze ${s}`.execute(trx);
  // what happens to each row: insert a new person, update a changed one, or nothing
  // (a version-4 shaped UUID from 32 hex digits)
  await sql`create or replace function pg_temp.uuid_v4_from_md5(h text) returns uuid language sql immutable as
    $$ select (substr(h, 1, 12) || '4' || substr(h, 14, 3) || '8' || substr(h, 18, 15))::uuid $$`.execute(trx);
  // rows that match nobody are new persons; their id is derived from the (random) staging table name and
  // the row number, so no pass over the staging table is needed to assign it
  const personId = sql`coalesce(st.person_id, pg_temp.uuid_v4_from_md5(md5(${stage} || ':' || st.row_no::text)))`;
  // (only changed rows are written: a row with no person is new, a matched row left without action is
  // unchanged; a re-import of an unchanged file rewrites no staging row. A row whose household is new has
  // no household_id yet: its matched person moves, an update.)
  await sql`
    update ${s} st set action = 'update'
    from person p where p.household_id = st.person_household_id and p.id = st.person_id and not (
      (p.household_id, p.full_name, p.relationship, p.birth_date, p.sex, p.citizen_id, p.insurance_code, p.ethnicity, p.phone, p.group_codes, p.school, p.grade)
      is not distinct from
      (st.household_id, st.full_name, coalesce(st.relationship, p.relationship), st.birth_date, st.sex, coalesce(st.citizen_id, p.citizen_id),
       coalesce(st.insurance_code, p.insurance_code), coalesce(st.ethnicity, p.ethnicity), coalesce(st.phone, p.phone), st.group_codes,
       coalesce(st.school, p.school), coalesce(st.grade, p.grade))
      and (st.card_group is null or exists (
        select 1 from card c where c.household_id = p.household_id and c.person_id = p.id
          and c.group_code = st.card_group and c.valid_from = st.card_from and c.valid_to = st.card_to)))`.execute(trx);

  // households as the file gives them (the first row of a household wins), with the existing one's id and
  // whether the file moves it to another village
  await sql`
    create temporary table _import_household_rows on commit drop as
    select f.commune_code, f.household_code, f.household_id as id, u.code as village_code, f.address, f.poverty_status, f.poverty_year,
      (u.code is not null and u.code is distinct from h.village_code) as moves
    from (select distinct on (commune_code, household_code) * from ${s} order by commune_code, household_code, row_no) f
    left join household h on h.id = f.household_id
    left join unit u on f.village_key is not null and u.parent_code = f.commune_code and u.search_name = f.village_key`.execute(trx);
  // the existing households whose counts the file changes: moved to another village, or with new, changed
  // or moved persons (what they count for is taken before anything is written)
  const coverage = await coverageChange(
    trx,
    sql`select id from _import_household_rows where id is not null and moves
      union select household_id from ${s} where household_id is not null and (person_id is null or action = 'update')
      union select person_household_id from ${s} where action = 'update'`,
  );
  // households: new ones inserted, changed ones updated
  await sql`
    insert into household (id, commune_code, code, village_code, address, poverty_status, poverty_year)
    select gen_random_uuid(), commune_code, household_code, village_code, address, poverty_status, poverty_year from _import_household_rows
    on conflict (commune_code, code) do update set
      village_code = coalesce(excluded.village_code, household.village_code),
      address = coalesce(excluded.address, household.address),
      poverty_status = excluded.poverty_status,
      poverty_year = excluded.poverty_year,
      updated_at = now()
    where (household.village_code, household.address, household.poverty_status, household.poverty_year)
      is distinct from (coalesce(excluded.village_code, household.village_code), coalesce(excluded.address, household.address), excluded.poverty_status, excluded.poverty_year)`.execute(trx);
  await sql`update ${s} st set household_id = h.id from household h where st.household_id is null and h.commune_code = st.commune_code and h.code = st.household_code`.execute(trx);

  await sql`analyze ${s}`.execute(trx);
  // a person who moved to another household takes their groups and cards along (keys include household_id)
  await sql`
    update person p set household_id = st.household_id, commune_code = st.commune_code
    from ${s} st where st.action = 'update' and p.id = st.person_id and p.household_id = st.person_household_id and st.person_household_id <> st.household_id`.execute(trx);
  // groups (person.group_codes before the update against the file's): one that ended closes its open row,
  // or gets a closed one when held since registration (no row); one that began opens a row
  await sql`
    insert into person_group (household_id, person_id, group_code, valid_from, valid_to)
    select p.household_id, p.id, code, null, ${today}::date
    from ${s} st join person p on p.household_id = st.household_id and p.id = st.person_id
    cross join lateral unnest(p.group_codes) as code
    where st.action = 'update' and not (code = any(st.group_codes)) and not exists (
      select 1 from person_group g where g.household_id = p.household_id and g.person_id = p.id and g.group_code = code and g.valid_to is null)`.execute(trx);
  await sql`
    update person_group g set valid_to = ${today}::date
    from ${s} st where st.action = 'update' and g.household_id = st.household_id and g.person_id = st.person_id
      and g.valid_to is null and not (g.group_code = any(st.group_codes))`.execute(trx);
  await sql`
    insert into person_group (household_id, person_id, group_code, valid_from, valid_to)
    select p.household_id, p.id, code, ${today}::date, null
    from ${s} st join person p on p.household_id = st.household_id and p.id = st.person_id
    cross join lateral unnest(st.group_codes) as code
    where st.action = 'update' and not (code = any(p.group_codes))`.execute(trx);
  await sql`
    update person p set
      full_name = st.full_name, name_key = st.name_key, relationship = coalesce(st.relationship, p.relationship),
      birth_date = st.birth_date, sex = st.sex, citizen_id = coalesce(st.citizen_id, p.citizen_id),
      insurance_code = coalesce(st.insurance_code, p.insurance_code), ethnicity = coalesce(st.ethnicity, p.ethnicity),
      phone = coalesce(st.phone, p.phone), group_codes = st.group_codes, school = coalesce(st.school, p.school),
      grade = coalesce(st.grade, p.grade), updated_at = now()
    from ${s} st where st.action = 'update' and p.household_id = st.household_id and p.id = st.person_id`.execute(trx);

  await sql`
    insert into person (household_id, id, commune_code, relationship, full_name, name_key, birth_date, sex, citizen_id, insurance_code, ethnicity, phone, group_codes, school, grade)
    select st.household_id, ${personId}, st.commune_code, st.relationship, st.full_name, st.name_key, st.birth_date, st.sex, st.citizen_id,
      st.insurance_code, st.ethnicity, st.phone, st.group_codes, st.school, st.grade
    from ${s} st where st.person_id is null`.execute(trx);
  // (a new person's groups are held since registration: no person_group row, see listGroupHistory)

  await sql`
    insert into card (household_id, id, person_id, group_code, valid_from, valid_to, source)
    select st.household_id, gen_random_uuid(), ${personId}, st.card_group, st.card_from, st.card_to, 'import'
    from ${s} st
    where st.card_group is not null and (st.person_id is null or st.action = 'update')
      and not exists (select 1 from card c where c.household_id = st.household_id and c.person_id = st.person_id
        and c.group_code = st.card_group and c.valid_from = st.card_from and c.valid_to = st.card_to)`.execute(trx);

  // the kept coverage aggregates follow: the households taken above, and the new ones (a file of unchanged
  // rows changes none)
  await coverage.apply(
    sql`select h.id from _import_household_rows r join household h on h.commune_code = r.commune_code and h.code = r.household_code where r.id is null`,
  );
  const counts = await sql<{ action: string; n: number }>`
    select case when person_id is null then 'insert' else coalesce(action, 'unchanged') end as action, count(*)::int as n from ${s} group by 1`.execute(trx);
  const by = Object.fromEntries(counts.rows.map((r) => [r.action, Number(r.n)]));
  return { inserted: by.insert ?? 0, updated: by.update ?? 0, unchanged: by.unchanged ?? 0 };
}
