/**
 * Coverage of a unit on a date: participants against population and plan, year over year, by group, and
 * the cards about to expire; for the unit and each unit below it. Figures come from the person-level
 * register where a unit has one, and from the reported figures where it has not; both are returned, each
 * number says where it came from, and where both exist their difference is given.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { can, inScope, type Actor } from '../../domain/access';
import { addDays } from '../../domain/calendar';
import {
  cheapestWayToClose,
  coverageMeasures,
  gapToTarget,
  percentOf,
  observedRenewalRate,
  projectCoverage,
  RENEWAL_WINDOW_DAYS,
  staleReportedFields,
  usableYearAgo,
  type CoverageTarget,
  type StaleField,
} from '../../domain/coverage';
import { loadRules } from '../premium/premium.service';
import { isIsoDate } from '../../domain/dates';
import { compareVietnamese } from '../../domain/text';
import { AppError, notFound } from '../../errors';
import { childCodes, childUnits, lineageOf, type Unit } from '../units/units.service';
import { latestFiguresOf, listTargets, oneYearBefore, yearAgoFiguresOf, type FigureSnapshot } from './figures.service';
import * as repo from './coverage.repository';

/** The target when a unit has none for the year: the 2026 national instruction (95%). */
export const DEFAULT_TARGET_PERCENT = 95;
/** The share of the reported population a register must hold to give a unit's headline figures. */
export const REGISTER_SHARE = 0.8;

export type Source = 'register' | 'reported';

export interface UnitCoverage {
  unit: string;
  name: string;
  level: Unit['level'];
  kind: string;
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
  /** Where each headline number comes from. */
  sources: { population: Source | null; participants: Source | null; plan: Source | null };
  register: { population: number; participants: number; participantsYearAgo: number; expiring30: number; neverInsured: number } | null;
  reported:
    | (FigureSnapshot & {
        participantsYearAgo: number | null;
        /** The day the year-ago count is from (null: none usable, e.g. the same figure as now). */
        yearAgoAsOf: string | null;
        yearAgoFromOldCommunes: FigureSnapshot['fromOldCommunes'] | null;
        /** The figures too old for the date asked (a count a year old or more, a plan of an earlier year). */
        staleFields: StaleField[];
      })
    | null;
  /** register minus reported, where both exist. */
  difference: { participants: number | null; population: number | null } | null;
  /** A headline number comes from a reported figure too old for the date (see reported.staleFields). */
  stale: boolean;
}

export interface CoverageReport extends UnitCoverage {
  children: UnitCoverage[];
}

function requireDate(date: string) {
  if (!isIsoDate(date)) throw new AppError('validation', {}, [{ path: 'date', key: 'iso_date' }]);
}

async function requireUnitInScope(db: Kysely<DB>, actor: Actor, code: string) {
  if (!can(actor, 'units:read')) throw new AppError('forbidden');
  const found = await lineageOf(db, code);
  if (!found) throw notFound('unit', code);
  if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code });
  return found.unit;
}

/** Register counts for units of one level, on the date and a year earlier (one query). */
async function registerOf(db: Kysely<DB>, level: 'commune' | 'village', codes: string[], date: string) {
  const [now, yearAgo] = await repo.registerCountsOn(db, level, codes, [date, oneYearBefore(date)]);
  const ago = new Map(yearAgo.map((r) => [r.unitCode, r.participants]));
  return new Map(
    now.map(({ unitCode, byGroup, ...r }) => [unitCode, { block: { ...r, participantsYearAgo: ago.get(unitCode) ?? 0 }, byGroup: byGroup ?? {} }]),
  );
}

type RegisterBlock = NonNullable<UnitCoverage['register']>;

function sumGroups(all: Record<string, number>[]): Record<string, number> {
  const total: Record<string, number> = {};
  for (const groups of all) for (const [g, n] of Object.entries(groups)) total[g] = (total[g] ?? 0) + n;
  return Object.fromEntries(Object.entries(total).sort(([a], [b]) => a.localeCompare(b)));
}

