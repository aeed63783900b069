/**
 * A campaign's closing report (issue 20 item 3): the overall results per kind, the communes ranked, the
 * working groups and the staff members; as .xlsx (one printable sheet, a row per line with its level) and
 * as PDF with the national-motto header of official documents (src/modules/offices/official.ts).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../domain/access';
import { TARGET_KINDS, type Reached, type TargetKind } from '../../domain/campaign';
import { formatDateVi } from '../../domain/dates';
import { formatDecimalIn } from '../../domain/numbers';
import { translator, type Language } from '../../i18n/index';
import { xlsxBuffer, type SheetColumn } from '../../io/excel';
import { pdfPageFooter, pdfTable, renderPdf, type Content, type TableCell } from '../../io/pdf';
import { issuerOf, officialHeader, signatureCell } from '../offices/official';
import { campaignProgress, type CampaignProgress } from './campaigns.service';

const fileBase = (p: CampaignProgress) => `bao-cao-chien-dich-${p.campaign.unitCode}-${p.campaign.startsOn}`;

export async function campaignWorkbook(db: Kysely<DB>, actor: Actor, id: string, today: string, lang: Language = actor.language) {
  const p = await campaignProgress(db, actor, id, {}, today, lang);
  const t = translator(lang);
  const r = (k: string) => t(`campaigns:report.${k}`);
  const columns: SheetColumn[] = [
    { header: r('rank'), key: 'rank', width: 7, type: 'integer' },
    { header: t('campaigns:web.level'), key: 'level', width: 20 },
    { header: t('campaigns:web.ref'), key: 'name', width: 30 },
    ...TARGET_KINDS.flatMap((k): SheetColumn[] => [
      { header: `${t(`campaigns:kinds_short.${k}`)}: ${r('target')}`, key: `${k}_target`, width: 12, type: 'integer' },
      { header: `${t(`campaigns:kinds_short.${k}`)}: ${r('achieved')}`, key: `${k}_achieved`, width: 12, type: 'integer' },
      { header: `${t(`campaigns:kinds_short.${k}`)}: ${r('pct')}`, key: `${k}_pct`, width: 10, type: 'percent' },
    ]),
    { header: r('field_enrolled'), key: 'field', width: 16, type: 'integer' },
  ];
  const kinds = (by: Record<TargetKind, Reached>) => Object.fromEntries(TARGET_KINDS.flatMap((k) => [[`${k}_target`, by[k].target], [`${k}_achieved`, by[k].achieved], [`${k}_pct`, by[k].pct]]));
  const staffKinds = (s: CampaignProgress['staff'][number]) => ({ bhyt_household_target: s.target, bhyt_household_achieved: s.achieved, bhyt_household_pct: s.pct });
  const buffer = await xlsxBuffer(
    {
      name: r('sheet_summary'),
      title: [
        `${r('title')}: ${p.campaign.name}`,
        t('campaigns:report.unit', { unit: p.campaign.unitName }),
        t('campaigns:report.period', { from: formatDateVi(p.campaign.startsOn), to: formatDateVi(p.campaign.endsOn), until: formatDateVi(p.countedUntil) }),
      ],
      columns,
      orientation: 'landscape',
    },
    [
      { rank: null, level: t(`common:levels.${p.campaign.unitLevel}`), name: p.campaign.unitName, ...kinds(p.kinds), field: p.fieldEnrolled },
      ...p.communes.map((c) => ({ rank: c.rank, level: r('commune'), name: c.name, ...kinds(c.kinds), field: c.fieldEnrolled })),
      ...p.groups.map((g) => ({ rank: null, level: r('group'), name: g.name, ...kinds(g.kinds), field: g.fieldEnrolled })),
      ...p.staff.map((s) => ({ rank: null, level: r('person'), name: `${s.displayName} (${s.username})`, ...staffKinds(s), field: s.fieldEnrolled })),
    ],
  );
  return { buffer, fileName: `${fileBase(p)}.xlsx` };
}

export async function campaignPdf(db: Kysely<DB>, actor: Actor, id: string, today: string, lang: Language = actor.language) {
  const p = await campaignProgress(db, actor, id, {}, today, lang);
  const t = translator(lang);
  const r = (k: string, params: Record<string, unknown> = {}) => t(`campaigns:report.${k}`, params);
  const n = (x: number | null) => (x === null ? '' : formatDecimalIn(x, lang));
  const pct = (x: number | null) => (x === null ? '' : `${formatDecimalIn(x, lang)}%`);
  const right = (text: string): TableCell => ({ text, alignment: 'right' });
  const kindCells = (by: Record<TargetKind, Reached>): TableCell[] => TARGET_KINDS.flatMap((k) => [right(n(by[k].target)), right(n(by[k].achieved)), right(pct(by[k].pct))]);
  const kindHeader = TARGET_KINDS.flatMap((k) => [`${t(`campaigns:kinds_short.${k}`)}\n${r('target')}`, r('achieved'), r('pct')]);
  const kindWidths = TARGET_KINDS.flatMap(() => [42, 42, 38]);
  const issuer = await issuerOf(db, p.campaign.unitCode, lang);

  const content: Content[] = [
    officialHeader(issuer, p.countedUntil, lang, r('number')),
    { text: r('title'), style: 'title' },
    { text: p.campaign.name, style: 'subtitle' },
    ...(p.campaign.theme ? [{ text: r('theme', { theme: p.campaign.theme }), alignment: 'center', italics: true, margin: [0, 0, 0, 4] } as Content] : []),
    { text: r('unit', { unit: p.campaign.unitName }), margin: [0, 4, 0, 0] },
    { text: r('period', { from: formatDateVi(p.campaign.startsOn), to: formatDateVi(p.campaign.endsOn), until: formatDateVi(p.countedUntil) }), margin: [0, 0, 0, 8] },
    { text: r('summary'), bold: true, margin: [0, 4, 0, 4] },
    pdfTable(
      [r('kind'), r('target'), r('achieved'), r('pct')],
      [
        ...TARGET_KINDS.map((k): TableCell[] => [t(`campaigns:kinds.${k}`), right(n(p.kinds[k].target)), right(n(p.kinds[k].achieved)), right(pct(p.kinds[k].pct))]),
        [r('field_enrolled'), '', right(n(p.fieldEnrolled)), ''],
      ],
      ['*', 70, 70, 60],
    ),
    { text: r('field_note'), italics: true, fontSize: 8, margin: [0, 2, 0, 8] },
    { text: r('communes'), bold: true, margin: [0, 4, 0, 4] },
    pdfTable(
      [r('rank'), r('commune'), ...kindHeader, r('field_enrolled')],
      p.communes.map((c): TableCell[] => [right(String(c.rank)), c.name, ...kindCells(c.kinds), right(n(c.fieldEnrolled))]),
      [26, '*', ...kindWidths, 60],
    ),
    { text: r('groups'), bold: true, margin: [0, 10, 0, 4] },
    p.groups.length
      ? pdfTable([r('group'), ...kindHeader, r('field_enrolled')], p.groups.map((g): TableCell[] => [g.name, ...kindCells(g.kinds), right(n(g.fieldEnrolled))]), ['*', ...kindWidths, 60])
      : { text: r('none'), italics: true },
    { text: r('staff'), bold: true, margin: [0, 10, 0, 4] },
    p.staff.length
      ? pdfTable(
          [r('person'), `${t('campaigns:kinds_short.bhyt_household')}\n${r('target')}`, r('achieved'), r('pct'), r('field_enrolled')],
          p.staff.map((s): TableCell[] => [`${s.displayName} (${s.username})`, right(n(s.target)), right(n(s.achieved)), right(pct(s.pct)), right(n(s.fieldEnrolled))]),
          ['*', 60, 60, 50, 70],
        )
      : { text: r('none'), italics: true },
    {
      table: { widths: ['*', '*'], body: [[signatureCell(r('signer'), r('signer_hint')), signatureCell(r('head'), r('head_hint'))]] },
      layout: 'noBorders',
      unbreakable: true,
      margin: [0, 16, 0, 0],
    },
  ];
  const pdf = await renderPdf(
    {
      info: { title: `${r('title')} - ${p.campaign.name}` },
      pageOrientation: 'landscape',
      content,
      footer: pdfPageFooter((page, pages) => t('handover:minutes.page', { page, pages })),
    },
    { official: true },
  );
  return { pdf, fileName: `${fileBase(p)}.pdf` };
}
