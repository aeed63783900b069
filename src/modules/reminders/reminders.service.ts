/**
 * Renewal reminders (issue 20 item 6). The list: persons in the scope whose latest BHYT card ends from the
 * day to `days` days after it (default 30) and who have not renewed (no card of theirs ends later), with
 * the masked name, the amount due for the renewal from the rules engine (household price, household order
 * respected, as the door-to-door list prices it), the due date (the card's last day) and where to pay (the
 * collector the card names, else the village's collector, else the office serving the commune, else the
 * commune), grouped by village and by collector; the reminder's text in the user's language; the CSV for
 * the office's SMS or Zalo sender; the journal of reminders sent (one per card, end date and offset, the
 * offset being the list's `days`) and the renewal rate of reminded against not-reminded persons.
 *
 * What ends comes from `SOURCES`: BHYT cards today. A voluntary social insurance period is a second
 * source (its rows, its pricing) added to that list; the journal already has a `source` column for it.
 * State-paid cards (the state pays the whole premium: the office renews them) are not listed, only counted.
 */
import type { Kysely } from 'kysely';
import type { DB, ReminderChannel, ReminderSource } from '../../db/schema';
import { householdScopeOf, type HouseholdScope } from '../../db/scope';
import { inScope, requirePermission, type Actor } from '../../domain/access';
import { addDays } from '../../domain/calendar';
import { formatDateVi } from '../../domain/dates';
import { maskName } from '../../domain/identity';
import { formatVnd } from '../../domain/money';
import { priceHousehold, quoteMemberOf, type DoorPriceMember } from '../../domain/outreach';
import type { RuleSet } from '../../domain/premium';
import { pricingGroupOf, RuleError, statePaysInFull } from '../../domain/premium';
import { pricingGroups } from '../../domain/pricing-groups';
import { compareCodes, compareVietnamese } from '../../domain/text';
import { AppError, notFound } from '../../errors';
import { translator, type Language } from '../../i18n/index';
import { csvLine, UTF8_BOM } from '../../io/csv';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { loadRules } from '../premium/premium.service';
import { lineageOf } from '../units/units.service';
import * as repo from './reminders.repository';
import { exportQuery, markSentInput, rateQuery, reminderListQuery, type ExportQuery, type MarkSentInput, type RateQuery, type ReminderListQuery } from './reminders.schemas';

export const REMINDERS_READ = 'outreach:read' as const;
export const REMINDERS_SEND = 'outreach:manage' as const;

/** The price of one renewal (or why there is none). */
interface Priced {
  amount: number | null;
  statePaysInFull: boolean;
  error: string | null;
}

/** A source of things that end: what ends in the window, and the price of renewing each. */
export interface EndingSource {
  source: ReminderSource;
  ending(db: Kysely<DB>, w: repo.Window, scope: HouseholdScope): Promise<repo.EndingRow[]>;
  price(db: Kysely<DB>, rows: repo.EndingRow[], ctx: { date: string; months: number; rules: RuleSet; lang: Language }): Promise<Map<string, Priced>>;
}

/**
 * BHYT cards: a household's members due in the window priced one after the other, after those enrolled
 * this year. Members the state pays in full are settled without a quote (statePaysInFull: they take no
 * place in the household order), and this year's enrolments are read only for the households where
 * someone is priced in the household mode (the order is theirs alone).
 */
