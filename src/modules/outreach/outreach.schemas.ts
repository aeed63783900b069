/**
 * Inputs and answers of door to door (issue 19): working groups, the door-to-door list, visits (one, or a
 * batch sent by a phone coming back online), follow-ups, the review queue and the progress figures.
 * These schemas make the OpenAPI document the phone pages are built on.
 */
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';
import { OUTCOMES, PRODUCTS, REASONS, REPORTED_REASONS } from '../../domain/outreach';
import { blankableText, text } from '../../validation';

const optionalText = blankableText;

export const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isIsoDate(s), { message: 'iso_date' });

const uuidOf = (message: string) => z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message });

/** A user named by id or username. */
const userRef = z.string().trim().min(1).max(100);

// ---------------------------------------------------------------------------------------------------
// Working groups
// ---------------------------------------------------------------------------------------------------

export const createGroupInput = z
  .object({
    communeCode: z.string().trim().min(1).max(10),
    name: text(120),
    /** Villages of the commune: full codes ('02905.01') or the codes users type ('01'). */
    villages: z.array(z.string().trim().min(1).max(40)).min(1).max(200),
    /** The leader (id or username); made a member. */
    leader: userRef.nullable().optional(),
    /** Members (ids or usernames): field workers or commune officers of the commune. */
    members: z.array(userRef).max(100).default([]),
    periodFrom: isoDate.nullable().optional(),
    periodTo: isoDate.nullable().optional(),
    note: optionalText(500),
  })
  .strict();
export type CreateGroupInput = z.input<typeof createGroupInput>;

