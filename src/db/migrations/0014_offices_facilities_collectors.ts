/**
 * Issue 18 item 2: the social insurance offices, the initial health-care facilities and the collection
 * agents, in the data.
 *
 * - Offices are units of their own (level 'office'): the provincial office (kind 'si_province', parent:
 *   the province) and the grassroots offices (kind 'si_grassroots', parent: the provincial office). Their
 *   code is the code the social insurance system issued to them. As units, reported figures, targets and
 *   user scopes work for them as for provinces and communes; `office_commune` says which office serves
 *   which commune (one grassroots office per commune), and scope checks follow it.
 * - `unit_profile`: the facts a unit writes in a form's header: the unit code the social insurance office
 *   issued to it (a commune People's Committee or a collecting organisation submitting a D03-TS list), tax
 *   code, address, phone, e-mail; for an office, its own address and contacts.
 * - `health_facility`: the initial health-care facility (nơi đăng ký KCB ban đầu), a 5-digit code and a
 *   name, in an editable list per province; a card (and a programme's award) names one.
 * - `collector`: collection agents (đại lý thu) and their staff (nhân viên thu), with the code the office
 *   issued, under an office, assigned to villages (`collector_village`); a card names the collector that
 *   collected it (D03-TS column 14).
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table unit drop constraint unit_level_check`.execute(db);
  await sql`alter table unit add constraint unit_level_check check (level in ('province', 'commune', 'village', 'office'))`.execute(db);

  await sql`create table unit_profile (
    unit_code text primary key references unit(code) on delete cascade,
    si_code text,
    tax_code text,
    address text,
    phone text,
    email text,
    updated_by text not null,
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create unique index unit_profile_si_code_key on unit_profile (si_code) where si_code is not null`.execute(db);

  await sql`create table office_commune (
    commune_code text primary key references unit(code),
    office_code text not null references unit(code) on delete cascade
  )`.execute(db);
  await sql`create index office_commune_office_idx on office_commune (office_code)`.execute(db);

  await sql`create table health_facility (
    code text primary key check (code ~ '^[0-9]{5}$'),
    name text not null,
    search_name text not null,
    province_code text not null references unit(code),
    address text,
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index health_facility_province_idx on health_facility (province_code)`.execute(db);

  await sql`create table collector (
    code text primary key,
    name text not null,
    search_name text not null,
    kind text not null check (kind in ('agent', 'staff')),
    office_code text not null references unit(code),
    phone text,
    active boolean not null default true,
    created_at timestamptz not null default now(),
    updated_at timestamptz not null default now()
  )`.execute(db);
  await sql`create index collector_office_idx on collector (office_code)`.execute(db);
  await sql`create table collector_village (
    village_code text not null references unit(code) on delete cascade,
    collector_code text not null references collector(code) on delete cascade,
    primary key (village_code, collector_code)
  )`.execute(db);
  await sql`create index collector_village_collector_idx on collector_village (collector_code)`.execute(db);

  await sql`alter table card add column facility_code text references health_facility(code)`.execute(db);
  await sql`alter table card add column collector_code text references collector(code)`.execute(db);
  await sql`alter table award add column facility_code text references health_facility(code)`.execute(db);
}