const bhytCards: EndingSource = {
  source: 'bhyt_card',
  ending: repo.endingCards,
  async price(db, rows, { date, months, rules, lang }) {
    const t = translator(lang);
    const out = new Map<string, Priced>();
    const byHousehold = new Map<string, { row: repo.EndingRow; member: DoorPriceMember }[]>();
    const ordered = new Set<string>();
    for (const r of rows) {
      const member: DoorPriceMember = { groups: pricingGroups(r, date, rules), birthDate: r.birthDate, grade: r.grade, previousCardTo: r.endsOn, ethnicity: r.ethnicity };
      const chosen = pricingGroupOf(quoteMemberOf(member, r.communeCode), date, months, rules);
      if (statePaysInFull(chosen)) {
        out.set(r.subjectId, { amount: 0, statePaysInFull: true, error: null });
        continue;
      }
      const role = chosen?.group.role;
      if (role === undefined || role === 'household') ordered.add(r.householdId);
      const own = byHousehold.get(r.householdId);
      if (own) own.push({ row: r, member });
      else byHousehold.set(r.householdId, [{ row: r, member }]);
    }
    // the households without a household-mode member are priced while the database counts the enrolments of the others
    const enrolledThisYear = repo.enrolledThisYear(db, [...ordered], date);
    const priceOwn = (householdId: string, enrolled: number) => {
      const own = byHousehold.get(householdId)!;
      own.sort((a, b) => (a.row.birthDate < b.row.birthDate ? -1 : a.row.birthDate > b.row.birthDate ? 1 : a.row.personId < b.row.personId ? -1 : 1));
      const first = own[0].row;
      const prices = priceHousehold(
        own.map((o) => o.member),
        { date, months, enrolledThisYear: enrolled, province: first.provinceCode, commune: first.communeCode },
        rules,
      );
      own.forEach(({ row }, i) => {
        const p = prices[i];
        out.set(
          row.subjectId,
          p instanceof RuleError
            ? { amount: null, statePaysInFull: false, error: t(`fields.rule_${p.code}`, { detail: p.message, defaultValue: p.message }) }
            : { amount: p.payable, statePaysInFull: p.statePaysInFull, error: null },
        );
      });
    };
    for (const householdId of byHousehold.keys()) if (!ordered.has(householdId)) priceOwn(householdId, 0);
    const enrolled = await enrolledThisYear;
    for (const householdId of ordered) if (byHousehold.has(householdId)) priceOwn(householdId, enrolled.get(householdId) ?? 0);
    return out;
  },
};

/** Everything that can end and be reminded of; a voluntary social insurance source is added here. */
export const SOURCES: readonly EndingSource[] = [bhytCards];

interface Area {
  unit: { code: string; name: string; level: string };
  scope: HouseholdScope;
  villages: string[] | null;
  narrow: boolean;
}

/** The unit asked for, inside the actor's scope: the list's scope is the unit (a village: its commune, that village). */
async function areaOf(db: Kysely<DB>, actor: Actor, code: string): Promise<Area> {
  const found = await lineageOf(db, code);
  if (!found) throw notFound('unit', code);
  if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code });
  const u = found.unit;
  const own = householdScopeOf(actor);
  const village = u.level === 'village';
  return {
    unit: { code: u.code, name: u.name, level: u.level },
    scope: { under: village ? u.parentCode : u.code, fieldWorker: own.fieldWorker },
    villages: village ? [u.code] : null,
    narrow: village || u.level === 'commune',
  };
}

type PayAt = { kind: 'collector' | 'office' | 'commune'; code: string | null; name: string; address: string | null; phone: string | null; text: string };

/**
 * A text of the catalogue with markers for its values (one i18next call per list), cut at the markers once:
 * each row joins the pieces with its values.
 */
function template(lang: Language, key: string, names: string[]) {
  const t = translator(lang);
  const raw = t(key, Object.fromEntries(names.map((n) => [n, `\u0001${n}\u0002`])));
  // the pieces alternate: text, name, text, name, ..., text
  // eslint-disable-next-line no-control-regex -- the markers are control characters so that no text holds them
  const pieces = raw.split(/\u0001([^\u0002]*)\u0002/);
  return (values: Record<string, string>) => {
    let s = pieces[0];
    for (let i = 1; i < pieces.length; i += 2) s += (values[pieces[i]] ?? '') + pieces[i + 1];
    return s;
  };
}

