/** The local support simulator through the typed client: simulate, the saved scenarios, adopt, edit a draft rule, approve, downloads. */
import { call, client } from '../api/client';
import type { ApiBody, ApiResponse } from '../api/types';

export type SimulateBody = ApiBody<'/api/simulator/simulate', 'post'>;
export type Simulation = ApiResponse<'/api/simulator/simulate', 'post'>;
export type Scenario = ApiResponse<'/api/simulator/scenarios/{id}/adopt', 'post'>;
export type Rule = NonNullable<Scenario['rule']>;
export type EditRuleBody = ApiBody<'/api/simulator/rules/{id}', 'patch'>;
export type SimulatorGroup = SimulateBody['group'];

export const GROUPS: readonly SimulatorGroup[] = ['elderly_60_79', 'near_poor', 'ethnic_minority', 'pupils', 'communes'];

const id = (scenarioId: string) => ({ path: { id: scenarioId } });

export const simulatorApi = {
  simulate: (body: SimulateBody) => call(client.POST('/api/simulator/simulate', { body })),
  scenarios: (unit: string, signal?: AbortSignal) => call(client.GET('/api/simulator/scenarios', { params: { query: { unit } }, signal })),
  save: (body: ApiBody<'/api/simulator/scenarios', 'post'>) => call(client.POST('/api/simulator/scenarios', { body })),
  remove: (scenarioId: string) => call(client.DELETE('/api/simulator/scenarios/{id}', { params: id(scenarioId) })),
  adopt: (scenarioId: string) => call(client.POST('/api/simulator/scenarios/{id}/adopt', { params: id(scenarioId) })),
  editRule: (ruleId: string, body: EditRuleBody) => call(client.PATCH('/api/simulator/rules/{id}', { params: id(ruleId), body })),
  approve: (ruleId: string, body: ApiBody<'/api/simulator/rules/{id}/approve', 'post'>) => call(client.POST('/api/simulator/rules/{id}/approve', { params: id(ruleId), body })),
};

/** The comparison (a plain link: the browser downloads it). */
export const reportUrl = (unit: string, format: 'xlsx' | 'pdf') => `/api/simulator/scenarios.${format}?unit=${encodeURIComponent(unit)}`;
