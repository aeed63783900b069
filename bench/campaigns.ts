/**
 * Campaigns (issue 20 item 3), on the embedded database: the progress of a province's campaign month (all
 * its communes; 2,000,000 persons by default) with targets of every kind and a split over the communes,
 * against a plain query over the register that counts the same new household participants per commune
 * (persons with a household card starting in the month and no card the day before). Goal: p50 under
 * 100 ms. Prints the ratio (ours / plain query) last.
 *   npm run bench -- campaigns [--persons N] [--runs R] [--data DIR] [--cache 1GB]
 * --data DIR keeps the loaded database and reuses it (bench/outreach.ts's directory will do).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { campaignProgress, createCampaign } from '../src/modules/campaigns/campaigns.service';
import * as repo from '../src/modules/campaigns/campaigns.repository';
import { percentile, fmt } from './_stats';
import { arg, demoProvince, DEMO_TODAY } from './_demo';

const runs = Number(arg('runs') ?? 20);
const today = DEMO_TODAY;
const { db, actor, close } = await demoProvince('campaigns');
const total = await sql<{ n: number }>`select count(*)::int as n from person`.execute(db);
const communes = await repo.communesOf(db, '15');
const from = '2025-10-01';
const to = '2025-10-31';
const campaign = await createCampaign(db, actor, {
  unitCode: '15',
  name: `Bench ${Date.now()}`,
  startsOn: from,
  endsOn: to,
  targets: { bhyt_household: 5000, bhxh_tn: 500, renewal: 20000 },
  split: communes.map((c) => ({ kind: 'bhyt_household' as const, level: 'commune' as const, ref: c.code, value: 50 })),
});
console.log(`province 15: ${communes.length} communes, ${total.rows[0].n.toLocaleString('en')} persons; campaign ${from} – ${to}`);

async function time(fn: () => Promise<unknown>, n = runs) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  return times.sort((a, b) => a - b);
}

const first = await campaignProgress(db, actor, campaign.id, {}, today);
const ours = await time(() => campaignProgress(db, actor, campaign.id, {}, today));
// the parts: the register's counts (kept day and village counts, voluntary social insurance periods), the field
const groups = await repo.groupsOf(db, communes.map((c) => c.code));
const villages = { communes: [...new Set(groups.map((g) => g.communeCode))], villages: groups.flatMap((g) => g.villages) };
const parts = {
  register: await time(() => repo.registerProgress(db, communes.map((c) => c.code), villages, from, to), 5),
  field: await time(() => repo.fieldEnrolments(db, communes.map((c) => c.code), from, to), 5),
};
// the reference: new household participants per commune straight from the register
const plainQuery = () => sql`
  select h.commune_code, count(distinct k.person_id)
  from household h join card k on k.household_id = h.id
  where k.group_code = 'GD' and k.valid_from between ${from}::date and ${to}::date
    and not exists (select 1 from card j where j.household_id = k.household_id and j.person_id = k.person_id
      and j.valid_from < k.valid_from and j.valid_to >= k.valid_from - 1)
  group by 1`.execute(db);
const plainRows = (await plainQuery()).rows as { count: number | string }[];
const plain = await time(plainQuery, Math.min(runs, 5));
const plainTotal = plainRows.reduce((n, r) => n + Number(r.count), 0);
console.log(
  `new household participants: ${first.kinds.bhyt_household.achieved.toLocaleString('en')} (plain query: ${plainTotal.toLocaleString('en')}); renewals ${first.kinds.renewal.achieved.toLocaleString('en')}; voluntary SI ${first.kinds.bhxh_tn.achieved.toLocaleString('en')}`,
);
for (const [name, times] of Object.entries(parts)) console.log(`  ${name}: p50 ${fmt(percentile(times, 50))}`);
console.log(`campaign progress (all kinds, communes ranked, groups, staff, days): p50 ${fmt(percentile(ours, 50))}, p99 ${fmt(percentile(ours, 99))} (${runs} runs)`);
console.log(`plain query over the register (new household participants per commune): p50 ${fmt(percentile(plain, 50))}`);
await close();
console.log(`campaign progress p50 ${fmt(percentile(ours, 50))}; plain query ${fmt(percentile(plain, 50))}; ratio ${(percentile(ours, 50) / percentile(plain, 50)).toFixed(2)}`);
