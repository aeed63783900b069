import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  allocate,
  allocationBound,
  AllocationInputError,
  coveredUntilInWindow,
  donatedCard,
  parseAllocationInput,
  solveChoice,
  type AllocationCandidate,
  type AllocationInput,
  type ChoiceOptions,
} from './allocation';
import { addDays, endOfPeriod } from './calendar';
import { isCoveredOn } from './coverage';
import { quote, RuleError } from './premium';
import { DEFAULT_RULES, mergeRules } from './premium-rules';

const R = DEFAULT_RULES;
/** 4.5% x 2,340,000 x 12 */
const YEAR = 1_263_600;

// ---------------------------------------------------------------------------------------------------
// An independent oracle: every subset of the candidates, priced by the rules engine directly
// ---------------------------------------------------------------------------------------------------

const valueOf = (c: AllocationCandidate, weights: Record<string, number>) =>
  [...new Set(c.tags)].reduce((s, t) => s + (Object.hasOwn(weights, t) ? weights[t] : 0), 0);

/** Can a donor buy this person at all (the rules price them and the state does not pay it all)? */
function buyable(input: AllocationInput, c: AllocationCandidate): boolean {
  try {
    const m = quote({ date: input.date, months: input.months, members: [{ groups: c.groups }] }, R).members[0];
    return m.stateBasisPoints < 10_000;
  } catch (e) {
    if (e instanceof RuleError) return false;
    throw e;
  }
}

const enrolledOf = (input: AllocationInput, household: string) =>
  Math.max(0, ...input.candidates.filter((c) => c.household === household).map((c) => c.enrolledThisYear ?? 0));

/** What a set of persons costs: each household's chosen members quoted together (the engine orders GD members). */
function costOfSet(input: AllocationInput, ids: readonly string[]): number {
  const chosen = new Set(ids);
  const byHousehold = new Map<string, AllocationCandidate[]>();
  for (const c of input.candidates) {
    if (!chosen.has(c.id)) continue;
    byHousehold.set(c.household, [...(byHousehold.get(c.household) ?? []), c]);
  }
  let total = 0;
  for (const [household, members] of byHousehold) {
    const q = quote(
      { date: input.date, months: input.months, enrolledThisYear: enrolledOf(input, household), members: members.map((m) => ({ groups: m.groups })) },
      R,
    );
    total += q.total.payable;
  }
  return total;
}

/** The best objective over every subset of buyable candidates within the budget. */
function exhaustiveBest(input: AllocationInput): number {
  const eligible = input.candidates.filter((c) => buyable(input, c) && valueOf(c, input.weights as Record<string, number>) > 0);
  const households = [...new Set(eligible.map((c) => c.household))];
  // per household: every subset of its eligible members -> (cost, value), priced by quote
  const options = households.map((h) => {
    const members = eligible.filter((c) => c.household === h);
    const list: { cost: number; value: number }[] = [];
    for (let mask = 0; mask < 1 << members.length; mask++) {
      const chosen = members.filter((_, j) => mask & (1 << j));
      list.push({
        cost: chosen.length ? costOfSet(input, chosen.map((c) => c.id)) : 0,
        value: chosen.reduce((s, c) => s + valueOf(c, input.weights as Record<string, number>), 0),
      });
    }
    return list;
  });
  let best = 0;
  const walk = (h: number, rem: number, value: number) => {
    if (h === options.length) {
      if (value > best) best = value;
      return;
    }
    for (const o of options[h]) if (o.cost <= rem) walk(h + 1, rem - o.cost, value + o.value);
  };
  walk(0, input.budget, 0);
  return best;
}

// ---------------------------------------------------------------------------------------------------
// Random instances
// ---------------------------------------------------------------------------------------------------

const GROUP_MIX: string[][] = [['GD'], ['GD'], ['GD'], ['GD'], ['CN'], ['HS'], ['HN'], ['TE'], ['GD', 'HS'], ['SV'], ['GD', 'CN'], ['XX']];
const TAGS = ['ethnic_minority', 'pupil', 'flood', 'elderly_60_79', 'difficult'];

