/**
 * Selection rounds and approval (issue 6 items 4 and 5, first half).
 *
 * A round runs the solver (`allocate`, src/domain/allocation.ts) on the programme's candidates
 * (candidates.service.ts) with the programme's priorities (weights, or strict tiers turned into weights:
 * `priorityWeights`), its selection mode (concentrate, or spread with the commune quotas set by hand or
 * proportional), the money available (the ledger's free fund, unless a budget is given), priced on the
 * purchase date for the card months. The round is FROZEN: every candidate's data as it was (name, birth
 * date, ids, address, groups, tags, cover) is written to selection_candidate with the decision (selected,
 * reason, cost, value, pricing group), so later register edits never change a round or an approved list.
 * Rounds are numbered 1, 2, ... per programme; one may be approved, the others are discarded.
 *
 * Approval (programme in 'selecting', round 'proposed'): in ONE transaction, the selected candidates
 * become awards through the ledger (`awardCards`: amount = the frozen cost, group = the pricing group;
 * not enough free money -> insufficient_funds and nothing is written), the other proposed rounds are
 * discarded and the programme moves to 'list_approved' (`changeProgrammeStatus` in the same transaction).
 */
import { randomUUID } from 'node:crypto';
import type { Insertable, Kysely } from 'kysely';
import type { DB, SelectionCandidateTable } from '../../../db/schema';
import type { Database } from '../../../db/connect';
import { requirePermission, type Actor } from '../../../domain/access';
import { allocate, AllocationInputError, donatedCard, type AllocationMode, type AllocationResult, type Decision, type DonatedCard } from '../../../domain/allocation';
import { AppError, notFound } from '../../../errors';
import { audit } from '../../audit/audit.service';
import { unitNames } from '../../units/units.service';
import { awardCards, programmeBalance, receiptsWithRemainder, type NewAward } from '../programme/ledger.service';
import { programmeForActor } from '../programme/programme.access';
import { changeProgrammeStatus, findApprovedRound, setRoundStatus } from '../programme/programme.service';
import { readCandidates, visibleCommunes, selectionField, SELECTION_READ, SELECTION_WRITE, type CandidatesRead, type Programme } from './candidates.service';
import * as repo from './selection.repository';
import { requireConfirmation, type Confirmation } from '../programme/confirm';

/** Statuses in which rounds may be run (trial rounds while money is still being raised). */
const ROUND_STATUSES = new Set(['raising', 'selecting']);

export interface RunRoundInput {
  /** Dong; default: the money available in the ledger. */
  budget?: number;
  /** Default: the programme's selection mode. */
  mode?: AllocationMode;
  note?: string | null;
  /** Let earmarked money its earmark cannot use fund other people (after the officer has seen it). */
  releaseEarmarks?: boolean;
}

/** Earmarked money in a round: what it had, what its earmark used, what is left (issue 16). */
export interface EarmarkUse {
  commune: string | null;
  tag: string | null;
  available: number;
  spent: number;
  unspent: number;
  selected: number;
}

/** Solver-only tag: a person an earmark may fund (a tie-breaker below every priority). */
const EARMARK_TAG = '__earmark';

/**
 * Earmarks as a constraint: each earmarked pool (free money of receipts whose pledge names a commune
 * and/or a tag) first funds, alone, the candidates matching it (commune and tag), valued by the
 * programme's priorities plus a tie-breaker so that anyone matching is funded while money is left; the
 * rest of the money then goes to everyone else as before. What an earmark cannot use is not spent on
 * others unless `release` (the officer has seen it on the round).
 */
