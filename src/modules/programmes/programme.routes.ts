import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInVietnam } from '../../domain/dates';
import * as programmes from './programme.service';
import { PROGRAMMES_READ, PROGRAMMES_WRITE } from './programme.service';
import * as money from './donors.service';
import { listAwards, readLedger } from './ledger.service';
import { oncePerKey } from './confirm';
import {
  balanceSchema,
  createProgrammeInput,
  idParams,
  programmeDetailSchema,
  programmeListQuery,
  programmeSchema,
  statusInput,
  updateProgrammeInput,
} from './programme.schemas';
import {
  awardListItemSchema,
  awardSchema,
  cancelAwardInput,
  createAwardInput,
  createDonorInput,
  createPledgeInput,
  createReceiptInput,
  createRefundInput,
  donorListQuery,
  donorSchema,
  ledgerEntrySchema,
  pledgeSchema,
  receiptSchema,
  refundSchema,
  updateDonorInput,
} from './donors.schemas';

const tags = ['programmes'];
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const pledgeParams = z.object({ id: z.uuid(), pledgeId: z.uuid() }).strict();
const awardParams = z.object({ id: z.uuid(), awardId: z.uuid() }).strict();

/** Donation programmes: the programme and its status flow, donors, pledges, receipts, refunds, the ledger, hand-made awards. */
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
    async (req) => ({ items: await programmes.listProgrammes(db(), req.actor!, req.query, todayInVietnam()) }),
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

  // -------------------------------------------------------------------------------------------- donors
  app.get(
    '/api/donors',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: 'Donors kept by your unit or a unit under it (?q: name)', querystring: donorListQuery, response: { 200: items(donorSchema) } },
    },
    async (req) => ({ items: await money.listDonors(db(), req.actor!, req.query) }),
  );

  app.post(
    '/api/donors',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary: 'Add a donor (organisation, business, individual, officials) kept by a unit in your scope; publicConsent: may be named publicly (audited)',
        body: createDonorInput,
        response: { 201: donorSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await money.createDonor(db(), req.actor!, req.body)),
  );

  app.patch(
    '/api/donors/:id',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: { tags, summary: 'Change a donor (audited)', params: idParams, body: updateDonorInput, response: { 200: donorSchema } },
    },
    async (req) => money.updateDonor(db(), req.actor!, req.params.id, req.body),
  );

  // ------------------------------------------------------------------------------------------- pledges
  app.get(
    '/api/programmes/:id/pledges',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: 'Pledges of a programme, each with what was received against it (receipts less refunds)', params: idParams, response: { 200: items(pledgeSchema) } },
    },
    async (req) => ({ items: await money.listPledges(db(), req.actor!, req.params.id) }),
  );

  app.post(
    '/api/programmes/:id/pledges',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary: 'Record a pledge (confirmed at once) with an optional earmark: a commune of the area or a priority tag (audited)',
        params: idParams,
        body: createPledgeInput,
        response: { 201: pledgeSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await money.createPledge(db(), req.actor!, req.params.id, req.body)),
  );

  app.post(
    '/api/programmes/:id/pledges/:pledgeId/confirm',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: { tags, summary: 'Confirm a pledge proposed on the public page (audited)', params: pledgeParams, response: { 200: pledgeSchema } },
    },
    async (req) => money.confirmPledge(db(), req.actor!, req.params.id, req.params.pledgeId),
  );

  app.post(
    '/api/programmes/:id/pledges/:pledgeId/cancel',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: { tags, summary: 'Cancel a pledge against which nothing was received (audited)', params: pledgeParams, response: { 200: pledgeSchema } },
    },
    async (req) => money.cancelPledge(db(), req.actor!, req.params.id, req.params.pledgeId),
  );

  // ------------------------------------------------------------------------------------------ receipts
  app.get(
    '/api/programmes/:id/receipts',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: 'Receipts, oldest money first, each with what live awards use (funded), refunded and remaining', params: idParams, response: { 200: items(receiptSchema) } },
    },
    async (req) => ({ items: await money.listReceipts(db(), req.actor!, req.params.id) }),
  );

  app.post(
    '/api/programmes/:id/receipts',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary:
          'Record money received (optionally against a confirmed pledge of the same donor); posts debit cash / credit fund; audited. confirm: { count: 1, amount } else 409 confirmation_required; optional Idempotency-Key header',
        params: idParams,
        body: createReceiptInput,
        response: { 201: receiptSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await oncePerKey(db(), req, `receipt:${req.params.id}`, () => money.createReceipt(db(), req.actor!, req.params.id, req.body))),
  );

  app.get(
    '/api/programmes/:id/refunds',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: 'Refunds of a programme', params: idParams, response: { 200: items(refundSchema) } },
    },
    async (req) => ({ items: await money.listRefunds(db(), req.actor!, req.params.id) }),
  );

  app.post(
    '/api/programmes/:id/refunds',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary:
          "Return money of one receipt to its donor, at most the receipt's unspent remainder; posts debit fund / credit refunded; audited. confirm: { count: 1, amount } else 409 confirmation_required; optional Idempotency-Key header",
        params: idParams,
        body: createRefundInput,
        response: { 201: refundSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await oncePerKey(db(), req, `refund:${req.params.id}`, () => money.createRefund(db(), req.actor!, req.params.id, req.body))),
  );

  // ------------------------------------------------------------------------------------ ledger, awards
  app.get(
    '/api/programmes/:id/ledger',
    {
      config: { permission: PROGRAMMES_READ },
      schema: {
        tags,
        summary: 'Balances and the ledger postings (newest first, ?limit up to 5000): debit positive, credit negative, each transaction sums to zero',
        params: idParams,
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(5000).optional() }).strict(),
        response: { 200: z.object({ balance: balanceSchema, entries: z.array(ledgerEntrySchema) }) },
      },
    },
    async (req) => readLedger(db(), req.actor!, req.params.id, req.query.limit),
  );

  app.get(
    '/api/programmes/:id/awards',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: 'Awards of a programme, newest first, with the person’s name', params: idParams, response: { 200: items(awardListItemSchema) } },
    },
    async (req) => ({ items: await listAwards(db(), req.actor!, req.params.id) }),
  );

  app.post(
    '/api/programmes/:id/awards',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary:
          "Award one person of the register a card by hand: amount priced by the rules engine (the participant's share for the programme's months on its purchase date) unless given; funded from specific receipts; 409 insufficient_funds when the free money does not cover it. confirm: { count: 1, amount } else 409 confirmation_required (with the priced amount); optional Idempotency-Key header",
        params: idParams,
        body: createAwardInput,
        response: { 201: awardSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await oncePerKey(db(), req, `award:${req.params.id}`, () => money.awardOne(db(), req.actor!, req.params.id, req.body))),
  );

  app.post(
    '/api/programmes/:id/awards/:awardId/cancel',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary:
          'Cancel an award not yet submitted: its money goes back to the free fund (audited). confirm: { count: 1, amount } else 409 confirmation_required; optional Idempotency-Key header',
        params: awardParams,
        body: cancelAwardInput,
        response: { 200: awardSchema },
      },
    },
    async (req) => oncePerKey(db(), req, `award_cancel:${req.params.awardId}`, () => money.cancelOne(db(), req.actor!, req.params.id, req.params.awardId, req.body)),
  );
};