export const updateGroupInput = z
  .object({
    name: text(120).optional(),
    villages: z.array(z.string().trim().min(1).max(40)).min(1).max(200).optional(),
    leader: userRef.nullable().optional(),
    members: z.array(userRef).max(100).optional(),
    periodFrom: isoDate.nullable().optional(),
    periodTo: isoDate.nullable().optional(),
    note: optionalText(500),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateGroupInput = z.input<typeof updateGroupInput>;

export const groupListQuery = z
  .object({
    /** A province, office or commune (default: your scope). */
    unit: z.string().trim().max(20).optional(),
    /** Inactive groups too. */
    all: z.enum(['true', 'false']).optional(),
  })
  .strict();

const namedCode = z.object({ code: z.string(), name: z.string() });
export const memberSchema = z.object({ id: z.string(), username: z.string(), displayName: z.string(), role: z.string(), active: z.boolean() });

export const groupSchema = z.object({
  id: z.string(),
  communeCode: z.string(),
  communeName: z.string(),
  name: z.string(),
  villages: z.array(namedCode),
  leader: memberSchema.nullable(),
  members: z.array(memberSchema),
  periodFrom: z.string().nullable(),
  periodTo: z.string().nullable(),
  note: z.string().nullable(),
  active: z.boolean(),
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const workerListQuery = z.object({ commune: z.string().trim().min(1).max(10) }).strict();

// ---------------------------------------------------------------------------------------------------
// The door-to-door list
// ---------------------------------------------------------------------------------------------------

export const doorListQuery = z
  .object({
    /** The day (default today). */
    date: isoDate.optional(),
    /** A card ending within this many days puts its holder on the list (default 30). */
    days: z.coerce.number().int().min(0).max(365).default(30),
    /** The card period priced (default 12 months). */
    months: z.coerce.number().int().min(1).max(12).default(12),
    /** One village of the group. */
    village: z.string().trim().max(40).optional(),
  })
  .strict();
export type DoorListQuery = z.input<typeof doorListQuery>;

export const PERSON_STATUSES = ['covered', 'expiring', 'uncovered', 'never_insured', 'card_waiting'] as const;
export const STAGES = ['not_visited', 'visited', 'promised', 'enrolled', 'card_active'] as const;

export const priceSchema = z.object({
  months: z.number(),
  /** The participant group that prices the card (GD household, HN poor, ...). */
  group: z.string(),
  /** Place in the household order (household mode), null outside it. */
  order: z.number().nullable(),
  premium: z.number(),
  state: z.number(),
  local: z.number(),
  /** What the household pays. */
  payable: z.number(),
  validFrom: z.string(),
  validTo: z.string(),
  /** The state pays the whole premium: check the card was issued rather than sell one. */
  statePaysInFull: z.boolean(),
});

const lastVisitSchema = z.object({ outcome: z.enum(OUTCOMES), visitedAt: z.string(), followUp: z.string().nullable(), reason: z.enum(REASONS).nullable() });

export const doorPersonSchema = z.object({
  id: z.string(),
  fullName: z.string(),
  birthDate: z.string(),
  sex: z.string(),
  relationship: z.string().nullable(),
  /** The citizen id's last 4 digits only (the field needs no more). */
  citizenIdLast4: z.string().nullable(),
  insuranceCodeLast4: z.string().nullable(),
  phone: z.string().nullable(),
  groupCodes: z.array(z.string()),
  status: z.enum(PERSON_STATUSES),
  /** Last day of the latest card. */
  cardTo: z.string().nullable(),
  needsCard: z.boolean(),
  price: priceSchema.nullable(),
  /** Why no price (the rules engine's message), when the person needs a card. */
  priceError: z.string().nullable(),
  stage: z.enum(STAGES),
  lastVisit: lastVisitSchema.nullable(),
  /** Open donation programmes the person may be nominated for (the nomination flow). */
  programmes: z.array(z.object({ id: z.string(), name: z.string(), nominated: z.boolean() })),
});

export const doorHouseholdSchema = z.object({
  id: z.string(),
  code: z.string(),
  villageCode: z.string().nullable(),
  villageName: z.string().nullable(),
  address: z.string().nullable(),
  povertyStatus: z.string(),
  /** What the phone sends back with a visit (householdVersion): a visit after a change is flagged. */
  version: z.string(),
  /** What the household pays for the members who need a card. */
  payable: z.number(),
  lastVisitAt: z.string().nullable(),
  members: z.array(doorPersonSchema),
});

export const doorListSchema = z.object({
  group: z.object({ id: z.string(), name: z.string(), communeCode: z.string(), communeName: z.string(), villages: z.array(namedCode) }),
  date: z.string(),
  days: z.number(),
  months: z.number(),
  households: z.array(doorHouseholdSchema),
  summary: z.object({ households: z.number(), persons: z.number(), needCard: z.number(), visitedHouseholds: z.number() }),
});

// ---------------------------------------------------------------------------------------------------
// Visits
// ---------------------------------------------------------------------------------------------------

export const visitInput = z
  .object({
    /** The id the phone made for this visit (a UUID): sending it again stores it once. */
    clientId: uuidOf('client_id_format'),
    groupId: uuidOf('invalid_format'),
    /** The person visited (from the list), or by citizenId (12 digits) or insurance code (10). */
    personId: uuidOf('invalid_format').nullable().optional(),
    citizenId: z.string().trim().max(20).nullable().optional(),
    /** The household; alone (no person) for "nobody at home". */
    householdId: uuidOf('invalid_format').nullable().optional(),
    outcome: z.enum(OUTCOMES),
    /** enrolled: household BHYT or another product. */
    product: z.enum(PRODUCTS).nullable().optional(),
    receiptNumber: optionalText(40),
    /** enrolled: the card number if known; refused as insured elsewhere: the other card's number. */
    cardNumber: optionalText(40),
    /** refused: why. */
    reason: z.enum(REASONS).nullable().optional(),
    /** promised or not at home: when to come back. */
    followUp: isoDate.nullable().optional(),
    note: optionalText(1000),
    /** The phone's time: '2026-03-18T09:30:00+07:00' (or a day). */
    visitedAt: z.string().trim().min(1).max(40),
    /** The household's `version` from the list the phone holds. */
    householdVersion: z.string().trim().max(64).nullable().optional(),
  })
  .strict();
export type VisitInput = z.input<typeof visitInput>;

export const visitSchema = z.object({
  id: z.string(),
  clientId: z.string(),
  groupId: z.string(),
  householdId: z.string(),
  personId: z.string().nullable(),
  communeCode: z.string(),
  villageCode: z.string().nullable(),
  outcome: z.enum(OUTCOMES),
  product: z.enum(PRODUCTS).nullable(),
  receiptNumber: z.string().nullable(),
  cardNumber: z.string().nullable(),
  reason: z.enum(REASONS).nullable(),
  followUp: z.string().nullable(),
  note: z.string().nullable(),
  visitedAt: z.string(),
  visitedOn: z.string(),
  receivedAt: z.string(),
  userId: z.string().nullable(),
  userName: z.string(),
  householdVersion: z.string().nullable(),
  /** The household changed on the server after the phone's list was taken. */
  flagged: z.boolean(),
  flagReason: z.string().nullable(),
  /** True when this answers a visit sent before (same client id, same content). */
  duplicate: z.boolean(),
});

export const MAX_BATCH = 500;

export const visitBatchInput = z.object({ visits: z.array(visitInput).min(1).max(MAX_BATCH) }).strict();

export const errorSchema = z.object({
  code: z.string(),
  message: z.string(),
  fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
});

export const batchResultSchema = z.object({
  results: z.array(
    z.object({
      index: z.number(),
      clientId: z.string().nullable(),
      status: z.enum(['stored', 'duplicate', 'refused']),
      visit: visitSchema.nullable(),
      error: errorSchema.nullable(),
    }),
  ),
  stored: z.number(),
  duplicates: z.number(),
  refused: z.number(),
});

export const visitListQuery = z
  .object({
    group: uuidOf('invalid_format').optional(),
    household: uuidOf('invalid_format').optional(),
    flagged: z.enum(['true', 'false']).optional(),
    limit: z.coerce.number().int().min(1).max(1000).default(200),
  })
  .strict();

// ---------------------------------------------------------------------------------------------------
// Follow-ups
// ---------------------------------------------------------------------------------------------------

export const followUpQuery = z
  .object({
    group: uuidOf('invalid_format').optional(),
    /** A member's queue (default: yours). */
    member: uuidOf('invalid_format').optional(),
    /** Every member's (of the groups you see). */
    all: z.enum(['true', 'false']).optional(),
    date: isoDate.optional(),
  })
  .strict();

export const followUpSchema = z.object({
  /** Due since this day (oldest first). */
  dueOn: z.string(),
  outcome: z.enum(['promised', 'not_home']),
  groupId: z.string(),
  householdId: z.string(),
  householdCode: z.string(),
  villageName: z.string().nullable(),
  address: z.string().nullable(),
  /** null: the whole household (nobody was at home). */
  personId: z.string().nullable(),
  fullName: z.string().nullable(),
  phone: z.string().nullable(),
  visitedAt: z.string(),
  followUp: z.string().nullable(),
  note: z.string().nullable(),
  userName: z.string(),
});

// ---------------------------------------------------------------------------------------------------
// The review queue
// ---------------------------------------------------------------------------------------------------

export const reportListQuery = z
  .object({
    unit: z.string().trim().max(20).optional(),
    status: z.enum(['pending', 'accepted', 'rejected', 'all']).default('pending'),
  })
  .strict();

export const acceptReportInput = z
  .object({
    note: optionalText(500),
    /** Insured elsewhere: the card to record (its number defaults to the one reported). */
    card: z
      .object({ groupCode: z.string().trim().min(1).max(10), validFrom: isoDate, validTo: isoDate, number: optionalText(40) })
      .strict()
      .optional(),
  })
  .strict();
export type AcceptReportInput = z.input<typeof acceptReportInput>;

export const rejectReportInput = z.object({ note: optionalText(500) }).strict();

export const reportSchema = z.object({
  id: z.string(),
  kind: z.enum(REPORTED_REASONS),
  status: z.enum(['pending', 'accepted', 'rejected']),
  householdId: z.string(),
  householdCode: z.string().nullable(),
  personId: z.string(),
  fullName: z.string().nullable(),
  birthDate: z.string().nullable(),
  communeCode: z.string(),
  villageCode: z.string().nullable(),
  villageName: z.string().nullable(),
  cardNumber: z.string().nullable(),
  visitId: z.string(),
  note: z.string().nullable(),
  reportedBy: z.string(),
  /** The phone's time of the visit. */
  reportedAt: z.string(),
  /** The server's time. */
  receivedAt: z.string(),
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
  decisionNote: z.string().nullable(),
});

// ---------------------------------------------------------------------------------------------------
// Progress
// ---------------------------------------------------------------------------------------------------

export const progressQuery = z
  .object({
    /** A village, commune, office or province. */
    unit: z.string().trim().min(1).max(40),
    date: isoDate.optional(),
    /** One working group only. */
    group: uuidOf('invalid_format').optional(),
  })
  .strict();
export type ProgressQuery = z.input<typeof progressQuery>;

export const figuresSchema = z.object({
  households: z.number(),
  householdsVisited: z.number(),
  pctVisited: z.number().nullable(),
  visits: z.number(),
  personsReached: z.number(),
  enrolled: z.number(),
  promised: z.number(),
  refused: z.number(),
  notHome: z.number(),
  awaitingCard: z.number(),
  cardActive: z.number(),
  conversion: z.number().nullable(),
  medianDaysToEnrolment: z.number().nullable(),
  medianDaysToCard: z.number().nullable(),
});

export const progressSchema = z.object({
  unit: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  date: z.string(),
  total: figuresSchema,
  communes: z.array(figuresSchema.extend({ code: z.string(), name: z.string() })),
  villages: z.array(figuresSchema.extend({ code: z.string(), name: z.string() })),
  groups: z.array(figuresSchema.extend({ id: z.string(), name: z.string(), communeCode: z.string() })),
  members: z.array(
    figuresSchema.extend({
      userId: z.string(),
      username: z.string(),
      displayName: z.string(),
      /** The member's recruitment target for the year (coverage staff targets), null when none. */
      target: z.number().nullable(),
    }),
  ),
});

export const nominateInput = z
  .object({
    programmeId: uuidOf('invalid_format'),
    personId: uuidOf('invalid_format'),
    tags: z.array(z.string().trim().min(1).max(60)).max(20).default([]),
    note: optionalText(500),
  })
  .strict();
