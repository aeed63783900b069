/**
 * The population register, browsed and edited by hand: search persons, household pages with card and
 * group history, changes to households, persons and cards, and the possible-duplicates report.
 *
 * Scope: a user sees the households and persons of the communes inside their scope unit (their commune, or
 * the communes of their province; everything for a national admin). Lists are filtered in SQL; a single
 * item outside the scope answers 404, exactly as if it did not exist. Every change is audited in the same
 * transaction (entity 'household' | 'person' | 'card' | 'vsi_period', unit = the commune).
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { inScope, type Actor, type Permission, requirePermission } from '../../domain/access';
import { normalizeName, nameKey, normalizePhone, validateCitizenId, validateInsuranceCode } from '../../domain/identity';
import { DEFAULT_RULES, isKnownGroup } from '../../domain/premium-rules';
import { EARLIEST_BIRTH_DATE, parseRelationship } from '../../domain/register-row';
import { foldVietnamese } from '../../domain/text';
import { AppError, notFound, type FieldError } from '../../errors';
import { parseInput } from '../../validation';
import { audit } from '../audit/audit.service';
import { coverageChange } from '../coverage/coverage-counts';
import { lineageOf, officesOfCommune } from '../units/units.service';
import { facilitiesByCode } from '../offices/facilities.service';
import { collectorsByCode } from '../offices/collectors.service';
import { loadRules, loadVsiRules } from '../premium/premium.service';
import { checkVsiPeriod } from '../../domain/vsi-period';
import * as repo from './register.repository';
import {
  createVsiPeriodInput,
  vsiPeriodsQuery,
  type CreateVsiPeriodInput,
  createCardInput,
  createHouseholdInput,
  createPersonInput,
  duplicatesQuery,
  householdListQuery,
  personSearchQuery,
  updateCardInput,
  updateHouseholdInput,
  updatePersonInput,
  type CreateCardInput,
  type CreateHouseholdInput,
  type CreatePersonInput,
  type HouseholdListQuery,
  type PersonSearchQuery,
  type UpdateCardInput,
  type UpdateHouseholdInput,
  type UpdatePersonInput,
} from './register.schemas';

/**
 * What reading and changing the register need. Until the register has permissions of its own
 * ('register:read' / 'register:write'), the units permissions are granted to exactly the right roles.
 */
export const REGISTER_READ: Permission = 'units:read';
export const REGISTER_WRITE: Permission = 'units:write';

/** A field problem whose message lives in the 'register' namespace of the catalogue. */
export const registerField = (path: string, key: string, params: Record<string, unknown> = {}): FieldError => ({
  path,
  key,
  params: { ...params, ns: 'register' },
});

const isKnown = (code: string) => isKnownGroup(DEFAULT_RULES, code);

// ---------------------------------------------------------------------------------------------------
// Scope
// ---------------------------------------------------------------------------------------------------

/** Is a commune (and optionally a village of it) inside the actor's scope? */
async function communeVisible(db: Kysely<DB>, actor: Actor, communeCode: string, provinceCode?: string | null): Promise<boolean> {
  if (actor.scopeCode === null) return true;
  // the province the caller read with the commune answers most checks without a query; an office's staff
  // (the offices serving the commune are in its full lineage) are checked below
  if (provinceCode !== undefined && inScope(actor, [communeCode, provinceCode ?? ''])) return true;
  const found = await lineageOf(db, communeCode);
  return found !== undefined && inScope(actor, found.lineage);
}

/** The filter of a list: the actor's scope, narrowed to `unit` (a province, commune or village) when given. */
export async function registerFilter(db: Kysely<DB>, actor: Actor, unit: string | undefined): Promise<repo.RegisterFilter> {
  const filter: repo.RegisterFilter = { scope: actor.scopeCode };
  const code = unit?.trim();
  if (!code) return filter;
  const found = await lineageOf(db, code);
  if (!found) throw notFound('unit', code);
  if (found.unit.level === 'village') {
    // villages are private to the scope: one outside it does not exist for this user
    if (!inScope(actor, found.lineage)) throw notFound('unit', code);
    return { ...filter, village: found.unit.code };
  }
  // a province or commune outside the scope: refuse rather than show an empty list
  if (!inScope(actor, found.lineage)) throw new AppError('out_of_scope', { code });
  return { ...filter, area: found.unit.code };
}

