/**
 * Shapes of the register's browse/edit API: zod schemas shared by the routes (validation + OpenAPI) and
 * the services (parseInput). Zod checks types and formats; the services check the domain rules (citizen id
 * against birth date and sex, known groups, villages of the commune, ...) and name the field they refuse.
 */
import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';
import { text } from '../../validation';

export const POVERTY_STATUSES = ['poor', 'near_poor', 'average_agri', 'none'] as const;
export const EXPORT_KINDS = ['persons', 'households', 'cards', 'vsi'] as const;
export const EXPORT_FORMATS = ['xlsx', 'csv'] as const;

export const isoDate = z.string().max(10).refine(isIsoDate, { message: 'iso_date' });
const povertyStatus = z.enum(POVERTY_STATUSES);
const sex = z.enum(['male', 'female']);
/** An optional text that may be cleared with null. */
const optionalText = (max: number) => text(max).nullable().optional();
/** Identifiers: the service strips spaces, dots and dashes and checks the digits. */
const identifier = z.string().max(30).nullable().optional();
const groupCode = z.string().min(1).max(30);

export const idParams = z.object({ id: z.uuid() });

// ---------------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------------

const limit = z.coerce.number().int().min(1).max(200).default(50);
const offset = z.coerce.number().int().min(0).max(1_000_000).default(0);
/** Unit codes: provinces and communes are digits, villages `<commune>.<local code>`. */
const unitCode = z.string().min(1).max(80);

export const personSearchQuery = z.object({
  q: z.string().max(100).optional(),
  unit: unitCode.optional(),
  limit,
  offset,
});
export type PersonSearchQuery = z.input<typeof personSearchQuery>;

export const householdListQuery = z.object({
  q: z.string().max(100).optional(),
  unit: unitCode.optional(),
  limit,
  offset,
});
export type HouseholdListQuery = z.input<typeof householdListQuery>;

export const duplicatesQuery = z.object({ unit: unitCode.optional() });

export const exportQuery = z.object({
  unit: unitCode.optional(),
  what: z.enum(EXPORT_KINDS).default('persons'),
  format: z.enum(EXPORT_FORMATS).default('xlsx'),
});

// ---------------------------------------------------------------------------------------------------
// Changes
// ---------------------------------------------------------------------------------------------------

export const createHouseholdInput = z
  .object({
    communeCode: z.string().regex(/^\d{5}$/),
    code: text(50),
    /** The village's full code (`02905.T01`) or its code within the commune (`T01`). */
    villageCode: z.string().min(1).max(80).nullable().optional(),
    address: optionalText(500),
    povertyStatus: povertyStatus.default('none'),
    povertyYear: z.number().int().min(1990).max(2100).nullable().optional(),
  })
  .strict();
export type CreateHouseholdInput = z.input<typeof createHouseholdInput>;

export const updateHouseholdInput = z
  .object({
    code: text(50).optional(),
    villageCode: z.string().min(1).max(80).nullable().optional(),
    address: optionalText(500),
    povertyStatus: povertyStatus.optional(),
    povertyYear: z.number().int().min(1990).max(2100).nullable().optional(),
  })
  .strict();
export type UpdateHouseholdInput = z.input<typeof updateHouseholdInput>;

const personFields = {
  fullName: text(100),
  relationship: optionalText(50),
  birthDate: isoDate,
  sex,
  citizenId: identifier,
  insuranceCode: identifier,
  ethnicity: optionalText(50),
  phone: z.string().max(30).nullable().optional(),
  /** The participant groups in force now; the history (person_group) follows the changes. */
  groupCodes: z.array(groupCode).max(20),
  school: optionalText(200),
  grade: z.number().int().min(1).max(12).nullable().optional(),
};

export const createPersonInput = z
  .object({ householdId: z.uuid(), ...personFields, groupCodes: personFields.groupCodes.default([]) })
  .strict();
export type CreatePersonInput = z.input<typeof createPersonInput>;

