/**
 * Who may see and change a programme (issue 6), and the programme's field and transition errors: what
 * every part of the programmes module needs from the programme, with nothing from those parts.
 *
 * Scope: a programme is in scope when its owner unit is inside the actor's scope (read, and write for a
 * writing role), or when the actor works in a unit its area covers (read only: a commune officer sees
 * the provincial programme that buys cards in their commune). Outside the scope it does not exist (404).
 */
import type { Kysely, Selectable } from 'kysely';
import type { DB, ProgrammeTable } from '../../../db/schema';
import type { CommuneScope } from '../../../db/scope';
import { can, inScope, requirePermission, type Actor, type Permission } from '../../../domain/access';
import { AppError, notFound, type FieldError } from '../../../errors';
import { lineageOf } from '../../units/units.service';
import * as repo from './programme.repository';

/** Until programmes have permissions of their own, the units permissions are granted to exactly the right roles. */
export const PROGRAMMES_READ: Permission = 'units:read';
export const PROGRAMMES_WRITE: Permission = 'units:write';

export type Programme = Selectable<ProgrammeTable>;

/** A field problem whose message lives in the 'programmes' namespace of the catalogue. */
export const programmeField = (path: string, key: string, params: Record<string, unknown> = {}): FieldError => ({
  path,
  key,
  params: { ...params, ns: 'programmes' },
});

/**
 * A refused change of status (of a programme, pledge or award). The message is
 * programmes:errors.invalid_transition, or its variant for the reason (i18next context).
 */
export const transitionError = (from: string, to: string, reason?: string) =>
  new AppError('invalid_transition', { from, to, ...(reason ? { reason, context: reason } : {}), ns: 'programmes' });

// ---------------------------------------------------------------------------------------------------
// Scope
// ---------------------------------------------------------------------------------------------------

/** Does one of the programme's area codes cover the unit `scope` (whose lineage is given)? */
function areaCovers(programme: Pick<Programme, 'areaCodes'>, scope: string, scopeLineage: string[]): boolean {
  return programme.areaCodes.some((code) => scopeLineage.includes(code) || code.startsWith(`${scope}.`));
}

/** 'write': the owner unit is in scope and the actor may write; 'read': in scope or the area covers it; null: invisible. */
export async function accessTo(db: Kysely<DB>, actor: Actor, programme: Programme): Promise<'write' | 'read' | null> {
  const writer = can(actor, PROGRAMMES_WRITE);
  if (actor.scopeCode === null) return writer ? 'write' : 'read';
  const owner = await lineageOf(db, programme.ownerUnitCode);
  if (owner && inScope(actor, owner.lineage)) return writer ? 'write' : 'read';
  const scope = await lineageOf(db, actor.scopeCode);
  if (scope && areaCovers(programme, actor.scopeCode, scope.lineage)) return 'read';
  return null;
}

/**
 * Whose persons the actor sees in a programme they may read: those of the communes in their own scope.
 * A commune officer reading a provincial programme sees its totals and their commune's part; persons,
 * awards, cards, events and files of other communes are absent. Repositories apply it as SQL.
 */
export const scopeOf = (actor: Actor): CommuneScope => ({ under: actor.scopeCode });

/** Is the commune inside the actor's scope (the commune itself or its province)? */
export async function communeVisible(db: Kysely<DB>, actor: Actor, communeCode: string): Promise<boolean> {
  if (actor.scopeCode === null || actor.scopeCode === communeCode) return true;
  const found = await lineageOf(db, communeCode);
  return found !== undefined && inScope(actor, found.lineage);
}

/**
 * The programme if the actor may see it (need 'read') or change it (need 'write'). Absent or outside the
 * scope: AppError not_found. Visible but not changeable by this actor (a viewer, or a commune officer
 * reading a provincial programme that covers their commune): AppError forbidden.
 */
export async function programmeForActor(db: Kysely<DB>, actor: Actor, id: string, need: 'read' | 'write'): Promise<Selectable<ProgrammeTable>> {
  requirePermission(actor, PROGRAMMES_READ);
  const programme = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findProgramme(db, id) : undefined;
  if (!programme) throw notFound('programme', id);
  const access = await accessTo(db, actor, programme);
  if (access === null) throw notFound('programme', id);
  if (need === 'write' && access !== 'write') throw new AppError('forbidden');
  return programme;
}

/** The programme row (locked FOR UPDATE when `lock`), without an access check: for a caller that made one. */
export function findProgramme(db: Kysely<DB>, id: string, lock = false) {
  return repo.findProgramme(db, id, lock);
}
