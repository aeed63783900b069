/**
 * Premium rules, groups and quotes, through the typed client; requests and answers are typed by the
 * OpenAPI document.
 */
import { call, client } from '../api/client';
import type { ApiBody, ApiResponse, Item } from '../api/types';

/** A participant group (đối tượng tham gia), e.g. HS 'Học sinh'. */
export type PremiumGroup = Item<ApiResponse<'/api/premium/groups', 'get'>>;
export type GroupRole = NonNullable<PremiumGroup['role']>;
export type QuoteResult = ApiResponse<'/api/premium/quote', 'post'>;
export type MemberQuote = Item<QuoteResult['members']>;
export type Amounts = QuoteResult['total'];
export type QuoteNote = Item<MemberQuote['notes']>;
export type QuoteNoteCode = QuoteNote['code'];
export type QuoteRequest = ApiBody<'/api/premium/quote', 'post'>;
export type QuoteMemberRequest = QuoteRequest['members'][number];
export type BaseSalaryInput = ApiBody<'/api/premium/rules/base-salaries', 'post'>;
export type LocalPolicyInput = ApiBody<'/api/premium/rules/local-policies', 'post'>;

/** Voluntary social insurance (BHXH tự nguyện): the second product. */
export type VsiQuoteRequest = ApiBody<'/api/premium/bhxh-tn/quote', 'post'>;
export type VsiQuoteResult = ApiResponse<'/api/premium/bhxh-tn/quote', 'post'>;
export type VsiMemberQuote = Item<VsiQuoteResult['members']>;
export type VsiGroup = VsiMemberQuote['group'];
type VsiRuleEntry = Item<ApiResponse<'/api/premium/bhxh-tn/rules', 'get'>['rules']>;
export type VsiRuleKind = VsiRuleEntry['kind'];
/** A voluntary social insurance rule as the pages read it: which fields are present depends on the kind. */
export type VsiRuleItem = Omit<VsiRuleEntry, 'rule'> & { rule: DatedRule & Partial<Intersection<VsiRuleEntry['rule']>> };
/** The support groups, highest support first. */
export const VSI_GROUPS: readonly VsiGroup[] = ['poor', 'island', 'near_poor', 'ethnic_minority', 'other'];

type RulesAnswer = ApiResponse<'/api/premium/rules', 'get'>;
/** The rules in force on a date (the answer without ?history=true). */
type RulesInForce = Extract<RulesAnswer, { rules: unknown }>;
type RulesHistory = Extract<RulesAnswer, { history: unknown }>;
type RuleEntry = Item<RulesInForce['rules']>;
export type RuleKind = RuleEntry['kind'];
export type RuleDescription = Omit<RuleEntry, 'rule'>;
/** What every rule entry carries. */
export type DatedRule = Pick<RuleEntry['rule'], 'id' | 'from' | 'to' | 'source' | 'uncertain' | 'note'>;

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
  premiumGroups: (date: string, signal?: AbortSignal) => call(client.GET('/api/premium/groups', { params: { query: { date } }, signal })),
  /** public: prices a payment, nothing is stored */
  quote: (input: QuoteRequest, signal?: AbortSignal) => call(client.POST('/api/premium/quote', { body: input, signal })),
  /** The answer's shape follows the query: the rules in force on a date, or (below) their whole history. */
  premiumRules: (date: string, signal?: AbortSignal): Promise<{ date: string; rules: RuleItem[] }> =>
    call(client.GET('/api/premium/rules', { params: { query: { date } }, signal })) as Promise<RulesInForce>,
  premiumRulesHistory: (signal?: AbortSignal): Promise<{ history: RuleItem[] }> =>
    call(client.GET('/api/premium/rules', { params: { query: { history: 'true' } }, signal })) as Promise<RulesHistory>,
  /** public: voluntary social insurance, nothing is stored */
  vsiQuote: (input: VsiQuoteRequest, signal?: AbortSignal) => call(client.POST('/api/premium/bhxh-tn/quote', { body: input, signal })),
  vsiRules: (date: string, signal?: AbortSignal): Promise<{ date: string; rules: VsiRuleItem[] }> =>
    call(client.GET('/api/premium/bhxh-tn/rules', { params: { query: { date } }, signal })) as Promise<{ date: string; rules: VsiRuleItem[] }>,
  addBaseSalary: (input: BaseSalaryInput) => call<RuleBody>(client.POST('/api/premium/rules/base-salaries', { body: input })),
  addLocalPolicy: (input: LocalPolicyInput) => call<RuleBody>(client.POST('/api/premium/rules/local-policies', { body: input })),
};
