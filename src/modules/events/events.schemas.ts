/**
 * Inputs and answers of outreach events (issue 20 item 4): an event (kind, date, place, organiser,
 * campaign, counts, cost), its attendees from the register, its evidence files, and the enrolments
 * attributed to it.
 */
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';
import { blankableText } from '../../validation';

export const EVENT_KINDS = ['dialogue_conference', 'customer_conference', 'mobile_propaganda', 'leaflet_distribution', 'thematic_session', 'launch_ceremony'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

/** Default window of attribution: an attendee who enrols within 30 days after the event. */
export const ATTRIBUTION_DAYS = 30;

const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isIsoDate(s), { message: 'iso_date' });
const count = z.number().int().min(0).max(10_000_000);
const uuid = z.string().regex(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, { message: 'uuid' });

const eventFields = {
  kind: z.enum(EVENT_KINDS),
  heldOn: isoDate,
  /** The commune where it was held. */
  communeCode: z.string().trim().min(1).max(20),
  /** A village of that commune (its full code, or the code within the commune). */
  villageCode: blankableText(40),
  place: blankableText(300),
  organiser: blankableText(200),
  campaignId: uuid.nullish(),
  /** How many attended (null: not counted; the persons known are listed apart). */
  attendance: count.nullish(),
  leaflets: count.optional(),
  consultations: count.optional(),
  /** Dong. */
  cost: z.number().int().min(0).max(1_000_000_000_000).optional(),
  note: blankableText(2000),
  /** Persons of the register who attended (ids). */
  attendees: z.array(uuid).max(5_000).optional(),
};

export const createEventInput = z.object(eventFields).strict();
export type CreateEventInput = z.input<typeof createEventInput>;

export const updateEventInput = z
  .object({ ...eventFields, kind: eventFields.kind.optional(), heldOn: isoDate.optional(), communeCode: eventFields.communeCode.optional() })
  .strict();
export type UpdateEventInput = z.input<typeof updateEventInput>;

export const attendeesInput = z.object({ add: z.array(uuid).max(5_000).default([]), remove: z.array(uuid).max(5_000).default([]) }).strict();
export type AttendeesInput = z.input<typeof attendeesInput>;

export const listQuery = z
  .object({
    /** A commune or province in your scope (default: your scope). */
    unit: z.string().trim().min(1).max(20).optional(),
    campaign: uuid.optional(),
    from: isoDate.optional(),
    to: isoDate.optional(),
    days: z.coerce.number().int().min(1).max(365).optional(),
  })
  .strict();
export type ListQuery = z.input<typeof listQuery>;

export const daysQuery = z.object({ days: z.coerce.number().int().min(1).max(365).optional() }).strict();

const attributionSchema = z.object({ days: z.number(), attendees: z.number(), enrolled: z.number(), pct: z.number().nullable() });

export const eventSchema = z.object({
  id: z.string(),
  kind: z.enum(EVENT_KINDS),
  heldOn: z.string(),
  communeCode: z.string(),
  communeName: z.string(),
  villageCode: z.string().nullable(),
  villageName: z.string().nullable(),
  place: z.string().nullable(),
  organiser: z.string().nullable(),
  campaignId: z.string().nullable(),
  campaignName: z.string().nullable(),
  attendance: z.number().nullable(),
  leaflets: z.number(),
  consultations: z.number(),
  cost: z.number(),
  note: z.string().nullable(),
  files: z.number(),
  attribution: attributionSchema,
  createdBy: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const attendeeSchema = z.object({
  personId: z.string(),
  householdId: z.string(),
  householdCode: z.string(),
  fullName: z.string(),
  birthDate: z.string(),
  villageName: z.string().nullable(),
  /** The first day of the new household BHYT card within the window, if any. */
  bhytFrom: z.string().nullable(),
  /** The first day of the new voluntary social insurance period within the window, if any. */
  vsiFrom: z.string().nullable(),
});

export const fileSchema = z.object({ id: z.string(), name: z.string(), type: z.string(), size: z.number(), createdBy: z.string(), createdAt: z.string() });

export const eventDetailSchema = eventSchema.extend({ attendees: z.array(attendeeSchema), fileList: z.array(fileSchema), canChange: z.boolean() });

export const eventListSchema = z.object({
  events: z.array(eventSchema),
  totals: z.object({ events: z.number(), attendance: z.number(), leaflets: z.number(), consultations: z.number(), cost: z.number(), attendees: z.number(), enrolled: z.number() }),
});
