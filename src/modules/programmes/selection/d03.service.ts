/**
 * The list for the social insurance office (issue 6 item 5): form D03-TS "Danh sách người chỉ tham gia
 * BHYT" (Decision 490/QĐ-BHXH), filled from an editable Excel template, and its submission.
 *
 * The layout lives in a real .xlsx file, src/modules/programmes/selection/templates/d03-ts.xlsx (made once by
 * scripts/make-d03-template.ts, which documents the placeholders): an office can change headings,
 * columns, widths and fonts in Excel without code, or point COVERDESK_D03_TEMPLATE at its own file.
 * The export fills `{{name}}` header placeholders and repeats the row holding `{{r.name}}` placeholders
 * once per beneficiary. The form is an official Vietnamese document: its values are written in
 * Vietnamese whatever the user's language.
 *
 * Rows are the programme's live awards with the beneficiary's data as approved (the frozen selection
 * round), by commune and name. Submitting the list (programme 'list_approved' -> 'submitted') records the
 * payment of every live award in the ledger (`recordPayment`) in the same transaction.
 */
import fs from 'node:fs';
import path from 'node:path';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { PROJECT_ROOT } from '../../../config';
import type { DB } from '../../../db/schema';
import { requirePermission, type Actor } from '../../../domain/access';
import { donatedCard } from '../../../domain/allocation';
import { formatDateVi, todayInVietnam } from '../../../domain/dates';
import { formatVnd } from '../../../domain/money';
import { baseSalaryOn, groupOn, stateShareOn } from '../../../domain/premium-rules';
import { AppError } from '../../../errors';
import { translator } from '../../../i18n/index';
import { audit } from '../../audit/audit.service';
import { loadRules } from '../../premium/premium.service';
import { findUnit } from '../../units/units.service';
import { recordPayment, reversePayment } from '../programme/ledger.service';
import { programmeForActor, scopeOf } from '../programme/programme.access';
import { changeProgrammeStatus } from '../programme/programme.service';
import { SELECTION_READ, SELECTION_WRITE } from './candidates.service';
import * as repo from './d03.repository';
import { requireConfirmation, type Confirmation } from '../programme/confirm';

export const D03_TEMPLATE = path.join(PROJECT_ROOT, 'src/modules/programmes/selection/templates/d03-ts.xlsx');

export function d03TemplatePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.COVERDESK_D03_TEMPLATE ? path.resolve(env.COVERDESK_D03_TEMPLATE) : D03_TEMPLATE;
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z][\w.]*)\s*\}\}/g;
const ONLY = /^\{\{\s*([a-zA-Z][\w.]*)\s*\}\}$/;

type Values = Record<string, string | number>;

/** A cell's text with its placeholders filled; a cell that is one numeric placeholder becomes the number. */
function fill(value: ExcelJS.CellValue, values: Values): ExcelJS.CellValue {
  if (typeof value !== 'string') {
    if (value && typeof value === 'object' && 'richText' in value) {
      return { richText: value.richText.map((r) => ({ ...r, text: String(fill(r.text, values) ?? '') })) };
    }
    return value;
  }
  const only = ONLY.exec(value.trim());
  if (only && typeof values[only[1]] === 'number') return values[only[1]];
  if (!value.includes('{{')) return value;
  return value.replace(PLACEHOLDER, (_, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : ''));
}

