/**
 * The local support simulator (issue 21 item 5): what a provincial top-up of the BHYT premium for a group
 * (elderly 60-79 not state-paid, near-poor, ethnic minorities, pupils, households of chosen communes) would
 * cost and buy, from the register (counted in the database, repository) and the rules engine (pure,
 * src/domain/support-simulation.ts). Scenarios are saved (up to 3 per unit, compared side by side);
 * adopting one makes a draft local-support rule, which an administrator approves with the decision's
 * number and the date it applies from (src/modules/premium: from then on quotes, door-to-door lists and
 * allocations price with it). Who may: simulating and reading, users whose scope holds the unit; saving
 * and adopting, users who may write units there; approving, rules administrators. Audited.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { can, inScope, requirePermission, type Actor } from '../../domain/access';
import { addDays, addMonths, addYears, earlierOf, monthsBetween } from '../../domain/calendar';
import { formatVnd, vnd } from '../../domain/money';
import { formatDecimalIn } from '../../domain/numbers';
import { ethnicMinorityGroupCodes, groupOn, householdFactorsOn, isFullyStateFunded, stateShareOn, type LocalPolicy, type RuleSet } from '../../domain/premium-rules';
import { scenarioPolicy, simulateSupport, SimulationError, type Scenario, type SimulatorGroup } from '../../domain/support-simulation';
import { AppError, notFound, type FieldError } from '../../errors';
import { translator, type Language } from '../../i18n/index';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { addDraftLocalPolicy, approveLocalPolicy, editDraftLocalPolicy, findRule, loadRules } from '../premium/premium.service';
import { lineageOf } from '../units/units.service';
import * as repo from './simulator.repository';
import { approveRuleInput, editRuleInput, saveScenarioInput, simulateInput, type ApproveRuleInput, type EditRuleInput, type SaveScenarioInput, type SimulateInput } from './simulator.schemas';

/** Saved scenarios per unit: the comparison shows them side by side. */
export const MAX_SCENARIOS = 3;

const field = (path: string, key: string, params: Record<string, unknown> = {}): FieldError => ({ path, key, params: { ...params, ns: 'simulator' } });
const invalid = (...fields: FieldError[]) => new AppError('validation', {}, fields);

interface UnitContext {
  code: string;
  name: string;
  level: string;
  province: string;
  communes: { code: string; name: string }[];
}

/** The unit (a province or commune in the actor's scope) with its province and communes. */
async function unitFor(db: Kysely<DB>, actor: Actor, unitCode: string): Promise<UnitContext> {
  const found = await lineageOf(db, unitCode);
  if (!found || (found.unit.level !== 'province' && found.unit.level !== 'commune')) throw invalid(field('unitCode', 'unit_not_province_or_commune', { code: unitCode }));
  if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope');
  const province = found.unit.level === 'province' ? found.unit.code : found.ancestors.find((a) => a.level === 'province')?.code;
  if (!province) throw invalid(field('unitCode', 'unit_not_province_or_commune', { code: unitCode }));
  return { code: found.unit.code, name: found.unit.name, level: found.unit.level, province, communes: await repo.communesOf(db, found.unit.code) };
}

/** The checked input as a scenario. */
function scenarioOf(data: ReturnType<typeof simulateInput.parse>, unit: UnitContext): Scenario {
  if ((data.topUpPct === undefined) === (data.topUpAmount === undefined)) throw invalid(field('topUpPct', 'top_up_one_of'));
  if (data.topUpPct !== undefined && data.topUpPct > 100) throw invalid(field('topUpPct', 'top_up_over_100', { value: data.topUpPct }));
  let communes: string[] = [];
  if (data.group === 'communes') {
    communes = [...new Set(data.communes ?? [])];
    if (communes.length === 0) throw invalid(field('communes', 'communes_required'));
    const known = new Set(unit.communes.map((c) => c.code));
    const bad = communes.findIndex((c) => !known.has(c));
    if (bad >= 0) throw invalid(field(`communes.${bad}`, 'unknown_commune', { code: communes[bad], unit: unit.name }));
  }
  return {
    group: data.group,
    topUp: data.topUpPct !== undefined ? { kind: 'pct', basisPoints: Math.round(data.topUpPct * 100) } : { kind: 'amount', amountPerYear: vnd(data.topUpAmount!) },
    ...(communes.length ? { communes } : {}),
    from: data.from,
    months: data.months,
  };
}

