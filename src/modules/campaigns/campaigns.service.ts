/**
 * Campaigns (issue 20 item 3): a campaign month of a province or commune (name, theme, period), its targets
 * per kind and their split over communes, working groups and staff members, and its live progress counted
 * from the register (the kept coverage spans, the cards, the voluntary social insurance periods) and from
 * the field (enrolments logged on visits). Who may: reading, any user whose scope is the campaign's unit,
 * inside it, or under it (a commune officer sees the province's campaign: its figures are counts, no
 * person); changing, users who may write units and whose scope holds the campaign's unit. Audited
 * (entity 'campaign', unit = the campaign's unit).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { can, inScope, requirePermission, type Actor, type Permission } from '../../domain/access';
import { countedUntil, ranked, reached, runningTotals, splitWarnings, TARGET_KINDS, type Reached, type Target, type TargetKind } from '../../domain/campaign';
import { formatDecimalIn } from '../../domain/numbers';
import { compareVietnamese } from '../../domain/text';
import { formatDateVi } from '../../domain/dates';
import { AppError, notFound, type FieldError } from '../../errors';
import { translator, type Language } from '../../i18n/index';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { lineageOf } from '../units/units.service';
import * as repo from './campaigns.repository';
import { createCampaignInput, progressQuery, updateCampaignInput, type CreateCampaignInput, type UpdateCampaignInput } from './campaigns.schemas';

export const CAMPAIGNS_READ: Permission = 'units:read';
export const CAMPAIGNS_MANAGE: Permission = 'units:write';

const field = (path: string, key: string, params: Record<string, unknown> = {}): FieldError => ({ path, key, params: { ...params, ns: 'campaigns' } });
const iso = (d: Date | string) => new Date(d).toISOString();

type ByKind<T> = Record<TargetKind, T>;
const byKind = <T>(f: (kind: TargetKind) => T): ByKind<T> => Object.fromEntries(TARGET_KINDS.map((k) => [k, f(k)])) as ByKind<T>;

/** May the actor read the campaign of `unitCode`: their scope is that unit, inside it, or holds it. */
async function readable(db: Kysely<DB>, actor: Actor, unitCode: string): Promise<boolean> {
  if (actor.scopeCode === null) return true;
  const unit = await lineageOf(db, unitCode);
  if (unit && inScope(actor, unit.lineage)) return true;
  const own = await lineageOf(db, actor.scopeCode);
  return !!own && own.lineage.includes(unitCode);
}

async function visibleCampaign(db: Kysely<DB>, actor: Actor, id: string): Promise<repo.CampaignRow> {
  const row = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findCampaign(db, id) : undefined;
  if (!row || !(await readable(db, actor, row.unitCode))) throw notFound('campaign', id);
  return row;
}

async function manageable(db: Kysely<DB>, actor: Actor, id: string): Promise<repo.CampaignRow> {
  requirePermission(actor, CAMPAIGNS_MANAGE);
  const row = await visibleCampaign(db, actor, id);
  if (!(await changeable(db, actor, row.unitCode))) throw new AppError('forbidden');
  return row;
}

/** May the actor change the campaign of `unitCode` (their scope holds it)? */
async function changeable(db: Kysely<DB>, actor: Actor, unitCode: string): Promise<boolean> {
  if (!can(actor, CAMPAIGNS_MANAGE)) return false;
  const unit = await lineageOf(db, unitCode);
  return !!unit && inScope(actor, unit.lineage);
}

/** The campaign with its targets, split (named) and the split's warnings, as the API shows it to `actor`. */
async function campaignView(db: Kysely<DB>, actor: Actor, row: repo.CampaignRow, lang: Language, known?: CampaignFacts) {
  const facts = known ?? (await campaignFacts(db, row));
  const { targets } = facts;
  const names = refNames(facts);
  const t = translator(lang);
  return {
    id: row.id,
    unitCode: row.unitCode,
    unitName: row.unitName,
    unitLevel: row.unitLevel,
    name: row.name,
    theme: row.theme,
    startsOn: row.startsOn,
    endsOn: row.endsOn,
    targets: byKind((k) => targets.find((x) => x.kind === k && x.level === 'campaign')?.value ?? null),
    split: targets
      .filter((x): x is Target & { level: 'commune' | 'group' | 'staff' } => x.level !== 'campaign')
      .map((x) => ({ kind: x.kind, level: x.level, ref: x.ref, name: names.get(`${x.level}:${x.ref}`) ?? x.ref, value: x.value })),
    warnings: splitWarnings(targets).map((w) => ({
      ...w,
      message: t('campaigns:split_mismatch', {
        kind: t(`campaigns:kinds.${w.kind}`),
        level: t(`campaigns:levels.${w.level}`),
        split: formatDecimalIn(w.split, lang),
        target: formatDecimalIn(w.target, lang),
      }),
    })),
    canChange: await changeable(db, actor, row.unitCode),
    createdBy: row.createdBy,
    createdAt: iso(row.createdAt),
    updatedAt: iso(row.updatedAt),
  };
}

