/**
 * Every change writes an audit row in the same transaction as the change: services call `audit(trx, ...)`
 * with the transaction they changed data in.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { can, type Actor } from '../../domain/access';
import { AppError } from '../../errors';
import { insertAudit, listAudit } from './audit.repository';

export interface Change {
  action: string;
  entity: string;
  entityId: string;
  unitCode?: string | null;
  before?: unknown;
  after?: unknown;
}

export function audit(trx: Kysely<DB>, actor: Actor, change: Change): Promise<void> {
  return insertAudit(trx, {
    actorId: actor.userId,
    actorName: actor.username,
    action: change.action,
    entity: change.entity,
    entityId: change.entityId,
    unitCode: change.unitCode ?? null,
    before: change.before ?? null,
    after: change.after ?? null,
  });
}

export async function readAudit(
  db: Kysely<DB>,
  actor: Actor,
  filter: { limit?: number; before?: Date; entity?: string; entityId?: string },
) {
  if (!can(actor, 'audit:read')) throw new AppError('forbidden');
  return listAudit(db, { ...filter, limit: Math.min(Math.max(filter.limit ?? 50, 1), 500) });
}
