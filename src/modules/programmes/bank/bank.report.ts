/**
 * The reconciliation report as a sheet and as a signed PDF: per day the statement's total, matched and
 * unmatched, the totals, and whether total = matched + unmatched holds (every day and overall). And a
 * pledge's payment details as a PDF to send the donor, with its VietQR code.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import type { Actor } from '../../../domain/access';
import { formatDateVi, type IsoDate } from '../../../domain/dates';
import { formatVnd } from '../../../domain/money';
import { translator, type Language } from '../../../i18n/index';
import { AppError } from '../../../errors';
import { excelDate, xlsxBuffer } from '../../../io/excel';
import { pdfPageFooter, pdfTable, renderPdf, type TableCell } from '../../../io/pdf';
import { issuerOf, officialHeader, signatureCell } from '../../offices/official';
import { qrDataUrl } from '../../../io/qr';
import { paymentOf, reconciliationReport } from './bank.service';

export async function reconciliationWorkbook(db: Kysely<DB>, actor: Actor, programmeId: string, lang: Language = actor.language) {
  const report = await reconciliationReport(db, actor, programmeId);
  const t = translator(lang);
  const w = (k: string) => t(`bank:web.${k}`);
  const buffer = await xlsxBuffer(
    {
      name: w('reportTitle').slice(0, 31),
      title: [`${w('reportTitle')}: ${report.programmeName}`, w('reportLead'), report.balanced ? w('balanced') : w('unbalanced')],
      columns: [
        { header: w('date'), key: 'date', width: 14, type: 'date' },
        { header: w('lines'), key: 'lines', width: 10, type: 'integer' },
        { header: w('total'), key: 'total', width: 18, type: 'integer' },
        { header: w('matched'), key: 'matched', width: 18, type: 'integer' },
        { header: w('unmatched'), key: 'unmatched', width: 18, type: 'integer' },
      ],
    },
    [
      ...report.days.map((d) => ({ date: excelDate(d.date), lines: d.lines, total: d.total, matched: d.matched, unmatched: d.unmatched })),
      { date: null, lines: report.lines, total: report.total, matched: report.matched, unmatched: report.unmatched },
    ],
  );
  return { buffer, fileName: `doi-chieu-sao-ke-${programmeId.slice(0, 8)}.xlsx`, report };
}

/** The same report as a PDF headed by the programme's office, with the verdict and signatures. */
export async function reconciliationPdf(db: Kysely<DB>, actor: Actor, programmeId: string, options: { today: IsoDate; language?: Language }) {
  const report = await reconciliationReport(db, actor, programmeId);
  const lang = options.language ?? actor.language;
  const t = translator(lang);
  const w = (k: string, params: Record<string, unknown> = {}) => t(`bank:web.${k}`, params);
  const right = (text: string, bold = false): TableCell => ({ text, alignment: 'right', bold });
  const issuer = await issuerOf(db, report.ownerUnitCode, lang);
  const rows: TableCell[][] = [
    ...report.days.map((d) => [formatDateVi(d.date), right(String(d.lines)), right(formatVnd(d.total)), right(formatVnd(d.matched)), right(formatVnd(d.unmatched))]),
    [{ text: w('reportTotal'), bold: true }, right(String(report.lines), true), right(formatVnd(report.total), true), right(formatVnd(report.matched), true), right(formatVnd(report.unmatched), true)],
  ];
  const pdf = await renderPdf(
    {
      info: { title: `${w('reportTitle')} - ${report.programmeName}` },
      content: [
        officialHeader(issuer, options.today, lang, null),
        { text: w('reportPdfTitle'), style: 'title' },
        { text: report.programmeName, style: 'subtitle' },
        { text: w('reportLead'), margin: [0, 0, 0, 6] },
        pdfTable([w('date'), w('lines'), w('total'), w('matched'), w('unmatched')], rows, [70, 50, '*', '*', '*']),
        {
          text: w(report.balanced ? 'reportVerdictBalanced' : 'reportVerdictUnbalanced', { total: formatVnd(report.total), matched: formatVnd(report.matched), unmatched: formatVnd(report.unmatched) }),
          bold: true,
          margin: [0, 8, 0, 0],
        },
        {
          table: { widths: ['*', '*'], body: [[signatureCell(w('reportSignPreparer'), w('reportSignHint')), signatureCell(w('reportSignHead'), w('reportSignHint'))]] },
          layout: 'noBorders',
          unbreakable: true,
          margin: [0, 16, 0, 0],
        },
      ],
      footer: pdfPageFooter((page, pages) => t('handover:minutes.page', { page, pages })),
    },
    { official: true },
  );
  return { pdf, fileName: `doi-chieu-sao-ke-${programmeId.slice(0, 8)}.pdf`, report };
}

/**
 * How to pay a pledge, as a PDF to send the donor: the programme, the amount, the receiving account, the
 * reference to keep in the transfer, and the VietQR code a banking app scans (the same payload as on the
 * public confirmation). Refused (validation) when the programme has no active receiving account.
 */
export async function pledgePaymentPdf(db: Kysely<DB>, actor: Actor, programmeId: string, pledgeId: string, options: { today: IsoDate; language?: Language }) {
  const p = await paymentOf(db, actor, programmeId, pledgeId);
  if (!p.account || !p.vietqr || !p.reference) throw new AppError('validation', {}, [{ path: 'account', key: 'no_active_account', params: { ns: 'bank' } }]);
  const lang = options.language ?? actor.language;
  const t = translator(lang);
  const w = (k: string, params: Record<string, unknown> = {}) => t(`bank:pdf.${k}`, params);
  const issuer = await issuerOf(db, p.ownerUnitCode, lang);
  const row = (label: string, value: string, bold = false): TableCell[] => [{ text: label, color: '#444' }, { text: value, bold }];
  const pdf = await renderPdf(
    {
      info: { title: `${w('title')} - ${p.reference}` },
      content: [
        officialHeader(issuer, options.today, lang, null),
        { text: w('title'), style: 'title' },
        { text: p.programmeName, style: 'subtitle' },
        { text: w('dear', { donor: p.donorName }), margin: [0, 0, 0, 6] },
        { text: w('lead', { amount: formatVnd(p.amount) }), margin: [0, 0, 0, 8] },
        {
          columns: [
            { image: await qrDataUrl(p.vietqr), width: 170 },
            {
              width: '*',
              table: {
                widths: [110, '*'],
                body: [
                  row(w('bank'), p.account.bankName),
                  row(w('account_number'), p.account.accountNumber, true),
                  row(w('account_name'), p.account.accountName),
                  row(w('amount'), formatVnd(p.amount), true),
                  row(w('reference'), p.reference, true),
                ],
              },
              layout: 'noBorders',
              margin: [12, 8, 0, 0],
            },
          ],
        },
        { text: w('keep_reference', { reference: p.reference }), margin: [0, 10, 0, 0] },
        { text: w('check', { reference: p.reference }), margin: [0, 6, 0, 0] },
        { text: w('thanks'), italics: true, margin: [0, 10, 0, 0] },
      ],
      footer: pdfPageFooter((page, pages) => t('handover:minutes.page', { page, pages })),
    },
    { official: true },
  );
  return { pdf, fileName: `chuyen-khoan-${p.reference}.pdf`, payment: p };
}