export type CampaignView = Awaited<ReturnType<typeof campaignView>>;

/** What a campaign's view and progress read about it: its targets, communes (by Vietnamese name), working groups and the staff its split names. */
async function campaignFacts(db: Kysely<DB>, row: repo.CampaignRow) {
  const targets = await repo.targetsOf(db, row.id);
  const communes = (await repo.communesOf(db, row.unitCode)).sort((a, b) => compareVietnamese(a.name, b.name));
  const groups = await repo.groupsOf(db, communes.map((c) => c.code));
  const users = await repo.usersByRefs(db, targets.filter((x) => x.level === 'staff').map((x) => x.ref));
  return { targets, communes, groups, users };
}

type CampaignFacts = Awaited<ReturnType<typeof campaignFacts>>;

/** Names of the split's communes, groups and staff, by 'level:ref'. */
function refNames({ communes, groups, users }: CampaignFacts): Map<string, string> {
  return new Map([
    ...communes.map((c) => [`commune:${c.code}`, c.name] as const),
    ...groups.map((g) => [`group:${g.id}`, g.name] as const),
    ...users.map((u) => [`staff:${u.id}`, u.displayName] as const),
  ]);
}

/**
 * Checks the campaign's unit (a province or commune in the actor's scope), period, and split (each ref a
 * commune of the campaign, a working group of those communes, or a user whose scope is inside the unit)
 * and returns the targets to store (staff named by id).
 */
async function checkedTargets(
  db: Kysely<DB>,
  unitCode: string,
  targets: Partial<Record<TargetKind, number | null>>,
  split: { kind: TargetKind; level: 'commune' | 'group' | 'staff'; ref: string; value: number }[],
): Promise<Target[]> {
  const communes = await repo.communesOf(db, unitCode);
  const communeCodes = new Set(communes.map((c) => c.code));
  const groups = new Set((await repo.groupsOf(db, [...communeCodes])).map((g) => g.id));
  const users = await repo.usersByRefs(db, split.filter((s) => s.level === 'staff').map((s) => s.ref));
  const errors: FieldError[] = [];
  const out: Target[] = TARGET_KINDS.filter((k) => targets[k] !== undefined && targets[k] !== null).map((kind) => ({ kind, level: 'campaign', ref: '', value: targets[kind]! }));
  const seen = new Set<string>();
  for (const [i, s] of split.entries()) {
    let ref: string | undefined;
    if (s.level === 'commune') ref = communeCodes.has(s.ref) ? s.ref : undefined;
    else if (s.level === 'group') ref = groups.has(s.ref) ? s.ref : undefined;
    else {
      const user = users.find((u) => u.id === s.ref || u.username === s.ref);
      const lineage = user?.scopeCode ? (await lineageOf(db, user.scopeCode))?.lineage : undefined;
      ref = user && lineage?.includes(unitCode) ? user.id : undefined;
    }
    if (!ref) {
      errors.push(field(`split.${i}.ref`, `unknown_${s.level}`, { ref: s.ref }));
      continue;
    }
    const key = `${s.kind}/${s.level}/${ref}`;
    if (seen.has(key)) errors.push(field(`split.${i}.ref`, 'split_twice', { ref: s.ref }));
    seen.add(key);
    out.push({ kind: s.kind, level: s.level, ref, value: s.value });
  }
  if (errors.length) throw new AppError('validation', {}, errors);
  return out;
}

async function checkedUnit(db: Kysely<DB>, actor: Actor, unitCode: string) {
  const unit = await lineageOf(db, unitCode);
  if (!unit || (unit.unit.level !== 'province' && unit.unit.level !== 'commune')) throw new AppError('validation', {}, [field('unitCode', 'unit_not_province_or_commune', { code: unitCode })]);
  if (!inScope(actor, unit.lineage)) throw new AppError('forbidden');
  return unit.unit;
}

function checkPeriod(startsOn: string, endsOn: string): void {
  if (endsOn < startsOn) throw new AppError('validation', {}, [field('endsOn', 'ends_before_start', { startsOn: formatDateVi(startsOn), endsOn: formatDateVi(endsOn) })]);
}

