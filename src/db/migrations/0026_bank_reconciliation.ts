/**
 * Bank transfers and their reconciliation (issue 22): a payment reference per pledge (random, unique;
 * the pledges already there get one), a programme's receiving bank accounts, the lines of the bank
 * statements imported for them (one per transaction, unique per account by its fingerprint: the bank's
 * transaction id, else date, amount, description and rank), and the matches of a line to pledges, each
 * with the receipt and the ledger transaction it made (and, once undone, the reversal). A receipt undone
 * stays, marked `voided_at`, with its reversal in the ledger.
 */
import { randomInt } from 'node:crypto';
import { sql, type Kysely } from 'kysely';

// frozen copy of src/domain/bank-reference.ts at this migration
const ALPHABET = '34679ACEFGHKMNPRTWXY';
const reference = () => `CD${Array.from({ length: 6 }, () => ALPHABET[randomInt(ALPHABET.length)]).join('')}`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table pledge add column reference text`.execute(db);
  const pledges = await sql<{ id: string }>`select id from pledge order by id`.execute(db);
  const used = new Set<string>();
  for (const p of pledges.rows) {
    let ref = reference();
    while (used.has(ref)) ref = reference();
    used.add(ref);
    await sql`update pledge set reference = ${ref} where id = ${p.id}::uuid`.execute(db);
  }
  await sql`create unique index pledge_reference_idx on pledge (reference)`.execute(db);

  await sql`alter table receipt add column voided_at timestamptz`.execute(db);
  await sql`alter table receipt add column voided_by text`.execute(db);

  await sql`create table bank_account (
    id uuid primary key,
    programme_id uuid not null references programme(id) on delete cascade,
    bank_bin text not null check (bank_bin ~ '^[0-9]{6}$'),
    account_number text not null check (account_number ~ '^[0-9A-Za-z]{1,19}$'),
    account_name text not null,
    -- an account's own statement columns: {"date": "...", "amount": "...", ...}
    mapping jsonb,
    active boolean not null default true,
    created_by text not null,
    created_at timestamptz not null default now(),
    unique (programme_id, bank_bin, account_number)
  )`.execute(db);

  await sql`create table bank_line (
    id uuid primary key,
    account_id uuid not null references bank_account(id) on delete cascade,
    programme_id uuid not null references programme(id) on delete cascade,
    booked_on date not null,
    amount bigint not null check (amount > 0),
    description text not null,
    transaction_id text,
    counterparty text,
    fingerprint text not null,
    file_name text,
    row_number int,
    imported_by text not null,
    imported_at timestamptz not null default now(),
    unique (account_id, fingerprint)
  )`.execute(db);
  await sql`create index bank_line_programme_idx on bank_line (programme_id, booked_on)`.execute(db);

  await sql`create table bank_match (
    id uuid primary key,
    line_id uuid not null references bank_line(id),
    programme_id uuid not null references programme(id) on delete cascade,
    pledge_id uuid not null references pledge(id),
    receipt_id uuid not null references receipt(id),
    amount bigint not null check (amount > 0),
    txn_id uuid not null,
    -- 'reference' / 'partial_reference' (automatic) or 'staff'
    matched_by text not null,
    created_by text not null,
    created_at timestamptz not null default now(),
    undone_at timestamptz,
    undone_by text,
    undo_txn_id uuid
  )`.execute(db);
  await sql`create index bank_match_line_idx on bank_match (line_id)`.execute(db);
  await sql`create index bank_match_pledge_idx on bank_match (pledge_id)`.execute(db);
  await sql`create index bank_match_programme_idx on bank_match (programme_id)`.execute(db);
}
