/**
 * Shapes of handover events and results, donor statements and the public programme page: zod schemas
 * shared by the routes (validation + OpenAPI) and the services (parseInput). Messages of this module's
 * own keys live in the 'handover' namespace (`fields.*`).
 */
import { z } from 'zod';
import { isIsoDate } from '../../../domain/dates';
import { text } from '../../../validation';

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
    minutesNumber: optionalText(30),
  })
  .strict();
export type AddEventInput = z.input<typeof addEventInput>;

export const updateEventInput = z
  .object({
    heldOn: isoDate.optional(),
    place: text(300).optional(),
    note: optionalText(1000),
    minutesNumber: optionalText(30),
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
  /** The minutes' document number, e.g. "12/BB-UBND". */
  minutesNumber: z.string().nullable(),
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

// ---- donor statements and the public page: the answers list every field they may carry, so nothing
// else (a full name, an id, a contact) can slip out through them ----

const fundedCardSchema = z.object({
  awardId: z.string(),
  beneficiary: z.string(),
  maskedName: z.string(),
  birthYear: z.number(),
  communeCode: z.string(),
  communeName: z.string(),
  groupCode: z.string(),
  awardAmount: z.number(),
  funded: z.number(),
  status: z.string(),
  handedOver: z.boolean(),
  handoverResult: z.enum(['received', 'absent', 'refused']).nullable(),
});

export const donorTotalsSchema = z.object({
  donorId: z.string(),
  name: z.string(),
  kind: z.string(),
  publicConsent: z.boolean(),
  pledged: z.number(),
  proposed: z.number(),
  received: z.number(),
  refunded: z.number(),
  funded: z.number(),
  cards: z.number(),
});

export const donorStatementSchema = z.object({
  programme: z.object({ id: z.string(), name: z.string(), deadline: z.string(), status: z.string(), publicSlug: z.string(), ownerUnitCode: z.string() }),
  donor: z.object({ id: z.string(), name: z.string(), kind: z.string(), publicConsent: z.boolean() }),
  pledges: z.array(
    z.object({
      id: z.string(),
      amount: z.number(),
      pledgedOn: z.string(),
      status: z.string(),
      source: z.string(),
      earmarkCommuneCode: z.string().nullable(),
      earmarkCommuneName: z.string().nullable(),
      earmarkTag: z.string().nullable(),
    }),
  ),
  receipts: z.array(z.object({ id: z.string(), amount: z.number(), receivedOn: z.string(), method: z.string(), reference: z.string().nullable() })),
  refunds: z.array(z.object({ id: z.string(), receiptId: z.string(), amount: z.number(), refundedOn: z.string(), reason: z.string().nullable() })),
  cards: z.array(fundedCardSchema),
  totals: z.object({ pledged: z.number(), received: z.number(), refunded: z.number(), funded: z.number(), unspent: z.number(), cards: z.number(), handedOver: z.number() }),
});

export const publicProgrammeSchema = z.object({
  name: z.string(),
  slug: z.string(),
  status: z.string(),
  ownerUnitName: z.string(),
  purchaseDate: z.string(),
  deadline: z.string(),
  cardMonths: z.number(),
  money: z.object({ pledged: z.number(), received: z.number(), refunded: z.number(), spent: z.number(), left: z.number() }),
  cardsByCommune: z.array(z.object({ communeCode: z.string(), communeName: z.string(), cards: z.number(), handedOver: z.number(), amount: z.number() })),
  cardsByGroup: z.array(z.object({ groupCode: z.string(), cards: z.number(), handedOver: z.number() })),
  donors: z.array(z.object({ name: z.string(), kind: z.string(), given: z.number() })),
  otherDonors: z.object({ count: z.number(), given: z.number() }),
  beneficiaries: z.array(
    z.object({ beneficiary: z.string(), maskedName: z.string(), birthYear: z.number(), communeName: z.string(), groupCode: z.string(), handedOver: z.boolean() }),
  ),
  progress: z.object({ today: z.string(), deadline: z.string(), daysLeft: z.number(), overdue: z.boolean(), cardsAwarded: z.number(), cardsHandedOver: z.number() }),
  pledgesOpen: z.boolean(),
  earmarkCommunes: z.array(z.object({ code: z.string(), name: z.string() })),
});

export const publicPledgeAnswerSchema = z.object({
  pledgeId: z.string(),
  programmeName: z.string(),
  amount: z.number(),
  earmarkCommuneCode: z.string().nullable(),
  status: z.literal('proposed'),
  message: z.string(),
  /** The payment reference to keep in the transfer's description, and how to pay (VietQR), when the programme has a receiving account. */
  reference: z.string().nullable(),
  vietqr: z.string().nullable(),
  qrPng: z.string().nullable(),
  account: z.object({ bankName: z.string(), accountNumber: z.string(), accountName: z.string() }).nullable(),
});
