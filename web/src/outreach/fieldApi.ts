/** Door to door through the typed client: groups, the door-to-door list, visits, follow-ups, reports, progress. */
import { call, client } from '../api/client';
import type { ApiBody, ApiResponse, Item } from '../api/types';

export type Group = ApiResponse<'/api/outreach/groups/{id}', 'get'>;
export type GroupInput = ApiBody<'/api/outreach/groups', 'post'>;
export type GroupPatch = ApiBody<'/api/outreach/groups/{id}', 'patch'>;
export type Worker = Item<ApiResponse<'/api/outreach/workers', 'get'>>;
export type DoorList = ApiResponse<'/api/outreach/groups/{id}/doors', 'get'>;
export type DoorHousehold = Item<DoorList['households']>;
export type DoorPerson = Item<DoorHousehold['members']>;
export type VisitInput = ApiBody<'/api/outreach/visits', 'post'>;
export type Visit = ApiResponse<'/api/outreach/visits', 'get'>[number];
export type Outcome = VisitInput['outcome'];
export type Reason = NonNullable<VisitInput['reason']>;
export type FollowUp = Item<ApiResponse<'/api/outreach/follow-ups', 'get'>>;
export type Report = Item<ApiResponse<'/api/outreach/reports', 'get'>>;
export type Progress = ApiResponse<'/api/outreach/progress', 'get'>;

export const OUTCOMES: readonly Outcome[] = ['enrolled', 'promised', 'refused', 'not_home'];
export const REASONS: readonly Reason[] = ['cost', 'distrust', 'insured_elsewhere', 'moved_away', 'deceased', 'other'];

const id = (groupId: string) => ({ path: { id: groupId } });

export const fieldApi = {
  groups: (signal?: AbortSignal) => call(client.GET('/api/outreach/groups', { params: { query: {} }, signal })),
  group: (groupId: string, signal?: AbortSignal) => call(client.GET('/api/outreach/groups/{id}', { params: id(groupId), signal })),
  createGroup: (body: GroupInput) => call(client.POST('/api/outreach/groups', { body })),
  updateGroup: (groupId: string, body: GroupPatch) => call(client.PATCH('/api/outreach/groups/{id}', { params: id(groupId), body })),
  workers: (commune: string, signal?: AbortSignal) => call(client.GET('/api/outreach/workers', { params: { query: { commune } }, signal })),
  doors: (groupId: string, signal?: AbortSignal) => call(client.GET('/api/outreach/groups/{id}/doors', { params: { ...id(groupId), query: {} }, signal })),
  nominate: (groupId: string, body: ApiBody<'/api/outreach/groups/{id}/nominations', 'post'>) =>
    call(client.POST('/api/outreach/groups/{id}/nominations', { params: id(groupId), body })),
  sendVisits: (visits: VisitInput[]) => call(client.POST('/api/outreach/visits/batch', { body: { visits } })),
  /** Visits stored after their household changed on the server (for the officer to look at). */
  flaggedVisits: (signal?: AbortSignal) => call(client.GET('/api/outreach/visits', { params: { query: { flagged: 'true', limit: 200 } }, signal })),
  followUps: (signal?: AbortSignal) => call(client.GET('/api/outreach/follow-ups', { params: { query: {} }, signal })),
  /** Everything due in a group, whoever promised it (the leader's sheet). */
  groupFollowUps: (group: string, signal?: AbortSignal) => call(client.GET('/api/outreach/follow-ups', { params: { query: { group, all: 'true' } }, signal })),
  reports: (unit: string | undefined, signal?: AbortSignal) => call(client.GET('/api/outreach/reports', { params: { query: { ...(unit ? { unit } : {}), status: 'pending' } }, signal })),
  acceptReport: (reportId: string, body: ApiBody<'/api/outreach/reports/{id}/accept', 'post'>) =>
    call(client.POST('/api/outreach/reports/{id}/accept', { params: id(reportId), body })),
  rejectReport: (reportId: string, body: ApiBody<'/api/outreach/reports/{id}/reject', 'post'>) =>
    call(client.POST('/api/outreach/reports/{id}/reject', { params: id(reportId), body })),
  /** On `date`, or (none) on the server's today in Vietnam. */
  progress: (unit: string, date: string | undefined, signal?: AbortSignal) => call(client.GET('/api/outreach/progress', { params: { query: { unit, ...(date ? { date } : {}) } }, signal })),
};

/** The .xlsx of the progress figures (a plain link: the browser downloads it). */
export const progressXlsxUrl = (unit: string, date: string) => `/api/outreach/progress.xlsx?unit=${encodeURIComponent(unit)}&date=${encodeURIComponent(date)}`;
