/**
 * The web app's i18next instance. The text lives in the project's one catalogue
 * (src/i18n/locales/<lang>/web.json, namespace 'web'); the JSON files are imported directly so the
 * bundle carries only the web namespace. The chosen language is kept in the `cd_lang` cookie, which the
 * server also reads to translate its error messages.
 */
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import viWeb from '../../src/i18n/locales/vi/web.json';
import enWeb from '../../src/i18n/locales/en/web.json';
// The programme screens' text lives in the namespaces the server's PDFs and errors use too.
import viProgrammes from '../../src/i18n/locales/vi/programmes.json';
import enProgrammes from '../../src/i18n/locales/en/programmes.json';
import viSelection from '../../src/i18n/locales/vi/selection.json';
import enSelection from '../../src/i18n/locales/en/selection.json';
import viHandover from '../../src/i18n/locales/vi/handover.json';
import viBank from '../../src/i18n/locales/vi/bank.json';
import enBank from '../../src/i18n/locales/en/bank.json';
import enHandover from '../../src/i18n/locales/en/handover.json';
import viField from '../../src/i18n/locales/vi/field.json';
import enField from '../../src/i18n/locales/en/field.json';
import viCampaigns from '../../src/i18n/locales/vi/campaigns.json';
import enCampaigns from '../../src/i18n/locales/en/campaigns.json';
import viSimulator from '../../src/i18n/locales/vi/simulator.json';
import enSimulator from '../../src/i18n/locales/en/simulator.json';
import viPlans from '../../src/i18n/locales/vi/plans.json';
import enPlans from '../../src/i18n/locales/en/plans.json';
import viEvents from '../../src/i18n/locales/vi/events.json';
import enEvents from '../../src/i18n/locales/en/events.json';
import viReminders from '../../src/i18n/locales/vi/reminders.json';
import enReminders from '../../src/i18n/locales/en/reminders.json';

export const LANGUAGES = ['vi', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];
export const DEFAULT_LANGUAGE: Language = 'vi';
const COOKIE = 'cd_lang';

export function isLanguage(value: unknown): value is Language {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

export function readLanguageCookie(): Language | undefined {
  if (typeof document === 'undefined') return undefined;
  for (const part of document.cookie.split(';')) {
    const [name, value] = part.trim().split('=');
    if (name === COOKIE && isLanguage(value)) return value;
  }
  return undefined;
}

function writeLanguageCookie(lang: Language): void {
  document.cookie = `${COOKIE}=${lang}; path=/; max-age=31536000; samesite=lax`;
}

export const i18n = i18next.createInstance();
void i18n.use(initReactI18next).init({
  resources: {
    vi: { web: viWeb, programmes: viProgrammes, selection: viSelection, handover: viHandover, field: viField, campaigns: viCampaigns, reminders: viReminders, events: viEvents, simulator: viSimulator, plans: viPlans, bank: viBank },
    en: { web: enWeb, programmes: enProgrammes, selection: enSelection, handover: enHandover, field: enField, campaigns: enCampaigns, reminders: enReminders, events: enEvents, simulator: enSimulator, plans: enPlans, bank: enBank },
  },
  lng: readLanguageCookie() ?? DEFAULT_LANGUAGE,
  fallbackLng: DEFAULT_LANGUAGE,
  supportedLngs: [...LANGUAGES],
  ns: ['web', 'programmes', 'selection', 'handover', 'field', 'campaigns', 'reminders', 'events', 'simulator', 'plans', 'bank'],
  defaultNS: 'web',
  interpolation: { escapeValue: false },
  returnNull: false,
  initAsync: false,
});

function syncDocument(lang: string): void {
  if (typeof document === 'undefined') return;
  document.documentElement.lang = lang;
  document.title = i18n.t('web:app.title');
}
syncDocument(i18n.language);
i18n.on('languageChanged', syncDocument);

/** Switches the interface language and remembers it in the cookie the server reads. */
export async function setLanguage(lang: Language): Promise<void> {
  writeLanguageCookie(lang);
  await i18n.changeLanguage(lang);
}

/** Current language as one of ours. */
export function currentLanguage(): Language {
  return isLanguage(i18n.language) ? i18n.language : DEFAULT_LANGUAGE;
}

/** Vietnamese-order comparison for names shown in the current language. */
export const compareNames = (a: string, b: string): number =>
  new Intl.Collator('vi', { sensitivity: 'base', numeric: true }).compare(a, b);
