/**
 * The coverage dashboard's tables as .xlsx (headers from the catalogue, in the user's language) and the
 * dashboard as a PDF (headline measures with the source of each number, the table of units below, and a
 * note on where the numbers come from). Numbers stay numbers in Excel (percentages as percentages);
 * the PDF formats them the Vietnamese way (1.475.810, 93,42 %, dd/MM/yyyy).
 */
import type { Writable } from 'node:stream';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../domain/access';
import { formatDateVi } from '../../domain/dates';
import { translator, type Language } from '../../i18n/index';
import { xlsxWriter, type CellValue, type ColumnType, type SheetColumn } from '../../io/excel';
import { pdfPageFooter, pdfTable, renderPdf, type Content, type TableCell } from '../../io/pdf';
import { lineageOf } from '../units/units.service';
import * as coverage from './coverage.service';
import { staffProgress } from './figures.service';

export const EXPORT_TABLES = ['children', 'low', 'pupils', 'staff'] as const;
export type ExportTable = (typeof EXPORT_TABLES)[number];

export interface ExportQuery {
  unit: string;
  date: string;
  /** low: the threshold (% of population) when a unit has no target. */
  threshold?: number;
  /** staff: the year of the targets (default: the year of the date). */
  year?: number;
}

interface Sheet {
  name: string;
  file: string;
  /** The title, the unit and the date: rows above the table. */
  title: string[];
  columns: SheetColumn[];
  rows: Record<string, CellValue>[];
}

/** Counts, and percentages (in percent: written as fractions shown 93.4%). */
const COLUMN_TYPES: Record<string, ColumnType> = {
  population: 'integer',
  participants: 'integer',
  plan: 'integer',
  yoyChange: 'integer',
  expiring30: 'integer',
  neverInsured: 'integer',
  rank: 'integer',
  target: 'integer',
  missing: 'integer',
  pupils: 'integer',
  covered: 'integer',
  staffTarget: 'integer',
  recruited: 'integer',
  pctPlan: 'percent',
  pctPopulation: 'percent',
  pct: 'percent',
  reportedAsOf: 'date',
};

const source = (t: ReturnType<typeof translator>, s: coverage.Source | null) => (s ? t(`coverage:export.source.${s}`) : '');

/**
 * The warning for a unit whose headline numbers come from reported figures too old for the date: each
 * stale figure with the day it is from.
 */
export function staleText(t: ReturnType<typeof translator>, c: coverage.UnitCoverage, lang: Language): string {
  const day = (iso: string | undefined) => (iso ? (lang === 'vi' ? formatDateVi(iso) : iso) : '–');
  const parts = (c.reported?.staleFields ?? []).map((f) =>
    f === 'plan'
      ? t('coverage:stale.plan', { year: c.reported!.planYear })
      : t(`coverage:stale.${f}`, { date: day(c.reported!.dates[f]) }),
  );
  return t('coverage:stale.warning', { date: day(c.date), figures: parts.join('; ') });
}

