/** The outreach events held in a campaign: their totals (attendance, leaflets, cost, attendees who enrolled) and a list linking to each. */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { eventsApi } from '../events/eventsApi';
import { formatDate, formatNumber, formatVnd } from '../format';
import { ErrorBanner } from '../ui/ErrorBanner';
import { useLoad } from '../ui/useLoad';

export function CampaignEvents({ campaignId }: { campaignId: string }) {
  const { t, i18n } = useTranslation('events');
  const lang = i18n.language;
  const [error, setError] = useState<string | null>(null);

  const [list] = useLoad((signal) => eventsApi.list({ campaign: campaignId }, signal), [campaignId], setError);

  if (!list && !error) return null;
  const tt = list?.totals;
  return (
    <section className="card" data-testid="campaign-events">
      <h2>{t('web.title')}</h2>
      <ErrorBanner message={error} />
      {list && list.events.length === 0 && <p className="muted">{t('web.none')}</p>}
      {list && tt && list.events.length > 0 && (
        <>
          <p>
            {t('web.totals', {
              events: formatNumber(tt.events, lang),
              attendance: formatNumber(tt.attendance, lang),
              leaflets: formatNumber(tt.leaflets, lang),
              consultations: formatNumber(tt.consultations, lang),
              cost: formatVnd(tt.cost),
              enrolled: formatNumber(tt.enrolled, lang),
              attendees: formatNumber(tt.attendees, lang),
            })}
          </p>
          <ul>
            {list.events.map((e) => (
              <li key={e.id}>
                <a href={`#/events/${e.id}`}>
                  {formatDate(e.heldOn)} · {t(`kinds.${e.kind}`)} · {e.communeName}
                </a>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
