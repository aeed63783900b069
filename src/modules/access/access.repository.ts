import type { Kysely, Insertable, Updateable } from 'kysely';
import type { AppUserTable, DB } from '../../db/schema';

const userColumns = ['id', 'username', 'displayName', 'role', 'scopeCode', 'language', 'active', 'createdAt'] as const;

export const findUserByUsername = (db: Kysely<DB>, username: string) =>
  db.selectFrom('appUser').selectAll().where('username', '=', username).executeTakeFirst();

export const findUserById = (db: Kysely<DB>, id: string) =>
  db.selectFrom('appUser').select(userColumns).where('id', '=', id).executeTakeFirst();

export const listUsers = (db: Kysely<DB>) => db.selectFrom('appUser').select(userColumns).orderBy('username').execute();

export const countUsers = async (db: Kysely<DB>) =>
  Number((await db.selectFrom('appUser').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

export async function insertUser(db: Kysely<DB>, user: Insertable<AppUserTable>) {
  await db.insertInto('appUser').values(user).execute();
}

export async function updateUser(db: Kysely<DB>, id: string, patch: Updateable<AppUserTable>) {
  await db.updateTable('appUser').set(patch).where('id', '=', id).execute();
}

export async function insertSession(db: Kysely<DB>, s: { idHash: string; userId: string; csrfToken: string; expiresAt: Date }) {
  await db.insertInto('userSession').values(s).execute();
}

export const findSession = (db: Kysely<DB>, idHash: string, now: Date) =>
  db
    .selectFrom('userSession as s')
    .innerJoin('appUser as u', 'u.id', 's.userId')
    .select(['s.csrfToken', 's.expiresAt', 'u.id', 'u.username', 'u.displayName', 'u.role', 'u.scopeCode', 'u.language', 'u.active'])
    .where('s.idHash', '=', idHash)
    .where('s.expiresAt', '>', now)
    .executeTakeFirst();

export async function deleteSession(db: Kysely<DB>, idHash: string) {
  await db.deleteFrom('userSession').where('idHash', '=', idHash).execute();
}

export async function deleteSessionsOf(db: Kysely<DB>, userId: string) {
  await db.deleteFrom('userSession').where('userId', '=', userId).execute();
}

export async function insertToken(db: Kysely<DB>, t: { id: string; userId: string; tokenHash: string; name: string }) {
  await db.insertInto('apiToken').values(t).execute();
}

export const findToken = (db: Kysely<DB>, tokenHash: string) =>
  db
    .selectFrom('apiToken as t')
    .innerJoin('appUser as u', 'u.id', 't.userId')
    .select(['t.id as tokenId', 'u.id', 'u.username', 'u.displayName', 'u.role', 'u.scopeCode', 'u.language', 'u.active'])
    .where('t.tokenHash', '=', tokenHash)
    .executeTakeFirst();