const instance = (maxCandidates: number, communes = ['C1', 'C2', 'C3']) =>
  fc
    .record({
      date: fc.constantFrom('2025-09-01', '2025-03-15', '2026-08-01'),
      months: fc.constantFrom(3, 6, 12),
      weights: fc.record({
        ethnic_minority: fc.integer({ min: 0, max: 40 }).map((x) => x / 4),
        pupil: fc.double({ min: 0, max: 5, noNaN: true }),
        flood: fc.integer({ min: 0, max: 6 }),
        elderly_60_79: fc.double({ min: 0.1, max: 3, noNaN: true }),
        difficult: fc.constant(1.5),
      }),
      households: fc.array(
        fc.record({
          commune: fc.constantFrom(...communes),
          enrolled: fc.oneof(fc.constant(0), fc.integer({ min: 0, max: 5 })),
          members: fc.array(
            fc.record({ groups: fc.constantFrom(...GROUP_MIX), tags: fc.subarray(TAGS, { maxLength: 3 }) }),
            { minLength: 1, maxLength: 6 },
          ),
        }),
        { minLength: 1, maxLength: 8 },
      ),
      budgetShare: fc.double({ min: 0, max: 1, noNaN: true }),
    })
    .map(({ date, months, weights, households, budgetShare }): AllocationInput => {
      const candidates: AllocationCandidate[] = [];
      households.forEach((h, i) =>
        h.members.forEach((m, j) => {
          if (candidates.length >= maxCandidates) return;
          candidates.push({
            id: `p${String(i).padStart(2, '0')}-${j}`,
            household: `h${i}`,
            commune: h.commune,
            groups: m.groups,
            tags: m.tags,
            ...(h.enrolled ? { enrolledThisYear: h.enrolled } : {}),
          });
        }),
      );
      // enough money for somewhere between nothing and everyone (full premium each, at most 2,530,000 x 4.5% x 12)
      const budget = Math.round(budgetShare * candidates.length * 1_366_200);
      return { date, months, budget, weights, candidates };
    });

const sumValues = (input: AllocationInput, ids: readonly string[]) => {
  const byId = new Map(input.candidates.map((c) => [c.id, c]));
  return ids.reduce((s, id) => s + valueOf(byId.get(id)!, input.weights as Record<string, number>), 0);
};

// ---------------------------------------------------------------------------------------------------

describe('allocate: optimality against exhaustive search', () => {
  it('reaches the exact optimum on random instances of up to 20 candidates (households, enrolledThisYear, GD/CN/HS/HN mix)', () => {
    fc.assert(
      fc.property(instance(20), (input) => {
        const result = allocate(input, R);
        const best = exhaustiveBest(input);
        expect(result.objective).toBeCloseTo(best, 6);
        expect(result.provenOptimal).toBe(true);
        expect(result.upperBound).toBeGreaterThanOrEqual(best - 1e-9);
        expect(allocationBound(input, R)).toBeCloseTo(result.upperBound, 9);
      }),
      { numRuns: 150, seed: 20250901 },
    );
  });

  it('reaches it on the largest size too (20 candidates in 4 households of 5 GD members)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.subarray(TAGS, { minLength: 1 }), { minLength: 20, maxLength: 20 }),
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 4, maxLength: 4 }),
        fc.integer({ min: 0, max: 12_000_000 }),
        (tags, enrolled, budget) => {
          const input: AllocationInput = {
            date: '2025-09-01',
            months: 12,
            budget,
            weights: { ethnic_minority: 3, pupil: 2, flood: 2.5, elderly_60_79: 2, difficult: 1.5 },
            candidates: tags.map((t, i) => ({
              id: `p${i}`,
              household: `h${i % 4}`,
              commune: 'C',
              groups: i % 7 === 3 ? ['CN'] : ['GD'],
              tags: t,
              enrolledThisYear: enrolled[i % 4],
            })),
          };
          expect(allocate(input, R).objective).toBeCloseTo(exhaustiveBest(input), 6);
        },
      ),
      { numRuns: 25, seed: 7 },
    );
  });
});

