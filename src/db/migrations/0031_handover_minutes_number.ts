/**
 * The handover minutes' document number (issue 22, item 4: a donor who checks their money sees the date
 * of the handover and the number of its minutes, "Số: 12/BB-UBND"). Kept on the event; the minutes PDF
 * prints it unless another number is asked for. Optional: events made before have none.
 */
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table handover_event add column minutes_number text`.execute(db);
}
