/**
 * Coverage figures, trend, low coverage, pupils, visit lists and staff progress, through the typed
 * client; downloads (xlsx, pdf) are plain links. The answers' types are read from the OpenAPI document.
 */
import { call, client, multipart } from '../api/client';
import type { ApiBody, ApiQuery, ApiResponse, Item } from '../api/types';

export type Coverage = ApiResponse<'/api/coverage/{unit}', 'get'>;
export type CoverageFigures = Item<Coverage['children']>;
export type FigureSource = Coverage['sources']['population'];
export type CoverageTrend = ApiResponse<'/api/coverage/{unit}/trend', 'get'>;
/** Participants at a month end (register), with the same month a year earlier. */
export type TrendPoint = Item<CoverageTrend['points']>;
/** A unit below its target (or the threshold), with the persons still missing to reach it. */
export type LowCoverageItem = Item<ApiResponse<'/api/coverage/{unit}/low', 'get'>['items']>;
export type CoveragePupils = ApiResponse<'/api/coverage/{unit}/pupils', 'get'>;
/** Pupils of one school (null: no school recorded) against 100% coverage in the school year. */
export type PupilSchoolFigures = Item<CoveragePupils['schools']>;
export type VisitItem = Item<ApiResponse<'/api/coverage/{unit}/visits', 'get'>['items']>;
export type VisitKind = NonNullable<ApiQuery<'/api/coverage/{unit}/visits', 'get'>['kind']>;
/** Progress of a staff member against their recruitment target of a year. */
/** Voluntary social insurance (product bhxh-tn) of a unit and the units below it (vsi-coverage.service.ts). */
export type VsiCoverage = ApiResponse<'/api/coverage/{unit}/vsi', 'get'>;
export type StaffProgressItem = Item<ApiResponse<'/api/coverage/staff-progress', 'get'>['items']>;

/** The answer of a figures import: counts, and every bad cell of every row. */
export type FigureImportReport = ApiResponse<'/api/coverage/figures/import', 'post'>;

/**
 * The projection route answers without a response schema in the OpenAPI document: the fields the
 * dashboard shows, as coverage.service.ts `projection` builds them.
 */
export interface Projection {
  unit: string;
  name: string;
  date: string;
  targetDate: string;
  population: number | null;
  covered: number;
  renewal: { rate: number };
  projection: { expected: number; lost: number; renewed: number; expiring: number; newEnrolments: number };
  target: { kind: 'percent_population' | 'participants'; value: number; source: 'query' | 'unit_target' | 'default'; targetParticipants: number; gap: number };
  cost: { total: number; persons: number; stateBudget: number; unpriceable: number; covered: number; shortfall: number; candidates: number };
}

/** The register of a unit as a download: persons in the import template's columns, .xlsx or .csv. */
export function registerExportUrl(unit: string, format: 'xlsx' | 'csv'): string {
  return `/api/register/export?${new URLSearchParams({ unit, what: 'persons', format }).toString()}`;
}

export interface VisitParams {
  kind: VisitKind;
  date: string;
  days: number;
  limit?: number;
  offset?: number;
}

const visitQuery = (params: VisitParams) => ({ kind: params.kind, date: params.date, days: params.days, limit: params.limit ?? 500, offset: params.offset ?? 0 });

/** The visit list's address (JSON, or a download with format=xlsx|csv). */
export function visitsUrl(unit: string, params: VisitParams, format?: 'xlsx' | 'csv'): string {
  const search = new URLSearchParams();
  for (const [k, v] of Object.entries(visitQuery(params))) search.set(k, String(v));
  if (format) search.set('format', format);
  return `/api/coverage/${encodeURIComponent(unit)}/visits?${search.toString()}`;
}

export type CoverageExportTable = 'children' | 'low' | 'pupils' | 'staff';

/** A dashboard table as .xlsx (headers in the user's language). */
export function coverageExportUrl(unit: string, table: CoverageExportTable, params: { date: string; threshold?: number; year?: number }): string {
  const search = new URLSearchParams({ table, date: params.date });
  if (params.threshold !== undefined) search.set('threshold', String(params.threshold));
  if (params.year !== undefined) search.set('year', String(params.year));
  return `/api/coverage/${encodeURIComponent(unit)}/export?${search.toString()}`;
}

/** The dashboard as a PDF made by the server. */
export function coveragePdfUrl(unit: string, date: string): string {
  return `/api/coverage/${encodeURIComponent(unit)}/pdf?date=${encodeURIComponent(date)}`;
}

const path = (unit: string) => ({ path: { unit } });

export const coverageApi = {
  coverage: (unit: string, date: string, signal?: AbortSignal) =>
    call(client.GET('/api/coverage/{unit}', { params: { ...path(unit), query: { date } }, signal })),
  coverageTrend: (unit: string, date: string, months: number, signal?: AbortSignal) =>
    call(client.GET('/api/coverage/{unit}/trend', { params: { ...path(unit), query: { date, months } }, signal })),
  coverageLow: (unit: string, date: string, threshold: number, signal?: AbortSignal) =>
    call(client.GET('/api/coverage/{unit}/low', { params: { ...path(unit), query: { date, threshold } }, signal })),
  vsiCoverage: (unit: string, query: { date: string; from?: string; to?: string }, signal?: AbortSignal) =>
    call(client.GET('/api/coverage/{unit}/vsi', { params: { ...path(unit), query }, signal })),
  coveragePupils: (unit: string, date: string, signal?: AbortSignal) =>
    call(client.GET('/api/coverage/{unit}/pupils', { params: { ...path(unit), query: { date } }, signal })),
  visits: (unit: string, params: VisitParams, signal?: AbortSignal) =>
    call(client.GET('/api/coverage/{unit}/visits', { params: { ...path(unit), query: visitQuery(params) }, signal })),
  /** Staff targets of the unit and the units directly under it, with progress, lowest first. */
  staffProgress: (unit: string, year: number, signal?: AbortSignal) => call(client.GET('/api/coverage/staff-progress', { params: { query: { unit, year } }, signal })),
  setFigures: (body: ApiBody<'/api/coverage/figures', 'put'>) => call(client.PUT('/api/coverage/figures', { body })),
  setTarget: (body: ApiBody<'/api/coverage/targets', 'put'>) => call(client.PUT('/api/coverage/targets', { body })),
  setStaffTarget: (body: ApiBody<'/api/coverage/staff-targets', 'put'>) => call(client.PUT('/api/coverage/staff-targets', { body })),
  importFigures: (file: File) => call(client.POST('/api/coverage/figures/import', { body: multipart({ file }) })),
  projection: async (unit: string, date: string, targetDate: string, signal?: AbortSignal) =>
    (await call(client.GET('/api/coverage/{unit}/projection', { params: { ...path(unit), query: { date, targetDate } }, signal }))) as unknown as Projection,
};
