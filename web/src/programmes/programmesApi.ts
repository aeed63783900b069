/**
 * Donation programmes in the web app: the shapes the API answers (shared with the selection and handover
 * tabs), read from the generated OpenAPI types, and the calls, through the typed client.
 */
import { call, client, idempotency } from '../api/client';
import type { ApiBody, ApiQuery, ApiResponse, Item } from '../api/types';
import type { Confirmation } from './ConfirmAction';

export type Programme = Item<ApiResponse<'/api/programmes', 'get'>['items']>;
export type ProgrammeStatus = Programme['status'];
export const PROGRAMME_STATUSES: readonly ProgrammeStatus[] = ['draft', 'raising', 'selecting', 'list_approved', 'submitted', 'cards_issued', 'handed_over', 'closed'];
export type AreaKind = Programme['areaKind'];
export type SelectionMode = Programme['selectionMode'];
export type PriorityMode = Programme['priorityMode'];
/** Money of a programme, from its ledger: received = available + awarded + paid + refunded. */
export type ProgrammeBalance = Programme['balance'];
export type ProgrammeDetail = ApiResponse<'/api/programmes/{id}', 'get'>;
export type StatusChange = Item<ProgrammeDetail['history']>;
export type ProgrammeInput = ApiBody<'/api/programmes', 'post'>;

export type Donor = Item<ApiResponse<'/api/donors', 'get'>['items']>;
export type DonorKind = Donor['kind'];
export const DONOR_KINDS: readonly DonorKind[] = ['organisation', 'business', 'individual', 'officials'];
export type Pledge = Item<ApiResponse<'/api/programmes/{id}/pledges', 'get'>['items']>;
export type PledgeStatus = Pledge['status'];
export type Receipt = Item<ApiResponse<'/api/programmes/{id}/receipts', 'get'>['items']>;
export type PaymentMethod = Receipt['method'];
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['bank_transfer', 'cash', 'other'];
export type Refund = Item<ApiResponse<'/api/programmes/{id}/refunds', 'get'>['items']>;
export type LedgerEntry = Item<ApiResponse<'/api/programmes/{id}/ledger', 'get'>['entries']>;
export type Award = Item<ApiResponse<'/api/programmes/{id}/awards', 'get'>['items']>;

const id = (programmeId: string) => ({ path: { id: programmeId } });
/** Money actions are confirmed with their figures (`true` confirms only steps that move no money). */
export const figures = (confirm: Confirmation | undefined) => confirm as Exclude<Confirmation, true> | undefined;

export const programmesApi = {
  list: (query: ApiQuery<'/api/programmes', 'get'> = {}, signal?: AbortSignal) => {
    const given = Object.fromEntries(Object.entries(query).filter(([, v]) => v)) as ApiQuery<'/api/programmes', 'get'>;
    return call(client.GET('/api/programmes', { params: { query: given }, signal }));
  },
  get: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}', { params: id(programmeId), signal })),
  create: (body: ProgrammeInput) => call(client.POST('/api/programmes', { body })),
  update: (programmeId: string, body: ApiBody<'/api/programmes/{id}', 'patch'>) => call(client.PATCH('/api/programmes/{id}', { params: id(programmeId), body })),
  changeStatus: (programmeId: string, to: ProgrammeStatus, note?: string | null, confirm?: Confirmation, idempotencyKey?: string) =>
    call(client.POST('/api/programmes/{id}/status', { params: id(programmeId), body: { to, note: note || null, confirm }, headers: idempotency(idempotencyKey) })),

  donors: (signal?: AbortSignal) => call(client.GET('/api/donors', { signal })),
  createDonor: (body: ApiBody<'/api/donors', 'post'>) => call(client.POST('/api/donors', { body })),

  pledges: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/pledges', { params: id(programmeId), signal })),
  createPledge: (programmeId: string, body: ApiBody<'/api/programmes/{id}/pledges', 'post'>) => call(client.POST('/api/programmes/{id}/pledges', { params: id(programmeId), body })),
  confirmPledge: (programmeId: string, pledgeId: string) =>
    call(client.POST('/api/programmes/{id}/pledges/{pledgeId}/confirm', { params: { path: { id: programmeId, pledgeId } } })),
  cancelPledge: (programmeId: string, pledgeId: string) =>
    call(client.POST('/api/programmes/{id}/pledges/{pledgeId}/cancel', { params: { path: { id: programmeId, pledgeId } } })),

  receipts: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/receipts', { params: id(programmeId), signal })),
  createReceipt: (programmeId: string, body: Omit<ApiBody<'/api/programmes/{id}/receipts', 'post'>, 'confirm'>, confirm?: Confirmation, idempotencyKey?: string) =>
    call(client.POST('/api/programmes/{id}/receipts', { params: id(programmeId), body: { ...body, confirm: figures(confirm) }, headers: idempotency(idempotencyKey) })),

  refunds: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/refunds', { params: id(programmeId), signal })),
  createRefund: (programmeId: string, body: Omit<ApiBody<'/api/programmes/{id}/refunds', 'post'>, 'confirm'>, confirm?: Confirmation, idempotencyKey?: string) =>
    call(client.POST('/api/programmes/{id}/refunds', { params: id(programmeId), body: { ...body, confirm: figures(confirm) }, headers: idempotency(idempotencyKey) })),

  ledger: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/ledger', { params: id(programmeId), signal })),
  awards: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/awards', { params: id(programmeId), signal })),
};
