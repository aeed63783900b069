/**
 * The HTTP API client of the web app: same origin, cookie session, CSRF header on every non-GET
 * request, JSON bodies. Errors come back as ApiError carrying the server's (already translated)
 * message, its code and the per-field messages.
 */
import { i18n } from './i18n';

export type Role = 'admin' | 'province_staff' | 'commune_officer' | 'viewer';
export const ROLES: readonly Role[] = ['admin', 'province_staff', 'commune_officer', 'viewer'];

export type UnitLevel = 'province' | 'commune' | 'village';
export type UnitKind =
  | 'province'
  | 'city'
  | 'commune'
  | 'ward'
  | 'special_zone'
  | 'village'
  | 'hamlet'
  | 'residential_group';
export type VillageKind = 'village' | 'hamlet' | 'residential_group';
export const VILLAGE_KINDS: readonly VillageKind[] = ['village', 'hamlet', 'residential_group'];

export interface User {
  id: string;
  username: string;
  displayName: string;
  role: Role;
  scopeCode: string | null;
  language?: string | null;
}

export interface ManagedUser extends User {
  active: boolean;
}

export interface Unit {
  code: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  parentCode: string | null;
  localCode?: string | null;
  /** present on search (?q=) and old-code results */
  parentName?: string | null;
  /** present on old-code (?oldCode=) results: the pre-2025 commune's name */
  oldName?: string | null;
}

export interface UnitDetail {
  unit: Unit;
  ancestors: Unit[];
}

export interface Session {
  user: User;
  csrfToken: string;
}

export interface AuditItem {
  id: string;
  at: string;
  actorName: string | null;
  action: string;
  entity: string;
  entityId: string | null;
  unitCode: string | null;
  before: unknown;
  after: unknown;
}

// ---- premium and subsidy rules ----

/** Roles the rules engine treats specially (household order, child under 6, pupil card dates). */
export type GroupRole = 'household' | 'child-under-6' | 'pupil';

/** What every dated rule entry carries. `to` is EXCLUSIVE: the first day it no longer applies. */
export interface DatedRule {
  id: string;
  from: string;
  to?: string;
  source: string;
  uncertain?: boolean;
  note?: string;
}

/** A participant group (đối tượng tham gia), e.g. HS 'Học sinh'. */
export interface PremiumGroup extends DatedRule {
  code: string;
  nameVi: string;
  nameEn: string;
  role?: GroupRole;
  firstTimeWait: boolean;
  firstTimeWaitUncertain?: boolean;
}

export type RuleKind =
  | 'base-salary'
  | 'premium-rate'
  | 'household-factors'
  | 'pricing-basis'
  | 'group'
  | 'state-share'
  | 'local-policy'
  | 'card-validity';

/** The rules page's order of kinds. */
export const RULE_KINDS: readonly RuleKind[] = [
  'base-salary',
  'premium-rate',
  'household-factors',
  'pricing-basis',
  'group',
  'state-share',
  'local-policy',
  'card-validity',
];

/** A rule as a quote names it. */
export interface RuleDescription {
  id: string;
  kind: RuleKind;
  from: string;
  to?: string;
  source: string;
  uncertain: boolean;
  note?: string;
}

/** The full entry of any kind; which fields are present depends on the kind. */
export interface RuleBody extends DatedRule {
  amount?: number;
  basisPoints?: number;
  factors?: number[];
  basis?: 'payment-date' | 'card-start' | string;
  code?: string;
  nameVi?: string;
  nameEn?: string;
  role?: GroupRole;
  firstTimeWait?: boolean;
  firstTimeWaitUncertain?: boolean;
  group?: string;
  province?: string;
  groups?: string[];
  ageFrom?: number;
  ageBelow?: number;
  firstTimeWaitDays?: number;
  breakMonths?: number;
  childCardAgeMonths?: number;
  childCardCutoff?: string;
  pupilFirstGradeStart?: string;
  pupilFinalGrade?: number;
  pupilFinalGradeEnd?: string;
  schoolYearStart?: string;
}

export interface RuleItem extends RuleDescription {
  rule: RuleBody;
}

export interface QuoteMemberRequest {
  groups: string[];
  birthDate?: string;
  grade?: number;
  previousCardTo?: string;
}

export interface QuoteRequest {
  date: string;
  months: number;
  members: QuoteMemberRequest[];
  province?: string;
  enrolledThisYear?: number;
}

export type QuoteNoteCode =
  | 'auto_child_under_6'
  | 'base_salary_changes_in_period'
  | 'local_policy_needs_birth_date'
  | 'child_card_end_unknown'
  | 'first_time_wait_uncertain';

