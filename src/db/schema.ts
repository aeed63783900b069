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

export interface DB {
  unit: UnitTable;
  communeMapping: CommuneMappingTable;
  appUser: AppUserTable;
  userSession: UserSessionTable;
  apiToken: ApiTokenTable;
  auditLog: AuditLogTable;
  premiumRule: PremiumRuleTable;
  premiumQuote: PremiumQuoteTable;
}
