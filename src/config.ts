/** Configuration from the environment; read once at the edge (server start, CLI) and passed down. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PROJECT_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Config {
  port: number;
  host: string;
  /** Folder of the embedded database and other local state (PGlite data lives in `<dataDir>/db`). */
  dataDir: string;
  /** postgres://... to use a PostgreSQL server instead of the embedded database. */
  databaseUrl?: string;
  /** PostgreSQL only: keep coverdesk's tables in this schema (default: the server's search_path). */
  databaseSchema?: string;
  /**
   * PostgreSQL only: a streaming standby for the read-only views (DATABASE_REPLICA_URL), used while it is
   * at most maxLagSeconds behind (DATABASE_REPLICA_MAX_LAG, default 30).
   */
  replica?: { url: string; maxLagSeconds: number };
  /** Embedded database only: its page cache, e.g. '1GB' (COVERDESK_DB_CACHE; PGlite's 128MB when unset). */
  dbCache?: string;
  /** Load a small demo register on an empty database (COVERDESK_DEMO=0 turns it off). */
  demo: boolean;
  /**
   * Which proxies in front of the server to believe about the client's address and protocol
   * (X-Forwarded-For, X-Forwarded-Proto), as Fastify's `trustProxy`: false (the default: none), true
   * (any), or addresses/CIDR ranges of the proxies. From COVERDESK_TRUST_PROXY.
   */
  trustProxy: boolean | string[];
  /** Where coverdesk writes its own backups, daily and before upgrades (COVERDESK_BACKUP_DIR; default `<dataDir>/backups`). */
  backupDir: string;
  /** Daily backups, kept for this many days (COVERDESK_BACKUP_DAYS); 0, the default: no daily backups. */
  backupDays: number;
  /** A file whose first line is the passphrase that encrypts coverdesk's own backups (COVERDESK_BACKUP_PASSPHRASE_FILE). */
  backupPassphraseFile?: string;
  /** Back up a database that has data before its migrations run (COVERDESK_UPGRADE_BACKUP=0 turns it off). */
  upgradeBackup: boolean;
}

/** COVERDESK_TRUST_PROXY: unset, 'false' or '0': none; 'true' or '1': any; else the proxies' addresses or CIDR ranges (comma-separated). */
export function parseTrustProxy(value: string | undefined): boolean | string[] {
  const v = (value ?? '').trim();
  if (v === '' || v === 'false' || v === '0') return false;
  if (v === 'true' || v === '1') return true;
  return v.split(',').map((s) => s.trim()).filter(Boolean);
}

/** COVERDESK_DB_CACHE: a size in MB or GB ('512MB', '1GB'); unset or empty: none. */
export function parseCacheSize(value: string | undefined): string | undefined {
  const v = (value ?? '').trim();
  if (v === '') return undefined;
  if (!/^[1-9]\d*(MB|GB)$/.test(v)) throw new Error(`COVERDESK_DB_CACHE must be a size such as 512MB or 1GB, got "${value}"`);
  return v;
}

/**
 * The embedded database's page cache when COVERDESK_DB_CACHE is not set: half the database, within what the
 * machine can spare (an eighth of its memory) and at most 1 GB, in steps of 64 MB; undefined (PGlite's 128
 * MB) when that is no more. A commune's database fits in the default; a province's (some 3 GB at 2,000,000
 * persons) gets 1 GB on a machine of 8 GB or more, which is what the benchmarks' figures with `--cache 1GB`
 * need (the province's reminder list 2.0 -> 1.6 s, BENCHMARKS.md). The cache costs memory whether used or
 * not (some 600 MB more for 1 GB), hence no larger default for a small database.
 */
export function embeddedCacheFor(databaseBytes: number, totalMemoryBytes: number): string | undefined {
  const MB = 2 ** 20;
  const wanted = Math.min(databaseBytes / 2, totalMemoryBytes / 8, 1024 * MB);
  const size = Math.floor(wanted / (64 * MB)) * 64;
  return size > 128 ? (size === 1024 ? '1GB' : `${size}MB`) : undefined;
}

/** The embedded database has no replica: a replica setting with it is a mistake worth stopping for. */
export const PGLITE_REPLICA_REFUSED =
  'DATABASE_REPLICA_URL needs DATABASE_URL: the embedded database (PGlite) has no read replica. Set DATABASE_URL to the primary PostgreSQL server, or unset DATABASE_REPLICA_URL.';

/** DATABASE_REPLICA_URL (+ DATABASE_REPLICA_MAX_LAG in seconds): only beside a DATABASE_URL. */
export function parseReplica(env: NodeJS.ProcessEnv): Config['replica'] {
  const url = (env.DATABASE_REPLICA_URL ?? '').trim();
  if (url === '') return undefined;
  if (!env.DATABASE_URL) throw new Error(PGLITE_REPLICA_REFUSED);
  if (!/^postgres(ql)?:\/\//.test(url)) throw new Error(`DATABASE_REPLICA_URL must be a postgres:// URL, got "${url}"`);
  const lag = (env.DATABASE_REPLICA_MAX_LAG ?? '').trim();
  const maxLagSeconds = lag === '' ? 30 : Number(lag);
  if (!Number.isFinite(maxLagSeconds) || maxLagSeconds < 0) throw new Error(`DATABASE_REPLICA_MAX_LAG must be a number of seconds, got "${lag}"`);
  return { url, maxLagSeconds };
}

/** COVERDESK_BACKUP_DAYS: a whole number of days (0 or unset: no daily backups). */
export function parseBackupDays(value: string | undefined): number {
  const v = (value ?? '').trim();
  if (v === '') return 0;
  if (!/^\d+$/.test(v) || Number(v) > 3650) throw new Error(`COVERDESK_BACKUP_DAYS must be a number of days (0 to 3650), got "${value}"`);
  return Number(v);
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  return {
    port,
    host: env.HOST ?? '0.0.0.0',
    dataDir: path.resolve(env.COVERDESK_DATA_DIR ?? path.join(PROJECT_ROOT, 'data')),
    databaseUrl: env.DATABASE_URL || undefined,
    databaseSchema: env.COVERDESK_DB_SCHEMA || undefined,
    replica: parseReplica(env),
    dbCache: parseCacheSize(env.COVERDESK_DB_CACHE),
    demo: env.COVERDESK_DEMO !== '0',
    trustProxy: parseTrustProxy(env.COVERDESK_TRUST_PROXY),
    backupDir: path.resolve(env.COVERDESK_BACKUP_DIR || path.join(env.COVERDESK_DATA_DIR ?? path.join(PROJECT_ROOT, 'data'), 'backups')),
    backupDays: parseBackupDays(env.COVERDESK_BACKUP_DAYS),
    backupPassphraseFile: env.COVERDESK_BACKUP_PASSPHRASE_FILE || undefined,
    upgradeBackup: env.COVERDESK_UPGRADE_BACKUP !== '0',
  };
}
