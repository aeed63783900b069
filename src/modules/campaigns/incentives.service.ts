/**
 * Gifts and vouchers (issue 20 item 5): an incentive given to a participant (a gift in kind, or a voucher
 * with a random code), with its value, sponsor, and the campaign (and outreach event) it was given in. A
 * voucher is redeemed once, at the person's next renewal: a second redemption is refused, naming when and
 * by whom the first happened; an expired one is refused too. A campaign's incentive ledger counts what was
 * issued, redeemed and expired, and its value. Who may: users who may write units, for persons in their
 * scope; audited (entity 'incentive', unit = the person's commune).
 */
import { randomInt, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { requirePermission, type Actor } from '../../domain/access';
import { addDays } from '../../domain/calendar';
import { formatDateVi, todayInVietnam } from '../../domain/dates';
import { AppError, notFound, type FieldError } from '../../errors';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { personInScope } from '../register/register.service';
import { findUnit } from '../units/units.service';
import { getEvent } from '../events/events.service';
import { CAMPAIGNS_MANAGE, CAMPAIGNS_READ, getCampaign } from './campaigns.service';
import * as repo from './incentives.repository';
import { issueIncentiveInput, ledgerQuery, redeemInput, type IssueIncentiveInput, type RedeemInput } from './incentives.schemas';

const field = (path: string, key: string, params: Record<string, unknown> = {}): FieldError => ({ path, key, params: { ...params, ns: 'campaigns' } });
const scopeOf = (actor: Actor) => ({ under: actor.scopeCode });

/** Letters and digits that cannot be taken for one another (no 0/O, 1/I/L, 5/S, 2/Z, 8/B). */
const ALPHABET = 'ACDEFGHJKMNPQRTUVWXY34679';
const CODE_LENGTH = 8;

/** A random voucher code (crypto), e.g. 'KT7MX3QA': 25^8 = 1.5e11 codes, not sequential. */
export function voucherCode(): string {
  let code = '';
  for (let i = 0; i < CODE_LENGTH; i++) code += ALPHABET[randomInt(ALPHABET.length)];
  return code;
}

/** What people type: spaces and dashes left out, lower case allowed. */
export const normalCode = (text: string) => text.replace(/[\s-]/g, '').toUpperCase();

const view = (r: repo.IncentiveRow) => ({
  id: r.id,
  personId: r.personId,
  householdId: r.householdId,
  communeCode: r.communeCode,
  kind: r.kind,
  description: r.description,
  value: r.value,
  sponsor: r.sponsor,
  campaignId: r.campaignId,
  eventId: r.eventId,
  code: r.code,
  expiresOn: r.expiresOn,
  issuedOn: r.issuedOn,
  issuedBy: r.issuedBy,
  redeemedAt: r.redeemedAt ? new Date(r.redeemedAt).toISOString() : null,
  redeemedBy: r.redeemedBy,
  redeemedCardId: r.redeemedCardId,
});
export type IncentiveView = ReturnType<typeof view>;

export async function issueIncentive(db: Kysely<DB>, actor: Actor, input: IssueIncentiveInput, today: string): Promise<IncentiveView> {
  requirePermission(actor, CAMPAIGNS_MANAGE);
  const data = parseInput(issueIncentiveInput, input);
  const person = await personInScope(db, actor, data.personId);
  if (data.campaignId) {
    const campaign = await getCampaign(db, actor, data.campaignId);
    // a commune's campaign holds its persons; a province's, those of its communes
    if (campaign.unitCode !== person.communeCode && (await findUnit(db, person.communeCode))?.parentCode !== campaign.unitCode)
      throw new AppError('validation', {}, [field('campaignId', 'person_not_in_campaign', { name: campaign.name })]);
  }
  if (data.eventId) {
    const event = await getEvent(db, actor, data.eventId);
    if (event.communeCode !== person.communeCode) throw new AppError('validation', {}, [field('eventId', 'event_not_of_commune', { date: formatDateVi(event.heldOn) })]);
  }
  const issuedOn = data.issuedOn ?? today;
  if (data.kind === 'voucher' && data.expiresOn && data.expiresOn < issuedOn)
    throw new AppError('validation', {}, [field('expiresOn', 'expires_before_issue', { expiresOn: formatDateVi(data.expiresOn), issuedOn: formatDateVi(issuedOn) })]);
  let code: string | null = null;
  if (data.kind === 'voucher') {
    do code = voucherCode();
    while (await repo.codeTaken(db, code));
  }
  const values = {
    householdId: person.householdId,
    id: randomUUID(),
    personId: person.id,
    communeCode: person.communeCode,
    kind: data.kind,
    description: data.description ?? null,
    value: data.value,
    sponsor: data.sponsor ?? null,
    campaignId: data.campaignId ?? null,
    eventId: data.eventId ?? null,
    code,
    expiresOn: data.kind === 'voucher' ? (data.expiresOn ?? addDays(issuedOn, 365)) : null,
    issuedOn,
    issuedBy: actor.username,
  };
  return db.transaction().execute(async (trx) => {
    await repo.insertIncentive(trx, values);
    const after = view({ ...values, redeemedAt: null, redeemedBy: null, redeemedCardId: null, createdAt: new Date() });
    await audit(trx, actor, { action: 'create', entity: 'incentive', entityId: values.id, unitCode: person.communeCode, after });
    return after;
  });
}

/**
 * Redeems a voucher by its code at the person's renewal (optionally naming the new card). Refused when it
 * was redeemed before (naming when and by whom), when it expired, or when the card is not the person's.
 */
export async function redeemVoucher(db: Kysely<DB>, actor: Actor, input: RedeemInput, today: string): Promise<IncentiveView> {
  requirePermission(actor, CAMPAIGNS_MANAGE);
  const data = parseInput(redeemInput, input);
  const code = normalCode(data.code);
  const voucher = await repo.findVoucher(db, code, scopeOf(actor));
  if (!voucher) throw notFound('incentive', code);
  const already = (v: repo.IncentiveRow) =>
    new AppError('conflict', {}, [field('code', 'voucher_redeemed', { code, at: formatDateVi(todayInVietnam(new Date(v.redeemedAt!))), by: v.redeemedBy })]);
  if (voucher.redeemedAt) throw already(voucher);
  if (voucher.expiresOn && voucher.expiresOn < today) throw new AppError('validation', {}, [field('code', 'voucher_expired', { code, expiresOn: formatDateVi(voucher.expiresOn) })]);
  if (data.cardId && !(await repo.cardOfPerson(db, voucher.householdId, voucher.personId, data.cardId))) throw new AppError('validation', {}, [field('cardId', 'card_not_of_person', { code })]);
  return db.transaction().execute(async (trx) => {
    if (!(await repo.redeem(trx, voucher.householdId, voucher.id, actor.username, data.cardId ?? null))) {
      const now = (await repo.findVoucher(trx, code, scopeOf(actor)))!;
      throw already(now);
    }
    const after = view((await repo.findVoucher(trx, code, scopeOf(actor)))!);
    await audit(trx, actor, { action: 'redeem', entity: 'incentive', entityId: voucher.id, unitCode: voucher.communeCode, before: view(voucher), after });
    return after;
  });
}

export async function listIncentives(db: Kysely<DB>, actor: Actor, query: { personId?: string; campaignId?: string }): Promise<IncentiveView[]> {
  requirePermission(actor, CAMPAIGNS_READ);
  if (query.personId) await personInScope(db, actor, query.personId);
  return (await repo.listIncentives(db, scopeOf(actor), query)).map(view);
}

/** A campaign's incentive ledger (in the actor's scope): per kind issued, redeemed, expired and outstanding, counts and dong. */
export async function incentiveLedger(db: Kysely<DB>, actor: Actor, query: { campaign: string }, today: string) {
  requirePermission(actor, CAMPAIGNS_READ);
  const { campaign: id } = parseInput(ledgerQuery, query);
  const campaign = await getCampaign(db, actor, id);
  const rows = await repo.ledger(db, scopeOf(actor), campaign.id, today);
  const kinds = rows.map((r) => ({ ...r, outstanding: r.issued - r.redeemed - r.expired, outstandingValue: r.issuedValue - r.redeemedValue - r.expiredValue }));
  const total = (k: keyof (typeof kinds)[number]) => kinds.reduce((n, r) => n + (r[k] as number), 0);
  return {
    campaign: { id: campaign.id, name: campaign.name },
    kinds,
    total: { issued: total('issued'), issuedValue: total('issuedValue'), redeemed: total('redeemed'), redeemedValue: total('redeemedValue'), expired: total('expired'), expiredValue: total('expiredValue') },
  };
}
