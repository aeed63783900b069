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
import { excelDate, formatDateVi, formatLongDateVi, todayInVietnam } from '../../../domain/dates';
import { addressWithUnits, placeName } from '../../../domain/text';
import { formatVnd } from '../../../domain/money';
import { baseSalaryOn, groupOn, stateShareOn } from '../../../domain/premium-rules';
import { AppError } from '../../../errors';
import { translator } from '../../../i18n/index';
import { audit } from '../../audit/audit.service';
import { loadRules } from '../../premium/premium.service';
import { findUnit } from '../../units/units.service';
import { collectorsOfVillages } from '../../offices/collectors.service';
import { profilesOf } from '../../offices/offices.service';
import { facilitiesByCode } from '../../offices/facilities.service';
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

type Values = Record<string, string | number | Date>;

/** A cell's text with its placeholders filled; a cell that is one placeholder of a number or a date gets it. */
function fill(value: ExcelJS.CellValue, values: Values): ExcelJS.CellValue {
  if (typeof value !== 'string') {
    if (value && typeof value === 'object' && 'richText' in value) {
      return { richText: value.richText.map((r) => ({ ...r, text: String(fill(r.text, values) ?? '') })) };
    }
    return value;
  }
  const only = ONLY.exec(value.trim());
  if (only && (typeof values[only[1]] === 'number' || values[only[1]] instanceof Date)) return values[only[1]];
  if (!value.includes('{{')) return value;
  return value.replace(PLACEHOLDER, (_, name: string) => (Object.hasOwn(values, name) ? String(values[name]) : ''));
}

