/**
 * HTTP routes of renewal reminders (issue 20 item 6): the list of a unit (grouped by village and by
 * collector), the CSV for the office's SMS or Zalo sender (GET: read only; POST with markSent: the lines
 * written are recorded as sent in the same request), marking a list as sent, and the renewal rate.
 * Permissions: outreach:read to read (a field worker: their groups' villages), outreach:manage to export and mark.
 */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInVietnam } from '../../domain/dates';
import { attachment } from '../../http/attachment';
import { exportCsv, markSent, renewalRate, reminderList } from './reminders.service';
import { exportQuery, markSentInput, markSentSchema, rateQuery, rateSchema, reminderListQuery, reminderListSchema } from './reminders.schemas';

const read = { permission: 'outreach:read' } as const;
const manage = { permission: 'outreach:manage' } as const;
const tags = ['reminders'];
const csvType = 'text/csv; charset=utf-8';

export const remindersRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.get(
    '/api/reminders',
    {
      config: read,
      schema: {
        tags,
        summary: 'Persons of ?unit whose latest BHYT card ends from ?date (today) to ?days (30) days later, not renewed and not reminded yet for this offset: masked name, amount, due date, where to pay, text; by village and by collector',
        querystring: reminderListQuery,
        response: { 200: reminderListSchema },
      },
    },
    async (req) => reminderList(req.reads, req.actor!, req.query, todayInVietnam(), req.lang),
  );
  app.get(
    '/api/reminders/export.csv',
    { config: manage, schema: { tags, summary: 'The list as CSV for an SMS/Zalo sender (phone, text, ...; those without a phone left out); nothing recorded', querystring: exportQuery.omit({ markSent: true }) } },
    async (req, reply) => {
      const r = await exportCsv(req.reads, req.actor!, { ...req.query, markSent: false }, todayInVietnam(), req.lang);
      return reply.header('content-type', csvType).header('content-disposition', attachment(r.fileName)).header('x-rows', String(r.rows)).send(r.csv);
    },
  );
  app.post(
    '/api/reminders/export',
    { config: manage, schema: { tags, summary: 'The CSV for the sender; markSent=true records its lines as sent (audited), each (card, end date, offset) once', body: exportQuery } },
    async (req, reply) => {
      const r = await exportCsv(db(), req.actor!, req.body, todayInVietnam(), req.lang);
      return reply
        .header('content-type', csvType)
        .header('content-disposition', attachment(r.fileName))
        .header('x-rows', String(r.rows))
        .header('x-recorded', String(r.marked?.recorded ?? 0))
        .send(r.csv);
    },
  );
  app.post(
    '/api/reminders/sent',
    {
      config: manage,
      schema: { tags, summary: 'Record the list of ?unit as sent (channel sms, zalo or a printed list): one journal row per card, end date and offset; audited', body: markSentInput, response: { 200: markSentSchema } },
    },
    async (req) => markSent(db(), req.actor!, req.body, todayInVietnam()),
  );
  app.get(
    '/api/reminders/rate',
    {
      config: read,
      schema: { tags, summary: 'Renewal rate of cards of ?unit that ended from ?from to ?to: renewed within ?within (30) days, reminded against not reminded', querystring: rateQuery, response: { 200: rateSchema } },
    },
    async (req) => renewalRate(db(), req.actor!, req.query, todayInVietnam()),
  );
};
