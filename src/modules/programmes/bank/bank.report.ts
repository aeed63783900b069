/** The reconciliation report as a sheet: per day the statement's total, matched and unmatched, and the totals. */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import type { Actor } from '../../../domain/access';
import { translator, type Language } from '../../../i18n/index';
import { excelDate, xlsxBuffer } from '../../../io/excel';
import { reconciliationReport } from './bank.service';

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
