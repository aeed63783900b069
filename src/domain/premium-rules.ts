/**
 * BHYT premium, subsidy and card rules as dated data (reference: shared/reference/bhyt-rules.md).
 *
 * Every rule that the law or a local resolution can change is an entry here with a stable `id`, the
 * dates it applies, its legal source and, where the facts are not settled, `uncertain: true`. The engine
 * (`premium.ts`) takes a `RuleSet` as an argument and never reads this module's defaults by itself, so
 * entries that admins add later (new base salaries, local support policies stored in the database) are
 * merged with `mergeRules(DEFAULT_RULES, additions)` and passed in.
 *
 * Date ranges: `from` is inclusive, `to` is EXCLUSIVE (the first day the entry no longer applies, which
 * is the `from` of its successor). For the single-valued kinds (base salary, premium rate, household
 * factors, pricing basis, card validity, one group's state share) an entry without `to` stays in force
 * until a later entry of the same kind begins: adding a new base salary never requires editing the old
 * one. On a given date the entry in force is the one with the latest `from` among those that cover it.
 *
 * Percentages are basis points (10000 = 100%); money is integer dong.
 */
import { isIsoDate, type IsoDate } from './dates';
import { vnd, type Vnd } from './money';

// ---------------------------------------------------------------------------------------------------
// Errors
// ---------------------------------------------------------------------------------------------------

/** Stable error codes: callers (HTTP, CLI, i18n) key their messages on these. */
export type RuleErrorCode =
  | 'invalid_date'
  | 'months_out_of_range'
  | 'no_members'
  | 'missing_group'
  | 'unknown_group'
  | 'group_not_in_force'
  | 'not_eligible'
  | 'invalid_grade'
  | 'enrolled_out_of_range'
  | 'date_before_first_base_salary'
  | 'no_rule_in_force'
  | 'invalid_rules'
  // Voluntary social insurance (voluntary-si.ts)
  | 'invalid_income'
  | 'income_below_floor'
  | 'income_above_ceiling'
  | 'payment_period_invalid'
  | 'support_months_out_of_range';

/**
 * The engine refuses rather than return a wrong number. `field` is the path of the offending input,
 * e.g. 'members[2].groups[0]', 'months', 'date' (for 'invalid_rules': the rule id and its field).
 */
export class RuleError extends Error {
  readonly code: RuleErrorCode;
  readonly field: string;
  /** Values the message names (e.g. the floor and ceiling of an income), for the i18n catalogue. */
  readonly params: Readonly<Record<string, string | number>>;

  constructor(code: RuleErrorCode, field: string, message: string, params: Record<string, string | number> = {}) {
    super(message);
    this.name = 'RuleError';
    this.code = code;
    this.field = field;
    this.params = params;
  }
}

// ---------------------------------------------------------------------------------------------------
// Types
// ---------------------------------------------------------------------------------------------------

/** 10000 = 100%. */
export type BasisPoints = number;

/** What every rule entry carries. */
export interface DatedRule {
  /** Stable id recorded on quotes, e.g. 'base-salary-2024-07-01'. Never reuse an id for another value. */
  readonly id: string;
  /** First day the entry applies (inclusive). */
  readonly from: IsoDate;
  /** First day the entry no longer applies (EXCLUSIVE). Absent: until a later entry of the same kind. */
  readonly to?: IsoDate;
  /** Legal basis (decree, law, resolution), as text for people. */
  readonly source: string;
  /** The fact is not settled (conflicting sources, unconfirmed number): the UI must flag it. */
  readonly uncertain?: boolean;
  readonly note?: string;
}

/** Mức lương cơ sở, dong per month. */
export interface BaseSalaryRule extends DatedRule {
  readonly amount: Vnd;
}

/** The premium as a share of the base salary per month (4.5% = 450). */
export interface PremiumRateRule extends DatedRule {
  readonly basisPoints: BasisPoints;
}

/**
 * Household-mode reduction: factor for the 1st, 2nd, ... member who joins in household mode in a
 * calendar year, as a share of the first member's premium. The last factor applies to every later member.
 */
export interface HouseholdFactorsRule extends DatedRule {
  readonly factors: readonly BasisPoints[];
}

/**
 * Which day's base salary and premium rate price a period that straddles a change:
 * 'payment-date' (the working rule) or 'card-start' (the day the card becomes valid).
 */
export type PricingBasis = 'payment-date' | 'card-start';

export interface PricingBasisRule extends DatedRule {
  readonly basis: PricingBasis;
}

/**
 * Roles the engine gives special treatment; a group without a role is priced plainly.
 * - household: counts in the household order and gets the household factors (GD).
 * - child-under-6: added automatically when the birth date shows the person is under 6; card to age 6 (TE).
 * - pupil: grade 1 / final grade card dates (HS).
 */
export type GroupRole = 'household' | 'child-under-6' | 'pupil';

/** A participant group (đối tượng tham gia), e.g. HS 'Học sinh'. */
export interface ParticipantGroup extends DatedRule {
  /** Group code as written on cards and in lists (Decision 1351/QĐ-BHXH), or a provisional internal code. */
  readonly code: string;
  readonly nameVi: string;
  readonly nameEn: string;
  readonly role?: GroupRole;
  /** A first-time participant (or one back after a break of 3+ months) waits 30 days for the card. */
  readonly firstTimeWait: boolean;
  /** The wait flag itself is not settled for this group. */
  readonly firstTimeWaitUncertain?: boolean;
  /** Only ethnic minority persons belong to it (DT: in a difficult area): a member counts as one even with no ethnicity in the register. */
  readonly ethnicMinority?: boolean;
}

