/**
 * An audit row's before/after as people read it: a list of "field: value" lines in the interface
 * language instead of raw JSON. Field names come from the catalogue (audit.fields.*), money is
 * written 1.263.600 ₫, dates dd/MM/yyyy, times dd/MM/yyyy HH:mm, numbers with the language's
 * separators, codes of known lists (roles, statuses, sexes...) by their names. Pure.
 */
import type { TFunction } from 'i18next';
import { formatDate, formatDateTime, formatDecimal, formatNumber, formatPercent, formatVnd, shortId } from '../format';

export interface DetailLine {
  /** the field's key as stored ('fullName'; '1' for the first item of a list) */
  key: string;
  /** its label in the interface language ('Họ và tên'), or the key itself when the catalogue has none */
  label: string;
  /** false: no label in the catalogue (the key is shown, as code) */
  known: boolean;
  /** the value as text; null when the line holds `children` */
  value: string | null;
  children?: DetailLine[];
}

/** Amounts of dong. */
const MONEY = new Set(['amount', 'budget', 'spent', 'total', 'premium', 'state', 'local', 'payable', 'cost', 'baseSalary', 'fullPremium']);
/** Shares in basis points (10000 = 100%). */
const BASIS_POINTS = new Set(['basisPoints', 'stateBasisPoints', 'localBasisPoints', 'householdFactor']);
/** Whole numbers written as they are: years (2.026 would be wrong), grades, sizes. */
const PLAIN_NUMBER = /year$|^grade$|^number$/i;
/** Keys whose values are codes of a group list (HS, GD...). */
const GROUP_KEYS = new Set(['group', 'groups', 'groupCode', 'groupCodes', 'pricingGroup']);
/** Keys whose object values are keyed by data (group codes, commune codes), not by field names. */
const DATA_KEYED = new Set(['participantsByGroup', 'communeQuotas', 'priorities']);

