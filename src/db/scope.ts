/**
 * Whose persons a query may return. Every register and programme read that returns persons (or what
 * names them: awards, candidates, nominations, issued cards, handover recipients and their files) takes
 * a CommuneScope and applies it as SQL here, so that a list never fetches a row the user may not see.
 */
import { sql, type Expression, type SqlBool } from 'kysely';

/**
 * `under` is a province or a commune: the persons of that commune, or of the province's communes, are
 * visible; null: the whole country (a national user, the local CLI operator). Made from the actor by
 * the service that checked their access (`scopeOf`), never from a request's parameters.
 */
export interface CommuneScope {
  readonly under: string | null;
}

export const WHOLE_COUNTRY: CommuneScope = { under: null };

/** `column` is the code of a commune that is `code` itself or a child of `code` (a province). */
export function communeUnder(column: string, code: string): Expression<SqlBool> {
  return sql<SqlBool>`${sql.ref(column)} in (select u.code from unit u where u.code = ${code} or u.parent_code = ${code})`;
}

/** The condition that `column` (a commune code) is inside the scope; true for the whole country. */
export function communeInScope(column: string, scope: CommuneScope): Expression<SqlBool> {
  return scope.under === null ? sql<SqlBool>`true` : communeUnder(column, scope.under);
}