export interface QuoteNote {
  code: QuoteNoteCode | string;
  /** English, for codes this interface does not know */
  message: string;
}

export interface Amounts {
  premium: number;
  state: number;
  local: number;
  payable: number;
}

export interface MemberQuote extends Amounts {
  group: string;
  /** household order (1 = first member this year) in household mode, otherwise null */
  order: number | null;
  validFrom: string;
  validTo: string;
  baseSalary: number;
  fullPremium: number;
  householdFactor: number | null;
  stateBasisPoints: number;
  localBasisPoints: number;
  continuous: boolean;
  ruleIds: string[];
  uncertainRuleIds: string[];
  notes: QuoteNote[];
}

export interface QuoteResult {
  date: string;
  months: number;
  members: MemberQuote[];
  total: Amounts;
  ruleIds: string[];
  uncertainRuleIds: string[];
  rules: RuleDescription[];
}

export interface BaseSalaryInput {
  from: string;
  amount: number;
  source: string;
  note?: string;
  uncertain?: boolean;
}

export interface LocalPolicyInput {
  province: string;
  nameVi: string;
  nameEn?: string;
  groups?: string[];
  ageFrom?: number;
  ageBelow?: number;
  /** percent of what remains after the state share, 0-100 */
  percent: number;
  from: string;
  to?: string;
  source: string;
  note?: string;
  uncertain?: boolean;
}

// ---- population register (sổ hộ gia đình) ----

export type PovertyStatus = 'poor' | 'near_poor' | 'average_agri' | 'none';
export type CardSource = 'import' | 'manual' | 'programme';

export interface PersonHit {
  id: string;
  householdId: string;
  householdCode: string;
  communeCode: string;
  communeName: string;
  villageName: string | null;
  fullName: string;
  birthDate: string | null;
  sex: string | null;
  citizenId: string | null;
  insuranceCode: string | null;
  groupCodes: string[];
  coveredToday: boolean;
  cardTo: string | null;
}

export interface PersonPage {
  items: PersonHit[];
  total: number;
}

export interface Household {
  id: string;
  code: string;
  communeCode: string;
  communeName: string;
  villageCode: string | null;
  villageName: string | null;
  address: string | null;
  povertyStatus: PovertyStatus | null;
  povertyYear: number | null;
}

export interface Card {
  id: string;
  groupCode: string;
  validFrom: string;
  validTo: string;
  number: string | null;
  source: CardSource;
}

export interface Member {
  id: string;
  fullName: string;
  relationship: string | null;
  birthDate: string | null;
  sex: string | null;
  citizenId: string | null;
  insuranceCode: string | null;
  ethnicity: string | null;
  phone: string | null;
  groupCodes: string[];
  school?: string | null;
  grade?: number | null;
  cards: Card[];
  groups: { groupCode: string; validFrom: string | null; validTo: string | null }[];
}

export interface HouseholdDetail {
  household: Household;
  members: Member[];
}

export interface CardInput {
  personId: string;
  groupCode: string;
  validFrom: string;
  validTo: string;
  number?: string;
}

/** A change to a card (only the fields given change; number null clears it). */
export interface CardPatch {
  groupCode?: string;
  validFrom?: string;
  validTo?: string;
  number?: string | null;
}

/** A new household; communeCode is five digits, villageCode the village's full code. */
export interface HouseholdInput {
  communeCode: string;
  code: string;
  villageCode?: string | null;
  address?: string | null;
  povertyStatus?: PovertyStatus;
  povertyYear?: number | null;
}

export type HouseholdPatch = Partial<Omit<HouseholdInput, 'communeCode'>>;

/** A person's fields as the register API takes them (dates 'YYYY-MM-DD'; null clears a field). */
export interface PersonFields {
  fullName: string;
  relationship?: string | null;
  birthDate: string;
  sex: 'male' | 'female';
  citizenId?: string | null;
  insuranceCode?: string | null;
  ethnicity?: string | null;
  phone?: string | null;
  groupCodes: string[];
  school?: string | null;
  grade?: number | null;
}

export interface PersonInput extends PersonFields {
  householdId: string;
}

export type PersonPatch = Partial<PersonFields>;

export interface ImportErrorRow {
  row: number;
  column: string;
  value: string;
  message: string;
}

export interface ImportReport {
  rows: number;
  inserted: number;
  updated: number;
  unchanged: number;
  rejected: number;
  errors: ImportErrorRow[];
  rolledBack: boolean;
}

