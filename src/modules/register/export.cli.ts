import fs from 'node:fs';
import path from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { todayInVietnam } from '../../domain/dates';
import { exportFileName, prepareExport, writeTemplate, type ExportFormat, type ExportKind } from './export.service';

/** The output: a file (created only once the export has been accepted), or standard output. */
function openOutput(file: string | undefined): { stream: Writable; done: () => Promise<void> } {
  if (file) {
    const stream = fs.createWriteStream(file);
    return { stream, done: () => finished(stream) };
  }
  const stream = new PassThrough();
  stream.pipe(process.stdout, { end: false });
  return { stream, done: () => finished(stream) };
}

const formatOf = (format: string | undefined, out: string | undefined): string =>
  format ?? (out && path.extname(out).toLowerCase() === '.xlsx' ? 'xlsx' : 'csv');

export function registerExportCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('export')
    .description('Export the register of a unit (persons in the import template columns, with their voluntary social insurance periods on a second sheet in .xlsx; households; cards; or vsi: the periods alone) as .csv (UTF-8 with BOM) or .xlsx')
    .option('--unit <code>', 'province, commune or village code (default: everything)')
    .option('--what <what>', 'persons | households | cards | vsi', 'persons')
    .option('--format <format>', 'csv | xlsx (default: from the --out extension, else csv)')
    .option('--out <file>', 'file to write (default: standard output; "-" for standard output, "." for a dated name like persons-02905-2025-10-01.csv)')
    .option('--json', 'print {"file","rows"} when done')
    .action(async (opts: { unit?: string; what: string; format?: string; out?: string; json?: boolean }) => {
      const c = ctx();
      const format = formatOf(opts.format, opts.out);
      const result = await c.withDb(async ({ db }) => {
        const job = await prepareExport(db, c.actor, { unit: opts.unit, what: opts.what as ExportKind, format: format as ExportFormat, language: c.lang });
        const file =
          opts.out === '.' ? exportFileName(job.what, opts.unit, c.actor, todayInVietnam(), job.format) : opts.out === '-' ? undefined : opts.out;
        const output = openOutput(file);
        const { rows } = await job.run(output.stream);
        await output.done();
        return { file: file ?? '-', rows };
      });
      if (opts.json) c.json(result);
      else if (result.file !== '-') c.out(c.t('register:cli.export_done', result));
    });

  program
    .command('template')
    .description('Write the empty register import template (.xlsx, headers in --lang, with a guide sheet)')
    .option('--out <file>', 'file to write', 'mau-nhap-so-ho.xlsx')
    .action(async (opts: { out: string }) => {
      const c = ctx();
      const output = openOutput(opts.out === '-' ? undefined : opts.out);
      await writeTemplate(output.stream, c.lang);
      await output.done();
      if (opts.out !== '-') c.out(c.t('register:cli.template_done', { file: opts.out }));
    });
}
