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
 * The SQL of both paths is in import.repository.ts.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { Database, Engine, Session } from '../../db/connect';
import type { DB } from '../../db/schema';
import { can, inScope, type Actor } from '../../domain/access';
import { todayInVietnam } from '../../domain/dates';
import { foldVietnamese } from '../../domain/text';
import { DEFAULT_RULES, isKnownGroup } from '../../domain/premium-rules';
import { mapHeader, rowValidator, type RegisterRow } from '../../domain/register-row';
import { AppError } from '../../errors';
import { readRowBatches } from '../../io/rows';
import { translator, type Language } from '../../i18n/index';
import { audit } from '../audit/audit.service';
import { coverageChange } from '../coverage/coverage-counts';
import { communeIndex } from '../units/units.service';
import { FreshLoader, liveIndexes, villageLocalCode } from './import-fresh';
import { VsiSheet, type VsiError, type VsiImportCounts } from './import-vsi';
import { loadRules, loadVsiRules } from '../premium/premium.service';
import * as repo from './import.repository';

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
  /** The file's own heading of each template column an error names (birth_date -> "Ngày sinh"), for the error report. */
  headings?: Record<string, string>;
  /** True when nothing was written (dry run, or an all-or-nothing import with errors). */
  rolledBack: boolean;
  /** The voluntary social insurance sheet, when the workbook has one (import-vsi.ts). */
  vsi?: VsiImportCounts;
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

export { villageLocalCode };

const pgArray = (codes: string[]) => `{${codes.join(',')}}`;

/** A staged row's values, in the order of the staging table's columns (repo.STAGE_COLUMNS). */
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
    r.card?.number ?? null,
    r.card?.source ?? null,
    r.card?.facilityCode ?? null,
    r.card?.collectorCode ?? null,
  ];
}

function detectFormat(source: ImportSource): 'csv' | 'xlsx' {
  if (source.format) return source.format;
  const ext = path.extname((source as { path: string }).path).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  throw new AppError('validation', {}, [{ path: 'file', key: 'import_format' }]);
}

