/**
 * The handover minutes of an event (biên bản bàn giao thẻ BHYT), a PDF in Vietnamese by default: title,
 * programme, commune, date and place, the parties (social insurance office, commune, donor representative),
 * the table of cards with a signature column, and the signature table at the bottom. A staff document:
 * full names and card numbers are on it.
 *
 * Issue 18 item 6: the header names the office that issues the minutes (the grassroots social insurance
 * office serving the commune under its provincial office; where none is recorded, the commune People's
 * Committee that holds the handover), then "Số: .../BB-..." and, under the motto, the place and date line
 * "Bảo Thắng, ngày 04 tháng 12 năm 2026". A donor is named only with their consent to be named; the others
 * are counted ("và 2 nhà hảo tâm khác").
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import type { Actor } from '../../../domain/access';
import { formatDateVi } from '../../../domain/dates';
import { issuerOf, officialHeader, signatureCell } from '../../offices/official';
import { translator, type Language } from '../../../i18n/index';
import { pdfPageFooter, pdfTable, renderPdf, type Content, type TableCell } from '../../../io/pdf';
import { donorsOfEvent } from './handover.repository';
import { eventDetail, type Recipient } from './handover.service';

function resultText(t: ReturnType<typeof translator>, r: Recipient): string {
  if (!r.result || r.result === 'expected') return '';
  const label = t(`handover:results.${r.result}`);
  return r.result === 'received' && r.receivedBy ? `${label} (${r.receivedBy})` : label;
}

export async function handoverMinutesPdf(
  db: Kysely<DB>,
  actor: Actor,
  eventId: string,
  lang: Language = 'vi',
  options: { number?: string } = {},
): Promise<{ fileName: string; pdf: Buffer }> {
  const { event, recipients, programmeName } = await eventDetail(db, actor, eventId);
  const allDonors = await donorsOfEvent(db, event.id);
  const named = allDonors.filter((d) => d.publicConsent).map((d) => d.name);
  const unnamed = allDonors.length - named.length;
  const donors = [...named, ...(unnamed ? [translator(lang)('handover:minutes.unnamed_donors', { count: unnamed })] : [])];
  const issuer = await issuerOf(db, event.communeCode, lang);
  const t = translator(lang);
  const m = (key: string, params: Record<string, unknown> = {}) => t(`handover:minutes.${key}`, params);
  const [y, mo, d] = event.heldOn.split('-');
  const dotted = '..................................................';

  const rows: TableCell[][] = recipients.map((r, i) => [
    { text: String(i + 1), alignment: 'right' },
    r.fullName,
    String(r.birthYear),
    r.cardNumber ?? '',
    r.cardFrom && r.cardTo ? `${formatDateVi(r.cardFrom)} - ${formatDateVi(r.cardTo)}` : '',
    resultText(t, r),
    '',
  ]);
  const party = (n: number, key: string, name: string, who?: string): Content[] => [
    { text: `${n}. ${m(`party_${key}`, { commune: event.communeName })}${who ? `: ${who}` : ''}`, bold: true, margin: [0, 4, 0, 0] },
    { text: `${m('representative')}: ${name}    ${m('position')}: ${dotted.slice(0, 25)}`, margin: [12, 2, 0, 0] },
  ];
  const counts = event.counts;
  const signature = (key: string): TableCell => signatureCell(m(`sign_${key}`, { commune: event.communeName }), m('sign_hint'));

  const content: Content[] = [
    officialHeader(issuer, event.heldOn, lang, m('number', { number: options.number?.trim() || event.minutesNumber || '……' })),
    { text: m('title'), style: 'title' },
    { text: m('programme', { programme: programmeName }), style: 'subtitle' },
    { text: m('opening', { day: d, month: mo, year: y, place: event.place, commune: event.communeName }), margin: [0, 0, 0, 4] },
    ...party(1, 'office', dotted, issuer.office?.name),
    ...party(2, 'commune', dotted),
    ...party(3, 'donor', dotted, donors.join('; ') || undefined),
    { text: m('agreed', { count: recipients.length }), margin: [0, 10, 0, 6] },
    pdfTable(
      [m('col_no'), m('col_name'), m('col_birth_year'), m('col_card'), m('col_validity'), m('col_result'), m('col_signature')],
      rows,
      [22, '*', 45, 95, 120, 130, 80],
    ),
    {
      text: m('summary', { received: counts.received, absent: counts.absent, refused: counts.refused, expected: counts.expected }),
      margin: [0, 8, 0, 4],
    },
    ...(event.note ? [{ text: `${m('note')}: ${event.note}`, margin: [0, 0, 0, 4] } as Content] : []),
    { text: m('closing'), margin: [0, 4, 0, 16] },
    {
      table: { widths: ['*', '*', '*'], body: [[signature('office'), signature('commune'), signature('donor')]] },
      layout: 'noBorders',
      unbreakable: true,
    },
  ];
  const pdf = await renderPdf({
    info: { title: `${m('title')} - ${event.communeName} - ${formatDateVi(event.heldOn)}` },
    pageOrientation: 'landscape',
    content,
    footer: pdfPageFooter((page, pages) => m('page', { page, pages })),
  }, { official: true });
  return { fileName: `bien-ban-ban-giao-${event.communeCode}-${event.heldOn}.pdf`, pdf };
}
