/**
 * A programme ready for handover, for the handover, statement and public-page tests: two communes of Lào
 * Cai (Xã Bảo Thắng and another), four persons with known full names, citizen ids, insurance codes and
 * phones, two donors (one named publicly, one not), receipts, a refund, four awards with issued cards.
 * Built through the programme, donor, ledger and issue services, so the ledger balances.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../../db/schema';
import type { Actor } from '../../../domain/access';
import * as register from '../../register/register.service';
import { changeProgrammeStatus, createProgramme } from '../programme/programme.service';
import * as donors from '../money/donors.service';
import { recordIssuedCards } from '../selection/issue.service';

export const TODAY = '2025-12-01';
export const DEADLINE = '2025-12-20';
export const BAO_THANG = '02905';

export interface PersonFacts {
  key: 'hong' | 'minh' | 'ha' | 'pao';
  fullName: string;
  birthDate: string;
  sex: 'male' | 'female';
  citizenId: string;
  insuranceCode: string;
  phone: string | null;
  group: string;
  amount: number;
  cardNumber: string;
  commune: 'c1' | 'c2';
  /** How the public page and statements must show the person. */
  masked: string;
}

export const PERSONS: PersonFacts[] = [
  { key: 'hong', fullName: 'Nguyễn Thị Hồng', birthDate: '2009-04-12', sex: 'female', citizenId: '001309012345', insuranceCode: '0109012345', phone: '0912345678', group: 'HS', amount: 379_080, cardNumber: 'HS4010109012345', commune: 'c1', masked: 'Nguyễn T. H.' },
  { key: 'minh', fullName: 'Lò Văn Minh', birthDate: '1985-06-01', sex: 'male', citizenId: '015085004321', insuranceCode: '1585004321', phone: '0987654321', group: 'GD', amount: 1_263_600, cardNumber: 'GD4151585004321', commune: 'c1', masked: 'Lò V. M.' },
  { key: 'ha', fullName: 'Trần Thị Thu Hà', birthDate: '2012-01-20', sex: 'female', citizenId: '002312007777', insuranceCode: '0212007777', phone: '0363636363', group: 'HS', amount: 379_080, cardNumber: 'HS4020212007777', commune: 'c2', masked: 'Trần T. T. H.' },
  { key: 'pao', fullName: 'Vàng A Páo', birthDate: '1960-03-03', sex: 'male', citizenId: '010060001111', insuranceCode: '1060001111', phone: null, group: 'GD', amount: 884_520, cardNumber: 'GD4011060001111', commune: 'c1', masked: 'Vàng A. P.' },
];

export const NAMED_DONOR = { name: 'Công ty Cổ phần Hòa Phát Lào Cai', contact: '0243999888' };
export const UNNAMED_DONOR = { name: 'Lê Thị Mai', contact: 'le.thi.mai@example.vn' };

export interface HandoverWorld {
  programmeId: string;
  slug: string;
  c1: { code: string; name: string };
  c2: { code: string; name: string };
  /** The persons as created in this world (ids, codes and phones differ from world to world). */
  facts: PersonFacts[];
  awards: Record<PersonFacts['key'], string>;
  persons: Record<PersonFacts['key'], string>;
  namedDonorId: string;
  unnamedDonorId: string;
}

let seq = 0;

