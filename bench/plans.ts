/**
 * Plans (issue 21), on the embedded database: the status of a provincial plan (goals coverage % and
 * participants with current value, 6-month trend and the coverage projection to the goal's date; 20 tasks
 * with overdue derived, 5 of them split into sub-tasks of the 99 commune plans; the scorecard of the 99
 * communes) against its plain reference: the same figures from plain SQL over the register (population and
 * covered persons per commune, coverage ends before the goal's date, the past year's renewals, the tasks and
 * their sub-tasks). Goal: p50 under 200 ms. Prints the ratio (ours / plain SQL) last.
 *   npm run bench -- plans [--persons N] [--runs R] [--data DIR]
 * Default 200,000 persons (a smaller province than the 2,000,000 of the other benchmarks: this measures the
 * plan's own work and the kept coverage figures it reads, not the register's size).
 */
import { sql } from 'kysely';
import { addDays } from '../src/domain/calendar';
import { taskState } from '../src/domain/plans';
import * as plans from '../src/modules/plans/plans.service';
import { coverageOf, expectedParticipants, trend } from '../src/modules/coverage/coverage.service';
import { percentile, fmt, timeRuns } from './_stats';

if (!process.argv.includes('--persons')) process.argv.push('--persons', '200000');
const { arg, demoProvince, DEMO_TODAY } = await import('./_demo');
const runs = Number(arg('runs') ?? 20);
const today = DEMO_TODAY;
const { db, actor, close } = await demoProvince('plans');
const total = await sql<{ n: number }>`select count(*)::int as n from person`.execute(db);

const plan = await plans.createPlan(db, actor, {
  unitCode: '15',
  number: `B-${Date.now()}`,
  issuedOn: '2025-09-01',
  title: 'Bench plan',
  goals: [
    { metric: 'coverage_pct', value: 95, byDate: '2026-06-30' },
    { metric: 'participants', value: Math.round(total.rows[0].n * 0.95), byDate: '2026-06-30' },
  ],
});
const communePlans = await plans.cascadePlan(db, actor, plan.id, {}, today);
for (let i = 0; i < 20; i++) {
  const task = await plans.addTask(
    db,
    actor,
    plan.id,
    { content: `Nhiệm vụ ${i + 1}`, responsible: `Đơn vị ${i % 4}`, deadline: i % 3 === 0 ? '2025-10' : `2025-${String(10 + (i % 3)).padStart(2, '0')}-15`, recurrence: i % 5 === 0 ? 'monthly' : 'none' },
    today,
  );
  if (i < 5) await plans.splitTask(db, actor, task.id, {}, today, 'vi');
}
console.log(`province 15: ${communePlans.length} commune plans, ${total.rows[0].n.toLocaleString('en')} persons; status on ${today}`);

const time = (fn: () => Promise<unknown>, n = runs) => timeRuns(fn, n);

