/**
 * A read replica: a PostgreSQL streaming standby that answers the read-only views (dashboards, public
 * pages, exports, lists) while every write goes to the primary. The decision of where a read goes is
 * made here and only here (`readerFor`); openDb exposes it as `Database.reads(reader)`.
 *
 * - A check (every `checkEveryMs`, and on demand) asks the primary for its WAL position and the standby
 *   for the position it has replayed. The standby is used while it answers, is in recovery, and is at
 *   most `maxLagSeconds` behind; otherwise reads go to the primary and `status()` says why.
 * - Lag in seconds: each check records (primary WAL position, time); the standby is as old as the newest
 *   record it has replayed past. An idle primary therefore shows no lag however long ago its last write was.
 * - Read-your-writes: after a change, `wrote(writer)` records the primary's WAL position; that writer's
 *   reads go to the primary until a check sees the standby replayed past it, or `maxLagSeconds` pass
 *   (a standby further behind than that is not used by anyone).
 * - A standby that refuses a connection between two checks: the read takes a primary connection instead
 *   and the standby is marked unreachable at once.
 */
import pg from 'pg';
import type { PostgresPool, PostgresPoolClient } from 'kysely';

export type ReplicaState = 'starting' | 'used' | 'lagging' | 'unreachable' | 'not_standby';

export interface ReplicaStatus {
  /** used: reads go to the standby; lagging / unreachable / not_standby: they fall back to the primary. */
  state: ReplicaState;
  readsFrom: 'replica' | 'primary';
  /** Seconds the standby is behind the primary, when known. */
  lagSeconds: number | null;
  maxLagSeconds: number;
  /** When the last check ended (ISO), null before the first. */
  checkedAt: string | null;
  /** The standby's error when unreachable. */
  error?: string;
}

export interface ReplicaOptions {
  /** postgres://... of the standby. */
  url: string;
  /** PostgreSQL schema to read from (the same as the primary's; tests work in one per file). */
  schema?: string;
  /** A standby further behind than this is not used (default 30 s). */
  maxLagSeconds?: number;
  /** How often to check the standby (default 1000 ms); 0: only when `check()` is called (tests). */
  checkEveryMs?: number;
  /** The clock, in milliseconds (tests move it). */
  now?: () => number;
}

export const DEFAULT_MAX_LAG_SECONDS = 30;
/** How long a check may take before the standby counts as not answering. */
const CHECK_TIMEOUT_MS = 5000;

/** A WAL position 'X/Y' (two hexadecimal 32-bit halves) as a number that can be compared. */
export function lsnValue(lsn: string): bigint {
  const [hi, lo] = lsn.split('/');
  if (hi === undefined || lo === undefined) throw new Error(`not a WAL position: ${lsn}`);
  return (BigInt(`0x${hi}`) << 32n) + BigInt(`0x${lo}`);
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(Object.assign(new Error(`no answer within ${ms} ms`), { code: 'ETIMEDOUT' })), ms);
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

export class Replica {
  readonly maxLagSeconds: number;
  /** What Kysely connects through for reads: the standby, or the primary when the standby refuses. */
  readonly pool: PostgresPool;
  private readonly standby: pg.Pool;
  private readonly now: () => number;
  private state: ReplicaState = 'starting';
  private lagSeconds: number | null = null;
  private checkedAt: number | null = null;
  private error: string | undefined;
  private replayed: bigint | null = null;
  private samples: { lsn: bigint; at: number }[] = [];
  private readonly pending = new Map<string, { lsn: bigint; until: number }>();
  private timer: NodeJS.Timeout | undefined;
  private checking: Promise<ReplicaStatus> | undefined;

  constructor(
    private readonly primary: pg.Pool,
    options: ReplicaOptions,
  ) {
    this.maxLagSeconds = options.maxLagSeconds ?? DEFAULT_MAX_LAG_SECONDS;
    this.now = options.now ?? Date.now;
    this.standby = new pg.Pool({
      connectionString: options.url,
      max: 10,
      connectionTimeoutMillis: 2000,
      options: options.schema ? `-c search_path=${options.schema}` : undefined,
    });
    // an idle connection to a standby that goes away must not take the server down with it
    this.standby.on('error', (e) => this.markUnreachable(e));
    this.pool = {
      connect: () => this.connect(),
      end: async () => undefined,
    };
    const every = options.checkEveryMs ?? 1000;
    if (every > 0) {
      this.timer = setInterval(() => void this.check().catch(() => undefined), every);
      this.timer.unref();
    }
  }

