/**
 * Routes of candidates, nominations, selection rounds, approval, the D03-TS list and issued cards
 * (issue 6 items 3-5), all under /api/programmes/:id/.
 */
import path from 'node:path';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyRequest } from 'fastify';
import { z } from 'zod';
import { todayInVietnam } from '../../../domain/dates';
import { AppError } from '../../../errors';
import { attachment } from '../../../http/attachment';
import * as candidates from './candidates.service';
import { SELECTION_READ, SELECTION_WRITE } from './candidates.service';
import * as selection from './selection.service';
import * as d03 from './d03.service';
import * as issue from './issue.service';
import { oncePerKey } from '../programme/confirm';
import {
  approvalSchema,
  candidateListSchema,
  confirmedNoteInput,
  unsubmitInput,
  candidatesQuery,
  idParams,
  issueCardsInput,
  issueImportQuery,
  issueImportSchema,
  issueResultSchema,
  issuedCardsSchema,
  nominateInput,
  nominationImportSchema,
  nominationSchema,
  personParams,
  roundDetailSchema,
  roundParams,
  roundQuery,
  roundSchema,
  runRoundInput,
  submissionSchema,
  uploadQuery,
} from './selection.schemas';

const tags = ['programmes'];
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });

/** The uploaded file (multipart field "file", .xlsx or .csv) in memory. */
async function upload(req: FastifyRequest): Promise<{ buffer: Buffer; format: 'csv' | 'xlsx' }> {
  if (!req.isMultipart()) throw new AppError('validation', {}, [{ path: 'file', key: 'required' }]);
  const part = await req.file({ limits: { fileSize: 50 * 1024 * 1024, files: 1 } });
  if (!part) throw new AppError('validation', {}, [{ path: 'file', key: 'required' }]);
  const ext = path.extname(part.filename).toLowerCase();
  const format = ext === '.xlsx' ? 'xlsx' : ext === '.csv' || ext === '.txt' ? 'csv' : undefined;
  if (!format) {
    part.file.resume();
    throw new AppError('validation', {}, [{ path: 'file', key: 'import_format' }]);
  }
  return { buffer: await part.toBuffer(), format };
}

