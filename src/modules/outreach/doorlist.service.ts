/**
 * The group's door-to-door list (issue 19 item 2): the households of its villages with at least one person
 * uncovered on the day, whose coverage ends within `days` (default 30), or never insured; village by
 * village, household by household. Every member is listed (the phone logs an outcome for anyone), with
 * what the field needs and no more: the citizen id's last 4 digits, the card's end, the price of a card
 * for `months` (default 12) from the rules engine in household order and who pays it, "the state pays in
 * full: check the card was issued" for state-paid groups, the person's stage (visited -> promised ->
 * enrolled -> card active) and the open donation programmes they may be nominated for.
 *
 * A person "needs a card" when no card of theirs is valid on the day after the window (date + days + 1):
 * a person whose card bought ahead starts later (the 30-day wait) is 'card_waiting' and puts no household
 * on the list.
 *
 * Each household carries a `version`: a hash of what the list shows of it (members, their ids, groups and
 * cards). The phone sends it back with a visit; a visit to a household whose version changed meanwhile is
 * stored and flagged (visits.service).
 */
import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { z } from 'zod';
import type { DB } from '../../db/schema';
import { householdScopeOf, type HouseholdScope } from '../../db/scope';
import { requirePermission, type Actor } from '../../domain/access';
import { addDays } from '../../domain/calendar';
import { dayInVietnam, newCardActive, priceHousehold, stageOf, latestVisit, type DoorPrice, type Outcome, type Reason } from '../../domain/outreach';
import { RuleError } from '../../domain/premium';
import { groupBy } from '../../domain/collections';
import { pricingGroups } from '../../domain/pricing-groups';
import { formatDateVi } from '../../domain/dates';
import { compareCodes, compareVietnamese } from '../../domain/text';
import { AppError } from '../../errors';
import { translator, type Language } from '../../i18n/index';
import { xlsxBuffer } from '../../io/excel';
import { parseInput } from '../../validation';
import { loadRules } from '../premium/premium.service';
import { nominateFromField, nominationsAmong, programmesOpenFor, type OpenProgramme } from '../programmes/selection/candidates.service';
import { groupViews, OUTREACH_READ, OUTREACH_VISIT, outreachField, visibleGroup } from './groups.service';
import * as repo from './outreach.repository';
import { doorListQuery, nominateInput, type DoorListQuery } from './outreach.schemas';

const last4 = (s: string | null) => (s ? s.slice(-4) : null);

/** What the list shows of a household, hashed: a visit after a change on the server is flagged. */
export function householdVersion(h: repo.DoorHouseholdRow, members: repo.DoorMemberRow[]): string {
  const shown = [
    h.code,
    h.villageCode,
    h.address,
    h.povertyStatus,
    [...members]
      .sort((a, b) => (a.id < b.id ? -1 : 1))
      .map((m) => [m.id, m.fullName, m.birthDate, m.sex, m.citizenId, m.insuranceCode, [...m.groupCodes].sort(), m.cards.count, m.cards.latestFrom, m.cards.cardTo]),
  ];
  return createHash('sha256').update(JSON.stringify(shown)).digest('hex').slice(0, 16);
}

/** The current version of each household among `householdIds` (in the scope). */
export async function currentVersions(db: Kysely<DB>, householdIds: string[], scope: HouseholdScope): Promise<Map<string, string>> {
  const households = await repo.doorHouseholds(db, { villages: null, householdIds }, scope, null);
  // (the version does not depend on the day: any day will do)
  const members = await repo.doorMembers(db, households.map((h) => h.id), '2000-01-01');
  return new Map(households.map((h) => [h.id, householdVersion(h, members.filter((m) => m.householdId === h.id))]));
}

type PersonStatus = 'covered' | 'expiring' | 'uncovered' | 'never_insured' | 'card_waiting';

function statusOf(cards: repo.DoorCards, until: string): { status: PersonStatus; cardTo: string | null; needsCard: boolean } {
  const { cardTo, coveredToday } = cards;
  if (cardTo === null) return { status: 'never_insured', cardTo: null, needsCard: true };
  const needsCard = cardTo < until;
  const status: PersonStatus = coveredToday ? (needsCard ? 'expiring' : 'covered') : needsCard ? 'uncovered' : 'card_waiting';
  return { status, cardTo, needsCard };
}

