/**
 * HTTP routes of door to door (issue 19): working groups, the door-to-door list, visits (one, or a phone's
 * queue in a batch answered item by item), follow-ups, the review queue and the "every door" progress.
 * Permissions: outreach:read (every role; a field worker's groups only), outreach:visit (field workers,
 * commune officers, province staff, admins), outreach:manage (commune officers, province staff, admins).
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInVietnam } from '../../domain/dates';
import { attachment } from '../../http/attachment';
import { errorBody } from '../../http/plugins/errors';
import * as groups from './groups.service';
import { doorList, doorSheet, nominateFromList } from './doorlist.service';
import * as visits from './visits.service';
import * as reports from './reports.service';
import { progress, progressWorkbook } from './progress.service';
import {
  acceptReportInput,
  batchResultSchema,
  createGroupInput,
  doorListQuery,
  doorListSchema,
  followUpQuery,
  followUpSchema,
  groupListQuery,
  groupSchema,
  memberSchema,
  nominateInput,
  progressQuery,
  progressSchema,
  rejectReportInput,
  reportListQuery,
  reportSchema,
  updateGroupInput,
  visitBatchInput,
  visitInput,
  visitListQuery,
  visitSchema,
  workerListQuery,
} from './outreach.schemas';

const read = { permission: 'outreach:read' } as const;
const visit = { permission: 'outreach:visit' } as const;
const manage = { permission: 'outreach:manage' } as const;
const idParams = z.object({ id: z.string().min(1).max(40) });
const tags = ['outreach'];

export const outreachRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.get(
    '/api/outreach/groups',
    { config: read, schema: { tags, summary: 'Working groups you see (of ?unit; ?all=true with inactive ones); a field worker: their own', querystring: groupListQuery, response: { 200: z.array(groupSchema) } } },
    async (req) => groups.listGroups(db(), req.actor!, req.query),
  );
  app.post(
    '/api/outreach/groups',
    {
      config: manage,
      schema: { tags, summary: 'Create a working group of a commune: villages (codes), leader and members (ids or usernames), period', body: createGroupInput, response: { 201: groupSchema } },
    },
    async (req, reply) => reply.status(201).send(await groups.createGroup(db(), req.actor!, req.body)),
  );
  app.get('/api/outreach/groups/:id', { config: read, schema: { tags, summary: 'One working group', params: idParams, response: { 200: groupSchema } } }, async (req) =>
    groups.getGroup(db(), req.actor!, req.params.id),
  );
  app.patch(
    '/api/outreach/groups/:id',
    {
      config: manage,
      schema: { tags, summary: 'Change a group (villages and members are replaced when given; active=false ends it)', params: idParams, body: updateGroupInput, response: { 200: groupSchema } },
    },
    async (req) => groups.updateGroup(db(), req.actor!, req.params.id, req.body),
  );
  app.delete('/api/outreach/groups/:id', { config: manage, schema: { tags, summary: 'Delete a group that logged no visit (409 otherwise)', params: idParams } }, async (req, reply) => {
    await groups.deleteGroup(db(), req.actor!, req.params.id);
    return reply.status(204).send();
  });
  app.get(
    '/api/outreach/workers',
    { config: manage, schema: { tags, summary: 'Users who may join a commune’s groups (field workers and commune officers of the commune)', querystring: workerListQuery, response: { 200: z.array(memberSchema) } } },
    async (req) => groups.listWorkers(db(), req.actor!, req.query.commune),
  );

  app.get(
    '/api/outreach/groups/:id/doors',
    {
      config: read,
      schema: {
        tags,
        summary:
          'The door-to-door list: households of the group’s villages with someone uncovered, with a card ending within `days` (30) or never insured; village then household; per person the price of a `months` (12) card in household order and who pays, the stage, the last visit and open programmes to nominate for; each household’s `version` to send back with a visit',
        params: idParams,
        querystring: doorListQuery,
        response: { 200: doorListSchema },
      },
    },
    async (req) => doorList(req.reads, req.actor!, req.params.id, req.query, todayInVietnam(), req.lang),
  );
  app.get(
    '/api/outreach/groups/:id/doors.xlsx',
    {
      config: read,
      schema: { tags, summary: 'The door-to-door list as a sheet to print for the day: one row per person, the card, what the household pays, the last visit, columns to write today’s outcome', params: idParams, querystring: doorListQuery },
    },
    async (req, reply) => {
      const { buffer, fileName } = await doorSheet(req.reads, req.actor!, req.params.id, req.query, todayInVietnam(), req.lang);
      return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', attachment(fileName)).send(buffer);
    },
  );
  app.post(
    '/api/outreach/groups/:id/nominations',
    {
      config: visit,
      schema: {
        tags,
        summary: 'Nominate a person of the list for an open donation programme covering them (tags as codes or labels)',
        params: idParams,
        body: nominateInput,
        response: { 200: z.object({ nominated: z.number(), tags: z.array(z.string()) }) },
      },
    },
    async (req) => nominateFromList(db(), req.actor!, req.params.id, req.body),
  );

  app.post(
    '/api/outreach/visits',
    {
      config: visit,
      schema: {
        tags,
        summary:
          'Log a visit (201); the same clientId with the same content again answers the stored visit with duplicate=true (200); with other content 409, nothing overwritten. A person outside the group’s villages: 403',
        body: visitInput,
        response: { 200: visitSchema, 201: visitSchema },
      },
    },
    async (req, reply) => {
      const v = await visits.addVisit(db(), req.actor!, req.body);
      return reply.status(v.duplicate ? 200 : 201).send(v);
    },
  );
  app.post(
    '/api/outreach/visits/batch',
    {
      config: visit,
      // items are checked one by one by the service, each answered on its own (a bad item refuses that item only)
      validatorCompiler: () => (data: unknown) => ({ value: data }),
      schema: {
        tags,
        summary: `A phone’s queue (1 to 500 visits, each as POST /api/outreach/visits): answered item by item, in order, as stored, duplicate or refused (with the error); each stored on its own, so a resend after a cut stores nothing twice`,
        body: visitBatchInput,
        response: { 200: batchResultSchema },
      },
    },
    async (req) => {
      const r = await visits.addVisits(db(), req.actor!, req.body);
      return { ...r, results: r.results.map((x) => ({ ...x, error: x.error ? errorBody(req.lang, x.error.code, x.error.params, x.error.fields).error : null })) };
    },
  );
  app.get(
    '/api/outreach/visits',
    { config: read, schema: { tags, summary: 'Visits you see, newest first (?group, ?household, ?flagged=true: stored after the household changed)', querystring: visitListQuery, response: { 200: z.array(visitSchema) } } },
    async (req) => visits.listVisits(db(), req.actor!, req.query),
  );
  app.get(
    '/api/outreach/follow-ups',
    {
      config: read,
      schema: {
        tags,
        summary: 'Your follow-up queue (?member=ID, or ?all=true): promises due on or before ?date (today) and households or persons not at home, oldest first',
        querystring: followUpQuery,
        response: { 200: z.array(followUpSchema) },
      },
    },
    async (req) => visits.followUps(db(), req.actor!, req.query, todayInVietnam()),
  );

  app.get(
    '/api/outreach/reports',
    { config: read, schema: { tags, summary: 'Status reported from the field (moved away, deceased, insured elsewhere), ?status=pending by default', querystring: reportListQuery, response: { 200: z.array(reportSchema) } } },
    async (req) => reports.listReports(db(), req.actor!, req.query),
  );
  app.post(
    '/api/outreach/reports/:id/accept',
    {
      config: manage,
      schema: {
        tags,
        summary: 'Accept a report: the register changes (moved away, deceased: the person is removed; insured elsewhere: `card` is recorded), audited',
        params: idParams,
        body: acceptReportInput,
        response: { 200: reportSchema },
      },
    },
    async (req) => reports.acceptReport(db(), req.actor!, req.params.id, req.body),
  );
  app.post(
    '/api/outreach/reports/:id/reject',
    { config: manage, schema: { tags, summary: 'Reject a report (the register stays as it is)', params: idParams, body: rejectReportInput, response: { 200: reportSchema } } },
    async (req) => reports.rejectReport(db(), req.actor!, req.params.id, req.body),
  );

  app.get(
    '/api/outreach/progress',
    {
      config: read,
      schema: {
        tags,
        summary: '"Every door" progress of a unit on ?date (today): total, per commune or village, per group and per member (with their target of the year)',
        querystring: progressQuery,
        response: { 200: progressSchema },
      },
    },
    async (req) => progress(req.reads, req.actor!, req.query, todayInVietnam()),
  );
  app.get(
    '/api/outreach/progress.xlsx',
    { config: read, schema: { tags, summary: 'The progress as an .xlsx (headers in your language)', querystring: progressQuery } },
    async (req, reply) => {
      const { buffer, fileName } = await progressWorkbook(req.reads, req.actor!, req.query, todayInVietnam(), req.lang);
      return reply
        .header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
        .header('content-disposition', attachment(fileName))
        .send(buffer);
    },
  );
};
