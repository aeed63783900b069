/**
 * Donation programmes (issue 6): a programme and its status history; donors, pledges, receipts, refunds
 * and a double-entry ledger per programme; awards (a person's card bought by the programme) funded by
 * specific receipts; candidates nominated by communes; selection rounds whose candidate data are frozen;
 * handover events and each card's handover result.
 *
 * Money is integer dong (bigint). Programme-level tables are small (reference-like under Citus); the
 * person-level ones (award, selection_candidate, nomination) carry household_id so they can be
 * co-located with the register when distributed (docs/scaling.md).
 */
import { sql, type Kysely } from 'kysely';

const statements = [
  sql`create table programme (
    id uuid primary key,
    name text not null,
    -- the unit that runs it (a province or a commune): who may see and change it
    owner_unit_code text not null references unit(code),
    -- where candidates come from: the whole owner province, some communes, or one difficult area
    area_kind text not null check (area_kind in ('province', 'communes', 'area')),
    area_codes text[] not null default '{}'::text[],
    area_note text,
    card_months integer not null check (card_months between 1 and 12),
    purchase_date date not null,
    deadline date not null,
    handover_season text,
    status text not null default 'draft' check (status in
      ('draft', 'raising', 'selecting', 'list_approved', 'submitted', 'cards_issued', 'handed_over', 'closed')),
    -- selection: 'concentrate' (one pool) or 'spread' (commune quotas); weights or strict tiers
    selection_mode text not null default 'concentrate' check (selection_mode in ('concentrate', 'spread')),
    priority_mode text not null default 'weights' check (priority_mode in ('weights', 'tiers')),
    -- {"ethnic_minority": 3, "pupil": 2, ...} (weights) or ["storm_victim", "pupil", ...] (tiers, first = highest)
    priorities jsonb not null default '{}'::jsonb,
    -- hand-set commune quotas in dong for spread mode, {"02905": 50000000}; null = proportional
    commune_quotas jsonb,
    -- the address of the public page: /p/<slug>
    public_slug text not null unique,
    public_enabled boolean not null default true,
    created_by text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now(),
    check (deadline >= purchase_date)
  )`,
  sql`create table programme_status_change (
    id uuid primary key,
    programme_id uuid not null references programme(id) on delete cascade,
    from_status text,
    to_status text not null,
    actor_id uuid,
    actor_name text not null,
    at timestamptz not null default now(),
    note text
  )`,
  sql`create index programme_status_change_programme_idx on programme_status_change (programme_id, at)`,

  sql`create table donor (
    id uuid primary key,
    owner_unit_code text not null references unit(code),
    kind text not null check (kind in ('organisation', 'business', 'individual', 'officials')),
    name text not null,
    -- phone or e-mail: personal data, never public
    contact text,
    -- may the donor be named publicly (public page, statements to others)?
    public_consent boolean not null default false,
    created_at timestamptz not null default now()
  )`,
  sql`create index donor_owner_idx on donor (owner_unit_code)`,

  sql`create table pledge (
    id uuid primary key,
    programme_id uuid not null references programme(id) on delete cascade,
    donor_id uuid not null references donor(id),
    amount bigint not null check (amount > 0),
    -- optional earmarks: a commune, a priority tag (e.g. 'pupil')
    earmark_commune_code text references unit(code),
    earmark_tag text,
    -- 'proposed': offered on the public page, waiting for staff to confirm
    status text not null default 'confirmed' check (status in ('proposed', 'confirmed', 'cancelled')),
    source text not null default 'staff' check (source in ('staff', 'public')),
    pledged_on date not null,
    note text,
    created_at timestamptz not null default now(),
    confirmed_by text,
    confirmed_at timestamptz
  )`,
  sql`create index pledge_programme_idx on pledge (programme_id)`,

  sql`create table receipt (
    id uuid primary key,
    programme_id uuid not null references programme(id) on delete cascade,
    donor_id uuid not null references donor(id),
    pledge_id uuid references pledge(id),
    amount bigint not null check (amount > 0),
    received_on date not null,
    method text not null check (method in ('cash', 'bank_transfer', 'other')),
    reference text,
    created_by text not null,
    created_at timestamptz not null default now()
  )`,
  sql`create index receipt_programme_idx on receipt (programme_id, received_on)`,

  sql`create table refund (
    id uuid primary key,
    programme_id uuid not null references programme(id) on delete cascade,
    receipt_id uuid not null references receipt(id),
    amount bigint not null check (amount > 0),
    refunded_on date not null,
    reason text,
    created_by text not null,
    created_at timestamptz not null default now()
  )`,
  sql`create index refund_receipt_idx on refund (receipt_id)`,

  // Double-entry: every transaction (txn_id) is a set of postings whose amounts sum to zero. Debits
  // are positive, credits negative. Accounts: 'cash' (money held), 'fund' (money received, not yet
  // committed), 'awarded' (committed to beneficiaries), 'paid' (paid to the social insurance office),
  // 'refunded' (returned to donors).
  sql`create table ledger_entry (
    id uuid primary key,
    programme_id uuid not null references programme(id) on delete cascade,
    txn_id uuid not null,
    kind text not null,
    account text not null,
    amount bigint not null check (amount <> 0),
    receipt_id uuid references receipt(id),
    award_id uuid,
    memo text,
    posted_by text not null,
    posted_at timestamptz not null default now()
  )`,
  sql`create index ledger_entry_programme_idx on ledger_entry (programme_id, account)`,
  sql`create index ledger_entry_txn_idx on ledger_entry (txn_id)`,

  // A person's card bought by the programme.
  sql`create table award (
    id uuid primary key,
    programme_id uuid not null references programme(id) on delete cascade,
    round_id uuid,
    household_id uuid not null,
    person_id uuid not null,
    commune_code text not null,
    group_code text not null,
    tags text[] not null default '{}'::text[],
    amount bigint not null check (amount > 0),
    status text not null default 'awarded' check (status in ('awarded', 'submitted', 'issued', 'handed_over', 'cancelled')),
    card_number text,
    card_from date,
    card_to date,
    card_id uuid,
    created_by text not null,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`,
  sql`create index award_programme_idx on award (programme_id, commune_code)`,
  sql`create unique index award_person_live_key on award (programme_id, person_id) where status <> 'cancelled'`,

  // Which receipts paid for which award (earmarks first, then the oldest money).
  sql`create table award_funding (
    award_id uuid not null references award(id) on delete cascade,
    receipt_id uuid not null references receipt(id),
    amount bigint not null check (amount > 0),
    primary key (award_id, receipt_id)
  )`,
  sql`create index award_funding_receipt_idx on award_funding (receipt_id)`,

  // Persons nominated by communes for a programme, with the priority tags the nomination gives.
  sql`create table programme_nomination (
    programme_id uuid not null references programme(id) on delete cascade,
    household_id uuid not null,
    person_id uuid not null,
    commune_code text not null,
    tags text[] not null default '{}'::text[],
    note text,
    nominated_by text not null,
    created_at timestamptz not null default now(),
    primary key (programme_id, person_id)
  )`,

  sql`create table selection_round (
    id uuid primary key,
    programme_id uuid not null references programme(id) on delete cascade,
    number integer not null,
    status text not null default 'proposed' check (status in ('proposed', 'approved', 'discarded')),
    -- the inputs of the solver, as used
    priced_on date not null,
    months integer not null,
    budget bigint not null check (budget >= 0),
    params jsonb not null,
    -- the result
    spent bigint not null default 0,
    objective double precision not null default 0,
    bound double precision,
    created_by text not null,
    created_at timestamptz not null default now(),
    decided_by text,
    decided_at timestamptz,
    unique (programme_id, number)
  )`,

  // The candidates of a round as they were when it ran (frozen: later register edits do not change it).
  sql`create table selection_candidate (
    round_id uuid not null references selection_round(id) on delete cascade,
    household_id uuid not null,
    person_id uuid not null,
    commune_code text not null,
    village_code text,
    household_code text,
    full_name text not null,
    birth_date date not null,
    sex text not null,
    citizen_id text,
    insurance_code text,
    ethnicity text,
    address text,
    poverty_status text,
    group_codes text[] not null default '{}'::text[],
    tags text[] not null default '{}'::text[],
    covered_until date,
    enrolled_this_year integer not null default 0,
    value double precision not null default 0,
    cost bigint,
    pricing_group text,
    selected boolean not null default false,
    reason text not null,
    detail text,
    primary key (round_id, person_id)
  )`,
  sql`create index selection_candidate_commune_idx on selection_candidate (round_id, commune_code)`,

  sql`create table handover_event (
    id uuid primary key,
    programme_id uuid not null references programme(id) on delete cascade,
    commune_code text not null references unit(code),
    held_on date not null,
    place text not null,
    note text,
    created_by text not null,
    created_at timestamptz not null default now()
  )`,
  sql`create index handover_event_programme_idx on handover_event (programme_id, held_on)`,

  // One row per award expected at an event; the result once recorded, with its evidence file.
  sql`create table handover_result (
    award_id uuid primary key references award(id) on delete cascade,
    event_id uuid not null references handover_event(id) on delete cascade,
    result text not null default 'expected' check (result in ('expected', 'received', 'absent', 'refused')),
    received_by text,
    note text,
    evidence_name text,
    evidence_type text,
    evidence bytea,
    recorded_by text,
    recorded_at timestamptz
  )`,
  sql`create index handover_result_event_idx on handover_result (event_id)`,

  // Cards bought by a programme keep the programme that funded them.
  sql`alter table card add column programme_id uuid`,
];

export async function up(db: Kysely<any>): Promise<void> {
  for (const statement of statements) await statement.execute(db);
}
