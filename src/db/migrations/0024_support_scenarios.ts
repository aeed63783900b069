/**
 * The local support simulator (issue 21 item 5): saved scenarios (up to 3 compared side by side per unit
 * and user, their input and figures kept as computed), and the status of a local-support rule: an adopted
 * scenario becomes a premium_rule of kind 'local-policy' in status 'draft' (priced by nothing), then
 * 'approved' with the approving decision's number as its source; loadRules merges approved rows only.
 * Every rule stored before this migration was in force: 'approved'.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .alterTable('premium_rule')
    .addColumn('status', 'text', (c) => c.notNull().defaultTo('approved').check(sql`status in ('draft', 'approved')`))
    .execute();
  await db.schema.alterTable('premium_rule').addColumn('decision', 'text').execute();
  await db.schema.alterTable('premium_rule').addColumn('approved_by', 'text').execute();
  await db.schema.alterTable('premium_rule').addColumn('approved_at', 'timestamptz').execute();

  await db.schema
    .createTable('support_scenario')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('unit_code', 'text', (c) => c.notNull().references('unit.code'))
    .addColumn('name', 'text', (c) => c.notNull())
    // the simulator's input (group, top-up, communes, from, months, take-up) and its figures
    .addColumn('input', 'jsonb', (c) => c.notNull())
    .addColumn('result', 'jsonb', (c) => c.notNull())
    // the draft (then approved) rule made when the scenario was adopted
    .addColumn('rule_id', 'text', (c) => c.references('premium_rule.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('support_scenario_unit_idx').on('support_scenario').columns(['unit_code', 'created_at']).execute();
}