/** Group codes the state pays in full on `date`, those with any state share, and those only ethnic minorities belong to. */
function stateCodes(rules: RuleSet, date: string) {
  // the child group (TE) is decided by age in the query, as the engine decides it by birth date
  const inForce = [...new Set(rules.groups.filter((g) => g.role !== 'child-under-6').map((g) => g.code))].filter((code) => groupOn(rules, code, date));
  return {
    fullCodes: inForce.filter((code) => isFullyStateFunded(rules, code, date)),
    supportedCodes: inForce.filter((code) => (stateShareOn(rules, code, date)?.basisPoints ?? 0) > 0),
    minorityCodes: ethnicMinorityGroupCodes(rules, date),
  };
}

/** Simulate with the unit already checked. */
async function run(db: Kysely<DB>, unit: UnitContext, data: ReturnType<typeof simulateInput.parse>, today: string, lang: Language) {
  const scenario = scenarioOf(data, unit);
  const rules = await loadRules(db);
  const factors = householdFactorsOn(rules, scenario.from);
  const observedOn = earlierOf(scenario.from, today);
  const { profiles, observed } = await repo.groupProfiles(db, {
    communes: unit.communes.map((c) => c.code),
    group: scenario.group,
    chosen: scenario.communes ?? [],
    from: scenario.from,
    observedOn,
    yearBefore: addYears(observedOn, -1),
    ...stateCodes(rules, scenario.from),
    maxOrder: factors?.factors.length ?? 5,
  });
  let result;
  try {
    result = simulateSupport(profiles, observed, scenario, { province: unit.province, rules, ...(data.takeUpPct !== undefined ? { takeUpPct: data.takeUpPct } : {}) });
  } catch (e) {
    if (e instanceof SimulationError) {
      const money = (k: string) => (typeof e.params[k] === 'number' ? formatVnd(e.params[k] as number) : e.params[k]);
      throw invalid(field(e.field, e.code, { ...e.params, premium: money('premium'), remainder: money('remainder'), topUp: money('topUp'), maxAmount: money('maxAmount'), maxPct: formatDecimalIn(e.params.maxPct as number, lang) }));
    }
    throw e;
  }
  const t = translator(lang);
  return {
    unitCode: unit.code,
    unitName: unit.name,
    province: unit.province,
    group: scenario.group,
    groupName: t(`simulator:groups.${scenario.group}`),
    topUpPct: scenario.topUp.kind === 'pct' ? scenario.topUp.basisPoints / 100 : null,
    topUpAmount: scenario.topUp.kind === 'amount' ? scenario.topUp.amountPerYear : null,
    communes: scenario.communes ? [...scenario.communes] : [],
    from: scenario.from,
    months: scenario.months,
    /** The period's last day (12 months from 01/01/2026: 31/12/2026). */
    to: addDays(addMonths(scenario.from, scenario.months), -1),
    ...result,
  };
}

export type SimulationView = Awaited<ReturnType<typeof run>>;

/** What a top-up for a group would cost and buy. Changes nothing. */
export async function simulate(db: Kysely<DB>, actor: Actor, input: SimulateInput, today: string, lang: Language): Promise<SimulationView> {
  requirePermission(actor, 'units:read');
  const data = parseInput(simulateInput, input);
  return run(db, await unitFor(db, actor, data.unitCode), data, today, lang);
}

const iso = (d: Date | string) => new Date(d).toISOString();

/** A local-support rule as the simulator shows it: status, dates, source, top-up, communes. */
function ruleView(rule: { id: string; status: 'draft' | 'approved'; decision: string | null }, entry: LocalPolicy) {
  return {
    id: rule.id,
    status: rule.status,
    decision: rule.decision,
    from: entry.from,
    to: entry.to ?? null,
    months: entry.to ? monthsBetween(entry.from, entry.to) : null,
    source: entry.source,
    topUpPct: entry.amountPerYear === undefined ? entry.basisPoints / 100 : null,
    topUpAmount: entry.amountPerYear ?? null,
    communes: entry.communes ? [...entry.communes] : null,
  };
}

async function scenarioViews(db: Kysely<DB>, actor: Actor, rows: repo.ScenarioRow[]) {
  const rules = await repo.rulesOfScenarios(db, rows.map((r) => r.id));
  const writable = can(actor, 'units:write');
  return rows.map((r) => {
    const rule = rules.find((x) => x.scenarioId === r.id);
    const entry = rule?.entry as LocalPolicy | undefined;
    return {
      id: r.id,
      name: r.name,
      unitCode: r.unitCode,
      input: r.input as SimulateInput,
      result: r.result as SimulationView,
      rule: rule && entry ? ruleView(rule, entry) : null,
      canAdopt: writable && !rule,
      createdBy: r.createdBy,
      createdAt: iso(r.createdAt),
    };
  });
}