const hasRowPlaceholder = (v: ExcelJS.CellValue) => {
  const text = typeof v === 'string' ? v : v && typeof v === 'object' && 'richText' in v ? v.richText.map((r) => r.text).join('') : '';
  return /\{\{\s*r\./.test(text);
};

const percent = (bp: number) => `${(bp / 100).toLocaleString('vi-VN', { maximumFractionDigits: 2 })}%`;
const monthOf = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/** The facts every row of the list must carry (D03-TS columns 1, 2, 5, 6, 14), in the form's order. */
export const D03_REQUIRED = ['insuranceCode', 'citizenId', 'address', 'facility', 'collector'] as const;
export type D03Field = (typeof D03_REQUIRED)[number];
/** The column of the form each required fact goes in (r.<placeholder>). */
const FIELD_PLACEHOLDER: Record<D03Field, string> = {
  insuranceCode: 'r.insuranceCode',
  citizenId: 'r.citizenId',
  address: 'r.address',
  facility: 'r.facility',
  collector: 'r.collector',
};

interface D03Line {
  no: number;
  line: repo.AwardLine;
  values: Values;
  missing: D03Field[];
}

/** The list as the form shows it: header values, one line per live award with what it lacks. */
async function prepare(db: Kysely<DB>, actor: Actor, programmeId: string, options: { today?: string; number?: string } = {}) {
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
  const profile = (await profilesOf(db, [programme.ownerUnitCode])).get(programme.ownerUnitCode);
  const collectors = await collectorsOfVillages(db, lines.map((l) => l.villageCode).filter((v): v is string => !!v));
  const total = lines.reduce((s, l) => s + l.amount, 0);
  const today = options.today ?? todayInVietnam();
  const header: Values = {
    unitName,
    unitCode: profile?.siCode ?? '',
    taxCode: profile?.taxCode ?? '',
    unitAddress: profile?.address ?? '',
    unitPhone: profile?.phone ?? '',
    unitEmail: profile?.email ?? '',
    listNo: options.number?.trim() || '……',
    listMonth: today.slice(5, 7),
    listYear: today.slice(0, 4),
    programme: programme.name,
    groups: groups.map((g) => `${g} – ${groupOn(rules, g, date)?.nameVi ?? g}`).join('; '),
    funding: t('selection:d03.funding', { programme: programme.name }),
    baseSalary: base ? `${formatVnd(base.amount).replace(' ₫', '')} đồng` : '',
    supportRates: groups.map((g) => `${g}: ${percent(share(g))}`).join('; '),
    months: programme.cardMonths,
    fromMonth: monthOf(date),
    purchaseDate: formatDateVi(date),
    date: formatDateVi(today),
    dateLine: formatLongDateVi(today),
    place: placeName(unitName),
    count: lines.length,
    totalAmount: total,
  };
  const rows: D03Line[] = lines.map((l, i) => {
    // a renewal (the person held a card on the purchase date): its own start and months (issue 16)
    const card = donatedCard(date, programme.cardMonths, l.coveredUntil);
    const note = card?.renewal ? t('selection:d03.renewal_note', { until: formatDateVi(l.coveredUntil!), from: formatDateVi(card.from) }) : '';
    const collector = l.villageCode ? collectors.get(l.villageCode)?.[0] : undefined;
    const values: Values = {
      'r.no': i + 1,
      'r.fullName': l.fullName,
      'r.insuranceCode': l.insuranceCode ?? '',
      'r.citizenId': l.citizenId ?? '',
      'r.birthDate': excelDate(l.birthDate),
      'r.sex': l.sex === 'male' ? 'Nam' : l.sex === 'female' ? 'Nữ' : l.sex,
      'r.address': addressWithUnits(l.address, [l.villageName, l.communeName, l.provinceName]),
      'r.commune': l.communeName ?? l.communeCode,
      'r.village': l.villageName ?? '',
      'r.householdCode': l.householdCode ?? '',
      'r.facility': l.facilityCode ? `${l.facilityCode} - ${l.facilityName ?? ''}`.trim() : '',
      'r.group': l.groupCode,
      'r.supportRate': share(l.groupCode) / 10_000,
      'r.amount': l.amount,
      'r.fromMonth': excelDate(card?.from ?? date),
      'r.months': card?.months ?? programme.cardMonths,
      'r.note': note,
      'r.collector': collector?.code ?? '',
    };
    const missing = D03_REQUIRED.filter((f) => values[FIELD_PLACEHOLDER[f]] === '');
    const flag = missing.length ? t('selection:d03.missing', { fields: missing.map((f) => t(`selection:d03.fields.${f}`)).join(', ') }) : '';
    // the template's "Ghi chú" column shows what is missing, the tags, and for a renewal which card it continues
    values['r.tags'] = [flag, l.tags.map((tag) => t(`selection:tags.${tag}`, { defaultValue: tag })).join(', '), note].filter((x) => x !== '').join('; ');
    return { no: i + 1, line: l, values, missing };
  });
  return { programme, header, rows, total, headerMissing: header.unitCode === '' ? (['unitCode'] as const) : ([] as const) };
}

/**
 * What the list lacks before it goes to the office: the rows without a social insurance code, an identity
 * number, an address, a facility or a collector (each with what it lacks), and the unit code the office
 * issued to the programme's unit (its profile). Names are those the user may already see (their scope).
 */
export async function d03Check(db: Kysely<DB>, actor: Actor, programmeId: string) {
  const { rows, total, headerMissing } = await prepare(db, actor, programmeId);
  return {
    rows: rows.length,
    total,
    headerMissing: [...headerMissing],
    incomplete: rows
      .filter((r) => r.missing.length)
      .map((r) => ({ no: r.no, awardId: r.line.id, fullName: r.line.fullName, commune: r.line.communeName ?? r.line.communeCode, missing: r.missing })),
  };
}

const FLAG_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFFF2CC' } };

/**
 * Fills the template with the programme's awards; returns the .xlsx bytes. A list with incomplete rows (or
 * without the unit code) is refused with every row and what it lacks, unless `allowIncomplete`: then those
 * rows go out flagged (the missing cells shaded, "Thiếu: ..." in the notes).
 */
export async function d03Workbook(
  db: Kysely<DB>,
  actor: Actor,
  programmeId: string,
  options: { today?: string; templatePath?: string; allowIncomplete?: boolean; number?: string } = {},
) {
  const { programme, header, rows, total, headerMissing } = await prepare(db, actor, programmeId, options);
  const incomplete = rows.filter((r) => r.missing.length);
  if (!options.allowIncomplete && (incomplete.length || headerMissing.length)) {
    const t = translator(actor.language);
    throw new AppError('validation', { reason: 'd03_incomplete' }, [
      ...headerMissing.map(() => ({ path: 'unitCode', key: 'd03_unit_code_missing', params: { unit: header.unitName } })),
      ...incomplete.map((r) => ({
        path: `rows.${r.no}`,
        key: 'd03_row_incomplete',
        params: { no: r.no, name: r.line.fullName, missing: r.missing.map((f) => t(`selection:d03.fields.${f}`)).join(', ') },
      })),
    ]);
  }

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
    const columnOf = (placeholder: string) => cells.find((c) => typeof c.value === 'string' && c.value.trim() === `{{${placeholder}}}`)?.col;
    if (rows.length === 0) ws.spliceRows(templateRow, 1);
    else if (rows.length > 1) ws.duplicateRow(templateRow, rows.length - 1, true);
    rows.forEach((r, i) => {
      const row = ws.getRow(templateRow + i);
      const values = { ...header, ...r.values };
      for (const { col, value } of cells) row.getCell(col).value = fill(value, values);
      // wrapped cells (address, notes) grow the row: a spreadsheet does not always do it by itself on open
      let lines = 1;
      row.eachCell({ includeEmpty: false }, (cell, col) => {
        const text = typeof cell.value === 'string' ? cell.value : '';
        const width = ws.getColumn(col).width ?? 10;
        if (text && cell.alignment?.wrapText) lines = Math.max(lines, Math.ceil(text.length / Math.max(width * 1.15, 1)));
      });
      row.height = Math.min(15 * lines, 120);
      for (const f of r.missing) {
        const col = columnOf(FIELD_PLACEHOLDER[f]);
        // a copied row shares its style objects: give the flagged cell a style of its own
        if (col) row.getCell(col).style = { ...row.getCell(col).style, fill: FLAG_FILL };
      }
    });
  }
  ws.eachRow({ includeEmpty: false }, (row, n) => {
    if (templateRow && n >= templateRow && n < templateRow + rows.length) return;
    fillRow(row, header);
  });
  const buffer = Buffer.from(await wb.xlsx.writeBuffer());
  const t = translator('vi');
  return { buffer, fileName: `${t('selection:d03.file')}-${programme.publicSlug}.xlsx`, rows: rows.length, total, incomplete: incomplete.length };
}

/**
 * Chooses the initial health-care facility (D03-TS column 6) of awards not yet issued; null goes back to
 * the facility of the person's latest card. The facility must be in the list and active; audited.
 */
export async function setAwardsFacility(db: Kysely<DB>, actor: Actor, programmeId: string, input: { awardIds: string[]; facilityCode: string | null }) {
  requirePermission(actor, SELECTION_WRITE);
  await programmeForActor(db, actor, programmeId, 'write');
  const code = input.facilityCode?.trim() || null;
  if (code) {
    const f = (await facilitiesByCode(db, [code])).get(code);
    if (!f || !f.active) throw new AppError('validation', {}, [{ path: 'facilityCode', key: 'unknown_facility', params: { code } }]);
  }
  return db.transaction().execute(async (trx) => {
    const programme = await programmeForActor(trx, actor, programmeId, 'write');
    const lines = await repo.listAwardLines(trx, programmeId, scopeOf(actor), input.awardIds);
    const found = new Set(lines.map((l) => l.id));
    const fields = input.awardIds.flatMap((id, i) =>
      !found.has(id)
        ? [{ path: `awardIds.${i}`, key: 'unknown_award', params: { id } }]
        : lines.find((l) => l.id === id)!.cardId
          ? [{ path: `awardIds.${i}`, key: 'award_card_issued', params: { id } }]
          : [],
    );
    if (fields.length) throw new AppError('validation', {}, fields);
    const changed = await repo.setAwardFacility(trx, programmeId, input.awardIds, code);
    await audit(trx, actor, {
      action: 'set_facility',
      entity: 'programme',
      entityId: programmeId,
      unitCode: programme.ownerUnitCode,
      before: lines.map((l) => ({ award: l.id, facility: l.facilityCode })),
      after: { awards: input.awardIds, facility: code },
    });
    return { changed };
  });
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
