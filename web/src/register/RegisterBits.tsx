/**
 * Small pieces shared by the household register pages: the card status badge, participant group
 * codes (with their names as a tooltip), sex and poverty labels, and counts in the interface language.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { type PremiumGroup } from '../premium/premiumApi';
import { formatDate, isoDateOf } from '../format';
import { premiumApi } from '../premium/premiumApi';
import { groupLabel } from '../premium/ruleText';

/** Whether an error says the endpoint itself does not exist (yet) on the server. */
export function isMissingRoute(err: unknown): boolean {
  return err instanceof ApiError && err.status === 404 && err.code === 'route_not_found';
}

/** A whole number with the language's thousands separator: 20000 -> '20.000' (vi), '20,000' (en). */
export function formatCount(value: number, language: string): string {
  const digits = String(Math.abs(Math.round(value))).replace(/\B(?=(\d{3})+(?!\d))/g, language === 'en' ? ',' : '.');
  return value < 0 ? `-${digits}` : digits;
}

/** Today as 'YYYY-MM-DD' in the browser's calendar. */
export function today(): string {
  return isoDateOf(new Date());
}

/**
 * The card status: green "covered until dd/MM/yyyy", red "expired dd/MM/yyyy", grey "no card".
 */
export function CardBadge({ covered, cardTo, testId }: { covered: boolean; cardTo: string | null; testId?: string }) {
  const { t } = useTranslation('web');
  if (covered && cardTo) {
    return (
      <span className="badge badge-card badge-covered" data-testid={testId}>
        {t('register.card.covered', { date: formatDate(cardTo) })}
      </span>
    );
  }
  if (cardTo) {
    return (
      <span className="badge badge-card badge-expired" data-testid={testId}>
        {t('register.card.expired', { date: formatDate(cardTo) })}
      </span>
    );
  }
  return (
    <span className="badge badge-card badge-nocard" data-testid={testId}>
      {t('register.card.none')}
    </span>
  );
}

/** The participant groups in force today, for their names; an empty list when they cannot be loaded. */
export function usePremiumGroups(): PremiumGroup[] {
  const [groups, setGroups] = useState<PremiumGroup[]>([]);
  useEffect(() => {
    const controller = new AbortController();
    premiumApi
      .premiumGroups(today(), controller.signal)
      .then(setGroups)
      .catch(() => {
        // names are a nicety: the codes show without them
      });
    return () => controller.abort();
  }, []);
  return groups;
}

/** Groups as small badges by name ('Học sinh (HS)'); the code alone for a group not in force today. */
export function GroupCodes({ codes, groups }: { codes: string[]; groups: PremiumGroup[] }) {
  const { i18n } = useTranslation('web');
  if (codes.length === 0) return <span className="muted">—</span>;
  return (
    <span className="group-codes">
      {codes.map((code) => {
        const group = groups.find((g) => g.code === code);
        return (
          <span key={code} className={`badge badge-group${group ? '' : ' badge-code'}`} data-code={code}>
            {group ? groupLabel(group, i18n.language) : code}
          </span>
        );
      })}
    </span>
  );
}

/** 'Nam' / 'Nữ' (or the raw value for anything else). */
export function useSexLabel(): (sex: string | null | undefined) => string {
  const { t } = useTranslation('web');
  return (sex) => (sex ? t(`register.sex.${sex}`, { defaultValue: sex }) : '—');
}