function allocateWithEarmarks(
  prepared: CandidatesRead,
  receipts: { earmarkCommuneCode: string | null; earmarkTag: string | null; free: number }[],
  base: { date: string; months: number; budget: number; mode: AllocationMode; quotas?: Record<string, number> },
  release: boolean,
) {
  const pools = new Map<string, { commune: string | null; tag: string | null; free: number }>();
  for (const r of receipts) {
    if ((r.earmarkCommuneCode === null && r.earmarkTag === null) || r.free <= 0) continue;
    const key = `${r.earmarkCommuneCode ?? ''}|${r.earmarkTag ?? ''}`;
    const pool = pools.get(key) ?? { commune: r.earmarkCommuneCode, tag: r.earmarkTag, free: 0 };
    pool.free += r.free;
    pools.set(key, pool);
  }
  const weights = prepared.priorities.weights;
  const all = prepared.allocation;
  const run = (candidates: typeof all, budget: number, w: Record<string, number>, mode: AllocationMode, quotas?: Record<string, number>) =>
    allocate({ date: base.date, months: base.months, budget, weights: w, candidates, mode, ...(quotas ? { quotas } : {}) }, prepared.rules);
  if (pools.size === 0) return { result: run(all, base.budget, weights, base.mode, base.quotas), earmarks: [] as EarmarkUse[] };

  const positive = Object.values(weights).filter((x) => x > 0);
  const epsilon = (positive.length ? Math.min(...positive) : 1) / (all.length + 1);
  const chosen = new Map<number, Decision>();
  const earmarks: EarmarkUse[] = [];
  let left = base.budget;
  let provenOptimal = true;
  let bound = 0;
  const extraEnrolled = new Map<string, number>();
  for (const [, pool] of [...pools].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const idx = all
      .map((_, i) => i)
      .filter((i) => !chosen.has(i) && (pool.commune === null || all[i].commune === pool.commune) && (pool.tag === null || prepared.candidates[i].tags.includes(pool.tag)));
    const amount = Math.min(pool.free, left);
    const sub = run(
      idx.map((i) => ({ ...all[i], tags: [...all[i].tags, EARMARK_TAG], enrolledThisYear: (all[i].enrolledThisYear ?? 0) + (extraEnrolled.get(all[i].household) ?? 0) })),
      amount,
      { ...weights, [EARMARK_TAG]: epsilon },
      'concentrate',
    );
    sub.decisions.forEach((d, j) => {
      if (!d.selected) return;
      chosen.set(idx[j], { ...d, value: Math.round((d.value - epsilon) * 1e9) / 1e9, reason: 'earmark' as Decision['reason'] });
      if (d.order !== null) extraEnrolled.set(d.household, (extraEnrolled.get(d.household) ?? 0) + 1);
    });
    provenOptimal &&= sub.provenOptimal;
    earmarks.push({ commune: pool.commune, tag: pool.tag, available: pool.free, spent: sub.spent, unspent: amount - sub.spent, selected: sub.selected.length });
    left -= sub.spent;
  }
  const reserved = release ? 0 : earmarks.reduce((s, e) => s + e.unspent, 0);
  const rest = all.map((_, i) => i).filter((i) => !chosen.has(i));
  const quotas = base.quotas;
  const second = run(
    rest.map((i) => ({ ...all[i], enrolledThisYear: (all[i].enrolledThisYear ?? 0) + (extraEnrolled.get(all[i].household) ?? 0) })),
    Math.max(0, left - reserved),
    weights,
    base.mode,
    quotas && Object.values(quotas).reduce((a, b) => a + b, 0) <= Math.max(0, left - reserved) ? quotas : undefined,
  );
  rest.forEach((i, j) => chosen.set(i, second.decisions[j]));
  const decisions = all.map((_, i) => chosen.get(i)!);
  const selected = decisions.filter((d) => d.selected);
  const spent = selected.reduce((s, d) => s + (d.cost ?? 0), 0);
  const objective = selected.reduce((s, d) => s + d.value, 0);
  bound = second.upperBound + (objective - second.objective);
  const result: AllocationResult = {
    ...second,
    selected: selected.map((d) => d.id),
    spent: spent as AllocationResult['spent'],
    unspent: (base.budget - spent) as AllocationResult['unspent'],
    objective,
    decisions,
    excluded: second.excluded,
    upperBound: bound,
    provenOptimal: provenOptimal && second.provenOptimal,
  };
  return { result, earmarks };
}

const transition = (reason: string, params: Record<string, unknown> = {}) =>
  new AppError('invalid_transition', { ...params, reason, context: reason, ns: 'selection' });

export interface RoundSummary {
  id: string;
  programmeId: string;
  number: number;
  status: 'proposed' | 'approved' | 'discarded';
  pricedOn: string;
  months: number;
  budget: number;
  spent: number;
  unspent: number;
  objective: number;
  bound: number | null;
  params: Record<string, unknown> & { earmarks?: EarmarkUse[] };
  selectedCount: number;
  candidateCount: number;
  createdBy: string;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
}