export interface ImportJob {
  id: string;
  fileName: string;
  status: 'queued' | 'running' | 'done' | 'failed';
  dryRun?: boolean;
  validRowsOnly?: boolean;
  progress: { phase: 'reading' | 'applying' | 'done'; rows: number; bytesRead?: number; totalBytes?: number };
  report?: ImportReport;
  error?: { code?: string; message: string; fields?: FieldError[] };
}

// ---- coverage (bao phủ BHYT) ----

export type FigureSource = 'register' | 'reported' | null;

export interface CoverageFigures {
  unit: string;
  name: string;
  level: UnitLevel;
  kind: UnitKind;
  date: string;
  population: number | null;
  participants: number | null;
  plan: number | null;
  pctPlan: number | null;
  pctPopulation: number | null;
  yoyChange: number | null;
  byGroup: Record<string, number>;
  expiring30: number | null;
  neverInsured: number | null;
  sources: { population: FigureSource; participants: FigureSource; plan: FigureSource };
  register: {
    population: number | null;
    participants: number | null;
    participantsYearAgo: number | null;
    expiring30: number | null;
    neverInsured: number | null;
  } | null;
  reported: {
    asOf: string | null;
    participants: number | null;
    population: number | null;
    plan: number | null;
    planYear: number | null;
    planDecision: string | null;
    source: string | null;
    participantsByGroup: Record<string, number> | null;
    participantsYearAgo: number | null;
  } | null;
  difference: { participants: number | null; population: number | null } | null;
}

export interface Coverage extends CoverageFigures {
  children: CoverageFigures[];
}

/** Participants at a month end (register), with the same month a year earlier. */
export interface TrendPoint {
  /** 'YYYY-MM' */
  month: string;
  /** the month end, 'YYYY-MM-DD' */
  date: string;
  participants: number;
  participantsYearAgo: number;
}

export interface CoverageTrend {
  unit: string;
  name: string;
  points: TrendPoint[];
}

/** A unit below its target (or the threshold), with the persons still missing to reach it. */
export interface LowCoverageItem {
  unit: string;
  name: string;
  population: number | null;
  participants: number | null;
  pctPopulation: number | null;
  pctPlan: number | null;
  target: number;
  missing: number | null;
}

/** Pupils of one school (null: no school recorded) against 100% coverage in the school year. */
export interface PupilSchoolFigures {
  school: string | null;
  pupils: number;
  covered: number;
  /** covered / pupils × 100, two decimals; null without pupils */
  pct: number | null;
  missing: number;
}

export interface CoveragePupils {
  unit: string;
  name: string;
  date: string;
  /** '2025-2026' */
  schoolYear: string;
  total: Omit<PupilSchoolFigures, 'school'>;
  schools: PupilSchoolFigures[];
}

export type VisitKind = 'uncovered' | 'expiring';

export interface VisitItem {
  personId: string;
  householdId: string;
  householdCode: string;
  villageCode: string | null;
  villageName: string | null;
  communeCode: string;
  address: string | null;
  fullName: string;
  birthDate: string | null;
  sex: string | null;
  phone: string | null;
  groupCodes: string[];
  cardTo: string | null;
}

export interface VisitParams {
  kind: VisitKind;
  date: string;
  days: number;
  limit?: number;
  offset?: number;
}

/** The visit list's address (JSON, or a download with format=xlsx|csv). */
export function visitsUrl(unit: string, params: VisitParams, format?: 'xlsx' | 'csv'): string {
  const search = new URLSearchParams();
  search.set('kind', params.kind);
  search.set('date', params.date);
  search.set('days', String(params.days));
  search.set('limit', String(params.limit ?? 500));
  search.set('offset', String(params.offset ?? 0));
  if (format) search.set('format', format);
  return `/api/coverage/${encodeURIComponent(unit)}/visits?${search.toString()}`;
}

/** Progress of a staff member against their recruitment target of a year. */
export interface StaffProgressItem {
  id: string;
  userId: string;
  username: string;
  displayName: string;
  year: number;
  /** the target: participants to recruit */
  participants: number;
  unitCode: string | null;
  unitName: string | null;
  /** persons the member entered a card for by hand in the year */
  recruited: number;
  pct: number | null;
  missing: number;
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

/** Staff targets of the unit and the units directly under it, with progress, lowest first. */
export function fetchStaffProgress(unit: string, year: number, signal?: AbortSignal): Promise<{ items: StaffProgressItem[] }> {
  return request<{ items: StaffProgressItem[] }>('GET', `/api/coverage/staff-progress?unit=${encodeURIComponent(unit)}&year=${year}`, { signal });
}

export interface FieldError {
  path: string;
  message: string;
}

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly fields: FieldError[];
  /** Figures the server sends with some errors (a confirmation's current count and amount). */
  readonly details?: Record<string, unknown>;

