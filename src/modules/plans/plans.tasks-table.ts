/**
 * The task table of a plan as .xlsx in the layout plans are published in (issue 21 item 2): STT, Nội dung,
 * Đơn vị chủ trì, Đơn vị phối hợp, Thời gian hoàn thành (No., content, responsible unit, coordinating
 * units, deadline). The export writes it; the import reads it back (or a published table typed in): the
 * header row is the first row naming at least two of the columns (Vietnamese or English, accents and case
 * ignored); a missing column is named with that row; a row with only a number and a content is a section
 * heading and skipped; every row is checked before anything is stored, and one bad row stores nothing.
 */
import { randomUUID } from 'node:crypto';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../domain/access';
import { deadlineText, parseDeadlineCell } from '../../domain/plans';
import { formatDateVi } from '../../domain/dates';
import { foldVietnamese } from '../../domain/text';
import { AppError, validationError, type FieldError } from '../../errors';
import { xlsxBuffer, type CellValue } from '../../io/excel';
import { translator, type Language } from '../../i18n/index';
import { audit } from '../audit/audit.service';
import * as repo from './plans.repository';
import { checkedDeadline, getPlan, planField, planStatus, type TaskView } from './plans.service';

export const TABLE_COLUMNS = ['no', 'content', 'responsible', 'coordinating', 'deadline'] as const;
type Column = (typeof TABLE_COLUMNS)[number];

/** Headers as written in published plans and as the export writes them in either language (folded). */
const HEADERS: Record<Column, string[]> = {
  no: ['stt', 'tt', 'no', 'no.', 'so tt'],
  content: ['noi dung', 'noi dung nhiem vu', 'nhiem vu', 'content', 'task'],
  responsible: ['don vi chu tri', 'co quan chu tri', 'chu tri', 'responsible unit', 'responsible'],
  coordinating: ['don vi phoi hop', 'co quan phoi hop', 'phoi hop', 'coordinating units', 'coordinating'],
  deadline: ['thoi gian hoan thanh', 'thoi han hoan thanh', 'thoi han', 'thoi gian', 'deadline'],
};

const columnOf = (cell: CellValue | undefined): Column | undefined => {
  if (typeof cell !== 'string') return undefined;
  const f = foldVietnamese(cell).replace(/\s*\/.*$/, '');
  return TABLE_COLUMNS.find((c) => HEADERS[c].includes(f));
};

const cellText = (c: CellValue | undefined): string => (c === null || c === undefined ? '' : c instanceof Date ? c.toISOString().slice(0, 10) : String(c)).trim();

/** The plan's task table as .xlsx (its own tasks, in order). */
export async function exportTasks(db: Kysely<DB>, actor: Actor, planId: string, today: string, lang: Language = actor.language) {
  const status = await planStatus(db, actor, planId, {}, today);
  const t = translator(lang);
  const buffer = await xlsxBuffer(
    {
      name: t('plans:table.sheet'),
      pageHeader: `${status.plan.number} - ${status.plan.title}`,
      columns: [
        { header: t('plans:table.no'), key: 'no', width: 6, type: 'integer' },
        { header: t('plans:table.content'), key: 'content', width: 60, wrap: true },
        { header: t('plans:table.responsible'), key: 'responsible', width: 28, wrap: true },
        { header: t('plans:table.coordinating'), key: 'coordinating', width: 32, wrap: true },
        { header: t('plans:table.deadline'), key: 'deadline', width: 24 },
      ],
      orientation: 'landscape',
    },
    status.tasks.map((x) => ({ no: x.no, content: x.content, responsible: x.responsible, coordinating: x.coordinating.join('; '), deadline: deadlineText(x.deadline, x.recurrence, lang) })),
  );
  return { buffer, fileName: `nhiem-vu-${status.plan.number.replace(/[^\p{L}\p{N}-]+/gu, '-')}.xlsx` };
}

/**
 * Imports a task table into the plan (appended after its tasks). Errors name the column or the row
 * (the spreadsheet's row number) and what is wrong; nothing is stored unless every row is right.
 */
