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

/**
 * Sessions and tokens seen in the last 30 s, kept in memory: a request (such as an import's progress)
 * must not wait for the embedded database while an import holds it. Logout forgets at once.
 */
const CACHE_MS = 30_000;
type Identity = { actor: NonNullable<FastifyRequest['actor']>; csrfToken?: string; at: number };

export function registerAuth(app: FastifyInstance, routes: RouteRecord[]): void {
  const cache = new Map<string, Identity>();
  app.decorate('forgetSession', (sessionId: string) => cache.delete(`s:${sessionId}`));
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
    await identify(app, request, cache);
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

async function identify(app: FastifyInstance, request: FastifyRequest, cache: Map<string, Identity>): Promise<void> {
  if (!request.url.startsWith('/api') || request.url === '/api/health') return;
  const db = app.database.db;
  const now = Date.now();
  const auth = request.headers.authorization;
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  const sessionId = token ? undefined : request.cookies?.[SESSION_COOKIE];
  const key = token ? `t:${token}` : sessionId ? `s:${sessionId}` : undefined;
  if (!key) return;
  let identity = cache.get(key);
  if (!identity || now - identity.at > CACHE_MS) {
    cache.delete(key);
    const user = token ? await tokenUser(db, token) : await sessionUser(db, sessionId!, new Date(now));
    if (!user) return;
    identity = { actor: actorOf(user), csrfToken: 'csrfToken' in user ? user.csrfToken : undefined, at: now };
    if (cache.size > 10_000) cache.clear();
    cache.set(key, identity);
  }
  request.actor = identity.actor;
  if (sessionId) request.session = { id: sessionId, csrfToken: identity.csrfToken! };
}
