/**
 * The areas' API clients in one object, for the pages that still import it from here (moved to their
 * areas next). The client itself: api/client.ts; each area's calls: <area>/<area>Api.ts.
 */
import { accessApi } from './access/accessApi';
import { unitsApi } from './units/unitsApi';
import { auditApi } from './audit/auditApi';
import { premiumApi } from './premium/premiumApi';
import { registerApi } from './register/registerApi';
import { coverageApi } from './coverage/coverageApi';

export { ApiError, isAbort, onUnauthenticated, setCsrfToken, type FieldError } from './api/client';
export * from './access/accessApi';
export * from './units/unitsApi';
export * from './audit/auditApi';
export * from './premium/premiumApi';
export * from './register/registerApi';
export * from './coverage/coverageApi';

export const api = { ...accessApi, ...unitsApi, ...auditApi, ...premiumApi, ...registerApi, ...coverageApi };
export const fetchStaffProgress = coverageApi.staffProgress;
