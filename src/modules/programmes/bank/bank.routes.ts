/** A programme's bank transfers: receiving accounts, a pledge's VietQR, statement import, lines, matches, undo, report. */
import path from 'node:path';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { AppError } from '../../../errors';
import { todayInVietnam } from '../../../domain/dates';
import { qrDataUrl } from '../../../io/qr';
import { PROGRAMMES_READ, PROGRAMMES_WRITE } from '../programme/programme.access';
import { idParams } from '../programme/programme.schemas';
import * as bank from './bank.service';
import { pledgePaymentPdf, reconciliationPdf, reconciliationWorkbook } from './bank.report';
import { attachment } from '../../../http/attachment';
import {
  accountSchema,
  bankSchema,
  createAccountInput,
  importResultSchema,
  lineSchema,
  mappingInput,
  matchInput,
  matchSchema,
  paymentSchema,
  reportSchema,
  undoInput,
} from './bank.schemas';

const tags = ['programmes'];
const items = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
const flag = z.enum(['true', 'false', '1', '0']).optional().transform((v) => v === 'true' || v === '1');

export const bankRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.get(
    '/api/banks',
    { config: { permission: PROGRAMMES_READ }, schema: { tags, summary: 'Banks of the NAPAS VietQR network with their BINs', response: { 200: items(bankSchema) } } },
    async () => ({ items: [...bank.listBanks()] }),
  );

  app.get(
    '/api/programmes/:id/bank-accounts',
    { config: { permission: PROGRAMMES_READ }, schema: { tags, summary: "The programme's receiving bank accounts", params: idParams, response: { 200: items(accountSchema) } } },
    async (req) => ({ items: await bank.listAccounts(db(), req.actor!, req.params.id) }),
  );

  app.post(
    '/api/programmes/:id/bank-accounts',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: { tags, summary: 'Add a receiving account: NAPAS bank BIN, account number and name, optional own statement columns (audited)', params: idParams, body: createAccountInput, response: { 201: accountSchema } },
    },
    async (req, reply) => reply.status(201).send(await bank.addAccount(db(), req.actor!, req.params.id, req.body)),
  );

  app.put(
    '/api/programmes/:id/bank-accounts/:accountId/mapping',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: { tags, summary: "Set or remove an account's own statement columns (audited)", params: z.object({ id: z.uuid(), accountId: z.uuid() }).strict(), body: mappingInput, response: { 200: accountSchema } },
    },
    async (req) => bank.setMapping(db(), req.actor!, req.params.id, req.params.accountId, req.body),
  );

  app.get(
    '/api/programmes/:id/pledges/:pledgeId/payment',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: "How to pay a pledge: the receiving account, the reference, the VietQR payload and its image (PNG data URL)", params: z.object({ id: z.uuid(), pledgeId: z.uuid() }).strict(), response: { 200: paymentSchema } },
    },
    async (req) => {
      const p = await bank.paymentOf(db(), req.actor!, req.params.id, req.params.pledgeId);
      return { ...p, qrPng: p.vietqr ? await qrDataUrl(p.vietqr) : null };
    },
  );

  app.get(
    '/api/programmes/:id/pledges/:pledgeId/payment.pdf',
    {
      config: { permission: PROGRAMMES_READ },
      schema: {
        tags,
        summary: "A pledge's payment details as a PDF to send the donor: amount, receiving account, reference and the VietQR code (?lang=en)",
        params: z.object({ id: z.uuid(), pledgeId: z.uuid() }).strict(),
        querystring: z.object({ lang: z.enum(['vi', 'en']).optional() }).strict(),
      },
    },
    async (req, reply) => {
      const { pdf, fileName } = await pledgePaymentPdf(db(), req.actor!, req.params.id, req.params.pledgeId, { today: todayInVietnam(), language: req.query.lang ?? req.lang });
      return reply.header('content-type', 'application/pdf').header('content-disposition', attachment(fileName)).send(pdf);
    },
  );

  app.post(
    '/api/programmes/:id/bank-statements',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary:
          'Import a bank statement (multipart, field "file", .xlsx or .csv) of ?accountId; ?layout (vietcombank, vietinbank, bidv, agribank, techcombank, mb, generic, mapping) else recognised. Lines already imported are duplicates; new lines are matched by reference. Bad input refuses the file (audited)',
        params: idParams,
        querystring: z.object({ accountId: z.uuid(), layout: z.string().max(40).optional() }).strict(),
        response: { 200: importResultSchema },
      },
    },
    async (req) => {
      if (!req.isMultipart()) throw new AppError('validation', {}, [{ path: 'file', key: 'required' }]);
      const part = await req.file({ limits: { fileSize: 20 * 1024 * 1024, files: 1 } });
      if (!part) throw new AppError('validation', {}, [{ path: 'file', key: 'required' }]);
      const ext = path.extname(part.filename).toLowerCase();
      const format = ext === '.xlsx' ? 'xlsx' : ext === '.csv' || ext === '.txt' ? 'csv' : undefined;
      if (!format) {
        part.file.resume();
        throw new AppError('validation', {}, [{ path: 'file', key: 'unreadable_file', params: { ns: 'bank' } }]);
      }
      const buffer = await part.toBuffer();
      return bank.importStatement(db(), req.actor!, req.params.id, { accountId: req.query.accountId, buffer, format, fileName: part.filename, layout: req.query.layout ?? null });
    },
  );

  app.get(
    '/api/programmes/:id/bank-lines',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: 'Statement lines (newest first) with matches, what is left, age and suggestions; ?unmatched=true', params: idParams, querystring: z.object({ unmatched: flag }).strict(), response: { 200: items(lineSchema) } },
    },
    async (req) => ({ items: await bank.listLines(db(), req.actor!, req.params.id, { unmatched: req.query.unmatched, today: todayInVietnam() }) }),
  );

  app.post(
    '/api/programmes/:id/bank-lines/:lineId/matches',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary: 'Match a line to pledges by hand (several parts = a split, at most what the line has left): a receipt per part through the ledger; confirm {count, amount} (audited)',
        params: z.object({ id: z.uuid(), lineId: z.uuid() }).strict(),
        body: matchInput,
        response: { 200: z.object({ lineId: z.string(), matched: z.number(), left: z.number(), matches: z.array(matchSchema) }) },
      },
    },
    async (req) => bank.matchByStaff(db(), req.actor!, req.params.id, req.params.lineId, req.body),
  );

  app.post(
    '/api/programmes/:id/bank-matches/:matchId/undo',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: {
        tags,
        summary: 'Undo a match: the receipt is reversed in the ledger (refused once it funded a card or was refunded); confirm {count: 1, amount} (audited)',
        params: z.object({ id: z.uuid(), matchId: z.uuid() }).strict(),
        body: undoInput,
        response: { 200: matchSchema },
      },
    },
    async (req) => bank.undoMatch(db(), req.actor!, req.params.id, req.params.matchId, req.body.confirm),
  );

  app.post(
    '/api/programmes/:id/bank-reconcile',
    {
      config: { permission: PROGRAMMES_WRITE },
      schema: { tags, summary: 'Match again, by reference, every line nothing is matched to (audited)', params: idParams, response: { 200: z.object({ matched: z.number(), suggested: z.number(), unmatched: z.number() }) } },
    },
    async (req) => bank.reconcile(db(), req.actor!, req.params.id),
  );

  app.get(
    '/api/programmes/:id/bank-report.xlsx',
    { config: { permission: PROGRAMMES_READ }, schema: { tags, summary: 'The reconciliation per day as a sheet (the totals last)', params: idParams } },
    async (req, reply) => {
      const { buffer, fileName } = await reconciliationWorkbook(db(), req.actor!, req.params.id, req.lang);
      return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', attachment(fileName)).send(buffer);
    },
  );

  app.get(
    '/api/programmes/:id/bank-report.pdf',
    {
      config: { permission: PROGRAMMES_READ },
      schema: { tags, summary: "The reconciliation per day as a PDF headed by the programme's office: totals, the verdict total = matched + unmatched, signatures (?lang=en)", params: idParams, querystring: z.object({ lang: z.enum(['vi', 'en']).optional() }).strict() },
    },
    async (req, reply) => {
      const { pdf, fileName } = await reconciliationPdf(db(), req.actor!, req.params.id, { today: todayInVietnam(), language: req.query.lang ?? req.lang });
      return reply.header('content-type', 'application/pdf').header('content-disposition', attachment(fileName)).send(pdf);
    },
  );

  app.get(
    '/api/programmes/:id/bank-report',
    { config: { permission: PROGRAMMES_READ }, schema: { tags, summary: 'Reconciliation per day: statement total = matched + unmatched', params: idParams, response: { 200: reportSchema } } },
    async (req) => bank.reconciliationReport(db(), req.actor!, req.params.id),
  );
};
