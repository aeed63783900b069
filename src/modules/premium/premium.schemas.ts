import { z } from 'zod';
import { isIsoDate } from '../../domain/dates';
import { text } from '../../validation';

export const isoDate = z.string().refine(isIsoDate, { message: 'iso_date' });

export const quoteMemberInput = z
  .object({
    groups: z.array(z.string().max(20)).max(10),
    birthDate: z.string().max(10).optional(),
    province: z.string().max(3).optional(),
    previousCardTo: z.string().max(10).optional(),
    grade: z.number().int().optional(),
    /** Commune code of the member's household (local support limited to communes). */
    commune: z.string().max(20).optional(),
    /** Ethnicity as in the register (local support for ethnic minorities). */
    ethnicity: z.string().max(50).optional(),
  })
  .strict();

/** Types only here: the rules engine checks the values and names the field it refuses. */
export const quoteInput = z
  .object({
    date: z.string().max(10),
    months: z.number().int(),
    members: z.array(quoteMemberInput).max(200),
    enrolledThisYear: z.number().int().optional(),
    province: z.string().max(3).optional(),
  })
  .strict();

export const baseSalaryInput = z
  .object({
    from: isoDate,
    amount: z.number().int().positive().max(1_000_000_000),
    source: text(300),
    note: text(500).optional(),
    uncertain: z.boolean().optional(),
  })
  .strict();

export const localPolicyInput = z
  .object({
    province: z.string().min(2).max(3),
    nameVi: text(200),
    nameEn: text(200).optional(),
    groups: z.array(z.string().max(20)).max(30).optional(),
    ageFrom: z.number().int().min(0).max(150).optional(),
    ageBelow: z.number().int().min(1).max(151).optional(),
    /** Percent of what remains after the state share, e.g. 20 or 12.5. */
    percent: z.number().min(0).max(100),
    from: isoDate,
    to: isoDate.optional(),
    source: text(300),
    note: text(500).optional(),
    uncertain: z.boolean().optional(),
  })
  .strict();

export type QuoteRequest = z.input<typeof quoteInput>;
export type BaseSalaryInput = z.input<typeof baseSalaryInput>;
export type LocalPolicyInput = z.input<typeof localPolicyInput>;

// ---------------------------------------------------------------------------------------------------
// Answers: the rules (domain/premium-rules.ts) and quotes (domain/premium.ts) as the service gives them
// ---------------------------------------------------------------------------------------------------

/** What every rule entry carries; `to` is exclusive, absent: until a later entry of the same kind. */
const datedRule = {
  id: z.string(),
  from: z.string(),
  to: z.string().optional(),
  source: z.string(),
  uncertain: z.boolean().optional(),
  note: z.string().optional(),
};

/* Strict: a rule is one of these kinds exactly (the union takes the first that matches, and a plain object would strip what another kind has). */
export const baseSalaryRuleSchema = z.strictObject({ ...datedRule, amount: z.number() });
const premiumRateRule = z.strictObject({ ...datedRule, basisPoints: z.number() });
const householdFactorsRule = z.strictObject({ ...datedRule, factors: z.array(z.number()).readonly() });
const pricingBasisRule = z.strictObject({ ...datedRule, basis: z.enum(['payment-date', 'card-start']) });
export const participantGroupSchema = z.strictObject({
  ...datedRule,
  code: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  role: z.enum(['household', 'child-under-6', 'pupil']).optional(),
  firstTimeWait: z.boolean(),
  firstTimeWaitUncertain: z.boolean().optional(),
  ethnicMinority: z.boolean().optional(),
});
const stateShareRule = z.strictObject({ ...datedRule, group: z.string(), basisPoints: z.number() });
export const localPolicySchema = z.strictObject({
  ...datedRule,
  province: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  groups: z.array(z.string()).readonly().optional(),
  ageFrom: z.number().optional(),
  ageBelow: z.number().optional(),
  basisPoints: z.number(),
  base: z.enum(['remainder', 'premium']).optional(),
  amountPerYear: z.number().optional(),
  communes: z.array(z.string()).readonly().optional(),
  ethnicMinority: z.boolean().optional(),
});
const cardValidityRule = z.strictObject({
  ...datedRule,
  firstTimeWaitDays: z.number(),
  breakMonths: z.number(),
  childCardAgeMonths: z.number(),
  childCardCutoff: z.string(),
  pupilFirstGradeStart: z.string(),
  pupilFinalGrade: z.number(),
  pupilFinalGradeEnd: z.string(),
  schoolYearStart: z.string(),
});

export const RULE_KIND_NAMES = ['base-salary', 'premium-rate', 'household-factors', 'pricing-basis', 'group', 'state-share', 'local-policy', 'card-validity'] as const;

/** A rule as the rules page lists it (premium.service.ts RuleDescription). */
export const ruleDescriptionSchema = z.object({
  id: z.string(),
  kind: z.enum(RULE_KIND_NAMES),
  from: z.string(),
  to: z.string().optional(),
  source: z.string(),
  uncertain: z.boolean(),
  note: z.string().optional(),
});

/** A rule with its entry (of the kind it names). */
export const ruleItemSchema = ruleDescriptionSchema.extend({
  rule: z.union([baseSalaryRuleSchema, premiumRateRule, householdFactorsRule, pricingBasisRule, participantGroupSchema, stateShareRule, localPolicySchema, cardValidityRule]),
});

