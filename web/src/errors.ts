/**
 * Splits an error into messages for known form fields (from the API's error.fields) and a message
 * for the banner (everything else).
 */
import { ApiError } from './api';
import { i18n } from './i18n';

export interface FormErrors {
  fields: Record<string, string>;
  banner: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, banner: null };

/** 'body.name', '/name', 'name' -> 'name' */
function fieldName(path: unknown): string {
  const text = Array.isArray(path) ? path.join('.') : String(path ?? '');
  const parts = text.split(/[./]/).filter(Boolean);
  return parts[parts.length - 1] ?? '';
}

export function splitErrors(err: unknown, knownFields: readonly string[]): FormErrors {
  if (err instanceof ApiError) {
    const fields: Record<string, string> = {};
    let unmatched = false;
    for (const f of err.fields) {
      const name = fieldName(f.path);
      if (knownFields.includes(name)) {
        if (!fields[name]) fields[name] = f.message;
      } else {
        unmatched = true;
      }
    }
    const anyMatched = Object.keys(fields).length > 0;
    return { fields, banner: anyMatched && !unmatched ? null : err.message };
  }
  return { fields: {}, banner: errorMessage(err) };
}

export function errorMessage(err: unknown): string {
  if (err instanceof Error && err.message) return err.message;
  return i18n.t('web:errors.unknown');
}
