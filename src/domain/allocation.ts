/**
 * Selection under budget (issue 6 item 4): choose whom a donation programme funds so that the total
 * priority of the people covered is the highest the money allows.
 *
 * Pure: no I/O, no clock (the payment date comes in with the input), money in integer dong. The
 * numbers come from the rules engine: `quote(input, rules)` in premium.ts.
 *
 * THE MODEL
 * - Value of a person = the sum of the weights of the person's tags (each tag counted once; a tag
 *   without a weight counts 0). Weights are used as given (fractions allowed, never negative).
 * - Cost of a person = the participant's share (`payable`) of the rules engine for the period:
 *   what is left after the state (and local) share, e.g. 30% of a full premium for a near-poor (CN)
 *   person. A person whose pricing group the state pays in full (HN, TE, DT, ...) is never bought:
 *   excluded with 'state_budget' (they are enrolled through the state budget).
 * - Household mode (pricing group with the role 'household', GD): members of one household bought
 *   together pay 100/70/60/50/40% of the first member's premium in the order they join this year,
 *   after the household's `enrolledThisYear` members (the next one continues the order). The
 *   allocation input carries no birth date or province, so every GD member of a household has the same
 *   full premium and the j-th member bought costs the j-th payable of the chain, whoever it is. Buying
 *   k GD members of a household therefore costs the sum of the first k chain payables, and the best k
 *   to buy are the k with the highest value (ties: id). A household's `enrolledThisYear` is the largest
 *   value given on its candidates.
 * - Members priced in another group (CN, HS, ...) are independent items, even inside a household, and
 *   do not count in its order (as in the rules engine). A person in several groups is priced in the one
 *   with the highest support (GD+HS is a pupil at 50%), never bought in household mode instead.
 *
 * So this is a multiple-choice knapsack (MCKP): one class per household chain (options: buy its best
 * 0, 1, ..., m GD members) and one two-option class per other person. Marginal costs in a chain
 * DECREASE while marginal values decrease too, so a chain is not a concave item; the standard answer is
 * the upper convex hull of each class's (cost, value) options.
 *
 * THE SOLVER (`solveChoice`)
 * 1. LP bound: the hull increments of all classes sorted by value per dong, taken greedily with the last
 *    one fractional. That is the exact optimum of the LP relaxation of the MCKP (Sinha and Zoltners,
 *    1979), an upper bound of any selection (`allocationBound`).
 * 2. Greedy: the same increments in the same order, each taken when it fits and its class is still
 *    where the hull expects it; then a fill phase spends what is left on the best upgrade (any option of
 *    any class, hull or not) that still fits, repeatedly.
 * 3. Exact search: depth-first branch and bound, every option of a class tried from the most valuable,
 *    classes in order of their best value per dong, pruned by the LP bound of the classes not yet
 *    decided, starting from the greedy selection. Up to 300 classes it runs over all of them and, when it
 *    finishes, proves the optimum (`provenOptimal`); beyond, it re-decides exactly the 80 classes whose
 *    increments lie around the LP break (a "core", as in Pisinger's core algorithms), every other class
 *    keeping its greedy option. It stops after a fixed amount of work (increments scanned, 10 million
 *    by default, about 60 ms; deterministic, no clock) and never returns less than the greedy.
 *    Dynamic programming over the budget is not an option: costs are in dong.
 * Quality: on small instances the exact optimum (a test compares with exhaustive search over every
 * subset of up to 20 candidates, priced by the rules engine); on 100,000 candidates 0.3 s and within
 * 0.01% of the LP bound, whose gap is at most one class (a household's increment), see bench/allocation.ts.
 * Every tie is broken by a stable order (commune, household or candidate id), so the same input always
 * gives the same selection.
 *
 * MODES
 * - 'concentrate' (default): one pool, the whole budget over every candidate given (the caller passes
 *   the area's candidates).
 * - 'spread': every commune gets a quota, either by hand (`quotas`, dong per commune code) or, without
 *   quotas, in proportion to the commune's total priority (the sum of the values of its candidates who
 *   could be bought), largest remainder to the dong, ties by commune code. Pass 1 solves each commune
 *   within its quota (reason 'commune_quota'). Pass 2 pools everything not spent (unspent quotas, the
 *   budget not given to any commune by hand) and solves once more over everyone not yet selected, a
 *   household continuing its order where pass 1 stopped (reason 'moved_quota').
 *
 * REASONS
 * Selected: 'within_budget' (concentrate), 'commune_quota', 'moved_quota' (spread).
 * Excluded: 'unpriceable' (the rules engine refused, with its message), 'state_budget', 'already_covered'
 * (`coveredUntil` on or after the last day of the period bought), 'no_priority' (value 0), 'over_budget'
 * (could be bought, but the money went to higher priorities).
 *
 * RENEWALS (issue 16)
 * A person whose card is valid on the payment date is never bought a card from that date. When that card
 * ends inside the programme's window (payment date .. + months), the person is a renewal: the donated
 * card starts the day after the old one ends (BHYT continuity, `previousCardTo` in the rules engine) and
 * runs to the window's end, in whole months rounded up to a BHYT payment period (3, 6 or 12 months, never
 * more than the programme's months): `donatedCard`. The person costs what that card costs, priced by the
 * rules engine on the payment date for those months. See docs/decisions.md.
 */
import { addDays, ageInYears, endOfPeriod } from './calendar';
import { isIsoDate, type IsoDate } from './dates';
import { vnd, type Vnd } from './money';
import { isEthnicMinority, quote, RuleError, type MemberQuote, type RuleSet } from './premium';
import { localPoliciesOn } from './premium-rules';

// ---------------------------------------------------------------------------------------------------
// Input, output
// ---------------------------------------------------------------------------------------------------

export type AllocationMode = 'concentrate' | 'spread';

export interface AllocationCandidate {
  readonly id: string;
  readonly household: string;
  /** Commune code (the quota unit in spread mode). */
  readonly commune: string;
  /** Participant group codes (GD, CN, HS, HN, ...); the rules engine picks the pricing group. */
  readonly groups: readonly string[];
  /** Priority tags, valued by `weights`. */
  readonly tags: readonly string[];
  /** Household-mode members of the household already enrolled this calendar year. */
  readonly enrolledThisYear?: number;
  /** Last day of the person's current card, if any. */
  readonly coveredUntil?: IsoDate;
  /** Province code: the province's local support policies apply (issue 16: one price on every path). */
  readonly province?: string;
  /** For local policies that depend on age. */
  readonly birthDate?: IsoDate;
  /** As in the register, for local policies limited to ethnic minorities. */
  readonly ethnicity?: string | null;
}

