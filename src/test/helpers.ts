/** Small helpers the integration tests share: the error a call fails with, and running CLI commands. */
import { Command } from 'commander';
import type { CliContext } from '../cli/context';
import type { Database } from '../db/connect';
import type { Actor } from '../domain/access';
import { AppError } from '../errors';
import { translator, type Language } from '../i18n/index';
import { system } from './db';

/** The AppError `p` rejects with; fails the test when it resolves or throws anything else. */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

export interface CliRun {
  /** What the commands printed, one entry per line written. */
  printed: string[];
  /** What they printed with --json, parsed. */
  json: Record<string, unknown>[];
}

/** Runs the commands `register` adds, against `database`, capturing their output. */
export async function runCli(
  database: Database,
  register: (program: Command, context: () => CliContext) => void,
  args: string[],
  options: { lang?: Language; actor?: Actor } = {},
): Promise<CliRun> {
  const printed: string[] = [];
  const json: Record<string, unknown>[] = [];
  const lang = options.lang ?? 'vi';
  const context: CliContext = {
    lang,
    actor: options.actor ?? system,
    t: translator(lang),
    withDb: (fn) => fn(database),
    out: (text) => printed.push(text),
    json: (value) => json.push(JSON.parse(JSON.stringify(value)) as Record<string, unknown>),
  };
  const program = new Command('coverdesk').exitOverride();
  register(program, () => context);
  await program.parseAsync(['node', 'coverdesk', ...args]);
  return { printed, json };
}