export const rulesAnswerSchema = z.union([z.object({ date: z.string(), rules: z.array(ruleItemSchema) }), z.object({ history: z.array(ruleItemSchema) })]);

const amounts = { premium: z.number(), state: z.number(), local: z.number(), payable: z.number() };

export const quoteNoteSchema = z.object({
  code: z.enum(['auto_child_under_6', 'base_salary_changes_in_period', 'local_policy_needs_birth_date', 'child_card_end_unknown', 'first_time_wait_uncertain']),
  message: z.string(),
});

export const memberQuoteSchema = z.object({
  ...amounts,
  group: z.string(),
  order: z.number().nullable(),
  baseSalary: z.number(),
  fullPremium: z.number(),
  householdFactor: z.number().nullable(),
  stateBasisPoints: z.number(),
  localBasisPoints: z.number(),
  validFrom: z.string(),
  validTo: z.string(),
  continuous: z.boolean(),
  ruleIds: z.array(z.string()),
  uncertainRuleIds: z.array(z.string()),
  notes: z.array(quoteNoteSchema),
});

/** A priced payment with the rules used, each with its entry (premium.service.ts QuoteWithRules). */
export const quoteSchema = z.object({
  date: z.string(),
  months: z.number(),
  members: z.array(memberQuoteSchema),
  total: z.object(amounts),
  ruleIds: z.array(z.string()),
  uncertainRuleIds: z.array(z.string()),
  rules: z.array(ruleItemSchema),
});

// ---------------------------------------------------------------------------------------------------
// Voluntary social insurance (BHXH tự nguyện): domain/voluntary-si.ts and voluntary-si-rules.ts
// ---------------------------------------------------------------------------------------------------

export const VSI_GROUP_NAMES = ['poor', 'near_poor', 'ethnic_minority', 'island', 'other'] as const;

/** Types only here, like the BHYT quote: the engine checks the values and names the field it refuses. */
export const vsiQuoteInput = z
  .object({
    date: z.string().max(10),
    /** Payment period: 1, 3, 6 or 12. */
    months: z.number().int(),
    members: z
      .array(
        z
          .object({
            groups: z.array(z.string().max(20)).max(5),
            /** Monthly income chosen, dong; default the lowest (the rural poverty line). */
            income: z.number().int().optional(),
            province: z.string().max(3).optional(),
            supportMonthsUsed: z.number().int().optional(),
          })
          .strict(),
      )
      .max(200),
    province: z.string().max(3).optional(),
  })
  .strict();
export type VsiQuoteRequest = z.input<typeof vsiQuoteInput>;

const vsiContributionRateRule = z.strictObject({ ...datedRule, basisPoints: z.number() });
const povertyLineRule = z.strictObject({ ...datedRule, amount: z.number() });
const incomeCeilingRule = z.strictObject({ ...datedRule, baseSalaryMultiple: z.number() });
const vsiStateSupportRule = z.strictObject({ ...datedRule, group: z.enum(VSI_GROUP_NAMES), basisPoints: z.number() });
const vsiTermsRule = z.strictObject({ ...datedRule, maxSupportMonths: z.number(), paymentPeriods: z.array(z.number()).readonly() });
const vsiLocalTopUp = z.strictObject({
  ...datedRule,
  province: z.string(),
  nameVi: z.string(),
  nameEn: z.string(),
  groups: z.array(z.enum(VSI_GROUP_NAMES)).readonly().optional(),
  basisPoints: z.number(),
});

export const VSI_RULE_KIND_NAMES = ['vsi-contribution-rate', 'vsi-poverty-line', 'vsi-income-ceiling', 'vsi-state-support', 'vsi-terms', 'vsi-local-top-up'] as const;

export const vsiRuleItemSchema = ruleDescriptionSchema.extend({
  kind: z.enum(VSI_RULE_KIND_NAMES),
  rule: z.union([vsiStateSupportRule, vsiTermsRule, vsiLocalTopUp, povertyLineRule, incomeCeilingRule, vsiContributionRateRule]),
});

export const vsiRulesAnswerSchema = z.object({ date: z.string(), rules: z.array(vsiRuleItemSchema) });

export const vsiMemberQuoteSchema = z.object({
  ...amounts,
  group: z.enum(VSI_GROUP_NAMES),
  order: z.number().nullable(),
  income: z.number(),
  minIncome: z.number(),
  maxIncome: z.number(),
  rateBasisPoints: z.number(),
  stateBasisPoints: z.number(),
  localBasisPoints: z.number(),
  supportMonths: z.number(),
  validFrom: z.string(),
  validTo: z.string(),
  ruleIds: z.array(z.string()),
  uncertainRuleIds: z.array(z.string()),
  notes: z.array(z.object({ code: z.enum(['support_months_capped', 'income_default_minimum']), message: z.string() })),
});

/** A priced voluntary social insurance payment, with the rules used (premium.service.ts VsiQuoteWithRules). */
export const vsiQuoteSchema = z.object({
  product: z.literal('bhxh-tn'),
  date: z.string(),
  months: z.number(),
  members: z.array(vsiMemberQuoteSchema),
  total: z.object(amounts),
  ruleIds: z.array(z.string()),
  uncertainRuleIds: z.array(z.string()),
  rules: z.array(vsiRuleItemSchema),
});
