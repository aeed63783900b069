/**
 * The calculator form as data: the draft the page edits, the quote request it sends, and which form
 * field shows an API error path (members.N.groups.K -> that member's group picker). Pure functions.
 */
import { VSI_GROUPS, type QuoteRequest, type VsiGroup, type VsiQuoteRequest } from './premiumApi';
import { parseDayMonthYear, parseVnd, parseWhole } from '../format';

export interface MemberDraft {
  key: number;
  /** the first group, then optionally a second ('' while not chosen) */
  groups: string[];
  birthDate: string;
  grade: string;
  previousCardTo: string;
}

export interface Draft {
  /** as typed: dd/MM/yyyy (or YYYY-MM-DD), like the members' dates */
  date: string;
  months: string;
  province: string;
  enrolled: string;
  members: MemberDraft[];
}

/** The request for a draft, or the messages of the fields that cannot be sent as they are. */
export function buildQuoteRequest(
  draft: Draft,
  messages: { dateRequired: string; dateInvalid: string; monthsInvalid: string; provinceInvalid: string; enrolledInvalid: string; gradeInvalid: string },
): { request: QuoteRequest | null; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const date = parseDayMonthYear(draft.date) ?? '';
  if (!date) fields.date = messages.dateRequired;
  const months = parseWhole(draft.months);
  if (months === null) fields.months = messages.monthsInvalid;
  const province = draft.province.trim();
  if (province && !/^\d{2}$/.test(province)) fields.province = messages.provinceInvalid;
  const enrolled = draft.enrolled.trim() === '' ? 0 : parseWhole(draft.enrolled);
  if (enrolled === null) fields.enrolledThisYear = messages.enrolledInvalid;
  const members = draft.members.map((m, i) => {
    const grade = m.grade.trim() === '' ? undefined : parseWhole(m.grade);
    if (grade === null) fields[`members.${i}.grade`] = messages.gradeInvalid;
    /** an optional date: '' when not given, null when it is not a date */
    const day = (field: 'birthDate' | 'previousCardTo') => {
      if (!m[field].trim()) return '';
      const iso = parseDayMonthYear(m[field]);
      if (!iso) fields[`members.${i}.${field}`] = messages.dateInvalid;
      return iso ?? '';
    };
    const birthDate = day('birthDate');
    const previousCardTo = day('previousCardTo');
    return {
      groups: m.groups.filter(Boolean),
      ...(birthDate ? { birthDate } : {}),
      ...(grade != null ? { grade } : {}),
      ...(previousCardTo ? { previousCardTo } : {}),
    };
  });
  if (Object.keys(fields).length) return { request: null, fields };
  return {
    request: {
      date,
      months: months!,
      members,
      ...(province ? { province } : {}),
      enrolledThisYear: enrolled ?? 0,
    },
    fields,
  };
}

/** The form field that shows an API error path, or null (banner). */
export function calculatorFieldKey(parts: string[]): string | null {
  const [first, index, sub, subIndex] = parts;
  if (first === 'date' || first === 'months' || first === 'province' || first === 'enrolledThisYear') return first;
  if (first !== 'members') return null;
  if (index === undefined || !/^\d+$/.test(index)) return 'members';
  if (sub === undefined || sub === 'groups') return subIndex === '1' ? `members.${index}.groups.1` : `members.${index}.groups`;
  if (sub === 'birthDate' || sub === 'grade' || sub === 'previousCardTo') return `members.${index}.${sub}`;
  return null;
}

// ---------------------------------------------------------------------------------------------------
// Voluntary social insurance beside BHYT (the calculator's second product)
// ---------------------------------------------------------------------------------------------------

/** A member's BHYT group that also gives a voluntary social insurance support level (Decree 159/2025/NĐ-CP). */
const VSI_GROUP_OF_BHYT: Record<string, VsiGroup> = { HN: 'poor', XD: 'island', CN: 'near_poor', DT: 'ethnic_minority' };

/** The support group a member's BHYT groups suggest (the highest; 'other' when none does). */
export function vsiGroupFor(bhytGroups: readonly string[]): VsiGroup {
  const found = new Set(bhytGroups.map((g) => VSI_GROUP_OF_BHYT[g]).filter(Boolean));
  return VSI_GROUPS.find((g) => found.has(g)) ?? 'other';
}

/** Per member of the calculator (by its key): the support group chosen (else suggested) and the income typed. */
export interface VsiMemberDraft {
  group?: VsiGroup;
  income: string;
}

/** The voluntary social insurance request for the household, or the members whose income is not an amount. */
export function buildVsiRequest(
  date: string | null,
  months: number,
  members: readonly Pick<MemberDraft, 'key' | 'groups'>[],
  drafts: Readonly<Record<number, VsiMemberDraft>>,
  province: string,
  incomeInvalid: string,
): { request: VsiQuoteRequest | null; fields: Record<string, string> } {
  const fields: Record<string, string> = {};
  const list = members.map((m, i) => {
    const d = drafts[m.key];
    const text = d?.income.trim() ?? '';
    const income = text ? parseVnd(text) : undefined;
    if (income === null) fields[`members.${i}.income`] = incomeInvalid;
    return { groups: [d?.group ?? vsiGroupFor(m.groups)], ...(income != null ? { income } : {}) };
  });
  if (!date || list.length === 0 || Object.keys(fields).length) return { request: null, fields };
  return { request: { date, months, members: list, ...(/^\d{2}$/.test(province.trim()) ? { province: province.trim() } : {}) }, fields };
}

/** The panel's field for an API error path of the voluntary social insurance quote. */
export function vsiFieldKey(parts: string[]): string | null {
  const [first, index, sub] = parts;
  if (first === 'members' && index !== undefined && /^\d+$/.test(index) && (sub === 'income' || sub === 'groups')) return `members.${index}.${sub}`;
  return first === 'months' ? 'months' : null;
}
