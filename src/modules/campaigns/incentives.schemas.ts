/** Inputs and answers of gifts and vouchers (issue 20 item 5). */
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';
import { blankableText } from '../../validation';

const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isIsoDate(s), { message: 'iso_date' });
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'uuid' });

export const issueIncentiveInput = z
  .object({
    personId: uuid,
    kind: z.enum(['gift', 'voucher']),
    description: blankableText(200),
    /** Integer dong. */
    value: z.number().int().min(0).max(100_000_000),
    sponsor: blankableText(200),
    campaignId: uuid.nullable().optional(),
    eventId: uuid.nullable().optional(),
    issuedOn: isoDate.optional(),
    /** Vouchers: the last day it can be redeemed (default a year after it is given). */
    expiresOn: isoDate.nullable().optional(),
  })
  .strict();
export type IssueIncentiveInput = z.input<typeof issueIncentiveInput>;

export const redeemInput = z
  .object({
    code: z.string().trim().min(4).max(20),
    /** The renewal's card, when it is in the register already. */
    cardId: uuid.nullable().optional(),
  })
  .strict();
export type RedeemInput = z.input<typeof redeemInput>;

export const incentiveListQuery = z.object({ personId: uuid.optional(), campaignId: uuid.optional() }).strict();
export const ledgerQuery = z.object({ campaign: uuid }).strict();

export const incentiveSchema = z.object({
  id: z.string(),
  personId: z.string(),
  householdId: z.string(),
  communeCode: z.string(),
  kind: z.enum(['gift', 'voucher']),
  description: z.string().nullable(),
  value: z.number(),
  sponsor: z.string().nullable(),
  campaignId: z.string().nullable(),
  eventId: z.string().nullable(),
  code: z.string().nullable(),
  expiresOn: z.string().nullable(),
  issuedOn: z.string(),
  issuedBy: z.string(),
  redeemedAt: z.string().nullable(),
  redeemedBy: z.string().nullable(),
  redeemedCardId: z.string().nullable(),
});

const line = z.object({ issued: z.number(), issuedValue: z.number(), redeemed: z.number(), redeemedValue: z.number(), expired: z.number(), expiredValue: z.number() });
export const ledgerSchema = z.object({
  campaign: z.object({ id: z.string(), name: z.string() }),
  kinds: z.array(line.extend({ kind: z.string(), outstanding: z.number(), outstandingValue: z.number() })),
  total: line,
});