function sumRegister(blocks: (RegisterBlock | undefined)[]): RegisterBlock | null {
  const present = blocks.filter((b): b is RegisterBlock => !!b);
  if (present.length === 0) return null;
  const total = { population: 0, participants: 0, participantsYearAgo: 0, expiring30: 0, neverInsured: 0 };
  for (const b of present) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += b[k];
  return total;
}

function combine(unit: Unit, date: string, register: RegisterBlock | null, reported: FigureSnapshot | undefined, reportedYearAgo: FigureSnapshot | undefined, byGroup: Record<string, number>): UnitCoverage {
  // A unit "has a register" when its register holds at least REGISTER_SHARE of the population it reports
  // (or it reports none): a register of a few villages does not stand for a whole province.
  const hasRegister =
    !!register && register.population > 0 && !(reported?.population && register.population < REGISTER_SHARE * reported.population);
  // a year-ago count that is the current one (a figure never updated) or itself years old gives no change
  const yearAgoUsable =
    reportedYearAgo?.participants != null &&
    usableYearAgo({ date, current: reported?.dates.participants, yearAgo: reportedYearAgo.dates.participants ?? reportedYearAgo.asOf });
  const rep = reported
    ? {
        ...reported,
        participantsYearAgo: yearAgoUsable ? reportedYearAgo!.participants : null,
        yearAgoAsOf: yearAgoUsable ? (reportedYearAgo!.dates.participants ?? reportedYearAgo!.asOf) : null,
        yearAgoFromOldCommunes: yearAgoUsable ? (reportedYearAgo!.fromOldCommunes ?? null) : null,
        staleFields: staleReportedFields({ date, dates: reported.dates, planYear: reported.planYear }),
      }
    : null;
  const participants = hasRegister ? register!.participants : (rep?.participants ?? null);
  const population = hasRegister ? register!.population : (rep?.population ?? null);
  const plan = rep?.plan ?? null;
  const yearAgo = hasRegister ? register!.participantsYearAgo : (rep?.participantsYearAgo ?? null);
  const m = participants === null ? { pctPlan: null, pctPopulation: null, yoyChange: null } : coverageMeasures({ participants, population, plan, participantsYearAgo: yearAgo });
  return {
    unit: unit.code,
    name: unit.name,
    level: unit.level,
    kind: unit.kind,
    date,
    population,
    participants,
    plan,
    pctPlan: m.pctPlan,
    pctPopulation: m.pctPopulation,
    yoyChange: m.yoyChange,
    byGroup: hasRegister ? byGroup : (rep?.participantsByGroup ?? {}),
    expiring30: hasRegister ? register!.expiring30 : null,
    neverInsured: hasRegister ? register!.neverInsured : null,
    sources: {
      population: population === null ? null : hasRegister ? 'register' : 'reported',
      participants: participants === null ? null : hasRegister ? 'register' : 'reported',
      plan: plan === null ? null : 'reported',
    },
    register: register && register.population > 0 ? register : null,
    reported: rep,
    difference:
      register && register.population > 0 && rep
        ? {
            participants: rep.participants === null ? null : register!.participants - rep.participants,
            population: rep.population === null ? null : register!.population - rep.population,
          }
        : null,
    stale:
      !!rep &&
      rep.staleFields.some((f) => (f === 'plan' ? plan !== null : (f === 'participants' ? participants : population) !== null && !hasRegister)),
  };
}

