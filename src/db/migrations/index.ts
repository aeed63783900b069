/** Forward-only migrations, in order. Each runs on PGlite and on PostgreSQL 15+. */
import type { Migration } from 'kysely';
import * as m0001 from './0001_foundation';
import * as m0002 from './0002_admin_units';
import * as m0003 from './0003_premium';
import * as m0004 from './0004_register';
import * as m0005 from './0005_coverage';
import * as m0006 from './0006_coverage_counts';
import * as m0007 from './0007_programmes';
import * as m0008 from './0008_coverage_snapshots';
import * as m0009 from './0009_card_household_person_index';
import * as m0010 from './0010_drop_person_coverage';
import * as m0011 from './0011_card_key_with_person';
import * as m0012 from './0012_import_jobs';
import * as m0013 from './0013_idempotency_key';
import * as m0014 from './0014_offices_facilities_collectors';
import * as m0015 from './0015_outreach';
import * as m0016 from './0016_household_coverage';
import * as m0017 from './0017_vsi_period';
import * as m0018 from './0018_reminders';
import * as m0019 from './0019_campaigns';
import * as m0020 from './0020_coverage_renewal';
import * as m0021 from './0021_outreach_events';
import * as m0022 from './0022_incentives';
import * as m0023 from './0023_latest_card';
import * as m0024 from './0024_support_scenarios';
import * as m0025 from './0025_plans';
import * as m0026 from './0026_bank_reconciliation';
import * as m0027 from './0027_backups';
import * as m0031 from './0031_handover_minutes_number';
import * as m0032 from './0032_card_end_count';
import * as m0033 from './0033_coverage_day';
import * as m0034 from './0034_card_key_with_dates';

export const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_admin_units': m0002,
  '0003_premium': m0003,
  '0004_register': m0004,
  '0005_coverage': m0005,
  '0006_coverage_counts': m0006,
  '0007_programmes': m0007,
  '0008_coverage_snapshots': m0008,
  '0009_card_household_person_index': m0009,
  '0010_drop_person_coverage': m0010,
  '0011_card_key_with_person': m0011,
  '0012_import_jobs': m0012,
  '0013_idempotency_key': m0013,
  '0014_offices_facilities_collectors': m0014,
  '0015_outreach': m0015,
  '0016_household_coverage': m0016,
  '0017_vsi_period': m0017,
  '0018_reminders': m0018,
  '0019_campaigns': m0019,
  '0020_coverage_renewal': m0020,
  '0021_outreach_events': m0021,
  '0022_incentives': m0022,
  '0023_latest_card': m0023,
  '0024_support_scenarios': m0024,
  '0025_plans': m0025,
  '0026_bank_reconciliation': m0026,
  '0027_backups': m0027,
  '0031_handover_minutes_number': m0031,
  '0032_card_end_count': m0032,
  '0033_coverage_day': m0033,
  '0034_card_key_with_dates': m0034,
};
