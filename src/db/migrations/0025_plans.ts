/**
 * Plans and tasks (issue 21 items 1-4): a plan (kế hoạch) of a province or commune, e.g. 15-KH/TU of the
 * provincial party committee implementing directive 52-CT/TW; its goals (chỉ tiêu: coverage % of the
 * population, participants, pupils %, voluntary social insurance participants, each by a date); its tasks
 * (nhiệm vụ) with a responsible unit, coordinating units, a deadline (a day or a month), a recurrence,
 * a status, progress notes and evidence files. A commune plan made by cascading a provincial plan points at
 * it (parent_id) and its tasks may be sub-tasks of the province's (parent_task_id). Progress is read from
 * the coverage figures, never stored.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`create table plan (
    id uuid primary key,
    unit_code text not null references unit(code),
    parent_id uuid references plan(id) on delete cascade,
    number text not null,
    issuer text,
    issued_on date not null,
    title text not null,
    implements text,
    created_by text not null,
    created_at timestamptz not null default now(),
    updated_by text not null,
    updated_at timestamptz not null default now(),
    constraint plan_number_unique unique (unit_code, number)
  )`.execute(db);
  await sql`create index plan_parent_idx on plan (parent_id)`.execute(db);

  // value: basis points for a percentage (95% = 9500), persons for a count
  await sql`create table plan_goal (
    id uuid primary key,
    plan_id uuid not null references plan(id) on delete cascade,
    metric text not null check (metric in ('coverage_pct', 'participants', 'pupils_pct', 'vsi_participants')),
    measure text not null check (measure in ('percent', 'persons')),
    value integer not null check (value >= 0),
    by_date date not null,
    position int not null
  )`.execute(db);
  await sql`create index plan_goal_plan_idx on plan_goal (plan_id)`.execute(db);

  // deadline: 'YYYY-MM-DD' or 'YYYY-MM' as written; due_on: that day, or the month's last day
  await sql`create table plan_task (
    id uuid primary key,
    plan_id uuid not null references plan(id) on delete cascade,
    parent_task_id uuid references plan_task(id) on delete cascade,
    position int not null,
    content text not null,
    responsible text not null,
    coordinating text[] not null default '{}',
    deadline text not null,
    due_on date not null,
    recurrence text not null default 'none' check (recurrence in ('none', 'monthly', 'quarterly')),
    status text not null default 'not_started' check (status in ('not_started', 'in_progress', 'done')),
    created_by text not null,
    created_at timestamptz not null default now(),
    updated_by text not null,
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index plan_task_plan_idx on plan_task (plan_id, position)`.execute(db);
  await sql`create index plan_task_parent_idx on plan_task (parent_task_id)`.execute(db);

  await sql`create table plan_task_note (
    id uuid primary key,
    task_id uuid not null references plan_task(id) on delete cascade,
    noted_on date not null,
    note text not null,
    created_by text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index plan_task_note_task_idx on plan_task_note (task_id, noted_on)`.execute(db);

  await sql`create table plan_task_file (
    id uuid primary key,
    task_id uuid not null references plan_task(id) on delete cascade,
    name text not null,
    type text not null,
    data bytea not null,
    created_by text not null,
    created_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index plan_task_file_task_idx on plan_task_file (task_id)`.execute(db);
}
