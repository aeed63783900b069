/**
 * Renewal reminders (issue 20 item 6), on the embedded database: the province's reminder list (persons
 * whose latest BHYT card ends within 30 days and who have not renewed, priced in household order, with where
 * to pay and the texts, grouped by village and collector; goal under 2 s at 2,000,000 persons), and the list
 * of the commune with the most persons, against a plain query over the register that picks the same persons
 * (each person's latest card by a GROUP BY over every card, joined to persons and households). Prints the
 * province list's ratio (ours / plain query) last.
 *   npm run bench -- reminders [--persons N] [--runs R] [--data DIR]
 * --data DIR keeps the loaded database and reuses it (loading 2,000,000 persons takes many minutes).
 */
import { performance } from 'node:perf_hooks';
import { sql } from 'kysely';
import { addDays } from '../src/domain/calendar';
import { reminderList } from '../src/modules/reminders/reminders.service';
import { databaseCpuSeconds, percentile, fmt } from './_stats';
import { arg, demoProvince, DEMO_TODAY } from './_demo';

const runs = Number(arg('runs') ?? 10);
const today = DEMO_TODAY;
const { database, db, actor, close } = await demoProvince('reminders');
const biggest = await sql<{ code: string; n: number }>`select commune_code as code, count(*)::int as n from person group by 1 order by 2 desc limit 1`.execute(db);
const commune = biggest.rows[0];

async function time(fn: () => Promise<unknown>, n = runs) {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  return times.sort((a, b) => a - b);
}

const until = addDays(today, 30);
// the reference: the same persons by one plain query (latest card per person over the whole card table)
const plainQuery = () => sql`
  with latest as (select k.household_id, k.person_id, max(k.valid_to) as valid_to from card k group by 1, 2)
  select h.village_code, h.code, p.id, p.full_name, p.birth_date, p.group_codes, p.phone, l.valid_to
  from latest l join person p on p.household_id = l.household_id and p.id = l.person_id join household h on h.id = l.household_id
  where l.valid_to between ${today}::date and ${until}::date
  order by h.village_code, h.code`.execute(db);

const first = await reminderList(db, actor, { unit: '15', date: today }, today, 'vi');
const plainRows = (await plainQuery()).rows.length;
const listed = first.summary.persons + first.summary.statePaid + first.summary.alreadySent;
console.log(
  `province list: ${first.summary.persons.toLocaleString('en')} persons to remind in ${first.villages.length.toLocaleString('en')} villages and ${first.collectors.length} collectors ` +
    `(+ ${first.summary.statePaid.toLocaleString('en')} state-paid not reminded = ${listed.toLocaleString('en')}; plain query: ${plainRows.toLocaleString('en')} rows)`,
);
const busy0 = databaseCpuSeconds(database);
const ours = await time(() => reminderList(db, actor, { unit: '15', date: today }, today, 'vi'));
const busyPerList = ((databaseCpuSeconds(database) - busy0) * 1000) / runs;
const plain = await time(plainQuery);
const communeTimes = await time(() => reminderList(db, actor, { unit: commune.code, date: today }, today, 'vi'));
const c = await reminderList(db, actor, { unit: commune.code, date: today }, today, 'vi');
console.log(`province reminder list (prices, where to pay, texts): p50 ${fmt(percentile(ours, 50))}, max ${fmt(ours[ours.length - 1])} (${runs} runs; goal < 2 s at 2,000,000 persons)`);
console.log(`  of which the database thread busy: ${fmt(busyPerList)} per list (the rest: pricing, texts, grouping, moving the rows)`);
console.log(`plain query over the register: p50 ${fmt(percentile(plain, 50))}, max ${fmt(plain[plain.length - 1])}`);
console.log(`commune ${commune.code} (${commune.n.toLocaleString('en')} persons, ${c.summary.persons} to remind): p50 ${fmt(percentile(communeTimes, 50))}`);
if (listed !== plainRows) throw new Error(`the list has ${listed} persons, the plain query ${plainRows}`);

await close();
console.log(`province reminder list p50 ${fmt(percentile(ours, 50))}; plain query ${fmt(percentile(plain, 50))}; ratio ${(percentile(ours, 50) / percentile(plain, 50)).toFixed(2)}`);
