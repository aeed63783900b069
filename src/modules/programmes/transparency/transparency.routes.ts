import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { RateLimit } from '../../../domain/rate-limit';
import { attachment } from '../../../http/attachment';
import * as transparency from './transparency.service';
import { CHECK_LIMITS, type CheckThrottle } from './transparency.service';
import { donorCheckInput, donorCheckSchema, publicLedgerQuery, publicLedgerSchema } from './transparency.schemas';

const tags = ['public'];
const slugParams = z.object({ slug: z.string().max(100) });
const HOUR_MS = 60 * 60 * 1000;

export const newCheckThrottle = (): CheckThrottle => new RateLimit(CHECK_LIMITS, HOUR_MS);

/** The donor's self-check and the programme's public ledger (no login), read from the replica when there is one. */
export const transparencyRoutes =
  (throttle: CheckThrottle = newCheckThrottle()): FastifyPluginAsyncZod =>
  async (app) => {
    app.post(
      '/api/public/donor-check',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary:
            "A donor checks their own donation (no login): by the pledge's payment reference, or by the bank's transaction id with the exact amount. Answers when the money arrived, how much, the programme, and what it funded (cards, communes, people as initials and birth year, handovers with minutes numbers); nothing about the donor or other donors. 20 look-ups per address per hour",
          body: donorCheckInput,
          response: { 200: donorCheckSchema },
        },
      },
      async (req) => transparency.donorCheck(req.reads, throttle, req.body, { ip: req.ip, now: new Date() }),
    );

    app.get(
      '/api/public/programmes/:slug/ledger',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary:
            "A programme's public ledger, newest first, 100 rows a page: every receipt (the donor named only with their consent), payment to the social insurance office and refund; ?q= searches a donor's name, an amount or a date; totals of the whole ledger (equal to the programme's balance) and of what the search found",
          params: slugParams,
          querystring: publicLedgerQuery,
          response: { 200: publicLedgerSchema },
        },
      },
      async (req) => transparency.publicLedger(req.reads, req.params.slug, req.query),
    );

    app.get(
      '/api/public/programmes/:slug/ledger.csv',
      {
        config: { permission: 'public' },
        schema: {
          tags,
          summary: "The programme's whole public ledger as CSV (UTF-8 with BOM), oldest first, headers in the asker's language (?lang=en)",
          params: slugParams,
          querystring: z.object({ lang: z.enum(['vi', 'en']).optional() }).strict(),
        },
      },
      async (req, reply) => {
        const r = await transparency.publicLedgerCsv(req.reads, req.params.slug, req.query.lang ?? req.lang ?? 'vi');
        return reply.header('content-type', 'text/csv; charset=utf-8').header('content-disposition', attachment(r.fileName)).header('x-rows', String(r.rows)).send(r.csv);
      },
    );
  };
