/**
 * Candidates of a donation programme (issue 6 item 3).
 *
 * (a) From the register: the persons of the programme's area (area_kind/area_codes: the communes of a
 *     province, some communes, or the communes/villages of one area) without a card that covers the
 *     period bought (purchase date .. + card months); one covered on the purchase date whose card ends
 *     inside the period is a renewal (`donatedCard`: a card from the day after, priced for its months,
 *     `currentCard` shows the card held), with the priority tags the register shows:
 *     ethnic_minority (ethnicity other than Kinh), pupil (group HS or a school), child_under_6 and
 *     elderly_60_79 (age on the purchase date), poor / near_poor (the household's poverty status).
 * (b) Nominated by communes: register persons by id, or a list in the register template with a `tags`
 *     column (storm_victim, flood_victim, difficult, especially_difficult, ...) imported through the
 *     register import (valid rows only: the persons land in the register) and written as nominations.
 *     A nomination adds its tags to the derived ones.
 *
 * Every candidate is assessed exactly as the solver will (`allocate` in src/domain/allocation.ts with no
 * money): set aside with the reason 'already_covered', 'state_budget' (fully paid by the state: to be
 * enrolled through the state budget, listed apart), 'no_priority' or 'unpriceable'; the others are
 * 'eligible' with their cost to the donor and their priority value.
 *
 * The groups a candidate is priced in: the register groups, plus HN / CN / GB from the household's
 * poverty status, TE under 6 on the purchase date, and GD last (household mode for anyone; the rules
 * engine prices in the group with the highest support, so GD only prices those with no other group).
 *
 * Access: reading needs 'units:read' and the programme in scope (programmeForActor 'read'); nominating
 * needs 'units:write' and the nominated person inside the actor's scope, so a commune officer nominates
 * the persons of their commune for a province's programme.
 */
import { DERIVED_TAGS, KNOWN_TAGS, NOMINATION_TAGS } from '../../../domain/selection-tags';
import { Readable } from 'node:stream';
import type { Kysely, Selectable } from 'kysely';
import type { Database } from '../../../db/connect';
import type { DB, ProgrammeTable } from '../../../db/schema';
import { inScope, type Actor, type Permission, requirePermission } from '../../../domain/access';
import { allocate, AllocationInputError, type AllocationCandidate, type DonatedCard, type ExclusionReason } from '../../../domain/allocation';
import { ageInYears, endOfPeriod } from '../../../domain/calendar';
import { formatDateVi, todayInVietnam } from '../../../domain/dates';
import { nameKey } from '../../../domain/identity';
import { quote, RuleError, type RuleSet } from '../../../domain/premium';
import { DEFAULT_RULES, isKnownGroup } from '../../../domain/premium-rules';
import { pricingGroups } from '../../../domain/pricing-groups';
import { cellText, mapHeader, rowValidator } from '../../../domain/register-row';
import { compareCodes, foldVietnamese } from '../../../domain/text';
import { AppError, notFound, type FieldError } from '../../../errors';
import { translator, type Language } from '../../../i18n/index';
import { xlsxBuffer } from '../../../io/excel';
import { readRows } from '../../../io/rows';
import { audit } from '../../audit/audit.service';
import { loadRules } from '../../premium/premium.service';
import { importRegister, type ImportReport } from '../../register/import.service';
import { parentsOf } from '../../units/units.service';
import { programmeForActor } from '../programme/programme.access';
import * as repo from './candidates.repository';

export const SELECTION_READ: Permission = 'units:read';
export const SELECTION_WRITE: Permission = 'units:write';

export type Programme = Selectable<ProgrammeTable>;

/** A field problem whose message lives in the 'selection' namespace of the catalogue. */
export const selectionField = (path: string, key: string, params: Record<string, unknown> = {}): FieldError => ({
  path,
  key,
  params: { ...params, ns: 'selection' },
});

// ---------------------------------------------------------------------------------------------------
// Tags
// ---------------------------------------------------------------------------------------------------

export { DERIVED_TAGS, KNOWN_TAGS, NOMINATION_TAGS };


/** The tags of a programme's priorities (weights: the keys; tiers: the list). */
export function priorityTags(programme: Pick<Programme, 'priorities'>): string[] {
  const p = programme.priorities as unknown;
  if (Array.isArray(p)) return p.filter((x): x is string => typeof x === 'string');
  if (p && typeof p === 'object') return Object.keys(p);
  return [];
}

/**
 * A tag as written in a nomination list: a code ('storm_victim') or its Vietnamese or English label
 * ('Nạn nhân bão'), case and diacritics ignored. Known tags and the programme's priority tags only.
 */
