/**
 * SQL for the public programme page: cards per commune and group, the masked beneficiaries (name and
 * birth date are read only to be masked), the donors who agreed to be named, the communes a pledge may
 * be earmarked to.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, DonorKind } from '../../../db/schema';

export function cardsByCommune(db: Kysely<DB>, programmeId: string) {
  return db
    .selectFrom('award as a')
    .innerJoin('unit as u', 'u.code', 'a.communeCode')
    .select([
      'a.communeCode',
      'u.name as communeName',
      sql<number>`count(*)::int`.as('cards'),
      sql<number>`count(*) filter (where a.status = 'handed_over')::int`.as('handedOver'),
      sql<number>`sum(a.amount)::bigint`.as('amount'),
    ])
    .where('a.programmeId', '=', programmeId)
    .where('a.status', '<>', 'cancelled')
    .groupBy(['a.communeCode', 'u.name'])
    .execute();
}

export function cardsByGroup(db: Kysely<DB>, programmeId: string) {
  return db
    .selectFrom('award as a')
    .select(['a.groupCode', sql<number>`count(*)::int`.as('cards'), sql<number>`count(*) filter (where a.status = 'handed_over')::int`.as('handedOver')])
    .where('a.programmeId', '=', programmeId)
    .where('a.status', '<>', 'cancelled')
    .groupBy('a.groupCode')
    .orderBy('a.groupCode')
    .execute();
}

export function beneficiaries(db: Kysely<DB>, programmeId: string) {
  return db
    .selectFrom('award as a')
    .innerJoin('person as p', (j) => j.onRef('p.householdId', '=', 'a.householdId').onRef('p.id', '=', 'a.personId'))
    .innerJoin('unit as u', 'u.code', 'a.communeCode')
    .select(['a.id', 'p.fullName', 'p.birthDate', 'a.communeCode', 'u.name as communeName', 'a.groupCode', 'a.status'])
    .where('a.programmeId', '=', programmeId)
    .where('a.status', '<>', 'cancelled')
    .execute();
}

/** Donors with money received in the programme (net of refunds), with their consent to be named. */
export async function donorsGiven(db: Kysely<DB>, programmeId: string) {
  const r = await sql<{ donorId: string; name: string; kind: DonorKind; publicConsent: boolean; given: number }>`
    select d.id as "donorId", d.name, d.kind, d.public_consent as "publicConsent",
      (coalesce(sum(r.amount), 0) - coalesce((select sum(f.amount) from refund f join receipt r2 on r2.id = f.receipt_id
        where r2.donor_id = d.id and r2.programme_id = ${programmeId}::uuid), 0))::bigint as given
    from receipt r join donor d on d.id = r.donor_id
    where r.programme_id = ${programmeId}::uuid and r.voided_at is null
    group by d.id, d.name, d.kind, d.public_consent`.execute(db);
  return r.rows;
}

/** Communes a public pledge may be earmarked to: those of the programme's area (or of its province). */
export async function earmarkCommunes(db: Kysely<DB>, areaKind: string, areaCodes: string[]) {
  if (areaCodes.length === 0) return [];
  const q = db.selectFrom('unit').select(['code', 'name']).where('level', '=', 'commune');
  const rows = areaKind === 'province' ? await q.where('parentCode', 'in', areaCodes).execute() : await q.where('code', 'in', areaCodes).execute();
  return rows;
}
