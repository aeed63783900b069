/**
 * Users, roles and scopes; password login with sessions; API tokens. Secrets (passwords, session ids,
 * tokens) are stored hashed and shown once.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB, Role } from '../../db/schema';
import { can, scopeLevelsFor, type Actor } from '../../domain/access';
import { AppError, notFound } from '../../errors';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { lineageOf } from '../units/units.service';
import * as repo from './access.repository';
import { createUserInput, loginInput, updateUserInput, type CreateUserInput, type UpdateUserInput } from './access.schemas';
import { hashPassword, randomSecret, sha256, verifyPassword } from './passwords';
import { LoginThrottle } from './login-throttle';

export const SESSION_DAYS = 7;

type UserRecord = { id: string; username: string; role: Role; scopeCode: string | null; language: string; active: boolean };

export function actorOf(user: UserRecord): Actor {
  return {
    userId: user.id,
    username: user.username,
    role: user.role,
    scopeCode: user.scopeCode,
    language: user.language === 'en' ? 'en' : 'vi',
  };
}

function requireAdmin(actor: Actor) {
  if (!can(actor, 'users:manage')) throw new AppError('forbidden');
}

async function checkScope(db: Kysely<DB>, role: Role, scopeCode: string | null | undefined, path = 'scopeCode') {
  const allowed = scopeLevelsFor(role);
  if (scopeCode === null || scopeCode === undefined) {
    if (!allowed.includes(null)) throw new AppError('validation', {}, [{ path, key: 'scope_required_for_role', params: { role } }]);
    return null;
  }
  const found = await lineageOf(db, scopeCode);
  if (!found) throw new AppError('validation', {}, [{ path, key: 'unknown_unit', params: { code: scopeCode } }]);
  const level = found.unit.level;
  if (level === 'village' || !allowed.includes(level))
    throw new AppError('validation', {}, [{ path, key: 'scope_level_for_role', params: { role, level } }]);
  return scopeCode;
}

const withoutSecret = <T extends { passwordHash?: string }>(u: T) => {
  const { passwordHash: _ignored, ...rest } = u;
  return rest;
};

export async function createUser(db: Kysely<DB>, actor: Actor, input: CreateUserInput) {
  requireAdmin(actor);
  const data = parseInput(createUserInput, input);
  const scopeCode = await checkScope(db, data.role, data.scopeCode);
  const user = {
    id: randomUUID(),
    username: data.username,
    displayName: data.displayName ?? data.username,
    role: data.role,
    scopeCode,
    language: data.language ?? 'vi',
    active: true,
    passwordHash: await hashPassword(data.password),
  };
  return db.transaction().execute(async (trx) => {
    if (await repo.findUserByUsername(trx, user.username)) throw new AppError('conflict', { entity: 'user', id: user.username });
    await repo.insertUser(trx, user);
    const after = withoutSecret(user);
    await audit(trx, actor, { action: 'create', entity: 'user', entityId: user.id, unitCode: scopeCode, after });
    return after;
  });
}

export async function updateUser(db: Kysely<DB>, actor: Actor, id: string, input: UpdateUserInput) {
  requireAdmin(actor);
  const data = parseInput(updateUserInput, input);
  return db.transaction().execute(async (trx) => {
    const before = await repo.findUserById(trx, id);
    if (!before) throw notFound('user', id);
    const role = data.role ?? before.role;
    const scopeCode =
      data.scopeCode !== undefined || data.role !== undefined
        ? await checkScope(trx, role, data.scopeCode !== undefined ? data.scopeCode : before.scopeCode)
        : before.scopeCode;
    const { password, ...rest } = data;
    const patch = { ...rest, role, scopeCode, ...(password ? { passwordHash: await hashPassword(password) } : {}) };
    await repo.updateUser(trx, id, patch);
    if (password || data.active === false || data.role || data.scopeCode !== undefined) await repo.deleteSessionsOf(trx, id);
    const after = { ...before, ...rest, role, scopeCode };
    await audit(trx, actor, {
      action: password ? 'update+password' : 'update',
      entity: 'user',
      entityId: id,
      unitCode: scopeCode,
      before,
      after,
    });
    return after;
  });
}

export async function listUsers(db: Kysely<DB>, actor: Actor) {
  requireAdmin(actor);
  return repo.listUsers(db);
}

export interface LoginResult {
  sessionId: string;
  csrfToken: string;
  expiresAt: Date;
  user: Awaited<ReturnType<typeof repo.findUserById>> & object;
}

export async function login(
  db: Kysely<DB>,
  throttle: LoginThrottle,
  input: unknown,
  client: { ip: string; now: Date },
): Promise<LoginResult> {
  const { username, password } = parseInput(loginInput, input);
  const keys = [
    { kind: 'user' as const, value: username.trim().toLowerCase() },
    { kind: 'ip' as const, value: client.ip },
  ];
  const now = client.now.getTime();
  if (throttle.isBlocked(keys, now)) throw new AppError('too_many_attempts');
  const user = await repo.findUserByUsername(db, username.trim());
  const ok = user && user.active && (await verifyPassword(password, user.passwordHash));
  if (!ok || !user) {
    throttle.recordFailure(keys, now);
    throw new AppError('invalid_credentials');
  }
  throttle.reset(keys);
  const sessionId = randomSecret();
  const csrfToken = randomSecret(24);
  const expiresAt = new Date(now + SESSION_DAYS * 86_400_000);
  await repo.insertSession(db, { idHash: sha256(sessionId), userId: user.id, csrfToken, expiresAt });
  return { sessionId, csrfToken, expiresAt, user: withoutSecret(user) };
}

export async function sessionUser(db: Kysely<DB>, sessionId: string, now: Date) {
  const s = await repo.findSession(db, sha256(sessionId), now);
  return s && s.active ? s : undefined;
}

export const logout = (db: Kysely<DB>, sessionId: string) => repo.deleteSession(db, sha256(sessionId));

export async function tokenUser(db: Kysely<DB>, token: string) {
  const t = await repo.findToken(db, sha256(token));
  return t && t.active ? t : undefined;
}

/** Creates an API token for a user and returns it: the only time it is visible. */
export async function createToken(db: Kysely<DB>, actor: Actor, username: string, name = 'cli') {
  requireAdmin(actor);
  const user = await repo.findUserByUsername(db, username);
  if (!user) throw notFound('user', username);
  const token = `cdt_${randomSecret()}`;
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await repo.insertToken(trx, { id, userId: user.id, tokenHash: sha256(token), name });
    await audit(trx, actor, { action: 'create', entity: 'api_token', entityId: id, unitCode: user.scopeCode, after: { user: username, name } });
  });
  return { id, token };
}

/** On a database with no user, create `admin` with a random password and return it (to print once). */
export async function ensureInitialAdmin(db: Kysely<DB>, system: Actor): Promise<string | undefined> {
  if ((await repo.countUsers(db)) > 0) return undefined;
  const password = randomSecret(12);
  await createUser(db, system, { username: 'admin', displayName: 'Administrator', role: 'admin', scopeCode: null, password });
  return password;
}

export async function currentUser(db: Kysely<DB>, actor: Actor) {
  const user = actor.userId ? await repo.findUserById(db, actor.userId) : undefined;
  if (!user) throw new AppError('unauthenticated');
  return user;
}