const iso = (d: Date | string | null) => (d === null ? null : new Date(d).toISOString());
const dateText = (d: unknown) => (d instanceof Date ? d.toISOString().slice(0, 10) : String(d));

function roundView(r: repo.RoundRow & { paramsJson?: string; selectedCount?: number | null; candidateCount?: number | null }): RoundSummary {
  return {
    id: r.id,
    programmeId: r.programmeId,
    number: r.number,
    status: r.status,
    pricedOn: dateText(r.pricedOn),
    months: r.months,
    budget: Number(r.budget),
    spent: Number(r.spent),
    unspent: Number(r.budget) - Number(r.spent),
    objective: Number(r.objective),
    bound: r.bound === null ? null : Number(r.bound),
    params: (r.paramsJson ? JSON.parse(r.paramsJson) : r.params) as RoundSummary['params'],
    selectedCount: Number(r.selectedCount ?? 0),
    candidateCount: Number(r.candidateCount ?? 0),
    createdBy: r.createdBy,
    createdAt: iso(r.createdAt)!,
    decidedBy: r.decidedBy,
    decidedAt: iso(r.decidedAt),
  };
}

/** Runs the solver and freezes the result as a new proposed round. */
export async function runRound(database: Database, actor: Actor, programmeId: string, input: RunRoundInput = {}): Promise<RoundSummary> {
  const db = database.db;
  requirePermission(actor, SELECTION_WRITE);
  const programme = await programmeForActor(db, actor, programmeId, 'write');
  if (!ROUND_STATUSES.has(programme.status)) throw transition('round_status', { status: programme.status });
  if (input.budget !== undefined && !(Number.isSafeInteger(input.budget) && input.budget >= 0))
    throw new AppError('validation', {}, [selectionField('budget', 'budget_invalid')]);
  const budget = input.budget ?? Math.max(0, (await programmeBalance(db, programmeId)).available);
  const mode: AllocationMode = input.mode ?? programme.selectionMode;
  const prepared = await readCandidates(db, programme);
  const quotas = mode === 'spread' ? handQuotas(prepared.programme, budget) : undefined;
  let result: AllocationResult;
  let earmarks: EarmarkUse[];
  try {
    // earmarked money funds its earmark first (a constraint, not a preference): issue 16
    const receipts = await receiptsWithRemainder(db, programmeId);
    ({ result, earmarks } = allocateWithEarmarks(
      prepared,
      receipts,
      { date: programme.purchaseDate, months: programme.cardMonths, budget, mode, ...(quotas ? { quotas } : {}) },
      input.releaseEarmarks === true,
    ));
  } catch (e) {
    if (e instanceof AllocationInputError) throw new AppError('validation', {}, e.issues.map((i) => selectionField(i.path || 'input', 'rules_refused', { message: i.message })));
    throw e;
  }
  const roundId = randomUUID();
  // the frozen rows one at a time as they are written (a million rows held at once cost seconds of garbage collection)
  function* frozenRows(): Generator<Insertable<SelectionCandidateTable>> {
    for (let i = 0; i < prepared.candidates.length; i++) yield frozenRow(prepared.candidates[i], result.decisions[i]);
  }
  const frozenRow = (c: CandidatesRead['candidates'][number], d: Decision): Insertable<SelectionCandidateTable> => {
    return {
      roundId,
      householdId: c.householdId,
      personId: c.personId,
      communeCode: c.communeCode,
      villageCode: c.villageCode,
      householdCode: c.householdCode,
      fullName: c.fullName,
      birthDate: c.birthDate,
      sex: c.sex,
      citizenId: c.citizenId,
      insuranceCode: c.insuranceCode,
      ethnicity: c.ethnicity,
      address: c.address,
      povertyStatus: c.povertyStatus,
      groupCodes: c.groups,
      tags: c.tags,
      coveredUntil: c.coveredUntil,
      enrolledThisYear: c.enrolledThisYear,
      value: d.value,
      cost: d.cost,
      pricingGroup: c.pricingGroup,
      selected: d.selected,
      reason: d.reason,
      detail: d.message ?? (d.order !== null ? `order:${d.order}` : null),
    };
  };
  const params = {
    mode,
    priorityMode: prepared.priorities.mode,
    weights: prepared.priorities.weights,
    ...(prepared.priorities.tiers ? { tiers: prepared.priorities.tiers } : {}),
    // no priorities: the round covers as many people as the money allows, and says so
    ...(prepared.priorities.countAll ? { countAll: true } : {}),
    ...(quotas ? { quotas } : {}),
    ...(result.communes ? { communes: result.communes } : {}),
    budgetGiven: input.budget !== undefined,
    ...(earmarks.length ? { earmarks, earmarksReleased: input.releaseEarmarks === true } : {}),
    provenOptimal: result.provenOptimal,
    coveredInArea: prepared.coveredInArea,
    note: input.note ?? null,
  };
  // one connection for the round's rows and its COPY of the frozen candidates, in one transaction
  return database.session((session) => session.db.transaction().execute(async (trx) => {
    await repo.lockProgramme(trx, programmeId);
    const number = await repo.nextRoundNumber(trx, programmeId);
    await repo.insertRound(trx, {
      id: roundId,
      programmeId,
      number,
      pricedOn: programme.purchaseDate,
      months: programme.cardMonths,
      budget,
      params: JSON.stringify(params),
      spent: result.spent,
      objective: result.objective,
      bound: Number.isFinite(result.upperBound) ? result.upperBound : null,
      createdBy: actor.username,
    });
    await repo.copyCandidates(session.copyBinary, frozenRows());
    await audit(trx, actor, {
      action: 'create',
      entity: 'selection_round',
      entityId: roundId,
      unitCode: programme.ownerUnitCode,
      after: { programmeId, number, budget, spent: result.spent, objective: result.objective, selected: result.selected.length, candidates: prepared.candidates.length, mode },
    });
    const round = (await repo.findRound(trx, programmeId, roundId))!;
    return roundView({ ...round, selectedCount: result.selected.length, candidateCount: prepared.candidates.length });
  }));
}

