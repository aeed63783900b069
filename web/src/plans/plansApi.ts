/** Plans through the typed client: plans, their status, tasks, notes, evidence, the task table and the reports. */
import { call, client, multipart } from '../api/client';
import type { ApiBody, ApiResponse } from '../api/types';

export type Plan = ApiResponse<'/api/plans/{id}', 'get'>;
export type PlanInput = ApiBody<'/api/plans', 'post'>;
export type PlanStatus = ApiResponse<'/api/plans/{id}/status', 'get'>;
export type Task = PlanStatus['tasks'][number];
export type TaskInput = ApiBody<'/api/plans/{id}/tasks', 'post'>;
export type TaskDetail = ApiResponse<'/api/tasks/{id}', 'get'>;
export type Dashboard = ApiResponse<'/api/plans/dashboard', 'get'>;

export const METRICS = ['coverage_pct', 'participants', 'pupils_pct', 'vsi_participants'] as const;
export const STATUSES = ['not_started', 'in_progress', 'done'] as const;
export const RECURRENCES = ['none', 'monthly', 'quarterly'] as const;

const id = (planId: string) => ({ path: { id: planId } });

export const plansApi = {
  list: (signal?: AbortSignal) => call(client.GET('/api/plans', { signal })),
  dashboard: (signal?: AbortSignal) => call(client.GET('/api/plans/dashboard', { params: { query: {} }, signal })),
  create: (body: PlanInput) => call(client.POST('/api/plans', { body })),
  status: (planId: string, date: string | undefined, signal?: AbortSignal) => call(client.GET('/api/plans/{id}/status', { params: { ...id(planId), query: date ? { date } : {} }, signal })),
  cascade: (planId: string) => call(client.POST('/api/plans/{id}/cascade', { params: id(planId), body: {} })),
  addTask: (planId: string, body: TaskInput) => call(client.POST('/api/plans/{id}/tasks', { params: id(planId), body })),
  importTasks: (planId: string, file: File) => call(client.POST('/api/plans/{id}/tasks.xlsx', { params: id(planId), body: multipart({ file }) })),
  task: (taskId: string, signal?: AbortSignal) => call(client.GET('/api/tasks/{id}', { params: id(taskId), signal })),
  setStatus: (taskId: string, status: Task['status']) => call(client.PATCH('/api/tasks/{id}', { params: id(taskId), body: { status } })),
  note: (taskId: string, note: string) => call(client.POST('/api/tasks/{id}/notes', { params: id(taskId), body: { note } })),
  split: (taskId: string) => call(client.POST('/api/tasks/{id}/split', { params: id(taskId), body: {} })),
  attach: (taskId: string, file: File) => call(client.POST('/api/tasks/{id}/files', { params: id(taskId), body: multipart({ file }) })),
};

export const reportUrl = (planId: string, format: 'xlsx' | 'pdf', date?: string) => `/api/plans/${encodeURIComponent(planId)}/report.${format}${date ? `?date=${date}` : ''}`;
export const tasksXlsxUrl = (planId: string) => `/api/plans/${encodeURIComponent(planId)}/tasks.xlsx`;
export const fileUrl = (taskId: string, fileId: string) => `/api/tasks/${encodeURIComponent(taskId)}/files/${encodeURIComponent(fileId)}`;