async function visibleHousehold(db: Kysely<DB>, actor: Actor, id: string) {
  const h = await repo.findHousehold(db, id);
  if (!h || !(await communeVisible(db, actor, h.communeCode, h.provinceCode))) throw notFound('household', id);
  const { provinceCode: _p, ...household } = h;
  return household;
}

async function visiblePerson(db: Kysely<DB>, actor: Actor, id: string) {
  const p = await repo.findPerson(db, id);
  if (!p || !(await communeVisible(db, actor, p.communeCode))) throw notFound('person', id);
  return p;
}

/** A person the actor may see (their commune is in the scope), for other areas (campaign incentives); else not found. */
export function personInScope(db: Kysely<DB>, actor: Actor, id: string) {
  return visiblePerson(db, actor, id);
}

async function visibleCard(db: Kysely<DB>, actor: Actor, id: string) {
  const card = await repo.findCard(db, id);
  const household = card ? await repo.findHousehold(db, card.householdId) : undefined;
  if (!card || !household || !(await communeVisible(db, actor, household.communeCode, household.provinceCode))) throw notFound('card', id);
  return { card, communeCode: household.communeCode };
}

// ---------------------------------------------------------------------------------------------------
// Reading
// ---------------------------------------------------------------------------------------------------

/**
 * Persons by name without diacritics ("nguyen van an" finds "Nguyễn Văn An"; every word must occur), or by
 * citizen id / insurance code when the query is digits; in the scope, optionally in one unit.
 */
export async function searchPersons(db: Kysely<DB>, actor: Actor, query: PersonSearchQuery, today: string) {
  requirePermission(actor, REGISTER_READ);
  const { q, unit, limit, offset } = parseInput(personSearchQuery, query);
  const filter = await registerFilter(db, actor, unit);
  const text = (q ?? '').normalize('NFKC').trim();
  const compact = text.replace(/[\s.-]/g, '');
  const search: repo.PersonSearch = {};
  if (/^\d+$/.test(compact)) search.digits = compact;
  else if (text !== '') search.words = foldVietnamese(text).split(' ').filter(Boolean).slice(0, 10);
  return repo.searchPersons(db, filter, search, today, limit, offset);
}

/** A household with its members, each with every card (newest first) and their group history. */
export async function getHousehold(db: Kysely<DB>, actor: Actor, id: string) {
  requirePermission(actor, REGISTER_READ);
  const household = await visibleHousehold(db, actor, id);
  const members = await repo.listMembers(db, id);
  const cards = await repo.listCards(db, id);
  const groups = await repo.listGroupHistory(db, id);
  const periods = await repo.listVsiPeriods(db, id);
  const facilities = await facilitiesByCode(db, cards.map((c) => c.facilityCode).filter((x): x is string => !!x));
  const collectors = await collectorsByCode(db, cards.map((c) => c.collectorCode).filter((x): x is string => !!x));
  return {
    household,
    members: members.map((m) => ({
      ...m,
      cards: cards
        .filter((c) => c.personId === m.id)
        .map((c) => ({
          id: c.id,
          groupCode: c.groupCode,
          validFrom: c.validFrom,
          validTo: c.validTo,
          number: c.number,
          source: c.source,
          facilityCode: c.facilityCode,
          facilityName: c.facilityCode ? (facilities.get(c.facilityCode)?.name ?? null) : null,
          collectorCode: c.collectorCode,
          collectorName: c.collectorCode ? (collectors.get(c.collectorCode)?.name ?? null) : null,
        })),
      groups: groups.filter((g) => g.personId === m.id).map((g) => ({ groupCode: g.groupCode, validFrom: g.validFrom, validTo: g.validTo })),
      vsiPeriods: periods
        .filter((v) => v.personId === m.id)
        .map((v) => ({ id: v.id, validFrom: v.validFrom, validTo: v.validTo, monthlyIncome: v.monthlyIncome, paymentMonths: v.paymentMonths, source: v.source })),
    })),
  };
}

