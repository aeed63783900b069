/**
 * The donor's self-check and the public ledger in the web app (no login): the shapes the API answers,
 * read from the generated OpenAPI types, and the calls.
 */
import { call, client } from '../api/client';
import type { ApiBody, ApiResponse, Item } from '../api/types';

export type DonorCheckInput = ApiBody<'/api/public/donor-check', 'post'>;
export type DonorCheck = ApiResponse<'/api/public/donor-check', 'post'>;
export type PublicLedger = ApiResponse<'/api/public/programmes/{slug}/ledger', 'get'>;
export type PublicLedgerRow = Item<PublicLedger['rows']>;
export type PublicLedgerKind = PublicLedgerRow['kind'];

const enc = encodeURIComponent;

export const transparencyApi = {
  check: (body: DonorCheckInput) => call(client.POST('/api/public/donor-check', { body }), { quiet401: true }),
  ledger: (slug: string, query: { q?: string; kind?: PublicLedgerKind; page?: number }, signal?: AbortSignal) =>
    call(client.GET('/api/public/programmes/{slug}/ledger', { params: { path: { slug }, query }, signal }), { quiet401: true }),
  ledgerCsvUrl: (slug: string, lang: string) => `/api/public/programmes/${enc(slug)}/ledger.csv?lang=${lang === 'en' ? 'en' : 'vi'}`,
};
