/**
 * Audit log (admin only): the latest changes, newest first, 50 at a time ("load more" pages back with
 * ?before=<time of the oldest row shown>). Each row says what was done to which record, and what it
 * held before and after as "field: value" lines (auditDetails.ts).
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { auditApi, type AuditItem } from './auditApi';
import { auditDetails, type DetailLine, type DetailOptions } from './auditDetails';
import { ErrorBanner } from '../ui/ErrorBanner';
import { errorMessage } from '../errors';
import { changedFields, formatDateTime, shortId } from '../format';
import { DataTable } from '../ui/DataTable';
import { compareNames } from '../i18n';
import { usePremiumGroups } from '../register/RegisterBits';
import { groupLabels } from '../premium/ruleText';
import { BackupStatus } from '../operations/BackupStatus';

const PAGE = 50;

function DetailList({ lines }: { lines: DetailLine[] }) {
  return (
    <dl className="audit-details">
      {lines.map((l, i) => (
        <div key={`${l.key}-${i}`} className="audit-detail">
          {l.label && <dt>{l.known ? l.label : <code>{l.label}</code>}</dt>}
          <dd>{l.children ? <DetailList lines={l.children} /> : l.value}</dd>
        </div>
      ))}
    </dl>
  );
}

function DetailsCell({ value, options }: { value: unknown; options: DetailOptions }) {
  const lines = auditDetails(value, options);
  if (lines.length === 0) return <span className="muted">—</span>;
  return <DetailList lines={lines} />;
}

function AuditRow({ item, groupName }: { item: AuditItem; groupName: (code: string) => string | undefined }) {
  const { t, i18n } = useTranslation('web');
  const diff = changedFields(item.before, item.after);
  const options: DetailOptions = { t, lang: i18n.language, entity: item.entity, groupName };
  return (
    <tr data-testid="audit-row">
      <td data-label={t('audit.at')} className="nowrap">
        <time dateTime={item.at}>{formatDateTime(item.at)}</time>
      </td>
      <td data-label={t('audit.actor')}>{item.actorName ?? <span className="muted">{t('audit.system')}</span>}</td>
      <td data-label={t('audit.action')}>
        <span className={`pill pill-action pill-${item.action}`}>
          {t(`audit.actions.${item.action}`, { defaultValue: item.action })}
        </span>
      </td>
      <td data-label={t('audit.entity')}>
        {t(`audit.entities.${item.entity}`, { defaultValue: item.entity })}
        {item.entityId && (
          <span className="code" title={item.entityId}>
            {' '}
            {shortId(item.entityId)}
          </span>
        )}
        {item.unitCode && item.unitCode !== item.entityId && (
          <span className="muted small block">{t('audit.unit', { code: item.unitCode })}</span>
        )}
      </td>
      <td data-label={t('audit.before')}>
        <DetailsCell value={diff.before} options={options} />
      </td>
      <td data-label={t('audit.after')}>
        <DetailsCell value={diff.after} options={options} />
      </td>
    </tr>
  );
}

export function AuditPage() {
  const { t, i18n } = useTranslation('web');
  const groups = usePremiumGroups();
  const groupName = useMemo(() => {
    const labels = groupLabels(groups, i18n.language);
    return (code: string) => labels.get(code);
  }, [groups, i18n.language]);
  /** Every kind of record the log names, by name. */
  const entities = useMemo(
    () =>
      Object.entries(t('audit.entities', { returnObjects: true }) as Record<string, string>)
        .filter(([key]) => key !== 'session')
        .sort((a, b) => compareNames(a[1], b[1])),
    [t],
  );
  const [entity, setEntity] = useState<string>('');
  const [items, setItems] = useState<AuditItem[]>([]);
  const [loading, setLoading] = useState(true);
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setItems([]);
    setError(null);
    auditApi
      .audit({ limit: PAGE, entity: entity || undefined }, controller.signal)
      .then((page) => {
        setItems(page.items);
        setHasMore(page.items.length === PAGE);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setError(errorMessage(err));
        setLoading(false);
      });
    return () => controller.abort();
  }, [entity]);

  async function loadMore() {
    const last = items[items.length - 1];
    if (!last) return;
    setLoading(true);
    setError(null);
    try {
      const page = await auditApi.audit({ limit: PAGE, before: last.at, entity: entity || undefined });
      // rows with the same timestamp as the boundary may come back: keep each id once
      setItems((prev) => {
        const seen = new Set(prev.map((i) => i.id));
        return [...prev, ...page.items.filter((i) => !seen.has(i.id))];
      });
      setHasMore(page.items.length === PAGE);
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setLoading(false);
    }
  }

  return (
    <div className="page audit-page">
      <div className="page-head">
        <h1>{t('audit.title')}</h1>
        <div className="filter">
          <label htmlFor="audit-entity">{t('audit.entityFilter')}</label>
          <select id="audit-entity" data-testid="audit-entity" value={entity} onChange={(e) => setEntity(e.target.value)}>
            <option value="">{t('audit.allEntities')}</option>
            {entities.map(([key, label]) => (
              <option key={key} value={key}>
                {label}
              </option>
            ))}
          </select>
        </div>
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <BackupStatus />

      <section className="card" aria-busy={loading}>
        {items.length === 0 && !loading && !error && <p className="empty">{t('audit.empty')}</p>}
        {items.length > 0 && <p className="muted small">{t('audit.diffNote')}</p>}
        {items.length > 0 && (
          <DataTable
            testId="audit-table"
            className="audit-table"
            columns={[
              t('audit.at'),
              t('audit.actor'),
              t('audit.action'),
              t('audit.entity'),
              t('audit.before'),
              t('audit.after'),
            ]}
          >
            {items.map((item) => (
              <AuditRow key={item.id} item={item} groupName={groupName} />
            ))}
          </DataTable>
        )}
        {loading && <p className="muted">{t('common.loading')}</p>}
        {hasMore && !loading && (
          <div className="load-more">
            <button type="button" className="btn btn-secondary" data-testid="audit-load-more" onClick={() => void loadMore()}>
              {t('audit.loadMore')}
            </button>
          </div>
        )}
      </section>
    </div>
  );
}
