/** Backups (admins), through the typed client. */
import { call, client } from '../api/client';
import type { ApiResponse } from '../api/types';

export type LastBackup = ApiResponse<'/api/operations/backups/last', 'get'>;

export const operationsApi = {
  lastBackup: (signal?: AbortSignal) => call(client.GET('/api/operations/backups/last', { signal })),
};
