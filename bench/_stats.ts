import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const i = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
  return sorted[Math.max(0, i)];
}

export const fmt = (ms: number) => `${ms.toFixed(2)} ms`;

/** Runs `fn` `n` times one after another; the times in ms, sorted. */
export async function timeRuns(fn: () => Promise<unknown>, n: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    await fn();
    times.push(performance.now() - s);
  }
  return times.sort((a, b) => a - b);
}

/**
 * Seconds of CPU the database has used so far: the embedded database's thread (its busy time), or every
 * `postgres` process on this machine (from /proc; Linux, and the server must run here).
 */
export function databaseCpuSeconds(database: { busyMs?(): number }): number {
  if (database.busyMs) return database.busyMs() / 1000;
  let ticks = 0;
  for (const pid of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // (the process ended meanwhile)
    }
    if (!stat.includes('(postgres)')) continue;
    // utime and stime, in clock ticks (100 a second), are fields 14 and 15; the name (field 2) ends at ')'
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return ticks / 100;
}

/** Where a timed run's time went: the main thread's busy time and the database's CPU, from `cpuMeter()` taken before it. */
export function cpuMeter(database: { busyMs?(): number }) {
  const elu = performance.eventLoopUtilization();
  const db0 = databaseCpuSeconds(database);
  return (wallMs: number) =>
    `${(wallMs / 1000).toFixed(1)} s: main thread busy ${(performance.eventLoopUtilization(elu).active / 1000).toFixed(1)} s, database CPU ${(databaseCpuSeconds(database) - db0).toFixed(1)} s`;
}

/**
 * Samples `url` every 20 ms from a process of its own, as a client elsewhere would (its requests then
 * cost the server's process nothing but the answering). `stop()` returns the latencies in ms, sorted.
 */
export async function sampleFromOutside(url: string): Promise<{ stop(): Promise<number[]> }> {
  // (one request first, unmeasured: a new process's first fetch loads the HTTP client)
  const client = `
    const times = [];
    let on = true;
    process.stdin.on('data', () => { on = false; });
    (async () => {
      await (await fetch(process.argv[1])).arrayBuffer();
      process.stdout.write('ready\\n');
      while (on) {
        const s = performance.now();
        await (await fetch(process.argv[1])).arrayBuffer();
        times.push(performance.now() - s);
        await new Promise((r) => setTimeout(r, 20));
      }
      process.stdout.write(JSON.stringify(times), () => process.exit(0));
    })();`;
  const child = spawn(process.execPath, ['-e', client, url], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  let ready!: () => void;
  const started = new Promise<void>((resolve) => (ready = resolve));
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (out.startsWith('ready\n')) {
      out = out.slice('ready\n'.length);
      ready();
    }
  });
  const exited = new Promise<void>((resolve, reject) => child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`health client exited with ${code}`)))));
  await Promise.race([started, exited]);
  return {
    async stop() {
      child.stdin.end('stop\n');
      await exited;
      return (JSON.parse(out) as number[]).sort((a, b) => a - b);
    },
  };
}