export interface AllocationInput {
  /** Payment date. */
  readonly date: IsoDate;
  /** Months bought, 1-12. */
  readonly months: number;
  /** Dong available. */
  readonly budget: number;
  readonly weights: Readonly<Record<string, number>>;
  readonly candidates: readonly AllocationCandidate[];
  readonly mode?: AllocationMode;
  /** Spread mode by hand: dong per commune code (the sum may not exceed the budget). */
  readonly quotas?: Readonly<Record<string, number>>;
}

export type SelectionReason = 'within_budget' | 'commune_quota' | 'moved_quota';
export type ExclusionReason = 'unpriceable' | 'state_budget' | 'already_covered' | 'no_priority' | 'over_budget';

export interface Exclusion {
  readonly id: string;
  readonly reason: ExclusionReason;
  /** For 'unpriceable': what the rules engine said. */
  readonly message?: string;
}

/** One line per candidate, in input order: what was decided and why. */
export interface Decision {
  readonly id: string;
  readonly household: string;
  readonly commune: string;
  readonly selected: boolean;
  readonly reason: SelectionReason | ExclusionReason;
  /** Sum of the weights of the person's tags. */
  readonly value: number;
  /**
   * What the person costs the donor (null when unpriceable). A household-mode member: at its order, the
   * members of its household bought in value order (for one not selected: had those before it been
   * bought); anyone else: priced alone.
   */
  readonly cost: Vnd | null;
  /** Household order of a selected household-mode member (after enrolledThisYear), else null. */
  readonly order: number | null;
  /** The card the cost buys (null: already covered for the whole window). */
  readonly card: DonatedCard | null;
  readonly message?: string;
}

export interface CommuneAllocation {
  readonly commune: string;
  /** Sum of the values of the commune's candidates who could be bought. */
  readonly priority: number;
  readonly quota: Vnd;
  /** Spent within the quota (pass 1). */
  readonly spentInQuota: Vnd;
  /** Spent from money moved from other communes (pass 2). */
  readonly spentMoved: Vnd;
  readonly selected: number;
}

export interface AllocationResult {
  /** Ids of the selected persons, in input order. */
  readonly selected: string[];
  readonly spent: Vnd;
  readonly unspent: Vnd;
  /** Sum of the values of the selected persons. */
  readonly objective: number;
  /** Every person not selected, with the reason, in input order. */
  readonly excluded: Exclusion[];
  readonly decisions: Decision[];
  readonly mode: AllocationMode;
  /** LP upper bound of the objective for the whole budget in one pool (valid for both modes). */
  readonly upperBound: number;
  /** True when no selection within the rules of the mode can reach a higher objective (concentrate mode). */
  readonly provenOptimal: boolean;
  /** Spread mode: per commune, sorted by code. */
  readonly communes?: CommuneAllocation[];
}

export interface AllocationOptions {
  /**
   * Work allowed to the exact search, in increments scanned, for the whole call (deterministic; default
   * 10,000,000, about 60 ms; spread mode shares it among the communes). 0 keeps the greedy selection.
   */
  readonly searchWork?: number;
}

/** The card a donation buys a person: from, to (inclusive), months; renewal when it continues a current card. */
export interface DonatedCard {
  readonly from: IsoDate;
  readonly to: IsoDate;
  readonly months: number;
  readonly renewal: boolean;
}

/** BHYT payment periods for households and pupils (reference: bhyt-rules.md, "Payment periods"). */
const PAYMENT_PERIODS = [3, 6, 12];

/**
 * The card a programme paying on `date` for `months` buys a person whose current coverage ends on
 * `coveredUntil`: null when that coverage reaches the window's last day (already covered); from the
 * payment date for the programme's months when the person is not covered on the payment date; otherwise
 * a renewal from the day after `coveredUntil` to the window's end, in whole months rounded up to 3, 6 or
 * 12 (at most `months`). The rules engine dates the first two kinds itself (first-time wait, child
 * cards); this is the period the selection prices and the start date no existing card may cover.
 */
export function donatedCard(date: IsoDate, months: number, coveredUntil?: IsoDate | null): DonatedCard | null {
  const periodEnd = endOfPeriod(date, months);
  if (!coveredUntil || coveredUntil < date) return { from: date, to: periodEnd, months, renewal: false };
  if (coveredUntil >= periodEnd) return null;
  const from = addDays(coveredUntil, 1);
  let needed = 1;
  while (needed < months && endOfPeriod(from, needed) < periodEnd) needed++;
  const m = Math.min(months, PAYMENT_PERIODS.find((p) => p >= needed) ?? months);
  return { from, to: endOfPeriod(from, m), months: m, renewal: true };
}

/**
 * THE price of a programme's card for a person (issue 16: selection, hand-made awards and the candidate
 * lists all price through here): the rules engine on the payment date `date`, for the card's months,
 * continuing the old card for a renewal, with the local support policies of the person's province (and
 * age). `enrolledBefore`: household-mode members before this one this year. Throws RuleError.
 */
export function cardQuote(
  date: IsoDate,
  card: DonatedCard,
  person: { readonly groups: readonly string[]; readonly province?: string; readonly birthDate?: IsoDate; readonly commune?: string; readonly ethnicity?: string | null },
  rules: RuleSet,
  enrolledBefore?: number,
): MemberQuote {
  return quote(
    {
      date,
      months: card.months,
      ...(enrolledBefore !== undefined ? { enrolledThisYear: enrolledBefore } : {}),
      ...(person.province !== undefined ? { province: person.province } : {}),
      members: [
        {
          groups: person.groups,
          ...(person.birthDate !== undefined ? { birthDate: person.birthDate } : {}),
          ...(card.renewal ? { previousCardTo: addDays(card.from, -1) } : {}),
          // local policies limited to communes or ethnic minorities (an adopted simulator scenario)
          ...(person.commune !== undefined ? { commune: person.commune } : {}),
          ...(person.ethnicity ? { ethnicity: person.ethnicity } : {}),
        },
      ],
    },
    rules,
  ).members[0];
}