describe('allocate: invariants', () => {
  it('never overspends; spent + unspent = budget; spent is what the rules engine charges for the selected; objective = their weights', () => {
    fc.assert(
      fc.property(instance(30), fc.constantFrom('concentrate', 'spread'), (base, mode) => {
        const input = { ...base, mode } as AllocationInput;
        const result = allocate(input, R);
        expect(result.spent).toBeLessThanOrEqual(input.budget);
        expect(result.spent + result.unspent).toBe(input.budget);
        expect(result.spent).toBe(costOfSet(input, result.selected));
        expect(result.objective).toBeCloseTo(sumValues(input, result.selected), 9);
        // every candidate exactly once: selected or excluded with a reason
        expect([...result.selected, ...result.excluded.map((e) => e.id)].sort()).toEqual(input.candidates.map((c) => c.id).sort());
        expect(result.decisions.map((d) => d.id)).toEqual(input.candidates.map((c) => c.id));
        for (const d of result.decisions) expect(d.reason).toBeTruthy();
        expect(result.decisions.filter((d) => d.selected).reduce((s, d) => s + (d.cost ?? 0), 0)).toBe(result.spent);
        // nobody the state pays for, nobody unpriceable, nobody without priority is bought
        for (const c of input.candidates) {
          if (!buyable(input, c) || valueOf(c, input.weights as Record<string, number>) === 0) expect(result.selected).not.toContain(c.id);
        }
        // over_budget only for people who could have been bought
        for (const e of result.excluded.filter((x) => x.reason === 'over_budget')) {
          const c = input.candidates.find((x) => x.id === e.id)!;
          expect(buyable(input, c)).toBe(true);
        }
        expect(result.objective).toBeLessThanOrEqual(result.upperBound + 1e-9);
      }),
      { numRuns: 150, seed: 42 },
    );
  });

  it('is deterministic and does not depend on the order of the candidates', () => {
    fc.assert(
      fc.property(instance(30), fc.constantFrom('concentrate', 'spread'), fc.integer(), (base, mode, seed) => {
        const input = { ...base, mode } as AllocationInput;
        const once = allocate(input, R);
        expect(allocate(input, R)).toEqual(once);
        const shuffled = [...input.candidates]
          .map((c, i) => ({ c, k: Math.sin(seed + i * 7919) }))
          .sort((a, b) => a.k - b.k)
          .map((x) => x.c);
        const again = allocate({ ...input, candidates: shuffled }, R);
        expect([...again.selected].sort()).toEqual([...once.selected].sort());
        expect(again.spent).toBe(once.spent);
      }),
      { numRuns: 60, seed: 3 },
    );
  });
});

