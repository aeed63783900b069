/**
 * The saved scenarios of a unit side by side (issue 21 item 5): a table (.xlsx, a row per figure and a
 * column per scenario) and a one-page brief (PDF with the national-motto header of official documents,
 * src/modules/offices/official.ts).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../domain/access';
import { formatDateVi } from '../../domain/dates';
import { formatVnd } from '../../domain/money';
import { formatDecimalIn } from '../../domain/numbers';
import { translator, type Language } from '../../i18n/index';
import { xlsxBuffer, type CellValue, type SheetColumn } from '../../io/excel';
import { pdfTable, renderPdf, type Content, type TableCell } from '../../io/pdf';
import { issuerOf, officialHeader, signatureCell } from '../offices/official';
import { listScenarios, type ScenarioView } from './simulator.service';

type Kind = 'text' | 'int' | 'money' | 'pct';
/** The rows of the comparison: label key, kind, value of a scenario. */
const ROWS: [string, Kind, (s: ScenarioView, t: ReturnType<typeof translator>) => CellValue][] = [
  ['form.group', 'text', (s) => s.result.groupName],
  ['form.top_up_kind', 'text', (s, t) => (s.result.topUpPct !== null ? t('simulator:top_up_pct', { pct: s.result.topUpPct }) : t('simulator:top_up_amount', { amount: formatVnd(s.result.topUpAmount ?? 0) }))],
  ['form.from', 'text', (s, t) => t('simulator:period', { from: formatDateVi(s.result.from), to: formatDateVi(s.result.to), months: s.result.months })],
  ['figures.persons', 'int', (s) => s.result.persons],
  ['figures.covered', 'int', (s) => s.result.covered],
  ['figures.uncovered', 'int', (s) => s.result.uncovered],
  ['figures.statePaid', 'int', (s) => s.result.statePaid],
  ['figures.budgetCost', 'money', (s) => s.result.budgetCost],
  ['figures.periodCost', 'money', (s) => s.result.periodCost],
  ['figures.takeUpPct', 'pct', (s) => s.result.takeUpPct],
  ['figures.expectedNew', 'int', (s) => s.result.expectedNew],
  ['figures.coveragePctBefore', 'pct', (s) => s.result.coveragePctBefore],
  ['figures.coveragePctAfter', 'pct', (s) => s.result.coveragePctAfter],
  ['figures.costPerExtraPerson', 'money', (s) => s.result.costPerExtraPerson],
];

const fileBase = (unitCode: string, today: string) => `mo-phong-ho-tro-${unitCode}-${today}`;

export async function scenariosWorkbook(db: Kysely<DB>, actor: Actor, unitCode: string, today: string, lang: Language = actor.language) {
  const scenarios = await listScenarios(db, actor, unitCode);
  const t = translator(lang);
  const unitName = scenarios[0]?.result.unitName ?? unitCode;
  const columns: SheetColumn[] = [
    { header: t('simulator:scenario'), key: 'figure', width: 40, wrap: true },
    ...scenarios.map((s, i): SheetColumn => ({ header: s.name, key: `s${i}`, width: 26, type: 'integer', wrap: true })),
  ];
  const buffer = await xlsxBuffer(
    { name: t('simulator:scenario'), title: [t('simulator:title'), t('simulator:brief_intro', { unit: unitName, date: formatDateVi(today) })], columns, orientation: 'landscape' },
    ROWS.map(([key, kind, value]) => ({
      figure: t(`simulator:${key}`),
      ...Object.fromEntries(scenarios.map((s, i) => [`s${i}`, kind === 'pct' ? `${formatDecimalIn(value(s, t) as number, lang)} %` : value(s, t)])),
    })),
  );
  return { buffer, fileName: `${fileBase(unitCode, today)}.xlsx` };
}

export async function scenariosPdf(db: Kysely<DB>, actor: Actor, unitCode: string, today: string, lang: Language = actor.language) {
  const scenarios = await listScenarios(db, actor, unitCode);
  const t = translator(lang);
  const unitName = scenarios[0]?.result.unitName ?? unitCode;
  const right = (text: string): TableCell => ({ text, alignment: 'right' });
  const cell = (kind: Kind, v: CellValue): TableCell =>
    v === null ? '' : kind === 'money' ? right(formatVnd(v as number)) : kind === 'int' ? right(formatDecimalIn(v as number, lang)) : kind === 'pct' ? right(`${formatDecimalIn(v as number, lang)} %`) : String(v);
  const issuer = await issuerOf(db, unitCode, lang);
  const content: Content[] = [
    officialHeader(issuer, today, lang, t('campaigns:report.number')),
    { text: t('simulator:brief_title'), style: 'title' },
    { text: t('simulator:brief_intro', { unit: unitName, date: formatDateVi(today) }), margin: [0, 4, 0, 8] },
    scenarios.length
      ? pdfTable(
          [t('simulator:scenario'), ...scenarios.map((s) => s.name)],
          ROWS.map(([key, kind, value]): TableCell[] => [t(`simulator:${key}`), ...scenarios.map((s) => cell(kind, value(s, t)))]),
          ['*', ...scenarios.map(() => 110)],
        )
      : { text: t('simulator:none_saved'), italics: true },
    ...scenarios
      .filter((s) => s.rule)
      .map((s): Content => ({
        text: `${s.name}: ${s.rule!.status === 'approved' ? t('simulator:adopted_approved', { decision: s.rule!.decision, from: formatDateVi(s.rule!.from) }) : t('simulator:adopted_draft', { id: s.rule!.id })}`,
        fontSize: 9,
        margin: [0, 4, 0, 0],
      })),
    { text: t('simulator:brief_notes'), italics: true, fontSize: 8, margin: [0, 6, 0, 0] },
    {
      table: { widths: ['*', '*'], body: [[signatureCell(t('campaigns:report.signer'), t('campaigns:report.signer_hint')), signatureCell(t('campaigns:report.head'), t('campaigns:report.head_hint'))]] },
      layout: 'noBorders',
      unbreakable: true,
      margin: [0, 16, 0, 0],
    },
  ];
  const pdf = await renderPdf({ info: { title: t('simulator:brief_title') }, content }, { official: true });
  return { pdf, fileName: `${fileBase(unitCode, today)}.pdf` };
}
