/**
 * Reported figures and targets (issue 5, part 1).
 *
 * Most social-insurance offices hold counts from the social insurance system, not lists of persons: per
 * unit and date they report participants (in total and per participant group), voluntary social
 * insurance participants, the population, and the plan assigned for the year with its decision (e.g.
 * 462/QĐ-BHXH). Coverage reads them where a unit has no person-level register (`latestFigures`,
 * `figureOnOrNear`). Targets: a unit's target per year (a % of the population or a number of
 * participants) and a staff member's recruitment target per year.
 *
 * Access: 'units:write' to change, 'units:read' to read, and always inside the actor's scope (a commune
 * officer works on their commune only). Every change is audited in its transaction (entity
 * 'reported_figure' | 'coverage_target' | 'staff_target', unit = the unit concerned).
 */
import { percentOf as domainPercentOf } from '../../domain/coverage';
import { addYears } from '../../domain/calendar';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { inScope, type Actor, type Permission, requirePermission } from '../../domain/access';
import { isIsoDate, type IsoDate } from '../../domain/dates';
import { DEFAULT_RULES, isKnownGroup } from '../../domain/premium-rules';
import { cellText, parseDate } from '../../domain/register-row';
import { foldVietnamese } from '../../domain/text';
import { AppError, notFound, type FieldError } from '../../errors';
import { translator, type Language } from '../../i18n/index';
import type { CellValue } from '../../io/excel';
import { readRows } from '../../io/rows';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { lineageOf } from '../units/units.service';
import * as repo from './figures.repository';
import {
  figuresQuery,
  setFiguresInput,
  setStaffTargetInput,
  setTargetInput,
  staffTargetsQuery,
  targetsQuery,
  type FiguresQuery,
  type SetFiguresInput,
  type SetStaffTargetInput,
  type SetTargetInput,
  type StaffTargetsQuery,
  type TargetsQuery,
} from './figures.schemas';

export const FIGURES_READ: Permission = 'units:read';
export const FIGURES_WRITE: Permission = 'units:write';

/** A field problem whose message lives in the 'coverage' namespace of the catalogue. */
export const coverageField = (fieldPath: string, key: string, params: Record<string, unknown> = {}): FieldError => ({
  path: fieldPath,
  key,
  params: { ...params, ns: 'coverage' },
});

const isKnown = (code: string) => isKnownGroup(DEFAULT_RULES, code);

/** participants / whole in %, 2 decimals, exact (src/domain/coverage.ts); null when either is missing. */
export function percentOf(part: number | null | undefined, whole: number | null | undefined): number | null {
  return part === null || part === undefined ? null : domainPercentOf(part, whole);
}

/** The same calendar day a year earlier; 29 February becomes 28 February. */
export function oneYearBefore(date: IsoDate): IsoDate {
  return addYears(date, -1);
}

const toIso = (d: Date | string) => (d instanceof Date ? d.toISOString() : new Date(d).toISOString());

// ---------------------------------------------------------------------------------------------------
// Scope
// ---------------------------------------------------------------------------------------------------

/**
 * The unit, if it exists and lies in the actor's scope. A province or commune outside the scope is refused
 * (out_of_scope); a village outside it does not exist for this user; an unknown code is a field error when
 * it came in a body (`field`), a 404 otherwise.
 */
async function unitInScope(db: Kysely<DB>, actor: Actor, code: string, field?: string) {
  const found = await lineageOf(db, code);
  const hidden = found && found.unit.level === 'village' && !inScope(actor, found.lineage);
  if (!found || hidden) {
    if (field) throw new AppError('validation', {}, [{ path: field, key: 'unknown_unit', params: { code } }]);
    throw notFound('unit', code);
  }
  if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code });
  return found;
}

/** The filter of a target list: the actor's scope, narrowed to a unit and the units directly under it. */
async function listFilter(db: Kysely<DB>, actor: Actor, unit: string | undefined): Promise<repo.UnitFilter> {
  if (unit === undefined) return { scope: actor.scopeCode };
  const found = await unitInScope(db, actor, unit);
  return { scope: actor.scopeCode, area: found.unit.code };
}

// ---------------------------------------------------------------------------------------------------
// Reported figures
// ---------------------------------------------------------------------------------------------------

export interface Figure extends repo.FigureValues {
  id: string;
  unitCode: string;
  unitName: string;
  asOf: string;
  /** participants / plan in %, 2 decimals (93.42). */
  percentOfPlan: number | null;
  /** participants / population in %, 2 decimals (88.21). */
  percentOfPopulation: number | null;
  createdBy: string;
  createdAt: string;
  updatedBy: string;
  updatedAt: string;
}

export interface FigureWarning {
  path: string;
  code: 'participants_above_population' | 'groups_above_participants';
  message: string;
}

export type SavedFigure = Figure & { created: boolean; warnings: FigureWarning[]; oldCode?: string; oldName?: string };

function figureView(r: repo.FigureWithUnit): Figure {
  return {
    id: r.id,
    unitCode: r.unitCode,
    unitName: r.unitName,
    asOf: r.asOf,
    participants: r.participants,
    participantsByGroup: r.participantsByGroup,
    voluntarySi: r.voluntarySi,
    population: r.population,
    plan: r.plan,
    planYear: r.planYear,
    planDecision: r.planDecision,
    source: r.source,
    note: r.note,
    percentOfPlan: percentOf(r.participants, r.plan),
    percentOfPopulation: percentOf(r.participants, r.population),
    createdBy: r.createdBy,
    createdAt: toIso(r.createdAt),
    updatedBy: r.updatedBy,
    updatedAt: toIso(r.updatedAt),
  };
}

const EMPTY: repo.FigureValues = {
  participants: null,
  participantsByGroup: null,
  voluntarySi: null,
  population: null,
  plan: null,
  planYear: null,
  planDecision: null,
  source: null,
  note: null,
};

