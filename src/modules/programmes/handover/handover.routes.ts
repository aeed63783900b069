import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { todayInVietnam } from '../../../domain/dates';
import { attachment } from '../../../http/attachment';
import { PROGRAMMES_READ, PROGRAMMES_WRITE } from '../programme/programme.access';
import * as handover from './handover.service';
import { EVIDENCE_MAX_BYTES, HANDOVER_EVIDENCE, type EvidenceFile } from './handover.service';
import { readEvidenceForm, sendEvidence } from '../../../http/evidence-upload';
import { handoverMinutesPdf } from './handover.minutes';
import * as statements from './statement.service';
import {
  addEventInput,
  addedEventSchema,
  donorStatementSchema,
  donorTotalsSchema,
  eventDetailSchema,
  eventSchema,
  handoverOverviewSchema,
  moveRecipientInput,
  recipientSchema,
  updateEventInput,
  type RecordResultInput,
} from './handover.schemas';
import { oncePerKey, stepConfirm } from '../programme/confirm';

const tags = ['handover'];
const idParams = z.object({ id: z.string().max(40) });
const eventParams = z.object({ eventId: z.string().max(40) });
const awardParams = z.object({ awardId: z.string().max(40) });
const statementParams = z.object({ id: z.string().max(40), donorId: z.string().max(40) });
const langQuery = z.object({ lang: z.enum(['vi', 'en']).optional() }).strict();

/** A result with its evidence from a multipart form (fields result, receivedBy, note; file "evidence") or JSON. */
async function resultFromRequest(req: FastifyRequest): Promise<{ input: Record<string, unknown>; file?: EvidenceFile }> {
  if (!req.isMultipart()) return { input: (req.body ?? {}) as Record<string, unknown> };
  const { fields, file } = await readEvidenceForm(req, 'evidence', ['result', 'receivedBy', 'note'], HANDOVER_EVIDENCE);
  const input: Record<string, unknown> = { ...fields };
  if (input.result === null) delete input.result;
  return { input, file };
}