export function parseTag(text: string, extra: readonly string[] = []): string | undefined {
  const raw = text.normalize('NFC').trim();
  if (raw === '') return undefined;
  const code = raw.toLowerCase().replace(/[\s-]+/g, '_');
  const allowed = new Set([...KNOWN_TAGS, ...extra]);
  if (allowed.has(code)) return code;
  const folded = foldVietnamese(raw);
  for (const lang of ['vi', 'en'] as const) {
    const t = translator(lang);
    for (const tag of allowed) if (foldVietnamese(t(`selection:tags.${tag}`, { defaultValue: tag })) === folded) return tag;
  }
  return undefined;
}

const KINH = new Set(['kinh', 'viet', 'viet nam', 'nguoi kinh']);

/** The priority tags the register shows for a person on the purchase date. */
export function derivedTags(
  p: { birthDate: string; ethnicity: string | null; groupCodes: readonly string[]; school: string | null; povertyStatus: string },
  purchaseDate: string,
): string[] {
  const tags: string[] = [];
  if (p.ethnicity && p.ethnicity.trim() !== '' && !KINH.has(foldVietnamese(p.ethnicity))) tags.push('ethnic_minority');
  if (p.groupCodes.includes('HS') || (p.school !== null && p.school.trim() !== '')) tags.push('pupil');
  const age = ageInYears(p.birthDate, purchaseDate);
  if (age < 6) tags.push('child_under_6');
  if (age >= 60 && age <= 79) tags.push('elderly_60_79');
  if (p.povertyStatus === 'poor') tags.push('poor');
  if (p.povertyStatus === 'near_poor') tags.push('near_poor');
  return tags;
}

// ---------------------------------------------------------------------------------------------------
// Priorities
// ---------------------------------------------------------------------------------------------------

/** The tag every candidate carries in the solver when a programme has no priorities (issue 16). */
export const EVERYONE = 'everyone';

export interface PriorityWeights {
  weights: Record<string, number>;
  mode: 'weights' | 'tiers';
  /** No priority weighs anything: every candidate counts 1, so the selection covers as many people as the money allows. */
  countAll?: boolean;
  /** Tiers mode: the tags, highest tier first. */
  tiers?: string[];
}

/**
 * The weights the solver uses. Weights mode: the programme's weights as given. Tiers mode (strict tiers,
 * first = highest): weights such that ONE tag of a tier outweighs every lower-tier tag of ALL candidates
 * together, so the solver maximises the number of first-tier persons, then second-tier, ...:
 * w(last) = 1, w(i) = 1 + the sum over the candidates of the weights of their tags of tiers below i.
 * (This is the "each tier outweighs the sum of all lower tiers" rule made exact for a whole selection;
 * with n candidates it is at most (n+1)^(tiers below).) See docs/decisions.md.
 */
export function priorityWeights(programme: Pick<Programme, 'priorityMode' | 'priorities'>, candidateTags: readonly (readonly string[])[]): PriorityWeights {
  const p = programme.priorities as unknown;
  if (programme.priorityMode !== 'tiers') {
    const weights: Record<string, number> = {};
    if (p && typeof p === 'object' && !Array.isArray(p)) {
      for (const [tag, w] of Object.entries(p as Record<string, unknown>)) if (typeof w === 'number' && Number.isFinite(w) && w >= 0) weights[tag] = w;
    }
    return { weights, mode: 'weights' };
  }
  const tiers = Array.isArray(p) ? [...new Set(p.filter((x): x is string => typeof x === 'string'))] : Object.keys((p as Record<string, number>) ?? {});
  return { weights: tierWeights(tiers, candidateTags), mode: 'tiers', tiers };
}

export function tierWeights(tiers: readonly string[], candidateTags: readonly (readonly string[])[]): Record<string, number> {
  const weights: Record<string, number> = {};
  const count = new Map<string, number>();
  for (const tags of candidateTags) for (const tag of new Set(tags)) count.set(tag, (count.get(tag) ?? 0) + 1);
  let below = 0; // sum over candidates of the weights of lower-tier tags
  for (let i = tiers.length - 1; i >= 0; i--) {
    const w = below + 1;
    weights[tiers[i]] = w;
    below += w * (count.get(tiers[i]) ?? 0);
  }
  return weights;
}

// ---------------------------------------------------------------------------------------------------
// Candidates
// ---------------------------------------------------------------------------------------------------

export type CandidateStatus = 'eligible' | Exclude<ExclusionReason, 'over_budget'>;

/** A person's card as the candidate lists show it ("đang có thẻ đến ..."). */
export interface CurrentCard {
  number: string | null;
  validFrom: string | null;
  validTo: string;
}

