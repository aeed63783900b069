/**
 * Register exports (persons, households, cards as .xlsx or .csv) and the empty import template.
 *
 * Streaming with bounded memory: households are read in keyset pages over (commune code, household code)
 * (the unique index household_commune_code_key), the rows of each page are fetched and written one by one,
 * and the next page is read once the output has drained. The persons export uses exactly the import
 * template's columns, one row per card (a person with several cards is repeated on each of them, one
 * without a card has one row), with the card's number, source, facility and collector: an exported file
 * imports back as "unchanged", and into an empty database as the same register (docs/import-format.md).
 * CSV is UTF-8 with a BOM so that Excel shows Vietnamese.
 * The persons export as .xlsx has a second sheet, "BHXH tự nguyện": the voluntary social insurance periods
 * of its persons, keyed by citizen id (else insurance code), as the import reads them back (import-vsi.ts);
 * `vsi` exports that sheet alone (.xlsx or .csv).
 */
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../db/schema';
import { can, type Actor } from '../../domain/access';
import { formatDateVi, todayInVietnam } from '../../domain/dates';
import { VSI_COLUMNS, VSI_HEADERS_EN, VSI_HEADERS_VI, type VsiColumn } from '../../domain/vsi-row';
import { CANONICAL_COLUMNS, REQUIRED_COLUMNS, TEMPLATE_HEADERS_EN, TEMPLATE_HEADERS_VI, type CanonicalColumn, RELATIONSHIP_KEYS } from '../../domain/register-row';
import { AppError } from '../../errors';
import { translator, type Language } from '../../i18n/index';
import { csvLine, UTF8_BOM } from '../../io/csv';
import { xlsxWriter, type CellValue, type ColumnType } from '../../io/excel';
import { parseInput } from '../../validation';
import * as repo from './register.repository';
import { exportQuery } from './register.schemas';
import { lineageOf } from '../units/units.service';
import { REGISTER_READ, registerFilter } from './register.service';

export type ExportKind = 'persons' | 'households' | 'cards' | 'vsi';
export type ExportFormat = 'xlsx' | 'csv';

export interface ExportOptions {
  /** A province, commune or village inside the actor's scope; default: the whole scope. */
  unit?: string;
  what?: ExportKind;
  format?: ExportFormat;
  /** Language of the headers and labels (default: the actor's). */
  language?: Language;
}

export interface PreparedExport {
  what: ExportKind;
  format: ExportFormat;
  contentType: string;
  /** Writes the whole file to `output` and ends it; resolves with the number of data rows. */
  run(output: Writable): Promise<{ rows: number }>;
}

export const CONTENT_TYPES: Record<ExportFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** Households per page: persons and cards pages hold a few rows per household. */
const PAGE_HOUSEHOLDS: Record<ExportKind, number> = { persons: 1000, cards: 1000, households: 5000, vsi: 5000 };

const exportOptions = exportQuery.extend({ language: z.enum(['vi', 'en']).optional() }).strict();

interface Column<R> {
  key: string;
  header: string;
  width: number;
  /** 'date': `value` gives 'YYYY-MM-DD', written as an Excel date (xlsx) or dd/MM/yyyy (csv). */
  type?: ColumnType;
  value: (row: R) => CellValue;
}

const date = (d: string | null | undefined) => d ?? null;
const DATE_COLUMNS: readonly string[] = ['birth_date', 'card_from', 'card_to'];

/** Column widths of the template columns (characters). */
const WIDTHS: Record<CanonicalColumn, number> = {
  household_code: 12,
  commune_code: 10,
  village: 20,
  address: 28,
  poverty_status: 18,
  full_name: 26,
  relationship: 14,
  birth_date: 12,
  sex: 9,
  citizen_id: 15,
  insurance_code: 14,
  ethnicity: 10,
  phone: 13,
  groups: 12,
  card_group: 12,
  card_from: 12,
  card_to: 12,
  school: 24,
  grade: 6,
  card_number: 17,
  card_source: 16,
  facility_code: 10,
  collector_code: 12,
};

const templateHeaders = (lang: Language) => (lang === 'en' ? TEMPLATE_HEADERS_EN : TEMPLATE_HEADERS_VI);

