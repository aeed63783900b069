/**
 * The coverage dashboard's monthly trend: participants at each month end of the last 12 months (from
 * the register), with the same months a year earlier beside them. Hidden when every value is 0.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { type CoverageTrend as Trend } from './coverageApi';
import { errorMessage } from '../errors';
import { formatNumber } from '../format';
import { EChart, type ChartOption } from './EChart';
import { ErrorBanner } from '../ui/ErrorBanner';
import { coverageApi } from './coverageApi';

const MONTHS = 12;
const THIS_YEAR = '#0f5f8c';
const LAST_YEAR = '#98a2b3';

/** 'YYYY-MM' -> 'MM/yyyy', `yearsBack` years earlier. */
function monthLabel(month: string, yearsBack = 0): string {
  const [y, m] = month.split('-');
  return `${m}/${Number(y) - yearsBack}`;
}

export function CoverageTrend({ unit, date }: { unit: string; date: string }) {
  const { t, i18n } = useTranslation('web');
  const lang = i18n.language;
  const [trend, setTrend] = useState<Trend | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    coverageApi
      .coverageTrend(unit, date, MONTHS, controller.signal)
      .then((result) => {
        setTrend(result);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setLoading(false);
        setTrend(null);
        setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [unit, date]);

  const points = useMemo(() => (trend && trend.unit === unit ? trend.points : []), [trend, unit]);
  const empty = points.every((p) => !p.participants && !p.participantsYearAgo);

  const option = useMemo<ChartOption>(() => {
    const n = (v: number) => formatNumber(v, lang);
    return {
      animationDuration: 300,
      color: [THIS_YEAR, LAST_YEAR],
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, itemGap: 16, textStyle: { color: '#475467' } },
      tooltip: {
        trigger: 'axis',
        formatter: (params: unknown) => {
          const p = points[(params as { dataIndex: number }[])[0]?.dataIndex ?? -1];
          if (!p) return '';
          return `<strong>${monthLabel(p.month)}</strong><br/>${t('coverage.trend.thisYear')}: ${n(p.participants)}<br/>${t(
            'coverage.trend.lastYear',
          )} (${monthLabel(p.month, 1)}): ${n(p.participantsYearAgo)}`;
        },
      },
      xAxis: {
        type: 'category',
        // room for the first and last month's labels
        boundaryGap: true,
        data: points.map((p) => monthLabel(p.month)),
        axisLabel: { color: '#475467', fontSize: 11 },
      },
      yAxis: {
        type: 'value',
        scale: true,
        axisLabel: { formatter: (v: number) => n(v), color: '#475467' },
        splitLine: { lineStyle: { color: '#eef2f6' } },
      },
      series: [
        {
          type: 'line',
          name: t('coverage.trend.thisYear'),
          data: points.map((p) => p.participants),
          symbolSize: 6,
          lineStyle: { width: 2.5 },
        },
        {
          type: 'line',
          name: t('coverage.trend.lastYear'),
          data: points.map((p) => p.participantsYearAgo),
          symbolSize: 5,
          lineStyle: { width: 2, type: 'dashed' },
        },
      ],
    };
  }, [points, lang, t]);

  if (error) {
    return (
      <section className="card trend-card" aria-labelledby="coverage-trend-title">
        <h2 id="coverage-trend-title">{t('coverage.trend.title')}</h2>
        <ErrorBanner message={error} onDismiss={() => setError(null)} />
      </section>
    );
  }
  // nothing to draw (no register figures yet): no card at all
  if (points.length === 0 || empty) return null;

  const first = points[0];
  const last = points[points.length - 1];
  return (
    <section className={`card trend-card${loading ? ' is-stale' : ''}`} aria-labelledby="coverage-trend-title">
      <div className="card-head">
        <h2 id="coverage-trend-title">{t('coverage.trend.title')}</h2>
        <p className="muted small">{t('coverage.trend.note')}</p>
      </div>
      <EChart
        option={option}
        height={300}
        testId="coverage-trend"
        label={t('coverage.trend.label', {
          from: monthLabel(first.month),
          to: monthLabel(last.month),
          value: formatNumber(last.participants, lang),
          yearAgo: formatNumber(last.participantsYearAgo, lang),
        })}
      />
    </section>
  );
}