/**
 * The `coveredUntil` of a person for a window ending on `periodEnd`: the last day of the latest card that
 * starts on or before that day (null: none). A card that ended before the payment date makes the person
 * a first-time buyer (see `donatedCard`); one that starts inside the window pushes the donated card after
 * it, so a donated card never starts on a covered day. (The candidates' SQL computes the same.)
 */
export function coveredUntilInWindow(cards: readonly { validFrom: IsoDate; validTo: IsoDate }[], periodEnd: IsoDate): IsoDate | null {
  let until: IsoDate | null = null;
  for (const c of cards) if (c.validFrom <= periodEnd && c.validFrom <= c.validTo && (until === null || c.validTo > until)) until = c.validTo;
  return until;
}

/** Work allowed to the exact search by default (increments scanned; about 60 ms). */
const DEFAULT_SEARCH_WORK = 10_000_000;

// ---------------------------------------------------------------------------------------------------
// Validation
// ---------------------------------------------------------------------------------------------------

export interface InputIssue {
  /** Path of the offending field, e.g. 'candidates[3].groups[0]'. */
  readonly path: string;
  readonly message: string;
}

/** The input cannot be used; `issues` names every field at fault (up to 50). */
export class AllocationInputError extends Error {
  readonly issues: InputIssue[];

  constructor(issues: InputIssue[]) {
    super(issues.map((i) => `${i.path || '(input)'}: ${i.message}`).join('; '));
    this.name = 'AllocationInputError';
    this.issues = issues;
  }
}

const MAX_ISSUES = 50;
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const describe = (v: unknown) => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? `"${v}"` : typeof v === 'object' ? 'an object' : String(v));

/**
 * Checks an untrusted value (parsed JSON) and returns it as an AllocationInput, or throws
 * AllocationInputError naming each field at fault. Unknown fields are ignored.
 */