export async function createCampaign(db: Kysely<DB>, actor: Actor, input: CreateCampaignInput, lang: Language = actor.language): Promise<CampaignView> {
  requirePermission(actor, CAMPAIGNS_MANAGE);
  const data = parseInput(createCampaignInput, input);
  const unit = await checkedUnit(db, actor, data.unitCode);
  checkPeriod(data.startsOn, data.endsOn);
  const targets = await checkedTargets(db, unit.code, data.targets, data.split);
  return db.transaction().execute(async (trx) => {
    const id = randomUUID();
    await repo.insertCampaign(trx, {
      id,
      unitCode: unit.code,
      name: data.name,
      theme: data.theme ?? null,
      startsOn: data.startsOn,
      endsOn: data.endsOn,
      createdBy: actor.username,
      updatedBy: actor.username,
    });
    await repo.setTargets(trx, id, targets);
    const after = await campaignView(trx, actor, (await repo.findCampaign(trx, id))!, lang);
    await audit(trx, actor, { action: 'create', entity: 'campaign', entityId: id, unitCode: unit.code, after: auditable(after) });
    return after;
  });
}

export async function updateCampaign(db: Kysely<DB>, actor: Actor, id: string, input: UpdateCampaignInput, lang: Language = actor.language): Promise<CampaignView> {
  const row = await manageable(db, actor, id);
  const data = parseInput(updateCampaignInput, input);
  checkPeriod(data.startsOn ?? row.startsOn, data.endsOn ?? row.endsOn);
  const before = await campaignView(db, actor, row, lang);
  const targets =
    data.targets !== undefined || data.split !== undefined
      ? await checkedTargets(
          db,
          row.unitCode,
          data.targets ?? before.targets,
          data.split ?? before.split.map(({ kind, level, ref, value }) => ({ kind, level, ref, value })),
        )
      : null;
  return db.transaction().execute(async (trx) => {
    await repo.updateCampaign(trx, id, {
      ...(data.name !== undefined ? { name: data.name } : {}),
      ...(data.theme !== undefined ? { theme: data.theme } : {}),
      ...(data.startsOn !== undefined ? { startsOn: data.startsOn } : {}),
      ...(data.endsOn !== undefined ? { endsOn: data.endsOn } : {}),
      updatedBy: actor.username,
    });
    if (targets) await repo.setTargets(trx, id, targets);
    const after = await campaignView(trx, actor, (await repo.findCampaign(trx, id))!, lang);
    await audit(trx, actor, { action: 'update', entity: 'campaign', entityId: id, unitCode: row.unitCode, before: auditable(before), after: auditable(after) });
    return after;
  });
}

export async function deleteCampaign(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  const row = await manageable(db, actor, id);
  const before = await campaignView(db, actor, row, actor.language);
  await db.transaction().execute(async (trx) => {
    await repo.deleteCampaign(trx, id);
    await audit(trx, actor, { action: 'delete', entity: 'campaign', entityId: id, unitCode: row.unitCode, before: auditable(before) });
  });
}

/** What the audit log keeps of a campaign: its fields and targets, not the derived warnings. */
const auditable = (v: CampaignView) => ({ name: v.name, theme: v.theme, unitCode: v.unitCode, startsOn: v.startsOn, endsOn: v.endsOn, targets: v.targets, split: v.split.map(({ kind, level, ref, value }) => ({ kind, level, ref, value })) });

export async function getCampaign(db: Kysely<DB>, actor: Actor, id: string, lang: Language = actor.language): Promise<CampaignView> {
  requirePermission(actor, CAMPAIGNS_READ);
  return campaignView(db, actor, await visibleCampaign(db, actor, id), lang);
}

/** The campaigns the actor may read, latest first. */
export async function listCampaigns(db: Kysely<DB>, actor: Actor, lang: Language = actor.language): Promise<CampaignView[]> {
  requirePermission(actor, CAMPAIGNS_READ);
  // what `readable` allows, as SQL: the units inside the scope, and the user's own unit and those above it
  const own = actor.scopeCode === null ? undefined : await lineageOf(db, actor.scopeCode);
  if (actor.scopeCode !== null && !own) return [];
  const rows = await repo.listCampaigns(db, own ? { under: actor.scopeCode!, lineage: own.lineage } : null);
  const out: CampaignView[] = [];
  for (const row of rows) out.push(await campaignView(db, actor, row, lang));
  return out;
}

/**
 * The progress of a campaign up to `date` (default today, at most its end): per kind the target, what
 * the register shows achieved and the percentage; per commune (ranked by the percentage of their own
 * targets, else of the first kind with a campaign target), per working group (the new participants of its
 * villages) and per staff member (household cards they entered by hand, starting in the period); the
 * field enrolments beside (awaiting a card); and the running totals day by day.
 */
