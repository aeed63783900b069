/**
 * Handover, donor statements and the public programme page in the web app: the shapes the API answers,
 * read from the generated OpenAPI types, and the calls, through the typed client (an evidence file goes
 * as multipart).
 */
import { call, client, idempotency, multipart } from '../api/client';
import type { ApiBody, ApiResponse, Item } from '../api/types';
import type { Confirmation } from './ConfirmAction';

export type HandoverOverview = ApiResponse<'/api/programmes/{id}/handover', 'get'>;
export type HandoverEvent = Item<HandoverOverview['events']>;
export type Recipient = Item<HandoverOverview['unassigned']>;
export type HandoverResult = NonNullable<Recipient['result']>;
export const HANDOVER_RESULTS: readonly HandoverResult[] = ['expected', 'received', 'absent', 'refused'];
export type ResultCounts = HandoverEvent['counts'];
export type EventDetail = ApiResponse<'/api/handover/events/{eventId}', 'get'>;
export type DonorTotals = Item<ApiResponse<'/api/programmes/{id}/statements', 'get'>['items']>;
export type DonorStatement = ApiResponse<'/api/programmes/{id}/statements/{donorId}', 'get'>;
export type FundedCard = Item<DonorStatement['cards']>;
export type PublicProgramme = ApiResponse<'/api/public/programmes/{slug}', 'get'>;
export type PublicPledgeInput = ApiBody<'/api/public/programmes/{slug}/pledges', 'post'>;

const programme = (id: string) => ({ path: { id } });
const enc = encodeURIComponent;

export const handoverApi = {
  overview: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/handover', { params: programme(programmeId), signal })),
  addEvent: (programmeId: string, body: ApiBody<'/api/programmes/{id}/handover/events', 'post'>) =>
    call(client.POST('/api/programmes/{id}/handover/events', { params: programme(programmeId), body })),
  assign: (programmeId: string) => call(client.POST('/api/programmes/{id}/handover/assign', { params: programme(programmeId) })),
  complete: (programmeId: string, note?: string | null, confirm?: Confirmation, idempotencyKey?: string) =>
    call(client.POST('/api/programmes/{id}/handover/complete', { params: programme(programmeId), body: { note: note || null, confirm }, headers: idempotency(idempotencyKey) })),
  event: (eventId: string, signal?: AbortSignal) => call(client.GET('/api/handover/events/{eventId}', { params: { path: { eventId } }, signal })),
  moveRecipient: (eventId: string, awardId: string) => call(client.POST('/api/handover/events/{eventId}/recipients', { params: { path: { eventId } }, body: { awardId } })),
  /** Records a result; with a file the request is multipart (field "evidence"). */
  recordResult: (awardId: string, input: { result: HandoverResult; receivedBy?: string | null; note?: string | null }, file?: File | null) =>
    call(
      client.POST('/api/handover/results/{awardId}', {
        params: { path: { awardId } },
        // the route reads JSON or multipart itself: the document describes no body
        body: file
          ? multipart({ result: input.result, receivedBy: input.receivedBy ?? '', note: input.note ?? '', evidence: file })
          : ({ result: input.result, receivedBy: input.receivedBy || null, note: input.note || null } as never),
      }),
    ),
  minutesUrl: (eventId: string) => `/api/handover/events/${enc(eventId)}/minutes.pdf`,
  evidenceUrl: (awardId: string) => `/api/handover/results/${enc(awardId)}/evidence`,

  statements: (programmeId: string, signal?: AbortSignal) => call(client.GET('/api/programmes/{id}/statements', { params: programme(programmeId), signal })),
  statement: (programmeId: string, donorId: string, signal?: AbortSignal) =>
    call(client.GET('/api/programmes/{id}/statements/{donorId}', { params: { path: { id: programmeId, donorId } }, signal })),
  statementPdfUrl: (programmeId: string, donorId: string) => `/api/programmes/${enc(programmeId)}/statements/${enc(donorId)}/pdf`,
  thanksPdfUrl: (programmeId: string, donorId: string) => `/api/programmes/${enc(programmeId)}/statements/${enc(donorId)}/thanks.pdf`,

  publicProgramme: (slug: string, signal?: AbortSignal) => call(client.GET('/api/public/programmes/{slug}', { params: { path: { slug } }, signal }), { quiet401: true }),
  publicPledge: (slug: string, body: PublicPledgeInput) => call(client.POST('/api/public/programmes/{slug}/pledges', { params: { path: { slug } }, body }), { quiet401: true }),
};
