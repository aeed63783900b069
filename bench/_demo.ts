/**
 * What the benchmarks on the demo province share: the `--name value` arguments, and the database: a temporary
 * one loaded with the demo province (`--persons N`, 2,000,000 by default), or with `--data DIR` one kept and
 * reused (loading 2,000,000 persons takes half an hour). `close()` drops a temporary one.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { sql, type Kysely } from 'kysely';
import type { DB } from '../src/db/schema';
import { openDb } from '../src/db/connect';
import { cliOperator } from '../src/domain/access';
import { loadDemo } from '../src/modules/register/demo.service';

export const arg = (name: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
};

/** The demo's day: its cards and visits are made around it. */
export const DEMO_TODAY = '2025-10-31';

export async function demoProvince(name: string) {
  const persons = Number(arg('persons') ?? 2_000_000);
  const keep = arg('data');
  const work = keep ?? fs.mkdtempSync(path.join(os.tmpdir(), `coverdesk-bench-${name}-`));
  const actor = cliOperator('bench');
  const reuse = !!keep && fs.existsSync(path.join(work, 'data', 'db'));
  // --cache 1GB: the embedded database's page cache (COVERDESK_DB_CACHE)
  const database = await openDb({ dataDir: path.join(work, 'data'), role: 'server', cacheSize: arg('cache') });
  if (!reuse) {
    const t0 = performance.now();
    const loaded = await loadDemo(database, actor, { province: '15', persons, seed: 1, today: DEMO_TODAY });
    console.log(`loaded ${loaded.inserted.toLocaleString('en')} persons in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }
  return {
    database,
    db: database.db,
    actor,
    async close() {
      await database.close();
      if (!keep) fs.rmSync(work, { recursive: true, force: true });
    },
  };
}

/**
 * The door-to-door list's reference (bench/outreach.ts, bench/scale.ts): the same people by one plain query
 * over the register (persons of the villages' households where someone has no card reaching `until`), with
 * their cards, in village and household order.
 */
export const plainDoorList = (db: Kysely<DB>, villages: string[], until: string) => sql`
  select h.village_code, h.code, p.id, p.full_name, p.birth_date, p.group_codes,
    (select string_agg(k.valid_from::text || '/' || k.valid_to::text, ',' order by k.valid_from) from card k where k.person_id = p.id and k.household_id = p.household_id) as cards
  from household h join person p on p.household_id = h.id
  where h.village_code in (${sql.join(villages)})
    and exists (select 1 from person q where q.household_id = h.id
      and not exists (select 1 from card k where k.household_id = q.household_id and k.person_id = q.id and k.valid_to >= ${until}::date))
  order by h.village_code, h.code, p.birth_date`.execute(db);