/** Households of a unit (or of the whole scope): by household code, or by a member's name without diacritics. */
export async function listHouseholds(db: Kysely<DB>, actor: Actor, query: HouseholdListQuery) {
  requirePermission(actor, REGISTER_READ);
  const { q, unit, limit, offset } = parseInput(householdListQuery, query);
  const filter = await registerFilter(db, actor, unit);
  const text = (q ?? '').normalize('NFC').trim();
  const search = text === '' ? {} : { code: text, words: foldVietnamese(text).split(' ').filter(Boolean).slice(0, 10) };
  return repo.listHouseholds(db, filter, search, limit, offset);
}

export interface DuplicateGroup {
  reason: repo.DuplicateRow['reason'];
  key: string;
  persons: Omit<repo.DuplicateRow, 'reason' | 'key'>[];
}

/**
 * Persons of the scope (or of `unit`) that look like the same human: the same citizen id or insurance code
 * in two records, or the same name and birth date in one commune (unless different citizen ids tell them
 * apart). At most 500 groups per reason.
 */
export async function findDuplicates(db: Kysely<DB>, actor: Actor, query: { unit?: string }): Promise<DuplicateGroup[]> {
  requirePermission(actor, REGISTER_READ);
  const { unit } = parseInput(duplicatesQuery, query);
  const filter = await registerFilter(db, actor, unit);
  const groups: DuplicateGroup[] = [];
  for (const { reason, key, ...person } of await repo.findDuplicates(db, filter, 500)) {
    const last = groups[groups.length - 1];
    if (last && last.reason === reason && last.key === key) last.persons.push(person);
    else groups.push({ reason, key, persons: [person] });
  }
  return groups;
}

// ---------------------------------------------------------------------------------------------------
// Households
// ---------------------------------------------------------------------------------------------------

async function resolveVillage(db: Kysely<DB>, communeCode: string, code: string): Promise<string> {
  const village = await repo.findVillageOfCommune(db, communeCode, code.trim());
  if (!village) throw new AppError('validation', {}, [registerField('villageCode', 'village_not_in_commune', { code, commune: communeCode })]);
  return village.code;
}

function checkPoverty(status: string, year: number | null | undefined) {
  if (status === 'none' && year !== null && year !== undefined)
    throw new AppError('validation', {}, [registerField('povertyYear', 'poverty_year_without_status')]);
}

export async function createHousehold(db: Kysely<DB>, actor: Actor, input: CreateHouseholdInput) {
  requirePermission(actor, REGISTER_WRITE);
  const data = parseInput(createHouseholdInput, input);
  const commune = await lineageOf(db, data.communeCode);
  if (!commune || commune.unit.level !== 'commune')
    throw new AppError('validation', {}, [registerField('communeCode', 'unknown_commune', { code: data.communeCode })]);
  if (!inScope(actor, commune.lineage)) throw new AppError('out_of_scope', { code: data.communeCode });
  checkPoverty(data.povertyStatus, data.povertyYear);
  return db.transaction().execute(async (trx) => {
    const values: repo.HouseholdValues = {
      id: randomUUID(),
      communeCode: data.communeCode,
      code: data.code,
      villageCode: data.villageCode ? await resolveVillage(trx, data.communeCode, data.villageCode) : null,
      address: data.address ?? null,
      povertyStatus: data.povertyStatus,
      povertyYear: data.povertyYear ?? null,
    };
    if (await repo.findHouseholdIdByCode(trx, values.communeCode, values.code)) throw new AppError('conflict', { entity: 'household', id: values.code });
    await repo.insertHousehold(trx, values);
    const after = await visibleHousehold(trx, actor, values.id);
    await audit(trx, actor, { action: 'create', entity: 'household', entityId: values.id, unitCode: values.communeCode, after });
    return after;
  });
}