export async function campaignProgress(db: Kysely<DB>, actor: Actor, id: string, query: { date?: string } = {}, today: string, lang: Language = actor.language) {
  requirePermission(actor, CAMPAIGNS_READ);
  const { date } = parseInput(progressQuery, query);
  const row = await visibleCampaign(db, actor, id);
  const facts = await campaignFacts(db, row);
  const campaign = await campaignView(db, actor, row, lang, facts);
  const until = countedUntil(row.startsOn, row.endsOn, date ?? today);
  const { targets, communes, groups } = facts;
  const codes = communes.map((c) => c.code);
  const from = row.startsOn;
  const groupVillages = { communes: [...new Set(groups.map((g) => g.communeCode))], villages: [...new Set(groups.flatMap((g) => g.villages))] };
  const register = await repo.registerProgress(db, codes, groupVillages, from, until);
  const field = countField(await repo.fieldEnrolments(db, codes, from, until));

  const sum = (counts: readonly (ReadonlyMap<TargetKind, number> | undefined)[], kind: TargetKind) => counts.reduce((n, c) => n + (c?.get(kind) ?? 0), 0);
  const target = (kind: TargetKind, level: Target['level'], ref: string) => targets.find((x) => x.kind === kind && x.level === level && x.ref === ref)?.value;
  const mainKind = TARGET_KINDS.find((k) => target(k, 'campaign', '') !== undefined) ?? 'bhyt_household';

  const communeRows = communes.map((c) => {
    const mine = [register.byCommune.get(c.code)];
    const kinds = byKind((k) => reached(target(k, 'commune', c.code), sum(mine, k)));
    const own = TARGET_KINDS.find((k) => kinds[k].target !== null) ?? mainKind;
    return { code: c.code, name: c.name, kinds, fieldEnrolled: field.communes.get(c.code) ?? 0, pct: kinds[own].pct, achieved: kinds[own].achieved };
  });

  const groupRows = groups
    .map((g) => {
      const mine = [...new Set(g.villages)].map((v) => register.byVillage.get(v));
      return { id: g.id, name: g.name, communeCode: g.communeCode, kinds: byKind((k) => reached(target(k, 'group', g.id), sum(mine, k))), fieldEnrolled: field.groups.get(g.id) ?? 0 };
    })
    .sort((a, b) => compareVietnamese(a.name, b.name));

  const staffIds = [...new Set([...targets.filter((x) => x.level === 'staff').map((x) => x.ref), ...field.users.keys()])];
  const known = new Set(facts.users.map((u) => u.id));
  const users = [...facts.users, ...(await repo.usersByRefs(db, staffIds.filter((x) => !known.has(x))))];
  const entered = await repo.enteredByHand(db, staffIds, from, until);
  const staffRows = ranked(
    users.map((u) => {
      const r = reached(target('bhyt_household', 'staff', u.id), entered.get(u.id) ?? 0);
      return { userId: u.id, username: u.username, displayName: u.displayName, ...r, fieldEnrolled: field.users.get(u.id) ?? 0 };
    }),
    (s) => s.displayName,
    compareVietnamese,
  ).map(({ rank: _rank, ...s }) => s);

  const series = byKind((kind) => runningTotals(from, until, register.byDay.get(kind) ?? new Map()));
  const fieldSeries = runningTotals(from, until, field.days);

  return {
    campaign,
    countedUntil: until,
    kinds: byKind((k): Reached => reached(target(k, 'campaign', ''), sum([...register.byCommune.values()], k))),
    fieldEnrolled: field.total,
    communes: ranked(communeRows, (c) => c.name, compareVietnamese),
    groups: groupRows,
    staff: staffRows,
    days: fieldSeries.map((f, i) => ({ day: f.day, bhyt_household: series.bhyt_household[i].total, bhxh_tn: series.bhxh_tn[i].total, renewal: series.renewal[i].total, fieldEnrolled: f.total })),
  };
}

export type CampaignProgress = Awaited<ReturnType<typeof campaignProgress>>;

/**
 * The field enrolments as counts of distinct persons: in all, per commune, group and user, and per day of
 * their first enrolment (a person enrolled by two members counts for each member, once in all).
 */
function countField(rows: readonly repo.FieldEnrolment[]) {
  const distinct = <K>(key: (r: repo.FieldEnrolment) => K | null) => {
    const sets = new Map<K, Set<string>>();
    for (const r of rows) {
      const k = key(r);
      if (k === null) continue;
      let set = sets.get(k);
      if (!set) sets.set(k, (set = new Set()));
      set.add(r.personId);
    }
    return new Map([...sets].map(([k, set]) => [k, set.size]));
  };
  const first = new Map<string, string>();
  for (const r of rows) if (!first.has(r.personId) || r.day < first.get(r.personId)!) first.set(r.personId, r.day);
  const days = new Map<string, number>();
  for (const day of first.values()) days.set(day, (days.get(day) ?? 0) + 1);
  return { total: first.size, communes: distinct((r) => r.communeCode), groups: distinct((r) => r.groupId), users: distinct((r) => r.userId), days };
}
