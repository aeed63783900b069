import { z } from 'zod';
import type { Readable } from 'node:stream';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInVietnam } from '../../domain/dates';
import { translator } from '../../i18n/index';
import { csvLine, UTF8_BOM } from '../../io/csv';
import { formatDateVi } from '../../domain/dates';
import * as coverage from './coverage.service';
import { coverageReportSchema, lowCoverageSchema, pupilsSchema, trendSchema, visitSchema, vsiCoverageSchema } from './coverage.schemas';
import { vsiCoverageOf } from './vsi-coverage.service';
import { dashboardPdf, EXPORT_TABLES, exportSheet, writeSheet, writeVisitList } from './coverage.export';

/** A file (csv text, an xlsx stream) goes out as it is: a route's response schema describes its JSON answer only. */
const sendFile = (reply: FastifyReply, file: string | Readable) => reply.send(file);

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { message: 'iso_date' });

export const coverageRoutes: FastifyPluginAsyncZod = async (app) => {
  // every view here only reads: from the read replica when there is one (request.reads, plugins/reads.ts)
  app.get(
    '/api/coverage/:unit',
    {
      config: { permission: 'units:read' },
      schema: {
        tags: ['coverage'],
        summary: 'Coverage of a unit on a date (default today) and of each unit below it: population, participants, plan, % of plan and population, year-over-year change, by group, expiring within 30 days; with the source of each number',
        params: z.object({ unit: z.string().min(1).max(40) }),
        querystring: z.object({ date: date.optional() }).strict(),
        response: { 200: coverageReportSchema },
      },
    },
    async (req) => coverage.coverageOf(req.reads, req.actor!, req.params.unit, req.query.date ?? todayInVietnam()),
  );

  app.get(
    '/api/coverage/:unit/vsi',
    {
      config: { permission: 'units:read' },
      schema: {
        tags: ['coverage'],
        summary:
          "Voluntary social insurance (product bhxh-tn) of a unit and of each unit below it, from the register's periods: participants on ?date (default today), new participants from ?from (default 1 January) to ?to (default the date): a period starting then, none the day before; the year's plan (a coverage target of product bhxh-tn) and % of it",
        params: z.object({ unit: z.string().min(1).max(40) }),
        querystring: z.object({ date: date.optional(), from: date.optional(), to: date.optional() }).strict(),
        response: { 200: vsiCoverageSchema },
      },
    },
    async (req) => vsiCoverageOf(req.reads, req.actor!, req.params.unit, { date: req.query.date ?? todayInVietnam(), from: req.query.from, to: req.query.to }),
  );

  app.get(
    '/api/coverage/:unit/visits',
    {
      config: { permission: 'units:read' },
      schema: {
        tags: ['coverage'],
        summary: 'Persons to visit: without a card (kind=uncovered) or with the card ending within `days` (kind=expiring), by village and household; JSON, .xlsx or .csv',
        params: z.object({ unit: z.string().min(1).max(40) }),
        querystring: z
          .object({
            kind: z.enum(['uncovered', 'expiring']).default('uncovered'),
            date: date.optional(),
            days: z.coerce.number().int().min(1).max(365).default(30),
            limit: z.coerce.number().int().min(1).max(100_000).default(500),
            offset: z.coerce.number().int().min(0).default(0),
            format: z.enum(['json', 'xlsx', 'csv']).default('json'),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(visitSchema) }) },
      },
    },
    async (req, reply) => {
      const q = req.query;
      const rows = await coverage.actionList(req.reads, req.actor!, { unit: req.params.unit, date: q.date ?? todayInVietnam(), kind: q.kind, days: q.days, limit: q.limit, offset: q.offset });
      if (q.format === 'json') return { items: rows };
      const t = translator(req.lang);
      const cols = ['villageName', 'householdCode', 'address', 'fullName', 'birthDate', 'sex', 'phone', 'groupCodes', 'cardTo'] as const;
      const headers = cols.map((c) => t(`coverage_list.${c}`));
      const cell = (r: (typeof rows)[number], c: (typeof cols)[number]) =>
        c === 'birthDate' || c === 'cardTo' ? (r[c] ? formatDateVi(r[c]!) : '') : c === 'sex' ? t(`coverage_list.${r.sex}`) : c === 'groupCodes' ? r.groupCodes.join(';') : (r[c] ?? '');
      const name = `${q.kind}-${req.params.unit}-${q.date ?? todayInVietnam()}`;
      if (q.format === 'csv') {
        reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', `attachment; filename="${name}.csv"`);
        return sendFile(reply, UTF8_BOM + [csvLine(headers), ...rows.map((r) => csvLine(cols.map((c) => cell(r, c))))].join('\r\n') + '\r\n');
      }
      reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', `attachment; filename="${name}.xlsx"`);
      const { PassThrough } = await import('node:stream');
      const out = new PassThrough();
      void writeVisitList(req.reads, { unit: req.params.unit, date: q.date ?? todayInVietnam(), kind: q.kind, days: q.days }, rows, req.lang, out).catch((e: Error) => out.destroy(e));
      return sendFile(reply, out);
    },
  );

  app.get(
    '/api/coverage/:unit/projection',
    {
      config: { permission: 'units:read' },
      schema: {
        tags: ['coverage'],
        summary: 'Expected coverage at a future date (default 31 December) from card expiries and the observed renewal rate; the gap to the target; and the cheapest money to close it, priced person by person (fully state-paid people listed apart)',
        params: z.object({ unit: z.string().min(1).max(40) }),
        querystring: z
          .object({
            date: date.optional(),
            targetDate: date.optional(),
            targetPercent: z.coerce.number().min(0).max(100).optional(),
            months: z.coerce.number().int().min(1).max(12).default(12),
            newEnrolmentsPerMonth: z.coerce.number().int().min(0).max(1_000_000).default(0),
          })
          .strict(),
      },
    },
    async (req) => coverage.projection(req.reads, req.actor!, { unit: req.params.unit, ...req.query, date: req.query.date ?? todayInVietnam() }),
  );

  app.get(
    '/api/coverage/:unit/trend',
    {
      config: { permission: 'units:read' },
      schema: {
        tags: ['coverage'],
        summary: 'Participants at each month end of the last `months` months (from the register), with the same month a year earlier',
        params: z.object({ unit: z.string().min(1).max(40) }),
        querystring: z.object({ date: date.optional(), months: z.coerce.number().int().min(1).max(36).default(12) }).strict(),
        response: { 200: trendSchema },
      },
    },
    async (req) => coverage.trend(req.reads, req.actor!, { unit: req.params.unit, date: req.query.date ?? todayInVietnam(), months: req.query.months }),
  );

  app.get(
    '/api/coverage/:unit/low',
    {
      config: { permission: 'units:read' },
      schema: {
        tags: ['coverage'],
        summary: 'The units below their target (or below ?threshold % of population), lowest first, with the persons still missing',
        params: z.object({ unit: z.string().min(1).max(40) }),
        querystring: z.object({ date: date.optional(), threshold: z.coerce.number().min(0).max(100).optional() }).strict(),
        response: { 200: z.object({ items: z.array(lowCoverageSchema) }) },
      },
    },
    async (req) => ({ items: await coverage.lowCoverage(req.reads, req.actor!, { unit: req.params.unit, date: req.query.date ?? todayInVietnam(), threshold: req.query.threshold }) }),
  );

  app.get(
    '/api/coverage/:unit/pupils',
    {
      config: { permission: 'units:read' },
      schema: {
        tags: ['coverage'],
        summary: 'Pupils per school against 100% coverage in the school year of the date',
        params: z.object({ unit: z.string().min(1).max(40) }),
        querystring: z.object({ date: date.optional() }).strict(),
        response: { 200: pupilsSchema },
      },
    },
    async (req) => coverage.pupils(req.reads, req.actor!, { unit: req.params.unit, date: req.query.date ?? todayInVietnam() }),
  );

  app.get(
    '/api/coverage/:unit/export',
    {
      config: { permission: 'units:read' },
      schema: {
        tags: ['coverage'],
        summary:
          'A dashboard table as .xlsx with headers in your language: table=children (the units below, with every measure and its source), low (below target, ranked), pupils (per school), staff (staff targets and progress)',
        params: z.object({ unit: z.string().min(1).max(40) }),
        querystring: z
          .object({
            table: z.enum(EXPORT_TABLES),
            date: date.optional(),
            threshold: z.coerce.number().min(0).max(100).optional(),
            year: z.coerce.number().int().min(2000).max(2100).optional(),
          })
          .strict(),
      },
    },
    async (req, reply) => {
      const q = req.query;
      const sheet = await exportSheet(req.reads, req.actor!, q.table, { unit: req.params.unit, date: q.date ?? todayInVietnam(), threshold: q.threshold, year: q.year }, req.lang);
      const { PassThrough } = await import('node:stream');
      const out = new PassThrough();
      reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', `attachment; filename="${sheet.file}.xlsx"`);
      void writeSheet(sheet, out).catch((e: unknown) => out.destroy(e as Error));
      return reply.send(out);
    },
  );

  app.get(
    '/api/coverage/:unit/pdf',
    {
      config: { permission: 'units:read' },
      schema: {
        tags: ['coverage'],
        summary: 'The dashboard of a unit on a date as a PDF (A4 landscape, in your language): headline measures with their source, the table of the units below, where the numbers come from',
        params: z.object({ unit: z.string().min(1).max(40) }),
        querystring: z.object({ date: date.optional() }).strict(),
      },
    },
    async (req, reply) => {
      const d = req.query.date ?? todayInVietnam();
      const pdf = await dashboardPdf(req.reads, req.actor!, { unit: req.params.unit, date: d }, req.lang);
      return reply
        .header('content-type', 'application/pdf')
        .header('content-disposition', `attachment; filename="coverage-${req.params.unit}-${d}.pdf"`)
        .send(pdf);
    },
  );
};