/** The rows and headers of one dashboard table. */
export async function exportSheet(db: Kysely<DB>, actor: Actor, table: ExportTable, query: ExportQuery, lang: Language): Promise<Sheet> {
  const t = translator(lang);
  const col = (key: string, width = 14): SheetColumn => ({ key, header: t(`coverage:export.columns.${key}`), width, type: COLUMN_TYPES[key] });
  const unit = (await lineageOf(db, query.unit))?.unit;
  const base = {
    name: t(`coverage:export.sheets.${table}`),
    file: `${t(`coverage:export.files.${table}`)}-${query.unit}-${query.date}`,
    title: [t(`coverage:export.sheets.${table}`), t('coverage:export.subtitle', { unit: unit ? `${unit.name} (${unit.code})` : query.unit, date: formatDateVi(query.date) })],
  };
  if (table === 'children') {
    const r = await coverage.coverageOf(db, actor, query.unit, query.date);
    return {
      ...base,
      columns: [
        col('code', 10),
        col('name', 28),
        col('population'),
        col('participants'),
        col('plan'),
        col('pctPlan'),
        col('pctPopulation'),
        col('yoyChange'),
        col('expiring30'),
        col('neverInsured'),
        col('source', 22),
        col('reportedAsOf', 14),
        col('staleWarning', 40),
      ],
      rows: r.children.map((c) => ({
        code: c.unit,
        name: c.name,
        population: c.population,
        participants: c.participants,
        plan: c.plan,
        pctPlan: c.pctPlan,
        pctPopulation: c.pctPopulation,
        yoyChange: c.yoyChange,
        expiring30: c.expiring30,
        neverInsured: c.neverInsured,
        source: source(t, c.sources.participants),
        reportedAsOf: c.reported ? (c.reported.dates.participants ?? c.reported.asOf) : null,
        staleWarning: c.stale ? staleText(t, c, lang) : null,
      })),
    };
  }
  if (table === 'low') {
    const items = await coverage.lowCoverage(db, actor, { unit: query.unit, date: query.date, threshold: query.threshold });
    return {
      ...base,
      columns: [col('rank', 8), col('code', 10), col('name', 28), col('population'), col('participants'), col('pctPopulation'), col('pctPlan'), col('target'), col('missing')],
      rows: items.map((c, i) => ({ rank: i + 1, code: c.unit, name: c.name, population: c.population, participants: c.participants, pctPopulation: c.pctPopulation, pctPlan: c.pctPlan, target: c.target, missing: c.missing })),
    };
  }
  if (table === 'pupils') {
    const p = await coverage.pupils(db, actor, { unit: query.unit, date: query.date });
    return {
      ...base,
      name: `${base.name} ${p.schoolYear}`,
      title: [`${base.name} ${p.schoolYear}`, base.title[1]],
      columns: [col('school', 32), col('pupils'), col('covered'), col('pct'), col('missing')],
      rows: [
        ...p.schools.map((s) => ({ school: s.school ?? t('coverage:export.noSchool'), pupils: s.pupils, covered: s.covered, pct: s.pct, missing: s.missing })),
        { school: t('coverage:export.total'), pupils: p.total.pupils, covered: p.total.covered, pct: p.total.pct, missing: p.total.missing },
      ],
    };
  }
  const year = query.year ?? Number(query.date.slice(0, 4));
  const items = await staffProgress(db, actor, { unit: query.unit, year });
  return {
    ...base,
    name: `${base.name} ${year}`,
    title: [`${base.name} ${year}`, base.title[1]],
    columns: [col('username', 16), col('displayName', 24), col('unit', 28), col('staffTarget'), col('recruited'), col('pct'), col('missing')],
    rows: items.map((s) => ({
      username: s.username,
      displayName: s.displayName,
      unit: s.unitCode ? `${s.unitName ?? ''} (${s.unitCode})` : '',
      staffTarget: s.participants,
      recruited: s.recruited,
      pct: s.pct,
      missing: s.missing,
    })),
  };
}

/** Writes a sheet as .xlsx to `out` (a stream: a file or an HTTP response). */
export async function writeSheet(sheet: Sheet, out: Writable): Promise<void> {
  // Excel refuses sheet names over 31 characters or with []:*?/\
  const w = xlsxWriter(out, { name: sheet.name.replace(/[[\]:*?/\\]/g, ' ').slice(0, 31), columns: sheet.columns, title: sheet.title });
  for (const r of sheet.rows) w.add(r);
  await w.finish();
}

// ---------------------------------------------------------------------------------------------------
// Door-to-door lists
// ---------------------------------------------------------------------------------------------------

export type VisitRow = Awaited<ReturnType<typeof coverage.actionList>>[number];

/**
 * The door-to-door list (persons without a card, or whose card ends soon) as a sheet a village head can
 * carry: the title, the commune and village, the date, a numbered table with borders and rows tall enough
 * to write in, a notes column; A4 landscape fit to the width, the header repeated on every page.
 */
