/**
 * The HTTP API client of the web app, typed by the server's OpenAPI document (schema.d.ts, made by
 * `npm run gen:api`): same origin, cookie session, CSRF header on every non-GET request, JSON bodies
 * (a FormData body goes as multipart). Errors come back as ApiError carrying the server's (already
 * translated) message, its code and the per-field messages.
 *
 *   call(client.GET('/api/units/{code}', { params: { path: { code } }, signal }))
 */
import createClient, { type Middleware } from 'openapi-fetch';
import { i18n } from '../i18n';
import type { paths } from './schema';

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  /** Figures the server sends with some errors (a confirmation's current count and amount). */
  readonly details?: Record<string, unknown>;

  constructor(status: number, code: string, message: string, fields: FieldError[] = [], details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.details = details;
  }
}

let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function getCsrfToken(): string | null {
  return csrfToken;
}

/** Called when a request (other than the session check itself) finds the session gone. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export function notifyUnauthenticated(): void {
  for (const listener of unauthenticatedListeners) listener();
}

export function errorFromBody(status: number, data: unknown): ApiError {
  const error = (data as { error?: { code?: string; message?: string; fields?: FieldError[]; details?: Record<string, unknown> } } | undefined)?.error;
  return new ApiError(
    status,
    error?.code ?? `http_${status}`,
    error?.message ?? i18n.t('web:errors.unexpected', { status }),
    Array.isArray(error?.fields) ? error.fields : [],
    error?.details,
  );
}

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}

const headers: Middleware = {
  onRequest({ request }) {
    request.headers.set('accept', 'application/json');
    // the server translates its messages by the cd_lang cookie, else by Accept-Language: send ours
    request.headers.set('accept-language', i18n.language || 'vi');
    if (request.method !== 'GET' && csrfToken) request.headers.set('x-csrf-token', csrfToken);
    return request;
  },
  onError({ error }) {
    if (isAbort(error)) return undefined;
    return new ApiError(0, 'network', i18n.t('web:errors.network'));
  },
};

export const client = createClient<paths>({ baseUrl: '', credentials: 'same-origin' });
client.use(headers);

export interface CallOptions {
  /** do not notify the unauthenticated listeners on 401 (login, session check) */
  quiet401?: boolean;
}

/** The answer of a client call, or an ApiError (network failures already are one, an abort stays an AbortError). */
export async function call<D>(pending: Promise<{ data?: D; error?: unknown; response: Response }>, options: CallOptions = {}): Promise<D> {
  const { data, error, response } = await pending;
  if (response.ok) return data as D;
  if (response.status === 401 && !options.quiet401) notifyUnauthenticated();
  throw errorFromBody(response.status, error);
}

/** The Idempotency-Key header: the server answers a repeated key with the first result. */
export function idempotency(key: string | undefined): { 'idempotency-key'?: string } {
  return key ? { 'idempotency-key': key } : {};
}

/** A multipart body (files): the OpenAPI document describes no body for these routes, the server reads the parts. */
export function multipart(fields: Record<string, string | File>): never {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) {
    if (typeof value === 'string') form.append(name, value);
    else form.append(name, value, value.name);
  }
  return form as never;
}
