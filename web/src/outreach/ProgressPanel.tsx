/**
 * The "every door" progress of a unit on a day (the server's today when none is given): households to
 * visit and visited, the pipeline (reached -> promised -> enrolled -> card), the medians, and the figures
 * per commune (a province, an office) or per group, village and member (a commune: each member beside
 * their recruitment target), with the .xlsx. On the outreach page and on the coverage dashboard.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { errorMessage } from '../errors';
import { formatDate, formatNumber, formatPct } from '../format';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner } from '../ui/ErrorBanner';
import { fieldApi, progressXlsxUrl, type Progress } from './fieldApi';

type Figures = Progress['total'];
type Part = 'communes' | 'groups' | 'villages' | 'members';
const KEYS = ['households', 'visited', 'pct', 'reached', 'enrolled', 'promised', 'refused', 'not_home', 'card_active'] as const;

export function ProgressPanel({ unit, date, version = 0, compact = false }: { unit: string; date?: string; version?: number; compact?: boolean }) {
  const { t, i18n } = useTranslation('field');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    fieldApi
      .progress(unit, date, controller.signal)
      .then(setProgress)
      .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    return () => controller.abort();
  }, [unit, date, version]);

  if (error) return <ErrorBanner message={error} />;
  if (!progress) return null;
  const lang = i18n.language;
  const n = (v: number | null) => (v === null ? '—' : formatNumber(v, lang));
  const figures = (f: Figures) => [n(f.households), n(f.householdsVisited), f.pctVisited === null ? '—' : formatPct(f.pctVisited, lang), n(f.personsReached), n(f.enrolled), n(f.promised), n(f.refused), n(f.notHome), n(f.cardActive)];
  const parts: Part[] = progress.communes.length > 0 ? ['communes'] : compact ? ['groups'] : ['groups', 'villages', 'members'];
  const total = progress.total;
  return (
    <section className="card" data-testid="outreach-progress">
      <div className="card-head">
        <h2>{t('progress.title', { date: formatDate(progress.date) })}</h2>
        <a className="btn btn-secondary btn-small" href={progressXlsxUrl(unit, progress.date)} download data-testid="progress-xlsx">
          {t('progress.xlsx')}
        </a>
      </div>
      <p className="lead" data-testid="outreach-every-door">
        {t('progress.every_door', { visited: n(total.householdsVisited), households: n(total.households), pct: total.pctVisited === null ? '—' : formatPct(total.pctVisited, lang) })}
      </p>
      <p className="muted small">
        {t('progress.pipeline', { visited: n(total.personsReached), promised: n(total.promised), enrolled: n(total.enrolled), active: n(total.cardActive) })}
        {total.medianDaysToEnrolment !== null && ` · ${t('progress.median_enrol', { days: n(total.medianDaysToEnrolment) })}`}
        {total.medianDaysToCard !== null && ` · ${t('progress.median_card', { days: n(total.medianDaysToCard) })}`}
      </p>
      {parts.map((part) => {
        const rows = progress[part] as (Figures & { name?: string; displayName?: string; username?: string; target?: number | null; code?: string })[];
        if (rows.length === 0) return null;
        return (
          <details key={part} className="fold" open={part !== 'villages' && part !== 'members'}>
            <summary>
              <h3>{t(`progress.by_${part}`)}</h3>
            </summary>
            <DataTable
              columns={[t('progress.name'), ...KEYS.map((k) => ({ label: t(`progress.${k}`), className: 'num' })), ...(part === 'members' ? [{ label: t('progress.target'), className: 'num' }] : [])]}
              testId={`progress-${part}`}
            >
              {rows.map((row, i) => (
                <tr key={i}>
                  <td>{part === 'communes' && row.code ? <a href={`#/outreach/${row.code}`}>{row.name}</a> : (row.name ?? (row.displayName || row.username) ?? '')}</td>
                  {figures(row).map((v, k) => (
                    <td key={k} className="num">
                      {v}
                    </td>
                  ))}
                  {part === 'members' && <td className="num">{n(row.target ?? null)}</td>}
                </tr>
              ))}
            </DataTable>
          </details>
        );
      })}
    </section>
  );
}
