/**
 * One error shape for every route: {"error":{"code","message","fields":[{"path","message"}]}}, with
 * messages in the user's language. Bad input is a 4xx, never a 500.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ErrorCode, type FieldError } from '../../errors';
import { translator, type Language } from '../../i18n/index';
import { DbError } from '../../db/worker-dialect';
import { formatDecimalIn } from '../../domain/numbers';

export interface ErrorBody {
  error: { code: string; message: string; fields?: { path: string; message: string }[]; details?: Record<string, unknown> };
}

/** A field's numeric bounds as people read them (10.000, 0,5), except years (2000). */
function readableBounds(f: FieldError, lang: Language): Record<string, unknown> {
  const params: Record<string, unknown> = { ...f.params };
  if (/year$/i.test(f.path)) return params;
  for (const key of ['minimum', 'maximum']) {
    const v = params[key];
    if (typeof v === 'number' && Number.isFinite(v)) params[key] = formatDecimalIn(v, lang);
  }
  return params;
}

export function errorBody(lang: Language, code: ErrorCode | string, params: Record<string, unknown> = {}, fields: FieldError[] = []): ErrorBody {
  const t = translator(lang);
  const named = typeof params.entity === 'string' && params.entity ? { entity: t(`entities.${params.entity}`, { defaultValue: params.entity }) } : {};
  const message = t(`errors.${code}`, { ...params, ...named, defaultValue: t('errors.bad_request') });
  const body: ErrorBody = { error: { code, message: message.charAt(0).toUpperCase() + message.slice(1) } };
  if (fields.length)
    body.error.fields = fields.map((f) => ({
      path: f.path,
      message: t(`fields.${f.key}`, { ...readableBounds(f, lang), defaultValue: f.key }),
    }));
  // machine-readable figures a client shows the user (a confirmation's current count and amount)
  if (params.details && typeof params.details === 'object') body.error.details = params.details as Record<string, unknown>;
  return body;
}

/** PostgreSQL errors that come from bad input rather than from a defect. */
function fromDbError(e: DbError | (Error & { code?: string })): AppError | undefined {
  const code = e.code ?? '';
  if (code === '23505') return new AppError('conflict', { entity: 'record', id: '' });
  if (code === '23503') return new AppError('conflict', { entity: 'record', id: '' });
  if (code.startsWith('22')) return new AppError('validation', {}, [{ path: '', key: 'invalid' }]);
  return undefined;
}

function statusCodeOf(e: FastifyError): number | undefined {
  return typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500 ? e.statusCode : undefined;
}

export function registerErrorHandling(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError, request: FastifyRequest, reply: FastifyReply) => {
    const lang = request.lang ?? 'vi';
    let appError: AppError | undefined;
    if (error instanceof AppError) appError = error;
    else if (error instanceof DbError || (error as { code?: string }).code?.match(/^[0-9A-Z]{5}$/)) appError = fromDbError(error);
    if (appError) return reply.status(appError.status).send(errorBody(lang, appError.code, appError.params, appError.fields));

    const status = statusCodeOf(error);
    if (status) {
      const code =
        status === 413
          ? 'payload_too_large'
          : status === 415
            ? 'unsupported_media_type'
            : error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || error instanceof SyntaxError
              ? 'invalid_json'
              : status === 404
                ? 'not_found'
                : 'bad_request';
      return reply.status(status).send(errorBody(lang, code, { entity: '', id: '' }));
    }
    request.log.error({ err: error }, 'unexpected error');
    return reply.status(500).send(errorBody(lang, 'internal'));
  });
}