/** Group codes upper-cased and checked; the field errors name `<prefix><code as given>`. */
function normalizeGroups(groups: Record<string, number>, prefix: string): { groups: Record<string, number>; errors: FieldError[] } {
  const out: Record<string, number> = {};
  const errors: FieldError[] = [];
  for (const [given, n] of Object.entries(groups)) {
    const code = given.trim().toUpperCase();
    if (!isKnown(code) || code in out) errors.push(coverageField(`${prefix}${given}`, 'unknown_group', { code: given }));
    else out[code] = n;
  }
  return { groups: out, errors };
}

type FigurePatch = Partial<repo.FigureValues>;

/**
 * What is stored after a patch: a field left out keeps its value, null clears it; clearing the plan clears
 * its year and decision unless they are given; a plan without a year takes the year of the date.
 */
function mergeFigures(before: repo.FigureValues | undefined, patch: FigurePatch, asOf: string): { values: repo.FigureValues; errors: FieldError[] } {
  const values: repo.FigureValues = { ...EMPTY, ...(before ?? {}) };
  for (const [k, v] of Object.entries(patch) as [keyof repo.FigureValues, unknown][]) if (v !== undefined) (values as unknown as Record<string, unknown>)[k] = v;
  if (patch.plan === null) {
    if (patch.planYear === undefined) values.planYear = null;
    if (patch.planDecision === undefined) values.planDecision = null;
  }
  if (values.plan !== null && values.planYear === null) values.planYear = Number(asOf.slice(0, 4));
  const errors: FieldError[] = [];
  if (values.plan === null && (values.planYear !== null || values.planDecision !== null)) errors.push(coverageField('plan', 'plan_details_without_plan'));
  const figures = [values.participants, values.participantsByGroup, values.voluntarySi, values.population, values.plan];
  if (figures.every((v) => v === null || (typeof v === 'object' && Object.keys(v).length === 0))) errors.push(coverageField('participants', 'figures_empty'));
  if (values.participantsByGroup !== null && Object.keys(values.participantsByGroup).length === 0) values.participantsByGroup = null;
  return { values, errors };
}

function warningsOf(v: repo.FigureValues, lang: Language): FigureWarning[] {
  const t = translator(lang);
  const fmt = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US');
  const out: FigureWarning[] = [];
  const warn = (p: string, code: FigureWarning['code'], params: Record<string, unknown>) =>
    out.push({ path: p, code, message: t(`coverage:warnings.${code}`, params) });
  if (v.participants !== null && v.population !== null && v.participants > v.population)
    warn('participants', 'participants_above_population', { participants: fmt.format(v.participants), population: fmt.format(v.population) });
  if (v.participantsByGroup && v.participants !== null) {
    const sum = Object.values(v.participantsByGroup).reduce((a, b) => a + b, 0);
    if (sum > v.participants) warn('participantsByGroup', 'groups_above_participants', { sum: fmt.format(sum), participants: fmt.format(v.participants) });
  }
  return out;
}

const valuesOf = (r: repo.FigureWithUnit): repo.FigureValues => ({
  participants: r.participants,
  participantsByGroup: r.participantsByGroup,
  voluntarySi: r.voluntarySi,
  population: r.population,
  plan: r.plan,
  planYear: r.planYear,
  planDecision: r.planDecision,
  source: r.source,
  note: r.note,
});

/** Stores one merged figure row and its audit row, inside `trx`. */
async function storeFigure(trx: Kysely<DB>, actor: Actor, unitCode: string, asOf: string, before: repo.FigureWithUnit | undefined, values: repo.FigureValues, action?: string) {
  const id = await repo.upsertFigure(trx, { id: before?.id ?? randomUUID(), unitCode, asOf, actor: actor.username, ...values });
  await audit(trx, actor, {
    action: action ?? (before ? 'update' : 'create'),
    entity: 'reported_figure',
    entityId: id,
    unitCode,
    before: before ? { asOf, ...valuesOf(before) } : null,
    after: { asOf, ...values },
  });
  return id;
}

/**
 * Sets the figures of a unit on a date (upsert by unit and date; audited). Counts are whole numbers, zero
 * or more; participants above the population are accepted (real data can exceed it) with a warning.
 */
export async function setFigures(db: Kysely<DB>, actor: Actor, input: SetFiguresInput, options: { language?: Language } = {}): Promise<SavedFigure> {
  requirePermission(actor, FIGURES_WRITE);
  const { unitCode, oldCode, asOf, participantsByGroup, ...rest } = parseInput(setFiguresInput, input);
  if (oldCode !== undefined || !(await lineageOf(db, unitCode!))) {
    const old = await resolveOldCode(db, oldCode ?? unitCode!, oldCode !== undefined ? unitCode : undefined, oldCode !== undefined ? 'oldCode' : 'unitCode');
    if (old) return setOldCommuneFigure(db, actor, old, asOf, { ...rest, participantsByGroup }, options.language ?? actor.language);
  }
  let groups: Record<string, number> | null | undefined = participantsByGroup;
  if (participantsByGroup) {
    const n = normalizeGroups(participantsByGroup, 'participantsByGroup.');
    if (n.errors.length) throw new AppError('validation', {}, n.errors);
    groups = n.groups;
  }
  const unit = (await unitInScope(db, actor, unitCode!, 'unitCode')).unit;
  return db.transaction().execute(async (trx) => {
    const before = await repo.findFigure(trx, unit.code, asOf);
    const { values, errors } = mergeFigures(before ? valuesOf(before) : undefined, { ...rest, participantsByGroup: groups }, asOf);
    if (errors.length) throw new AppError('validation', {}, errors);
    await storeFigure(trx, actor, unit.code, asOf, before, values);
    const stored = await repo.findFigure(trx, unit.code, asOf);
    return { ...figureView(stored!), created: !before, warnings: warningsOf(values, options.language ?? actor.language) };
  });
}