export interface Candidate extends Omit<repo.CandidateRow, 'nominationTags' | 'coveredByNumber' | 'coveredFrom'> {
  nominated: boolean;
  /** The card the person holds on or after the purchase date (null: none), ending on coveredUntil. */
  currentCard: CurrentCard | null;
  /** The card the programme would buy: from the purchase date, or a renewal after the current card (null: covered for the whole window). */
  card: DonatedCard | null;
  /** Priced in (the register's groups plus those of poverty and age, GD last). */
  groups: string[];
  tags: string[];
  /** The group the rules engine prices the person in (null: unpriceable). */
  pricingGroup: string | null;
  /** Sum of the weights of the tags. */
  value: number;
  /** What the person costs the donor bought alone (a household member: at their place in the household order). */
  cost: number | null;
  status: CandidateStatus;
  /** For 'unpriceable': what the rules engine said. */
  message?: string;
}

/** A candidate as read from the register, before the solver's assessment. */
export type CandidateRead = Omit<Candidate, 'card' | 'value' | 'cost' | 'status' | 'message'>;

/** The candidates of a programme as read, with what the solver needs (no assessment yet). */
export interface CandidatesRead {
  programme: Programme;
  rules: RuleSet;
  periodEnd: string;
  candidates: CandidateRead[];
  allocation: AllocationCandidate[];
  priorities: PriorityWeights;
  coveredInArea: number;
}

export interface PreparedCandidates extends CandidatesRead {
  candidates: Candidate[];
}

export function areaOf(programme: Programme): repo.AreaFilter {
  const codes = programme.areaCodes.length ? programme.areaCodes : [programme.ownerUnitCode];
  return { kind: programme.areaKind, codes };
}

/** The pricing group of a set of groups on the date (cached per call site). */
export function pricingGroupOf(rules: RuleSet, date: string, months: number) {
  const cache = new Map<string, string | null>();
  return (groups: readonly string[]): string | null => {
    const key = groups.join(',');
    if (!cache.has(key)) {
      try {
        cache.set(key, quote({ date, months, members: [{ groups }] }, rules).members[0].group);
      } catch (e) {
        if (!(e instanceof RuleError)) throw e;
        cache.set(key, null);
      }
    }
    return cache.get(key)!;
  };
}

/**
 * Reads the candidates of a programme with their tags, groups and the solver's input (no access check:
 * callers check). A selection round solves from here; `prepareCandidates` adds the assessment.
 */
export async function readCandidates(db: Kysely<DB>, loaded: Programme): Promise<CandidatesRead> {
  // the JSON columns as stored: the CamelCasePlugin would turn the tags 'near_poor' into 'nearPoor'
  const programme: Programme = { ...loaded, ...(await repo.programmeJson(db, loaded.id)) };
  const rules = await loadRules(db);
  const date = programme.purchaseDate;
  const months = programme.cardMonths;
  const periodEnd = endOfPeriod(date, months);
  const area = areaOf(programme);
  // (two connections on the server: the count runs beside the list)
  const [rows, coveredInArea] = await Promise.all([repo.listCandidateRows(db, programme.id, area, date, periodEnd), repo.countCoveredInArea(db, area, periodEnd)]);
  const groupOf = pricingGroupOf(rules, date, months);
  // each field named, not spread: a province's programme reads a million rows
  const candidates: CandidateRead[] = rows.map((r) => {
    const tags = derivedTags(r, date);
    for (const tag of r.nominationTags ?? []) if (!tags.includes(tag)) tags.push(tag);
    // (the card's number is read for the page that shows it: listCandidates)
    const currentCard = r.coveredUntil !== null && r.coveredUntil >= date ? { number: null, validFrom: r.coveredFrom, validTo: r.coveredUntil } : null;
    const groups = pricingGroups(r, date, rules);
    return {
      personId: r.personId,
      householdId: r.householdId,
      communeCode: r.communeCode,
      communeName: r.communeName,
      provinceCode: r.provinceCode,
      villageCode: r.villageCode,
      householdCode: r.householdCode,
      fullName: r.fullName,
      birthDate: r.birthDate,
      sex: r.sex,
      citizenId: r.citizenId,
      insuranceCode: r.insuranceCode,
      ethnicity: r.ethnicity,
      address: r.address,
      povertyStatus: r.povertyStatus,
      groupCodes: r.groupCodes,
      school: r.school,
      coveredUntil: r.coveredUntil,
      enrolledThisYear: r.enrolledThisYear,
      nominated: r.nominationTags !== null,
      currentCard,
      groups,
      tags,
      pricingGroup: groupOf(groups),
    };
  });
  const given = priorityWeights(programme, candidates.map((c) => c.tags));
  // a programme without priorities covers as many people as the money allows (not nobody)
  const countAll = !Object.values(given.weights).some((w) => w > 0);
  const priorities: PriorityWeights = countAll ? { ...given, weights: { [EVERYONE]: 1 }, countAll } : given;
  const allocation: AllocationCandidate[] = candidates.map((c) => ({
    id: c.personId,
    household: c.householdId,
    commune: c.communeCode,
    groups: c.groups,
    tags: countAll ? [EVERYONE] : c.tags,
    enrolledThisYear: c.enrolledThisYear,
    ...(c.coveredUntil ? { coveredUntil: c.coveredUntil } : {}),
    // the province's local policies price the card, as a hand-made award does (issue 16)
    ...(c.provinceCode ? { province: c.provinceCode } : {}),
    birthDate: c.birthDate,
    ethnicity: c.ethnicity,
  }));
  return { programme, rules, periodEnd, candidates, allocation, priorities, coveredInArea };
}

