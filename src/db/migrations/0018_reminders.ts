/**
 * Issue 20 item 6: renewal reminders. `reminder_sent` is the journal of reminders sent: one row per
 * thing that ends (a BHYT card today; a voluntary social insurance period later, `source`), its end date
 * and the offset (how many days ahead of the end the list looked: 30, 7, ...). The key makes a second
 * reminder for the same (source, subject, end, offset) impossible; a renewal takes the person off the list
 * before anything is marked. The household's id comes first, as in the register's person-level tables
 * (distributable by household, docs/scaling.md). `commune_code` and `ends_on` serve the renewal rate.
 * No foreign key to card: a card deleted later keeps its reminders in the journal.
 *
 * `card_valid_to_idx` finds the cards that end in a window without reading the whole card table (a
 * province's list: 2,000,000 persons). A fresh import rebuilds it with the other secondary indexes.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table reminder_sent (
    household_id uuid not null,
    person_id uuid not null,
    source text not null check (source in ('bhyt_card', 'vsi_period')),
    subject_id uuid not null,
    ends_on date not null,
    offset_days integer not null check (offset_days >= 0 and offset_days <= 366),
    commune_code text not null,
    village_code text,
    collector_code text,
    phone text,
    amount bigint,
    channel text not null check (channel in ('sms', 'zalo', 'list')),
    sent_on date not null,
    sent_by text not null,
    created_at timestamptz not null default now(),
    primary key (household_id, source, subject_id, ends_on, offset_days)
  )`.execute(db);
  await sql`create index reminder_sent_commune_idx on reminder_sent (commune_code, ends_on)`.execute(db);
  // the cards ending in a window (a province's reminder list; the renewal rate's period)
  await sql`create index card_valid_to_idx on card (valid_to)`.execute(db);
}

