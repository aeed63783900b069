/**
 * "Every door" progress (issue 19 item 5) of a unit (a village, commune, office or province), on a day,
 * with the visits logged up to that day: in total, per commune (for a province or an office), per village
 * (for a commune or a village), per working group and per member (against their recruitment target of the
 * year, from the coverage staff targets). The figures (src/domain/outreach.ts `figuresOf`): households in
 * scope, households visited at least once (the "every door" rate), persons reached, their outcomes (each
 * person once: enrolled once any visit enrolled them, else their latest outcome), enrolled awaiting the
 * card and with a new card in force, conversion, and the median days from the first visit to enrolment
 * and to the new card. A field worker's figures cover their groups' villages only (the scope).
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { householdScopeOf } from '../../db/scope';
import { inScope, requirePermission, type Actor } from '../../domain/access';
import { formatDateVi } from '../../domain/dates';
import { figuresOf, type Figures, type Outcome, type PersonFacts } from '../../domain/outreach';
import { compareVietnamese } from '../../domain/text';
import { AppError, notFound } from '../../errors';
import { translator, type Language } from '../../i18n/index';
import { xlsxBuffer, type SheetColumn } from '../../io/excel';
import { parseInput } from '../../validation';
import { staffTargetsOf } from '../coverage/figures.service';
import { childUnits, lineageOf, unitNames } from '../units/units.service';
import { groupViews, OUTREACH_READ, visibleGroup } from './groups.service';
import * as repo from './outreach.repository';
import { progressQuery, type ProgressQuery } from './outreach.schemas';

type VisitFact = Awaited<ReturnType<typeof repo.progressVisits>>['visits'][number];

/** The figures of the visits `visits` over `households` households. */
function figures(visits: VisitFact[], households: number, newCards: Map<string, string>): Figures {
  const byPerson = new Map<string, VisitFact[]>();
  for (const v of visits) if (v.personId !== null) byPerson.set(v.personId, [...(byPerson.get(v.personId) ?? []), v]);
  const persons: PersonFacts[] = [...byPerson.entries()].map(([personId, own]) => ({
    personId,
    householdId: own[0].householdId,
    visits: own.map((v) => ({ outcome: v.outcome as Outcome, visitedOn: v.visitedOn, visitedAt: v.visitedAt, followUp: v.followUp })),
    cardSince: newCards.get(personId) ?? null,
    activeToday: newCards.has(personId),
  }));
  return figuresOf({ households, visitedHouseholds: new Set(visits.map((v) => v.householdId)).size, visitCount: visits.length, persons });
}