describe('allocate: costs from the rules engine', () => {
  const base = { date: '2025-09-01', months: 12, weights: { flood: 1, pupil: 1 } };

  it('charges a near-poor person 30% of a full premium and a pupil 50%', () => {
    const result = allocate(
      {
        ...base,
        budget: 10_000_000,
        candidates: [
          { id: 'cn', household: 'h1', commune: 'C', groups: ['CN'], tags: ['flood'] },
          { id: 'hs', household: 'h1', commune: 'C', groups: ['HS'], tags: ['pupil'] },
        ],
      },
      R,
    );
    expect(result.selected).toEqual(['cn', 'hs']);
    expect(result.spent).toBe(379_080 + 631_800);
    expect(result.decisions.map((d) => d.cost)).toEqual([379_080, 631_800]);
  });

  it('buys household members in order: 100/70/60/50/40%, continuing after enrolledThisYear, the most valuable first', () => {
    const members = (enrolled: number) =>
      ['a', 'b', 'c', 'd', 'e', 'f'].map((id, i) => ({
        id,
        household: 'h',
        commune: 'C',
        groups: ['GD'],
        tags: i % 2 ? ['flood'] : ['flood', 'pupil'],
        enrolledThisYear: enrolled,
      }));
    const all = allocate({ ...base, budget: 100_000_000, candidates: members(0) }, R);
    expect(all.spent).toBe(YEAR + 884_520 + 758_160 + 631_800 + 505_440 + 505_440);
    expect(all.decisions.map((d) => [d.id, d.order])).toEqual([
      ['a', 1],
      ['b', 4],
      ['c', 2],
      ['d', 5],
      ['e', 3],
      ['f', 6],
    ]);
    const continued = allocate({ ...base, budget: 100_000_000, candidates: members(2) }, R);
    expect(continued.spent).toBe(758_160 + 631_800 + 4 * 505_440);
    expect(continued.decisions.find((d) => d.id === 'a')!.order).toBe(3);
  });

  it('prefers one household of three (2,906,280 dong) to three people alone when that is what the money buys', () => {
    const candidates: AllocationCandidate[] = [
      ...['x', 'y', 'z'].map((id) => ({ id, household: 'big', commune: 'C', groups: ['GD'], tags: ['flood'] })),
      ...['s1', 's2'].map((id) => ({ id, household: id, commune: 'C', groups: ['GD'], tags: ['flood'] })),
    ];
    const result = allocate({ ...base, budget: YEAR + 884_520 + 758_160, candidates }, R);
    expect(result.selected).toEqual(['x', 'y', 'z']);
    expect(result.unspent).toBe(0);
  });

  it('excludes state-paid, covered, unpriceable and unweighted people with their reason', () => {
    const result = allocate(
      {
        ...base,
        budget: 100_000_000,
        candidates: [
          { id: 'poor', household: 'h1', commune: 'C', groups: ['HN'], tags: ['flood'] },
          { id: 'child', household: 'h1', commune: 'C', groups: ['TE'], tags: ['flood'] },
          { id: 'both', household: 'h1', commune: 'C', groups: ['GD', 'HN'], tags: ['flood'] },
          { id: 'covered', household: 'h1', commune: 'C', groups: ['GD'], tags: ['flood'], coveredUntil: '2026-08-31' },
          { id: 'lapsing', household: 'h1', commune: 'C', groups: ['GD'], tags: ['flood'], coveredUntil: '2026-08-30' },
          { id: 'odd', household: 'h1', commune: 'C', groups: ['ZZ'], tags: ['flood'] },
          { id: 'none', household: 'h1', commune: 'C', groups: ['GD'], tags: ['unknown_tag'] },
        ],
      },
      R,
    );
    expect(result.selected).toEqual(['lapsing']);
    expect(result.excluded).toEqual([
      { id: 'poor', reason: 'state_budget' },
      { id: 'child', reason: 'state_budget' },
      { id: 'both', reason: 'state_budget' },
      { id: 'covered', reason: 'already_covered' },
      { id: 'odd', reason: 'unpriceable', message: 'groups[0]: unknown group: ZZ (unknown_group)' },
      { id: 'none', reason: 'no_priority' },
    ]);
    // 'lapsing' is covered on the payment date up to the day before the window's end: a renewal card
    // from 2026-08-31 for the shortest payment period (3 months), not a full year (issue 16)
    expect(result.decisions.find((d) => d.id === 'lapsing')!.card).toEqual({ from: '2026-08-31', to: '2026-11-30', months: 3, renewal: true });
    expect(result.spent).toBe(YEAR / 4);
  });

  it('marks the people the money did not reach over_budget, and spends nothing with no budget', () => {
    const result = allocate(
      { ...base, budget: 0, candidates: [{ id: 'a', household: 'h', commune: 'C', groups: ['CN'], tags: ['flood'] }] },
      R,
    );
    expect(result).toMatchObject({ selected: [], spent: 0, unspent: 0, objective: 0, excluded: [{ id: 'a', reason: 'over_budget' }] });
  });

  it('refuses an input the rules cannot price at all, naming the field', () => {
    expect(() => allocate({ ...base, date: '2017-01-01', budget: 1, candidates: [{ id: 'a', household: 'h', commune: 'C', groups: ['GD'], tags: [] }] }, R)).toThrow(
      AllocationInputError,
    );
    try {
      allocate({ ...base, date: '2017-01-01', budget: 1, candidates: [{ id: 'a', household: 'h', commune: 'C', groups: ['GD'], tags: [] }] }, R);
    } catch (e) {
      expect((e as AllocationInputError).issues[0].path).toBe('date');
    }
  });
});

