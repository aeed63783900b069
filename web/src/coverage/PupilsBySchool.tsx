/**
 * The coverage dashboard's pupils per school: for each school in `unit` (and the pupils without a
 * recorded school), the pupils, those with a card on the date and the share of them against 100% in
 * the school year, lowest first, with a totals row. Hidden when the unit has no pupils.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { coverageExportUrl, type CoveragePupils, type PupilSchoolFigures } from './coverageApi';
import { errorMessage } from '../errors';
import { formatDate, formatNumber, formatPct } from '../format';
import { compareNames } from '../i18n';
import { ErrorBanner } from '../ui/ErrorBanner';
import { coverageApi } from './coverageApi';
import { DataTable } from '../ui/DataTable';

/** Lowest share first (no share last), then by name; the pupils without a school after the named ones. */
function compareSchools(a: PupilSchoolFigures, b: PupilSchoolFigures): number {
  if (a.pct !== b.pct) {
    if (a.pct == null) return 1;
    if (b.pct == null) return -1;
    return a.pct - b.pct;
  }
  if (a.school == null || b.school == null) return a.school == null ? (b.school == null ? 0 : 1) : -1;
  return compareNames(a.school, b.school);
}

function PctCell({ pct, lang }: { pct: number | null; lang: string }) {
  return (
    <td className="num pupils-pct">
      {formatPct(pct, lang)}
      {pct != null && (
        <div className="meter" aria-hidden="true">
          <div className="meter-fill" style={{ width: `${Math.max(0, Math.min(100, pct))}%` }} />
        </div>
      )}
    </td>
  );
}

export function PupilsBySchool({ unit, date }: { unit: string; date: string }) {
  const { t, i18n } = useTranslation('web');
  const lang = i18n.language;
  const [data, setData] = useState<CoveragePupils | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    coverageApi
      .coveragePupils(unit, date, controller.signal)
      .then((result) => {
        setData(result);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setLoading(false);
        setData(null);
        setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [unit, date]);

  // another unit's schools are not shown while this one loads
  const current = data && data.unit === unit ? data : null;
  const rows = useMemo(() => (current ? [...current.schools].sort(compareSchools) : []), [current]);

  if (error) {
    return (
      <section className="card pupils-card" aria-labelledby="coverage-pupils-title" data-testid="coverage-pupils">
        <h2 id="coverage-pupils-title">{t('coverage.pupils.title')}</h2>
        <ErrorBanner message={error} onDismiss={() => setError(null)} />
      </section>
    );
  }
  // no pupils in the unit (or not loaded yet): no card at all
  if (!current || current.total.pupils === 0) return null;

  const n = (v: number | null | undefined) => formatNumber(v, lang);
  return (
    <section
      className={`card pupils-card${loading ? ' is-stale' : ''}`}
      aria-labelledby="coverage-pupils-title"
      aria-busy={loading}
      data-testid="coverage-pupils"
    >
      <div className="card-head">
        <h2 id="coverage-pupils-title">
          {t('coverage.pupils.title')} · {t('coverage.pupils.schoolYear', { year: current.schoolYear })}
        </h2>
        <p className="muted small">{t('coverage.pupils.lead', { date: formatDate(current.date) })}</p>
        <div className="table-tools no-print">
          <a
            className="btn btn-secondary btn-small"
            href={coverageExportUrl(unit, 'pupils', { date: current.date })}
            download
            title={t('coverage.xlsxTitle')}
            data-testid="coverage-pupils-xlsx"
          >
            {t('coverage.xlsx')}
          </a>
        </div>
      </div>
      <DataTable
        className="pupils-table"
        wrapClassName="pupils-table-wrap"
        foot={
          <>
            <tr data-testid="coverage-pupils-total">
              <th scope="row">{t('coverage.pupils.total')}</th>
              <td className="num">{n(current.total.pupils)}</td>
              <td className="num">{n(current.total.covered)}</td>
              <PctCell pct={current.total.pct} lang={lang} />
              <td className="num">{n(current.total.missing)}</td>
            </tr>
          </>
        }
        columns={[
          t('coverage.pupils.school'),
          { label: t('coverage.pupils.pupils'), className: 'num' },
          { label: t('coverage.pupils.covered'), className: 'num' },
          { label: t('coverage.pupils.pct'), className: 'num' },
          { label: t('coverage.pupils.missing'), className: 'num' },
        ]}
      >
        {rows.map((s, i) => (
          <tr key={s.school ?? ''} data-testid={`coverage-pupils-row-${i}`}>
            <th scope="row" className={s.school == null ? 'muted' : undefined}>
              {s.school ?? t('coverage.pupils.noSchool')}
            </th>
            <td className="num">{n(s.pupils)}</td>
            <td className="num">{n(s.covered)}</td>
            <PctCell pct={s.pct} lang={lang} />
            <td className={`num${s.missing > 0 ? ' is-low' : ''}`}>{n(s.missing)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
