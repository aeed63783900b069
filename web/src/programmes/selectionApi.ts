/**
 * Candidates, nominations, selection rounds, the D03-TS list and issued cards in the web app: the shapes
 * the API answers, read from the generated OpenAPI types, and the calls, through the typed client (files
 * go as multipart).
 */
import { call, client, idempotency, multipart } from '../api/client';
import type { ApiBody, ApiQuery, ApiResponse, Item } from '../api/types';
import type { Confirmation } from './ConfirmAction';
import { figures } from './programmesApi';

export type CandidateList = ApiResponse<'/api/programmes/{id}/candidates', 'get'>;
export type Candidate = Item<CandidateList['items']>;
export type CandidateStatus = Candidate['status'];
export const CANDIDATE_STATUSES: readonly CandidateStatus[] = ['eligible', 'state_budget', 'no_priority', 'unpriceable', 'already_covered'];
/** The card a programme buys a person: from the purchase date, or a renewal after the current card. */
export type DonatedCard = NonNullable<Candidate['card']>;
export type Round = Item<ApiResponse<'/api/programmes/{id}/rounds', 'get'>['items']>;
export type RoundDetail = ApiResponse<'/api/programmes/{id}/rounds/{roundId}', 'get'>;
export type FrozenCandidate = Item<RoundDetail['items']>;
export type NominationImport = ApiResponse<'/api/programmes/{id}/nominations/import', 'post'>;
export type RowError = Item<NominationImport['errors']>;
export type IssuedCards = ApiResponse<'/api/programmes/{id}/issued-cards', 'get'>;
export type AwardLine = Item<IssuedCards['items']>;
export type IssueResult = ApiResponse<'/api/programmes/{id}/issued-cards', 'post'>;
export type D03Check = ApiResponse<'/api/programmes/{id}/d03/check', 'get'>;

/** Query parameters as the pages give them: an empty or absent value is left out. */
function given<Q extends object>(params: Q): Q {
  return Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined && v !== '')) as Q;
}
const id = (programmeId: string) => ({ path: { id: programmeId } });
const round = (programmeId: string, roundId: string) => ({ path: { id: programmeId, roundId } });

export const selectionApi = {
  candidates: (programmeId: string, params: ApiQuery<'/api/programmes/{id}/candidates', 'get'>, signal?: AbortSignal) =>
    call(client.GET('/api/programmes/{id}/candidates', { params: { ...id(programmeId), query: given(params) }, signal })),
  nominate: (programmeId: string, body: ApiBody<'/api/programmes/{id}/nominations', 'post'>) => call(client.POST('/api/programmes/{id}/nominations', { params: id(programmeId), body })),
  importNominations: (programmeId: string, file: File) => call(client.POST('/api/programmes/{id}/nominations/import', { params: id(programmeId), body: multipart({ file }) })),
  rounds: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/rounds', { params: id(programmeId), signal })),
  runRound: (programmeId: string, body: ApiBody<'/api/programmes/{id}/rounds', 'post'>) => call(client.POST('/api/programmes/{id}/rounds', { params: id(programmeId), body })),
  round: (programmeId: string, roundId: string, params: { commune?: string; selected?: boolean; limit?: number }, signal?: AbortSignal) => {
    const query: ApiQuery<'/api/programmes/{id}/rounds/{roundId}', 'get'> = { ...params, selected: params.selected === undefined ? undefined : params.selected ? 'true' : 'false' };
    return call(client.GET('/api/programmes/{id}/rounds/{roundId}', { params: { ...round(programmeId, roundId), query: given(query) }, signal }));
  },
  approve: (programmeId: string, roundId: string, confirm?: Confirmation, idempotencyKey?: string) =>
    call(client.POST('/api/programmes/{id}/rounds/{roundId}/approve', { params: round(programmeId, roundId), body: { confirm: figures(confirm) }, headers: idempotency(idempotencyKey) })),
  discard: (programmeId: string, roundId: string) => call(client.POST('/api/programmes/{id}/rounds/{roundId}/discard', { params: round(programmeId, roundId) })),
  d03Url: (programmeId: string, allowIncomplete = false) => `/api/programmes/${encodeURIComponent(programmeId)}/d03.xlsx${allowIncomplete ? '?allowIncomplete=true' : ''}`,
  d03Check: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/d03/check', { params: id(programmeId), signal })),
  setFacility: (programmeId: string, awardIds: string[], facilityCode: string | null) =>
    call(client.PUT('/api/programmes/{id}/awards/facility', { params: id(programmeId), body: { awardIds, facilityCode } })),
  stateBudgetUrl: (programmeId: string) => `/api/programmes/${encodeURIComponent(programmeId)}/candidates/state-budget.xlsx`,
  submit: (programmeId: string, confirm?: Confirmation, idempotencyKey?: string) =>
    call(client.POST('/api/programmes/{id}/d03/submit', { params: id(programmeId), body: { confirm: figures(confirm) }, headers: idempotency(idempotencyKey) })),
  unsubmit: (programmeId: string, reason: string, confirm?: Confirmation, idempotencyKey?: string) =>
    call(client.POST('/api/programmes/{id}/d03/unsubmit', { params: id(programmeId), body: { reason, confirm: figures(confirm) }, headers: idempotency(idempotencyKey) })),
  issuedCards: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/issued-cards', { params: id(programmeId), signal })),
  recordCards: (programmeId: string, cards: ApiBody<'/api/programmes/{id}/issued-cards', 'post'>['cards'], confirm?: Confirmation, idempotencyKey?: string) =>
    call(client.POST('/api/programmes/{id}/issued-cards', { params: id(programmeId), body: { cards, confirm }, headers: idempotency(idempotencyKey) })),
  importCards: (programmeId: string, file: File, confirm?: Confirmation) =>
    call(
      client.POST('/api/programmes/{id}/issued-cards/import', {
        params: { ...id(programmeId), query: confirm ? { confirm: 'true' } : {} },
        body: multipart({ file }),
      }),
    ),
};
