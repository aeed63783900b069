/**
 * HTTP routes of outreach events (issue 20 item 4): the events of a unit or campaign with totals, an event
 * with its attendees and attribution, its attendees changed, evidence files uploaded (multipart, file
 * "file": JPEG, PNG or PDF, 10 MB at most, the type read from the bytes) and served to staff only.
 * Reading: units:read in scope; changing: units:write in scope.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInVietnam } from '../../domain/dates';
import { readEvidenceForm, sendEvidence } from '../../http/evidence-upload';
import { validationError } from '../../errors';
import * as events from './events.service';
import { attendeesInput, createEventInput, daysQuery, eventDetailSchema, eventListSchema, listQuery, updateEventInput } from './events.schemas';

const read = { permission: events.EVENTS_READ } as const;
const write = { permission: events.EVENTS_WRITE } as const;
const idParams = z.object({ id: z.string().min(1).max(40) });
const fileParams = z.object({ id: z.string().min(1).max(40), fileId: z.string().min(1).max(40) });
const tags = ['events'];
const maxMb = events.EVENT_FILE_MAX_BYTES / 1024 / 1024;

export const eventRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.get(
    '/api/events',
    {
      config: read,
      schema: {
        tags,
        summary: 'Outreach events of your scope, or of ?unit (a commune or province in it), or of ?campaign, in ?from..?to, latest first, with totals and the enrolments attributed within ?days (default 30)',
        querystring: listQuery,
        response: { 200: eventListSchema },
      },
    },
    async (req) => events.listEvents(db(), req.actor!, req.query),
  );
  app.post(
    '/api/events',
    {
      config: write,
      schema: {
        tags,
        summary: 'Record an outreach event: kind, date, commune (and village), place, organiser, campaign, attendance, leaflets, consultations, cost (dong), note, attendees (person ids); attendance of an event still to come is refused; audited',
        body: createEventInput,
        response: { 201: eventDetailSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await events.createEvent(db(), req.actor!, req.body, todayInVietnam())),
  );
  app.get(
    '/api/events/:id',
    { config: read, schema: { tags, summary: 'An event with its attendees (and who enrolled within ?days after it), its files', params: idParams, querystring: daysQuery, response: { 200: eventDetailSchema } } },
    async (req) => events.getEvent(db(), req.actor!, req.params.id, req.query.days),
  );
  app.patch(
    '/api/events/:id',
    { config: write, schema: { tags, summary: 'Change an event (attendees, when given, replace the list); audited', params: idParams, body: updateEventInput, response: { 200: eventDetailSchema } } },
    async (req) => events.updateEvent(db(), req.actor!, req.params.id, req.body, todayInVietnam()),
  );
  app.delete('/api/events/:id', { config: write, schema: { tags, summary: 'Delete an event (its attendees and files); audited', params: idParams } }, async (req, reply) => {
    await events.deleteEvent(db(), req.actor!, req.params.id);
    return reply.status(204).send();
  });
  app.post(
    '/api/events/:id/attendees',
    { config: write, schema: { tags, summary: 'Add and remove attendees: {add: [person id], remove: [person id]} (persons of the register in your scope); audited', params: idParams, body: attendeesInput, response: { 200: eventDetailSchema } } },
    async (req) => events.changeAttendees(db(), req.actor!, req.params.id, req.body, todayInVietnam()),
  );
  app.post(
    '/api/events/:id/files',
    {
      config: write,
      schema: { tags, summary: `Upload an evidence file: multipart form, file "file" (JPEG, PNG or PDF, at most ${maxMb} MB, the type read from its bytes); audited`, params: idParams, response: { 201: eventDetailSchema } },
    },
    async (req, reply) => {
      if (!req.isMultipart()) throw validationError([events.eventField('file', 'file_empty')]);
      const { file } = await readEvidenceForm(req, 'file', [], events.EVENT_EVIDENCE);
      return reply.status(201).send(await events.attachFile(db(), req.actor!, req.params.id, file));
    },
  );
  app.get('/api/events/:id/files/:fileId', { config: read, schema: { tags, summary: 'An evidence file of an event (staff who may see the event only)', params: fileParams } }, async (req, reply) => {
    const file = await events.fileOf(db(), req.actor!, req.params.id, req.params.fileId);
    return sendEvidence(reply, file);
  });
  app.delete(
    '/api/events/:id/files/:fileId',
    { config: write, schema: { tags, summary: 'Remove an evidence file; audited', params: fileParams, response: { 200: eventDetailSchema } } },
    async (req) => events.removeFile(db(), req.actor!, req.params.id, req.params.fileId),
  );
};
