/**
 * Shapes of handover events and results, donor statements and the public programme page: zod schemas
 * shared by the routes (validation + OpenAPI) and the services (parseInput). Messages of this module's
 * own keys live in the 'handover' namespace (`fields.*`).
 */
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';
import { text } from '../../validation';

export const HANDOVER = { ns: 'handover' } as const;

const isoDate = z.string().max(10).refine(isIsoDate, { message: 'iso_date' });
const optionalText = (max: number) => text(max).nullable().optional();
export const uuid = z.string().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, { message: 'invalid_format' });

export const HANDOVER_RESULTS = ['expected', 'received', 'absent', 'refused'] as const;

export const addEventInput = z
  .object({
    communeCode: z.string().trim().min(1).max(20),
    heldOn: isoDate,
    place: text(300),
    note: optionalText(1000),
  })
  .strict();
export type AddEventInput = z.input<typeof addEventInput>;

export const updateEventInput = z
  .object({
    heldOn: isoDate.optional(),
    place: text(300).optional(),
    note: optionalText(1000),
  })
  .strict();
export type UpdateEventInput = z.input<typeof updateEventInput>;

export const moveRecipientInput = z.object({ awardId: uuid }).strict();

/** A card's handover result; `receivedBy` (the person, or e.g. "Mẹ: Lò Thị Mai") is required for 'received'. */
export const recordResultInput = z
  .object({
    result: z.enum(HANDOVER_RESULTS),
    receivedBy: optionalText(200),
    note: optionalText(1000),
  })
  .strict()
  .superRefine((r, ctx) => {
    if (r.result === 'received' && !r.receivedBy) ctx.addIssue({ code: 'custom', path: ['receivedBy'], message: 'received_by_required', params: HANDOVER });
  });
export type RecordResultInput = z.input<typeof recordResultInput>;

// ---- responses ----

const counts = z.object({ expected: z.number(), received: z.number(), absent: z.number(), refused: z.number() });

export const eventSchema = z.object({
  id: z.string(),
  programmeId: z.string(),
  communeCode: z.string(),
  communeName: z.string(),
  heldOn: z.string(),
  place: z.string(),
  note: z.string().nullable(),
  /** Held after the programme's deadline. */
  overdue: z.boolean(),
  counts,
  createdBy: z.string(),
  createdAt: z.string(),
});

export const recipientSchema = z.object({
  awardId: z.string(),
  eventId: z.string().nullable(),
  communeCode: z.string(),
  communeName: z.string(),
  personId: z.string(),
  fullName: z.string(),
  birthYear: z.number(),
  birthDate: z.string(),
  groupCode: z.string(),
  awardStatus: z.string(),
  cardNumber: z.string().nullable(),
  cardFrom: z.string().nullable(),
  cardTo: z.string().nullable(),
  result: z.enum(HANDOVER_RESULTS).nullable(),
  receivedBy: z.string().nullable(),
  note: z.string().nullable(),
  evidence: z.object({ name: z.string(), type: z.string(), size: z.number() }).nullable(),
  recordedBy: z.string().nullable(),
  recordedAt: z.string().nullable(),
});

export const handoverOverviewSchema = z.object({
  programmeId: z.string(),
  status: z.string(),
  deadline: z.string(),
  events: z.array(eventSchema),
  unassigned: z.array(recipientSchema),
  /** Communes with cards of the programme: where events are held. */
  communes: z.array(z.object({ code: z.string(), name: z.string(), cards: z.number(), unassigned: z.number() })),
  totals: counts.extend({ unassigned: z.number(), cards: z.number() }),
  /** Every card received, refused or absent: the programme may move to 'handed_over'. */
  complete: z.boolean(),
});

export const eventDetailSchema = z.object({ event: eventSchema, recipients: z.array(recipientSchema), deadline: z.string(), programmeName: z.string() });

export const addedEventSchema = eventSchema.extend({ assigned: z.number() });