/** Reads and assesses the candidates of a programme (no access check: callers check). */
export async function prepareCandidates(db: Kysely<DB>, loaded: Programme): Promise<PreparedCandidates> {
  const read = await readCandidates(db, loaded);
  const { programme, rules, priorities, allocation } = read;
  let decisions;
  try {
    decisions = allocate({ date: programme.purchaseDate, months: programme.cardMonths, budget: 0, weights: priorities.weights, candidates: allocation }, rules, { searchWork: 0 }).decisions;
  } catch (e) {
    if (e instanceof AllocationInputError) throw new AppError('validation', {}, e.issues.map((i) => selectionField(i.path === 'months' ? 'cardMonths' : 'purchaseDate', 'rules_refused', { message: i.message })));
    throw e;
  }
  const candidates: Candidate[] = read.candidates.map((c, i) => {
    const d = decisions[i];
    const status: CandidateStatus = d.reason === 'over_budget' ? 'eligible' : (d.reason as CandidateStatus);
    return { ...c, value: d.value, cost: d.cost, card: d.card, status, ...(d.message ? { message: d.message } : {}) };
  });
  return { ...read, candidates };
}

export interface CandidateSummary {
  purchaseDate: string;
  periodEnd: string;
  months: number;
  priorityMode: 'weights' | 'tiers';
  weights: Record<string, number>;
  tiers?: string[];
  /** No priorities: everyone counts 1 (as many people as the money allows). */
  countAll: boolean;
  total: number;
  /** Persons of the area whose card already covers the period (not listed). */
  coveredInArea: number;
  byStatus: Record<string, number>;
  /** The cost of buying every eligible candidate, each priced alone (an upper estimate for households). */
  eligibleCost: number;
  communes: { code: string; name: string | null; total: number; eligible: number; stateBudget: number; eligibleCost: number }[];
}

export interface CandidateQuery {
  commune?: string;
  status?: CandidateStatus;
  tag?: string;
  limit?: number;
  offset?: number;
}

function summarise(p: PreparedCandidates): CandidateSummary {
  const byStatus: Record<string, number> = {};
  const communes = new Map<string, CandidateSummary['communes'][number]>();
  let eligibleCost = 0;
  for (const c of p.candidates) {
    byStatus[c.status] = (byStatus[c.status] ?? 0) + 1;
    let m = communes.get(c.communeCode);
    if (!m) communes.set(c.communeCode, (m = { code: c.communeCode, name: c.communeName, total: 0, eligible: 0, stateBudget: 0, eligibleCost: 0 }));
    m.total++;
    if (c.status === 'eligible') {
      m.eligible++;
      m.eligibleCost += c.cost ?? 0;
      eligibleCost += c.cost ?? 0;
    }
    if (c.status === 'state_budget') m.stateBudget++;
  }
  return {
    purchaseDate: p.programme.purchaseDate,
    periodEnd: p.periodEnd,
    months: p.programme.cardMonths,
    priorityMode: p.priorities.mode,
    weights: p.priorities.weights,
    ...(p.priorities.tiers ? { tiers: p.priorities.tiers } : {}),
    countAll: p.priorities.countAll === true,
    total: p.candidates.length,
    coveredInArea: p.coveredInArea,
    byStatus,
    eligibleCost,
    communes: [...communes.values()].sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0)),
  };
}

/**
 * The communes among `codes` the actor may see persons of: all for a national or provincial user of the
 * programme's province; a commune officer reading a provincial programme sees their commune only.
 */
export async function visibleCommunes(db: Kysely<DB>, actor: Actor, codes: readonly string[]): Promise<Set<string>> {
  const unique = [...new Set(codes)];
  if (actor.scopeCode === null || unique.length === 0) return new Set(unique);
  const rows = await parentsOf(db, unique);
  return new Set(rows.filter((u) => u.code === actor.scopeCode || u.parentCode === actor.scopeCode).map((u) => u.code));
}

