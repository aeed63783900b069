/**
 * A plan's printable status report (issue 21 item 4): the goals with current, projected and at-risk, the
 * tasks with their status and overdue flag, and for a provincial plan the communes' scorecard; as PDF under
 * the national-motto header of official documents (src/modules/offices/official.ts) and as one .xlsx sheet.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../domain/access';
import { formatDateVi } from '../../domain/dates';
import { deadlineText } from '../../domain/plans';
import { formatDecimalIn } from '../../domain/numbers';
import { translator, type Language } from '../../i18n/index';
import { xlsxBuffer } from '../../io/excel';
import { pdfPageFooter, pdfTable, renderPdf, type Content, type TableCell } from '../../io/pdf';
import { issuerOf, officialHeader, signatureCell } from '../offices/official';
import { planStatus, type PlanStatus } from './plans.service';

const fileBase = (s: PlanStatus) => `bao-cao-ke-hoach-${s.plan.number.replace(/[^\p{L}\p{N}-]+/gu, '-')}-${s.plan.unitCode}-${s.date}`;

function texts(lang: Language) {
  const t = translator(lang);
  const r = (k: string, p: Record<string, unknown> = {}) => t(`plans:report.${k}`, p);
  const n = (x: number | null) => (x === null ? '' : formatDecimalIn(x, lang));
  const value = (x: number | null, measure: string) => (x === null ? '' : measure === 'percent' ? `${n(x)}%` : n(x));
  return { t, r, n, value };
}

export async function planReportPdf(db: Kysely<DB>, actor: Actor, id: string, query: { date?: string }, today: string, lang: Language = actor.language) {
  const s = await planStatus(db, actor, id, query, today);
  const { t, r, n, value } = texts(lang);
  const right = (text: string): TableCell => ({ text, alignment: 'right' });
  const issuer = await issuerOf(db, s.plan.unitCode, lang);
  const done = s.tasks.filter((x) => x.status === 'done').length;
  const content: Content[] = [
    officialHeader(issuer, s.date, lang, r('number')),
    { text: r('title'), style: 'title' },
    { text: r('plan', { number: s.plan.number, date: formatDateVi(s.plan.issuedOn), title: s.plan.title }), style: 'subtitle' },
    ...(s.plan.implements ? [{ text: r('implements', { document: s.plan.implements }), alignment: 'center', italics: true } as Content] : []),
    { text: `${s.plan.unitName}. ${r('as_of', { date: formatDateVi(s.date) })}`, margin: [0, 6, 0, 8] },
    { text: r('goals'), bold: true, margin: [0, 4, 0, 4] },
    s.goals.length
      ? pdfTable(
          [r('metric'), r('goal'), r('by_date'), r('current'), r('projected'), r('gap'), r('at_risk')],
          s.goals.map((g): TableCell[] => [
            t(`plans:metrics.${g.metric}`),
            right(value(g.value, g.measure)),
            formatDateVi(g.byDate),
            right(value(g.current, g.measure)),
            right(value(g.projected, g.measure)),
            right(value(g.gap, g.measure)),
            g.atRisk ? { text: r('yes'), bold: true, color: '#b00020' } : '',
          ]),
          ['*', 50, 58, 52, 58, 50, 48],
        )
      : { text: r('none'), italics: true },
    { text: r('tasks'), bold: true, margin: [0, 10, 0, 4] },
    { text: r('summary', { total: s.tasks.length, done, overdue: s.tasks.filter((x) => x.overdue).length }), margin: [0, 0, 0, 4] },
    s.tasks.length
      ? pdfTable(
          [t('plans:table.no'), t('plans:table.content'), t('plans:table.responsible'), t('plans:table.deadline'), r('status')],
          s.tasks.map((x): TableCell[] => [
            right(String(x.no)),
            x.content,
            [x.responsible, ...x.coordinating].join('; '),
            deadlineText(x.deadline, x.recurrence, lang),
            x.overdue ? { text: `${t(`plans:statuses.${x.status}`)}\n${r('overdue')}`, color: '#b00020', bold: true } : `${t(`plans:statuses.${x.status}`)}${x.dueSoon ? `\n${r('due_soon')}` : ''}`,
          ]),
          [24, '*', 110, 80, 70],
        )
      : { text: r('none'), italics: true },
    ...(s.scorecard
      ? [
          { text: r('scorecard'), bold: true, margin: [0, 10, 0, 4] } as Content,
          pdfTable(
            [r('rank'), r('commune'), `${r('target')} (${t(`plans:measures.${s.scorecard.measure}`)})`, r('current'), r('gap')],
            s.scorecard.communes.map((c): TableCell[] => [right(c.rank === null ? '' : String(c.rank)), c.name, right(n(c.target)), right(n(c.current)), right(n(c.gap))]),
            [36, '*', 80, 70, 60],
          ),
        ]
      : []),
    {
      table: { widths: ['*', '*'], body: [[signatureCell(r('signer'), r('signer_hint')), signatureCell(r('head'), r('head_hint'))]] },
      layout: 'noBorders',
      unbreakable: true,
      margin: [0, 16, 0, 0],
    },
  ];
  const pdf = await renderPdf({ info: { title: `${r('title')} - ${s.plan.number}` }, content, footer: pdfPageFooter((page, pages) => r('page', { page, pages })) }, { official: true });
  return { pdf, fileName: `${fileBase(s)}.pdf` };
}

export async function planReportWorkbook(db: Kysely<DB>, actor: Actor, id: string, query: { date?: string }, today: string, lang: Language = actor.language) {
  const s = await planStatus(db, actor, id, query, today);
  const { t, r } = texts(lang);
  const status = (x: PlanStatus['tasks'][number]) => `${t(`plans:statuses.${x.status}`)}${x.overdue ? ` (${r('overdue')})` : x.dueSoon ? ` (${r('due_soon')})` : ''}`;
  const buffer = await xlsxBuffer(
    {
      name: r('sheet'),
      title: [r('title'), t('plans:report.plan', { number: s.plan.number, date: formatDateVi(s.plan.issuedOn), title: s.plan.title }), `${s.plan.unitName}. ${r('as_of', { date: formatDateVi(s.date) })}`],
      columns: [
        { header: r('section'), key: 'section', width: 12 },
        { header: t('plans:table.no'), key: 'no', width: 6, type: 'integer' },
        { header: `${t('plans:table.content')} / ${r('metric')}`, key: 'what', width: 50, wrap: true },
        { header: `${t('plans:table.responsible')} / ${r('commune')}`, key: 'who', width: 28, wrap: true },
        { header: `${t('plans:table.deadline')} / ${r('by_date')}`, key: 'when', width: 22 },
        { header: `${r('goal')} / ${r('target')}`, key: 'goal', width: 12, type: 'number' },
        { header: r('current'), key: 'current', width: 12, type: 'number' },
        { header: r('projected'), key: 'projected', width: 12, type: 'number' },
        { header: `${r('status')} / ${r('rank')}`, key: 'status', width: 24 },
      ],
      orientation: 'landscape',
    },
    [
      ...s.goals.map((g, i) => ({
        section: r('metric'),
        no: i + 1,
        what: `${t(`plans:metrics.${g.metric}`)} (${t(`plans:measures.${g.measure}`)})`,
        who: s.plan.unitName,
        when: formatDateVi(g.byDate),
        goal: g.value,
        current: g.current,
        projected: g.projected,
        status: g.atRisk ? r('at_risk') : '',
      })),
      ...s.tasks.map((x) => ({ section: t('plans:table.sheet'), no: x.no, what: x.content, who: [x.responsible, ...x.coordinating].join('; '), when: deadlineText(x.deadline, x.recurrence, lang), status: status(x) })),
      ...(s.scorecard?.communes ?? []).map((c) => ({ section: r('commune'), no: c.rank, what: '', who: c.name, goal: c.target, current: c.current, status: c.rank === null ? '' : String(c.rank) })),
    ],
  );
  return { buffer, fileName: `${fileBase(s)}.xlsx` };
}
