/** The database as Kysely sees it (snake_case in SQL, camelCase here through CamelCasePlugin). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

/** 'office': a social insurance office (kind si_province or si_grassroots), migration 0014. */
export type UnitLevel = 'province' | 'commune' | 'village' | 'office';

export interface UnitTable {
  /** GSO code for provinces and communes; `<communeCode>.<villageCode>` for villages. */
  code: string;
  name: string;
  /** The name folded for search: no diacritics, lower case. */
  searchName: string;
  level: UnitLevel;
  /** province | city | commune | ward | special_zone | village (thôn) | hamlet (bản) | residential_group (tổ dân phố) */
  kind: string;
  parentCode: string | null;
  /** The code users type for a village, unique within its commune; equal to `code` for GSO units. */
  localCode: string;
  createdAt: Generated<Date>;
}

export interface CommuneMappingTable {
  oldCode: string;
  oldName: string;
  oldProvinceCode: string;
  oldProvinceName: string;
  newCode: string;
  newName: string;
}

/** field_worker (migration 0015): commune staff, village heads and collaborators going door to door. */
export type Role = 'admin' | 'province_staff' | 'commune_officer' | 'viewer' | 'field_worker';

export interface AppUserTable {
  id: string;
  username: string;
  displayName: string;
  passwordHash: string;
  role: Role;
  /** The unit the user works in; null only for national admins. */
  scopeCode: string | null;
  language: Generated<string>;
  active: Generated<boolean>;
  createdAt: Generated<Date>;
}

export interface UserSessionTable {
  /** sha256 of the session cookie value. */
  idHash: string;
  userId: string;
  csrfToken: string;
  expiresAt: Timestamp;
  createdAt: Generated<Date>;
}

export interface ApiTokenTable {
  id: string;
  userId: string;
  /** sha256 of the bearer token; the token itself is shown once and never stored. */
  tokenHash: string;
  name: string;
  createdAt: Generated<Date>;
  lastUsedAt: Timestamp | null;
}

export interface AuditLogTable {
  id: string;
  at: Generated<Date>;
  actorId: string | null;
  actorName: string;
  action: string;
  entity: string;
  entityId: string;
  /** The unit the changed data belongs to, for scoped reading of the log. */
  unitCode: string | null;
  before: unknown;
  after: unknown;
}

export interface PremiumRuleTable {
  id: string;
  kind: 'base-salary' | 'local-policy';
  entry: unknown;
  /** 'draft': an adopted scenario's rule, priced by nothing until approved (migration 0024). */
  status: Generated<'draft' | 'approved'>;
  /** The approving decision's number (also the entry's source). */
  decision: string | null;
  approvedBy: string | null;
  approvedAt: Date | null;
  createdBy: string;
  createdAt: Generated<Date>;
}

/** A saved simulator scenario (migration 0024). */
export interface SupportScenarioTable {
  id: string;
  unitCode: string;
  name: string;
  input: unknown;
  result: unknown;
  ruleId: string | null;
  createdBy: string;
  createdAt: Generated<Date>;
}

export interface PremiumQuoteTable {
  id: string;
  input: unknown;
  result: unknown;
  /** The rule entries that priced the quote, as they were. */
  rules: unknown;
  createdBy: string;
  createdAt: Generated<Date>;
}

export type PovertyStatus = 'poor' | 'near_poor' | 'average_agri' | 'none';

