/**
 * What the public may see of a programme's money (issue 22, items 4 and 5), no login.
 *
 * The donor's self-check: a donor gives their pledge's payment reference (CD7K3M9Q), or the bank's
 * transaction id with the exact amount, and sees when their money arrived, how much, in which programme,
 * and what it funded: how many cards, in which communes, the people covered as initials and birth year
 * only, and the handover (date, minutes number). Nothing about the donor (a reference seen over a
 * shoulder shows no name) and nothing about other donors. Every look-up counts against the address's
 * limit, found or not, so references (20^6 per prefix) cannot be tried one by one; nothing lists them.
 *
 * The public ledger: every receipt (the donor named only with their consent), every payment to the social
 * insurance office and every refund, read from the programme's ledger postings so that its totals are
 * the ledger's own; searchable (donor, amount, date) and downloadable as CSV.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import { canonicalReference } from '../../../domain/bank-reference';
import { compareVietnamese, foldVietnamese } from '../../../domain/text';
import { formatDateVi } from '../../../domain/dates';
import { nameInitials } from '../../../domain/identity';
import type { RateLimit } from '../../../domain/rate-limit';
import { AppError } from '../../../errors';
import { translator, type Language } from '../../../i18n/index';
import { csvLine, UTF8_BOM } from '../../../io/csv';
import { parseInput } from '../../../validation';
import { findProgramme } from '../programme/programme.repository';
import { programmeBalance } from '../programme/ledger.service';
import { publicProgrammeRow } from '../handover/public.service';
import * as repo from './transparency.repository';
import { donorCheckInput, publicLedgerQuery, type DonorCheckInput, type PublicLedgerKind, type PublicLedgerQuery } from './transparency.schemas';

// ---------------------------------------------------------------------------------------------------
// The donor's self-check
// ---------------------------------------------------------------------------------------------------

/** Look-ups per client address per hour (found or not). */
export const CHECK_LIMITS = { ip: 20 };
export type CheckThrottle = RateLimit<keyof typeof CHECK_LIMITS>;


export type DonorCheck = Awaited<ReturnType<typeof donorCheck>>;

/**
 * One donation as its donor may see it. Throws donation_not_found when nothing matches (the same answer
 * for a reference that does not exist and one of a programme still in draft), too_many_checks over the
 * address's limit.
 */
