import { describe, expect, it } from 'vitest';
import { atRisk, deadlineText, dueOnOf, parseDeadlineCell, parseGoalText, splitProRata, taskState, type TaskTiming } from './plans';

const task = (t: Partial<TaskTiming>): TaskTiming => ({ deadline: '2025-11', dueOn: '2025-11-30', recurrence: 'none', status: 'not_started', lastNoteOn: null, ...t });

describe('plans rules', () => {
  it('reads a deadline as a day or a month (by its last day)', () => {
    expect(dueOnOf('2025-11')).toBe('2025-11-30');
    expect(dueOnOf('2024-02')).toBe('2024-02-29');
    expect(dueOnOf('2025-12-15')).toBe('2025-12-15');
    expect(dueOnOf('2025-13')).toBeUndefined();
    expect(dueOnOf('2025-02-30')).toBeUndefined();
    expect(dueOnOf('tháng 11')).toBeUndefined();
  });

  it('derives overdue and due soon of a one-off task from the day asked', () => {
    expect(taskState(task({}), '2025-11-30')).toEqual({ nextDue: '2025-11-30', overdue: false, dueSoon: true });
    expect(taskState(task({}), '2025-12-01')).toEqual({ nextDue: '2025-11-30', overdue: true, dueSoon: false });
    expect(taskState(task({}), '2025-11-22')).toMatchObject({ overdue: false, dueSoon: false });
    expect(taskState(task({}), '2025-11-23')).toMatchObject({ overdue: false, dueSoon: true });
    expect(taskState(task({ status: 'done' }), '2026-01-01')).toMatchObject({ overdue: false, dueSoon: false });
    expect(taskState(task({ status: 'in_progress' }), '2026-01-01')).toMatchObject({ overdue: true });
  });

  it('derives the next due day of a recurring report, overdue when a period passed with no report', () => {
    const monthly = task({ recurrence: 'monthly' });
    expect(taskState(monthly, '2025-11-15')).toEqual({ nextDue: '2025-11-30', overdue: false, dueSoon: false });
    // December: November passed without a note
    expect(taskState(monthly, '2025-12-10')).toEqual({ nextDue: '2025-12-31', overdue: true, dueSoon: false });
    expect(taskState({ ...monthly, lastNoteOn: '2025-11-28' }, '2025-12-10')).toEqual({ nextDue: '2025-12-31', overdue: false, dueSoon: false });
    // February 2026: the January report (after 31/12) is missing even though November's was made
    expect(taskState({ ...monthly, lastNoteOn: '2025-11-28' }, '2026-02-03').overdue).toBe(true);
    expect(taskState({ ...monthly, lastNoteOn: '2026-01-05' }, '2026-02-03')).toEqual({ nextDue: '2026-02-28', overdue: false, dueSoon: false });
    const quarterly = task({ deadline: '2025-12-20', dueOn: '2025-12-20', recurrence: 'quarterly' });
    expect(taskState(quarterly, '2026-01-02').nextDue).toBe('2026-03-20');
    expect(taskState(quarterly, '2026-03-15')).toMatchObject({ nextDue: '2026-03-20', dueSoon: true, overdue: true });
  });

  it('splits a count goal pro rata to population by largest remainder, adding up', () => {
    expect(splitProRata(100, [1, 1, 1])).toEqual([34, 33, 33]);
    expect(splitProRata(1000, [5000, 3000, 2000])).toEqual([500, 300, 200]);
    expect(splitProRata(10, [1, 2])).toEqual([3, 7]);
    expect(splitProRata(5, [0, 0])).toEqual([3, 2]);
    const parts = splitProRata(123_457, [31_234, 8_765, 12_001, 999]);
    expect(parts.reduce((a, b) => a + b, 0)).toBe(123_457);
  });

  it('reads goals and deadline cells; writes what it reads', () => {
    expect(parseGoalText('coverage_pct=95@2026-12-31')).toEqual({ metric: 'coverage_pct', value: 95, byDate: '2026-12-31' });
    expect(parseGoalText('participants=95.5@2026-12-31')?.value).toBe(95.5);
    expect(parseGoalText('coverage_pct=95')).toBeUndefined();
    const plan = '2025-11-17';
    expect(parseDeadlineCell('Tháng 11/2025', plan)).toEqual({ deadline: '2025-11', recurrence: 'none' });
    expect(parseDeadlineCell('30/11/2025', plan)).toEqual({ deadline: '2025-11-30', recurrence: 'none' });
    expect(parseDeadlineCell('Hằng quý', plan)).toEqual({ deadline: '2025-11', recurrence: 'quarterly' });
    expect(parseDeadlineCell('Thường xuyên', plan)).toEqual({ deadline: '2025-11', recurrence: 'monthly' });
    expect(parseDeadlineCell('sớm', plan)).toBeUndefined();
    for (const [d, r] of [['2025-12', 'monthly'], ['2025-12-20', 'quarterly'], ['2026-01', 'none'], ['2026-01-15', 'none']] as const)
      for (const lang of ['vi', 'en'] as const) expect(parseDeadlineCell(deadlineText(d, r, lang), plan)).toEqual({ deadline: d, recurrence: r });
    expect(deadlineText('2025-12', 'quarterly', 'vi')).toBe('Hằng quý từ tháng 12/2025');
  });

  it('calls a goal at risk only when the projection falls short', () => {
    expect(atRisk(94.99, 95)).toBe(true);
    expect(atRisk(95, 95)).toBe(false);
    expect(atRisk(null, 95)).toBe(false);
  });
});
