/**
 * Premium quotes and the rules behind them: the defaults of src/domain/premium-rules.ts plus what
 * admins add (base salaries, local policies), stored in the database and audited.
 */
import { randomUUID } from 'node:crypto';
import { isIsoDate } from '../../domain/dates';
import { addMonths, monthsBetween } from '../../domain/calendar';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { can, type Actor } from '../../domain/access';
import { DEFAULT_RULES, RuleError, isKnownGroup, mergeRules, type BaseSalaryRule, type LocalPolicy, type ParticipantGroup, type RuleEntry, type RuleSet } from '../../domain/premium-rules';
import { listRulesInForce, quote as priceQuote, ruleHistory, type Quote, type QuoteInput } from '../../domain/premium';
import { vnd } from '../../domain/money';
import { quoteVoluntarySi, type VsiQuote, type VsiQuoteInput } from '../../domain/voluntary-si';
import { DEFAULT_VSI_RULES, vsiRuleHistory, vsiRulesInForce, type VsiRuleEntry, type VsiRuleSet } from '../../domain/voluntary-si-rules';
import { AppError, notFound } from '../../errors';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { lineageOf } from '../units/units.service';
import * as repo from './premium.repository';
import {
  baseSalaryInput,
  localPolicyInput,
  quoteInput,
  vsiQuoteInput,
  type BaseSalaryInput,
  type LocalPolicyInput,
  type QuoteRequest,
  type VsiQuoteRequest,
} from './premium.schemas';

/** 'members[2].groups[0]' -> 'members.2.groups.0', the path style of every other validation error. */
const fieldPath = (field: string) => field.replace(/\[(\d+)\]/g, '.$1').replace(/^\./, '');

/** The engine's refusals become validation errors naming the field, in the user's language. */
export function toAppError(e: unknown): unknown {
  if (e instanceof RuleError) return new AppError('validation', {}, [{ path: fieldPath(e.field), key: `rule_${e.code}`, params: { ...e.params, detail: e.message } }]);
  return e;
}

/** The defaults merged with the admins' additions. */
export async function loadRules(db: Kysely<DB>): Promise<RuleSet> {
  const rows = await repo.listRuleAdditions(db);
  const additions = {
    baseSalaries: rows.filter((r) => r.kind === 'base-salary').map((r) => r.entry as BaseSalaryRule),
    localPolicies: rows.filter((r) => r.kind === 'local-policy').map((r) => r.entry as LocalPolicy),
  };
  return mergeRules(DEFAULT_RULES, additions);
}

export interface RuleDescription {
  id: string;
  kind: RuleEntry['kind'] | VsiRuleEntry['kind'];
  from: string;
  to?: string;
  source: string;
  uncertain: boolean;
  note?: string;
}

const describe = (e: RuleEntry | VsiRuleEntry): RuleDescription => ({
  id: e.rule.id,
  kind: e.kind,
  from: e.rule.from,
  to: e.rule.to,
  source: e.rule.source,
  uncertain: e.rule.uncertain === true,
  note: e.rule.note,
});

/** A rule with its entry: what the rule says (amount, share, group...) beside where it comes from. */
const describeWithRule = <E extends RuleEntry | VsiRuleEntry>(e: E) => ({ ...describe(e), kind: e.kind as E['kind'], rule: e.rule as E['rule'] });

export type QuoteWithRules = Quote & { rules: ReturnType<typeof describeWithRule<RuleEntry>>[] };

/** Price a payment; the answer names each rule used with what it says and its legal source. Needs no login. */
export function quoteWith(rules: RuleSet, request: QuoteRequest): QuoteWithRules {
  const input = parseInput(quoteInput, request) as QuoteInput;
  try {
    const q = priceQuote(input, rules);
    const used = new Set(q.ruleIds);
    return { ...q, rules: ruleHistory(rules).filter((e) => used.has(e.rule.id)).map(describeWithRule) };
  } catch (e) {
    throw toAppError(e);
  }
}

