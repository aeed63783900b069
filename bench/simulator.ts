/**
 * The local support simulator (issue 21 item 5), on the embedded database: elderly 60-79 not state-paid,
 * a 30% top-up of the premium, for the whole province (goal under 2 s at 2,000,000 persons), against a
 * person-by-person loop through the rules engine: every person of every household of the province read,
 * each household with a group member quoted in household order (with and without the top-up) and the
 * group members' support summed. Both must give the same persons, covered and budget cost (same take-up).
 * Prints the ratio (ours / loop) last.
 *   npm run bench -- simulator [--persons N] [--runs R] [--data DIR]
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { ageInYears } from '../src/domain/calendar';
import { priceHousehold } from '../src/domain/outreach';
import { pricingGroups } from '../src/domain/pricing-groups';
import { groupOn, groupWithRoleOn, isFullyStateFunded, mergeRules, RuleError } from '../src/domain/premium-rules';
import { scenarioPolicy, type Scenario } from '../src/domain/support-simulation';
import { loadRules } from '../src/modules/premium/premium.service';
import { simulate } from '../src/modules/simulator/simulator.service';
import { fmt, percentile } from './_stats';
import { arg, demoProvince, DEMO_TODAY } from './_demo';

const runs = Number(arg('runs') ?? 5);
const FROM = '2026-01-01';
const { db, actor, close } = await demoProvince('simulator');
const total = (await sql<{ n: number }>`select count(*)::int as n from person`.execute(db)).rows[0].n;
const input = { unitCode: '15', group: 'elderly_60_79' as const, topUpPct: 30, from: FROM, months: 12, takeUpPct: 50 };

// ours
const times: number[] = [];
let ours = await simulate(db, actor, input, DEMO_TODAY, 'vi');
for (let i = 0; i < runs; i++) {
  const s = performance.now();
  ours = await simulate(db, actor, input, DEMO_TODAY, 'vi');
  times.push(performance.now() - s);
}
times.sort((a, b) => a - b);
console.log(`${total.toLocaleString('en')} persons; group elderly_60_79: ${ours.persons.toLocaleString('en')} persons, ${ours.covered.toLocaleString('en')} covered, budget ${ours.budgetCost.toLocaleString('en')} dong/year, +${ours.expectedNew.toLocaleString('en')} expected (take-up ${ours.takeUpPct}%)`);
console.log(`simulator (counts by profile in the database, a quote per profile): p50 ${fmt(percentile(times, 50))}, max ${fmt(times[times.length - 1])} (${runs} runs; goal < 2 s at 2,000,000 persons)`);
for (const group of ['near_poor', 'pupils', 'ethnic_minority'] as const) {
  const s = performance.now();
  const r = await simulate(db, actor, { ...input, group, topUpPct: 20 }, DEMO_TODAY, 'vi');
  console.log(`  ${group} (20%): ${fmt(performance.now() - s)}, ${r.persons.toLocaleString('en')} persons`);
}

// the loop: every household read, quoted member by member through the engine in household order
const loopStart = performance.now();
const rules = await loadRules(db);
const scenario: Scenario = { group: 'elderly_60_79', topUp: { kind: 'pct', basisPoints: 3_000 }, from: FROM, months: 12 };
const withPolicy = mergeRules(rules, { localPolicies: [scenarioPolicy(scenario, { id: 'bench', province: '15', nameVi: 'b', nameEn: 'b', source: 'b' })] });
const child = groupWithRoleOn(rules, 'child-under-6', FROM)?.code;
type Row = { householdId: string; poverty: string; birthDate: string; groupCodes: string[]; covered: boolean };
let persons = 0;
let covered = 0;
let coveredCost = 0;
let uncoveredCost = 0;
let last = '00000000-0000-0000-0000-000000000000';
for (;;) {
  const batch = await sql<Row>`
    select p.household_id, h.poverty_status as poverty, to_char(p.birth_date, 'YYYY-MM-DD') as birth_date, p.group_codes,
      exists (select 1 from card c where c.household_id = p.household_id and c.person_id = p.id and c.valid_from <= ${FROM}::date and c.valid_to >= ${FROM}::date) as covered
    from person p join household h on h.id = p.household_id
    where p.household_id in (select h2.id from household h2 where h2.id > ${last}::uuid order by h2.id limit 50000)
    order by p.household_id, case when p.relationship = 'head' then 0 else 1 end, p.birth_date, p.id`.execute(db);
  if (batch.rows.length === 0) break;
  last = batch.rows[batch.rows.length - 1].householdId;
  let i = 0;
  while (i < batch.rows.length) {
    let j = i;
    while (j < batch.rows.length && batch.rows[j].householdId === batch.rows[i].householdId) j++;
    const members = batch.rows.slice(i, j).filter((m) => m.birthDate <= FROM);
    i = j;
    const inGroup = members.map((m) => {
      const age = ageInYears(m.birthDate, FROM);
      return age >= 60 && age < 80 && m.poverty !== 'poor' && !m.groupCodes.some((g) => g !== child && groupOn(rules, g, FROM) && isFullyStateFunded(rules, g, FROM));
    });
    if (!inGroup.some(Boolean)) continue;
    const door = members.map((m) => ({
      groups: pricingGroups({ birthDate: m.birthDate, groupCodes: m.groupCodes.filter((g) => g !== child), povertyStatus: m.poverty }, FROM, rules).filter((g) => groupOn(rules, g, FROM)),
      birthDate: m.birthDate,
      grade: null,
      previousCardTo: null,
    }));
    const ctx = { date: FROM, months: 12, enrolledThisYear: 0, province: '15' };
    const before = priceHousehold(door, ctx, rules);
    const after = priceHousehold(door, ctx, withPolicy);
    members.forEach((m, k) => {
      if (!inGroup[k]) return;
      persons++;
      const b = before[k];
      const a = after[k];
      if (b instanceof RuleError || a instanceof RuleError) return;
      const support = Math.max(a.local - b.local, 0);
      if (m.covered) {
        covered++;
        coveredCost += support;
      } else if (!b.statePaysInFull && support > 0) uncoveredCost += support;
    });
  }
}
const loopMs = performance.now() - loopStart;
const loopBudget = Math.round(coveredCost + (ours.takeUpPct / 100) * uncoveredCost);
console.log(`person-by-person loop through the rules engine (quote per household, with and without the top-up): ${fmt(loopMs)}; ${persons.toLocaleString('en')} persons, ${covered.toLocaleString('en')} covered, budget ${loopBudget.toLocaleString('en')} dong/year`);
await close();
if (persons !== ours.persons || covered !== ours.covered || Math.abs(loopBudget - ours.budgetCost) > 1) {
  throw new Error(`the loop and the simulator differ: ${persons}/${ours.persons} persons, ${covered}/${ours.covered} covered, ${loopBudget}/${ours.budgetCost} dong`);
}
console.log(`simulator p50 ${fmt(percentile(times, 50))}; person-by-person loop ${fmt(loopMs)}; ratio ${(percentile(times, 50) / loopMs).toFixed(3)}`);
