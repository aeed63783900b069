import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app';
import { engineName, makeUser, testDatabase, type TestDatabase } from '../../test/db';
import { CANONICAL_COLUMNS, TEMPLATE_HEADERS_VI } from '../../domain/register-row';
import { readXlsxRows } from '../../io/excel';
import { Readable } from 'node:stream';
import { randomUUID } from 'node:crypto';
import { insertImportJob } from './import-jobs.repository';
import { markInterruptedImports } from './import-jobs';

let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
beforeAll(async () => {
  t = await testDatabase();
  app = await buildApp({ database: t, webDist: false });
});
afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

function multipart(fileName: string, content: string) {
  const boundary = '----coverdesk' + Math.random().toString(16).slice(2);
  const body =
    `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: text/csv\r\n\r\n` +
    content +
    `\r\n--${boundary}--\r\n`;
  return { payload: Buffer.from(body), headers: { 'content-type': `multipart/form-data; boundary=${boundary}` } };
}

async function waitForJob(id: string, headers: Record<string, string>) {
  for (let i = 0; i < 200; i++) {
    const res = await app.inject({ url: `/api/register/imports/${id}`, headers });
    const job = res.json();
    if (job.status === 'done' || job.status === 'failed') return job;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('import did not finish');
}

describe(`import over HTTP (${engineName})`, () => {
  it('uploads a file, reports progress and the result, and serves the error report', async () => {
    const u = await makeUser(t, 'commune_officer', '02905');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    const headers = { cookie: `cd_session=${login.cookies[0].value}`, 'x-csrf-token': login.json().csrfToken };
    // the Vietnamese template's headings: the error report names columns by them
    const csv = [
      CANONICAL_COLUMNS.map((c) => TEMPLATE_HEADERS_VI[c]).join(','),
      'W01,02905,Thôn Trung Tâm,,,Nguyễn Văn Tư,chủ hộ,01/02/1970,nam,,,Kinh,,GD,GD,01/01/2025,31/12/2025',
      'W01,02905,Thôn Trung Tâm,,,Nguyễn Thị Năm,vợ,01/02/1972,khác,,,Kinh,,GD,,,',
    ].join('\n');

    const strict = multipart('danh-sach.csv', csv);
    const started = await app.inject({ method: 'POST', url: '/api/register/imports', payload: strict.payload, headers: { ...headers, ...strict.headers } });
    expect(started.statusCode).toBe(202);
    const job = await waitForJob(started.json().id, headers);
    expect(job.status).toBe('done');
    expect(job.report).toMatchObject({ rows: 2, inserted: 0, rejected: 1, rolledBack: true });
    expect(job.report.errors).toEqual([{ row: 3, column: 'sex', value: 'khác', message: 'Giới tính phải là Nam hoặc Nữ' }]);

    const xlsx = await app.inject({ url: `/api/register/imports/${job.id}/errors?format=xlsx`, headers });
    expect(xlsx.headers['content-type']).toContain('spreadsheetml');
    const rows = [];
    for await (const r of readXlsxRows(Readable.from(xlsx.rawPayload))) rows.push(r);
    expect(rows).toEqual([
      ['BÁO CÁO LỖI NHẬP DANH SÁCH: danh-sach.csv'],
      [expect.stringMatching(/^Ngày \d{2}\/\d{2}\/\d{4} · 1 lỗi$/)],
      ['Dòng', 'Cột', 'Giá trị', 'Lỗi'],
      [3, TEMPLATE_HEADERS_VI.sex, 'khác', 'Giới tính phải là Nam hoặc Nữ'],
    ]);
    const csvReport = await app.inject({ url: `/api/register/imports/${job.id}/errors?format=csv`, headers });
    expect(csvReport.body.startsWith('\uFEFFDòng,Cột,Giá trị,Lỗi')).toBe(true);

    const lenient = multipart('danh-sach.csv', csv);
    const second = await app.inject({ method: 'POST', url: '/api/register/imports?validRowsOnly=true', payload: lenient.payload, headers: { ...headers, ...lenient.headers } });
    const done = await waitForJob(second.json().id, headers);
    expect(done.report).toMatchObject({ inserted: 1, rejected: 1, rolledBack: false });

    const other = await makeUser(t, 'commune_officer', '02680');
    const otherLogin = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: other.username, password: other.password } });
    const peek = await app.inject({ url: `/api/register/imports/${job.id}`, headers: { cookie: `cd_session=${otherLogin.cookies[0].value}` } });
    expect(peek.statusCode).toBe(404);
  });

  it('keeps the end state of a job across a restart, and shows a job a crash interrupted as rolled back (issue 16)', async () => {
    const u = await makeUser(t, 'commune_officer', '02905');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    const headers = { cookie: `cd_session=${login.cookies[0].value}`, 'x-csrf-token': login.json().csrfToken };
    const file = multipart('mot-dong.csv', [CANONICAL_COLUMNS.join(','), 'R01,02905,,,,Lò Văn Khởi,chủ hộ,01/02/1970,nam,,,Thái,,GD,,,'].join('\n'));
    const started = await app.inject({ method: 'POST', url: '/api/register/imports', payload: file.payload, headers: { ...headers, ...file.headers } });
    const job = await waitForJob(started.json().id, headers);
    expect(job.report).toMatchObject({ rows: 1, inserted: 1, rejected: 0, rolledBack: false });

    // a job left running by a server that died: its row says 'running' until the next start marks it
    const crashed = randomUUID();
    await insertImportJob(t.db, { id: crashed, ownerId: u.user.id, fileName: 'lon.xlsx', status: 'running', dryRun: false, validRowsOnly: false, startedAt: new Date() });
    expect(await markInterruptedImports(t.db)).toBe(1);

    // the restarted server has no job in memory
    const restarted = await buildApp({ database: t, webDist: false });
    try {
      const again = await restarted.inject({ url: `/api/register/imports/${job.id}`, headers });
      expect(again.statusCode).toBe(200);
      expect(again.json()).toMatchObject({ id: job.id, fileName: 'mot-dong.csv', status: 'done', report: { rows: 1, inserted: 1, updated: 0, unchanged: 0, rejected: 0, rolledBack: false } });
      const lost = await restarted.inject({ url: `/api/register/imports/${crashed}`, headers });
      expect(lost.statusCode).toBe(200);
      expect(lost.json()).toMatchObject({
        id: crashed,
        fileName: 'lon.xlsx',
        status: 'failed',
        error: { code: 'import_interrupted', message: 'Lần nhập này bị gián đoạn (máy chủ đã dừng giữa chừng) và đã được hoàn tác: không dòng nào được ghi. Hãy nhập lại tệp' },
      });
      const en = await restarted.inject({ url: `/api/register/imports/${crashed}`, headers: { ...headers, cookie: `${headers.cookie}; cd_lang=en` } });
      expect(en.json().error.message).toMatch(/^This import was interrupted .* rolled back: nothing was written/);
      // someone else's job stays invisible
      const other = await makeUser(t, 'commune_officer', '02905');
      const otherLogin = await restarted.inject({ method: 'POST', url: '/api/auth/login', payload: { username: other.username, password: other.password } });
      const theirs = await restarted.inject({ url: `/api/register/imports/${crashed}`, headers: { cookie: `cd_session=${otherLogin.cookies[0].value}` } });
      expect(theirs.statusCode).toBe(404);
    } finally {
      await restarted.close();
    }
  });

  it('takes ?lang= on the upload, as the API docs say: refusals and the report in that language (issue 18)', async () => {
    const u = await makeUser(t, 'commune_officer', '02905');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    const headers = { cookie: `cd_session=${login.cookies[0].value}`, 'x-csrf-token': login.json().csrfToken };
    const pdf = multipart('scan.pdf', '%PDF-1.4');
    const refused = await app.inject({ method: 'POST', url: '/api/register/imports?lang=en', payload: pdf.payload, headers: { ...headers, ...pdf.headers } });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().error.fields[0]).toMatchObject({ path: 'file', message: 'Only .xlsx or .csv files' });

    const file = multipart('sai.csv', [CANONICAL_COLUMNS.join(','), 'L01,02905,,,,Lò Văn Long,chủ hộ,01/02/1970,khác,,,Thái,,GD,,,'].join('\n'));
    const started = await app.inject({ method: 'POST', url: '/api/register/imports?dryRun=true&lang=en', payload: file.payload, headers: { ...headers, ...file.headers } });
    expect(started.statusCode).toBe(202);
    const job = await waitForJob(started.json().id, headers);
    expect(job.report.errors).toEqual([{ row: 2, column: 'sex', value: 'khác', message: 'Sex must be male or female (nam/nữ)' }]);
    const csvReport = await app.inject({ url: `/api/register/imports/${job.id}/errors?format=csv&lang=en`, headers });
    expect(csvReport.statusCode).toBe(200);
    expect(csvReport.body.startsWith('\uFEFF')).toBe(true);
    expect(csvReport.body).toContain('Sex must be male or female');
  });

  it('refuses a file that is not .xlsx or .csv, and viewers', async () => {
    const u = await makeUser(t, 'province_staff', '15');
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: u.username, password: u.password } });
    const headers = { cookie: `cd_session=${login.cookies[0].value}`, 'x-csrf-token': login.json().csrfToken };
    const pdf = multipart('scan.pdf', '%PDF-1.4');
    const res = await app.inject({ method: 'POST', url: '/api/register/imports', payload: pdf.payload, headers: { ...headers, ...pdf.headers } });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.fields[0]).toMatchObject({ path: 'file', message: 'Chỉ nhận tệp .xlsx hoặc .csv' });
    const v = await makeUser(t, 'viewer', '15');
    const vl = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username: v.username, password: v.password } });
    const file = multipart('a.csv', 'x');
    const refused = await app.inject({ method: 'POST', url: '/api/register/imports', payload: file.payload, headers: { cookie: `cd_session=${vl.cookies[0].value}`, 'x-csrf-token': vl.json().csrfToken, ...file.headers } });
    expect(refused.statusCode).toBe(403);
  });
});
