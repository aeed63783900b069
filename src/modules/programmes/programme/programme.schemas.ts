/**
 * Shapes of programmes: zod schemas shared by the routes (validation + OpenAPI), the CLI and the
 * services (parseInput). Messages of this module's own keys live in the 'programmes' namespace.
 */
import { z } from 'zod';
import { stepConfirm } from './confirm';
import { isIsoDate } from '../../../domain/dates';
import { PROGRAMME_STATUSES } from '../../../domain/programme-status';
import { text } from '../../../validation';

/** A field problem whose message lives in the 'programmes' namespace of the catalogue. */
export const PROGRAMMES = { ns: 'programmes' } as const;

export const AREA_KINDS = ['province', 'communes', 'area'] as const;
export const SELECTION_MODES = ['concentrate', 'spread'] as const;
export const PRIORITY_MODES = ['weights', 'tiers'] as const;

export const isoDate = z.string().max(10).refine(isIsoDate, { message: 'iso_date' });
export const unitCode = z.string().trim().min(1).max(80);
/** Money: integer dong, positive, at most 10^13 (ten thousand billion dong): sums stay safe integers. */
export const amount = z.number().int().min(1).max(10_000_000_000_000);
const tag = z.string().trim().min(1).max(40);
const optionalText = (max: number) => text(max).nullable().optional();

const programmeFields = {
  name: text(200),
  ownerUnitCode: unitCode,
  areaKind: z.enum(AREA_KINDS),
  areaCodes: z.array(unitCode).max(500).optional(),
  areaNote: optionalText(1000),
  cardMonths: z.number().int().min(1).max(12),
  purchaseDate: isoDate,
  deadline: isoDate,
  handoverSeason: optionalText(100),
  selectionMode: z.enum(SELECTION_MODES).optional(),
  priorityMode: z.enum(PRIORITY_MODES).optional(),
  /** weights: {"pupil": 2}; tiers: ["storm_victim", "pupil"] (first = highest). */
  priorities: z.union([z.record(tag, z.number().min(0).max(1_000_000)), z.array(tag).max(50)]).optional(),
  /** Hand-set commune quotas in dong (spread mode); null = proportional. */
  communeQuotas: z.record(unitCode, z.number().int().min(0).max(10_000_000_000_000)).nullable().optional(),
  publicEnabled: z.boolean().optional(),
};

export const createProgrammeInput = z
  .object(programmeFields)
  .strict()
  .superRefine((p, ctx) => {
    if (p.deadline < p.purchaseDate) ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'deadline_before_purchase', params: PROGRAMMES });
  });
export type CreateProgrammeInput = z.input<typeof createProgrammeInput>;

export const updateProgrammeInput = z
  .object(programmeFields)
  .partial()
  .strict()
  .superRefine((p, ctx) => {
    if (p.deadline && p.purchaseDate && p.deadline < p.purchaseDate)
      ctx.addIssue({ code: 'custom', path: ['deadline'], message: 'deadline_before_purchase', params: PROGRAMMES });
  });
export type UpdateProgrammeInput = z.input<typeof updateProgrammeInput>;

export const statusInput = z.object({ to: z.enum(PROGRAMME_STATUSES), note: optionalText(1000), confirm: stepConfirm.optional() }).strict();
export type StatusInput = z.input<typeof statusInput>;

export const programmeListQuery = z
  .object({
    status: z.enum(PROGRAMME_STATUSES).optional(),
    q: z.string().trim().max(100).optional(),
  })
  .strict();
export type ProgrammeListQuery = z.input<typeof programmeListQuery>;

export const idParams = z.object({ id: z.uuid() }).strict();

// ---------------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------------

export const balanceSchema = z.object({
  /** Confirmed pledges. */
  pledged: z.number(),
  /** Receipts in total. */
  received: z.number(),
  /** Returned to donors. */
  refunded: z.number(),
  /** Committed to live awards not yet paid to the social insurance office. */
  awarded: z.number(),
  /** Paid to the social insurance office. */
  paid: z.number(),
  /** Free money: received - refunded - awarded - paid. */
  available: z.number(),
});

export const programmeSchema = z.object({
  id: z.string(),
  name: z.string(),
  ownerUnitCode: z.string(),
  ownerUnitName: z.string(),
  areaKind: z.enum(AREA_KINDS),
  areaCodes: z.array(z.string()),
  areaNote: z.string().nullable(),
  cardMonths: z.number(),
  purchaseDate: z.string(),
  deadline: z.string(),
  handoverSeason: z.string().nullable(),
  status: z.enum(PROGRAMME_STATUSES),
  selectionMode: z.enum(SELECTION_MODES),
  priorityMode: z.enum(PRIORITY_MODES),
  priorities: z.union([z.record(z.string(), z.number()), z.array(z.string())]),
  communeQuotas: z.record(z.string(), z.number()).nullable(),
  publicSlug: z.string(),
  publicEnabled: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  /** Deadline passed and the cards not yet handed over. */
  overdue: z.boolean(),
  /** May the caller change it (owner in scope and a writing role)? */
  canWrite: z.boolean(),
  balance: balanceSchema,
});

export const statusChangeSchema = z.object({
  id: z.string(),
  fromStatus: z.enum(PROGRAMME_STATUSES).nullable(),
  toStatus: z.enum(PROGRAMME_STATUSES),
  actorName: z.string(),
  at: z.string(),
  note: z.string().nullable(),
});

export const programmeDetailSchema = programmeSchema.extend({
  history: z.array(statusChangeSchema),
  /** The statuses one step away (forward, and back when allowed). */
  next: z.enum(PROGRAMME_STATUSES).nullable(),
  previous: z.enum(PROGRAMME_STATUSES).nullable(),
  nextAction: z.enum(['approve', 'submit', 'issue', 'handover']).nullable(),
  areaUnits: z.array(z.object({ code: z.string(), name: z.string() })),
});
