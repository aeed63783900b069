/** Inputs and answers of the social insurance offices, health-care facilities and collectors. */
import { z } from 'zod';
import { blankableText, text } from '../../validation';

const optionalText = blankableText;

/** The code the social insurance system issued: letters and digits, 2 to 12. */
export const officeCode = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9]{2,12}$/, { message: 'office_code_format' }));

/** A 5-digit initial health-care facility code (nơi đăng ký KCB ban đầu). */
export const facilityCode = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().regex(/^[0-9]{5}$/, { message: 'facility_code_format' }));

export const collectorCode = z
  .string()
  .transform((s) => s.trim().toUpperCase())
  .pipe(z.string().regex(/^[A-Z0-9._-]{2,20}$/, { message: 'collector_code_format' }));

/** What a form's header says of a unit (D03-TS "Tên đơn vị ... Mã đơn vị ... Mã số thuế ..."). */
export const profileInput = z
  .object({
    siCode: optionalText(20),
    taxCode: z
      .string()
      .transform((s) => s.trim())
      .pipe(z.string().regex(/^$|^[0-9]{10}(-[0-9]{3})?$|^[0-9]{12}$/, { message: 'tax_code_format' }))
      .transform((s) => (s === '' ? null : s))
      .nullable()
      .optional(),
    address: optionalText(300),
    phone: z
      .string()
      .transform((s) => s.trim())
      .pipe(z.string().regex(/^$|^[0-9 +().-]{6,20}$/, { message: 'phone_format' }))
      .transform((s) => (s === '' ? null : s))
      .nullable()
      .optional(),
    email: z
      .string()
      .transform((s) => s.trim())
      .pipe(z.union([z.literal(''), z.email({ message: 'email_format' })]))
      .transform((s) => (s === '' ? null : s))
      .nullable()
      .optional(),
  })
  .strict();
export type ProfileInput = z.input<typeof profileInput>;

export const profileSchema = z.object({
  unitCode: z.string(),
  siCode: z.string().nullable(),
  taxCode: z.string().nullable(),
  address: z.string().nullable(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
});

export const OFFICE_KINDS = ['si_province', 'si_grassroots'] as const;

export const createOfficeInput = z
  .object({
    code: officeCode,
    name: text(160),
    kind: z.enum(OFFICE_KINDS),
    /** The province (for the provincial office) or the provincial office (for a grassroots office). */
    parentCode: z.string().trim().min(1).max(20),
    communes: z.array(z.string().trim().min(1).max(10)).max(500).default([]),
    profile: profileInput.optional(),
  })
  .strict();
export type CreateOfficeInput = z.input<typeof createOfficeInput>;

export const updateOfficeInput = z
  .object({
    name: text(160).optional(),
    communes: z.array(z.string().trim().min(1).max(10)).max(500).optional(),
    profile: profileInput.optional(),
  })
  .strict();
export type UpdateOfficeInput = z.input<typeof updateOfficeInput>;

const namedCode = z.object({ code: z.string(), name: z.string() });

export const officeSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(OFFICE_KINDS),
  parentCode: z.string().nullable(),
  provinceCode: z.string(),
  communes: z.array(namedCode),
  profile: profileSchema.nullable(),
});

export const createFacilityInput = z
  .object({
    code: facilityCode,
    name: text(200),
    provinceCode: z.string().trim().min(1).max(10),
    address: optionalText(300),
  })
  .strict();
export type CreateFacilityInput = z.input<typeof createFacilityInput>;

export const updateFacilityInput = z
  .object({ name: text(200).optional(), address: optionalText(300), active: z.boolean().optional() })
  .strict();
export type UpdateFacilityInput = z.input<typeof updateFacilityInput>;

export const facilitySchema = z.object({
  code: z.string(),
  name: z.string(),
  provinceCode: z.string(),
  address: z.string().nullable(),
  active: z.boolean(),
});

export const facilityListQuery = z
  .object({ province: z.string().max(10).optional(), q: z.string().max(100).optional(), all: z.coerce.boolean().optional() })
  .strict();

export const COLLECTOR_KINDS = ['agent', 'staff'] as const;

export const createCollectorInput = z
  .object({
    code: collectorCode,
    name: text(160),
    kind: z.enum(COLLECTOR_KINDS),
    officeCode: z.string().trim().min(1).max(20),
    phone: profileInput.shape.phone,
    villages: z.array(z.string().trim().min(1).max(40)).max(500).default([]),
  })
  .strict();
export type CreateCollectorInput = z.input<typeof createCollectorInput>;

export const updateCollectorInput = z
  .object({
    name: text(160).optional(),
    phone: profileInput.shape.phone,
    villages: z.array(z.string().trim().min(1).max(40)).max(500).optional(),
    active: z.boolean().optional(),
  })
  .strict();
export type UpdateCollectorInput = z.input<typeof updateCollectorInput>;

export const collectorSchema = z.object({
  code: z.string(),
  name: z.string(),
  kind: z.enum(COLLECTOR_KINDS),
  officeCode: z.string(),
  phone: z.string().nullable(),
  active: z.boolean(),
  villages: z.array(namedCode),
});

export const collectorListQuery = z.object({ office: z.string().max(20).optional(), village: z.string().max(40).optional() }).strict();