function labels(lang: Language) {
  const t = translator(lang);
  return {
    t,
    poverty: (status: string, year: number | null) => {
      if (status === 'none') return null;
      const label = t(`register:export.poverty.${status}`);
      return year ? `${label} ${year}` : label;
    },
    sex: (sex: string) => t(`register:export.sex.${sex}`),
    // stored as 'head' or a Vietnamese word: in English the words the register knows are translated
    relationship: (r: string | null) => {
      if (r === 'head') return t('register:export.head');
      const key = r === null ? undefined : RELATIONSHIP_KEYS[r];
      return lang === 'en' && key ? t(`web:register.relationship.${key}`) : r;
    },
  };
}

type PersonRow = Awaited<ReturnType<typeof repo.personsForExport>>[number];
type HouseholdRow = Awaited<ReturnType<typeof repo.householdsForExport>>[number];
type CardRow = Awaited<ReturnType<typeof repo.cardsForExport>>[number];
type VsiRow = Awaited<ReturnType<typeof repo.vsiPeriodsForExport>>[number];

function personColumns(lang: Language): Column<PersonRow>[] {
  const l = labels(lang);
  const value: Record<CanonicalColumn, (r: PersonRow) => CellValue> = {
    household_code: (r) => r.householdCode,
    commune_code: (r) => r.communeCode,
    village: (r) => r.villageName,
    address: (r) => r.address,
    poverty_status: (r) => l.poverty(r.povertyStatus, r.povertyYear),
    full_name: (r) => r.fullName,
    relationship: (r) => l.relationship(r.relationship),
    birth_date: (r) => date(r.birthDate),
    sex: (r) => l.sex(r.sex),
    citizen_id: (r) => r.citizenId,
    insurance_code: (r) => r.insuranceCode,
    ethnicity: (r) => r.ethnicity,
    phone: (r) => r.phone,
    groups: (r) => r.groupCodes.join(', '),
    card_group: (r) => r.cardGroup,
    card_from: (r) => date(r.cardFrom),
    card_to: (r) => date(r.cardTo),
    school: (r) => r.school,
    grade: (r) => r.grade,
    card_number: (r) => r.cardNumber,
    card_source: (r) => (r.cardSource ? l.t(`register:export.source.${r.cardSource}`) : null),
    facility_code: (r) => r.facilityCode,
    collector_code: (r) => r.collectorCode,
  };
  const headers = templateHeaders(lang);
  return CANONICAL_COLUMNS.map((c) => ({ key: c, header: headers[c], width: WIDTHS[c], type: DATE_COLUMNS.includes(c) ? 'date' : undefined, value: value[c] }));
}

function householdColumns(lang: Language): Column<HouseholdRow>[] {
  const l = labels(lang);
  const h = templateHeaders(lang);
  return [
    { key: 'household_code', header: h.household_code, width: WIDTHS.household_code, value: (r) => r.code },
    { key: 'commune_code', header: h.commune_code, width: WIDTHS.commune_code, value: (r) => r.communeCode },
    { key: 'village', header: h.village, width: WIDTHS.village, value: (r) => r.villageName },
    { key: 'address', header: h.address, width: WIDTHS.address, value: (r) => r.address },
    { key: 'poverty_status', header: h.poverty_status, width: WIDTHS.poverty_status, value: (r) => l.poverty(r.povertyStatus, r.povertyYear) },
    { key: 'head_name', header: l.t('register:export.columns.head_name'), width: 26, value: (r) => (r.headName as string | null) ?? null },
    { key: 'member_count', header: l.t('register:export.columns.member_count'), width: 12, type: 'integer', value: (r) => Number(r.memberCount ?? 0) },
  ];
}