const STATUS_ORDER: Record<CandidateStatus, number> = { eligible: 0, state_budget: 1, no_priority: 2, unpriceable: 3, already_covered: 4 };

/** The candidates of a programme with the summary; filtered by commune, status, tag; 100 a page. */
export async function listCandidates(db: Kysely<DB>, actor: Actor, programmeId: string, query: CandidateQuery = {}) {
  requirePermission(actor, SELECTION_READ);
  const programme = await programmeForActor(db, actor, programmeId, 'read');
  const all = await prepareCandidates(db, programme);
  const visible = await visibleCommunes(db, actor, all.candidates.map((c) => c.communeCode));
  const prepared = { ...all, candidates: all.candidates.filter((c) => visible.has(c.communeCode)) };
  const summary = summarise(prepared);
  const filtered = prepared.candidates
    .filter((c) => (query.commune ? c.communeCode === query.commune : true))
    .filter((c) => (query.status ? c.status === query.status : true))
    .filter((c) => (query.tag ? c.tags.includes(query.tag) : true))
    .sort(
      (a, b) =>
        (a.communeCode < b.communeCode ? -1 : a.communeCode > b.communeCode ? 1 : 0) ||
        STATUS_ORDER[a.status] - STATUS_ORDER[b.status] ||
        b.value - a.value ||
        a.fullName.localeCompare(b.fullName, 'vi') ||
        compareCodes(a.householdCode, b.householdCode) ||
        compareCodes(a.personId, b.personId),
    );
  const offset = query.offset ?? 0;
  const limit = query.limit ?? 100;
  const page = filtered.slice(offset, offset + limit);
  // the current cards' numbers, for this page only
  const held = page.filter((c) => c.currentCard !== null);
  const numbers = await repo.cardNumbers(db, held.map((c) => ({ householdId: c.householdId, personId: c.personId, validFrom: c.currentCard!.validFrom, validTo: c.currentCard!.validTo })));
  const numberOf = new Map(held.map((c, i) => [c, numbers[i]]));
  const items = page.map((c) => (numberOf.has(c) ? { ...c, currentCard: { ...c.currentCard!, number: numberOf.get(c)! } } : c));
  return { summary, matching: filtered.length, items };
}

/**
 * The candidates the state budget pays in full (poor households, children under 6, ...) as an .xlsx the
 * officer takes to the commune to propose them for state-budget cards (issue 16): one row per person
 * with the ids, address, household code and the group that makes them state-paid.
 */
export async function stateBudgetWorkbook(db: Kysely<DB>, actor: Actor, programmeId: string, options: { language?: Language } = {}) {
  const list = await listCandidates(db, actor, programmeId, { status: 'state_budget', limit: Number.MAX_SAFE_INTEGER });
  const programme = await programmeForActor(db, actor, programmeId, 'read');
  const t = translator(options.language ?? actor.language);
  const h = (k: string) => t(`selection:state_budget_sheet.${k}`);
  const keys = ['no', 'fullName', 'birthDate', 'sex', 'citizenId', 'insuranceCode', 'commune', 'householdCode', 'address', 'group', 'tags'] as const;
  const buffer = await xlsxBuffer(
    {
      name: h('sheet'),
      title: [h('title'), t('selection:state_budget_sheet.subtitle', { programme: programme.name, date: formatDateVi(todayInVietnam()) })],
      columns: keys.map((k) => ({
        header: h(k),
        key: k,
        width: k === 'fullName' || k === 'address' ? 28 : k === 'no' ? 6 : 14,
        type: k === 'birthDate' ? ('date' as const) : k === 'no' ? ('integer' as const) : undefined,
        wrap: k === 'address' || k === 'tags',
      })),
      orientation: 'landscape',
    },
    list.items.map((c, i) => ({
      no: i + 1,
      fullName: c.fullName,
      birthDate: c.birthDate,
      sex: t(`selection:state_budget_sheet.sex_${c.sex}`, { defaultValue: c.sex }),
      citizenId: c.citizenId,
      insuranceCode: c.insuranceCode,
      commune: c.communeName ?? c.communeCode,
      householdCode: c.householdCode,
      address: c.address,
      group: c.pricingGroup,
      tags: c.tags.map((tag) => t(`selection:tags.${tag}`, { defaultValue: tag })).join(', '),
    })),
  );
  return { buffer, fileName: `${h('file')}-${programme.publicSlug}.xlsx`, rows: list.items.length };
}

// ---------------------------------------------------------------------------------------------------
// Nominations
// ---------------------------------------------------------------------------------------------------

export interface NominateInput {
  personIds: string[];
  tags: string[];
  note?: string | null;
}

