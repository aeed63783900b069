/**
 * Shapes of the donor's self-check and the public ledger: zod schemas shared by the routes (validation +
 * OpenAPI) and the service. Messages of their own keys live in the 'bank' namespace (`fields.*`).
 */
import { z } from 'zod';
import { canonicalReference } from '../../../domain/bank-reference';

const BANK = { ns: 'bank' } as const;

export const donorCheckInput = z
  .object({
    /** The pledge's payment reference, e.g. CD7K3M9Q (spaces, dashes and case do not matter). */
    reference: z.string().trim().max(40).optional(),
    /** The bank's transaction id, as on the donor's statement. */
    transactionId: z.string().trim().max(60).optional(),
    /** Whole dong, exactly as on the bank statement; required with transactionId. */
    amount: z.number().int().positive().max(100_000_000_000).optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.reference) {
      if (!canonicalReference(v.reference)) ctx.addIssue({ code: 'custom', path: ['reference'], message: 'check_reference_format', params: BANK });
    } else if (v.transactionId) {
      if (v.amount === undefined) ctx.addIssue({ code: 'custom', path: ['amount'], message: 'check_amount_required', params: BANK });
    } else ctx.addIssue({ code: 'custom', path: ['reference'], message: 'check_what', params: BANK });
  });
export type DonorCheckInput = z.input<typeof donorCheckInput>;

export const LEDGER_KINDS = ['receipt', 'payment', 'refund'] as const;
export type PublicLedgerKind = (typeof LEDGER_KINDS)[number];

export const publicLedgerQuery = z
  .object({
    /** A donor's name (diacritics optional), an amount (1.500.000 or 1500000) or a date (dd/MM/yyyy). */
    q: z.string().trim().max(100).optional(),
    kind: z.enum(LEDGER_KINDS).optional(),
    page: z.coerce.number().int().min(1).max(100_000).optional(),
  })
  .strict();
export type PublicLedgerQuery = z.input<typeof publicLedgerQuery>;

// ---- responses ----

export const donorCheckSchema = z.object({
  programme: z.object({ name: z.string(), slug: z.string().nullable(), status: z.string(), deadline: z.string() }),
  reference: z.string().nullable(),
  pledged: z.number().nullable(),
  bankLines: z.array(z.object({ bookedOn: z.string(), amount: z.number() })),
  receipts: z.array(z.object({ receivedOn: z.string(), amount: z.number(), method: z.string() })),
  received: z.number(),
  refunded: z.number(),
  difference: z.number().nullable(),
  funded: z.object({
    amount: z.number(),
    cards: z.number(),
    communes: z.array(z.string()),
    beneficiaries: z.array(
      z.object({ initials: z.string(), birthYear: z.number(), communeName: z.string(), funded: z.number(), handedOver: z.boolean(), handoverOn: z.string().nullable() }),
    ),
    handovers: z.array(z.object({ communeName: z.string(), heldOn: z.string(), minutesNumber: z.string().nullable(), cards: z.number(), handedOver: z.number() })),
  }),
  unspent: z.number(),
});

const totals = z.object({ received: z.number(), paid: z.number(), refunded: z.number(), held: z.number() });

export const publicLedgerSchema = z.object({
  programme: z.object({ name: z.string(), slug: z.string() }),
  totals,
  found: totals.extend({ count: z.number() }),
  page: z.number(),
  pages: z.number(),
  rows: z.array(
    z.object({
      on: z.string(),
      kind: z.enum(LEDGER_KINDS),
      reversal: z.boolean(),
      donor: z.string().nullable(),
      donorKind: z.string().nullable(),
      amount: z.number(),
      cards: z.number().nullable(),
      method: z.string().nullable(),
    }),
  ),
});
