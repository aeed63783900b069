/**
 * Donation programmes in the web app: the shapes the API answers (shared with the selection and handover
 * tabs) and the calls, all through `request` of ../api.
 */
import { request } from '../api';
import type { Confirmation } from './ConfirmAction';

export const PROGRAMME_STATUSES = ['draft', 'raising', 'selecting', 'list_approved', 'submitted', 'cards_issued', 'handed_over', 'closed'] as const;
export type ProgrammeStatus = (typeof PROGRAMME_STATUSES)[number];
export type AreaKind = 'province' | 'communes' | 'area';
export type SelectionMode = 'concentrate' | 'spread';
export type PriorityMode = 'weights' | 'tiers';
export type DonorKind = 'organisation' | 'business' | 'individual' | 'officials';
export const DONOR_KINDS: readonly DonorKind[] = ['organisation', 'business', 'individual', 'officials'];
export type PaymentMethod = 'cash' | 'bank_transfer' | 'other';
export const PAYMENT_METHODS: readonly PaymentMethod[] = ['bank_transfer', 'cash', 'other'];
export type PledgeStatus = 'proposed' | 'confirmed' | 'cancelled';

/** Money of a programme, from its ledger: received = available + awarded + paid + refunded. */
/** Type aliases (not interfaces) so that they fit `Record<string, unknown>` props. */
export type ProgrammeBalance = {
  /** Confirmed pledges. */
  pledged: number;
  received: number;
  refunded: number;
  /** Committed to live awards, not yet paid to the social insurance office. */
  awarded: number;
  paid: number;
  /** Free money. */
  available: number;
};

export type Programme = {
  id: string;
  name: string;
  ownerUnitCode: string;
  ownerUnitName: string;
  areaKind: AreaKind;
  areaCodes: string[];
  areaNote: string | null;
  cardMonths: number;
  purchaseDate: string;
  deadline: string;
  handoverSeason: string | null;
  status: ProgrammeStatus;
  selectionMode: SelectionMode;
  priorityMode: PriorityMode;
  /** weights {"pupil": 2} or tiers ["storm_victim", "pupil"] */
  priorities: Record<string, number> | string[];
  communeQuotas: Record<string, number> | null;
  publicSlug: string;
  publicEnabled: boolean;
  createdBy: string;
  createdAt: string;
  updatedAt: string;
  /** Deadline passed and the cards not yet handed over. */
  overdue: boolean;
  /** May the signed-in user change it? */
  canWrite: boolean;
  balance: ProgrammeBalance;
};

export type StatusChange = {
  id: string;
  fromStatus: ProgrammeStatus | null;
  toStatus: ProgrammeStatus;
  actorName: string;
  at: string;
  note: string | null;
};

export type ProgrammeDetail = Programme & {
  history: StatusChange[];
  /** The step the status button takes (null when an action takes the next step). */
  next: ProgrammeStatus | null;
  /** The action that takes the next step, shown as a hint instead of a button. */
  nextAction: 'approve' | 'submit' | 'issue' | 'handover' | null;
  previous: ProgrammeStatus | null;
  areaUnits: { code: string; name: string }[];
};

export interface ProgrammeInput {
  name: string;
  ownerUnitCode: string;
  areaKind: AreaKind;
  areaCodes?: string[];
  areaNote?: string | null;
  cardMonths: number;
  purchaseDate: string;
  deadline: string;
  handoverSeason?: string | null;
  selectionMode?: SelectionMode;
  priorityMode?: PriorityMode;
  priorities?: Record<string, number> | string[];
  communeQuotas?: Record<string, number> | null;
  publicEnabled?: boolean;
}

export interface Donor {
  id: string;
  ownerUnitCode: string;
  kind: DonorKind;
  name: string;
  contact: string | null;
  publicConsent: boolean;
  createdAt: string;
}

export interface Pledge {
  id: string;
  programmeId: string;
  donorId: string;
  donorName: string;
  amount: number;
  earmarkCommuneCode: string | null;
  earmarkCommuneName: string | null;
  earmarkTag: string | null;
  status: PledgeStatus;
  source: 'staff' | 'public';
  pledgedOn: string;
  note: string | null;
  createdAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
  /** Receipts against this pledge, less their refunds. */
  received: number;
}

export interface Receipt {
  id: string;
  programmeId: string;
  donorId: string;
  donorName: string;
  pledgeId: string | null;
  amount: number;
  receivedOn: string;
  method: PaymentMethod;
  reference: string | null;
  createdBy: string;
  createdAt: string;
  /** Funding of live awards. */
  funded: number;
  refunded: number;
  /** What is left to spend or refund. */
  remaining: number;
}

