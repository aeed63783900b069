/**
 * Shapes of candidates, nominations, selection rounds, the D03-TS list and issued cards: zod schemas for
 * the routes (validation + OpenAPI) and the CLI.
 */
import { z } from 'zod';
import { moneyConfirm, stepConfirm } from '../programme/confirm';
import { isIsoDate } from '../../../domain/dates';

const isoDate = z.string().max(10).refine(isIsoDate, { message: 'iso_date' });
const flag = z.enum(['true', 'false', '1', '0']).optional().transform((v) => (v === undefined ? undefined : v === 'true' || v === '1'));

export const CANDIDATE_STATUSES = ['eligible', 'already_covered', 'state_budget', 'no_priority', 'unpriceable'] as const;

export const idParams = z.object({ id: z.uuid() }).strict();
export const roundParams = z.object({ id: z.uuid(), roundId: z.uuid() }).strict();
export const personParams = z.object({ id: z.uuid(), personId: z.uuid() }).strict();

export const candidatesQuery = z
  .object({
    commune: z.string().trim().max(20).optional(),
    status: z.enum(CANDIDATE_STATUSES).optional(),
    tag: z.string().trim().max(40).optional(),
    limit: z.coerce.number().int().min(1).max(5000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const nominateInput = z
  .object({
    personIds: z.array(z.uuid()).min(1).max(5000),
    tags: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
    note: z.string().trim().max(500).nullable().optional(),
  })
  .strict();

export const runRoundInput = z
  .object({
    budget: z.number().int().min(0).max(10_000_000_000_000).optional(),
    mode: z.enum(['concentrate', 'spread']).optional(),
    note: z.string().trim().max(500).nullable().optional(),
    /** Earmarked money its earmark cannot use may fund others (shown on the round first). */
    releaseEarmarks: z.boolean().optional(),
  })
  .strict();

export const roundQuery = z
  .object({
    commune: z.string().trim().max(20).optional(),
    selected: flag,
    limit: z.coerce.number().int().min(1).max(5000).default(200),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

export const noteInput = z.object({ note: z.string().trim().max(1000).nullable().optional() }).strict();
/** Approve a round, submit or withdraw the D03-TS list: a note and what the user confirmed (src/modules/programmes/programme/confirm.ts). */
export const confirmedNoteInput = noteInput.extend({ confirm: moneyConfirm.optional() }).strict();
export const unsubmitInput = z.object({ reason: z.string().trim().min(1).max(1000), confirm: moneyConfirm.optional() }).strict();

export const issuedCardInput = z
  .object({
    awardId: z.uuid().optional(),
    citizenId: z.string().trim().max(20).optional(),
    insuranceCode: z.string().trim().max(20).optional(),
    cardNumber: z.string().trim().min(1).max(30),
    validFrom: isoDate,
    validTo: isoDate,
    /** Records a card that overlaps another card of the person (a real correction): why; audited. */
    overlapReason: z.string().trim().min(1).max(500).optional(),
  })
  .strict();

export const issueCardsInput = z.object({ cards: z.array(issuedCardInput).min(1).max(10_000), confirm: stepConfirm.optional() }).strict();
/** ?confirm=true: importing the cards may move the programme to 'cards_issued'; ?overlapReason=: why a card may overlap another. */
export const issueImportQuery = z.object({ confirm: z.enum(['true']).optional(), overlapReason: z.string().trim().min(1).max(500).optional() }).strict();

export const uploadQuery = z.object({ dryRun: flag }).strict();

// ---------------------------------------------------------------------------------------------------
// Answers
// ---------------------------------------------------------------------------------------------------

/** Who a candidate, a frozen list line or an award is, as the lists show them. */
const personFields = {
  personId: z.string(),
  householdId: z.string(),
  communeCode: z.string(),
  communeName: z.string().nullable(),
  fullName: z.string(),
  birthDate: z.string(),
  sex: z.string(),
  citizenId: z.string().nullable(),
  insuranceCode: z.string().nullable(),
  address: z.string().nullable(),
};

/** The card a programme buys a person: from the purchase date, or a renewal after the current card (issue 16). */
const donatedCardSchema = z.object({ from: z.string(), to: z.string(), months: z.number(), renewal: z.boolean() }).nullable();

/** What the priority rules looked at and what they gave (a candidate, and its frozen copy in a round). */
const priorityFields = {
  villageCode: z.string().nullable(),
  ethnicity: z.string().nullable(),
  coveredUntil: z.string().nullable(),
  card: donatedCardSchema,
  enrolledThisYear: z.number(),
  tags: z.array(z.string()),
  pricingGroup: z.string().nullable(),
  value: z.number(),
  cost: z.number().nullable(),
};

const candidateSchema = z.object({
  ...personFields,
  ...priorityFields,
  householdCode: z.string(),
  povertyStatus: z.string(),
  nominated: z.boolean(),
  /** The card held on or after the purchase date ("đang có thẻ đến ..."), null: none. */
  currentCard: z.object({ number: z.string().nullable(), validFrom: z.string().nullable(), validTo: z.string() }).nullable(),
  groups: z.array(z.string()),
  status: z.enum(CANDIDATE_STATUSES),
  message: z.string().optional(),
});

export const candidateListSchema = z.object({
  summary: z.object({
    purchaseDate: z.string(),
    periodEnd: z.string(),
    months: z.number(),
    priorityMode: z.enum(['weights', 'tiers']),
    weights: z.record(z.string(), z.number()),
    tiers: z.array(z.string()).optional(),
    countAll: z.boolean(),
    total: z.number(),
    coveredInArea: z.number(),
    byStatus: z.record(z.string(), z.number()),
    eligibleCost: z.number(),
    communes: z.array(z.object({ code: z.string(), name: z.string().nullable(), total: z.number(), eligible: z.number(), stateBudget: z.number(), eligibleCost: z.number() })),
  }),
  matching: z.number(),
  items: z.array(candidateSchema),
});

export const nominationSchema = z.object({
  personId: z.string(),
  householdId: z.string(),
  communeCode: z.string(),
  fullName: z.string().nullable(),
  birthDate: z.string().nullable(),
  tags: z.array(z.string()),
  note: z.string().nullable(),
  nominatedBy: z.string(),
  createdAt: z.string(),
});

const rowErrorSchema = z.object({ row: z.number(), column: z.string(), value: z.string(), message: z.string() });

export const nominationImportSchema = z.object({
  rows: z.number(),
  nominated: z.number(),
  rejected: z.number(),
  register: z.object({ inserted: z.number(), updated: z.number(), unchanged: z.number(), rejected: z.number() }),
  errors: z.array(rowErrorSchema),
  rolledBack: z.boolean(),
});

/** Earmarked money in a round: what it had, what its earmark used, what is left (selection.service.ts EarmarkUse). */
export const earmarkUseSchema = z.object({
  commune: z.string().nullable(),
  tag: z.string().nullable(),
  available: z.number(),
  spent: z.number(),
  unspent: z.number(),
  selected: z.number(),
});

export const roundSchema = z.object({
  id: z.string(),
  programmeId: z.string(),
  number: z.number(),
  status: z.enum(['proposed', 'approved', 'discarded']),
  pricedOn: z.string(),
  months: z.number(),
  budget: z.number(),
  spent: z.number(),
  unspent: z.number(),
  objective: z.number(),
  bound: z.number().nullable(),
  /** The settings the round ran with (open: mode, weights, quotas, ...), and its earmarks' use when it had any. */
  params: z.looseObject({ earmarks: z.array(earmarkUseSchema).optional() }),
  selectedCount: z.number(),
  candidateCount: z.number(),
  createdBy: z.string(),
  createdAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});

const frozenSchema = z.object({
  ...personFields,
  ...priorityFields,
  householdCode: z.string().nullable(),
  povertyStatus: z.string().nullable(),
  groupCodes: z.array(z.string()),
  selected: z.boolean(),
  reason: z.string(),
  detail: z.string().nullable(),
  order: z.number().nullable(),
});

export const roundDetailSchema = z.object({
  round: roundSchema,
  totals: z.object({ selected: z.number(), rejected: z.number(), spent: z.number(), value: z.number(), stateBudget: z.number() }),
  communes: z.array(z.object({ code: z.string(), name: z.string().nullable(), candidates: z.number(), selected: z.number(), spent: z.number(), stateBudget: z.number() })),
  byReason: z.record(z.string(), z.number()),
  matching: z.number(),
  items: z.array(frozenSchema),
});

export const approvalSchema = z.object({ round: roundSchema, awards: z.number(), amount: z.number(), discarded: z.number() });

export const submissionSchema = z.object({ awards: z.number(), amount: z.number(), paid: z.object({ count: z.number(), amount: z.number() }) });

export const issueResultSchema = z.object({ recorded: z.number(), unchanged: z.number(), issued: z.number(), total: z.number(), programmeStatus: z.string() });

export const issuedCardsSchema = z.object({
  live: z.number(),
  issued: z.number(),
  items: z.array(
    z.object({
      ...personFields,
      id: z.string(),
      villageName: z.string().nullable(),
      householdCode: z.string().nullable(),
      groupCode: z.string(),
      amount: z.number(),
      tags: z.array(z.string()),
      status: z.string(),
      cardNumber: z.string().nullable(),
      cardFrom: z.string().nullable(),
      cardTo: z.string().nullable(),
      cardId: z.string().nullable(),
      /** The end of the card the person held when the round was run: a renewal's card starts the day after. */
      coveredUntil: z.string().nullable(),
    }),
  ),
});

export const issueImportSchema = z.object({ rows: z.number(), result: issueResultSchema.nullable(), errors: z.array(rowErrorSchema), rolledBack: z.boolean() });