export async function doorList(db: Kysely<DB>, actor: Actor, groupId: string, query: DoorListQuery, today: string, lang: Language = actor.language) {
  requirePermission(actor, OUTREACH_READ);
  const { date = today, days, months, village } = parseInput(doorListQuery, query);
  const group = (await groupViews(db, [await visibleGroup(db, actor, groupId)]))[0];
  let villages = group.villages.map((v) => v.code);
  if (village) {
    const code = villages.find((v) => v === village || v.endsWith(`.${village}`));
    if (!code) throw new AppError('validation', {}, [outreachField('village', 'village_not_in_group', { code: village, group: group.name })]);
    villages = [code];
  }
  const scope = householdScopeOf(actor);
  const until = addDays(date, days + 1);
  const households = await repo.doorHouseholds(db, { villages }, scope, { until });
  const ids = households.map((h) => h.id);
  const [members, visits, rules] = await Promise.all([repo.doorMembers(db, ids, date), repo.visitsOfHouseholds(db, ids, scope), loadRules(db)]);
  const provinceCode = households[0]?.provinceCode ?? null;
  const programmes: OpenProgramme[] = ids.length ? await programmesOpenFor(db, { code: group.communeCode, provinceCode }) : [];
  const nominated = await nominationsAmong(db, programmes.map((p) => p.id), members.map((m) => m.id));
  const t = translator(lang);

  const membersOf = groupBy(members, (m) => m.householdId);
  const visitsOf = groupBy(visits, (v) => v.householdId);

  const list = households.map((h) => {
    const own = membersOf.get(h.id) ?? [];
    const hv = visitsOf.get(h.id) ?? [];
    const facts = own.map((m) => ({ m, ...statusOf(m.cards, until) }));
    const needing = facts.filter((f) => f.needsCard);
    const prices = priceHousehold(
      needing.map((f) => ({ groups: pricingGroups({ ...f.m, povertyStatus: h.povertyStatus }, date, rules), birthDate: f.m.birthDate, grade: f.m.grade, previousCardTo: f.cardTo, ethnicity: f.m.ethnicity })),
      { date, months, enrolledThisYear: own.filter((m) => m.cards.enrolledThisYear).length, province: h.provinceCode, commune: h.communeCode },
      rules,
    );
    const priceOf = new Map<string, DoorPrice | RuleError>(needing.map((f, i) => [f.m.id, prices[i]]));
    const people = facts.map(({ m, status, cardTo, needsCard }) => {
      const mine = hv.filter((v) => v.personId === m.id).map((v) => ({ ...v, visitedAt: new Date(v.visitedAt) }));
      const last = mine.length ? latestVisit(mine) : null;
      const priced = priceOf.get(m.id);
      const price = priced && !(priced instanceof RuleError) ? priced : null;
      const offer = needsCard && price !== null && !price.statePaysInFull;
      return {
        id: m.id,
        fullName: m.fullName,
        birthDate: m.birthDate,
        sex: m.sex,
        relationship: m.relationship,
        citizenIdLast4: last4(m.citizenId),
        insuranceCodeLast4: last4(m.insuranceCode),
        phone: m.phone,
        groupCodes: m.groupCodes,
        status,
        cardTo,
        needsCard,
        price,
        priceError: priced instanceof RuleError ? t(`fields.rule_${priced.code}`, { detail: priced.message, defaultValue: priced.message }) : null,
        stage: mine.length ? stageOf(mine, { activeToday: newCardActive(m.cards.activeSince, mine) }) : ('not_visited' as const),
        lastVisit: last ? { outcome: last.outcome as Outcome, visitedAt: last.visitedAt.toISOString(), followUp: last.followUp, reason: last.reason as Reason | null } : null,
        programmes: offer
          ? programmes
              .filter((p) => p.villages === null || (h.villageCode !== null && p.villages.includes(h.villageCode)))
              .map((p) => ({ id: p.id, name: p.name, nominated: nominated.has(`${p.id}/${m.id}`) }))
          : [],
      };
    });
    const lastVisitAt = hv.length ? latestVisit(hv.map((v) => ({ ...v, visitedAt: new Date(v.visitedAt) }))).visitedAt.toISOString() : null;
    return {
      id: h.id,
      code: h.code,
      villageCode: h.villageCode,
      villageName: h.villageName,
      address: h.address,
      povertyStatus: h.povertyStatus,
      version: householdVersion(h, own),
      payable: people.reduce((sum, p) => sum + (p.price?.payable ?? 0), 0),
      lastVisitAt,
      members: people,
    };
  });
  // villages by name (each name compared once, not at every comparison of two households), then household code
  const villageRank = new Map([...new Set(list.map((h) => h.villageName ?? ''))].sort(compareVietnamese).map((name, i) => [name, i]));
  list.sort((a, b) => villageRank.get(a.villageName ?? '')! - villageRank.get(b.villageName ?? '')! || compareCodes(a.code, b.code));
  return {
    group: { id: group.id, name: group.name, communeCode: group.communeCode, communeName: group.communeName, villages: group.villages },
    date,
    days,
    months,
    households: list,
    summary: {
      households: list.length,
      persons: list.reduce((n, h) => n + h.members.length, 0),
      needCard: list.reduce((n, h) => n + h.members.filter((m) => m.needsCard).length, 0),
      visitedHouseholds: list.filter((h) => h.lastVisitAt !== null).length,
    },
  };
}

