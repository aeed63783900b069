import { PassThrough } from 'node:stream';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInVietnam } from '../../domain/dates';
import * as register from './register.service';
import { REGISTER_READ, REGISTER_WRITE } from './register.service';
import { attachment } from '../../http/attachment';
import { CONTENT_TYPES, exportFileName, prepareExport, writeTemplate } from './export.service';
import {
  cardSchema,
  createCardInput,
  createHouseholdInput,
  createPersonInput,
  duplicateGroupSchema,
  duplicatesQuery,
  exportQuery,
  householdListItemSchema,
  householdListQuery,
  householdPageSchema,
  householdSchema,
  idParams,
  personSchema,
  personSearchItemSchema,
  personSearchQuery,
  updateCardInput,
  updateHouseholdInput,
  updatePersonInput,
  createVsiPeriodInput,
  vsiPeriodSchema,
  vsiPeriodsQuery,
} from './register.schemas';

const tags = ['register'];
const list = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), total: z.number() });

/** The population register: browse, edit, duplicates, export, and the import template. */
export const registerRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  // ------------------------------------------------------------------------------------------ persons
  app.get(
    '/api/register/persons',
    {
      config: { permission: REGISTER_READ },
      schema: {
        tags,
        summary:
          'Search persons in your scope: by name without diacritics (every word must occur), or by citizen id / insurance code when q is digits; ?unit narrows to a province, commune or village',
        querystring: personSearchQuery,
        response: { 200: list(personSearchItemSchema) },
      },
    },
    async (req) => register.searchPersons(req.reads, req.actor!, req.query, todayInVietnam()),
  );

  app.post(
    '/api/register/persons',
    {
      config: { permission: REGISTER_WRITE },
      schema: { tags, summary: 'Add a person to a household (groups start today; audited)', body: createPersonInput, response: { 201: personSchema } },
    },
    async (req, reply) => reply.status(201).send(await register.createPerson(db(), req.actor!, req.body, todayInVietnam())),
  );

  app.patch(
    '/api/register/persons/:id',
    {
      config: { permission: REGISTER_WRITE },
      schema: {
        tags,
        summary: 'Change a person; groups added start today and groups removed end today; a new householdId moves them with their cards (audited)',
        params: idParams,
        body: updatePersonInput,
        response: { 200: personSchema },
      },
    },
    async (req) => register.updatePerson(db(), req.actor!, req.params.id, req.body, todayInVietnam()),
  );

  app.delete(
    '/api/register/persons/:id',
    { config: { permission: REGISTER_WRITE }, schema: { tags, summary: 'Delete a person with their group history and cards (audited)', params: idParams } },
    async (req, reply) => {
      await register.deletePerson(db(), req.actor!, req.params.id);
      return reply.status(204).send();
    },
  );

  // --------------------------------------------------------------------------------------- households
  app.get(
    '/api/register/households',
    {
      config: { permission: REGISTER_READ },
      schema: {
        tags,
        summary: "Households in your scope (or of ?unit), by household code or a member's name (?q): code, village, address, poverty status, member count",
        querystring: householdListQuery,
        response: { 200: list(householdListItemSchema) },
      },
    },
    async (req) => register.listHouseholds(req.reads, req.actor!, req.query),
  );

  app.get(
    '/api/register/households/:id',
    {
      config: { permission: REGISTER_READ },
      schema: {
        tags,
        summary: 'A household with its members, each with every card (newest first) and their participant-group history',
        params: idParams,
        response: { 200: householdPageSchema },
      },
    },
    async (req) => register.getHousehold(db(), req.actor!, req.params.id),
  );

  app.post(
    '/api/register/households',
    {
      config: { permission: REGISTER_WRITE },
      schema: { tags, summary: 'Create a household (code unique in the commune; audited)', body: createHouseholdInput, response: { 201: householdSchema } },
    },
    async (req, reply) => reply.status(201).send(await register.createHousehold(db(), req.actor!, req.body)),
  );

  app.patch(
    '/api/register/households/:id',
    {
      config: { permission: REGISTER_WRITE },
      schema: { tags, summary: 'Change a household (audited)', params: idParams, body: updateHouseholdInput, response: { 200: householdSchema } },
    },
    async (req) => register.updateHousehold(db(), req.actor!, req.params.id, req.body),
  );

  app.delete(
    '/api/register/households/:id',
    { config: { permission: REGISTER_WRITE }, schema: { tags, summary: 'Delete an empty household (audited); one with members is a conflict', params: idParams } },
    async (req, reply) => {
      await register.deleteHousehold(db(), req.actor!, req.params.id);
      return reply.status(204).send();
    },
  );

  // -------------------------------------------------------------------------------------------- cards
  app.post(
    '/api/register/cards',
    {
      config: { permission: REGISTER_WRITE },
      schema: { tags, summary: "Record a person's card by hand (source 'manual'; audited)", body: createCardInput, response: { 201: cardSchema } },
    },
    async (req, reply) => reply.status(201).send(await register.createCard(db(), req.actor!, req.body)),
  );

  app.patch(
    '/api/register/cards/:id',
    {
      config: { permission: REGISTER_WRITE },
      schema: { tags, summary: 'Correct a card (group, dates, number; audited)', params: idParams, body: updateCardInput, response: { 200: cardSchema } },
    },
    async (req) => register.updateCard(db(), req.actor!, req.params.id, req.body),
  );

  app.delete(
    '/api/register/cards/:id',
    { config: { permission: REGISTER_WRITE }, schema: { tags, summary: 'Delete a card (audited)', params: idParams } },
    async (req, reply) => {
      await register.deleteCard(db(), req.actor!, req.params.id);
      return reply.status(204).send();
    },
  );

  // ------------------------------------------------------------------ voluntary social insurance periods
  app.get(
    '/api/register/vsi-periods',
    {
      config: { permission: REGISTER_READ },
      schema: {
        tags,
        summary: "A person's voluntary social insurance (BHXH tự nguyện) participation periods, newest first",
        querystring: vsiPeriodsQuery,
        response: { 200: z.object({ items: z.array(vsiPeriodSchema) }) },
      },
    },
    async (req) => ({ items: await register.listVsiPeriods(db(), req.actor!, req.query) }),
  );

  app.post(
    '/api/register/vsi-periods',
    {
      config: { permission: REGISTER_WRITE },
      schema: {
        tags,
        summary:
          "Record a person's voluntary social insurance period by hand (source 'manual'; audited): monthly income from the rural poverty line to 20 x the base salary in force on validFrom, payment every 1, 3, 6 or 12 months; an overlapping period is a conflict",
        body: createVsiPeriodInput,
        response: { 201: vsiPeriodSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await register.createVsiPeriod(db(), req.actor!, req.body)),
  );

  app.delete(
    '/api/register/vsi-periods/:id',
    { config: { permission: REGISTER_WRITE }, schema: { tags, summary: 'Delete a voluntary social insurance period (audited)', params: idParams } },
    async (req, reply) => {
      await register.deleteVsiPeriod(db(), req.actor!, req.params.id);
      return reply.status(204).send();
    },
  );

  // ------------------------------------------------------------------------------- duplicates, export
  app.get(
    '/api/register/duplicates',
    {
      config: { permission: REGISTER_READ },
      schema: {
        tags,
        summary: 'Possible duplicates in your scope (or ?unit): the same citizen id or insurance code in two records, or the same name and birth date in one commune',
        querystring: duplicatesQuery,
        response: { 200: z.array(duplicateGroupSchema) },
      },
    },
    async (req) => register.findDuplicates(db(), req.actor!, req.query),
  );

  app.get(
    '/api/register/export',
    {
      config: { permission: REGISTER_READ },
      schema: {
        tags,
        summary:
          'Download the register of your scope (or ?unit) as .xlsx or .csv (UTF-8 with BOM): persons in the import template columns (re-importable; .xlsx with a second sheet of voluntary social insurance periods), households, cards, or vsi (the periods alone); headers in your language',
        querystring: exportQuery,
      },
    },
    async (req, reply) => {
      const actor = req.actor!;
      const job = await prepareExport(req.reads, actor, { ...req.query, language: req.lang });
      const out = new PassThrough();
      job.run(out).catch((e) => {
        req.log.error({ err: e }, 'register export failed');
        out.destroy(e);
      });
      return reply
        .header('content-type', job.contentType)
        .header('content-disposition', attachment(exportFileName(job.what, req.query.unit, actor, todayInVietnam(), job.format)))
        .header('cache-control', 'no-store')
        .send(out);
    },
  );

  app.get(
    '/api/register/template.xlsx',
    {
      config: { permission: 'public' },
      schema: { tags, summary: 'The empty import template (headers in your language, a guide sheet with each column, its meaning and an example)' },
    },
    async (req, reply) => {
      const out = new PassThrough();
      writeTemplate(out, req.lang).catch((e) => {
        req.log.error({ err: e }, 'template failed');
        out.destroy(e);
      });
      return reply
        .header('content-type', CONTENT_TYPES.xlsx)
        .header('content-disposition', attachment(req.lang === 'en' ? 'register-template.xlsx' : 'mau-nhap-so-ho.xlsx'))
        .send(out);
    },
  );
};
