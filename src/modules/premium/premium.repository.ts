import type { Kysely } from 'kysely';
import type { DB, PremiumRuleTable } from '../../db/schema';

export const listRuleAdditions = (db: Kysely<DB>) =>
  db.selectFrom('premiumRule').select(['id', 'kind', 'entry', 'createdBy', 'createdAt']).orderBy('createdAt').execute();

export const findRuleAddition = (db: Kysely<DB>, id: string) =>
  db.selectFrom('premiumRule').select(['id', 'kind', 'entry']).where('id', '=', id).executeTakeFirst();

export async function upsertRuleAddition(db: Kysely<DB>, row: { id: string; kind: PremiumRuleTable['kind']; entry: unknown; createdBy: string }) {
  await db
    .insertInto('premiumRule')
    .values({ ...row, entry: JSON.stringify(row.entry) })
    .onConflict((oc) => oc.column('id').doUpdateSet({ entry: JSON.stringify(row.entry), createdBy: row.createdBy }))
    .execute();
}

export async function insertQuote(db: Kysely<DB>, row: { id: string; input: unknown; result: unknown; rules: unknown; createdBy: string }) {
  await db
    .insertInto('premiumQuote')
    .values({ ...row, input: JSON.stringify(row.input), result: JSON.stringify(row.result), rules: JSON.stringify(row.rules) })
    .execute();
}

export const findQuote = (db: Kysely<DB>, id: string) =>
  db.selectFrom('premiumQuote').select(['id', 'input', 'result', 'rules', 'createdBy', 'createdAt']).where('id', '=', id).executeTakeFirst();