export type ScenarioView = Awaited<ReturnType<typeof scenarioViews>>[number];

/** The saved scenarios of a unit, newest first (at most MAX_SCENARIOS). */
export async function listScenarios(db: Kysely<DB>, actor: Actor, unitCode: string): Promise<ScenarioView[]> {
  requirePermission(actor, 'units:read');
  const unit = await unitFor(db, actor, unitCode);
  return scenarioViews(db, actor, await repo.listScenarios(db, unit.code));
}

/** Simulate and keep the scenario with its figures; a unit keeps at most MAX_SCENARIOS. */
export async function saveScenario(db: Kysely<DB>, actor: Actor, input: SaveScenarioInput, today: string, lang: Language): Promise<ScenarioView> {
  requirePermission(actor, 'units:write');
  const { name, ...data } = parseInput(saveScenarioInput, input);
  const unit = await unitFor(db, actor, data.unitCode);
  const result = await run(db, unit, data, today, lang);
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    const saved = await repo.listScenarios(trx, unit.code);
    if (saved.length >= MAX_SCENARIOS) throw invalid(field('name', 'too_many_scenarios', { max: MAX_SCENARIOS }));
    await repo.insertScenario(trx, { id, unitCode: unit.code, name, input: data, result, createdBy: actor.username });
    await audit(trx, actor, { action: 'create', entity: 'support_scenario', entityId: id, unitCode: unit.code, after: { name, input: data, budgetCost: result.budgetCost, expectedNew: result.expectedNew } });
  });
  return (await scenarioViews(db, actor, [(await repo.findScenario(db, id))!]))[0];
}

async function visibleScenario(db: Kysely<DB>, actor: Actor, id: string): Promise<{ row: repo.ScenarioRow; unit: UnitContext }> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findScenario(db, id) : undefined;
  if (!row) throw notFound('scenario', id);
  const found = await lineageOf(db, row.unitCode);
  if (!found || !inScope(actor, found.lineage)) throw notFound('scenario', id);
  return { row, unit: await unitFor(db, actor, row.unitCode) };
}

export async function getScenario(db: Kysely<DB>, actor: Actor, id: string): Promise<ScenarioView> {
  requirePermission(actor, 'units:read');
  return (await scenarioViews(db, actor, [(await visibleScenario(db, actor, id)).row]))[0];
}

/** Delete a saved scenario (a rule made from it stays). */
export async function deleteScenario(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, 'units:write');
  const { row } = await visibleScenario(db, actor, id);
  await db.transaction().execute(async (trx) => {
    await repo.deleteScenario(trx, id);
    await audit(trx, actor, { action: 'delete', entity: 'support_scenario', entityId: id, unitCode: row.unitCode, before: { name: row.name, input: row.input } });
  });
}

/**
 * Adopt a scenario: a draft local-support rule of the unit's province (limited to the commune when the
 * scenario is a commune's), dated [from, from + months), priced by nothing until approved.
 */
export async function adoptScenario(db: Kysely<DB>, actor: Actor, id: string, lang: Language): Promise<ScenarioView> {
  requirePermission(actor, 'units:write');
  const { row, unit } = await visibleScenario(db, actor, id);
  if (row.ruleId) throw new AppError('conflict', { entity: 'scenario', id });
  const data = parseInput(simulateInput, row.input);
  const scenario = scenarioOf(data, unit);
  const t = translator(lang);
  const vi = translator('vi');
  const en = translator('en');
  const describe = (tr: typeof t) =>
    tr('simulator:rule_name', {
      group: tr(`simulator:groups.${scenario.group}`),
      topUp: scenario.topUp.kind === 'pct' ? `${scenario.topUp.basisPoints / 100}%` : `${scenario.topUp.amountPerYear.toLocaleString('vi-VN')} ₫`,
      unit: unit.name,
    });
  const policy = scenarioPolicy(scenario, {
    id: `local-${unit.province}-${scenario.from}-sim-${randomUUID().slice(0, 8)}`,
    province: unit.province,
    nameVi: describe(vi),
    nameEn: describe(en),
    source: t('simulator:draft_source', { name: row.name }),
  });
  // a commune's scenario counted that commune's persons only: its rule is limited to it
  const entry: LocalPolicy =
    unit.level === 'commune' ? { ...policy, communes: policy.communes ? policy.communes.filter((c) => c === unit.code) : [unit.code] } : policy;
  await db.transaction().execute(async (trx) => {
    await addDraftLocalPolicy(trx, actor, entry, unit.code);
    await repo.setScenarioRule(trx, id, entry.id);
    await audit(trx, actor, { action: 'update', entity: 'support_scenario', entityId: id, unitCode: unit.code, after: { adopted: entry.id } });
  });
  return getScenario(db, actor, id);
}

