/**
 * Campaigns (#/campaigns[/ID]): the list of campaign months the user sees, a new one; a campaign's
 * targets and split (warnings where a split does not add up), its results per kind, the communes ranked,
 * the working groups and staff members, the running totals by day as a chart, and the closing report.
 */
import { Fragment, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../access/accessApi';
import { EChart, type ChartOption } from '../coverage/EChart';
import { formatDate, formatNumber, formatPct } from '../format';
import { navigate } from '../router';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { CampaignForm } from './CampaignForm';
import { IncentivesPanel } from './IncentivesPanel';
import { CampaignEvents } from './CampaignEvents';
import { campaignsApi, KINDS, reportUrl, type CampaignProgress, type TargetKind } from './campaignsApi';
import { useLoad } from '../ui/useLoad';

const COLORS: Record<TargetKind | 'field', string> = { bhyt_household: '#0f5f8c', bhxh_tn: '#2e7d32', renewal: '#b26a00', field: '#98a2b3' };

const canManage = (user: User) => user.role === 'admin' || user.role === 'province_staff' || user.role === 'commune_officer';

/** The kinds the campaign deals with: a target, a split line, or something achieved (the tables show only those). */
function usedKinds(p: CampaignProgress): TargetKind[] {
  const used = KINDS.filter((k) => p.kinds[k].target !== null || p.kinds[k].achieved > 0 || p.campaign.split.some((s) => s.kind === k));
  return used.length ? used : ['bhyt_household'];
}

export function CampaignsPage({ user, id }: { user: User; id?: string }) {
  return id ? <CampaignDetail user={user} id={id} /> : <CampaignList user={user} />;
}

function CampaignList({ user }: { user: User }) {
  const { t } = useTranslation('campaigns');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const [rows] = useLoad((signal) => campaignsApi.list(signal), [], setError);

  return (
    <div data-testid="campaigns-page">
      <div className="card-head">
        <h1>{t('web.title')}</h1>
        {canManage(user) && !creating && (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="campaign-new">
            {t('web.new')}
          </button>
        )}
      </div>
      <p className="muted">{t('web.intro')}</p>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {creating && (
        <section className="card">
          <h2>{t('web.new')}</h2>
          <CampaignForm defaultUnit={user.scopeCode} onCancel={() => setCreating(false)} onSaved={(c) => navigate('campaigns', c.id)} />
        </section>
      )}
      <section className="card">
        {rows && rows.length === 0 && <p className="muted">{t('web.none')}</p>}
        {rows && rows.length > 0 && (
          <DataTable columns={[t('web.name'), t('web.unit'), t('web.period_title'), t('web.targets')]} testId="campaigns-table">
            {rows.map((c) => (
              <tr key={c.id} data-testid="campaign-row">
                <td>
                  <a href={`#/campaigns/${c.id}`}>{c.name}</a>
                </td>
                <td>{c.unitName}</td>
                <td>{t('web.period', { from: formatDate(c.startsOn), to: formatDate(c.endsOn) })}</td>
                <td>
                  {KINDS.filter((k) => c.targets[k] !== null)
                    .map((k) => `${t(`kinds_short.${k}`)}: ${formatNumber(c.targets[k])}`)
                    .join(' · ') || t('web.no_target')}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}

function CampaignDetail({ user, id }: { user: User; id: string }) {
  const { t, i18n } = useTranslation('campaigns');
  const lang = i18n.language;
  const [editing, setEditing] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  const [progress] = useLoad((signal) => campaignsApi.progress(id, signal), [id, version], setError);

  const option = useMemo<ChartOption | null>(() => {
    if (!progress) return null;
    const used = usedKinds(progress);
    return {
      animationDuration: 300,
      grid: { left: 8, right: 16, top: 36, bottom: 8, containLabel: true },
      legend: { top: 0, left: 0, textStyle: { color: '#475467' } },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => formatNumber(Number(v), lang) },
      xAxis: { type: 'category', data: progress.days.map((d) => formatDate(d.day).slice(0, 5)) },
      yAxis: { type: 'value', minInterval: 1, axisLabel: { formatter: (v: number) => formatNumber(v, lang) } },
      series: [
        ...used.map((k) => ({ name: t(`kinds_short.${k}`), type: 'line', step: 'end', color: COLORS[k], data: progress.days.map((d) => d[k]) })),
        { name: t('report.field_enrolled'), type: 'line', step: 'end', color: COLORS.field, lineStyle: { type: 'dashed' }, data: progress.days.map((d) => d.fieldEnrolled) },
      ],
    };
  }, [progress, lang, t]);

  if (!progress) return <ErrorBanner message={error} />;
  const c = progress.campaign;
  const mayEdit = canManage(user) && c.canChange;
  const reached = (r: { target: number | null; achieved: number; pct: number | null }) => (
    <>
      <td className="num">{r.target === null ? t('web.no_target') : formatNumber(r.target, lang)}</td>
      <td className="num">{formatNumber(r.achieved, lang)}</td>
      <td className="num">{formatPct(r.pct, lang)}</td>
    </>
  );
  const used = usedKinds(progress);
  const kindColumns = used.flatMap((k) => [
    { label: `${t(`kinds_short.${k}`)}: ${t('report.target')}`, className: 'num' },
    { label: t('report.achieved'), className: 'num' },
    { label: t('report.pct'), className: 'num' },
  ]);

  return (
    <div data-testid="campaign-page">
      <p>
        <a href="#/campaigns">← {t('web.back')}</a>
      </p>
      <div className="card-head">
        <div>
          <h1>{c.name}</h1>
          <p className="muted">
            {c.unitName} · {t('web.period', { from: formatDate(c.startsOn), to: formatDate(c.endsOn) })}
            {c.theme ? ` · ${c.theme}` : ''}
          </p>
        </div>
        <div className="btn-group">
          <a className="btn btn-secondary" href={reportUrl(c.id, 'xlsx')} data-testid="campaign-report-xlsx">
            {t('web.report_xlsx')}
          </a>
          <a className="btn btn-secondary" href={reportUrl(c.id, 'pdf')} data-testid="campaign-report-pdf">
            {t('web.report_pdf')}
          </a>
          {mayEdit && !editing && (
            <button type="button" className="btn btn-ghost" onClick={() => setEditing(true)} data-testid="campaign-edit">
              {t('web.edit')}
            </button>
          )}
        </div>
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      {c.warnings.length > 0 && (
        <div className="banner banner-warning" role="status" data-testid="campaign-warnings">
          {c.warnings.map((w) => (
            <p key={`${w.kind}/${w.level}`}>{w.message}</p>
          ))}
        </div>
      )}
      {editing && (
        <section className="card">
          <CampaignForm
            initial={c}
            defaultUnit={c.unitCode}
            onCancel={() => setEditing(false)}
            onSaved={() => {
              setEditing(false);
              setNotice(t('web.saved'));
              setVersion((v) => v + 1);
            }}
          />
        </section>
      )}

      <section className="card" data-testid="campaign-kinds">
        <h2>
          {t('web.progress')} <span className="muted small">{t('web.counted_until', { date: formatDate(progress.countedUntil) })}</span>
        </h2>
        <div className="stat-grid">
          {KINDS.map((k) => (
            <div className="stat" key={k} data-testid={`campaign-kind-${k}`}>
              <div className="stat-label">{t(`kinds.${k}`)}</div>
              <div className="stat-value">
                {formatNumber(progress.kinds[k].achieved, lang)}
                {progress.kinds[k].target !== null && <span className="muted"> / {formatNumber(progress.kinds[k].target, lang)}</span>}
              </div>
              <div className="stat-sub">{progress.kinds[k].pct === null ? t('web.no_target') : formatPct(progress.kinds[k].pct, lang)}</div>
            </div>
          ))}
          <div className="stat">
            <div className="stat-label">{t('report.field_enrolled')}</div>
            <div className="stat-value">{formatNumber(progress.fieldEnrolled, lang)}</div>
          </div>
        </div>
        <p className="muted small">{t('report.field_note')}</p>
      </section>

      {option && (
        <section className="card">
          <h2>{t('web.by_day')}</h2>
          <EChart option={option} height={260} testId="campaign-chart" label={t('web.by_day')} />
        </section>
      )}

      <section className="card">
        <h2>{t('web.ranked')}</h2>
        <DataTable columns={[{ label: t('report.rank'), className: 'num' }, t('report.commune'), ...kindColumns, { label: t('report.field_enrolled'), className: 'num' }]} testId="campaign-communes">
          {progress.communes.map((row) => (
            <tr key={row.code}>
              <td className="num">{row.rank}</td>
              <td className="nowrap">{row.name}</td>
              {used.map((k) => (
                <Fragment key={k}>{reached(row.kinds[k])}</Fragment>
              ))}
              <td className="num">{formatNumber(row.fieldEnrolled, lang)}</td>
            </tr>
          ))}
        </DataTable>
      </section>

      {progress.groups.length > 0 && (
        <section className="card">
          <h2>{t('web.by_group')}</h2>
          <DataTable columns={[t('report.group'), ...kindColumns, { label: t('report.field_enrolled'), className: 'num' }]} testId="campaign-groups">
            {progress.groups.map((g) => (
              <tr key={g.id}>
                <td>{g.name}</td>
                {used.map((k) => (
                  <Fragment key={k}>{reached(g.kinds[k])}</Fragment>
                ))}
                <td className="num">{formatNumber(g.fieldEnrolled, lang)}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}

      <CampaignEvents campaignId={c.id} />

      <IncentivesPanel campaignId={c.id} canRedeem={mayEdit} />

      {progress.staff.length > 0 && (
        <section className="card">
          <h2>{t('web.by_staff')}</h2>
          <DataTable
            columns={[t('report.person'), { label: t('report.target'), className: 'num' }, { label: t('report.achieved'), className: 'num' }, { label: t('report.pct'), className: 'num' }, { label: t('report.field_enrolled'), className: 'num' }]}
            testId="campaign-staff"
          >
            {progress.staff.map((s) => (
              <tr key={s.userId}>
                <td>
                  {s.displayName} <span className="muted small">({s.username})</span>
                </td>
                {reached(s)}
                <td className="num">{formatNumber(s.fieldEnrolled, lang)}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}
    </div>
  );
}
