/**
 * Outreach events (issue 20 item 4, sự kiện truyền thông): a dialogue or customer conference, mobile
 * propaganda, leaflets, a thematic session or a launch ceremony held in a commune (optionally a village),
 * perhaps for a campaign; its counts (attendance, leaflets, consultations), cost in dong, the persons of
 * the register known to have attended, and its evidence files (stored in the row, like handover evidence).
 * The attendees carry household_id (the register's key) and cascade with their person.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table outreach_event (
    id uuid primary key,
    kind text not null check (kind in ('dialogue_conference', 'customer_conference', 'mobile_propaganda', 'leaflet_distribution', 'thematic_session', 'launch_ceremony')),
    held_on date not null,
    commune_code text not null references unit (code),
    village_code text references unit (code),
    place text,
    organiser text,
    campaign_id uuid references campaign (id) on delete set null,
    attendance int check (attendance >= 0),
    leaflets int not null default 0 check (leaflets >= 0),
    consultations int not null default 0 check (consultations >= 0),
    cost bigint not null default 0 check (cost >= 0),
    note text,
    created_by text not null,
    created_at timestamptz not null default now(),
    updated_by text not null,
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index outreach_event_commune_idx on outreach_event (commune_code, held_on)`.execute(db);
  await sql`create index outreach_event_campaign_idx on outreach_event (campaign_id)`.execute(db);

  await sql`create table outreach_event_attendee (
    event_id uuid not null references outreach_event (id) on delete cascade,
    household_id uuid not null,
    person_id uuid not null,
    primary key (event_id, person_id),
    foreign key (household_id, person_id) references person (household_id, id) on delete cascade on update cascade
  )`.execute(db);
  await sql`create index outreach_event_attendee_person_idx on outreach_event_attendee (household_id, person_id)`.execute(db);

  await sql`create table outreach_event_file (
    id uuid primary key,
    event_id uuid not null references outreach_event (id) on delete cascade,
    name text not null,
    type text not null,
    data bytea not null,
    created_by text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index outreach_event_file_event_idx on outreach_event_file (event_id)`.execute(db);
}