/** Hand-set quotas of the programme, kept within the budget (null: proportional). */
function handQuotas(programme: Programme, budget: number): Record<string, number> | undefined {
  const q = programme.communeQuotas as Record<string, number> | null;
  if (!q || typeof q !== 'object' || Object.keys(q).length === 0) return undefined;
  const total = Object.values(q).reduce((s, v) => s + (Number.isSafeInteger(v) && v > 0 ? v : 0), 0);
  const out: Record<string, number> = {};
  if (total <= budget) {
    for (const [c, v] of Object.entries(q)) out[c] = Number.isSafeInteger(v) && v > 0 ? v : 0;
    return out;
  }
  // more quota than money: scale down, largest remainder to the dong
  let given = 0;
  const fractions: [string, number][] = [];
  for (const [c, v] of Object.entries(q).sort(([a], [b]) => (a < b ? -1 : 1))) {
    const exact = ((Number.isSafeInteger(v) && v > 0 ? v : 0) * budget) / total;
    out[c] = Math.floor(exact);
    given += out[c];
    fractions.push([c, exact - out[c]]);
  }
  fractions.sort((a, b) => b[1] - a[1]);
  for (let i = 0; given < budget && fractions.length; i = (i + 1) % fractions.length, given++) out[fractions[i][0]] += 1;
  return out;
}

export async function listRounds(db: Kysely<DB>, actor: Actor, programmeId: string): Promise<RoundSummary[]> {
  requirePermission(actor, SELECTION_READ);
  await programmeForActor(db, actor, programmeId, 'read');
  return (await repo.listRounds(db, programmeId)).map(roundView);
}

export interface RoundQuery {
  commune?: string;
  selected?: boolean;
  limit?: number;
  offset?: number;
}

export type FrozenCandidateView = Omit<repo.FrozenCandidate, 'roundId'> & { communeName: string | null; order: number | null; card: DonatedCard | null };

export interface RoundDetail {
  round: RoundSummary;
  totals: { selected: number; rejected: number; spent: number; value: number; stateBudget: number };
  communes: { code: string; name: string | null; candidates: number; selected: number; spent: number; stateBudget: number }[];
  byReason: Record<string, number>;
  matching: number;
  items: FrozenCandidateView[];
}

