/**
 * The premium rules and participant groups as people read them, in the interface language: a group by
 * its name (the code after it), a rule by what it says rather than its id, its legal source and note
 * from the catalogue. The rule data and the API keep their English text (the CLI and API speak English);
 * only what is shown here is translated. Pure: no I/O, the catalogue is the web's i18next instance.
 */
import type { TFunction } from 'i18next';
import { i18n } from '../i18n';
import { formatDate, formatPercent, formatVnd } from '../format';
import type { PremiumGroup, RuleItem, VsiRuleItem } from './premiumApi';

type GroupNames = Pick<PremiumGroup, 'code' | 'nameVi' | 'nameEn'>;

/** The codes of Decision 1351/QĐ-BHXH are two capitals; longer ones (MILITIA, SURVIVOR-75) are internal, provisional codes. */
const OFFICIAL_CODE = /^[A-Z]{2}$/;
export const isOfficialCode = (code: string): boolean => OFFICIAL_CODE.test(code);

/** The group's name in the language ('Học sinh'; the Vietnamese name when there is no English one). */
export function groupName(group: GroupNames, language: string): string {
  return (language === 'en' ? group.nameEn : group.nameVi) || group.nameVi || group.code;
}

/** 'Học sinh (HS)': the name first, the official code after it; a provisional internal code is not shown. */
export function groupLabel(group: GroupNames, language: string): string {
  const name = groupName(group, language);
  return isOfficialCode(group.code) ? `${name} (${group.code})` : name;
}

/** Code -> label ('Học sinh (HS)') of every group given (a later entry of a code wins). */
export function groupLabels(groups: readonly GroupNames[], language: string): Map<string, string> {
  return new Map(groups.map((g) => [g.code, groupLabel(g, language)]));
}

// ---------------------------------------------------------------------------------------------------
// Legal sources
// ---------------------------------------------------------------------------------------------------

/** Catalogue phrases ('rules.legal'): the English one is the pattern, the other language's the text. */
export type Phrases = Record<string, string>;

/** What a placeholder of a phrase matches: a document number ('73/2024/NĐ-CP') or a date. */
const PLACEHOLDER_PATTERN: Record<string, string> = { number: '[0-9][^\\s;,()]*', date: '\\d{4}-\\d{2}-\\d{2}' };
const PLACEHOLDER = /\{\{(\w+)\}\}/g;
const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function compile(template: string): { pattern: RegExp; names: string[] } {
  const names: string[] = [];
  let source = '';
  let last = 0;
  for (const m of template.matchAll(PLACEHOLDER)) {
    source += escapeRegExp(template.slice(last, m.index)) + `(${PLACEHOLDER_PATTERN[m[1]] ?? '[^\\s;,()]+'})`;
    names.push(m[1]);
    last = m.index + m[0].length;
  }
  source += escapeRegExp(template.slice(last));
  return { pattern: new RegExp(source, 'y'), names };
}

/**
 * A legal source written with the `from` phrases ('Law 51/2024/QH15; Decree 188/2025/NĐ-CP') in the
 * `to` phrases ('Luật 51/2024/QH15; Nghị định 188/2025/NĐ-CP'): read from left to right, the longest
 * phrase that matches at each point. Null when some part is not a known phrase (e.g. a source an
 * administrator typed): the caller shows that source as it is rather than half translated.
 */
export function translateLegalSource(
  source: string,
  from: Phrases,
  to: Phrases,
  formatValue: (name: string, value: string) => string = (_name, value) => value,
): string | null {
  const compiled = Object.entries(from).map(([key, template]) => ({ key, ...compile(template) }));
  let at = 0;
  let out = '';
  while (at < source.length) {
    let best: { key: string; names: string[]; match: RegExpExecArray } | null = null;
    for (const c of compiled) {
      c.pattern.lastIndex = at;
      const match = c.pattern.exec(source);
      if (match && match[0].length > 0 && (!best || match[0].length > best.match[0].length)) best = { key: c.key, names: c.names, match };
    }
    const target = best ? to[best.key] : undefined;
    if (!best || !target) return null;
    const values = Object.fromEntries(best.names.map((name, i) => [name, formatValue(name, best.match[i + 1])]));
    out += target.replace(PLACEHOLDER, (whole, name: string) => values[name] ?? whole);
    at += best.match[0].length;
  }
  return out;
}

const phrasesOf = (language: string) => (i18n.getResource(language, 'web', 'rules.legal') ?? {}) as Phrases;

/** A rule's legal source in the interface language (the text as stored when it is not made of known phrases). */
export function legalSourceText(source: string, language: string): string {
  if (language === 'en') return source;
  return translateLegalSource(source, phrasesOf('en'), phrasesOf(language), (name, value) => (name === 'date' ? formatDate(value) : value)) ?? source;
}

// ---------------------------------------------------------------------------------------------------
// Notes and names of rules
// ---------------------------------------------------------------------------------------------------

/**
 * A rule's note in the interface language: the catalogue's 'rules.notes.<id>' while the rule's note is
 * still the one shipped with it (the English entry equals it); an administrator's own note as written.
 */
export function ruleNoteText(rule: { id: string; note?: string }, language: string): string {
  if (!rule.note) return '';
  const key = `rules.notes.${rule.id}`;
  if (i18n.getFixedT('en', 'web')(key) !== rule.note) return rule.note;
  return i18n.getFixedT(language, 'web')(key);
}

/** '10-01' -> '01/10' */
const dayMonth = (md: string | undefined) => (md ? md.split('-').reverse().join('/') : '');

