/**
 * CLI of outreach events (issue 20 item 4): `event add|list|show|attach|attendees`. `--json` prints the
 * service's objects.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { todayInVietnam } from '../../domain/dates';
import { formatVnd } from '../../domain/money';
import { validationError } from '../../errors';
import * as events from './events.service';
import type { EventDetail } from './events.service';
import type { CreateEventInput } from './events.schemas';

const list = (text?: string) => (text ? text.split(',').map((s) => s.trim()).filter(Boolean) : undefined);
/** A count given on the command line: a number ('abc' is passed on as is and refused by the service, naming the field). */
const num = (text?: string) => (text === undefined ? undefined : /^-?\d+$/.test(text.trim()) ? Number(text) : (text as unknown as number));

function attendeeLines(c: CliContext, e: EventDetail): string[] {
  return e.attendees.map((a) => {
    const enrolled = [a.bhytFrom ? c.t('events:cli.enrolled_bhyt', { date: a.bhytFrom }) : '', a.vsiFrom ? c.t('events:cli.enrolled_vsi', { date: a.vsiFrom }) : ''].join('');
    return `  ${a.personId}  ${c.t('events:cli.attendee', { name: a.fullName, household: a.householdCode, enrolled })}`;
  });
}

function eventLine(c: CliContext, e: events.EventView): string {
  const a = e.attribution;
  return `${e.id}  ${e.heldOn}  ${c.t(`events:kinds.${e.kind}`)}  ${e.communeName}${e.villageName ? ` / ${e.villageName}` : ''}  ${e.attendance ?? '-'}  ${a.enrolled}/${a.attendees}${a.pct !== null ? ` (${a.pct}%)` : ''}`;
}

interface AddOpts {
  kind: string;
  date: string;
  commune: string;
  village?: string;
  place?: string;
  organiser?: string;
  campaign?: string;
  attendance?: string;
  leaflets?: string;
  consultations?: string;
  cost?: string;
  note?: string;
  persons?: string;
  json?: boolean;
}

export function registerEventCommands(program: Command, ctx: () => CliContext): void {
  const event = program.command('event').description('Outreach events (sự kiện truyền thông): conferences, mobile propaganda, leaflets; attendees and the enrolments attributed to them');
  event
    .command('add')
    .description('Record an outreach event')
    .requiredOption('--kind <kind>', 'dialogue_conference | customer_conference | mobile_propaganda | leaflet_distribution | thematic_session | launch_ceremony')
    .requiredOption('--date <date>', 'the day it was held (YYYY-MM-DD)')
    .requiredOption('--commune <code>', 'the commune')
    .option('--village <code>', 'a village of the commune')
    .option('--place <text>', 'where (free text)')
    .option('--organiser <text>', 'who organised it')
    .option('--campaign <id>', 'the campaign (of the commune or its province)')
    .option('--attendance <n>', 'how many attended')
    .option('--leaflets <n>', 'leaflets handed out')
    .option('--consultations <n>', 'persons consulted')
    .option('--cost <dong>', 'cost in dong')
    .option('--note <text>', 'a note')
    .option('--persons <ids>', 'attendees: person ids of the register, comma separated')
    .option('--json', 'print the event as JSON')
    .action(async (opts: AddOpts) => {
      const c = ctx();
      const input: CreateEventInput = {
        kind: opts.kind as CreateEventInput['kind'],
        heldOn: opts.date,
        communeCode: opts.commune,
        villageCode: opts.village,
        place: opts.place,
        organiser: opts.organiser,
        campaignId: opts.campaign,
        attendance: num(opts.attendance),
        leaflets: num(opts.leaflets),
        consultations: num(opts.consultations),
        cost: num(opts.cost),
        note: opts.note,
        attendees: list(opts.persons),
      };
      const saved = await c.withDb(({ db }) => events.createEvent(db, c.actor, input, todayInVietnam()));
      if (opts.json) return c.json(saved);
      c.out(c.t('events:cli.saved', { id: saved.id, kind: c.t(`events:kinds.${saved.kind}`), date: saved.heldOn, commune: saved.communeName }));
    });
  event
    .command('list')
    .description('Events of your scope, a unit or a campaign, with totals')
    .option('--unit <code>', 'a commune or province')
    .option('--campaign <id>', 'a campaign')
    .option('--from <date>', 'from (YYYY-MM-DD)')
    .option('--to <date>', 'to (YYYY-MM-DD)')
    .option('--days <n>', 'attribution window in days (default 30)')
    .option('--json', 'print as JSON')
    .action(async (opts: { unit?: string; campaign?: string; from?: string; to?: string; days?: string; json?: boolean }) => {
      const c = ctx();
      const r = await c.withDb(({ db }) => events.listEvents(db, c.actor, { unit: opts.unit, campaign: opts.campaign, from: opts.from, to: opts.to, days: num(opts.days) }));
      if (opts.json) return c.json(r);
      if (r.events.length === 0) return c.out(c.t('events:cli.none'));
      for (const e of r.events) c.out(eventLine(c, e));
      c.out(c.t('events:cli.totals', { ...r.totals, cost: formatVnd(r.totals.cost), days: r.events[0].attribution.days }));
    });
  event
    .command('show <id>')
    .description('An event with its attendees and who of them enrolled')
    .option('--days <n>', 'attribution window in days (default 30)')
    .option('--json', 'print as JSON')
    .action(async (id: string, opts: { days?: string; json?: boolean }) => {
      const c = ctx();
      const e = await c.withDb(({ db }) => events.getEvent(db, c.actor, id, num(opts.days)));
      if (opts.json) return c.json(e);
      c.out(eventLine(c, e));
      for (const line of attendeeLines(c, e)) c.out(line);
    });
  event
    .command('attendees <id>')
    .description('Add or remove attendees (person ids of the register)')
    .option('--add <ids>', 'person ids, comma separated')
    .option('--remove <ids>', 'person ids, comma separated')
    .option('--json', 'print the event as JSON')
    .action(async (id: string, opts: { add?: string; remove?: string; json?: boolean }) => {
      const c = ctx();
      const e = await c.withDb(({ db }) => events.changeAttendees(db, c.actor, id, { add: list(opts.add) ?? [], remove: list(opts.remove) ?? [] }, todayInVietnam()));
      if (opts.json) return c.json(e);
      c.out(eventLine(c, e));
      for (const line of attendeeLines(c, e)) c.out(line);
    });
  event
    .command('attach <id> <file>')
    .description('Attach an evidence file (JPEG, PNG or PDF, at most 10 MB)')
    .option('--json', 'print the event as JSON')
    .action(async (id: string, file: string, opts: { json?: boolean }) => {
      const c = ctx();
      let data: Buffer;
      try {
        data = fs.readFileSync(file);
      } catch {
        throw validationError([events.eventField('file', 'file_unreadable', { file })]);
      }
      const e = await c.withDb(({ db }) => events.attachFile(db, c.actor, id, { name: path.basename(file), data }));
      if (opts.json) return c.json(e);
      c.out(eventLine(c, e));
      for (const f of e.fileList) c.out(`  ${f.id}  ${f.name}  ${f.type}  ${f.size}`);
    });
}