function checkTags(tags: readonly string[], extra: readonly string[], path = 'tags'): string[] {
  const out: string[] = [];
  const fields: FieldError[] = [];
  tags.forEach((t, i) => {
    const tag = parseTag(t, extra);
    if (!tag) fields.push(selectionField(`${path}.${i}`, 'unknown_tag', { tag: t, known: KNOWN_TAGS.join(', ') }));
    else if (!out.includes(tag)) out.push(tag);
  });
  if (fields.length) throw new AppError('validation', {}, fields);
  return out;
}

const NOMINATION_STATUSES = new Set(['draft', 'raising', 'selecting']);

function requireNominationsOpen(programme: Programme) {
  if (!NOMINATION_STATUSES.has(programme.status)) throw new AppError('invalid_transition', { status: programme.status, reason: 'nominations_closed', context: 'nominations_closed', ns: 'selection' });
}

/** Nominates register persons (by id) with tags; a person nominated again gets the new tags and note. */
export async function nominate(db: Kysely<DB>, actor: Actor, programmeId: string, input: NominateInput) {
  requirePermission(actor, SELECTION_WRITE);
  const programme = await programmeForActor(db, actor, programmeId, 'read');
  requireNominationsOpen(programme);
  const ids = [...new Set(input.personIds)];
  if (ids.length === 0) throw new AppError('validation', {}, [{ path: 'personIds', key: 'required' }]);
  const tags = checkTags(input.tags, priorityTags(await repo.programmeJson(db, programmeId)));
  return db.transaction().execute(async (trx) => {
    const persons = new Map((await repo.findPersons(trx, ids)).map((p) => [p.id, p]));
    const fields: FieldError[] = [];
    ids.forEach((id, i) => {
      const p = persons.get(id);
      if (!p || !inScope(actor, [p.communeCode, p.provinceCode ?? ''])) fields.push(selectionField(`personIds.${i}`, 'unknown_person', { id }));
    });
    if (fields.length) throw new AppError('validation', {}, fields);
    for (const id of ids) await writeNomination(trx, actor, programmeId, persons.get(id)!, tags, input.note ?? null);
    return { nominated: ids.length, tags };
  });
}

/** Writes (or rewrites) one nomination with its audit row, in the caller's transaction. */
async function writeNomination(
  trx: Kysely<DB>,
  actor: Actor,
  programmeId: string,
  p: { id: string; householdId: string; communeCode: string },
  tags: string[],
  note: string | null,
): Promise<void> {
  const before = await repo.findNomination(trx, programmeId, p.id);
  await repo.upsertNomination(trx, { programmeId, householdId: p.householdId, personId: p.id, communeCode: p.communeCode, tags, note, nominatedBy: actor.username });
  await audit(trx, actor, {
    action: before ? 'update' : 'create',
    entity: 'programme_nomination',
    entityId: `${programmeId}/${p.id}`,
    unitCode: p.communeCode,
    before: before ?? null,
    after: { programmeId, personId: p.id, tags, note },
  });
}

/** The statuses in which a programme is open to nominations from the field (door to door, issue 19). */
const OPEN_STATUSES = ['raising', 'selecting'] as const;

export interface OpenProgramme {
  id: string;
  name: string;
  /** The villages of the commune its area names; null: the whole commune. */
  villages: string[] | null;
}

/**
 * Programmes raising money or selecting whose area covers the commune (all of it, or some of its
 * villages), for the door-to-door list to offer a nomination. No access check: the caller (the outreach
 * service) checked its own; only ids and names go out.
 */
export async function programmesOpenFor(db: Kysely<DB>, commune: { code: string; provinceCode: string | null }): Promise<OpenProgramme[]> {
  const rows = await repo.programmesCovering(db, [...OPEN_STATUSES], commune.code, commune.provinceCode);
  const out: OpenProgramme[] = [];
  for (const p of rows) {
    const codes = p.areaCodes.length ? p.areaCodes : [p.ownerUnitCode];
    const whole = p.areaKind === 'province' ? codes.includes(commune.provinceCode ?? '') : codes.includes(commune.code);
    const villages = p.areaKind === 'area' ? codes.filter((c) => c.startsWith(`${commune.code}.`)) : [];
    if (whole) out.push({ id: p.id, name: p.name, villages: null });
    else if (villages.length) out.push({ id: p.id, name: p.name, villages });
  }
  return out;
}

/** Which of the persons are nominated for which of the programmes: keys 'programmeId/personId'. */
export async function nominationsAmong(db: Kysely<DB>, programmeIds: string[], personIds: string[]): Promise<Set<string>> {
  return new Set((await repo.nominationKeys(db, programmeIds, personIds)).map((r) => `${r.programmeId}/${r.personId}`));
}

/**
 * A nomination made in the field (issue 19): the caller (the outreach service) checked that the person
 * lives in the villages of the actor's working group and that the programme is one of
 * `programmesOpenFor` their commune and village; the tags are checked here as in `nominate`.
 */
