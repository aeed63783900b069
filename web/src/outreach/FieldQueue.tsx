/**
 * The worker's follow-up queue: promises due today or earlier and people not at home to see again, oldest
 * first, as the server last sent it (kept on the phone for offline use).
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../errors';
import { formatDate, formatDateTime } from '../format';
import { fieldApi, type FollowUp } from './fieldApi';
import { fieldStore, type SessionInfo } from './fieldStore';

export function FieldQueue({ session, online }: { session: SessionInfo; online: boolean }) {
  const { t } = useTranslation('field');
  const [queue, setQueue] = useState<{ items: FollowUp[]; fetchedAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    void fieldStore.followUps(session.userId).then((kept) => {
      if (!stop && kept) setQueue((old) => old ?? kept);
    });
    if (online)
      fieldApi
        .followUps()
        .then(async (items) => {
          await fieldStore.saveFollowUps(session.userId, items);
          if (!stop) setQueue({ items, fetchedAt: new Date().toISOString() });
        })
        .catch((err: unknown) => {
          if (!stop) setError(errorMessage(err));
        });
    return () => {
      stop = true;
    };
  }, [session.userId, online]);

  return (
    <>
      <p>
        <a href="#/" className="field-link">
          ‹ {t('back')}
        </a>
      </p>
      <h1>{t('queue_title')}</h1>
      {error && <p className="field-error">{error}</p>}
      {queue && <p className="muted small">{t('list_as_of', { when: formatDateTime(queue.fetchedAt) })}</p>}
      {queue && queue.items.length === 0 && <p className="muted">{t('queue_empty')}</p>}
      <ul className="field-list" data-testid="field-queue">
        {(queue?.items ?? []).map((f) => (
          <li key={`${f.householdId}|${f.personId ?? ''}|${f.visitedAt}`}>
            <a href={`#/g/${f.groupId}/h/${f.householdId}`} className="field-item">
              <strong>{f.fullName ?? t('whole_household', { code: f.householdCode })}</strong>
              <span className="small">
                {t(`queue_kind.${f.outcome}`)} · {t('due_on', { when: formatDate(f.dueOn) })}
              </span>
              <span className="muted small">{[f.villageName, f.address, f.phone].filter(Boolean).join(' · ')}</span>
              {f.note && <span className="muted small">{f.note}</span>}
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
