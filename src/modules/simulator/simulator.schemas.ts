/**
 * Inputs and answers of the local support simulator (issue 21 item 5).
 */
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';
import { SIMULATOR_GROUPS } from '../../domain/support-simulation';
import { text } from '../../validation';

const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isIsoDate(s), { message: 'iso_date' });

/** What to simulate. Exactly one of topUpPct and topUpAmount. */
export const simulateInput = z
  .object({
    /** A province or a commune. */
    unitCode: z.string().trim().min(1).max(20),
    group: z.enum(SIMULATOR_GROUPS),
    /** Percent of each member's premium, e.g. 30 or 12.5 (over 100 is refused with its own message). */
    topUpPct: z.number().gt(0).max(1000).optional(),
    /** Dong per person for 12 months. */
    topUpAmount: z.number().int().positive().max(100_000_000).optional(),
    /** For the group 'communes': commune codes of the unit. */
    communes: z.array(z.string().trim().min(1).max(20)).max(500).optional(),
    from: isoDate,
    months: z.number().int().min(1).max(60),
    /** Percent of the uncovered persons the support reaches expected to join (default: from the register). */
    takeUpPct: z.number().min(0).max(100).optional(),
  })
  .strict();
export type SimulateInput = z.input<typeof simulateInput>;

export const saveScenarioInput = simulateInput.extend({ name: text(160) }).strict();
export type SaveScenarioInput = z.input<typeof saveScenarioInput>;

export const approveRuleInput = z.object({ decision: text(200), from: isoDate }).strict();
export type ApproveRuleInput = z.input<typeof approveRuleInput>;

/**
 * Changes to a draft rule before its approval (at least one): the top-up (a % of the premium or an amount
 * per person per year, one of them), the first day and the months, the communes it is limited to (an empty
 * list: the whole province, for a province's rule), the source.
 */
export const editRuleInput = z
  .object({
    topUpPct: z.number().gt(0).max(1000).optional(),
    topUpAmount: z.number().int().positive().max(100_000_000).optional(),
    from: isoDate.optional(),
    months: z.number().int().min(1).max(60).optional(),
    communes: z.array(z.string().trim().min(1).max(20)).max(500).optional(),
    source: text(200).optional(),
  })
  .strict();
export type EditRuleInput = z.input<typeof editRuleInput>;

const money = z.number().int();
export const simulationSchema = z.object({
  unitCode: z.string(),
  unitName: z.string(),
  province: z.string(),
  group: z.enum(SIMULATOR_GROUPS),
  groupName: z.string(),
  topUpPct: z.number().nullable(),
  topUpAmount: money.nullable(),
  communes: z.array(z.string()),
  from: z.string(),
  months: z.number().int(),
  /** The last day of the period (inclusive). */
  to: z.string(),
  persons: z.number().int(),
  covered: z.number().int(),
  uncovered: z.number().int(),
  statePaid: z.number().int(),
  reachable: z.number().int(),
  unpriced: z.number().int(),
  budgetCost: money,
  periodCost: money,
  expectedNew: z.number().int(),
  coveragePctBefore: z.number(),
  coveragePctAfter: z.number(),
  costPerExtraPerson: money.nullable(),
  takeUpPct: z.number(),
  takeUpDefaultPct: z.number(),
  renewalRatePct: z.number().nullable(),
  enrolmentRatePct: z.number().nullable(),
  supportSharePct: z.number(),
  byGroup: z.array(z.object({ group: z.string(), persons: z.number().int(), covered: z.number().int(), cost: money })),
});

export const ruleStatusSchema = z.object({
  id: z.string(),
  status: z.enum(['draft', 'approved']),
  decision: z.string().nullable(),
  from: z.string(),
  /** The first day it no longer applies. */
  to: z.string().nullable(),
  /** Whole months from `from` to `to` (null: open-ended). */
  months: z.number().int().nullable(),
  source: z.string(),
  /** The top-up: a % of the premium, or an amount per person per year. */
  topUpPct: z.number().nullable(),
  topUpAmount: money.nullable(),
  /** The communes it is limited to (null: the whole province). */
  communes: z.array(z.string()).nullable(),
});

export const scenarioSchema = z.object({
  id: z.string(),
  name: z.string(),
  unitCode: z.string(),
  input: simulateInput,
  result: simulationSchema,
  rule: ruleStatusSchema.nullable(),
  canAdopt: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
});