/** Share of the premium paid by the state budget for a group. */
export interface StateShareRule extends DatedRule {
  readonly group: string;
  readonly basisPoints: BasisPoints;
}

/**
 * Local (provincial) support by resolution of the People's Council, applied to what remains after the
 * state share. A policy applies to a person who lives in `province`, belongs to one of `groups` (any
 * group when absent) and whose age on the payment date is in [ageFrom, ageBelow) when those are given.
 */
export interface LocalPolicy extends DatedRule {
  /** Province code, e.g. '79' Ho Chi Minh City. */
  readonly province: string;
  readonly nameVi: string;
  readonly nameEn: string;
  readonly groups?: readonly string[];
  /** Completed years, inclusive. */
  readonly ageFrom?: number;
  /** Completed years, exclusive. */
  readonly ageBelow?: number;
  /**
   * The support as a share: of the remainder after the state share (`base` absent or 'remainder'), or of
   * the member's premium (`base` 'premium', the simulator's "% of the premium"). 0 with `amountPerYear`.
   */
  readonly basisPoints: BasisPoints;
  readonly base?: 'remainder' | 'premium';
  /** A fixed amount per person for 12 months (pro rata for fewer months), instead of a share. */
  readonly amountPerYear?: Vnd;
  /** Only members of households of these communes (codes); any commune when absent. */
  readonly communes?: readonly string[];
  /** Only members of an ethnic minority (an ethnicity given and not Kinh). */
  readonly ethnicMinority?: boolean;
}

/** 'MM-DD' within a year. */
export type MonthDay = string;

/** When a card starts and ends. */
export interface CardValidityRule extends DatedRule {
  /** Days a first-time participant waits (for groups with `firstTimeWait`). */
  readonly firstTimeWaitDays: number;
  /** A break of this many months or more counts as starting again. */
  readonly breakMonths: number;
  /** Children's card runs until they are this many months old (rounded as below). */
  readonly childCardAgeMonths: number;
  /** Born on or before this day of the year: card to this day of the year they reach the age; else to month end. */
  readonly childCardCutoff: MonthDay;
  /** Grade 1 pupils' card starts on this day of the first school year. */
  readonly pupilFirstGradeStart: MonthDay;
  /** The final grade. */
  readonly pupilFinalGrade: number;
  /** The final-grade pupils' card ends on this day of the year they finish school. */
  readonly pupilFinalGradeEnd: MonthDay;
  /**
   * A pupil's `grade` given on or after this day of the year refers to the school year that starts in
   * that calendar year; before it, to the school year that started the year before.
   */
  readonly schoolYearStart: MonthDay;
}

/** All the rules the engine uses. Each list may hold defaults and admin additions. */
export interface RuleSet {
  readonly baseSalaries: readonly BaseSalaryRule[];
  readonly premiumRates: readonly PremiumRateRule[];
  readonly householdFactors: readonly HouseholdFactorsRule[];
  readonly pricingBasis: readonly PricingBasisRule[];
  readonly groups: readonly ParticipantGroup[];
  readonly stateShares: readonly StateShareRule[];
  readonly localPolicies: readonly LocalPolicy[];
  readonly cardValidity: readonly CardValidityRule[];
}

/** One entry of any kind, tagged, for the staff "rules page" and for history. */
export type RuleEntry =
  | { readonly kind: 'base-salary'; readonly rule: BaseSalaryRule }
  | { readonly kind: 'premium-rate'; readonly rule: PremiumRateRule }
  | { readonly kind: 'household-factors'; readonly rule: HouseholdFactorsRule }
  | { readonly kind: 'pricing-basis'; readonly rule: PricingBasisRule }
  | { readonly kind: 'group'; readonly rule: ParticipantGroup }
  | { readonly kind: 'state-share'; readonly rule: StateShareRule }
  | { readonly kind: 'local-policy'; readonly rule: LocalPolicy }
  | { readonly kind: 'card-validity'; readonly rule: CardValidityRule };

export type RuleKind = RuleEntry['kind'];

/** The RuleSet list that holds each kind, in the order the rules page shows them. */
export const RULE_KINDS: ReadonlyArray<readonly [RuleKind, keyof RuleSet]> = [
  ['base-salary', 'baseSalaries'],
  ['premium-rate', 'premiumRates'],
  ['household-factors', 'householdFactors'],
  ['pricing-basis', 'pricingBasis'],
  ['group', 'groups'],
  ['state-share', 'stateShares'],
  ['local-policy', 'localPolicies'],
  ['card-validity', 'cardValidity'],
];

// ---------------------------------------------------------------------------------------------------
// Default data
// ---------------------------------------------------------------------------------------------------

/** Decree 146/2018/NĐ-CP (in force 2018-12-01) detailed the Law; Decree 188/2025/NĐ-CP replaced it on 2025-08-15. */
const DECREE_146 = 'Decree 146/2018/NĐ-CP';
const DECREE_188 = 'Decree 188/2025/NĐ-CP';
const LAW = 'Law on Health Insurance 25/2008/QH12, amended by Law 46/2014/QH13 and Law 51/2024/QH15';
/** The earliest date the default data speaks for (Decree 146/2018/NĐ-CP in force). */
const SINCE = '2018-12-01';
/** Law 51/2024/QH15 in force: new state-paid and state-supported groups. */
const AMENDED_LAW = '2025-07-01';
const STATE_PAID_SOURCE = `${LAW}; ${DECREE_146}; ${DECREE_188} (groups paid in full by the state budget)`;
const NEW_GROUP_SOURCE = `Law 51/2024/QH15 (in force 2025-07-01); ${DECREE_188}`;
const PROVISIONAL_CODE_NOTE =
  'Provisional internal code: the official group code for this post-2025 group is not confirmed.';

