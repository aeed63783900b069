/**
 * The coverage dashboard's staff targets: each staff member whose recruitment target lies in the unit or
 * directly under it, with the persons they recruited in the year (cards they entered) against the target,
 * lowest progress first, and the table as .xlsx.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { coverageExportUrl, type StaffProgressItem } from './coverageApi';
import { errorMessage } from '../errors';
import { formatNumber, formatPct } from '../format';
import { ErrorBanner } from '../ui/ErrorBanner';
import { coverageApi } from './coverageApi';
import { DataTable } from '../ui/DataTable';

export function CoverageStaffProgress({ unit, date }: { unit: string; date: string }) {
  const { t, i18n } = useTranslation('web');
  const lang = i18n.language;
  const year = Number(date.slice(0, 4));
  const [loaded, setLoaded] = useState<{ key: string; items: StaffProgressItem[] } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = `${unit}|${year}`;

  useEffect(() => {
    const controller = new AbortController();
    setError(null);
    coverageApi.staffProgress(unit, year, controller.signal)
      .then((result) => setLoaded({ key: `${unit}|${year}`, items: result.items }))
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setLoaded(null);
        setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [unit, year]);

  const items = loaded?.key === key ? loaded.items : null;

  return (
    <section className="card staff-card" aria-labelledby="coverage-staff-title" data-testid="coverage-staff">
      <div className="card-head">
        <div>
          <h2 id="coverage-staff-title">{t('coverage.staff.title')}</h2>
          <p className="muted small">{t('coverage.staff.lead', { year })}</p>
        </div>
        {items && items.length > 0 && (
          <div className="table-tools no-print">
            <a
              className="btn btn-secondary btn-small"
              href={coverageExportUrl(unit, 'staff', { date, year })}
              download
              title={t('coverage.xlsxTitle')}
              data-testid="coverage-staff-xlsx"
            >
              {t('coverage.xlsx')}
            </a>
          </div>
        )}
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {!items && !error && <p className="muted">{t('common.loading')}</p>}
      {items && items.length === 0 && (
        <p className="empty" data-testid="coverage-staff-empty">
          {t('coverage.staff.empty', { year })}
        </p>
      )}
      {items && items.length > 0 && (
        <DataTable
          className="staff-table"
          columns={[
            t('coverage.staff.name'),
            t('coverage.staff.unit'),
            { label: t('coverage.staff.recruited'), className: 'num' },
            { label: t('coverage.staff.target'), className: 'num' },
            { label: t('coverage.staff.pct'), className: 'staff-meter-col' },
            { label: t('coverage.staff.missing'), className: 'num' },
          ]}
        >
          {items.map((s) => (
            <tr key={s.id} data-testid={`coverage-staff-row-${s.username}`}>
              <td>
                <strong>{s.displayName}</strong> <span className="muted small">({s.username})</span>
              </td>
              <td>{s.unitName ?? '–'}</td>
              <td className="num">{formatNumber(s.recruited, lang)}</td>
              <td className="num">{formatNumber(s.participants, lang)}</td>
              <td className="staff-meter-col">
                <div style={{ display: 'flex', alignItems: 'center', gap: 8 }}>
                  <div className="meter" aria-hidden="true" style={{ flex: '1 1 80px', minWidth: 60, margin: 0 }}>
                    <div className="meter-fill" style={{ width: `${Math.max(0, Math.min(100, s.pct ?? 0))}%` }} />
                  </div>
                  <span className={`num${s.pct !== null && s.pct < 100 ? ' is-low' : ''}`} style={{ minWidth: 64, textAlign: 'right' }}>{formatPct(s.pct, lang)}</span>
                </div>
              </td>
              <td className="num">{formatNumber(s.missing, lang)}</td>
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