const hasRowPlaceholder = (v: ExcelJS.CellValue) => {
  const text = typeof v === 'string' ? v : v && typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : '';
  return /\{\{\s*r\./.test(text);
};

const percent = (bp: number) => `${(bp / 100).toLocaleString('vi-VN', { maximumFractionDigits: 2 })}%`;
const monthOf = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** Fills the template with the programme's awards; returns the .xlsx bytes. */
export async function d03Workbook(db: Kysely<DB>, actor: Actor, programmeId: string, options: { today?: string; templatePath?: string } = {}) {
  requirePermission(actor, SELECTION_READ);
  const programme = await programmeForActor(db, actor, programmeId, 'read');
  const lines = await repo.listAwardLines(db, programmeId, scopeOf(actor));
  const rules = await loadRules(db);
  const t = translator('vi');
  const date = programme.purchaseDate;
  const groups = [...new Set(lines.map((l) => l.groupCode))].sort();
  const base = baseSalaryOn(rules, date);
  const share = (g: string) => stateShareOn(rules, g, date)?.basisPoints ?? 0;
  const unitName = (await findUnit(db, programme.ownerUnitCode))?.name ?? programme.ownerUnitCode;
  const total = lines.reduce((s, l) => s + l.amount, 0);
  const today = options.today ?? todayInVietnam();
  const header: Values = {
    unitName,
    unitCode: programme.ownerUnitCode,
    programme: programme.name,
    groups: groups.map((g) => `${g} – ${groupOn(rules, g, date)?.nameVi ?? g}`).join('; '),
    funding: t('selection:d03.funding', { programme: programme.name }),
    baseSalary: base ? formatVnd(base.amount) : '',
    supportRates: groups.map((g) => `${g}: ${percent(share(g))}`).join('; '),
    months: programme.cardMonths,
    fromMonth: monthOf(date),
    purchaseDate: formatDateVi(date),
    date: formatDateVi(today),
    place: unitName,
    count: lines.length,
    totalAmount: total,
  };

  const file = options.templatePath ?? d03TemplatePath();
  if (!fs.existsSync(file)) throw new AppError('internal', { reason: `D03-TS template not found: ${file}` });
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.readFile(file);
  const ws = wb.worksheets[0];
  let templateRow = 0;
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (templateRow) return;
    row.eachCell({ includeEmpty: false }, (cell) => {
      if (!templateRow && hasRowPlaceholder(cell.value)) templateRow = n;
    });
  });
  const fillRow = (row: ExcelJS.Row, values: Values) => row.eachCell({ includeEmpty: false }, (cell) => (cell.value = fill(cell.value, values)));

  if (templateRow) {
    const template = ws.getRow(templateRow);
    const cells: { col: number; value: ExcelJS.CellValue }[] = [];
    template.eachCell({ includeEmpty: false }, (cell, col) => cells.push({ col, value: cell.value }));
    if (lines.length === 0) ws.spliceRows(templateRow, 1);
    else if (lines.length > 1) ws.duplicateRow(templateRow, lines.length - 1, true);
    lines.forEach((l, i) => {
      const row = ws.getRow(templateRow + i);
      // a renewal (the person held a card on the purchase date): its own start and months (issue 16)
      const card = donatedCard(date, programme.cardMonths, l.coveredUntil);
      const note = card?.renewal ? t('selection:d03.renewal_note', { until: formatDateVi(l.coveredUntil!), from: formatDateVi(card.from) }) : '';
      const address = [l.address, l.villageName, l.communeName].filter((x): x is string => !!x && x.trim() !== '').join(', ');
      const values: Values = {
        ...header,
        'r.no': i + 1,
        'r.fullName': l.fullName,
        'r.insuranceCode': l.insuranceCode ?? '',
        'r.citizenId': l.citizenId ?? '',
        'r.birthDate': formatDateVi(l.birthDate),
        'r.sex': l.sex === 'male' ? 'Nam' : l.sex === 'female' ? 'Nữ' : l.sex,
        'r.address': address,
        'r.commune': l.communeName ?? l.communeCode,
        'r.village': l.villageName ?? '',
        'r.householdCode': l.householdCode ?? '',
        'r.facility': '',
        'r.group': l.groupCode,
        'r.supportRate': percent(share(l.groupCode)),
        'r.amount': l.amount,
        'r.fromMonth': monthOf(card?.from ?? date),
        'r.months': card?.months ?? programme.cardMonths,
        // the template's "Ghi chú" column shows the tags, and for a renewal which card it continues
        'r.tags': [l.tags.map((tag) => t(`selection:tags.${tag}`, { defaultValue: tag })).join(', '), note].filter((x) => x !== '').join('; '),
        'r.note': note,
        'r.collector': '',
      };
      for (const { col, value } of cells) row.getCell(col).value = fill(value, values);
    });
  }
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (templateRow && n >= templateRow && n < templateRow + lines.length) return;
    fillRow(row, header);
  });
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  return { buffer, fileName: `${t('selection:d03.file')}-${programme.publicSlug}.xlsx`, rows: lines.length, total };
}

