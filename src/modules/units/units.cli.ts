import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import * as units from './units.service';

export function registerUnitsCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('units')
    .description('List provinces, the units under --parent, units matching --q (diacritics ignored), or the new commune(s) for a pre-2025 --old-code')
    .option('--parent <code>', 'list the children of this unit (e.g. 15 for Lào Cai)')
    .option('--q <text>', 'search by name, ignoring diacritics and case (e.g. "bao thang")')
    .option('--old-code <code>', 'pre-2025 commune code to resolve (a split commune gives every candidate)')
    .option('--json', 'print JSON: an array of {code, name, level, kind, parentCode}')
    .action(async (opts: { parent?: string; q?: string; oldCode?: string; json?: boolean }) => {
      const c = ctx();
      const list = await c.withDb(({ db }) =>
        opts.oldCode !== undefined
          ? units.resolveOldCode(db, c.actor, opts.oldCode)
          : opts.q !== undefined
            ? units.searchUnits(db, c.actor, opts.q)
            : opts.parent !== undefined
              ? units.listChildren(db, c.actor, opts.parent)
              : units.listProvinces(db, c.actor),
      );
      const rows = list.map((u) => ({ code: u.code, name: u.name, level: u.level, kind: u.kind, parentCode: u.parentCode }));
      if (opts.json) return c.json(rows);
      if (rows.length === 0) return c.out(c.t('cli.no_units'));
      for (const r of rows) c.out(`${r.code.padEnd(12)} ${r.name}  (${r.kind})`);
    });

  const village = program.command('village').description('Villages, hamlets and residential groups under a commune');
  village
    .command('add')
    .description('Create a village under a commune')
    .requiredOption('--commune <code>', 'commune code, e.g. 02905')
    .requiredOption('--code <code>', 'village code, unique within the commune')
    .requiredOption('--name <name>', 'village name, e.g. "Thôn Phú Lâm"')
    .option('--kind <kind>', 'village | hamlet | residential_group', 'village')
    .option('--json', 'print the created unit as JSON')
    .action(async (opts: { commune: string; code: string; name: string; kind: string; json?: boolean }) => {
      const c = ctx();
      const unit = await c.withDb(({ db }) =>
        units.createVillage(db, c.actor, { parentCode: opts.commune, code: opts.code, name: opts.name, kind: opts.kind as 'village' }),
      );
      if (opts.json) c.json(unit);
      else c.out(c.t('cli.village_created', { name: unit.name, code: unit.code }));
    });
}
