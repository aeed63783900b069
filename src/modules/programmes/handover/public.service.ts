/**
 * The public page of a programme (issue 6, item 7), no login: money raised (received), spent (awarded +
 * paid) and left; cards by commune and by participant group; the donors who agreed to be named, with what
 * they gave; the masked list of beneficiaries ("Nguyễn T. H., 2009, Xã Bảo Thắng"); progress against the
 * deadline. And the pledge form: anyone may offer money, which becomes a donor and a 'proposed' pledge
 * that staff confirm later (throttled per address and per programme).
 *
 * Only programmes with public_enabled and past 'draft' are shown; any other slug answers 404 as if it did
 * not exist. Nothing personal leaves here: no full name, citizen id, insurance code, card number, phone,
 * nor a donor's contact or the name of a donor who did not agree to be named.
 */
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../../db/schema';
import type { Actor } from '../../../domain/access';
import { isIsoDate, type IsoDate } from '../../../domain/dates';
import { maskName, normalizePhone } from '../../../domain/identity';
import { AppError, notFound } from '../../../errors';
import { parseInput, text } from '../../../validation';
import { findUnit } from '../../units/units.service';
import { proposePublicPledge, receivingAccountOf } from '../money/donors.service';
import { qrDataUrl } from '../../../io/qr';
import { programmeBalance } from '../programme/ledger.service';
import { findProgrammeBySlug, type ProgrammeRow } from './handover.repository';
import { HANDOVER } from './handover.schemas';
import * as repo from './public.repository';
import type { PledgeThrottle } from './public.throttle';
import { maskedBeneficiary } from './statement.service';

const collator = new Intl.Collator('vi');
/** Statuses in which the public may still offer money. */
const PLEDGE_OPEN = ['raising', 'selecting', 'list_approved', 'submitted', 'cards_issued'];
const slugSchema = z.string().regex(/^[a-z0-9-]{1,80}$/);

/** The actor public pledges are audited as (no user behind them). */
export const PUBLIC_ACTOR: Actor = { userId: null, username: 'public', role: 'viewer', scopeCode: null, language: 'vi' };

export async function publicProgrammeRow(db: Kysely<DB>, slug: string): Promise<ProgrammeRow> {
  const p = slugSchema.safeParse(slug).success ? await findProgrammeBySlug(db, slug) : undefined;
  if (!p || !p.publicEnabled || p.status === 'draft') throw notFound('programme', slug);
  return p;
}

/** Whole days from `today` to `deadline` (negative once past). */
export function daysBetween(today: IsoDate, deadline: IsoDate): number {
  const ms = (iso: string) => Date.UTC(+iso.slice(0, 4), +iso.slice(5, 7) - 1, +iso.slice(8, 10));
  return Math.round((ms(deadline) - ms(today)) / 86_400_000);
}

export type PublicProgramme = Awaited<ReturnType<typeof publicProgramme>>;

export async function publicProgramme(db: Kysely<DB>, slug: string, today: IsoDate) {
  const p = await publicProgrammeRow(db, slug);
  const [balance, communes, groups, people, donors, earmarks, owner] = await Promise.all([
    programmeBalance(db, p.id),
    repo.cardsByCommune(db, p.id),
    repo.cardsByGroup(db, p.id),
    repo.beneficiaries(db, p.id),
    repo.donorsGiven(db, p.id),
    repo.earmarkCommunes(db, p.areaKind, p.areaCodes),
    findUnit(db, p.ownerUnitCode),
  ]);
  const named = donors.filter((d) => d.publicConsent && d.given > 0);
  const unnamed = donors.filter((d) => !d.publicConsent && d.given > 0);
  const awarded = people.length;
  const handedOver = people.filter((b) => b.status === 'handed_over').length;
  const daysLeft = daysBetween(today, p.deadline);
  return {
    name: p.name,
    slug: p.publicSlug,
    status: p.status,
    ownerUnitName: owner?.name ?? p.ownerUnitCode,
    purchaseDate: p.purchaseDate,
    deadline: p.deadline,
    cardMonths: p.cardMonths,
    money: {
      pledged: balance.pledged,
      received: balance.received,
      refunded: balance.refunded,
      spent: balance.awarded + balance.paid,
      left: balance.available,
    },
    cardsByCommune: communes
      .map((c) => ({ communeCode: c.communeCode, communeName: c.communeName, cards: c.cards, handedOver: c.handedOver, amount: Number(c.amount) }))
      .sort((a, b) => collator.compare(a.communeName, b.communeName)),
    cardsByGroup: groups,
    donors: named
      .map((d) => ({ name: d.name, kind: d.kind, given: d.given }))
      .sort((a, b) => b.given - a.given || collator.compare(a.name, b.name)),
    otherDonors: { count: unnamed.length, given: unnamed.reduce((s, d) => s + d.given, 0) },
    beneficiaries: people
      .map((b) => ({
        beneficiary: maskedBeneficiary(b.fullName, b.birthDate, b.communeName),
        maskedName: maskName(b.fullName),
        birthYear: Number(b.birthDate.slice(0, 4)),
        communeName: b.communeName,
        groupCode: b.groupCode,
        handedOver: b.status === 'handed_over',
      }))
      .sort((a, b) => collator.compare(a.communeName, b.communeName) || collator.compare(a.maskedName, b.maskedName) || a.birthYear - b.birthYear),
    progress: {
      today,
      deadline: p.deadline,
      daysLeft,
      overdue: daysLeft < 0 && !['handed_over', 'closed'].includes(p.status),
      cardsAwarded: awarded,
      cardsHandedOver: handedOver,
    },
    pledgesOpen: PLEDGE_OPEN.includes(p.status),
    earmarkCommunes: earmarks.sort((a, b) => collator.compare(a.name, b.name)),
  };
}

