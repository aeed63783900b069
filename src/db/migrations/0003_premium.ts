import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  // Rules that admins add on top of the defaults in src/domain/premium-rules.ts (base salaries, local policies).
  await db.schema
    .createTable('premium_rule')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('base-salary', 'local-policy')`))
    .addColumn('entry', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Saved quotes keep their result and the rule entries that priced them, so later rule changes never alter them.
  await db.schema
    .createTable('premium_quote')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('input', 'jsonb', (c) => c.notNull())
    .addColumn('result', 'jsonb', (c) => c.notNull())
    .addColumn('rules', 'jsonb', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}
