/** The bank CLI on both engines: account, pledge with reference and VietQR, statement import twice, lines, match, undo, report. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engineName, testDatabase, type TestDatabase } from '../../../test/db';
import { runCli } from '../../../test/helpers';
import { registerMoneyCommands } from '../money/money.cli';
import { registerProgrammeCommands } from '../programme/programme.cli';
import { readEmv } from '../../../domain/vietqr';
import { registerBankCommands } from './bank.cli';
import { readRows } from '../../../io/rows';

let t: TestDatabase;
beforeAll(async () => {
  t = await testDatabase();
});
afterAll(async () => {
  await t?.cleanup();
});

const run = (args: string[]) =>
  runCli(
    t,
    (program, ctx) => {
      registerProgrammeCommands(program, ctx);
      registerMoneyCommands(program, ctx);
      registerBankCommands(program, ctx);
    },
    args,
  );

describe(`bank CLI (${engineName})`, () => {
  it('adds an account, gives a pledge its VietQR, imports a statement idempotently, matches, undoes and reports balanced', async () => {
    const p = (await run(['programme', 'create', '--name', 'Chuyển khoản CLI', '--owner', '15', '--months', '12', '--purchase-date', '2025-11-01', '--deadline', '2025-12-31', '--json'])).json[0] as { id: string };
    const account = (await run(['bank-account', 'add', '--programme', p.id, '--bin', '970422', '--account', '0123456789', '--name', 'UBND TINH LAO CAI', '--json'])).json[0] as { id: string; bankName: string };
    expect(account.bankName).toBe('MB Bank');
    const donor = (await run(['donor', 'add', '--owner', '15', '--name', 'Hoàng Văn Em', '--json'])).json[0] as { id: string };
    const pledge = (await run(['pledge', 'add', '--programme', p.id, '--donor', donor.id, '--amount', '1.000.000', '--date', '2025-11-02', '--json'])).json[0] as { id: string; reference: string; vietqr: string };
    expect(pledge.reference).toMatch(/^CD[34679ACEFGHKMNPRTWXY]{6}$/);
    const qr = readEmv(pledge.vietqr);
    expect(qr.crcValid).toBe(true);
    expect(qr.fields['62'].sub!['08'].value).toBe(pledge.reference);
    expect(qr.fields['38'].sub!['01'].sub!['00'].value).toBe('970422');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bank-cli-'));
    const file = path.join(dir, 'mb.csv');
    fs.writeFileSync(
      file,
      [
        'Ngày giao dịch,Số bút toán,Số tiền ghi nợ,Số tiền ghi có,Nội dung,Tên TK đối ứng',
        `10/11/2025,FT1,,1.000.000,"MBVCB.9981.IBFT.${pledge.reference.toLowerCase()}.HOANG VAN EM",HOANG VAN EM`,
        '10/11/2025,FT2,,250.000,UNG HO,NGUYEN THI F',
      ].join('\n'),
    );
    const first = (await run(['bank-statement', 'import', file, '--programme', p.id, '--json'])).json[0];
    expect(first).toMatchObject({ layout: 'mb', lines: 2, new: 2, duplicates: 0, matched: 1, unmatched: 1 });
    const second = (await run(['bank-statement', 'import', file, '--programme', p.id, '--json'])).json[0];
    expect(second).toMatchObject({ lines: 2, new: 0, duplicates: 2, matched: 0 });
    const report = (await run(['bank-statement', 'report', '--programme', p.id, '--json'])).json[0];
    expect(report).toMatchObject({ total: 1_250_000, matched: 1_000_000, unmatched: 250_000, balanced: true });
    const xlsx = path.join(dir, 'report.xlsx');
    await run(['bank-statement', 'report', '--programme', p.id, '--xlsx', xlsx, '--json']);
    const rows: unknown[][] = [];
    for await (const row of readRows(xlsx, 'xlsx')) rows.push(row);
    expect(rows.at(-1)).toEqual([null, 2, 1_250_000, 1_000_000, 250_000]);
    expect(rows.at(-2)?.slice(1)).toEqual([2, 1_250_000, 1_000_000, 250_000]);
    const printed = (await run(['bank-statement', 'report', '--programme', p.id])).printed;
    expect(printed.at(-1)).toBe('Cộng: 1.250.000 ₫ = 1.000.000 ₫ + 250.000 ₫ (khớp)');

    const lines = (await run(['bank-statement', 'lines', '--programme', p.id, '--json'])).json[0] as unknown as { id: string; transactionId: string; matches: { id: string }[] }[];
    const matched = lines.find((l) => l.transactionId === 'FT1')!;
    const undone = (await run(['bank-statement', 'undo', '--programme', p.id, '--match', matched.matches[0].id, '--yes', '--json'])).json[0] as { undoneAt: string | null };
    expect(undone.undoneAt).not.toBeNull();
    expect((await run(['bank-statement', 'report', '--programme', p.id, '--json'])).json[0]).toMatchObject({ matched: 0, unmatched: 1_250_000, balanced: true });
    // matched again by reference
    expect((await run(['bank-statement', 'reconcile', '--programme', p.id, '--json'])).json[0]).toMatchObject({ matched: 1 });
    const ledger = (await run(['ledger', '--programme', p.id, '--json'])).json[0] as { balance: { received: number } };
    expect(ledger.balance.received).toBe(1_000_000);
  });
});
