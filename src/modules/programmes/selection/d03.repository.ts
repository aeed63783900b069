/**
 * SQL of the awards as the social insurance office's list shows them (D03-TS) and as the issued cards
 * are recorded against: each live award with the beneficiary's data as approved (the frozen round),
 * falling back to the register for awards made outside a round.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import { communeInScope, type CommuneScope } from '../../../db/scope';

export interface AwardLine {
  id: string;
  householdId: string;
  personId: string;
  communeCode: string;
  communeName: string | null;
  provinceName: string | null;
  villageCode: string | null;
  villageName: string | null;
  /** The award's facility, else the one on the person's latest card that names one. */
  facilityCode: string | null;
  facilityName: string | null;
  groupCode: string;
  amount: number;
  tags: string[];
  status: string;
  cardNumber: string | null;
  cardFrom: string | null;
  cardTo: string | null;
  cardId: string | null;
  fullName: string;
  birthDate: string;
  sex: string;
  citizenId: string | null;
  insuranceCode: string | null;
  address: string | null;
  householdCode: string | null;
  /** The person's coverage end as frozen by the approved round (null: none, or an award made by hand). */
  coveredUntil: string | null;
}

/** The live (not cancelled) awards of a programme in the scope's communes, by commune and name. */
export async function listAwardLines(db: Kysely<DB>, programmeId: string, scope: CommuneScope, awardIds?: string[]): Promise<AwardLine[]> {
  const only = awardIds ? sql`and a.id = any(${awardIds}::uuid[])` : sql``;
  const r = await sql<AwardLine>`
    select a.id, a.household_id as "householdId", a.person_id as "personId", a.commune_code as "communeCode", u.name as "communeName",
      pv.name as "provinceName", v.code as "villageCode", v.name as "villageName", f.code as "facilityCode", f.name as "facilityName", a.group_code as "groupCode", a.amount::bigint as amount, a.tags, a.status, a.card_number as "cardNumber",
      a.card_from::text as "cardFrom", a.card_to::text as "cardTo", a.card_id as "cardId",
      coalesce(sc.full_name, p.full_name, '') as "fullName", coalesce(sc.birth_date, p.birth_date)::text as "birthDate",
      coalesce(sc.sex, p.sex, '') as sex, coalesce(sc.citizen_id, p.citizen_id) as "citizenId",
      coalesce(sc.insurance_code, p.insurance_code) as "insuranceCode", coalesce(sc.address, h.address) as address,
      coalesce(sc.household_code, h.code) as "householdCode", sc.covered_until::text as "coveredUntil"
    from award a
    left join selection_candidate sc on sc.round_id = a.round_id and sc.person_id = a.person_id
    left join person p on p.household_id = a.household_id and p.id = a.person_id
    left join household h on h.id = a.household_id
    left join unit u on u.code = a.commune_code
    left join unit pv on pv.code = u.parent_code
    left join unit v on v.code = coalesce(sc.village_code, h.village_code)
    left join health_facility f on f.code = coalesce(a.facility_code,
      (select c.facility_code from card c where c.household_id = a.household_id and c.person_id = a.person_id and c.facility_code is not null
       order by c.valid_to desc limit 1))
    where a.programme_id = ${programmeId}::uuid and a.status <> 'cancelled' and ${communeInScope('a.commune_code', scope)} ${only}
    order by a.commune_code, coalesce(sc.full_name, p.full_name), a.id`.execute(db);
  return r.rows.map((x) => ({ ...x, amount: Number(x.amount) }));
}

/** The current register ids of the awarded persons (a citizen id added after approval still matches). */
export async function currentIds(db: Kysely<DB>, personIds: string[]) {
  if (personIds.length === 0) return [];
  return db.selectFrom('person').select(['id', 'citizenId', 'insuranceCode']).where('id', 'in', personIds).execute();
}

/** The register cards of persons (any source), to check a new card against (issue 16). */
export async function cardsOfPersons(db: Kysely<DB>, personIds: string[]) {
  if (personIds.length === 0) return [];
  return db
    .selectFrom('card')
    .select(['id', 'householdId', 'personId', 'number', 'groupCode', 'source', sql<string>`valid_from::text`.as('validFrom'), sql<string>`valid_to::text`.as('validTo')])
    .where('personId', 'in', personIds)
    .execute();
}

/** Sets the facility of live awards (null: back to the person's latest card's). */
export async function setAwardFacility(db: Kysely<DB>, programmeId: string, awardIds: string[], facilityCode: string | null): Promise<number> {
  if (awardIds.length === 0) return 0;
  const r = await db
    .updateTable('award')
    .set({ facilityCode, updatedAt: new Date() })
    .where('programmeId', '=', programmeId)
    .where('id', 'in', awardIds)
    .where('status', '<>', 'cancelled')
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export async function setAwardCard(db: Kysely<DB>, awardId: string, card: { cardId: string; cardNumber: string; cardFrom: string; cardTo: string }): Promise<void> {
  await db
    .updateTable('award')
    .set({ ...card, status: 'issued', updatedAt: new Date() })
    .where('id', '=', awardId)
    .execute();
}

export async function countLive(db: Kysely<DB>, programmeId: string): Promise<{ live: number; issued: number }> {
  const r = await sql<{ live: number; issued: number }>`
    select count(*)::int as live, count(*) filter (where card_id is not null)::int as issued
    from award where programme_id = ${programmeId}::uuid and status <> 'cancelled'`.execute(db);
  return { live: Number(r.rows[0]?.live ?? 0), issued: Number(r.rows[0]?.issued ?? 0) };
}