export async function quote(db: Kysely<DB>, request: QuoteRequest): Promise<QuoteWithRules> {
  return quoteWith(await loadRules(db), request);
}

/** Price and keep a quote with the rule entries that priced it. */
export async function saveQuote(db: Kysely<DB>, actor: Actor, request: QuoteRequest) {
  const rules = await loadRules(db);
  const result = quoteWith(rules, request);
  const used = new Set(result.ruleIds);
  const snapshot = ruleHistory(rules).filter((e) => used.has(e.rule.id));
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await repo.insertQuote(trx, { id, input: request, result, rules: snapshot, createdBy: actor.username });
    await audit(trx, actor, { action: 'create', entity: 'premium_quote', entityId: id, after: { input: request, total: result.total } });
  });
  return { id, ...result };
}

/** A saved quote, for the user who saved it or an administrator; to anyone else it does not exist. */
export async function getSavedQuote(db: Kysely<DB>, actor: Actor, id: string) {
  const row = await repo.findQuote(db, id);
  if (!row || (row.createdBy !== actor.username && actor.role !== 'admin')) throw notFound('quote', id);
  return { id: row.id, createdAt: row.createdAt, createdBy: row.createdBy, input: row.input, ...(row.result as QuoteWithRules) };
}

// ---------------------------------------------------------------------------------------------------
// Voluntary social insurance (BHXH tự nguyện): the second product
// ---------------------------------------------------------------------------------------------------

/**
 * The voluntary social insurance rules: the shipped defaults (provincial top-ups are data, but there is
 * no admin screen or store for them yet). The base salary of the ceiling comes from the BHYT rule set.
 */
export function loadVsiRules(): VsiRuleSet {
  return DEFAULT_VSI_RULES;
}

export type VsiQuoteWithRules = VsiQuote & { rules: ReturnType<typeof describeWithRule<VsiRuleEntry>>[] };

/** Price a voluntary social insurance payment; the answer names each rule used with its legal source. */
export function vsiQuoteWith(rules: RuleSet, vsiRules: VsiRuleSet, request: VsiQuoteRequest): VsiQuoteWithRules {
  const input = parseInput(vsiQuoteInput, request) as VsiQuoteInput;
  try {
    const q = quoteVoluntarySi(input, vsiRules, rules.baseSalaries);
    const used = new Set(q.ruleIds);
    return { ...q, rules: vsiRuleHistory(vsiRules).filter((e) => used.has(e.rule.id)).map(describeWithRule) };
  } catch (e) {
    throw toAppError(e);
  }
}

export async function vsiQuote(db: Kysely<DB>, request: VsiQuoteRequest): Promise<VsiQuoteWithRules> {
  return vsiQuoteWith(await loadRules(db), loadVsiRules(), request);
}

/** The voluntary social insurance rules in force on a date, each with its source. */
export function vsiRulesOn(date: string) {
  if (!isIsoDate(date)) throw toAppError(new RuleError('invalid_date', 'date', `not a date (YYYY-MM-DD): ${date}`));
  return { date, rules: vsiRulesInForce(date, loadVsiRules()).map(describeWithRule) };
}

export async function rulesInForce(db: Kysely<DB>, date: string) {
  const rules = await loadRules(db);
  try {
    return { date, rules: listRulesInForce(date, rules).map(describeWithRule) };
  } catch (e) {
    throw toAppError(e);
  }
}

export async function rulesHistory(db: Kysely<DB>) {
  return ruleHistory(await loadRules(db)).map(describeWithRule);
}

/** The participant groups in force on a date, for pickers. */
export async function groupsOn(db: Kysely<DB>, date: string) {
  const { rules } = await rulesInForce(db, date);
  return rules.filter((r) => r.kind === 'group').map((r) => r.rule as ParticipantGroup);
}

function requireRulesAdmin(actor: Actor) {
  if (!can(actor, 'rules:manage')) throw new AppError('forbidden');
}

