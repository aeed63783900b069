/** HTTP routes of the social insurance offices, unit profiles, health-care facilities and collectors. */
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import * as offices from './offices.service';
import * as facilities from './facilities.service';
import * as collectors from './collectors.service';
import {
  collectorListQuery,
  collectorSchema,
  createCollectorInput,
  createFacilityInput,
  createOfficeInput,
  facilityListQuery,
  facilitySchema,
  officeSchema,
  profileInput,
  profileSchema,
  updateCollectorInput,
  updateFacilityInput,
  updateOfficeInput,
} from './offices.schemas';

const codeParams = z.object({ code: z.string().min(1).max(40) });
const read = { permission: 'units:read' } as const;
const write = { permission: 'units:write' } as const;

export const officesRoutes: FastifyPluginAsyncZod = async (app) => {
  const db = () => app.database.db;

  app.get(
    '/api/offices',
    {
      config: read,
      schema: {
        tags: ['offices'],
        summary: 'Social insurance offices (of ?province), with the communes each serves and its profile',
        querystring: z.object({ province: z.string().max(10).optional() }).strict(),
        response: { 200: z.array(officeSchema) },
      },
    },
    async (req) => offices.listOffices(db(), req.actor!, req.query.province),
  );
  app.get(
    '/api/offices/:code',
    { config: read, schema: { tags: ['offices'], summary: 'One office', params: codeParams, response: { 200: officeSchema } } },
    async (req) => offices.getOffice(db(), req.actor!, req.params.code),
  );
  app.post(
    '/api/offices',
    {
      config: write,
      schema: {
        tags: ['offices'],
        summary: 'Create the provincial office (kind si_province, parent: the province) or a grassroots office (si_grassroots, parent: the provincial office)',
        body: createOfficeInput,
        response: { 201: officeSchema },
      },
    },
    async (req, reply) => reply.status(201).send(await offices.createOffice(db(), req.actor!, req.body)),
  );
  app.patch(
    '/api/offices/:code',
    {
      config: write,
      schema: { tags: ['offices'], summary: 'Rename an office, replace the communes it serves, change its profile', params: codeParams, body: updateOfficeInput, response: { 200: officeSchema } },
    },
    async (req) => offices.updateOffice(db(), req.actor!, req.params.code, req.body),
  );

  app.get(
    '/api/units/:code/profile',
    {
      config: read,
      schema: { tags: ['offices'], summary: "A unit's profile as forms print it (unit code issued by the social insurance office, tax code, address, phone, e-mail)", params: codeParams, response: { 200: profileSchema.nullable() } },
    },
    async (req) => offices.unitProfile(db(), req.actor!, req.params.code),
  );
  app.put(
    '/api/units/:code/profile',
    { config: write, schema: { tags: ['offices'], summary: "Set a unit's profile (fields left out keep their value)", params: codeParams, body: profileInput, response: { 200: profileSchema } } },
    async (req) => offices.setUnitProfile(db(), req.actor!, req.params.code, req.body),
  );

  app.get(
    '/api/facilities',
    {
      config: read,
      schema: { tags: ['offices'], summary: 'Initial health-care facilities (of ?province, matching ?q; ?all=true with inactive ones)', querystring: facilityListQuery, response: { 200: z.array(facilitySchema) } },
    },
    async (req) => facilities.listFacilities(db(), req.actor!, req.query),
  );
  app.post(
    '/api/facilities',
    { config: write, schema: { tags: ['offices'], summary: 'Add a facility to a province list', body: createFacilityInput, response: { 201: facilitySchema } } },
    async (req, reply) => reply.status(201).send(await facilities.createFacility(db(), req.actor!, req.body)),
  );
  app.patch(
    '/api/facilities/:code',
    { config: write, schema: { tags: ['offices'], summary: 'Rename a facility, change its address, make it inactive', params: codeParams, body: updateFacilityInput, response: { 200: facilitySchema } } },
    async (req) => facilities.updateFacility(db(), req.actor!, req.params.code, req.body),
  );

  app.get(
    '/api/collectors',
    {
      config: read,
      schema: { tags: ['offices'], summary: 'Collectors (đại lý thu, nhân viên thu) of ?office or of ?village; else those of your scope', querystring: collectorListQuery, response: { 200: z.array(collectorSchema) } },
    },
    async (req) => collectors.listCollectors(db(), req.actor!, req.query),
  );
  app.post(
    '/api/collectors',
    { config: write, schema: { tags: ['offices'], summary: 'Add a collector under an office, with the villages it serves', body: createCollectorInput, response: { 201: collectorSchema } } },
    async (req, reply) => reply.status(201).send(await collectors.createCollector(db(), req.actor!, req.body)),
  );
  app.patch(
    '/api/collectors/:code',
    { config: write, schema: { tags: ['offices'], summary: "Change a collector's name, phone, villages or make it inactive", params: codeParams, body: updateCollectorInput, response: { 200: collectorSchema } } },
    async (req) => collectors.updateCollector(db(), req.actor!, req.params.code, req.body),
  );
};
