/**
 * Who may do what, and where. Pure: the caller supplies the actor and the unit's ancestry.
 */
import type { Role } from '../db/schema';
import { AppError } from '../errors';

export type { Role };
export const ROLES: readonly Role[] = ['admin', 'province_staff', 'commune_officer', 'viewer', 'field_worker'];

/** What a route or a use case needs. `public` needs nothing; `signed_in` any user. */
export type Permission =
  | 'public'
  | 'signed_in'
  | 'units:read'
  | 'units:write'
  | 'users:manage'
  | 'audit:read'
  | 'rules:manage'
  /** Door to door (issue 19): working groups, their lists, follow-ups and progress, in scope. */
  | 'outreach:read'
  /** Log visits for a working group. */
  | 'outreach:visit'
  /** Create and change working groups; decide on the status reported from the field. */
  | 'outreach:manage'
  /** Make a backup of the whole database and see the last one (issue 23). */
  | 'operations:backup';

const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: ['signed_in', 'units:read', 'units:write', 'users:manage', 'audit:read', 'rules:manage', 'outreach:read', 'outreach:visit', 'outreach:manage', 'operations:backup'],
  province_staff: ['signed_in', 'units:read', 'units:write', 'outreach:read', 'outreach:visit', 'outreach:manage'],
  commune_officer: ['signed_in', 'units:read', 'units:write', 'outreach:read', 'outreach:visit', 'outreach:manage'],
  viewer: ['signed_in', 'units:read', 'outreach:read'],
  // the field: the households of their groups' villages only, no register reading or export (issue 19)
  field_worker: ['signed_in', 'outreach:read', 'outreach:visit'],
};

export interface Actor {
  /** null for the local CLI operator. */
  userId: string | null;
  username: string;
  role: Role;
  /** null means the whole country (a national admin, the local CLI operator). */
  scopeCode: string | null;
  language: 'vi' | 'en';
}

export function can(actor: Actor | undefined, permission: Permission): boolean {
  if (permission === 'public') return true;
  if (!actor) return false;
  return ROLE_PERMISSIONS[actor.role].includes(permission);
}

/** The use case's permission check: AppError forbidden when the actor's role lacks it. */
export function requirePermission(actor: Actor, permission: Permission): void {
  if (!can(actor, permission)) throw new AppError('forbidden');
}

/**
 * Is a unit inside the actor's scope? `lineage` is the unit's code followed by its ancestors' codes
 * (e.g. village, commune, province).
 */
export function inScope(actor: Actor, lineage: readonly string[]): boolean {
  return actor.scopeCode === null || lineage.includes(actor.scopeCode);
}

/**
 * Allowed scopes per role: commune officers and field workers work in a commune, province staff in a
 * province or in a social insurance office (the communes it serves).
 */
export function scopeLevelsFor(role: Role): readonly ('province' | 'commune' | 'office' | null)[] {
  switch (role) {
    case 'admin':
      return [null, 'province', 'commune', 'office'];
    case 'province_staff':
      return ['province', 'office'];
    case 'commune_officer':
      return ['commune'];
    case 'viewer':
      return ['province', 'commune', 'office'];
    case 'field_worker':
      return ['commune'];
  }
}

/** The local operator of the CLI: whoever can read the data directory is its administrator. */
export const cliOperator = (username: string): Actor => ({
  userId: null,
  username: `cli:${username}`,
  role: 'admin',
  scopeCode: null,
  language: 'vi',
});
