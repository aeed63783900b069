/** SQL of gifts and vouchers (issue 20 item 5): the incentives, a voucher by its code, a campaign's ledger. */
import { sql, type Kysely, type Selectable } from 'kysely';
import type { DB, IncentiveTable } from '../../db/schema';
import { communeInScope, type CommuneScope } from '../../db/scope';

export type IncentiveRow = Selectable<IncentiveTable>;

const columns = [
  'i.householdId',
  'i.id',
  'i.personId',
  'i.communeCode',
  'i.kind',
  'i.description',
  'i.value',
  'i.sponsor',
  'i.campaignId',
  'i.eventId',
  'i.code',
  'i.expiresOn',
  'i.issuedOn',
  'i.issuedBy',
  'i.redeemedAt',
  'i.redeemedBy',
  'i.redeemedCardId',
  'i.createdAt',
] as const;

const normal = (r: IncentiveRow): IncentiveRow => ({
  ...r,
  value: Number(r.value),
  expiresOn: r.expiresOn === null ? null : String(r.expiresOn).slice(0, 10),
  issuedOn: String(r.issuedOn).slice(0, 10),
});

export async function insertIncentive(db: Kysely<DB>, values: Omit<IncentiveRow, 'createdAt' | 'redeemedAt' | 'redeemedBy' | 'redeemedCardId'>): Promise<void> {
  await db.insertInto('incentive').values(values).execute();
}

export async function codeTaken(db: Kysely<DB>, code: string): Promise<boolean> {
  return !!(await db.selectFrom('incentive').select('id').where('code', '=', code).executeTakeFirst());
}

/** A voucher by its code, in the scope. */
export async function findVoucher(db: Kysely<DB>, code: string, scope: CommuneScope): Promise<IncentiveRow | undefined> {
  const r = await db.selectFrom('incentive as i').select(columns).where('i.code', '=', code).where(communeInScope('i.commune_code', scope)).executeTakeFirst();
  return r && normal(r);
}

/** Marks a voucher redeemed unless it already is (then false: someone else was first). */
export async function redeem(db: Kysely<DB>, householdId: string, id: string, by: string, cardId: string | null): Promise<boolean> {
  const r = await db
    .updateTable('incentive')
    .set({ redeemedAt: sql`now()`, redeemedBy: by, redeemedCardId: cardId })
    .where('householdId', '=', householdId)
    .where('id', '=', id)
    .where('redeemedAt', 'is', null)
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** Incentives in the scope, of a person or of a campaign, newest first. */
export async function listIncentives(db: Kysely<DB>, scope: CommuneScope, filter: { personId?: string; campaignId?: string }): Promise<IncentiveRow[]> {
  let q = db.selectFrom('incentive as i').select(columns).where(communeInScope('i.commune_code', scope));
  if (filter.personId) q = q.where('i.personId', '=', filter.personId);
  if (filter.campaignId) q = q.where('i.campaignId', '=', filter.campaignId);
  return (await q.orderBy('i.issuedOn', 'desc').orderBy('i.createdAt', 'desc').limit(5000).execute()).map(normal);
}

/**
 * A campaign's incentive ledger in the scope, per kind: issued, redeemed, expired (a voucher not redeemed
 * whose last day is before `today`) and outstanding; each as a count and a value in dong.
 */
export async function ledger(db: Kysely<DB>, scope: CommuneScope, campaignId: string, today: string) {
  const r = await sql<{ kind: string; issued: number; issuedValue: string; redeemed: number; redeemedValue: string; expired: number; expiredValue: string }>`
    select kind, count(*)::int as issued, coalesce(sum(value), 0)::text as "issuedValue",
      count(*) filter (where redeemed_at is not null)::int as redeemed, coalesce(sum(value) filter (where redeemed_at is not null), 0)::text as "redeemedValue",
      count(*) filter (where redeemed_at is null and expires_on < ${today}::date)::int as expired,
      coalesce(sum(value) filter (where redeemed_at is null and expires_on < ${today}::date), 0)::text as "expiredValue"
    from incentive where campaign_id = ${campaignId}::uuid and ${communeInScope('commune_code', scope)}
    group by kind order by kind`.execute(db);
  return r.rows.map((x) => ({ kind: x.kind, issued: x.issued, issuedValue: Number(x.issuedValue), redeemed: x.redeemed, redeemedValue: Number(x.redeemedValue), expired: x.expired, expiredValue: Number(x.expiredValue) }));
}

/** Is `cardId` a card of the person? */
export async function cardOfPerson(db: Kysely<DB>, householdId: string, personId: string, cardId: string): Promise<boolean> {
  return !!(await db.selectFrom('card').select('id').where('householdId', '=', householdId).where('personId', '=', personId).where('id', '=', cardId).executeTakeFirst());
}
