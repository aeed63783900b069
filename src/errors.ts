/**
 * AppError: the one way a service says "no". The HTTP layer turns it into
 * `{"error":{"code","message","fields"}}` with the message in the user's language (key `errors.<code>`);
 * the CLI prints the same message.
 */
export type ErrorCode =
  | 'validation'
  | 'unauthenticated'
  | 'invalid_credentials'
  | 'too_many_attempts'
  | 'too_many_pledges'
  | 'too_many_checks'
  | 'donation_not_found'
  | 'no_population'
  | 'csrf'
  | 'forbidden'
  | 'out_of_scope'
  | 'not_found'
  | 'conflict'
  | 'old_code_split'
  | 'insufficient_funds'
  | 'invalid_transition'
  | 'confirmation_required'
  | 'transfer_target_not_empty'
  | 'transfer_source_not_current'
  | 'transfer_schema_differs'
  | 'transfer_target_not_current'
  | 'transfer_commune_on_target'
  | 'transfer_missing_references'
  | 'transfer_merge_leaves_data'
  | 'internal';

const STATUS: Record<ErrorCode, number> = {
  validation: 400,
  unauthenticated: 401,
  invalid_credentials: 401,
  too_many_attempts: 429,
  too_many_pledges: 429,
  too_many_checks: 429,
  donation_not_found: 404,
  no_population: 409,
  csrf: 403,
  forbidden: 403,
  out_of_scope: 403,
  not_found: 404,
  conflict: 409,
  old_code_split: 409,
  insufficient_funds: 409,
  invalid_transition: 409,
  confirmation_required: 409,
  transfer_target_not_empty: 409,
  transfer_source_not_current: 409,
  transfer_schema_differs: 409,
  transfer_target_not_current: 409,
  transfer_commune_on_target: 409,
  transfer_missing_references: 409,
  transfer_merge_leaves_data: 409,
  internal: 500,
};

export interface FieldError {
  /** Path of the field, e.g. "members.2.groups.0" or "name". */
  path: string;
  /** Catalogue key under `fields.` (e.g. 'required') or a ready message. */
  key: string;
  params?: Record<string, unknown>;
}

export class AppError extends Error {
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    readonly params: Record<string, unknown> = {},
    readonly fields: FieldError[] = [],
  ) {
    super(code);
    this.name = 'AppError';
    this.status = STATUS[code];
  }
}

export const notFound = (entity: string, id: string) => new AppError('not_found', { entity, id });
export const validationError = (fields: FieldError[]) => new AppError('validation', {}, fields);
