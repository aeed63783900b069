/**
 * Handover, donor statements and the public programme page in the web app: the shapes the API answers
 * and the calls, all through `request` of ../api (an evidence file goes as multipart).
 */
import { request } from '../api';
import type { Confirmation } from './ConfirmAction';

export const HANDOVER_RESULTS = ['expected', 'received', 'absent', 'refused'] as const;
export type HandoverResult = (typeof HANDOVER_RESULTS)[number];
export type ResultCounts = Record<HandoverResult, number>;

export interface HandoverEvent {
  id: string;
  programmeId: string;
  communeCode: string;
  communeName: string;
  heldOn: string;
  place: string;
  note: string | null;
  /** Held after the programme's deadline. */
  overdue: boolean;
  counts: ResultCounts;
  createdBy: string;
  createdAt: string;
}

export interface Recipient {
  awardId: string;
  eventId: string | null;
  communeCode: string;
  communeName: string;
  personId: string;
  /** Staff view: the full name. */
  fullName: string;
  birthYear: number;
  birthDate: string;
  groupCode: string;
  awardStatus: string;
  cardNumber: string | null;
  cardFrom: string | null;
  cardTo: string | null;
  /** null: no event expects the card yet. */
  result: HandoverResult | null;
  receivedBy: string | null;
  note: string | null;
  evidence: { name: string; type: string; size: number } | null;
  recordedBy: string | null;
  recordedAt: string | null;
}

export interface HandoverOverview {
  programmeId: string;
  status: string;
  deadline: string;
  events: HandoverEvent[];
  unassigned: Recipient[];
  /** Communes with cards of the programme (where events are held). */
  communes: { code: string; name: string; cards: number; unassigned: number }[];
  totals: ResultCounts & { unassigned: number; cards: number };
  complete: boolean;
}

export interface EventDetail {
  event: HandoverEvent;
  recipients: Recipient[];
  deadline: string;
  programmeName: string;
}

export interface DonorTotals {
  donorId: string;
  name: string;
  kind: string;
  publicConsent: boolean;
  pledged: number;
  proposed: number;
  received: number;
  refunded: number;
  funded: number;
  cards: number;
}

export interface FundedCard {
  awardId: string;
  /** "Nguyễn T. H., 2009, Xã Bảo Thắng" */
  beneficiary: string;
  maskedName: string;
  birthYear: number;
  communeCode: string;
  communeName: string;
  groupCode: string;
  awardAmount: number;
  funded: number;
  status: string;
  handedOver: boolean;
}

export interface DonorStatement {
  programme: { id: string; name: string; deadline: string; status: string; publicSlug: string };
  donor: { id: string; name: string; kind: string; publicConsent: boolean };
  pledges: { id: string; amount: number; pledgedOn: string; status: string; source: string; earmarkCommuneCode: string | null; earmarkCommuneName: string | null; earmarkTag: string | null }[];
  receipts: { id: string; amount: number; receivedOn: string; method: string; reference: string | null }[];
  refunds: { id: string; receiptId: string; amount: number; refundedOn: string; reason: string | null }[];
  cards: FundedCard[];
  totals: { pledged: number; received: number; refunded: number; funded: number; unspent: number; cards: number; handedOver: number };
}

export interface PublicProgramme {
  name: string;
  slug: string;
  status: string;
  ownerUnitName: string;
  purchaseDate: string;
  deadline: string;
  cardMonths: number;
  money: { pledged: number; received: number; refunded: number; spent: number; left: number };
  cardsByCommune: { communeCode: string; communeName: string; cards: number; handedOver: number; amount: number }[];
  cardsByGroup: { groupCode: string; cards: number; handedOver: number }[];
  donors: { name: string; kind: string; given: number }[];
  otherDonors: { count: number; given: number };
  beneficiaries: { beneficiary: string; maskedName: string; birthYear: number; communeName: string; groupCode: string; handedOver: boolean }[];
  progress: { today: string; deadline: string; daysLeft: number; overdue: boolean; cardsAwarded: number; cardsHandedOver: number };
  pledgesOpen: boolean;
  earmarkCommunes: { code: string; name: string }[];
}

export interface PublicPledgeInput {
  name: string;
  contact: string;
  amount: number;
  earmarkCommuneCode?: string | null;
  kind?: 'organisation' | 'business' | 'individual' | 'officials';
  publicConsent?: boolean;
  note?: string | null;
}

const enc = encodeURIComponent;

export const handoverApi = {
  overview: (programmeId: string, signal?: AbortSignal) => request<HandoverOverview>('GET', `/api/programmes/${enc(programmeId)}/handover`, { signal }),
  addEvent: (programmeId: string, body: { communeCode: string; heldOn: string; place: string; note?: string | null }) =>
    request<HandoverEvent & { assigned: number }>('POST', `/api/programmes/${enc(programmeId)}/handover/events`, { body }),
  assign: (programmeId: string) => request<HandoverOverview & { assigned: number }>('POST', `/api/programmes/${enc(programmeId)}/handover/assign`, { body: {} }),
  complete: (programmeId: string, note?: string | null, confirm?: Confirmation, idempotencyKey?: string) =>
    request<HandoverOverview>('POST', `/api/programmes/${enc(programmeId)}/handover/complete`, { body: { note: note || null, confirm }, idempotencyKey }),
  event: (eventId: string, signal?: AbortSignal) => request<EventDetail>('GET', `/api/handover/events/${enc(eventId)}`, { signal }),
  moveRecipient: (eventId: string, awardId: string) => request<Recipient>('POST', `/api/handover/events/${enc(eventId)}/recipients`, { body: { awardId } }),
  /** Records a result; with a file the request is multipart (field "evidence"). */
  recordResult: (awardId: string, input: { result: HandoverResult; receivedBy?: string | null; note?: string | null }, file?: File | null) => {
    if (!file) return request<Recipient>('POST', `/api/handover/results/${enc(awardId)}`, { body: { result: input.result, receivedBy: input.receivedBy || null, note: input.note || null } });
    const form = new FormData();
    form.append('result', input.result);
    form.append('receivedBy', input.receivedBy ?? '');
    form.append('note', input.note ?? '');
    form.append('evidence', file, file.name);
    return request<Recipient>('POST', `/api/handover/results/${enc(awardId)}`, { body: form });
  },
  minutesUrl: (eventId: string) => `/api/handover/events/${enc(eventId)}/minutes.pdf`,
  evidenceUrl: (awardId: string) => `/api/handover/results/${enc(awardId)}/evidence`,

  statements: (programmeId: string, signal?: AbortSignal) => request<{ items: DonorTotals[] }>('GET', `/api/programmes/${enc(programmeId)}/statements`, { signal }),
  statement: (programmeId: string, donorId: string, signal?: AbortSignal) =>
    request<DonorStatement>('GET', `/api/programmes/${enc(programmeId)}/statements/${enc(donorId)}`, { signal }),
  statementPdfUrl: (programmeId: string, donorId: string) => `/api/programmes/${enc(programmeId)}/statements/${enc(donorId)}/pdf`,

  publicProgramme: (slug: string, signal?: AbortSignal) => request<PublicProgramme>('GET', `/api/public/programmes/${enc(slug)}`, { signal, quiet401: true }),
  publicPledge: (slug: string, body: PublicPledgeInput) =>
    request<{ pledgeId: string; amount: number; status: 'proposed'; message: string }>('POST', `/api/public/programmes/${enc(slug)}/pledges`, { body, quiet401: true }),
};
