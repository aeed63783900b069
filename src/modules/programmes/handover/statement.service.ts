/**
 * Donor statements (issue 6, item 7): what a donor pledged, gave (receipts) and got back (refunds) in a
 * programme, and the cards their money bought, with the part of each card their receipts funded
 * (award_funding). For staff on the web and as a PDF to send the donor.
 *
 * Personal data: a beneficiary appears only masked, "Nguyễn T. H., 2009, Xã Bảo Thắng" (masked name,
 * birth year, commune). No full name, citizen id, insurance code, card number or phone is ever read into
 * a statement; neither is the donor's own contact.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import type { Actor } from '../../../domain/access';
import { formatDateVi, type IsoDate } from '../../../domain/dates';
import { maskName } from '../../../domain/identity';
import { formatVnd } from '../../../domain/money';
import { notFound } from '../../../errors';
import { translator, type Language } from '../../../i18n/index';
import { pdfPageFooter, pdfTable, renderPdf, type Content, type TableCell } from '../../../io/pdf';
import { programmeForActor, scopeOf } from '../programme/programme.access';
import { WHOLE_COUNTRY } from '../../../db/scope';
import { uuid } from './handover.schemas';
import * as repo from './statement.repository';
import { issuerOf, officialHeader, signatureCell } from '../../offices/official';

const collator = new Intl.Collator('vi');

/** "Nguyễn T. H., 2009, Xã Bảo Thắng": how a beneficiary is shown outside the staff's own lists. */
export function maskedBeneficiary(fullName: string, birthDate: string, communeName: string): string {
  return `${maskName(fullName)}, ${birthDate.slice(0, 4)}, ${communeName}`;
}

export interface FundedCard {
  awardId: string;
  beneficiary: string;
  maskedName: string;
  birthYear: number;
  communeCode: string;
  communeName: string;
  groupCode: string;
  /** What the card cost the programme. */
  awardAmount: number;
  /** The part this donor's receipts paid. */
  funded: number;
  status: string;
  handedOver: boolean;
  /** What happened at the handover: received, absent, refused; null before it. */
  handoverResult: 'received' | 'absent' | 'refused' | null;
}

export function fundedCardView(r: repo.FundedCardRow): FundedCard {
  return {
    awardId: r.awardId,
    beneficiary: maskedBeneficiary(r.fullName, r.birthDate, r.communeName),
    maskedName: maskName(r.fullName),
    birthYear: Number(r.birthDate.slice(0, 4)),
    communeCode: r.communeCode,
    communeName: r.communeName,
    groupCode: r.groupCode,
    awardAmount: r.awardAmount,
    funded: r.funded,
    status: r.status,
    handedOver: r.status === 'handed_over',
    handoverResult: r.handoverResult === 'received' || r.handoverResult === 'absent' || r.handoverResult === 'refused' ? r.handoverResult : null,
  };
}

/** Donors of the programme with their totals, for the staff's statements list (no contact). */
export async function listStatements(db: Kysely<DB>, actor: Actor, programmeId: string) {
  const programme = await programmeForActor(db, actor, programmeId, 'read');
  const rows = await repo.donorTotals(db, programme.id);
  return rows.sort((a, b) => collator.compare(a.name, b.name) || a.donorId.localeCompare(b.donorId));
}

export type DonorStatement = Awaited<ReturnType<typeof donorStatement>>;

/** One donor's statement in one programme. */
export async function donorStatement(db: Kysely<DB>, actor: Actor, programmeId: string, donorId: string) {
  const programme = await programmeForActor(db, actor, programmeId, 'read');
  const donor = uuid.safeParse(donorId).success ? await repo.findDonor(db, donorId) : undefined;
  if (!donor) throw notFound('donor', donorId);
  const [pledges, receipts, refunds, cards] = await Promise.all([
    repo.pledgesOf(db, programme.id, donor.id),
    repo.receiptsOf(db, programme.id, donor.id),
    repo.refundsOf(db, programme.id, donor.id),
    repo.cardsFundedBy(db, programme.id, donor.id, scopeOf(actor)),
  ]);
  if (pledges.length === 0 && receipts.length === 0) throw notFound('donor', donorId);
  const sum = (xs: { amount: number }[]) => xs.reduce((s, x) => s + x.amount, 0);
  // the donor's money is the programme's: its totals count every card, the list shows the actor's communes
  const everyCard = scopeOf(actor).under === null ? cards : await repo.cardsFundedBy(db, programme.id, donor.id, WHOLE_COUNTRY);
  const funded = everyCard.reduce((s, c) => s + c.funded, 0);
  const received = sum(receipts);
  const refunded = sum(refunds);
  const fundedCards = cards
    .map(fundedCardView)
    .sort((a, b) => collator.compare(a.communeName, b.communeName) || collator.compare(a.maskedName, b.maskedName) || a.awardId.localeCompare(b.awardId));
  return {
    programme: { id: programme.id, name: programme.name, deadline: programme.deadline, status: programme.status, publicSlug: programme.publicSlug, ownerUnitCode: programme.ownerUnitCode },
    donor: { id: donor.id, name: donor.name, kind: donor.kind, publicConsent: donor.publicConsent },
    pledges,
    receipts,
    refunds,
    cards: fundedCards,
    totals: {
      pledged: sum(pledges.filter((p) => p.status === 'confirmed')),
      received,
      refunded,
      funded,
      /** Received, not refunded, not yet spent on cards. */
      unspent: received - refunded - funded,
      cards: everyCard.length,
      handedOver: everyCard.filter((c) => c.status === 'handed_over').length,
    },
  };
}

