/** The database as Kysely sees it (snake_case in SQL, camelCase here through CamelCasePlugin). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export type UnitLevel = 'province' | 'commune' | 'village';

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

export type Role = 'admin' | 'province_staff' | 'commune_officer' | 'viewer';

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
  createdAt: Generated<Date>;
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

export interface CoverageTargetTable {
  id: string;
  unitCode: string;
  year: number;
  kind: CoverageTargetKind;
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

export interface DB {
  unit: UnitTable;
  communeMapping: CommuneMappingTable;
  appUser: AppUserTable;
  userSession: UserSessionTable;
  apiToken: ApiTokenTable;
  auditLog: AuditLogTable;
  premiumRule: PremiumRuleTable;
  premiumQuote: PremiumQuoteTable;
  household: HouseholdTable;
  person: PersonTable;
  personGroup: PersonGroupTable;
  card: CardTable;
  reportedFigure: ReportedFigureTable;
  coverageTarget: CoverageTargetTable;
  staffTarget: StaffTargetTable;
}
