/**
 * Plans (issue 21 items 1-4), on both engines: overdue and at-risk derived from hand-set figures (a small
 * register, then reported figures), the cascade of a provincial plan to commune plans, sub-tasks, the task
 * table's export and import (round trip, a missing column named with its row), bad input changing nothing,
 * who sees what (a commune officer only their commune's plans and tasks), notes, evidence files, the
 * audit, the CLI's JSON and the status report (PDF under the national motto, .xlsx).
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../http/app';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../test/db';
import { failure, runCli } from '../../test/helpers';
import { pdfText } from '../../io/pdf-text';
import { translator } from '../../i18n/index';
import type { Actor } from '../../domain/access';
import { setFigures } from '../coverage/figures.service';
import { createCard, createVsiPeriod } from '../register/register.service';
import { outreachFixture, type OutreachFixture } from '../outreach/outreach.fixture';
import { registerPlanCommands } from './plans.cli';
import { planReportPdf, planReportWorkbook } from './plans.report';
import * as plans from './plans.service';
import { exportTasks, importTasks } from './plans.tasks-table';

let t: TestDatabase;
let f: OutreachFixture;
let provinceStaff: Actor;
const TODAY = '2026-11-30';

beforeAll(async () => {
  t = await testDatabase();
  f = await outreachFixture(t);
  provinceStaff = (await makeUser(t, 'province_staff', '15')).actor;
});
afterAll(async () => {
  await t?.cleanup();
});

const messages = (e: { fields: { key: string; params?: Record<string, unknown> }[] }, lang: 'vi' | 'en' = 'vi') =>
  e.fields.map((x) => translator(lang)(`plans:fields.${x.key}`, x.params ?? {}));

async function sheet(rows: unknown[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('Nhiệm vụ');
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe(`plans (${engineName})`, () => {
  let communePlan: string;
  let provincePlan: string;

  it('derives at risk from the register’s projection, and overdue from the deadline and the day asked', async () => {
    // commune 02905 on 20/11/2026 (no reported figures yet): 8 persons, 3 covered (Dũng to 05/12/2026, Em, Giang)
    const p = await plans.createPlan(t.db, f.officer, {
      unitCode: '02905',
      number: '07-KH/UBND',
      issuedOn: '2025-11-20',
      title: 'Kế hoạch phát triển người tham gia BHYT',
      goals: [
        { metric: 'coverage_pct', value: 35, byDate: '2026-12-31' },
        { metric: 'participants', value: 3, byDate: '2026-12-31' },
      ],
    });
    communePlan = p.id;
    expect(p.level).toBe('commune');
    const task = await plans.addTask(t.db, f.officer, p.id, { content: 'Rà soát hộ chưa tham gia', responsible: 'UBND xã', deadline: '2025-11' }, TODAY);
    expect([task.dueOn, task.overdue]).toEqual(['2025-11-30', true]);

    const s = await plans.planStatus(t.db, f.officer, p.id, { date: '2026-11-20' }, TODAY);
    // 3 of 8 = 37.5% now; Dũng's card ends 05/12, nobody renewed in the past year (rate 0): 2 of 8 = 25% on 31/12
    expect(s.goals.map((g) => [g.metric, g.current, g.projected, g.atRisk])).toEqual([
      ['coverage_pct', 37.5, 25, true],
      ['participants', 3, 2, true],
    ]);
    expect(s.goals[0].trend).toHaveLength(6);
    expect(s.goals[0].trend.at(-1)).toEqual({ month: '2026-11', value: 37.5 });
    expect(s.tasks.map((x) => [x.status, x.overdue])).toEqual([['not_started', true]]);
    // on 25/11/2025 the task is due within 7 days, not overdue
    const early = await plans.planStatus(t.db, f.officer, p.id, { date: '2025-11-25' }, TODAY);
    expect(early.tasks.map((x) => [x.overdue, x.dueSoon])).toEqual([[false, true]]);

    // Dũng renews: nothing ends before the goal's date, no longer at risk; the task done is no longer overdue
    await createCard(t.db, system, { personId: f.persons['Dũng'], groupCode: 'GD', validFrom: '2026-12-06', validTo: '2027-12-05' });
    await plans.updateTask(t.db, f.officer, task.id, { status: 'done' }, TODAY);
    const after = await plans.planStatus(t.db, f.officer, p.id, { date: '2026-11-20' }, TODAY);
    expect(after.goals.map((g) => [g.current, g.projected, g.atRisk])).toEqual([
      [37.5, 37.5, false],
      [3, 3, false],
    ]);
    expect(after.tasks.map((x) => [x.status, x.overdue])).toEqual([['done', false]]);
    const audit = await t.db.selectFrom('auditLog').select(['action', 'entity']).where('entityId', '=', task.id).orderBy('at').execute();
    expect(audit).toEqual([
      { action: 'create', entity: 'plan_task' },
      { action: 'update', entity: 'plan_task' },
    ]);
  });

  it('reads reported figures for a province, cascades its goals to communes (same %, counts pro rata to population) and ranks the communes', async () => {
    for (const [unitCode, population, participants] of [
      ['15', 10_000, 9_300],
      ['02905', 6_000, 5_820],
      ['02923', 4_000, 3_480],
    ] as const)
      await setFigures(t.db, system, { unitCode, asOf: '2026-11-25', population, participants });
    const p = await plans.createPlan(t.db, provinceStaff, {
      unitCode: '15',
      number: '15-KH/TU',
      issuer: 'Tỉnh ủy Lào Cai',
      issuedOn: '2025-11-17',
      title: 'Thực hiện Chỉ thị 52-CT/TW về BHXH, BHYT',
      implements: '52-CT/TW',
      goals: [
        { metric: 'coverage_pct', value: 95, byDate: '2026-12-31' },
        { metric: 'participants', value: 9_000, byDate: '2026-12-31' },
      ],
    });
    provincePlan = p.id;
    const made = await plans.cascadePlan(t.db, provinceStaff, p.id, { communes: ['02905', '02923'] }, TODAY);
    expect(made.map((m) => [m.unitCode, m.number, m.parentId, m.goals.map((g) => [g.metric, g.value, g.byDate])])).toEqual([
      ['02905', '15-KH/TU', p.id, [['coverage_pct', 95, '2026-12-31'], ['participants', 5_400, '2026-12-31']]],
      ['02923', '15-KH/TU', p.id, [['coverage_pct', 95, '2026-12-31'], ['participants', 3_600, '2026-12-31']]],
    ]);
    // a commune twice is refused, naming it
    const twice = await failure(plans.cascadePlan(t.db, provinceStaff, p.id, { communes: ['02905'] }, TODAY));
    expect(messages(twice)).toEqual(['Xã 02905 đã có kế hoạch theo kế hoạch này']);

    const s = await plans.planStatus(t.db, provinceStaff, p.id, { date: TODAY }, TODAY);
    // no register for the province as a whole: 93% carried forward to the goal's date, short of 95%
    expect(s.goals.map((g) => [g.metric, g.current, g.projected, g.atRisk, g.gap])).toEqual([
      ['coverage_pct', 93, 93, true, 2],
      ['participants', 9_300, 9_300, false, 0],
    ]);
    const [first, second] = s.scorecard!.communes;
    expect(s.scorecard!.metric).toBe('coverage_pct');
    expect([first.code, first.target, first.current, first.gap, first.rank]).toEqual(['02905', 95, 97, -2, 1]);
    expect([second.code, second.target, second.current, second.gap, second.rank]).toEqual(['02923', 95, 87, 8, 2]);
    expect(s.scorecard!.communes.filter((c) => c.rank !== null)).toHaveLength(2);
    expect(s.communePlans.map((c) => c.unitCode)).toEqual(['02905', '02923']);
  });

  it('splits a provincial task into sub-tasks of the commune plans; a commune officer sees only their commune’s', async () => {
    const task = await plans.addTask(
      t.db,
      provinceStaff,
      provincePlan,
      { content: 'Báo cáo kết quả thực hiện', responsible: 'BHXH tỉnh', coordinating: ['Sở Y tế', 'Sở Tài chính'], deadline: '2025-12', recurrence: 'monthly' },
      TODAY,
    );
    const split = await plans.splitTask(t.db, provinceStaff, task.id, {}, TODAY, 'vi');
    expect(split.subTaskList.map((s) => [s.unitCode, s.responsible, s.deadline, s.recurrence])).toEqual([
      ['02905', 'UBND Xã Bảo Thắng', '2025-12', 'monthly'],
      ['02923', expect.stringMatching(/^UBND /), '2025-12', 'monthly'],
    ]);
    const mine = split.subTaskList.find((s) => s.unitCode === '02905')!;
    const theirs = split.subTaskList.find((s) => s.unitCode === '02923')!;
    // the commune officer reports on their sub-task; the province sees it counted
    await plans.addNote(t.db, f.officer, mine.id, { note: 'Đã báo cáo tháng 11', notedOn: '2026-11-28' }, TODAY);
    const seen = await plans.getTask(t.db, provinceStaff, task.id, TODAY);
    expect(seen.subTaskList.find((s) => s.id === mine.id)!.overdue).toBe(false);
    expect(seen.subTaskList.find((s) => s.id === theirs.id)!.overdue).toBe(true);
    expect(seen.subTasks).toEqual({ total: 2, done: 0, overdue: 1 });

    const officerPlans = await plans.listPlans(t.db, f.officer);
    expect(officerPlans.every((p) => p.unitCode === '02905')).toBe(true);
    expect(officerPlans.map((p) => p.number).sort()).toEqual(['07-KH/UBND', '15-KH/TU']);
    expect((await failure(plans.getPlan(t.db, f.officer, provincePlan))).code).toBe('not_found');
    expect((await failure(plans.getTask(t.db, f.officer, task.id, TODAY))).code).toBe('not_found');
    expect((await failure(plans.getTask(t.db, f.otherOfficer, mine.id, TODAY))).code).toBe('not_found');
    expect((await failure(plans.updateTask(t.db, f.otherOfficer, mine.id, { status: 'done' }, TODAY))).code).toBe('not_found');
    expect((await failure(plans.planStatus(t.db, f.otherOfficer, communePlan, {}, TODAY))).code).toBe('not_found');
    expect((await plans.listPlans(t.db, f.otherOfficer)).map((p) => p.unitCode)).toEqual(['02923']);
    expect((await failure(plans.listPlans(t.db, f.fieldA))).code).toBe('forbidden');
    // the province sees everything
    expect((await plans.listPlans(t.db, provinceStaff)).length).toBe(4);

    // the dashboard: the overdue monthly report of 02923 under its responsible unit, the province's goal at risk
    const d = await plans.dashboard(t.db, provinceStaff, { date: TODAY }, TODAY);
    expect(d.units.flatMap((u) => u.overdue.map((x) => [u.responsible, x.id]))).toContainEqual([theirs.responsible, theirs.id]);
    expect(d.goalsAtRisk.map((g) => [g.planNumber, g.metric])).toEqual([['15-KH/TU', 'coverage_pct']]);
    const od = await plans.dashboard(t.db, f.officer, { date: TODAY }, TODAY);
    expect(od.units.flatMap((u) => [...u.overdue, ...u.dueSoon]).every((x) => x.unitName === 'Xã Bảo Thắng')).toBe(true);
  });

  it('keeps evidence files checked by their bytes', async () => {
    const [x] = (await plans.planStatus(t.db, f.officer, communePlan, {}, TODAY)).tasks;
    const png = Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(20)]);
    const withFile = await plans.attachFile(t.db, f.officer, x.id, { name: 'anh.png', data: png }, TODAY);
    expect(withFile.fileList.map((fl) => [fl.name, fl.type, fl.size])).toEqual([['anh.png', 'image/png', 28]]);
    const bad = await failure(plans.attachFile(t.db, f.officer, x.id, { name: 'x.png', data: Buffer.from('not an image') }, TODAY));
    expect(messages(bad)).toEqual(['Tệp minh chứng phải là JPEG, PNG, PDF']);
    expect((await plans.fileOf(t.db, f.officer, x.id, withFile.fileList[0].id)).data.equals(png)).toBe(true);
  });

  it('exports the task table in the published layout and imports it back', async () => {
    const { buffer } = await exportTasks(t.db, provinceStaff, provincePlan, TODAY, 'vi');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as never);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    expect(rows[0]).toEqual(['STT', 'Nội dung', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian hoàn thành']);
    expect(rows[1]).toEqual([1, 'Báo cáo kết quả thực hiện', 'BHXH tỉnh', 'Sở Y tế; Sở Tài chính', 'Hằng tháng từ tháng 12/2025']);

    const copy = await plans.createPlan(t.db, provinceStaff, { unitCode: '15', number: '16-KH/TU', issuedOn: '2025-11-17', title: 'Bản sao' });
    const r = await importTasks(t.db, provinceStaff, copy.id, buffer, TODAY, 'vi');
    const original = (await plans.planStatus(t.db, provinceStaff, provincePlan, {}, TODAY)).tasks;
    const strip = (x: plans.TaskView) => [x.no, x.content, x.responsible, x.coordinating, x.deadline, x.dueOn, x.recurrence];
    expect(r.tasks.map(strip)).toEqual(original.map(strip));

    // a published table typed in: title rows, a section heading, dates as written
    const typed = await sheet([
      ['KẾ HOẠCH 15-KH/TU'],
      ['STT', 'Nội dung', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian hoàn thành'],
      ['I', 'Công tác tuyên truyền'],
      [1, 'Tuyên truyền Chỉ thị 52', 'Ban Tuyên giáo', 'Đài PT-TH, Báo Lào Cai', 'Tháng 11/2025'],
      [2, 'Nghiên cứu hỗ trợ mức đóng', 'Sở Tài chính', '', '31/12/2025'],
      [3, 'Báo cáo', 'BHXH tỉnh', '', 'Hằng quý'],
    ]);
    const r2 = await importTasks(t.db, provinceStaff, copy.id, typed, TODAY, 'vi');
    expect(r2.imported).toBe(3);
    expect(r2.tasks.slice(-3).map((x) => [x.no, x.coordinating, x.deadline, x.recurrence])).toEqual([
      [2, ['Đài PT-TH', 'Báo Lào Cai'], '2025-11', 'none'],
      [3, [], '2025-12-31', 'none'],
      [4, [], '2025-11', 'quarterly'],
    ]);
  });

  it('refuses bad input with a clear message and changes nothing', async () => {
    const before = await plans.planStatus(t.db, provinceStaff, provincePlan, {}, TODAY);
    const countPlans = async () => (await plans.listPlans(t.db, provinceStaff)).length;
    const n = await countPlans();
    // a deadline before the plan's date
    const early = await failure(plans.addTask(t.db, provinceStaff, provincePlan, { content: 'x', responsible: 'y', deadline: '2025-10' }, TODAY));
    expect(messages(early)).toEqual(['Thời hạn 31/10/2025 trước ngày ban hành kế hoạch (17/11/2025)']);
    expect(messages(early, 'en')).toEqual(["The deadline 31/10/2025 is before the plan's date (17/11/2025)"]);
    expect(messages(await failure(plans.addTask(t.db, provinceStaff, provincePlan, { content: 'x', responsible: 'y', deadline: 'tháng 12' }, TODAY)))).toEqual([
      'Thời hạn "tháng 12" phải là một ngày (YYYY-MM-DD) hoặc một tháng (YYYY-MM)',
    ]);
    // a goal of a metric or unit that does not exist
    const goal = await failure(
      plans.createPlan(t.db, provinceStaff, {
        unitCode: '15',
        number: '99-KH/TU',
        issuedOn: '2025-11-17',
        title: 'x',
        goals: [
          { metric: 'households', value: 5, byDate: '2026-12-31' },
          { metric: 'coverage_pct', measure: 'households', value: 95, byDate: '2026-12-31' },
          { metric: 'participants', measure: 'percent', value: 95, byDate: '2026-12-31' },
        ],
      }),
    );
    expect(goal.fields.map((x) => [x.path, x.key])).toEqual([
      ['goals.0.metric', 'unknown_metric'],
      ['goals.1.measure', 'unknown_measure'],
      ['goals.2.measure', 'measure_mismatch'],
    ]);
    expect(messages(goal)[0]).toBe('Chỉ tiêu "households" không có (có: coverage_pct, participants, pupils_pct, vsi_participants)');
    // a task table with a missing column: named, with its row
    const missing = await sheet([
      ['KẾ HOẠCH'],
      ['STT', 'Nội dung', 'Đơn vị phối hợp', 'Thời gian hoàn thành'],
      [1, 'x', '', 'Tháng 12/2025'],
    ]);
    const e = await failure(importTasks(t.db, provinceStaff, provincePlan, missing, TODAY, 'vi'));
    expect(messages(e)).toEqual(['Thiếu cột "Đơn vị chủ trì" ở dòng tiêu đề (dòng 2)']);
    // a bad row among good ones: nothing stored, each named with its row
    const badRows = await sheet([
      ['STT', 'Nội dung', 'Đơn vị chủ trì', 'Đơn vị phối hợp', 'Thời gian hoàn thành'],
      [1, 'Đúng', 'Sở Y tế', '', 'Tháng 12/2025'],
      [2, 'Sai hạn', 'Sở Y tế', '', 'Tháng 10/2025'],
      [3, 'Không chủ trì', '', 'Sở Tài chính', 'sớm'],
    ]);
    const e2 = await failure(importTasks(t.db, provinceStaff, provincePlan, badRows, TODAY, 'vi'));
    expect(messages(e2)).toEqual([
      'Dòng 3: thời gian hoàn thành "Tháng 10/2025" trước ngày ban hành kế hoạch (17/11/2025)',
      'Dòng 4: cột "Đơn vị chủ trì" để trống',
      'Dòng 4: không đọc được thời gian hoàn thành "sớm" (ví dụ: Tháng 11/2025, 30/11/2025, Hằng quý)',
    ]);
    expect(await plans.planStatus(t.db, provinceStaff, provincePlan, {}, TODAY)).toEqual(before);
    expect(await countPlans()).toBe(n);
    // a commune officer cannot change the province's plans
    expect((await failure(plans.createPlan(t.db, f.officer, { unitCode: '15', number: 'x', issuedOn: '2025-11-17', title: 'x' }))).code).toBe('forbidden');
  });

  it('answers the CLI: plan add with goals, task add with a month, plan status as JSON', async () => {
    const { json: added } = await runCli(
      t,
      registerPlanCommands,
      ['plan', 'add', '--number', '20-KH/UBND', '--unit', '02905', '--date', '2025-11-17', '--title', 'T', '--goal', 'coverage_pct=95@2026-12-31', '--goal', 'participants=4@2026-12-31', '--json'],
      { actor: f.officer },
    );
    const id = added[0].id as string;
    expect((added[0].goals as unknown[]).length).toBe(2);
    const { json: task } = await runCli(t, registerPlanCommands, ['task', 'add', '--plan', id, '--content', 'C', '--responsible', 'UBND xã', '--deadline', '2025-11', '--json'], { actor: f.officer });
    expect(task[0]).toMatchObject({ deadline: '2025-11', dueOn: '2025-11-30', status: 'not_started' });
    const { json } = await runCli(t, registerPlanCommands, ['plan', 'status', '--id', id, '--date', '2026-11-20', '--json'], { actor: f.officer });
    const s = json[0] as { goals: { metric: string; current: number; projected: number; atRisk: boolean }[]; tasks: { status: string; overdue: boolean }[] };
    expect(s.goals.map((g) => [g.metric, g.current, g.projected, g.atRisk])).toEqual([
      ['coverage_pct', 37.5, 37.5, true],
      ['participants', 3, 3, true],
    ]);
    expect(s.tasks.map((x) => [x.status, x.overdue])).toEqual([['not_started', true]]);
    const bad = await failure(runCli(t, registerPlanCommands, ['plan', 'add', '--number', 'x', '--unit', '02905', '--date', '2025-11-17', '--title', 'T', '--goal', 'coverage_pct=95'], { actor: f.officer }));
    expect(bad.fields.map((x) => [x.path, x.key])).toEqual([['goals.0', 'goal_format']]);
  });

  it('answers over HTTP: the task table imported (multipart; a missing column named in English), the status, 404 to another commune', async () => {
    const app = await buildApp({ database: t, webDist: false });
    await app.ready();
    try {
      const staff = await makeUser(t, 'province_staff', '15');
      const other = await makeUser(t, 'commune_officer', '02923');
      const login = async (username: string, password: string) => {
        const res = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { username, password } });
        return { cookie: `cd_session=${res.cookies[0].value}`, 'x-csrf-token': res.json().csrfToken as string };
      };
      const mine = await login(staff.username, staff.password);
      const theirs = await login(other.username, other.password);
      const form = (data: Buffer) => {
        const boundary = '----plans' + Math.random().toString(16).slice(2);
        const payload = Buffer.concat([
          Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="tasks.xlsx"\r\nContent-Type: application/octet-stream\r\n\r\n`),
          data,
          Buffer.from(`\r\n--${boundary}--\r\n`),
        ]);
        return { payload, headers: { 'content-type': `multipart/form-data; boundary=${boundary}`, 'accept-language': 'en' } };
      };
      const bad = form(await sheet([['No.', 'Content', 'Responsible unit', 'Deadline'], [1, 'x', 'y', '2025-12']]));
      const refused = await app.inject({ method: 'POST', url: `/api/plans/${provincePlan}/tasks.xlsx?lang=en`, headers: { ...mine, ...bad.headers }, payload: bad.payload });
      expect(refused.statusCode).toBe(400);
      expect(refused.json().error.fields.map((x: { message: string }) => x.message)).toEqual(['The column "Coordinating units" is missing from the header row (row 1)']);
      const good = form(await sheet([['No.', 'Content', 'Responsible unit', 'Coordinating units', 'Deadline'], [1, 'Kiểm tra', 'Sở Y tế', '', '2027-01']]));
      const imported = await app.inject({ method: 'POST', url: `/api/plans/${provincePlan}/tasks.xlsx`, headers: { ...mine, ...good.headers }, payload: good.payload });
      expect(imported.statusCode).toBe(200);
      expect(imported.json().imported).toBe(1);
      const status = await app.inject({ url: `/api/plans/${provincePlan}/status?date=${TODAY}`, headers: mine });
      expect(status.statusCode).toBe(200);
      expect(status.json().tasks.at(-1)).toMatchObject({ content: 'Kiểm tra', deadline: '2027-01', dueOn: '2027-01-31', overdue: false });
      expect((await app.inject({ url: `/api/plans/${communePlan}/status`, headers: theirs })).statusCode).toBe(404);
      const pdf = await app.inject({ url: `/api/plans/${provincePlan}/report.pdf?date=${TODAY}`, headers: mine });
      expect([pdf.statusCode, pdf.headers['content-type']]).toEqual([200, 'application/pdf']);
    } finally {
      await app.close();
    }
  });

  it('prints the status report: PDF under the national motto, .xlsx', async () => {
    const { pdf, fileName } = await planReportPdf(t.db, provinceStaff, provincePlan, { date: TODAY }, TODAY, 'vi');
    expect(fileName).toBe('bao-cao-ke-hoach-15-KH-TU-15-2026-11-30.pdf');
    const text = (await pdfText(pdf)).replace(/\s+/g, ' ');
    expect(text).toContain('CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM');
    expect(text).toContain('BÁO CÁO TÌNH HÌNH THỰC HIỆN KẾ HOẠCH');
    expect(text).toContain('Tỷ lệ dân số tham gia BHYT');
    expect(text).toContain('Báo cáo kết quả thực hiện');
    expect(text).toContain('Xã Bảo Thắng');
    const { buffer } = await planReportWorkbook(t.db, provinceStaff, provincePlan, { date: TODAY }, TODAY, 'vi');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(buffer as never);
    const rows: unknown[][] = [];
    wb.worksheets[0].eachRow((r) => rows.push((r.values as unknown[]).slice(1)));
    const goalRow = rows.find((r) => String(r[2]).startsWith('Tỷ lệ dân số'))!;
    expect(goalRow.slice(5, 9)).toEqual([95, 93, 93, 'Nguy cơ không đạt']);
  });
});

describe(`a voluntary social insurance goal (${engineName})`, () => {
  it('is projected over the periods: participation ending before the goal’s date, renewed at the past year’s rate', async () => {
    // Giang takes part from 01/06 to 30/11/2026; no period ended in the past year (rate 0): none expected on 31/12
    await createVsiPeriod(t.db, system, { personId: f.persons['Giang'], validFrom: '2026-06-01', validTo: '2026-11-30', monthlyIncome: 1_500_000, paymentMonths: 6 });
    const p = await plans.createPlan(t.db, f.officer, {
      unitCode: '02905',
      number: '08-KH/UBND',
      issuedOn: '2025-11-20',
      title: 'Kế hoạch phát triển người tham gia BHXH tự nguyện',
      goals: [{ metric: 'vsi_participants', value: 1, byDate: '2026-12-31' }],
    });
    const goals = async () => (await plans.planStatus(t.db, f.officer, p.id, { date: '2026-11-20' }, TODAY)).goals.map((g) => [g.metric, g.current, g.projected, g.atRisk]);
    expect(await goals()).toEqual([['vsi_participants', 1, 0, true]]);
    // Giang pays the next six months: taking part until 31/05/2027, no longer at risk
    await createVsiPeriod(t.db, system, { personId: f.persons['Giang'], validFrom: '2026-12-01', validTo: '2027-05-31', monthlyIncome: 1_500_000, paymentMonths: 6 });
    expect(await goals()).toEqual([['vsi_participants', 1, 1, false]]);
  });
});
