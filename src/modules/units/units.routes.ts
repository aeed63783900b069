import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as units from './units.service';
import { createVillageInput, unitListQuery, unitSchema, updateVillageInput } from './units.schemas';

const codeParams = z.object({ code: z.string().min(1).max(40) });

export const unitsRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.get(
    '/api/units',
    {
      config: { permission: 'units:read' },
      schema: {
        tags: ['units'],
        summary: 'Provinces; or the children of ?parent; or units matching ?q (diacritics ignored); or the new commune(s) for a pre-2025 ?oldCode',
        querystring: unitListQuery,
        response: { 200: z.array(unitSchema.extend({ parentName: z.string().nullable().optional(), oldName: z.string().optional() })) },
      },
    },
    async (req) => {
      const { parent, q, oldCode } = req.query;
      const actor = req.actor!;
      if (oldCode !== undefined) return units.resolveOldCode(req.reads, actor, oldCode);
      if (q !== undefined) return units.searchUnits(req.reads, actor, q);
      if (parent !== undefined) return units.listChildren(req.reads, actor, parent);
      return units.listProvinces(req.reads, actor);
    },
  );

  app.get(
    '/api/units/:code',
    {
      config: { permission: 'units:read' },
      schema: {
        tags: ['units'],
        summary: 'A unit with its ancestors (province first)',
        params: codeParams,
        response: { 200: z.object({ unit: unitSchema, ancestors: z.array(unitSchema) }) },
      },
    },
    async (req) => units.getUnit(db(), req.actor!, req.params.code),
  );

  app.post(
    '/api/units',
    {
      config: { permission: 'units:write' },
      schema: { tags: ['units'], summary: 'Create a village (thôn, bản, tổ dân phố) under a commune', body: createVillageInput, response: { 201: unitSchema } },
    },
    async (req, reply) => reply.status(201).send(await units.createVillage(db(), req.actor!, req.body)),
  );

  app.patch(
    '/api/units/:code',
    {
      config: { permission: 'units:write' },
      schema: { tags: ['units'], summary: 'Rename a village or change its kind', params: codeParams, body: updateVillageInput, response: { 200: unitSchema } },
    },
    async (req) => units.updateVillage(db(), req.actor!, req.params.code, req.body),
  );

  app.delete(
    '/api/units/:code',
    {
      config: { permission: 'units:write' },
      schema: { tags: ['units'], summary: 'Delete a village', params: codeParams },
    },
    async (req, reply) => {
      await units.deleteVillage(db(), req.actor!, req.params.code);
      return reply.status(204).send();
    },
  );
};
