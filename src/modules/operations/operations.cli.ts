/**
 * `coverdesk backup --out FILE` and `coverdesk restore FILE`. A backup works while the server runs: on a
 * PostgreSQL server pg_dump reads its own snapshot; on the embedded database, which the running server
 * holds, the server makes the backup and sends it here (POST /api/operations/backup with the operator key).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import type { Command } from 'commander';
import type { CliContext } from '../../cli/context';
import { loadConfig } from '../../config';
import { readLock, type LockInfo } from '../../db/data-dir-lock';
import { formatSize } from '../../domain/numbers';
import { AppError } from '../../errors';
import { backupToFile, KNOWN_MIGRATIONS, recordBackup, restoreBackup, type BackupMade } from './backup.service';
import { readBackupHeader, verifyBackupFile } from './backup-file';
import { readPassphraseFile } from './backup-schedule';
import { readOperatorKey } from './operator-key';
import { OPERATOR_KEY_HEADER } from './operations.routes';

async function readStdinLine(): Promise<string> {
  if (process.stdin.isTTY) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

interface PassphraseOptions {
  passphraseFile?: string;
  passphraseStdin?: boolean;
}

async function passphraseOf(opts: PassphraseOptions): Promise<string | undefined> {
  if (opts.passphraseFile) return readPassphraseFile(opts.passphraseFile);
  if (opts.passphraseStdin) {
    const p = await readStdinLine();
    if (!p) throw new AppError('validation', {}, [{ path: '--passphrase-stdin', key: 'passphrase_empty', params: { ns: 'operations' } }]);
    return p;
  }
  return undefined;
}

function refused(where: string, key: string, params: Record<string, unknown>): AppError {
  return new AppError('validation', {}, [{ path: where, key, params: { ns: 'operations', ...params } }]);
}

/** Asks the running server for the backup and writes it to `file` (through file.partial), then checks it. */
async function backupThroughServer(owner: LockInfo, dataDir: string, host: string, file: string, passphrase: string | undefined): Promise<BackupMade> {
  if (!owner.port) throw refused('server', 'server_not_ready', { pid: owner.pid });
  const key = readOperatorKey(dataDir);
  if (!key) throw refused('server', 'server_not_ready', { pid: owner.pid });
  const url = `http://${host === '0.0.0.0' || host === '::' || host === '' ? '127.0.0.1' : host}:${owner.port}/api/operations/backup`;
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', [OPERATOR_KEY_HEADER]: key },
    body: JSON.stringify({ passphrase, file }),
  });
  if (!response.ok || !response.body) {
    const text = await response.text();
    let message = text;
    try {
      message = (JSON.parse(text) as { error: { message: string } }).error.message;
    } catch {
      /* not JSON */
    }
    throw refused('server', 'server_refused', { url, message });
  }
  // written as received (the bytes are already a backup file), then checked whole before it is kept
  const partial = `${file}.download`;
  const out = fs.createWriteStream(partial, { mode: 0o600 });
  try {
    await new Promise<void>((resolve, reject) => {
      const body = Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>);
      body.on('error', reject);
      out.on('error', reject);
      out.on('finish', resolve);
      body.pipe(out);
    });
    const opened = await verifyBackupFile(partial, { passphrase, knownMigrations: KNOWN_MIGRATIONS });
    fs.renameSync(partial, file);
    return { file, sizeBytes: fs.statSync(file).size, encrypted: !!passphrase, migration: opened.header.migration, createdAt: new Date(opened.header.createdAt) };
  } catch (e) {
    fs.rmSync(partial, { force: true });
    throw e;
  }
}

export function registerOperationsCommands(program: Command, ctx: () => CliContext): void {
  program
    .command('backup')
    .description('Write a backup of the whole database to a file (works while the server runs; docs/user-guide.md, "Backups")')
    .requiredOption('--out <file>', 'the backup file to write')
    .option('--passphrase-file <file>', 'encrypt with the passphrase on the first line of this file')
    .option('--passphrase-stdin', 'encrypt with the passphrase read from standard input')
    .option('--json', 'print what was written as JSON')
    .action(async (opts: PassphraseOptions & { out: string; json?: boolean }) => {
      const c = ctx();
      const config = loadConfig();
      const file = path.resolve(opts.out);
      const passphrase = await passphraseOf(opts);
      const owner = config.databaseUrl ? undefined : readLock(config.dataDir);
      let made: BackupMade;
      if (owner?.role === 'server') {
        process.stderr.write(`${c.t('operations:cli.backup_through_server', { pid: owner.pid })}\n`);
        made = await backupThroughServer(owner, config.dataDir, config.host, file, passphrase);
      } else {
        made = await c.withDb(async (database) => {
          const m = await backupToFile(database, { databaseUrl: config.databaseUrl, schema: config.databaseSchema }, file, { passphrase, now: new Date() });
          await recordBackup(database, c.actor, 'manual', m);
          return m;
        });
      }
      if (opts.json) c.json(made);
      else
        c.out(
          c.t('operations:cli.backup_made', {
            file: made.file,
            size: formatSize(made.sizeBytes, c.lang),
            migration: made.migration ?? '-',
            encrypted: made.encrypted ? c.t('operations:cli.backup_encrypted') : '',
          }),
        );
    });

  program
    .command('restore')
    .description('Restore a backup file into an empty data directory or an empty PostgreSQL database (DATABASE_URL)')
    .argument('<file>', 'the backup file')
    .option('--passphrase-file <file>', 'the passphrase of an encrypted backup, on the first line of this file')
    .option('--passphrase-stdin', 'read the passphrase of an encrypted backup from standard input')
    .option('--json', 'print what was restored as JSON')
    .action(async (fileArg: string, opts: PassphraseOptions & { json?: boolean }) => {
      const c = ctx();
      const config = loadConfig();
      const file = path.resolve(fileArg);
      readBackupHeader(file); // not a backup: said before asking for a passphrase
      const passphrase = await passphraseOf(opts);
      const restored = await restoreBackup(file, config.databaseUrl ? { databaseUrl: config.databaseUrl, schema: config.databaseSchema } : { dataDir: config.dataDir }, { passphrase });
      if (opts.json) c.json({ file, target: restored.target, migration: restored.header.migration, createdAt: restored.header.createdAt, tables: restored.facts.tables.length, ledger: restored.facts.ledger });
      else c.out(c.t('operations:cli.restored', { file, target: restored.target, tables: restored.facts.tables.length, migration: restored.header.migration ?? '-' }));
    });
}
