/**
 * SQL for what the public may see of a programme's money: one donation looked up by its payment reference
 * or by the bank's transaction id and amount (the donor's self-check), what its receipts funded, and the
 * programme's public ledger (every receipt, payment to the social insurance office and refund, read from
 * the ledger's postings so its totals are the ledger's). Names and birth dates are read only to be masked.
 */
import { sql, type Kysely } from 'kysely';
import type { DB, DonorKind, PaymentMethod } from '../../../db/schema';

export interface PledgeFound {
  id: string;
  programmeId: string;
  amount: number;
  status: string;
  pledgedOn: string;
}

export function pledgeByReference(db: Kysely<DB>, reference: string): Promise<PledgeFound | undefined> {
  return db
    .selectFrom('pledge')
    .select(['id', 'programmeId', 'amount', 'status', 'pledgedOn'])
    .where('reference', '=', reference)
    .executeTakeFirst();
}

export interface ReceiptFound {
  id: string;
  programmeId: string;
  amount: number;
  receivedOn: string;
  method: PaymentMethod;
}

/** The live (not voided) receipts of a pledge. */
export function receiptsOfPledge(db: Kysely<DB>, pledgeId: string): Promise<ReceiptFound[]> {
  return db
    .selectFrom('receipt')
    .select(['id', 'programmeId', 'amount', 'receivedOn', 'method'])
    .where('pledgeId', '=', pledgeId)
    .where('voidedAt', 'is', null)
    .orderBy('receivedOn')
    .orderBy('createdAt')
    .execute();
}

export interface BankLineFound {
  id: string;
  programmeId: string;
  bookedOn: string;
  amount: number;
}

/** Statement lines with this transaction id and amount (the id as the bank printed it, any case). */
export function bankLinesByTransaction(db: Kysely<DB>, transactionId: string, amount: number): Promise<BankLineFound[]> {
  return db
    .selectFrom('bankLine')
    .select(['id', 'programmeId', 'bookedOn', 'amount'])
    .where(sql<boolean>`upper(transaction_id) = ${transactionId.toUpperCase()}`)
    .where('amount', '=', amount)
    .execute();
}

/** The live receipts made from these statement lines by matches not undone. */
export function receiptsOfBankLines(db: Kysely<DB>, lineIds: string[]): Promise<ReceiptFound[]> {
  if (lineIds.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('bankMatch as m')
    .innerJoin('receipt as r', 'r.id', 'm.receiptId')
    .select(['r.id', 'r.programmeId', 'r.amount', 'r.receivedOn', 'r.method'])
    .where('m.lineId', 'in', lineIds)
    .where('m.undoneAt', 'is', null)
    .where('r.voidedAt', 'is', null)
    .orderBy('r.receivedOn')
    .orderBy('r.createdAt')
    .execute();
}

export function refundedOf(db: Kysely<DB>, receiptIds: string[]): Promise<{ refundedOn: string; amount: number }[]> {
  if (receiptIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('refund').select(['refundedOn', 'amount']).where('receiptId', 'in', receiptIds).orderBy('refundedOn').execute();
}

export interface FundedByReceipt {
  awardId: string;
  fullName: string;
  birthDate: string;
  communeName: string;
  /** What these receipts paid of the card. */
  funded: number;
  status: string;
  heldOn: string | null;
  minutesNumber: string | null;
  result: string | null;
}

/** The live awards these receipts fund, with the handover each is expected at (if any). */
export async function fundedByReceipts(db: Kysely<DB>, receiptIds: string[]): Promise<FundedByReceipt[]> {
  if (receiptIds.length === 0) return [];
  const r = await sql<FundedByReceipt & { funded: string }>`
    select a.id as "awardId", p.full_name as "fullName", p.birth_date::text as "birthDate", u.name as "communeName",
           sum(f.amount)::text as funded, a.status, e.held_on::text as "heldOn", e.minutes_number as "minutesNumber", hr.result
    from award_funding f
    join award a on a.id = f.award_id
    join person p on p.household_id = a.household_id and p.id = a.person_id
    join unit u on u.code = a.commune_code
    left join handover_result hr on hr.award_id = a.id
    left join handover_event e on e.id = hr.event_id
    where f.receipt_id in (${sql.join(receiptIds.map((id) => sql`${id}::uuid`))}) and a.status <> 'cancelled'
    group by a.id, p.full_name, p.birth_date, u.name, a.status, e.held_on, e.minutes_number, hr.result`.execute(db);
  return r.rows.map((x) => ({ ...x, funded: Number(x.funded) }));
}

export interface LedgerTxnRow {
  txnId: string;
  kind: 'receipt' | 'receipt_reversal' | 'refund' | 'payment' | 'payment_reversal';
  /** The day it happened: a receipt's day received, else the posting's day in Vietnam. */
  on: string;
  /** Money in (receipts, positive; a reversed receipt negative). */
  received: number;
  /** Money paid to the social insurance office (a withdrawn payment negative). */
  paid: number;
  /** Money returned to a donor. */
  refunded: number;
  /** Cards a payment covers. */
  cards: number;
  donorName: string | null;
  donorKind: DonorKind | null;
  publicConsent: boolean | null;
  method: PaymentMethod | null;
  postedAt: Date;
}

/**
 * Every money-moving transaction of a programme that the public ledger lists (not the internal moves
 * between free and committed money), one row per transaction (a payment: one row per list paid), oldest first.
 */
export async function publicLedgerTxns(db: Kysely<DB>, programmeId: string): Promise<LedgerTxnRow[]> {
  const r = await sql<Omit<LedgerTxnRow, 'received' | 'paid' | 'refunded'> & { received: string; paid: string; refunded: string }>`
    with t as (
      select min(txn_id::text) as txn_id, kind, min(posted_at) as posted_at,
             sum(amount) filter (where account = 'cash') as cash,
             -sum(amount) filter (where account = 'paid') as paid,
             -sum(amount) filter (where account = 'refunded') as refunded,
             count(distinct award_id) filter (where account = 'paid') as cards,
             min(receipt_id::text)::uuid as receipt_id
      from ledger_entry
      where programme_id = ${programmeId}::uuid
        and kind in ('receipt', 'receipt_reversal', 'refund', 'payment', 'payment_reversal')
      -- a list submitted to the office is one transaction per card, all posted at the same instant: one row
      group by case when kind in ('payment', 'payment_reversal') then posted_at::text else txn_id::text end, kind
    )
    select t.txn_id as "txnId", t.kind,
           case when t.kind = 'receipt' then r.received_on::text
                else ((t.posted_at at time zone 'Asia/Ho_Chi_Minh')::date)::text end as "on",
           coalesce(t.cash, 0)::text as received, coalesce(t.paid, 0)::text as paid, coalesce(t.refunded, 0)::text as refunded,
           t.cards::int as cards,
           case when t.kind in ('receipt', 'receipt_reversal', 'refund') then d.name end as "donorName",
           case when t.kind in ('receipt', 'receipt_reversal', 'refund') then d.kind end as "donorKind",
           case when t.kind in ('receipt', 'receipt_reversal', 'refund') then d.public_consent end as "publicConsent",
           case when t.kind in ('receipt', 'receipt_reversal') then r.method end as method,
           t.posted_at as "postedAt"
    from t
    left join receipt r on r.id = t.receipt_id
    left join donor d on d.id = r.donor_id
    order by "on", t.posted_at, t.txn_id`.execute(db);
  return r.rows.map((x) => ({ ...x, received: Number(x.received), paid: Number(x.paid), refunded: Number(x.refunded) }));
}
