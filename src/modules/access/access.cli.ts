import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { AppError } from '../../errors';
import * as access from './access.service';

async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

export function registerAccessCommands(program: Command, ctx: () => CliContext): void {
  const user = program.command('user').description('Users, roles and the unit each one works in');
  user
    .command('add')
    .description('Create a user; the password is read from standard input (never from the command line)')
    .requiredOption('--username <name>', 'login name')
    .requiredOption('--role <role>', 'admin | province_staff | commune_officer | viewer | field_worker')
    .option('--scope <code>', 'the province or commune the user works in (omit only for a national admin)')
    .option('--display-name <name>', 'full name shown in the app')
    .option('--password-stdin', 'read the password from standard input (required)')
    .option('--json', 'print the created user as JSON')
    .action(async (opts: { username: string; role: string; scope?: string; displayName?: string; passwordStdin?: boolean; json?: boolean }) => {
      const c = ctx();
      const password = opts.passwordStdin ? await readStdin() : '';
      if (!password) throw new AppError('validation', {}, [{ path: 'password', key: 'required' }]);
      const created = await c.withDb(({ db }) =>
        access.createUser(db, c.actor, {
          username: opts.username,
          role: opts.role as 'viewer',
          scopeCode: opts.scope ?? null,
          displayName: opts.displayName,
          password,
        }),
      );
      if (opts.json) c.json(created);
      else c.out(c.t('cli.user_created', { username: created.username, role: c.t(`roles.${created.role}`) }));
    });

  user
    .command('list')
    .description('List users')
    .option('--json', 'print JSON')
    .action(async (opts: { json?: boolean }) => {
      const c = ctx();
      const users = await c.withDb(({ db }) => access.listUsers(db, c.actor));
      if (opts.json) return c.json(users);
      for (const u of users)
        c.out(`${u.username.padEnd(20)} ${c.t(`roles.${u.role}`).padEnd(18)} ${u.scopeCode ?? '-'}${u.active ? '' : '  (inactive)'}`);
    });

  const token = program.command('token').description('API tokens for scripts and integrations');
  token
    .command('create')
    .description('Create an API token for a user; it is printed once and stored only as a hash')
    .requiredOption('--user <name>', 'the username the token acts as')
    .option('--name <label>', 'what the token is for', 'cli')
    .action(async (opts: { user: string; name: string }) => {
      const c = ctx();
      const { token: value } = await c.withDb(({ db }) => access.createToken(db, c.actor, opts.user, opts.name));
      process.stderr.write(`${c.t('cli.token_created')}\n`);
      c.out(value);
    });
}