export async function writeVisitList(
  db: Kysely<DB>,
  query: { unit: string; date: string; kind: 'uncovered' | 'expiring'; days: number },
  rows: VisitRow[],
  lang: Language,
  out: Writable,
): Promise<void> {
  const t = translator(lang);
  const found = await lineageOf(db, query.unit);
  const unit = found?.unit;
  const commune = unit?.level === 'village' ? found?.ancestors.find((a) => a.level === 'commune') : undefined;
  const where =
    unit?.level === 'village'
      ? `${t('coverage_list.where_commune', { commune: commune?.name ?? unit.parentCode })} · ${t('coverage_list.where_village', { village: unit.name })}`
      : unit?.level === 'commune'
        ? t('coverage_list.where_commune', { commune: `${unit.name} (${unit.code})` })
        : t('coverage_list.where_unit', { unit: unit ? `${unit.name} (${unit.code})` : query.unit });
  const date = formatDateVi(query.date);
  const when = query.kind === 'expiring' ? t('coverage_list.expiring_within', { days: query.days, date }) : t('coverage_list.on_date', { date });
  const columns = [
    { key: 'no', width: 5, type: 'integer' as const },
    ...(unit?.level === 'village' ? [] : [{ key: 'villageName', width: 16, wrap: true }]),
    { key: 'householdCode', width: 14 },
    { key: 'fullName', width: 24, wrap: true },
    { key: 'birthDate', width: 11, type: 'date' as const },
    { key: 'sex', width: 9 },
    { key: 'address', width: 28, wrap: true },
    { key: 'phone', width: 12 },
    { key: 'groupCodes', width: 10, wrap: true },
    { key: 'cardTo', width: 11, type: 'date' as const },
    { key: 'note', width: 22 },
  ];
  const w = xlsxWriter(out, {
    name: t(`coverage_list.sheet_${query.kind}`),
    title: [t(`coverage_list.title_${query.kind}`), where, `${when} · ${t('coverage_list.count', { count: rows.length })}`],
    columns: columns.map((c) => ({ ...c, header: t(`coverage_list.${c.key}`) })),
    orientation: 'landscape',
    grid: true,
  });
  rows.forEach((r, i) =>
    w.add({
      no: i + 1,
      villageName: r.villageName,
      householdCode: r.householdCode,
      fullName: r.fullName,
      birthDate: r.birthDate,
      sex: t(`coverage_list.${r.sex}`),
      address: r.address,
      phone: r.phone,
      groupCodes: r.groupCodes.join(', '),
      cardTo: r.cardTo,
    }),
  );
  await w.finish();
}

// ---------------------------------------------------------------------------------------------------
// PDF
// ---------------------------------------------------------------------------------------------------