const target = '2026-06-30';
const covered = (d: string) => sql`exists (select 1 from card c where c.household_id = p.household_id and c.person_id = p.id and c.valid_from <= ${d}::date and c.valid_to >= ${d}::date)`;
/** The same figures, plain SQL over the register: per commune population and covered; ends before the goal's date; renewals; tasks. */
async function plain() {
  const communes = await sql<{ code: string; population: number; covered: number }>`
    select p.commune_code as code, count(*)::int as population, count(*) filter (where ${covered(today)})::int as covered
    from person p join unit u on u.code = p.commune_code where u.parent_code = '15' group by 1`.execute(db);
  // each covered person's coverage span (back-to-back and overlapping cards joined) that covers the day, ending before the goal's date
  const ends = await sql<{ n: number }>`
    select count(*)::int as n from (
      select min(valid_from) as f, max(valid_to) as t from (
        select c.*, sum(case when c.prev_end is null or c.valid_from > c.prev_end + 1 then 1 else 0 end)
          over (partition by c.person_id order by c.valid_from, c.valid_to, c.id) as island
        from (
          select c.person_id, c.id, c.valid_from, c.valid_to,
            max(c.valid_to) over (partition by c.person_id order by c.valid_from, c.valid_to, c.id rows between unbounded preceding and 1 preceding) as prev_end
          from card c join person p on p.household_id = c.household_id and p.id = c.person_id join unit u on u.code = p.commune_code where u.parent_code = '15'
        ) c
      ) i group by person_id, island
    ) s where f <= ${today}::date and t >= ${today}::date and t < ${target}::date`.execute(db);
  const renewals = await sql<{ ended: number; renewed: number }>`
    select count(*)::int as ended, count(*) filter (where exists (select 1 from card n where n.household_id = c.household_id and n.person_id = c.person_id
      and n.valid_to > c.valid_to and n.valid_from <= c.valid_to + 90))::int as renewed
    from card c join person p on p.household_id = c.household_id and p.id = c.person_id join unit u on u.code = p.commune_code
    where u.parent_code = '15' and c.valid_to between ${addDays(today, -365)}::date and ${addDays(today, -90)}::date`.execute(db);
  const months = await sql<{ day: string; n: number }>`
    select d.day::text as day, count(*)::int as n from (select unnest(array['2025-05-31','2025-06-30','2025-07-31','2025-08-31','2025-09-30','2025-10-31']::date[]) as day) d
    join card c on c.valid_from <= d.day and c.valid_to >= d.day join person p on p.household_id = c.household_id and p.id = c.person_id
    join unit u on u.code = p.commune_code where u.parent_code = '15' group by 1`.execute(db);
  const tasks = await sql<{ id: string; deadline: string; dueOn: string; recurrence: 'none'; status: 'done'; lastNoteOn: string | null; subs: number }>`
    select t.id, t.deadline, t.due_on::text as "dueOn", t.recurrence, t.status, (select max(n.noted_on)::text from plan_task_note n where n.task_id = t.id) as "lastNoteOn",
      (select count(*)::int from plan_task s where s.parent_task_id = t.id) as subs
    from plan_task t where t.plan_id = ${plan.id}::uuid order by t.position`.execute(db);
  const goals = await sql<{ n: number }>`select count(*)::int as n from plan_goal g join plan p on p.id = g.plan_id where p.parent_id = ${plan.id}::uuid`.execute(db);
  const population = communes.rows.reduce((n, c) => n + Number(c.population), 0);
  const now = communes.rows.reduce((n, c) => n + Number(c.covered), 0);
  const r = renewals.rows[0];
  const rate = Number(r.ended) ? Number(r.renewed) / Number(r.ended) : 0;
  const expected = now - Math.round(Number(ends.rows[0].n) * (1 - rate));
  return { population, now, expected, months: months.rows.length, overdue: tasks.rows.filter((t) => taskState(t, today).overdue).length, goals: goals.rows[0].n };
}

const s = await plans.planStatus(db, actor, plan.id, { date: today }, today);
const p = await plain();
const ourOverdue = s.tasks.filter((t) => t.overdue).length;
console.log(
  `ours: coverage ${s.goals[0].current}% now, projected ${s.goals[0].projected}% (participants ${s.goals[1].current} -> ${s.goals[1].projected}); ${ourOverdue} tasks overdue; scorecard ${s.scorecard?.communes.length} communes`,
);
console.log(`plain: coverage ${((100 * p.now) / p.population).toFixed(2)}% now, projected participants ${p.now} -> ${p.expected}; ${p.overdue} tasks overdue; ${p.goals} commune goals`);
const ours = await time(() => plans.planStatus(db, actor, plan.id, { date: today }, today));
// where the time goes: the province's coverage (with its communes), the projection, the trend
const report = await coverageOf(db, actor, '15', today);
const parts = {
  coverageOf: await time(() => coverageOf(db, actor, '15', today), 5),
  projection: await time(() => expectedParticipants(db, actor, { unit: '15', date: today, targetDate: target, report }), 5),
  trend: await time(() => trend(db, actor, { unit: '15', date: today, months: 6 }), 5),
};
for (const [name, times] of Object.entries(parts)) console.log(`  ${name}: p50 ${fmt(percentile(times, 50))}`);
const reference = await time(plain, Math.min(runs, 5));
console.log(`plan status (2 goals with trend and projection, 20 tasks, 99-commune scorecard): p50 ${fmt(percentile(ours, 50))}, p99 ${fmt(percentile(ours, 99))} (${runs} runs)`);
console.log(`plain SQL over the register (same figures): p50 ${fmt(percentile(reference, 50))}`);
await close();
console.log(`plan status p50 ${fmt(percentile(ours, 50))}; plain SQL ${fmt(percentile(reference, 50))}; ratio ${(percentile(ours, 50) / percentile(reference, 50)).toFixed(2)}`);
