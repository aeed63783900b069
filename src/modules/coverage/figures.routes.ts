import path from 'node:path';
import { Readable } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../errors';
import { todayInVietnam } from '../../domain/dates';
import * as figures from './figures.service';
import { FIGURES_READ, FIGURES_WRITE } from './figures.service';
import {
  figureSchema,
  figuresQuery,
  importReportSchema,
  savedFigureSchema,
  staffProgressQuery,
  staffProgressSchema,
  setFiguresInput,
  setStaffTargetInput,
  setTargetInput,
  staffTargetSchema,
  staffTargetsQuery,
  targetSchema,
  targetsQuery,
} from './figures.schemas';

const tags = ['coverage'];
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const flag = z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1');

/** Reported figures (counts per unit and date), coverage targets per unit and year, staff targets. */
export const figuresRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.get(
    '/api/coverage/figures',
    {
      config: { permission: FIGURES_READ },
      schema: {
        tags,
        summary: 'Reported figures of a unit in your scope, oldest first (?from, ?to inclusive), with % of plan and % of population',
        querystring: figuresQuery,
        response: { 200: items(figureSchema) },
      },
    },
    async (req) => ({ items: await figures.listFigures(req.reads, req.actor!, req.query) }),
  );

  app.put(
    '/api/coverage/figures',
    {
      config: { permission: FIGURES_WRITE },
      schema: {
        tags,
        summary:
          'Set the figures of a unit on a date (upsert by unit and date: a field left out keeps its value, null clears it; audited). Answers 201 when new, 200 when updated, with warnings (e.g. participants above the population). oldCode: a pre-2025 commune whose participants and population count towards its new commune for year over year (a split one needs unitCode, the new commune of its part)',
        body: setFiguresInput,
        response: { 200: savedFigureSchema, 201: savedFigureSchema },
      },
    },
    async (req, reply) => {
      const saved = await figures.setFigures(db(), req.actor!, req.body, { language: req.lang });
      return reply.status(saved.created ? 201 : 200).send(saved);
    },
  );

  app.post(
    '/api/coverage/figures/import',
    {
      config: { permission: FIGURES_WRITE },
      schema: {
        tags,
        summary:
          "Import reported figures from a .xlsx or .csv file (multipart, field \"file\"): columns 'Mã đơn vị', 'Ngày', 'Số người tham gia', 'Dân số', 'Chỉ tiêu', 'Số quyết định' (or unit_code, as_of, participants, population, plan, plan_decision, plan_year, voluntary_si, source, note) and one column per group code (GD, HS, ...); a pre-2025 commune by its old code in 'Mã xã cũ' (old_code) or in the unit column when no current unit has it (participants and population only, for year over year). All or nothing; ?dryRun=true writes nothing",
        querystring: z.object({ dryRun: flag }).strict(),
        response: { 200: importReportSchema },
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw new AppError('validation', {}, [{ path: 'file', key: 'required' }]);
      const part = await req.file({ limits: { fileSize: 50 * 1024 * 1024, files: 1 } });
      if (!part) throw new AppError('validation', {}, [{ path: 'file', key: 'required' }]);
      const ext = path.extname(part.filename).toLowerCase();
      const format = ext === '.xlsx' ? 'xlsx' : ext === '.csv' || ext === '.txt' ? 'csv' : undefined;
      if (!format) {
        part.file.resume();
        throw new AppError('validation', {}, [{ path: 'file', key: 'import_format' }]);
      }
      // figure files are small (one row per unit and date): read into memory, then import
      const buffer = await part.toBuffer();
      return figures.importFigures(db(), req.actor!, { stream: Readable.from([buffer]), format }, { dryRun: req.query.dryRun, language: req.lang });
    },
  );

  app.get(
    '/api/coverage/targets',
    {
      config: { permission: FIGURES_READ },
      schema: {
        tags,
        summary: 'Coverage targets of ?unit and the units directly under it (or of your whole scope), newest year first; ?year filters',
        querystring: targetsQuery,
        response: { 200: items(targetSchema) },
      },
    },
    async (req) => ({ items: await figures.listTargets(req.reads, req.actor!, req.query) }),
  );

  app.put(
    '/api/coverage/targets',
    {
      config: { permission: FIGURES_WRITE },
      schema: {
        tags,
        summary: "Set a unit's coverage target for a year: kind 'percent_population' (value 95 = 95% of the population) or 'participants' (a count); upsert by unit and year; audited",
        body: setTargetInput,
        response: { 200: targetSchema },
      },
    },
    async (req) => figures.setTarget(db(), req.actor!, req.body),
  );

  app.get(
    '/api/coverage/staff-targets',
    {
      config: { permission: FIGURES_READ },
      schema: {
        tags,
        summary: 'Staff recruitment targets whose unit is ?unit or directly under it (or anywhere in your scope); ?year filters',
        querystring: staffTargetsQuery,
        response: { 200: items(staffTargetSchema) },
      },
    },
    async (req) => ({ items: await figures.listStaffTargets(req.reads, req.actor!, req.query) }),
  );

  app.get(
    '/api/coverage/staff-progress',
    {
      config: { permission: FIGURES_READ },
      schema: {
        tags,
        summary:
          'Progress of each staff member against their recruitment target of ?year (default this year): participants recruited (persons they entered a card for by hand in the year), % of target, persons still missing; lowest first. ?unit: the unit and those directly under it',
        querystring: staffProgressQuery,
        response: { 200: items(staffProgressSchema) },
      },
    },
    async (req) => ({ items: await figures.staffProgress(req.reads, req.actor!, { unit: req.query.unit, year: req.query.year ?? Number(todayInVietnam().slice(0, 4)) }) }),
  );

  app.put(
    '/api/coverage/staff-targets',
    {
      config: { permission: FIGURES_WRITE },
      schema: {
        tags,
        summary: "Set a staff member's recruitment target for a year (userId or username; the unit defaults to the member's own); upsert by member and year; audited",
        body: setStaffTargetInput,
        response: { 200: staffTargetSchema },
      },
    },
    async (req) => figures.setStaffTarget(db(), req.actor!, req.body),
  );
};
