/**
 * `npm start`: open the database (embedded unless DATABASE_URL is set), migrate, make sure someone can
 * log in, and serve the API and the web app.
 */
import os from 'node:os';
import { embeddedCacheFor, loadConfig } from './config';
import { embeddedDatabaseBytes, openDb } from './db/connect';
import { DataDirInUseError } from './db/data-dir-lock';
import { vacuumDatabase } from './db/statistics';
import { markInterruptedImports } from './modules/register/import-jobs';
import { buildApp } from './http/app';
import { ensureInitialAdmin } from './modules/access/access.service';
import { cliOperator } from './domain/access';
import { translator } from './i18n/index';
import { loadDemo, registerIsEmpty } from './modules/register/demo.service';
import { todayInVietnam } from './domain/dates';
import { formatSize } from './domain/numbers';
import { backupPlaceOf, dailyBackup, upgradeBackupOf } from './modules/operations/backup-schedule';
import { writeOperatorKey } from './modules/operations/operator-key';
import { AppError } from './errors';
import { reportError } from './cli/context';

const config = (() => {
  try {
    return loadConfig();
  } catch (e) {
    // a setting that cannot work (e.g. a read replica for the embedded database): say which, no stack trace
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
})();
const t = translator('vi');
// the embedded database's page cache: as set, else sized to the database and the machine (config.ts)
const cacheSize = config.databaseUrl ? undefined : (config.dbCache ?? embeddedCacheFor(embeddedDatabaseBytes(config.dataDir), os.totalmem()));
if (cacheSize && !config.dbCache) console.log(t('cli.db_cache', { size: cacheSize }));

// a database with data is backed up before this release's migrations run on it (docs/user-guide.md, "Backups")
const upgrade = config.upgradeBackup
  ? upgradeBackupOf(config, () => new Date(), (made) => console.log(t('operations:cli.upgrade_backup', { file: made.file, size: formatSize(made.sizeBytes, 'vi') })))
  : undefined;
const database = await openDb({
  databaseUrl: config.databaseUrl,
  schema: config.databaseSchema,
  replica: config.replica,
  dataDir: config.dataDir,
  cacheSize,
  role: 'server',
  beforeMigrate: upgrade?.beforeMigrate,
}).catch(
  (e: unknown) => {
    // another process has the embedded data directory: its clear message, not a stack trace
    if (e instanceof DataDirInUseError) {
      console.error(e.message);
      process.exit(1);
    }
    // a refusal said in words (the backup before the migrations failed: pg_dump missing, disk full...)
    if (e instanceof AppError) process.exit(reportError(e, 'vi'));
    throw e;
  },
);
await upgrade?.record(database, cliOperator('system'));
// imports the previous run left unfinished were rolled back with it: say so to whoever asks about them
await markInterruptedImports(database.db);
const password = await ensureInitialAdmin(database.db, cliOperator('system'));
if (password) console.log(`\n${t('cli.admin_created', { password })}\n`);

// the embedded database is this process's: `bin/coverdesk backup` asks it for backups with this key
const operatorKey = database.engine === 'pglite' ? writeOperatorKey(config.dataDir) : undefined;
const connection = { databaseUrl: config.databaseUrl, schema: config.databaseSchema };
const app = await buildApp({
  database,
  logger: process.env.COVERDESK_LOG === '1',
  trustProxy: config.trustProxy,
  operations: { connection, operatorKey: operatorKey?.key, backupDays: config.backupDays },
});
await app.listen({ port: config.port, host: config.host });
const address = app.server.address();
const port = typeof address === 'object' && address ? address.port : config.port;
database.announcePort(port);
console.log(t('cli.listening', { port }));

// A small demo province on an empty register, loaded after the server answers (COVERDESK_DEMO=0 skips it).
if (config.demo && (await registerIsEmpty(database))) {
  console.log(t('cli.demo_loading'));
  loadDemo(database, cliOperator('system'), { province: '15', persons: 20_000, seed: 1, today: todayInVietnam() }).then(
    (r) => console.log(t('cli.demo_loaded', { persons: r.inserted })),
    (e) => console.error('demo:', e),
  );
}

// Daily backups (COVERDESK_BACKUP_DAYS): today's, if there is none yet, checked a minute after the start
// and every hour; the server keeps answering while one is made.
let daily: NodeJS.Timeout | undefined;
if (config.backupDays > 0) {
  let running = false;
  const check = () => {
    if (running) return;
    running = true;
    const now = new Date();
    dailyBackup(database, connection, backupPlaceOf(config), { today: todayInVietnam(now), now, keepDays: config.backupDays, actor: cliOperator('system') })
      .then((made) => made && console.log(t('operations:cli.backup_made', { file: made.file, size: formatSize(made.sizeBytes, 'vi'), migration: made.migration ?? '-', encrypted: '' })))
      .catch((e: unknown) => console.error('daily backup:', e))
      .finally(() => (running = false));
  };
  setTimeout(check, 60_000).unref();
  daily = setInterval(check, 3_600_000);
  daily.unref();
}

// The embedded database has no autovacuum: the server VACUUMs it five minutes after the start, then every
// 24 hours (docs/decisions.md). Under a second for a commune's register; it holds the one connection meanwhile.
let maintenance: NodeJS.Timeout | undefined;
if (database.engine === 'pglite') {
  const tidy = () => vacuumDatabase(database.db, database.engine).catch((e: unknown) => console.error('vacuum:', e));
  setTimeout(tidy, 300_000).unref();
  maintenance = setInterval(tidy, 86_400_000);
  maintenance.unref();
}

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  if (daily) clearInterval(daily);
  if (maintenance) clearInterval(maintenance);
  operatorKey?.remove();
  await app.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
