/**
 * Candidates, nominations, selection rounds, the D03-TS list and issued cards in the web app: the shapes
 * the API answers (src/modules/programmes/selection/selection.schemas.ts) and the calls, through `request` of ../api
 * (files go as multipart).
 */
import { request } from '../api';
import type { Confirmation } from './ConfirmAction';

export const CANDIDATE_STATUSES = ['eligible', 'state_budget', 'no_priority', 'unpriceable', 'already_covered'] as const;
export type CandidateStatus = (typeof CANDIDATE_STATUSES)[number];

/** The card a programme buys a person: from the purchase date, or a renewal after the current card. */
export interface DonatedCard {
  from: string;
  to: string;
  months: number;
  renewal: boolean;
}

export interface Candidate {
  personId: string;
  householdId: string;
  communeCode: string;
  communeName: string | null;
  villageCode: string | null;
  householdCode: string;
  fullName: string;
  birthDate: string;
  sex: string;
  citizenId: string | null;
  insuranceCode: string | null;
  ethnicity: string | null;
  address: string | null;
  povertyStatus: string;
  coveredUntil: string | null;
  currentCard: { number: string | null; validFrom: string | null; validTo: string } | null;
  card: DonatedCard | null;
  enrolledThisYear: number;
  nominated: boolean;
  groups: string[];
  tags: string[];
  pricingGroup: string | null;
  value: number;
  cost: number | null;
  status: CandidateStatus;
  message?: string;
}

export interface CandidateList {
  summary: {
    purchaseDate: string;
    periodEnd: string;
    months: number;
    priorityMode: 'weights' | 'tiers';
    weights: Record<string, number>;
    tiers?: string[];
    countAll: boolean;
    total: number;
    coveredInArea: number;
    byStatus: Record<string, number>;
    eligibleCost: number;
    communes: { code: string; name: string | null; total: number; eligible: number; stateBudget: number; eligibleCost: number }[];
  };
  matching: number;
  items: Candidate[];
}

/** Earmarked money in a round: what it had, what its earmark used, what is kept for it. */
export interface EarmarkUse {
  commune: string | null;
  tag: string | null;
  available: number;
  spent: number;
  unspent: number;
  selected: number;
}

