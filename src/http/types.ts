import type { Actor, Permission } from '../domain/access';
import type { Language } from '../i18n/index';
import type { Kysely } from 'kysely';
import type { Database } from '../db/connect';
import type { DB } from '../db/schema';

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
    /**
     * The database for this request's read-only views (dashboards, public pages, exports, lists): the
     * read replica when it is set, usable and has this requester's last change; else the primary.
     * Never write through it (see plugins/reads.ts).
     */
    readonly reads: Kysely<DB>;
  }
  interface FastifyInstance {
    database: Database;
    /** Forget a session at logout (identities are cached for a few seconds, see plugins/auth.ts). */
    forgetSession(sessionId: string): void;
  }
}

export {};
