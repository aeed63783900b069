/**
 * The local operator's key: while the server holds the embedded database, `bin/coverdesk backup` asks it
 * for the backup, proving with this key (a file only the data directory's owner can read, written at each
 * start) that it may read the data anyway. The server accepts it on POST /api/operations/backup only.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export function operatorKeyFile(dataDir: string): string {
  return path.join(dataDir, 'operator.key');
}

/** Writes a new key (mode 600); returns it and a function that removes it. */
export function writeOperatorKey(dataDir: string): { key: string; remove: () => void } {
  const file = operatorKeyFile(dataDir);
  const key = randomBytes(32).toString('base64url');
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, key, { mode: 0o600 });
  return { key, remove: () => fs.rmSync(file, { force: true }) };
}

export function readOperatorKey(dataDir: string): string | undefined {
  try {
    return fs.readFileSync(operatorKeyFile(dataDir), 'utf8').trim() || undefined;
  } catch {
    return undefined;
  }
}
