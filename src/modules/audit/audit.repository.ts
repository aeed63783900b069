import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';

export interface AuditEntry {
  actorId: string | null;
  actorName: string;
  action: string;
  entity: string;
  entityId: string;
  unitCode: string | null;
  before: unknown;
  after: unknown;
}

export async function insertAudit(db: Kysely<DB>, entry: AuditEntry): Promise<void> {
  await db
    .insertInto('auditLog')
    .values({
      id: randomUUID(),
      ...entry,
      before: entry.before === undefined ? null : JSON.stringify(entry.before),
      after: entry.after === undefined ? null : JSON.stringify(entry.after),
    })
    .execute();
}

export async function listAudit(
  db: Kysely<DB>,
  filter: { limit: number; before?: Date; entity?: string; entityId?: string; unitCodes?: string[] },
) {
  let q = db.selectFrom('auditLog').selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit);
  if (filter.before) q = q.where('at', '<', filter.before);
  if (filter.entity) q = q.where('entity', '=', filter.entity);
  if (filter.entityId) q = q.where('entityId', '=', filter.entityId);
  if (filter.unitCodes) q = q.where('unitCode', 'in', filter.unitCodes);
  return q.execute();
}