async function build(db: Kysely<DB>, area: Area, q: { date: string; days: number; months: number; includeSent: boolean }, lang: Language) {
  const until = addDays(q.date, q.days);
  const w: repo.Window = { from: q.date, to: until, villages: area.villages, narrow: area.narrow };
  const rules = await loadRules(db);
  const found = await Promise.all(SOURCES.map(async (s) => ({ s, rows: await s.ending(db, w, area.scope) })));
  const rows = found.flatMap((f) => f.rows);
  // the look-ups are asked for first: the database answers them while the prices are worked out here
  const named = [...new Set(rows.map((r) => r.collectorCode).filter((c): c is string => c !== null))];
  const lookups = Promise.all([
    repo.sentKeys(db, rows.map((r) => r.householdId), q.days),
    repo.collectorsByCode(db, named),
    repo.villageCollectors(db, [...new Set(rows.map((r) => r.villageCode).filter((v): v is string => v !== null))]),
    repo.communeOffices(db, [...new Set(rows.map((r) => r.communeCode))]),
  ]);
  const prices = await Promise.all(found.map((f) => f.s.price(db, f.rows, { date: q.date, months: q.months, rules, lang })));
  const [sent, collectors, villageCollectors, offices] = await lookups;
  const priceOf = new Map<string, Priced>();
  for (const m of prices) for (const [k, v] of m) priceOf.set(k, v);

  const collectorOf = new Map(collectors.map((c) => [c.code, c]));
  const payCollector = template(lang, 'reminders:pay_at.collector', ['name', 'phone']);
  const payCollectorNoPhone = template(lang, 'reminders:pay_at.collector_no_phone', ['name']);
  const payOffice = template(lang, 'reminders:pay_at.office', ['name', 'address']);
  const payCommune = template(lang, 'reminders:pay_at.commune', ['name']);
  const text = template(lang, 'reminders:text.bhyt_card', ['name', 'due', 'amount', 'months', 'payAt']);
  const textNoAmount = template(lang, 'reminders:text.bhyt_card_no_amount', ['name', 'due', 'payAt']);
  const payAtCache = new Map<string, PayAt>();
  const payAt = (r: repo.EndingRow): PayAt => {
    const key = `${r.collectorCode ?? ''}|${r.villageCode ?? ''}|${r.communeCode}`;
    const cached = payAtCache.get(key);
    if (cached) return cached;
    const named = r.collectorCode ? collectorOf.get(r.collectorCode) : undefined;
    const c = named?.active ? named : r.villageCode ? villageCollectors.get(r.villageCode) : undefined;
    const office = offices.get(r.communeCode);
    const p: PayAt = c
      ? { kind: 'collector', code: c.code, name: c.name, address: null, phone: c.phone, text: c.phone ? payCollector({ name: c.name, phone: c.phone }) : payCollectorNoPhone({ name: c.name }) }
      : office
        ? { kind: 'office', code: null, name: office.name, address: office.address, phone: office.phone, text: payOffice({ name: office.name, address: office.address ?? '' }).replace(/, $/, '') }
        : { kind: 'commune', code: r.communeCode, name: r.communeName, address: null, phone: null, text: payCommune({ name: r.communeName }) };
    payAtCache.set(key, p);
    return p;
  };

  let statePaid = 0;
  let alreadySent = 0;
  const months = String(q.months);
  const items: (ReturnType<typeof item> & { villageCode: string | null; villageName: string | null; communeCode: string; communeName: string })[] = [];
  function item(r: repo.EndingRow, price: Priced | undefined, isSent: boolean) {
    const maskedName = maskName(r.fullName);
    const where = payAt(r);
    const due = formatDateVi(r.endsOn);
    const amount = price?.amount ?? null;
    return {
      source: r.source,
      subjectId: r.subjectId,
      personId: r.personId,
      householdId: r.householdId,
      householdCode: r.householdCode,
      maskedName,
      phone: r.phone,
      dueDate: r.endsOn,
      amount,
      priceError: price?.error ?? null,
      payAt: where,
      text: amount !== null ? text({ name: maskedName, due, amount: formatVnd(amount), months, payAt: where.text }) : textNoAmount({ name: maskedName, due, payAt: where.text }),
      sent: isSent,
    };
  }
  for (const r of rows) {
    const price = priceOf.get(r.subjectId);
    if (price?.statePaysInFull) {
      statePaid++;
      continue;
    }
    const isSent = sent.has(repo.sentKey({ source: r.source, subjectId: r.subjectId, endsOn: r.endsOn, offsetDays: q.days }));
    if (isSent) alreadySent++;
    if (isSent && !q.includeSent) continue;
    items.push({ ...item(r, price, isSent), villageCode: r.villageCode, villageName: r.villageName, communeCode: r.communeCode, communeName: r.communeName });
  }
  return { until, items, statePaid, alreadySent };
}