export interface HouseholdTable {
  id: string;
  communeCode: string;
  /** Unique within the commune. */
  code: string;
  villageCode: string | null;
  address: string | null;
  povertyStatus: Generated<PovertyStatus>;
  povertyYear: number | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface PersonTable {
  householdId: string;
  id: string;
  /** The household's commune, kept here for scoped queries without a join. */
  communeCode: string;
  relationship: string | null;
  fullName: string;
  /** fullName folded (no diacritics, lower case) for search and matching. */
  nameKey: string;
  birthDate: string;
  sex: 'male' | 'female';
  citizenId: string | null;
  insuranceCode: string | null;
  ethnicity: string | null;
  phone: string | null;
  /** The participant groups in force now (those of person_group with no valid_to), sorted. */
  groupCodes: ColumnType<string[], string[] | undefined, string[]>;
  school: string | null;
  grade: number | null;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface PersonGroupTable {
  householdId: string;
  personId: string;
  groupCode: string;
  validFrom: string | null;
  validTo: string | null;
}

export type CardSource = 'import' | 'manual' | 'programme';

export interface CardTable {
  householdId: string;
  id: string;
  personId: string;
  groupCode: string;
  validFrom: string;
  validTo: string;
  /** Card number or insurance number printed on it. */
  number: string | null;
  source: CardSource;
  /** The donation programme that bought the card (source 'programme'). */
  programmeId: ColumnType<string | null, string | null | undefined, string | null>;
  /** The initial health-care facility (nơi đăng ký KCB ban đầu), a health_facility code. */
  facilityCode: ColumnType<string | null, string | null | undefined, string | null>;
  /** The collector (đại lý thu / nhân viên thu) that collected the card's premium. */
  collectorCode: ColumnType<string | null, string | null | undefined, string | null>;
  createdAt: Generated<Date>;
}

/** Where a voluntary social insurance period came from (vsi_period.source). */
export type VsiPeriodSource = 'import' | 'manual' | 'demo';

/** A voluntary social insurance (BHXH tự nguyện) participation period of a person (migration 0017). */
export interface VsiPeriodTable {
  householdId: string;
  id: string;
  personId: string;
  validFrom: string;
  validTo: string;
  /** The monthly income chosen, dong (int8, read as a number on both engines: src/db/types.ts). */
  monthlyIncome: number;
  /** 1, 3, 6 or 12. */
  paymentMonths: number;
  source: ColumnType<string, string | undefined, string>;
  createdAt: Generated<Date | null>;
}

export interface ReportedFigureTable {
  id: string;
  unitCode: string;
  /** 'YYYY-MM-DD': the date the counts are as of. */
  asOf: string;
  participants: number | null;
  /** Participants per participant group code, e.g. {"GD": 123, "HS": 45}. */
  participantsByGroup: ColumnType<Record<string, number> | null, string | null, string | null>;
  voluntarySi: number | null;
  population: number | null;
  /** The plan target assigned for planYear. */
  plan: number | null;
  planYear: number | null;
  /** The decision that assigned the plan, e.g. 462/QĐ-BHXH. */
  planDecision: string | null;
  source: string | null;
  note: string | null;
  createdBy: string;
  createdAt: Generated<Date>;
  updatedBy: string;
  updatedAt: Generated<Date>;
}

export type CoverageTargetKind = 'percent_population' | 'participants';
export type CoverageProduct = 'bhyt' | 'bhxh-tn';

export interface CoverageTargetTable {
  id: string;
  unitCode: string;
  year: number;
  kind: CoverageTargetKind;
  /** 'bhyt' (default) or 'bhxh-tn' (a plan of voluntary social insurance participants, migration 0017). */
  product: ColumnType<CoverageProduct, CoverageProduct | undefined, CoverageProduct>;
  /** A percent of the population (95) or a number of participants. */
  value: number;
  decision: string | null;
  createdBy: string;
  createdAt: Generated<Date>;
  updatedBy: string;
  updatedAt: Generated<Date>;
}

export interface StaffTargetTable {
  id: string;
  userId: string;
  year: number;
  /** Participants to recruit in the year. */
  participants: number;
  unitCode: string | null;
  createdBy: string;
  createdAt: Generated<Date>;
  updatedBy: string;
  updatedAt: Generated<Date>;
}

// ---- donation programmes (migration 0007) ----

export type ProgrammeStatus =
  | 'draft'
  | 'raising'
  | 'selecting'
  | 'list_approved'
  | 'submitted'
  | 'cards_issued'
  | 'handed_over'
  | 'closed';
export type ProgrammeAreaKind = 'province' | 'communes' | 'area';
export type SelectionMode = 'concentrate' | 'spread';
export type PriorityMode = 'weights' | 'tiers';

type Json<T> = ColumnType<T, string | T, string | T>;

export interface ProgrammeTable {
  id: string;
  name: string;
  /** The unit running it (province or commune): who may see and change it. */
  ownerUnitCode: string;
  areaKind: ProgrammeAreaKind;
  /** Province code, commune codes, or the one area's commune/village codes. */
  areaCodes: ColumnType<string[], string[] | undefined, string[]>;
  areaNote: string | null;
  cardMonths: number;
  purchaseDate: string;
  deadline: string;
  handoverSeason: string | null;
  status: Generated<ProgrammeStatus>;
  selectionMode: Generated<SelectionMode>;
  priorityMode: Generated<PriorityMode>;
  /** Weights {"pupil": 2} (weights mode) or tags in order, highest first (tiers mode). */
  priorities: Json<Record<string, number> | string[]>;
  /** Hand-set commune quotas in dong (spread mode); null = proportional to priority. */
  communeQuotas: Json<Record<string, number> | null>;
  publicSlug: string;
  publicEnabled: Generated<boolean>;
  createdBy: string;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface ProgrammeStatusChangeTable {
  id: string;
  programmeId: string;
  fromStatus: ProgrammeStatus | null;
  toStatus: ProgrammeStatus;
  actorId: string | null;
  actorName: string;
  at: Generated<Date>;
  note: string | null;
}

export type DonorKind = 'organisation' | 'business' | 'individual' | 'officials';

export interface DonorTable {
  id: string;
  ownerUnitCode: string;
  kind: DonorKind;
  name: string;
  /** Phone or e-mail: personal data, never public. */
  contact: string | null;
  /** May the donor be named publicly? */
  publicConsent: Generated<boolean>;
  createdAt: Generated<Date>;
}

export type PledgeStatus = 'proposed' | 'confirmed' | 'cancelled';

export interface PledgeTable {
  id: string;
  programmeId: string;
  donorId: string;
  amount: number;
  earmarkCommuneCode: string | null;
  earmarkTag: string | null;
  status: Generated<PledgeStatus>;
  source: Generated<'staff' | 'public'>;
  pledgedOn: string;
  note: string | null;
  createdAt: Generated<Date>;
  confirmedBy: string | null;
  confirmedAt: Date | null;
  /** The payment reference a bank transfer carries (migration 0026), e.g. CD7K3M9R. */
  reference: ColumnType<string | null, string | null | undefined, string | null>;
}

export type PaymentMethod = 'cash' | 'bank_transfer' | 'other';

export interface ReceiptTable {
  id: string;
  programmeId: string;
  donorId: string;
  pledgeId: string | null;
  amount: number;
  receivedOn: string;
  method: PaymentMethod;
  reference: string | null;
  createdBy: string;
  createdAt: Generated<Date>;
  /** A receipt undone (a bank match undone, migration 0026): its reversal is in the ledger. */
  voidedAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  voidedBy: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface RefundTable {
  id: string;
  programmeId: string;
  receiptId: string;
  amount: number;
  refundedOn: string;
  reason: string | null;
  createdBy: string;
  createdAt: Generated<Date>;
}

/** Ledger accounts: money held, received and free, committed to beneficiaries, paid out, returned. */
export type LedgerAccount = 'cash' | 'fund' | 'awarded' | 'paid' | 'refunded';

export interface LedgerEntryTable {
  id: string;
  programmeId: string;
  /** Postings of one transaction sum to zero. */
  txnId: string;
  kind: string;
  account: LedgerAccount;
  /** Debit positive, credit negative, never zero. */
  amount: number;
  receiptId: string | null;
  awardId: string | null;
  memo: string | null;
  postedBy: string;
  postedAt: Generated<Date>;
}

/** A request's idempotency key with its stored result (JSON; null while the request runs). */
export interface IdempotencyKeyTable {
  username: string;
  key: string;
  scope: string;
  response: string | null;
  createdAt: Generated<Date>;
}

export type AwardStatus = 'awarded' | 'submitted' | 'issued' | 'handed_over' | 'cancelled';

export interface AwardTable {
  id: string;
  programmeId: string;
  roundId: string | null;
  householdId: string;
  personId: string;
  communeCode: string;
  /** The participant group the card is bought in (e.g. GD, CN). */
  groupCode: string;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  /** What the programme pays for the card, in dong. */
  amount: number;
  status: Generated<AwardStatus>;
  cardNumber: string | null;
  cardFrom: string | null;
  cardTo: string | null;
  /** The register card created when the card was issued. */
  cardId: string | null;
  /** The initial health-care facility chosen for the card (else the person's latest card's). */
  facilityCode: ColumnType<string | null, string | null | undefined, string | null>;
  createdBy: string;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface AwardFundingTable {
  awardId: string;
  receiptId: string;
  amount: number;
}

export interface ProgrammeNominationTable {
  programmeId: string;
  householdId: string;
  personId: string;
  communeCode: string;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  note: string | null;
  nominatedBy: string;
  createdAt: Generated<Date>;
}

export type SelectionRoundStatus = 'proposed' | 'approved' | 'discarded';

export interface SelectionRoundTable {
  id: string;
  programmeId: string;
  number: number;
  status: Generated<SelectionRoundStatus>;
  pricedOn: string;
  months: number;
  budget: number;
  params: Json<Record<string, unknown>>;
  spent: Generated<number>;
  objective: Generated<number>;
  bound: number | null;
  createdBy: string;
  createdAt: Generated<Date>;
  decidedBy: string | null;
  decidedAt: Date | null;
}

export interface SelectionCandidateTable {
  roundId: string;
  householdId: string;
  personId: string;
  communeCode: string;
  villageCode: string | null;
  householdCode: string | null;
  fullName: string;
  birthDate: string;
  sex: string;
  citizenId: string | null;
  insuranceCode: string | null;
  ethnicity: string | null;
  address: string | null;
  povertyStatus: string | null;
  groupCodes: ColumnType<string[], string[] | undefined, string[]>;
  tags: ColumnType<string[], string[] | undefined, string[]>;
  coveredUntil: string | null;
  enrolledThisYear: Generated<number>;
  value: Generated<number>;
  cost: number | null;
  pricingGroup: string | null;
  selected: Generated<boolean>;
  reason: string;
  detail: string | null;
}

export interface HandoverEventTable {
  id: string;
  programmeId: string;
  communeCode: string;
  heldOn: string;
  place: string;
  note: string | null;
  /** The minutes' document number ("12/BB-UBND", migration 0031), printed on the minutes. */
  minutesNumber: ColumnType<string | null, string | null | undefined, string | null>;
  createdBy: string;
  createdAt: Generated<Date>;
}

export type HandoverOutcome = 'expected' | 'received' | 'absent' | 'refused';

export interface HandoverResultTable {
  awardId: string;
  eventId: string;
  result: Generated<HandoverOutcome>;
  receivedBy: string | null;
  note: string | null;
  evidenceName: string | null;
  evidenceType: string | null;
  evidence: Buffer | null;
  recordedBy: string | null;
  recordedAt: Date | null;
}

/** The end state of an import started over HTTP (migration 0012; the running job lives in memory). */
export interface ImportJobTable {
  id: string;
  ownerId: string | null;
  fileName: string;
  status: 'running' | 'done' | 'failed' | 'interrupted';
  dryRun: boolean;
  validRowsOnly: boolean;
  rows: number | null;
  inserted: number | null;
  updated: number | null;
  unchanged: number | null;
  rejected: number | null;
  rolledBack: boolean | null;
  errorCode: string | null;
  startedAt: Date;
  finishedAt: Date | null;
}

export interface UnitProfileTable {
  unitCode: string;
  /** The unit code the social insurance office issued (mã đơn vị). */
  siCode: string | null;
  taxCode: string | null;
  address: string | null;
  phone: string | null;
  email: string | null;
  updatedBy: string;
  updatedAt: Generated<Date>;
}

export interface OfficeCommuneTable {
  communeCode: string;
  officeCode: string;
}

export interface HealthFacilityTable {
  /** 5 digits: the province's code in the social insurance numbering and the facility's number. */
  code: string;
  name: string;
  searchName: string;
  provinceCode: string;
  address: string | null;
  active: Generated<boolean>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export type CollectorKind = 'agent' | 'staff';

export interface CollectorTable {
  code: string;
  name: string;
  searchName: string;
  kind: CollectorKind;
  officeCode: string;
  phone: string | null;
  active: Generated<boolean>;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface CollectorVillageTable {
  villageCode: string;
  collectorCode: string;
}

// ---- door to door (migration 0015) ----

export interface WorkingGroupTable {
  id: string;
  communeCode: string;
  name: string;
  leaderId: string | null;
  /** The days the group works (either end open when null). */
  periodFrom: string | null;
  periodTo: string | null;
  note: string | null;
  active: Generated<boolean>;
  createdBy: string;
  createdAt: Generated<Date>;
  updatedAt: Generated<Date>;
}

export interface WorkingGroupVillageTable {
  groupId: string;
  villageCode: string;
}

export interface WorkingGroupMemberTable {
  groupId: string;
  userId: string;
}

export type VisitOutcome = 'enrolled' | 'promised' | 'refused' | 'not_home';
export type VisitProduct = 'household_bhyt' | 'other';
export type RefusalReason = 'cost' | 'distrust' | 'insured_elsewhere' | 'moved_away' | 'deceased' | 'other';

/** A visit as logged in the field: appended, never changed. */
export interface VisitTable {
  householdId: string;
  id: string;
  /** The id the phone made; unique. */
  clientId: string;
  groupId: string;
  communeCode: string;
  villageCode: string | null;
  /** null: the whole household (nobody at home). */
  personId: string | null;
  outcome: VisitOutcome;
  product: VisitProduct | null;
  receiptNumber: string | null;
  cardNumber: string | null;
  reason: RefusalReason | null;
  followUp: string | null;
  note: string | null;
  /** The phone's time. */
  visitedAt: Date;
  /** visitedAt's calendar day in Vietnam. */
  visitedOn: string;
  /** The server's time. */
  receivedAt: Generated<Date>;
  userId: string | null;
  userName: string;
  /** The household's version the phone's list showed. */
  householdVersion: string | null;
  flagged: Generated<boolean>;
  flagReason: string | null;
  contentHash: string;
}

export type FieldReportKind = 'moved_away' | 'deceased' | 'insured_elsewhere';
export type FieldReportStatus = 'pending' | 'accepted' | 'rejected';

/** Status reported from the field, waiting for a commune officer's decision. */
export interface FieldReportTable {
  householdId: string;
  id: string;
  personId: string;
  visitId: string;
  communeCode: string;
  villageCode: string | null;
  kind: FieldReportKind;
  cardNumber: string | null;
  status: Generated<FieldReportStatus>;
  reportedBy: string;
  /** The phone's time of the visit that reported it. */
  reportedAt: Date;
  receivedAt: Generated<Date>;
  decidedBy: string | null;
  decidedAt: Date | null;
  decisionNote: string | null;
}

// ---- campaigns (migration 0019) ----

export type CampaignTargetKind = 'bhyt_household' | 'bhxh_tn' | 'renewal';
export type CampaignTargetLevel = 'campaign' | 'commune' | 'group' | 'staff';

export interface CampaignTable {
  id: string;
  unitCode: string;
  name: string;
  theme: string | null;
  startsOn: string;
  endsOn: string;
  createdBy: string;
  createdAt: Generated<Date>;
  updatedBy: string;
  updatedAt: Generated<Date>;
}

export interface CampaignTargetTable {
  campaignId: string;
  kind: CampaignTargetKind;
  level: CampaignTargetLevel;
  /** '' for the campaign; else the commune code, the group id or the user id. */
  ref: string;
  value: number;
}

export type IncentiveKind = 'gift' | 'voucher';

export interface IncentiveTable {
  householdId: string;
  id: string;
  personId: string;
  communeCode: string;
  kind: IncentiveKind;
  description: string | null;
  /** Integer dong. */
  value: number;
  sponsor: string | null;
  campaignId: string | null;
  eventId: string | null;
  code: string | null;
  expiresOn: string | null;
  issuedOn: string;
  issuedBy: string;
  redeemedAt: Date | null;
  redeemedBy: string | null;
  redeemedCardId: string | null;
  createdAt: Generated<Date>;
}

export type BackupKind = 'manual' | 'daily' | 'before_upgrade';

/** One backup file made (migration 0027); the file lives outside the database. */
export interface BackupRecordTable {
  id: string;
  kind: BackupKind;
  file: string;
  sizeBytes: number;
  encrypted: boolean;
  migration: string | null;
  createdBy: string;
  createdAt: Date;
}

export interface DB {
  backupRecord: BackupRecordTable;
  unitProfile: UnitProfileTable;
  officeCommune: OfficeCommuneTable;
  healthFacility: HealthFacilityTable;
  collector: CollectorTable;
  collectorVillage: CollectorVillageTable;
  unit: UnitTable;
  communeMapping: CommuneMappingTable;
  appUser: AppUserTable;
  userSession: UserSessionTable;
  apiToken: ApiTokenTable;
  auditLog: AuditLogTable;
  premiumRule: PremiumRuleTable;
  premiumQuote: PremiumQuoteTable;
  supportScenario: SupportScenarioTable;
  household: HouseholdTable;
  person: PersonTable;
  personGroup: PersonGroupTable;
  card: CardTable;
  vsiPeriod: VsiPeriodTable;
  reportedFigure: ReportedFigureTable;
  coverageTarget: CoverageTargetTable;
  staffTarget: StaffTargetTable;
  programme: ProgrammeTable;
  programmeStatusChange: ProgrammeStatusChangeTable;
  donor: DonorTable;
  pledge: PledgeTable;
  receipt: ReceiptTable;
  refund: RefundTable;
  ledgerEntry: LedgerEntryTable;
  award: AwardTable;
  awardFunding: AwardFundingTable;
  programmeNomination: ProgrammeNominationTable;
  selectionRound: SelectionRoundTable;
  selectionCandidate: SelectionCandidateTable;
  handoverEvent: HandoverEventTable;
  handoverResult: HandoverResultTable;
  importJob: ImportJobTable;
  idempotencyKey: IdempotencyKeyTable;
  workingGroup: WorkingGroupTable;
  workingGroupVillage: WorkingGroupVillageTable;
  workingGroupMember: WorkingGroupMemberTable;
  visit: VisitTable;
  reminderSent: ReminderSentTable;
  fieldReport: FieldReportTable;
  campaign: CampaignTable;
  campaignTarget: CampaignTargetTable;
  incentive: IncentiveTable;
  outreachEvent: OutreachEventTable;
  outreachEventAttendee: OutreachEventAttendeeTable;
  outreachEventFile: OutreachEventFileTable;
  bankAccount: BankAccountTable;
  bankLine: BankLineTable;
  bankMatch: BankMatchTable;
}

// ---- bank transfers and reconciliation (migration 0026) ----

export interface BankAccountTable {
  id: string;
  programmeId: string;
  bankBin: string;
  accountNumber: string;
  accountName: string;
  mapping: ColumnType<Record<string, string> | null, string | null | undefined, string | null>;
  active: Generated<boolean>;
  createdBy: string;
  createdAt: Generated<Date>;
}

export interface BankLineTable {
  id: string;
  accountId: string;
  programmeId: string;
  bookedOn: string;
  amount: number;
  description: string;
  transactionId: string | null;
  counterparty: string | null;
  fingerprint: string;
  fileName: string | null;
  rowNumber: number | null;
  importedBy: string;
  importedAt: Generated<Date>;
}

export interface BankMatchTable {
  id: string;
  lineId: string;
  programmeId: string;
  pledgeId: string;
  receiptId: string;
  amount: number;
  txnId: string;
  matchedBy: 'reference' | 'partial_reference' | 'staff';
  createdBy: string;
  createdAt: Generated<Date>;
  undoneAt: ColumnType<Date | null, Date | null | undefined, Date | null>;
  undoneBy: ColumnType<string | null, string | null | undefined, string | null>;
  undoTxnId: ColumnType<string | null, string | null | undefined, string | null>;
}

// ---- renewal reminders (migration 0018) ----

/** What ends and is reminded of: a BHYT card (a voluntary social insurance period later). */
export type ReminderSource = 'bhyt_card' | 'vsi_period';
export type ReminderChannel = 'sms' | 'zalo' | 'list';

/** One reminder sent: one per (source, subject, end date, offset), never twice. */
export interface ReminderSentTable {
  householdId: string;
  personId: string;
  source: ReminderSource;
  /** The card's id (or the period's). */
  subjectId: string;
  endsOn: string;
  /** How many days ahead of the end the list looked (its window). */
  offsetDays: number;
  communeCode: string;
  villageCode: string | null;
  collectorCode: string | null;
  phone: string | null;
  amount: number | null;
  channel: ReminderChannel;
  sentOn: string;
  sentBy: string;
  createdAt: Generated<Date>;
}

// ---- outreach events (migration 0021) ----

export type OutreachEventKind = 'dialogue_conference' | 'customer_conference' | 'mobile_propaganda' | 'leaflet_distribution' | 'thematic_session' | 'launch_ceremony';

export interface OutreachEventTable {
  id: string;
  kind: OutreachEventKind;
  heldOn: string;
  communeCode: string;
  villageCode: string | null;
  place: string | null;
  organiser: string | null;
  campaignId: string | null;
  attendance: number | null;
  leaflets: Generated<number>;
  consultations: Generated<number>;
  cost: ColumnType<number, number | undefined, number>;
  note: string | null;
  createdBy: string;
  createdAt: Generated<Date>;
  updatedBy: string;
  updatedAt: Generated<Date>;
}

export interface OutreachEventAttendeeTable {
  eventId: string;
  householdId: string;
  personId: string;
}

export interface OutreachEventFileTable {
  id: string;
  eventId: string;
  name: string;
  type: string;
  data: Buffer;
  createdBy: string;
  createdAt: Generated<Date>;
}