/** The statement as a PDF to send the donor (Vietnamese unless told otherwise). */
export async function donorStatementPdf(
  db: Kysely<DB>,
  actor: Actor,
  programmeId: string,
  donorId: string,
  options: { today: IsoDate; language?: Language },
): Promise<{ fileName: string; pdf: Buffer }> {
  const s = await donorStatement(db, actor, programmeId, donorId);
  const t = translator(options.language ?? 'vi');
  const st = (key: string, params: Record<string, unknown> = {}) => t(`handover:statement.${key}`, params);
  const date = (iso: string) => formatDateVi(iso);
  const right = (text: string): TableCell => ({ text, alignment: 'right' });
  const earmarkOf = (p: (typeof s.pledges)[number]) =>
    [p.earmarkCommuneName, p.earmarkTag ? t(`selection:tags.${p.earmarkTag}`, { defaultValue: p.earmarkTag }) : null].filter(Boolean).join(', ');
  const earmarks = [...new Set(s.pledges.map(earmarkOf).filter((e) => e !== ''))];
  const section = (title: string, body: Content, empty: boolean): Content[] => [
    { text: title, style: 'heading' },
    empty ? { text: st('none'), italics: true } : body,
  ];
  const language = options.language ?? 'vi';
  const issuer = await issuerOf(db, s.programme.ownerUnitCode, language);
  const content: Content[] = [
    officialHeader(issuer, options.today, language, null),
    { text: st('title'), style: 'title' },
    { text: st('subtitle', { programme: s.programme.name }), style: 'subtitle' },
    { text: `${st('donor')}: ${s.donor.name}`, bold: true },
    { text: `${st('date')}: ${date(options.today)}`, margin: [0, 0, 0, 6] },
    pdfTable(
      [st('total_pledged'), st('total_received'), st('total_refunded'), st('total_funded'), st('total_unspent'), st('total_cards')],
      [[right(formatVnd(s.totals.pledged)), right(formatVnd(s.totals.received)), right(formatVnd(s.totals.refunded)), right(formatVnd(s.totals.funded)), right(formatVnd(s.totals.unspent)), right(`${s.totals.cards} (${st('handed_over_count', { count: s.totals.handedOver })})`)]],
      ['*', '*', '*', '*', '*', '*'],
    ),
    // earmarked money not yet used: kept for its earmark, the donor is told before it goes elsewhere (issue 16)
    ...(s.totals.unspent > 0 && earmarks.length
      ? [{ text: st('earmark_unspent', { amount: formatVnd(s.totals.unspent), earmark: earmarks.join('; ') }), margin: [0, 4, 0, 0] } as Content]
      : []),
    ...section(
      st('pledges'),
      pdfTable(
        [st('col_date'), st('col_amount'), st('col_earmark'), st('col_status')],
        s.pledges.map((p) => [
          date(p.pledgedOn),
          right(formatVnd(p.amount)),
          // the earmark as words (a commune's name, a priority group's label), never a raw code: issue 16
          earmarkOf(p),
          t(`handover:pledge_status.${p.status}`),
        ]),
        [70, 90, '*', 90],
      ),
      s.pledges.length === 0,
    ),
    ...section(
      st('receipts'),
      pdfTable(
        [st('col_date'), st('col_amount'), st('col_method'), st('col_reference')],
        s.receipts.map((r) => [date(r.receivedOn), right(formatVnd(r.amount)), t(`handover:methods.${r.method}`), r.reference ?? '']),
        [70, 90, 110, '*'],
      ),
      s.receipts.length === 0,
    ),
    ...section(
      st('refunds'),
      pdfTable(
        [st('col_date'), st('col_amount'), st('col_reason')],
        s.refunds.map((r) => [date(r.refundedOn), right(formatVnd(r.amount)), r.reason ?? '']),
        [70, 90, '*'],
      ),
      s.refunds.length === 0,
    ),
    ...section(
      st('cards'),
      pdfTable(
        [st('col_no'), st('col_beneficiary'), st('col_group'), st('col_funded'), st('col_card_price'), st('col_card_status')],
        s.cards.map((c, i) => [
          right(String(i + 1)),
          c.beneficiary,
          c.groupCode,
          right(formatVnd(c.funded)),
          right(formatVnd(c.awardAmount)),
          c.handedOver || c.handoverResult === 'received' ? st('handed_over') : c.handoverResult ? st(`handover_${c.handoverResult}`) : st('not_yet_handed_over'),
        ]),
        [22, '*', 40, 80, 80, 80],
      ),
      s.cards.length === 0,
    ),
    { text: st('privacy'), style: 'small', margin: [0, 12, 0, 0] },
    { text: st('thanks'), italics: true, margin: [0, 8, 0, 0] },
    {
      table: { widths: ['*', '*'], body: [[signatureCell(st('sign_preparer'), st('sign_hint')), signatureCell(st('sign_head'), st('sign_head_hint'))]] },
      layout: 'noBorders',
      unbreakable: true,
      margin: [0, 16, 0, 0],
    },
  ];
  const pdf = await renderPdf({
    info: { title: `${st('title')} - ${s.donor.name}` },
    content,
    footer: pdfPageFooter((page, pages) => t('handover:minutes.page', { page, pages })),
  }, { official: true });
  return { fileName: `sao-ke-nha-tai-tro-${s.programme.publicSlug}.pdf`, pdf };
}