// ---------------------------------------------------------------------------------------------------
// Pre-2025 communes (old codes)
// ---------------------------------------------------------------------------------------------------

export interface OldCommune {
  oldCode: string;
  oldName: string;
  /** The new commune the figure counts towards. */
  unitCode: string;
}

const candidatesText = (rows: { newCode: string; newName: string }[]) => rows.map((r) => `${r.newCode} ${r.newName}`).join('; ');

/**
 * The new commune an old commune's figure counts towards: its only new commune, or `unitCode` when the old
 * commune was split (the caller apportions: the figure is the part now in that commune). A split without
 * `unitCode` is refused naming the candidates. Undefined when `code` is no old code and was not given as
 * one (`field` 'unitCode': the caller reports an unknown unit).
 */
export async function resolveOldCode(db: Kysely<DB>, code: string, unitCode: string | undefined, field: 'oldCode' | 'unitCode'): Promise<OldCommune | undefined> {
  const rows = await repo.mappingOfOld(db, [code]);
  if (rows.length === 0) {
    if (field === 'oldCode') throw new AppError('validation', {}, [coverageField('oldCode', 'unknown_old_code', { code })]);
    return undefined;
  }
  if (unitCode !== undefined) {
    if (!rows.some((r) => r.newCode === unitCode))
      throw new AppError('validation', {}, [coverageField('unitCode', 'old_code_not_in', { code, unit: unitCode, candidates: candidatesText(rows) })]);
    return { oldCode: code, oldName: rows[0].oldName, unitCode };
  }
  if (rows.length > 1) throw new AppError('validation', {}, [coverageField(field, 'old_code_split', { code, candidates: candidatesText(rows) })]);
  return { oldCode: code, oldName: rows[0].oldName, unitCode: rows[0].newCode };
}

/** Fields an old commune's figure may carry: the counts a year-over-year comparison needs. */
const OLD_FIELDS = ['participants', 'population', 'source', 'note'] as const;

function oldFigureView(r: repo.OldFigureRow, unitName: string, old: OldCommune): Figure & { oldCode: string; oldName: string } {
  return {
    ...EMPTY,
    id: r.id,
    unitCode: r.unitCode,
    unitName,
    asOf: r.asOf,
    participants: r.participants,
    population: r.population,
    source: r.source,
    note: r.note,
    percentOfPlan: null,
    percentOfPopulation: percentOf(r.participants, r.population),
    createdBy: r.createdBy ?? '',
    createdAt: toIso(r.createdAt ?? new Date(0)),
    updatedBy: r.updatedBy ?? '',
    updatedAt: toIso(r.updatedAt ?? new Date(0)),
    oldCode: old.oldCode,
    oldName: old.oldName,
  };
}

/** Stores an old commune's participants and population (upsert by new commune, old code, date; audited), inside `trx`. */
async function storeOldFigure(trx: Kysely<DB>, actor: Actor, old: OldCommune, asOf: string, patch: FigurePatch, action?: string) {
  const before = await repo.findOldFigure(trx, old.unitCode, old.oldCode, asOf);
  const pick = <K extends (typeof OLD_FIELDS)[number]>(k: K) => (patch[k] !== undefined ? (patch[k] as repo.OldFigureRow[K]) : (before?.[k] ?? null));
  const values = { participants: pick('participants'), population: pick('population'), source: pick('source'), note: pick('note') };
  if (values.participants === null && values.population === null) return { before, errors: [coverageField('participants', 'figures_empty')] };
  const row = { id: before?.id ?? randomUUID(), oldCode: old.oldCode, unitCode: old.unitCode, asOf, ...values };
  await repo.upsertOldFigure(trx, { ...row, actor: actor.username });
  await audit(trx, actor, {
    action: action ?? (before ? 'update' : 'create'),
    entity: 'old_commune_figure',
    entityId: row.id,
    unitCode: old.unitCode,
    before: before ? { oldCode: old.oldCode, asOf, participants: before.participants, population: before.population, source: before.source, note: before.note } : null,
    after: { oldCode: old.oldCode, asOf, ...values },
  });
  return { before, errors: [] as FieldError[] };
}

/** The fields given for an old commune that it cannot carry (plan, groups, voluntary social insurance). */
function notForOldCommunes(patch: Record<string, unknown>): FieldError[] {
  return Object.entries(patch)
    .filter(([k, v]) => v !== undefined && !(OLD_FIELDS as readonly string[]).includes(k))
    .map(([k]) => coverageField(k, 'old_code_figures_only'));
}

async function setOldCommuneFigure(db: Kysely<DB>, actor: Actor, old: OldCommune, asOf: string, patch: FigurePatch, language: Language): Promise<SavedFigure> {
  const refused = notForOldCommunes(patch as Record<string, unknown>);
  if (refused.length) throw new AppError('validation', {}, refused);
  const unit = (await unitInScope(db, actor, old.unitCode, 'unitCode')).unit;
  return db.transaction().execute(async (trx) => {
    const { before, errors } = await storeOldFigure(trx, actor, old, asOf, patch);
    if (errors.length) throw new AppError('validation', {}, errors);
    const stored = (await repo.findOldFigure(trx, old.unitCode, old.oldCode, asOf))!;
    const view = oldFigureView(stored, unit.name, old);
    return { ...view, created: !before, warnings: warningsOf(valuesOfView(view), language) };
  });
}

const valuesOfView = (f: Figure): repo.FigureValues => ({ ...EMPTY, participants: f.participants, population: f.population });

/**
 * Reported figures a year before `date` for many units, for year-over-year change: each unit's own
 * (latestFiguresOf on the same day a year earlier); a new commune without its own participants then
 * takes the sum of its pre-2025 communes' figures, when every old commune that went into it (a split one
 * by its apportioned part) has one on or before that day. `fromOldCommunes` lists them.
 */