/** GET /api/coverage/UNIT?date=: the unit and each unit directly below it. */
export async function coverageOf(db: Kysely<DB>, actor: Actor, unitCode: string, date: string): Promise<CoverageReport> {
  requireDate(date);
  const unit = await requireUnitInScope(db, actor, unitCode);
  const children = unit.level === 'village' ? [] : (await childUnits(db, unit.code)).sort((a, b) => compareVietnamese(a.name, b.name));
  // a province's and an office's figures are the sum of their communes'
  const aggregate = unit.level === 'province' || unit.level === 'office';
  const childLevel = aggregate ? 'commune' : 'village';
  const childRegister: Awaited<ReturnType<typeof registerOf>> = children.length ? await registerOf(db, childLevel, children.map((c) => c.code), date) : new Map();
  const own =
    aggregate
      ? { block: sumRegister([...childRegister.values()].map((c) => c.block)), byGroup: sumGroups([...childRegister.values()].map((c) => c.byGroup)) }
      : ((await registerOf(db, unit.level === 'commune' ? 'commune' : 'village', [unit.code], date)).get(unit.code) ?? { block: null, byGroup: {} });
  const codes = [unit.code, ...children.map((c) => c.code)];
  const [reported, reportedYearAgo] = await Promise.all([latestFiguresOf(db, codes, date), yearAgoFiguresOf(db, codes, date)]);
  return {
    ...combine(unit, date, own.block, reported.get(unit.code), reportedYearAgo.get(unit.code), own.byGroup),
    children: children.map((c) => {
      const r = childRegister.get(c.code);
      return combine(c, date, r?.block ?? null, reported.get(c.code), reportedYearAgo.get(c.code), r?.byGroup ?? {});
    }),
  };
}

/** Persons to visit: uncovered on the date, or with coverage ending within `days`, village by village. */
export async function actionList(
  db: Kysely<DB>,
  actor: Actor,
  query: { unit: string; date: string; kind: 'uncovered' | 'expiring'; days?: number; limit?: number; offset?: number },
) {
  requireDate(query.date);
  const unit = await requireUnitInScope(db, actor, query.unit);
  const communeCodes =
    unit.level === 'province' || unit.level === 'office'
      ? await childCodes(db, unit.code)
      : unit.level === 'commune'
        ? [unit.code]
        : [unit.parentCode!];
  return repo.actionList(db, {
    communeCodes,
    villageCode: unit.level === 'village' ? unit.code : undefined,
    kind: query.kind,
    date: query.date,
    // not covered the day after the window: the coverage ends within it
    until: addDays(query.date, (query.days ?? 30) + 1),
    limit: Math.min(Math.max(query.limit ?? 500, 1), 100_000),
    offset: Math.max(query.offset ?? 0, 0),
  });
}

export interface ProjectionQuery {
  unit: string;
  date: string;
  /** Default: 31 December of the date's year. */
  targetDate?: string;
  /** Overrides the unit's target for the year: percent of the population. */
  targetPercent?: number;
  /** Card period used to price the gap (default 12 months). */
  months?: number;
  newEnrolmentsPerMonth?: number;
}

const MAX_CANDIDATES = 200_000;

/**
 * Expected coverage at a future date from card expiries and the unit's observed renewal rate; the gap to
 * the target in persons; and the cheapest money it would take to close it, priced person by person with
 * the rules engine (people the state pays for in full are listed apart, to enrol through the state budget).
 */
