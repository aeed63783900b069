/**
 * Imports started over HTTP run in the background; the web wizard polls their progress. Jobs live in the
 * server's memory (progress must be readable while the embedded database is busy with the import), and
 * the finished report stays available for an hour. Each job's end state is also kept in the database
 * (table import_job): a job the server forgot (it was restarted, or the hour has passed) is answered from
 * there, and one that a crash interrupted is marked 'interrupted' at the next start
 * (`markInterruptedImports`) and shown as failed and rolled back: its one transaction died with it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Database } from '../../db/connect';
import type { Actor } from '../../domain/access';
import { AppError } from '../../errors';
import type { Language } from '../../i18n/index';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { importRegister, type ImportProgress, type ImportReport } from './import.service';
import { findImportJob, insertImportJob, markRunningInterrupted, updateImportJob } from './import-jobs.repository';

export interface ImportJob {
  id: string;
  owner: string | null;
  fileName: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  dryRun: boolean;
  validRowsOnly: boolean;
  progress: ImportProgress;
  report?: ImportReport;
  error?: { code: string; params?: Record<string, unknown>; fields?: unknown[] };
  startedAt: Date;
  finishedAt?: Date;
}

const KEEP_MS = 60 * 60 * 1000;

export class ImportJobs {
  private jobs = new Map<string, ImportJob>();
  /** Imports run one after another (each holds the embedded database for its write). */
  private queue: Promise<unknown> = Promise.resolve();

  start(
    database: Database,
    actor: Actor,
    file: { path: string; name: string; format: 'csv' | 'xlsx' },
    options: { dryRun: boolean; validRowsOnly: boolean; language: Language; today: string },
  ): ImportJob {
    this.prune();
    const job: ImportJob = {
      id: randomUUID(),
      owner: actor.userId,
      fileName: file.name,
      status: 'queued',
      dryRun: options.dryRun,
      validRowsOnly: options.validRowsOnly,
      progress: { phase: 'reading', rows: 0, bytesRead: 0, totalBytes: fs.statSync(file.path).size },
      startedAt: new Date(),
    };
    this.jobs.set(job.id, job);
    // the end state in the database (not awaited: the upload's answer does not wait for a busy database)
    const saved = insertImportJob(database.db, {
      id: job.id,
      ownerId: job.owner,
      fileName: job.fileName,
      status: 'running',
      dryRun: job.dryRun,
      validRowsOnly: job.validRowsOnly,
      startedAt: job.startedAt,
    }).then(
      () => true,
      (e: unknown) => {
        console.error('import job not saved', e);
        return false;
      },
    );
    this.queue = this.queue.then(async () => {
      job.status = 'running';
      // the end state is saved before it is shown: whoever sees the job finished finds it so in the database too
      const end: Pick<ImportJob, 'status' | 'report' | 'error' | 'finishedAt'> = { status: 'failed' };
      try {
        end.report = await importRegister(database, actor, { path: file.path, format: file.format }, { ...options, onProgress: (p) => (job.progress = p) });
        end.status = 'done';
      } catch (e) {
        end.error = e instanceof AppError ? { code: e.code, params: e.params, fields: e.fields } : { code: 'internal' };
        if (!(e instanceof AppError)) console.error('import failed', e);
      } finally {
        end.finishedAt = new Date();
        fs.rm(file.path, { force: true }, () => undefined);
        if (await saved) await saveEnd(database.db, job.id, end).catch((e: unknown) => console.error('import job end not saved', e));
        Object.assign(job, end);
      }
    });
    return job;
  }

  /**
   * The job, if this actor may see it (its owner, or an admin): from memory, or else its end state from
   * the database (without the error rows: they are kept in memory only).
   */
  async get(db: Kysely<DB>, id: string, actor: Actor): Promise<ImportJob> {
    const job = this.jobs.get(id) ?? (await storedJob(db, id));
    if (!job || (job.owner !== actor.userId && actor.role !== 'admin')) throw new AppError('not_found', { entity: 'import', id });
    return job;
  }

  private prune() {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.finishedAt && now - job.finishedAt.getTime() > KEEP_MS) this.jobs.delete(id);
  }
}

function saveEnd(db: Kysely<DB>, id: string, job: Pick<ImportJob, 'status' | 'report' | 'error' | 'finishedAt'>): Promise<void> {
  const r = job.report;
  return updateImportJob(db, id, {
    status: job.status === 'done' ? 'done' : 'failed',
    rows: r?.rows ?? null,
    inserted: r?.inserted ?? null,
    updated: r?.updated ?? null,
    unchanged: r?.unchanged ?? null,
    rejected: r?.rejected ?? null,
    rolledBack: r ? r.rolledBack : true,
    errorCode: job.error?.code ?? null,
    finishedAt: job.finishedAt ?? new Date(),
  });
}

/** A job as the database kept it; an interrupted one is a failed job whose error says it was rolled back. */
async function storedJob(db: Kysely<DB>, id: string): Promise<ImportJob | undefined> {
  const row = await findImportJob(db, id);
  if (!row) return undefined;
  const finished = row.status === 'done' || row.status === 'failed' || row.status === 'interrupted';
  return {
    id: row.id,
    owner: row.ownerId,
    fileName: row.fileName,
    status: row.status === 'interrupted' ? 'failed' : row.status === 'done' ? 'done' : row.status === 'failed' ? 'failed' : 'running',
    dryRun: row.dryRun,
    validRowsOnly: row.validRowsOnly,
    progress: { phase: finished ? 'done' : 'reading', rows: row.rows ?? 0, bytesRead: 0, totalBytes: 0 },
    ...(row.status === 'done' && row.rows !== null
      ? {
          report: {
            rows: row.rows,
            inserted: row.inserted ?? 0,
            updated: row.updated ?? 0,
            unchanged: row.unchanged ?? 0,
            rejected: row.rejected ?? 0,
            errors: [],
            rolledBack: row.rolledBack ?? false,
          },
        }
      : {}),
    ...(row.status === 'interrupted' ? { error: { code: 'import_interrupted' } } : row.status === 'failed' ? { error: { code: row.errorCode ?? 'internal' } } : {}),
    startedAt: row.startedAt,
    ...(row.finishedAt ? { finishedAt: row.finishedAt } : {}),
  };
}

/**
 * At server start: imports a previous run of the server left running were interrupted by its end (a
 * crash, a kill), and their transaction rolled back; mark them so. One server per database, as for the
 * jobs in memory and the throttles.
 */
export function markInterruptedImports(db: Kysely<DB>, now = new Date()): Promise<number> {
  return markRunningInterrupted(db, now);
}
