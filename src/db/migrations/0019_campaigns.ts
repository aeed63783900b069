/**
 * Campaigns (issue 20 item 3): a campaign month (Tháng vận động) of a province or commune, with a theme and
 * a period, and its targets per kind (new household BHYT participants, new voluntary social insurance
 * participants, renewals of household cards), for the whole campaign and split per commune, working group
 * and staff member. Progress is counted from the register and the field outcomes, not stored.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('campaign')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('unit_code', 'text', (c) => c.notNull().references('unit.code'))
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('theme', 'text')
    .addColumn('starts_on', 'date', (c) => c.notNull())
    .addColumn('ends_on', 'date', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addCheckConstraint('campaign_period_check', sql`ends_on >= starts_on`)
    .execute();
  await db.schema.createIndex('campaign_unit_idx').on('campaign').columns(['unit_code', 'starts_on']).execute();

  await db.schema
    .createTable('campaign_target')
    .addColumn('campaign_id', 'uuid', (c) => c.notNull().references('campaign.id').onDelete('cascade'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('bhyt_household', 'bhxh_tn', 'renewal')`))
    // 'campaign' (the whole campaign), or one commune, working group or staff member of it
    .addColumn('level', 'text', (c) => c.notNull().check(sql`level in ('campaign', 'commune', 'group', 'staff')`))
    // '' for the campaign; else the commune code, the group id or the user id
    .addColumn('ref', 'text', (c) => c.notNull())
    .addColumn('value', 'integer', (c) => c.notNull().check(sql`value >= 0`))
    .addPrimaryKeyConstraint('campaign_target_pk', ['campaign_id', 'kind', 'level', 'ref'])
    .execute();
}
