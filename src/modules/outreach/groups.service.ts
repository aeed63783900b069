/**
 * Working groups (tổ công tác, issue 19 item 1): a commune's group with its villages, leader, members and
 * period. Commune officers (and province staff, admins) create and change them; a field worker sees the
 * groups they belong to, and through them the households of those groups' villages (src/db/scope.ts).
 * Members are field workers or commune officers of the group's commune. Every change is audited
 * (entity 'working_group', unit = the commune).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { householdScopeOf } from '../../db/scope';
import { inScope, requirePermission, type Actor, type Permission } from '../../domain/access';
import { compareVietnamese } from '../../domain/text';
import { AppError, notFound, type FieldError } from '../../errors';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { lineageOf } from '../units/units.service';
import * as repo from './outreach.repository';
import { createGroupInput, groupListQuery, updateGroupInput, type CreateGroupInput, type UpdateGroupInput } from './outreach.schemas';

export const OUTREACH_READ: Permission = 'outreach:read';
export const OUTREACH_VISIT: Permission = 'outreach:visit';
export const OUTREACH_MANAGE: Permission = 'outreach:manage';

/** A field problem whose message lives in the 'outreach' namespace of the catalogue. */
export const outreachField = (path: string, key: string, params: Record<string, unknown> = {}): FieldError => ({
  path,
  key,
  params: { ...params, ns: 'outreach' },
});

const MEMBER_ROLES = new Set(['field_worker', 'commune_officer']);

const iso = (d: Date | string) => new Date(d).toISOString();

/** A group the actor may see (a field worker: one of theirs); else not found. */
export async function visibleGroup(db: Kysely<DB>, actor: Actor, id: string): Promise<repo.GroupRow> {
  const group = /^[0-9a-f-]{36}$/i.test(id) ? await repo.findGroup(db, id, householdScopeOf(actor)) : undefined;
  if (!group) throw notFound('working_group', id);
  return group;
}

/** The groups with their villages and members, as the API shows them. */
export async function groupViews(db: Kysely<DB>, groups: repo.GroupRow[]) {
  const ids = groups.map((g) => g.id);
  const [villages, members] = await Promise.all([repo.groupVillages(db, ids), repo.groupMembers(db, ids)]);
  return groups.map((g) => {
    const own = members.filter((m) => m.groupId === g.id).map(({ groupId: _g, scopeCode: _s, ...m }) => m);
    return {
      id: g.id,
      communeCode: g.communeCode,
      communeName: g.communeName,
      name: g.name,
      villages: villages
        .filter((v) => v.groupId === g.id)
        .map(({ code, name }) => ({ code, name }))
        .sort((a, b) => compareVietnamese(a.name, b.name)),
      leader: own.find((m) => m.id === g.leaderId) ?? null,
      members: own,
      periodFrom: g.periodFrom,
      periodTo: g.periodTo,
      note: g.note,
      active: g.active,
      createdBy: g.createdBy,
      createdAt: iso(g.createdAt),
      updatedAt: iso(g.updatedAt),
    };
  });
}

export type GroupView = Awaited<ReturnType<typeof groupViews>>[number];

export async function getGroup(db: Kysely<DB>, actor: Actor, id: string): Promise<GroupView> {
  requirePermission(actor, OUTREACH_READ);
  return (await groupViews(db, [await visibleGroup(db, actor, id)]))[0];
}

/** The groups the actor sees (of `unit`, a province, office or commune inside the scope, when given). */
export async function listGroups(db: Kysely<DB>, actor: Actor, query: { unit?: string; all?: 'true' | 'false' } = {}): Promise<GroupView[]> {
  requirePermission(actor, OUTREACH_READ);
  const { unit, all } = parseInput(groupListQuery, query);
  let area: string | undefined;
  if (unit) {
    const found = await lineageOf(db, unit);
    if (!found) throw notFound('unit', unit);
    if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code: unit });
    area = found.unit.code;
  }
  return groupViews(db, await repo.listGroups(db, householdScopeOf(actor), { area, all: all === 'true' }));
}

/** The users who may join a commune's groups (field workers and commune officers of the commune). */
export async function listWorkers(db: Kysely<DB>, actor: Actor, communeCode: string) {
  requirePermission(actor, OUTREACH_MANAGE);
  await communeInScope(db, actor, communeCode);
  return repo.listWorkers(db, communeCode);
}

async function communeInScope(db: Kysely<DB>, actor: Actor, code: string) {
  const found = await lineageOf(db, code);
  if (!found || found.unit.level !== 'commune') throw new AppError('validation', {}, [outreachField('communeCode', 'unknown_commune', { code })]);
  if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code });
  return found.unit;
}

/** The villages named (full codes or the codes users type), each a village of the commune. */
async function resolveVillages(db: Kysely<DB>, communeCode: string, codes: string[]): Promise<string[]> {
  const found = await repo.findVillages(db, communeCode, codes);
  const fields: FieldError[] = [];
  const out: string[] = [];
  codes.forEach((code, i) => {
    const v = found.find((x) => x.code === code) ?? found.find((x) => x.localCode === code);
    if (!v) fields.push(outreachField(`villages.${i}`, 'village_not_in_commune', { code, commune: communeCode }));
    else if (!out.includes(v.code)) out.push(v.code);
  });
  if (fields.length) throw new AppError('validation', {}, fields);
  return out;
}

