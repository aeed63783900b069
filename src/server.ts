/**
 * `npm start`: open the database (embedded unless DATABASE_URL is set), migrate, make sure someone can
 * log in, and serve the API and the web app.
 */
import { loadConfig } from './config';
import { openDb } from './db/connect';
import { DataDirInUseError } from './db/data-dir-lock';
import { markInterruptedImports } from './modules/register/import-jobs';
import { buildApp } from './http/app';
import { ensureInitialAdmin } from './modules/access/access.service';
import { cliOperator } from './domain/access';
import { translator } from './i18n/index';
import { loadDemo, registerIsEmpty } from './modules/register/demo.service';
import { todayInVietnam } from './domain/dates';

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

const database = await openDb({ databaseUrl: config.databaseUrl, schema: config.databaseSchema, replica: config.replica, dataDir: config.dataDir, cacheSize: config.dbCache, role: 'server' }).catch(
  (e: unknown) => {
    // another process has the embedded data directory: its clear message, not a stack trace
    if (e instanceof DataDirInUseError) {
      console.error(e.message);
      process.exit(1);
    }
    throw e;
  },
);
// imports the previous run left unfinished were rolled back with it: say so to whoever asks about them
await markInterruptedImports(database.db);
const password = await ensureInitialAdmin(database.db, cliOperator('system'));
if (password) console.log(`\n${t('cli.admin_created', { password })}\n`);

const app = await buildApp({ database, logger: process.env.COVERDESK_LOG === '1', trustProxy: config.trustProxy });
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

let stopping = false;
async function stop() {
  if (stopping) return;
  stopping = true;
  await app.close();
  await database.close();
  process.exit(0);
}
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
