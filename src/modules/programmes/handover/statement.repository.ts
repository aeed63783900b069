/**
 * SQL for donor statements: a donor's pledges, receipts and refunds in a programme, and the awards their
 * receipts funded (award_funding). Person rows are read for the masked name and the birth year only.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import { communeInScope, type CommuneScope } from '../../../db/scope';

export function findDonor(db: Kysely<DB>, id: string) {
  return db.selectFrom('donor').select(['id', 'ownerUnitCode', 'kind', 'name', 'publicConsent']).where('id', '=', id).executeTakeFirst();
}

export function pledgesOf(db: Kysely<DB>, programmeId: string, donorId: string) {
  return db
    .selectFrom('pledge as p')
    .leftJoin('unit as u', 'u.code', 'p.earmarkCommuneCode')
    .select(['p.id', 'p.amount', 'p.pledgedOn', 'p.status', 'p.source', 'p.earmarkCommuneCode', 'u.name as earmarkCommuneName', 'p.earmarkTag'])
    .where('p.programmeId', '=', programmeId)
    .where('p.donorId', '=', donorId)
    .orderBy('p.pledgedOn')
    .orderBy('p.createdAt')
    .execute();
}

export function receiptsOf(db: Kysely<DB>, programmeId: string, donorId: string) {
  return db
    .selectFrom('receipt as r')
    .select(['r.id', 'r.amount', 'r.receivedOn', 'r.method', 'r.reference'])
    .where('r.programmeId', '=', programmeId)
    .where('r.donorId', '=', donorId)
    .where('r.voidedAt', 'is', null)
    .orderBy('r.receivedOn')
    .orderBy('r.createdAt')
    .execute();
}

export function refundsOf(db: Kysely<DB>, programmeId: string, donorId: string) {
  return db
    .selectFrom('refund as f')
    .innerJoin('receipt as r', 'r.id', 'f.receiptId')
    .select(['f.id', 'f.receiptId', 'f.amount', 'f.refundedOn', 'f.reason'])
    .where('f.programmeId', '=', programmeId)
    .where('r.donorId', '=', donorId)
    .orderBy('f.refundedOn')
    .execute();
}

export interface FundedCardRow {
  awardId: string;
  fullName: string;
  birthDate: string;
  communeCode: string;
  communeName: string;
  groupCode: string;
  awardAmount: number;
  funded: number;
  status: string;
  cardTo: string | null;
  /** The handover's result: received, absent, refused; null (or expected) before the handover. */
  handoverResult: string | null;
}

/** Awards in the scope's communes funded (in part or whole) by the donor's receipts in the programme, with the amount funded. */
export function cardsFundedBy(db: Kysely<DB>, programmeId: string, donorId: string, scope: CommuneScope): Promise<FundedCardRow[]> {
  return db
    .selectFrom('awardFunding as af')
    .innerJoin('receipt as r', 'r.id', 'af.receiptId')
    .innerJoin('award as a', 'a.id', 'af.awardId')
    .innerJoin('person as p', (j) => j.onRef('p.householdId', '=', 'a.householdId').onRef('p.id', '=', 'a.personId'))
    .innerJoin('unit as u', 'u.code', 'a.communeCode')
    .leftJoin('handoverResult as hr', 'hr.awardId', 'a.id')
    .select([
      'hr.result as handoverResult',
      'a.id as awardId',
      'p.fullName',
      'p.birthDate',
      'a.communeCode',
      'u.name as communeName',
      'a.groupCode',
      'a.amount as awardAmount',
      sql<number>`sum(af.amount)::bigint`.as('funded'),
      'a.status',
      'a.cardTo',
    ])
    .where('r.programmeId', '=', programmeId)
    .where('r.donorId', '=', donorId)
    .where('a.status', '<>', 'cancelled')
    .where(communeInScope('a.commune_code', scope))
    .groupBy(['a.id', 'p.fullName', 'p.birthDate', 'a.communeCode', 'u.name', 'a.groupCode', 'a.amount', 'a.status', 'a.cardTo', 'hr.result'])
    .execute();
}

export interface DonorTotalsRow {
  donorId: string;
  name: string;
  kind: string;
  publicConsent: boolean;
  pledged: number;
  proposed: number;
  received: number;
  refunded: number;
  funded: number;
  cards: number;
}

/** Every donor with a pledge or a receipt in the programme, with their totals. */
export async function donorTotals(db: Kysely<DB>, programmeId: string): Promise<DonorTotalsRow[]> {
  const r = await sql<DonorTotalsRow>`
    with ids as (
      select donor_id from pledge where programme_id = ${programmeId}::uuid
      union select donor_id from receipt where programme_id = ${programmeId}::uuid and voided_at is null
    )
    select d.id as "donorId", d.name, d.kind, d.public_consent as "publicConsent",
      (select coalesce(sum(p.amount), 0)::bigint from pledge p where p.programme_id = ${programmeId}::uuid and p.donor_id = d.id and p.status = 'confirmed') as pledged,
      (select coalesce(sum(p.amount), 0)::bigint from pledge p where p.programme_id = ${programmeId}::uuid and p.donor_id = d.id and p.status = 'proposed') as proposed,
      (select coalesce(sum(r.amount), 0)::bigint from receipt r where r.programme_id = ${programmeId}::uuid and r.donor_id = d.id and r.voided_at is null) as received,
      (select coalesce(sum(f.amount), 0)::bigint from refund f join receipt r on r.id = f.receipt_id
        where f.programme_id = ${programmeId}::uuid and r.donor_id = d.id) as refunded,
      (select coalesce(sum(af.amount), 0)::bigint from award_funding af join receipt r on r.id = af.receipt_id join award a on a.id = af.award_id
        where r.programme_id = ${programmeId}::uuid and r.donor_id = d.id and a.status <> 'cancelled') as funded,
      (select count(distinct af.award_id)::int from award_funding af join receipt r on r.id = af.receipt_id join award a on a.id = af.award_id
        where r.programme_id = ${programmeId}::uuid and r.donor_id = d.id and a.status <> 'cancelled') as cards
    from donor d join ids on ids.donor_id = d.id`.execute(db);
  return r.rows;
}