/** The members named (ids or usernames): active field workers or commune officers of the commune. Leader first. */
async function resolveMembers(db: Kysely<DB>, communeCode: string, leader: string | null | undefined, members: string[]) {
  const refs = [...(leader ? [leader] : []), ...members];
  const users = await repo.findUsers(db, refs);
  const fields: FieldError[] = [];
  const ids: string[] = [];
  const check = (ref: string, path: string) => {
    const u = users.find((x) => x.id === ref || x.username === ref);
    if (!u) fields.push(outreachField(path, 'unknown_user', { user: ref }));
    else if (!u.active || !MEMBER_ROLES.has(u.role) || u.scopeCode !== communeCode)
      fields.push(outreachField(path, 'member_not_of_commune', { user: u.username, commune: communeCode }));
    else {
      if (!ids.includes(u.id)) ids.push(u.id);
      return u.id;
    }
    return null;
  };
  const leaderId = leader ? check(leader, 'leader') : null;
  members.forEach((m, i) => check(m, `members.${i}`));
  if (fields.length) throw new AppError('validation', {}, fields);
  return { leaderId, memberIds: ids };
}

function checkPeriod(from: string | null, to: string | null) {
  if (from !== null && to !== null && from > to) throw new AppError('validation', {}, [outreachField('periodTo', 'period_order', { from, to })]);
}

export async function createGroup(db: Kysely<DB>, actor: Actor, input: CreateGroupInput): Promise<GroupView> {
  requirePermission(actor, OUTREACH_MANAGE);
  const data = parseInput(createGroupInput, input);
  const commune = await communeInScope(db, actor, data.communeCode);
  const villages = await resolveVillages(db, commune.code, data.villages);
  const { leaderId, memberIds } = await resolveMembers(db, commune.code, data.leader, data.members);
  checkPeriod(data.periodFrom ?? null, data.periodTo ?? null);
  const values: repo.GroupValues = {
    id: randomUUID(),
    communeCode: commune.code,
    name: data.name,
    leaderId,
    periodFrom: data.periodFrom ?? null,
    periodTo: data.periodTo ?? null,
    note: data.note ?? null,
    active: true,
    createdBy: actor.username,
  };
  return db.transaction().execute(async (trx) => {
    if (await repo.groupNameTaken(trx, commune.code, data.name)) throw new AppError('conflict', { entity: 'working_group', id: data.name });
    await repo.insertGroup(trx, values);
    await repo.setGroupVillages(trx, values.id, villages);
    await repo.setGroupMembers(trx, values.id, memberIds);
    const after = (await groupViews(trx, [(await repo.findGroup(trx, values.id, householdScopeOf(actor)))!]))[0];
    await audit(trx, actor, { action: 'create', entity: 'working_group', entityId: values.id, unitCode: commune.code, after });
    return after;
  });
}

/** Changes a group: name, villages and members (replaced), leader, period, note, active. */
export async function updateGroup(db: Kysely<DB>, actor: Actor, id: string, input: UpdateGroupInput): Promise<GroupView> {
  requirePermission(actor, OUTREACH_MANAGE);
  const data = parseInput(updateGroupInput, input);
  return db.transaction().execute(async (trx) => {
    const row = await visibleGroup(trx, actor, id);
    const before = (await groupViews(trx, [row]))[0];
    const patch: Parameters<typeof repo.updateGroup>[2] = {};
    if (data.name !== undefined && data.name !== row.name) {
      if (await repo.groupNameTaken(trx, row.communeCode, data.name, id)) throw new AppError('conflict', { entity: 'working_group', id: data.name });
      patch.name = data.name;
    }
    if (data.villages !== undefined) await repo.setGroupVillages(trx, id, await resolveVillages(trx, row.communeCode, data.villages));
    if (data.members !== undefined || data.leader !== undefined) {
      const leader = data.leader !== undefined ? data.leader : row.leaderId;
      // members left out: the current ones stay (a new leader joins them)
      const members = data.members ?? before.members.map((m) => m.id);
      const { leaderId, memberIds } = await resolveMembers(trx, row.communeCode, leader, members);
      await repo.setGroupMembers(trx, id, memberIds);
      patch.leaderId = leaderId;
    }
    if (data.periodFrom !== undefined) patch.periodFrom = data.periodFrom;
    if (data.periodTo !== undefined) patch.periodTo = data.periodTo;
    checkPeriod(patch.periodFrom !== undefined ? patch.periodFrom : row.periodFrom, patch.periodTo !== undefined ? patch.periodTo : row.periodTo);
    if (data.note !== undefined) patch.note = data.note;
    if (data.active !== undefined) patch.active = data.active;
    await repo.updateGroup(trx, id, patch);
    const after = (await groupViews(trx, [(await repo.findGroup(trx, id, householdScopeOf(actor)))!]))[0];
    await audit(trx, actor, { action: 'update', entity: 'working_group', entityId: id, unitCode: row.communeCode, before, after });
    return after;
  });
}

/** Deletes a group that logged no visit; one with visits is kept (make it inactive instead). */
export async function deleteGroup(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, OUTREACH_MANAGE);
  await db.transaction().execute(async (trx) => {
    const row = await visibleGroup(trx, actor, id);
    if ((await repo.countVisitsOfGroup(trx, id)) > 0) throw new AppError('conflict', { entity: 'working_group', id: row.name });
    const before = (await groupViews(trx, [row]))[0];
    await repo.deleteGroup(trx, id);
    await audit(trx, actor, { action: 'delete', entity: 'working_group', entityId: id, unitCode: row.communeCode, before });
  });
}