export function parseAllocationInput(raw: unknown): AllocationInput {
  const issues: InputIssue[] = [];
  const issue = (path: string, message: string) => {
    if (issues.length < MAX_ISSUES) issues.push({ path, message });
  };
  if (!isRecord(raw)) throw new AllocationInputError([{ path: '', message: `expected an object, got ${describe(raw)}` }]);

  const nonEmptyString = (v: unknown, path: string): v is string => {
    if (typeof v === 'string' && v.trim() !== '') return true;
    issue(path, v === undefined ? 'required' : `expected a non-empty string, got ${describe(v)}`);
    return false;
  };
  const amount = (v: unknown, path: string): v is number => {
    if (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0) return true;
    issue(path, v === undefined ? 'required' : `expected a whole number of dong >= 0, got ${describe(v)}`);
    return false;
  };

  if (typeof raw.date !== 'string' || !isIsoDate(raw.date)) issue('date', raw.date === undefined ? 'required' : `expected a date YYYY-MM-DD, got ${describe(raw.date)}`);
  if (typeof raw.months !== 'number' || !Number.isInteger(raw.months) || raw.months < 1 || raw.months > 12) {
    issue('months', raw.months === undefined ? 'required' : `expected a whole number from 1 to 12, got ${describe(raw.months)}`);
  }
  amount(raw.budget, 'budget');

  if (!isRecord(raw.weights)) issue('weights', raw.weights === undefined ? 'required' : `expected an object {"TAG": number}, got ${describe(raw.weights)}`);
  else {
    for (const [tag, w] of Object.entries(raw.weights)) {
      if (typeof w !== 'number' || !Number.isFinite(w) || w < 0) issue(`weights.${tag}`, `expected a number >= 0, got ${describe(w)}`);
    }
  }

  let mode: AllocationMode | undefined;
  if (raw.mode !== undefined) {
    if (raw.mode === 'concentrate' || raw.mode === 'spread') mode = raw.mode;
    else issue('mode', `expected "concentrate" or "spread", got ${describe(raw.mode)}`);
  }
  if (raw.quotas !== undefined) {
    if (!isRecord(raw.quotas)) issue('quotas', `expected an object {"COMMUNE": dong}, got ${describe(raw.quotas)}`);
    else {
      if (mode === 'concentrate') issue('quotas', 'quotas apply to mode "spread" only');
      let sum = 0;
      for (const [commune, q] of Object.entries(raw.quotas)) if (amount(q, `quotas.${commune}`)) sum += q;
      if (typeof raw.budget === 'number' && Number.isSafeInteger(raw.budget) && sum > raw.budget) {
        issue('quotas', `the quotas add up to ${sum} dong, more than the budget of ${raw.budget}`);
      }
    }
  }

  if (!Array.isArray(raw.candidates)) issue('candidates', raw.candidates === undefined ? 'required' : `expected an array, got ${describe(raw.candidates)}`);
  else {
    const seen = new Map<string, number>();
    const householdCommune = new Map<string, [string, number]>();
    raw.candidates.forEach((c: unknown, i: number) => {
      const at = `candidates[${i}]`;
      if (!isRecord(c)) return issue(at, `expected an object, got ${describe(c)}`);
      if (nonEmptyString(c.id, `${at}.id`)) {
        const first = seen.get(c.id);
        if (first !== undefined) issue(`${at}.id`, `duplicate id "${c.id}" (also candidates[${first}])`);
        else seen.set(c.id, i);
      }
      const hasHousehold = nonEmptyString(c.household, `${at}.household`);
      if (nonEmptyString(c.commune, `${at}.commune`) && hasHousehold) {
        const known = householdCommune.get(c.household as string);
        if (!known) householdCommune.set(c.household as string, [c.commune, i]);
        else if (known[0] !== c.commune) {
          issue(`${at}.commune`, `household "${String(c.household)}" is in commune "${known[0]}" (candidates[${known[1]}]), not "${c.commune}"`);
        }
      }
      if (!Array.isArray(c.groups) || c.groups.length === 0) {
        issue(`${at}.groups`, c.groups === undefined ? 'required' : `expected a non-empty array of group codes, got ${describe(c.groups)}`);
      } else c.groups.forEach((g: unknown, j: number) => nonEmptyString(g, `${at}.groups[${j}]`));
      if (c.tags !== undefined && !Array.isArray(c.tags)) issue(`${at}.tags`, `expected an array of tags, got ${describe(c.tags)}`);
      else if (Array.isArray(c.tags)) c.tags.forEach((t: unknown, j: number) => nonEmptyString(t, `${at}.tags[${j}]`));
      const e = c.enrolledThisYear;
      if (e !== undefined && (typeof e !== 'number' || !Number.isSafeInteger(e) || e < 0)) {
        issue(`${at}.enrolledThisYear`, `expected a whole number >= 0, got ${describe(e)}`);
      }
      if (c.coveredUntil !== undefined && c.coveredUntil !== null && (typeof c.coveredUntil !== 'string' || !isIsoDate(c.coveredUntil))) {
        issue(`${at}.coveredUntil`, `expected a date YYYY-MM-DD, got ${describe(c.coveredUntil)}`);
      }
    });
  }
  if (issues.length) throw new AllocationInputError(issues);

  const candidates = (raw.candidates as Record<string, unknown>[]).map(
    (c): AllocationCandidate => ({
      id: c.id as string,
      household: c.household as string,
      commune: c.commune as string,
      groups: c.groups as string[],
      tags: (c.tags as string[] | undefined) ?? [],
      ...(c.enrolledThisYear !== undefined ? { enrolledThisYear: c.enrolledThisYear as number } : {}),
      ...(typeof c.coveredUntil === 'string' ? { coveredUntil: c.coveredUntil } : {}),
    }),
  );
  const quotas = raw.quotas as Record<string, number> | undefined;
  return {
    date: raw.date as string,
    months: raw.months as number,
    budget: raw.budget as number,
    weights: raw.weights as Record<string, number>,
    candidates,
    ...(mode ?? quotas ? { mode: mode ?? 'spread' } : {}),
    ...(quotas ? { quotas } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------
// Pricing: candidates -> choice classes
// ---------------------------------------------------------------------------------------------------

/** One class of the multiple-choice knapsack: buy the first k of `members` (k = 0..m). */
interface ChoiceClass extends ChoiceOptions {
  readonly commune: string;
  /** Stable sort key: the household id for a chain, the candidate id otherwise. */
  readonly key: string;
  /** Candidate indexes in buying order (a chain: value descending, ties by id). */
  readonly members: number[];
  // cost[k], value[k] (ChoiceOptions): cost and value of buying the first k members (index 0: nothing)
  /** Household order of each member when bought (chains), else null. */
  readonly orders: readonly (number | null)[];
}

interface Priced {
  /** Per candidate: value, cost alone (null: unpriceable), exclusion decided before the solver. */
  readonly value: number[];
  readonly costAlone: (number | null)[];
  readonly excluded: (Exclusion | null)[];
  readonly classes: ChoiceClass[];
  /** The card each candidate would be bought (null: already covered for the whole window). */
  readonly cards: (DonatedCard | null)[];
}

function candidateValue(tags: readonly string[], weights: Readonly<Record<string, number>>): number {
  if (tags.length === 1) return Object.hasOwn(weights, tags[0]) ? weights[tags[0]] : 0;
  let value = 0;
  const seen = new Set<string>();
  for (const tag of tags) {
    if (seen.has(tag)) continue;
    seen.add(tag);
    if (Object.hasOwn(weights, tag)) value += weights[tag];
  }
  return value;
}

/** A refusal that concerns the whole input (date, months), not one person. */
function inputRefusal(e: RuleError): AllocationInputError {
  const path = e.field === 'date' || e.field === 'months' ? e.field : '';
  return new AllocationInputError([{ path, message: e.message }]);
}

function price(input: AllocationInput, rules: RuleSet): Priced {
  const { date, months, candidates, weights } = input;
  const periodEnd = endOfPeriod(date, months);
  const n = candidates.length;
  const value = new Array<number>(n);
  const costAlone = new Array<number | null>(n).fill(null);
  const excluded = new Array<Exclusion | null>(n).fill(null);
  const cards = new Array<DonatedCard | null>(n).fill(null);

  // The card bought depends only on the current card's end: one object per end date, shared (readonly).
  const fresh: DonatedCard = { from: date, to: periodEnd, months, renewal: false };
  const renewals = new Map<IsoDate, DonatedCard | null>();
  const cardFor = (coveredUntil: IsoDate | undefined): DonatedCard | null => {
    if (!coveredUntil || coveredUntil < date) return fresh;
    let card = renewals.get(coveredUntil);
    if (card === undefined) renewals.set(coveredUntil, (card = donatedCard(date, months, coveredUntil)));
    return card;
  };

  // The price of a person depends only on the groups and the card bought (the input has no birth date
  // or province): the programme's months from the payment date, or a renewal's months after its old card.
  interface Single {
    payable: number;
    stateFunded: boolean;
    household: string | null;
    error: string | null;
  }
  const singles = new Map<string, Single>();
  const cardKey = (card: DonatedCard) => (card.renewal ? `${card.from}|${card.months}` : '');
  const single = (c: AllocationCandidate, card: DonatedCard): Single => {
    const where = localKey(c);
    const key = `${c.groups.join('\u0000')}\u0001${cardKey(card)}\u0001${where}`;
    let s = singles.get(key);
    if (!s) {
      try {
        const m = cardQuote(date, card, localPerson(c), rules);
        s = { payable: m.payable, stateFunded: m.stateBasisPoints >= 10_000, household: m.order !== null ? m.group : null, error: null };
      } catch (e) {
        if (!(e instanceof RuleError)) throw e;
        if (!e.field.startsWith('members[0]')) throw inputRefusal(e);
        const field = e.field.slice('members[0]'.length).replace(/^\./, '');
        s = { payable: 0, stateFunded: false, household: null, error: `${field ? `${field}: ` : ''}${e.message} (${e.code})` };
      }
      singles.set(key, s);
    }
    return s;
  };
  // local policies: the price depends on the province and, where a policy of that province looks at
  // age, commune or ethnicity, on that too (only then is it given to the rules engine and in the key)
  type LocalKind = { age: boolean; commune: boolean; minority: boolean } | null;
  type LocalPerson = { groups: readonly string[]; province?: string; birthDate?: IsoDate; commune?: string; ethnicity?: string };
  const localKinds = new Map<string, LocalKind>();
  const kindOf = (province: string): LocalKind => {
    let kind = localKinds.get(province);
    if (kind === undefined) {
      const policies = localPoliciesOn(rules, province, date);
      kind =
        policies.length === 0
          ? null
          : {
              age: policies.some((p) => p.ageFrom !== undefined || p.ageBelow !== undefined),
              commune: policies.some((p) => p.communes !== undefined),
              minority: policies.some((p) => p.ethnicMinority === true),
            };
      localKinds.set(province, kind);
    }
    return kind;
  };
  /** What of the person, besides the groups and the card, the price depends on ('' : nothing). */
  const localKey = (c: AllocationCandidate): string => {
    const kind = c.province === undefined ? null : kindOf(c.province);
    if (kind === null) return '';
    let key = c.province!;
    if (kind.age && c.birthDate !== undefined) key += `|${ageInYears(c.birthDate, date)}`;
    if (kind.commune) key += `|${c.commune}`;
    // any minority ethnicity prices alike: the engine asks only "minority or not"
    if (kind.minority) key += isEthnicMinority(c.ethnicity) ? '|m' : '|k';
    return key;
  };
  /** The person as the rules engine is given them (made only when a price is not known yet). */
  const localPerson = (c: AllocationCandidate): LocalPerson => {
    const kind = c.province === undefined ? null : kindOf(c.province);
    if (kind === null) return { groups: c.groups };
    const person: LocalPerson = { groups: c.groups, province: c.province };
    if (kind.age && c.birthDate !== undefined) person.birthDate = c.birthDate;
    if (kind.commune) person.commune = c.commune;
    if (kind.minority && isEthnicMinority(c.ethnicity)) person.ethnicity = c.ethnicity!;
    return person;
  };

  // Household chains: the payable of a member at order `enrolled + j + 1` for its own card (the order
  // factor applies to each member's own premium, so members with different cards price alike).
  const orderCosts = new Map<string, number>();
  const chainCost = (c: AllocationCandidate, group: string, enrolledBefore: number, card: DonatedCard): number => {
    const key = `${group}|${enrolledBefore}|${cardKey(card)}|${localKey(c)}`;
    let cost = orderCosts.get(key);
    if (cost === undefined) {
      cost = cardQuote(date, card, { ...localPerson(c), groups: [group] }, rules, enrolledBefore).payable as number;
      orderCosts.set(key, cost);
    }
    return cost;
  };

  // households by index, in order of first appearance; the largest enrolledThisYear given on their candidates
  const householdIndex = new Map<string, number>();
  const householdOf = new Int32Array(n);
  const enrolledOf: number[] = [];
  for (let i = 0; i < n; i++) {
    const c = candidates[i];
    let h = householdIndex.get(c.household);
    if (h === undefined) {
      h = enrolledOf.length;
      householdIndex.set(c.household, h);
      enrolledOf.push(0);
    }
    householdOf[i] = h;
    const e = c.enrolledThisYear ?? 0;
    if (e > enrolledOf[h]) enrolledOf[h] = e;
  }

  const classes: ChoiceClass[] = [];
  // per household: its household-role group and members (a household normally has one: GD); a second
  // such group of the same household goes to `otherChains`
  const chainGroup: (string | undefined)[] = new Array(enrolledOf.length);
  const chainMembers: (number[] | undefined)[] = new Array(enrolledOf.length);
  const otherChains = new Map<number, Map<string, number[]>>();
  for (let i = 0; i < n; i++) {
    const c = candidates[i];
    value[i] = candidateValue(c.tags, weights);
    const card = cardFor(c.coveredUntil);
    cards[i] = card;
    if (!card) {
      const s = single(c, fresh);
      costAlone[i] = s.error === null ? s.payable : null;
      excluded[i] = { id: c.id, reason: 'already_covered' };
      continue;
    }
    const s = single(c, card);
    if (s.error !== null) {
      excluded[i] = { id: c.id, reason: 'unpriceable', message: s.error };
      continue;
    }
    costAlone[i] = s.payable;
    if (s.stateFunded) excluded[i] = { id: c.id, reason: 'state_budget' };
    else if (!(value[i] > 0)) excluded[i] = { id: c.id, reason: 'no_priority' };
    if (excluded[i]) continue;
    if (s.household !== null) {
      const h = householdOf[i];
      if (chainGroup[h] === undefined) {
        chainGroup[h] = s.household;
        chainMembers[h] = [i];
      } else if (chainGroup[h] === s.household) chainMembers[h]!.push(i);
      else {
        let byGroup = otherChains.get(h);
        if (!byGroup) otherChains.set(h, (byGroup = new Map()));
        const list = byGroup.get(s.household);
        if (list) list.push(i);
        else byGroup.set(s.household, [i]);
      }
    } else {
      classes.push({ commune: c.commune, key: c.id, members: [i], cost: [0, s.payable], value: [0, value[i]], orders: SINGLE_ORDER });
    }
  }
  const chain = (household: number, group: string, members: number[], key: string) => {
    const enrolled = enrolledOf[household];
    members.sort((a, b) => value[b] - value[a] || cmp(candidates[a].id, candidates[b].id));
    const cumCost = [0];
    const cumValue = [0];
    const orders: number[] = [];
    for (let j = 0; j < members.length; j++) {
      const m = members[j];
      cumCost.push(cumCost[j] + chainCost(candidates[m], group, enrolled + j, cards[m]!));
      cumValue.push(cumValue[j] + value[m]);
      orders.push(enrolled + j + 1);
    }
    classes.push({ commune: candidates[members[0]].commune, key, members, cost: cumCost, value: cumValue, orders });
  };
  for (let h = 0; h < chainGroup.length; h++) {
    const group = chainGroup[h];
    if (group === undefined) continue;
    const household = candidates[chainMembers[h]![0]].household;
    const others = otherChains.get(h);
    if (!others) {
      chain(h, group, chainMembers[h]!, household);
      continue;
    }
    chain(h, group, chainMembers[h]!, `${household}\u0000${group}`);
    for (const [g, members] of others) chain(h, g, members, `${household}\u0000${g}`);
  }
  classes.sort((a, b) => cmp(a.commune, b.commune) || cmp(a.key, b.key));
  return { value, costAlone, excluded, classes, cards };
}

/** The household order of a class of one person bought alone (shared: never written). */
const SINGLE_ORDER: readonly (number | null)[] = [null];

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

// ---------------------------------------------------------------------------------------------------
// The multiple-choice knapsack
// ---------------------------------------------------------------------------------------------------

/** A class as the solver sees it: options k = 0..m with cost[0] = value[0] = 0, cost non-decreasing. */
export interface ChoiceOptions {
  readonly cost: readonly number[];
  readonly value: readonly number[];
}

export interface ChoiceSolution {
  /** Option chosen per class. */
  readonly pick: number[];
  readonly cost: number;
  readonly value: number;
  /** LP upper bound. */
  readonly bound: number;
  readonly provenOptimal: boolean;
}

interface Increment {
  readonly cls: number;
  readonly from: number;
  readonly to: number;
  readonly dc: number;
  readonly dv: number;
}

/** Upper convex hull increments of one class, from option `start`; dominated options skipped. */
function hullIncrements(cls: number, o: ChoiceOptions, start: number, out: Increment[]): void {
  const hull: number[] = [start];
  let best = o.value[start];
  for (let k = start + 1; k < o.cost.length; k++) {
    if (!(o.value[k] > best)) continue;
    best = o.value[k];
    while (hull.length >= 2) {
      const a = hull[hull.length - 2];
      const b = hull[hull.length - 1];
      // pop b when it lies on or below the segment a -> k
      const cross = (o.cost[b] - o.cost[a]) * (o.value[k] - o.value[a]) - (o.value[b] - o.value[a]) * (o.cost[k] - o.cost[a]);
      if (cross >= 0) hull.pop();
      else break;
    }
    hull.push(k);
  }
  for (let h = 1; h < hull.length; h++) {
    const from = hull[h - 1];
    const to = hull[h];
    out.push({ cls, from, to, dc: o.cost[to] - o.cost[from], dv: o.value[to] - o.value[from] });
  }
}

/** Value per dong, descending; ties by class, then by position in the class (keeps hull order). */
function byDensity(a: Increment, b: Increment): number {
  const d = b.dv * a.dc - a.dv * b.dc;
  if (d !== 0) return d;
  return a.cls - b.cls || a.from - b.from;
}

/** Zero-cost options are always bought: the option each class starts from. */
function freeStart(o: ChoiceOptions): number {
  let k = 0;
  for (let j = 1; j < o.cost.length && o.cost[j] === 0; j++) if (o.value[j] > o.value[k]) k = j;
  return k;
}

function sortedIncrements(classes: readonly ChoiceOptions[], start: readonly number[]): Increment[] {
  const incs: Increment[] = [];
  classes.forEach((o, i) => hullIncrements(i, o, start[i], incs));
  incs.sort(byDensity);
  return incs;
}

/** LP bound from sorted increments: whole increments while they fit, the next one fractionally. */
function lpFrom(incs: readonly Increment[], capacity: number): number {
  let rem = capacity;
  let bound = 0;
  for (const inc of incs) {
    if (inc.dc <= rem) {
      rem -= inc.dc;
      bound += inc.dv;
    } else {
      bound += (inc.dv * rem) / inc.dc;
      break;
    }
  }
  return bound;
}

/**
 * Solves max sum value[pick] s.t. sum cost[pick] <= capacity, one option per class. Exact when
 * `provenOptimal`; otherwise the greedy-and-fill selection (see the header).
 */
export function solveChoice(classes: readonly ChoiceOptions[], capacity: number, searchWork = DEFAULT_SEARCH_WORK): ChoiceSolution {
  const n = classes.length;
  const start = classes.map(freeStart);
  const pick = [...start];
  let cost = 0;
  let value = 0;
  for (let i = 0; i < n; i++) {
    cost += classes[i].cost[start[i]];
    value += classes[i].value[start[i]];
  }
  const incs = sortedIncrements(classes, start);
  const cap = capacity - cost;
  const bound = value + lpFrom(incs, cap);

  // greedy over the hull increments
  let rem = cap;
  for (const inc of incs) {
    if (pick[inc.cls] !== inc.from || inc.dc > rem) continue;
    pick[inc.cls] = inc.to;
    rem -= inc.dc;
    value += inc.dv;
  }
  // fill: the best upgrade that still fits, until none does
  for (let round = 0; round < 256; round++) {
    let bi = -1;
    let bk = -1;
    let bdv = 0;
    let bdc = 0;
    for (let i = 0; i < n; i++) {
      const o = classes[i];
      const k0 = pick[i];
      for (let k = k0 + 1; k < o.cost.length; k++) {
        const dc = o.cost[k] - o.cost[k0];
        if (dc > rem) break;
        const dv = o.value[k] - o.value[k0];
        if (dv > bdv || (dv === bdv && bi >= 0 && dc < bdc)) {
          bi = i;
          bk = k;
          bdv = dv;
          bdc = dc;
        }
      }
    }
    if (bi < 0) break;
    pick[bi] = bk;
    rem -= bdc;
    value += bdv;
  }
  const eps = 1e-9 * Math.max(1, Math.abs(bound));
  let best: ChoiceSolution = { pick, cost: capacity - rem, value, bound, provenOptimal: value >= bound - eps };
  if (best.provenOptimal || searchWork <= 0 || n === 0) return best;

  if (n <= FULL_SEARCH_CLASSES) {
    const exact = branchAndBound(classes, start, capacity, best, searchWork);
    if (exact) best = exact;
    return best;
  }
  return improveCore(classes, start, capacity, incs, best, searchWork);
}

/** Up to this many classes, the exact search runs over all of them; beyond, over a core. */
const FULL_SEARCH_CLASSES = 300;
/** Classes in the core of a large instance. */
const CORE_CLASSES = 80;

/**
 * Large instances: the classes whose hull increments lie around the LP break (the first increment that
 * does not fit) are re-decided exactly, every other class keeping its greedy option. Never worse than
 * the greedy; not a proof of optimality.
 */
function improveCore(
  classes: readonly ChoiceOptions[],
  start: readonly number[],
  capacity: number,
  incs: readonly Increment[],
  greedy: ChoiceSolution,
  searchWork: number,
): ChoiceSolution {
  let rem = capacity;
  for (let i = 0; i < classes.length; i++) rem -= classes[i].cost[start[i]];
  let breakAt = incs.length;
  for (let j = 0; j < incs.length; j++) {
    if (incs[j].dc > rem) {
      breakAt = j;
      break;
    }
    rem -= incs[j].dc;
  }
  const core: number[] = [];
  const inCore = new Set<number>();
  for (let d = 0; core.length < CORE_CLASSES && (breakAt - d >= 0 || breakAt + d < incs.length); d++) {
    for (const j of d === 0 ? [breakAt] : [breakAt - d, breakAt + d]) {
      if (j < 0 || j >= incs.length || inCore.has(incs[j].cls) || core.length >= CORE_CLASSES) continue;
      inCore.add(incs[j].cls);
      core.push(incs[j].cls);
    }
  }
  core.sort((a, b) => a - b);
  let fixedCost = 0;
  for (let i = 0; i < classes.length; i++) if (!inCore.has(i)) fixedCost += classes[i].cost[greedy.pick[i]];
  const sub = core.map((i) => classes[i]);
  const subStart = core.map((i) => start[i]);
  const subPick = core.map((i) => greedy.pick[i]);
  const subValue = core.reduce((s, i) => s + classes[i].value[greedy.pick[i]], 0);
  const subCost = core.reduce((s, i) => s + classes[i].cost[greedy.pick[i]], 0);
  const incumbent: ChoiceSolution = { pick: subPick, cost: subCost, value: subValue, bound: greedy.bound, provenOptimal: false };
  const found = branchAndBound(sub, subStart, capacity - fixedCost, incumbent, searchWork);
  if (!found || !(found.value > subValue)) return greedy;
  const pick = [...greedy.pick];
  core.forEach((i, j) => (pick[i] = found.pick[j]));
  return {
    pick,
    cost: greedy.cost - subCost + found.cost,
    value: greedy.value - subValue + found.value,
    bound: greedy.bound,
    provenOptimal: false,
  };
}

/**
 * Depth-first branch and bound; returns the best selection found (better than `incumbent`, or the
 * incumbent marked optimal when the search finished), or null when the work ran out without improving.
 */
function branchAndBound(
  classes: readonly ChoiceOptions[],
  start: readonly number[],
  capacity: number,
  incumbent: ChoiceSolution,
  searchWork: number,
): ChoiceSolution | null {
  const n = classes.length;
  // order: best value per dong of the first hull increment, descending (classes without any last)
  const firstDensity = new Array<number>(n).fill(-1);
  {
    const incs: Increment[] = [];
    classes.forEach((o, i) => hullIncrements(i, o, start[i], incs));
    for (const inc of incs) if (inc.from === start[inc.cls]) firstDensity[inc.cls] = inc.dc === 0 ? Infinity : inc.dv / inc.dc;
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => firstDensity[b] - firstDensity[a] || a - b);
  const position = new Array<number>(n);
  order.forEach((cls, p) => (position[cls] = p));
  const incs = sortedIncrements(classes, start).map((inc) => ({ ...inc, pos: position[inc.cls] }));

  let work = 0;
  let aborted = false;
  let bestValue = incumbent.value;
  let bestPick: number[] | null = null;
  const eps = 1e-9 * Math.max(1, Math.abs(incumbent.bound));
  const current = [...start];
  let baseCost = 0;
  let baseValue = 0;
  for (let i = 0; i < n; i++) {
    baseCost += classes[i].cost[start[i]];
    baseValue += classes[i].value[start[i]];
  }

  /** LP bound of the classes at positions >= p, each from its start option. */
  const lpBeyond = (p: number, rem: number): number => {
    let bound = 0;
    for (let j = 0; j < incs.length; j++) {
      const inc = incs[j];
      if (inc.pos < p) continue;
      if (inc.dc <= rem) {
        rem -= inc.dc;
        bound += inc.dv;
      } else {
        bound += (inc.dv * rem) / inc.dc;
        work += j;
        return bound;
      }
    }
    work += incs.length;
    return bound;
  };

  const dfs = (p: number, rem: number, val: number): void => {
    if (val > bestValue + eps) {
      bestValue = val;
      bestPick = [...current];
    }
    if (p === n || aborted) return;
    if (work > searchWork) {
      aborted = true;
      return;
    }
    if (val + lpBeyond(p, rem) <= bestValue + eps) return;
    const cls = order[p];
    const o = classes[cls];
    const s = start[cls];
    for (let k = o.cost.length - 1; k >= s; k--) {
      const dc = o.cost[k] - o.cost[s];
      if (dc > rem) continue;
      if (k > s && !(o.value[k] > o.value[k - 1]) && o.cost[k] >= o.cost[k - 1]) continue; // dominated by k-1
      current[cls] = k;
      dfs(p + 1, rem - dc, val + o.value[k] - o.value[s]);
      if (aborted) break;
    }
    current[cls] = s;
  };
  dfs(0, capacity - baseCost, baseValue);

  const found = bestPick as number[] | null;
  if (found) {
    let cost = 0;
    let value = 0;
    for (let i = 0; i < n; i++) {
      cost += classes[i].cost[found[i]];
      value += classes[i].value[found[i]];
    }
    return { pick: found, cost, value, bound: incumbent.bound, provenOptimal: !aborted };
  }
  return aborted ? null : { ...incumbent, provenOptimal: true };
}

// ---------------------------------------------------------------------------------------------------
// Allocation
// ---------------------------------------------------------------------------------------------------

/** The class's options from `bought` members on, re-based to cost and value 0. */
function optionsFrom(c: ChoiceClass, bought: number): ChoiceOptions {
  if (bought === 0) return c;
  return {
    cost: c.cost.slice(bought).map((x) => x - c.cost[bought]),
    value: c.value.slice(bought).map((x) => x - c.value[bought]),
  };
}

/** Quotas in proportion to priority, largest remainder to the dong; ties by commune code (sorted input). */
function proportionalQuotas(communes: readonly string[], priority: ReadonlyMap<string, number>, budget: number): Map<string, number> {
  const total = communes.reduce((s, c) => s + (priority.get(c) ?? 0), 0);
  const quotas = new Map<string, number>(communes.map((c) => [c, 0]));
  if (!(total > 0)) return quotas;
  const fractions: [string, number][] = [];
  let given = 0;
  for (const c of communes) {
    const exact = (budget * (priority.get(c) ?? 0)) / total;
    const whole = Math.min(Math.floor(exact), budget - given);
    quotas.set(c, whole);
    given += whole;
    fractions.push([c, exact - whole]);
  }
  fractions.sort((a, b) => b[1] - a[1] || cmp(a[0], b[0]));
  const eligible = fractions.filter(([c]) => (priority.get(c) ?? 0) > 0);
  for (let j = 0; given < budget; j = (j + 1) % eligible.length) {
    const c = eligible[j][0];
    quotas.set(c, quotas.get(c)! + 1);
    given += 1;
  }
  return quotas;
}

/**
 * Chooses whom to fund. Throws AllocationInputError for an input the rules cannot use as a whole
 * (e.g. a date before any known base salary); a single person the rules refuse is excluded as
 * 'unpriceable' instead. Validate untrusted input with `parseAllocationInput` first.
 */
export function allocate(input: AllocationInput, rules: RuleSet, options: AllocationOptions = {}): AllocationResult {
  const searchWork = options.searchWork ?? DEFAULT_SEARCH_WORK;
  const mode: AllocationMode = input.mode ?? (input.quotas ? 'spread' : 'concentrate');
  const { candidates, budget } = input;
  const priced = price(input, rules);
  const { classes, value } = priced;
  const bought = new Array<number>(classes.length).fill(0);
  const reasonOfClass = new Array<SelectionReason[]>(classes.length);
  const setBought = (cls: number, k: number, reason: SelectionReason) => {
    const reasons = (reasonOfClass[cls] ??= []);
    for (let j = bought[cls]; j < k; j++) reasons[j] = reason;
    bought[cls] = k;
  };

  const pooled = solveChoice(
    classes.map((c) => optionsFrom(c, 0)),
    budget,
    mode === 'concentrate' ? searchWork : 0,
  );
  let provenOptimal = false;
  let communes: CommuneAllocation[] | undefined;

  if (mode === 'concentrate') {
    pooled.pick.forEach((k, cls) => setBought(cls, k, 'within_budget'));
    provenOptimal = pooled.provenOptimal;
  } else {
    const byCommune = new Map<string, number[]>();
    const priority = new Map<string, number>();
    classes.forEach((c, cls) => {
      const list = byCommune.get(c.commune);
      if (list) list.push(cls);
      else byCommune.set(c.commune, [cls]);
      priority.set(c.commune, (priority.get(c.commune) ?? 0) + c.value[c.value.length - 1]);
    });
    const names = [...new Set([...candidates.map((c) => c.commune), ...Object.keys(input.quotas ?? {})])].sort(cmp);
    const quotas = input.quotas
      ? new Map(names.map((c) => [c, Object.hasOwn(input.quotas!, c) ? input.quotas![c] : 0]))
      : proportionalQuotas(names, priority, budget);
    const spentIn = new Map<string, number>();
    const spentMoved = new Map<string, number>();
    let spent1 = 0;
    const work = Math.floor(searchWork / (names.length + 1));
    for (const commune of names) {
      const list = byCommune.get(commune) ?? [];
      const sol = solveChoice(
        list.map((cls) => optionsFrom(classes[cls], 0)),
        quotas.get(commune)!,
        work,
      );
      sol.pick.forEach((k, j) => setBought(list[j], k, 'commune_quota'));
      spentIn.set(commune, sol.cost);
      spent1 += sol.cost;
    }
    const pass2 = solveChoice(
      classes.map((c, cls) => optionsFrom(c, bought[cls])),
      budget - spent1,
      work,
    );
    pass2.pick.forEach((k, cls) => {
      if (k === 0) return;
      const c = classes[cls];
      spentMoved.set(c.commune, (spentMoved.get(c.commune) ?? 0) + c.cost[bought[cls] + k] - c.cost[bought[cls]]);
      setBought(cls, bought[cls] + k, 'moved_quota');
    });
    communes = names.map((commune) => ({
      commune,
      priority: priority.get(commune) ?? 0,
      quota: vnd(quotas.get(commune)!),
      spentInQuota: vnd(spentIn.get(commune) ?? 0),
      spentMoved: vnd(spentMoved.get(commune) ?? 0),
      selected: (byCommune.get(commune) ?? []).reduce((s, cls) => s + bought[cls], 0),
    }));
  }

  // decisions, in input order
  const n = candidates.length;
  const chosen = new Array<{ reason: SelectionReason; cost: number; order: number | null } | null>(n).fill(null);
  classes.forEach((c, cls) => {
    for (let j = 0; j < bought[cls]; j++) {
      chosen[c.members[j]] = { reason: reasonOfClass[cls][j], cost: c.cost[j + 1] - c.cost[j], order: c.orders[j] };
    }
  });
  // a household-mode member not bought: what it would cost at its place in the household order
  const costOf = [...priced.costAlone];
  classes.forEach((c) => c.members.forEach((m, j) => (costOf[m] = c.cost[j + 1] - c.cost[j])));
  const selected: string[] = [];
  const excluded: Exclusion[] = [];
  const decisions: Decision[] = [];
  let spent = 0;
  let objective = 0;
  for (let i = 0; i < n; i++) {
    const c = candidates[i];
    const pick = chosen[i];
    if (pick) {
      selected.push(c.id);
      spent += pick.cost;
      objective += value[i];
      decisions.push({ id: c.id, household: c.household, commune: c.commune, selected: true, reason: pick.reason, value: value[i], cost: vnd(pick.cost), order: pick.order, card: priced.cards[i] });
    } else {
      const ex = priced.excluded[i] ?? { id: c.id, reason: 'over_budget' as const };
      excluded.push(ex);
      const cost = costOf[i] === null ? null : vnd(costOf[i]!);
      const d: Decision = { id: c.id, household: c.household, commune: c.commune, selected: false, reason: ex.reason, value: value[i], cost, order: null, card: priced.cards[i] };
      decisions.push(ex.message === undefined ? d : { ...d, message: ex.message });
    }
  }
  if (spent > budget) throw new Error(`internal: spent ${spent} > budget ${budget}`);
  return {
    selected,
    spent: vnd(spent),
    unspent: vnd(budget - spent),
    objective,
    excluded,
    decisions,
    mode,
    upperBound: pooled.bound,
    provenOptimal: provenOptimal || objective >= pooled.bound - 1e-9 * Math.max(1, pooled.bound),
    ...(communes ? { communes } : {}),
  };
}

/**
 * The LP upper bound of the objective for the whole budget in one pool (the reference of the
 * benchmark): the same pricing, then the fractional MCKP over the convex hulls.
 */
export function allocationBound(input: AllocationInput, rules: RuleSet): number {
  const { classes } = price(input, rules);
  const options = classes.map((c) => optionsFrom(c, 0));
  const start = options.map(freeStart);
  let base = 0;
  let cost = 0;
  options.forEach((o, i) => {
    base += o.value[start[i]];
    cost += o.cost[start[i]];
  });
  return base + lpFrom(sortedIncrements(options, start), input.budget - cost);
}