/**
 * Submits the approved list to the social insurance office: the payment of every live award is recorded
 * in the ledger and the programme moves to 'submitted', in one transaction. `confirm`: the count and
 * amount of the live awards, as shown to the user (else confirmation_required and nothing is written).
 */
export async function submitList(db: Kysely<DB>, actor: Actor, programmeId: string, note?: string | null, confirm?: Confirmation | null) {
  requirePermission(actor, SELECTION_WRITE);
  await programmeForActor(db, actor, programmeId, 'write');
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    if (programme.status !== 'list_approved')
      throw new AppError('invalid_transition', { status: programme.status, reason: 'submit_status', context: 'submit_status', ns: 'selection' });
    const lines = await repo.listAwardLines(trx, programmeId, scopeOf(actor));
    if (lines.length === 0) throw new AppError('invalid_transition', { reason: 'no_awards', context: 'no_awards', ns: 'selection' });
    requireConfirmation(confirm, { action: 'submit_list', count: lines.length, amount: lines.reduce((s, l) => s + l.amount, 0) });
    const paid = await recordPayment(trx, actor, programmeId, lines.map((l) => l.id));
    await changeProgrammeStatus(trx, actor, programmeId, 'submitted', note ?? null, trx);
    await audit(trx, actor, { action: 'submit', entity: 'programme', entityId: programmeId, unitCode: programme.ownerUnitCode, after: { awards: lines.length, paid } });
    return { awards: lines.length, amount: lines.reduce((s, l) => s + l.amount, 0), paid };
  });
}

/**
 * Withdraws a submitted list (undo of `submitList`, before the office has issued any card): the payment of
 * every award is reversed through the ledger (paid -> awarded, the reason as memo: `reversePayment`), the
 * awards are live again and the programme goes back to 'list_approved', in one transaction; audited.
 * `confirm`: the count and amount going back, as shown to the user.
 */
export async function unsubmitList(db: Kysely<DB>, actor: Actor, programmeId: string, reason: string, confirm?: Confirmation | null) {
  requirePermission(actor, SELECTION_WRITE);
  const why = reason?.trim() ?? '';
  if (!why) throw new AppError('validation', {}, [{ path: 'reason', key: 'required' }]);
  await programmeForActor(db, actor, programmeId, 'write');
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    if (programme.status !== 'submitted')
      throw new AppError('invalid_transition', { status: programme.status, reason: 'unsubmit_status', context: 'unsubmit_status', ns: 'selection' });
    const lines = await repo.listAwardLines(trx, programmeId, scopeOf(actor));
    if (lines.some((l) => l.status !== 'submitted')) throw new AppError('invalid_transition', { reason: 'unsubmit_issued', context: 'unsubmit_issued', ns: 'selection' });
    const amount = lines.reduce((s, l) => s + l.amount, 0);
    requireConfirmation(confirm, { action: 'unsubmit_list', count: lines.length, amount });
    const reversed = await reversePayment(trx, actor, programmeId, lines.map((l) => l.id), why);
    await changeProgrammeStatus(trx, actor, programmeId, 'list_approved', why, trx, { withdrawSubmission: true });
    await audit(trx, actor, { action: 'unsubmit', entity: 'programme', entityId: programmeId, unitCode: programme.ownerUnitCode, after: { awards: lines.length, reversed, reason: why } });
    return { awards: lines.length, amount, reversed };
  });
}