export async function progress(db: Kysely<DB>, actor: Actor, query: ProgressQuery, today: string) {
  requirePermission(actor, OUTREACH_READ);
  const q = parseInput(progressQuery, query);
  const date = q.date ?? today;
  const found = await lineageOf(db, q.unit);
  if (!found) throw notFound('unit', q.unit);
  if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code: q.unit });
  const unit = found.unit;
  const scope = householdScopeOf(actor);

  const communes =
    unit.level === 'commune' ? [unit.code] : unit.level === 'village' ? [unit.parentCode!] : (await childUnits(db, unit.code)).filter((c) => c.level === 'commune').map((c) => c.code);
  let area: repo.ProgressArea = unit.level === 'village' ? { villages: [unit.code] } : { communes };
  const groupRows = q.group ? [await visibleGroup(db, actor, q.group)] : await repo.listGroups(db, scope, { all: true });
  const groups = (await groupViews(db, groupRows.filter((g) => communes.includes(g.communeCode)))).filter((g) => unit.level !== 'village' || g.villages.some((v) => v.code === unit.code));
  if (q.group) {
    const own = groups[0]?.villages.map((v) => v.code) ?? [];
    area = { villages: unit.level === 'village' ? own.filter((v) => v === unit.code) : own };
  }

  const [counts, { visits, newCards }] = await Promise.all([repo.householdCounts(db, area, scope), repo.progressVisits(db, area, scope, { date, groupId: q.group })]);
  const householdsOf = (pick: (c: (typeof counts)[number]) => boolean) => counts.filter(pick).reduce((n, c) => n + c.n, 0);
  const names = await unitNames(db, [...new Set([...counts.map((c) => c.villageCode ?? ''), ...communes])].filter(Boolean));

  const communeRows =
    unit.level === 'province' || unit.level === 'office'
      ? communes
          .map((code) => ({ code, name: names.get(code) ?? code, ...figures(visits.filter((v) => v.communeCode === code), householdsOf((c) => c.communeCode === code), newCards) }))
          .filter((r) => r.households > 0 || r.visits > 0)
          .sort((a, b) => compareVietnamese(a.name, b.name))
      : [];
  const villageRows =
    unit.level === 'commune' || unit.level === 'village'
      ? [...new Set(counts.map((c) => c.villageCode).filter((v): v is string => v !== null))]
          .map((code) => ({ code, name: names.get(code) ?? code, ...figures(visits.filter((v) => v.villageCode === code), householdsOf((c) => c.villageCode === code), newCards) }))
          .sort((a, b) => compareVietnamese(a.name, b.name))
      : [];
  const groupFigures = groups.map((g) => {
    const villages = new Set(g.villages.map((v) => v.code));
    return { id: g.id, name: g.name, communeCode: g.communeCode, ...figures(visits.filter((v) => v.groupId === g.id), householdsOf((c) => c.villageCode !== null && villages.has(c.villageCode)), newCards) };
  });

  // members: of the groups shown; their households are those of their groups' villages
  const members = new Map<string, { userId: string; username: string; displayName: string; villages: Set<string> }>();
  for (const g of groups)
    for (const m of g.members) {
      const entry = members.get(m.id) ?? { userId: m.id, username: m.username, displayName: m.displayName, villages: new Set<string>() };
      for (const v of g.villages) entry.villages.add(v.code);
      members.set(m.id, entry);
    }
  const targets = await staffTargetsOf(db, [...members.keys()], Number(date.slice(0, 4)));
  const memberRows = [...members.values()]
    .map(({ villages, ...m }) => ({
      ...m,
      target: targets.get(m.userId) ?? null,
      ...figures(visits.filter((v) => v.userId === m.userId), householdsOf((c) => c.villageCode !== null && villages.has(c.villageCode)), newCards),
    }))
    .sort((a, b) => a.username.localeCompare(b.username));

  return {
    unit: { code: unit.code, name: unit.name, level: unit.level },
    date,
    total: figures(visits, householdsOf(() => true), newCards),
    communes: communeRows,
    villages: villageRows,
    groups: groupFigures.sort((a, b) => compareVietnamese(a.name, b.name)),
    members: memberRows,
  };
}

export type Progress = Awaited<ReturnType<typeof progress>>;

const FIGURE_KEYS = [
  'households',
  'householdsVisited',
  'pctVisited',
  'personsReached',
  'visits',
  'enrolled',
  'promised',
  'refused',
  'notHome',
  'awaitingCard',
  'cardActive',
  'conversion',
  'medianDaysToEnrolment',
  'medianDaysToCard',
] as const;

/** The progress as an .xlsx: one row for the unit, then its communes or villages, its groups and members. */
export async function progressWorkbook(db: Kysely<DB>, actor: Actor, query: ProgressQuery, today: string, lang: Language = actor.language) {
  const p = await progress(db, actor, query, today);
  const t = translator(lang);
  const h = (k: string) => t(`outreach:progress_sheet.${k}`);
  const columns: SheetColumn[] = [
    { header: h('level'), key: 'level', width: 14 },
    { header: h('name'), key: 'name', width: 28 },
    { header: h('target'), key: 'target', width: 10, type: 'integer' },
    ...FIGURE_KEYS.map((k): SheetColumn => ({
      header: h(k),
      key: k,
      width: 12,
      type: k === 'pctVisited' || k === 'conversion' ? 'percent' : k.startsWith('median') ? 'number' : 'integer',
    })),
  ];
  const row = (level: string, name: string, f: Figures, target: number | null = null) => ({
    level: h(`level_${level}`),
    name,
    target,
    ...Object.fromEntries(FIGURE_KEYS.map((k) => [k, f[k]])),
  });
  const buffer = await xlsxBuffer(
    { name: h('sheet'), title: [h('title'), t('outreach:progress_sheet.subtitle', { unit: p.unit.name, date: formatDateVi(p.date) })], columns, orientation: 'landscape' },
    [
      row(p.unit.level, p.unit.name, p.total),
      ...p.communes.map((c) => row('commune', c.name, c)),
      ...p.villages.map((v) => row('village', v.name, v)),
      ...p.groups.map((g) => row('group', g.name, g)),
      ...p.members.map((m) => row('member', `${m.displayName} (${m.username})`, m, m.target)),
    ],
  );
  return { buffer, fileName: `${h('file')}-${p.unit.code}-${p.date}.xlsx` };
}