function formatters(lang: Language) {
  const n = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { maximumFractionDigits: 0 });
  const p = new Intl.NumberFormat(lang === 'vi' ? 'vi-VN' : 'en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return {
    count: (v: number | null | undefined) => (v === null || v === undefined ? '–' : n.format(v)),
    signed: (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${v > 0 ? '+' : ''}${n.format(v)}`),
    pct: (v: number | null | undefined) => (v === null || v === undefined ? '–' : `${p.format(v)} %`),
    date: (iso: string) => (lang === 'vi' ? formatDateVi(iso) : iso),
  };
}

/**
 * The dashboard of a unit on a date as a PDF: headline measures with their source, the table of the units
 * below it, and where the numbers come from.
 */
export async function dashboardPdf(db: Kysely<DB>, actor: Actor, query: { unit: string; date: string }, lang: Language): Promise<Buffer> {
  const t = translator(lang);
  const f = formatters(lang);
  const r = await coverage.coverageOf(db, actor, query.unit, query.date);
  const src = (s: coverage.Source | null) => (s ? t(`coverage:export.source.${s}`) : '–');
  // a reported number says the day it is from
  const srcOn = (s: coverage.Source | null, day: string | undefined) =>
    s === 'reported' && day ? `${src(s)} · ${t('coverage:pdf.asOf', { date: f.date(day) })}` : src(s);
  const dates = r.reported?.dates ?? {};
  const headline: TableCell[][] = [
    [t('coverage:export.columns.participants'), f.count(r.participants), srcOn(r.sources.participants, dates.participants)],
    [t('coverage:export.columns.pctPlan'), f.pct(r.pctPlan), r.plan === null ? '–' : t('coverage:pdf.ofPlan', { plan: f.count(r.plan) })],
    [t('coverage:export.columns.pctPopulation'), f.pct(r.pctPopulation), r.population === null ? '–' : t('coverage:pdf.ofPopulation', { population: f.count(r.population) })],
    [t('coverage:export.columns.yoyChange'), f.signed(r.yoyChange), src(r.sources.participants)],
    [t('coverage:export.columns.population'), f.count(r.population), srcOn(r.sources.population, dates.population)],
    [t('coverage:export.columns.plan'), f.count(r.plan), r.reported?.planDecision ? `${srcOn(r.sources.plan, dates.plan)} · ${r.reported.planDecision}` : srcOn(r.sources.plan, dates.plan)],
    [t('coverage:export.columns.expiring30'), f.count(r.expiring30), r.expiring30 === null ? '–' : src('register')],
    [t('coverage:export.columns.neverInsured'), f.count(r.neverInsured), r.neverInsured === null ? '–' : src('register')],
  ];
  const sources: string[] = [];
  if (r.register)
    sources.push(t('coverage:pdf.sourceRegister', { date: f.date(r.date), population: f.count(r.register.population), participants: f.count(r.register.participants) }));
  if (r.reported)
    sources.push(
      t('coverage:pdf.sourceReported', {
        date: f.date(r.reported.asOf),
        participants: f.count(r.reported.participants),
        population: f.count(r.reported.population),
        source: r.reported.source ?? t('coverage:pdf.noSourceGiven'),
      }),
    );
  if (r.difference?.participants !== null && r.difference?.participants !== undefined)
    sources.push(t('coverage:pdf.difference', { participants: f.signed(r.difference.participants), population: f.signed(r.difference.population) }));
  if (r.reported?.participantsYearAgo !== null && r.reported?.participantsYearAgo !== undefined && r.sources.participants === 'reported')
    sources.push(
      r.reported.yearAgoFromOldCommunes?.length
        ? t('coverage:pdf.yearAgoOldCommunes', {
            value: f.count(r.reported.participantsYearAgo),
            communes: r.reported.yearAgoFromOldCommunes.map((o) => `${o.oldName} (${o.oldCode}): ${f.count(o.participants)}, ${f.date(o.asOf)}`).join('; '),
          })
        : t('coverage:pdf.yearAgoReported', { value: f.count(r.reported.participantsYearAgo) }),
    );
  if (r.reported && r.sources.participants === 'reported' && r.reported.participants !== null && r.reported.participantsYearAgo === null)
    sources.push(t('coverage:pdf.noYearAgo'));
  if (r.register && r.sources.participants === 'register') sources.push(t('coverage:pdf.yearAgoRegister', { value: f.count(r.register.participantsYearAgo) }));
  if (sources.length === 0) sources.push(t('coverage:pdf.noData'));

  const content: Content[] = [
    { text: t('coverage:pdf.title', { name: r.name }), style: 'title' },
    { text: t('coverage:pdf.subtitle', { date: f.date(r.date) }), style: 'subtitle' },
    { text: t('coverage:pdf.headline'), style: 'heading' },
    pdfTable([t('coverage:pdf.measure'), t('coverage:pdf.value'), t('coverage:pdf.source')], headline, ['*', 'auto', '*']),
  ];
  if (r.stale) content.splice(2, 0, { text: staleText(t, r, lang), bold: true, color: '#b42318', margin: [0, 0, 0, 6] });
  const staleChildren = r.children.filter((c) => c.stale);
  if (r.children.length) {
    content.push({ text: t(r.level === 'province' ? 'coverage:pdf.communes' : 'coverage:pdf.villages', { count: r.children.length }), style: 'heading' });
    content.push(
      pdfTable(
        ['code', 'name', 'population', 'participants', 'pctPlan', 'pctPopulation', 'yoyChange', 'expiring30', 'source'].map((k) => t(`coverage:export.columns.${k}`)),
        r.children.map((c) => [
          c.unit,
          c.name,
          { text: f.count(c.population), alignment: 'right' },
          { text: f.count(c.participants), alignment: 'right' },
          { text: f.pct(c.pctPlan), alignment: 'right' },
          { text: f.pct(c.pctPopulation), alignment: 'right' },
          { text: f.signed(c.yoyChange), alignment: 'right' },
          { text: f.count(c.expiring30), alignment: 'right' },
          src(c.sources.participants),
        ]),
        ['auto', '*', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto', 'auto'],
      ),
    );
  }
  if (staleChildren.length)
    content.push({
      text: t('coverage:pdf.staleUnits', { count: staleChildren.length, units: staleChildren.map((c) => c.name).join(', ') }),
      bold: true,
      color: '#b42318',
      margin: [0, 6, 0, 0],
    });
  content.push({ text: t('coverage:pdf.sources'), style: 'heading' });
  content.push({ ul: sources });
  content.push({ text: t('coverage:pdf.sourceNote'), style: 'small', margin: [0, 6, 0, 0] });
  return renderPdf({
    pageOrientation: 'landscape',
    info: { title: t('coverage:pdf.title', { name: r.name }) },
    defaultStyle: { fontSize: 9 },
    footer: pdfPageFooter((page, pages) => t('coverage:pdf.page', { page, pages })),
    content,
  });
}
