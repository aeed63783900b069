import { describe, expect, it } from 'vitest';
import { DEFAULT_RULES, ruleHistory } from '../../../src/domain/premium-rules';
import { DEFAULT_VSI_RULES, vsiRuleHistory } from '../../../src/domain/voluntary-si-rules';
import viWeb from '../../../src/i18n/locales/vi/web.json';
import enWeb from '../../../src/i18n/locales/en/web.json';
import { i18n } from '../i18n';
import type { RuleItem, VsiRuleItem } from './premiumApi';
import { groupLabel, groupLabels, legalSourceText, ruleName, ruleNoteText, ruleValue, translateLegalSource, vsiRuleValue } from './ruleText';

/** Both products' rules: BHYT and voluntary social insurance. */
const entries = [...ruleHistory(DEFAULT_RULES), ...vsiRuleHistory(DEFAULT_VSI_RULES)];
const vi = i18n.getFixedT('vi', 'web');
const en = i18n.getFixedT('en', 'web');
/** Words of the English legal sources and notes that must not be left in a Vietnamese text. */
const ENGLISH = /\b(Decree|Law|Decision|Circular|Resolution|amended|and|the|of|groups?|state|force|applies|working|rule|provisional|minimum|province|card|pupil)\b/i;

const item = (id: string): RuleItem => {
  const e = entries.find((x) => x.rule.id === id)!;
  return { id, kind: e.kind, from: e.rule.from, to: e.rule.to, source: e.rule.source, uncertain: e.rule.uncertain === true, rule: e.rule } as RuleItem;
};
const vsiItem = (id: string) => item(id) as unknown as VsiRuleItem;

describe('the voluntary social insurance rules as people read them', () => {
  it('says what each rule says in both languages, with the sources in Vietnamese', () => {
    expect(vsiRuleValue(vi, vsiItem('vsi-support-poor-2025-07-01'), 'vi')).toBe('Hộ nghèo: 50% của 22% chuẩn nghèo khu vực nông thôn');
    expect(vsiRuleValue(en, vsiItem('vsi-support-near_poor-2025-07-01'), 'en')).toBe('Near-poor household: 40% of 22% of the rural poverty line');
    expect(vsiRuleValue(vi, vsiItem('rural-poverty-line-2022-01-01'), 'vi')).toBe('1.500.000 ₫/tháng');
    expect(vsiRuleValue(vi, vsiItem('vsi-income-ceiling-2025-07-01'), 'vi')).toBe('20 lần mức lương cơ sở mỗi tháng');
    expect(vsiRuleValue(en, vsiItem('vsi-terms-2025-07-01'), 'en')).toBe('At most 120 months of support per person; paid every 1, 3, 6, 12 months');
    expect(legalSourceText(vsiItem('vsi-rate-2025-07-01').source, 'vi')).toBe('Luật Bảo hiểm xã hội 41/2024/QH15, Điều 36');
    expect(legalSourceText(vsiItem('rural-poverty-line-2022-01-01').source, 'vi')).toBe('Nghị định 07/2021/NĐ-CP, được sửa đổi, bổ sung bởi Nghị định 30/2025/NĐ-CP');
    for (const e of vsiRuleHistory(DEFAULT_VSI_RULES)) expect(vi(`rules.kinds.${e.kind}`), e.kind).not.toBe(`rules.kinds.${e.kind}`);
  });
});

