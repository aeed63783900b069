/**
 * bin/coverdesk: every capability from the command line, on the same services as the API. On the
 * embedded database it refuses clearly while the server owns the data directory.
 */
import { Command, CommanderError } from 'commander';
import { cliLanguage, createContext, reportError, type CliContext } from './context';
import { migrateToLatest } from '../db/connect';
import { registerUnitsCommands } from '../modules/units/units.cli';
import { registerOfficesCommands } from '../modules/offices/offices.cli';
import { registerAccessCommands } from '../modules/access/access.cli';
import { registerPremiumCommands, registerRulesCommands } from '../modules/premium/premium.cli';
import { registerRegisterCommands } from '../modules/register/register.cli';
import { registerExportCommands } from '../modules/register/export.cli';
import { registerCoverageCommands } from '../modules/coverage/coverage.cli';
import { registerFiguresCommands } from '../modules/coverage/figures.cli';
import { registerAllocateCommands } from '../modules/programmes/selection/allocate.cli';
import { registerProgrammeCommands } from '../modules/programmes/programme/programme.cli';
import { registerMoneyCommands } from '../modules/programmes/money/money.cli';
import { registerHandoverCommands } from '../modules/programmes/handover/handover.cli';
import { registerBankCommands } from '../modules/programmes/bank/bank.cli';
import { registerTransparencyCommands } from '../modules/programmes/transparency/transparency.cli';
import { registerSelectionCommands } from '../modules/programmes/selection/selection.cli';
import { registerOutreachCommands } from '../modules/outreach/outreach.cli';
import { registerCampaignCommands } from '../modules/campaigns/campaigns.cli';
import { registerPlanCommands } from '../modules/plans/plans.cli';
import { registerEventCommands } from '../modules/events/events.cli';
import { registerRemindersCommands } from '../modules/reminders/reminders.cli';
import { registerSimulatorCommands } from '../modules/simulator/simulator.cli';
import { registerTransferCommands } from '../modules/operations/transfer.cli';
import { registerOperationsCommands } from '../modules/operations/operations.cli';

export function buildProgram(): Command {
  const program = new Command('coverdesk')
    .description('coverdesk: BHYT health-insurance coverage campaigns (donation programmes and coverage drives)')
    .option('--lang <lang>', 'language of messages: vi | en (default vi, or COVERDESK_LANG)')
    .showHelpAfterError()
    .exitOverride();
  let context: CliContext | undefined;
  const ctx = () => (context ??= createContext(program.opts().lang === 'en' ? 'en' : cliLanguage()));

  program
    .command('migrate')
    .description('Bring the database schema up to date (also done at every start)')
    .action(async () => {
      const c = ctx();
      const applied = await c.withDb(({ db }) => migrateToLatest(db));
      // openDb has already migrated; report what this run applied
      c.out(applied.length ? c.t('cli.migrated', { count: applied.length }) : c.t('cli.up_to_date'));
    });

  registerUnitsCommands(program, ctx);
  registerOfficesCommands(program, ctx);
  registerAccessCommands(program, ctx);
  registerPremiumCommands(program, ctx);
  registerRulesCommands(program, ctx);
  registerRegisterCommands(program, ctx);
  registerExportCommands(program, ctx);
  registerCoverageCommands(program, ctx);
  registerFiguresCommands(program, ctx);
  registerAllocateCommands(program, ctx);
  registerProgrammeCommands(program, ctx);
  registerMoneyCommands(program, ctx);
  registerBankCommands(program, ctx);
  registerTransparencyCommands(program, ctx);
  registerHandoverCommands(program, ctx);
  registerSelectionCommands(program, ctx);
  registerOutreachCommands(program, ctx);
  registerCampaignCommands(program, ctx);
  registerPlanCommands(program, ctx);
  registerEventCommands(program, ctx);
  registerRemindersCommands(program, ctx);
  registerSimulatorCommands(program, ctx);
  registerTransferCommands(program, ctx);
  registerOperationsCommands(program, ctx);
  return program;
}

export async function main(argv: string[]): Promise<void> {
  // `coverdesk ... | head` closes the pipe early: that is not an error
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(0);
    throw e;
  });
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) process.exit(e.exitCode);
    process.exit(reportError(e, program.opts().lang === 'en' ? 'en' : cliLanguage()));
  }
}
