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
import { hashPassword, passwordWeakness, randomSecret, sha256, verifyPassword } from './passwords';
import { loginKeys, type LoginThrottle } from './login-throttle';

export const SESSION_DAYS = 7;

/**
 * Listeners told, after the change is committed, that a user's role, scope, activity, password or
 * sessions changed: the HTTP layer forgets the identities it cached for that user (plugins/auth.ts), so
 * the change holds from the next request. In-process only; see docs/decisions.md for the other process.
 */
const userChangeListeners = new Set<(userId: string) => void>();

export function onUserChange(listener: (userId: string) => void): () => void {
  userChangeListeners.add(listener);
  return () => userChangeListeners.delete(listener);
}

function userChanged(userId: string): void {
  for (const listener of userChangeListeners) listener(userId);
}

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

/** Refuses a password that is easy to guess, saying why (passwords.ts). */
function checkStrength(password: string, userInputs: (string | undefined)[]) {
  const weakness = passwordWeakness(password, userInputs);
  if (weakness) throw new AppError('validation', {}, [{ path: 'password', key: weakness }]);
}

const withoutSecret = <T extends { passwordHash?: string }>(u: T) => {
  const { passwordHash: _ignored, ...rest } = u;
  return rest;
};

export async function createUser(db: Kysely<DB>, actor: Actor, input: CreateUserInput) {
  requireAdmin(actor);
  const data = parseInput(createUserInput, input);
  checkStrength(data.password, [data.username, data.displayName]);
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
  const after = await db.transaction().execute(async (trx) => {
    const before = await repo.findUserById(trx, id);
    if (!before) throw notFound('user', id);
    if (data.password) checkStrength(data.password, [before.username, data.displayName ?? before.displayName]);
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
  userChanged(id);
  return after;
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

/**
 * The hash an unknown username's password is checked against, made once: a login does the same scrypt
 * work whether or not the username exists, so its time does not tell which usernames exist.
 */
let dummyHash: Promise<string> | undefined;
const dummy = () => (dummyHash ??= hashPassword(randomSecret()));

/** What the audit log keeps of the client of a sign-in. */
type Client = { ip: string; now: Date };

/** Who a failed sign-in is audited as: nobody known, only the address (as public pledges are). */
const attemptFrom = (ip: string): Actor => ({ userId: null, username: `public:${ip}`.slice(0, 100), role: 'viewer', scopeCode: null, language: 'vi' });

export async function login(db: Kysely<DB>, throttle: LoginThrottle, input: unknown, client: Client): Promise<LoginResult> {
  const { username, password } = parseInput(loginInput, input);
  const keys = loginKeys(username, client.ip);
  const now = client.now.getTime();
  if (throttle.isBlocked(keys, now)) throw new AppError('too_many_attempts');
  const user = await repo.findUserByUsername(db, username.trim());
  // the same password-hash work either way (see `dummy`)
  const matches = await verifyPassword(password, user ? user.passwordHash : await dummy());
  if (!user || !matches || !user.active) {
    throttle.recordFailure(keys, now);
    const reason = !user ? 'unknown_user' : !matches ? 'wrong_password' : 'inactive';
    await audit(db, attemptFrom(client.ip), {
      action: 'login_failed',
      entity: 'user',
      entityId: user?.id ?? username.trim().slice(0, 100),
      unitCode: user?.scopeCode ?? null,
      after: { ip: client.ip, username: username.trim().slice(0, 100), reason },
    });
    throw new AppError('invalid_credentials');
  }
  throttle.reset(keys);
  const sessionId = randomSecret();
  const csrfToken = randomSecret(24);
  const expiresAt = new Date(now + SESSION_DAYS * 86_400_000);
  await db.transaction().execute(async (trx) => {
    await repo.insertSession(trx, { idHash: sha256(sessionId), userId: user.id, csrfToken, expiresAt });
    await audit(trx, actorOf(user), { action: 'login', entity: 'user', entityId: user.id, unitCode: user.scopeCode, after: { ip: client.ip } });
  });
  return { sessionId, csrfToken, expiresAt, user: withoutSecret(user) };
}

export async function sessionUser(db: Kysely<DB>, sessionId: string, now: Date) {
  const s = await repo.findSession(db, sha256(sessionId), now);
  return s && s.active ? s : undefined;
}

/** Ends a session (audited as the user's sign-out); the caller's HTTP layer forgets it from its cache. */
export async function logout(db: Kysely<DB>, actor: Actor, sessionId: string, client: { ip: string }): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await repo.deleteSession(trx, sha256(sessionId));
    await audit(trx, actor, { action: 'logout', entity: 'user', entityId: actor.userId ?? actor.username, unitCode: actor.scopeCode, after: { ip: client.ip } });
  });
}

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
  let password = randomSecret(12);
  while (passwordWeakness(password, ['admin', 'Administrator'])) password = randomSecret(12);
  await createUser(db, system, { username: 'admin', displayName: 'Administrator', role: 'admin', scopeCode: null, password });
  return password;
}

export async function currentUser(db: Kysely<DB>, actor: Actor) {
  const user = actor.userId ? await repo.findUserById(db, actor.userId) : undefined;
  if (!user) throw new AppError('unauthenticated');
  return user;
}
