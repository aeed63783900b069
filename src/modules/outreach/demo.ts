/**
 * The demo province's door to door (issue 19 item 7), so that a newcomer sees the field pages filled: in
 * the two communes with the most persons to visit, one working group each on all the commune's villages,
 * led by a demo field worker with a second member (users `demo.to1.truong`, `demo.to1.vien`, `demo.to2.truong`,
 * `demo.to2.vien`, with random passwords nobody knows: an administrator sets one to try the field pages);
 * and some six weeks of visits to every person on the groups' lists (cards ending within 90 days counted),
 * logged through the same use case as the phones': not at home and back, promises kept or not, refusals
 * (some reporting a move, a death or a card from elsewhere, for the review queue), enrolments, and for
 * some enrolments the card recorded a week later (naming the commune's usual facility and collector). Deterministic for a seed; a province that has groups
 * already is left as it is.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import { WHOLE_COUNTRY } from '../../db/scope';
import type { Actor } from '../../domain/access';
import { addDays, addMonths } from '../../domain/calendar';
import { Rng } from '../../domain/demo-population';
import type { Outcome, Reason } from '../../domain/outreach';
import { actorOf, createUser } from '../access/access.service';
import { createCard } from '../register/register.service';
import { childUnits } from '../units/units.service';
import { doorList } from './doorlist.service';
import { createGroup } from './groups.service';
import * as repo from './outreach.repository';
import { addVisit } from './visits.service';

const REFUSALS: readonly Reason[] = ['cost', 'cost', 'cost', 'cost', 'distrust', 'distrust', 'other', 'insured_elsewhere', 'moved_away', 'deceased'];

export async function seedDemoOutreach(db: Kysely<DB>, actor: Actor, province: string, today: string, seed = 19): Promise<{ groups: number; visits: number }> {
  if ((await repo.listGroups(db, { ...WHOLE_COUNTRY, fieldWorker: null }, { area: province, all: true })).length > 0) return { groups: 0, visits: 0 };
  const communes = await repo.communesByNeed(db, province, addDays(today, 91), 2);
  const rng = new Rng(seed);
  let visits = 0;
  for (const [i, { communeCode }] of communes.entries()) {
    const villages = (await childUnits(db, communeCode)).filter((v) => v.level === 'village').map((v) => v.code);
    if (villages.length === 0) continue;
    const n = i + 1;
    const users = [];
    for (const [role, name] of [
      ['truong', `Tổ trưởng tổ ${n}`],
      ['vien', `Tổ viên tổ ${n}`],
    ]) {
      const username = `demo.to${n}.${role}`;
      const user = await createUser(db, actor, { username, displayName: name, role: 'field_worker', scopeCode: communeCode, password: randomBytes(24).toString('base64url') });
      users.push(actorOf(user));
    }
    const group = await createGroup(db, actor, {
      communeCode,
      name: `Tổ công tác ${n}`,
      villages,
      leader: users[0].username,
      members: [users[1].username],
      periodFrom: addDays(today, -60),
      periodTo: addDays(today, 60),
      note: 'Tổ công tác mẫu (dữ liệu thử)',
    });
    const list = await doorList(db, users[0], group.id, { days: 90 }, today);
    const now = new Date(`${today}T23:00:00+07:00`);
    const network = await repo.usualCardNetwork(db, communeCode);
    for (const household of list.households) {
      const member = users[rng.int(0, 1)];
      const log = async (day: string, hour: number, v: { personId?: string; outcome: Outcome; reason?: Reason; followUp?: string; product?: 'household_bhyt'; receiptNumber?: string; cardNumber?: string; note?: string }) => {
        if (day > today) return false;
        await addVisit(db, member, { clientId: randomUUID(), groupId: group.id, householdId: household.id, visitedAt: `${day}T${String(hour).padStart(2, '0')}:${String(rng.int(0, 59)).padStart(2, '0')}:00+07:00`, ...v }, now);
        visits++;
        return true;
      };
      let day = addDays(today, -rng.int(3, 42));
      // nobody at home at the first knock, now and then
      if (rng.chance(0.2)) {
        await log(day, 9, { outcome: 'not_home' });
        day = addDays(day, rng.int(1, 3));
      }
      for (const person of household.members.filter((m) => m.needsCard)) {
        let d = day;
        let hour = rng.int(8, 16);
        for (let knock = 0; knock < 2 && rng.chance(0.25); knock++)
          if (await log(d, hour, { personId: person.id, outcome: 'not_home', followUp: addDays(d, 2) })) d = addDays(d, rng.int(2, 4));
        const r = rng.next();
        if (r < 0.3) {
          if (await log(d, hour, { personId: person.id, outcome: 'enrolled', product: 'household_bhyt', receiptNumber: `BL${rng.int(100000, 999999)}` })) await maybeCard(db, actor, person, d, today, rng, network);
        } else if (r < 0.65) {
          const followUp = addDays(d, rng.int(3, 10));
          if (!(await log(d, hour, { personId: person.id, outcome: 'promised', followUp, note: rng.chance(0.3) ? 'Hẹn sau khi bán nông sản' : undefined }))) continue;
          if (!rng.chance(0.75)) continue;
          hour = rng.int(8, 16);
          const next = rng.next();
          if (next < 0.45) {
            if (await log(followUp, hour, { personId: person.id, outcome: 'enrolled', product: 'household_bhyt', receiptNumber: `BL${rng.int(100000, 999999)}` })) await maybeCard(db, actor, person, followUp, today, rng, network);
          } else if (next < 0.7) await log(followUp, hour, { personId: person.id, outcome: 'refused', reason: 'cost' });
          else await log(followUp, hour, { personId: person.id, outcome: 'promised', followUp: addDays(followUp, rng.int(5, 14)) });
        } else if (r < 0.85) {
          const reason = rng.pick(REFUSALS);
          await log(d, hour, { personId: person.id, outcome: 'refused', reason, ...(reason === 'insured_elsewhere' ? { cardNumber: `DN4${rng.int(100000000, 999999999)}${rng.int(10, 99)}` } : {}) });
        } else await log(d, hour, { personId: person.id, outcome: 'not_home', followUp: addDays(d, rng.int(1, 5)) });
      }
    }
  }
  return { groups: communes.length, visits };
}

/**
 * Some enrolments get their card a week later (recorded by hand, as the issued-cards import would), in the
 * group that priced it, after the card the person still holds.
 */
async function maybeCard(
  db: Kysely<DB>,
  actor: Actor,
  person: { id: string; cardTo: string | null; price: { group: string } | null },
  enrolledOn: string,
  today: string,
  rng: Rng,
  network: { facilityCode: string | null; collectorCode: string | null },
): Promise<void> {
  if (!rng.chance(0.6)) return;
  const week = addDays(enrolledOn, 7);
  const from = person.cardTo !== null && person.cardTo >= week ? addDays(person.cardTo, 1) : week;
  if (from > today) return;
  await createCard(db, actor, { personId: person.id, groupCode: person.price?.group ?? 'GD', validFrom: from, validTo: addDays(addMonths(from, 12), -1), number: `GD4${rng.int(100000000, 999999999)}${rng.int(10, 99)}`, ...network });
}