export async function updateHousehold(db: Kysely<DB>, actor: Actor, id: string, input: UpdateHouseholdInput) {
  requirePermission(actor, REGISTER_WRITE);
  const data = parseInput(updateHouseholdInput, input);
  return db.transaction().execute(async (trx) => {
    const before = await visibleHousehold(trx, actor, id);
    const patch: Partial<repo.HouseholdValues> = {};
    if (data.code !== undefined && data.code !== before.code) {
      if (await repo.findHouseholdIdByCode(trx, before.communeCode, data.code)) throw new AppError('conflict', { entity: 'household', id: data.code });
      patch.code = data.code;
    }
    if (data.villageCode !== undefined) patch.villageCode = data.villageCode === null ? null : await resolveVillage(trx, before.communeCode, data.villageCode);
    if (data.address !== undefined) patch.address = data.address;
    if (data.povertyStatus !== undefined) patch.povertyStatus = data.povertyStatus;
    if (data.povertyYear !== undefined) patch.povertyYear = data.povertyYear;
    // a household that leaves the poverty lists keeps no list year
    if (data.povertyStatus === 'none' && data.povertyYear === undefined) patch.povertyYear = null;
    checkPoverty(patch.povertyStatus ?? before.povertyStatus, patch.povertyYear !== undefined ? patch.povertyYear : before.povertyYear);
    // (only the village changes what the household counts for)
    const coverage = patch.villageCode !== undefined && patch.villageCode !== before.villageCode ? await coverageChange(trx, [id]) : undefined;
    if (Object.keys(patch).length > 0) await repo.updateHousehold(trx, id, patch);
    const after = await visibleHousehold(trx, actor, id);
    await coverage?.apply();
    await audit(trx, actor, { action: 'update', entity: 'household', entityId: id, unitCode: before.communeCode, before, after });
    return after;
  });
}

/** Deletes an empty household; one with members is refused (move or delete them first). */
export async function deleteHousehold(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, REGISTER_WRITE);
  await db.transaction().execute(async (trx) => {
    const before = await visibleHousehold(trx, actor, id);
    if ((await repo.countMembers(trx, id)) > 0) throw new AppError('conflict', { entity: 'household', id: before.code });
    await repo.deleteHousehold(trx, id);
    await audit(trx, actor, { action: 'delete', entity: 'household', entityId: id, unitCode: before.communeCode, before });
  });
}

// ---------------------------------------------------------------------------------------------------
// Persons
// ---------------------------------------------------------------------------------------------------

type PersonDraft = Omit<repo.PersonValues, 'id' | 'householdId' | 'communeCode' | 'nameKey'>;

const digitsOf = (value: string | null | undefined) => {
  if (value === null || value === undefined) return null;
  const d = value.normalize('NFKC').replace(/[\s.-]/g, '');
  return d === '' ? null : d;
};