  constructor(status: number, code: string, message: string, fields: FieldError[] = [], details?: Record<string, unknown>) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.fields = fields;
    this.details = details;
  }
}

let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when a request (other than the session check itself) finds the session gone. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

export interface RequestOptions {
  body?: unknown;
  signal?: AbortSignal;
  /** do not notify the unauthenticated listeners on 401 (login, session check) */
  quiet401?: boolean;
  /** sent as the Idempotency-Key header: the server answers a repeated key with the first result */
  idempotencyKey?: string;
}

function errorFromBody(status: number, data: unknown): ApiError {
  const error = (data as { error?: { code?: string; message?: string; fields?: FieldError[]; details?: Record<string, unknown> } } | undefined)?.error;
  return new ApiError(
    status,
    error?.code ?? `http_${status}`,
    error?.message ?? i18n.t('web:errors.unexpected', { status }),
    Array.isArray(error?.fields) ? error.fields : [],
    error?.details,
  );
}

/** One API call: JSON in and out, CSRF header, ApiError on failure. Area clients (e.g. web/src/programmes/*Api.ts) build on it. */
export async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  // the server translates its messages by the cd_lang cookie, else by Accept-Language: send ours
  const headers: Record<string, string> = { accept: 'application/json', 'accept-language': i18n.language || 'vi' };
  // a FormData body goes as multipart (the browser sets the boundary), anything else as JSON
  const form = typeof FormData !== 'undefined' && options.body instanceof FormData ? options.body : undefined;
  if (options.body !== undefined && !form) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;

  let response: Response;
  try {
    response = await fetch(path, {
      method,
      headers,
      credentials: 'same-origin',
      body: form ?? (options.body === undefined ? undefined : JSON.stringify(options.body)),
      signal: options.signal,
    });
  } catch (err) {
    if (err instanceof DOMException && err.name === 'AbortError') throw err;
    throw new ApiError(0, 'network', i18n.t('web:errors.network'));
  }

  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let data: unknown = undefined;
  if (text) {
    try {
      data = JSON.parse(text);
    } catch {
      data = undefined;
    }
  }
  if (response.ok) return data as T;

  const apiError = errorFromBody(response.status, data);
  if (response.status === 401 && !options.quiet401) {
    for (const listener of unauthenticatedListeners) listener();
  }
  throw apiError;
}

const enc = encodeURIComponent;

