import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors';
import { formatDateVi, todayInVietnam } from '../../domain/dates';
import { translator } from '../../i18n/index';
import { csvLine, UTF8_BOM } from '../../io/csv';
import { xlsxWriter } from '../../io/excel';
import type { ImportJob, ImportJobs } from './import-jobs';
import { errorBody } from '../../http/plugins/errors';
import { importJobSchema } from './register.schemas';

const flag = z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1');
/** `?lang=`, read by the auth plugin (it sets req.lang) and listed here so these strict querystrings accept it. */
const language = z.enum(['vi', 'en']).optional();

export const importRoutes = (jobs: ImportJobs): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/register/imports',
      {
        config: { permission: 'units:write' },
        schema: {
          tags: ['register'],
          summary: 'Upload a .xlsx or .csv register file (multipart, field "file"); the import runs in the background: poll GET /api/register/imports/{id}',
          querystring: z.object({ dryRun: flag, validRowsOnly: flag, lang: language }).strict(),
          response: { 202: importJobSchema },
        },
      },
      async (req, reply) => {
        if (!req.isMultipart()) throw new AppError('validation', {}, [{ path: 'file', key: 'required' }]);
        const part = await req.file({ limits: { fileSize: 2 * 1024 * 1024 * 1024, files: 1 } });
        if (!part) throw new AppError('validation', {}, [{ path: 'file', key: 'required' }]);
        const ext = path.extname(part.filename).toLowerCase();
        const format = ext === '.xlsx' ? 'xlsx' : ext === '.csv' || ext === '.txt' ? 'csv' : undefined;
        if (!format) {
          part.file.resume();
          throw new AppError('validation', {}, [{ path: 'file', key: 'import_format' }]);
        }
        const tmp = path.join(os.tmpdir(), `coverdesk-upload-${randomUUID()}${ext}`);
        await pipeline(part.file, fs.createWriteStream(tmp));
        if (part.file.truncated) {
          fs.rmSync(tmp, { force: true });
          throw new AppError('validation', {}, [{ path: 'file', key: 'too_big', params: { maximum: '2 GB' } }]);
        }
        const job = jobs.start(app.database, req.actor!, { path: tmp, name: part.filename, format }, {
          dryRun: req.query.dryRun,
          validRowsOnly: req.query.validRowsOnly,
          language: req.lang,
          today: todayInVietnam(),
        });
        return reply.status(202).send(view(job, req.lang));
      },
    );

    app.get(
      '/api/register/imports/:id',
      {
        config: { permission: 'units:write' },
        schema: {
          tags: ['register'],
          summary: 'Progress and, when done, the report of an import',
          params: z.object({ id: z.uuid() }),
          querystring: z.object({ errors: z.coerce.number().int().min(0).max(10000).default(200), lang: language }).strict(),
          response: { 200: importJobSchema },
        },
      },
      async (req) => {
        const job = await jobs.get(app.database.db, req.params.id, req.actor!);
        const v = view(job, req.lang);
        if (v.report) v.report = { ...v.report, errors: v.report.errors.slice(0, req.query.errors) };
        return v;
      },
    );

    app.get(
      '/api/register/imports/:id/errors',
      {
        config: { permission: 'units:write' },
        schema: {
          tags: ['register'],
          summary: 'The error report of an import as .xlsx or .csv (row as the spreadsheet numbers it, column, value, message)',
          params: z.object({ id: z.uuid() }),
          querystring: z.object({ format: z.enum(['xlsx', 'csv']).default('xlsx'), lang: language }).strict(),
        },
      },
      async (req, reply) => {
        const job = await jobs.get(app.database.db, req.params.id, req.actor!);
        // columns by the headings of the file the user filled in, not by the template's keys
        const headings = job.report?.headings ?? {};
        const errors = (job.report?.errors ?? []).map((e) => ({ ...e, column: headings[e.column] || e.column }));
        const t = translator(req.lang);
        const headers = [t('import_report.row'), t('import_report.column'), t('import_report.value'), t('import_report.message')];
        const base = `${path.basename(job.fileName, path.extname(job.fileName))}-${t('import_report.file_suffix')}`;
        if (req.query.format === 'csv') {
          reply.header('content-type', 'text/csv; charset=utf-8');
          reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(base)}.csv`);
          return UTF8_BOM + [csvLine(headers), ...errors.map((e) => csvLine([e.row, e.column, e.value, e.message]))].join('\r\n') + '\r\n';
        }
        reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
        reply.header('content-disposition', `attachment; filename*=UTF-8''${encodeURIComponent(base)}.xlsx`);
        const { PassThrough } = await import('node:stream');
        const out = new PassThrough();
        const writer = xlsxWriter(out, {
          name: t('import_report.sheet'),
          title: [t('import_report.title', { file: job.fileName }), t('import_report.subtitle', { date: formatDateVi(todayInVietnam()), count: errors.length })],
          columns: [
            { header: headers[0], key: 'row', width: 8, type: 'integer' },
            { header: headers[1], key: 'column', width: 18, wrap: true },
            { header: headers[2], key: 'value', width: 24, wrap: true },
            { header: headers[3], key: 'message', width: 70, wrap: true },
          ],
        });
        void (async () => {
          for (const e of errors) writer.add({ row: e.row, column: e.column, value: e.value, message: e.message });
          await writer.finish();
        })();
        return reply.send(out);
      },
    );
  };

function view(job: ImportJob, lang: 'vi' | 'en') {
  const { owner: _owner, error, ...rest } = job;
  return {
    ...rest,
    ...(error ? { error: errorBody(lang, error.code, error.params ?? {}, (error.fields as never[]) ?? []).error } : {}),
  };
}
