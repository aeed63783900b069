import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { readAudit } from './audit.service';

const auditEntry = z.object({
  id: z.string(),
  at: z.date(),
  actorId: z.string().nullable(),
  actorName: z.string(),
  action: z.string(),
  entity: z.string(),
  entityId: z.string(),
  unitCode: z.string().nullable(),
  before: z.unknown(),
  after: z.unknown(),
});

export const auditRoutes: FastifyPluginAsyncZod = async (app) => {
  app.get(
    '/api/audit',
    {
      config: { permission: 'audit:read' },
      schema: {
        tags: ['audit'],
        summary: 'The audit log, newest first (admins)',
        querystring: z
          .object({
            limit: z.coerce.number().int().min(1).max(500).default(50),
            before: z.coerce.date().optional(),
            entity: z.string().max(40).optional(),
            entityId: z.string().max(100).optional(),
          })
          .strict(),
        response: { 200: z.object({ items: z.array(auditEntry) }) },
      },
    },
    async (req) => ({ items: await readAudit(app.database.db, req.actor!, req.query) }),
  );
};