type Built = Awaited<ReturnType<typeof build>>;

function grouped(area: Area, q: { date: string; days: number; months: number }, b: Built, withItems = true) {
  const villages = new Map<string, { code: string | null; name: string | null; communeCode: string; communeName: string; items: Built['items'] }>();
  const collectors = new Map<string, { kind: PayAt['kind']; code: string | null; name: string; phone: string | null; items: Built['items'] }>();
  for (const it of b.items) {
    const vk = `${it.communeCode}|${it.villageCode ?? ''}`;
    let v = villages.get(vk);
    if (!v) villages.set(vk, (v = { code: it.villageCode, name: it.villageName, communeCode: it.communeCode, communeName: it.communeName, items: [] }));
    v.items.push(it);
    const ck = `${it.payAt.kind}|${it.payAt.code ?? ''}|${it.payAt.name}`;
    let c = collectors.get(ck);
    if (!c) collectors.set(ck, (c = { kind: it.payAt.kind, code: it.payAt.code, name: it.payAt.name, phone: it.payAt.phone, items: [] }));
    c.items.push(it);
  }
  const totals = (items: Built['items']) => ({
    persons: items.length,
    households: new Set(items.map((i) => i.householdId)).size,
    amount: items.reduce((s, i) => s + (i.amount ?? 0), 0),
  });
  const strip = ({ villageCode: _v, villageName: _n, communeCode: _c, communeName: _cn, ...rest }: Built['items'][number]) => rest;
  return {
    unit: area.unit,
    date: q.date,
    days: q.days,
    months: q.months,
    until: b.until,
    summary: { ...totals(b.items), withPhone: b.items.filter((i) => i.phone).length, statePaid: b.statePaid, alreadySent: b.alreadySent },
    villages: [...villages.values()]
      .sort((a, b) => compareVietnamese(a.communeName, b.communeName) || compareVietnamese(a.name ?? '\uffff', b.name ?? '\uffff'))
      .map((v) => ({
        code: v.code,
        name: v.name,
        communeCode: v.communeCode,
        communeName: v.communeName,
        ...totals(v.items),
        items: withItems ? v.items.sort((a, b) => compareCodes(a.householdCode, b.householdCode) || (a.dueDate < b.dueDate ? -1 : a.dueDate > b.dueDate ? 1 : 0)).map(strip) : [],
      })),
    collectors: [...collectors.values()]
      .sort((a, b) => compareVietnamese(a.name, b.name))
      .map(({ items, ...c }) => ({ ...c, ...totals(items) })),
  };
}

/** The reminder list of a unit on a day. */
export async function reminderList(db: Kysely<DB>, actor: Actor, query: ReminderListQuery, today: string, lang: Language = actor.language) {
  requirePermission(actor, REMINDERS_READ);
  const q = parseInput(reminderListQuery, query);
  const area = await areaOf(db, actor, q.unit);
  const opts = { date: q.date ?? today, days: q.days, months: q.months, includeSent: q.includeSent };
  return grouped(area, opts, await build(db, area, opts, lang), q.items);
}

/** Writes the journal rows of `items` (those not sent yet) and one audit row; returns the counts. */
async function record(db: Kysely<DB>, actor: Actor, area: Area, q: { date: string; days: number }, items: Built['items'], channel: ReminderChannel, today: string) {
  return db.transaction().execute(async (trx) => {
    const written = await repo.insertSent(
      trx,
      items.map((i) => ({
        householdId: i.householdId,
        personId: i.personId,
        source: i.source,
        subjectId: i.subjectId,
        endsOn: i.dueDate,
        offsetDays: q.days,
        communeCode: i.communeCode,
        villageCode: i.villageCode,
        collectorCode: i.payAt.kind === 'collector' ? i.payAt.code : null,
        phone: i.phone,
        amount: i.amount,
        channel,
        sentOn: today,
        sentBy: actor.username,
      })),
    );
    const result = { recorded: written.length, alreadySent: items.length - written.length, offsetDays: q.days, channel };
    // nothing new recorded: nothing changed, no audit row
    if (written.length === 0) return result;
    await audit(trx, actor, {
      action: 'reminders_sent',
      entity: 'reminder',
      entityId: area.unit.code,
      unitCode: area.unit.level === 'village' ? area.scope.under : area.unit.code,
      after: {
        recorded: result.recorded,
        alreadySent: result.alreadySent,
        offsetDays: q.days,
        channel,
        date: q.date,
        until: addDays(q.date, q.days),
        amount: written.reduce((s, w) => s + (w.amount ?? 0), 0),
      },
    });
    return result;
  });
}

