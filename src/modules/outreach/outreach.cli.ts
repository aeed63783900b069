/**
 * CLI of door to door (issue 19): `group add|list|set|delete`, `visit add|list`, and `outreach progress|doors|
 * follow-ups|reports|accept|reject`. `--json` prints the stored objects.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { todayInVietnam } from '../../domain/dates';
import * as groups from './groups.service';
import { doorList } from './doorlist.service';
import { progress, progressWorkbook } from './progress.service';
import * as reports from './reports.service';
import * as visits from './visits.service';

const list = (s?: string) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface GroupOpts {
  name?: string;
  villages?: string;
  leader?: string;
  members?: string;
  from?: string;
  to?: string;
  note?: string;
  json?: boolean;
}

const withGroupOptions = (cmd: Command) =>
  cmd
    .option('--villages <codes>', 'villages of the commune, comma-separated (full codes or the codes users type)')
    .option('--leader <user>', 'the leader (username or id)')
    .option('--members <users>', 'members, comma-separated usernames or ids (field workers or commune officers of the commune)')
    .option('--from <date>', 'first day of the group’s period (YYYY-MM-DD)')
    .option('--to <date>', 'last day of the group’s period (YYYY-MM-DD)')
    .option('--note <text>', 'note')
    .option('--json', 'print the group as JSON');

export function registerOutreachCommands(program: Command, ctx: () => CliContext): void {
  const group = program.command('group').description('Working groups (tổ công tác) that go door to door in a commune’s villages');
  withGroupOptions(
    group.command('add').description('Create a working group').requiredOption('--commune <code>', 'commune code, e.g. 02905').requiredOption('--name <name>', 'e.g. "Tổ công tác 1"'),
  ).action(async (opts: GroupOpts & { commune: string; name: string }) => {
    const c = ctx();
    const g = await c.withDb(({ db }) =>
      groups.createGroup(db, c.actor, {
        communeCode: opts.commune,
        name: opts.name,
        villages: list(opts.villages) ?? [],
        leader: opts.leader,
        members: list(opts.members),
        periodFrom: opts.from,
        periodTo: opts.to,
        note: opts.note,
      }),
    );
    if (opts.json) c.json(g);
    else c.out(c.t('outreach:cli.group_saved', { name: g.name, id: g.id, count: g.villages.length }));
  });
  withGroupOptions(group.command('set <id>').description('Change a working group (villages and members are replaced when given)').option('--name <name>', 'new name').option('--active <yes|no>', 'no: the group stops'))
    .action(async (id: string, opts: GroupOpts & { active?: string }) => {
      const c = ctx();
      const g = await c.withDb(({ db }) =>
        groups.updateGroup(db, c.actor, id, {
          name: opts.name,
          villages: list(opts.villages),
          leader: opts.leader,
          members: list(opts.members),
          periodFrom: opts.from,
          periodTo: opts.to,
          note: opts.note,
          active: opts.active === undefined ? undefined : !/^(no|false|0)$/i.test(opts.active),
        }),
      );
      if (opts.json) c.json(g);
      else c.out(c.t('outreach:cli.group_saved', { name: g.name, id: g.id, count: g.villages.length }));
    });
  group
    .command('list')
    .description('List working groups (of --unit)')
    .option('--unit <code>', 'a province, office or commune')
    .option('--all', 'inactive groups too')
    .option('--json', 'print JSON')
    .action(async (opts: { unit?: string; all?: boolean; json?: boolean }) => {
      const c = ctx();
      const rows = await c.withDb(({ db }) => groups.listGroups(db, c.actor, { unit: opts.unit, all: opts.all ? 'true' : 'false' }));
      if (opts.json) return c.json(rows);
      if (rows.length === 0) return c.out(c.t('outreach:cli.no_groups'));
      for (const g of rows) c.out(`${g.id}  ${g.communeName}  ${g.name}  ${g.villages.map((v) => v.name).join(', ')}`);
    });
  group
    .command('delete <id>')
    .description('Delete a working group that logged no visit')
    .action(async (id: string) => {
      const c = ctx();
      await c.withDb(({ db }) => groups.deleteGroup(db, c.actor, id));
    });

  const visit = program.command('visit').description('The door-to-door visit log');
  visit
    .command('add')
    .description('Log a visit; the same --client-id with the same content again answers the stored visit ("duplicate": true); with other content it is refused')
    .requiredOption('--group <id>', 'the working group')
    .option('--person <id>', 'the person: citizen id (12 digits), insurance code (10) or register id')
    .option('--household <id>', 'the household (alone: nobody at home)')
    .requiredOption('--outcome <outcome>', 'enrolled | promised | refused | not_home')
    .option('--reason <reason>', 'refused: cost | distrust | insured_elsewhere | moved_away | deceased | other')
    .option('--follow-up <date>', 'promised or not at home: when to come back (YYYY-MM-DD)')
    .option('--product <product>', 'enrolled: household_bhyt | other')
    .option('--receipt <number>', 'enrolled: receipt number')
    .option('--card <number>', 'enrolled, or insured elsewhere: card number')
    .option('--note <text>', 'note')
    .option('--client-id <uuid>', 'the visit’s id (default: a new one)')
    .option('--at <date>', 'when (YYYY-MM-DD or an ISO time with offset; default today)')
    .option('--json', 'print the visit as JSON')
    .action(
      async (opts: {
        group: string;
        person?: string;
        household?: string;
        outcome: string;
        reason?: string;
        followUp?: string;
        product?: string;
        receipt?: string;
        card?: string;
        note?: string;
        clientId?: string;
        at?: string;
        json?: boolean;
      }) => {
        const c = ctx();
        const byId = opts.person !== undefined && UUID.test(opts.person);
        const v = await c.withDb(({ db }) =>
          visits.addVisit(db, c.actor, {
            clientId: opts.clientId ?? randomUUID(),
            groupId: opts.group,
            personId: byId ? opts.person : undefined,
            citizenId: byId ? undefined : opts.person,
            householdId: opts.household,
            outcome: opts.outcome as 'enrolled',
            reason: opts.reason as 'cost' | undefined,
            followUp: opts.followUp,
            product: opts.product as 'other' | undefined,
            receiptNumber: opts.receipt,
            cardNumber: opts.card,
            note: opts.note,
            // a day (today by default), so that the same command sent again is the same visit
            visitedAt: opts.at ?? todayInVietnam(),
          }),
        );
        if (opts.json) c.json(v);
        else c.out(c.t(v.duplicate ? 'outreach:cli.visit_duplicate' : 'outreach:cli.visit_stored', { id: v.clientId, outcome: c.t(`outreach:outcomes.${v.outcome}`) }));
      },
    );
  visit
    .command('list')
    .description('Visits, newest first')
    .option('--group <id>', 'of one group')
    .option('--flagged', 'only those stored after their household changed')
    .option('--limit <n>', 'at most', '200')
    .option('--json', 'print JSON')
    .action(async (opts: { group?: string; flagged?: boolean; limit: string; json?: boolean }) => {
      const c = ctx();
      const rows = await c.withDb(({ db }) => visits.listVisits(db, c.actor, { group: opts.group, flagged: opts.flagged ? 'true' : undefined, limit: Number(opts.limit) }));
      if (opts.json) return c.json(rows);
      for (const v of rows) c.out(`${v.visitedAt}  ${c.t(`outreach:outcomes.${v.outcome}`).padEnd(14)} ${v.personId ?? v.householdId}  ${v.userName}${v.flagged ? '  !' : ''}`);
    });

  const outreach = program.command('outreach').description('Door to door: progress, lists, follow-ups and the review queue');
  outreach
    .command('progress')
    .description('"Every door" progress of a unit: households visited, persons reached, outcomes')
    .requiredOption('--unit <code>', 'a village, commune, office or province')
    .option('--date <date>', 'up to this day (default today)')
    .option('--group <id>', 'one working group')
    .option('--xlsx <file>', 'write the progress as an .xlsx')
    .option('--json', 'print JSON: {unit, date, households, householdsVisited, pctVisited, personsReached, enrolled, promised, refused, notHome, ...}')
    .action(async (opts: { unit: string; date?: string; group?: string; xlsx?: string; json?: boolean }) => {
      const c = ctx();
      const query = { unit: opts.unit, date: opts.date, group: opts.group };
      if (opts.xlsx) {
        const file = opts.xlsx;
        const { buffer } = await c.withDb(({ db }) => progressWorkbook(db, c.actor, query, todayInVietnam(), c.lang));
        fs.writeFileSync(file, buffer);
      }
      const p = await c.withDb(({ db }) => progress(db, c.actor, query, todayInVietnam()));
      if (opts.json) return c.json({ unit: p.unit.code, date: p.date, ...p.total });
      const f = p.total;
      c.out(
        c.t('outreach:cli.progress_line', {
          unit: p.unit.name,
          date: p.date,
          visited: f.householdsVisited,
          households: f.households,
          pct: f.pctVisited ?? 0,
          persons: f.personsReached,
          enrolled: f.enrolled,
          promised: f.promised,
          refused: f.refused,
          notHome: f.notHome,
        }),
      );
    });
  outreach
    .command('doors')
    .description('The door-to-door list of a working group')
    .requiredOption('--group <id>', 'the working group')
    .option('--date <date>', 'the day (default today)')
    .option('--days <n>', 'a card ending within this many days puts its holder on the list', '30')
    .option('--months <n>', 'the card period priced', '12')
    .option('--village <code>', 'one village')
    .option('--json', 'print JSON')
    .action(async (opts: { group: string; date?: string; days: string; months: string; village?: string; json?: boolean }) => {
      const c = ctx();
      const r = await c.withDb(({ db }) => doorList(db, c.actor, opts.group, { date: opts.date, days: Number(opts.days), months: Number(opts.months), village: opts.village }, todayInVietnam(), c.lang));
      if (opts.json) return c.json(r);
      for (const h of r.households) {
        c.out(`${h.villageName ?? ''}  ${h.code}  ${h.address ?? ''}`);
        for (const m of h.members) c.out(`    ${m.fullName.padEnd(28)} ${m.status.padEnd(14)} ${m.price ? `${m.price.payable}` : ''}`);
      }
    });
  outreach
    .command('follow-ups')
    .description('Your follow-up queue: promises due and households not at home, oldest first')
    .option('--group <id>', 'one working group')
    .option('--all', 'every member’s')
    .option('--date <date>', 'due on or before (default today)')
    .option('--json', 'print JSON')
    .action(async (opts: { group?: string; all?: boolean; date?: string; json?: boolean }) => {
      const c = ctx();
      const rows = await c.withDb(({ db }) => visits.followUps(db, c.actor, { group: opts.group, all: opts.all ? 'true' : undefined, date: opts.date }, todayInVietnam()));
      if (opts.json) return c.json(rows);
      if (rows.length === 0) return c.out(c.t('outreach:cli.no_follow_ups'));
      for (const r of rows) c.out(`${r.dueOn}  ${c.t(`outreach:outcomes.${r.outcome}`).padEnd(14)} ${r.householdCode}  ${r.fullName ?? ''}  ${r.villageName ?? ''}`);
    });
  outreach
    .command('reports')
    .description('Status reported from the field waiting for review (moved away, deceased, insured elsewhere)')
    .option('--unit <code>', 'a province, office or commune')
    .option('--status <status>', 'pending | accepted | rejected | all', 'pending')
    .option('--json', 'print JSON')
    .action(async (opts: { unit?: string; status: string; json?: boolean }) => {
      const c = ctx();
      const rows = await c.withDb(({ db }) => reports.listReports(db, c.actor, { unit: opts.unit, status: opts.status as 'pending' }));
      if (opts.json) return c.json(rows);
      if (rows.length === 0) return c.out(c.t('outreach:cli.no_reports'));
      for (const r of rows) c.out(`${r.id}  ${c.t(`outreach:reasons.${r.kind}`).padEnd(20)} ${r.fullName ?? r.personId}  ${r.householdCode ?? ''}  ${r.status}`);
    });
  outreach
    .command('accept <id>')
    .description('Accept a report: the register changes (insured elsewhere: give the card)')
    .option('--note <text>', 'note')
    .option('--group-code <code>', 'insured elsewhere: the card’s participant group')
    .option('--from <date>', 'insured elsewhere: the card’s first day')
    .option('--to <date>', 'insured elsewhere: the card’s last day')
    .option('--number <number>', 'insured elsewhere: the card’s number (default: the one reported)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { note?: string; groupCode?: string; from?: string; to?: string; number?: string; json?: boolean }) => {
      const c = ctx();
      const card = opts.groupCode || opts.from || opts.to ? { groupCode: opts.groupCode ?? '', validFrom: opts.from ?? '', validTo: opts.to ?? '', number: opts.number } : undefined;
      const r = await c.withDb(({ db }) => reports.acceptReport(db, c.actor, id, { note: opts.note, card }));
      if (opts.json) c.json(r);
      else c.out(c.t('outreach:cli.report_decided', { id: r.id, status: c.t('outreach:report_status.accepted') }));
    });
  outreach
    .command('reject <id>')
    .description('Reject a report (the register stays as it is)')
    .option('--note <text>', 'note')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { note?: string; json?: boolean }) => {
      const c = ctx();
      const r = await c.withDb(({ db }) => reports.rejectReport(db, c.actor, id, { note: opts.note }));
      if (opts.json) c.json(r);
      else c.out(c.t('outreach:cli.report_decided', { id: r.id, status: c.t('outreach:report_status.rejected') }));
    });
}