const baseSalaries: BaseSalaryRule[] = [
  {
    id: 'base-salary-2019-07-01',
    from: '2019-07-01',
    to: '2023-07-01',
    amount: vnd(1_490_000),
    source: 'Decree 38/2019/NĐ-CP',
  },
  {
    id: 'base-salary-2023-07-01',
    from: '2023-07-01',
    to: '2024-07-01',
    amount: vnd(1_800_000),
    source: 'Decree 24/2023/NĐ-CP',
  },
  {
    id: 'base-salary-2024-07-01',
    from: '2024-07-01',
    to: '2026-07-01',
    amount: vnd(2_340_000),
    source: 'Decree 73/2024/NĐ-CP',
  },
  {
    id: 'base-salary-2026-07-01',
    from: '2026-07-01',
    amount: vnd(2_530_000),
    source: 'Decree 161/2026/NĐ-CP',
    uncertain: true,
    note: 'The decree number comes from a single source; check it against the official gazette.',
  },
];

const premiumRates: PremiumRateRule[] = [
  {
    id: 'premium-rate-2018-12-01',
    from: SINCE,
    to: '2025-08-15',
    basisPoints: 450,
    source: `${LAW}; ${DECREE_146}`,
    note: '4.5% of the base salary per month for self-paying and state-supported groups.',
  },
  {
    id: 'premium-rate-2025-08-15',
    from: '2025-08-15',
    basisPoints: 450,
    source: `${LAW}; ${DECREE_188}`,
    note: '4.5% of the base salary per month for self-paying and state-supported groups.',
  },
];

const HOUSEHOLD_FACTORS: readonly BasisPoints[] = [10_000, 7_000, 6_000, 5_000, 4_000];
const HOUSEHOLD_NOTE =
  'Members who join in household mode in the same calendar year pay, in order of joining, 100%, 70%, 60%, ' +
  '50%, and 40% from the 5th on, of the first member\'s premium. Members in other groups do not count.';

const householdFactors: HouseholdFactorsRule[] = [
  {
    id: 'household-factors-2018-12-01',
    from: SINCE,
    to: '2025-08-15',
    factors: HOUSEHOLD_FACTORS,
    source: `${LAW}; ${DECREE_146}`,
    note: HOUSEHOLD_NOTE,
  },
  {
    id: 'household-factors-2025-08-15',
    from: '2025-08-15',
    factors: HOUSEHOLD_FACTORS,
    source: `${LAW}; ${DECREE_188}`,
    note: HOUSEHOLD_NOTE,
  },
];

const pricingBasis: PricingBasisRule[] = [
  {
    id: 'pricing-basis-2019-07-01',
    from: '2019-07-01',
    basis: 'payment-date',
    source: 'Working rule of this software (no explicit legal text found)',
    uncertain: true,
    note:
      'A period that straddles a base-salary change is priced entirely at the base salary in force on the ' +
      'payment date. Switch to basis "card-start" with a new dated entry if the social insurance office ' +
      'prices by the card start date.',
  },
];

type GroupData = Omit<ParticipantGroup, 'id' | 'from' | 'source'> & { from?: IsoDate; source?: string };

/** A group entry with the conventional id 'group-<code>'. */
function group(data: GroupData): ParticipantGroup {
  return { id: `group-${data.code}`, from: SINCE, source: `${LAW}; Decision 1351/QĐ-BHXH (group codes)`, ...data };
}

