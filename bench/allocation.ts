/**
 * Selection under budget against its LP upper bound. Generates N candidates (default 100,000)
 * deterministically: households of 1-6 people, a realistic group mix (household GD, near-poor CN,
 * pupils HS, students SV, state-paid HN/TE/DT), priority tags with weights, and a budget that buys about
 * 30% of the buyable people. Then, in the same run:
 *   - ours: `allocate` (pricing by the rules engine, greedy and fill, exact search within its work limit);
 *   - the reference: `allocationBound`, the LP relaxation of the same multiple-choice knapsack (convex
 *     hull of each household's options), an upper bound that no selection can beat.
 * Each is timed as the median of 3 runs (after one warm-up). Prints the objective ratio (must be >= 0.995)
 * and the time ratio (ours / the bound) last.
 *   npm run bench -- allocation [--candidates N] [--mode concentrate|spread]
 */
import { performance } from 'node:perf_hooks';
import { allocate, allocationBound, type AllocationCandidate, type AllocationInput } from '../src/domain/allocation';
import { quote } from '../src/domain/premium';
import { DEFAULT_RULES } from '../src/domain/premium-rules';

const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};
const count = Number(arg('candidates') ?? 100_000);
const mode = (arg('mode') ?? 'concentrate') as 'concentrate' | 'spread';

/** mulberry32: a small deterministic generator. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WEIGHTS = { ethnic_minority: 3, pupil: 2, flood: 2.5, elderly_60_79: 2, difficult: 1.5, disability: 2.75 };
const TAGS = Object.keys(WEIGHTS);

function generate(n: number): AllocationInput {
  const random = rng(20251130);
  const pick = <T>(pairs: [T, number][]): T => {
    let r = random();
    for (const [value, p] of pairs) if ((r -= p) < 0) return value;
    return pairs[pairs.length - 1][0];
  };
  const candidates: AllocationCandidate[] = [];
  const communes = Array.from({ length: 40 }, (_, i) => `C${String(i + 1).padStart(3, '0')}`);
  for (let h = 0; candidates.length < n; h++) {
    const size = 1 + Math.floor(random() * 6);
    const commune = communes[Math.floor(random() * communes.length)];
    const poor = random() < 0.08; // the whole household state-paid
    const nearPoor = !poor && random() < 0.12;
    const enrolled = random() < 0.15 ? 1 + Math.floor(random() * 2) : 0;
    const householdTags = random() < 0.3 ? ['flood'] : random() < 0.3 ? ['ethnic_minority'] : [];
    for (let m = 0; m < size && candidates.length < n; m++) {
      const groups: string[] = poor
        ? ['HN']
        : nearPoor
          ? ['CN']
          : pick<string[]>([
              [['GD'], 0.62],
              [['HS'], 0.17],
              [['TE'], 0.07],
              [['SV'], 0.04],
              [['DT'], 0.04],
              [['GD', 'HS'], 0.06],
            ]);
      const tags = [...householdTags];
      for (const tag of TAGS) if (random() < 0.12) tags.push(tag);
      candidates.push({
        id: `P${String(candidates.length).padStart(7, '0')}`,
        household: `H${String(h).padStart(6, '0')}`,
        commune,
        groups,
        tags,
        ...(enrolled ? { enrolledThisYear: enrolled } : {}),
      });
    }
  }
  // about 30% of what the buyable people would cost alone
  const price = new Map<string, number>();
  let full = 0;
  for (const c of candidates) {
    const key = c.groups.join('+');
    if (!price.has(key)) {
      const m = quote({ date: '2025-10-01', months: 12, members: [{ groups: c.groups }] }, DEFAULT_RULES).members[0];
      price.set(key, m.stateBasisPoints >= 10_000 ? 0 : m.payable);
    }
    full += price.get(key)!;
  }
  return { date: '2025-10-01', months: 12, budget: Math.round(full * 0.3), weights: WEIGHTS, candidates, mode };
}

function timed<T>(fn: () => T): { value: T; ms: number; coldMs: number } {
  let t = performance.now();
  let value = fn();
  const coldMs = performance.now() - t;
  const runs: number[] = [];
  for (let i = 0; i < 3; i++) {
    t = performance.now();
    value = fn();
    runs.push(performance.now() - t);
  }
  runs.sort((a, b) => a - b);
  return { value, ms: runs[1], coldMs };
}

let t0 = performance.now();
const input = generate(count);
console.log(
  `generated ${count.toLocaleString('en')} candidates in ${new Set(input.candidates.map((c) => c.household)).size.toLocaleString('en')} households: ` +
    `${((performance.now() - t0) / 1000).toFixed(2)} s; budget ${input.budget.toLocaleString('en')} dong; mode ${mode}`,
);

t0 = performance.now();
const ours = timed(() => allocate(input, DEFAULT_RULES));
const bound = timed(() => allocationBound(input, DEFAULT_RULES));
const r = ours.value;
const reasons = new Map<string, number>();
for (const e of r.excluded) reasons.set(e.reason, (reasons.get(e.reason) ?? 0) + 1);
console.log(`ours: ${r.selected.length.toLocaleString('en')} selected, spent ${r.spent.toLocaleString('en')}, unspent ${r.unspent.toLocaleString('en')}, objective ${r.objective.toFixed(2)}; proven optimal: ${r.provenOptimal}`);
console.log(`excluded: ${[...reasons].map(([k, v]) => `${k} ${v.toLocaleString('en')}`).join(', ')}`);
console.log(`ours:      ${(ours.ms / 1000).toFixed(3)} s (median of 3; first run ${(ours.coldMs / 1000).toFixed(3)} s)`);
console.log(`LP bound:  ${(bound.ms / 1000).toFixed(3)} s (median of 3; first run ${(bound.coldMs / 1000).toFixed(3)} s); bound ${bound.value.toFixed(2)}`);
const objectiveRatio = r.objective / bound.value;
const timeRatio = ours.ms / bound.ms;
console.log(`objective ratio (ours / LP bound) ${objectiveRatio.toFixed(5)} ${objectiveRatio >= 0.995 ? '(>= 0.995: ok)' : '(BELOW 0.995)'}`);
console.log(
  `allocation ${count} candidates: ${(ours.ms / 1000).toFixed(2)} s; objective ${(objectiveRatio * 100).toFixed(3)}% of the LP bound; time ratio ${timeRatio.toFixed(2)}`,
);
if (objectiveRatio < 0.995) process.exitCode = 1;