/** Normalises a person and checks the domain rules; throws every problem found at once. */
function checkPerson(draft: PersonDraft, today: string): PersonDraft {
  const fields: FieldError[] = [];
  const fullName = normalizeName(draft.fullName);
  if (fullName === '') fields.push({ path: 'fullName', key: 'required' });
  if (draft.birthDate < EARLIEST_BIRTH_DATE || draft.birthDate > today)
    fields.push(registerField('birthDate', 'birth_date_range', { min: EARLIEST_BIRTH_DATE, today }));
  const citizenId = digitsOf(draft.citizenId);
  if (citizenId !== null) {
    const check = validateCitizenId(citizenId, draft.birthDate, draft.sex);
    if (!check.ok)
      fields.push(
        registerField(
          'citizenId',
          check.reason === 'format' ? 'invalid_citizen_id' : check.reason === 'sex_mismatch' ? 'citizen_id_sex' : 'citizen_id_birth_year',
        ),
      );
  }
  const insuranceCode = digitsOf(draft.insuranceCode);
  if (insuranceCode !== null && !validateInsuranceCode(insuranceCode)) fields.push(registerField('insuranceCode', 'invalid_insurance_code'));
  let phone: string | null = null;
  if (draft.phone !== null && draft.phone.trim() !== '') {
    phone = normalizePhone(draft.phone) ?? null;
    if (phone === null) fields.push(registerField('phone', 'invalid_phone'));
  }
  const groupCodes: string[] = [];
  draft.groupCodes.forEach((raw, i) => {
    const code = raw.trim().toUpperCase();
    if (!isKnown(code)) fields.push(registerField(`groupCodes.${i}`, 'unknown_group', { code: raw }));
    else if (!groupCodes.includes(code)) groupCodes.push(code);
  });
  if (fields.length > 0) throw new AppError('validation', {}, fields);
  return {
    ...draft,
    fullName,
    relationship: draft.relationship ? (parseRelationship(draft.relationship) ?? null) : null,
    citizenId,
    insuranceCode,
    phone,
    groupCodes: groupCodes.sort(),
  };
}

/** Citizen ids and insurance codes name one person each: another record holding it is a conflict. */
async function checkUnique(trx: Kysely<DB>, p: { citizenId: string | null; insuranceCode: string | null }, exceptId?: string) {
  if (p.citizenId && (await repo.findPersonIdsBy(trx, 'citizenId', p.citizenId, exceptId)).length > 0)
    throw new AppError('conflict', { entity: 'person', id: p.citizenId }, [registerField('citizenId', 'citizen_id_taken')]);
  if (p.insuranceCode && (await repo.findPersonIdsBy(trx, 'insuranceCode', p.insuranceCode, exceptId)).length > 0)
    throw new AppError('conflict', { entity: 'person', id: p.insuranceCode }, [registerField('insuranceCode', 'insurance_code_taken')]);
}

const draftOf = (p: Partial<PersonDraft> & Pick<PersonDraft, 'fullName' | 'birthDate' | 'sex'>): PersonDraft => ({
  relationship: p.relationship ?? null,
  fullName: p.fullName,
  birthDate: p.birthDate,
  sex: p.sex,
  citizenId: p.citizenId ?? null,
  insuranceCode: p.insuranceCode ?? null,
  ethnicity: p.ethnicity ?? null,
  phone: p.phone ?? null,
  groupCodes: p.groupCodes ?? [],
  school: p.school ?? null,
  grade: p.grade ?? null,
});

/** Adds a person to a household; their groups start today. */
export async function createPerson(db: Kysely<DB>, actor: Actor, input: CreatePersonInput, today: string) {
  requirePermission(actor, REGISTER_WRITE);
  const { householdId, ...rest } = parseInput(createPersonInput, input);
  const draft = checkPerson(draftOf(rest), today);
  return db.transaction().execute(async (trx) => {
    const household = await visibleHousehold(trx, actor, householdId);
    await checkUnique(trx, draft);
    const coverage = await coverageChange(trx, [householdId]);
    const id = randomUUID();
    await repo.insertPerson(trx, { ...draft, id, householdId, communeCode: household.communeCode, nameKey: nameKey(draft.fullName) });
    await repo.startGroups(trx, householdId, id, draft.groupCodes, today);
    const after = await visiblePerson(trx, actor, id);
    await coverage.apply();
    await audit(trx, actor, { action: 'create', entity: 'person', entityId: id, unitCode: household.communeCode, after });
    return after;
  });
}

/**
 * Changes a person. Groups added start today, groups removed end today (person_group keeps the history;
 * person.group_codes the groups in force). A new householdId moves the person with their groups and cards.
 */
