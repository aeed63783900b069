/** Campaigns through the typed client: the list, one campaign, its progress, and the report downloads. */
import { call, client } from '../api/client';
import type { ApiBody, ApiResponse, Item } from '../api/types';

export type Campaign = ApiResponse<'/api/campaigns/{id}', 'get'>;
export type CampaignInput = ApiBody<'/api/campaigns', 'post'>;
export type CampaignPatch = ApiBody<'/api/campaigns/{id}', 'patch'>;
export type CampaignProgress = ApiResponse<'/api/campaigns/{id}/progress', 'get'>;
export type SplitLine = Item<NonNullable<CampaignInput['split']>>;
export type TargetKind = SplitLine['kind'];
export type SplitLevel = SplitLine['level'];

export type IncentiveLedger = ApiResponse<'/api/incentives/ledger', 'get'>;
export type Incentive = ApiResponse<'/api/incentives/redeem', 'post'>;

export const KINDS: readonly TargetKind[] = ['bhyt_household', 'bhxh_tn', 'renewal'];
export const LEVELS: readonly SplitLevel[] = ['commune', 'group', 'staff'];

const id = (campaignId: string) => ({ path: { id: campaignId } });

export const campaignsApi = {
  list: (signal?: AbortSignal) => call(client.GET('/api/campaigns', { signal })),
  get: (campaignId: string, signal?: AbortSignal) => call(client.GET('/api/campaigns/{id}', { params: id(campaignId), signal })),
  create: (body: CampaignInput) => call(client.POST('/api/campaigns', { body })),
  update: (campaignId: string, body: CampaignPatch) => call(client.PATCH('/api/campaigns/{id}', { params: id(campaignId), body })),
  remove: (campaignId: string) => call(client.DELETE('/api/campaigns/{id}', { params: id(campaignId) })),
  ledger: (campaignId: string, signal?: AbortSignal) => call(client.GET('/api/incentives/ledger', { params: { query: { campaign: campaignId } }, signal })),
  redeem: (code: string) => call(client.POST('/api/incentives/redeem', { body: { code } })),
  progress: (campaignId: string, signal?: AbortSignal) => call(client.GET('/api/campaigns/{id}/progress', { params: { ...id(campaignId), query: {} }, signal })),
};

/** The closing report (a plain link: the browser downloads it). */
export const reportUrl = (campaignId: string, format: 'xlsx' | 'pdf') => `/api/campaigns/${encodeURIComponent(campaignId)}/report.${format}`;
