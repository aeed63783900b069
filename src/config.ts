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
  /** Load a small demo register on an empty database (COVERDESK_DEMO=0 turns it off). */
  demo: boolean;
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
    demo: env.COVERDESK_DEMO !== '0',
  };
}
