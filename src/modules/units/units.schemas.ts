import { z } from 'zod';
import { text } from '../../validation';

export const VILLAGE_KINDS = ['village', 'hamlet', 'residential_group'] as const;

export const unitSchema = z.object({
  code: z.string(),
  name: z.string(),
  level: z.enum(['province', 'commune', 'village', 'office']),
  kind: z.string(),
  parentCode: z.string().nullable(),
  localCode: z.string(),
});

export const unitListQuery = z
  .object({
    parent: z.string().max(40).optional(),
    q: z.string().max(100).optional(),
    oldCode: z.string().max(10).optional(),
  })
  .strict();

export const villageCode = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().regex(/^[\p{L}\p{N}_-]{1,20}$/u, { message: 'village_code_format' }));

export const createVillageInput = z
  .object({
    parentCode: z.string().min(1).max(10),
    code: villageCode,
    name: text(120),
    kind: z.enum(VILLAGE_KINDS).default('village'),
  })
  .strict();

export const updateVillageInput = z
  .object({
    name: text(120).optional(),
    kind: z.enum(VILLAGE_KINDS).optional(),
  })
  .strict();

export type CreateVillageInput = z.input<typeof createVillageInput>;
export type UpdateVillageInput = z.input<typeof updateVillageInput>;
