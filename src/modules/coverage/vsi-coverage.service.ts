/**
 * Voluntary social insurance (BHXH tự nguyện, product 'bhxh-tn') on the coverage dashboard: for a unit
 * and each unit directly below it, the participants on a date, the new participants over a period (their
 * period starts in it and they had none the day before) and the year's plan where one is entered (a
 * coverage target of product 'bhxh-tn', kind 'participants', for the date's year), from the register's
 * periods (vsi_period). Scoped like the BHYT coverage: a unit outside the user's scope is refused.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { can, inScope, type Actor } from '../../domain/access';
import { observedRenewalRate, percentOf, projectCoverage, RENEWAL_WINDOW_DAYS } from '../../domain/coverage';
import { addDays } from '../../domain/calendar';
import { isIsoDate } from '../../domain/dates';
import { compareVietnamese } from '../../domain/text';
import { AppError, notFound } from '../../errors';
import { childUnits, lineageOf, type Unit } from '../units/units.service';
import { listTargets, oneYearBefore } from './figures.service';
import { registerScope } from './coverage.service';
import * as repo from './vsi-coverage.repository';
import { endedAndRenewed } from './coverage.repository';

export const VSI_PRODUCT = 'bhxh-tn';

export interface VsiUnitCoverage {
  unit: string;
  name: string;
  level: Unit['level'];
  participants: number;
  newParticipants: number;
  /** The year's plan of participants (a target of product 'bhxh-tn'); null when none is entered. */
  plan: number | null;
  pctPlan: number | null;
}

export interface VsiCoverageReport extends VsiUnitCoverage {
  product: typeof VSI_PRODUCT;
  date: string;
  from: string;
  to: string;
  children: VsiUnitCoverage[];
}

export interface VsiCoverageQuery {
  /** Default: today (the caller passes it). */
  date: string;
  /** The period of new participants: default 1 January of the date's year to the date. */
  from?: string;
  to?: string;
}

function requireDate(value: string, path: string) {
  if (typeof value !== 'string' || !isIsoDate(value)) throw new AppError('validation', {}, [{ path, key: 'iso_date' }]);
}

export async function vsiCoverageOf(db: Kysely<DB>, actor: Actor, unitCode: string, query: VsiCoverageQuery): Promise<VsiCoverageReport> {
  if (!can(actor, 'units:read')) throw new AppError('forbidden');
  const { date } = query;
  requireDate(date, 'date');
  const from = query.from ?? `${date.slice(0, 4)}-01-01`;
  const to = query.to ?? date;
  requireDate(from, 'from');
  requireDate(to, 'to');
  if (from > to) throw new AppError('validation', {}, [{ path: 'from', key: 'date_range', params: { ns: 'coverage' } }]);
  const found = await lineageOf(db, unitCode);
  if (!found) throw notFound('unit', unitCode);
  if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code: unitCode });
  const unit = found.unit;
  const children = unit.level === 'village' ? [] : (await childUnits(db, unit.code)).sort((a, b) => compareVietnamese(a.name, b.name));
  const aggregate = unit.level === 'province' || unit.level === 'office';
  const childCounts = new Map((await repo.vsiCounts(db, aggregate ? 'commune' : 'village', children.map((c) => c.code), date, from, to)).map((c) => [c.unitCode, c]));
  const own = aggregate
    ? [...childCounts.values()].reduce((a, c) => ({ unitCode: unit.code, participants: a.participants + c.participants, newParticipants: a.newParticipants + c.newParticipants }), {
        unitCode: unit.code,
        participants: 0,
        newParticipants: 0,
      })
    : (await repo.vsiCounts(db, unit.level === 'commune' ? 'commune' : 'village', [unit.code], date, from, to))[0];
  const plans = new Map(
    (await listTargets(db, actor, { unit: unit.code, year: Number(date.slice(0, 4)), product: VSI_PRODUCT }))
      .filter((t) => t.kind === 'participants')
      .map((t) => [t.unitCode, Number(t.value)]),
  );
  const view = (u: Unit, c: repo.VsiUnitCounts | undefined): VsiUnitCoverage => {
    const participants = c?.participants ?? 0;
    const plan = plans.get(u.code) ?? null;
    return { unit: u.code, name: u.name, level: u.level, participants, newParticipants: c?.newParticipants ?? 0, plan, pctPlan: percentOf(participants, plan) };
  };
  return { product: VSI_PRODUCT, date, from, to, ...view(unit, own), children: children.map((c) => view(c, childCounts.get(c.code))) };
}

/**
 * Voluntary social insurance participants expected on `targetDate` (plans' goals, issue 21), as the BHYT
 * projection does for cards: the persons in a period on `date` whose participation (back-to-back periods
 * joined) ends before `targetDate`, renewed at the rate observed over the past year (periods ended then
 * that were followed within 90 days by a later period of the same person); no new participants assumed.
 */
export async function expectedVsiParticipants(db: Kysely<DB>, actor: Actor, query: { unit: string; date: string; targetDate: string }) {
  requireDate(query.date, 'date');
  requireDate(query.targetDate, 'targetDate');
  if (query.targetDate < query.date) throw new AppError('validation', {}, [{ path: 'targetDate', key: 'too_small', params: { minimum: query.date } }]);
  const report = await vsiCoverageOf(db, actor, query.unit, { date: query.date });
  const scope = await registerScope(db, { level: report.level, code: report.unit });
  const history = await endedAndRenewed(db, 'vsi_period', scope, oneYearBefore(query.date), addDays(query.date, -RENEWAL_WINDOW_DAYS), RENEWAL_WINDOW_DAYS);
  const renewalRate = observedRenewalRate(history);
  const expiringBy = await repo.vsiEnds(db, scope, query.date, query.targetDate);
  const projected = projectCoverage({ date: query.date, targetDate: query.targetDate, covered: report.participants, expiringBy, renewalRate });
  return { covered: report.participants, renewal: { ...history, rate: renewalRate }, expected: projected.expected, projection: projected };
}