const REASON_ORDER: Record<string, number> = { earmark: 0, within_budget: 0, commune_quota: 0, moved_quota: 1, over_budget: 2, no_priority: 3, state_budget: 4, unpriceable: 5, already_covered: 6 };

/**
 * A round with its frozen candidates (filtered by commune and selected/rejected, 200 a page), totals per
 * commune and per reason. A commune officer reading a provincial programme sees their commune's lines only.
 */
export async function getRound(db: Kysely<DB>, actor: Actor, programmeId: string, roundId: string, query: RoundQuery = {}): Promise<RoundDetail> {
  requirePermission(actor, SELECTION_READ);
  await programmeForActor(db, actor, programmeId, 'read');
  const round = /^[0-9a-f-]{36}$/i.test(roundId) ? await repo.findRound(db, programmeId, roundId) : undefined;
  if (!round) throw notFound('selection_round', roundId);
  const keys = await repo.frozenKeys(db, roundId);
  const roundCounts = { selectedCount: keys.filter((k) => k.selected).length, candidateCount: keys.length };
  let rows = keys;
  if (actor.scopeCode !== null) {
    const visible = await visibleCommunes(db, actor, [...new Set(rows.map((r) => r.communeCode))]);
    rows = rows.filter((r) => visible.has(r.communeCode));
  }
  const names = await unitNames(db, rows.map((r) => r.communeCode));
  const communes = new Map<string, RoundDetail['communes'][number]>();
  const byReason: Record<string, number> = {};
  const totals = { selected: 0, rejected: 0, spent: 0, value: 0, stateBudget: 0 };
  for (const r of rows) {
    byReason[r.reason] = (byReason[r.reason] ?? 0) + 1;
    let c = communes.get(r.communeCode);
    if (!c) communes.set(r.communeCode, (c = { code: r.communeCode, name: names.get(r.communeCode) ?? null, candidates: 0, selected: 0, spent: 0, stateBudget: 0 }));
    c.candidates++;
    if (r.selected) {
      c.selected++;
      c.spent += Number(r.cost ?? 0);
      totals.selected++;
      totals.spent += Number(r.cost ?? 0);
      totals.value += Number(r.value);
    } else totals.rejected++;
    if (r.reason === 'state_budget') {
      c.stateBudget++;
      totals.stateBudget++;
    }
  }
  // order on the small key rows (Vietnamese name order needs Intl.Collator), then read the page in full
  const collator = new Intl.Collator('vi');
  const filtered = rows
    .filter((r) => (query.commune ? r.communeCode === query.commune : true))
    .filter((r) => (query.selected === undefined ? true : r.selected === query.selected))
    .sort(
      (a, b) =>
        (a.communeCode < b.communeCode ? -1 : a.communeCode > b.communeCode ? 1 : 0) ||
        Number(b.selected) - Number(a.selected) ||
        (REASON_ORDER[a.reason] ?? 9) - (REASON_ORDER[b.reason] ?? 9) ||
        Number(b.value) - Number(a.value) ||
        collator.compare(a.fullName, b.fullName) ||
        (a.personId < b.personId ? -1 : 1),
    );
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 200;
  const pageIds = filtered.slice(offset, offset + limit).map((r) => r.personId);
  const position = new Map(pageIds.map((id, i) => [id, i]));
  const page = (await repo.listFrozen(db, roundId, { personIds: pageIds })).sort((a, b) => position.get(a.personId)! - position.get(b.personId)!);
  return {
    round: roundView({ ...round, ...roundCounts }),
    totals,
    communes: [...communes.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
    byReason,
    matching: filtered.length,
    items: page.map(({ roundId: _r, ...r }) => ({
      ...r,
      value: Number(r.value),
      cost: r.cost === null ? null : Number(r.cost),
      communeName: names.get(r.communeCode) ?? null,
      order: r.detail?.startsWith('order:') ? Number(r.detail.slice(6)) : null,
      // the card the round priced: from the purchase date, or a renewal after the frozen current card
      card: donatedCard(dateText(round.pricedOn), round.months, r.coveredUntil),
    })),
  };
}

export async function discardRound(db: Kysely<DB>, actor: Actor, programmeId: string, roundId: string): Promise<RoundSummary> {
  requirePermission(actor, SELECTION_WRITE);
  const programme = await programmeForActor(db, actor, programmeId, 'write');
  return db.transaction().execute(async (trx) => {
    await repo.lockProgramme(trx, programmeId);
    const round = /^[0-9a-f-]{36}$/i.test(roundId) ? await repo.findRound(trx, programmeId, roundId, true) : undefined;
    if (!round) throw notFound('selection_round', roundId);
    if (round.status !== 'proposed') throw transition('round_not_proposed', { status: round.status });
    await setRoundStatus(trx, roundId, 'discarded', actor.username);
    await audit(trx, actor, { action: 'discard', entity: 'selection_round', entityId: roundId, unitCode: programme.ownerUnitCode, before: { status: 'proposed' }, after: { status: 'discarded' } });
    return roundView({ ...(await repo.findRound(trx, programmeId, roundId))!, ...(await countsOf(trx, programmeId, roundId)) });
  });
}

async function countsOf(db: Kysely<DB>, programmeId: string, roundId: string) {
  const r = (await repo.listRounds(db, programmeId)).find((x) => x.id === roundId);
  return { selectedCount: r?.selectedCount ?? 0, candidateCount: r?.candidateCount ?? 0 };
}

export interface Approval {
  round: RoundSummary;
  awards: number;
  amount: number;
  discarded: number;
}

/**
 * Approves a proposed round: awards for its selected candidates (through the ledger), the other proposed
 * rounds discarded, the programme to 'list_approved'; all in one transaction. `confirm`: the count and
 * amount of the awards, as shown to the user (else confirmation_required and nothing is written).
 */
export async function approveRound(db: Kysely<DB>, actor: Actor, programmeId: string, roundId: string, note?: string | null, confirm?: Confirmation | null): Promise<Approval> {
  requirePermission(actor, SELECTION_WRITE);
  const programme = await programmeForActor(db, actor, programmeId, 'write');
  return db.transaction().execute(async (trx) => {
    await repo.lockProgramme(trx, programmeId);
    const current = (await programmeForActor(trx, actor, programmeId, 'write')).status;
    if (current !== 'selecting') throw transition('approve_status', { status: current });
    const round = /^[0-9a-f-]{36}$/i.test(roundId) ? await repo.findRound(trx, programmeId, roundId, true) : undefined;
    if (!round) throw notFound('selection_round', roundId);
    if (round.status !== 'proposed') throw transition('round_not_proposed', { status: round.status });
    if (await findApprovedRound(trx, programmeId)) throw transition('round_already_approved');
    const selected = await repo.listFrozen(trx, roundId, { selected: true });
    const awards: NewAward[] = selected.map((c) => {
      if (c.cost === null || c.pricingGroup === null) throw new AppError('internal', { reason: `selected candidate ${c.personId} has no cost or group` });
      return {
        roundId,
        householdId: c.householdId,
        personId: c.personId,
        communeCode: c.communeCode,
        groupCode: c.pricingGroup,
        tags: c.tags,
        amount: Number(c.cost),
      };
    });
    // a zero-cost selection cannot happen (state-funded persons are excluded), but never post a zero award
    const payable = awards.filter((a) => a.amount > 0);
    requireConfirmation(confirm, { action: 'approve_round', count: payable.length, amount: payable.reduce((s, a) => s + a.amount, 0) });
    await awardCards(trx, actor, programmeId, payable);
    await setRoundStatus(trx, roundId, 'approved', actor.username);
    const discarded = await repo.discardOtherRounds(trx, programmeId, roundId, actor.username);
    await changeProgrammeStatus(trx, actor, programmeId, 'list_approved', note ?? null, trx);
    const amount = payable.reduce((s, a) => s + a.amount, 0);
    await audit(trx, actor, {
      action: 'approve',
      entity: 'selection_round',
      entityId: roundId,
      unitCode: programme.ownerUnitCode,
      before: { status: 'proposed' },
      after: { status: 'approved', awards: payable.length, amount, discarded, note: note ?? null },
    });
    const after = (await repo.findRound(trx, programmeId, roundId))!;
    return { round: roundView({ ...after, ...(await countsOf(trx, programmeId, roundId)) }), awards: payable.length, amount, discarded };
  });
}
