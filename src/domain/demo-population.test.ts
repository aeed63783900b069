import { describe, expect, it } from 'vitest';
import { addDays, ageInYears } from './calendar';
import { isIsoDate } from './dates';
import { demoRegisterRows, generateDemoPopulation, DEMO_ETHNIC_SHARES, type DemoHousehold } from './demo-population';
import { normalizeName, validateCitizenId, validateInsuranceCode, normalizePhone } from './identity';
import { DEFAULT_RULES, isKnownGroup } from './premium-rules';
import { validateRow } from './register-row';

/**
 * Twelve communes of Lào Cai (codes from data/reference/admin-units-2025-07-01.csv) and made-up ones:
 * ethnic make-up is drawn per commune, so shares only settle over a few dozen communes.
 */
const COMMUNES = [
  { code: '02647', name: 'Phường Lào Cai' },
  { code: '02671', name: 'Phường Cam Đường' },
  { code: '02680', name: 'Xã Hợp Thành' },
  { code: '02683', name: 'Xã Bát Xát' },
  { code: '02686', name: 'Xã A Mú Sung' },
  { code: '02695', name: 'Xã Trịnh Tường' },
  { code: '02701', name: 'Xã Y Tý' },
  { code: '02707', name: 'Xã Dền Sáng' },
  { code: '02725', name: 'Xã Bản Xèo' },
  { code: '02728', name: 'Xã Mường Hum' },
  { code: '02746', name: 'Xã Cốc San' },
  { code: '02752', name: 'Xã Pha Long' },
  ...Array.from({ length: 28 }, (_, i) => ({ code: String(90_001 + i), name: `Xã Thử Nghiệm ${i + 1}` })),
];

const TODAY = '2026-03-15';

function all(persons: number, seed: number, today = TODAY): DemoHousehold[] {
  return [...generateDemoPopulation({ communes: COMMUNES, persons, seed, today })];
}

