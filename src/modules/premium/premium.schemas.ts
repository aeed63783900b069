import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';
import { text } from '../../validation';

export const isoDate = z.string().refine(isIsoDate, { message: 'iso_date' });

export const quoteMemberInput = z
  .object({
    groups: z.array(z.string().max(20)).max(10),
    birthDate: z.string().max(10).optional(),
    province: z.string().max(3).optional(),
    previousCardTo: z.string().max(10).optional(),
    grade: z.number().int().optional(),
  })
  .strict();

/** Types only here: the rules engine checks the values and names the field it refuses. */
export const quoteInput = z
  .object({
    date: z.string().max(10),
    months: z.number().int(),
    members: z.array(quoteMemberInput).max(200),
    enrolledThisYear: z.number().int().optional(),
    province: z.string().max(3).optional(),
  })
  .strict();

export const baseSalaryInput = z
  .object({
    from: isoDate,
    amount: z.number().int().positive().max(1_000_000_000),
    source: text(300),
    note: text(500).optional(),
    uncertain: z.boolean().optional(),
  })
  .strict();

export const localPolicyInput = z
  .object({
    province: z.string().min(2).max(3),
    nameVi: text(200),
    nameEn: text(200).optional(),
    groups: z.array(z.string().max(20)).max(30).optional(),
    ageFrom: z.number().int().min(0).max(150).optional(),
    ageBelow: z.number().int().min(1).max(151).optional(),
    /** Percent of what remains after the state share, e.g. 20 or 12.5. */
    percent: z.number().min(0).max(100),
    from: isoDate,
    to: isoDate.optional(),
    source: text(300),
    note: text(500).optional(),
    uncertain: z.boolean().optional(),
  })
  .strict();

export type QuoteRequest = z.input<typeof quoteInput>;
export type BaseSalaryInput = z.input<typeof baseSalaryInput>;
export type LocalPolicyInput = z.input<typeof localPolicyInput>;