export async function yearAgoFiguresOf(db: Kysely<DB>, unitCodes: string[], date: IsoDate): Promise<Map<string, FigureSnapshot>> {
  const ago = oneYearBefore(date);
  const out = await latestFiguresOf(db, unitCodes, ago);
  const missing = [...new Set(unitCodes)].filter((c) => (out.get(c)?.participants ?? null) === null);
  if (missing.length === 0) return out;
  const mapping = await repo.mappingOfNew(db, missing);
  if (mapping.length === 0) return out;
  const parts = await repo.latestOldFigures(db, [...new Set(mapping.map((m) => m.newCode))], ago);
  const partOf = new Map(parts.map((p) => [`${p.unitCode}|${p.oldCode}`, p]));
  const olds = new Map<string, { oldCode: string; oldName: string }[]>();
  for (const m of mapping) olds.set(m.newCode, [...(olds.get(m.newCode) ?? []), m]);
  for (const [code, list] of olds) {
    const found = list.map((m) => ({ ...m, part: partOf.get(`${code}|${m.oldCode}`) }));
    if (found.some((f) => !f.part || f.part.participants === null)) continue;
    const asOf = found.map((f) => f.part!.asOf).sort().at(-1)!;
    const population = found.every((f) => f.part!.population !== null) ? found.reduce((n, f) => n + f.part!.population!, 0) : null;
    const own = out.get(code);
    out.set(code, {
      ...(own ?? { unitCode: code, asOf, participantsByGroup: null, voluntarySi: null, plan: null, planYear: null, planDecision: null, source: null, dates: {} }),
      participants: found.reduce((n, f) => n + f.part!.participants!, 0),
      population: own?.population ?? population,
      dates: { ...(own?.dates ?? {}), participants: asOf },
      fromOldCommunes: found.map((f) => ({ oldCode: f.oldCode, oldName: f.oldName, asOf: f.part!.asOf, participants: f.part!.participants!, population: f.part!.population })),
    } as FigureSnapshot);
  }
  return out;
}

/** The figures of a unit, oldest first, optionally between two dates (inclusive). */
export async function listFigures(db: Kysely<DB>, actor: Actor, query: FiguresQuery): Promise<Figure[]> {
  requirePermission(actor, FIGURES_READ);
  const { unit, from, to } = parseInput(figuresQuery, query);
  const found = await unitInScope(db, actor, unit);
  return (await repo.listFigures(db, found.unit.code, from, to)).map(figureView);
}

/**
 * A unit's reported figures as known on a date. `asOf` is the date of the latest row on or before the date;
 * each value is the latest reported on or before the date (a population or a plan entered once a year
 * carries to the monthly participant counts after it), and `dates` says which day each value is from.
 * planYear and planDecision go with the plan they came with.
 */
export interface FigureSnapshot {
  unitCode: string;
  asOf: IsoDate;
  participants: number | null;
  participantsByGroup: Record<string, number> | null;
  voluntarySi: number | null;
  population: number | null;
  plan: number | null;
  planYear: number | null;
  planDecision: string | null;
  source: string | null;
  dates: Partial<Record<repo.CarriedField, IsoDate>>;
  /** Year over year across the 2025 reorganisation: the pre-2025 communes whose figures were summed. */
  fromOldCommunes?: { oldCode: string; oldName: string; asOf: string; participants: number; population: number | null }[];
}

/**
 * Reported figures as known on `date` for many units at once (a handful of queries whatever their number);
 * units without any figure on or before the date are absent. No access check: the caller (the coverage
 * service) checks the actor and scope.
 */
export async function latestFiguresOf(db: Kysely<DB>, unitCodes: string[], date: IsoDate): Promise<Map<string, FigureSnapshot>> {
  if (!isIsoDate(date)) throw new AppError('validation', {}, [{ path: 'date', key: 'iso_date' }]);
  const { latest, carried } = await repo.latestOnOrBefore(db, [...new Set(unitCodes)], date);
  const out = new Map<string, FigureSnapshot>();
  for (const [code, row] of latest) {
    const c = carried.get(code) ?? {};
    const dates: FigureSnapshot['dates'] = {};
    for (const field of repo.CARRIED) if (c[field]) dates[field] = c[field]!.asOf;
    out.set(code, {
      unitCode: code,
      asOf: row.asOf,
      participants: (c.participants?.value as number | undefined) ?? null,
      participantsByGroup: (c.participantsByGroup?.value as Record<string, number> | undefined) ?? null,
      voluntarySi: (c.voluntarySi?.value as number | undefined) ?? null,
      population: (c.population?.value as number | undefined) ?? null,
      plan: (c.plan?.value as number | undefined) ?? null,
      planYear: c.plan?.planYear ?? null,
      planDecision: c.plan?.planDecision ?? null,
      source: row.source,
      dates,
    });
  }
  return out;
}

/** The most recent reported figures of a unit on or before `date` (see FigureSnapshot); undefined when none. */
export async function latestFigures(db: Kysely<DB>, unitCode: string, date: IsoDate): Promise<FigureSnapshot | undefined> {
  return (await latestFiguresOf(db, [unitCode], date)).get(unitCode);
}

/** For year-over-year: the most recent figures on or before the same day a year earlier (29/02 -> 28/02). */
export async function figureOnOrNear(db: Kysely<DB>, unitCode: string, date: IsoDate): Promise<FigureSnapshot | undefined> {
  if (!isIsoDate(date)) throw new AppError('validation', {}, [{ path: 'date', key: 'iso_date' }]);
  return latestFigures(db, unitCode, oneYearBefore(date));
}

// ---------------------------------------------------------------------------------------------------
// Targets
// ---------------------------------------------------------------------------------------------------

