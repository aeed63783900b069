/**
 * Assembles the HTTP server: plugins (cookies, OpenAPI, auth, errors), every module's routes, and the
 * built web app. `buildApp` does not listen, so tests use `app.inject()`.
 */
import fs from 'node:fs';
import path from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fastifyStatic from '@fastify/static';
import { jsonSchemaTransform, serializerCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import './types';
import type { Database } from '../db/connect';
import { PROJECT_ROOT } from '../config';
import { AppError } from '../errors';
import { issuesToFields } from '../validation';
import { registerAuth, type RouteRecord } from './plugins/auth';
import { errorBody, registerErrorHandling } from './plugins/errors';
import { registerReadRouting } from './plugins/reads';
import { translator } from '../i18n/index';
import { LoginThrottle } from '../modules/access/login-throttle';
import { accessRoutes } from '../modules/access/access.routes';
import { unitsRoutes } from '../modules/units/units.routes';
import { officesRoutes } from '../modules/offices/offices.routes';
import { outreachRoutes } from '../modules/outreach/outreach.routes';
import { campaignRoutes } from '../modules/campaigns/campaigns.routes';
import { simulatorRoutes } from '../modules/simulator/simulator.routes';
import { planRoutes } from '../modules/plans/plans.routes';
import { eventRoutes } from '../modules/events/events.routes';
import { remindersRoutes } from '../modules/reminders/reminders.routes';
import { auditRoutes } from '../modules/audit/audit.routes';
import { premiumRoutes } from '../modules/premium/premium.routes';
import { importRoutes } from '../modules/register/import.routes';
import { registerRoutes } from '../modules/register/register.routes';
import { coverageRoutes } from '../modules/coverage/coverage.routes';
import { figuresRoutes } from '../modules/coverage/figures.routes';
import { programmeRoutes } from '../modules/programmes/programme/programme.routes';
import { moneyRoutes } from '../modules/programmes/money/money.routes';
import { selectionRoutes } from '../modules/programmes/selection/selection.routes';
import { ImportJobs } from '../modules/register/import-jobs';
import multipart from '@fastify/multipart';
import { handoverRoutes } from '../modules/programmes/handover/handover.routes';
import { bankRoutes } from '../modules/programmes/bank/bank.routes';
import { publicProgrammeRoutes } from '../modules/programmes/handover/public.routes';
import { pledgeThrottle } from '../modules/programmes/handover/public.throttle';
import { operationsRoutes, type OperationsOptions } from '../modules/operations/operations.routes';
import { transparencyRoutes } from '../modules/programmes/transparency/transparency.routes';

const healthSchema = z.object({
  status: z.literal('ok'),
  engine: z.enum(['pglite', 'postgres']),
  replica: z
    .object({
      state: z.enum(['starting', 'used', 'lagging', 'unreachable', 'not_standby']),
      readsFrom: z.enum(['replica', 'primary']),
      lagSeconds: z.number().nullable(),
      maxLagSeconds: z.number(),
      checkedAt: z.string().nullable(),
      error: z.string().optional(),
      message: z.string(),
    })
    .optional(),
});

export const WEB_DIST = path.join(PROJECT_ROOT, 'web', 'dist');

export interface AppOptions {
  database: Database;
  logger?: boolean;
  /** Serve the built web app from this folder (default web/dist, when it exists). */
  webDist?: string | false;
  /**
   * Proxies to believe about the client's address and protocol (Fastify `trustProxy`; default none):
   * behind one, the login throttle counts the real client, and the session cookie is Secure when the
   * client came over HTTPS (X-Forwarded-Proto).
   */
  trustProxy?: boolean | string[];
  /** Backups: the server's connection for pg_dump, the local operator's key, the daily setting. */
  operations?: OperationsOptions;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance & { routeTable: RouteRecord[] }> {
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: 5 * 1024 * 1024,
    ajv: undefined,
    trustProxy: options.trustProxy ?? false,
  }).withTypeProvider<ZodTypeProvider>();
  const routeTable: RouteRecord[] = [];

  app.decorate('database', options.database);
  app.setValidatorCompiler(({ schema, httpPart }) => (data: unknown) => {
    const r = (schema as z.ZodType).safeParse(data);
    if (r.success) return { value: r.data };
    const where = httpPart === 'body' ? '' : `${httpPart}.`;
    const fields = issuesToFields(r.error.issues).map((f) => ({ ...f, path: `${where}${f.path}`.replace(/\.$/, '') }));
    return { error: new AppError('validation', {}, fields) as unknown as Error };
  });
  app.setSerializerCompiler(serializerCompiler);

  await app.register(cookie);
  await app.register(swagger, {
    openapi: {
      info: { title: 'coverdesk API', description: 'BHYT coverage campaigns: units, access, audit and more', version: '0.1.0' },
      components: {
        securitySchemes: {
          session: { type: 'apiKey', in: 'cookie', name: 'cd_session' },
          bearer: { type: 'http', scheme: 'bearer' },
        },
      },
      security: [{ session: [] }, { bearer: [] }],
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/api/docs' });

  registerAuth(app, routeTable);
  registerErrorHandling(app);
  registerReadRouting(app);

  app.get(
    '/api/health',
    {
      config: { permission: 'public' },
      schema: {
        tags: ['system'],
        summary:
          "Liveness: answers without touching the database. With a read replica (DATABASE_REPLICA_URL), its state from the last check: used, lagging (more than the allowed seconds behind) or unreachable; in the last two the reads fall back to the primary",
        response: { 200: healthSchema },
      },
    },
    async (req) => {
      const replica = options.database.replica?.status();
      if (!replica) return { status: 'ok' as const, engine: options.database.engine };
      const message = translator(req.lang)(`health.replica.${replica.state}`, { lag: replica.lagSeconds ?? '?', max: replica.maxLagSeconds });
      return { status: 'ok' as const, engine: options.database.engine, replica: { ...replica, message } };
    },
  );

  await app.register(accessRoutes(new LoginThrottle()));
  await app.register(unitsRoutes);
  await app.register(officesRoutes);
  await app.register(auditRoutes);
  await app.register(premiumRoutes);
  await app.register(registerRoutes);
  await app.register(coverageRoutes);
  await app.register(multipart);
  await app.register(figuresRoutes);
  await app.register(programmeRoutes);
  await app.register(moneyRoutes);
  await app.register(selectionRoutes);
  await app.register(importRoutes(new ImportJobs()));
  await app.register(handoverRoutes);
  await app.register(bankRoutes);
  await app.register(publicProgrammeRoutes(pledgeThrottle()));
  await app.register(transparencyRoutes());
  await app.register(outreachRoutes);
  await app.register(campaignRoutes);
  await app.register(simulatorRoutes);
  await app.register(planRoutes);
  await app.register(eventRoutes);
  await app.register(remindersRoutes);
  await app.register(operationsRoutes(options.operations ?? { connection: {}, backupDays: 0 }));

  const webDist = options.webDist === undefined ? WEB_DIST : options.webDist;
  const hasWeb = webDist !== false && fs.existsSync(path.join(webDist, 'index.html'));
  if (hasWeb) await app.register(fastifyStatic, { root: webDist, wildcard: false });
  // the field pages (phones, offline) are a build of their own under /field/, with their service worker
  const hasField = hasWeb && fs.existsSync(path.join(webDist, 'field', 'index.html'));

  app.setNotFoundHandler((request, reply) => {
    if (hasField && request.method === 'GET' && /^\/field(\/|$|\?)/.test(request.url)) {
      if (!request.url.startsWith('/field/')) return reply.redirect(request.url.replace(/^\/field/, '/field/'));
      return reply.sendFile('field/index.html');
    }
    if (!request.url.startsWith('/api') && hasWeb && request.method === 'GET') return reply.sendFile('index.html');
    return reply.status(404).send(errorBody(request.lang ?? 'vi', 'route_not_found'));
  });

  return Object.assign(app, { routeTable });
}
