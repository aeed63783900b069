/**
 * Shapes of reported figures and targets: zod schemas shared by the routes (validation + OpenAPI) and the
 * services (parseInput). Zod checks types and ranges; the service checks units, scope and groups, and
 * names the field it refuses. Messages of this module's own keys live in the 'coverage' namespace.
 */
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';
import { text } from '../../validation';

/** A field problem whose message lives in the 'coverage' namespace of the catalogue. */
const COVERAGE = { ns: 'coverage' } as const;

export const isoDate = z.string().max(10).refine(isIsoDate, { message: 'iso_date' });
/** Unit codes: provinces and communes are digits, villages `<commune>.<local code>`. */
export const unitCode = z.string().trim().min(1).max(80);
/** A head count: a whole number, zero or more (Viet Nam has about 100 million people). */
export const count = z.number().int().min(0).max(1_000_000_000);
export const year = z.number().int().min(2000).max(2100);
/** Participant group codes (GD, HS, ...); the service upper-cases them and checks they exist. */
const groupCode = z.string().min(1).max(30);
const optionalText = (max: number) => text(max).nullable().optional();

/**
 * Figures of a unit on a date. Upsert by (unit, date): a field left out keeps what is stored, `null`
 * clears it. planYear defaults to the year of asOf when a plan is given.
 * A pre-2025 commune: `oldCode` (or a unitCode that is no current unit but an old code) stores the old
 * commune's participants and population towards its new commune, for year-over-year comparison; an old
 * commune split between several new communes needs `unitCode` too, naming the new commune the figure is
 * the part of (see docs/decisions.md).
 */
export const setFiguresInput = z
  .object({
    unitCode: unitCode.optional(),
    oldCode: z.string().trim().min(1).max(10).optional(),
    asOf: isoDate,
    participants: count.nullable().optional(),
    participantsByGroup: z.record(groupCode, count).nullable().optional(),
    voluntarySi: count.nullable().optional(),
    population: count.nullable().optional(),
    plan: count.nullable().optional(),
    planYear: year.nullable().optional(),
    planDecision: optionalText(100),
    source: optionalText(200),
    note: optionalText(1000),
  })
  .strict()
  .superRefine((f, ctx) => {
    if (f.unitCode === undefined && f.oldCode === undefined) ctx.addIssue({ code: 'custom', path: ['unitCode'], message: 'required' });
  });
export type SetFiguresInput = z.input<typeof setFiguresInput>;

export const figuresQuery = z
  .object({
    unit: unitCode,
    from: isoDate.optional(),
    to: isoDate.optional(),
  })
  .strict()
  .superRefine((q, ctx) => {
    if (q.from && q.to && q.from > q.to) ctx.addIssue({ code: 'custom', path: ['from'], message: 'date_range', params: COVERAGE });
  });
export type FiguresQuery = z.input<typeof figuresQuery>;

export const TARGET_KINDS = ['percent_population', 'participants'] as const;
/** What a target is a target of: BHYT (the default) or voluntary social insurance (a plan of participants). */
export const TARGET_PRODUCTS = ['bhyt', 'bhxh-tn'] as const;

/** A unit's coverage target for a year: a % of the population (95, 95.5) or a number of participants. */
export const setTargetInput = z
  .object({
    unitCode,
    year,
    kind: z.enum(TARGET_KINDS),
    value: z.number().min(0).max(1_000_000_000),
    decision: optionalText(100),
    product: z.enum(TARGET_PRODUCTS).optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.kind === 'percent_population' && t.value > 100) ctx.addIssue({ code: 'custom', path: ['value'], message: 'percent_over_100', params: COVERAGE });
    if (t.kind === 'participants' && !Number.isInteger(t.value))
      ctx.addIssue({ code: 'custom', path: ['value'], message: 'participants_integer', params: COVERAGE });
  });
export type SetTargetInput = z.input<typeof setTargetInput>;

export const targetsQuery = z
  .object({
    /** The unit and the units directly under it; the whole scope when absent. */
    unit: unitCode.optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
    /** Default 'bhyt'. */
    product: z.enum(TARGET_PRODUCTS).optional(),
  })
  .strict();
export type TargetsQuery = z.input<typeof targetsQuery>;

/** A staff member's recruitment target for a year; the unit defaults to the member's own unit. */
export const setStaffTargetInput = z
  .object({
    userId: z.uuid().optional(),
    username: z.string().trim().min(1).max(40).optional(),
    year,
    participants: z.number().int().min(0).max(10_000_000),
    unitCode: unitCode.nullable().optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if ((t.userId === undefined) === (t.username === undefined))
      ctx.addIssue({ code: 'custom', path: ['userId'], message: 'user_or_username', params: COVERAGE });
  });
export type SetStaffTargetInput = z.input<typeof setStaffTargetInput>;

export const staffTargetsQuery = targetsQuery;
export type StaffTargetsQuery = z.input<typeof staffTargetsQuery>;

// ---------------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------------

const nullableCount = z.number().nullable();

/** The reported values of a unit: a stored figure's, or those known on a date (coverage.schemas.ts). */
export const reportedValues = {
  participants: nullableCount,
  participantsByGroup: z.record(z.string(), z.number()).nullable(),
  voluntarySi: nullableCount,
  population: nullableCount,
  plan: nullableCount,
  planYear: nullableCount,
  planDecision: z.string().nullable(),
  source: z.string().nullable(),
};

export const figureSchema = z.object({
  id: z.string(),
  unitCode: z.string(),
  unitName: z.string(),
  asOf: z.string(),
  ...reportedValues,
  note: z.string().nullable(),
  /** participants / plan in %, 2 decimals (93.42); null when either is missing or the plan is 0. */
  percentOfPlan: nullableCount,
  /** participants / population in %, 2 decimals (88.21). */
  percentOfPopulation: nullableCount,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});

export const warningSchema = z.object({ path: z.string(), code: z.string(), message: z.string() });

export const savedFigureSchema = figureSchema.extend({ created: z.boolean(), warnings: z.array(warningSchema) });

export const targetSchema = z.object({
  id: z.string(),
  unitCode: z.string(),
  unitName: z.string(),
  year: z.number(),
  kind: z.enum(TARGET_KINDS),
  value: z.number(),
  decision: z.string().nullable(),
  product: z.enum(TARGET_PRODUCTS),
  updatedBy: z.string(),
  updatedAt: z.string(),
});

export const staffTargetSchema = z.object({
  id: z.string(),
  userId: z.string(),
  username: z.string(),
  displayName: z.string(),
  year: z.number(),
  participants: z.number(),
  unitCode: z.string().nullable(),
  unitName: z.string().nullable(),
  updatedBy: z.string(),
  updatedAt: z.string(),
});

export const staffProgressSchema = staffTargetSchema.extend({
  recruited: z.number(),
  pct: z.number().nullable(),
  missing: z.number(),
});

export const staffProgressQuery = z
  .object({
    unit: unitCode.optional(),
    year: z.coerce.number().int().min(2000).max(2100).optional(),
  })
  .strict();

export const importErrorSchema = z.object({ row: z.number(), column: z.string(), value: z.string(), message: z.string() });

export const importReportSchema = z.object({
  rows: z.number(),
  inserted: z.number(),
  updated: z.number(),
  rejected: z.number(),
  errors: z.array(importErrorSchema),
  ignoredColumns: z.array(z.string()),
  rolledBack: z.boolean(),
});