/** Validates the merged rule set before storing, so a bad addition never breaks pricing. */
async function storeAddition(db: Kysely<DB>, actor: Actor, kind: 'base-salary' | 'local-policy', entry: BaseSalaryRule | LocalPolicy, unitCode: string | null) {
  return db.transaction().execute(async (trx) => {
    const before = (await repo.findRuleAddition(trx, entry.id))?.entry ?? null;
    const current = await loadRules(trx);
    try {
      mergeRules(current, kind === 'base-salary' ? { baseSalaries: [entry as BaseSalaryRule] } : { localPolicies: [entry as LocalPolicy] });
    } catch (e) {
      throw toAppError(e);
    }
    await repo.upsertRuleAddition(trx, { id: entry.id, kind, entry, createdBy: actor.username });
    await audit(trx, actor, { action: before ? 'update' : 'create', entity: 'premium_rule', entityId: entry.id, unitCode, before, after: entry });
    return entry;
  });
}

/** A new base salary from a date (or a correction of the one starting that day). */
export async function addBaseSalary(db: Kysely<DB>, actor: Actor, input: BaseSalaryInput): Promise<BaseSalaryRule> {
  requireRulesAdmin(actor);
  const data = parseInput(baseSalaryInput, input);
  const entry: BaseSalaryRule = {
    id: `base-salary-${data.from}`,
    from: data.from,
    amount: vnd(data.amount),
    source: data.source,
    ...(data.note ? { note: data.note } : {}),
    ...(data.uncertain ? { uncertain: true } : {}),
  };
  return storeAddition(db, actor, 'base-salary', entry, null) as Promise<BaseSalaryRule>;
}

/** A provincial support policy on top of the state share. */
export async function addLocalPolicy(db: Kysely<DB>, actor: Actor, input: LocalPolicyInput): Promise<LocalPolicy> {
  requireRulesAdmin(actor);
  const data = parseInput(localPolicyInput, input);
  const province = await lineageOf(db, data.province);
  if (!province || province.unit.level !== 'province')
    throw new AppError('validation', {}, [{ path: 'province', key: 'unknown_unit', params: { code: data.province } }]);
  const rules = await loadRules(db);
  const badGroup = (data.groups ?? []).findIndex((g) => !isKnownGroup(rules, g.toUpperCase()));
  if (badGroup >= 0) throw new AppError('validation', {}, [{ path: `groups.${badGroup}`, key: 'rule_unknown_group', params: { detail: data.groups![badGroup] } }]);
  if (data.ageFrom !== undefined && data.ageBelow !== undefined && data.ageBelow <= data.ageFrom)
    throw new AppError('validation', {}, [{ path: 'ageBelow', key: 'too_small', params: { minimum: data.ageFrom + 1 } }]);
  const entry: LocalPolicy = {
    id: `local-${data.province}-${data.from}-${randomUUID().slice(0, 8)}`,
    province: data.province,
    nameVi: data.nameVi,
    nameEn: data.nameEn ?? data.nameVi,
    ...(data.groups?.length ? { groups: data.groups.map((g) => g.toUpperCase()) } : {}),
    ...(data.ageFrom !== undefined ? { ageFrom: data.ageFrom } : {}),
    ...(data.ageBelow !== undefined ? { ageBelow: data.ageBelow } : {}),
    basisPoints: Math.round(data.percent * 100),
    from: data.from,
    ...(data.to ? { to: data.to } : {}),
    source: data.source,
    ...(data.note ? { note: data.note } : {}),
    ...(data.uncertain ? { uncertain: true } : {}),
  };
  return storeAddition(db, actor, 'local-policy', entry, data.province) as Promise<LocalPolicy>;
}

// ---------------------------------------------------------------------------------------------------
// Draft local-support rules (an adopted simulator scenario, issue 21 item 5): draft, then approved
// ---------------------------------------------------------------------------------------------------

/**
 * Store a local policy as a draft: checked against the rules like any addition, kept, priced by nothing
 * (loadRules merges approved rows only). Runs in the caller's transaction; audited.
 */
