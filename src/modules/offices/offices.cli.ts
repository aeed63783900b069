/** CLI: social insurance offices, unit profiles, health-care facilities, collectors. */
import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import * as collectors from './collectors.service';
import * as facilities from './facilities.service';
import * as offices from './offices.service';

const list = (s?: string) => (s === undefined ? undefined : s.split(',').map((x) => x.trim()).filter(Boolean));

interface ProfileOpts {
  siCode?: string;
  taxCode?: string;
  address?: string;
  phone?: string;
  email?: string;
}
const profileOf = (o: ProfileOpts) => {
  const p = { siCode: o.siCode, taxCode: o.taxCode, address: o.address, phone: o.phone, email: o.email };
  return Object.values(p).some((v) => v !== undefined) ? p : undefined;
};
const withProfileOptions = (cmd: Command) =>
  cmd
    .option('--si-code <code>', 'the unit code the social insurance office issued (mã đơn vị)')
    .option('--tax-code <code>', 'tax code (mã số thuế)')
    .option('--address <text>', 'address as printed on forms')
    .option('--phone <number>', 'phone')
    .option('--email <address>', 'e-mail');

export function registerOfficesCommands(program: Command, ctx: () => CliContext): void {
  const office = program.command('office').description('Social insurance offices: the provincial office and the grassroots offices (BHXH cơ sở) with the communes they serve');
  office
    .command('list')
    .description('List the offices (of --province) and their communes')
    .option('--province <code>', 'province code, e.g. 15')
    .option('--json', 'print JSON')
    .action(async (opts: { province?: string; json?: boolean }) => {
      const c = ctx();
      const rows = await c.withDb(({ db }) => offices.listOffices(db, c.actor, opts.province));
      if (opts.json) return c.json(rows);
      if (rows.length === 0) return c.out(c.t('cli.no_offices'));
      for (const o of rows) c.out(`${o.code.padEnd(8)} ${o.name}  ${o.communes.map((x) => x.name).join(', ')}`);
    });
  withProfileOptions(
    office
      .command('add')
      .description('Create an office')
      .requiredOption('--code <code>', 'the code the social insurance system issued to the office')
      .requiredOption('--name <name>', 'e.g. "Bảo hiểm xã hội cơ sở Bảo Thắng"')
      .requiredOption('--kind <kind>', 'si_province (parent: the province) | si_grassroots (parent: the provincial office)')
      .requiredOption('--parent <code>', 'the province, or the provincial office')
      .option('--communes <codes>', 'communes it serves, comma-separated, e.g. 02905,02923')
      .option('--json', 'print JSON'),
  ).action(async (opts: ProfileOpts & { code: string; name: string; kind: string; parent: string; communes?: string; json?: boolean }) => {
    const c = ctx();
    const o = await c.withDb(({ db }) =>
      offices.createOffice(db, c.actor, { code: opts.code, name: opts.name, kind: opts.kind as 'si_province', parentCode: opts.parent, communes: list(opts.communes), profile: profileOf(opts) }),
    );
    if (opts.json) c.json(o);
    else c.out(c.t('cli.office_saved', { name: o.name, code: o.code, count: o.communes.length }));
  });
  withProfileOptions(
    office
      .command('set <code>')
      .description("Rename an office, replace the communes it serves, change its profile")
      .option('--name <name>', 'new name')
      .option('--communes <codes>', 'the communes it serves, comma-separated (replaces the list)')
      .option('--json', 'print JSON'),
  ).action(async (code: string, opts: ProfileOpts & { name?: string; communes?: string; json?: boolean }) => {
    const c = ctx();
    const o = await c.withDb(({ db }) => offices.updateOffice(db, c.actor, code, { name: opts.name, communes: list(opts.communes), profile: profileOf(opts) }));
    if (opts.json) c.json(o);
    else c.out(c.t('cli.office_saved', { name: o.name, code: o.code, count: o.communes.length }));
  });

  withProfileOptions(
    program
      .command('profile <unit>')
      .description("Show or set (with options) a unit's profile as forms print it: unit code issued by the social insurance office, tax code, address, phone, e-mail")
      .option('--json', 'print JSON'),
  ).action(async (unit: string, opts: ProfileOpts & { json?: boolean }) => {
    const c = ctx();
    const patch = profileOf(opts);
    const p = await c.withDb(({ db }) => (patch ? offices.setUnitProfile(db, c.actor, unit, patch) : offices.unitProfile(db, c.actor, unit)));
    if (opts.json) return c.json(p);
    if (!p) return c.out(c.t('cli.no_profile'));
    for (const [k, v] of Object.entries(p)) c.out(`${c.t(`cli.profile.${k}`).padEnd(24)} ${v ?? ''}`);
  });

  const facility = program.command('facility').description('Initial health-care facilities (nơi đăng ký KCB ban đầu) per province');
  facility
    .command('list')
    .description('List the facilities (of --province, matching --q)')
    .option('--province <code>', 'province code')
    .option('--q <text>', 'search by name, ignoring diacritics')
    .option('--all', 'include inactive facilities')
    .option('--json', 'print JSON')
    .action(async (opts: { province?: string; q?: string; all?: boolean; json?: boolean }) => {
      const c = ctx();
      const rows = await c.withDb(({ db }) => facilities.listFacilities(db, c.actor, opts));
      if (opts.json) return c.json(rows);
      if (rows.length === 0) return c.out(c.t('cli.no_facilities'));
      for (const f of rows) c.out(`${f.code}  ${f.name}${f.active ? '' : `  (${c.t('cli.inactive')})`}`);
    });
  facility
    .command('add')
    .description('Add a facility to a province list')
    .requiredOption('--code <code>', '5 digits')
    .requiredOption('--name <name>', 'e.g. "Trung tâm Y tế Bảo Thắng"')
    .requiredOption('--province <code>', 'province code')
    .option('--address <text>', 'address')
    .option('--json', 'print JSON')
    .action(async (opts: { code: string; name: string; province: string; address?: string; json?: boolean }) => {
      const c = ctx();
      const f = await c.withDb(({ db }) => facilities.createFacility(db, c.actor, { code: opts.code, name: opts.name, provinceCode: opts.province, address: opts.address }));
      if (opts.json) c.json(f);
      else c.out(c.t('cli.facility_saved', { name: f.name, code: f.code }));
    });
  facility
    .command('set <code>')
    .description('Rename a facility, change its address, or make it (in)active')
    .option('--name <name>', 'new name')
    .option('--address <text>', 'address')
    .option('--inactive', 'no longer offered as a choice')
    .option('--active', 'offered again')
    .option('--json', 'print JSON')
    .action(async (code: string, opts: { name?: string; address?: string; inactive?: boolean; active?: boolean; json?: boolean }) => {
      const c = ctx();
      const active = opts.inactive ? false : opts.active ? true : undefined;
      const f = await c.withDb(({ db }) => facilities.updateFacility(db, c.actor, code, { name: opts.name, address: opts.address, active }));
      if (opts.json) c.json(f);
      else c.out(c.t('cli.facility_saved', { name: f.name, code: f.code }));
    });

  const collector = program.command('collector').description('Collection agents (đại lý thu) and collectors (nhân viên thu), per office and village');
  collector
    .command('list')
    .description('List the collectors of --office or --village (default: your scope)')
    .option('--office <code>', 'office code')
    .option('--village <code>', 'village code, e.g. 02905.T01')
    .option('--json', 'print JSON')
    .action(async (opts: { office?: string; village?: string; json?: boolean }) => {
      const c = ctx();
      const rows = await c.withDb(({ db }) => collectors.listCollectors(db, c.actor, opts));
      if (opts.json) return c.json(rows);
      if (rows.length === 0) return c.out(c.t('cli.no_collectors'));
      for (const x of rows) c.out(`${x.code.padEnd(12)} ${x.name}  ${x.villages.map((v) => v.name).join(', ')}`);
    });
  collector
    .command('add')
    .description('Add a collector under an office, with the villages it serves')
    .requiredOption('--code <code>', 'the code the office issued')
    .requiredOption('--name <name>', 'name')
    .requiredOption('--office <code>', 'office code')
    .option('--kind <kind>', 'agent (đại lý thu) | staff (nhân viên thu)', 'staff')
    .option('--phone <number>', 'phone')
    .option('--villages <codes>', 'villages, comma-separated')
    .option('--json', 'print JSON')
    .action(async (opts: { code: string; name: string; office: string; kind: string; phone?: string; villages?: string; json?: boolean }) => {
      const c = ctx();
      const x = await c.withDb(({ db }) =>
        collectors.createCollector(db, c.actor, { code: opts.code, name: opts.name, officeCode: opts.office, kind: opts.kind as 'staff', phone: opts.phone, villages: list(opts.villages) }),
      );
      if (opts.json) c.json(x);
      else c.out(c.t('cli.collector_saved', { name: x.name, code: x.code, count: x.villages.length }));
    });
  collector
    .command('set <code>')
    .description("Change a collector's name, phone or villages, or make it (in)active")
    .option('--name <name>', 'new name')
    .option('--phone <number>', 'phone')
    .option('--villages <codes>', 'villages, comma-separated (replaces the list)')
    .option('--inactive', 'no longer collecting')
    .option('--active', 'collecting again')
    .option('--json', 'print JSON')
    .action(async (code: string, opts: { name?: string; phone?: string; villages?: string; inactive?: boolean; active?: boolean; json?: boolean }) => {
      const c = ctx();
      const active = opts.inactive ? false : opts.active ? true : undefined;
      const x = await c.withDb(({ db }) => collectors.updateCollector(db, c.actor, code, { name: opts.name, phone: opts.phone, villages: list(opts.villages), active }));
      if (opts.json) c.json(x);
      else c.out(c.t('cli.collector_saved', { name: x.name, code: x.code, count: x.villages.length }));
    });
}
