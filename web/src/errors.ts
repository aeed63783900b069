/**
 * Splits an error into messages for known form fields (from the API's error.fields) and a message
 * for the banner (everything else).
 */
import { ApiError } from './api/client';
import { i18n } from './i18n';

export interface FormErrors {
  fields: Record<string, string>;
  banner: string | null;
}

export const NO_ERRORS: FormErrors = { fields: {}, banner: null };

/** 'body.name', '/name', 'name' -> 'name' */
function fieldName(path: unknown): string {
  const text = Array.isArray(path) ? path.join('.') : String(path ?? '');
  // the field, not an index in it: 'areaCodes.2' -> 'areaCodes'
  const parts = text.split(/[./]/).filter((p) => p && !/^\d+$/.test(p));
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

/** 'body.members.1.groups.0' or '/members/1/groups/0' -> ['members', '1', 'groups', '0'] */
export function pathParts(path: unknown): string[] {
  const text = Array.isArray(path) ? path.join('.') : String(path ?? '');
  const parts = text.split(/[./]/).filter(Boolean);
  return parts[0] === 'body' ? parts.slice(1) : parts;
}

/**
 * Like splitErrors, for forms whose fields are named by more than the last path segment: `keyOf`
 * turns an API path (as parts) into the form's field key, or null when no field shows it (then the
 * banner carries the error's message). The first message per field wins.
 */
export function mapErrors(err: unknown, keyOf: (parts: string[]) => string | null): FormErrors {
  if (err instanceof ApiError) {
    const fields: Record<string, string> = {};
    const unmatched: string[] = [];
    for (const f of err.fields) {
      const key = keyOf(pathParts(f.path));
      if (key) {
        if (!fields[key]) fields[key] = f.message;
      } else if (f.message && !unmatched.includes(f.message)) {
        unmatched.push(f.message);
      }
    }
    if (unmatched.length) return { fields, banner: `${err.message}: ${unmatched.join('; ')}` };
    return { fields, banner: Object.keys(fields).length > 0 ? null : err.message };
  }
  return { fields: {}, banner: errorMessage(err) };
}
