import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { PROGRAMMES_READ, PROGRAMMES_WRITE } from '../programme/programme.access';
import * as money from './donors.service';
import { listAwards, readLedger } from '../programme/ledger.service';
import { oncePerKey } from '../programme/confirm';
import {
  balanceSchema,
  idParams,
} from '../programme/programme.schemas';
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

/** A programme's money: donors, pledges, receipts, refunds, the ledger, hand-made awards. */
export const moneyRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

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