describe('allocate: spread mode', () => {
  const weights = { flood: 1 };
  const person = (id: string, commune: string, groups = ['CN']) => ({ id, household: id, commune, groups, tags: ['flood'] });
  const CN = 379_080;

  it('respects hand quotas in the first pass and moves the unspent quota to the others', () => {
    const candidates = [person('a1', 'A'), person('b1', 'B'), person('b2', 'B'), person('b3', 'B')];
    const result = allocate({ date: '2025-09-01', months: 12, budget: 4 * CN, weights, candidates, mode: 'spread', quotas: { A: 2 * CN, B: 2 * CN } }, R);
    expect(result.selected).toEqual(['a1', 'b1', 'b2', 'b3']);
    expect(result.communes).toEqual([
      { commune: 'A', priority: 1, quota: 2 * CN, spentInQuota: CN, spentMoved: 0, selected: 1 },
      { commune: 'B', priority: 3, quota: 2 * CN, spentInQuota: 2 * CN, spentMoved: CN, selected: 3 },
    ]);
    expect(result.decisions.map((d) => d.reason)).toEqual(['commune_quota', 'commune_quota', 'commune_quota', 'moved_quota']);
  });

  it('keeps every commune within its quota when nothing is left over to move', () => {
    fc.assert(
      fc.property(instance(30), fc.integer({ min: 0, max: 3_000_000 }), fc.integer({ min: 0, max: 3_000_000 }), (input, qa, qb) => {
        const result = allocate({ ...input, budget: qa + qb, mode: 'spread', quotas: { C1: qa, C2: qb } }, R);
        for (const m of result.communes!) {
          expect(m.spentInQuota).toBeLessThanOrEqual(m.quota);
          // the money moved never exceeds what the first pass left unspent
        }
        const left = result.communes!.reduce((s, m) => s + m.quota - m.spentInQuota, 0) + (qa + qb - result.communes!.reduce((s, m) => s + m.quota, 0));
        expect(result.communes!.reduce((s, m) => s + m.spentMoved, 0)).toBeLessThanOrEqual(left);
        expect(result.communes!.find((m) => m.commune === 'C3')?.spentInQuota ?? 0).toBe(0);
        expect(result.spent).toBe(costOfSet(input, result.selected));
      }),
      { numRuns: 60, seed: 11 },
    );
  });

  it('without quotas, shares the budget in proportion to each commune priority, to the dong', () => {
    const candidates = [person('a1', 'A'), person('b1', 'B'), person('b2', 'B'), person('c1', 'C', ['HN'])];
    const result = allocate({ date: '2025-09-01', months: 12, budget: 1_000_001, weights, candidates, mode: 'spread' }, R);
    expect(result.communes!.map((m) => [m.commune, m.quota])).toEqual([
      ['A', 333_334],
      ['B', 666_667],
      ['C', 0],
    ]);
    // A cannot buy anyone with 333,334 dong; B buys one in its quota, then the pooled rest buys another
    expect(result.selected).toEqual(['a1', 'b1']);
    expect(result.decisions.find((d) => d.id === 'a1')!.reason).toBe('moved_quota');
  });

  it('continues a household order in the second pass', () => {
    const candidates = ['m1', 'm2', 'm3'].map((id) => ({ id, household: 'h', commune: 'A', groups: ['GD'], tags: ['flood'] }));
    const result = allocate({ date: '2025-09-01', months: 12, budget: YEAR + 884_520, weights, candidates, mode: 'spread', quotas: { A: YEAR } }, R);
    expect(result.spent).toBe(YEAR + 884_520);
    expect(result.decisions.map((d) => [d.reason, d.order])).toEqual([
      ['commune_quota', 1],
      ['moved_quota', 2],
      ['over_budget', null],
    ]);
  });
});

