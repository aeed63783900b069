import type { Actor, Permission } from '../domain/access';
import type { Language } from '../i18n/index';
import type { Database } from '../db/connect';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** What the route needs; every /api route must declare it (see plugins/auth.ts). */
    permission?: Permission;
  }
  interface FastifyRequest {
    actor?: Actor;
    lang: Language;
    /** Set when the request was authenticated by the session cookie (changes then need the CSRF token). */
    session?: { id: string; csrfToken: string };
  }
  interface FastifyInstance {
    database: Database;
    /** Forget a session at logout (identities are cached for a few seconds, see plugins/auth.ts). */
    forgetSession(sessionId: string): void;
  }
}

export {};
