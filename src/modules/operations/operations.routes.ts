/**
 * Backups over HTTP: the last backup for the admin page, and a backup made by the running server and sent
 * as the response (what `bin/coverdesk backup` uses while the server holds the embedded database).
 */
import { PassThrough } from 'node:stream';
import { timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { requirePermission, cliOperator, type Actor } from '../../domain/access';
import { AppError } from '../../errors';
import { CSRF_HEADER } from '../../http/plugins/auth';
import { backupToStream, lastBackup, recordBackup, type ServerConnection } from './backup.service';

/** The header by which the local CLI proves it may read the data directory (src/modules/operations/operator-key.ts). */
export const OPERATOR_KEY_HEADER = 'x-coverdesk-operator-key';

export interface OperationsOptions {
  connection: ServerConnection;
  /** The key in `<data dir>/operator.key` (embedded database only). */
  operatorKey?: string;
  /** Daily backups kept for this many days (0: none), shown on the admin page. */
  backupDays: number;
}

const lastBackupOut = z.object({
  backup: z
    .object({
      kind: z.enum(['manual', 'daily', 'before_upgrade']),
      file: z.string(),
      sizeBytes: z.number().int(),
      encrypted: z.boolean(),
      migration: z.string().nullable(),
      createdBy: z.string(),
      createdAt: z.date(),
    })
    .nullable(),
  backupDays: z.number().int(),
});

function sameKey(given: unknown, key: string | undefined): boolean {
  if (!key || typeof given !== 'string') return false;
  const a = Buffer.from(given);
  const b = Buffer.from(key);
  return a.length === b.length && timingSafeEqual(a, b);
}

export const operationsRoutes = (options: OperationsOptions): FastifyPluginAsyncZod =>
  async (app) => {
    app.get(
      '/api/operations/backups/last',
      { config: { permission: 'operations:backup' }, schema: { tags: ['operations'], summary: 'The last backup made (admins): when, its size and file', response: { 200: lastBackupOut } } },
      async (req) => ({ backup: await lastBackup(app.database, req.actor!), backupDays: options.backupDays }),
    );

    app.post(
      '/api/operations/backup',
      {
        // checked here: an admin (session or token), or the local operator's key
        config: { permission: 'public' },
        schema: {
          tags: ['operations'],
          summary: 'Make a backup now and send it (admins, or bin/coverdesk with the operator key); the server keeps answering meanwhile',
          body: z.object({ passphrase: z.string().min(1).max(1000).optional(), file: z.string().max(4096).optional() }).strict(),
        },
      },
      async (req, reply) => {
        let actor: Actor;
        if (sameKey(req.headers[OPERATOR_KEY_HEADER], options.operatorKey)) actor = cliOperator('operator');
        else {
          if (!req.actor) throw new AppError('unauthenticated');
          requirePermission(req.actor, 'operations:backup');
          if (req.session && req.headers[CSRF_HEADER] !== req.session.csrfToken) throw new AppError('csrf');
          actor = req.actor;
        }
        const now = new Date();
        const body = new PassThrough();
        backupToStream(app.database, options.connection, body, { passphrase: req.body.passphrase, now }).then(
          async (made) => {
            body.end();
            await recordBackup(app.database, actor, 'manual', { ...made, file: req.body.file ?? 'download' });
          },
          (e: unknown) => {
            req.log.error({ err: e }, 'backup failed');
            body.destroy(e as Error);
          },
        );
        const stamp = now.toISOString().slice(0, 19).replace(/:/g, '-');
        return reply
          .header('content-type', 'application/octet-stream')
          .header('content-disposition', `attachment; filename="coverdesk-${stamp}.coverdesk"`)
          .send(body);
      },
    );
  };