export async function updatePerson(db: Kysely<DB>, actor: Actor, id: string, input: UpdatePersonInput, today: string) {
  requirePermission(actor, REGISTER_WRITE);
  const { householdId: targetId, ...data } = parseInput(updatePersonInput, input);
  return db.transaction().execute(async (trx) => {
    const before = await visiblePerson(trx, actor, id);
    const draft = checkPerson(draftOf({ ...before, ...data }), today);
    await checkUnique(trx, draft, id);
    let householdId = before.householdId;
    let communeCode = before.communeCode;
    const target = targetId !== undefined && targetId !== before.householdId ? await visibleHousehold(trx, actor, targetId) : undefined;
    const coverage = await coverageChange(trx, target ? [before.householdId, target.id] : [before.householdId]);
    if (target) {
      await repo.movePerson(trx, id, before.householdId, { householdId: target.id, communeCode: target.communeCode });
      householdId = target.id;
      communeCode = target.communeCode;
    }
    await repo.updatePerson(trx, householdId, id, { ...draft, nameKey: nameKey(draft.fullName) });
    const added = draft.groupCodes.filter((g) => !before.groupCodes.includes(g));
    const removed = before.groupCodes.filter((g) => !draft.groupCodes.includes(g));
    await repo.endGroups(trx, householdId, id, removed, today);
    await repo.startGroups(trx, householdId, id, added, today);
    const after = await visiblePerson(trx, actor, id);
    await coverage.apply();
    await audit(trx, actor, { action: 'update', entity: 'person', entityId: id, unitCode: communeCode, before, after });
    return after;
  });
}

/** Deletes a person with their group history and cards. */
export async function deletePerson(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, REGISTER_WRITE);
  await db.transaction().execute((trx) => deletePersonIn(trx, actor, id));
}

/**
 * `deletePerson` in the caller's transaction (a field report accepted with the register change, issue 19);
 * the same checks, counts and audit row.
 */
export async function deletePersonIn(trx: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, REGISTER_WRITE);
  const before = await visiblePerson(trx, actor, id);
  const cards = (await repo.listCards(trx, before.householdId)).filter((c) => c.personId === id);
  const vsiPeriods = (await repo.listVsiPeriods(trx, before.householdId)).filter((v) => v.personId === id);
  const coverage = await coverageChange(trx, [before.householdId]);
  await repo.deletePerson(trx, before.householdId, id);
  await coverage.apply();
  await audit(trx, actor, {
    action: 'delete',
    entity: 'person',
    entityId: id,
    unitCode: before.communeCode,
    before: { ...before, cards, ...(vsiPeriods.length ? { vsiPeriods } : {}) },
  });
}

// ---------------------------------------------------------------------------------------------------
// Cards
// ---------------------------------------------------------------------------------------------------

function checkCard(c: { groupCode: string; validFrom: string; validTo: string }) {
  const fields: FieldError[] = [];
  if (!isKnown(c.groupCode)) fields.push(registerField('groupCode', 'unknown_group', { code: c.groupCode }));
  if (c.validFrom > c.validTo) fields.push(registerField('validTo', 'card_dates_order', { from: c.validFrom, to: c.validTo }));
  if (fields.length > 0) throw new AppError('validation', {}, fields);
}

/**
 * A card's facility must be in the list and active; its collector must exist and work for an office that
 * serves the household's commune ("a collector outside the village's office" is refused, named).
 */
async function checkFacilityAndCollector(db: Kysely<DB>, communeCode: string, c: { facilityCode?: string | null; collectorCode?: string | null }) {
  const fields: FieldError[] = [];
  if (c.facilityCode) {
    const f = (await facilitiesByCode(db, [c.facilityCode])).get(c.facilityCode);
    if (!f || !f.active) fields.push({ path: 'facilityCode', key: 'unknown_facility', params: { code: c.facilityCode } });
  }
  if (c.collectorCode) {
    const x = (await collectorsByCode(db, [c.collectorCode])).get(c.collectorCode);
    if (!x) fields.push({ path: 'collectorCode', key: 'unknown_collector', params: { code: c.collectorCode } });
    else if (!(await officesOfCommune(db, communeCode)).includes(x.officeCode))
      fields.push({ path: 'collectorCode', key: 'collector_outside_office', params: { code: x.code, name: x.name } });
  }
  if (fields.length) throw new AppError('validation', {}, fields);
}

