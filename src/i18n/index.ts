/**
 * The one catalogue of user-facing text (web, API errors, CLI, and later PDF and Excel headers):
 * src/i18n/locales/<lang>/<namespace>.json, Vietnamese first, English second.
 */
import i18next, { type TFunction } from 'i18next';
import viCommon from './locales/vi/common.json';
import enCommon from './locales/en/common.json';
import viWeb from './locales/vi/web.json';
import enWeb from './locales/en/web.json';
import viRegister from './locales/vi/register.json';
import enRegister from './locales/en/register.json';
import viCoverage from './locales/vi/coverage.json';
import enCoverage from './locales/en/coverage.json';
import viProgrammes from './locales/vi/programmes.json';
import enProgrammes from './locales/en/programmes.json';
import viSelection from './locales/vi/selection.json';
import enSelection from './locales/en/selection.json';
import viHandover from './locales/vi/handover.json';
import enHandover from './locales/en/handover.json';
import viOutreach from './locales/vi/outreach.json';
import enOutreach from './locales/en/outreach.json';
import viField from './locales/vi/field.json';
import viCampaigns from './locales/vi/campaigns.json';
import viBank from './locales/vi/bank.json';
import enBank from './locales/en/bank.json';
import enCampaigns from './locales/en/campaigns.json';
import viSimulator from './locales/vi/simulator.json';
import enSimulator from './locales/en/simulator.json';
import viPlans from './locales/vi/plans.json';
import enPlans from './locales/en/plans.json';
import enField from './locales/en/field.json';
import viReminders from './locales/vi/reminders.json';
import enReminders from './locales/en/reminders.json';
import viEvents from './locales/vi/events.json';
import enEvents from './locales/en/events.json';
import viTransfer from './locales/vi/transfer.json';
import enTransfer from './locales/en/transfer.json';
import viOperations from './locales/vi/operations.json';
import enOperations from './locales/en/operations.json';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'vi';

export const resources = {
  vi: { common: viCommon, web: viWeb, register: viRegister, coverage: viCoverage, programmes: viProgrammes, selection: viSelection, handover: viHandover, outreach: viOutreach, field: viField, campaigns: viCampaigns, reminders: viReminders, events: viEvents, simulator: viSimulator, plans: viPlans, bank: viBank, transfer: viTransfer, operations: viOperations },
  en: { common: enCommon, web: enWeb, register: enRegister, coverage: enCoverage, programmes: enProgrammes, selection: enSelection, handover: enHandover, outreach: enOutreach, field: enField, campaigns: enCampaigns, reminders: enReminders, events: enEvents, simulator: enSimulator, plans: enPlans, bank: enBank, transfer: enTransfer, operations: enOperations },
} as const;

const instance = i18next.createInstance();
void instance.init({
  resources,
  lng: DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  ns: ['common', 'web', 'register', 'coverage', 'programmes', 'selection', 'handover', 'outreach', 'field', 'campaigns', 'reminders', 'events', 'simulator', 'plans', 'bank', 'transfer', 'operations'],
  defaultNS: 'common',
  interpolation: { escapeValue: false },
  initAsync: false,
});

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

/** The translator for one language (keys like 'errors.not_found' or 'web:nav.units'). */
export function translator(lang: Language): TFunction {
  return instance.getFixedT(lang);
}

/** Picks a supported language from an Accept-Language header. */
export function languageFromHeader(header: string | undefined): Language | undefined {
  if (!header) return undefined;
  for (const part of header.split(',')) {
    const tag = part.split(';')[0].trim().slice(0, 2).toLowerCase();
    if (isLanguage(tag)) return tag;
  }
  return undefined;
}
