/**
 * HTTP routes of the local support simulator (issue 21 item 5): simulate, saved scenarios (up to 3 per
 * unit), adopt one as a draft local-support rule, edit the draft, approve the rule, and the comparison as .xlsx and PDF.
 * Reading and simulating: units:read in the unit's scope; saving, adopting and editing a draft: units:write; approving:
 * rules:manage.
 */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { todayInVietnam } from '../../domain/dates';
import { attachment } from '../../http/attachment';
import * as simulator from './simulator.service';
import { scenariosPdf, scenariosWorkbook } from './simulator.report';
import { approveRuleInput, editRuleInput, ruleStatusSchema, saveScenarioInput, scenarioSchema, simulateInput, simulationSchema } from './simulator.schemas';

const read = { permission: 'units:read' } as const;
const write = { permission: 'units:write' } as const;
const rules = { permission: 'rules:manage' } as const;
const idParams = z.object({ id: z.string().min(1).max(80) });
const unitQuery = z.object({ unit: z.string().trim().min(1).max(20) });
const tags = ['simulator'];

export const simulatorRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.post(
    '/api/simulator/simulate',
    {
      config: read,
      schema: {
        tags,
        summary: 'What a provincial top-up of the premium for a group would cost and buy: persons, covered, budget cost per year, expected new participants, coverage before and after, cost per extra covered person (changes nothing)',
        body: simulateInput,
        response: { 200: simulationSchema },
      },
    },
    async (req) => simulator.simulate(db(), req.actor!, req.body, todayInVietnam(), req.lang),
  );
  app.get('/api/simulator/scenarios', { config: read, schema: { tags, summary: 'The saved scenarios of a unit, newest first (at most 3)', querystring: unitQuery, response: { 200: z.array(scenarioSchema) } } }, async (req) =>
    simulator.listScenarios(db(), req.actor!, req.query.unit),
  );
  app.post(
    '/api/simulator/scenarios',
    { config: write, schema: { tags, summary: 'Simulate and save a scenario (a unit keeps at most 3)', body: saveScenarioInput, response: { 201: scenarioSchema } } },
    async (req, reply) => reply.status(201).send(await simulator.saveScenario(db(), req.actor!, req.body, todayInVietnam(), req.lang)),
  );
  app.delete('/api/simulator/scenarios/:id', { config: write, schema: { tags, summary: 'Delete a saved scenario (a rule made from it stays)', params: idParams } }, async (req, reply) => {
    await simulator.deleteScenario(db(), req.actor!, req.params.id);
    return reply.status(204).send();
  });
  app.post(
    '/api/simulator/scenarios/:id/adopt',
    { config: write, schema: { tags, summary: 'Adopt a scenario: a draft local-support rule (it prices nothing until approved)', params: idParams, response: { 200: scenarioSchema } } },
    async (req) => simulator.adoptScenario(db(), req.actor!, req.params.id, req.lang),
  );
  app.patch(
    '/api/simulator/rules/:id',
    {
      config: write,
      schema: {
        tags,
        summary: 'Edit an adopted scenario’s draft rule before its approval: the top-up, the first day and months, the communes, the source (an approved rule cannot be changed: 409)',
        params: idParams,
        body: editRuleInput,
        response: { 200: ruleStatusSchema },
      },
    },
    async (req) => simulator.editRule(db(), req.actor!, req.params.id, req.body, todayInVietnam(), req.lang),
  );
  app.post(
    '/api/simulator/rules/:id/approve',
    {
      config: rules,
      schema: { tags, summary: 'Approve a draft local-support rule: the decision’s number becomes its source; quotes, door-to-door lists and allocations use it from `from`', params: idParams, body: approveRuleInput, response: { 200: ruleStatusSchema } },
    },
    async (req) => simulator.approveRule(db(), req.actor!, req.params.id, req.body),
  );
  app.get('/api/simulator/scenarios.xlsx', { config: read, schema: { tags, summary: 'The saved scenarios side by side as a table', querystring: unitQuery } }, async (req, reply) => {
    const { buffer, fileName } = await scenariosWorkbook(db(), req.actor!, req.query.unit, todayInVietnam(), req.lang);
    return reply.header('content-type', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').header('content-disposition', attachment(fileName)).send(buffer);
  });
  app.get('/api/simulator/scenarios.pdf', { config: read, schema: { tags, summary: 'A one-page brief of the saved scenarios, with the national-motto header', querystring: unitQuery } }, async (req, reply) => {
    const { pdf, fileName } = await scenariosPdf(db(), req.actor!, req.query.unit, todayInVietnam(), req.lang);
    return reply.header('content-type', 'application/pdf').header('content-disposition', attachment(fileName)).send(pdf);
  });
};
