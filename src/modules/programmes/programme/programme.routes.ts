import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInVietnam } from '../../../domain/dates';
import * as programmes from './programme.service';
import { PROGRAMMES_READ, PROGRAMMES_WRITE } from './programme.access';
import { oncePerKey } from './confirm';
import {
  createProgrammeInput,
  idParams,
  programmeDetailSchema,
  programmeListQuery,
  programmeSchema,
  statusInput,
  updateProgrammeInput,
} from './programme.schemas';

const tags = ['programmes'];
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** Donation programmes: the programme and its status flow (its money: money.routes.ts). */
export const programmeRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  // ---------------------------------------------------------------------------------------- programmes
  app.get(
    '/api/programmes',
    {
      config: { permission: PROGRAMMES_READ },
      schema: {
        tags,
        summary:
          'Programmes in your scope (owned by your unit or a unit under it, or whose area covers your unit), newest first, with balances and the overdue flag; ?status, ?q (name)',
        querystring: programmeListQuery,
        response: { 200: items(programmeSchema) },
      },
    },
    async (req) => ({ items: await programmes.listProgrammes(req.reads, req.actor!, req.query, todayInVietnam()) }),
  );

  app.post(
    '/api/programmes',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary: 'Create a programme (status draft; the public slug is made from the name and a random part; audited)',
        body: createProgrammeInput,
        response: { 201: programmeDetailSchema },
      },
    },
    async (req, reply) => {
      const created = await programmes.createProgramme(db(), req.actor!, req.body);
      return reply.status(201).send(await programmes.getProgramme(db(), req.actor!, created.id, todayInVietnam()));
    },
  );

  app.get(
    '/api/programmes/:id',
    {
      config: { permission: PROGRAMMES_READ },
      schema: {
        tags,
        summary: 'A programme with its balances, status history, area units, the next status and the one it may go back to',
        params: idParams,
        response: { 200: programmeDetailSchema },
      },
    },
    async (req) => programmes.getProgramme(db(), req.actor!, req.params.id, todayInVietnam()),
  );

  app.patch(
    '/api/programmes/:id',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary: 'Change a programme (area, card months, selection and priorities are frozen once the list is approved; audited)',
        params: idParams,
        body: updateProgrammeInput,
        response: { 200: programmeDetailSchema },
      },
    },
    async (req) => {
      await programmes.updateProgramme(db(), req.actor!, req.params.id, req.body);
      return programmes.getProgramme(db(), req.actor!, req.params.id, todayInVietnam());
    },
  );

  app.post(
    '/api/programmes/:id/status',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary:
          "Move the programme one step forward, or one step back with a note (from raising, selecting, list_approved when no award is submitted, closed); recorded with who and when; audited. confirm: true (going back from list_approved cancels its cards: { count, amount } of them); else 409 confirmation_required with error.details {count, amount}; optional Idempotency-Key header",
        params: idParams,
        body: statusInput,
        response: { 200: programmeDetailSchema },
      },
    },
    async (req) =>
      oncePerKey(db(), req, `status:${req.params.id}:${req.body.to}`, async () => {
        await programmes.stepProgrammeStatus(db(), req.actor!, req.params.id, req.body.to, req.body.note ?? null, req.body.confirm);
        return programmes.getProgramme(db(), req.actor!, req.params.id, todayInVietnam());
      }),
  );
};
