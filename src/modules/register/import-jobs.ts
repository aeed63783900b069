/**
 * Imports started over HTTP run in the background; the web wizard polls their progress. Jobs live in the
 * server's memory (progress must be readable while the embedded database is busy with the import), and
 * the finished report stays available for an hour.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Database } from '../../db/connect';
import type { Actor } from '../../domain/access';
import { AppError } from '../../errors';
import type { Language } from '../../i18n/index';
import { importRegister, type ImportProgress, type ImportReport } from './import.service';

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
    this.queue = this.queue.then(async () => {
      job.status = 'running';
      try {
        job.report = await importRegister(database, actor, { path: file.path, format: file.format }, { ...options, onProgress: (p) => (job.progress = p) });
        job.status = 'done';
      } catch (e) {
        job.status = 'failed';
        job.error = e instanceof AppError ? { code: e.code, params: e.params, fields: e.fields } : { code: 'internal' };
        if (!(e instanceof AppError)) console.error('import failed', e);
      } finally {
        job.finishedAt = new Date();
        fs.rm(file.path, { force: true }, () => undefined);
      }
    });
    return job;
  }

  /** The job, if this actor may see it (its owner, or an admin). */
  get(id: string, actor: Actor): ImportJob {
    const job = this.jobs.get(id);
    if (!job || (job.owner !== actor.userId && actor.role !== 'admin')) throw new AppError('not_found', { entity: 'import', id });
    return job;
  }

  private prune() {
    const now = Date.now();
    for (const [id, job] of this.jobs) if (job.finishedAt && now - job.finishedAt.getTime() > KEEP_MS) this.jobs.delete(id);
  }
}
