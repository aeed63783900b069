/**
 * Inputs and answers of campaigns (issue 20 item 3): a campaign month with its targets per kind, split
 * per commune, working group and staff member, and its progress.
 */
import { z } from 'zod';
import { SPLIT_LEVELS, TARGET_KINDS } from '../../domain/campaign';
import { isIsoDate } from '../../domain/dates';
import { blankableText, text } from '../../validation';

const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isIsoDate(s), { message: 'iso_date' });
const count = z.number().int().min(0).max(100_000_000);

/** The campaign's targets: persons per kind (a kind left out has no target). */
export const targetsInput = z
  .object({ bhyt_household: count.optional(), bhxh_tn: count.optional(), renewal: count.optional() })
  .strict();

export const splitInput = z.array(
  z
    .object({
      kind: z.enum(TARGET_KINDS),
      level: z.enum(SPLIT_LEVELS),
      /** A commune code, a working group's id, or a user (id or username). */
      ref: z.string().trim().min(1).max(100),
      value: count,
    })
    .strict(),
).max(5_000);

export const createCampaignInput = z
  .object({
    /** A province or a commune. */
    unitCode: z.string().trim().min(1).max(20),
    name: text(160),
    theme: blankableText(300),
    startsOn: isoDate,
    endsOn: isoDate,
    targets: targetsInput.default({}),
    split: splitInput.default([]),
  })
  .strict();
export type CreateCampaignInput = z.input<typeof createCampaignInput>;

export const updateCampaignInput = z
  .object({
    name: text(160).optional(),
    theme: blankableText(300),
    startsOn: isoDate.optional(),
    endsOn: isoDate.optional(),
    /** Replace the campaign's targets (kinds left out lose theirs). */
    targets: targetsInput.optional(),
    /** Replace the whole split. */
    split: splitInput.optional(),
  })
  .strict();
export type UpdateCampaignInput = z.input<typeof updateCampaignInput>;

export const progressQuery = z.object({ date: isoDate.optional() }).strict();

const reachedSchema = z.object({ target: z.number().nullable(), achieved: z.number(), pct: z.number().nullable() });
const byKind = z.object({ bhyt_household: reachedSchema, bhxh_tn: reachedSchema, renewal: reachedSchema });

export const campaignSchema = z.object({
  id: z.string(),
  unitCode: z.string(),
  unitName: z.string(),
  unitLevel: z.string(),
  name: z.string(),
  theme: z.string().nullable(),
  startsOn: z.string(),
  endsOn: z.string(),
  targets: z.object({ bhyt_household: z.number().nullable(), bhxh_tn: z.number().nullable(), renewal: z.number().nullable() }),
  split: z.array(z.object({ kind: z.enum(TARGET_KINDS), level: z.enum(SPLIT_LEVELS), ref: z.string(), name: z.string(), value: z.number() })),
  warnings: z.array(z.object({ kind: z.enum(TARGET_KINDS), level: z.enum(SPLIT_LEVELS), target: z.number(), split: z.number(), message: z.string() })),
  /** May the user asking change it. */
  canChange: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const progressSchema = z.object({
  campaign: campaignSchema,
  /** The last day counted: today while the campaign runs, its end after. */
  countedUntil: z.string(),
  kinds: byKind,
  fieldEnrolled: z.number(),
  communes: z.array(z.object({ code: z.string(), name: z.string(), rank: z.number(), kinds: byKind, fieldEnrolled: z.number(), pct: z.number().nullable(), achieved: z.number() })),
  groups: z.array(z.object({ id: z.string(), name: z.string(), communeCode: z.string(), kinds: byKind, fieldEnrolled: z.number() })),
  staff: z.array(z.object({ userId: z.string(), username: z.string(), displayName: z.string(), target: z.number().nullable(), achieved: z.number(), pct: z.number().nullable(), fieldEnrolled: z.number() })),
  days: z.array(z.object({ day: z.string(), bhyt_household: z.number(), bhxh_tn: z.number(), renewal: z.number(), fieldEnrolled: z.number() })),
});
