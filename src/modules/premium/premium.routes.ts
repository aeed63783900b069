import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as premium from './premium.service';
import {
  baseSalaryInput,
  baseSalaryRuleSchema,
  isoDate,
  localPolicyInput,
  localPolicySchema,
  participantGroupSchema,
  quoteInput,
  quoteSchema,
  rulesAnswerSchema,
  vsiQuoteInput,
  vsiQuoteSchema,
  vsiRulesAnswerSchema,
} from './premium.schemas';
import { todayInVietnam } from '../../domain/dates';

export const premiumRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.post(
    '/api/premium/quote',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['premium'],
        summary: 'What a BHYT card costs: per member the premium, state, local and participant (donor) shares and the card dates, with the rules used',
        body: quoteInput,
        response: { 200: quoteSchema },
      },
    },
    async (req) => premium.quote(db(), req.body),
  );

  app.post(
    '/api/premium/bhxh-tn/quote',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['premium'],
        summary:
          'What voluntary social insurance (BHXH tự nguyện) costs: per member 22% of the chosen income (default the lowest), the state, local and participant shares, with the rules used',
        body: vsiQuoteInput,
        response: { 200: vsiQuoteSchema },
      },
    },
    async (req) => premium.vsiQuote(db(), req.body),
  );

  app.get(
    '/api/premium/bhxh-tn/rules',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['premium'],
        summary: 'The voluntary social insurance rules in force on a date (default today), each with its legal source and uncertain flag',
        querystring: z.object({ date: isoDate.optional() }).strict(),
        response: { 200: vsiRulesAnswerSchema },
      },
    },
    async (req) => premium.vsiRulesOn(req.query.date ?? todayInVietnam()),
  );

  app.post(
    '/api/premium/quotes',
    { config: { permission: 'signed_in' }, schema: { tags: ['premium'], summary: 'Price and save a quote with the rule versions that priced it', body: quoteInput } },
    async (req, reply) => reply.status(201).send(await premium.saveQuote(db(), req.actor!, req.body)),
  );

  app.get(
    '/api/premium/quotes/:id',
    { config: { permission: 'signed_in' }, schema: { tags: ['premium'], summary: 'A saved quote, as it was priced (its creator and administrators only; 404 to others)', params: z.object({ id: z.uuid() }) } },
    async (req) => premium.getSavedQuote(db(), req.actor!, req.params.id),
  );

  app.get(
    '/api/premium/groups',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['premium'],
        summary: 'Participant groups in force on a date (default today)',
        querystring: z.object({ date: isoDate.optional() }).strict(),
        response: { 200: z.array(participantGroupSchema) },
      },
    },
    async (req) => premium.groupsOn(db(), req.query.date ?? todayInVietnam()),
  );

  app.get(
    '/api/premium/rules',
    {
      config: { permission: 'signed_in' },
      schema: {
        tags: ['premium'],
        summary: 'The rules in force on a date (default today), or their whole history with ?history=true; each with its legal source and uncertain flag',
        querystring: z.object({ date: isoDate.optional(), history: z.enum(['true', 'false']).optional() }).strict(),
        response: { 200: rulesAnswerSchema },
      },
    },
    async (req) =>
      req.query.history === 'true'
        ? { history: await premium.rulesHistory(db()) }
        : premium.rulesInForce(db(), req.query.date ?? todayInVietnam()),
  );

  app.post(
    '/api/premium/rules/base-salaries',
    {
      config: { permission: 'rules:manage' },
      schema: { tags: ['premium'], summary: 'Add a base salary from a date (admins; audited)', body: baseSalaryInput, response: { 201: baseSalaryRuleSchema } },
    },
    async (req, reply) => reply.status(201).send(await premium.addBaseSalary(db(), req.actor!, req.body)),
  );

  app.post(
    '/api/premium/rules/local-policies',
    {
      config: { permission: 'rules:manage' },
      schema: { tags: ['premium'], summary: 'Add a provincial support policy (admins; audited)', body: localPolicyInput, response: { 201: localPolicySchema } },
    },
    async (req, reply) => reply.status(201).send(await premium.addLocalPolicy(db(), req.actor!, req.body)),
  );
};
