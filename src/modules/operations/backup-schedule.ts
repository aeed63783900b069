/**
 * The backups coverdesk makes by itself, into the backup folder (COVERDESK_BACKUP_DIR, by default
 * `<data dir>/backups`):
 * - before an upgrade's migrations run on a database that has data: `before-upgrade-<time>-from-<last
 *   migration>.coverdesk`, the newest UPGRADE_BACKUPS_KEPT kept;
 * - daily, when COVERDESK_BACKUP_DAYS is set: `daily-<YYYY-MM-DD>.coverdesk` (the date in Vietnam), the
 *   files of the last N days kept.
 * Both are encrypted when COVERDESK_BACKUP_PASSPHRASE_FILE names a file holding the passphrase.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Database } from '../../db/connect';
import type { Actor } from '../../domain/access';
import { addDays } from '../../domain/calendar';
import type { IsoDate } from '../../domain/dates';
import { AppError } from '../../errors';
import type { Config } from '../../config';
import { backupToFile, recordBackup, type BackupMade, type ServerConnection } from './backup.service';

export const UPGRADE_BACKUPS_KEPT = 3;
const UPGRADE_FILE = /^before-upgrade-.+\.coverdesk$/;
const DAILY_FILE = /^daily-(\d{4}-\d{2}-\d{2})\.coverdesk$/;

export interface BackupPlace {
  dir: string;
  /** A file whose first line is the passphrase (read when a backup is made). */
  passphraseFile?: string;
}

const passphraseIn = (place: BackupPlace) => (place.passphraseFile ? readPassphraseFile(place.passphraseFile) : undefined);

/** The passphrase kept in a file (its first line); refuses an empty one. */
export function readPassphraseFile(file: string): string {
  const passphrase = fs.readFileSync(file, 'utf8').split(/\r?\n/)[0] ?? '';
  if (!passphrase) throw new AppError('validation', {}, [{ path: file, key: 'passphrase_empty', params: { ns: 'operations' } }]);
  return passphrase;
}

function stamp(now: Date): string {
  return now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/:/g, '-');
}

/** The files to delete so that only the newest `keep` before-upgrade backups stay (names sort by time). */
export function upgradeBackupsToDelete(names: string[], keep: number): string[] {
  const ours = names.filter((n) => UPGRADE_FILE.test(n)).sort();
  return ours.slice(0, Math.max(0, ours.length - keep));
}

/** The daily files older than the last `keepDays` days (today included). */
export function dailyBackupsToDelete(names: string[], today: IsoDate, keepDays: number): string[] {
  const oldestKept = addDays(today, -(keepDays - 1));
  return names.filter((n) => {
    const m = DAILY_FILE.exec(n);
    return m !== null && m[1]! < oldestKept;
  });
}

function remove(dir: string, names: string[]): void {
  for (const n of names) fs.rmSync(path.join(dir, n), { force: true });
}

/**
 * The backup before migrations: `beforeMigrate` for openDb, and `record` to note it in the database once
 * the migrations (which make the table it goes in) have run.
 */
export function upgradeBackup(conn: ServerConnection, place: BackupPlace, now: () => Date, log: (made: BackupMade) => void) {
  let made: BackupMade | undefined;
  return {
    beforeMigrate: async (database: Database) => {
      fs.mkdirSync(place.dir, { recursive: true, mode: 0o700 });
      const at = now();
      const file = path.join(place.dir, `before-upgrade-${stamp(at)}.coverdesk`);
      const written = await backupToFile(database, conn, file, { passphrase: passphraseIn(place), now: at });
      // the name says which release's database it holds: its last migration, known once read
      const named = path.join(place.dir, `before-upgrade-${stamp(at)}-from-${written.migration ?? 'none'}.coverdesk`);
      fs.renameSync(file, named);
      made = { ...written, file: named };
      remove(place.dir, upgradeBackupsToDelete(fs.readdirSync(place.dir), UPGRADE_BACKUPS_KEPT));
      log(made);
    },
    record: async (database: Database, actor: Actor) => {
      if (made) await recordBackup(database, actor, 'before_upgrade', made);
      made = undefined;
    },
  };
}

/**
 * Today's daily backup when there is none yet, then the files older than `keepDays` deleted. Returns the
 * backup made (undefined when today's was there already).
 */
export async function dailyBackup(database: Database, conn: ServerConnection, place: BackupPlace, options: { today: IsoDate; now: Date; keepDays: number; actor: Actor }): Promise<BackupMade | undefined> {
  fs.mkdirSync(place.dir, { recursive: true, mode: 0o700 });
  const file = path.join(place.dir, `daily-${options.today}.coverdesk`);
  let made: BackupMade | undefined;
  if (!fs.existsSync(file)) {
    made = await backupToFile(database, conn, file, { passphrase: passphraseIn(place), now: options.now });
    await recordBackup(database, options.actor, 'daily', made);
  }
  remove(place.dir, dailyBackupsToDelete(fs.readdirSync(place.dir), options.today, options.keepDays));
  return made;
}

/** Where coverdesk's own backups go and their passphrase, from the settings. */
export function backupPlaceOf(config: Config): BackupPlace {
  return { dir: config.backupDir, passphraseFile: config.backupPassphraseFile };
}

/** The backup before migrations as the settings ask for it (server and CLI alike). */
export function upgradeBackupOf(config: Config, now: () => Date, log: (made: BackupMade) => void) {
  return upgradeBackup({ databaseUrl: config.databaseUrl, schema: config.databaseSchema }, backupPlaceOf(config), now, log);
}