const groups: ParticipantGroup[] = [
  // Fully paid by the state budget.
  group({ code: 'HN', nameVi: 'Hộ nghèo', nameEn: 'Poor household', firstTimeWait: false }),
  group({
    code: 'DT',
    nameVi: 'Người dân tộc thiểu số vùng khó khăn',
    nameEn: 'Ethnic minority person living in a difficult area',
    firstTimeWait: false,
    ethnicMinority: true,
  }),
  group({
    code: 'DK',
    nameVi: 'Người sống ở vùng đặc biệt khó khăn',
    nameEn: 'Person living in an extremely difficult area',
    firstTimeWait: false,
  }),
  group({
    code: 'XD',
    nameVi: 'Người sống ở xã đảo, huyện đảo',
    nameEn: 'Person living in an island commune or island district',
    firstTimeWait: false,
  }),
  group({
    code: 'TE',
    nameVi: 'Trẻ em dưới 6 tuổi',
    nameEn: 'Child under 6',
    role: 'child-under-6',
    firstTimeWait: false,
    note: 'Added automatically when the birth date shows the person is under 6 on the payment date.',
  }),
  group({
    code: 'BT',
    nameVi: 'Bảo trợ xã hội',
    nameEn: 'Monthly social-protection beneficiary',
    firstTimeWait: false,
  }),
  group({ code: 'CC', nameVi: 'Người có công với cách mạng', nameEn: 'Person with meritorious service to the revolution', firstTimeWait: false }),
  group({
    code: 'CK',
    nameVi: 'Người có công với cách mạng khác (không thuộc mã CC)',
    nameEn: 'Other person with meritorious service (not coded CC)',
    firstTimeWait: false,
  }),
  group({ code: 'CB', nameVi: 'Cựu chiến binh', nameEn: 'Veteran', firstTimeWait: false }),
  group({
    code: 'KC',
    nameVi: 'Người trực tiếp tham gia kháng chiến, chiến tranh bảo vệ Tổ quốc',
    nameEn: 'Person who took part directly in the resistance wars or in defending the Fatherland',
    firstTimeWait: false,
  }),
  // State-paid since the amended law (codes provisional).
  group({
    code: 'MILITIA',
    nameVi: 'Dân quân thường trực',
    nameEn: 'Regular militia member',
    firstTimeWait: false,
    from: AMENDED_LAW,
    source: NEW_GROUP_SOURCE,
    uncertain: true,
    note: PROVISIONAL_CODE_NOTE,
  }),
  group({
    code: 'SURVIVOR-75',
    nameVi: 'Người từ đủ 75 tuổi hưởng trợ cấp tuất hằng tháng (từ đủ 70 tuổi nếu thuộc hộ cận nghèo)',
    nameEn: 'Person aged 75+ (70+ if near-poor) receiving a monthly survivorship allowance',
    firstTimeWait: false,
    from: AMENDED_LAW,
    source: NEW_GROUP_SOURCE,
    uncertain: true,
    note: `${PROVISIONAL_CODE_NOTE} The age condition is not checked by the engine: list the group only for people who meet it.`,
  }),
  group({
    code: 'SOCIAL-PENSION',
    nameVi: 'Người hưởng trợ cấp hưu trí xã hội hằng tháng',
    nameEn: 'Person receiving the monthly social pension',
    firstTimeWait: false,
    from: AMENDED_LAW,
    source: NEW_GROUP_SOURCE,
    uncertain: true,
    note: PROVISIONAL_CODE_NOTE,
  }),
  group({
    code: 'CN-POOR-COMMUNE',
    nameVi: 'Người thuộc hộ cận nghèo sinh sống tại xã nghèo',
    nameEn: 'Member of a near-poor household living in a poor commune',
    firstTimeWait: false,
    from: AMENDED_LAW,
    source: NEW_GROUP_SOURCE,
    uncertain: true,
    note: PROVISIONAL_CODE_NOTE,
  }),
  // Partly supported by the state budget.
  group({
    code: 'CN',
    nameVi: 'Hộ cận nghèo',
    nameEn: 'Near-poor household',
    firstTimeWait: true,
    firstTimeWaitUncertain: true,
  }),
  group({
    code: 'HS',
    nameVi: 'Học sinh',
    nameEn: 'Pupil',
    role: 'pupil',
    firstTimeWait: false,
    firstTimeWaitUncertain: true,
    note: 'Grade 1 cards start on 1 October and grade 12 cards end on 30 September (fixed dates, so no wait assumed).',
  }),
  group({
    code: 'SV',
    nameVi: 'Sinh viên',
    nameEn: 'Student',
    firstTimeWait: false,
    firstTimeWaitUncertain: true,
    note:
      'First-year students\' cards start on the enrolment date and final-year students\' cards end on the last ' +
      'day of the month the course ends: give those dates as the period (not computed by the engine).',
  }),
  group({
    code: 'DT-FORMER',
    nameVi: 'Người dân tộc thiểu số sinh sống tại xã ra khỏi vùng khó khăn',
    nameEn: 'Ethnic minority person in a commune that left the difficult-area list',
    firstTimeWait: false,
    ethnicMinority: true,
    firstTimeWaitUncertain: true,
    uncertain: true,
    note:
      `${PROVISIONAL_CODE_NOTE} The state pays 70% for 36 months after the commune leaves the list; the engine ` +
      'does not count the 36 months: list the group only within them.',
  }),
  group({
    code: 'GB',
    nameVi: 'Hộ nông, lâm, ngư nghiệp có mức sống trung bình',
    nameEn: 'Agriculture, forestry or fishery household with an average living standard',
    firstTimeWait: true,
    firstTimeWaitUncertain: true,
  }),
  group({
    code: 'SECURITY-FORCE',
    nameVi: 'Người tham gia lực lượng bảo vệ an ninh, trật tự ở cơ sở',
    nameEn: 'Member of the grassroots security and order force',
    firstTimeWait: true,
    firstTimeWaitUncertain: true,
    from: AMENDED_LAW,
    source: NEW_GROUP_SOURCE,
    uncertain: true,
    note: PROVISIONAL_CODE_NOTE,
  }),
  group({
    code: 'VILLAGE-HEALTH',
    nameVi: 'Nhân viên y tế thôn, bản',
    nameEn: 'Village health worker',
    firstTimeWait: true,
    firstTimeWaitUncertain: true,
    from: AMENDED_LAW,
    source: NEW_GROUP_SOURCE,
    uncertain: true,
    note: PROVISIONAL_CODE_NOTE,
  }),
  group({
    code: 'VILLAGE-WORKER',
    nameVi: 'Người hoạt động không chuyên trách ở thôn, tổ dân phố',
    nameEn: 'Part-time worker of a village or residential group',
    firstTimeWait: true,
    firstTimeWaitUncertain: true,
    from: AMENDED_LAW,
    source: NEW_GROUP_SOURCE,
    uncertain: true,
    note: PROVISIONAL_CODE_NOTE,
  }),
  group({
    code: 'ARTISAN',
    nameVi: 'Nghệ nhân nhân dân, nghệ nhân ưu tú',
    nameEn: 'People\'s or meritorious artisan',
    firstTimeWait: true,
    firstTimeWaitUncertain: true,
    from: AMENDED_LAW,
    source: NEW_GROUP_SOURCE,
    uncertain: true,
    note: `${PROVISIONAL_CODE_NOTE} Income conditions may apply; they are not checked by the engine.`,
  }),
  group({
    code: 'TRAFFICKING-VICTIM',
    nameVi: 'Nạn nhân bị mua bán người',
    nameEn: 'Victim of human trafficking',
    firstTimeWait: true,
    firstTimeWaitUncertain: true,
    from: AMENDED_LAW,
    source: NEW_GROUP_SOURCE,
    uncertain: true,
    note: `${PROVISIONAL_CODE_NOTE} Supported for 12 months; the engine does not count them.`,
  }),
  // Household mode: the participant pays it all.
  group({
    code: 'GD',
    nameVi: 'Hộ gia đình',
    nameEn: 'Household',
    role: 'household',
    firstTimeWait: true,
  }),
];

