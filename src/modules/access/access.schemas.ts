import { z } from 'zod';
import { text } from '../../validation';

export const ROLE_VALUES = ['admin', 'province_staff', 'commune_officer', 'viewer', 'field_worker'] as const;

export const username = z
  .string()
  .transform((s) => s.trim())
  .pipe(z.string().regex(/^[a-z0-9][a-z0-9._-]{1,39}$/i, { message: 'username_format' }));

export const password = z.string().min(10).max(200);

export const createUserInput = z
  .object({
    username,
    displayName: text(120).optional(),
    role: z.enum(ROLE_VALUES),
    scopeCode: z.string().max(10).nullable().optional(),
    password,
    language: z.enum(['vi', 'en']).optional(),
  })
  .strict();

export const updateUserInput = z
  .object({
    displayName: text(120).optional(),
    role: z.enum(ROLE_VALUES).optional(),
    scopeCode: z.string().max(10).nullable().optional(),
    active: z.boolean().optional(),
    password: password.optional(),
    language: z.enum(['vi', 'en']).optional(),
  })
  .strict();

export const loginInput = z.object({ username: z.string().min(1).max(100), password: z.string().min(1).max(200) }).strict();

export const publicUser = z.object({
  id: z.string(),
  username: z.string(),
  displayName: z.string(),
  role: z.enum(ROLE_VALUES),
  scopeCode: z.string().nullable(),
  language: z.string(),
  active: z.boolean(),
});

export type CreateUserInput = z.input<typeof createUserInput>;
export type UpdateUserInput = z.input<typeof updateUserInput>;
