/**
 * Makes the upgrade fixture with the code of release 226cec7 (migrations up to 0025_plans): a small demo
 * province, a programme with donors, receipts, a refund, awards and issued cards (ledger, cards, audit).
 * Run once, from a worktree of that commit, with this file copied into its scripts/ folder:
 *   git worktree add /tmp/old 226cec7 && cp scripts/make-upgrade-fixture.ts /tmp/old/scripts/
 *   cd /tmp/old && ln -s $PWD_OF_CHECKOUT/node_modules . && npx tsx scripts/make-upgrade-fixture.ts src/test/fixtures/release-0025-plans.tar.br
 * (then copy the file back). Used by src/modules/operations/upgrade.test.ts.
 */
import fs from 'node:fs';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { openDb } from '../src/db/connect';
import { loadDemo } from '../src/modules/register/demo.service';
import { handoverWorld } from '../src/modules/programmes/handover/handover.fixture';
import { cliOperator } from '../src/domain/access';
import { createUser } from '../src/modules/access/access.service';

const out = process.argv[2]!;
const actor = cliOperator('fixture');
const database = await openDb({});
await loadDemo(database, actor, { province: '15', persons: 200, seed: 7, today: '2025-12-01' });
await handoverWorld(database.db, actor, { issue: true });
await createUser(database.db, actor, { username: 'lan', role: 'commune_officer', scopeCode: '02905', password: 'correct horse battery' });
await sql`vacuum`.execute(database.db);
await sql`checkpoint`.execute(database.db);
const counts = await sql<{ t: string; n: number }>`
  select 'person' as t, count(*)::int as n from person union all select 'card', count(*)::int from card
  union all select 'ledger_entry', count(*)::int from ledger_entry union all select 'audit_log', count(*)::int from audit_log
  union all select 'programme', count(*)::int from programme`.execute(database.db);
console.log(counts.rows);
const wal = (await sql<{ file: string; offset: number }>`
  select pg_walfile_name(pg_current_wal_insert_lsn()) as file,
         (pg_current_wal_insert_lsn() - '0/0'::pg_lsn)::bigint % (16 * 1024 * 1024) as offset`.execute(database.db)).rows[0]!;
const tar = slimWal(await database.dump(), wal.file, Number(wal.offset));
await database.close();
fs.writeFileSync(out, zlib.brotliCompressSync(tar, { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 9, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: tar.byteLength } }));
console.log(`${out}: ${fs.statSync(out).size} bytes (tar ${tar.byteLength})`);

/**
 * The tarball without the WAL segments PostgreSQL keeps for reuse (they hold nothing it reads after the
 * checkpoint) and with the current segment zeroed past its last record (zeros end the WAL): 32 MB less.
 */
function slimWal(tar: Uint8Array, current: string, offset: number): Uint8Array {
  const parts: Uint8Array[] = [];
  let at = 0;
  while (at + 512 <= tar.length) {
    const header = tar.subarray(at, at + 512);
    if (header.every((b) => b === 0)) break;
    const name = Buffer.from(header.subarray(0, 100)).toString('latin1').replace(/\0.*$/s, '');
    const size = parseInt(Buffer.from(header.subarray(124, 136)).toString('latin1').replace(/\0.*$/s, '').trim() || '0', 8);
    const end = at + 512 + Math.ceil(size / 512) * 512;
    const segment = /pg_wal\/[0-9A-F]{24}$/.exec(name);
    if (!segment) parts.push(tar.subarray(at, end));
    else if (name.endsWith(current)) {
      const entry = Uint8Array.from(tar.subarray(at, end));
      const page = Math.ceil(offset / 8192) * 8192;
      entry.fill(0, 512 + page, 512 + size);
      parts.push(entry);
    }
    at = end;
  }
  parts.push(new Uint8Array(1024));
  return Buffer.concat(parts);
}