function cardColumns(lang: Language): Column<CardRow>[] {
  const l = labels(lang);
  const h = templateHeaders(lang);
  return [
    { key: 'household_code', header: h.household_code, width: WIDTHS.household_code, value: (r) => r.householdCode },
    { key: 'commune_code', header: h.commune_code, width: WIDTHS.commune_code, value: (r) => r.communeCode },
    { key: 'full_name', header: h.full_name, width: WIDTHS.full_name, value: (r) => r.fullName },
    { key: 'birth_date', header: h.birth_date, width: WIDTHS.birth_date, type: 'date', value: (r) => date(r.birthDate) },
    { key: 'citizen_id', header: h.citizen_id, width: WIDTHS.citizen_id, value: (r) => r.citizenId },
    { key: 'insurance_code', header: h.insurance_code, width: WIDTHS.insurance_code, value: (r) => r.insuranceCode },
    { key: 'card_group', header: h.card_group, width: WIDTHS.card_group, value: (r) => r.groupCode },
    { key: 'card_from', header: h.card_from, width: WIDTHS.card_from, type: 'date', value: (r) => date(r.validFrom) },
    { key: 'card_to', header: h.card_to, width: WIDTHS.card_to, type: 'date', value: (r) => date(r.validTo) },
    { key: 'card_number', header: l.t('register:export.columns.card_number'), width: 18, value: (r) => r.number },
    { key: 'card_source', header: l.t('register:export.columns.card_source'), width: 18, value: (r) => l.t(`register:export.source.${r.source}`) },
  ];
}

/** The voluntary social insurance sheet: the columns the import reads back (src/domain/vsi-row.ts). */
function vsiColumns(lang: Language): Column<VsiRow>[] {
  const l = labels(lang);
  const h = lang === 'en' ? VSI_HEADERS_EN : VSI_HEADERS_VI;
  const spec: Record<VsiColumn, Omit<Column<VsiRow>, 'key' | 'header'>> = {
    citizen_id: { width: WIDTHS.citizen_id, value: (r) => r.citizenId },
    insurance_code: { width: WIDTHS.insurance_code, value: (r) => r.insuranceCode },
    full_name: { width: WIDTHS.full_name, value: (r) => r.fullName },
    birth_date: { width: WIDTHS.birth_date, type: 'date', value: (r) => date(r.birthDate) },
    valid_from: { width: 12, type: 'date', value: (r) => date(r.validFrom) },
    valid_to: { width: 12, type: 'date', value: (r) => date(r.validTo) },
    monthly_income: { width: 16, type: 'integer', value: (r) => Number(r.monthlyIncome) },
    payment_months: { width: 14, type: 'integer', value: (r) => r.paymentMonths },
    source: { width: 16, value: (r) => l.t(`register:export.source.${r.source}`, { defaultValue: r.source }) },
  };
  return VSI_COLUMNS.map((c) => ({ key: c, header: h[c], ...spec[c] }));
}

// ---------------------------------------------------------------------------------------------------
// Writers: one interface over CSV and XLSX
// ---------------------------------------------------------------------------------------------------

interface RowWriter {
  add(cells: CellValue[]): void;
  /** XLSX: ends the sheet and starts another with these columns (its header in row 1: importable). */
  nextSheet?(sheet: string, columns: Column<never>[], title: string[]): void;
  /** Hands what was added to the output and waits until it has room for more. */
  flush(): Promise<void>;
  /** Writes the end of the file and ends the output. */
  finish(): Promise<void>;
}

/** Resolves when `output` can take more (or is gone: the caller then stops). */
async function drained(output: Writable): Promise<void> {
  if (!output.writableNeedDrain || output.destroyed) return;
  await new Promise<void>((resolve, reject) => {
    const done = () => {
      output.off('drain', done).off('close', done).off('error', fail);
      resolve();
    };
    const fail = (e: Error) => {
      output.off('drain', done).off('close', done).off('error', fail);
      reject(e);
    };
    output.on('drain', done).on('close', done).on('error', fail);
  });
}

function csvRowWriter(output: Writable, columns: Column<never>[]): RowWriter {
  let buffer = `${UTF8_BOM}${csvLine(columns.map((c) => c.header))}\r\n`;
  const dates = columns.flatMap((c, i) => (c.type === 'date' ? [i] : []));
  const flush = async () => {
    if (buffer !== '') output.write(buffer);
    buffer = '';
    await drained(output);
  };
  return {
    add: (cells) => {
      for (const i of dates) if (typeof cells[i] === 'string') cells[i] = formatDateVi(cells[i]);
      buffer += `${csvLine(cells)}\r\n`;
    },
    flush,
    async finish() {
      await flush();
      await new Promise<void>((resolve) => output.end(resolve));
    },
  };
}