describe('solveChoice (the multiple-choice knapsack)', () => {
  /** Exact DP over a small integer capacity. */
  function dp(classes: ChoiceOptions[], capacity: number): number {
    let best = new Array<number>(capacity + 1).fill(0);
    for (const o of classes) {
      const next = [...best];
      for (let w = 0; w <= capacity; w++) {
        for (let k = 1; k < o.cost.length; k++) if (o.cost[k] <= w) next[w] = Math.max(next[w], best[w - o.cost[k]] + o.value[k]);
      }
      best = next;
    }
    return best[capacity];
  }
  const chain = fc
    .array(fc.record({ c: fc.integer({ min: 1, max: 40 }), v: fc.integer({ min: 1, max: 30 }) }), { minLength: 1, maxLength: 5 })
    .map((steps): ChoiceOptions => {
      const cost = [0];
      const value = [0];
      steps.forEach((s, j) => {
        cost.push(cost[j] + s.c);
        value.push(value[j] + s.v);
      });
      return { cost, value };
    });

  it('matches an exact dynamic programme on random classes of up to 60 (with its proof of optimality)', () => {
    fc.assert(
      fc.property(fc.array(chain, { minLength: 0, maxLength: 60 }), fc.integer({ min: 0, max: 400 }), (classes, capacity) => {
        const s = solveChoice(classes, capacity);
        expect(s.provenOptimal).toBe(true);
        expect(s.value).toBe(dp(classes, capacity));
        expect(s.cost).toBeLessThanOrEqual(capacity);
        expect(s.bound).toBeGreaterThanOrEqual(s.value - 1e-9);
      }),
      { numRuns: 200, seed: 5 },
    );
  });

  it('without the exact search stays feasible and within one class of the bound', () => {
    fc.assert(
      fc.property(fc.array(chain, { minLength: 1, maxLength: 60 }), fc.integer({ min: 0, max: 400 }), (classes, capacity) => {
        const s = solveChoice(classes, capacity, 0);
        const cost = classes.reduce((t, o, i) => t + o.cost[s.pick[i]], 0);
        expect(cost).toBe(s.cost);
        expect(cost).toBeLessThanOrEqual(capacity);
        const maxClass = Math.max(...classes.map((o) => o.value[o.value.length - 1]));
        expect(s.value).toBeGreaterThanOrEqual(s.bound - maxClass - 1e-9);
      }),
      { numRuns: 200, seed: 6 },
    );
  });
});

describe('solveChoice on large instances (core search)', () => {
  it('stays feasible and never does worse than the greedy alone', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.array(fc.record({ c: fc.integer({ min: 1, max: 1_000_000 }), v: fc.double({ min: 0.01, max: 10, noNaN: true }) }), { minLength: 1, maxLength: 5 }),
          { minLength: 301, maxLength: 700 },
        ),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (steps, share) => {
          const classes = steps.map((list): ChoiceOptions => {
            const cost = [0];
            const value = [0];
            list.forEach((s, j) => {
              cost.push(cost[j] + s.c);
              value.push(value[j] + s.v);
            });
            return { cost, value };
          });
          const capacity = Math.round(share * classes.reduce((t, o) => t + o.cost[o.cost.length - 1], 0));
          const greedy = solveChoice(classes, capacity, 0);
          const s = solveChoice(classes, capacity);
          expect(classes.reduce((t, o, i) => t + o.cost[s.pick[i]], 0)).toBe(s.cost);
          expect(s.cost).toBeLessThanOrEqual(capacity);
          expect(s.value).toBeCloseTo(classes.reduce((t, o, i) => t + o.value[s.pick[i]], 0), 6);
          expect(s.value).toBeGreaterThanOrEqual(greedy.value - 1e-9);
          expect(s.value).toBeLessThanOrEqual(s.bound + 1e-9);
        },
      ),
      { numRuns: 20, seed: 8 },
    );
  });
});

