/**
 * `coverdesk transfer`: the printed table and verdict, a refused target, and the embedded folder held by
 * a running server. The copies need TEST_DATABASE_URL; the lock test does not.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Command } from 'commander';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'kysely';
import { dropSchema, openDb, type Database } from '../../db/connect';
import { DataDirInUseError, lockFile } from '../../db/data-dir-lock';
import { createContext } from '../../cli/context';
import { MIGRATED_DUMP } from '../../test/paths';
import { TEST_DATABASE_URL, system } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { createHousehold } from '../register/register.service';
import { printableUrl, registerTransferCommands } from './transfer.cli';

const url = TEST_DATABASE_URL;

describe.skipIf(!url)('coverdesk transfer', () => {
  let source: Database;
  const schemas: string[] = [];
  const fresh = () => {
    const schema = `t_${randomBytes(6).toString('hex')}`;
    schemas.push(schema);
    return schema;
  };
  beforeAll(async () => {
    source = await openDb({ loadFrom: new Uint8Array(fs.readFileSync(MIGRATED_DUMP)) });
    await createHousehold(source.db, system, { communeCode: '02905', code: 'HO-CLI-1' });
  });
  afterAll(async () => {
    await source?.close();
    for (const s of schemas) await dropSchema(url!, s);
    process.exitCode = undefined;
  });

  it('prints every table with its rows on both sides and the verdict, and refuses the same target a second time', async () => {
    const schema = fresh();
    const { printed } = await runCli(source, registerTransferCommands, ['transfer', '--to', url!, '--schema', schema], { lang: 'en' });
    expect(printed[0]).toBe('Table | Source | Target');
    expect(printed).toContain('household | 1 | 1 | same');
    expect(printed.find((l) => l.startsWith('unit | '))).toMatch(/^unit \| 3,355 \| 3,355 \| same$/);
    expect(printed.at(-1)).toMatch(new RegExp(`^The copy is equal to the source: \\d+ tables, [\\d,]+ rows, ledger 0 ₫ over 0 accounts\\. Committed to .* \\(schema ${schema}\\) \\(migration \\d{4}_\\w+\\)\\.$`));
    expect(process.exitCode ?? 0).toBe(0);

    const again = await failure(runCli(source, registerTransferCommands, ['transfer', '--to', url!, '--schema', schema], { lang: 'vi' }));
    expect(again.code).toBe('transfer_target_not_empty');
    // the tables with rows first
    expect(String(again.params.relations)).toMatch(/^audit_log \(2\), commune_mapping \(10599\), household \(1\), kysely_migration \(\d+\), kysely_migration_lock \(1\), unit \(3355\), api_token \(0\), .*, \+\d+$/);
  });

  it('reports as JSON, and merges a commune into a server that has not held it', async () => {
    const schema = fresh();
    const province = await openDb({ databaseUrl: url, schema });
    try {
      await createHousehold(province.db, system, { communeCode: '02908', code: 'HO-PROVINCE-1' });
    } finally {
      await province.close();
    }
    const { json } = await runCli(source, registerTransferCommands, ['transfer', '--to', url!, '--schema', schema, '--commune', '02905', '--json'], { lang: 'en' });
    expect(json[0]).toMatchObject({ communes: ['02905'], committed: true, differences: [], leftBehind: [] });
    expect((json[0]!.tables as { table: string; source: number; target: number }[]).find((t) => t.table === 'household')).toMatchObject({ source: 1, target: 1 });
    const check = await openDb({ databaseUrl: url, schema, migrate: false });
    try {
      const { rows } = await sql<{ code: string }>`select code from household order by code`.execute(check.db);
      expect(rows.map((r) => r.code)).toEqual(['HO-CLI-1', 'HO-PROVINCE-1']);
    } finally {
      await check.close();
    }
  });
});

describe('coverdesk transfer, without a server', () => {
  it('refuses while the coverdesk server holds the embedded database, before touching the target', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-transfer-'));
    const before = process.env.COVERDESK_DATA_DIR;
    try {
      // the parent process stands for a running server (alive, not this process)
      fs.writeFileSync(lockFile(dir), JSON.stringify({ pid: process.ppid, role: 'server', port: 3000 }));
      process.env.COVERDESK_DATA_DIR = dir;
      const program = new Command('coverdesk').exitOverride();
      registerTransferCommands(program, () => createContext('en'));
      const e = await program.parseAsync(['node', 'coverdesk', 'transfer', '--to', 'postgres://nobody@127.0.0.1:1/none']).then(
        () => undefined,
        (err: unknown) => err,
      );
      expect(e).toBeInstanceOf(DataDirInUseError);
      expect((e as Error).message).toContain(`The coverdesk server (pid ${process.ppid}, http://localhost:3000) is using the embedded database in ${dir}`);
    } finally {
      if (before === undefined) delete process.env.COVERDESK_DATA_DIR;
      else process.env.COVERDESK_DATA_DIR = before;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a target that is not a postgres:// URL, and keeps passwords out of what it prints', async () => {
    const source = { db: undefined } as unknown as Database;
    const e = await failure(runCli(source, registerTransferCommands, ['transfer', '--to', '/var/lib/data']));
    expect(e.fields).toEqual([{ path: 'to', key: 'invalid_format' }]);
    expect(printableUrl('postgres://coverdesk:s3cret@db.tinh.vn:5432/coverdesk')).toBe('postgres://coverdesk@db.tinh.vn:5432/coverdesk');
    expect(printableUrl('postgres://db.tinh.vn/coverdesk', 'commune_a')).toBe('postgres://db.tinh.vn/coverdesk (schema commune_a)');
  });
});