/** Approve an adopted scenario's draft rule: the decision's number becomes its source; it applies from `from`. */
export async function approveRule(db: Kysely<DB>, actor: Actor, ruleId: string, input: ApproveRuleInput) {
  const data = parseInput(approveRuleInput, input);
  const entry = await approveLocalPolicy(db, actor, ruleId, data);
  const row = await findRule(db, ruleId);
  return ruleView({ id: entry.id, status: row!.status, decision: row!.decision }, entry);
}

/**
 * Edit an adopted scenario's draft rule before its approval: the top-up, the first day and months, the
 * communes, the source. Who may adopt the scenario may edit its draft. The new top-up and dates are
 * simulated on the scenario's unit first, so a top-up over 100% or one that would leave someone paying
 * below zero is refused as when simulating; communes must be the unit's. An approved rule is never
 * changed (invalid_transition, with its decision). Audited (premium_rule, before and after).
 */
export async function editRule(db: Kysely<DB>, actor: Actor, ruleId: string, input: EditRuleInput, today: string, lang: Language) {
  requirePermission(actor, 'units:write');
  const data = parseInput(editRuleInput, input);
  if (Object.keys(data).length === 0) throw invalid(field('topUpPct', 'nothing_to_change'));
  if (data.topUpPct !== undefined && data.topUpAmount !== undefined) throw invalid(field('topUpPct', 'top_up_one_of'));
  const row = await repo.scenarioOfRule(db, ruleId);
  if (!row) throw notFound('rule', ruleId);
  const { unit } = await visibleScenario(db, actor, row.id);
  const stored = await findRule(db, ruleId);
  if (!stored) throw notFound('rule', ruleId);
  const current = stored.entry as LocalPolicy;
  if (stored.status !== 'draft') throw new AppError('invalid_transition', { id: ruleId, decision: stored.decision ?? '', context: 'rule_approved', ns: 'simulator' });

  // the scenario as the rule now stands, with the changes: simulated to check the top-up and the dates
  const scenarioInput = parseInput(simulateInput, row.input);
  const communes = data.communes !== undefined ? [...new Set(data.communes)] : current.communes ? [...current.communes] : null;
  const topUp =
    data.topUpPct !== undefined
      ? { topUpPct: data.topUpPct }
      : data.topUpAmount !== undefined
        ? { topUpAmount: data.topUpAmount }
        : current.amountPerYear !== undefined
          ? { topUpAmount: current.amountPerYear }
          : { topUpPct: current.basisPoints / 100 };
  const from = data.from ?? current.from;
  const months = data.months ?? (current.to ? monthsBetween(current.from, current.to) : scenarioInput.months);
  const known = new Set(unit.communes.map((c) => c.code));
  const bad = (communes ?? []).findIndex((c) => !known.has(c));
  if (bad >= 0) throw invalid(field(`communes.${bad}`, 'unknown_commune', { code: communes![bad], unit: unit.name }));
  // a commune's rule stays the commune's; the group 'households of chosen communes' needs communes
  if ((communes === null || communes.length === 0) && (unit.level === 'commune' || scenarioInput.group === 'communes')) throw invalid(field('communes', 'communes_required'));
  const { takeUpPct: _takeUp, topUpPct: _pct, topUpAmount: _amount, ...kept } = scenarioInput;
  await run(db, unit, { ...kept, ...topUp, from, months, ...(scenarioInput.group === 'communes' ? { communes: communes! } : {}) }, today, lang);

  const entry = await editDraftLocalPolicy(
    db,
    actor,
    ruleId,
    (draft) => {
      const { amountPerYear: _a, base: _b, communes: _c, to: _t, ...rest } = draft;
      return {
        ...rest,
        ...('topUpPct' in topUp ? { basisPoints: Math.round(topUp.topUpPct! * 100), base: 'premium' as const } : { basisPoints: 0, amountPerYear: vnd(topUp.topUpAmount!) }),
        ...(communes && communes.length ? { communes } : {}),
        from,
        to: addMonths(from, months),
        source: data.source ?? draft.source,
      };
    },
    { unitCode: unit.code, ns: 'simulator' },
  );
  return ruleView({ id: ruleId, status: 'draft', decision: null }, entry);
}

export type { SimulatorGroup };