export async function handoverWorld(db: Kysely<DB>, actor: Actor, options: { issue?: boolean } = {}): Promise<HandoverWorld> {
  const communes = await db.selectFrom('unit').select(['code', 'name']).where('level', '=', 'commune').where('parentCode', '=', '15').orderBy('code').execute();
  const c1 = communes.find((c) => c.code === BAO_THANG)!;
  const c2 = communes.find((c) => c.code !== BAO_THANG)!;
  const commune = { c1, c2 };
  const n = ++seq;
  const tail = (value: string, width: number) => value.slice(0, value.length - width) + String((Number(value.slice(-width)) + n * 37) % 10 ** width).padStart(width, '0');
  const facts = PERSONS.map((p) => {
    const insuranceCode = tail(p.insuranceCode, 4);
    return { ...p, citizenId: tail(p.citizenId, 6), insuranceCode, cardNumber: p.cardNumber.slice(0, 5) + insuranceCode, phone: p.phone && tail(p.phone, 3) };
  });
  const programme = await createProgramme(db, actor, {
    name: `Tặng thẻ BHYT Tết ${n}`,
    ownerUnitCode: '15',
    areaKind: 'communes',
    areaCodes: [c1.code, c2.code],
    cardMonths: 12,
    purchaseDate: '2025-11-01',
    deadline: DEADLINE,
  });
  await changeProgrammeStatus(db, actor, programme.id, 'raising');

  const named = await donors.createDonor(db, actor, { ownerUnitCode: '15', kind: 'business', name: NAMED_DONOR.name, contact: NAMED_DONOR.contact, publicConsent: true });
  const unnamed = await donors.createDonor(db, actor, { ownerUnitCode: '15', kind: 'individual', name: UNNAMED_DONOR.name, contact: UNNAMED_DONOR.contact, publicConsent: false });
  const p1 = await donors.createPledge(db, actor, programme.id, { donorId: named.id, amount: 50_000_000, pledgedOn: '2025-10-01' });
  const p2 = await donors.createPledge(db, actor, programme.id, { donorId: unnamed.id, amount: 2_000_000, pledgedOn: '2025-10-02', earmarkCommuneCode: c2.code });
  await donors.createReceipt(db, actor, programme.id, { donorId: named.id, pledgeId: p1.id, amount: 3_000_000, receivedOn: '2025-10-10', method: 'bank_transfer', reference: 'UNC 0001', confirm: { count: 1, amount: 3_000_000 } });
  const r2 = await donors.createReceipt(db, actor, programme.id, { donorId: unnamed.id, pledgeId: p2.id, amount: 1_000_000, receivedOn: '2025-10-12', method: 'cash', confirm: { count: 1, amount: 1_000_000 } });

  const persons = {} as HandoverWorld['persons'];
  const households = new Map<string, string>();
  for (const p of facts) {
    const code = commune[p.commune].code;
    if (!households.has(code)) households.set(code, (await register.createHousehold(db, actor, { communeCode: code, code: `HO-${randomUUID().slice(0, 8)}` })).id);
    const made = await register.createPerson(
      db,
      actor,
      { householdId: households.get(code)!, fullName: p.fullName, birthDate: p.birthDate, sex: p.sex, citizenId: p.citizenId, insuranceCode: p.insuranceCode, phone: p.phone },
      TODAY,
    );
    persons[p.key] = made.id;
  }
  const awards = {} as HandoverWorld['awards'];
  for (const p of facts) {
    const award = await donors.awardOne(db, actor, programme.id, { personId: persons[p.key], groupCode: p.group, amount: p.amount, confirm: { count: 1, amount: p.amount } });
    awards[p.key] = award.id;
  }
  // money back to the unnamed donor from what is left of their receipt
  await donors.createRefund(db, actor, programme.id, { receiptId: r2.id, amount: 100_000, refundedOn: '2025-11-20', reason: 'Nhà tài trợ đề nghị', confirm: { count: 1, amount: 100_000 } });

  if (options.issue !== false) {
    for (const status of ['selecting', 'list_approved', 'submitted'] as const) await changeProgrammeStatus(db, actor, programme.id, status);
    // the social insurance office's cards: the programme moves to 'cards_issued' with the last one
    await recordIssuedCards(
      db,
      actor,
      programme.id,
      facts.map((p) => ({ awardId: awards[p.key], cardNumber: p.cardNumber, validFrom: '2025-12-01', validTo: '2026-11-30' })),
      true,
    );
  }
  return { programmeId: programme.id, slug: programme.publicSlug, c1, c2, facts, awards, persons, namedDonorId: named.id, unnamedDonorId: unnamed.id };
}
