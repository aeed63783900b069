/**
 * Issue 16: a commune officer sees only their commune in a provincial programme. Walks every route of
 * the OpenAPI document as the officer of Xã Bảo Thắng (02905) against a programme that spans three
 * communes, with each path parameter set to that commune's resources and to the other communes', and
 * fails on any person, file or per-commune count of another commune in any answer (JSON, .xlsx, PDF,
 * CSV), on any change to another commune's rows, and when the officer's own part is missing.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Kysely } from 'kysely';
import { buildApp } from '../../../http/app';
import { engineName, makeUser, system, testDatabase, type TestDatabase } from '../../../test/db';
import { createToken } from '../../access/access.service';
import type { DB } from '../../../db/schema';
import type { Actor } from '../../../domain/access';
import ExcelJS from 'exceljs';
import { pdfText } from '../../../io/pdf-text';
import * as register from '../../register/register.service';
import * as donors from '../money/donors.service';
import { changeProgrammeStatus, createProgramme } from '../programme/programme.service';
import { nominate } from '../selection/candidates.service';
import { runRound } from '../selection/selection.service';
import { recordIssuedCards } from '../selection/issue.service';
import { addEvent, recordResult } from './handover.service';

const BAO_THANG = '02905';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5f0e5b20000000049454e44ae426082', 'hex');

interface CommuneWorld {
  code: string;
  name: string;
  persons: { id: string; householdId: string; householdCode: string; fullName: string; citizenId: string; insuranceCode: string; phone: string }[];
  awards: string[];
  cardNumbers: string[];
  eventId: string;
  evidenceName: string;
}

interface World {
  programmeId: string;
  slug: string;
  roundId: string;
  donorId: string;
  pledgeId: string;
  communes: CommuneWorld[];
}

const NAMES = [
  ['Hoàng Thị Bảo Ngọc', 'Lù Văn Thắng', 'Giàng Thị Mỷ'],
  ['Phạm Quốc Khánh', 'Sùng A Chư', 'Vàng Thị Dợ'],
  ['Đinh Thị Sa Pa', 'Ma Văn Lực', 'Tẩn Láo San'],
];

/** A provincial programme over three communes of Lào Cai, each with persons, awards, issued cards, an event and a file. */
async function threeCommunes(database: TestDatabase, actor: Actor): Promise<World> {
  const db = database.db;
  const others = await db.selectFrom('unit').select(['code', 'name']).where('level', '=', 'commune').where('parentCode', '=', '15').where('code', '<>', BAO_THANG).orderBy('code').limit(2).execute();
  const own = await db.selectFrom('unit').select(['code', 'name']).where('code', '=', BAO_THANG).executeTakeFirstOrThrow();
  const units = [own, ...others];
  const programme = await createProgramme(db, actor, {
    name: 'Tặng thẻ BHYT ba xã',
    ownerUnitCode: '15',
    areaKind: 'communes',
    areaCodes: units.map((u) => u.code),
    cardMonths: 12,
    purchaseDate: '2025-11-01',
    deadline: '2025-12-20',
    priorities: { pupil: 2 },
  });
  await changeProgrammeStatus(db, actor, programme.id, 'raising');
  const donor = await donors.createDonor(db, actor, { ownerUnitCode: '15', kind: 'business', name: 'Công ty Ba Xã', contact: '0243111222', publicConsent: true });
  const pledge = await donors.createPledge(db, actor, programme.id, { donorId: donor.id, amount: 20_000_000, pledgedOn: '2025-10-01' });
  await donors.createReceipt(db, actor, programme.id, { donorId: donor.id, pledgeId: pledge.id, amount: 20_000_000, receivedOn: '2025-10-10', method: 'bank_transfer', reference: 'UNC 3X', confirm: { count: 1, amount: 20_000_000 } });

  const communes: CommuneWorld[] = [];
  for (const [u, unit] of units.entries()) {
    const householdCode = `HO-${unit.code}-${randomUUID().slice(0, 6)}`;
    const household = await register.createHousehold(db, actor, { communeCode: unit.code, code: householdCode });
    const persons: CommuneWorld['persons'] = [];
    for (const [i, fullName] of NAMES[u].entries()) {
      const citizenId = `015${i === 1 ? 2 : 3}1${i}${u}${i}${String(Math.floor(Math.random() * 10_000)).padStart(4, '0')}`;
      const insuranceCode = `01090${u}${i}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
      const phone = `09123${u}${i}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}`;
      const made = await register.createPerson(
        db,
        actor,
        { householdId: household.id, fullName, birthDate: `201${i}-04-1${u}`, sex: i === 1 ? 'male' : 'female', citizenId, insuranceCode, phone, groupCodes: ['HS'] },
        '2025-10-01',
      );
      persons.push({ id: made.id, householdId: household.id, householdCode, fullName, citizenId, insuranceCode, phone });
    }
    await nominate(db, actor, programme.id, { personIds: [persons[2].id], tags: ['pupil'], note: `Đề cử ${unit.name}` });
    const awards: string[] = [];
    for (const p of persons.slice(0, 2)) awards.push((await donors.awardOne(db, actor, programme.id, { personId: p.id, groupCode: 'HS', amount: 379_080, confirm: { count: 1, amount: 379_080 } })).id);
    communes.push({ code: unit.code, name: unit.name, persons, awards, cardNumbers: [], eventId: '', evidenceName: `bien-ban-${unit.code}.png` });
  }
  await changeProgrammeStatus(db, actor, programme.id, 'selecting');
  const round = await runRound(database, actor, programme.id, {});
  for (const status of ['list_approved', 'submitted'] as const) await changeProgrammeStatus(db, actor, programme.id, status);
  const entries = communes.flatMap((c, u) =>
    c.awards.map((awardId, i) => {
      const cardNumber = `HS40${u}${i}${c.persons[i].insuranceCode}`;
      c.cardNumbers.push(cardNumber);
      return { awardId, cardNumber, validFrom: '2025-12-01', validTo: '2026-11-30' };
    }),
  );
  await recordIssuedCards(db, actor, programme.id, entries, true);
  for (const c of communes) {
    const event = await addEvent(db, actor, programme.id, { communeCode: c.code, heldOn: '2025-12-10', place: `Nhà văn hoá ${c.name}` });
    c.eventId = event.id;
    await recordResult(db, actor, c.awards[0], { result: 'received', receivedBy: c.persons[0].fullName }, { name: c.evidenceName, data: PNG });
  }
  return { programmeId: programme.id, slug: programme.publicSlug, roundId: round.id, donorId: donor.id, pledgeId: pledge.id, communes };
}

/** What identifies a commune's persons and files in an answer. */
function markersOf(c: CommuneWorld): string[] {
  return [
    ...c.persons.flatMap((p) => [p.id, p.householdId, p.householdCode, p.fullName, p.citizenId, p.insuranceCode, p.phone]),
    ...c.awards,
    ...c.cardNumbers,
    c.eventId,
    c.evidenceName,
  ];
}

/** The text of an answer, whatever its type: JSON and CSV as they are, .xlsx cells and PDF text extracted. */
async function textOf(res: { headers: Record<string, unknown>; rawPayload: Buffer; body: string }): Promise<string> {
  const type = String(res.headers['content-type'] ?? '');
  if (type.includes('spreadsheetml')) {
    // the whole workbook, every sheet (the streaming reader wants the workbook part before the sheets)
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.load(res.rawPayload as unknown as ArrayBuffer);
    const cells: string[] = [];
    for (const sheet of workbook.worksheets) sheet.eachRow((row) => cells.push(JSON.stringify(row.values)));
    return cells.join('\n').normalize('NFC');
  }
  if (type.includes('pdf')) return pdfText(res.rawPayload);
  return res.body.normalize('NFC');
}

/** Objects that carry another commune's code where it names a person's or a commune's part. */
function foreignParts(value: unknown, foreign: Set<string>, path = '$', out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v, i) => foreignParts(v, foreign, `${path}[${i}]`, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'communeCode' && typeof v === 'string' && foreign.has(v)) out.push(`${path}.${k}=${v}`);
      if (k === 'communes' && Array.isArray(v))
        v.forEach((c, i) => {
          const code = c && typeof c === 'object' ? (c as { code?: unknown }).code : c;
          if (typeof code === 'string' && foreign.has(code)) out.push(`${path}.communes[${i}]=${code}`);
        });
      if (k === 'byCommune' && v && typeof v === 'object') for (const code of Object.keys(v)) if (foreign.has(code)) out.push(`${path}.byCommune.${code}`);
      foreignParts(v, foreign, `${path}.${k}`, out);
    }
  }
  return out;
}

let t: TestDatabase;
let app: Awaited<ReturnType<typeof buildApp>>;
let world: World;
let auth: { authorization: string };

beforeAll(async () => {
  t = await testDatabase();
  app = await buildApp({ database: t, webDist: false });
  await app.ready();
  world = await threeCommunes(t, system);
  const officer = await makeUser(t, 'commune_officer', BAO_THANG);
  auth = { authorization: `Bearer ${(await createToken(t.db, system, officer.username)).token}` };
}, 180_000);

afterAll(async () => {
  await app?.close();
  await t?.cleanup();
});

/** The rows of the other communes that no request of the officer may change. */
async function foreignRows(db: Kysely<DB>, codes: string[]) {
  const [awards, results, events, nominations, persons, cards] = await Promise.all([
    db.selectFrom('award').selectAll().where('communeCode', 'in', codes).orderBy('id').execute(),
    db.selectFrom('handoverResult as r').innerJoin('award as a', 'a.id', 'r.awardId').select(['r.awardId', 'r.eventId', 'r.result', 'r.receivedBy', 'r.evidenceName']).where('a.communeCode', 'in', codes).orderBy('r.awardId').execute(),
    db.selectFrom('handoverEvent').selectAll().where('communeCode', 'in', codes).orderBy('id').execute(),
    db.selectFrom('programmeNomination').selectAll().where('communeCode', 'in', codes).orderBy('personId').execute(),
    db.selectFrom('person').selectAll().where('communeCode', 'in', codes).orderBy('id').execute(),
    db.selectFrom('card as c').innerJoin('person as p', 'p.id', 'c.personId').select(['c.id', 'c.validFrom', 'c.validTo', 'c.number']).where('p.communeCode', 'in', codes).orderBy('c.id').execute(),
  ]);
  return JSON.stringify({ awards, results, events, nominations, persons, cards });
}

describe(`a commune officer in a provincial programme (${engineName})`, () => {
  it('sees their own commune part in the programme pages', async () => {
    const own = world.communes[0];
    const get = async (url: string) => {
      const res = await app.inject({ url, headers: auth });
      expect(res.statusCode, url).toBe(200);
      return res;
    };
    const awards = ((await get(`/api/programmes/${world.programmeId}/awards`)).json() as { items: { id: string }[] }).items;
    expect(awards.map((a) => a.id).sort()).toEqual([...own.awards].sort());
    const handover = (await get(`/api/programmes/${world.programmeId}/handover`)).json() as { events: { id: string }[] };
    expect(handover.events.map((e) => e.id)).toEqual([own.eventId]);
    const event = (await get(`/api/handover/events/${own.eventId}`)).json() as { recipients: { awardId: string }[] };
    expect(event.recipients.map((r) => r.awardId).sort()).toEqual([...own.awards].sort());
    expect((await get(`/api/handover/results/${own.awards[0]}/evidence`)).rawPayload.equals(PNG)).toBe(true);
    expect(await textOf(await get(`/api/handover/events/${own.eventId}/minutes.pdf`))).toContain(own.persons[0].fullName);
    const round = (await get(`/api/programmes/${world.programmeId}/rounds/${world.roundId}`)).json() as { items: { personId: string }[] };
    expect(round.items.length).toBeGreaterThan(0);
    const issued = (await get(`/api/programmes/${world.programmeId}/issued-cards`)).json() as { items: { id: string }[] };
    expect(issued.items.map((i) => i.id).sort()).toEqual([...own.awards].sort());
    expect(await textOf(await get(`/api/programmes/${world.programmeId}/d03.xlsx?allowIncomplete=true`))).toContain(own.persons[0].fullName);
  });

  it('province staff see the whole province; staff of another province do not see the programme', async () => {
    const province = await makeUser(t, 'province_staff', '15');
    const h = { authorization: `Bearer ${(await createToken(t.db, system, province.username)).token}` };
    const awards = (await app.inject({ url: `/api/programmes/${world.programmeId}/awards`, headers: h })).json() as { items: { id: string }[] };
    expect(awards.items.map((a) => a.id).sort()).toEqual(world.communes.flatMap((c) => c.awards).sort());
    const events = (await app.inject({ url: `/api/programmes/${world.programmeId}/handover`, headers: h })).json() as { events: { id: string }[] };
    expect(events.events).toHaveLength(3);
    const elsewhere = await makeUser(t, 'province_staff', '01');
    const e = { authorization: `Bearer ${(await createToken(t.db, system, elsewhere.username)).token}` };
    expect((await app.inject({ url: `/api/programmes/${world.programmeId}/awards`, headers: e })).statusCode).toBe(404);
    const event = await app.inject({ url: `/api/handover/events/${world.communes[1].eventId}`, headers: e });
    expect(event.statusCode).toBe(404);
    expect(event.body).not.toContain(world.programmeId);
  });

  it('gets nothing of the other communes from any route of the API', async () => {
    const own = world.communes[0];
    const others = world.communes.slice(1);
    const foreign = new Set(others.map((c) => c.code));
    const markers = others.flatMap(markersOf);
    const before = await foreignRows(t.db, [...foreign]);

    const doc = (await app.inject({ url: '/api/docs/json' })).json() as { paths: Record<string, Record<string, unknown>> };
    const values: Record<string, string[]> = {
      id: [world.programmeId],
      programmeId: [world.programmeId],
      eventId: [own.eventId, ...others.map((c) => c.eventId)],
      awardId: [own.awards[0], ...others.flatMap((c) => c.awards)],
      roundId: [world.roundId],
      donorId: [world.donorId],
      pledgeId: [world.pledgeId],
      personId: [own.persons[0].id, ...others.map((c) => c.persons[0].id)],
      householdId: [own.persons[0].householdId, ...others.map((c) => c.persons[0].householdId)],
      code: [BAO_THANG, ...foreign, '15'],
      slug: [world.slug],
    };
    const bodies: Record<string, (p: Record<string, string>) => unknown> = {
      'post /api/handover/events/{eventId}/recipients': () => ({ awardId: others[0].awards[1] }),
      'post /api/handover/results/{awardId}': () => ({ result: 'absent', note: 'x' }),
      'patch /api/handover/events/{eventId}': () => ({ place: 'Đổi chỗ' }),
      'post /api/programmes/{id}/nominations': () => ({ personIds: [others[0].persons[2].id], tags: ['pupil'] }),
      'post /api/programmes/{id}/awards': () => ({ personId: others[0].persons[2].id, groupCode: 'HS', amount: 379_080 }),
      'post /api/programmes/{id}/handover/events': () => ({ communeCode: others[0].code, heldOn: '2025-12-11', place: 'X' }),
      'post /api/programmes/{id}/issued-cards': () => ({ cards: [{ awardId: others[0].awards[0], cardNumber: 'HS4999999999999', validFrom: '2025-12-01', validTo: '2026-11-30' }] }),
    };
    const skip = new Set(['post /api/auth/logout', 'post /api/auth/login']);
    const leaks: string[] = [];
    const seenOk = new Set<string>();
    let requests = 0;
    for (const [template, methods] of Object.entries(doc.paths)) {
      for (const method of Object.keys(methods)) {
        const key = `${method} ${template}`;
        if (skip.has(key)) continue;
        const params = [...template.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
        let combos: Record<string, string>[] = [{}];
        for (const p of params) combos = combos.flatMap((c) => (values[p] ?? ['00000000-0000-4000-8000-000000000000']).map((v) => ({ ...c, [p]: v })));
        for (const combo of combos) {
          const path = template.replace(/\{(\w+)\}/g, (_, p: string) => encodeURIComponent(combo[p]));
          const queries = method === 'get' ? ['', `?commune=${others[0].code}&unit=${others[0].code}&parent=${others[0].code}&communeCode=${others[0].code}`] : [''];
          // the D03-TS list of a register without social insurance codes goes out only flagged
          if (template.endsWith('/d03.xlsx')) queries.push('?allowIncomplete=true');
          for (const query of queries) {
            const body = bodies[key]?.(combo) ?? (method === 'get' || method === 'delete' ? undefined : {});
            const res = await app.inject({ method: method.toUpperCase() as 'GET', url: path + query, headers: auth, ...(body !== undefined ? { payload: body as object } : {}) });
            requests++;
            expect(res.statusCode, `${key} ${path}${query}: ${res.body.slice(0, 300)}`).toBeLessThan(500);
            const text = await textOf(res);
            // a refusal may repeat what was asked for (the id in the path or body), nothing more
            const asked = `${path} ${JSON.stringify(body ?? '')}`;
            for (const m of markers) if (text.includes(m) && !(res.statusCode >= 400 && asked.includes(m))) leaks.push(`${method.toUpperCase()} ${path}${query} -> ${res.statusCode}: ${m}`);
            if (res.statusCode >= 400 && text.includes(world.programmeId) && !asked.includes(world.programmeId)) leaks.push(`${method.toUpperCase()} ${path} -> ${res.statusCode} names the programme`);
            // the public page is the same for everyone (no login, counts per commune, no person): not a scoped read
            if (String(res.headers['content-type']).includes('json') && !path.startsWith('/api/public/')) {
              for (const part of foreignParts(res.json(), foreign)) leaks.push(`${method.toUpperCase()} ${path}${query} -> ${res.statusCode}: ${part}`);
            }
            const targetsOther = Object.values(combo).some((v) => markers.includes(v) || foreign.has(v));
            if (targetsOther && path.match(/^\/api\/(programmes|handover)/) && res.statusCode < 300) leaks.push(`${method.toUpperCase()} ${path}${query} answered ${res.statusCode} for another commune's resource`);
            if (res.statusCode < 300) seenOk.add(key);
          }
        }
      }
    }
    expect(leaks).toEqual([]);
    expect(await foreignRows(t.db, [...foreign])).toEqual(before);
    // the walk really read the programme: its pages answered
    expect(requests).toBeGreaterThan(100);
    for (const key of ['get /api/programmes/{id}/awards', 'get /api/programmes/{id}/handover', 'get /api/programmes/{id}/rounds/{roundId}', 'get /api/programmes/{id}/d03.xlsx', 'get /api/handover/events/{eventId}/minutes.pdf'])
      expect(seenOk, key).toContain(key);
  }, 600_000);
});
