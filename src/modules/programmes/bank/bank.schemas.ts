/** Shapes of receiving accounts, statement lines, matches and the reconciliation report (routes, CLI, services). */
import { z } from 'zod';
import { text } from '../../../validation';
import { moneyConfirm } from '../programme/confirm';
import { amount } from '../programme/programme.schemas';

const FIELDS = ['date', 'amount', 'credit', 'debit', 'description', 'transactionId', 'counterparty'] as const;

/** An account's own statement columns: the header of each field (date, description and amount or credit required). */
export const statementMapping = z
  .partialRecord(z.enum(FIELDS), text(100))
  .refine((m) => Boolean(m.date && m.description && (m.amount || m.credit)), { message: 'mapping_incomplete', params: { ns: 'bank' } });

export const createAccountInput = z
  .object({
    /** The bank's 6-digit NAPAS BIN (GET /api/banks). */
    bin: z.string().trim().regex(/^\d{6}$/),
    accountNumber: z.string().trim().regex(/^[0-9A-Za-z]{1,19}$/),
    /** The account holder's name as the bank writes it (upper case, no marks). */
    accountName: text(100),
    mapping: statementMapping.nullable().optional(),
  })
  .strict();
export type CreateAccountInput = z.input<typeof createAccountInput>;

export const mappingInput = z.object({ mapping: statementMapping.nullable() }).strict();
export type MappingInput = z.input<typeof mappingInput>;

export const matchInput = z
  .object({
    parts: z
      .array(z.object({ pledgeId: z.uuid(), amount }).strict())
      .min(1)
      .max(50),
    confirm: moneyConfirm.optional(),
  })
  .strict();
export type MatchInput = z.input<typeof matchInput>;

export const undoInput = z.object({ confirm: moneyConfirm.optional() }).strict();

export const accountSchema = z.object({
  id: z.string(),
  programmeId: z.string(),
  bankBin: z.string(),
  bankName: z.string(),
  accountNumber: z.string(),
  accountName: z.string(),
  mapping: z.record(z.string(), z.string()).nullable(),
  active: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const bankSchema = z.object({ bin: z.string(), code: z.string(), shortName: z.string(), name: z.string() });

export const layoutSchema = z.object({ name: z.string(), label: z.string(), columns: z.record(z.string(), z.array(z.string())) });

export const importResultSchema = z.object({
  layout: z.string(),
  lines: z.number(),
  new: z.number(),
  duplicates: z.number(),
  skipped: z.number(),
  matched: z.number(),
  suggested: z.number(),
  unmatched: z.number(),
  outsidePeriod: z.number(),
});

export const matchSchema = z.object({
  id: z.string(),
  lineId: z.string(),
  pledgeId: z.string(),
  receiptId: z.string(),
  amount: z.number(),
  txnId: z.string(),
  matchedBy: z.string(),
  createdBy: z.string(),
  createdAt: z.string(),
  undoneAt: z.string().nullable(),
  undoTxnId: z.string().nullable(),
});

export const lineSchema = z.object({
  id: z.string(),
  accountId: z.string(),
  bankBin: z.string(),
  accountNumber: z.string(),
  bookedOn: z.string(),
  amount: z.number(),
  description: z.string(),
  transactionId: z.string().nullable(),
  counterparty: z.string().nullable(),
  fileName: z.string().nullable(),
  rowNumber: z.number().nullable(),
  importedAt: z.string(),
  matched: z.number(),
  left: z.number(),
  ageDays: z.number().nullable(),
  matches: z.array(matchSchema.extend({ reference: z.string().nullable(), donorName: z.string() })),
  suggestions: z.array(
    z.object({
      pledgeId: z.string(),
      score: z.number(),
      reasons: z.array(z.string()),
      reference: z.string(),
      donorName: z.string(),
      amount: z.number(),
      outstanding: z.number(),
    }),
  ),
});

export const reportSchema = z.object({
  programmeId: z.string(),
  programmeName: z.string(),
  ownerUnitCode: z.string(),
  days: z.array(z.object({ date: z.string(), lines: z.number(), total: z.number(), matched: z.number(), unmatched: z.number() })),
  lines: z.number(),
  total: z.number(),
  matched: z.number(),
  unmatched: z.number(),
  balanced: z.boolean(),
});

export const paymentSchema = z.object({
  pledgeId: z.string(),
  programmeName: z.string(),
  ownerUnitCode: z.string(),
  donorName: z.string(),
  reference: z.string().nullable(),
  amount: z.number(),
  account: z.object({ bin: z.string(), bankName: z.string(), accountNumber: z.string(), accountName: z.string() }).nullable(),
  vietqr: z.string().nullable(),
  /** The VietQR code as a PNG data URL. */
  qrPng: z.string().nullable(),
});
