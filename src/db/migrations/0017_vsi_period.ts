/**
 * Issue 20 item 2: voluntary social insurance (BHXH tự nguyện, product `bhxh-tn`) participation periods
 * per person, beside the BHYT cards: from, to, the monthly income chosen, the payment period (1, 3, 6 or
 * 12 months) and where the period came from. Like `card`, the table carries household_id first and in its
 * key (distributable by household, docs/scaling.md); its foreign key on person cascades on delete (a
 * person deleted takes their periods) and on update (a person moved to another household takes them along).
 * The index on (household_id, person_id, valid_to) serves a person's periods, and the dashboard's "in force
 * on a date" counts (few rows: 1-3% of a province's persons).
 *
 * coverage_target gets a `product` (default 'bhyt', the targets entered so far): a unit's plan of voluntary
 * social insurance participants for a year is a target of product 'bhxh-tn'. Its unique key becomes
 * (unit, year, product).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table vsi_period (
    household_id uuid not null,
    id uuid not null,
    person_id uuid not null,
    valid_from date not null,
    valid_to date not null,
    monthly_income bigint not null check (monthly_income > 0),
    payment_months int not null check (payment_months in (1, 3, 6, 12)),
    -- 'manual', 'import', 'demo' (checked by the register service, not here: other features may add theirs)
    source text not null default 'manual',
    created_at timestamptz default now(),
    primary key (household_id, id),
    foreign key (household_id, person_id) references person (household_id, id) on delete cascade on update cascade,
    check (valid_from <= valid_to)
  )`.execute(db);
  await sql`create index vsi_period_person_idx on vsi_period (household_id, person_id, valid_to)`.execute(db);
  // a period found by its id alone (delete by id), as card_id_idx finds a card
  await sql`create index vsi_period_id_idx on vsi_period (id)`.execute(db);

  await sql`alter table coverage_target add column product text not null default 'bhyt' check (product in ('bhyt', 'bhxh-tn'))`.execute(db);
  await sql`alter table coverage_target drop constraint coverage_target_unit_year_key`.execute(db);
  await sql`alter table coverage_target add constraint coverage_target_unit_year_product_key unique (unit_code, year, product)`.execute(db);
}
