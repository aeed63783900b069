/**
 * The parts every official document shares (programme documents, issue 18 item 6; campaign reports, issue 20): the issuer at the top left
 * (the social insurance office under its provincial office, or, where no office is recorded, the People's
 * Committee of the unit), the document number, the national motto at the top right with the place and date
 * line under it ("Bảo Thắng, ngày 04 tháng 12 năm 2026"), and the signature block.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { formatDateVi, formatLongDateVi, type IsoDate } from '../../domain/dates';
import { placeName } from '../../domain/text';
import type { Language } from '../../i18n/index';
import { translator } from '../../i18n/index';
import type { Content, TableCell } from '../../io/pdf';
import { issuingOffice } from './offices.service';
import { findUnit } from '../units/units.service';

export interface Issuer {
  /** Top-left lines, the issuing body last (e.g. BHXH tỉnh Lào Cai / BHXH cơ sở Bảo Thắng). */
  lines: string[];
  /** The office that issues, when one is recorded. */
  office: { code: string; name: string } | null;
  /** The place the place-and-date line names. */
  place: string;
}

/** Who issues a document about `unitCode` (a commune, a province or an office). */
export async function issuerOf(db: Kysely<DB>, unitCode: string, lang: Language): Promise<Issuer> {
  const unit = await findUnit(db, unitCode);
  const unitName = unit?.name ?? unitCode;
  const office = await issuingOffice(db, unitCode);
  if (!office) return { lines: [translator(lang)('handover:minutes.committee'), unitName], office: null, place: placeName(unitName) };
  const parent = (await findUnit(db, office.code))?.parentCode;
  const provincial = parent ? await findUnit(db, parent) : undefined;
  return {
    lines: [provincial?.level === 'office' ? provincial.name : null, office.name].filter((x): x is string => !!x),
    office: { code: office.code, name: office.name },
    place: placeName(unitName),
  };
}

/** The header: issuer and number on the left, motto and the place and date line on the right. */
export function officialHeader(issuer: Issuer, date: IsoDate, lang: Language, numberLine: string | null): Content {
  const t = translator(lang);
  return {
    columns: [
      {
        width: '*',
        stack: [
          ...issuer.lines.map((line, i) => ({ text: line.toUpperCase(), bold: i === issuer.lines.length - 1 })),
          ...(numberLine ? [{ text: numberLine, margin: [0, 4, 0, 0] as [number, number, number, number] }] : []),
        ],
        alignment: 'center',
        fontSize: 9,
      },
      {
        width: '*',
        stack: [
          { text: t('handover:minutes.republic'), bold: true },
          { text: t('handover:minutes.motto'), bold: true, decoration: 'underline' },
          { text: `${issuer.place}, ${lang === 'vi' ? formatLongDateVi(date) : formatDateVi(date)}`, italics: true, margin: [0, 6, 0, 0] },
        ],
        alignment: 'center',
        fontSize: 9,
      },
    ],
    margin: [0, 0, 0, 16],
  };
}

/** A signature cell: the role in capitals, the hint under it, room to sign. */
export function signatureCell(role: string, hint: string): TableCell {
  return { stack: [{ text: role.toUpperCase(), bold: true }, { text: hint, italics: true, fontSize: 9 }, { text: '\n\n\n\n' }], alignment: 'center' };
}