/** Handover events and results, minutes, evidence; donor statements (staff). */
export const handoverRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.get(
    '/api/programmes/:id/handover',
    {
      config: { permission: PROGRAMMES_READ },
      schema: {
        tags,
        summary: 'Handover events of a programme (with result counts; overdue = after the deadline), the cards no event expects yet, totals, and whether every card has a final result',
        params: idParams,
        response: { 200: handoverOverviewSchema },
      },
    },
    async (req) => handover.handoverOverview(db(), req.actor!, req.params.id),
  );

  app.post(
    '/api/programmes/:id/handover/events',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary: 'Add a handover event (commune, date, place, note); every live award of the commune not yet expected elsewhere is expected there (assigned = how many); audited',
        params: idParams,
        body: addEventInput,
        response: { 201: addedEventSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await handover.addEvent(db(), req.actor!, req.params.id, req.body)),
  );

  app.post(
    '/api/programmes/:id/handover/assign',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary:
          "Expect every card no event expects yet at its commune's event (the latest one when there are several); cards of communes without an event stay unassigned. Answers the overview with `assigned`; audited",
        params: idParams,
        response: { 200: handoverOverviewSchema.extend({ assigned: z.number() }) },
      },
    },
    async (req) => handover.assignUnassigned(db(), req.actor!, req.params.id),
  );

  app.post(
    '/api/programmes/:id/handover/complete',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary:
          "Move the programme to 'handed_over' once every card is received, absent or refused (else a validation error naming what is open). confirm: true or { count: the cards, amount: 0 }, else 409 confirmation_required; optional Idempotency-Key header",
        params: idParams,
        body: z.object({ note: z.string().max(1000).nullable().optional(), confirm: stepConfirm.optional() }).strict().optional(),
        response: { 200: handoverOverviewSchema },
      },
    },
    async (req) =>
      oncePerKey(db(), req, `handover:${req.params.id}`, () => handover.completeHandover(db(), req.actor!, req.params.id, req.body?.note ?? undefined, req.body?.confirm)),
  );

  app.get(
    '/api/handover/events/:eventId',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: 'A handover event with its expected recipients (full names: staff only)', params: eventParams, response: { 200: eventDetailSchema } },
    },
    async (req) => handover.eventDetail(db(), req.actor!, req.params.eventId),
  );

  app.patch(
    '/api/handover/events/:eventId',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: { tags, summary: "Change an event's date, place or note; audited", params: eventParams, body: updateEventInput, response: { 200: eventSchema } },
    },
    async (req) => handover.updateEvent(db(), req.actor!, req.params.eventId, req.body),
  );

  app.post(
    '/api/handover/events/:eventId/recipients',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary: 'Expect an award (card) at this event instead of the one it was at (or at none); a card already received stays where it is; audited',
        params: eventParams,
        body: moveRecipientInput,
        response: { 200: recipientSchema },
      },
    },
    async (req) => handover.moveRecipient(db(), req.actor!, req.params.eventId, req.body.awardId),
  );

  app.get(
    '/api/handover/events/:eventId/minutes.pdf',
    {
      config: { permission: PROGRAMMES_READ },
      schema: {
        tags,
        summary: 'The handover minutes of the event (biên bản bàn giao thẻ BHYT), PDF, Vietnamese unless ?lang=en; ?number= the document number',
        params: eventParams,
        querystring: langQuery.extend({ number: z.string().max(30).optional() }),
      },
    },
    async (req, reply) => {
      const { fileName, pdf } = await handoverMinutesPdf(db(), req.actor!, req.params.eventId, req.query.lang ?? 'vi', { number: req.query.number });
      return reply.header('content-type', 'application/pdf').header('content-disposition', attachment(fileName)).header('cache-control', 'no-store').send(pdf);
    },
  );

  app.post(
    '/api/handover/results/:awardId',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary: `Record a card's handover result: multipart form (fields result = received|absent|refused|expected, receivedBy (required for received), note; optional file "evidence": JPEG, PNG, WebP or PDF up to ${EVIDENCE_MAX_BYTES / 1024 / 1024} MB) or JSON {result, receivedBy, note}; audited`,
        params: awardParams,
        response: { 200: recipientSchema },
      },
    },
    async (req) => {
      const { input, file } = await resultFromRequest(req);
      return handover.recordResult(db(), req.actor!, req.params.awardId, input as RecordResultInput, file);
    },
  );

  app.get(
    '/api/handover/results/:awardId/evidence',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: "The evidence file of a card's handover (staff who may read the programme only)", params: awardParams },
    },
    async (req, reply) => {
      const file = await handover.evidenceOf(db(), req.actor!, req.params.awardId);
      return sendEvidence(reply, file);
    },
  );

  app.get(
    '/api/programmes/:id/statements',
    {
      config: { permission: PROGRAMMES_READ },
      schema: {
        tags,
        summary: 'Donors of the programme with what each pledged, gave, got back and funded (cards), for their statements',
        params: idParams,
        response: { 200: z.object({ items: z.array(donorTotalsSchema) }) },
      },
    },
    async (req) => ({ items: await statements.listStatements(db(), req.actor!, req.params.id) }),
  );

  app.get(
    '/api/programmes/:id/statements/:donorId',
    {
      config: { permission: PROGRAMMES_READ },
      schema: {
        tags,
        summary: "A donor's statement: pledges, receipts, refunds, and the cards their receipts funded, beneficiaries masked ('Nguyễn T. H., 2009, Xã Bảo Thắng')",
        params: statementParams,
        response: { 200: donorStatementSchema },
      },
    },
    async (req) => statements.donorStatement(db(), req.actor!, req.params.id, req.params.donorId),
  );

  app.get(
    '/api/programmes/:id/statements/:donorId/pdf',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: "The donor's statement as a PDF to send them (Vietnamese unless ?lang=en); beneficiaries masked", params: statementParams, querystring: langQuery },
    },
    async (req, reply) => {
      const { fileName, pdf } = await statements.donorStatementPdf(db(), req.actor!, req.params.id, req.params.donorId, {
        today: todayInVietnam(),
        language: req.query.lang ?? 'vi',
      });
      return reply.header('content-type', 'application/pdf').header('content-disposition', attachment(fileName)).header('cache-control', 'no-store').send(pdf);
    },
  );

  app.get(
    '/api/programmes/:id/statements/:donorId/thanks.pdf',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: 'The thank-you letter to the donor as a PDF (Vietnamese administrative letter: what was received and what it bought; ?lang=en)', params: statementParams, querystring: langQuery },
    },
    async (req, reply) => {
      const { fileName, pdf } = await statements.thankYouLetterPdf(db(), req.actor!, req.params.id, req.params.donorId, { today: todayInVietnam(), language: req.query.lang ?? 'vi' });
      return reply.header('content-type', 'application/pdf').header('content-disposition', attachment(fileName)).header('cache-control', 'no-store').send(pdf);
    },
  );
};
