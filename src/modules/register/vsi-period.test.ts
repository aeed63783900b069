import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { CANONICAL_COLUMNS } from '../../domain/register-row';
import { buildApp } from '../../http/app';
import { readAudit } from '../audit/audit.service';
import { importRegister } from './import.service';
import { registerRegisterCommands } from './register.cli';
import * as register from './register.service';

const TODAY = '2025-10-01';
let t: TestDatabase;
let dir: string;

const ROWS = [
  'A01,02905,Thôn Phú Lâm,Số 1,,Nguyễn Văn An,chủ hộ,12/03/1980,nam,010080001234,,Kinh,,,,,',
  'A01,02905,Thôn Phú Lâm,Số 1,,Trần Thị Bình,vợ,20/07/1985,nữ,,0101234567,Kinh,,,,,',
  'B01,02680,Bản Một,,,Lý Văn Em,chủ hộ,01/01/1980,nam,,,Giáy,,,,,',
];
const personId = async (fullName: string) => (await t.db.selectFrom('person').select('id').where('fullName', '=', fullName).executeTakeFirstOrThrow()).id;
const good = { validFrom: '2025-09-01', validTo: '2025-11-30', monthlyIncome: 2_000_000, paymentMonths: 3 };

beforeAll(async () => {
  t = await testDatabase();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'coverdesk-vsi-'));
  const file = path.join(dir, 'register.csv');
  fs.writeFileSync(file, [CANONICAL_COLUMNS.slice(0, 17).join(','), ...ROWS].join('\n'));
  expect(await importRegister(t, system, { path: file }, { today: TODAY })).toMatchObject({ inserted: ROWS.length, rejected: 0 });
});
afterAll(async () => {
  await t?.cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe(`voluntary social insurance periods in the register (${engineName})`, () => {
  it('a commune officer records a period: stored as manual, audited, shown on the household page under the cards', async () => {
    const { actor } = await makeUser(t, 'commune_officer', '02905');
    const an = await personId('Nguyễn Văn An');
    const period = await register.createVsiPeriod(t.db, actor, { personId: an, ...good });
    expect(period).toMatchObject({ personId: an, source: 'manual', monthlyIncome: 2_000_000, paymentMonths: 3 });
    const page = await register.getHousehold(t.db, actor, period.householdId);
    const member = page.members.find((m) => m.id === an)!;
    expect(member.vsiPeriods).toEqual([{ id: period.id, validFrom: '2025-09-01', validTo: '2025-11-30', monthlyIncome: 2_000_000, paymentMonths: 3, source: 'manual' }]);
    const [row] = await readAudit(t.db, system, { entity: 'vsi_period', entityId: period.id });
    expect(row).toMatchObject({ action: 'create', unitCode: '02905' });
    // an overlapping period of the same person is a conflict; the next quarter is fine
    expect((await failure(register.createVsiPeriod(t.db, actor, { personId: an, ...good, validFrom: '2025-11-01', validTo: '2026-01-31' }))).code).toBe('conflict');
    await register.createVsiPeriod(t.db, actor, { personId: an, ...good, validFrom: '2025-12-01', validTo: '2026-02-28' });
    expect((await register.listVsiPeriods(t.db, actor, { personId: an })).map((p) => p.validFrom)).toEqual(['2025-12-01', '2025-09-01']);
  });

  it('refuses an income out of range (naming both amounts), a payment period other than 1/3/6/12, dates in the wrong order; nothing written', async () => {
    const binh = await personId('Trần Thị Bình');
    const low = await failure(register.createVsiPeriod(t.db, system, { personId: binh, ...good, monthlyIncome: 1_000_000 }));
    expect(low.fields).toEqual([expect.objectContaining({ path: 'monthlyIncome', key: 'vsi_income_below_floor', params: expect.objectContaining({ floor: '1.500.000 ₫', ceiling: '46.800.000 ₫' }) })]);
    const high = await failure(register.createVsiPeriod(t.db, system, { personId: binh, ...good, monthlyIncome: 50_000_000 }));
    expect(high.fields.map((f) => f.key)).toEqual(['vsi_income_above_ceiling']);
    const both = await failure(register.createVsiPeriod(t.db, system, { personId: binh, ...good, paymentMonths: 2, validTo: '2025-08-01' }));
    expect(both.fields.map((f) => `${f.path}:${f.key}`)).toEqual(['validTo:vsi_dates_order', 'paymentMonths:vsi_payment_period']);
    expect(await register.listVsiPeriods(t.db, system, { personId: binh })).toEqual([]);
  });

  it('keeps another commune out: 404 for its person and period, nothing changed', async () => {
    const em = await personId('Lý Văn Em');
    const period = await register.createVsiPeriod(t.db, system, { personId: em, ...good });
    const { actor } = await makeUser(t, 'commune_officer', '02905');
    expect((await failure(register.createVsiPeriod(t.db, actor, { personId: em, ...good, validFrom: '2026-01-01', validTo: '2026-01-31', paymentMonths: 1 }))).code).toBe('not_found');
    expect((await failure(register.listVsiPeriods(t.db, actor, { personId: em }))).code).toBe('not_found');
    expect((await failure(register.deleteVsiPeriod(t.db, actor, period.id))).code).toBe('not_found');
    const viewer = (await makeUser(t, 'viewer', '02680')).actor;
    expect((await failure(register.deleteVsiPeriod(t.db, viewer, period.id))).code).toBe('forbidden');
    expect(await register.listVsiPeriods(t.db, system, { personId: em })).toHaveLength(1);
  });

  it('deletes a period (audited); deleting a person takes their periods', async () => {
    const em = await personId('Lý Văn Em');
    const [period] = await register.listVsiPeriods(t.db, system, { personId: em });
    await register.deleteVsiPeriod(t.db, system, period.id);
    expect(await register.listVsiPeriods(t.db, system, { personId: em })).toEqual([]);
    expect((await readAudit(t.db, system, { entity: 'vsi_period', entityId: period.id }))[0]).toMatchObject({ action: 'delete' });
    await register.createVsiPeriod(t.db, system, { personId: em, ...good });
    await register.deletePerson(t.db, system, em);
    expect(await t.db.selectFrom('vsiPeriod').select('id').where('personId', '=', em).execute()).toEqual([]);
  });

  it('CLI: vsi add, list (--json) and a refusal in the user language', async () => {
    const binh = await personId('Trần Thị Bình');
    const added = await runCli(t, registerRegisterCommands, ['vsi', 'add', '--person', binh, '--from', '2025-10-01', '--to', '2026-09-30', '--income', '1500000', '--months', '12', '--json']);
    expect(added.json[0]).toMatchObject({ personId: binh, paymentMonths: 12, monthlyIncome: 1_500_000 });
    const listed = await runCli(t, registerRegisterCommands, ['vsi', 'list', '--person', binh]);
    expect(listed.printed.join('\n')).toContain('01/10/2025 – 30/09/2026');
    const e = await failure(runCli(t, registerRegisterCommands, ['vsi', 'add', '--person', binh, '--from', '2026-10-01', '--to', '2026-10-31', '--income', '900000']));
    expect(e.fields[0]).toMatchObject({ path: 'monthlyIncome', key: 'vsi_income_below_floor' });
  });
});

describe(`voluntary social insurance periods over HTTP (${engineName})`, () => {
  let app: Awaited<ReturnType<typeof buildApp>>;
  beforeAll(async () => {
    app = await buildApp({ database: t, webDist: false });
    await app.ready();
  });
  afterAll(async () => {
    await app?.close();
  });

  it('add, list and delete as a commune officer; errors in the user language with the field', async () => {
    const u = await makeUser(t, 'commune_officer', '02905');
    const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    const headers = { cookie: `cd_session=${res.cookies.find((c) => c.name === 'cd_session')!.value}`, 'x-csrf-token': res.json().csrfToken as string };
    const an = await personId('Nguyễn Văn An');
    const bad = await app.inject({ method: 'POST', url: '/api/register/vsi-periods?lang=en', headers, payload: { personId: an, ...good, validFrom: '2027-01-01', validTo: '2027-03-31', monthlyIncome: 100_000_000 } });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().error.fields).toEqual([
      { path: 'monthlyIncome', message: 'The monthly income 100.000.000 ₫ is over the highest, 50.600.000 ₫ (20 times the base salary on 01/01/2027); the lowest is 1.500.000 ₫' },
    ]);
    const badVi = await app.inject({ method: 'POST', url: '/api/register/vsi-periods?lang=vi', headers, payload: { personId: an, ...good, validFrom: '2027-01-01', validTo: '2027-03-31', paymentMonths: 5 } });
    expect(badVi.json().error.fields).toEqual([{ path: 'paymentMonths', message: 'Phương thức đóng phải là 1, 3, 6, 12 tháng một lần (nhận được 5)' }]);
    const created = await app.inject({ method: 'POST', url: '/api/register/vsi-periods', headers, payload: { personId: an, ...good, validFrom: '2027-01-01', validTo: '2027-03-31' } });
    expect(created.statusCode).toBe(201);
    const listed = await app.inject({ url: `/api/register/vsi-periods?personId=${an}`, headers });
    expect(listed.json().items.map((p: { validFrom: string }) => p.validFrom)).toContain('2027-01-01');
    const deleted = await app.inject({ method: 'DELETE', url: `/api/register/vsi-periods/${created.json().id}`, headers });
    expect(deleted.statusCode).toBe(204);
  });
});