/** Records a card by hand (source 'manual'). The very same card twice is a conflict. */
export async function createCard(db: Kysely<DB>, actor: Actor, input: CreateCardInput) {
  requirePermission(actor, REGISTER_WRITE);
  parseInput(createCardInput, input);
  return db.transaction().execute((trx) => createCardIn(trx, actor, input));
}

/** `createCard` in the caller's transaction (a field report accepted with the card, issue 19): the same checks, counts and audit row. */
export async function createCardIn(trx: Kysely<DB>, actor: Actor, input: CreateCardInput) {
  requirePermission(actor, REGISTER_WRITE);
  const data = parseInput(createCardInput, input);
  const groupCode = data.groupCode.trim().toUpperCase();
  checkCard({ ...data, groupCode });
  const person = await visiblePerson(trx, actor, data.personId);
  await checkFacilityAndCollector(trx, person.communeCode, data);
  const card: repo.CardValues = {
    householdId: person.householdId,
    id: randomUUID(),
    personId: person.id,
    groupCode,
    validFrom: data.validFrom,
    validTo: data.validTo,
    number: data.number ?? null,
    source: 'manual',
    facilityCode: data.facilityCode ?? null,
    collectorCode: data.collectorCode ?? null,
  };
  if (await repo.findSameCard(trx, card)) throw new AppError('conflict', { entity: 'card', id: `${groupCode} ${data.validFrom}…${data.validTo}` });
  const coverage = await coverageChange(trx, [card.householdId]);
  await repo.insertCard(trx, card);
  await coverage.apply();
  await audit(trx, actor, { action: 'create', entity: 'card', entityId: card.id, unitCode: person.communeCode, after: card });
  return { ...card, facilityCode: card.facilityCode ?? null, collectorCode: card.collectorCode ?? null };
}

export async function updateCard(db: Kysely<DB>, actor: Actor, id: string, input: UpdateCardInput) {
  requirePermission(actor, REGISTER_WRITE);
  const data = parseInput(updateCardInput, input);
  return db.transaction().execute(async (trx) => {
    const { card: before, communeCode } = await visibleCard(trx, actor, id);
    const after = {
      ...before,
      ...(data.groupCode !== undefined ? { groupCode: data.groupCode.trim().toUpperCase() } : {}),
      ...(data.validFrom !== undefined ? { validFrom: data.validFrom } : {}),
      ...(data.validTo !== undefined ? { validTo: data.validTo } : {}),
      ...(data.number !== undefined ? { number: data.number } : {}),
      ...(data.facilityCode !== undefined ? { facilityCode: data.facilityCode } : {}),
      ...(data.collectorCode !== undefined ? { collectorCode: data.collectorCode } : {}),
    };
    checkCard(after);
    await checkFacilityAndCollector(trx, communeCode, { facilityCode: data.facilityCode, collectorCode: data.collectorCode });
    if (await repo.findSameCard(trx, after, id))
      throw new AppError('conflict', { entity: 'card', id: `${after.groupCode} ${after.validFrom}…${after.validTo}` });
    const coverage = await coverageChange(trx, [before.householdId]);
    await repo.updateCard(trx, before.householdId, id, {
      groupCode: after.groupCode,
      validFrom: after.validFrom,
      validTo: after.validTo,
      number: after.number,
      facilityCode: after.facilityCode,
      collectorCode: after.collectorCode,
    });
    await coverage.apply();
    await audit(trx, actor, { action: 'update', entity: 'card', entityId: id, unitCode: communeCode, before, after });
    return after;
  });
}