export const selectionRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  // ------------------------------------------------------------------------------------------ candidates
  app.get(
    '/api/programmes/:id/candidates',
    {
      config: { permission: SELECTION_READ },
      schema: {
        tags,
        summary:
          "The programme's candidates: register persons of its area without a card for the period, and nominated persons, each with tags, cost, priority and status (eligible, already_covered, state_budget, no_priority, unpriceable); a summary by commune; ?commune, ?status, ?tag, ?limit, ?offset",
        params: idParams,
        querystring: candidatesQuery,
        response: { 200: candidateListSchema },
      },
    },
    async (req) => candidates.listCandidates(db(), req.actor!, req.params.id, req.query),
  );

  app.get(
    '/api/programmes/:id/nominations',
    {
      config: { permission: SELECTION_READ },
      schema: { tags, summary: 'Persons nominated by communes (those of your scope), with their tags', params: idParams, response: { 200: items(nominationSchema) } },
    },
    async (req) => ({ items: await candidates.listNominations(db(), req.actor!, req.params.id) }),
  );

  app.post(
    '/api/programmes/:id/nominations',
    {
      config: { permission: SELECTION_WRITE },
      schema: {
        tags,
        summary: 'Nominate register persons (ids, in your scope) with priority tags (codes like storm_victim or their labels); a person nominated again gets the new tags; audited',
        params: idParams,
        body: nominateInput,
        response: { 200: z.object({ nominated: z.number(), tags: z.array(z.string()) }) },
      },
    },
    async (req) => candidates.nominate(db(), req.actor!, req.params.id, req.body),
  );

  app.delete(
    '/api/programmes/:id/nominations/:personId',
    { config: { permission: SELECTION_WRITE }, schema: { tags, summary: 'Withdraw a nomination; audited', params: personParams } },
    async (req, reply) => {
      await candidates.removeNomination(db(), req.actor!, req.params.id, req.params.personId);
      return reply.status(204).send();
    },
  );

  app.post(
    '/api/programmes/:id/nominations/import',
    {
      config: { permission: SELECTION_WRITE },
      schema: {
        tags,
        summary:
          "Import a commune's nomination list (multipart, field \"file\", .xlsx or .csv): the register template plus a 'Nhóm ưu tiên' / 'tags' column. Unknown tags refuse the file; the persons go into the register (valid rows only) and are nominated; errors name row and column; ?dryRun=true",
        params: idParams,
        querystring: uploadQuery,
        response: { 200: nominationImportSchema },
      },
    },
    async (req) => {
      const file = await upload(req);
      return candidates.importNominations(app.database, req.actor!, req.params.id, file, { dryRun: req.query.dryRun, language: req.lang, today: todayInVietnam() });
    },
  );

  // ------------------------------------------------------------------------------------------ rounds
  app.get(
    '/api/programmes/:id/rounds',
    { config: { permission: SELECTION_READ }, schema: { tags, summary: 'Selection rounds, newest first', params: idParams, response: { 200: items(roundSchema) } } },
    async (req) => ({ items: await selection.listRounds(db(), req.actor!, req.params.id) }),
  );

  app.post(
    '/api/programmes/:id/rounds',
    {
      config: { permission: SELECTION_WRITE },
      schema: {
        tags,
        summary:
          "Run a selection round: the solver on the candidates with the programme's priorities and mode, the budget (default: the money available), priced on the purchase date; the candidates are frozen with their decision; audited",
        params: idParams,
        body: runRoundInput,
        response: { 201: roundSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await selection.runRound(app.database, req.actor!, req.params.id, req.body)),
  );

  app.get(
    '/api/programmes/:id/rounds/:roundId',
    {
      config: { permission: SELECTION_READ },
      schema: {
        tags,
        summary: 'A round with its frozen candidates (selected first, with reason, cost and priority), totals by commune and reason; ?commune, ?selected, ?limit, ?offset',
        params: roundParams,
        querystring: roundQuery,
        response: { 200: roundDetailSchema },
      },
    },
    async (req) => selection.getRound(db(), req.actor!, req.params.id, req.params.roundId, req.query),
  );

  app.post(
    '/api/programmes/:id/rounds/:roundId/approve',
    {
      config: { permission: SELECTION_WRITE },
      schema: {
        tags,
        summary:
          "Approve a proposed round (programme in 'selecting'): awards for the selected persons through the ledger, other proposed rounds discarded, programme to 'list_approved', in one transaction; 409 insufficient_funds writes nothing. confirm: { count, amount } of the awards, else 409 confirmation_required with error.details; optional Idempotency-Key header",
        params: roundParams,
        body: confirmedNoteInput.optional(),
        response: { 200: approvalSchema },
      },
    },
    async (req) =>
      oncePerKey(db(), req, `approve:${req.params.roundId}`, () => selection.approveRound(db(), req.actor!, req.params.id, req.params.roundId, req.body?.note, req.body?.confirm)),
  );

  app.post(
    '/api/programmes/:id/rounds/:roundId/discard',
    { config: { permission: SELECTION_WRITE }, schema: { tags, summary: 'Discard a proposed round; audited', params: roundParams, response: { 200: roundSchema } } },
    async (req) => selection.discardRound(db(), req.actor!, req.params.id, req.params.roundId),
  );

  // ------------------------------------------------------------------------------------------ D03-TS
  app.get(
    '/api/programmes/:id/candidates/state-budget.xlsx',
    {
      config: { permission: SELECTION_READ },
      schema: {
        tags,
        summary: 'The candidates the state budget pays in full (poor households, children under 6, ...), as an .xlsx to propose them for state-budget cards at the commune',
        params: idParams,
      },
    },
    async (req, reply) => {
      const out = await candidates.stateBudgetWorkbook(db(), req.actor!, req.params.id, { language: req.lang });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', attachment(out.fileName))
        .header('cache-control', 'no-store')
        .send(out.buffer);
    },
  );

  app.get(
    '/api/programmes/:id/d03.xlsx',
    {
      config: { permission: SELECTION_READ },
      schema: {
        tags,
        summary:
          "The list for the social insurance office (form D03-TS as amended by 490/QĐ-BHXH) of the programme's awards, from the editable template; refused with every incomplete row unless ?allowIncomplete=true (then flagged)",
        params: idParams,
        querystring: z.object({ allowIncomplete: z.enum(['true', 'false']).optional(), number: z.string().max(30).optional() }).strict(),
      },
    },
    async (req, reply) => {
      const out = await d03.d03Workbook(db(), req.actor!, req.params.id, { allowIncomplete: req.query.allowIncomplete === 'true', number: req.query.number });
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', attachment(out.fileName))
        .header('cache-control', 'no-store')
        .send(out.buffer);
    },
  );

  app.get(
    '/api/programmes/:id/d03/check',
    {
      config: { permission: SELECTION_READ },
      schema: {
        tags,
        summary: 'What the D03-TS list lacks before export: rows without a social insurance code, identity number, address, facility or collector; the unit code',
        params: idParams,
        response: {
          200: z.object({
            rows: z.number().int(),
            total: z.number().int(),
            headerMissing: z.array(z.literal('unitCode')),
            incomplete: z.array(z.object({ no: z.number().int(), awardId: z.string(), fullName: z.string(), commune: z.string(), missing: z.array(z.enum(d03.D03_REQUIRED)) })),
          }),
        },
      },
    },
    async (req) => d03.d03Check(db(), req.actor!, req.params.id),
  );

  app.put(
    '/api/programmes/:id/awards/facility',
    {
      config: { permission: SELECTION_WRITE },
      schema: {
        tags,
        summary: "Choose the initial health-care facility of awards not yet issued (null: the person's latest card's); audited",
        params: idParams,
        body: z.object({ awardIds: z.array(z.uuid()).min(1).max(5000), facilityCode: z.string().max(5).nullable() }).strict(),
        response: { 200: z.object({ changed: z.number().int() }) },
      },
    },
    async (req) => d03.setAwardsFacility(db(), req.actor!, req.params.id, req.body),
  );

  app.post(
    '/api/programmes/:id/d03/submit',
    {
      config: { permission: SELECTION_WRITE },
      schema: {
        tags,
        summary:
          "Submit the approved list to the social insurance office: the awards' payment in the ledger and the programme to 'submitted', in one transaction. confirm: { count, amount } of the live awards, else 409 confirmation_required with error.details; optional Idempotency-Key header",
        params: idParams,
        body: confirmedNoteInput.optional(),
        response: { 200: submissionSchema },
      },
    },
    async (req) => oncePerKey(db(), req, `submit:${req.params.id}`, () => d03.submitList(db(), req.actor!, req.params.id, req.body?.note, req.body?.confirm)),
  );

  app.post(
    '/api/programmes/:id/d03/unsubmit',
    {
      config: { permission: SELECTION_WRITE },
      schema: {
        tags,
        summary:
          "Withdraw the submitted list before any card is issued: every payment reversed through the ledger (paid -> awarded, the reason as memo), the programme back to 'list_approved', in one transaction; audited. reason required; confirm: { count, amount }, else 409 confirmation_required; optional Idempotency-Key header",
        params: idParams,
        body: unsubmitInput,
        response: { 200: z.object({ awards: z.number(), amount: z.number(), reversed: z.object({ count: z.number(), amount: z.number() }) }) },
      },
    },
    async (req) => oncePerKey(db(), req, `unsubmit:${req.params.id}`, () => d03.unsubmitList(db(), req.actor!, req.params.id, req.body.reason, req.body.confirm)),
  );

  // ------------------------------------------------------------------------------------------ issued cards
  app.get(
    '/api/programmes/:id/issued-cards',
    { config: { permission: SELECTION_READ }, schema: { tags, summary: 'The awards with their card (number, validity) once issued', params: idParams, response: { 200: issuedCardsSchema } } },
    async (req) => issue.listIssuedCards(db(), req.actor!, req.params.id),
  );

  app.post(
    '/api/programmes/:id/issued-cards',
    {
      config: { permission: SELECTION_WRITE },
      schema: {
        tags,
        summary:
          "Record issued cards: per award (by awardId, citizenId or insuranceCode) the card number and validity; each becomes a register card (source 'programme'); all or nothing; a card overlapping another card of the person is refused naming both, unless overlapReason says why (audited); when every award has its card the programme moves to 'cards_issued'. confirm: true or { count: the cards, amount: 0 }, else 409 confirmation_required",
        params: idParams,
        body: issueCardsInput,
        response: { 200: issueResultSchema },
      },
    },
    async (req) => oncePerKey(db(), req, `issue:${req.params.id}`, () => issue.recordIssuedCards(db(), req.actor!, req.params.id, req.body.cards, req.body.confirm)),
  );

  app.post(
    '/api/programmes/:id/issued-cards/import',
    {
      config: { permission: SELECTION_WRITE },
      schema: {
        tags,
        summary:
          "Import the list of cards the social insurance office returned (multipart, field \"file\", .xlsx or .csv): columns 'Số CCCD' or 'Mã số BHXH' (or 'Mã suất tặng'), 'Mã thẻ', 'Từ ngày', 'Đến ngày'; all or nothing, errors name row and column; a card overlapping another card of the person is refused unless ?overlapReason= says why (audited). ?confirm=true required (the programme may move to 'cards_issued')",
        params: idParams,
        querystring: issueImportQuery,
        response: { 200: issueImportSchema },
      },
    },
    async (req) =>
      issue.importIssuedCards(db(), req.actor!, req.params.id, await upload(req), {
        language: req.lang,
        confirm: req.query.confirm === 'true' ? true : null,
        ...(req.query.overlapReason ? { overlapReason: req.query.overlapReason } : {}),
      }),
  );
};
