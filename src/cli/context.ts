/**
 * What every CLI command shares: the database (opened on demand, closed at the end), the local operator
 * as actor, the user's language, and one way to report errors.
 */
import os from 'node:os';
import { loadConfig } from '../config';
import { openDb, type Database } from '../db/connect';
import { DataDirInUseError } from '../db/data-dir-lock';
import { cliOperator, type Actor } from '../domain/access';
import { AppError } from '../errors';
import { errorBody } from '../http/plugins/errors';
import { isLanguage, translator, type Language } from '../i18n/index';
import { formatSize } from '../domain/numbers';
import { upgradeBackupOf } from '../modules/operations/backup-schedule';

export interface CliContext {
  lang: Language;
  actor: Actor;
  t: ReturnType<typeof translator>;
  /** Runs `fn` with the database open, and closes it afterwards whatever happens. */
  withDb<T>(fn: (database: Database) => Promise<T>): Promise<T>;
  out(text: string): void;
  json(value: unknown): void;
}

export function cliLanguage(env: NodeJS.ProcessEnv = process.env): Language {
  const chosen = env.COVERDESK_LANG ?? '';
  return isLanguage(chosen) ? chosen : 'vi';
}

export function createContext(lang: Language = cliLanguage()): CliContext {
  const config = loadConfig();
  const actor: Actor = { ...cliOperator(os.userInfo().username), language: lang };
  const t = translator(lang);
  return {
    lang,
    actor,
    t,
    async withDb(fn) {
      // a database with data is backed up before this release's migrations run on it
      const upgrade = config.upgradeBackup ? upgradeBackupOf(config, () => new Date(), (made) => process.stderr.write(`${t('operations:cli.upgrade_backup', { file: made.file, size: formatSize(made.sizeBytes, lang) })}\n`)) : undefined;
      const database = await openDb({
        databaseUrl: config.databaseUrl,
        schema: config.databaseSchema,
        dataDir: config.dataDir,
        cacheSize: config.dbCache,
        role: 'cli',
        beforeMigrate: upgrade?.beforeMigrate,
      });
      try {
        await upgrade?.record(database, actor);
        return await fn(database);
      } finally {
        await database.close();
      }
    },
    out: (text) => process.stdout.write(`${text}\n`),
    json: (value) => process.stdout.write(`${JSON.stringify(value, null, 2)}\n`),
  };
}

/** Prints an error the way a user can act on it; returns the exit code. */
export function reportError(e: unknown, lang: Language): number {
  if (e instanceof DataDirInUseError) {
    process.stderr.write(`${e.message}\n`);
    return 3;
  }
  if (e instanceof AppError) {
    const body = errorBody(lang, e.code, e.params, e.fields).error;
    process.stderr.write(`${body.message}\n`);
    for (const f of body.fields ?? []) process.stderr.write(`  ${f.path || '-'}: ${f.message}\n`);
    return e.status >= 500 ? 1 : 2;
  }
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  return 1;
}