type ShareData = Omit<StateShareRule, 'id' | 'source' | 'from'> & { from?: IsoDate; source: string };

/** A state-share entry with the conventional id 'state-share-<group>-<from>'. */
function share(data: ShareData): StateShareRule {
  const from = data.from ?? SINCE;
  return { id: `state-share-${data.group}-${from}`, ...data, from };
}

const FULLY_STATE_PAID = ['HN', 'DT', 'DK', 'XD', 'TE', 'BT', 'CC', 'CK', 'CB', 'KC'];
const STATE_PAID_SINCE_2025 = ['MILITIA', 'SURVIVOR-75', 'SOCIAL-PENSION', 'CN-POOR-COMMUNE'];
const HALF_SUPPORTED_SINCE_2025 = ['SECURITY-FORCE', 'VILLAGE-HEALTH', 'VILLAGE-WORKER', 'ARTISAN', 'TRAFFICKING-VICTIM'];
const MINIMUM_SHARE_NOTE = 'Minimum state share; the province may add local support.';

const stateShares: StateShareRule[] = [
  ...FULLY_STATE_PAID.map((code) => share({ group: code, basisPoints: 10_000, source: STATE_PAID_SOURCE })),
  ...STATE_PAID_SINCE_2025.map((code) =>
    share({ group: code, basisPoints: 10_000, from: AMENDED_LAW, source: NEW_GROUP_SOURCE }),
  ),
  share({ group: 'CN', basisPoints: 7_000, source: `${DECREE_146}; ${DECREE_188}`, note: MINIMUM_SHARE_NOTE }),
  ...['HS', 'SV'].flatMap((code) => [
    share({
      group: code,
      basisPoints: 3_000,
      to: AMENDED_LAW,
      source: DECREE_146,
      note: MINIMUM_SHARE_NOTE,
    }),
    share({
      group: code,
      basisPoints: 5_000,
      from: AMENDED_LAW,
      source: `Law 51/2024/QH15; ${DECREE_188} (applies from 2025-07-01)`,
      note: MINIMUM_SHARE_NOTE,
    }),
  ]),
  share({
    group: 'DT-FORMER',
    basisPoints: 7_000,
    source: `${DECREE_146} as amended; ${DECREE_188}`,
    note: '70% for 36 months after the commune leaves the difficult-area list.',
  }),
  share({
    group: 'GB',
    basisPoints: 3_000,
    source: `${DECREE_146}; ${DECREE_188}`,
    uncertain: true,
    note: 'One source says 50%. Minimum state share; the province may add local support.',
  }),
  ...HALF_SUPPORTED_SINCE_2025.map((code) =>
    share({ group: code, basisPoints: 5_000, from: AMENDED_LAW, source: NEW_GROUP_SOURCE, note: MINIMUM_SHARE_NOTE }),
  ),
  share({
    group: 'GD',
    basisPoints: 0,
    source: LAW,
    note: 'Household mode: no state share; the household factors reduce the premium instead.',
  }),
];

const EXAMPLE_LOCAL_NOTE =
  'EXAMPLE data: the resolution number, the exact groups and the age bounds are not verified. Replace with ' +
  'the province\'s resolution before relying on it.';

const localPolicies: LocalPolicy[] = [
  {
    id: 'local-79-HS-2026-01-01',
    province: '79',
    nameVi: 'TP. Hồ Chí Minh hỗ trợ 100% phần còn lại cho học sinh',
    nameEn: 'Ho Chi Minh City pays 100% of the remainder for pupils',
    groups: ['HS'],
    basisPoints: 10_000,
    from: '2026-01-01',
    source: 'Resolution of the Ho Chi Minh City People\'s Council (number not verified)',
    uncertain: true,
    note: EXAMPLE_LOCAL_NOTE,
  },
  {
    id: 'local-79-age-65-75-2026-01-01',
    province: '79',
    nameVi: 'TP. Hồ Chí Minh hỗ trợ 100% cho người từ đủ 65 tuổi đến dưới 75 tuổi',
    nameEn: 'Ho Chi Minh City pays 100% of the remainder for people aged 65 to under 75',
    ageFrom: 65,
    ageBelow: 75,
    basisPoints: 10_000,
    from: '2026-01-01',
    source: 'Resolution of the Ho Chi Minh City People\'s Council (number not verified)',
    uncertain: true,
    note: `${EXAMPLE_LOCAL_NOTE} "Not otherwise covered" is the caller's check; the upper bound (75 excluded) is assumed.`,
  },
];

