import type { Kysely } from 'kysely';
import type { DB, PremiumRuleTable } from '../../db/schema';

/** The additions that price: approved ones (a draft local-support rule prices nothing). */
export const listRuleAdditions = (db: Kysely<DB>) =>
  db.selectFrom('premiumRule').select(['id', 'kind', 'entry', 'createdBy', 'createdAt']).where('status', '=', 'approved').orderBy('createdAt').execute();

export const findRuleAddition = (db: Kysely<DB>, id: string) =>
  db.selectFrom('premiumRule').select(['id', 'kind', 'entry', 'status', 'decision']).where('id', '=', id).executeTakeFirst();

/** A rule stored as a draft (an adopted simulator scenario): kept, priced by nothing. */
export async function insertDraftRule(db: Kysely<DB>, row: { id: string; kind: PremiumRuleTable['kind']; entry: unknown; createdBy: string }) {
  await db.insertInto('premiumRule').values({ ...row, entry: JSON.stringify(row.entry), status: 'draft' }).execute();
}

/** A draft's entry rewritten (edited before approval); false when it was no longer a draft. */
export async function updateDraftRule(db: Kysely<DB>, row: { id: string; entry: unknown }): Promise<boolean> {
  const r = await db.updateTable('premiumRule').set({ entry: JSON.stringify(row.entry) }).where('id', '=', row.id).where('status', '=', 'draft').executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

/** A draft becomes approved (the entry rewritten with its source and dates); false when it was not a draft. */
export async function approveRule(db: Kysely<DB>, row: { id: string; entry: unknown; decision: string; approvedBy: string }): Promise<boolean> {
  const r = await db
    .updateTable('premiumRule')
    .set({ entry: JSON.stringify(row.entry), status: 'approved', decision: row.decision, approvedBy: row.approvedBy, approvedAt: new Date() })
    .where('id', '=', row.id)
    .where('status', '=', 'draft')
    .executeTakeFirst();
  return Number(r.numUpdatedRows) === 1;
}

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
