/**
 * Who is asking (session cookie or bearer token), in which language, and may they? Every /api route
 * declares `config.permission`; a route without one is refused at registration.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { can, type Permission } from '../../domain/access';
import { AppError } from '../../errors';
import { DEFAULT_LANGUAGE, isLanguage, languageFromHeader } from '../../i18n/index';
import { actorOf, sessionUser, tokenUser } from '../../modules/access/access.service';

export const SESSION_COOKIE = 'cd_session';
export const LANG_COOKIE = 'cd_lang';
export const CSRF_HEADER = 'x-csrf-token';

/** Routes outside the API that need no permission: the web bundle and the OpenAPI pages. */
export const isApiRoute = (url: string) => url.startsWith('/api') && !url.startsWith('/api/docs');

export interface RouteRecord {
  method: string;
  url: string;
  permission?: Permission;
}

export function registerAuth(app: FastifyInstance, routes: RouteRecord[]): void {
  app.decorateRequest('actor', undefined);
  app.decorateRequest('session', undefined);
  app.decorateRequest('lang', DEFAULT_LANGUAGE);

  app.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const permission = route.config?.permission;
    for (const method of methods) routes.push({ method, url: route.url, permission });
    if (isApiRoute(route.url) && !permission) throw new Error(`route ${methods.join(',')} ${route.url} declares no permission`);
  });

  app.addHook('onRequest', async (request) => {
    await identify(app, request);
    const query = request.query as Record<string, unknown> | undefined;
    const chosen = [query?.lang, request.cookies?.[LANG_COOKIE]].find(isLanguage);
    request.lang = chosen ?? request.actor?.language ?? languageFromHeader(request.headers['accept-language']) ?? DEFAULT_LANGUAGE;
  });

  app.addHook('preHandler', async (request) => {
    const permission = request.routeOptions.config?.permission;
    if (!permission || permission === 'public') return;
    if (!request.actor) throw new AppError('unauthenticated');
    if (!can(request.actor, permission)) throw new AppError('forbidden');
    const changes = !['GET', 'HEAD', 'OPTIONS'].includes(request.method);
    if (changes && request.session && request.headers[CSRF_HEADER] !== request.session.csrfToken) throw new AppError('csrf');
  });
}

async function identify(app: FastifyInstance, request: FastifyRequest): Promise<void> {
  if (!request.url.startsWith('/api') || request.url === '/api/health') return;
  const db = app.database.db;
  const auth = request.headers.authorization;
  if (auth?.startsWith('Bearer ')) {
    const user = await tokenUser(db, auth.slice(7).trim());
    if (user) request.actor = actorOf(user);
    return;
  }
  const sessionId = request.cookies?.[SESSION_COOKIE];
  if (sessionId) {
    const user = await sessionUser(db, sessionId, new Date());
    if (user) {
      request.actor = actorOf(user);
      request.session = { id: sessionId, csrfToken: user.csrfToken };
    }
  }
}
