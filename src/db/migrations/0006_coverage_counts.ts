/**
 * Kept coverage aggregates, so a province's dashboard does not scan its register:
 * - person_coverage: each person's coverage as merged spans (overlapping and back-to-back cards joined),
 *   with the group of the span's latest card; a person without any card has one row with no span
 *   (dropped by migration 0010: a change now reads the spans from the register before it writes);
 * - coverage_count: persons per (commune, village, group, span) — participants on D are the spans around D;
 * - population_count: persons per (commune, village), and how many ever had a card.
 * src/modules/coverage/coverage-counts.ts keeps them equal to the register in the same transaction as
 * every change (a test compares them with the register).
 */
import { sql, type Kysely } from 'kysely';
import { coverageChange } from '../../modules/coverage/coverage-counts';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('person_coverage')
    .addColumn('household_id', 'uuid', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('commune_code', 'text', (c) => c.notNull())
    .addColumn('village_code', 'text', (c) => c.notNull().defaultTo(''))
    .addColumn('group_code', 'text')
    .addColumn('span_from', 'date')
    .addColumn('span_to', 'date')
    .execute();
  await db.schema.createIndex('person_coverage_household_idx').on('person_coverage').column('household_id').execute();

  await db.schema
    .createTable('coverage_count')
    .addColumn('commune_code', 'text', (c) => c.notNull())
    .addColumn('village_code', 'text', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('span_from', 'date', (c) => c.notNull())
    .addColumn('span_to', 'date', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('coverage_count_pk', ['commune_code', 'village_code', 'group_code', 'span_from', 'span_to'])
    .execute();

  await db.schema
    .createTable('population_count')
    .addColumn('commune_code', 'text', (c) => c.notNull())
    .addColumn('village_code', 'text', (c) => c.notNull())
    .addColumn('persons', 'integer', (c) => c.notNull())
    .addColumn('ever_insured', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('population_count_pk', ['commune_code', 'village_code'])
    .execute();

  // whatever the register already holds
  await (await coverageChange(db, [])).apply(sql`select id from household`);
}
