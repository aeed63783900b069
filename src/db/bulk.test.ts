import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { engineName, testDatabase, type TestDatabase } from '../test/db';
import { BinaryRows, timestamptzBytes } from './bulk';
import { toEpochDay } from '../domain/calendar';

let database: TestDatabase;

beforeAll(async () => {
  database = await testDatabase();
  await sql`create table binary_rows (id uuid, name text, born date, grade integer, at timestamptz, groups text[])`.execute(database.db);
});

afterAll(async () => {
  await database?.cleanup();
});

describe(`COPY in binary format (${engineName})`, () => {
  it('stores each kind of field as the database reads it from text', async () => {
    const id = Buffer.from('0190a0b0c0d07123812300000000abcd', 'hex');
    const at = timestamptzBytes(BigInt(Date.UTC(2025, 9, 31, 1, 2, 3)) * 1000n + 456n);
    const rows = new BinaryRows();
    const add = (name: string | null | undefined, born: string | null, grade: number | null | undefined, groups: string[]) => {
      rows.row(6);
      rows.uuid(id);
      rows.text(name);
      rows.date(born === null ? null : toEpochDay(born));
      rows.int4(grade);
      rows.timestamptz(at);
      rows.textArray(groups);
    };
    add('Hoàng Thị Nở', '1969-12-31', -1, ['HN', 'DN']);
    add('ascii only, "quoted"\nline', '2000-01-01', 0, []);
    add('', '2099-02-28', 2_147_483_647, ['Lò Văn Tủa']);
    add(null, null, null, []);
    add(undefined, '1000-01-01', undefined, ['a'.repeat(3000)]);
    await database.bulk.copyBinary('binary_rows', ['id', 'name', 'born', 'grade', 'at', 'groups'], rows.bytes());

    const r = await sql<Record<string, string | null>>`
      select id::text, name, born::text, grade::text, to_char(at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as at, groups::text
      from binary_rows order by born nulls last`.execute(database.db);
    const at0 = '2025-10-31 01:02:03.000456';
    expect(r.rows).toEqual([
      { id: '0190a0b0-c0d0-7123-8123-00000000abcd', name: null, born: '1000-01-01', grade: null, at: at0, groups: `{${'a'.repeat(3000)}}` },
      { id: '0190a0b0-c0d0-7123-8123-00000000abcd', name: 'Hoàng Thị Nở', born: '1969-12-31', grade: '-1', at: at0, groups: '{HN,DN}' },
      { id: '0190a0b0-c0d0-7123-8123-00000000abcd', name: 'ascii only, "quoted"\nline', born: '2000-01-01', grade: '0', at: at0, groups: '{}' },
      { id: '0190a0b0-c0d0-7123-8123-00000000abcd', name: '', born: '2099-02-28', grade: '2147483647', at: at0, groups: '{"Lò Văn Tủa"}' },
      { id: '0190a0b0-c0d0-7123-8123-00000000abcd', name: null, born: null, grade: null, at: at0, groups: '{}' },
    ]);
  });

  it('stores uuids given as text, booleans, doubles and bigints (money in dong), and refuses a malformed uuid', async () => {
    await sql`create table binary_more (id uuid, ok boolean, value double precision, cost bigint)`.execute(database.db);
    const rows = new BinaryRows();
    const add = (id: string | null, ok: boolean, value: number, cost: number | null) => {
      rows.row(4);
      rows.uuidText(id);
      rows.bool(ok);
      rows.float8(value);
      rows.int8(cost);
    };
    add('1B4E28BA-2FA1-11D2-883F-0016D3CCA427', true, 2.5, 1_263_600);
    add('00000000-0000-0000-0000-000000000000', false, -0.125, 0);
    add(null, false, 1e-9, Number.MAX_SAFE_INTEGER);
    add('ffffffff-ffff-ffff-ffff-ffffffffffff', true, 0, -379_080);
    add('0190a0b0-c0d0-7123-8123-00000000abcd', true, 3, null);
    await database.bulk.copyBinary('binary_more', ['id', 'ok', 'value', 'cost'], rows.bytes());
    const r = await sql<Record<string, string | null>>`select id::text, ok::text, value::text, cost::text from binary_more order by value`.execute(database.db);
    expect(r.rows).toEqual([
      { id: '00000000-0000-0000-0000-000000000000', ok: 'false', value: '-0.125', cost: '0' },
      { id: 'ffffffff-ffff-ffff-ffff-ffffffffffff', ok: 'true', value: '0', cost: '-379080' },
      { id: null, ok: 'false', value: '1e-09', cost: '9007199254740991' },
      { id: '1b4e28ba-2fa1-11d2-883f-0016d3cca427', ok: 'true', value: '2.5', cost: '1263600' },
      { id: '0190a0b0-c0d0-7123-8123-00000000abcd', ok: 'true', value: '3', cost: null },
    ]);
    expect(() => new BinaryRows().uuidText('1b4e28ba-2fa1-11d2-883f')).toThrow(/invalid uuid/);
    expect(() => new BinaryRows().uuidText('1b4e28ba-2fa1-11d2-883f-0016d3cca4zz')).toThrow(/hexadecimal/);
    expect(() => new BinaryRows().int8(1.5)).toThrow(/safe integer/);
  });

  it('copies a batch larger than Node’s buffer pool (moved to the embedded database’s thread, not copied)', async () => {
    await sql`create table many_rows (n integer, name text)`.execute(database.db);
    const rows = new BinaryRows();
    for (let n = 0; n < 5000; n++) {
      rows.row(2);
      rows.int4(n);
      rows.text(`Lò Văn ${n}`);
    }
    const bytes = rows.bytes();
    expect(bytes.byteLength).toBeGreaterThan(Buffer.poolSize);
    await database.bulk.copyBinary('many_rows', ['n', 'name'], bytes);
    // the embedded database's worker took the buffer over
    if (database.engine === 'pglite') expect(bytes.byteLength).toBe(0);
    const r = await sql<{ count: string; sum: string; last: string }>`
      select count(*)::text as count, sum(n)::text as sum, max(name) filter (where n = 4999) as last from many_rows`.execute(database.db);
    expect(r.rows[0]).toEqual({ count: '5000', sum: String((4999 * 5000) / 2), last: 'Lò Văn 4999' });
  });

  it('writes rows frozen into a table emptied in the same transaction, and the database refuses it otherwise', async () => {
    await sql`create table frozen_rows (n integer)`.execute(database.db);
    const rows = (...ns: number[]) => {
      const r = new BinaryRows();
      for (const n of ns) {
        r.row(1);
        r.int4(n);
      }
      return r.bytes();
    };
    await database.session((session) =>
      session.db.transaction().execute(async (trx) => {
        await sql`truncate frozen_rows`.execute(trx);
        await session.copyBinary('frozen_rows', ['n'], rows(1, 2), { freeze: true });
      }),
    );
    // the option reaches the database: without the TRUNCATE, PostgreSQL refuses FREEZE
    await expect(
      database.session((session) => session.db.transaction().execute(() => session.copyBinary('frozen_rows', ['n'], rows(3), { freeze: true }))),
    ).rejects.toThrow(/FREEZE/);
    const r = await sql<{ n: number }>`select n from frozen_rows order by n`.execute(database.db);
    expect(r.rows.map((x) => x.n)).toEqual([1, 2]);
  });
});

describe('BinaryRows text fields', () => {
  /** The bytes of one text field as BinaryRows writes it (after the header and the field count). */
  const encoded = (value: string) => {
    const rows = new BinaryRows();
    rows.row(1);
    rows.text(value);
    const bytes = Buffer.from(rows.bytes());
    const length = bytes.readInt32BE(21);
    return bytes.subarray(25, 25 + length);
  };

  it('encodes UTF-8 as Buffer does: one-, two-, three- and four-byte characters, and U+FFFD for a lone surrogate', () => {
    for (const value of ['', 'abc', 'Đặng Thị Ánh', 'Hà Giang – Tày 🙂 ok', '€', '\u07ff\u0800\uffff', 'a\ud800b', 'x\udc00', '\ud83d', '😀😀', 'end\ud83d']) {
      expect(encoded(value).equals(Buffer.from(value, 'utf8')), JSON.stringify(value)).toBe(true);
    }
    // every code unit, in pairs with its neighbour (surrogates both paired and alone)
    const all = Array.from({ length: 0x10000 }, (_, i) => String.fromCharCode(i)).join('');
    expect(encoded(all).equals(Buffer.from(all, 'utf8'))).toBe(true);
  });
});
