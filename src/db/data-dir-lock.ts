/**
 * One process owns an embedded database directory. The owner writes `coverdesk.lock` with its pid (and
 * the server its port); a second process gets a clear error instead of corrupting the data.
 */
import fs from 'node:fs';
import path from 'node:path';

export interface LockInfo {
  pid: number;
  role: 'server' | 'cli' | 'test';
  port?: number;
}

export class DataDirInUseError extends Error {
  constructor(
    readonly dir: string,
    readonly owner: LockInfo,
  ) {
    super(
      owner.role === 'server'
        ? `The coverdesk server (pid ${owner.pid}${owner.port ? `, http://localhost:${owner.port}` : ''}) is using the embedded database in ${dir}. ` +
            `Stop the server first, or do this through the web app or the API (/api/docs).`
        : `Another coverdesk command (pid ${owner.pid}) is using the embedded database in ${dir}. Wait for it to finish and try again.`,
    );
    this.name = 'DataDirInUseError';
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function lockFile(dir: string): string {
  return path.join(dir, 'coverdesk.lock');
}

export function readLock(dir: string): LockInfo | undefined {
  try {
    const info = JSON.parse(fs.readFileSync(lockFile(dir), 'utf8')) as LockInfo;
    return alive(info.pid) ? info : undefined;
  } catch {
    return undefined;
  }
}

/** Takes the lock or throws DataDirInUseError; returns a function that releases it. */
export function acquireLock(dir: string, info: LockInfo): { release: () => void; update: (i: Partial<LockInfo>) => void } {
  fs.mkdirSync(dir, { recursive: true });
  const file = lockFile(dir);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      fs.writeFileSync(file, JSON.stringify(info), { flag: 'wx' });
      let current = info;
      const release = () => {
        try {
          const onDisk = JSON.parse(fs.readFileSync(file, 'utf8')) as LockInfo;
          if (onDisk.pid === process.pid) fs.unlinkSync(file);
        } catch {
          /* already gone */
        }
        process.off('exit', release);
      };
      process.on('exit', release);
      return {
        release,
        update: (i) => {
          current = { ...current, ...i };
          fs.writeFileSync(file, JSON.stringify(current));
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readLock(dir);
      if (owner && owner.pid !== process.pid) throw new DataDirInUseError(dir, owner);
      fs.rmSync(file, { force: true }); // stale lock of a process that died
    }
  }
  throw new Error(`could not lock ${dir}`);
}
