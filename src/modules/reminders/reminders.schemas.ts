/**
 * Inputs and answers of renewal reminders (issue 20 item 6): the list (grouped by village and by
 * collector), the CSV export for the office's SMS or Zalo sender, marking a list as sent, and the renewal
 * rate of reminded against not-reminded persons. Dates are ISO in the API; amounts integer dong.
 */
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';

export const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isIsoDate(s), { message: 'iso_date' });
const bool = z.union([z.boolean(), z.enum(['true', 'false']).transform((s) => s === 'true')]);

export const CHANNELS = ['sms', 'zalo', 'list'] as const;

export const reminderListQuery = z
  .object({
    /** A province, office, commune or village (full code) in your scope. */
    unit: z.string().trim().min(1).max(40),
    /** The day the list is made for (default today). */
    date: isoDate.optional(),
    /** A card ending from the day to this many days after it puts its holder on the list (default 30); also the reminder's offset. */
    days: z.coerce.number().int().min(0).max(366).default(30),
    /** The renewal priced (default 12 months). */
    months: z.coerce.number().int().min(1).max(12).default(12),
    /** Those already reminded for the same card, end date and offset too (flagged `sent`). */
    includeSent: bool.default(false),
    /** false: the villages' and collectors' totals without the persons (a province's page asks a village's when opened). */
    items: bool.default(true),
  })
  .strict();
export type ReminderListQuery = z.input<typeof reminderListQuery>;

export const markSentInput = reminderListQuery
  .omit({ includeSent: true, items: true })
  .extend({
    /** How the reminders went out: sms, zalo, or a printed list handed to the collectors. */
    channel: z.enum(CHANNELS).default('list'),
  })
  .strict();
export type MarkSentInput = z.input<typeof markSentInput>;

export const exportQuery = reminderListQuery
  .omit({ includeSent: true, items: true })
  .extend({
    channel: z.enum(['sms', 'zalo']).default('sms'),
    /** Record the exported reminders as sent (in the same request). */
    markSent: bool.default(false),
  })
  .strict();
export type ExportQuery = z.input<typeof exportQuery>;

export const rateQuery = z
  .object({
    unit: z.string().trim().min(1).max(40),
    /** Cards that ended from `from` to `to`. */
    from: isoDate,
    to: isoDate,
    /** Renewed: a later card starting at most this many days after the end (default 30). */
    within: z.coerce.number().int().min(0).max(366).default(30),
  })
  .strict();
export type RateQuery = z.input<typeof rateQuery>;

const payAtSchema = z.object({
  kind: z.enum(['collector', 'office', 'commune']),
  code: z.string().nullable(),
  name: z.string(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  /** The one line the text says. */
  text: z.string(),
});

export const reminderItemSchema = z.object({
  source: z.enum(['bhyt_card', 'vsi_period']),
  subjectId: z.string(),
  personId: z.string(),
  householdId: z.string(),
  householdCode: z.string(),
  maskedName: z.string(),
  phone: z.string().nullable(),
  dueDate: z.string(),
  amount: z.number().int().nullable(),
  priceError: z.string().nullable(),
  payAt: payAtSchema,
  text: z.string(),
  sent: z.boolean(),
});

const totals = { persons: z.number().int(), households: z.number().int(), amount: z.number().int() };

export const reminderListSchema = z.object({
  unit: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  date: z.string(),
  days: z.number().int(),
  months: z.number().int(),
  until: z.string(),
  summary: z.object({
    ...totals,
    withPhone: z.number().int(),
    /** Not listed: a state-paid card (the office renews it). */
    statePaid: z.number().int(),
    /** Not listed: already reminded for the same card, end date and offset. */
    alreadySent: z.number().int(),
  }),
  villages: z.array(
    z.object({
      code: z.string().nullable(),
      name: z.string().nullable(),
      communeCode: z.string(),
      communeName: z.string(),
      ...totals,
      items: z.array(reminderItemSchema),
    }),
  ),
  collectors: z.array(z.object({ kind: z.enum(['collector', 'office', 'commune']), code: z.string().nullable(), name: z.string(), phone: z.string().nullable(), ...totals })),
});

export const markSentSchema = z.object({ recorded: z.number().int(), alreadySent: z.number().int(), offsetDays: z.number().int(), channel: z.enum(CHANNELS) });

const rateGroup = z.object({ cards: z.number().int(), renewed: z.number().int(), rate: z.number().nullable() });
export const rateSchema = z.object({
  unit: z.object({ code: z.string(), name: z.string(), level: z.string() }),
  from: z.string(),
  to: z.string(),
  within: z.number().int(),
  reminded: rateGroup,
  notReminded: rateGroup,
  /** Cards whose `within` days after the end are not over yet (not counted above). */
  pending: z.number().int(),
});