export type Target = Omit<NonNullable<Awaited<ReturnType<typeof repo.findTarget>>>, 'updatedAt'> & { updatedAt: string };

const targetView = (r: NonNullable<Awaited<ReturnType<typeof repo.findTarget>>>): Target => ({ ...r, updatedAt: toIso(r.updatedAt) });

/** A unit's coverage target for a year (upsert by unit and year; audited). */
export async function setTarget(db: Kysely<DB>, actor: Actor, input: SetTargetInput): Promise<Target> {
  requirePermission(actor, FIGURES_WRITE);
  const data = parseInput(setTargetInput, input);
  const unit = (await unitInScope(db, actor, data.unitCode, 'unitCode')).unit;
  const product = data.product ?? 'bhyt';
  return db.transaction().execute(async (trx) => {
    const before = await repo.findTarget(trx, unit.code, data.year, product);
    const after = { unitCode: unit.code, year: data.year, kind: data.kind, value: data.value, decision: data.decision ?? null, product };
    await repo.upsertTarget(trx, { id: before?.id ?? randomUUID(), ...after, actor: actor.username });
    const stored = (await repo.findTarget(trx, unit.code, data.year, product))!;
    await audit(trx, actor, {
      action: before ? 'update' : 'create',
      entity: 'coverage_target',
      entityId: stored.id,
      unitCode: unit.code,
      before: before ? { unitCode: before.unitCode, year: before.year, kind: before.kind, value: before.value, decision: before.decision, product: before.product } : null,
      after,
    });
    return targetView(stored);
  });
}

/** Targets of a unit and the units directly under it (or of the whole scope), newest year first. */
export async function listTargets(db: Kysely<DB>, actor: Actor, query: TargetsQuery = {}): Promise<Target[]> {
  requirePermission(actor, FIGURES_READ);
  const { unit, year, product } = parseInput(targetsQuery, query);
  return (await repo.listTargets(db, await listFilter(db, actor, unit), year, product)).map(targetView);
}

export type StaffTarget = Omit<NonNullable<Awaited<ReturnType<typeof repo.findStaffTarget>>>, 'updatedAt'> & { updatedAt: string };

const staffView = (r: NonNullable<Awaited<ReturnType<typeof repo.findStaffTarget>>>): StaffTarget => ({ ...r, updatedAt: toIso(r.updatedAt) });

/**
 * A staff member's recruitment target for a year (upsert by user and year; audited). The unit defaults to
 * the member's own unit and must lie inside it; both the member and the unit must be in the actor's scope.
 */
export async function setStaffTarget(db: Kysely<DB>, actor: Actor, input: SetStaffTargetInput): Promise<StaffTarget> {
  requirePermission(actor, FIGURES_WRITE);
  const data = parseInput(setStaffTargetInput, input);
  const userField = data.userId !== undefined ? 'userId' : 'username';
  const unknownUser = () => new AppError('validation', {}, [coverageField(userField, 'unknown_user', { user: data.userId ?? data.username })]);
  const user = await repo.findStaffMember(db, { id: data.userId, username: data.username });
  if (!user) throw unknownUser();
  // a member outside the actor's scope does not exist for them
  const userLineage = user.scopeCode === null ? null : await lineageOf(db, user.scopeCode);
  if (user.scopeCode === null ? actor.scopeCode !== null : !userLineage || !inScope(actor, userLineage.lineage)) throw unknownUser();
  const unitCode = data.unitCode ?? user.scopeCode;
  if (unitCode !== null) {
    const unit = await unitInScope(db, actor, unitCode, 'unitCode');
    if (user.scopeCode !== null && !unit.lineage.includes(user.scopeCode))
      throw new AppError('validation', {}, [coverageField('unitCode', 'staff_unit_outside_scope', { code: unitCode, user: user.username })]);
  }
  return db.transaction().execute(async (trx) => {
    const before = await repo.findStaffTarget(trx, user.id, data.year);
    const after = { userId: user.id, username: user.username, year: data.year, participants: data.participants, unitCode };
    await repo.upsertStaffTarget(trx, { id: before?.id ?? randomUUID(), userId: user.id, year: data.year, participants: data.participants, unitCode, actor: actor.username });
    const stored = (await repo.findStaffTarget(trx, user.id, data.year))!;
    await audit(trx, actor, {
      action: before ? 'update' : 'create',
      entity: 'staff_target',
      entityId: stored.id,
      unitCode,
      before: before ? { userId: before.userId, username: before.username, year: before.year, participants: before.participants, unitCode: before.unitCode } : null,
      after,
    });
    return staffView(stored);
  });
}

export interface StaffProgress extends StaffTarget {
  /** Persons the member entered a card for by hand in the year (see repo.recruitedBy). */
  recruited: number;
  /** recruited / target in %, 2 decimals; null for a target of 0. */
  pct: number | null;
  /** Persons still to recruit (0 once the target is met). */
  missing: number;
}

/**
 * Progress of each staff member against their recruitment target of `year`: the targets of the unit and the
 * units directly under it (or of the whole scope), with the participants recruited, the % of target and
 * the persons still missing; lowest progress first.
 */
export async function staffProgress(db: Kysely<DB>, actor: Actor, query: StaffTargetsQuery & { year: number }): Promise<StaffProgress[]> {
  const targets = await listStaffTargets(db, actor, query);
  const recruited = await repo.recruitedBy(db, [...new Set(targets.map((s) => s.userId))], query.year);
  return targets
    .map((s) => {
      const n = recruited.get(s.userId) ?? 0;
      return { ...s, recruited: n, pct: s.participants > 0 ? domainPercentOf(n, s.participants) : null, missing: Math.max(0, s.participants - n) };
    })
    .sort((a, b) => (a.pct ?? Infinity) - (b.pct ?? Infinity) || a.username.localeCompare(b.username));
}