describe('generateDemoPopulation', () => {
  const households = all(20_000, 7);
  const persons = households.flatMap((h) => h.members.map((p) => ({ h, p })));
  const share = (predicate: (x: (typeof persons)[number]) => boolean) => persons.filter(predicate).length / persons.length;

  it('gives exactly the number of persons asked for', () => {
    expect(persons.length).toBe(20_000);
    for (const n of [0, 1, 2, 7, 99, 1234]) {
      const count = all(n, n + 1).reduce((sum, h) => sum + h.members.length, 0);
      expect(count).toBe(n);
    }
  });

  it('is deterministic: same seed, same output; another seed, another output', () => {
    expect(all(3_000, 123)).toEqual(all(3_000, 123));
    expect(JSON.stringify(all(3_000, 124))).not.toBe(JSON.stringify(all(3_000, 123)));
  });

  it('makes households of 1-8 persons with a mean near 3.8, each with one head first', () => {
    for (const h of households) {
      expect(h.members.length).toBeGreaterThanOrEqual(1);
      expect(h.members.length).toBeLessThanOrEqual(8);
      expect(h.members[0].relationship).toBe('head');
      expect(h.members.filter((p) => p.relationship === 'head').length).toBe(1);
    }
    const mean = persons.length / households.length;
    expect(mean).toBeGreaterThan(3.5);
    expect(mean).toBeLessThan(4.1);
  });

  it('uses unique household codes and 8-20 villages per commune with unique names', () => {
    expect(new Set(households.map((h) => h.householdCode)).size).toBe(households.length);
    for (const c of COMMUNES) {
      const inCommune = households.filter((h) => h.communeCode === c.code);
      expect(inCommune.length).toBeGreaterThan(0);
      const villages = new Map(inCommune.map((h) => [h.villageCode, h.village]));
      expect(villages.size).toBeLessThanOrEqual(20);
      expect(new Set(villages.values()).size).toBe(villages.size);
      for (const [code, name] of villages) {
        expect(code.startsWith(c.code)).toBe(true);
        if (c.name.startsWith('Phường')) expect(name).toMatch(/^Tổ dân phố \d+$/);
        else expect(name).toMatch(/^(Thôn|Bản) /);
      }
      for (const h of inCommune) expect(h.address).toBe(`${h.village}, ${c.name}, tỉnh Lào Cai`);
    }
  });

  it('gives every person valid, unique, consistent identifiers', () => {
    const ids = new Set<string>();
    const codes = new Set<string>();
    for (const { p } of persons) {
      expect(validateCitizenId(p.citizenId, p.birthDate, p.sex)).toEqual({ ok: true });
      ids.add(p.citizenId);
      if (p.insuranceCode !== undefined) {
        expect(validateInsuranceCode(p.insuranceCode)).toBe(true);
        codes.add(p.insuranceCode);
      }
      if (p.phone !== undefined) expect(normalizePhone(p.phone)).toBe(p.phone);
      expect(normalizeName(p.fullName)).toBe(p.fullName);
      expect(p.fullName.split(' ').length).toBeGreaterThanOrEqual(2);
      expect(isIsoDate(p.birthDate)).toBe(true);
      expect(p.birthDate <= TODAY).toBe(true);
    }
    expect(ids.size).toBe(persons.length);
    expect(codes.size).toBe(persons.filter(({ p }) => p.insuranceCode !== undefined).length);
    expect(share(({ p }) => p.citizenId.startsWith('010') || p.citizenId.startsWith('015'))).toBeGreaterThan(0.9);
  });

  it('mixes ethnic groups in Lào Cai proportions', () => {
    const kinh = share(({ p }) => p.ethnicity === 'Kinh');
    const hmong = share(({ p }) => p.ethnicity === "H'Mông");
    expect(kinh).toBeGreaterThan(0.2);
    expect(kinh).toBeLessThan(0.55);
    expect(hmong).toBeGreaterThan(0.1);
    expect(hmong).toBeLessThan(0.4);
    for (const { p } of persons) expect(Object.keys(DEMO_ETHNIC_SHARES)).toContain(p.ethnicity);
    expect(new Set(persons.map(({ p }) => p.ethnicity)).size).toBeGreaterThanOrEqual(7);
  });

  it('names people after their ethnic customs', () => {
    const hmongFamilies = ['Giàng', 'Vàng', 'Sùng', 'Thào', 'Lý', 'Hảng', 'Mùa', 'Lầu', 'Cứ', 'Hầu', 'Tráng', 'Vừ', 'Ly', 'Sình', 'Mua'];
    const hmongHeads = persons.filter(({ p }) => p.ethnicity === "H'Mông" && p.relationship === 'head');
    for (const { p } of hmongHeads) expect(hmongFamilies).toContain(p.fullName.split(' ')[0]);
    const kinhWomen = persons.filter(({ p }) => p.ethnicity === 'Kinh' && p.sex === 'female');
    expect(kinhWomen.filter(({ p }) => p.fullName.split(' ')[1] === 'Thị').length / kinhWomen.length).toBeGreaterThan(0.2);
    // Children of a male head carry his family name.
    for (const { h, p } of persons) {
      const head = h.members[0];
      if (p.relationship === 'con' && head.sex === 'male') expect(p.fullName.split(' ')[0]).toBe(head.fullName.split(' ')[0]);
    }
  });

  it('has a plausible age pyramid', () => {
    const age = ({ p }: (typeof persons)[number]) => ageInYears(p.birthDate, TODAY);
    const under6 = share((x) => age(x) < 6);
    const under15 = share((x) => age(x) < 15);
    const over60 = share((x) => age(x) >= 60);
    const over80 = share((x) => age(x) >= 80);
    expect(under6).toBeGreaterThan(0.07);
    expect(under6).toBeLessThan(0.16);
    expect(under15).toBeGreaterThan(0.2);
    expect(under15).toBeLessThan(0.36);
    expect(over60).toBeGreaterThan(0.06);
    expect(over60).toBeLessThan(0.18);
    expect(over80).toBeGreaterThan(0.003);
    expect(over80).toBeLessThan(0.03);
    expect(Math.max(...persons.map(age))).toBeLessThanOrEqual(101);
  });

  it('assigns groups that match age, household and area', () => {
    for (const { h, p } of persons) {
      expect(p.groups.length).toBeGreaterThan(0);
      for (const g of p.groups) expect(isKnownGroup(DEFAULT_RULES, g)).toBe(true);
      const age = ageInYears(p.birthDate, TODAY);
      expect(p.groups.includes('HN')).toBe(h.povertyStatus === 'poor');
      expect(p.groups.includes('CN')).toBe(h.povertyStatus === 'near_poor');
      expect(p.groups.includes('GB')).toBe(h.povertyStatus === 'average_agri');
      if (age < 6) expect(p.groups).toContain('TE');
      if (p.groups.includes('TE')) expect(age).toBeLessThanOrEqual(6);
      if (p.groups.includes('HS')) {
        expect(p.grade).toBeGreaterThanOrEqual(1);
        expect(p.grade).toBeLessThanOrEqual(12);
        expect(age).toBeGreaterThanOrEqual(5);
        expect(age).toBeLessThanOrEqual(18);
      } else expect(p.grade).toBeUndefined();
      if (p.groups.includes('SV')) expect(age >= 18 && age <= 22).toBe(true);
      if (p.groups.includes('BT')) expect(age).toBeGreaterThanOrEqual(80);
      if (p.groups.includes('DT')) expect(p.ethnicity !== 'Kinh' && h.difficultArea).toBe(true);
      if (p.groups.includes('GD')) expect(p.groups).toEqual(['GD']);
      if (h.povertyStatus !== 'none') expect(h.povertyYear).toBe(2026);
      else expect(h.povertyYear).toBeUndefined();
    }
    expect(share(({ p }) => p.groups.includes('HN'))).toBeGreaterThan(0.03);
    expect(share(({ p }) => p.groups.includes('HS'))).toBeGreaterThan(0.08);
    expect(share(({ p }) => p.groups.includes('DT'))).toBeGreaterThan(0.1);
    expect(share(({ p }) => p.groups.includes('GD'))).toBeGreaterThan(0.15);
    expect(share(({ p }) => p.groups.includes('SV'))).toBeGreaterThan(0);
    expect(share(({ p }) => p.groups.includes('BT'))).toBeGreaterThan(0);
  });

  it('gives realistic card histories: mostly covered, some lapsed, expiring or never insured', () => {
    const soon = addDays(TODAY, 60);
    let never = 0;
    let expired = 0;
    let expiring = 0;
    let covered = 0;
    for (const { p } of persons) {
      for (const c of p.cards) {
        expect(c.from <= c.to).toBe(true);
        expect(c.from >= p.birthDate).toBe(true);
        // (a child's TE card, from birth, comes before the pupil's or the household's)
        if (c.group === 'TE') expect(c.from).toBe(p.birthDate);
        else expect([...p.groups, 'GD']).toContain(c.group);
      }
      for (let i = 1; i < p.cards.length; i++) expect(p.cards[i].from > p.cards[i - 1].from).toBe(true);
      if (p.cards.length === 0) {
        never++;
        continue;
      }
      const last = p.cards[p.cards.length - 1].to;
      if (!p.cards.some((c) => c.from <= TODAY && TODAY <= c.to)) {
        expired++;
        expect(last < TODAY).toBe(true);
        expect(last >= addDays(TODAY, -420)).toBe(true);
      } else if (last < soon) expiring++;
      else covered++;
    }
    const n = persons.length;
    expect(never / n).toBeGreaterThan(0.015);
    expect(never / n).toBeLessThan(0.04);
    expect(expired / n).toBeGreaterThan(0.025);
    expect(expired / n).toBeLessThan(0.07);
    expect(expiring / n).toBeGreaterThan(0.035);
    expect(expiring / n).toBeLessThan(0.075);
    expect(covered / n).toBeGreaterThan(0.84);
  });

  it('reaches back years: renewals one after the other, state-paid groups without a break, a few percent more covered than a year ago', () => {
    const yearAgo = addDays(TODAY, -365);
    const twoYearsAgo = addDays(TODAY, -2 * 365);
    const on = (p: (typeof persons)[number]['p'], day: string) => p.cards.some((c) => c.from <= day && day <= c.to);
    let now = 0;
    let before = 0;
    let consecutive = 0;
    let pairs = 0;
    for (const { p } of persons) {
      if (on(p, TODAY)) now++;
      if (on(p, yearAgo)) before++;
      for (let i = 1; i < p.cards.length; i++) {
        pairs++;
        if (addDays(p.cards[i - 1].to, 1) >= p.cards[i].from) consecutive++;
      }
      // the poor, minorities in difficult areas, the very old and young children: covered every day of
      // the last two years they were alive (unless lapsed, which is rare)
      const primary = p.groups[0];
      if (['HN', 'DT', 'BT', 'TE'].includes(primary) && on(p, TODAY)) {
        for (let day = p.birthDate > twoYearsAgo ? p.birthDate : twoYearsAgo; day <= TODAY; day = addDays(day, 30)) expect(on(p, day)).toBe(true);
      }
    }
    const n = persons.length;
    expect(now / n).toBeGreaterThan(0.91);
    expect(now / n).toBeLessThan(0.96);
    expect(before / n).toBeGreaterThan(0.88);
    // year over year: a few percent, not a register that starts last year
    expect(now / before - 1).toBeGreaterThan(-0.05);
    expect(now / before - 1).toBeLessThan(0.05);
    // most cards are renewals of the one before
    expect(consecutive / pairs).toBeGreaterThan(0.9);
    expect(pairs / n).toBeGreaterThan(1.5);
  });

  it('without history gives the same population with only the cards of today (the template file stays the same)', () => {
    const full = all(3_000, 21);
    const short = [...generateDemoPopulation({ communes: COMMUNES, persons: 3_000, seed: 21, today: TODAY, history: false })];
    expect(short.length).toBe(full.length);
    let dropped = 0;
    for (const [h, household] of short.entries()) {
      expect({ ...household, members: [] }).toEqual({ ...full[h], members: [] });
      for (const [m, p] of household.members.entries()) {
        const whole = full[h].members[m];
        expect({ ...p, cards: [] }).toEqual({ ...whole, cards: [] });
        // the last cards of the whole history, at least the one in force today or the last one
        expect(p.cards).toEqual(whole.cards.slice(whole.cards.length - p.cards.length));
        if (whole.cards.length > 0) expect(p.cards.length).toBeGreaterThan(0);
        dropped += whole.cards.length - p.cards.length;
      }
      expect(demoRegisterRows(household)).toEqual(demoRegisterRows(full[h]));
    }
    expect(dropped).toBeGreaterThan(3_000);
  });

  it('follows the school year for pupils and the 72-month rule for young children', () => {
    for (const { p } of persons) {
      for (const c of p.cards) {
        if (c.group === 'HS' && c.to > TODAY) {
          expect(c.to.slice(5)).toBe('09-30');
          expect(c.from.slice(5)).toBe('10-01');
        }
        if (c.group === 'TE' && c.from === p.birthDate) {
          const cutoff = p.birthDate.slice(5) <= '09-30';
          if (cutoff) expect(c.to).toBe(`${Number(p.birthDate.slice(0, 4)) + 6}-09-30`);
        }
      }
    }
  });

  it('produces rows that the register import accepts', () => {
    const ctx = { knownGroups: (code: string) => isKnownGroup(DEFAULT_RULES, code), today: TODAY };
    for (const h of households.slice(0, 500)) {
      for (const [i, cells] of demoRegisterRows(h).entries()) {
        const result = validateRow(cells, ctx);
        expect(result.ok ? [] : result.errors).toEqual([]);
        if (!result.ok) continue;
        const p = h.members[i];
        expect(result.row.fullName).toBe(p.fullName);
        expect(result.row.birthDate).toBe(p.birthDate);
        expect(result.row.citizenId).toBe(p.citizenId);
        expect(result.row.groups).toEqual(p.groups);
        expect(result.row.relationship).toBe(p.relationship);
        expect(result.row.povertyStatus).toBe(h.povertyStatus);
      }
    }
  });

  it('refuses bad options up front', () => {
    expect(() => generateDemoPopulation({ communes: COMMUNES, persons: -1, seed: 1, today: TODAY })).toThrow(RangeError);
    expect(() => generateDemoPopulation({ communes: COMMUNES, persons: 1.5, seed: 1, today: TODAY })).toThrow(RangeError);
    expect(() => generateDemoPopulation({ communes: [], persons: 1, seed: 1, today: TODAY })).toThrow(RangeError);
    expect(() => generateDemoPopulation({ communes: COMMUNES, persons: 1, seed: 1, today: '15/03/2026' })).toThrow(RangeError);
    expect(() => generateDemoPopulation({ communes: [{ code: '2905', name: 'x' }], persons: 1, seed: 1, today: TODAY })).toThrow(
      RangeError,
    );
  });

  it('streams: a large population can be consumed without holding it', () => {
    let count = 0;
    let households = 0;
    for (const h of generateDemoPopulation({ communes: COMMUNES, persons: 100_000, seed: 99, today: TODAY })) {
      households++;
      count += h.members.length;
    }
    expect(count).toBe(100_000);
    expect(households).toBeGreaterThan(20_000);
  });
});