const cardValidity: CardValidityRule[] = [
  {
    id: 'card-validity-2018-12-01',
    from: SINCE,
    firstTimeWaitDays: 30,
    breakMonths: 3,
    childCardAgeMonths: 72,
    childCardCutoff: '09-30',
    pupilFirstGradeStart: '10-01',
    pupilFinalGrade: 12,
    pupilFinalGradeEnd: '09-30',
    schoolYearStart: '08-01',
    source: `${LAW}; ${DECREE_146}; ${DECREE_188}`,
    note:
      'Continuous participants: from the payment date, or from the day after the old card expires when paying ' +
      'before it; a break under 3 months is still continuous. First time or after a break of 3+ months: 30 days ' +
      'after payment for groups with the wait flag. Working convention (not from the law): a pupil\'s grade ' +
      'given from 1 August refers to the school year starting that year.',
  },
];

/** The rule set shipped with the software. Merge admin additions with `mergeRules`. */
export const DEFAULT_RULES: RuleSet = deepFreeze({
  baseSalaries,
  premiumRates,
  householdFactors,
  pricingBasis,
  groups,
  stateShares,
  localPolicies,
  cardValidity,
});

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

// ---------------------------------------------------------------------------------------------------
// Look-ups
// ---------------------------------------------------------------------------------------------------

/** `from <= date < to` (no `to`: open-ended). */
export function covers(rule: DatedRule, date: IsoDate): boolean {
  return rule.from <= date && (rule.to === undefined || date < rule.to);
}

/**
 * The entry in force on `date` among entries of ONE single-valued kind: the latest `from` among those
 * that cover the date (an open-ended entry is superseded by a later one). Undefined when none applies.
 */
export function entryInForce<T extends DatedRule>(entries: readonly T[], date: IsoDate): T | undefined {
  let best: T | undefined;
  for (const entry of entries) {
    if (covers(entry, date) && (best === undefined || entry.from >= best.from)) best = entry;
  }
  return best;
}

export const baseSalaryOn = (rules: RuleSet, date: IsoDate) => entryInForce(rules.baseSalaries, date);
export const premiumRateOn = (rules: RuleSet, date: IsoDate) => entryInForce(rules.premiumRates, date);
export const householdFactorsOn = (rules: RuleSet, date: IsoDate) => entryInForce(rules.householdFactors, date);
export const pricingBasisOn = (rules: RuleSet, date: IsoDate) => entryInForce(rules.pricingBasis, date);
export const cardValidityOn = (rules: RuleSet, date: IsoDate) => entryInForce(rules.cardValidity, date);

/** The first day any base salary is known: quotes before it are refused. */
export function firstBaseSalaryDate(rules: RuleSet): IsoDate | undefined {
  return indexOf(rules).firstBaseSalary;
}

/**
 * A rule set's entries by group code and role, made once per rule set (rule sets are never changed:
 * mergeRules makes a new one): a list prices tens of thousands of members, each looking up its groups
 * and their shares several times, and filtering every entry for each look-up was most of the work.
 */
interface RuleIndex {
  groupsByCode: Map<string, ParticipantGroup[]>;
  groupsByRole: Map<string, ParticipantGroup[]>;
  sharesByGroup: Map<string, StateShareRule[]>;
  firstBaseSalary: IsoDate | undefined;
}

const indexes = new WeakMap<RuleSet, RuleIndex>();

function indexOf(rules: RuleSet): RuleIndex {
  let index = indexes.get(rules);
  if (index) return index;
  const by = <T, K>(list: readonly T[], key: (t: T) => K | undefined) => {
    const m = new Map<K, T[]>();
    for (const t of list) {
      const k = key(t);
      if (k === undefined) continue;
      const own = m.get(k);
      if (own) own.push(t);
      else m.set(k, [t]);
    }
    return m;
  };
  index = {
    groupsByCode: by(rules.groups, (g) => g.code),
    groupsByRole: by(rules.groups, (g) => g.role),
    sharesByGroup: by(rules.stateShares, (s) => s.group),
    firstBaseSalary: rules.baseSalaries.reduce<IsoDate | undefined>((first, r) => (first === undefined || r.from < first ? r.from : first), undefined),
  };
  indexes.set(rules, index);
  return index;
}

/** Is `code` a group in the rule set (on any date)? */
export function isKnownGroup(rules: RuleSet, code: string): boolean {
  return indexOf(rules).groupsByCode.has(code);
}

/** The group definition in force on `date`. */
export function groupOn(rules: RuleSet, code: string, date: IsoDate): ParticipantGroup | undefined {
  const entries = indexOf(rules).groupsByCode.get(code);
  return entries && entryInForce(entries, date);
}

/** The group with a role (e.g. 'child-under-6') in force on `date`. */
/** Codes of the groups in force on `date` whose members are ethnic minority persons by definition (DT, DT-FORMER). */
export function ethnicMinorityGroupCodes(rules: RuleSet, date: IsoDate): string[] {
  return [...new Set(rules.groups.filter((g) => g.ethnicMinority).map((g) => g.code))].filter((code) => groupOn(rules, code, date)?.ethnicMinority);
}

export function groupWithRoleOn(rules: RuleSet, role: GroupRole, date: IsoDate): ParticipantGroup | undefined {
  const entries = indexOf(rules).groupsByRole.get(role);
  return entries && entryInForce(entries, date);
}

