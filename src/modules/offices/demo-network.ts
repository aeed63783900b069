/**
 * The demo province's social insurance network (issue 18 items 2 and 7), so that a newcomer's first D03-TS
 * list, minutes and household pages are filled: the provincial office and grassroots offices (one per
 * four communes, in code order), the province's and each commune's unit details, a provincial hospital and
 * a commune health station per commune as initial health-care facilities, a collector per commune on its
 * villages, and every card of the register naming its commune's station and collector. The codes are
 * invented for the demo (documented in the user guide); the names are the real units'.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema';
import type { Actor } from '../../domain/access';
import { placeName } from '../../domain/text';
import { allVillages, childUnits, findUnit } from '../units/units.service';
import { createCollector } from './collectors.service';
import { createFacility } from './facilities.service';
import * as repo from './offices.repository';
import { createOffice, setUnitProfile } from './offices.service';

const PER_OFFICE = 4;

export async function seedDemoNetwork(db: Kysely<DB>, actor: Actor, province: string): Promise<{ offices: number; facilities: number; collectors: number; cards: number }> {
  const unit = await findUnit(db, province);
  if (!unit || unit.level !== 'province') return { offices: 0, facilities: 0, collectors: 0, cards: 0 };
  // a network already there (the demo loaded twice, or entered by hand) is left as it is
  if ((await repo.listOffices(db, province)).length > 0) return { offices: 0, facilities: 0, collectors: 0, cards: 0 };
  const communes = (await childUnits(db, province)).filter((c) => c.level === 'commune').sort((a, b) => a.code.localeCompare(b.code));
  const villages = await allVillages(db);
  const provincial = `${province}00`;
  await createOffice(db, actor, {
    code: provincial,
    name: `Bảo hiểm xã hội tỉnh ${unit.name}`,
    kind: 'si_province',
    parentCode: province,
    profile: { address: `Trung tâm hành chính tỉnh ${unit.name}`, phone: '0214 3820 000' },
  });
  await setUnitProfile(db, actor, province, { siCode: `UB${province}000`, taxCode: `53${province}000000`.slice(0, 10), address: `Trung tâm hành chính tỉnh ${unit.name}` });
  await createFacility(db, actor, { code: `${province}001`, name: `Bệnh viện Đa khoa tỉnh ${unit.name}`, provinceCode: province });
  const mapping: { communeCode: string; facilityCode: string; collectorCode: string | null }[] = [];
  let offices = 1;
  let collectors = 0;
  for (let i = 0; i < communes.length; i += PER_OFFICE) {
    const group = communes.slice(i, i + PER_OFFICE);
    const office = `${province}${String(i / PER_OFFICE + 1).padStart(2, '0')}`;
    await createOffice(db, actor, {
      code: office,
      name: `Bảo hiểm xã hội cơ sở ${placeName(group[0].name)}`,
      kind: 'si_grassroots',
      parentCode: provincial,
      communes: group.map((c) => c.code),
    });
    offices++;
    for (const c of group) {
      const n = communes.indexOf(c) + 2;
      const facility = `${province}${String(n).padStart(3, '0')}`;
      await createFacility(db, actor, { code: facility, name: `Trạm Y tế ${c.name.replace(/^Xã /u, 'xã ').replace(/^Phường /u, 'phường ')}`, provinceCode: province });
      await setUnitProfile(db, actor, c.code, { siCode: `UB${c.code}`, address: `Trụ sở ${c.name}, tỉnh ${unit.name}` });
      const own = villages.filter((v) => v.parentCode === c.code).map((v) => v.code);
      let collector: string | null = null;
      if (own.length) {
        collector = `NV${c.code}`;
        await createCollector(db, actor, { code: collector, name: `Nhân viên thu ${placeName(c.name)}`, kind: 'staff', officeCode: office, villages: own });
        collectors++;
      }
      mapping.push({ communeCode: c.code, facilityCode: facility, collectorCode: collector });
    }
  }
  const cards = await repo.assignCardsInCommunes(db, mapping);
  return { offices, facilities: communes.length + 1, collectors, cards };
}
