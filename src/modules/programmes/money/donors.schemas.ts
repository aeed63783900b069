/** Shapes of donors, pledges, receipts, refunds and hand-made awards (routes, CLI, services). */
import { z } from 'zod';
import { moneyConfirm } from '../programme/confirm';
import { text } from '../../../validation';
import { amount, isoDate, unitCode } from '../programme/programme.schemas';

export const DONOR_KINDS = ['organisation', 'business', 'individual', 'officials'] as const;
export const PAYMENT_METHODS = ['cash', 'bank_transfer', 'other'] as const;
export const PLEDGE_STATUSES = ['proposed', 'confirmed', 'cancelled'] as const;

const optionalText = (max: number) => text(max).nullable().optional();
const tag = z.string().trim().min(1).max(40);

export const createDonorInput = z
  .object({
    /** The unit whose staff keep this donor (province or commune in scope). */
    ownerUnitCode: unitCode,
    kind: z.enum(DONOR_KINDS),
    name: text(200),
    contact: optionalText(200),
    publicConsent: z.boolean().optional(),
  })
  .strict();
export type CreateDonorInput = z.input<typeof createDonorInput>;

export const updateDonorInput = createDonorInput.omit({ ownerUnitCode: true }).partial().strict();
export type UpdateDonorInput = z.input<typeof updateDonorInput>;

export const donorListQuery = z.object({ q: z.string().trim().max(100).optional() }).strict();

export const createPledgeInput = z
  .object({
    donorId: z.uuid(),
    amount,
    earmarkCommuneCode: unitCode.nullable().optional(),
    earmarkTag: tag.nullable().optional(),
    pledgedOn: isoDate,
    note: optionalText(1000),
  })
  .strict();
export type CreatePledgeInput = z.input<typeof createPledgeInput>;

/** A pledge offered on the public page: the donor is created with it, and staff confirm it later. */
export const publicPledgeInput = z
  .object({
    kind: z.enum(DONOR_KINDS),
    name: text(200),
    contact: text(200),
    publicConsent: z.boolean().optional(),
    amount,
    earmarkCommuneCode: unitCode.nullable().optional(),
    earmarkTag: tag.nullable().optional(),
    note: optionalText(1000),
  })
  .strict();
export type PublicPledgeInput = z.input<typeof publicPledgeInput>;

export const createReceiptInput = z
  .object({
    donorId: z.uuid(),
    pledgeId: z.uuid().nullable().optional(),
    amount,
    receivedOn: isoDate,
    method: z.enum(PAYMENT_METHODS),
    reference: optionalText(200),
    /** What the user confirmed: { count: 1, amount } (src/modules/programmes/programme/confirm.ts). */
    confirm: moneyConfirm.optional(),
  })
  .strict();
export type CreateReceiptInput = z.input<typeof createReceiptInput>;

export const createRefundInput = z
  .object({
    receiptId: z.uuid(),
    amount,
    refundedOn: isoDate,
    reason: optionalText(1000),
    /** What the user confirmed: { count: 1, amount } (src/modules/programmes/programme/confirm.ts). */
    confirm: moneyConfirm.optional(),
  })
  .strict();
export type CreateRefundInput = z.input<typeof createRefundInput>;

/** One person awarded a card by hand: the amount is priced by the rules engine unless given. */
export const createAwardInput = z
  .object({
    personId: z.uuid(),
    groupCode: z.string().trim().min(1).max(30).optional(),
    amount: amount.optional(),
    tags: z.array(tag).max(20).optional(),
    /** The date the card is priced on (default: the programme's purchase date). */
    pricedOn: isoDate.optional(),
    /** What the user confirmed: { count: 1, amount } (src/modules/programmes/programme/confirm.ts). */
    confirm: moneyConfirm.optional(),
  })
  .strict();
export type CreateAwardInput = z.input<typeof createAwardInput>;

export const cancelAwardInput = z.object({ reason: optionalText(1000), confirm: moneyConfirm.optional() }).strict();

// ---------------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------------

export const donorSchema = z.object({
  id: z.string(),
  ownerUnitCode: z.string(),
  kind: z.enum(DONOR_KINDS),
  name: z.string(),
  contact: z.string().nullable(),
  publicConsent: z.boolean(),
  createdAt: z.string(),
});

export const pledgeSchema = z.object({
  id: z.string(),
  programmeId: z.string(),
  donorId: z.string(),
  donorName: z.string(),
  amount: z.number(),
  earmarkCommuneCode: z.string().nullable(),
  earmarkCommuneName: z.string().nullable(),
  earmarkTag: z.string().nullable(),
  status: z.enum(PLEDGE_STATUSES),
  source: z.enum(['staff', 'public']),
  pledgedOn: z.string(),
  note: z.string().nullable(),
  createdAt: z.string(),
  confirmedBy: z.string().nullable(),
  confirmedAt: z.string().nullable(),
  /** Receipts against this pledge, less their refunds. */
  received: z.number(),
  /** The payment reference a bank transfer carries (e.g. CD7K3M9R). */
  reference: z.string().nullable(),
  /** The VietQR payload (EMVCo text) to pay it into the programme's receiving account; null without an account. */
  vietqr: z.string().nullable().optional(),
});

export const receiptSchema = z.object({
  id: z.string(),
  programmeId: z.string(),
  donorId: z.string(),
  donorName: z.string(),
  pledgeId: z.string().nullable(),
  amount: z.number(),
  receivedOn: z.string(),
  method: z.enum(PAYMENT_METHODS),
  reference: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
  funded: z.number(),
  refunded: z.number(),
  remaining: z.number(),
});

export const refundSchema = z.object({
  id: z.string(),
  programmeId: z.string(),
  receiptId: z.string(),
  donorName: z.string(),
  amount: z.number(),
  refundedOn: z.string(),
  reason: z.string().nullable(),
  createdBy: z.string(),
  createdAt: z.string(),
});

export const awardSchema = z.object({
  id: z.string(),
  programmeId: z.string(),
  roundId: z.string().nullable(),
  householdId: z.string(),
  personId: z.string(),
  communeCode: z.string(),
  groupCode: z.string(),
  tags: z.array(z.string()),
  amount: z.number(),
  status: z.enum(['awarded', 'submitted', 'issued', 'handed_over', 'cancelled']),
  createdAt: z.string(),
});

export const awardListItemSchema = awardSchema.omit({ programmeId: true }).extend({ fullName: z.string().nullable() });

export const ledgerEntrySchema = z.object({
  id: z.string(),
  txnId: z.string(),
  kind: z.string(),
  account: z.enum(['cash', 'fund', 'awarded', 'paid', 'refunded']),
  amount: z.number(),
  receiptId: z.string().nullable(),
  awardId: z.string().nullable(),
  memo: z.string().nullable(),
  postedBy: z.string(),
  postedAt: z.string(),
});