describe('parseAllocationInput', () => {
  const good = {
    date: '2025-09-01',
    months: 12,
    budget: 5_000_000,
    weights: { flood: 2 },
    candidates: [{ id: 'a', household: 'h', commune: 'C', groups: ['GD'], tags: ['flood'], enrolledThisYear: 0 }],
  };

  it('accepts the documented shape (quotas imply spread mode)', () => {
    expect(parseAllocationInput(good)).toEqual(good);
    expect(parseAllocationInput({ ...good, quotas: { C: 100 } }).mode).toBe('spread');
  });

  it('names every field at fault', () => {
    const issues = (raw: unknown) => {
      try {
        parseAllocationInput(raw);
      } catch (e) {
        if (e instanceof AllocationInputError) return e.issues.map((i) => i.path);
        throw e;
      }
      return [];
    };
    expect(
      issues({
        date: '2025-02-30',
        months: 13,
        budget: 1.5,
        weights: { flood: -1 },
        mode: 'everywhere',
        candidates: [
          { id: 'a', household: 'h', commune: 'C', groups: ['GD', 3], tags: ['flood'] },
          { id: 'a', household: 'h', commune: 'D', groups: [], tags: 'flood', enrolledThisYear: -1, coveredUntil: 'soon' },
          'nobody',
        ],
      }),
    ).toEqual([
      'date',
      'months',
      'budget',
      'weights.flood',
      'mode',
      'candidates[0].groups[1]',
      'candidates[1].id',
      'candidates[1].commune',
      'candidates[1].groups',
      'candidates[1].tags',
      'candidates[1].enrolledThisYear',
      'candidates[1].coveredUntil',
      'candidates[2]',
    ]);
    expect(issues({ ...good, mode: 'concentrate', quotas: { C: 1 } })).toEqual(['quotas']);
    expect(issues({ ...good, quotas: { C: 4_000_000, D: 2_000_000 } })).toEqual(['quotas']);
    expect(issues([])).toEqual(['']);
  });
});

