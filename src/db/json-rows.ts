/**
 * Many rows in one statement as one JSON parameter (json_populate_recordset), as the selection's frozen
 * candidates are written: on the embedded database a multi-row VALUES of thousands of bind parameters
 * costs several times more than the same rows as one JSON text. Only the columns of the first row are
 * written (the others take their defaults); keys are the Kysely (camelCase) names.
 */
import { sql, type Kysely, type RawBuilder } from 'kysely';

const snake = (k: string) => k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const CHUNK = 5000;

export async function insertJsonRows<R = never>(
  db: Kysely<any>,
  table: string,
  rows: Record<string, unknown>[],
  options: { onConflictDoNothing?: string[]; returning?: string[] } = {},
): Promise<R[]> {
  const out: R[] = [];
  if (rows.length === 0) return out;
  const keys = Object.keys(rows[0]);
  const cols = keys.map(snake);
  const list = sql.join(cols.map((c) => sql.id(c)));
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk: Record<string, unknown>[] = [];
    for (const r of rows.slice(i, i + CHUNK)) {
      const o: Record<string, unknown> = {};
      for (let j = 0; j < keys.length; j++) o[cols[j]] = r[keys[j]];
      chunk.push(o);
    }
    const json = JSON.stringify(chunk);
    let q: RawBuilder<R> = sql<R>`insert into ${sql.table(table)} (${list}) select ${list} from json_populate_recordset(null::${sql.table(table)}, ${json}::json)`;
    if (options.onConflictDoNothing) q = sql<R>`${q} on conflict (${sql.join(options.onConflictDoNothing.map((c) => sql.id(snake(c))))}) do nothing`;
    if (options.returning) q = sql<R>`${q} returning ${sql.join(options.returning.map((c) => sql.id(snake(c))))}`;
    out.push(...(await q.execute(db)).rows);
  }
  return out;
}
