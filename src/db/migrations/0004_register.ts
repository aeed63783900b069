/**
 * The population register: households, persons, their participant groups and cards. Large tables carry
 * household_id and have it in their primary key, so they can be distributed by household (Citus; see
 * docs/scaling.md); uniqueness across households (citizen id) is enforced by the import, not by an index.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('household')
    .addColumn('id', 'uuid', (c) => c.primaryKey())
    .addColumn('commune_code', 'text', (c) => c.notNull().references('unit.code'))
    .addColumn('code', 'text', (c) => c.notNull())
    .addColumn('village_code', 'text', (c) => c.references('unit.code'))
    .addColumn('address', 'text')
    .addColumn('poverty_status', 'text', (c) =>
      c.notNull().defaultTo('none').check(sql`poverty_status in ('poor', 'near_poor', 'average_agri', 'none')`),
    )
    .addColumn('poverty_year', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex('household_commune_code_key').on('household').columns(['commune_code', 'code']).unique().execute();
  await db.schema.createIndex('household_village_idx').on('household').column('village_code').execute();

  await db.schema
    .createTable('person')
    .addColumn('household_id', 'uuid', (c) => c.notNull().references('household.id').onDelete('cascade'))
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('commune_code', 'text', (c) => c.notNull())
    .addColumn('relationship', 'text')
    .addColumn('full_name', 'text', (c) => c.notNull())
    .addColumn('name_key', 'text', (c) => c.notNull())
    .addColumn('birth_date', 'date', (c) => c.notNull())
    .addColumn('sex', 'text', (c) => c.notNull().check(sql`sex in ('male', 'female')`))
    .addColumn('citizen_id', 'text')
    .addColumn('insurance_code', 'text')
    .addColumn('ethnicity', 'text')
    .addColumn('phone', 'text')
    .addColumn('group_codes', sql`text[]`, (c) => c.notNull().defaultTo(sql`'{}'::text[]`))
    .addColumn('school', 'text')
    .addColumn('grade', 'integer')
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('person_pk', ['household_id', 'id'])
    .execute();
  await db.schema.createIndex('person_id_idx').on('person').column('id').execute();
  await db.schema.createIndex('person_citizen_id_idx').on('person').column('citizen_id').execute();
  await db.schema.createIndex('person_insurance_code_idx').on('person').column('insurance_code').execute();
  await db.schema.createIndex('person_commune_name_idx').on('person').columns(['commune_code', 'name_key']).execute();

  // Participant groups with their date ranges; person.group_codes holds the current ones (valid_to is null).
  await db.schema
    .createTable('person_group')
    .addColumn('household_id', 'uuid', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'date')
    .addColumn('valid_to', 'date')
    .addForeignKeyConstraint('person_group_person_fk', ['household_id', 'person_id'], 'person', ['household_id', 'id'], (fk) => fk.onDelete('cascade').onUpdate('cascade'))
    .execute();
  await db.schema.createIndex('person_group_person_idx').on('person_group').columns(['household_id', 'person_id']).execute();

  await db.schema
    .createTable('card')
    .addColumn('household_id', 'uuid', (c) => c.notNull())
    .addColumn('id', 'uuid', (c) => c.notNull())
    .addColumn('person_id', 'uuid', (c) => c.notNull())
    .addColumn('group_code', 'text', (c) => c.notNull())
    .addColumn('valid_from', 'date', (c) => c.notNull())
    .addColumn('valid_to', 'date', (c) => c.notNull())
    .addColumn('number', 'text')
    .addColumn('source', 'text', (c) => c.notNull().check(sql`source in ('import', 'manual', 'programme')`))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('card_pk', ['household_id', 'id'])
    .addForeignKeyConstraint('card_person_fk', ['household_id', 'person_id'], 'person', ['household_id', 'id'], (fk) => fk.onDelete('cascade').onUpdate('cascade'))
    .addCheckConstraint('card_dates_check', sql`valid_from <= valid_to`)
    .execute();
  await db.schema.createIndex('card_person_idx').on('card').columns(['person_id', 'valid_to']).execute();
}
