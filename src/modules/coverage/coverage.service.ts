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
import { coverageMeasures } from '../../domain/coverage';
import { isIsoDate } from '../../domain/dates';
import { compareVietnamese } from '../../domain/text';
import { AppError, notFound } from '../../errors';
import { lineageOf, type Unit } from '../units/units.service';
import { latestFiguresOf, oneYearBefore, type FigureSnapshot } from './figures.service';
import * as repo from './coverage.repository';

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
  reported: (FigureSnapshot & { participantsYearAgo: number | null }) | null;
  /** register minus reported, where both exist. */
  difference: { participants: number | null; population: number | null } | null;
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

/** Register counts for units of one level, on the date and a year earlier. */
async function registerOf(db: Kysely<DB>, level: 'commune' | 'village', codes: string[], date: string) {
  const [now, yearAgo] = await Promise.all([
    repo.registerCounts(db, level, codes, date, addDays(date, 30)),
    repo.registerCounts(db, level, codes, oneYearBefore(date), addDays(oneYearBefore(date), 30)),
  ]);
  const ago = new Map(yearAgo.map((r) => [r.unitCode, r.participants]));
  return new Map(now.map((r) => [r.unitCode, { ...r, participantsYearAgo: ago.get(r.unitCode) ?? 0 }]));
}

type RegisterBlock = NonNullable<UnitCoverage['register']>;

function sumRegister(blocks: (RegisterBlock | undefined)[]): RegisterBlock | null {
  const present = blocks.filter((b): b is RegisterBlock => !!b);
  if (present.length === 0) return null;
  const total = { population: 0, participants: 0, participantsYearAgo: 0, expiring30: 0, neverInsured: 0 };
  for (const b of present) for (const k of Object.keys(total) as (keyof typeof total)[]) total[k] += b[k];
  return total;
}

function combine(unit: Unit, date: string, register: RegisterBlock | null, reported: FigureSnapshot | undefined, reportedYearAgo: FigureSnapshot | undefined, byGroup: Record<string, number>): UnitCoverage {
  const hasRegister = !!register && register.population > 0;
  const rep = reported ? { ...reported, participantsYearAgo: reportedYearAgo?.participants ?? null } : null;
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
    register: hasRegister ? register : null,
    reported: rep,
    difference:
      hasRegister && rep
        ? {
            participants: rep.participants === null ? null : register!.participants - rep.participants,
            population: rep.population === null ? null : register!.population - rep.population,
          }
        : null,
  };
}

/** GET /api/coverage/UNIT?date=: the unit and each unit directly below it. */
export async function coverageOf(db: Kysely<DB>, actor: Actor, unitCode: string, date: string): Promise<CoverageReport> {
  requireDate(date);
  const unit = await requireUnitInScope(db, actor, unitCode);
  const children = unit.level === 'village' ? [] : (await db.selectFrom('unit').select(['code', 'name', 'level', 'kind', 'parentCode', 'localCode']).where('parentCode', '=', unit.code).execute()).sort((a, b) => compareVietnamese(a.name, b.name));
  const childLevel = unit.level === 'province' ? 'commune' : 'village';
  const childRegister = children.length ? await registerOf(db, childLevel, children.map((c) => c.code), date) : new Map();
  const ownRegister =
    unit.level === 'province'
      ? sumRegister([...childRegister.values()])
      : ((await registerOf(db, unit.level === 'commune' ? 'commune' : 'village', [unit.code], date)).get(unit.code) ?? null);
  const codes = [unit.code, ...children.map((c) => c.code)];
  const [reported, reportedYearAgo] = await Promise.all([latestFiguresOf(db, codes, date), latestFiguresOf(db, codes, oneYearBefore(date))]);
  const byGroup = ownRegister ? await repo.participantsByGroup(db, unit.level, unit.code, date) : {};
  const own = combine(unit, date, ownRegister, reported.get(unit.code), reportedYearAgo.get(unit.code), byGroup);
  return {
    ...own,
    children: children.map((c) => combine(c, date, childRegister.get(c.code) ?? null, reported.get(c.code), reportedYearAgo.get(c.code), {})),
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
    unit.level === 'province'
      ? (await db.selectFrom('unit').select('code').where('parentCode', '=', unit.code).execute()).map((u) => u.code)
      : unit.level === 'commune'
        ? [unit.code]
        : [unit.parentCode!];
  return repo.actionList(db, {
    communeCodes,
    villageCode: unit.level === 'village' ? unit.code : undefined,
    kind: query.kind,
    date: query.date,
    until: addDays(query.date, query.days ?? 30),
    limit: Math.min(Math.max(query.limit ?? 500, 1), 100_000),
    offset: Math.max(query.offset ?? 0, 0),
  });
}