/**
 * The recruitment targets of `year` of the users given (user id -> participants), without an access check:
 * for a caller that checked its own (the door-to-door progress of a working group's members, issue 19).
 */
export function staffTargetsOf(db: Kysely<DB>, userIds: string[], year: number): Promise<Map<string, number>> {
  return repo.staffTargetsOfUsers(db, userIds, year);
}

/** Staff targets whose unit is the given unit or directly under it (or anywhere in the scope). */
export async function listStaffTargets(db: Kysely<DB>, actor: Actor, query: StaffTargetsQuery = {}): Promise<StaffTarget[]> {
  requirePermission(actor, FIGURES_READ);
  const { unit, year } = parseInput(staffTargetsQuery, query);
  return (await repo.listStaffTargets(db, await listFilter(db, actor, unit), year)).map(staffView);
}

// ---------------------------------------------------------------------------------------------------
// Import
// ---------------------------------------------------------------------------------------------------

export const IMPORT_COLUMNS = [
  'unit_code',
  'as_of',
  'participants',
  'population',
  'plan',
  'plan_year',
  'plan_decision',
  'voluntary_si',
  'source',
  'note',
  'old_code',
] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
const REQUIRED: readonly ImportColumn[] = ['unit_code', 'as_of'];

/** Headers accepted for each column, folded (no diacritics, lower case): Vietnamese, English, canonical. */
const ALIASES: Record<ImportColumn, string[]> = {
  unit_code: ['ma don vi', 'ma dv', 'ma', 'unit code', 'unit', 'ma xa', 'ma tinh'],
  as_of: ['ngay', 'date', 'as of', 'ngay bao cao', 'den ngay', 'tinh den ngay', 'ngay so lieu'],
  participants: ['so nguoi tham gia', 'nguoi tham gia', 'so nguoi tham gia bhyt', 'tham gia bhyt', 'so nguoi'],
  population: ['dan so'],
  plan: ['chi tieu', 'ke hoach', 'chi tieu ke hoach', 'chi tieu giao'],
  plan_year: ['nam ke hoach', 'nam', 'plan year', 'year'],
  plan_decision: ['so quyet dinh', 'quyet dinh', 'so qd', 'decision'],
  voluntary_si: ['bhxh tu nguyen', 'so nguoi tham gia bhxh tu nguyen', 'tham gia bhxh tu nguyen', 'voluntary si'],
  source: ['nguon', 'nguon so lieu'],
  note: ['ghi chu'],
  old_code: ['ma xa cu', 'ma cu', 'old code', 'old commune code', 'ma don vi cu'],
};

const HEADER_INDEX: ReadonlyMap<string, ImportColumn> = new Map(
  IMPORT_COLUMNS.flatMap((c) => [[c, c] as const, [c.replace(/_/g, ' '), c] as const, ...ALIASES[c].map((a) => [a, c] as const)]),
);

/** What a file header cell means: one of the columns, a participant group code (GD, HS, ...), or nothing. */
export function columnOfHeader(header: string): { column: ImportColumn } | { group: string } | undefined {
  const folded = foldVietnamese(header.normalize('NFC')).replace(/[_:]+/g, ' ').replace(/\s+/g, ' ').trim();
  const column = HEADER_INDEX.get(folded);
  if (column) return { column };
  const code = header.trim().toUpperCase();
  if (code && isKnown(code)) return { group: code };
  return undefined;
}

/** The file column of a figure field (for errors on old-commune rows). */
const COLUMN_OF_FIELD: Record<string, string> = { voluntarySi: 'voluntary_si', planYear: 'plan_year', planDecision: 'plan_decision', participantsByGroup: 'participants' };

const TEXT_LIMITS: Partial<Record<ImportColumn, number>> = { plan_decision: 100, source: 200, note: 1000 };

/**
 * A head count from a cell: a whole number, or digits with '.', ',' or spaces between thousands
 * ('1.475.810', '1,475,810', '1 475 810'). '' -> undefined; anything else -> NaN.
 */
export function parseCount(value: CellValue | undefined): number | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return Number.isSafeInteger(value) && value >= 0 ? value : NaN;
  if (typeof value !== 'string') return NaN;
  const text = value.normalize('NFKC').trim().replace(/[\s\u00a0]/g, '');
  if (text === '') return undefined;
  if (/^\d+$/.test(text)) return Number(text);
  if (/^\d{1,3}(\.\d{3})+$/.test(text) || /^\d{1,3}(,\d{3})+$/.test(text)) return Number(text.replace(/[.,]/g, ''));
  return NaN;
}

