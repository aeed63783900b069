/**
 * A fresh, migrated database for one test file: embedded (PGlite, from the dump made by global-setup),
 * or a schema of its own on the PostgreSQL server in TEST_DATABASE_URL.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';
import { openDb, dropSchema, type Database } from '../db/connect';
import { MIGRATED_DUMP } from './paths';
import { createUser } from '../modules/access/access.service';
import { cliOperator, type Actor } from '../domain/access';
import type { Role } from '../db/schema';

export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
export const engineName = TEST_DATABASE_URL ? 'postgres' : 'pglite';

export interface TestDatabase extends Database {
  /** PostgreSQL: the schema this test file works in. */
  schema?: string;
  cleanup(): Promise<void>;
}

export async function testDatabase(): Promise<TestDatabase> {
  if (TEST_DATABASE_URL) {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    const database = await openDb({ databaseUrl: TEST_DATABASE_URL, schema });
    return {
      ...database,
      schema,
      cleanup: async () => {
        await database.close();
        await dropSchema(TEST_DATABASE_URL, schema);
      },
    };
  }
  const database = await openDb({ loadFrom: new Uint8Array(fs.readFileSync(MIGRATED_DUMP)) });
  return { ...database, cleanup: () => database.close() };
}

export const system: Actor = cliOperator('test');

/** Creates a user with a known password and returns it with its actor. */
export async function makeUser(database: Database, role: Role, scopeCode: string | null, username = `${role}_${randomBytes(3).toString('hex')}`) {
  const password = 'correct horse battery';
  const user = await createUser(database.db, system, { username, role, scopeCode, password });
  const actor: Actor = { userId: user.id, username, role, scopeCode, language: 'vi' };
  return { user, actor, password, username };
}