/** The catalogue list that names a key's values, by entity where it depends on it (a status of a programme, of a pledge...). */
function vocabularyOf(key: string, entity: string): string | null {
  switch (key) {
    case 'role':
      return 'roles';
    case 'language':
      return 'lang';
    case 'sex':
      return 'register.sex';
    case 'povertyStatus':
      return 'register.poverty';
    case 'level':
      return 'kinds';
    case 'areaKind':
      return 'programmes:area_kind';
    case 'selectionMode':
      return 'programmes:selection_mode';
    case 'priorityMode':
      return 'programmes:priority_mode';
    case 'method':
      return 'programmes:method';
    case 'tags':
    case 'earmarkTag':
    case 'priorities':
      return 'selection:tags';
    case 'result':
      return entity.startsWith('handover') ? 'handover:results' : null;
    case 'kind':
      if (entity === 'donor') return 'programmes:donor_kind';
      if (entity === 'collector') return 'offices.collectors.kinds';
      if (entity === 'office') return 'offices.kinds';
      return entity === 'unit' ? 'kinds' : null;
    case 'source':
      return entity === 'card' ? 'register.source' : entity === 'pledge' ? 'programmes:pledge_source' : null;
    case 'status':
    case 'fromStatus':
    case 'toStatus':
      if (entity === 'programme') return 'programmes:status';
      if (entity === 'pledge') return 'programmes:pledge_status';
      if (entity === 'award') return 'programmes:award_status';
      if (entity === 'selection_round') return 'audit.roundStatus';
      return null;
    default:
      return null;
  }
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const MAX_ITEMS = 20;
const MAX_DEPTH = 4;

export interface DetailOptions {
  t: TFunction;
  lang: string;
  /** the audit row's entity ('programme', 'pledge'...): which list names a status */
  entity: string;
  /** a group code's name ('Học sinh (HS)'), when known */
  groupName?: (code: string) => string | undefined;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A reference to a named record ({code, name}: a village, a commune), read by its name ('Thôn 1'). */
const isNamedCode = (v: unknown): v is { code: string; name: string } =>
  isObject(v) && Object.keys(v).length === 2 && typeof v.code === 'string' && typeof v.name === 'string';

/** One value (not an object) as text; a long list is cut after MAX_ITEMS with the count of the rest. */
export function formatAuditValue(key: string, value: unknown, o: DetailOptions): string {
  if (value === null || value === undefined || value === '') return '—';
  if (typeof value === 'boolean') return o.t(value ? 'audit.yes' : 'audit.no');
  if (typeof value === 'number') {
    if (MONEY.has(key)) return formatVnd(value);
    if (BASIS_POINTS.has(key)) return formatPercent(value, o.lang);
    if (PLAIN_NUMBER.test(key)) return String(value);
    return Number.isInteger(value) ? formatNumber(value, o.lang) : formatDecimal(value, o.lang);
  }
  if (typeof value === 'string') {
    if (CALENDAR_DATE.test(value)) return formatDate(value);
    if (TIMESTAMP.test(value)) return formatDateTime(value) || value;
    if (GROUP_KEYS.has(key)) return o.groupName?.(value) ?? value;
    const list = vocabularyOf(key, o.entity);
    if (list) return o.t(`${list}.${value}`, { defaultValue: value });
    return shortId(value);
  }
  if (isNamedCode(value)) return value.name;
  if (Array.isArray(value)) {
    if (value.length === 0) return '—';
    const shown = value.slice(0, MAX_ITEMS).map((v) => formatAuditValue(key, v, o));
    if (value.length > MAX_ITEMS) shown.push(o.t('audit.more', { count: value.length - MAX_ITEMS }));
    return shown.join(', ');
  }
  return JSON.stringify(value);
}

const hasInner = (value: unknown) =>
  (isObject(value) && Object.keys(value).length > 0 && !isNamedCode(value)) ||
  (Array.isArray(value) && value.some((v) => (isObject(v) && !isNamedCode(v)) || Array.isArray(v)));

/**
 * The line of `value` under `key`. `parent`: the key of the object it is in; under a data-keyed object
 * (participants by group...) the key is a code, named as such, and the value is a plain count.
 */
function line(key: string, value: unknown, o: DetailOptions, depth: number, parent?: string): DetailLine {
  let label: string;
  let known = true;
  let valueKey = key;
  if (parent !== undefined && DATA_KEYED.has(parent)) {
    label =
      parent === 'priorities'
        ? o.t(`selection:tags.${key}`, { defaultValue: key })
        : parent === 'participantsByGroup'
          ? (o.groupName?.(key) ?? key)
          : key;
    valueKey = '';
  } else {
    label = o.t(`audit.fields.${key}`, { defaultValue: '' });
    known = label !== '';
    if (!known) label = key;
  }
  if (!hasInner(value) || depth >= MAX_DEPTH) return { key, label, known, value: formatAuditValue(valueKey, value, o) };
  const children = Array.isArray(value) ? itemLines(value, o, depth + 1, key) : Object.entries(value as Record<string, unknown>).map(([k, v]) => line(k, v, o, depth + 1, key));
  return { key, label, known, value: null, children };
}

/** The items of a list, 'Mục 1', 'Mục 2'... (MAX_ITEMS of them, then the count of the rest). */
function itemLines(items: unknown[], o: DetailOptions, depth: number, key: string): DetailLine[] {
  const lines = items.slice(0, MAX_ITEMS).map((v, i): DetailLine => {
    const label = o.t('audit.item', { n: i + 1 });
    if (isObject(v)) return { key: String(i + 1), label, known: true, value: null, children: Object.entries(v).map(([k, x]) => line(k, x, o, depth + 1)) };
    return { key: String(i + 1), label, known: true, value: formatAuditValue(key, v, o) };
  });
  if (items.length > MAX_ITEMS) lines.push({ key: '…', label: '', known: true, value: o.t('audit.more', { count: items.length - MAX_ITEMS }) });
  return lines;
}

/**
 * The lines of a before or after value: one per field of an object (nested objects and lists of objects
 * as indented lines), one per item of a list; none for null, undefined or an empty object.
 */
export function auditDetails(value: unknown, o: DetailOptions): DetailLine[] {
  if (value === null || value === undefined) return [];
  if (Array.isArray(value)) return itemLines(value, o, 1, '');
  if (isObject(value)) return Object.entries(value).map(([k, v]) => line(k, v, o, 1));
  return [{ key: '', label: '', known: true, value: formatAuditValue('', value, o) }];
}