describe('the rules shipped with the software, in both languages', () => {
  it('every note has a catalogue entry keyed by rule id: English as in the data, Vietnamese translated', () => {
    const withNote = entries.filter((e) => e.rule.note);
    expect(withNote.length).toBeGreaterThan(20);
    for (const { rule } of withNote) {
      expect(en(`rules.notes.${rule.id}`), rule.id).toBe(rule.note);
      const text = vi(`rules.notes.${rule.id}`);
      expect(text, rule.id).not.toBe(`rules.notes.${rule.id}`);
      expect(text, rule.id).not.toMatch(/\$t\(|\{\{/);
      expect(text, `${rule.id}: ${text}`).not.toMatch(ENGLISH);
      expect(ruleNoteText(rule, 'vi')).toBe(text);
      expect(ruleNoteText(rule, 'en')).toBe(rule.note);
    }
  });

  it('the catalogue has no note of a rule that does not exist', () => {
    const ids = new Set(entries.map((e) => e.rule.id));
    for (const cat of [viWeb, enWeb]) for (const id of Object.keys(cat.rules.notes)) expect(ids, id).toContain(id);
  });

  it('every legal source reads in Vietnamese from the catalogue phrases, and the English phrases give the source back', () => {
    for (const { rule } of entries) {
      const text = translateLegalSource(rule.source, enWeb.rules.legal, viWeb.rules.legal);
      expect(text, `${rule.id}: ${rule.source}`).not.toBeNull();
      expect(text, `${rule.id}: ${text}`).not.toMatch(ENGLISH);
      expect(translateLegalSource(rule.source, enWeb.rules.legal, enWeb.rules.legal)).toBe(rule.source);
      expect(legalSourceText(rule.source, 'en')).toBe(rule.source);
    }
  });
});

describe('legalSourceText', () => {
  it('names the documents in Vietnamese and writes dates dd/MM/yyyy', () => {
    expect(legalSourceText('Decree 73/2024/NĐ-CP', 'vi')).toBe('Nghị định 73/2024/NĐ-CP');
    expect(legalSourceText('Law 51/2024/QH15 (in force 2025-07-01); Decree 188/2025/NĐ-CP', 'vi')).toBe(
      'Luật 51/2024/QH15 (có hiệu lực từ 01/07/2025); Nghị định 188/2025/NĐ-CP',
    );
    expect(legalSourceText(item('group-HS').source, 'vi')).toBe(
      'Luật Bảo hiểm y tế 25/2008/QH12, được sửa đổi, bổ sung bởi Luật 46/2014/QH13 và Luật 51/2024/QH15; Quyết định 1351/QĐ-BHXH (mã đối tượng)',
    );
    expect(legalSourceText('Circular 30/2020/TT-BYT', 'vi')).toBe('Thông tư 30/2020/TT-BYT');
    expect(legalSourceText('Working rule of this software (no explicit legal text found)', 'vi')).toMatch(/^Quy ước/);
  });

  it('shows a source that is not made of known phrases as it was written, never half translated', () => {
    expect(legalSourceText('Nghị định 161/2026/NĐ-CP', 'vi')).toBe('Nghị định 161/2026/NĐ-CP');
    expect(legalSourceText('Decree 5/2027/NĐ-CP, see the gazette', 'vi')).toBe('Decree 5/2027/NĐ-CP, see the gazette');
    expect(legalSourceText('', 'vi')).toBe('');
  });
});

describe('ruleNoteText', () => {
  it("shows an administrator's own note as written, also on a shipped rule's id", () => {
    expect(ruleNoteText({ id: 'base-salary-2026-07-01', note: 'Đã kiểm tra với Công báo.' }, 'vi')).toBe('Đã kiểm tra với Công báo.');
    expect(ruleNoteText({ id: 'base-salary-2027-01-01', note: 'Theo dự thảo' }, 'en')).toBe('Theo dự thảo');
    expect(ruleNoteText({ id: 'base-salary-2024-07-01' }, 'vi')).toBe('');
  });
});

describe('groups and rules by name', () => {
  const groups = DEFAULT_RULES.groups;
  it('puts the name first and an official code after it; a provisional internal code is not shown', () => {
    expect(groupLabel(groups.find((g) => g.code === 'HS')!, 'vi')).toBe('Học sinh (HS)');
    expect(groupLabel(groups.find((g) => g.code === 'HS')!, 'en')).toBe('Pupil (HS)');
    expect(groupLabel(groups.find((g) => g.code === 'MILITIA')!, 'vi')).toBe('Dân quân thường trực');
    expect(groupLabel(groups.find((g) => g.code === 'SURVIVOR-75')!, 'en')).toMatch(/^Person aged 75\+/);
    for (const g of groups) expect(groupLabel(g, 'vi')).not.toMatch(/[A-Z]{3,}/);
  });

  it('names a rule by what it says, not by its id', () => {
    const names = groupLabels(groups, 'vi');
    expect(ruleName(vi, item('base-salary-2024-07-01'), names, 'vi')).toBe('Mức lương cơ sở: 2.340.000 ₫/tháng');
    expect(ruleValue(vi, item('state-share-HS-2025-07-01'), names, 'vi')).toBe('Học sinh (HS): 50% mức đóng');
    expect(ruleValue(vi, item('state-share-MILITIA-2025-07-01'), names, 'vi')).toBe('Dân quân thường trực: 100% mức đóng');
    expect(ruleValue(en, item('group-SV'), groupLabels(groups, 'en'), 'en')).toBe('Student (SV)');
    for (const e of entries) expect(ruleName(vi, item(e.rule.id), names, 'vi')).not.toContain(e.rule.id);
  });
});