export async function nominateFromField(
  db: Kysely<DB>,
  actor: Actor,
  programmeId: string,
  person: { id: string; householdId: string; communeCode: string },
  input: { tags: string[]; note?: string | null },
) {
  const tags = checkTags(input.tags, priorityTags(await repo.programmeJson(db, programmeId)));
  await db.transaction().execute((trx) => writeNomination(trx, actor, programmeId, person, tags, input.note ?? null));
  return { nominated: 1, tags };
}

export async function listNominations(db: Kysely<DB>, actor: Actor, programmeId: string) {
  requirePermission(actor, SELECTION_READ);
  await programmeForActor(db, actor, programmeId, 'read');
  const rows = await repo.listNominations(db, programmeId, { scope: actor.scopeCode });
  return rows.map((r) => ({ ...r, createdAt: new Date(r.createdAt).toISOString() }));
}

export async function removeNomination(db: Kysely<DB>, actor: Actor, programmeId: string, personId: string): Promise<void> {
  requirePermission(actor, SELECTION_WRITE);
  const programme = await programmeForActor(db, actor, programmeId, 'read');
  requireNominationsOpen(programme);
  await db.transaction().execute(async (trx) => {
    const before = await repo.findNomination(trx, programmeId, personId);
    const person = before ? (await repo.findPersons(trx, [personId]))[0] : undefined;
    if (!before || (person && !inScope(actor, [person.communeCode, person.provinceCode ?? ''])) || (!person && !inScope(actor, [before.communeCode])))
      throw notFound('programme_nomination', personId);
    await repo.deleteNomination(trx, programmeId, personId);
    await audit(trx, actor, { action: 'delete', entity: 'programme_nomination', entityId: `${programmeId}/${personId}`, unitCode: before.communeCode, before });
  });
}

export interface NominationImportRowError {
  row: number;
  column: string;
  value: string;
  message: string;
}

export interface NominationImportReport {
  rows: number;
  /** Persons nominated (new or updated nominations). */
  nominated: number;
  /** Rows not nominated (bad tags, rejected by the register import, or not found after it). */
  rejected: number;
  register: Pick<ImportReport, 'inserted' | 'updated' | 'unchanged' | 'rejected'>;
  errors: NominationImportRowError[];
  rolledBack: boolean;
}

type NominationSource = { path: string; format?: 'csv' | 'xlsx' } | { stream: Readable; format: 'csv' | 'xlsx' } | { buffer: Buffer; format: 'csv' | 'xlsx' };

const TAG_HEADERS = new Set(['tags', 'tag', 'nhan', 'nhan uu tien', 'nhom uu tien', 'uu tien', 'dien uu tien', 'priority tags']);

async function bufferOf(source: NominationSource): Promise<{ buffer: Buffer; format: 'csv' | 'xlsx' }> {
  if ('buffer' in source) return source;
  if ('path' in source) {
    const fs = await import('node:fs');
    const ext = source.path.toLowerCase().endsWith('.xlsx') ? 'xlsx' : 'csv';
    return { buffer: fs.readFileSync(source.path), format: source.format ?? ext };
  }
  const chunks: Buffer[] = [];
  for await (const chunk of source.stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as string));
  return { buffer: Buffer.concat(chunks), format: source.format };
}

const rowsOfBuffer = (buffer: Buffer, format: 'csv' | 'xlsx') => readRows(Readable.from([buffer]), format);


/**
 * Imports a commune's list: the register template plus a `tags` column (codes or labels, separated by
 * commas or semicolons). 1. Every row's tags are checked first: any unknown tag refuses the whole file,
 * naming row and column, writing nothing. 2. The persons go through the register import with valid rows
 * only (they land in the register; its error rows are reported here with their row numbers). 3. Each
 * row's person is found again (citizen id, insurance code, or commune + household code + name + birth
 * date) and nominated with the row's tags. `dryRun` stops after step 1 and the register's dry run.
 */
