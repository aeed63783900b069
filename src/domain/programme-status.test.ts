import { describe, expect, it } from 'vitest';
import { ACTION_STEPS, isOverdue, manualNextStatus, nextStatus, PROGRAMME_STATUSES, previousStatus } from './programme-status';

describe('programme status flow', () => {
  it('steps forward one status at a time and stops at closed', () => {
    expect(nextStatus('draft')).toBe('raising');
    expect(nextStatus('list_approved')).toBe('submitted');
    expect(nextStatus('handed_over')).toBe('closed');
    expect(nextStatus('closed')).toBeNull();
    expect(PROGRAMME_STATUSES).toHaveLength(8);
  });

  it('goes back one step only before money has left, and reopens a closed programme', () => {
    expect(previousStatus('draft')).toBeNull();
    expect(previousStatus('raising')).toBe('draft');
    expect(previousStatus('list_approved')).toBe('selecting');
    expect(previousStatus('submitted')).toBeNull();
    expect(previousStatus('cards_issued')).toBeNull();
    expect(previousStatus('handed_over')).toBeNull();
    expect(previousStatus('closed')).toBe('handed_over');
  });

  it('leaves the steps an action takes to that action', () => {
    expect(ACTION_STEPS.submitted).toBe('submit');
    expect(manualNextStatus('draft')).toBe('raising');
    expect(manualNextStatus('selecting')).toBeNull();
    expect(manualNextStatus('list_approved')).toBeNull();
    expect(manualNextStatus('handed_over')).toBe('closed');
  });

  it('flags overdue programmes: deadline passed and not yet handed over', () => {
    expect(isOverdue({ deadline: '2025-11-30', status: 'cards_issued' }, '2025-12-01')).toBe(true);
    expect(isOverdue({ deadline: '2025-11-30', status: 'cards_issued' }, '2025-11-30')).toBe(false);
    expect(isOverdue({ deadline: '2025-11-30', status: 'handed_over' }, '2025-12-01')).toBe(false);
    expect(isOverdue({ deadline: '2025-11-30', status: 'closed' }, '2026-01-01')).toBe(false);
  });
});