/** 'a@b.vn' or a Vietnamese phone number (stored in its national form). */
function normalizeContact(value: string): string | undefined {
  const v = value.trim();
  if (/^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/.test(v) && v.length <= 200) return v.toLowerCase();
  return normalizePhone(v);
}

export const publicPledgeInput = z
  .object({
    name: text(200),
    contact: z.string().max(200).refine((v) => normalizeContact(v) !== undefined, { message: 'contact_format', params: HANDOVER }),
    /** Whole dong, at least 10.000 ₫, at most 10 billion. */
    amount: z.number().int().min(10_000).max(10_000_000_000),
    earmarkCommuneCode: z.string().trim().max(20).nullable().optional(),
    kind: z.enum(['organisation', 'business', 'individual', 'officials']).optional(),
    /** May the programme show the donor's name on its public page? */
    publicConsent: z.boolean().optional(),
    note: text(1000).nullable().optional(),
  })
  .strict();
export type PublicPledgeInput = z.input<typeof publicPledgeInput>;

/**
 * A pledge from the public page: a new donor and a 'proposed' pledge (source 'public'), audited as
 * 'public:<address>', for staff to confirm (the donor service writes them). Throttled: AppError too_many_attempts over the limits.
 */
export async function publicPledge(
  db: Kysely<DB>,
  throttle: PledgeThrottle,
  slug: string,
  input: PublicPledgeInput,
  edge: { ip: string; now: Date; today: IsoDate },
) {
  const p = await publicProgrammeRow(db, slug);
  const data = parseInput(publicPledgeInput, input);
  if (!PLEDGE_OPEN.includes(p.status)) throw new AppError('validation', {}, [{ path: 'programme', key: 'pledges_closed', params: HANDOVER }]);
  let earmark: string | null = null;
  if (data.earmarkCommuneCode) {
    const allowed = await repo.earmarkCommunes(db, p.areaKind, p.areaCodes);
    if (!allowed.some((c) => c.code === data.earmarkCommuneCode))
      throw new AppError('validation', {}, [{ path: 'earmarkCommuneCode', key: 'earmark_outside_area', params: { ...HANDOVER, code: data.earmarkCommuneCode } }]);
    earmark = data.earmarkCommuneCode;
  }
  if (!isIsoDate(edge.today)) throw new AppError('internal');
  if (!throttle.take([{ kind: 'ip', value: edge.ip }, { kind: 'programme', value: p.id }], edge.now.getTime())) throw new AppError('too_many_attempts');
  const made = await proposePublicPledge(
    db,
    { ...PUBLIC_ACTOR, username: `public:${edge.ip}`.slice(0, 100) },
    p.id,
    {
      kind: data.kind ?? 'individual',
      name: data.name,
      contact: normalizeContact(data.contact)!,
      publicConsent: data.publicConsent ?? false,
      amount: data.amount,
      earmarkCommuneCode: earmark,
      note: data.note ?? null,
    },
    edge.today,
  );
  const account = await receivingAccountOf(db, p.id);
  return {
    pledgeId: made.id,
    programmeName: p.name,
    amount: made.amount,
    earmarkCommuneCode: earmark,
    status: 'proposed' as const,
    reference: made.reference,
    vietqr: made.vietqr,
    qrPng: made.vietqr ? await qrDataUrl(made.vietqr) : null,
    account: account ? { bankName: account.bankName, accountNumber: account.accountNumber, accountName: account.accountName } : null,
  };
}