  /** Where a read of `reader` (a user, or an address; none: anyone) goes now. */
  readerFor(reader?: string): 'replica' | 'primary' {
    if (this.state !== 'used') return 'primary';
    if (reader === undefined) return 'replica';
    const write = this.pending.get(reader);
    if (!write) return 'replica';
    if ((this.replayed !== null && this.replayed >= write.lsn) || this.now() > write.until) {
      this.pending.delete(reader);
      return 'replica';
    }
    return 'primary';
  }

  /** After a change by `writer`: its reads stay on the primary until the standby has replayed this far. */
  async wrote(writer: string): Promise<void> {
    const r = await this.primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
    this.pending.set(writer, { lsn: lsnValue(r.rows[0].lsn), until: this.now() + this.maxLagSeconds * 1000 });
    if (this.pending.size > 10_000) {
      const now = this.now();
      for (const [key, w] of this.pending) if (now > w.until) this.pending.delete(key);
    }
  }

  status(): ReplicaStatus {
    return {
      state: this.state,
      readsFrom: this.state === 'used' ? 'replica' : 'primary',
      lagSeconds: this.lagSeconds,
      maxLagSeconds: this.maxLagSeconds,
      checkedAt: this.checkedAt === null ? null : new Date(this.checkedAt).toISOString(),
      ...(this.error ? { error: this.error } : {}),
    };
  }

  /** Checks the standby now (one check at a time) and returns its state. */
  check(): Promise<ReplicaStatus> {
    this.checking ??= this.runCheck().finally(() => (this.checking = undefined));
    return this.checking;
  }

  /** Checks until the standby has replayed everything the primary had when called (tests, tools); false if it does not within `attempts`. */
  async caughtUp(attempts = 100): Promise<boolean> {
    const r = await this.primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
    const target = lsnValue(r.rows[0].lsn);
    for (let i = 0; i < attempts; i++) {
      await this.check();
      if (this.replayed !== null && this.replayed >= target) return true;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    return false;
  }

  async close(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.checking?.catch(() => undefined);
    await this.standby.end();
  }

  private async runCheck(): Promise<ReplicaStatus> {
    const primary = await this.primary.query<{ lsn: string }>('select pg_current_wal_lsn()::text as lsn');
    const sample = { lsn: lsnValue(primary.rows[0].lsn), at: this.now() };
    this.samples.push(sample);
    const keepMs = Math.max(2 * this.maxLagSeconds * 1000, 60_000);
    while (this.samples.length > 1 && sample.at - this.samples[1].at > keepMs) this.samples.shift();
    let row: { standby: boolean; replayed: string | null };
    try {
      const r = await withTimeout(this.standby.query<{ standby: boolean; replayed: string | null }>('select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as replayed'), CHECK_TIMEOUT_MS);
      row = r.rows[0];
    } catch (e) {
      this.markUnreachable(e);
      return this.status();
    }
    const at = this.now();
    this.checkedAt = at;
    this.error = undefined;
    if (!row.standby || row.replayed === null) {
      // a server that is not a standby (promoted, or the primary itself by mistake) is not a replica
      this.state = 'not_standby';
      this.lagSeconds = null;
      this.replayed = null;
      return this.status();
    }
    const replayed = lsnValue(row.replayed);
    this.replayed = replayed;
    // the newest primary position the standby has replayed past tells how old its data is
    let lagMs: number;
    if (replayed >= sample.lsn) lagMs = 0;
    else {
      const behind = [...this.samples].reverse().find((s) => s.lsn <= replayed);
      lagMs = at - (behind ?? this.samples[0]).at;
    }
    this.lagSeconds = Math.round(lagMs / 100) / 10;
    this.state = this.lagSeconds > this.maxLagSeconds ? 'lagging' : 'used';
    return this.status();
  }

  private markUnreachable(e: unknown): void {
    this.state = 'unreachable';
    this.lagSeconds = null;
    this.replayed = null;
    this.checkedAt = this.now();
    this.error = e instanceof Error ? e.message : String(e);
  }

  private async connect(): Promise<PostgresPoolClient> {
    if (this.state === 'used') {
      try {
        return await this.standby.connect();
      } catch (e) {
        // refused, timed out, or a standby that does not know us: the primary answers instead
        this.markUnreachable(e);
      }
    }
    return this.primary.connect();
  }
}
