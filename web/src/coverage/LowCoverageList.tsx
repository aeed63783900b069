/**
 * The coverage dashboard's units below target: the units under `unit` whose population coverage is
 * below their own target (or the dashboard's target when they have none), lowest first, with the
 * persons still missing to reach it. Each name opens that unit's dashboard.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { coverageExportUrl, type LowCoverageItem } from './coverageApi';
import { errorMessage } from '../errors';
import { formatNumber, formatPct } from '../format';
import { href } from '../router';
import { ErrorBanner } from '../ui/ErrorBanner';
import { coverageApi } from './coverageApi';
import { DataTable } from '../ui/DataTable';

/** wait this long after the target input changes before asking again */
const DEBOUNCE_MS = 400;

export function LowCoverageList({ unit, date, threshold }: { unit: string; date: string; threshold: number }) {
  const { t, i18n } = useTranslation('web');
  const lang = i18n.language;
  const [loaded, setLoaded] = useState<{ key: string; items: LowCoverageItem[] } | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    const key = `${unit}|${date}|${threshold}`;
    setLoading(true);
    setError(null);
    const timer = window.setTimeout(() => {
      coverageApi
        .coverageLow(unit, date, threshold, controller.signal)
        .then((result) => {
          setLoaded({ key, items: result.items });
          setLoading(false);
        })
        .catch((err: unknown) => {
          if (isAbort(err)) return;
          setLoading(false);
          setLoaded(null);
          setError(errorMessage(err));
        });
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [unit, date, threshold]);

  // another unit's list is not shown while this one loads
  const items = loaded && loaded.key.startsWith(`${unit}|`) ? loaded.items : null;

  return (
    <section className="card low-card" aria-labelledby="coverage-low-title" data-testid="coverage-low">
      <div className="card-head">
        <h2 id="coverage-low-title">
          {t('coverage.low.title')}
          {items && items.length > 0 && <span className="muted low-count"> ({formatNumber(items.length, lang)})</span>}
        </h2>
        <p className="muted small">{t('coverage.low.lead', { target: formatPct(threshold, lang) })}</p>
        {items && items.length > 0 && (
          <div className="table-tools no-print">
            <a
              className="btn btn-secondary btn-small"
              href={coverageExportUrl(unit, 'low', { date, threshold })}
              download
              title={t('coverage.xlsxTitle')}
              data-testid="coverage-low-xlsx"
            >
              {t('coverage.xlsx')}
            </a>
          </div>
        )}
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {loading && !items && !error && <p className="muted">{t('common.loading')}</p>}
      {items && items.length === 0 && (
        <p className="empty" data-testid="coverage-low-empty">
          {t('coverage.low.empty', { target: formatPct(threshold, lang) })}
        </p>
      )}
      {items && items.length > 0 && (
        <DataTable
          className="low-table"
          wrapClassName={loading ? 'low-table-wrap is-stale' : 'low-table-wrap'}
          columns={[
            { label: t('coverage.low.rank'), className: 'num' },
            t('coverage.low.name'),
            { label: t('coverage.low.pctPopulation'), className: 'num' },
            { label: t('coverage.low.target'), className: 'num' },
            { label: t('coverage.low.missing'), className: 'num' },
          ]}
        >
          {items.map((u, i) => (
            <tr key={u.unit} data-testid={`coverage-low-row-${u.unit}`}>
              <td className="num muted">{formatNumber(i + 1, lang)}</td>
              <th scope="row">
                <a href={href('coverage', u.unit)} title={t('coverage.table.open', { name: u.name })}>
                  {u.name}
                </a>
              </th>
              <td className="num is-low">{formatPct(u.pctPopulation, lang)}</td>
              <td className="num">{formatPct(u.target, lang)}</td>
              <td className="num">{formatNumber(u.missing, lang)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
