/**
 * The last backup, on the audit page where an admin looks after the system: when, its size, its file and
 * kind, and whether daily backups are on (COVERDESK_BACKUP_DAYS). No backup yet is a warning, with the
 * command that makes one.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { errorMessage } from '../errors';
import { formatDateTime } from '../format';
import { formatSize } from '../../../src/domain/numbers';
import { operationsApi, type LastBackup } from './operationsApi';

export function BackupStatus() {
  const { t, i18n } = useTranslation('web');
  const [data, setData] = useState<LastBackup | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    operationsApi.lastBackup(controller.signal).then(setData, (err: unknown) => {
      if (!isAbort(err)) setError(errorMessage(err));
    });
    return () => controller.abort();
  }, []);

  if (error) return <p className="muted small">{error}</p>;
  if (!data) return null;
  const b = data.backup;
  return (
    <section className={`card backup-status${b ? '' : ' backup-status-missing'}`} data-testid="backup-status">
      <h2>{t('operations.title')}</h2>
      {b ? (
        <dl className="backup-facts">
          <div>
            <dt>{t('operations.last')}</dt>
            <dd>
              <time dateTime={String(b.createdAt)}>{formatDateTime(b.createdAt)}</time> · {t(`operations.kinds.${b.kind}`)}
            </dd>
          </div>
          <div>
            <dt>{t('operations.size')}</dt>
            <dd data-testid="backup-size">
              {formatSize(b.sizeBytes, i18n.language)}
              {b.encrypted ? ` · ${t('operations.encrypted')}` : ''}
            </dd>
          </div>
          <div>
            <dt>{t('operations.file')}</dt>
            <dd>
              <code className="backup-file">{b.file}</code>
            </dd>
          </div>
        </dl>
      ) : (
        <p className="backup-none">{t('operations.none')}</p>
      )}
      <p className="muted small">{data.backupDays > 0 ? t('operations.daily', { count: data.backupDays }) : t('operations.noDaily')}</p>
    </section>
  );
}