export interface Refund {
  id: string;
  programmeId: string;
  receiptId: string;
  donorName: string;
  amount: number;
  refundedOn: string;
  reason: string | null;
  createdBy: string;
  createdAt: string;
}

export interface LedgerEntry {
  id: string;
  txnId: string;
  kind: string;
  account: 'cash' | 'fund' | 'awarded' | 'paid' | 'refunded';
  amount: number;
  receiptId: string | null;
  awardId: string | null;
  memo: string | null;
  postedBy: string;
  postedAt: string;
}

export interface Award {
  id: string;
  roundId: string | null;
  householdId: string;
  personId: string;
  communeCode: string;
  groupCode: string;
  tags: string[];
  amount: number;
  status: 'awarded' | 'submitted' | 'issued' | 'handed_over' | 'cancelled';
  createdAt: string;
  fullName: string | null;
}

const base = (id: string) => `/api/programmes/${encodeURIComponent(id)}`;
type Items<T> = { items: T[] };

export const programmesApi = {
  list: (query: { status?: ProgrammeStatus; q?: string } = {}, signal?: AbortSignal) => {
    const qs = new URLSearchParams(Object.entries(query).filter(([, v]) => v) as [string, string][]).toString();
    return request<Items<Programme>>('GET', `/api/programmes${qs ? `?${qs}` : ''}`, { signal });
  },
  get: (id: string, signal?: AbortSignal) => request<ProgrammeDetail>('GET', base(id), { signal }),
  create: (body: ProgrammeInput) => request<ProgrammeDetail>('POST', '/api/programmes', { body }),
  update: (id: string, body: Partial<ProgrammeInput>) => request<ProgrammeDetail>('PATCH', base(id), { body }),
  changeStatus: (id: string, to: ProgrammeStatus, note?: string | null, confirm?: Confirmation, idempotencyKey?: string) =>
    request<ProgrammeDetail>('POST', `${base(id)}/status`, { body: { to, note: note || null, confirm }, idempotencyKey }),

  donors: (signal?: AbortSignal) => request<Items<Donor>>('GET', '/api/donors', { signal }),
  createDonor: (body: { ownerUnitCode: string; kind: DonorKind; name: string; contact?: string | null; publicConsent?: boolean }) =>
    request<Donor>('POST', '/api/donors', { body }),

  pledges: (id: string, signal?: AbortSignal) => request<Items<Pledge>>('GET', `${base(id)}/pledges`, { signal }),
  createPledge: (id: string, body: { donorId: string; amount: number; earmarkCommuneCode?: string | null; earmarkTag?: string | null; pledgedOn: string; note?: string | null }) =>
    request<Pledge>('POST', `${base(id)}/pledges`, { body }),
  confirmPledge: (id: string, pledgeId: string) => request<Pledge>('POST', `${base(id)}/pledges/${pledgeId}/confirm`, { body: {} }),
  cancelPledge: (id: string, pledgeId: string) => request<Pledge>('POST', `${base(id)}/pledges/${pledgeId}/cancel`, { body: {} }),

  receipts: (id: string, signal?: AbortSignal) => request<Items<Receipt>>('GET', `${base(id)}/receipts`, { signal }),
  createReceipt: (
    id: string,
    body: { donorId: string; pledgeId?: string | null; amount: number; receivedOn: string; method: PaymentMethod; reference?: string | null },
    confirm?: Confirmation,
    idempotencyKey?: string,
  ) => request<Receipt>('POST', `${base(id)}/receipts`, { body: { ...body, confirm }, idempotencyKey }),

  refunds: (id: string, signal?: AbortSignal) => request<Items<Refund>>('GET', `${base(id)}/refunds`, { signal }),
  createRefund: (id: string, body: { receiptId: string; amount: number; refundedOn: string; reason?: string | null }, confirm?: Confirmation, idempotencyKey?: string) =>
    request<Refund>('POST', `${base(id)}/refunds`, { body: { ...body, confirm }, idempotencyKey }),

  ledger: (id: string, signal?: AbortSignal) => request<{ balance: ProgrammeBalance; entries: LedgerEntry[] }>('GET', `${base(id)}/ledger`, { signal }),
  awards: (id: string, signal?: AbortSignal) => request<Items<Award>>('GET', `${base(id)}/awards`, { signal }),
};
