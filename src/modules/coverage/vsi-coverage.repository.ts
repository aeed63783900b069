/**
 * Voluntary social insurance (product 'bhxh-tn') counts over the register's periods (vsi_period,
 * migration 0017): plain SQL over the periods of the units' persons. Few rows (1-3% of a province's
 * persons take part), reached through the person's key; no kept aggregate at this stage.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { personsIn, type RegisterScope } from './coverage.repository';

export interface VsiUnitCounts {
  unitCode: string;
  /** Persons with a period covering the date. */
  participants: number;
  /** Persons whose period starts between from and to and who had none the day before it. */
  newParticipants: number;
}

/**
 * Per unit (communes, or villages), on `date` and over [from, to]. A person counts once per unit however
 * many periods they have; a period that follows another without a gap is a renewal, not a new participant.
 */
export async function vsiCounts(db: Kysely<DB>, level: 'commune' | 'village', codes: string[], date: string, from: string, to: string): Promise<VsiUnitCounts[]> {
  if (codes.length === 0) return [];
  const key = level === 'commune' ? sql`p.commune_code` : sql`h.village_code`;
  const where =
    level === 'commune'
      ? sql`p.commune_code in (${sql.join(codes)})`
      : sql`h.village_code in (${sql.join(codes)}) and p.commune_code in (select u.parent_code from unit u where u.code in (${sql.join(codes)}))`;
  const r = await sql<{ unit: string; participants: number; new: number }>`
    select ${key} as unit,
      count(distinct v.person_id) filter (where v.valid_from <= ${date}::date and v.valid_to >= ${date}::date)::int as participants,
      count(distinct v.person_id) filter (where v.valid_from between ${from}::date and ${to}::date and not exists (
        select 1 from vsi_period w where w.household_id = v.household_id and w.person_id = v.person_id
          and w.valid_from < v.valid_from and w.valid_to >= v.valid_from - 1))::int as new
    from vsi_period v
    join person p on p.household_id = v.household_id and p.id = v.person_id
    ${level === 'village' ? sql`join household h on h.id = v.household_id` : sql``}
    where ${where}
      and v.valid_to >= least(${date}::date, ${from}::date) and v.valid_from <= greatest(${date}::date, ${to}::date)
    group by 1`.execute(db);
  return r.rows.map((x) => ({ unitCode: x.unit, participants: Number(x.participants), newParticipants: Number(x.new) }));
}

/**
 * For persons with a period covering `date`: the day their participation ends (the end of the chain of
 * back-to-back or overlapping periods that covers the date), counted per day, for the days before `before`.
 */
export async function vsiEnds(db: Kysely<DB>, scope: RegisterScope, date: string, before: string) {
  const r = await sql<{ date: string; count: number }>`
    select t::text as date, count(*)::int as count from (
      select person_id, min(valid_from) as f, max(valid_to) as t from (
        select v.*, sum(case when v.prev_end is null or v.valid_from > v.prev_end + 1 then 1 else 0 end)
          over (partition by v.person_id order by v.valid_from, v.valid_to) as island
        from (
          select v.person_id, v.valid_from, v.valid_to,
            max(v.valid_to) over (partition by v.person_id order by v.valid_from, v.valid_to rows between unbounded preceding and 1 preceding) as prev_end
          from vsi_period v join person p on p.household_id = v.household_id and p.id = v.person_id
          where ${personsIn(scope)}
        ) v
      ) i group by person_id, island
    ) s where f <= ${date}::date and t >= ${date}::date and t < ${before}::date
    group by t order by t`.execute(db);
  return r.rows.map((x) => ({ date: String(x.date), count: Number(x.count) }));
}
