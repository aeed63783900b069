/** Social insurance offices, unit profiles, health-care facilities and collectors, through the typed client. */
import { call, client } from '../api/client';
import type { ApiBody, ApiResponse, Item } from '../api/types';

export type Office = Item<ApiResponse<'/api/offices', 'get'>>;
export type OfficeInput = ApiBody<'/api/offices', 'post'>;
export type OfficeKind = Office['kind'];
export const OFFICE_KINDS: readonly OfficeKind[] = ['si_province', 'si_grassroots'];
export type Profile = NonNullable<ApiResponse<'/api/units/{code}/profile', 'get'>>;
export type ProfileInput = ApiBody<'/api/units/{code}/profile', 'put'>;
export type Facility = Item<ApiResponse<'/api/facilities', 'get'>>;
export type Collector = Item<ApiResponse<'/api/collectors', 'get'>>;
export type CollectorKind = Collector['kind'];
export const COLLECTOR_KINDS: readonly CollectorKind[] = ['staff', 'agent'];

const code = (c: string) => ({ path: { code: c } });

export const officesApi = {
  offices: (province?: string, signal?: AbortSignal) => call(client.GET('/api/offices', { params: { query: { province } }, signal })),
  createOffice: (input: OfficeInput) => call(client.POST('/api/offices', { body: input })),
  updateOffice: (c: string, patch: ApiBody<'/api/offices/{code}', 'patch'>) => call(client.PATCH('/api/offices/{code}', { params: code(c), body: patch })),
  profile: (c: string, signal?: AbortSignal) => call(client.GET('/api/units/{code}/profile', { params: code(c), signal })),
  setProfile: (c: string, input: ProfileInput) => call(client.PUT('/api/units/{code}/profile', { params: code(c), body: input })),
  facilities: (query: { province?: string; q?: string; all?: boolean }, signal?: AbortSignal) => call(client.GET('/api/facilities', { params: { query }, signal })),
  createFacility: (input: ApiBody<'/api/facilities', 'post'>) => call(client.POST('/api/facilities', { body: input })),
  updateFacility: (c: string, patch: ApiBody<'/api/facilities/{code}', 'patch'>) => call(client.PATCH('/api/facilities/{code}', { params: code(c), body: patch })),
  collectors: (query: { office?: string; village?: string }, signal?: AbortSignal) => call(client.GET('/api/collectors', { params: { query }, signal })),
  createCollector: (input: ApiBody<'/api/collectors', 'post'>) => call(client.POST('/api/collectors', { body: input })),
  updateCollector: (c: string, patch: ApiBody<'/api/collectors/{code}', 'patch'>) => call(client.PATCH('/api/collectors/{code}', { params: code(c), body: patch })),
};
