/**
 * `--yes` for the CLI commands that move money or a programme's status (issue 16): the command first asks
 * the service with no confirmation, which answers what it would do (confirmation_required with the count
 * and amount) and changes nothing; the command prints that, then runs it confirmed with exactly those
 * figures when --yes is given (or the operator answers yes at a terminal). Without either it exits
 * non-zero (2) having changed nothing.
 */
import readline from 'node:readline/promises';
import type { CliContext } from '../../../cli/context';
import { AppError } from '../../../errors';
import { errorBody } from '../../../http/plugins/errors';
import { confirmWithFigures, type Confirmation } from './confirm';

async function askAtTerminal(question: string): Promise<boolean> {
  if (!process.stdin.isTTY || !process.stdout.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stdout });
  try {
    return /^(y|yes|c|có|co)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
}

/** Runs `action` confirmed: see the file comment. `quiet` (--json) prints nothing before the action. */
export function confirmedRun<T>(c: CliContext, yes: boolean | undefined, action: (confirm: Confirmation | null) => Promise<T>, quiet = false): Promise<T> {
  return confirmWithFigures(action, async (e) => {
    const what = errorBody(c.lang, e.code, e.params).error.message;
    if (!yes && !(await askAtTerminal(`${what}. ${c.t('programmes:cli.confirm_question')} `)))
      throw new AppError(e.code, e.params, [{ path: '--yes', key: 'confirm_cli', params: { ns: 'programmes' } }]);
    if (!quiet) c.out(what);
    return true;
  });
}
