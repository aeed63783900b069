/**
 * Who is asking (session cookie or bearer token), in which language, and may they? Every /api route
 * declares `config.permission`; a route without one is refused at registration.
 */
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { can, type Permission } from '../../domain/access';
import { AppError } from '../../errors';
import { DEFAULT_LANGUAGE, isLanguage, languageFromHeader } from '../../i18n/index';
import { actorOf, onUserChange, sessionUser, tokenUser } from '../../modules/access/access.service';

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
 * Sessions and tokens seen in the last 30 s, kept in memory, on the embedded database only: a request
 * (such as an import's progress) must not wait for the embedded database while an import holds it. The
 * cache cannot go stale there: one process owns the embedded data directory (db/data-dir-lock.ts), and the
 * access service tells this process when it changes a user (role, scope, activity, password, sessions),
 * which forgets that user's identities at once; logout forgets its session. On a PostgreSQL server the
 * CLI or a second server may change users meanwhile, and nothing waits for an import, so every request
 * reads its session or token (see docs/decisions.md).
 */
const CACHE_MS = 30_000;
type Identity = { actor: NonNullable<FastifyRequest['actor']>; csrfToken?: string; at: number; expiresAt?: number };

interface IdentityCache {
  enabled: boolean;
  entries: Map<string, Identity>;
  /** Counts the users forgotten: an identity read while one was forgotten may be older than the change. */
  changes: number;
}

export function registerAuth(app: FastifyInstance, routes: RouteRecord[]): void {
  const cache: IdentityCache = { enabled: app.database.engine === 'pglite', entries: new Map(), changes: 0 };
  app.decorate('forgetSession', (sessionId: string) => {
    cache.entries.delete(`s:${sessionId}`);
    cache.changes++;
  });
  const unsubscribe = onUserChange((userId) => {
    for (const [key, identity] of cache.entries) if (identity.actor.userId === userId) cache.entries.delete(key);
    cache.changes++;
  });
  app.addHook('onClose', async () => {
    unsubscribe();
  });
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

async function identify(app: FastifyInstance, request: FastifyRequest, cache: IdentityCache): Promise<void> {
  if (!request.url.startsWith('/api') || request.url === '/api/health') return;
  const db = app.database.db;
  const now = Date.now();
  const auth = request.headers.authorization;
  const token = auth?.startsWith('Bearer ') ? auth.slice(7).trim() : undefined;
  const sessionId = token ? undefined : request.cookies?.[SESSION_COOKIE];
  const key = token ? `t:${token}` : sessionId ? `s:${sessionId}` : undefined;
  if (!key) return;
  let identity = cache.entries.get(key);
  if (!identity || now - identity.at > CACHE_MS || (identity.expiresAt !== undefined && now >= identity.expiresAt)) {
    cache.entries.delete(key);
    const changes = cache.changes;
    const user = token ? await tokenUser(db, token) : await sessionUser(db, sessionId!, new Date(now));
    if (!user) return;
    identity = {
      actor: actorOf(user),
      csrfToken: 'csrfToken' in user ? user.csrfToken : undefined,
      at: now,
      expiresAt: 'expiresAt' in user ? new Date(user.expiresAt).getTime() : undefined,
    };
    if (cache.enabled && cache.changes === changes) {
      if (cache.entries.size > 10_000) cache.entries.clear();
      cache.entries.set(key, identity);
    }
  }
  request.actor = identity.actor;
  if (sessionId) request.session = { id: sessionId, csrfToken: identity.csrfToken! };
}
