/**
 * Each household's "covered until": the last day on which every member still holds a card (the smallest,
 * over its members, of the day their latest card ends; '-infinity' when a member never had a card). The
 * door-to-door list (issue 19) wants the households with someone to visit: without it, it read every
 * person of the villages and looked at their cards (some 1.2 s for a commune of 20,000 persons on the
 * embedded database); with it, an index range over (village, covered until) gives exactly those
 * households. Kept like the coverage counts: coverageChange (src/modules/coverage/coverage-counts.ts)
 * recomputes the households every change touches, in the change's transaction, and the fresh-import fast
 * path writes it from the rows it loads. Households without members have no row (and only those
 * may be deleted), so no foreign key is needed (the fast path COPYs it unchecked).
 *
 * What the register already holds is counted by the SQL below, frozen here as released.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('household_coverage')
    .addColumn('household_id', 'uuid', (c) => c.primaryKey())
    .addColumn('village_code', 'text')
    .addColumn('covered_until', 'date', (c) => c.notNull())
    .execute();
  await sql`
    insert into household_coverage (household_id, village_code, covered_until)
    select h.id, h.village_code,
      min(coalesce((select max(k.valid_to) from card k where k.household_id = p.household_id and k.person_id = p.id), '-infinity'::date))
    from household h join person p on p.household_id = h.id
    group by h.id, h.village_code`.execute(db);
  await db.schema.createIndex('household_coverage_village_idx').on('household_coverage').columns(['village_code', 'covered_until']).execute();
  await sql`analyze household_coverage`.execute(db);
}