describe('donated cards: no card for the covered, renewals after the old card (issue 16)', () => {
  it('dates the card from the payment date, after a current card, or not at all', () => {
    // the issue's case: paid 15/12/2026 for 12 months, Đàm Thị Luyến covered 26/11/2026-25/11/2027
    expect(donatedCard('2026-12-15', 12, '2027-11-25')).toEqual({ from: '2027-11-26', to: '2028-02-25', months: 3, renewal: true });
    expect(donatedCard('2026-12-15', 12, null)).toEqual({ from: '2026-12-15', to: '2027-12-14', months: 12, renewal: false });
    expect(donatedCard('2026-12-15', 12, '2026-12-14')).toEqual({ from: '2026-12-15', to: '2027-12-14', months: 12, renewal: false });
    // covered on the payment date itself: the card starts the next day
    expect(donatedCard('2026-12-15', 12, '2026-12-15')).toEqual({ from: '2026-12-16', to: '2027-12-15', months: 12, renewal: true });
    // four months left to cover: six-month card
    expect(donatedCard('2026-12-15', 12, '2027-08-20')).toEqual({ from: '2027-08-21', to: '2028-02-20', months: 6, renewal: true });
    expect(donatedCard('2026-12-15', 12, '2027-12-14')).toBeNull();
    // a 2-month programme: never more than its months, even if 3 is the shortest BHYT period
    expect(donatedCard('2026-12-15', 2, '2027-01-20')).toEqual({ from: '2027-01-21', to: '2027-03-20', months: 2, renewal: true });
  });

  it('prices a renewal as the shorter card, not a full year', () => {
    const result = allocate(
      {
        date: '2026-12-15',
        months: 12,
        budget: 10_000_000,
        weights: { elderly: 1 },
        candidates: [
          { id: 'luyen', household: 'h1', commune: 'C', groups: ['GD'], tags: ['elderly'], coveredUntil: '2027-11-25' },
          { id: 'bare', household: 'h2', commune: 'C', groups: ['GD'], tags: ['elderly'] },
        ],
      },
      R,
    );
    const full = quote({ date: '2026-12-15', months: 12, members: [{ groups: ['GD'] }] }, R).members[0].payable;
    const quarter = quote({ date: '2026-12-15', months: 3, members: [{ groups: ['GD'], previousCardTo: '2027-11-25' }] }, R).members[0].payable;
    expect(full).toBe(1_366_200);
    expect(quarter).toBe(341_550);
    expect(result.decisions.map((d) => [d.id, d.cost, d.card?.from])).toEqual([
      ['luyen', quarter, '2027-11-26'],
      ['bare', full, '2026-12-15'],
    ]);
    expect(result.spent).toBe(full + quarter);
  });

  it('property: no selected person is covered on their card start date, and the money spent is the sum of the cards needed', () => {
    const day = fc.integer({ min: -400, max: 500 });
    const cardArb = fc.tuple(day, fc.integer({ min: 0, max: 400 })).map(([start, len]) => ({ start, len }));
    const personArb = fc.record({
      household: fc.integer({ min: 0, max: 5 }),
      groups: fc.constantFrom(['GD'], ['CN'], ['HS'], ['GD', 'HS'], ['GB'], ['HN']),
      tags: fc.subarray(['a', 'b', 'c']),
      cards: fc.array(cardArb, { maxLength: 3 }),
    });
    fc.assert(
      fc.property(
        fc.array(personArb, { minLength: 1, maxLength: 14 }),
        fc.constantFrom('2025-09-01', '2026-01-15', '2026-12-15'),
        fc.constantFrom(3, 6, 12),
        fc.integer({ min: 0, max: 20_000_000 }),
        (people, date, months, budget) => {
          const periodEnd = endOfPeriod(date, months);
          const register = people.map((p) => ({ ...p, cards: p.cards.map((c) => ({ validFrom: addDays(date, c.start), validTo: addDays(date, c.start + c.len) })) }));
          const candidates: AllocationCandidate[] = register.map((p, i) => {
            const until = coveredUntilInWindow(p.cards, periodEnd);
            return { id: `p${i}`, household: `h${p.household}`, commune: 'C', groups: p.groups, tags: p.tags, ...(until ? { coveredUntil: until } : {}) };
          });
          const result = allocate({ date, months, budget, weights: { a: 1, b: 2, c: 3 }, candidates }, R, { searchWork: 20_000 });
          let needed = 0;
          result.decisions.forEach((d, i) => {
            if (!d.selected) return;
            const card = d.card!;
            expect(isCoveredOn(register[i].cards, card.from)).toBe(false);
            expect(card.from >= date).toBe(true);
            expect(card.months).toBeLessThanOrEqual(months);
            const q = quote(
              {
                date,
                months: card.months,
                ...(d.order !== null ? { enrolledThisYear: d.order - 1 } : {}),
                members: [{ groups: candidates[i].groups, ...(card.renewal ? { previousCardTo: addDays(card.from, -1) } : {}) }],
              },
              R,
            );
            expect(d.cost).toBe(q.members[0].payable);
            needed += q.members[0].payable;
          });
          // covered through the window: never selected
          result.decisions.forEach((d, i) => {
            if (candidates[i].coveredUntil !== undefined && candidates[i].coveredUntil! >= periodEnd) expect(d.reason).toBe('already_covered');
          });
          expect(result.spent).toBe(needed);
          expect(result.spent).toBeLessThanOrEqual(budget);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('local policies limited to ethnic minorities or communes (an adopted simulator scenario)', () => {
  const rules = mergeRules(DEFAULT_RULES, {
    localPolicies: [
      { id: 'local-15-minority', province: '15', nameVi: 'x', nameEn: 'x', from: '2025-01-01', source: 'NQ 1', basisPoints: 3_000, base: 'premium', ethnicMinority: true },
      { id: 'local-15-commune', province: '15', nameVi: 'y', nameEn: 'y', from: '2025-01-01', source: 'NQ 2', basisPoints: 1_000, base: 'premium', communes: ['02923'] },
    ],
  });
  const person = (id: string, commune: string, ethnicity: string | null): AllocationCandidate => ({ id, household: `h-${id}`, commune, groups: ['GD'], tags: ['x'], province: '15', ethnicity });
  it('prices each candidate with the policy that applies to them', () => {
    const r = allocate({ date: '2025-09-01', months: 12, budget: 10 * YEAR, weights: { x: 1 }, candidates: [person('dao', '02905', 'Dao'), person('kinh', '02905', 'Kinh'), person('unknown', '02905', null), person('there', '02923', 'Kinh'), person('both', '02923', 'Tày')] }, rules);
    const cost = Object.fromEntries(r.decisions.map((d) => [d.id, d.cost]));
    // 30% of the premium for a minority, 10% in commune 02923; the engine takes the policy paying most
    expect(cost).toEqual({ dao: YEAR - 379_080, kinh: YEAR, unknown: YEAR, there: YEAR - 126_360, both: YEAR - 379_080 });
  });
});