export async function projection(db: Kysely<DB>, actor: Actor, query: ProjectionQuery) {
  requireDate(query.date);
  const targetDate = query.targetDate ?? `${query.date.slice(0, 4)}-12-31`;
  requireDate(targetDate);
  if (targetDate < query.date) throw new AppError('validation', {}, [{ path: 'targetDate', key: 'too_small', params: { minimum: query.date } }]);
  const unit = await requireUnitInScope(db, actor, query.unit);
  const where = repo.inUnit(unit.level, unit.code);
  const report = await coverageOf(db, actor, unit.code, query.date);
  const { covered, history, renewalRate, projected } = await expectedIn(db, unit, report, query.date, targetDate, query.newEnrolmentsPerMonth ?? 0);
  const population = report.population;

  const year = Number(targetDate.slice(0, 4));
  const stored = (await listTargets(db, actor, { unit: unit.code, year })).find((t) => t.unitCode === unit.code);
  const target: CoverageTarget =
    query.targetPercent !== undefined
      ? { kind: 'percent_population', value: query.targetPercent }
      : stored
        ? { kind: stored.kind as CoverageTarget['kind'], value: Number(stored.value) }
        : { kind: 'percent_population', value: DEFAULT_TARGET_PERCENT };
  if (population === null && target.kind === 'percent_population') throw new AppError('no_population', { unit: unit.code });
  const gap = gapToTarget({ target, population, expected: projected.expected });

  const candidates = await repo.uncoveredCandidates(db, where, query.date, MAX_CANDIDATES);
  const rules = await loadRules(db);
  const cost = cheapestWayToClose({
    gap: gap.gap,
    date: query.date,
    months: query.months ?? 12,
    rules,
    candidates: candidates.map((c) => ({ id: c.id, groups: c.groupCodes.length ? c.groupCodes : ['GD'], birthDate: c.birthDate, household: c.householdId, province: c.province })),
  });
  return {
    unit: unit.code,
    name: unit.name,
    date: query.date,
    targetDate,
    population,
    covered,
    renewal: { ...history, rate: renewalRate },
    projection: projected,
    target: { ...target, source: query.targetPercent !== undefined ? 'query' : stored ? 'unit_target' : 'default', ...gap },
    cost: {
      total: cost.total,
      persons: cost.fundedFirst.length,
      stateBudget: cost.stateBudget.length,
      unpriceable: cost.unpriceable.length,
      covered: cost.covered,
      shortfall: cost.shortfall,
      candidates: candidates.length,
      fundedFirst: cost.fundedFirst.slice(0, 1000),
      stateBudgetList: cost.stateBudget.slice(0, 1000),
    },
  };
}

/** Where a unit's register figures are read: a village, or its communes (a province's or an office's resolved). */
export async function registerScope(db: Kysely<DB>, unit: Pick<Unit, 'level' | 'code'>): Promise<repo.RegisterScope> {
  return unit.level === 'village' ? { village: unit.code } : { communes: unit.level === 'commune' ? [unit.code] : await childCodes(db, unit.code) };
}

/** The register's covered persons on `date`, the observed renewal rate and the expected participants on `targetDate` (projectCoverage). */
async function expectedIn(db: Kysely<DB>, unit: Unit, report: CoverageReport, date: string, targetDate: string, newEnrolmentsPerMonth: number) {
  const covered = report.register?.participants ?? 0;
  const scope = await registerScope(db, unit);
  const history = await repo.renewals(db, scope, oneYearBefore(date), addDays(date, -RENEWAL_WINDOW_DAYS), RENEWAL_WINDOW_DAYS);
  const renewalRate = observedRenewalRate(history);
  const expiringBy = await repo.coverageEnds(db, scope, date, targetDate);
  const projected = projectCoverage({ date, targetDate, covered, expiringBy, renewalRate, newEnrolmentsPerMonth });
  return { covered, history, renewalRate, projected };
}

/**
 * The projection of `projection` without the pricing of the gap: the register's participants expected on
 * `targetDate` from card expiries and the observed renewal rate (plans' goals, issue 21); `report` is the
 * unit's coverageOf on `date` when the caller has it. Null when the unit's participants are not the register's
 * (no register, or one holding too few of the reported population).
 */
export async function expectedParticipants(db: Kysely<DB>, actor: Actor, query: { unit: string; date: string; targetDate: string; report?: CoverageReport }) {
  requireDate(query.date);
  requireDate(query.targetDate);
  if (query.targetDate < query.date) throw new AppError('validation', {}, [{ path: 'targetDate', key: 'too_small', params: { minimum: query.date } }]);
  const unit = await requireUnitInScope(db, actor, query.unit);
  const report = query.report ?? (await coverageOf(db, actor, unit.code, query.date));
  if (report.sources.participants !== 'register') return null;
  const { covered, renewalRate, projected } = await expectedIn(db, unit, report, query.date, query.targetDate, 0);
  return { covered, renewalRate, expected: projected.expected, population: report.population };
}

/** The last day of each of the `months` months up to the month of `date`, oldest first. */
export function monthEnds(date: string, months: number): string[] {
  const out: string[] = [];
  const [y, m] = date.split('-').map(Number);
  for (let i = months - 1; i >= 0; i--) {
    const month = m - i; // may be <= 0: Date.UTC rolls back the year
    out.push(new Date(Date.UTC(y, month, 0)).toISOString().slice(0, 10));
  }
  return out;
}

