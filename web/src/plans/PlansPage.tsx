/**
 * Plans (#/plans[/ID]): the to-do dashboard (tasks overdue and due within 7 days per responsible unit, goals
 * at risk), the plans the user sees and a new one; a plan's goals with live progress (current, projected to
 * the goal's date, at risk, 6-month trend), its tasks (status, notes, evidence, sub-tasks per commune), the
 * task table .xlsx, the communes' scorecard and the printable status report.
 */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../access/accessApi';
import { useLoad } from '../ui/useLoad';
import { errorMessage } from '../errors';
import { formatDate, formatDecimal, formatNumber } from '../format';
import { navigate } from '../router';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { PlanForm } from './PlanForm';
import { PlanTasks } from './PlanTasks';
import { plansApi, reportUrl, tasksXlsxUrl, type Dashboard, type Plan } from './plansApi';
import { deadlineText } from '../../../src/domain/plans';

const canManage = (user: User) => user.role === 'admin' || user.role === 'province_staff' || user.role === 'commune_officer';

export function PlansPage({ user, id }: { user: User; id?: string }) {
  return id ? <PlanDetail key={id} id={id} /> : <PlanList user={user} />;
}

/** A goal's or scorecard's value: a percentage with its sign, a count with thousands separators. */
export function goalValue(value: number | null | undefined, measure: string, lang: string): string {
  if (value === null || value === undefined) return '—';
  return measure === 'percent' ? `${formatDecimal(value, lang)}%` : formatNumber(value, lang);
}

/** The plans to list: a commune plan cascaded from a plan in the list is reached from that plan's page. */
const topPlans = (rows: Plan[]) => rows.filter((p) => !p.parentId || !rows.some((q) => q.id === p.parentId));
const childCount = (rows: Plan[], id: string) => rows.filter((p) => p.parentId === id).length;

