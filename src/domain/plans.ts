/**
 * Pure rules of plans and tasks (issue 21): goals (chỉ tiêu) and their measures, task deadlines written as
 * a day or a month ("hoàn thành trong tháng 11/2025"), recurring tasks and their next due day, overdue and
 * due-soon derived from the day asked, a count goal split over communes, and whether a goal is at risk.
 * No I/O; dates are 'YYYY-MM-DD'.
 */
import { addDays, addMonths, lastDayOfMonth, makeDate } from './calendar';
import { isIsoDate, type IsoDate } from './dates';

export const GOAL_METRICS = ['coverage_pct', 'participants', 'pupils_pct', 'vsi_participants'] as const;
export type GoalMetric = (typeof GOAL_METRICS)[number];
export const GOAL_MEASURES = ['percent', 'persons'] as const;
export type GoalMeasure = (typeof GOAL_MEASURES)[number];
/** The one measure each metric is counted in. */
export const MEASURE_OF: Record<GoalMetric, GoalMeasure> = { coverage_pct: 'percent', participants: 'persons', pupils_pct: 'percent', vsi_participants: 'persons' };

export const TASK_STATUSES = ['not_started', 'in_progress', 'done'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];
export const RECURRENCES = ['none', 'monthly', 'quarterly'] as const;
export type Recurrence = (typeof RECURRENCES)[number];
/** Days ahead a task counts as due soon (the dashboard's "within 7 days"). */
export const DUE_SOON_DAYS = 7;

/** A goal's value as stored: basis points for a percentage (95.5% = 9550), persons for a count. */
export const storedGoalValue = (measure: GoalMeasure, value: number): number => (measure === 'percent' ? Math.round(value * 100) : Math.round(value));
export const shownGoalValue = (measure: GoalMeasure, stored: number): number => (measure === 'percent' ? stored / 100 : stored);

/** 'coverage_pct=95@2026-12-31' -> the goal; undefined when it is not of that shape. */
export function parseGoalText(text: string): { metric: string; value: number; byDate: string } | undefined {
  const m = /^\s*([a-z_]+)\s*=\s*(\d+(?:[.,]\d+)?)\s*@\s*(\d{4}-\d{2}-\d{2})\s*$/.exec(text);
  if (!m) return undefined;
  return { metric: m[1], value: Number(m[2].replace(',', '.')), byDate: m[3] };
}

/**
 * A deadline as written: a day 'YYYY-MM-DD', or a month 'YYYY-MM' meaning by the month's last day.
 * Returns the day it is due, or undefined when it is neither.
 */
export function dueOnOf(deadline: string): IsoDate | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(deadline)) return isIsoDate(deadline) ? deadline : undefined;
  const m = /^(\d{4})-(\d{2})$/.exec(deadline);
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) return undefined;
  return lastDayOfMonth(makeDate(Number(m[1]), Number(m[2]), 1));
}

/**
 * A deadline cell of a published task table, in Vietnamese or as the export writes it: '30/11/2025',
 * '2025-11-30', 'Tháng 11/2025', '11/2025', '2025-11', an Excel date; 'Hằng tháng' / 'Hằng quý' (also
 * 'Hàng ...', 'Thường xuyên' = monthly), optionally followed by 'từ <day or month>' (the first due;
 * default the month of `planDate`). Undefined when it is none of these.
 */
export function parseDeadlineCell(cell: string | Date | number | null | undefined, planDate: IsoDate): { deadline: string; recurrence: Recurrence } | undefined {
  if (cell instanceof Date) return { deadline: cell.toISOString().slice(0, 10), recurrence: 'none' };
  if (cell === null || cell === undefined || typeof cell === 'number') return undefined;
  const text = cell.normalize('NFC').trim().toLowerCase().replace(/\s+/g, ' ');
  const rec = /^(?:(?:hằng|hàng) (tháng|quý)|(thường xuyên)|(monthly|quarterly))(?:,? (?:từ|from) (.+))?$/.exec(text);
  if (rec) {
    const recurrence: Recurrence = rec[1] === 'quý' || rec[3] === 'quarterly' ? 'quarterly' : 'monthly';
    const first = rec[4] ? oneDeadline(rec[4]) : planDate.slice(0, 7);
    return first ? { deadline: first, recurrence } : undefined;
  }
  const one = oneDeadline(text);
  return one ? { deadline: one, recurrence: 'none' } : undefined;
}

function oneDeadline(text: string): string | undefined {
  const t = text.replace(/^(?:tháng|month)\s+/, '').trim();
  let m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) {
    const d = `${m[3]}-${m[2].padStart(2, '0')}-${m[1].padStart(2, '0')}`;
    return isIsoDate(d) ? d : undefined;
  }
  m = /^(\d{1,2})\/(\d{4})$/.exec(t);
  if (m) {
    const d = `${m[2]}-${m[1].padStart(2, '0')}`;
    return dueOnOf(d) ? d : undefined;
  }
  if (/^\d{4}-\d{2}(-\d{2})?$/.test(t) && dueOnOf(t)) return t;
  return undefined;
}

