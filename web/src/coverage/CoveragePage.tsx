/**
 * Coverage dashboard (#/coverage/<unit>): the headline figures of a province, commune or village on a
 * date (each with its source, register or reported), a bar chart of the population coverage of the
 * units below it against a target, a sortable table of those units (drill-down province -> commune ->
 * village), and at commune and village level the list of people to visit. Also: the monthly trend of
 * participants beside the same months a year earlier, the units below target (lowest first), the pupils
 * per school against 100% in the school year, the staff members' recruitment targets and progress, each
 * table as .xlsx (made by the server, headers in the user's language) and the table as CSV, the dashboard
 * as a PDF made by the server, and a print layout (A4 landscape: headline, charts, pupils per school, table).
 * #/coverage goes to the user's own unit (Lào Cai for a national admin); #/coverage/<unit>/visits shows
 * the visit list alone.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { type Coverage, coverageApi, coverageExportUrl, type CoverageFigures, coveragePdfUrl, type FigureSource } from './coverageApi';
import { type Unit, type UnitDetail, unitsApi } from '../units/unitsApi';
import { CoverageFiguresPanel, ProjectionPanel, RegisterExportLinks } from './CoverageFiguresPanel';
import { CoverageStaffProgress } from './CoverageStaffProgress';
import { CoverageTrend } from './CoverageTrend';
import { ErrorBanner } from '../ui/ErrorBanner';
import { EChart, type ChartOption } from './EChart';
import { LowCoverageList } from './LowCoverageList';
import { PupilsBySchool } from './PupilsBySchool';
import { VsiCoveragePanel } from './VsiCoveragePanel';
import { ProgressPanel } from '../outreach/ProgressPanel';
import { today, usePremiumGroups } from '../register/RegisterBits';
import { groupName, isOfficialCode } from '../premium/ruleText';
import { DayInput, parseDayMonthYear } from '../register/HouseholdBits';
import { VisitList } from './VisitList';
import { errorMessage } from '../errors';
import { foldText, formatDate, formatNumber, formatPct, formatSigned } from '../format';
import { compareNames } from '../i18n';
import { href } from '../router';
import { coverageHome } from '../landing';
import { csvCell } from '../../../src/io/csv-cell';

const TARGET_KEY = 'cd_cov_target';

/** The date and target chosen last (kept while moving between units). */
let chosenDate = '';

function storedTarget(): number {
  try {
    const v = Number(window.localStorage.getItem(TARGET_KEY));
    return v > 0 && v <= 100 ? v : 95;
  } catch {
    return 95;
  }
}


interface Loaded {
  coverage: Coverage;
  detail: UnitDetail;
}

