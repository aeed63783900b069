/**
 * Input validation shared by every path in (API, CLI, import): zod schemas, with failures turned into
 * AppError('validation') whose fields carry catalogue keys, so the message comes in the user's language.
 */
import { z } from 'zod';
import { AppError, type FieldError } from './errors';

export function issuesToFields(issues: readonly z.core.$ZodIssue[]): FieldError[] {
  return issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const i = issue as z.core.$ZodIssue & Record<string, unknown>;
    switch (issue.code) {
      case 'invalid_type':
        return i.input === undefined
          ? { path, key: 'required' }
          : { path, key: 'invalid_type', params: { expected: i.expected } };
      case 'too_small':
        return { path, key: i.origin === 'string' ? 'too_short' : 'too_small', params: { minimum: i.minimum } };
      case 'too_big':
        return { path, key: i.origin === 'string' ? 'too_long' : 'too_big', params: { maximum: i.maximum } };
      case 'invalid_value':
        return { path, key: 'invalid_value', params: { options: (i.values as unknown[]).join(', ') } };
      case 'invalid_format':
        // a schema's own catalogue key (e.g. regex(..., { message: 'village_code_format' })), else the generic one
        return { path, key: /^[a-z_]+$/.test(issue.message) ? issue.message : 'invalid_format' };
      case 'unrecognized_keys':
        return { path: (i.keys as string[]).join(','), key: 'unknown_field' };
      case 'custom':
        return { path, key: issue.message || 'invalid', params: (i.params as Record<string, unknown>) ?? {} };
      default:
        return { path, key: 'invalid' };
    }
  });
}

/** Parses or throws AppError('validation') naming each bad field. */
export function parseInput<S extends z.ZodType>(schema: S, data: unknown): z.output<S> {
  const r = schema.safeParse(data);
  if (!r.success) throw new AppError('validation', {}, issuesToFields(r.error.issues));
  return r.data;
}

/** A trimmed, NFC-normalised, non-empty text field. */
export const text = (max = 200) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().min(1).max(max));

/** A text field that may be left empty: trimmed, NFC-normalised, '' (or null) stored as null. */
export const blankableText = (max: number) =>
  z
    .string()
    .transform((s) => s.normalize('NFC').trim())
    .pipe(z.string().max(max))
    .transform((s) => (s === '' ? null : s))
    .nullable()
    .optional();