export async function importRegister(database: Database, actor: Actor, source: ImportSource, options: ImportOptions = {}): Promise<ImportReport> {
  // viewers and field workers do not change the register
  if (!can(actor, 'units:write')) throw new AppError('forbidden');
  const lang = options.language ?? actor.language;
  const t = translator(lang);
  const today = options.today ?? todayInVietnam();
  const maxErrors = options.maxErrors ?? 10_000;
  const format = detectFormat(source);
  const totalBytes = 'path' in source ? fs.statSync(source.path).size : source.totalBytes;
  // units and old codes, loaded once per import: which commune a code means, and where it lies
  const { communes, mapping, lineage } = await communeIndex(database.db);
  // the lists a card's facility and collector must be in
  const [facilities, collectors] = await Promise.all([repo.facilityCodes(database.db), repo.collectorCodes(database.db)]);
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
  // the workbook's voluntary social insurance sheet (import-vsi.ts), its refusals named with the sheet
  const vsi = new VsiSheet();
  const vsiError: VsiError = (row, column, value, key, params = {}) => {
    if (report.errors.length >= maxErrors) return;
    const message = key.startsWith('register:') ? t(key, params) : t(`import.${key}`, { ...params, defaultValue: key });
    report.errors.push({ row, column, value: value === null || value === undefined ? '' : String(value), message: t('import.vsi_sheet', { sheet: vsi.name, message }) });
  };
  const rules = await loadRules(database.db);
  const scope = new Map<string, boolean>();
  const inActorScope = (communeCode: string) => {
    let yes = scope.get(communeCode);
    if (yes === undefined) scope.set(communeCode, (yes = inScope(actor, lineage(communeCode))));
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
    file = readRowBatches('path' in source ? source.path : source.stream, format, vsi.add);
    for await (const batch of file.batches) {
      for (const cells of batch) {
        if (!header) {
          header = mapHeader(cells.map((c) => (c === null ? '' : String(c))));
          const headings: Record<string, string> = {};
          header.columns.forEach((column, i) => {
            if (column) headings[column] = String(cells[i] ?? '').trim();
          });
          report.headings = headings;
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
        // every problem of the row is reported: a refused row's commune is still checked (unknown,
        // split, out of scope); the row counts once among the rejected
        const written = result.ok ? result.row.communeCode : result.communeCode;
        if (!result.ok) for (const e of result.errors) addError(rowNo, e.column, e.value, e.code, e.params);
        const communeCode = written === undefined ? undefined : resolveCommune(rowNo, written);
        const allowed = communeCode !== undefined && inActorScope(communeCode);
        if (communeCode !== undefined && !allowed) addError(rowNo, 'commune_code', written, 'out_of_scope');
        const card = result.ok ? result.row.card : undefined;
        let listed = true;
        if (card?.facilityCode !== undefined && !facilities.has(card.facilityCode)) {
          addError(rowNo, 'facility_code', card.facilityCode, 'unknown_facility', { code: card.facilityCode });
          listed = false;
        }
        if (card?.collectorCode !== undefined && !collectors.has(card.collectorCode)) {
          addError(rowNo, 'collector_code', card.collectorCode, 'unknown_collector', { code: card.collectorCode });
          listed = false;
        }
        if (!result.ok || !allowed || !listed) {
          rejectedRows++;
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
    if (vsi.found) {
      rejectedRows += vsi.check(vsiError, loadVsiRules(), rules.baseSalaries);
      report.vsi = vsi.counts;
      Object.assign((report.headings ??= {}), vsi.headings);
    }
  };
  /** The periods of the sheet, once the persons are written; true when a row was refused (all-or-nothing: roll back). */
  const applyVsi = async (trx: Kysely<DB>): Promise<boolean> => {
    if (!vsi.found) return false;
    const refused = await vsi.apply(trx, vsiError, inActorScope);
    report.rejected += refused;
    return refused > 0 && !options.validRowsOnly;
  };

  return database.session(async (session) => {
    lastMark = Date.now();
    const large = totalBytes === undefined || totalBytes >= (options.freshPathFromBytes ?? FRESH_MIN_BYTES);
    if (large && (await repo.registerIsEmpty(session.db))) {
      const fresh = await importIntoEmptyRegister(session, {
        report,
        options,
        read,
        addError,
        rejected: () => rejectedRows,
        progress: () => ({ bytesRead: bytesRead(), totalBytes }),
        actor,
        source,
        engine: database.engine,
        applyVsi,
      });
      if (fresh) return fresh;
    }
    const stage = `import_stage_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await repo.createStage(session, stage);
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
            if (rows.length) await writes.push(() => repo.copyToStage(session, stage, rows));
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
          await repo.analyzeStageRoughly(trx, stage);
          const conflicts = await repo.findConflicts(trx, stage);
          for (const c of conflicts) addError(c.rowNo, c.column, c.value, c.code);
          report.rejected = rejectedRows + new Set(conflicts.map((c) => c.rowNo)).size;
          if (report.rejected > 0 && !options.validRowsOnly) throw new Rollback();
          if (conflicts.length) await repo.deleteStagedRows(trx, stage, conflicts.map((c) => c.rowNo));
          const counts = await applyStage(trx, stage, today);
          Object.assign(report, counts);
          if (await applyVsi(trx)) throw new Rollback();
          await audit(trx, actor, {
            action: options.dryRun ? 'import-dry-run' : 'import',
            entity: 'register',
            entityId: 'path' in source ? path.basename(source.path) : 'upload',
            unitCode: actor.scopeCode,
            after: { rows: report.rows, ...counts, rejected: report.rejected, ...(report.vsi ? { vsi: report.vsi } : {}) },
          });
          if (options.dryRun) throw new Rollback();
        });
      } catch (e) {
        if (!(e instanceof Rollback)) throw e;
        report.rolledBack = true;
        if (!options.dryRun) Object.assign(report, { inserted: 0, updated: 0, unchanged: 0 }, report.vsi ? { vsi: { ...report.vsi, inserted: 0, unchanged: 0 } } : {});
      }
      if (!report.rolledBack && !options.dryRun && report.inserted + report.updated > 0) await repo.refreshRegister(session.db, database.engine);
      mark('apply');
      report.errors.sort((a, b) => a.row - b.row);
      options.onProgress?.({ phase: 'done', rows: report.rows, bytesRead: bytesRead(), totalBytes });
      return report;
    } finally {
      await repo.dropStage(session.db, stage);
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
  /** Writes the voluntary social insurance sheet's periods; true: roll back. */
  applyVsi: (trx: Kysely<DB>) => Promise<boolean>;
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
      await repo.lockRegister(trx);
      if (!(await repo.registerIsEmpty(trx)) || !(await repo.aggregatesAreEmpty(trx))) throw new NotEmpty();
      const rebuild = await repo.deferIndexes(trx, repo.FRESH_TABLES, liveIndexes(ctx.engine));
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
      // (the person indexes are built again: the periods' citizen ids are looked up by them)
      if (await ctx.applyVsi(trx)) throw new Rollback();
      await audit(trx, ctx.actor, {
        action: options.dryRun ? 'import-dry-run' : 'import',
        entity: 'register',
        entityId: 'path' in ctx.source ? path.basename(ctx.source.path) : 'upload',
        unitCode: ctx.actor.scopeCode,
        after: { rows: report.rows, ...counts, rejected: report.rejected, ...(report.vsi ? { vsi: report.vsi } : {}) },
      });
      if (options.dryRun) throw new Rollback();
    });
  } catch (e) {
    if (e instanceof NotEmpty) return undefined;
    if (!(e instanceof Rollback)) throw e;
    report.rolledBack = true;
    if (!options.dryRun) Object.assign(report, { inserted: 0, updated: 0, unchanged: 0 }, report.vsi ? { vsi: { ...report.vsi, inserted: 0, unchanged: 0 } } : {});
  }
  if (!report.rolledBack && !options.dryRun) await repo.analyzeRegister(session.db);
  mark('commit');
  report.errors.sort((a, b) => a.row - b.row);
  options.onProgress?.({ phase: 'done', rows: report.rows, ...ctx.progress() });
  return report;
}

class Rollback extends Error {}

/** Writes the staged rows into the register (the statements of import.repository.ts, in order); returns what happened per row. */
async function applyStage(trx: Kysely<DB>, stage: string, today: string) {
  await repo.createVillages(trx, stage);
  // the staged rows changed: fresh statistics keep the planner from nested loops over thousands of rows
  await repo.analyzeStage(trx, stage);
  await repo.defineNewPersonIds(trx);
  await repo.markUpdates(trx, stage);
  await repo.stageHouseholds(trx, stage);
  // what the households whose counts the file changes count for, taken before anything is written
  const coverage = await coverageChange(trx, repo.touchedHouseholds(stage));
  await repo.writeHouseholds(trx, stage);
  await repo.analyzeStage(trx, stage);
  await repo.movePersons(trx, stage);
  await repo.updateGroups(trx, stage, today);
  await repo.updatePersons(trx, stage);
  await repo.insertPersons(trx, stage);
  await repo.updateCards(trx, stage);
  await repo.insertCards(trx, stage);
  // the kept coverage aggregates follow: the households taken above, and the new ones (a file of unchanged
  // rows changes none)
  await coverage.apply(repo.createdHouseholds());
  return repo.countActions(trx, stage);
}