/** The state share of a group in force on `date`. */
export function stateShareOn(rules: RuleSet, code: string, date: IsoDate): StateShareRule | undefined {
  const entries = indexOf(rules).sharesByGroup.get(code);
  return entries && entryInForce(entries, date);
}

/** A group the state pays in full on `date`: route it to state enrolment, a donor never needs to pay. */
export function isFullyStateFunded(rules: RuleSet, code: string, date: IsoDate): boolean {
  return stateShareOn(rules, code, date)?.basisPoints === 10_000;
}

/** Every local policy of a province in force on `date` (several may apply; the engine takes the highest). */
export function localPoliciesOn(rules: RuleSet, province: string, date: IsoDate): LocalPolicy[] {
  return rules.localPolicies.filter((p) => p.province === province && covers(p, date));
}

function entriesOf(rules: RuleSet, kind: RuleKind, list: keyof RuleSet): RuleEntry[] {
  return (rules[list] as readonly DatedRule[]).map((rule) => ({ kind, rule }) as RuleEntry);
}

/**
 * The entries in force on `date`, for a staff "rules page": one base salary, premium rate, household
 * factors, pricing basis and card-validity entry; every group in force with its state share; every
 * local policy in force. Each carries its source and `uncertain` flag.
 */
export function listRulesInForce(date: IsoDate, rules: RuleSet): RuleEntry[] {
  if (!isIsoDate(date)) throw new RuleError('invalid_date', 'date', `not a date (YYYY-MM-DD): ${date}`);
  const result: RuleEntry[] = [];
  for (const [kind, list] of RULE_KINDS) {
    const entries = entriesOf(rules, kind, list);
    if (kind === 'local-policy') {
      result.push(...entries.filter((e) => covers(e.rule, date)));
    } else if (kind === 'group' || kind === 'state-share') {
      const keyOf = (e: RuleEntry) => (e.kind === 'group' ? e.rule.code : e.kind === 'state-share' ? e.rule.group : '');
      for (const key of unique(entries.map(keyOf))) {
        const current = entryInForce(
          entries.filter((e) => keyOf(e) === key).map((e) => e.rule),
          date,
        );
        if (current) result.push(entries.find((e) => e.rule === current)!);
      }
    } else {
      const current = entryInForce(
        entries.map((e) => e.rule),
        date,
      );
      if (current) result.push(entries.find((e) => e.rule === current)!);
    }
  }
  return result;
}

/** Every entry of every kind, each kind in date order (then id): the history behind the rules page. */
export function ruleHistory(rules: RuleSet): RuleEntry[] {
  return RULE_KINDS.flatMap(([kind, list]) =>
    entriesOf(rules, kind, list).sort(
      (a, b) => compareText(a.rule.from, b.rule.from) || compareText(a.rule.id, b.rule.id),
    ),
  );
}

const compareText = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function unique<T>(values: readonly T[]): T[] {
  return [...new Set(values)];
}

// ---------------------------------------------------------------------------------------------------
// Merging and validation
// ---------------------------------------------------------------------------------------------------

/** A problem found in a rule set: which entry, which field, what is wrong. */
export interface RuleProblem {
  readonly id: string;
  readonly field: string;
  readonly message: string;
}

/**
 * The defaults plus admin additions (e.g. read from the database). An addition with the id of an existing
 * entry replaces it (a correction); other additions are appended. Throws RuleError 'invalid_rules' when
 * the result is inconsistent (see `validateRuleSet`).
 */
export function mergeRules(base: RuleSet, additions: Partial<RuleSet>): RuleSet {
  const merge = <T extends DatedRule>(current: readonly T[], added: readonly T[] | undefined): T[] => {
    const result = [...current];
    for (const entry of added ?? []) {
      const at = result.findIndex((e) => e.id === entry.id);
      if (at >= 0) result[at] = entry;
      else result.push(entry);
    }
    return result;
  };
  const merged: RuleSet = {
    baseSalaries: merge(base.baseSalaries, additions.baseSalaries),
    premiumRates: merge(base.premiumRates, additions.premiumRates),
    householdFactors: merge(base.householdFactors, additions.householdFactors),
    pricingBasis: merge(base.pricingBasis, additions.pricingBasis),
    groups: merge(base.groups, additions.groups),
    stateShares: merge(base.stateShares, additions.stateShares),
    localPolicies: merge(base.localPolicies, additions.localPolicies),
    cardValidity: merge(base.cardValidity, additions.cardValidity),
  };
  const problems = validateRuleSet(merged);
  if (problems.length > 0) {
    const first = problems[0];
    throw new RuleError(
      'invalid_rules',
      `${first.id}.${first.field}`,
      problems.map((p) => `${p.id}.${p.field}: ${p.message}`).join('; '),
    );
  }
  return merged;
}

const isBasisPoints = (n: unknown) => Number.isInteger(n) && (n as number) >= 0 && (n as number) <= 10_000;
const MONTH_DAY = /^(\d{2})-(\d{2})$/;
const isMonthDay = (value: string) => MONTH_DAY.test(value) && isIsoDate(`2000-${value}`);

/**
 * Everything that would make the engine ambiguous or wrong: duplicate ids, bad dates, percentages outside
 * 0-100%, amounts that are not positive integers, state shares or local policies naming unknown groups,
 * and two entries of one single-valued kind (one group's state share) starting on the same day.
 */
