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