/** How the export writes a deadline (read back by parseDeadlineCell): '30/11/2025', 'Tháng 11/2025', 'Hằng quý từ tháng 12/2025'. */
export function deadlineText(deadline: string, recurrence: Recurrence, lang: 'vi' | 'en'): string {
  const one =
    deadline.length === 7
      ? `${lang === 'vi' ? 'Tháng' : 'Month'} ${deadline.slice(5, 7)}/${deadline.slice(0, 4)}`
      : `${deadline.slice(8, 10)}/${deadline.slice(5, 7)}/${deadline.slice(0, 4)}`;
  if (recurrence === 'none') return one;
  const every = lang === 'vi' ? (recurrence === 'monthly' ? 'Hằng tháng' : 'Hằng quý') : recurrence === 'monthly' ? 'Monthly' : 'Quarterly';
  return `${every} ${lang === 'vi' ? 'từ' : 'from'} ${one.charAt(0).toLowerCase()}${one.slice(1)}`;
}

const stepMonths = (r: Recurrence) => (r === 'quarterly' ? 3 : 1);

/** The k-th due day of a task (k = 0: its deadline); a month deadline keeps falling on month ends. */
function nthDue(deadline: string, dueOn: IsoDate, recurrence: Recurrence, k: number): IsoDate {
  const shifted = addMonths(deadline.length === 7 ? `${deadline}-01` : dueOn, k * stepMonths(recurrence));
  return deadline.length === 7 ? lastDayOfMonth(shifted) : shifted;
}

export interface TaskTiming {
  deadline: string;
  dueOn: IsoDate;
  recurrence: Recurrence;
  status: TaskStatus;
  /** The latest progress note's day (a recurring task's report). */
  lastNoteOn: IsoDate | null;
}

export interface TaskState {
  /** The next day it is due on or after `date` (a one-off task: its due day, even when passed). */
  nextDue: IsoDate;
  overdue: boolean;
  /** Not done, (next) due within DUE_SOON_DAYS days from `date`. */
  dueSoon: boolean;
}

/**
 * A task's state on `date`. A one-off task is overdue when it is not done and `date` is after its due day.
 * A recurring task (monthly or quarterly report) is due again every period from its deadline: overdue
 * when the last due day before `date` passed with no progress note since the due day before it (the
 * report of that period is missing). A done task is never overdue nor due.
 */
export function taskState(task: TaskTiming, date: IsoDate): TaskState {
  if (task.recurrence === 'none') {
    const open = task.status !== 'done';
    return { nextDue: task.dueOn, overdue: open && date > task.dueOn, dueSoon: open && date <= task.dueOn && task.dueOn <= addDays(date, DUE_SOON_DAYS) };
  }
  let k = 0;
  while (nthDue(task.deadline, task.dueOn, task.recurrence, k) < date) k++;
  const nextDue = nthDue(task.deadline, task.dueOn, task.recurrence, k);
  if (task.status === 'done') return { nextDue, overdue: false, dueSoon: false };
  let overdue = false;
  if (k > 0) {
    const lastDue = nthDue(task.deadline, task.dueOn, task.recurrence, k - 1);
    // the period the last due day closes: since the due day before it (before the first, one period back)
    const periodStart = nthDue(task.deadline, task.dueOn, task.recurrence, k - 2);
    const reported = task.lastNoteOn !== null && task.lastNoteOn > periodStart;
    overdue = !reported && date > lastDue;
  }
  return { nextDue, overdue, dueSoon: nextDue <= addDays(date, DUE_SOON_DAYS) };
}

/**
 * A count goal split over communes pro rata to their weights (their population), by largest remainder:
 * the parts are whole persons and add up to `total`; ties go to the earlier commune. With no weight at
 * all the split is even.
 */
export function splitProRata(total: number, weights: readonly number[]): number[] {
  if (weights.length === 0) return [];
  const sum = weights.reduce((a, b) => a + b, 0);
  const w = sum > 0 ? weights : weights.map(() => 1);
  const s = sum > 0 ? sum : weights.length;
  const exact = w.map((x) => (total * x) / s);
  const parts = exact.map(Math.floor);
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => ({ i, r: x - Math.floor(x) })).sort((a, b) => b.r - a.r || a.i - b.i);
  for (const { i } of order) {
    if (left <= 0) break;
    parts[i] += 1;
    left -= 1;
  }
  return parts;
}

/** A goal is at risk when its projected value on the goal's date falls short of the goal (unknown: not at risk, nothing to say). */
export const atRisk = (projected: number | null, goal: number): boolean => projected !== null && projected < goal;

/** Rounds a percentage to two decimals. */
export const pct2 = (part: number, whole: number): number | null => (whole > 0 ? Math.round((10000 * part) / whole) / 100 : null);