function PlanList({ user }: { user: User }) {
  const { t, i18n } = useTranslation('plans');
  const [creating, setCreating] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [rows] = useLoad((signal) => plansApi.list(signal), [], setError);
  const [dash] = useLoad((signal) => plansApi.dashboard(signal), [], setError);

  return (
    <div data-testid="plans-page">
      <div className="card-head">
        <h1>{t('web.title')}</h1>
        {canManage(user) && !creating && (
          <button type="button" className="btn btn-primary" onClick={() => setCreating(true)} data-testid="plan-new">
            {t('web.new')}
          </button>
        )}
      </div>
      <p className="muted">{t('web.intro')}</p>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {creating && (
        <section className="card">
          <h2>{t('web.new')}</h2>
          <PlanForm defaultUnit={user.scopeCode} onCancel={() => setCreating(false)} onSaved={(p) => navigate('plans', p.id)} />
        </section>
      )}
      {dash && <DashboardBlock dash={dash} lang={i18n.language} />}
      <section className="card">
        {rows && rows.length === 0 && <p className="muted">{t('web.none')}</p>}
        {rows && rows.length > 0 && (
          <DataTable columns={[t('web.number'), t('web.title_field'), t('web.level'), t('web.issued_on'), t('web.goals')]} testId="plans-table">
            {topPlans(rows).map((p) => (
              <tr key={p.id} data-testid="plan-row">
                <td className="nowrap">
                  <a href={`#/plans/${p.id}`}>{p.number}</a>
                </td>
                <td>
                  {p.title}
                  <div className="muted small">
                    {p.unitName}
                    {childCount(rows, p.id) > 0 && ` · ${t('web.communes_n', { n: childCount(rows, p.id) })}`}
                  </div>
                </td>
                <td data-label={t('web.level')}>{t(`levels.${p.level}`, { defaultValue: p.level })}</td>
                <td className="nowrap" data-label={t('web.issued_on')}>{formatDate(p.issuedOn)}</td>
                <td className="small" data-label={t('web.goals')}>
                  {p.goals.map((g) => (
                    <div key={g.id}>
                      {t(`metrics.${g.metric}`)}: {goalValue(g.value, g.measure, i18n.language)} ({formatDate(g.byDate)})
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}

function DashboardBlock({ dash, lang }: { dash: Dashboard; lang: string }) {
  const { t } = useTranslation('plans');
  return (
    <section className="card" data-testid="plans-dashboard">
      <h2>{t('web.dashboard')}</h2>
      <p className="muted small">{t('web.dashboard_intro')}</p>
      {dash.units.length === 0 ? (
        <p className="muted">{t('web.no_due')}</p>
      ) : (
        <DataTable columns={[t('table.responsible'), t('report.overdue'), t('report.due_soon')]} testId="dashboard-table">
          {dash.units.map((u) => (
            <tr key={u.responsible}>
              <td data-label={t('table.responsible')}>{u.responsible}</td>
              <td data-label={t('report.overdue')}>
                {u.overdue.map((x) => (
                  <div key={x.id} className="small">
                    <span className="pill pill-poor">{formatDate(x.nextDue)}</span>{' '}
                    <a href={`#/plans/${x.planId}`}>{x.planNumber}</a> · {x.content}
                  </div>
                ))}
              </td>
              <td data-label={t('report.due_soon')}>
                {u.dueSoon.map((x) => (
                  <div key={x.id} className="small">
                    <span className="pill pill-near">{formatDate(x.nextDue)}</span>{' '}
                    <a href={`#/plans/${x.planId}`}>{x.planNumber}</a> · {x.content}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      <h3>{t('web.goals_at_risk')}</h3>
      {dash.goalsAtRisk.length === 0 ? (
        <p className="muted">{t('web.no_risk')}</p>
      ) : (
        <ul data-testid="goals-at-risk">
          {dash.goalsAtRisk.map((g) => (
            <li key={g.id}>
              <a href={`#/plans/${g.planId}`}>{g.planNumber}</a> ({g.unitName}): {t(`metrics.${g.metric}`)} {goalValue(g.value, g.measure, lang)} ({formatDate(g.byDate)}) ·{' '}
              {t('report.current')} {goalValue(g.current, g.measure, lang)} · {t('report.projected')} {goalValue(g.projected, g.measure, lang)}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

/** Communes shown on the scorecard: the first and last SCORECARD_ENDS by rank, or all. */
const SCORECARD_ENDS = 10;
function shownCommunes<T>(rows: T[], all: boolean): T[] {
  return all || rows.length <= 2 * SCORECARD_ENDS ? rows : [...rows.slice(0, SCORECARD_ENDS), ...rows.slice(-SCORECARD_ENDS)];
}

function PlanDetail({ id }: { id: string }) {
  const { t, i18n } = useTranslation('plans');
  const lang = i18n.language;
  const [date, setDate] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reload, setReload] = useState(0);
  const [allCommunes, setAllCommunes] = useState(false);
  const [status] = useLoad((signal) => plansApi.status(id, date || undefined, signal), [id, date, reload], setError);

  if (!status) return <ErrorBanner message={error} />;
  const p = status.plan;
  const refresh = () => setReload((n) => n + 1);

  return (
    <div data-testid="plan-page">
      <p>
        <a href="#/plans">{t('web.back')}</a>
        {p.parentId && (
          <>
            {' · '}
            <a href={`#/plans/${p.parentId}`}>{t('web.parent_plan')}</a>
          </>
        )}
      </p>
      <div className="card-head">
        <h1 data-testid="plan-title">
          {p.number}: {p.title}
        </h1>
      </div>
      <p className="muted">
        {p.unitName}
        {p.issuer ? ` · ${p.issuer}` : ''} · {formatDate(p.issuedOn)}
        {p.implements ? ` · ${t('report.implements', { document: p.implements })}` : ''}
      </p>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      <section className="card">
        <div className="btn-group">
          <label className="inline-field">
            {t('web.date')}{' '}
            <input type="date" value={date || status.date} onChange={(e) => setDate(e.target.value)} data-testid="plan-date" />
          </label>
          <a className="btn btn-secondary" href={reportUrl(id, 'pdf', date || undefined)} data-testid="report-pdf">
            {t('web.report_pdf')}
          </a>
          <a className="btn btn-secondary" href={reportUrl(id, 'xlsx', date || undefined)} data-testid="report-xlsx">
            {t('web.report_xlsx')}
          </a>
          <a className="btn btn-ghost" href={tasksXlsxUrl(id)} data-testid="tasks-export">
            {t('web.export')}
          </a>
          {p.canChange && p.level === 'province' && (
            <button
              type="button"
              className="btn btn-ghost"
              data-testid="plan-cascade"
              onClick={() =>
                plansApi
                  .cascade(id)
                  .then((made) => {
                    setNotice(t('web.cascaded', { n: made.length }));
                    refresh();
                  })
                  .catch((err: unknown) => setError(errorMessage(err)))
              }
            >
              {t('web.cascade')}
            </button>
          )}
        </div>
      </section>
      <section className="card">
        <h2>{t('report.goals')}</h2>
        {status.goals.length === 0 ? (
          <p className="muted">{t('report.none')}</p>
        ) : (
          <DataTable
            columns={[t('report.metric'), { label: t('report.goal'), className: 'num' }, t('report.by_date'), { label: t('report.current'), className: 'num' }, { label: t('report.projected'), className: 'num' }, t('report.at_risk')]}
            testId="goals-table"
          >
            {status.goals.map((g) => (
              <tr key={g.id} data-testid="goal-status">
                <td>
                  {t(`metrics.${g.metric}`)}
                  {g.trend.length > 0 && (
                    <div className="muted small">
                      {t('web.trend')}: {g.trend.map((x) => goalValue(x.value, g.measure, lang)).join(' → ')}
                    </div>
                  )}
                </td>
                <td className="num" data-label={t('report.goal')}>{goalValue(g.value, g.measure, lang)}</td>
                <td className="nowrap" data-label={t('report.by_date')}>{formatDate(g.byDate)}</td>
                <td className="num" data-label={t('report.current')}>{goalValue(g.current, g.measure, lang)}</td>
                <td className="num" data-label={t('report.projected')}>{goalValue(g.projected, g.measure, lang)}</td>
                <td data-label={t('report.at_risk')}>{g.atRisk ? <span className="pill pill-poor" data-testid="at-risk">{t('report.at_risk')}</span> : <span className="pill pill-ok">✓</span>}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
      <PlanTasks planId={id} plan={p} tasks={status.tasks} hasCommunePlans={status.communePlans.length > 0} onChanged={refresh} onError={setError} deadlineText={(d, r) => deadlineText(d, r, lang === 'en' ? 'en' : 'vi')} />
      {status.scorecard && (
        <section className="card">
          <h2>{t('report.scorecard')}</h2>
          <DataTable
            columns={[{ label: t('report.rank'), className: 'num' }, t('report.commune'), { label: t('report.target'), className: 'num' }, { label: t('report.current'), className: 'num' }, { label: t('report.gap'), className: 'num' }]}
            testId="scorecard-table"
          >
            {shownCommunes(status.scorecard.communes, allCommunes).map((c) => (
              <tr key={c.code} data-testid="scorecard-row">
                <td className="num" data-label={t('report.rank')}>{c.rank ?? '—'}</td>
                <td data-label={t('report.commune')}>{c.planId ? <a href={`#/plans/${c.planId}`}>{c.name}</a> : c.name}</td>
                <td className="num" data-label={t('report.target')}>{goalValue(c.target, status.scorecard!.measure, lang)}</td>
                <td className="num" data-label={t('report.current')}>{goalValue(c.current, status.scorecard!.measure, lang)}</td>
                <td className="num" data-label={t('report.gap')}>{goalValue(c.gap, status.scorecard!.measure, lang)}</td>
              </tr>
            ))}
          </DataTable>
          {status.scorecard.communes.length > 2 * SCORECARD_ENDS && (
            <button type="button" className="btn btn-link btn-small" onClick={() => setAllCommunes(!allCommunes)} data-testid="scorecard-all">
              {allCommunes ? t('web.show_fewer') : t('web.show_all', { n: status.scorecard.communes.length })}
            </button>
          )}
          <p className="muted small">{t('web.commune_plans', { n: status.communePlans.length })}</p>
        </section>
      )}
    </div>
  );
}
