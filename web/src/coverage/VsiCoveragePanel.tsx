/**
 * The coverage dashboard's voluntary social insurance (BHXH tự nguyện, product bhxh-tn) panel: for the
 * unit and each unit below it, the participants on the dashboard's date, the new participants over a
 * period (default 1 January to the date: a period starting then, none the day before) and the year's plan
 * where one is entered, from the register's periods. The period is typed dd/MM/yyyy.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { errorMessage } from '../errors';
import { formatDate, formatNumber, formatPct, parseDayMonthYear } from '../format';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner } from '../ui/ErrorBanner';
import { DayInput } from '../register/HouseholdBits';
import { coverageApi, type VsiCoverage } from './coverageApi';

export function VsiCoveragePanel({ unit, date }: { unit: string; date: string }) {
  const { t, i18n } = useTranslation('web');
  const lang = i18n.language;
  const [from, setFrom] = useState(`${date.slice(0, 4)}-01-01`);
  const [to, setTo] = useState(date);
  const [fromText, setFromText] = useState(formatDate(from));
  const [toText, setToText] = useState(formatDate(to));
  const [data, setData] = useState<VsiCoverage | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  // a new dashboard date starts the period again: 1 January of its year to the date
  useEffect(() => {
    const start = `${date.slice(0, 4)}-01-01`;
    setFrom(start);
    setTo(date);
    setFromText(formatDate(start));
    setToText(formatDate(date));
  }, [date]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    coverageApi
      .vsiCoverage(unit, { date, from, to }, controller.signal)
      .then((result) => {
        setData(result);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setLoading(false);
        setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [unit, date, from, to]);

  const typed = (text: string, set: (iso: string) => void, setText: (s: string) => void) => {
    setText(text);
    const iso = parseDayMonthYear(text);
    if (iso) set(iso);
  };
  const n = (v: number | null | undefined) => formatNumber(v, lang);
  const current = data && data.unit === unit ? data : null;
  return (
    <section className={`card vsi-card${loading ? ' is-stale' : ''}`} aria-labelledby="coverage-vsi-title" aria-busy={loading} data-testid="coverage-vsi">
      <div className="card-head">
        <h2 id="coverage-vsi-title">{t('coverage.vsi.title')}</h2>
        <p className="muted small">{t('coverage.vsi.lead', { date: formatDate(date), from: formatDate(from), to: formatDate(to) })}</p>
        <div className="table-tools no-print">
          <label htmlFor="coverage-vsi-from">{t('coverage.vsi.from')}</label>
          <DayInput id="coverage-vsi-from" testId="coverage-vsi-from" value={fromText} onChange={(v) => typed(v, setFrom, setFromText)} />
          <label htmlFor="coverage-vsi-to">{t('coverage.vsi.to')}</label>
          <DayInput id="coverage-vsi-to" testId="coverage-vsi-to" value={toText} onChange={(v) => typed(v, setTo, setToText)} />
        </div>
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {current && current.participants === 0 && current.newParticipants === 0 && current.children.every((c) => c.participants === 0) ? (
        <p className="muted">{t('coverage.vsi.none')}</p>
      ) : (
        current && (
          <DataTable
            className="vsi-table"
            wrapClassName="vsi-table-wrap"
            foot={
              <tr data-testid="coverage-vsi-total">
                <th scope="row">{current.name}</th>
                <td className="num">{n(current.participants)}</td>
                <td className="num">{n(current.newParticipants)}</td>
                <td className="num">{n(current.plan)}</td>
                <td className="num">{formatPct(current.pctPlan, lang)}</td>
              </tr>
            }
            columns={[
              t('coverage.vsi.unit'),
              { label: t('coverage.vsi.participants'), className: 'num' },
              { label: t('coverage.vsi.new'), className: 'num' },
              { label: t('coverage.vsi.plan'), className: 'num' },
              { label: t('coverage.vsi.pctPlan'), className: 'num' },
            ]}
          >
            {current.children.map((c) => (
              <tr key={c.unit} data-testid={`coverage-vsi-row-${c.unit}`}>
                <th scope="row">{c.name}</th>
                <td className="num">{n(c.participants)}</td>
                <td className="num">{n(c.newParticipants)}</td>
                <td className="num">{n(c.plan)}</td>
                <td className="num">{formatPct(c.pctPlan, lang)}</td>
              </tr>
            ))}
          </DataTable>
        )
      )}
    </section>
  );
}
