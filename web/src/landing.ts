/**
 * Where a signed-in user lands: their dashboard, the coverage page of their own unit (Lào Cai for a
 * national admin). A deep link (any other hash route) is kept: the user goes there after login.
 */
import type { User } from './access/accessApi';
import { href } from './router';

/** Lào Cai: the dashboard a national user lands on. */
export const DEFAULT_PROVINCE = '15';

/** The user's dashboard: #/coverage/<own unit>, else Lào Cai's. */
export function coverageHome(user: Pick<User, 'scopeCode'>): string {
  return href('coverage', user.scopeCode ?? DEFAULT_PROVINCE);
}

/** The field pages, where a field worker (village head, collaborator) works on a phone. */
export const FIELD_HOME = '/field/';

/** Where to go once signed in from this route: the dashboard for no route or #/login (a field worker: the field pages), else null (stay). */
export function landingAfterLogin(route: readonly string[], user: Pick<User, 'scopeCode' | 'role'>): string | null {
  if (route.length !== 0 && route[0] !== 'login') return null;
  return user.role === 'field_worker' ? FIELD_HOME : coverageHome(user);
}