export async function deleteCard(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, REGISTER_WRITE);
  await db.transaction().execute(async (trx) => {
    const { card: before, communeCode } = await visibleCard(trx, actor, id);
    const coverage = await coverageChange(trx, [before.householdId]);
    await repo.deleteCard(trx, before.householdId, id);
    await coverage.apply();
    await audit(trx, actor, { action: 'delete', entity: 'card', entityId: id, unitCode: communeCode, before });
  });
}

/**
 * Writes a card bought by a donation programme (selection/issue.service.ts), in the caller's
 * transaction; the caller checks, keeps the coverage counts and audits.
 */
export function issueCard(trx: Kysely<DB>, card: Omit<repo.CardValues, 'source'>): Promise<void> {
  return repo.insertCard(trx, { ...card, source: 'programme' });
}

// ---------------------------------------------------------------------------------------------------
// Voluntary social insurance periods (BHXH tự nguyện, product 'bhxh-tn')
// ---------------------------------------------------------------------------------------------------

/** The problems of a period (src/domain/vsi-period.ts) as field errors of the 'register' namespace. */
export async function vsiPeriodProblems(db: Kysely<DB>, p: { validFrom: string; validTo: string; monthlyIncome: number; paymentMonths: number }): Promise<FieldError[]> {
  const rules = await loadRules(db);
  return checkVsiPeriod(p, loadVsiRules(), rules.baseSalaries).map((x) => registerField(x.field, x.code, x.params));
}

async function visibleVsiPeriod(db: Kysely<DB>, actor: Actor, id: string) {
  const period = await repo.findVsiPeriod(db, id);
  const household = period ? await repo.findHousehold(db, period.householdId) : undefined;
  if (!period || !household || !(await communeVisible(db, actor, household.communeCode, household.provinceCode))) throw notFound('vsi_period', id);
  return { period, communeCode: household.communeCode };
}

/** A person's voluntary social insurance periods, newest first. */
export async function listVsiPeriods(db: Kysely<DB>, actor: Actor, query: { personId: string }) {
  requirePermission(actor, REGISTER_READ);
  const { personId } = parseInput(vsiPeriodsQuery, query);
  const person = await visiblePerson(db, actor, personId);
  return (await repo.listVsiPeriods(db, person.householdId)).filter((v) => v.personId === person.id);
}

/**
 * Records a voluntary social insurance period by hand (source 'manual'), checked against the rules in
 * force on its first day. A period that overlaps another of the person's is a conflict naming it.
 */
export async function createVsiPeriod(db: Kysely<DB>, actor: Actor, input: CreateVsiPeriodInput) {
  requirePermission(actor, REGISTER_WRITE);
  const data = parseInput(createVsiPeriodInput, input);
  const problems = await vsiPeriodProblems(db, data);
  if (problems.length) throw new AppError('validation', {}, problems);
  return db.transaction().execute(async (trx) => {
    const person = await visiblePerson(trx, actor, data.personId);
    const period: repo.VsiPeriodValues = {
      householdId: person.householdId,
      id: randomUUID(),
      personId: person.id,
      validFrom: data.validFrom,
      validTo: data.validTo,
      monthlyIncome: data.monthlyIncome,
      paymentMonths: data.paymentMonths,
      source: 'manual',
    };
    const other = await repo.findOverlappingVsiPeriod(trx, period);
    if (other) throw new AppError('conflict', { entity: 'vsi_period', id: `${other.validFrom}…${other.validTo}` });
    await repo.insertVsiPeriod(trx, period);
    await audit(trx, actor, { action: 'create', entity: 'vsi_period', entityId: period.id, unitCode: person.communeCode, after: period });
    return period;
  });
}

export async function deleteVsiPeriod(db: Kysely<DB>, actor: Actor, id: string): Promise<void> {
  requirePermission(actor, REGISTER_WRITE);
  await db.transaction().execute(async (trx) => {
    const { period: before, communeCode } = await visibleVsiPeriod(trx, actor, id);
    await repo.deleteVsiPeriod(trx, before.householdId, id);
    await audit(trx, actor, { action: 'delete', entity: 'vsi_period', entityId: id, unitCode: communeCode, before });
  });
}
