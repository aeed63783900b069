/**
 * Premium rules, groups and quotes, through the typed client. These routes declare no response schema
 * in the OpenAPI document yet, so their answers are typed by the server's own types (type-only imports,
 * nothing of the server is bundled); requests are typed by the document.
 */
import { call, client } from '../api/client';
import type { ApiBody } from '../api/types';
import type { Amounts, MemberQuote, QuoteNote, QuoteNoteCode } from '../../../src/domain/premium';
import type { DatedRule, GroupRole, ParticipantGroup, RuleEntry, RuleKind } from '../../../src/domain/premium-rules';
import type { QuoteWithRules, RuleDescription } from '../../../src/modules/premium/premium.service';

export type { Amounts, DatedRule, GroupRole, MemberQuote, QuoteNote, QuoteNoteCode, RuleDescription, RuleKind };

/** A participant group (đối tượng tham gia), e.g. HS 'Học sinh'. */
export type PremiumGroup = ParticipantGroup;
export type QuoteResult = QuoteWithRules;
export type QuoteRequest = ApiBody<'/api/premium/quote', 'post'>;
export type QuoteMemberRequest = QuoteRequest['members'][number];
export type BaseSalaryInput = ApiBody<'/api/premium/rules/base-salaries', 'post'>;
export type LocalPolicyInput = ApiBody<'/api/premium/rules/local-policies', 'post'>;

/** The rules page's order of kinds. */
export const RULE_KINDS: readonly RuleKind[] = [
  'base-salary',
  'premium-rate',
  'household-factors',
  'pricing-basis',
  'group',
  'state-share',
  'local-policy',
  'card-validity',
];

type Intersection<U> = (U extends unknown ? (u: U) => void : never) extends (i: infer I) => void ? I : never;
/** The entry of any kind, as the rules page reads it: which fields are present depends on the kind. */
export type RuleBody = DatedRule & Partial<Intersection<RuleEntry['rule']>>;
export type RuleItem = RuleDescription & { rule: RuleBody };

export const premiumApi = {
  /** public */
  premiumGroups: (date: string, signal?: AbortSignal) => call<PremiumGroup[]>(client.GET('/api/premium/groups', { params: { query: { date } }, signal })),
  /** public: prices a payment, nothing is stored */
  quote: (input: QuoteRequest, signal?: AbortSignal) => call<QuoteResult>(client.POST('/api/premium/quote', { body: input, signal })),
  premiumRules: (date: string, signal?: AbortSignal) =>
    call<{ date: string; rules: RuleItem[] }>(client.GET('/api/premium/rules', { params: { query: { date } }, signal })),
  premiumRulesHistory: (signal?: AbortSignal) => call<{ history: RuleItem[] }>(client.GET('/api/premium/rules', { params: { query: { history: 'true' } }, signal })),
  addBaseSalary: (input: BaseSalaryInput) => call<RuleBody>(client.POST('/api/premium/rules/base-salaries', { body: input })),
  addLocalPolicy: (input: LocalPolicyInput) => call<RuleBody>(client.POST('/api/premium/rules/local-policies', { body: input })),
};