/**
 * The thank-you letter to a donor (thư cảm ơn), a Vietnamese administrative letter headed by the
 * programme's office: what the programme received from them, what it bought (cards, communes, how many
 * handed over), what is left for the next selection, and whether they are named on the public page as
 * they chose. No beneficiary is named in it.
 */
export async function thankYouLetterPdf(
  db: Kysely<DB>,
  actor: Actor,
  programmeId: string,
  donorId: string,
  options: { today: IsoDate; language?: Language },
): Promise<{ fileName: string; pdf: Buffer }> {
  const s = await donorStatement(db, actor, programmeId, donorId);
  const language = options.language ?? 'vi';
  const t = translator(language);
  const l = (key: string, params: Record<string, unknown> = {}) => t(`handover:letter.${key}`, params);
  const issuer = await issuerOf(db, s.programme.ownerUnitCode, language);
  const communes = [...new Set(s.cards.map((c) => c.communeName))].sort((a, b) => collator.compare(a, b));
  const paragraphs = [
    l('opening', { programme: s.programme.name }),
    s.totals.received > 0
      ? l('received', { date: formatDateVi(options.today), amount: formatVnd(s.totals.received), count: s.receipts.length })
      : l('nothing_received', { pledged: formatVnd(s.totals.pledged) }),
    ...(s.totals.refunded > 0 ? [l('refunded', { amount: formatVnd(s.totals.refunded) })] : []),
    ...(s.totals.cards > 0
      ? [l('funded', { count: s.totals.cards, amount: formatVnd(s.totals.funded), communes: communes.join(', ') || '-', handed: s.totals.handedOver })]
      : []),
    ...(s.totals.unspent > 0 ? [l('unspent', { amount: formatVnd(s.totals.unspent) })] : []),
    l(s.donor.publicConsent ? 'named' : 'anonymous'),
    l('closing'),
  ];
  const pdf = await renderPdf(
    {
      info: { title: `${l('title')} - ${s.donor.name}` },
      content: [
        officialHeader(issuer, options.today, language, null),
        { text: l('title'), style: 'title' },
        { text: l('dear', { donor: s.donor.name }), bold: true, alignment: 'center', margin: [0, 0, 0, 10] },
        ...paragraphs.map((text): Content => ({ text, margin: [0, 0, 0, 6], alignment: 'justify', leadingIndent: 24 })),
        {
          table: { widths: ['*', '*'], body: [['', signatureCell(l('sign_head'), l('sign_hint'))]] },
          layout: 'noBorders',
          unbreakable: true,
          margin: [0, 16, 0, 0],
        },
      ],
    },
    { official: true },
  );
  return { fileName: `thu-cam-on-${s.programme.publicSlug}.pdf`, pdf };
}
