/**
 * The household register: person search, households, persons, cards, and the file import (an upload
 * with progress, hand-written on XMLHttpRequest), through the typed client.
 */
import { ApiError, call, client, errorFromBody, getCsrfToken, notifyUnauthenticated } from '../api/client';
import type { ApiBody, ApiQuery, ApiResponse, Item } from '../api/types';
import { i18n } from '../i18n';

export type PersonPage = ApiResponse<'/api/register/persons', 'get'>;
export type PersonHit = Item<PersonPage['items']>;
export type HouseholdDetail = ApiResponse<'/api/register/households/{id}', 'get'>;
export type Household = HouseholdDetail['household'];
export type Member = Item<HouseholdDetail['members']>;
export type Card = Item<Member['cards']>;
/** A voluntary social insurance (BHXH tự nguyện) participation period of a member. */
export type VsiPeriod = Item<Member['vsiPeriods']>;
export type VsiPeriodInput = ApiBody<'/api/register/vsi-periods', 'post'>;
export type PovertyStatus = Household['povertyStatus'];
export type CardSource = Card['source'];
export type CardInput = ApiBody<'/api/register/cards', 'post'>;
/** A change to a card (only the fields given change; number null clears it). */
export type CardPatch = ApiBody<'/api/register/cards/{id}', 'patch'>;
/** A new household; communeCode is five digits, villageCode the village's full code. */
export type HouseholdInput = ApiBody<'/api/register/households', 'post'>;
export type HouseholdPatch = ApiBody<'/api/register/households/{id}', 'patch'>;
export type PersonInput = ApiBody<'/api/register/persons', 'post'>;
/** A person's fields as the register API takes them (dates 'YYYY-MM-DD'; null clears a field). */
export type PersonFields = Omit<PersonInput, 'householdId'>;
export type PersonPatch = ApiBody<'/api/register/persons/{id}', 'patch'>;

/** An import as the server shows it: the error, when it failed, in the user's language. */
export type ImportJob = ApiResponse<'/api/register/imports/{id}', 'get'>;
export type ImportReport = NonNullable<ImportJob['report']>;
export type ImportErrorRow = Item<ImportReport['errors']>;

const id = (value: string) => ({ params: { path: { id: value } } });

export const registerApi = {
  registerPersons: (params: { q: string; limit: number; offset: number; unit?: string }, signal?: AbortSignal) => {
    const query: ApiQuery<'/api/register/persons', 'get'> = { q: params.q, limit: params.limit, offset: params.offset };
    if (params.unit) query.unit = params.unit;
    return call(client.GET('/api/register/persons', { params: { query }, signal }));
  },
  household: (householdId: string, signal?: AbortSignal) => call(client.GET('/api/register/households/{id}', { ...id(householdId), signal })),
  addCard: (input: CardInput) => call(client.POST('/api/register/cards', { body: input })),
  updateCard: (cardId: string, patch: CardPatch) => call(client.PATCH('/api/register/cards/{id}', { ...id(cardId), body: patch })),
  deleteCard: (cardId: string) => call(client.DELETE('/api/register/cards/{id}', id(cardId))),
  addVsiPeriod: (input: VsiPeriodInput) => call(client.POST('/api/register/vsi-periods', { body: input })),
  deleteVsiPeriod: (periodId: string) => call(client.DELETE('/api/register/vsi-periods/{id}', id(periodId))),
  createHousehold: (input: HouseholdInput) => call(client.POST('/api/register/households', { body: input })),
  updateHousehold: (householdId: string, patch: HouseholdPatch) => call(client.PATCH('/api/register/households/{id}', { ...id(householdId), body: patch })),
  deleteHousehold: (householdId: string) => call(client.DELETE('/api/register/households/{id}', id(householdId))),
  createPerson: (input: PersonInput) => call(client.POST('/api/register/persons', { body: input })),
  updatePerson: (personId: string, patch: PersonPatch) => call(client.PATCH('/api/register/persons/{id}', { ...id(personId), body: patch })),
  deletePerson: (personId: string) => call(client.DELETE('/api/register/persons/{id}', id(personId))),
  registerImport: (jobId: string, signal?: AbortSignal) =>
    call<ImportJob>(client.GET('/api/register/imports/{id}', { params: { path: { id: jobId }, query: { errors: 200 } }, signal })),
};

/**
 * Uploads a register file (multipart, field `file`) with XMLHttpRequest so the upload's progress can be
 * shown; resolves with the queued import job. `abort()` cancels the upload.
 */
export function uploadRegisterImport(
  file: File,
  options: { dryRun: boolean; validRowsOnly: boolean },
  onProgress: (loaded: number, total: number) => void,
): { promise: Promise<ImportJob>; abort: () => void } {
  const xhr = new XMLHttpRequest();
  const promise = new Promise<ImportJob>((resolve, reject) => {
    const query = `dryRun=${options.dryRun ? 'true' : 'false'}&validRowsOnly=${options.validRowsOnly ? 'true' : 'false'}`;
    xhr.open('POST', `/api/register/imports?${query}`);
    xhr.withCredentials = true;
    xhr.setRequestHeader('accept', 'application/json');
    xhr.setRequestHeader('accept-language', i18n.language || 'vi');
    const csrfToken = getCsrfToken();
    if (csrfToken) xhr.setRequestHeader('x-csrf-token', csrfToken);
    xhr.upload.onprogress = (e) => {
      if (e.lengthComputable) onProgress(e.loaded, e.total);
    };
    xhr.onload = () => {
      let data: unknown = undefined;
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : undefined;
      } catch {
        data = undefined;
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data as ImportJob);
        return;
      }
      if (xhr.status === 401) notifyUnauthenticated();
      reject(errorFromBody(xhr.status, data));
    };
    xhr.onerror = () => reject(new ApiError(0, 'network', i18n.t('web:errors.network')));
    xhr.onabort = () => reject(new DOMException('Upload aborted', 'AbortError'));
    const form = new FormData();
    form.append('file', file, file.name);
    xhr.send(form);
  });
  return { promise, abort: () => xhr.abort() };
}
