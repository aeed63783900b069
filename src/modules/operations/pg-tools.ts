/**
 * PostgreSQL's own tools (pg_dump, pg_restore) run as child processes: the operator installs them with
 * the server's client package (docs/user-guide.md, "Backups"). The password travels in PGPASSWORD, never
 * on the command line where `ps` shows it.
 */
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable, Writable } from 'node:stream';
import { AppError } from '../../errors';

/** `-d URL` without its password, and the environment that carries it. */
export function pgConnectionArgs(databaseUrl: string): { args: string[]; env: NodeJS.ProcessEnv } {
  const url = new URL(databaseUrl);
  const password = decodeURIComponent(url.password);
  url.password = '';
  return { args: ['-d', url.toString()], env: { ...process.env, ...(password ? { PGPASSWORD: password } : {}) } };
}

export interface PgToolRun {
  child: ChildProcessByStdio<Writable | null, Readable | null, Readable>;
  /** Resolves when the tool exits with 0; rejects with its own message otherwise. */
  done: Promise<void>;
}

export function runPgTool(tool: 'pg_dump' | 'pg_restore', args: string[], env: NodeJS.ProcessEnv, stdio: { stdin?: boolean; stdout?: boolean }): PgToolRun {
  const child = spawn(tool, args, { env, stdio: [stdio.stdin ? 'pipe' : 'ignore', stdio.stdout ? 'pipe' : 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr!.setEncoding('utf8');
  child.stderr!.on('data', (d: string) => {
    if (stderr.length < 10_000) stderr += d;
  });
  const done = new Promise<void>((resolve, reject) => {
    child.on('error', (e: NodeJS.ErrnoException) =>
      reject(e.code === 'ENOENT' ? new AppError('validation', {}, [{ path: tool, key: 'pg_tool_missing', params: { ns: 'operations', tool } }]) : e),
    );
    child.on('close', (code) =>
      code === 0 ? resolve() : reject(new AppError('validation', {}, [{ path: tool, key: 'pg_tool_failed', params: { ns: 'operations', tool, code, message: stderr.trim() } }])),
    );
  });
  // an EPIPE on stdin when the tool stops early is reported by `done`
  child.stdin?.on('error', () => undefined);
  return { child: child as PgToolRun['child'], done };
}
