/**
 * Whose persons a query may return. Every register and programme read that returns persons (or what
 * names them: awards, candidates, nominations, issued cards, handover recipients and their files) takes
 * a CommuneScope and applies it as SQL here, so that a list never fetches a row the user may not see.
 */
import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * `under` is a province, a commune or a social insurance office: the persons of that commune, of the
 * province's communes, or of the communes the office serves (itself or through its grassroots offices) are
 * visible; null: the whole country (a national user, the local CLI operator). Made from the actor by
 * the service that checked their access (`scopeOf`), never from a request's parameters.
 */
export interface CommuneScope {
  readonly under: string | null;
}

export const WHOLE_COUNTRY: CommuneScope = { under: null };

/**
 * The codes of the communes a social insurance office serves: its own (office_commune) and, for a
 * provincial office, those of its grassroots offices. Empty for a code that is not an office.
 */
export function communesServedBy(officeCode: string) {
  return sql<string>`select oc.commune_code from office_commune oc where oc.office_code = ${officeCode}
    or oc.office_code in (select o.code from unit o where o.parent_code = ${officeCode} and o.level = 'office')`;
}

/**
 * `column` is the code of a unit that is `code` itself or a child of `code` (a province's communes), or
 * a commune the office `code` serves.
 */
export function communeUnder(column: string, code: string): Expression<SqlBool> {
  return sql<SqlBool>`(${sql.ref(column)} in (select u.code from unit u where u.code = ${code} or u.parent_code = ${code})
    or ${sql.ref(column)} in (${communesServedBy(code)}))`;
}

/** The condition that `column` (a commune code) is inside the scope; true for the whole country. */
export function communeInScope(column: string, scope: CommuneScope): Expression<SqlBool> {
  return scope.under === null ? sql<SqlBool>`true` : communeUnder(column, scope.under);
}

/**
 * Whose households a door-to-door read may return (issue 19): the commune scope, narrowed for a field
 * worker to the villages of the active working groups they belong to. Made from the actor by
 * `householdScopeOf`, never from a request's parameters; the outreach repository applies it to every read
 * of households, persons, visits and reports, and to the groups a user may see.
 */
export interface HouseholdScope extends CommuneScope {
  /** A field worker's user id: only the villages of their working groups (null: the commune scope alone). */
  readonly fieldWorker: string | null;
}

export function householdScopeOf(actor: { role: string; scopeCode: string | null; userId: string | null }): HouseholdScope {
  // a field worker without a user id (never made by the access service) sees nothing
  if (actor.role === 'field_worker') return { under: actor.scopeCode, fieldWorker: actor.userId ?? '00000000-0000-0000-0000-000000000000' };
  return { under: actor.scopeCode, fieldWorker: null };
}

/** The villages of the active working groups the user belongs to. */
export function villagesOfMember(userId: string) {
  return sql<string>`select gv.village_code from working_group_village gv
    join working_group_member gm on gm.group_id = gv.group_id
    join working_group g on g.id = gv.group_id
    where gm.user_id = ${userId}::uuid and g.active`;
}

/** The household (its commune and village columns) is inside the scope. */
export function householdInScope(communeColumn: string, villageColumn: string, scope: HouseholdScope): Expression<SqlBool> {
  const commune = communeInScope(communeColumn, scope);
  if (scope.fieldWorker === null) return commune;
  return sql<SqlBool>`(${commune} and ${sql.ref(villageColumn)} in (${villagesOfMember(scope.fieldWorker)}))`;
}

/** The working group (its id and commune columns) is visible: in the commune scope; for a field worker, one of theirs. */
export function groupInScope(idColumn: string, communeColumn: string, scope: HouseholdScope): Expression<SqlBool> {
  const commune = communeInScope(communeColumn, scope);
  if (scope.fieldWorker === null) return commune;
  return sql<SqlBool>`(${commune} and ${sql.ref(idColumn)} in (select gm.group_id from working_group_member gm where gm.user_id = ${scope.fieldWorker}::uuid))`;
}
