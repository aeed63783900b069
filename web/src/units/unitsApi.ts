/** Provinces, communes and villages, through the typed client. */
import { call, client } from '../api/client';
import type { ApiBody, ApiResponse, Item } from '../api/types';

/** A unit as lists answer it (search and old-code results add parentName, oldName). */
export type Unit = Item<ApiResponse<'/api/units', 'get'>>;
export type UnitLevel = Unit['level'];
export type UnitKind = Unit['kind'];
export type UnitDetail = ApiResponse<'/api/units/{code}', 'get'>;
export type VillageInput = ApiBody<'/api/units', 'post'>;
export type VillageKind = NonNullable<VillageInput['kind']>;
export const VILLAGE_KINDS: readonly VillageKind[] = ['village', 'hamlet', 'residential_group'];

const units = (query: { parent?: string; q?: string; oldCode?: string }, signal?: AbortSignal) => call(client.GET('/api/units', { params: { query }, signal }));

export const unitsApi = {
  provinces: (signal?: AbortSignal) => units({}, signal),
  children: (parentCode: string, signal?: AbortSignal) => units({ parent: parentCode }, signal),
  searchUnits: (q: string, signal?: AbortSignal) => units({ q }, signal),
  unitsByOldCode: (oldCode: string, signal?: AbortSignal) => units({ oldCode }, signal),
  unit: (code: string, signal?: AbortSignal) => call(client.GET('/api/units/{code}', { params: { path: { code } }, signal })),
  createVillage: (input: VillageInput) => call(client.POST('/api/units', { body: input })),
  updateVillage: (code: string, patch: ApiBody<'/api/units/{code}', 'patch'>) => call(client.PATCH('/api/units/{code}', { params: { path: { code } }, body: patch })),
  deleteVillage: (code: string) => call(client.DELETE('/api/units/{code}', { params: { path: { code } } })),
};
