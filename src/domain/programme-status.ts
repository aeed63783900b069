/**
 * A donation programme's status flow and its rules. Pure: no I/O; the programme service records the
 * steps (programme_status_change, audit) and checks what needs the database (awards, the money).
 *
 * draft -> raising -> selecting -> list_approved -> submitted -> cards_issued -> handed_over -> closed,
 * one step forward at a time. One step back, with a note, from raising, selecting, list_approved (not
 * once an award has been submitted or paid) and closed (reopen); submitted and later cannot go back
 * because money has left (docs/decisions.md).
 */
import type { ProgrammeStatus } from '../db/schema';

export type { ProgrammeStatus };

/** The statuses in their order. */
export const PROGRAMME_STATUSES = ['draft', 'raising', 'selecting', 'list_approved', 'submitted', 'cards_issued', 'handed_over', 'closed'] as const;

/** The status's place in the flow (0 for draft). */
export const statusIndex = (s: ProgrammeStatus): number => PROGRAMME_STATUSES.indexOf(s);

/** The status one step forward, or null at the end. */
export function nextStatus(status: ProgrammeStatus): ProgrammeStatus | null {
  return PROGRAMME_STATUSES[statusIndex(status) + 1] ?? null;
}

/** Statuses from which one step back is allowed (submitted and later: money has left). */
const BACK_ALLOWED: readonly ProgrammeStatus[] = ['raising', 'selecting', 'list_approved', 'closed'];

export function previousStatus(status: ProgrammeStatus): ProgrammeStatus | null {
  return BACK_ALLOWED.includes(status) ? (PROGRAMME_STATUSES[statusIndex(status) - 1] ?? null) : null;
}

/**
 * Steps that happen through their own action, never by a bare status change: approving a selection
 * round (awards the money), submitting the D03-TS list (pays it), recording the issued cards, and the
 * last handover result. The generic status route refuses them and names the action.
 */
export const ACTION_STEPS: Partial<Record<ProgrammeStatus, 'approve' | 'submit' | 'issue' | 'handover'>> = {
  list_approved: 'approve',
  submitted: 'submit',
  cards_issued: 'issue',
  handed_over: 'handover',
};

/** The step forward a person may take with the status buttons (null when an action takes it). */
export function manualNextStatus(status: ProgrammeStatus): ProgrammeStatus | null {
  const next = nextStatus(status);
  return next && !ACTION_STEPS[next] ? next : null;
}

/** Deadline passed and the cards not yet handed over. */
export function isOverdue(programme: { deadline: string; status: ProgrammeStatus }, today: string): boolean {
  return programme.deadline < today && statusIndex(programme.status) < statusIndex('handed_over');
}