/**
 * The title goes in rows above the header, except in the persons export, which imports back (the importer
 * takes the first row as the header): there it is printed in the page header only.
 */
function xlsxRowWriter(output: Writable, sheet: string, columns: Column<never>[], title: string[], importable: boolean): RowWriter {
  const writer = xlsxWriter(output, {
    name: sheet,
    columns: columns.map((c) => ({ header: c.header, key: c.key, width: c.width, type: c.type })),
    ...(importable ? { pageHeader: title.join(' · ') } : { title }),
  });
  let current = columns;
  return {
    add: (cells) => writer.add(Object.fromEntries(current.map((c, i) => [c.key, cells[i] ?? null]))),
    nextSheet: (name, next, nextTitle) => {
      current = next;
      writer.nextSheet({ name, columns: next.map((c) => ({ header: c.header, key: c.key, width: c.width, type: c.type })), pageHeader: nextTitle.join(' · ') });
    },
    flush: () => drained(output),
    finish: () => writer.finish(),
  };
}

// ---------------------------------------------------------------------------------------------------
// Export
// ---------------------------------------------------------------------------------------------------

/**
 * Checks the request (permission, options, unit in scope) before anything is written, so that a refusal
 * is an ordinary error and not a broken download; `run` then streams the file.
 */
export async function prepareExport(db: Kysely<DB>, actor: Actor, options: ExportOptions): Promise<PreparedExport> {
  if (!can(actor, REGISTER_READ)) throw new AppError('forbidden');
  const o = parseInput(exportOptions, options);
  const filter = await registerFilter(db, actor, o.unit);
  const lang: Language = o.language ?? actor.language;
  const t = translator(lang);
  const unitCode = o.unit?.trim() || actor.scopeCode;
  const unit = unitCode ? (await lineageOf(db, unitCode))?.unit : undefined;
  const unitName = unit ? `${unit.name} (${unit.code})` : t('register:export.all_units');

  async function run(output: Writable): Promise<{ rows: number }> {
    const sheet = t(`register:export.sheet.${o.what}`);
    const title = [t(`register:export.title.${o.what}`), t('register:export.subtitle', { unit: unitName, date: formatDateVi(todayInVietnam()) })];
    const importable = o.what === 'persons' || o.what === 'vsi';
    /** Writes the rows of every page of households; returns how many. */
    const pages = async <R>(writer: RowWriter, columns: Column<R>[], fetch: (ids: string[]) => Promise<R[]>, perPage: number) => {
      let rows = 0;
      let after: repo.HouseholdKey | undefined;
      for (;;) {
        const keys = await repo.householdKeysAfter(db, filter, after, perPage);
        if (keys.length === 0) break;
        for (const row of await fetch(keys.map((k) => k.id))) {
          writer.add(columns.map((c) => c.value(row)));
          rows++;
        }
        await writer.flush();
        if (output.destroyed) throw new Error('export output closed before the end');
        if (keys.length < perPage) break;
        after = keys[keys.length - 1];
      }
      return rows;
    };
    const page = async <R>(columns: Column<R>[], fetch: (ids: string[]) => Promise<R[]>) => {
      const writer =
        o.format === 'csv' ? csvRowWriter(output, columns as Column<never>[]) : xlsxRowWriter(output, sheet, columns as Column<never>[], title, importable);
      const rows = await pages(writer, columns, fetch, PAGE_HOUSEHOLDS[o.what]);
      // the persons workbook carries their voluntary social insurance periods on a second sheet
      if (o.what === 'persons' && writer.nextSheet) {
        const columns = vsiColumns(lang);
        writer.nextSheet(t('register:export.sheet.vsi'), columns as Column<never>[], [t('register:export.title.vsi'), title[1]]);
        await pages(writer, columns, (ids) => repo.vsiPeriodsForExport(db, ids), PAGE_HOUSEHOLDS.vsi);
      }
      await writer.finish();
      return { rows };
    };
    if (o.what === 'persons') return page(personColumns(lang), (ids) => repo.personsForExport(db, ids));
    if (o.what === 'vsi') return page(vsiColumns(lang), (ids) => repo.vsiPeriodsForExport(db, ids));
    if (o.what === 'cards') return page(cardColumns(lang), (ids) => repo.cardsForExport(db, ids));
    return page(householdColumns(lang), (ids) => repo.householdsForExport(db, ids));
  }

  return { what: o.what, format: o.format, contentType: CONTENT_TYPES[o.format], run };
}

