/**
 * Inputs and answers of plans (issue 21): a plan with its goals, its tasks, progress notes, the status with
 * live progress of the goals, the commune chairmen's scorecard, the dashboard.
 */
import { z } from 'zod';
import { RECURRENCES, TASK_STATUSES } from '../../domain/plans';
import { isIsoDate } from '../../domain/dates';
import { blankableText, text } from '../../validation';

const isoDate = z.string().refine((s) => /^\d{4}-\d{2}-\d{2}$/.test(s) && isIsoDate(s), { message: 'iso_date' });

/** A goal: metric and measure are checked by the service (an unknown one is named in the error). */
export const goalInput = z
  .object({
    metric: z.string().trim().min(1).max(40),
    /** 'percent' or 'persons'; default the metric's own. */
    measure: z.string().trim().min(1).max(20).optional(),
    value: z.number().min(0).max(100_000_000),
    byDate: isoDate,
  })
  .strict();

export const createPlanInput = z
  .object({
    unitCode: z.string().trim().min(1).max(20),
    number: text(60),
    issuer: blankableText(200),
    issuedOn: isoDate,
    title: text(300),
    implements: blankableText(120),
    goals: z.array(goalInput).max(20).default([]),
  })
  .strict();
export type CreatePlanInput = z.input<typeof createPlanInput>;

export const updatePlanInput = z
  .object({
    number: text(60).optional(),
    issuer: blankableText(200),
    issuedOn: isoDate.optional(),
    title: text(300).optional(),
    implements: blankableText(120),
    /** Replaces the goals. */
    goals: z.array(goalInput).max(20).optional(),
  })
  .strict();
export type UpdatePlanInput = z.input<typeof updatePlanInput>;

export const cascadeInput = z
  .object({
    /** Commune codes of the province (default: every commune of it without a plan from this one yet). */
    communes: z.array(z.string().trim().min(1).max(20)).max(500).optional(),
  })
  .strict();

export const createTaskInput = z
  .object({
    content: text(2000),
    responsible: text(200),
    coordinating: z.array(text(200)).max(30).default([]),
    /** 'YYYY-MM-DD' or 'YYYY-MM' (by the month's end). */
    deadline: z.string().trim().min(1).max(20),
    recurrence: z.enum(RECURRENCES).default('none'),
    status: z.enum(TASK_STATUSES).default('not_started'),
  })
  .strict();
export type CreateTaskInput = z.input<typeof createTaskInput>;

export const updateTaskInput = z
  .object({
    content: text(2000).optional(),
    responsible: text(200).optional(),
    coordinating: z.array(text(200)).max(30).optional(),
    deadline: z.string().trim().min(1).max(20).optional(),
    recurrence: z.enum(RECURRENCES).optional(),
    status: z.enum(TASK_STATUSES).optional(),
  })
  .strict();
export type UpdateTaskInput = z.input<typeof updateTaskInput>;

export const noteInput = z.object({ note: text(2000), notedOn: isoDate.optional() }).strict();
export const splitTaskInput = z.object({ communes: z.array(z.string().trim().min(1).max(20)).max(500).optional() }).strict();
export const statusQuery = z.object({ date: isoDate.optional() }).strict();

const goalSchema = z.object({ id: z.string(), metric: z.string(), measure: z.string(), value: z.number(), byDate: z.string() });

export const planSchema = z.object({
  id: z.string(),
  unitCode: z.string(),
  unitName: z.string(),
  level: z.string(),
  parentId: z.string().nullable(),
  number: z.string(),
  issuer: z.string().nullable(),
  issuedOn: z.string(),
  title: z.string(),
  implements: z.string().nullable(),
  goals: z.array(goalSchema),
  canChange: z.boolean(),
  updatedAt: z.string(),
});

export const taskSchema = z.object({
  id: z.string(),
  planId: z.string(),
  parentTaskId: z.string().nullable(),
  no: z.number(),
  content: z.string(),
  responsible: z.string(),
  coordinating: z.array(z.string()),
  deadline: z.string(),
  dueOn: z.string(),
  recurrence: z.enum(RECURRENCES),
  status: z.enum(TASK_STATUSES),
  nextDue: z.string(),
  overdue: z.boolean(),
  dueSoon: z.boolean(),
  lastNoteOn: z.string().nullable(),
  files: z.number(),
  subTasks: z.object({ total: z.number(), done: z.number(), overdue: z.number() }),
});

export const taskDetailSchema = taskSchema.extend({
  notes: z.array(z.object({ id: z.string(), notedOn: z.string(), note: z.string(), createdBy: z.string() })),
  fileList: z.array(z.object({ id: z.string(), name: z.string(), type: z.string(), size: z.number(), createdBy: z.string() })),
  subTaskList: z.array(taskSchema.extend({ unitCode: z.string(), unitName: z.string() })),
  canChange: z.boolean(),
});

export const goalStatusSchema = goalSchema.extend({
  current: z.number().nullable(),
  projected: z.number().nullable(),
  atRisk: z.boolean(),
  gap: z.number().nullable(),
  trend: z.array(z.object({ month: z.string(), value: z.number().nullable() })),
});

export const scorecardSchema = z.object({
  metric: z.string(),
  measure: z.string(),
  communes: z.array(z.object({ code: z.string(), name: z.string(), planId: z.string().nullable(), target: z.number(), current: z.number().nullable(), gap: z.number().nullable(), rank: z.number().nullable() })),
});

export const statusSchema = z.object({
  plan: planSchema,
  date: z.string(),
  goals: z.array(goalStatusSchema),
  tasks: z.array(taskSchema),
  scorecard: scorecardSchema.nullable(),
  communePlans: z.array(z.object({ id: z.string(), unitCode: z.string(), unitName: z.string() })),
});

const dashTask = taskSchema.extend({ planNumber: z.string(), unitName: z.string() });
export const dashboardSchema = z.object({
  date: z.string(),
  units: z.array(z.object({ responsible: z.string(), overdue: z.array(dashTask), dueSoon: z.array(dashTask) })),
  goalsAtRisk: z.array(goalStatusSchema.extend({ planId: z.string(), planNumber: z.string(), unitName: z.string() })),
});

export const importReportSchema = z.object({ imported: z.number(), tasks: z.array(taskSchema) });
