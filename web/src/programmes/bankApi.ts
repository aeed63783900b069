/** A programme's bank transfers in the web app: receiving accounts, statement import, lines, matches, report. */
import { call, client, idempotency, multipart } from '../api/client';
import type { ApiBody, ApiResponse, Item } from '../api/types';
import { figures } from './programmesApi';
import type { Confirmation } from './ConfirmAction';

export type BankAccount = Item<ApiResponse<'/api/programmes/{id}/bank-accounts', 'get'>['items']>;
export type NapasBank = Item<ApiResponse<'/api/banks', 'get'>['items']>;
export type BankLine = Item<ApiResponse<'/api/programmes/{id}/bank-lines', 'get'>['items']>;
export type BankReport = ApiResponse<'/api/programmes/{id}/bank-report', 'get'>;
export type ImportResult = ApiResponse<'/api/programmes/{id}/bank-statements', 'post'>;
export type AccountInput = ApiBody<'/api/programmes/{id}/bank-accounts', 'post'>;
export type PledgePayment = ApiResponse<'/api/programmes/{id}/pledges/{pledgeId}/payment', 'get'>;

export const STATEMENT_LAYOUTS = ['vietcombank', 'vietinbank', 'bidv', 'agribank', 'techcombank', 'mb', 'generic'] as const;

const id = (programmeId: string) => ({ path: { id: programmeId } });

export const bankApi = {
  banks: (signal?: AbortSignal) => call(client.GET('/api/banks', { signal })).then((r) => r.items),
  accounts: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/bank-accounts', { params: id(programmeId), signal })).then((r) => r.items),
  addAccount: (programmeId: string, body: AccountInput) => call(client.POST('/api/programmes/{id}/bank-accounts', { params: id(programmeId), body })),
  importStatement: (programmeId: string, accountId: string, file: File, layout: string) =>
    call(
      client.POST('/api/programmes/{id}/bank-statements', {
        params: { path: { id: programmeId }, query: { accountId, ...(layout ? { layout } : {}) } },
        body: multipart({ file }),
      }),
    ),
  lines: (programmeId: string, unmatched: boolean, signal?: AbortSignal) =>
    call(client.GET('/api/programmes/{id}/bank-lines', { params: { path: { id: programmeId }, query: unmatched ? { unmatched: 'true' } : {} }, signal })).then((r) => r.items),
  report: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/bank-report', { params: id(programmeId), signal })),
  match: (programmeId: string, lineId: string, parts: { pledgeId: string; amount: number }[], confirm: Confirmation | undefined, key: string | undefined) =>
    call(
      client.POST('/api/programmes/{id}/bank-lines/{lineId}/matches', {
        params: { path: { id: programmeId, lineId } },
        body: { parts, ...(figures(confirm) ? { confirm: figures(confirm) } : {}) },
        headers: idempotency(key),
      }),
    ),
  undo: (programmeId: string, matchId: string, confirm: Confirmation | undefined, key: string | undefined) =>
    call(
      client.POST('/api/programmes/{id}/bank-matches/{matchId}/undo', {
        params: { path: { id: programmeId, matchId } },
        body: figures(confirm) ? { confirm: figures(confirm) } : {},
        headers: idempotency(key),
      }),
    ),
  reconcile: (programmeId: string) => call(client.POST('/api/programmes/{id}/bank-reconcile', { params: id(programmeId) })),
  setMapping: (programmeId: string, accountId: string, mapping: Record<string, string> | null) =>
    call(client.PUT('/api/programmes/{id}/bank-accounts/{accountId}/mapping', { params: { path: { id: programmeId, accountId } }, body: { mapping } })),
  payment: (programmeId: string, pledgeId: string, signal?: AbortSignal) =>
    call(client.GET('/api/programmes/{id}/pledges/{pledgeId}/payment', { params: { path: { id: programmeId, pledgeId } }, signal })),
};
