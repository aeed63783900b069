/**
 * Coverage (issue 5, part 1): figures reported per unit and date (counts from the social insurance system
 * for units without a person-level register), coverage targets per unit and year, and recruitment
 * targets per staff member and year. Small tables keyed by unit: reference tables under Citus.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('reported_figure')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('unit_code', 'text', (c) => c.notNull().references('unit.code'))
    .addColumn('as_of', 'date', (c) => c.notNull())
    .addColumn('participants', 'bigint', (c) => c.check(sql`participants >= 0`))
    // {"GD": 123, "HS": 45}: participants per participant group code
    .addColumn('participants_by_group', 'jsonb')
    .addColumn('voluntary_si', 'bigint', (c) => c.check(sql`voluntary_si >= 0`))
    .addColumn('population', 'bigint', (c) => c.check(sql`population >= 0`))
    .addColumn('plan', 'bigint', (c) => c.check(sql`plan >= 0`))
    .addColumn('plan_year', 'integer')
    // the decision that assigned the plan, e.g. 462/QĐ-BHXH
    .addColumn('plan_decision', 'text')
    // where the counts come from, e.g. 'VSS report'
    .addColumn('source', 'text')
    .addColumn('note', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('reported_figure_unit_as_of_key', ['unit_code', 'as_of'])
    .execute();

  await db.schema
    .createTable('coverage_target')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('unit_code', 'text', (c) => c.notNull().references('unit.code'))
    .addColumn('year', 'integer', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('percent_population', 'participants')`))
    // a percent of the population (95, 95.5) or a number of participants
    .addColumn('value', 'numeric', (c) => c.notNull().check(sql`value >= 0`))
    .addColumn('decision', 'text')
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('coverage_target_unit_year_key', ['unit_code', 'year'])
    .addCheckConstraint('coverage_target_percent_check', sql`kind <> 'percent_population' or value <= 100`)
    .execute();

  await db.schema
    .createTable('staff_target')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('user_id', 'uuid', (c) => c.notNull().references('app_user.id').onDelete('cascade'))
    .addColumn('year', 'integer', (c) => c.notNull())
    // participants to recruit in the year
    .addColumn('participants', 'integer', (c) => c.notNull().check(sql`participants >= 0`))
    .addColumn('unit_code', 'text', (c) => c.references('unit.code'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint('staff_target_user_year_key', ['user_id', 'year'])
    .execute();
  await db.schema.createIndex('staff_target_unit_idx').on('staff_target').columns(['unit_code', 'year']).execute();
}