export function CoveragePage({ user, code, visitsOnly }: { user: User; code: string | null; visitsOnly: boolean }) {
  const { t, i18n } = useTranslation('web');
  const lang = i18n.language;
  const [date, setDate] = useState(() => chosenDate || today());
  const [dateText, setDateText] = useState(() => formatDate(date));
  const [data, setData] = useState<Loaded | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState(storedTarget);
  const [provinces, setProvinces] = useState<Unit[]>([]);
  // bumped after figures or targets are saved: the dashboard reads them again
  const [version, setVersion] = useState(0);
  const isNational = !user.scopeCode;
  const mayWriteFigures = user.role !== 'viewer';

  // #/coverage: go to the user's unit without leaving a history entry behind
  useEffect(() => {
    if (!code) window.location.replace(coverageHome(user));
  }, [code, user]);

  useEffect(() => {
    if (!isNational) return;
    const controller = new AbortController();
    unitsApi
      .provinces(controller.signal)
      .then((list) => setProvinces([...list].sort((a, b) => compareNames(a.name, b.name))))
      .catch(() => {
        // the picker is a shortcut: the breadcrumb still works without it
      });
    return () => controller.abort();
  }, [isNational]);

  useEffect(() => {
    if (!code) return;
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    Promise.all([coverageApi.coverage(code, date, controller.signal), unitsApi.unit(code, controller.signal)])
      .then(([coverage, detail]) => {
        setData({ coverage, detail });
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setLoading(false);
        setData(null);
        setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [code, date, version]);

  /** The date as typed, dd/MM/yyyy: the dashboard moves to it once it is a whole, real date. */
  function changeDate(value: string) {
    setDateText(value);
    const iso = parseDayMonthYear(value);
    if (iso && iso <= '2100-12-31') {
      chosenDate = iso;
      setDate(iso);
    }
  }

  function changeTarget(value: string) {
    const n = Number(value.replace(',', '.'));
    if (!(n > 0 && n <= 100)) return;
    setTarget(n);
    try {
      window.localStorage.setItem(TARGET_KEY, String(n));
    } catch {
      // only a preference
    }
  }

  const coverage = data && data.coverage.unit === code ? data.coverage : null;
  const detail = data && data.detail.unit.code === code ? data.detail : null;
  const chain = detail ? [...detail.ancestors, detail.unit] : [];
  // the user's own scope is the top of the breadcrumb (a commune officer cannot open the province)
  const scopeIndex = user.scopeCode ? chain.findIndex((u) => u.code === user.scopeCode) : 0;
  const crumbs = scopeIndex > 0 ? chain.slice(scopeIndex) : chain;
  const level = coverage?.level ?? detail?.unit.level ?? null;
  const hasVisits = level === 'commune' || level === 'village';
  // a commune's dashboard is long: its sections below the headline are folded, closed until opened
  const fold = level === 'commune' && !visitsOnly;

  // print the dashboard alone (headline, charts, pupils per school, table), not the visit list below it
  function print() {
    document.body.classList.add('print-dashboard');
    const done = () => {
      document.body.classList.remove('print-dashboard');
      window.removeEventListener('afterprint', done);
    };
    window.addEventListener('afterprint', done);
    // folded sections print open
    for (const d of document.querySelectorAll<HTMLDetailsElement>('details.fold-section')) d.open = true;
    window.print();
  }

  return (
    <div className={`page coverage-page${visitsOnly ? ' visits-only' : ''}`}>
      <div className="page-head coverage-head">
        <div>
          <h1>
            {visitsOnly
              ? t('coverage.visits.titleOf', { name: detail?.unit.name ?? '…' })
              : `${t('coverage.title')}${detail ? ` · ${detail.unit.name}` : ''}`}
          </h1>
          <p className="lead muted no-print">{visitsOnly ? t('coverage.visits.lead') : t('coverage.lead')}</p>
          {!visitsOnly && coverage && <p className="print-only print-head">{t('coverage.printDate', { date: formatDate(coverage.date) })}</p>}
        </div>
        <div className="coverage-controls no-print">
          {isNational && provinces.length > 0 && (
            <div className="field">
              <label htmlFor="coverage-province">{t('coverage.province')}</label>
              <select
                id="coverage-province"
                data-testid="coverage-province"
                value={chain[0]?.code ?? ''}
                onChange={(e) => {
                  if (e.target.value) window.location.hash = href('coverage', e.target.value);
                }}
              >
                {!chain[0] && <option value="">{t('coverage.pickProvince')}</option>}
                {provinces.map((p) => (
                  <option key={p.code} value={p.code}>
                    {p.name}
                  </option>
                ))}
              </select>
            </div>
          )}
          <div className="field">
            <label htmlFor="coverage-date">{t('coverage.date')}</label>
            <DayInput id="coverage-date" testId="coverage-date" value={dateText} onChange={changeDate} />
          </div>
          {!visitsOnly && (
            <button type="button" className="btn btn-secondary" data-testid="coverage-print" onClick={print} disabled={!coverage}>
              {t('coverage.print')}
            </button>
          )}
          {!visitsOnly && coverage && (
            <a className="btn btn-secondary" href={coveragePdfUrl(coverage.unit, coverage.date)} download title={t('coverage.pdfTitle')} data-testid="coverage-pdf">
              {t('coverage.pdf')}
            </a>
          )}
          {!visitsOnly && coverage && <RegisterExportLinks unit={coverage.unit} />}
        </div>
      </div>

      <nav aria-label={t('coverage.breadcrumbLabel')} className="breadcrumb-nav">
        <ol className="breadcrumb" data-testid="coverage-breadcrumb">
          {crumbs.map((u, i) => (
            <li key={u.code}>
              {i < crumbs.length - 1 || visitsOnly ? (
                <a href={href('coverage', u.code)}>{u.name}</a>
              ) : (
                <span aria-current="page">{u.name}</span>
              )}
            </li>
          ))}
          {visitsOnly && (
            <li>
              <span aria-current="page">{t('coverage.visits.title')}</span>
            </li>
          )}
        </ol>
      </nav>

      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {loading && !coverage && <p className="muted">{t('common.loading')}</p>}

      {coverage && !visitsOnly && <Headline c={coverage} lang={lang} stale={loading} />}

      {coverage && !visitsOnly && mayWriteFigures && (
        <CoverageFiguresPanel unit={coverage.unit} unitName={coverage.name} date={date} onSaved={() => setVersion((n) => n + 1)} />
      )}

      {coverage && !visitsOnly && <ProjectionPanel unit={coverage.unit} date={date} />}

      {coverage && !visitsOnly && (
        <Fold fold={fold} title={t('coverage.trend.title')} testId="fold-trend">
          <CoverageTrend unit={coverage.unit} date={date} />
        </Fold>
      )}

      {coverage && !visitsOnly && coverage.children.length > 0 && (
        <Fold fold={fold} title={t('coverage.chart.title', { level: t(`coverage.level.${coverage.children[0].level}`, { defaultValue: '' }) })} testId="fold-chart">
          <section className="card coverage-chart-card" aria-labelledby="coverage-chart-title">
            <div className="card-head">
              <h2 id="coverage-chart-title">
                {t('coverage.chart.title', { level: t(`coverage.level.${coverage.children[0].level}`, { defaultValue: '' }) })}
              </h2>
              <div className="field target-field no-print">
                <label htmlFor="coverage-target">{t('coverage.chart.targetLabel')}</label>
                <input
                  id="coverage-target"
                  data-testid="coverage-target"
                  type="number"
                  min={1}
                  max={100}
                  step={0.5}
                  defaultValue={target}
                  onChange={(e) => changeTarget(e.target.value)}
                />
              </div>
            </div>
            <CoverageChart units={coverage.children} target={target} lang={lang} />
          </section>
          <LowCoverageList unit={coverage.unit} date={date} threshold={target} />
        </Fold>
      )}

      {coverage && !visitsOnly && (
        <Fold fold={fold} title={t('coverage.vsi.title')} testId="fold-vsi">
          <VsiCoveragePanel unit={coverage.unit} date={date} />
        </Fold>
      )}

      {coverage && !visitsOnly && (
        <Fold fold={fold} title={t('coverage.pupils.title')} testId="fold-pupils">
          <PupilsBySchool unit={coverage.unit} date={date} />
        </Fold>
      )}

      {coverage && !visitsOnly && coverage.children.length > 0 && (
        <Fold
          fold={fold}
          title={coverage.level === 'province' ? t('coverage.table.communes', { count: coverage.children.length }) : t('coverage.table.villages', { count: coverage.children.length })}
          testId="fold-table"
        >
          <ChildTable parent={coverage} target={target} lang={lang} />
        </Fold>
      )}

      {coverage && !visitsOnly && (
        <Fold fold={fold} title={t('coverage.staff.title')} testId="fold-staff">
          <CoverageStaffProgress unit={coverage.unit} date={date} />
        </Fold>
      )}

      {coverage && !visitsOnly && <GroupChart c={coverage} lang={lang} />}

      {coverage && !visitsOnly && level !== 'village' && (
        <Fold fold={fold} title={t('coverage.outreach.title')} testId="fold-outreach">
          <ProgressPanel unit={coverage.unit} date={date} compact />
        </Fold>
      )}

      {coverage && hasVisits && (
        <Fold fold={fold} title={t('coverage.visits.title')} testId="fold-visits">
          <VisitList unit={coverage.unit} unitName={coverage.name} date={date} standalone={visitsOnly} />
        </Fold>
      )}
      {coverage && !visitsOnly && level === 'province' && <p className="muted small no-print">{t('coverage.visits.onlyBelow')}</p>}
    </div>
  );
}

/** A section folded under its title (closed by default), or the section itself when `fold` is false. */
function Fold({ fold, title, testId, children }: { fold: boolean; title: string; testId: string; children: React.ReactNode }) {
  if (!fold) return <>{children}</>;
  return (
    <details className="fold-section" data-testid={testId}>
      <summary className="fold-summary">{title}</summary>
      {children}
    </details>
  );
}

// ---------- headline ----------

function SourceTag({ source }: { source: FigureSource }) {
  const { t } = useTranslation('web');
  if (!source) return null;
  return (
    <span className={`source-tag source-${source}`} title={t(`coverage.source.${source}Title`)}>
      {t(`coverage.source.${source}`)}
    </span>
  );
}

function Stat({
  label,
  value,
  source,
  testId,
  tone,
  sub,
  extra,
  progress,
  big,
}: {
  label: string;
  value: string;
  source: FigureSource;
  testId?: string;
  tone?: 'up' | 'down' | 'warn';
  sub?: string | null;
  extra?: string | null;
  progress?: number | null;
  big?: boolean;
}) {
  return (
    <div className={`stat${big ? ' stat-big' : ''}`} data-testid={testId}>
      <div className="stat-label">
        <span>{label}</span>
        <SourceTag source={source} />
      </div>
      <div className={`stat-value${tone ? ` tone-${tone}` : ''}`}>{value}</div>
      {progress != null && (
        <div className="meter" aria-hidden="true">
          <div className="meter-fill" style={{ width: `${Math.max(0, Math.min(100, progress))}%` }} />
        </div>
      )}
      {sub && <div className="stat-sub">{sub}</div>}
      {extra && <div className="stat-diff">{extra}</div>}
    </div>
  );
}

function Headline({ c, lang, stale }: { c: Coverage; lang: string; stale: boolean }) {
  const { t } = useTranslation('web');
  const n = (v: number | null | undefined) => formatNumber(v, lang);
  const diff = (reported: number | null | undefined, register: number | null | undefined, d: number | null | undefined) =>
    d != null && reported != null && register != null
      ? t('coverage.difference', { reported: n(reported), register: n(register), difference: formatSigned(d, lang) })
      : null;
  const yearAgo =
    c.sources.participants === 'reported' ? c.reported?.participantsYearAgo ?? null : c.register?.participantsYearAgo ?? null;
  const dates = c.reported?.dates ?? {};
  const reportedOn = (source: FigureSource, day: string | undefined) =>
    source === 'reported' && day ? t('coverage.card.asOf', { date: formatDate(day) }) : null;
  const yoy = c.yoyChange;
  const planSub = [
    c.reported?.planDecision ? t('coverage.card.planDecision', { decision: c.reported.planDecision }) : null,
    c.reported?.planYear ? t('coverage.card.planYear', { year: c.reported.planYear }) : null,
    c.plan != null ? reportedOn(c.sources.plan, dates.plan) : null,
  ]
    .filter(Boolean)
    .join(' · ');

  return (
    <section
      className={`card headline${stale ? ' is-stale' : ''}`}
      data-testid="coverage-headline"
      aria-label={t('coverage.title')}
      aria-busy={stale}
    >
      {c.stale && <StaleWarning c={c} />}
      <div className="stat-grid-4">
        <Stat
          big
          label={t('coverage.card.participants')}
          value={n(c.participants)}
          source={c.sources.participants}
          testId="coverage-participants"
          sub={reportedOn(c.sources.participants, dates.participants ?? c.reported?.asOf) ?? formatDate(c.date)}
          extra={diff(c.reported?.participants, c.register?.participants, c.difference?.participants)}
        />
        <Stat
          big
          label={t('coverage.card.pctPlan')}
          value={formatPct(c.pctPlan, lang)}
          source={c.sources.plan}
          testId="coverage-pct-plan"
          progress={c.pctPlan}
          sub={c.plan != null ? t('coverage.card.ofPlan', { plan: n(c.plan) }) : t('coverage.card.noPlan')}
        />
        <Stat
          big
          label={t('coverage.card.pctPopulation')}
          value={formatPct(c.pctPopulation, lang)}
          source={c.sources.population}
          testId="coverage-pct-population"
          progress={c.pctPopulation}
          sub={c.population != null ? t('coverage.card.ofPopulation', { population: n(c.population) }) : null}
        />
        <Stat
          big
          label={t('coverage.card.yoy')}
          value={formatSigned(yoy, lang)}
          tone={yoy == null || yoy === 0 ? undefined : yoy > 0 ? 'up' : 'down'}
          source={c.sources.participants}
          testId="coverage-yoy"
          sub={
            yoy == null
              ? c.sources.participants === 'reported' && c.participants != null
                ? t('coverage.card.noYearAgo')
                : null
              : `${yoy > 0 ? t('coverage.card.more') : yoy < 0 ? t('coverage.card.fewer') : t('coverage.card.unchanged')}${
                  yearAgo != null ? ` · ${t('coverage.card.yearAgo', { value: n(yearAgo) })}` : ''
                }`
          }
        />
        <Stat
          label={t('coverage.card.population')}
          value={n(c.population)}
          source={c.sources.population}
          testId="coverage-population"
          sub={reportedOn(c.sources.population, dates.population)}
          extra={diff(c.reported?.population, c.register?.population, c.difference?.population)}
        />
        <Stat
          label={t('coverage.card.plan')}
          value={n(c.plan)}
          source={c.sources.plan}
          testId="coverage-plan"
          sub={planSub || (c.plan == null ? t('coverage.card.noPlan') : null)}
        />
        <Stat
          label={t('coverage.card.expiring30')}
          value={n(c.expiring30)}
          source={c.expiring30 != null ? 'register' : null}
          tone={c.expiring30 ? 'warn' : undefined}
          testId="coverage-expiring30"
          sub={t('coverage.card.fromRegister')}
        />
        <Stat
          label={t('coverage.card.neverInsured')}
          value={n(c.neverInsured)}
          source={c.neverInsured != null ? 'register' : null}
          testId="coverage-never-insured"
          sub={t('coverage.card.fromRegister')}
        />
      </div>
    </section>
  );
}

/** The reported figures too old for the date the dashboard is read for, each with its day. */
export function staleText(c: CoverageFigures, t: (key: string, options?: Record<string, unknown>) => string): string {
  const parts = (c.reported?.staleFields ?? []).map((f) =>
    f === 'plan' ? t('coverage.stale.plan', { year: c.reported?.planYear }) : t(`coverage.stale.${f}`, { date: formatDate(c.reported?.dates[f] ?? '') }),
  );
  return t('coverage.stale.warning', { date: formatDate(c.date), figures: parts.join('; ') });
}

function StaleWarning({ c }: { c: Coverage }) {
  const { t } = useTranslation('web');
  return (
    <div className="banner banner-warn callout" role="status" data-testid="coverage-stale">
      <span className="banner-text">{staleText(c, t)}</span>
    </div>
  );
}

// ---------- chart ----------

const PRIMARY = '#0f5f8c';
const WARN = '#dc6803';
const DANGER = '#b42318';

function byPctDesc(a: CoverageFigures, b: CoverageFigures): number {
  return (b.pctPopulation ?? -1) - (a.pctPopulation ?? -1) || compareNames(a.name, b.name);
}

function CoverageChart({ units, target, lang }: { units: CoverageFigures[]; target: number; lang: string }) {
  const { t } = useTranslation('web');
  const sorted = useMemo(() => [...units].sort(byPctDesc), [units]);
  const below = sorted.filter((u) => u.pctPopulation != null && u.pctPopulation < target).length;
  const narrow = typeof window !== 'undefined' && window.innerWidth < 640;

  const option = useMemo<ChartOption>(() => {
    const pct = (v: number) => formatPct(v, lang);
    return {
      animationDuration: 300,
      grid: { left: 8, right: 16, top: 28, bottom: 8, containLabel: true },
      tooltip: {
        trigger: 'axis',
        axisPointer: { type: 'shadow' },
        formatter: (params: unknown) => {
          const p = (params as { dataIndex: number }[])[0];
          const u = sorted[p.dataIndex];
          if (!u) return '';
          return `<strong>${u.name}</strong><br/>${t('coverage.chart.pctPopulation')}: ${formatPct(u.pctPopulation, lang)}<br/>${t(
            'coverage.table.participants',
          )}: ${formatNumber(u.participants, lang)} / ${formatNumber(u.population, lang)}`;
        },
      },
      xAxis: {
        type: 'category',
        data: sorted.map((u) => u.name.replace(/^(Xã|Phường|Thôn|Tổ dân phố|Tổ|Bản) /, '')),
        axisLabel: {
          rotate: sorted.length > 8 ? 50 : 0,
          fontSize: 11,
          color: '#475467',
          // many units: every n-th name (the tooltip names each bar)
          interval: sorted.length > (narrow ? 12 : 30) ? Math.ceil(sorted.length / (narrow ? 12 : 30)) - 1 : 0,
        },
        axisTick: { alignWithLabel: true },
      },
      yAxis: {
        type: 'value',
        max: 100,
        axisLabel: { formatter: (v: number) => `${v}${lang === 'en' ? '%' : ' %'}`, color: '#475467' },
        splitLine: { lineStyle: { color: '#eef2f6' } },
      },
      series: [
        {
          type: 'bar',
          name: t('coverage.chart.pctPopulation'),
          barMaxWidth: 36,
          cursor: 'pointer',
          data: sorted.map((u) => ({
            value: u.pctPopulation ?? 0,
            itemStyle: {
              color: u.pctPopulation != null && u.pctPopulation >= target ? PRIMARY : WARN,
              borderRadius: [3, 3, 0, 0],
            },
          })),
          markLine: {
            symbol: 'none',
            silent: true,
            lineStyle: { color: DANGER, type: 'dashed', width: 1.5 },
            label: {
              formatter: `${t('coverage.chart.target')} ${pct(target)}`,
              position: 'insideEndTop',
              color: DANGER,
              fontWeight: 600,
            },
            data: [{ yAxis: target }],
          },
        },
      ],
    };
  }, [sorted, target, lang, t, narrow]);

  return (
    <>
      <p className="muted small chart-note">
        <span className="legend-swatch legend-ok" aria-hidden="true" /> ≥ {formatPct(target, lang)}
        <span className="legend-swatch legend-warn" aria-hidden="true" /> {t('coverage.table.belowTarget')}
        <span className="chart-count">· {t('coverage.chart.belowTarget', { count: below, total: sorted.length })}</span>
      </p>
      <EChart
        option={option}
        height={narrow ? 300 : 380}
        testId="coverage-chart"
        label={t('coverage.chart.belowTarget', { count: below, total: sorted.length })}
        onClick={(i) => {
          const u = sorted[i];
          if (u) window.location.hash = href('coverage', u.unit);
        }}
      />
    </>
  );
}

const GROUP_COLORS = ['#0f5f8c', '#2e90fa', '#12b76a', '#f79009', '#7a5af8', '#ee46bc', '#06aed4', '#667085', '#a15c07', '#4e5ba6'];

function GroupChart({ c, lang }: { c: Coverage; lang: string }) {
  const { t } = useTranslation('web');
  const groups = usePremiumGroups();
  const byGroup = c.sources.participants === 'reported' && c.reported?.participantsByGroup ? c.reported.participantsByGroup : c.byGroup;
  const entries = useMemo(() => {
    const nameOf = (code: string) => {
      const g = groups.find((x) => x.code === code);
      return g ? groupName(g, lang) : code;
    };
    return Object.entries(byGroup ?? {})
      .filter(([, v]) => v > 0)
      .sort((a, b) => b[1] - a[1])
      .map(([code, value]) => ({ code, name: nameOf(code), value }));
  }, [byGroup, groups, lang]);
  const option = useMemo<ChartOption>(
    () => ({
      animationDuration: 300,
      color: GROUP_COLORS,
      tooltip: {
        trigger: 'item',
        formatter: (p: unknown) => {
          const item = p as { name: string; value: number; percent: number };
          return `<strong>${item.name}</strong>: ${formatNumber(item.value, lang)} (${formatPct(item.percent, lang)})`;
        },
      },
      series: [
        {
          type: 'pie',
          name: t('coverage.chart.byGroup'),
          radius: ['45%', '72%'],
          center: ['50%', '50%'],
          avoidLabelOverlap: true,
          label: { show: false },
          data: entries.map((e) => ({ name: e.name, value: e.value })),
        },
      ],
    }),
    [entries, lang, t],
  );
  if (entries.length === 0) return null;
  return (
    <section className="card group-card" aria-labelledby="coverage-groups-title">
      <h2 id="coverage-groups-title">{t('coverage.chart.byGroup')}</h2>
      <div className="group-layout">
        <EChart option={option} height={260} testId="coverage-groups-chart" label={t('coverage.chart.byGroup')} />
        <table className="table group-table" data-testid="coverage-groups-table">
          <tbody>
            {entries.map((e, i) => (
              <tr key={e.code}>
                <th scope="row">
                  <span className="legend-swatch" style={{ background: GROUP_COLORS[i % GROUP_COLORS.length] }} aria-hidden="true" />
                  {e.name}
                  {e.name !== e.code && isOfficialCode(e.code) && <span className="code small"> {e.code}</span>}
                </th>
                <td className="num">{formatNumber(e.value, lang)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

// ---------- table ----------

type SortKey = 'name' | 'population' | 'participants' | 'pctPlan' | 'pctPopulation' | 'yoyChange' | 'expiring30';
const COLUMNS: { key: SortKey; label: string }[] = [
  { key: 'name', label: 'coverage.table.name' },
  { key: 'population', label: 'coverage.table.population' },
  { key: 'participants', label: 'coverage.table.participants' },
  { key: 'pctPlan', label: 'coverage.table.pctPlan' },
  { key: 'pctPopulation', label: 'coverage.table.pctPopulation' },
  { key: 'yoyChange', label: 'coverage.table.yoy' },
  { key: 'expiring30', label: 'coverage.table.expiring30' },
];

function compareBy(key: SortKey) {
  return (a: CoverageFigures, b: CoverageFigures): number => {
    if (key === 'name') return compareNames(a.name, b.name);
    const x = a[key];
    const y = b[key];
    // empty values last whatever the direction is handled by the caller
    if (x == null && y == null) return 0;
    if (x == null) return 1;
    if (y == null) return -1;
    return x - y;
  };
}

/** A percentage for the CSV: two decimals at most, with a dot (93.42), so Excel reads a number. */
function csvPct(value: number | null | undefined): number | null {
  return value == null || !Number.isFinite(value) ? null : Math.round(value * 100) / 100;
}

function ChildTable({ parent, target, lang }: { parent: Coverage; target: number; lang: string }) {
  const { t } = useTranslation('web');
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'pctPopulation', dir: -1 });
  const [filter, setFilter] = useState('');
  const units = parent.children;

  const rows = useMemo(() => {
    const f = foldText(filter);
    const list = f ? units.filter((u) => foldText(u.name).includes(f) || u.unit.startsWith(f)) : [...units];
    const cmp = compareBy(sort.key);
    return list.sort((a, b) => {
      if (sort.key !== 'name') {
        const x = a[sort.key];
        const y = b[sort.key];
        if (x == null || y == null) return cmp(a, b);
      }
      return cmp(a, b) * sort.dir || compareNames(a.name, b.name);
    });
  }, [units, sort, filter]);

  function toggle(key: SortKey) {
    setSort((s) => (s.key === key ? { key, dir: s.dir === 1 ? -1 : 1 } : { key, dir: key === 'name' ? 1 : -1 }));
  }

  function exportCsv() {
    const header = COLUMNS.map((c) => t(c.label));
    const lines = [
      [t('coverage.table.code'), ...header].map(csvCell).join(','),
      ...rows.map((u) =>
        [u.unit, u.name, u.population, u.participants, csvPct(u.pctPlan), csvPct(u.pctPopulation), u.yoyChange, u.expiring30]
          .map(csvCell)
          .join(','),
      ),
    ];
    const blob = new Blob(['\ufeff', lines.join('\r\n'), '\r\n'], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `coverage-${parent.unit}-${parent.date}.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 1000);
  }

  const title =
    parent.level === 'province' ? t('coverage.table.communes', { count: units.length }) : t('coverage.table.villages', { count: units.length });

  return (
    <section className="card" aria-labelledby="coverage-table-title">
      <div className="card-head">
        <h2 id="coverage-table-title">{title}</h2>
        <div className="table-tools no-print">
          {units.length > 8 && (
            <>
              <label htmlFor="coverage-filter" className="visually-hidden">
                {t('coverage.table.filterLabel')}
              </label>
              <input
                id="coverage-filter"
                data-testid="coverage-filter"
                type="search"
                autoComplete="off"
                placeholder={t('coverage.table.filterPlaceholder')}
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
              />
            </>
          )}
          <a
            className="btn btn-secondary btn-small"
            href={coverageExportUrl(parent.unit, 'children', { date: parent.date })}
            download
            title={t('coverage.xlsxTitle')}
            data-testid="coverage-xlsx"
          >
            {t('coverage.xlsx')}
          </a>
          <button type="button" className="btn btn-secondary btn-small" data-testid="coverage-export" title={t('common.csvTitle')} onClick={exportCsv}>
            {t('coverage.table.export')}
          </button>
        </div>
      </div>
      <div className="table-wrap coverage-table-wrap">
        <table className="table coverage-table" data-testid="coverage-table">
          <thead>
            <tr>
              {COLUMNS.map((c) => {
                const active = sort.key === c.key;
                return (
                  <th
                    key={c.key}
                    scope="col"
                    className={c.key === 'name' ? 'col-name' : 'num'}
                    aria-sort={active ? (sort.dir === 1 ? 'ascending' : 'descending') : undefined}
                  >
                    <button
                      type="button"
                      className={`sort-button${active ? ' is-active' : ''}`}
                      data-testid={`coverage-sort-${c.key}`}
                      onClick={() => toggle(c.key)}
                      title={t('coverage.table.sortBy', { column: t(c.label) })}
                    >
                      {t(c.label)}
                      <span className="sort-mark" aria-hidden="true">
                        {active ? (sort.dir === 1 ? '▲' : '▼') : '↕'}
                      </span>
                    </button>
                  </th>
                );
              })}
            </tr>
          </thead>
          <tbody>
            {rows.map((u) => {
              const low = u.pctPopulation != null && u.pctPopulation < target;
              return (
                <tr key={u.unit} data-testid={`coverage-row-${u.unit}`}>
                  <th scope="row" className="col-name">
                    <a href={href('coverage', u.unit)} data-testid={`coverage-link-${u.unit}`} title={t('coverage.table.open', { name: u.name })}>
                      {u.name}
                    </a>
                    {u.stale && (
                      <span className="stale-mark" title={staleText(u, t)} aria-label={staleText(u, t)} data-testid={`coverage-stale-${u.unit}`}>
                        {' '}⚠
                      </span>
                    )}
                  </th>
                  <td className="num">{formatNumber(u.population, lang)}</td>
                  <td className="num">{formatNumber(u.participants, lang)}</td>
                  <td className="num">{formatPct(u.pctPlan, lang)}</td>
                  <td className={`num${low ? ' is-low' : ''}`}>{formatPct(u.pctPopulation, lang)}</td>
                  <td className={`num${u.yoyChange ? (u.yoyChange > 0 ? ' tone-up' : ' tone-down') : ''}`}>{formatSigned(u.yoyChange, lang)}</td>
                  <td className="num">{formatNumber(u.expiring30, lang)}</td>
                </tr>
              );
            })}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" className="col-name">
                {parent.name}
              </th>
              <td className="num">{formatNumber(parent.population, lang)}</td>
              <td className="num">{formatNumber(parent.participants, lang)}</td>
              <td className="num">{formatPct(parent.pctPlan, lang)}</td>
              <td className="num">{formatPct(parent.pctPopulation, lang)}</td>
              <td className="num">{formatSigned(parent.yoyChange, lang)}</td>
              <td className="num">{formatNumber(parent.expiring30, lang)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  );
}
