/**
 * Issue 19: door to door. Working groups (tổ công tác) of a commune with their villages, members and
 * period; the visits the field logs, append-only (a correction is a new visit); and the review queue of
 * status reported from the field (moved away, deceased, insured elsewhere) that a commune officer
 * accepts (the register changes) or rejects.
 *
 * - A new role `field_worker`, scoped to a commune; what it sees is narrowed to the villages of its
 *   groups where the data is read (src/db/scope.ts).
 * - `visit.client_id` is the id the phone made for the visit: unique, so that sending again (or a send
 *   cut in the middle and sent again) stores it once; `content_hash` tells a resend (same content) from
 *   a different visit that reuses the id (refused, nothing overwritten).
 * - `visit.visited_at` is the phone's time, `received_at` the server's; `household_version` is the
 *   version of the household the phone's list showed, and `flagged` says that the household had changed
 *   on the server since (the visit is stored all the same, for the officer to look at).
 * - visit and field_report carry the household's id first, as the register's person-level tables do
 *   (distributable by household under Citus, docs/scaling.md); groups are small, reference-like tables.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table app_user drop constraint app_user_role_check`.execute(db);
  await sql`alter table app_user add constraint app_user_role_check
    check (role in ('admin', 'province_staff', 'commune_officer', 'viewer', 'field_worker'))`.execute(db);

  await sql`create table working_group (
    id uuid primary key,
    commune_code text not null references unit(code),
    name text not null,
    leader_id uuid references app_user(id),
    period_from date,
    period_to date,
    note text,
    active boolean not null default true,
    created_by text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (period_from is null or period_to is null or period_from <= period_to)
  )`.execute(db);
  await sql`create unique index working_group_commune_name_key on working_group (commune_code, lower(name))`.execute(db);

  await sql`create table working_group_village (
    group_id uuid not null references working_group(id) on delete cascade,
    village_code text not null references unit(code),
    primary key (group_id, village_code)
  )`.execute(db);
  await sql`create index working_group_village_village_idx on working_group_village (village_code)`.execute(db);

  await sql`create table working_group_member (
    group_id uuid not null references working_group(id) on delete cascade,
    user_id uuid not null references app_user(id) on delete cascade,
    primary key (group_id, user_id)
  )`.execute(db);
  await sql`create index working_group_member_user_idx on working_group_member (user_id)`.execute(db);

  await sql`create table visit (
    household_id uuid not null,
    id uuid not null,
    client_id uuid not null,
    group_id uuid not null references working_group(id),
    commune_code text not null,
    village_code text,
    -- null: the whole household (nobody at home)
    person_id uuid,
    outcome text not null check (outcome in ('enrolled', 'promised', 'refused', 'not_home')),
    product text check (product in ('household_bhyt', 'other')),
    receipt_number text,
    card_number text,
    reason text check (reason in ('cost', 'distrust', 'insured_elsewhere', 'moved_away', 'deceased', 'other')),
    follow_up date,
    note text,
    -- the phone's time, and its calendar day in Vietnam
    visited_at timestamptz not null,
    visited_on date not null,
    -- the server's time
    received_at timestamptz not null default now(),
    user_id uuid,
    user_name text not null,
    household_version text,
    flagged boolean not null default false,
    flag_reason text,
    content_hash text not null,
    primary key (household_id, id),
    check (follow_up is null or follow_up >= visited_on),
    check ((outcome = 'refused') = (reason is not null)),
    check (person_id is not null or outcome = 'not_home')
  )`.execute(db);
  await sql`create unique index visit_client_id_key on visit (client_id)`.execute(db);
  await sql`create index visit_group_idx on visit (group_id, visited_on)`.execute(db);
  await sql`create index visit_commune_idx on visit (commune_code, visited_on)`.execute(db);
  await sql`create index visit_user_idx on visit (user_id, visited_on)`.execute(db);

  await sql`create table field_report (
    household_id uuid not null,
    id uuid not null,
    person_id uuid not null,
    visit_id uuid not null,
    commune_code text not null,
    village_code text,
    kind text not null check (kind in ('moved_away', 'deceased', 'insured_elsewhere')),
    card_number text,
    status text not null default 'pending' check (status in ('pending', 'accepted', 'rejected')),
    reported_by text not null,
    reported_at timestamptz not null,
    received_at timestamptz not null default now(),
    decided_by text,
    decided_at timestamptz,
    decision_note text,
    primary key (household_id, id)
  )`.execute(db);
  await sql`create unique index field_report_id_key on field_report (id)`.execute(db);
  await sql`create index field_report_commune_idx on field_report (commune_code, status)`.execute(db);
}