export async function donorCheck(db: Kysely<DB>, throttle: CheckThrottle, input: DonorCheckInput, edge: { ip: string; now: Date }) {
  const data = parseInput(donorCheckInput, input);
  if (!throttle.take([{ kind: 'ip', value: edge.ip }], edge.now.getTime())) throw new AppError('too_many_checks');

  let programmeId: string;
  let pledge: repo.PledgeFound | undefined;
  let receipts: repo.ReceiptFound[];
  let bankLines: repo.BankLineFound[] = [];
  if (data.reference) {
    pledge = await repo.pledgeByReference(db, canonicalReference(data.reference)!);
    if (!pledge) throw new AppError('donation_not_found');
    programmeId = pledge.programmeId;
    receipts = await repo.receiptsOfPledge(db, pledge.id);
  } else {
    bankLines = await repo.bankLinesByTransaction(db, data.transactionId!, data.amount!);
    if (bankLines.length === 0) throw new AppError('donation_not_found');
    programmeId = bankLines[0].programmeId;
    receipts = await repo.receiptsOfBankLines(db, bankLines.map((l) => l.id));
  }
  const programme = await findProgramme(db, programmeId);
  if (!programme || programme.status === 'draft') throw new AppError('donation_not_found');

  const ids = receipts.map((r) => r.id);
  const [refunds, funded] = await Promise.all([repo.refundedOf(db, ids), repo.fundedByReceipts(db, ids)]);
  const sum = (xs: { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0);
  const received = sum(receipts);
  const refunded = sum(refunds);
  const fundedTotal = funded.reduce((s, f) => s + f.funded, 0);

  const beneficiaries = funded
    .map((f) => ({
      initials: nameInitials(f.fullName),
      birthYear: Number(f.birthDate.slice(0, 4)),
      communeName: f.communeName,
      funded: f.funded,
      handedOver: f.status === 'handed_over',
      handoverOn: f.heldOn,
    }))
    .sort((a, b) => compareVietnamese(a.communeName, b.communeName) || a.initials.localeCompare(b.initials) || a.birthYear - b.birthYear);
  const handovers = new Map<string, { communeName: string; heldOn: string; minutesNumber: string | null; cards: number; handedOver: number }>();
  for (const f of funded) {
    if (!f.heldOn) continue;
    const key = `${f.communeName}|${f.heldOn}|${f.minutesNumber ?? ''}`;
    const h = handovers.get(key) ?? { communeName: f.communeName, heldOn: f.heldOn, minutesNumber: f.minutesNumber, cards: 0, handedOver: 0 };
    h.cards += 1;
    if (f.status === 'handed_over') h.handedOver += 1;
    handovers.set(key, h);
  }
  return {
    programme: { name: programme.name, slug: programme.publicEnabled ? programme.publicSlug : null, status: programme.status, deadline: programme.deadline },
    reference: pledge ? canonicalReference(data.reference!) : null,
    /** The pledge's amount (a reference look-up), to show what is still to come or came over. */
    pledged: pledge && pledge.status !== 'cancelled' ? pledge.amount : null,
    /** The bank's own booking (a transaction look-up), also when staff have not matched it yet. */
    bankLines: bankLines.map((l) => ({ bookedOn: l.bookedOn, amount: l.amount })),
    receipts: receipts.map((r) => ({ receivedOn: r.receivedOn, amount: r.amount, method: r.method })),
    received,
    refunded,
    difference: pledge && pledge.status !== 'cancelled' ? received - pledge.amount : null,
    funded: {
      amount: fundedTotal,
      cards: beneficiaries.length,
      communes: [...new Set(beneficiaries.map((b) => b.communeName))].sort(compareVietnamese),
      beneficiaries,
      handovers: [...handovers.values()].sort((a, b) => a.heldOn.localeCompare(b.heldOn) || compareVietnamese(a.communeName, b.communeName)),
    },
    /** Received, not refunded, not yet on a card: waits for the next selection. */
    unspent: received - refunded - fundedTotal,
  };
}

// ---------------------------------------------------------------------------------------------------
// The public ledger
// ---------------------------------------------------------------------------------------------------

export const LEDGER_PAGE = 100;

export interface PublicLedgerRow {
  on: string;
  /** receipt, payment, refund; a reversal is its kind with a negative amount. */
  kind: PublicLedgerKind;
  reversal: boolean;
  /** The donor's name when they agreed to be named; null = anonymous (and for payments). */
  donor: string | null;
  donorKind: string | null;
  /** Signed: money in positive; money out (payments, refunds) negative. */
  amount: number;
  /** Cards a payment covers. */
  cards: number | null;
  method: string | null;
}

const kindOf = (k: repo.LedgerTxnRow['kind']): PublicLedgerKind => (k === 'receipt_reversal' ? 'receipt' : k === 'payment_reversal' ? 'payment' : (k as PublicLedgerKind));

function publicRow(t: repo.LedgerTxnRow): PublicLedgerRow {
  const kind = kindOf(t.kind);
  return {
    on: t.on,
    kind,
    reversal: t.kind.endsWith('_reversal'),
    donor: kind === 'payment' || !t.publicConsent ? null : t.donorName,
    donorKind: kind === 'payment' ? null : t.donorKind,
    amount: kind === 'receipt' ? t.received : -(kind === 'payment' ? t.paid : t.refunded),
    cards: kind === 'payment' ? t.cards : null,
    method: t.method,
  };
}

/** Does a row answer a search: a donor's name (no diacritics needed), an amount (1.500.000 or 1500000), a date (dd/MM/yyyy or part). */
function matches(row: PublicLedgerRow, q: string): boolean {
  const folded = foldVietnamese(q);
  if (row.donor && foldVietnamese(row.donor).includes(folded)) return true;
  const digits = q.replace(/[.\s,₫đ]/g, '');
  if (/^\d+$/.test(digits) && String(Math.abs(row.amount)).includes(digits)) return true;
  return formatDateVi(row.on).includes(q) || row.on.includes(q);
}

async function ledgerRows(db: Kysely<DB>, slug: string) {
  const programme = await publicProgrammeRow(db, slug);
  const [txns, balance] = await Promise.all([repo.publicLedgerTxns(db, programme.id), programmeBalance(db, programme.id)]);
  return { programme, rows: txns.map(publicRow), balance };
}

type Totals = { received: number; paid: number; refunded: number; held: number };

function totalsOf(rows: PublicLedgerRow[]): Totals {
  const t = { received: 0, paid: 0, refunded: 0, held: 0 };
  for (const r of rows) {
    if (r.kind === 'receipt') t.received += r.amount;
    else if (r.kind === 'payment') t.paid -= r.amount;
    else t.refunded -= r.amount;
  }
  t.held = t.received - t.paid - t.refunded;
  return t;
}

export type PublicLedger = Awaited<ReturnType<typeof publicLedger>>;

/**
 * A page of the programme's public ledger, newest first, with the whole ledger's totals (equal to the
 * programme's balance: checked here, an internal error if not) and the totals of what the search found.
 */
export async function publicLedger(db: Kysely<DB>, slug: string, query: PublicLedgerQuery = {}) {
  const q = parseInput(publicLedgerQuery, query);
  const { programme, rows, balance } = await ledgerRows(db, slug);
  const totals = totalsOf(rows);
  if (totals.received !== balance.received || totals.paid !== balance.paid || totals.refunded !== balance.refunded) throw new AppError('internal');
  const found = rows.filter((r) => (!q.kind || r.kind === q.kind) && (!q.q || matches(r, q.q))).reverse();
  const page = q.page ?? 1;
  return {
    programme: { name: programme.name, slug: programme.publicSlug },
    totals,
    found: { count: found.length, ...totalsOf(found) },
    page,
    pages: Math.max(1, Math.ceil(found.length / LEDGER_PAGE)),
    rows: found.slice((page - 1) * LEDGER_PAGE, page * LEDGER_PAGE),
  };
}

/** The whole public ledger as CSV (UTF-8 with BOM, for Excel), oldest first, in the asker's language. */
export async function publicLedgerCsv(db: Kysely<DB>, slug: string, language: Language = 'vi'): Promise<{ fileName: string; csv: string; rows: number }> {
  const { programme, rows } = await ledgerRows(db, slug);
  const t = translator(language);
  const h = (k: string) => t(`bank:ledger.${k}`);
  const lines = [csvLine([h('date'), h('kind'), h('donor'), h('amount'), h('cards'), h('method')])];
  for (const r of rows)
    lines.push(
      csvLine([
        formatDateVi(r.on),
        t(`bank:ledger.kinds.${r.reversal ? `${r.kind}_reversal` : r.kind}`),
        r.kind === 'payment' ? h('social_insurance_office') : (r.donor ?? h('anonymous')),
        r.amount,
        r.cards ?? '',
        r.method ? t(`bank:ledger.methods.${r.method}`) : '',
      ]),
    );
  return { fileName: `so-cong-khai-${programme.publicSlug}.csv`, csv: UTF8_BOM + lines.join('\r\n') + '\r\n', rows: rows.length };
}