export const api = {
  login: (username: string, password: string) =>
    request<Session>('POST', '/api/auth/login', { body: { username, password }, quiet401: true }),
  me: () => request<Session>('GET', '/api/auth/me', { quiet401: true }),
  logout: () => request<void>('POST', '/api/auth/logout', { quiet401: true }),

  provinces: (signal?: AbortSignal) => request<Unit[]>('GET', '/api/units', { signal }),
  children: (parentCode: string, signal?: AbortSignal) =>
    request<Unit[]>('GET', `/api/units?parent=${enc(parentCode)}`, { signal }),
  searchUnits: (q: string, signal?: AbortSignal) => request<Unit[]>('GET', `/api/units?q=${enc(q)}`, { signal }),
  unitsByOldCode: (oldCode: string, signal?: AbortSignal) =>
    request<Unit[]>('GET', `/api/units?oldCode=${enc(oldCode)}`, { signal }),
  unit: (code: string, signal?: AbortSignal) => request<UnitDetail>('GET', `/api/units/${enc(code)}`, { signal }),
  createVillage: (input: { parentCode: string; code: string; name: string; kind: VillageKind }) =>
    request<Unit>('POST', '/api/units', { body: input }),
  updateVillage: (code: string, patch: { name?: string; kind?: VillageKind }) =>
    request<Unit>('PATCH', `/api/units/${enc(code)}`, { body: patch }),
  deleteVillage: (code: string) => request<void>('DELETE', `/api/units/${enc(code)}`),

  users: (signal?: AbortSignal) => request<ManagedUser[]>('GET', '/api/users', { signal }),
  createUser: (input: {
    username: string;
    displayName: string;
    role: Role;
    scopeCode: string | null;
    password: string;
  }) => request<ManagedUser>('POST', '/api/users', { body: input }),
  updateUser: (
    id: string,
    patch: Partial<{ displayName: string; role: Role; scopeCode: string | null; active: boolean; password: string }>,
  ) => request<ManagedUser>('PATCH', `/api/users/${enc(id)}`, { body: patch }),

  audit: (params: { limit?: number; before?: string; entity?: string }, signal?: AbortSignal) => {
    const search = new URLSearchParams();
    search.set('limit', String(params.limit ?? 50));
    if (params.before) search.set('before', params.before);
    if (params.entity) search.set('entity', params.entity);
    return request<{ items: AuditItem[] }>('GET', `/api/audit?${search.toString()}`, { signal });
  },

  /** public */
  premiumGroups: (date: string, signal?: AbortSignal) =>
    request<PremiumGroup[]>('GET', `/api/premium/groups?date=${enc(date)}`, { signal }),
  /** public: prices a payment, nothing is stored */
  quote: (input: QuoteRequest, signal?: AbortSignal) =>
    request<QuoteResult>('POST', '/api/premium/quote', { body: input, signal }),
  premiumRules: (date: string, signal?: AbortSignal) =>
    request<{ date: string; rules: RuleItem[] }>('GET', `/api/premium/rules?date=${enc(date)}`, { signal }),
  premiumRulesHistory: (signal?: AbortSignal) =>
    request<{ history: RuleItem[] }>('GET', '/api/premium/rules?history=true', { signal }),
  addBaseSalary: (input: BaseSalaryInput) =>
    request<RuleBody>('POST', '/api/premium/rules/base-salaries', { body: input }),
  addLocalPolicy: (input: LocalPolicyInput) =>
    request<RuleBody>('POST', '/api/premium/rules/local-policies', { body: input }),
  registerPersons: (params: { q: string; limit: number; offset: number; unit?: string }, signal?: AbortSignal) => {
    const search = new URLSearchParams();
    search.set('q', params.q);
    search.set('limit', String(params.limit));
    search.set('offset', String(params.offset));
    if (params.unit) search.set('unit', params.unit);
    return request<PersonPage>('GET', `/api/register/persons?${search.toString()}`, { signal });
  },
  household: (id: string, signal?: AbortSignal) =>
    request<HouseholdDetail>('GET', `/api/register/households/${enc(id)}`, { signal }),
  addCard: (input: CardInput) => request<Card>('POST', '/api/register/cards', { body: input }),
  updateCard: (id: string, patch: CardPatch) => request<Card>('PATCH', `/api/register/cards/${enc(id)}`, { body: patch }),
  deleteCard: (id: string) => request<void>('DELETE', `/api/register/cards/${enc(id)}`),
  createHousehold: (input: HouseholdInput) => request<Household>('POST', '/api/register/households', { body: input }),
  updateHousehold: (id: string, patch: HouseholdPatch) =>
    request<Household>('PATCH', `/api/register/households/${enc(id)}`, { body: patch }),
  deleteHousehold: (id: string) => request<void>('DELETE', `/api/register/households/${enc(id)}`),
  createPerson: (input: PersonInput) => request<{ id: string; fullName: string }>('POST', '/api/register/persons', { body: input }),
  updatePerson: (id: string, patch: PersonPatch) =>
    request<{ id: string; fullName: string }>('PATCH', `/api/register/persons/${enc(id)}`, { body: patch }),
  deletePerson: (id: string) => request<void>('DELETE', `/api/register/persons/${enc(id)}`),
  coverage: (unit: string, date: string, signal?: AbortSignal) =>
    request<Coverage>('GET', `/api/coverage/${enc(unit)}?date=${enc(date)}`, { signal }),
  coverageTrend: (unit: string, date: string, months: number, signal?: AbortSignal) =>
    request<CoverageTrend>('GET', `/api/coverage/${enc(unit)}/trend?date=${enc(date)}&months=${months}`, { signal }),
  coverageLow: (unit: string, date: string, threshold: number, signal?: AbortSignal) =>
    request<{ items: LowCoverageItem[] }>('GET', `/api/coverage/${enc(unit)}/low?date=${enc(date)}&threshold=${threshold}`, { signal }),
  coveragePupils: (unit: string, date: string, signal?: AbortSignal) =>
    request<CoveragePupils>('GET', `/api/coverage/${enc(unit)}/pupils?date=${enc(date)}`, { signal }),
  visits: (unit: string, params: VisitParams, signal?: AbortSignal) =>
    request<{ items: VisitItem[] }>('GET', visitsUrl(unit, params), { signal }),
  registerImport: (id: string, signal?: AbortSignal) =>
    request<ImportJob>('GET', `/api/register/imports/${enc(id)}?errors=200`, { signal }),
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
      if (xhr.status === 401) for (const listener of unauthenticatedListeners) listener();
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

export function isAbort(err: unknown): boolean {
  return err instanceof DOMException && err.name === 'AbortError';
}