export interface Round {
  id: string;
  programmeId: string;
  number: number;
  status: 'proposed' | 'approved' | 'discarded';
  pricedOn: string;
  months: number;
  budget: number;
  spent: number;
  unspent: number;
  objective: number;
  bound: number | null;
  params: Record<string, unknown>;
  selectedCount: number;
  candidateCount: number;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

export interface FrozenCandidate {
  personId: string;
  householdId: string;
  communeCode: string;
  communeName: string | null;
  householdCode: string | null;
  fullName: string;
  birthDate: string;
  sex: string;
  citizenId: string | null;
  tags: string[];
  groupCodes: string[];
  coveredUntil: string | null;
  card: DonatedCard | null;
  value: number;
  cost: number | null;
  pricingGroup: string | null;
  selected: boolean;
  reason: string;
  detail: string | null;
  order: number | null;
}

export interface RoundDetail {
  round: Round;
  totals: { selected: number; rejected: number; spent: number; value: number; stateBudget: number };
  communes: { code: string; name: string | null; candidates: number; selected: number; spent: number; stateBudget: number }[];
  byReason: Record<string, number>;
  matching: number;
  items: FrozenCandidate[];
}

export interface RowError {
  row: number;
  column: string;
  value: string;
  message: string;
}

export interface NominationImport {
  rows: number;
  nominated: number;
  rejected: number;
  errors: RowError[];
  rolledBack: boolean;
}

export interface AwardLine {
  id: string;
  personId: string;
  communeCode: string;
  communeName: string | null;
  groupCode: string;
  amount: number;
  status: string;
  cardNumber: string | null;
  cardFrom: string | null;
  cardTo: string | null;
  fullName: string;
  birthDate: string;
  citizenId: string | null;
  insuranceCode: string | null;
  /** A renewal: the current card's end; the donated card starts the day after. */
  coveredUntil: string | null;
}

export interface IssueResult {
  recorded: number;
  unchanged: number;
  issued: number;
  total: number;
  programmeStatus: string;
}

const base = (id: string) => `/api/programmes/${encodeURIComponent(id)}`;
const query = (params: Record<string, string | number | boolean | undefined>) => {
  const q = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${encodeURIComponent(String(v))}`)
    .join('&');
  return q ? `?${q}` : '';
};
const fileForm = (file: File) => {
  const form = new FormData();
  form.append('file', file, file.name);
  return form;
};

export const selectionApi = {
  candidates: (id: string, params: { commune?: string; status?: CandidateStatus; limit?: number }, signal?: AbortSignal) =>
    request<CandidateList>('GET', `${base(id)}/candidates${query(params)}`, { signal }),
  nominate: (id: string, body: { personIds: string[]; tags: string[]; note?: string | null }) =>
    request<{ nominated: number; tags: string[] }>('POST', `${base(id)}/nominations`, { body }),
  importNominations: (id: string, file: File) => request<NominationImport>('POST', `${base(id)}/nominations/import`, { body: fileForm(file) }),
  rounds: (id: string, signal?: AbortSignal) => request<{ items: Round[] }>('GET', `${base(id)}/rounds`, { signal }),
  runRound: (id: string, body: { budget?: number; mode?: 'concentrate' | 'spread'; releaseEarmarks?: boolean }) => request<Round>('POST', `${base(id)}/rounds`, { body }),
  round: (id: string, roundId: string, params: { commune?: string; selected?: boolean; limit?: number }, signal?: AbortSignal) =>
    request<RoundDetail>('GET', `${base(id)}/rounds/${encodeURIComponent(roundId)}${query(params)}`, { signal }),
  approve: (id: string, roundId: string, confirm?: Confirmation, idempotencyKey?: string) =>
    request<{ round: Round; awards: number; amount: number; discarded: number }>('POST', `${base(id)}/rounds/${encodeURIComponent(roundId)}/approve`, { body: { confirm }, idempotencyKey }),
  discard: (id: string, roundId: string) => request<Round>('POST', `${base(id)}/rounds/${encodeURIComponent(roundId)}/discard`, { body: {} }),
  d03Url: (id: string) => `${base(id)}/d03.xlsx`,
  stateBudgetUrl: (id: string) => `${base(id)}/candidates/state-budget.xlsx`,
  submit: (id: string, confirm?: Confirmation, idempotencyKey?: string) =>
    request<{ awards: number; amount: number }>('POST', `${base(id)}/d03/submit`, { body: { confirm }, idempotencyKey }),
  unsubmit: (id: string, reason: string, confirm?: Confirmation, idempotencyKey?: string) =>
    request<{ awards: number; amount: number; reversed: { count: number; amount: number } }>('POST', `${base(id)}/d03/unsubmit`, { body: { reason, confirm }, idempotencyKey }),
  issuedCards: (id: string, signal?: AbortSignal) => request<{ live: number; issued: number; items: AwardLine[] }>('GET', `${base(id)}/issued-cards`, { signal }),
  recordCards: (id: string, cards: { awardId: string; cardNumber: string; validFrom: string; validTo: string }[], confirm?: Confirmation, idempotencyKey?: string) =>
    request<IssueResult>('POST', `${base(id)}/issued-cards`, { body: { cards, confirm }, idempotencyKey }),
  importCards: (id: string, file: File, confirm?: Confirmation) =>
    request<{ rows: number; result: IssueResult | null; errors: RowError[]; rolledBack: boolean }>('POST', `${base(id)}/issued-cards/import${confirm ? '?confirm=true' : ''}`, {
      body: fileForm(file),
    }),
};