export const updatePersonInput = z
  .object({
    /** Moving a person to another household (of the same or another commune) takes the groups and cards along. */
    householdId: z.uuid().optional(),
    fullName: personFields.fullName.optional(),
    relationship: personFields.relationship,
    birthDate: isoDate.optional(),
    sex: sex.optional(),
    citizenId: identifier,
    insuranceCode: identifier,
    ethnicity: personFields.ethnicity,
    phone: personFields.phone,
    groupCodes: personFields.groupCodes.optional(),
    school: personFields.school,
    grade: personFields.grade,
  })
  .strict();
export type UpdatePersonInput = z.input<typeof updatePersonInput>;

/** A card's initial health-care facility (5 digits) and collector code; null clears them. */
const facilityCodeInput = z
  .string()
  .trim()
  .regex(/^[0-9]{5}$/, { message: 'facility_code_format' })
  .nullable()
  .optional();
const collectorCodeInput = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9._-]{2,20}$/, { message: 'collector_code_format' }))
  .nullable()
  .optional();

export const createCardInput = z
  .object({
    personId: z.uuid(),
    groupCode,
    validFrom: isoDate,
    validTo: isoDate,
    number: optionalText(30),
    facilityCode: facilityCodeInput,
    collectorCode: collectorCodeInput,
  })
  .strict();
export type CreateCardInput = z.input<typeof createCardInput>;

export const updateCardInput = z
  .object({
    groupCode: groupCode.optional(),
    validFrom: isoDate.optional(),
    validTo: isoDate.optional(),
    number: optionalText(30),
    facilityCode: facilityCodeInput,
    collectorCode: collectorCodeInput,
  })
  .strict();
export type UpdateCardInput = z.input<typeof updateCardInput>;

/**
 * A voluntary social insurance (BHXH tự nguyện) period entered by hand. Zod checks the shapes; the
 * service checks the rules in force on validFrom (income between the rural poverty line and 20 x the base
 * salary, payment period 1, 3, 6 or 12 months, validTo >= validFrom: src/domain/vsi-period.ts).
 */
export const createVsiPeriodInput = z
  .object({
    personId: z.uuid(),
    validFrom: isoDate,
    validTo: isoDate,
    monthlyIncome: z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
    paymentMonths: z.number().int(),
  })
  .strict();
export type CreateVsiPeriodInput = z.input<typeof createVsiPeriodInput>;

export const vsiPeriodsQuery = z.object({ personId: z.uuid() }).strict();

// ---------------------------------------------------------------------------------------------------
// Responses (they also strip anything a query might add by mistake)
// ---------------------------------------------------------------------------------------------------

export const householdSchema = z.object({
  id: z.string(),
  code: z.string(),
  communeCode: z.string(),
  communeName: z.string(),
  villageCode: z.string().nullable(),
  villageName: z.string().nullable(),
  address: z.string().nullable(),
  povertyStatus: povertyStatus,
  povertyYear: z.number().nullable(),
});

export const householdListItemSchema = householdSchema.extend({
  memberCount: z.number(),
  headName: z.string().nullable(),
});

export const personSchema = z.object({
  id: z.string(),
  householdId: z.string(),
  communeCode: z.string(),
  relationship: z.string().nullable(),
  fullName: z.string(),
  birthDate: z.string(),
  sex,
  citizenId: z.string().nullable(),
  insuranceCode: z.string().nullable(),
  ethnicity: z.string().nullable(),
  phone: z.string().nullable(),
  groupCodes: z.array(z.string()),
  school: z.string().nullable(),
  grade: z.number().nullable(),
});

export const cardSchema = z.object({
  id: z.string(),
  personId: z.string(),
  householdId: z.string(),
  groupCode: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  number: z.string().nullable(),
  source: z.enum(['import', 'manual', 'programme']),
  facilityCode: z.string().nullable(),
  collectorCode: z.string().nullable(),
});