/**
 * A one-tap nomination from the list (the existing nomination flow): the person lives in the group's
 * villages and the programme is open (raising or selecting) and covers their commune or village.
 */
export async function nominateFromList(db: Kysely<DB>, actor: Actor, groupId: string, input: z.input<typeof nominateInput>) {
  requirePermission(actor, OUTREACH_VISIT);
  const data = parseInput(nominateInput, input);
  const group = await visibleGroup(db, actor, groupId);
  const villages = (await repo.villagesOfGroups(db, [group.id])).map((v) => v.villageCode);
  const scope = householdScopeOf(actor);
  const [person] = (await repo.findVisitTarget(db, { personId: data.personId }, scope)).filter((p) => p.villageCode !== null && villages.includes(p.villageCode));
  if (!person) throw new AppError('out_of_scope', { group: group.name, context: 'person', ns: 'outreach' }, [outreachField('personId', 'person_not_in_group', { group: group.name })]);
  const [household] = await repo.doorHouseholds(db, { villages, householdIds: [person.householdId] }, scope, null);
  const open = await programmesOpenFor(db, { code: person.communeCode, provinceCode: household?.provinceCode ?? null });
  const programme = open.find((p) => p.id === data.programmeId.toLowerCase() && (p.villages === null || p.villages.includes(person.villageCode!)));
  if (!programme) throw new AppError('validation', {}, [outreachField('programmeId', 'programme_not_open', { id: data.programmeId })]);
  return nominateFromField(db, actor, programme.id, { id: data.personId.toLowerCase(), householdId: person.householdId, communeCode: person.communeCode }, { tags: data.tags, note: data.note });
}

/**
 * The group's list as a sheet to print and carry for the day (the group leader's daily sheet): one row per
 * person of each household on the list, village then household, with the card's state, what the household
 * pays, the last visit and the day to come back, and empty columns for today's outcome and a note.
 */
export async function doorSheet(db: Kysely<DB>, actor: Actor, groupId: string, query: DoorListQuery, today: string, lang: Language = actor.language) {
  const list = await doorList(db, actor, groupId, query, today, lang);
  const t = translator(lang);
  const h = (k: string) => t(`outreach:door_sheet.${k}`);
  const keys = ['no', 'village', 'household', 'fullName', 'birthDate', 'status', 'cardTo', 'payable', 'payer', 'lastVisit', 'followUp', 'outcome', 'note'] as const;
  const wide = new Set(['fullName', 'payer', 'note', 'outcome']);
  let no = 0;
  const rows = list.households.flatMap((hh) =>
    hh.members.map((m) => ({
      no: ++no,
      village: hh.villageName,
      household: hh.address ? `${hh.code} · ${hh.address}` : hh.code,
      fullName: m.fullName,
      birthDate: m.birthDate,
      status: t(`outreach:statuses.${m.status}`),
      cardTo: m.cardTo,
      payable: m.price && !m.price.statePaysInFull ? m.price.payable : null,
      payer: m.price?.statePaysInFull ? h('state_pays') : (m.priceError ?? null),
      lastVisit: m.lastVisit ? `${formatDateVi(dayInVietnam(new Date(m.lastVisit.visitedAt)))} ${t(`outreach:outcomes.${m.lastVisit.outcome}`)}` : null,
      followUp: m.lastVisit?.followUp ?? null,
    })),
  );
  const buffer = await xlsxBuffer(
    {
      name: h('sheet'),
      title: [h('title'), t('outreach:door_sheet.subtitle', { group: list.group.name, commune: list.group.communeName, date: formatDateVi(list.date) })],
      columns: keys.map((k) => ({
        header: h(k),
        key: k,
        width: k === 'no' ? 5 : k === 'household' ? 22 : wide.has(k) ? 24 : k === 'status' || k === 'lastVisit' ? 16 : 12,
        type: k === 'birthDate' || k === 'cardTo' || k === 'followUp' ? ('date' as const) : k === 'no' || k === 'payable' ? ('integer' as const) : undefined,
        // long texts wrap inside their cell instead of running under the next one
        wrap: k === 'household' || k === 'payer' || k === 'village' || k === 'status' || k === 'lastVisit',
      })),
      orientation: 'landscape',
      grid: true,
    },
    rows,
  );
  return { buffer, fileName: `${h('file')}-${list.date}.xlsx`, rows: rows.length };
}