/** What a rule says, e.g. '2.340.000 ₫/tháng', 'Học sinh (HS): 50% mức đóng'. `groups`: code -> label. */
export function ruleValue(t: TFunction, item: RuleItem, groups: Map<string, string>, lang: string): string {
  const r = item.rule;
  const pct = (bp: number | undefined) => formatPercent(bp ?? 0, lang);
  const groupName = (code: string) => groups.get(code) ?? code;
  switch (item.kind) {
    case 'base-salary':
      return t('rules.values.perMonth', { amount: formatVnd(r.amount) });
    case 'premium-rate':
      return t('rules.values.rate', { percent: pct(r.basisPoints) });
    case 'household-factors': {
      const factors = r.factors ?? [];
      const text = factors
        .map((f, i) =>
          t(i === factors.length - 1 && i > 0 ? 'rules.values.factorLast' : 'rules.values.factorItem', { n: i + 1, percent: pct(f) }),
        )
        .join(' · ');
      return text.charAt(0).toUpperCase() + text.slice(1);
    }
    case 'pricing-basis':
      return r.basis === 'payment-date' || r.basis === 'card-start' ? t(`rules.values.basis-${r.basis}`) : String(r.basis ?? '');
    case 'group':
      return r.code ? (groups.get(r.code) ?? groupLabel({ code: r.code, nameVi: r.nameVi ?? '', nameEn: r.nameEn ?? '' }, lang)) : '';
    case 'state-share':
      return `${groupName(r.group ?? '')}: ${t('rules.values.share', { percent: pct(r.basisPoints) })}`;
    case 'local-policy': {
      const name = (lang === 'en' ? r.nameEn : r.nameVi) || r.nameVi || '';
      return `${t('rules.values.province', { code: r.province ?? '' })}: ${name}`;
    }
    case 'card-validity':
      return t('rules.values.cardWait', { months: r.breakMonths, days: r.firstTimeWaitDays });
    default:
      return '';
  }
}

/** A rule's name for a sentence: 'Mức lương cơ sở: 2.530.000 ₫/tháng'. */
export function ruleName(t: TFunction, item: RuleItem, groups: Map<string, string>, lang: string): string {
  const value = ruleValue(t, item, groups, lang);
  const kind = t(`rules.kinds.${item.kind}`);
  return value ? `${kind}: ${value}` : kind;
}

/** Secondary lines under a rule's value: its conditions and details. */
export function ruleDetails(t: TFunction, item: RuleItem, groups: Map<string, string>, lang: string): string[] {
  const r = item.rule;
  switch (item.kind) {
    case 'group':
      return [
        r.firstTimeWait ? t('rules.values.waits') : t('rules.values.noWait'),
        ...(r.firstTimeWaitUncertain ? [t('rules.values.waitUncertain')] : []),
      ];
    case 'local-policy': {
      const lines = [
        t('rules.values.localShare', { percent: formatPercent(r.basisPoints ?? 0, lang) }),
        r.groups?.length ? t('rules.values.groups', { list: r.groups.map((code) => groups.get(code) ?? code).join(', ') }) : t('rules.values.allGroups'),
      ];
      if (r.ageFrom !== undefined && r.ageBelow !== undefined) lines.push(t('rules.values.ageRange', { from: r.ageFrom, below: r.ageBelow }));
      else if (r.ageFrom !== undefined) lines.push(t('rules.values.ageFrom', { from: r.ageFrom }));
      else if (r.ageBelow !== undefined) lines.push(t('rules.values.ageBelow', { below: r.ageBelow }));
      return lines;
    }
    case 'card-validity':
      return [
        t('rules.values.cardChild', { months: r.childCardAgeMonths }),
        t('rules.values.cardPupil', {
          start: dayMonth(r.pupilFirstGradeStart),
          final: r.pupilFinalGrade,
          end: dayMonth(r.pupilFinalGradeEnd),
        }),
      ];
    default:
      return [];
  }
}

/** What a voluntary social insurance rule says: '22% mức thu nhập tháng chọn đóng', 'Hộ nghèo: 50% của 22% chuẩn nghèo...'. */
export function vsiRuleValue(t: TFunction, item: VsiRuleItem, lang: string, rate = 2200): string {
  const r = item.rule;
  const pct = (bp: number | undefined) => formatPercent(bp ?? 0, lang);
  switch (item.kind) {
    case 'vsi-contribution-rate':
      return t('rules.values.vsiRate', { percent: pct(r.basisPoints) });
    case 'vsi-poverty-line':
      return t('rules.values.perMonth', { amount: formatVnd(r.amount) });
    case 'vsi-income-ceiling':
      return t('rules.values.vsiCeiling', { multiple: r.baseSalaryMultiple });
    case 'vsi-state-support':
      return t('rules.values.vsiSupport', { group: t(`rules.vsiGroups.${r.group}`), percent: pct(r.basisPoints), rate: pct(rate) });
    case 'vsi-terms':
      return t('rules.values.vsiTerms', { months: r.maxSupportMonths, periods: (r.paymentPeriods ?? []).join(', ') });
    case 'vsi-local-top-up': {
      const name = (lang === 'en' ? r.nameEn : r.nameVi) || r.nameVi || '';
      return `${t('rules.values.province', { code: r.province ?? '' })}: ${name} · ${t('rules.values.vsiTopUp', { percent: pct(r.basisPoints), rate: pct(rate) })}`;
    }
    default:
      return '';
  }
}
