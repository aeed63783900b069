/** The audit log (admins), through the typed client. */
import { call, client } from '../api/client';
import type { ApiQuery, ApiResponse, Item } from '../api/types';

export type AuditItem = Item<ApiResponse<'/api/audit', 'get'>['items']>;

export const auditApi = {
  audit: (params: { limit?: number; before?: string; entity?: string }, signal?: AbortSignal) => {
    const query: ApiQuery<'/api/audit', 'get'> = { limit: params.limit ?? 50 };
    if (params.before) query.before = params.before;
    if (params.entity) query.entity = params.entity;
    return call(client.GET('/api/audit', { params: { query }, signal }));
  },
};