export async function importTasks(db: Kysely<DB>, actor: Actor, planId: string, source: string | Buffer, today: string, lang: Language = actor.language): Promise<{ imported: number; tasks: TaskView[] }> {
  const plan = await getPlan(db, actor, planId);
  if (!plan.canChange) throw new AppError('forbidden');
  const t = translator(lang);
  const rows = await sheetRows(source);
  const headerAt = rows.findIndex((r) => r.cells.filter((c) => columnOf(c) !== undefined).length >= 2);
  const header = headerAt >= 0 ? rows[headerAt] : rows[0];
  const where = new Map<Column, number>();
  header?.cells.forEach((c, i) => {
    const col = columnOf(c);
    if (col && !where.has(col)) where.set(col, i);
  });
  const missing = TABLE_COLUMNS.filter((c) => !where.has(c));
  if (!header || missing.length)
    throw validationError(missing.map((c) => planField('file', 'missing_column', { column: t(`plans:table.${c}`), row: header?.n ?? 1 })));
  const errors: FieldError[] = [];
  const tasks: { content: string; responsible: string; coordinating: string[]; deadline: string; dueOn: string; recurrence: 'none' | 'monthly' | 'quarterly' }[] = [];
  for (const r of rows.slice(headerAt + 1)) {
    const get = (c: Column) => r.cells[where.get(c)!];
    const content = cellText(get('content'));
    const responsible = cellText(get('responsible'));
    const deadlineCell = get('deadline');
    const coordinating = cellText(get('coordinating'));
    if (!responsible && !coordinating && cellText(deadlineCell) === '') continue; // a section heading
    const rowErr = (column: Column, key: string, params: Record<string, unknown> = {}) =>
      errors.push(planField(`row ${r.n}`, key, { ...params, row: r.n, column: t(`plans:table.${column}`) }));
    if (!content) rowErr('content', 'cell_empty');
    if (!responsible) rowErr('responsible', 'cell_empty');
    const parsed = parseDeadlineCell(deadlineCell instanceof Date ? deadlineCell : typeof deadlineCell === 'number' ? null : cellText(deadlineCell), plan.issuedOn);
    if (!parsed) {
      rowErr('deadline', 'deadline_cell', { value: cellText(deadlineCell) });
      continue;
    }
    let dueOn: string;
    try {
      dueOn = checkedDeadline(parsed.deadline, plan.issuedOn, `row ${r.n}`);
    } catch {
      rowErr('deadline', 'deadline_before_plan_row', { value: cellText(deadlineCell), planDate: formatDateVi(plan.issuedOn) });
      continue;
    }
    if (content && responsible)
      tasks.push({ content, responsible, coordinating: coordinating.split(/[;,\n]/).map((s) => s.trim()).filter(Boolean), deadline: parsed.deadline, dueOn, recurrence: parsed.recurrence });
  }
  if (errors.length) throw validationError(errors);
  if (tasks.length === 0) throw validationError([planField('file', 'no_tasks')]);
  await db.transaction().execute(async (trx) => {
    let position = await repo.nextPosition(trx, planId);
    for (const x of tasks) {
      const id = randomUUID();
      await repo.insertTask(trx, { id, planId, parentTaskId: null, position: position++, ...x, status: 'not_started', by: actor.username });
    }
    await audit(trx, actor, { action: 'update', entity: 'plan', entityId: planId, unitCode: plan.unitCode, after: { imported: tasks.length } });
  });
  const status = await planStatus(db, actor, planId, {}, today);
  return { imported: tasks.length, tasks: status.tasks };
}

/** The first worksheet's non-blank rows with the spreadsheet's row numbers (a task table is small: read whole). */
async function sheetRows(source: string | Buffer): Promise<{ n: number; cells: CellValue[] }[]> {
  const wb = new ExcelJS.Workbook();
  try {
    if (typeof source === 'string') await wb.xlsx.readFile(source);
    else await wb.xlsx.load(source as never);
  } catch {
    throw validationError([planField('file', 'not_xlsx')]);
  }
  const sheet = wb.worksheets[0];
  const rows: { n: number; cells: CellValue[] }[] = [];
  sheet?.eachRow((row) => {
    const values = row.values as ExcelJS.CellValue[];
    const cells: CellValue[] = [];
    for (let i = 1; i < values.length; i++) cells.push(plainCell(values[i]));
    if (cells.some((c) => c !== null && c !== '')) rows.push({ n: row.number, cells });
  });
  return rows;
}

function plainCell(v: ExcelJS.CellValue | undefined): CellValue {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean' || v instanceof Date) return v;
  if (typeof v === 'object' && 'richText' in v) return v.richText.map((r) => r.text).join('');
  if (typeof v === 'object' && 'text' in v) return String(v.text);
  if (typeof v === 'object' && 'result' in v) return plainCell(v.result as ExcelJS.CellValue);
  return String(v as unknown);
}