export async function addDraftLocalPolicy(trx: Kysely<DB>, actor: Actor, entry: LocalPolicy, unitCode: string): Promise<LocalPolicy> {
  try {
    mergeRules(await loadRules(trx), { localPolicies: [entry] });
  } catch (e) {
    throw toAppError(e);
  }
  await repo.insertDraftRule(trx, { id: entry.id, kind: 'local-policy', entry, createdBy: actor.username });
  await audit(trx, actor, { action: 'create', entity: 'premium_rule', entityId: entry.id, unitCode, after: { status: 'draft', entry } });
  return entry;
}

/** A stored rule with its status, or undefined. */
export async function findRule(db: Kysely<DB>, id: string) {
  return repo.findRuleAddition(db, id);
}

/**
 * Edit a draft local policy before its approval (`change` rewrites the entry): checked against the rules
 * like any addition, audited with the entry before and after. An approved rule is never changed: the
 * caller gets 'invalid_transition' (the message from `ns`, context 'rule_approved').
 */
export async function editDraftLocalPolicy(
  db: Kysely<DB>,
  actor: Actor,
  id: string,
  change: (draft: LocalPolicy) => LocalPolicy,
  meta: { unitCode: string; ns: string },
): Promise<LocalPolicy> {
  return db.transaction().execute(async (trx) => {
    const row = await repo.findRuleAddition(trx, id);
    if (!row || row.kind !== 'local-policy') throw notFound('rule', id);
    if (row.status !== 'draft') throw new AppError('invalid_transition', { id, decision: row.decision ?? '', context: 'rule_approved', ns: meta.ns });
    const draft = row.entry as LocalPolicy;
    const entry = change(draft);
    try {
      mergeRules(await loadRules(trx), { localPolicies: [entry] });
    } catch (e) {
      throw toAppError(e);
    }
    if (!(await repo.updateDraftRule(trx, { id, entry }))) throw new AppError('invalid_transition', { id, decision: '', context: 'rule_approved', ns: meta.ns });
    await audit(trx, actor, { action: 'update', entity: 'premium_rule', entityId: id, unitCode: meta.unitCode, before: { status: 'draft', entry: draft }, after: { status: 'draft', entry } });
    return entry;
  });
}

/**
 * Approve a draft local policy: the approving decision's number becomes its source, and it applies from
 * `from` (its length kept). From then on quotes, door-to-door lists and allocations price with it.
 */
export async function approveLocalPolicy(db: Kysely<DB>, actor: Actor, id: string, input: { decision: string; from: string }): Promise<LocalPolicy> {
  requireRulesAdmin(actor);
  const decision = input.decision?.trim() ?? '';
  const errors = [
    ...(decision === '' || decision.length > 200 ? [{ path: 'decision', key: 'required', params: {} }] : []),
    ...(typeof input.from !== 'string' || !isIsoDate(input.from) ? [{ path: 'from', key: 'iso_date', params: {} }] : []),
  ];
  if (errors.length) throw new AppError('validation', {}, errors);
  return db.transaction().execute(async (trx) => {
    const row = await repo.findRuleAddition(trx, id);
    if (!row || row.kind !== 'local-policy') throw notFound('rule', id);
    if (row.status !== 'draft') throw new AppError('conflict', { entity: 'rule', id });
    const draft = row.entry as LocalPolicy;
    const entry: LocalPolicy = {
      ...draft,
      from: input.from,
      ...(draft.to ? { to: addMonths(input.from, monthsBetween(draft.from, draft.to)) } : {}),
      source: decision,
    };
    try {
      mergeRules(await loadRules(trx), { localPolicies: [entry] });
    } catch (e) {
      throw toAppError(e);
    }
    await repo.approveRule(trx, { id, entry, decision, approvedBy: actor.username });
    await audit(trx, actor, { action: 'update', entity: 'premium_rule', entityId: id, unitCode: entry.province, before: { status: 'draft', entry: draft }, after: { status: 'approved', entry } });
    return entry;
  });
}
