/** The programme CLI on both engines: create, status, donor, pledge, receipt, refund, ledger, with --json and in Vietnamese. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../errors';
import { engineName, testDatabase, type TestDatabase } from '../../../test/db';
import { runCli } from '../../../test/helpers';
import { registerMoneyCommands } from '../money/money.cli';
import { parseAmount, parsePriorities, registerProgrammeCommands } from './programme.cli';

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
    },
    args,
  );

describe(`programme CLI (${engineName})`, () => {
  it('parses amounts and priorities the way people type them', () => {
    expect(parseAmount('1.263.600')).toBe(1_263_600);
    expect(parseAmount('1263600')).toBe(1_263_600);
    expect(() => parseAmount('12,5 triệu')).toThrow(AppError);
    expect(parsePriorities('ethnic_minority=3, pupil=2')).toEqual({ ethnic_minority: 3, pupil: 2 });
    expect(parsePriorities('storm_victim,pupil')).toEqual(['storm_victim', 'pupil']);
  });

  it('creates a programme, moves it, records a donor, pledge, receipt and refund, and prints the ledger', async () => {
    const created = await run(['programme', 'create', '--name', 'Tặng thẻ BHYT Tết 2026', '--owner', '15', '--months', '12', '--purchase-date', '2025-11-01', '--deadline', '2025-11-30', '--priorities', 'ethnic_minority=3,pupil=2', '--json']);
    const p = created.json[0] as { id: string; status: string; priorities: unknown; areaCodes: string[] };
    expect(p).toMatchObject({ status: 'draft', priorities: { ethnic_minority: 3, pupil: 2 }, areaCodes: ['15'] });
    // without --yes: says what it would do, exits non-zero, changes nothing
    const unconfirmed = await run(['programme', 'status', p.id, 'raising']).catch((e: AppError) => e);
    expect(unconfirmed).toBeInstanceOf(AppError);
    expect((unconfirmed as AppError).code).toBe('confirmation_required');
    expect((unconfirmed as AppError).fields.map((f) => f.path)).toEqual(['--yes']);
    expect((await t.db.selectFrom('programme').select('status').where('id', '=', p.id).executeTakeFirstOrThrow()).status).toBe('draft');
    expect((await run(['programme', 'status', p.id, 'raising', '--yes'])).printed).toEqual(['Cần xác nhận việc chuyển trạng thái chương trình', `Chương trình ${p.id}: Nháp → Đang vận động`]);

    const donor = (await run(['donor', 'add', '--owner', '15', '--name', 'Công ty ABC', '--kind', 'business', '--public', '--json'])).json[0] as { id: string };
    const pledge = (await run(['pledge', 'add', '--programme', p.id, '--donor', donor.id, '--amount', '50.000.000', '--date', '2025-10-01', '--json'])).json[0] as { id: string };
    const receiptArgs = ['receipt', 'add', '--programme', p.id, '--donor', donor.id, '--pledge', pledge.id, '--amount', '32.800.000', '--date', '2025-10-05', '--reference', 'UNC 1'];
    const notYet = await run(receiptArgs).catch((e: AppError) => e);
    expect((notYet as AppError).code).toBe('confirmation_required');
    expect((notYet as AppError).params.details).toEqual({ action: 'receipt', count: 1, amount: 32_800_000, moneyMoves: true });
    expect(await t.db.selectFrom('ledgerEntry').select('id').where('programmeId', '=', p.id).execute()).toEqual([]);
    const receipt = await run([...receiptArgs, '--yes']);
    expect(receipt.printed[0]).toBe('Cần xác nhận khoản tiền nhận 32.800.000 ₫');
    expect(receipt.printed[1]).toMatch(/^Đã ghi khoản thu 32\.800\.000 ₫ \(/);
    const receipts = await t.db.selectFrom('receipt').select('id').where('programmeId', '=', p.id).execute();
    const refused = await run(['refund', 'add', '--programme', p.id, '--receipt', receipts[0].id, '--amount', '40.000.000', '--yes']).catch((e: AppError) => e);
    expect(refused).toBeInstanceOf(AppError);
    expect((refused as AppError).fields.map((f) => f.path)).toEqual(['amount']);
    await run(['refund', 'add', '--programme', p.id, '--receipt', receipts[0].id, '--amount', '800.000', '--date', '2025-10-09', '--reason', 'Nộp thừa', '--yes']);

    const ledger = await run(['ledger', '--programme', p.id]);
    expect(ledger.printed[0]).toBe('Cam kết 50.000.000 ₫; đã nhận 32.800.000 ₫; hoàn trả 800.000 ₫; cam kết cho thẻ 0 ₫; đã nộp BHXH 0 ₫; còn 32.000.000 ₫');
    expect(ledger.printed).toHaveLength(5);
    const json = (await run(['ledger', '--programme', p.id, '--json'])).json[0] as { entries: { amount: number }[] };
    expect(json.entries.reduce((s, e) => s + e.amount, 0)).toBe(0);

    const list = await run(['programme', 'list']);
    expect(list.printed.find((l) => l.startsWith(p.id))).toContain('Đã nhận 32.800.000 ₫ | Đã dùng 0 ₫ | Còn lại 32.000.000 ₫');
    const shown = await run(['programme', 'show', p.id]);
    expect(shown.printed[0]).toBe(`Tặng thẻ BHYT Tết 2026 (${p.id})`);
    expect(shown.printed.some((l) => l.includes('Nháp → Đang vận động'))).toBe(true);
  });
});