/** Writes a register export to `output` (and ends it). The same function serves the API and the CLI. */
export async function exportRegister(db: Kysely<DB>, actor: Actor, options: ExportOptions, output: Writable): Promise<{ rows: number }> {
  return (await prepareExport(db, actor, options)).run(output);
}

/** `persons-02905-2025-10-01.xlsx`: what, the unit (or the user's scope, or "all"), the date. */
export function exportFileName(what: ExportKind, unit: string | undefined, actor: Actor, today: string, format: ExportFormat): string {
  const where = (unit?.trim() || actor.scopeCode || 'all').replace(/[^A-Za-z0-9._-]+/g, '_');
  return `${what}-${where}-${today}.${format}`;
}

// ---------------------------------------------------------------------------------------------------
// Template
// ---------------------------------------------------------------------------------------------------

/** Columns kept as text so that Excel does not drop leading zeros (codes, ids, phone numbers). */
const TEXT_COLUMNS: readonly CanonicalColumn[] = [
  'household_code',
  'commune_code',
  'citizen_id',
  'insurance_code',
  'phone',
  'birth_date',
  'card_from',
  'card_to',
  'card_number',
  'facility_code',
  'collector_code',
];

/**
 * The empty import template: a first sheet with the template headers (bold, frozen, sized; required
 * columns highlighted; code, id, phone and date columns formatted as text) and a guide sheet that lists
 * each column with what it means and an example. The importer reads the first sheet only.
 */
export async function writeTemplate(output: Writable, language: Language): Promise<void> {
  const t = translator(language);
  const headers = templateHeaders(language);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'coverdesk';

  const list = workbook.addWorksheet(t('register:template.sheet'), { views: [{ state: 'frozen', ySplit: 1 }] });
  list.columns = CANONICAL_COLUMNS.map((c) => ({
    header: headers[c],
    key: c,
    width: Math.max(WIDTHS[c], headers[c].length + 2),
    ...(TEXT_COLUMNS.includes(c) ? { style: { numFmt: '@' } } : {}),
  }));
  const header = list.getRow(1);
  header.font = { bold: true };
  CANONICAL_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.font = { bold: true };
    cell.alignment = { vertical: 'middle', wrapText: true };
    cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: REQUIRED_COLUMNS.includes(c) ? 'FFFCE4D6' : 'FFDDEBF7' } };
    cell.note = t(`register:template.columns.${c}.meaning`);
  });
  header.commit();
  list.commit();

  const guide = workbook.addWorksheet(t('register:template.guide_sheet'));
  guide.columns = [
    { header: t('register:template.guide.column'), key: 'column', width: 24 },
    { header: t('register:template.guide.required'), key: 'required', width: 10 },
    { header: t('register:template.guide.meaning'), key: 'meaning', width: 80 },
    { header: t('register:template.guide.example'), key: 'example', width: 22 },
  ];
  guide.getRow(1).font = { bold: true };
  guide.getRow(1).commit();
  for (const c of CANONICAL_COLUMNS) {
    const row = guide.addRow({
      column: headers[c],
      required: REQUIRED_COLUMNS.includes(c) ? t('register:template.guide.yes') : '',
      meaning: t(`register:template.columns.${c}.meaning`),
      example: t(`register:template.columns.${c}.example`),
    });
    row.getCell(3).alignment = { wrapText: true, vertical: 'top' };
    row.commit();
  }
  guide.addRow({}).commit();
  for (const note of ['note_rows', 'note_required', 'note_text', 'note_files']) {
    const row = guide.addRow({ column: t(`register:template.${note}`) });
    row.commit();
  }
  guide.commit();
  await workbook.commit();
}