/** Unit code from a cell: a number or digits that lost leading zeros are padded ('15', 1 -> '01', 2905 -> '02905'). */
export function parseUnitCodeCell(value: CellValue | undefined): string {
  let text = typeof value === 'number' ? (Number.isSafeInteger(value) && value >= 0 ? String(value) : String(value)) : cellText(value).replace(/^'/, '');
  if (/^\d$/.test(text)) text = text.padStart(2, '0');
  else if (/^\d{3,4}$/.test(text)) text = text.padStart(5, '0');
  return text;
}

export interface FigureImportError {
  /** As the spreadsheet numbers it: the header is row 1. */
  row: number;
  column: string;
  value: string;
  message: string;
}

export interface FigureImportReport {
  rows: number;
  inserted: number;
  updated: number;
  rejected: number;
  errors: FigureImportError[];
  /** Headers that are neither a known column nor a participant group (ignored, e.g. 'STT', 'Tên đơn vị'). */
  ignoredColumns: string[];
  /** True when nothing was written (a dry run, or a file with errors: the import is all or nothing). */
  rolledBack: boolean;
}

export type FigureImportSource = string | { path: string; format?: 'csv' | 'xlsx' } | { stream: Readable; format: 'csv' | 'xlsx' };

function formatOf(source: FigureImportSource): 'csv' | 'xlsx' {
  if (typeof source !== 'string' && source.format) return source.format;
  const file = typeof source === 'string' ? source : (source as { path: string }).path;
  const ext = path.extname(file).toLowerCase();
  if (ext === '.xlsx') return 'xlsx';
  if (ext === '.csv' || ext === '.txt') return 'csv';
  throw new AppError('validation', {}, [{ path: 'file', key: 'import_format' }]);
}

const rowsOf = (source: FigureImportSource, format: 'csv' | 'xlsx') =>
  readRows(typeof source === 'string' ? source : 'path' in source ? source.path : source.stream, format);

interface ParsedRow {
  rowNo: number;
  unitCode: string;
  asOf: string;
  patch: FigurePatch;
  /** The 'Mã xã cũ' column: a pre-2025 commune (with unitCode: the new commune of its apportioned part). */
  oldCode?: string;
  /** A pre-2025 commune (old code column, or an old code in the unit column): the figure counts towards its new commune. */
  old?: OldCommune;
}

class Rollback extends Error {}

const MAX_ROWS = 200_000;

/**
 * Imports reported figures from a .xlsx (first sheet) or .csv file: one row per unit and date, columns
 * 'Mã đơn vị', 'Ngày', 'Số người tham gia', 'Dân số', 'Chỉ tiêu', 'Số quyết định', ... (or unit_code, as_of,
 * participants, population, plan, plan_decision, plan_year, voluntary_si, source, note) and one column per
 * participant group code ('GD', 'HS', ...). A blank cell keeps what is stored. All or nothing: one bad row
 * and nothing is written; the report names each bad cell. Every written row is audited.
 */
export async function importFigures(
  db: Kysely<DB>,
  actor: Actor,
  source: FigureImportSource,
  options: { dryRun?: boolean; language?: Language } = {},
): Promise<FigureImportReport> {
  requirePermission(actor, FIGURES_WRITE);
  const format = formatOf(source);
  const t = translator(options.language ?? actor.language);
  const report: FigureImportReport = { rows: 0, inserted: 0, updated: 0, rejected: 0, errors: [], ignoredColumns: [], rolledBack: false };
  const rejected = new Set<number>();
  const addError = (row: number, column: string, value: unknown, key: string, params: Record<string, unknown> = {}) => {
    rejected.add(row);
    if (report.errors.length < 10_000)
      report.errors.push({ row, column, value: value === null || value === undefined ? '' : cellText(value as CellValue), message: t(`coverage:import.${key}`, { ...params, defaultValue: key }) });
  };

  // 1. read and check each row on its own
  let header: { columns: (ImportColumn | undefined)[]; groups: (string | undefined)[] } | undefined;
  const parsed: ParsedRow[] = [];
  let rowNo = 1;
  for await (const cells of rowsOf(source, format)) {
    if (!header) {
      const columns: (ImportColumn | undefined)[] = [];
      const groups: (string | undefined)[] = [];
      const seen = new Set<string>();
      cells.forEach((cell, i) => {
        const h = cellText(cell);
        const meaning = h ? columnOfHeader(h) : undefined;
        const key = meaning ? ('column' in meaning ? meaning.column : `group:${meaning.group}`) : undefined;
        if (!meaning || seen.has(key!)) {
          if (h) report.ignoredColumns.push(h);
          return;
        }
        seen.add(key!);
        if ('column' in meaning) columns[i] = meaning.column;
        else groups[i] = meaning.group;
      });
      const missing = REQUIRED.filter((c) => !columns.includes(c));
      if (missing.length) throw new AppError('validation', {}, missing.map((c) => ({ path: c, key: 'import_missing_column', params: { column: c } })));
      header = { columns, groups };
      continue;
    }
    rowNo++;
    report.rows++;
    if (report.rows > MAX_ROWS) throw new AppError('validation', {}, [{ path: 'file', key: 'too_big', params: { maximum: `${MAX_ROWS} rows` } }]);
    const cell: Partial<Record<ImportColumn, CellValue>> = {};
    header.columns.forEach((c, i) => {
      if (c) cell[c] = cells[i] ?? null;
    });
    const unitCode = parseUnitCodeCell(cell.unit_code);
    const oldCode = parseUnitCodeCell(cell.old_code);
    if (!unitCode && !oldCode) addError(rowNo, 'unit_code', cell.unit_code, 'required');
    const asOf = typeof cell.as_of === 'boolean' ? undefined : parseDate(cell.as_of ?? null);
    if (cellText(cell.as_of) === '') addError(rowNo, 'as_of', cell.as_of, 'required');
    else if (!asOf) addError(rowNo, 'as_of', cell.as_of, 'invalid_date');
    const patch: FigurePatch = {};
    for (const c of ['participants', 'population', 'plan', 'voluntary_si'] as const) {
      const n = parseCount(cell[c]);
      if (n === undefined) continue;
      if (Number.isNaN(n) || n > 1_000_000_000) addError(rowNo, c, cell[c], 'not_a_count');
      else patch[c === 'voluntary_si' ? 'voluntarySi' : c] = n;
    }
    const year = parseCount(cell.plan_year);
    if (year !== undefined) {
      if (Number.isNaN(year) || year < 2000 || year > 2100) addError(rowNo, 'plan_year', cell.plan_year, 'invalid_year');
      else patch.planYear = year;
    }
    for (const c of ['plan_decision', 'source', 'note'] as const) {
      const text = cellText(cell[c]);
      if (text === '') continue;
      if (text.length > TEXT_LIMITS[c]!) addError(rowNo, c, text, 'too_long', { max: TEXT_LIMITS[c] });
      else patch[c === 'plan_decision' ? 'planDecision' : c] = text;
    }
    const groups: Record<string, number> = {};
    header.groups.forEach((g, i) => {
      if (!g) return;
      const n = parseCount(cells[i] ?? null);
      if (n === undefined) return;
      if (Number.isNaN(n) || n > 1_000_000_000) addError(rowNo, g, cells[i], 'not_a_count');
      else groups[g] = n;
    });
    if (Object.keys(groups).length) patch.participantsByGroup = groups;
    if (!rejected.has(rowNo) && Object.keys(patch).length === 0) addError(rowNo, 'participants', '', 'no_figures');
    if ((unitCode || oldCode) && asOf) parsed.push({ rowNo, unitCode, asOf, patch, ...(oldCode ? { oldCode } : {}) });
  }
  if (!header || report.rows === 0) throw new AppError('validation', {}, [{ path: 'file', key: 'import_empty' }]);

  // 2. units (a code that is no unit may be a pre-2025 commune's), scope, duplicates within the file
  const units = new Map((await repo.findUnits(db, [...new Set(parsed.map((p) => p.unitCode))])).map((u) => [u.code, u]));
  const oldMapping = new Map<string, { oldCode: string; oldName: string; newCode: string; newName: string }[]>();
  for (const m of await repo.mappingOfOld(db, [...new Set(parsed.flatMap((p) => (p.oldCode ? [p.oldCode] : units.has(p.unitCode) ? [] : [p.unitCode])))]))
    oldMapping.set(m.oldCode, [...(oldMapping.get(m.oldCode) ?? []), m]);
  for (const u of await repo.findUnits(db, [...new Set([...oldMapping.values()].flat().map((m) => m.newCode))])) units.set(u.code, u);
  const parents = [...new Set([...units.values()].map((u) => u.parentCode).filter((c): c is string => c !== null && !units.has(c)))];
  for (const u of await repo.findUnits(db, parents)) units.set(u.code, u);
  const grandparents = [...new Set([...units.values()].map((u) => u.parentCode).filter((c): c is string => c !== null && !units.has(c)))];
  for (const u of await repo.findUnits(db, grandparents)) units.set(u.code, u);
  const lineage = (code: string) => {
    const out: string[] = [];
    for (let u = units.get(code); u; u = u.parentCode ? units.get(u.parentCode) : undefined) out.push(u.code);
    return out;
  };
  const firstRow = new Map<string, number>();
  const good: ParsedRow[] = [];
  for (const p of parsed) {
    const candidates = p.oldCode ? (oldMapping.get(p.oldCode) ?? []) : units.has(p.unitCode) ? undefined : oldMapping.get(p.unitCode);
    const oldColumn = p.oldCode ? 'old_code' : 'unit_code';
    if (p.oldCode && candidates!.length === 0) {
      addError(p.rowNo, 'old_code', p.oldCode, 'unknown_old_code');
      continue;
    }
    if (p.oldCode && p.unitCode && !candidates!.some((c) => c.newCode === p.unitCode)) {
      addError(p.rowNo, 'unit_code', p.unitCode, 'old_code_not_in', { candidates: candidatesText(candidates!) });
      continue;
    }
    if (candidates && candidates.length > 1 && !(p.oldCode && p.unitCode)) {
      addError(p.rowNo, oldColumn, p.oldCode ?? p.unitCode, 'old_code_split', { candidates: candidatesText(candidates) });
      continue;
    }
    if (candidates) {
      p.old = { oldCode: p.oldCode ?? p.unitCode, oldName: candidates[0].oldName, unitCode: p.oldCode && p.unitCode ? p.unitCode : candidates[0].newCode };
      const refused = notForOldCommunes(p.patch as Record<string, unknown>);
      if (refused.length) {
        for (const f of refused) addError(p.rowNo, COLUMN_OF_FIELD[f.path] ?? f.path, '', 'old_code_figures_only');
        continue;
      }
    }
    const target = p.old?.unitCode ?? p.unitCode;
    const unit = units.get(target);
    const l = lineage(target);
    if (!unit || (unit.level === 'village' && !inScope(actor, l))) {
      addError(p.rowNo, 'unit_code', p.unitCode, 'unknown_unit');
      continue;
    }
    if (!inScope(actor, l)) {
      addError(p.rowNo, 'unit_code', p.unitCode, 'out_of_scope');
      continue;
    }
    const key = `${target}|${p.old?.oldCode ?? ''}|${p.asOf}`;
    const first = firstRow.get(key);
    if (first !== undefined) {
      addError(p.rowNo, 'as_of', p.asOf, 'duplicate_in_file', { row: first });
      continue;
    }
    firstRow.set(key, p.rowNo);
    if (!rejected.has(p.rowNo)) good.push(p);
  }

  // 3. write, all or nothing
  try {
    await db.transaction().execute(async (trx) => {
      for (const p of good) {
        if (p.old) {
          const { before, errors } = await storeOldFigure(trx, actor, p.old, p.asOf, p.patch, 'import');
          if (errors.length) addError(p.rowNo, 'participants', '', 'no_figures');
          else if (before) report.updated++;
          else report.inserted++;
          continue;
        }
        const before = await repo.findFigure(trx, p.unitCode, p.asOf);
        const { values, errors } = mergeFigures(before ? valuesOf(before) : undefined, p.patch, p.asOf);
        if (errors.length) {
          for (const e of errors) addError(p.rowNo, e.path === 'plan' ? 'plan' : 'participants', '', e.key === 'figures_empty' ? 'no_figures' : e.key);
          continue;
        }
        if (rejected.size === 0) await storeFigure(trx, actor, p.unitCode, p.asOf, before, values, 'import');
        if (before) report.updated++;
        else report.inserted++;
      }
      if (rejected.size > 0 || options.dryRun) throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
    report.rolledBack = true;
  }
  report.rejected = rejected.size;
  if (rejected.size > 0) {
    report.inserted = 0;
    report.updated = 0;
  }
  report.errors.sort((a, b) => a.row - b.row);
  return report;
}
