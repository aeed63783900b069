/** SQL for donation programmes and their status history. */
import { sql, type Insertable, type Kysely, type Selectable, type Updateable } from 'kysely';
import type { DB, ProgrammeStatus, ProgrammeStatusChangeTable, ProgrammeTable } from '../../../db/schema';
import { communeUnder } from '../../../db/scope';

export type ProgrammeRow = Selectable<ProgrammeTable>;

/**
 * jsonb columns read as text: the CamelCasePlugin would rename the keys inside them
 * ({"ethnic_minority": 3} -> {"ethnicMinority": 3}); priorities and quotas keep their keys exactly.
 */
const jsonAsText = [sql<string>`p.priorities::text`.as('prioritiesText'), sql<string | null>`p.commune_quotas::text`.as('quotasText')] as const;

function withJson<T extends ProgrammeRow & { prioritiesText: string; quotasText: string | null }>(row: T): ProgrammeRow {
  const { prioritiesText, quotasText, ...rest } = row;
  return { ...rest, priorities: JSON.parse(prioritiesText), communeQuotas: quotasText === null ? null : JSON.parse(quotasText) };
}

export async function findProgramme(db: Kysely<DB>, id: string, lock = false): Promise<ProgrammeRow | undefined> {
  let q = db.selectFrom('programme as p').selectAll('p').select(jsonAsText).where('p.id', '=', id);
  if (lock) q = q.forUpdate();
  const row = await q.executeTakeFirst();
  return row && withJson(row);
}

export async function findProgrammeBySlug(db: Kysely<DB>, slug: string): Promise<ProgrammeRow | undefined> {
  const row = await db.selectFrom('programme as p').selectAll('p').select(jsonAsText).where('p.publicSlug', '=', slug).executeTakeFirst();
  return row && withJson(row);
}

export async function insertProgramme(db: Kysely<DB>, row: Insertable<ProgrammeTable>): Promise<ProgrammeRow> {
  await db
    .insertInto('programme')
    .values({ ...row, priorities: JSON.stringify(row.priorities), communeQuotas: row.communeQuotas === null || row.communeQuotas === undefined ? null : JSON.stringify(row.communeQuotas) })
    .execute();
  return (await findProgramme(db, row.id))!;
}

export async function updateProgramme(db: Kysely<DB>, id: string, patch: Updateable<ProgrammeTable>): Promise<ProgrammeRow> {
  const values: Updateable<ProgrammeTable> = { ...patch, updatedAt: sql<Date>`now()` as unknown as Date };
  if (patch.priorities !== undefined) values.priorities = JSON.stringify(patch.priorities);
  if (patch.communeQuotas !== undefined) values.communeQuotas = patch.communeQuotas === null ? null : JSON.stringify(patch.communeQuotas);
  await db.updateTable('programme').set(values).where('id', '=', id).execute();
  return (await findProgramme(db, id))!;
}

export async function setStatus(db: Kysely<DB>, id: string, status: ProgrammeStatus): Promise<void> {
  await db
    .updateTable('programme')
    .set({ status, updatedAt: sql<Date>`now()` as unknown as Date })
    .where('id', '=', id)
    .execute();
}

export async function insertStatusChange(db: Kysely<DB>, row: Insertable<ProgrammeStatusChangeTable>): Promise<void> {
  await db.insertInto('programmeStatusChange').values(row).execute();
}

export function listStatusChanges(db: Kysely<DB>, programmeId: string) {
  return db
    .selectFrom('programmeStatusChange')
    .select(['id', 'fromStatus', 'toStatus', 'actorName', 'at', 'note'])
    .where('programmeId', '=', programmeId)
    .orderBy('at')
    .orderBy('id')
    .execute();
}

/** Awards that keep a programme from stepping back (live awards, or those already past 'awarded'). */
export async function countAwards(db: Kysely<DB>, programmeId: string): Promise<{ live: number; beyondAwarded: number }> {
  const row = await db
    .selectFrom('award')
    .select([
      sql<number>`count(*) filter (where status <> 'cancelled')::int`.as('live'),
      sql<number>`count(*) filter (where status not in ('cancelled', 'awarded'))::int`.as('beyondAwarded'),
    ])
    .where('programmeId', '=', programmeId)
    .executeTakeFirstOrThrow();
  return row;
}

export interface ProgrammeListFilter {
  /** The actor's scope unit (null = everything). */
  scope: string | null;
  /** The scope unit and its ancestors: programmes whose area names one of them cover the scope. */
  scopeLineage: string[];
  /** May the actor see programmes whose area covers their scope though the owner is above it? */
  byArea: boolean;
  status?: ProgrammeStatus;
  q?: string;
}

/** Programmes in a scope: owned by the scope unit or a unit under it, or (byArea) whose area touches it. */
export async function listProgrammes(db: Kysely<DB>, filter: ProgrammeListFilter): Promise<ProgrammeRow[]> {
  let q = db.selectFrom('programme as p').selectAll('p').select(jsonAsText);
  if (filter.scope !== null) {
    const scope = filter.scope;
    q = q.where((eb) => {
      const owned = communeUnder('p.owner_unit_code', scope);
      if (!filter.byArea) return owned;
      return eb.or([
        owned,
        sql<boolean>`p.area_codes && ${sql.val(filter.scopeLineage)}::text[]`,
        sql<boolean>`exists (select 1 from unnest(p.area_codes) c where c like ${`${scope}.%`})`,
      ]);
    });
  }
  if (filter.status) q = q.where('p.status', '=', filter.status);
  if (filter.q) q = q.where(sql<boolean>`lower(p.name) like ${`%${filter.q.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`}`);
  return (await q.orderBy('p.createdAt', 'desc').orderBy('p.id').execute()).map(withJson);
}

// The programme's selection rounds: the approved one is withdrawn when the programme steps back from an approved list.

export async function findApprovedRound(db: Kysely<DB>, programmeId: string) {
  return db.selectFrom('selectionRound').selectAll().where('programmeId', '=', programmeId).where('status', '=', 'approved').executeTakeFirst();
}

export async function setRoundStatus(db: Kysely<DB>, roundId: string, status: 'approved' | 'discarded', decidedBy: string): Promise<void> {
  await db.updateTable('selectionRound').set({ status, decidedBy, decidedAt: new Date() }).where('id', '=', roundId).execute();
}