export const VSI_SOURCES = ['import', 'manual', 'demo'] as const;

export const vsiPeriodSchema = z.object({
  id: z.string(),
  personId: z.string(),
  householdId: z.string(),
  validFrom: z.string(),
  validTo: z.string(),
  monthlyIncome: z.number(),
  paymentMonths: z.number(),
  /** 'manual', 'import', 'demo' (other features may add theirs). */
  source: z.string(),
});

export const personSearchItemSchema = z.object({
  id: z.string(),
  householdId: z.string(),
  householdCode: z.string(),
  communeCode: z.string(),
  communeName: z.string(),
  villageName: z.string().nullable(),
  fullName: z.string(),
  birthDate: z.string(),
  sex,
  citizenId: z.string().nullable(),
  insuranceCode: z.string().nullable(),
  groupCodes: z.array(z.string()),
  coveredToday: z.boolean(),
  cardTo: z.string().nullable(),
});

export const householdPageSchema = z.object({
  household: householdSchema,
  members: z.array(
    personSchema.extend({
      cards: z.array(
        cardSchema
          .pick({ id: true, groupCode: true, validFrom: true, validTo: true, number: true, source: true, facilityCode: true, collectorCode: true })
          .extend({ facilityName: z.string().nullable(), collectorName: z.string().nullable() }),
      ),
      groups: z.array(z.object({ groupCode: z.string(), validFrom: z.string().nullable(), validTo: z.string().nullable() })),
      /** Voluntary social insurance periods, newest first. */
      vsiPeriods: z.array(vsiPeriodSchema.pick({ id: true, validFrom: true, validTo: true, monthlyIncome: true, paymentMonths: true, source: true })),
    }),
  ),
});

export const duplicateGroupSchema = z.object({
  reason: z.enum(['citizen_id', 'insurance_code', 'name_birth']),
  /** What the records share: the citizen id, the insurance code, or `<commune>|<name key>|<birth date>`. */
  key: z.string(),
  persons: z.array(
    z.object({
      id: z.string(),
      householdId: z.string(),
      householdCode: z.string(),
      communeCode: z.string(),
      communeName: z.string(),
      fullName: z.string(),
      birthDate: z.string(),
      sex,
      citizenId: z.string().nullable(),
      insuranceCode: z.string().nullable(),
    }),
  ),
});

// ---------------------------------------------------------------------------------------------------
// Imports (import.routes.ts): the job as the server shows it (import-jobs.ts ImportJob without its owner)
// ---------------------------------------------------------------------------------------------------

export const importErrorRowSchema = z.object({ row: z.number(), column: z.string(), value: z.string(), message: z.string() });

export const importReportSchema = z.object({
  rows: z.number(),
  inserted: z.number(),
  updated: z.number(),
  unchanged: z.number(),
  rejected: z.number(),
  errors: z.array(importErrorRowSchema),
  headings: z.record(z.string(), z.string()).optional(),
  rolledBack: z.boolean(),
  /** The workbook's voluntary social insurance sheet (docs/import-format.md), when it has one. */
  vsi: z.object({ rows: z.number(), inserted: z.number(), unchanged: z.number(), rejected: z.number() }).optional(),
});

export const importJobSchema = z.object({
  id: z.string(),
  fileName: z.string(),
  status: z.enum(['queued', 'running', 'done', 'failed']),
  dryRun: z.boolean(),
  validRowsOnly: z.boolean(),
  progress: z.object({ phase: z.enum(['reading', 'applying', 'done']), rows: z.number(), bytesRead: z.number().optional(), totalBytes: z.number().optional() }),
  report: importReportSchema.optional(),
  /** In the user's language, as every error body says it. */
  error: z
    .object({
      code: z.string(),
      message: z.string(),
      fields: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
      details: z.record(z.string(), z.unknown()).optional(),
    })
    .optional(),
  startedAt: z.date(),
  finishedAt: z.date().optional(),
});