export function validateRuleSet(rules: RuleSet): RuleProblem[] {
  const problems: RuleProblem[] = [];
  const problem = (id: string, field: string, message: string) => problems.push({ id, field, message });
  const seen = new Set<string>();

  for (const [, list] of RULE_KINDS) {
    for (const rule of rules[list] as readonly DatedRule[]) {
      if (!rule.id) problem('(no id)', 'id', 'missing id');
      else if (seen.has(rule.id)) problem(rule.id, 'id', 'duplicate id');
      seen.add(rule.id);
      if (!isIsoDate(rule.from)) problem(rule.id, 'from', `not a date: ${rule.from}`);
      if (rule.to !== undefined && !isIsoDate(rule.to)) problem(rule.id, 'to', `not a date: ${rule.to}`);
      else if (rule.to !== undefined && rule.to <= rule.from) problem(rule.id, 'to', '`to` (exclusive) must be after `from`');
      if (!rule.source?.trim()) problem(rule.id, 'source', 'missing legal source');
    }
  }

  const sameStart = (entries: readonly DatedRule[], what: string) => {
    const starts = new Map<string, string>();
    for (const e of entries) {
      const other = starts.get(e.from);
      if (other !== undefined) problem(e.id, 'from', `${what}: starts on the same day as ${other}`);
      starts.set(e.from, e.id);
    }
  };
  sameStart(rules.baseSalaries, 'base salary');
  sameStart(rules.premiumRates, 'premium rate');
  sameStart(rules.householdFactors, 'household factors');
  sameStart(rules.pricingBasis, 'pricing basis');
  sameStart(rules.cardValidity, 'card validity');
  for (const code of unique(rules.groups.map((g) => g.code))) {
    sameStart(rules.groups.filter((g) => g.code === code), `group ${code}`);
  }
  for (const code of unique(rules.stateShares.map((s) => s.group))) {
    sameStart(rules.stateShares.filter((s) => s.group === code), `state share of ${code}`);
  }

  for (const r of rules.baseSalaries) {
    if (!Number.isSafeInteger(r.amount) || r.amount <= 0) problem(r.id, 'amount', 'must be a positive whole number of dong');
  }
  for (const r of rules.premiumRates) {
    if (!isBasisPoints(r.basisPoints) || r.basisPoints === 0) problem(r.id, 'basisPoints', 'must be 1-10000');
  }
  for (const r of rules.householdFactors) {
    if (r.factors.length === 0) problem(r.id, 'factors', 'needs at least one factor');
    r.factors.forEach((f, i) => {
      if (!isBasisPoints(f)) problem(r.id, `factors[${i}]`, 'must be 0-10000');
    });
  }
  for (const r of rules.pricingBasis) {
    if (r.basis !== 'payment-date' && r.basis !== 'card-start') problem(r.id, 'basis', `unknown basis: ${r.basis}`);
  }
  for (const g of rules.groups) {
    if (!g.code?.trim()) problem(g.id, 'code', 'missing code');
    if (!g.nameVi?.trim()) problem(g.id, 'nameVi', 'missing Vietnamese name');
    if (!g.nameEn?.trim()) problem(g.id, 'nameEn', 'missing English name');
  }
  for (const s of rules.stateShares) {
    if (!isBasisPoints(s.basisPoints)) problem(s.id, 'basisPoints', 'must be 0-10000');
    if (!isKnownGroup(rules, s.group)) problem(s.id, 'group', `unknown group: ${s.group}`);
  }
  for (const p of rules.localPolicies) {
    if (!p.province?.trim()) problem(p.id, 'province', 'missing province');
    if (!isBasisPoints(p.basisPoints)) problem(p.id, 'basisPoints', 'must be 0-10000');
    p.groups?.forEach((code, i) => {
      if (!isKnownGroup(rules, code)) problem(p.id, `groups[${i}]`, `unknown group: ${code}`);
    });
    for (const field of ['ageFrom', 'ageBelow'] as const) {
      const age = p[field];
      if (age !== undefined && (!Number.isInteger(age) || age < 0)) problem(p.id, field, 'must be a whole number of years');
    }
    if (p.ageFrom !== undefined && p.ageBelow !== undefined && p.ageBelow <= p.ageFrom) {
      problem(p.id, 'ageBelow', 'must be above ageFrom');
    }
    if (p.base !== undefined && p.base !== 'remainder' && p.base !== 'premium') problem(p.id, 'base', "must be 'remainder' or 'premium'");
    if (p.amountPerYear !== undefined && (!Number.isSafeInteger(p.amountPerYear) || p.amountPerYear <= 0)) {
      problem(p.id, 'amountPerYear', 'must be a whole number of dong above 0');
    }
    if (p.communes !== undefined && (!Array.isArray(p.communes) || p.communes.length === 0)) problem(p.id, 'communes', 'must name at least one commune');
  }
  for (const c of rules.cardValidity) {
    for (const field of ['firstTimeWaitDays', 'breakMonths', 'childCardAgeMonths', 'pupilFinalGrade'] as const) {
      if (!Number.isInteger(c[field]) || c[field] < 0) problem(c.id, field, 'must be a whole number');
    }
    for (const field of ['childCardCutoff', 'pupilFirstGradeStart', 'pupilFinalGradeEnd', 'schoolYearStart'] as const) {
      if (!isMonthDay(c[field])) problem(c.id, field, `not a day of the year (MM-DD): ${c[field]}`);
    }
  }
  return problems;
}