/**
 * Monthly trend of participants from the register: each month end of the last `months` months, with the
 * same month a year earlier beside it (the kept aggregates answer both in one query each).
 */
export async function trend(db: Kysely<DB>, actor: Actor, query: { unit: string; date: string; months?: number }) {
  requireDate(query.date);
  const unit = await requireUnitInScope(db, actor, query.unit);
  const months = Math.min(Math.max(query.months ?? 12, 1), 36);
  const communes =
    unit.level === 'province' || unit.level === 'office'
      ? await childCodes(db, unit.code)
      : unit.level === 'commune'
        ? [unit.code]
        : [];
  const level = unit.level === 'village' ? 'village' : 'commune';
  const codes = unit.level === 'village' ? [unit.code] : communes;
  const days = monthEnds(query.date, months);
  const lastYear = monthEnds(oneYearBefore(query.date), months);
  const [now, before] = await Promise.all([repo.participantsOnDays(db, level, codes, days), repo.participantsOnDays(db, level, codes, lastYear)]);
  return {
    unit: unit.code,
    name: unit.name,
    points: days.map((day, i) => ({ month: day.slice(0, 7), date: day, participants: now.get(day) ?? 0, participantsYearAgo: before.get(lastYear[i]) ?? 0 })),
  };
}

/**
 * Units below their target or below a threshold, lowest first: the children of `unit` on `date`, with
 * their % of population (and of plan), and the persons still missing to reach the threshold.
 */
export async function lowCoverage(db: Kysely<DB>, actor: Actor, query: { unit: string; date: string; threshold?: number }) {
  const report = await coverageOf(db, actor, query.unit, query.date);
  const year = Number(query.date.slice(0, 4));
  const targets = new Map(
    (await listTargets(db, actor, { unit: query.unit, year })).filter((t) => t.kind === 'percent_population').map((t) => [t.unitCode, Number(t.value)]),
  );
  const threshold = query.threshold ?? DEFAULT_TARGET_PERCENT;
  return report.children
    .map((c) => {
      const target = targets.get(c.unit) ?? threshold;
      const missing = c.population !== null && c.participants !== null ? Math.max(0, Math.ceil((target * c.population) / 100) - c.participants) : null;
      return { unit: c.unit, name: c.name, population: c.population, participants: c.participants, pctPopulation: c.pctPopulation, pctPlan: c.pctPlan, target, missing };
    })
    .filter((c) => c.pctPopulation !== null && c.pctPopulation < c.target)
    .sort((a, b) => a.pctPopulation! - b.pctPopulation! || compareVietnamese(a.name, b.name));
}

/** The school year a date falls in: from 1 September (e.g. 2025-10-31 -> '2025-2026'). */
export function schoolYearOf(date: string): string {
  const year = Number(date.slice(0, 4));
  const start = date.slice(5) >= '09-01' ? year : year - 1;
  return `${start}-${start + 1}`;
}

/** Pupils per school against 100% coverage in the school year of `date`. */
export async function pupils(db: Kysely<DB>, actor: Actor, query: { unit: string; date: string }) {
  requireDate(query.date);
  const unit = await requireUnitInScope(db, actor, query.unit);
  const schools = await repo.pupilsBySchool(db, repo.inUnit(unit.level, unit.code), query.date);
  const total = schools.reduce((t, s) => ({ pupils: t.pupils + s.pupils, covered: t.covered + s.covered }), { pupils: 0, covered: 0 });
  return {
    unit: unit.code,
    name: unit.name,
    date: query.date,
    schoolYear: schoolYearOf(query.date),
    total: { ...total, pct: percentOf(total.covered, total.pupils), missing: total.pupils - total.covered },
    schools: schools.map((s) => ({ ...s, pct: percentOf(s.covered, s.pupils), missing: s.pupils - s.covered })),
  };
}
