/**
 * Gifts and vouchers (issue 20 item 5): incentives given to participants, in kind or as a voucher with a
 * random code that is redeemed once, at the person's next renewal, for its value; tied to a campaign (and an
 * outreach event) when given there. The incentive ledger of a campaign is counted from these rows.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('incentive')
    .addColumn('household_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('commune_code', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('gift', 'voucher')`))
    .addColumn('description', 'text')
    // integer dong
    .addColumn('value', 'bigint', (c) => c.notNull().check(sql`value >= 0`))
    .addColumn('sponsor', 'text')
    .addColumn('campaign_id', 'uuid', (c) => c.references('campaign.id').onDelete('set null'))
    .addColumn('event_id', 'uuid')
    // vouchers only: the code, the last day it can be redeemed
    .addColumn('code', 'text')
    .addColumn('expires_on', 'date')
    .addColumn('issued_on', 'date', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('redeemed_at', 'timestamptz')
    .addColumn('redeemed_by', 'text')
    .addColumn('redeemed_card_id', 'uuid')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('incentive_pk', ['household_id', 'id'])
    .addForeignKeyConstraint('incentive_person_fk', ['household_id', 'person_id'], 'person', ['household_id', 'id'], (fk) => fk.onDelete('cascade').onUpdate('cascade'))
    .addCheckConstraint('incentive_voucher_code_check', sql`(kind = 'voucher') = (code is not null)`)
    .execute();
  await sql`create unique index incentive_code_key on incentive (code) where code is not null`.execute(db);
  await sql`create index incentive_id_idx on incentive (id)`.execute(db);
  await sql`create index incentive_campaign_idx on incentive (campaign_id) where campaign_id is not null`.execute(db);
  await sql`create index incentive_person_idx on incentive (household_id, person_id)`.execute(db);
}