export async function importNominations(
  database: Database,
  actor: Actor,
  programmeId: string,
  source: NominationSource,
  options: { dryRun?: boolean; language?: Language; today?: string } = {},
): Promise<NominationImportReport> {
  requirePermission(actor, SELECTION_WRITE);
  const db = database.db;
  const programme = await programmeForActor(db, actor, programmeId, 'read');
  requireNominationsOpen(programme);
  const t = translator(options.language ?? actor.language);
  const today = options.today ?? todayInVietnam();
  const { buffer, format } = await bufferOf(source);
  const extra = priorityTags(await repo.programmeJson(db, programmeId));

  // 1. read the rows: tags and the keys to find each person again
  interface Keyed {
    row: number;
    tags: string[];
    citizenId?: string;
    insuranceCode?: string;
    communeCode: string;
    householdCode: string;
    nameKey: string;
    birthDate: string;
  }
  const keyed: Keyed[] = [];
  const errors: NominationImportRowError[] = [];
  const badRows = new Set<number>();
  let header: ReturnType<typeof mapHeader> | undefined;
  let tagColumn = -1;
  let validate: ReturnType<typeof rowValidator> | undefined;
  let rowNo = 1;
  for await (const cells of rowsOfBuffer(buffer, format)) {
    if (!header) {
      const texts = cells.map(cellText);
      header = mapHeader(texts);
      tagColumn = texts.findIndex((h) => TAG_HEADERS.has(foldVietnamese(h)));
      const missing: FieldError[] = header.missing.map((c) => ({ path: c, key: 'import_missing_column', params: { column: c } }));
      if (tagColumn < 0) missing.push({ path: 'tags', key: 'import_missing_column', params: { column: 'tags' } });
      if (missing.length) throw new AppError('validation', {}, missing);
      validate = rowValidator(header, { knownGroups: (g) => isKnownGroup(DEFAULT_RULES, g), today });
      continue;
    }
    rowNo++;
    const raw = cellText(cells[tagColumn]);
    const tags: string[] = [];
    for (const part of raw.split(/[;,|]/)) {
      if (part.trim() === '') continue;
      const tag = parseTag(part, extra);
      if (!tag) {
        badRows.add(rowNo);
        errors.push({ row: rowNo, column: 'tags', value: part.trim(), message: t('selection:fields.unknown_tag', { tag: part.trim(), known: KNOWN_TAGS.join(', ') }) });
      } else if (!tags.includes(tag)) tags.push(tag);
    }
    const result = validate!(cells);
    if (!result.ok) continue; // the register import reports it
    const r = result.row;
    keyed.push({
      row: rowNo,
      tags,
      ...(r.citizenId ? { citizenId: r.citizenId } : {}),
      ...(r.insuranceCode ? { insuranceCode: r.insuranceCode } : {}),
      communeCode: r.communeCode,
      householdCode: r.householdCode,
      nameKey: nameKey(r.fullName),
      birthDate: r.birthDate,
    });
  }
  if (!header) throw new AppError('validation', {}, [{ path: 'file', key: 'import_empty' }]);
  const rows = rowNo - 1;
  const report: NominationImportReport = { rows, nominated: 0, rejected: 0, register: { inserted: 0, updated: 0, unchanged: 0, rejected: 0 }, errors, rolledBack: true };
  if (badRows.size > 0) {
    report.rejected = rows;
    return report;
  }

  // 2. the persons into the register (valid rows only)
  const { Readable: R } = await import('node:stream');
  const registerReport = await importRegister(database, actor, { stream: R.from([buffer]), format }, { validRowsOnly: true, dryRun: options.dryRun, language: options.language ?? actor.language, today });
  report.register = { inserted: registerReport.inserted, updated: registerReport.updated, unchanged: registerReport.unchanged, rejected: registerReport.rejected };
  const registerBad = new Set(registerReport.errors.map((e) => e.row));
  for (const e of registerReport.errors) errors.push(e);
  if (options.dryRun) {
    report.rejected = registerReport.rejected;
    report.nominated = rows - registerReport.rejected;
    errors.sort((a, b) => a.row - b.row);
    return report;
  }

  // 3. nominate the persons found
  let nominated = 0;
  await db.transaction().execute(async (trx) => {
    for (const k of keyed) {
      if (registerBad.has(k.row)) continue;
      const communes = await repo.communesForCode(trx, k.communeCode);
      const found = await repo.matchPerson(trx, { ...k, communeCodes: communes });
      if (found.length !== 1) {
        errors.push({ row: k.row, column: 'full_name', value: '', message: t('selection:fields.person_not_found') });
        registerBad.add(k.row);
        continue;
      }
      const p = found[0];
      const before = await repo.findNomination(trx, programmeId, p.id);
      const tags = [...new Set([...(before?.tags ?? []), ...k.tags])];
      await repo.upsertNomination(trx, { programmeId, householdId: p.householdId, personId: p.id, communeCode: p.communeCode, tags, note: before?.note ?? null, nominatedBy: actor.username });
      nominated++;
    }
    await audit(trx, actor, {
      action: 'import',
      entity: 'programme_nomination',
      entityId: programmeId,
      unitCode: actor.scopeCode,
      after: { rows, nominated, register: report.register },
    });
  });
  report.nominated = nominated;
  report.rejected = rows - nominated;
  report.rolledBack = false;
  errors.sort((a, b) => a.row - b.row);
  return report;
}