/** Marks the unit's list (those not reminded yet for this offset) as sent. */
export async function markSent(db: Kysely<DB>, actor: Actor, input: MarkSentInput, today: string) {
  requirePermission(actor, REMINDERS_SEND);
  const q = parseInput(markSentInput, input);
  const area = await areaOf(db, actor, q.unit);
  const opts = { date: q.date ?? today, days: q.days, months: q.months, includeSent: false };
  const b = await build(db, area, opts, actor.language);
  return record(db, actor, area, opts, b.items, q.channel, today);
}

/**
 * The CSV for the office's SMS or Zalo sender: one line per reminder with a phone (those without are
 * counted, not written), the text first after the phone; `markSent` records the lines written as sent.
 */
export async function exportCsv(db: Kysely<DB>, actor: Actor, input: ExportQuery, today: string, lang: Language = actor.language) {
  requirePermission(actor, REMINDERS_SEND);
  const q = parseInput(exportQuery, input);
  const area = await areaOf(db, actor, q.unit);
  const opts = { date: q.date ?? today, days: q.days, months: q.months, includeSent: false };
  const b = await build(db, area, opts, lang);
  const g = grouped(area, opts, b);
  const t = translator(lang);
  const keys = ['phone', 'text', 'maskedName', 'commune', 'village', 'household', 'dueDate', 'amount', 'payAt', 'reference'] as const;
  const lines = [csvLine(keys.map((k) => t(`reminders:csv.${k}`)))];
  const exported: Built['items'] = [];
  const byId = new Map(b.items.map((i) => [i.subjectId, i]));
  for (const v of g.villages)
    for (const i of v.items) {
      if (!i.phone) continue;
      exported.push(byId.get(i.subjectId)!);
      lines.push(csvLine([i.phone, i.text, i.maskedName, v.communeName, v.name, i.householdCode, formatDateVi(i.dueDate), i.amount, i.payAt.text, `${i.source}:${i.subjectId}:${i.dueDate}:${q.days}`]));
    }
  const marked = q.markSent ? await record(db, actor, area, opts, exported, q.channel, today) : null;
  return {
    csv: `${UTF8_BOM}${lines.join('\r\n')}\r\n`,
    fileName: `${t('reminders:csv.file')}-${area.unit.code}-${opts.date}.csv`,
    rows: exported.length,
    withoutPhone: b.items.length - exported.length,
    marked,
  };
}

/** Renewal rate of cards that ended in [from, to]: reminded against not reminded. */
export async function renewalRate(db: Kysely<DB>, actor: Actor, query: RateQuery, today: string) {
  requirePermission(actor, REMINDERS_READ);
  const q = parseInput(rateQuery, query);
  if (q.from > q.to) throw new AppError('validation', {}, [{ path: 'to', key: 'period_reversed', params: { from: formatDateVi(q.from), to: formatDateVi(q.to), ns: 'reminders' } }]);
  const area = await areaOf(db, actor, q.unit);
  const rows = await repo.renewalCounts(db, { from: q.from, to: q.to, within: q.within, today, villages: area.villages }, area.scope);
  const of = (reminded: boolean) => {
    const settled = rows.filter((r) => r.settled && r.reminded === reminded);
    const cards = settled.reduce((s, r) => s + r.n, 0);
    const renewed = settled.filter((r) => r.renewed).reduce((s, r) => s + r.n, 0);
    return { cards, renewed, rate: cards ? renewed / cards : null };
  };
  return {
    unit: area.unit,
    from: q.from,
    to: q.to,
    within: q.within,
    reminded: of(true),
    notReminded: of(false),
    pending: rows.filter((r) => !r.settled).reduce((s, r) => s + r.n, 0),
  };
}
