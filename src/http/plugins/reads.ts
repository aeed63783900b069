/**
 * Where a request reads from, decided once for every route: `request.reads` is the Kysely for the
 * read-only views (dashboards, public pages, exports, lists), which is the read replica when one is set
 * and usable and the requester has no change the replica has not replayed yet; else the primary
 * (see src/db/replica.ts). A route that changes anything keeps using `app.database.db`.
 *
 * After every request that may change something (any method but GET, HEAD, OPTIONS) the requester (the
 * user, or the address of an anonymous one) is noted as a writer, before the answer goes out, so that its
 * next read sees its change.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Who reads or writes: the logged-in user, or the client's address. */
export function requester(request: FastifyRequest): string {
  return request.actor ? `user:${request.actor.userId}` : `ip:${request.ip}`;
}

export function registerReadRouting(app: FastifyInstance): void {
  const database = app.database;
  app.decorateRequest('reads', {
    getter(this: FastifyRequest) {
      return database.reads(requester(this));
    },
  });
  if (!database.replica) return;
  app.addHook('onSend', async (request, _reply, payload) => {
    if (!SAFE_METHODS.has(request.method) && request.url.startsWith('/api')) {
      // the primary did not say where it is (it is failing too): the answer still goes out
      await database.wrote(requester(request)).catch((e: unknown) => request.log.warn({ err: e }, 'read replica: could not note the write position'));
    }
    return payload;
  });
}
