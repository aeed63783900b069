/**
 * What the coverage dashboard lets a user who may write figures do without the CLI: enter the reported
 * figures of the unit shown (date dd/MM/yyyy, participants, population, plan with its year and decision),
 * set the year's coverage target, set a staff member's recruitment target, and upload a figures .xlsx
 * (the import route, all or nothing, every row error listed). For every reader: the projection (coverage
 * expected at a date and the cheapest money to close the gap) and the register export.
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { coverageApi, registerExportUrl, type FigureImportReport, type Projection } from './coverageApi';
import { DayInput, parseDayMonthYear } from '../register/HouseholdBits';
import { NO_ERRORS, splitErrors } from '../errors';
import { Field } from '../ui/Field';
import { useFormSubmit } from '../ui/useFormSubmit';
import { formatDate, formatNumber, formatPct, formatVnd, parseDecimal, parseWhole } from '../format';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';

const FIGURE_FIELDS = ['asOf', 'participants', 'population', 'plan', 'planYear', 'planDecision'] as const;
const TARGET_FIELDS = ['year', 'kind', 'value', 'decision'] as const;
const STAFF_FIELDS = ['username', 'year', 'participants'] as const;

/** A count as typed with or without thousands separators ('1.475.810'); '' -> undefined; null when not a count. */
function countOf(text: string): number | null | undefined {
  const compact = text.replace(/[\s.,]/g, '');
  if (compact === '') return undefined;
  return parseWhole(compact);
}

export function CoverageFiguresPanel({ unit, unitName, date, onSaved }: { unit: string; unitName: string; date: string; onSaved: () => void }) {
  const { t } = useTranslation('web');
  return (
    <details className="card fold coverage-figures" data-testid="coverage-figures">
      <summary>
        <h2>{t('coverage.figures.title', { name: unitName })}</h2>
        <span className="muted small">{t('coverage.figures.lead')}</span>
      </summary>
      <div className="fold-body figures-layout">
        <FigureForm unit={unit} date={date} onSaved={onSaved} />
        <TargetForm unit={unit} date={date} onSaved={onSaved} />
        <FigureUpload onSaved={onSaved} />
        <StaffTargetForm unit={unit} date={date} onSaved={onSaved} />
      </div>
    </details>
  );
}

function FigureForm({ unit, date, onSaved }: { unit: string; date: string; onSaved: () => void }) {
  const { t, i18n } = useTranslation('web');
  const [v, setV] = useState({ asOf: formatDate(date), participants: '', population: '', plan: '', planYear: date.slice(0, 4), planDecision: '' });
  const [notice, setNotice] = useState<string | null>(null);
  const { errors, setErrors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, FIGURE_FIELDS) });
  const set = (k: keyof typeof v) => (value: string) => setV((old) => ({ ...old, [k]: value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const fields: Record<string, string> = {};
    const asOf = parseDayMonthYear(v.asOf);
    if (!asOf) fields.asOf = t('coverage.figures.badDate');
    const counts: Record<string, number | undefined> = {};
    for (const k of ['participants', 'population', 'plan'] as const) {
      const n = countOf(v[k]);
      if (n === null) fields[k] = t('coverage.figures.badCount');
      else counts[k] = n;
    }
    const planYear = countOf(v.planYear);
    if (planYear === null || (planYear !== undefined && (planYear < 2000 || planYear > 2100))) fields.planYear = t('coverage.figures.badYear');
    if (invalid(fields)) return;
    await send(async () => {
      const saved = await coverageApi.setFigures({
        unitCode: unit,
        asOf: asOf!,
        ...counts,
        ...(counts.plan !== undefined && planYear ? { planYear } : {}),
        ...(v.planDecision.trim() ? { planDecision: v.planDecision.trim() } : {}),
      });
      const warnings = saved.warnings.map((w) => w.message).join(' ');
      setNotice(`${t(saved.created ? 'coverage.figures.created' : 'coverage.figures.updated', { date: formatDate(saved.asOf) })}${warnings ? ` ${warnings}` : ''}`);
      onSaved();
    });
  }

  const lang = i18n.language;
  return (
    <form className="figures-form" onSubmit={submit} noValidate data-testid="figure-form">
      <h3>{t('coverage.figures.figureTitle')}</h3>
      <ErrorBanner message={errors.banner} onDismiss={() => setErrors(NO_ERRORS)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      <div className="form-grid form-grid-3">
        <Field id="figure-asOf" label={t('coverage.figures.asOf')} error={errors.fields.asOf}>
          <DayInput id="figure-asOf" testId="figure-asOf" value={v.asOf} onChange={set('asOf')} error={errors.fields.asOf} />
        </Field>
        {(['participants', 'population', 'plan'] as const).map((k) => (
          <Field key={k} id={`figure-${k}`} label={t(`coverage.figures.${k}`)} error={errors.fields[k]}>
            <input
              id={`figure-${k}`}
              data-testid={`figure-${k}`}
              inputMode="numeric"
              autoComplete="off"
              placeholder={formatNumber(k === 'plan' ? 1579758 : k === 'population' ? 1673064 : 1475810, lang)}
              value={v[k]}
              aria-invalid={errors.fields[k] ? true : undefined}
              onChange={(e) => set(k)(e.target.value)}
            />
          </Field>
        ))}
        <Field id="figure-planYear" label={t('coverage.figures.planYear')} error={errors.fields.planYear}>
          <input id="figure-planYear" data-testid="figure-planYear" inputMode="numeric" maxLength={4} value={v.planYear} onChange={(e) => set('planYear')(e.target.value)} />
        </Field>
        <Field id="figure-planDecision" label={t('coverage.figures.planDecision')} error={errors.fields.planDecision}>
          <input id="figure-planDecision" data-testid="figure-planDecision" maxLength={100} placeholder="462/QĐ-BHXH" value={v.planDecision} onChange={(e) => set('planDecision')(e.target.value)} />
        </Field>
      </div>
      <p className="field-hint">{t('coverage.figures.blankKeeps')}</p>
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="figure-save">
        {t('coverage.figures.save')}
      </button>
    </form>
  );
}

function TargetForm({ unit, date, onSaved }: { unit: string; date: string; onSaved: () => void }) {
  const { t, i18n } = useTranslation('web');
  const [v, setV] = useState({ year: date.slice(0, 4), kind: 'percent_population' as 'percent_population' | 'participants', value: '95', decision: '' });
  const [notice, setNotice] = useState<string | null>(null);
  const { errors, setErrors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, TARGET_FIELDS) });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const fields: Record<string, string> = {};
    const year = parseWhole(v.year);
    if (year === null || year < 2000 || year > 2100) fields.year = t('coverage.figures.badYear');
    const value = v.kind === 'participants' ? countOf(v.value) : parseDecimal(v.value);
    if (value === null || value === undefined) fields.value = t(v.kind === 'participants' ? 'coverage.figures.badCount' : 'coverage.figures.badPercent');
    if (invalid(fields)) return;
    await send(async () => {
      const saved = await coverageApi.setTarget({ unitCode: unit, year: year!, kind: v.kind, value: value!, ...(v.decision.trim() ? { decision: v.decision.trim() } : {}) });
      const shown = saved.kind === 'participants' ? formatNumber(Number(saved.value), i18n.language) : formatPct(Number(saved.value), i18n.language);
      setNotice(t('coverage.figures.targetSaved', { year: saved.year, value: shown }));
      onSaved();
    });
  }

  return (
    <form className="figures-form" onSubmit={submit} noValidate data-testid="target-form">
      <h3>{t('coverage.figures.targetTitle')}</h3>
      <ErrorBanner message={errors.banner} onDismiss={() => setErrors(NO_ERRORS)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      <div className="form-grid form-grid-3">
        <Field id="target-year" label={t('coverage.figures.year')} error={errors.fields.year}>
          <input id="target-year" data-testid="target-year" inputMode="numeric" maxLength={4} value={v.year} onChange={(e) => setV({ ...v, year: e.target.value })} />
        </Field>
        <Field id="target-kind" label={t('coverage.figures.kind')} error={errors.fields.kind}>
          <select id="target-kind" data-testid="target-kind" value={v.kind} onChange={(e) => setV({ ...v, kind: e.target.value as typeof v.kind })}>
            <option value="percent_population">{t('coverage.figures.kinds.percent_population')}</option>
            <option value="participants">{t('coverage.figures.kinds.participants')}</option>
          </select>
        </Field>
        <Field id="target-value" label={t('coverage.figures.value')} error={errors.fields.value}>
          <input id="target-value" data-testid="target-value" inputMode="decimal" value={v.value} onChange={(e) => setV({ ...v, value: e.target.value })} />
        </Field>
        <Field id="target-decision" label={t('coverage.figures.planDecision')} error={errors.fields.decision}>
          <input id="target-decision" data-testid="target-decision" maxLength={100} value={v.decision} onChange={(e) => setV({ ...v, decision: e.target.value })} />
        </Field>
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="target-save">
        {t('coverage.figures.saveTarget')}
      </button>
    </form>
  );
}

function StaffTargetForm({ unit, date, onSaved }: { unit: string; date: string; onSaved: () => void }) {
  const { t, i18n } = useTranslation('web');
  const [v, setV] = useState({ username: '', year: date.slice(0, 4), participants: '' });
  const [notice, setNotice] = useState<string | null>(null);
  const { errors, setErrors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, STAFF_FIELDS) });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setNotice(null);
    const fields: Record<string, string> = {};
    if (!v.username.trim()) fields.username = t('coverage.figures.required');
    const year = parseWhole(v.year);
    if (year === null || year < 2000 || year > 2100) fields.year = t('coverage.figures.badYear');
    const participants = countOf(v.participants);
    if (participants === null || participants === undefined) fields.participants = t('coverage.figures.badCount');
    if (invalid(fields)) return;
    await send(async () => {
      const saved = await coverageApi.setStaffTarget({ username: v.username.trim(), year: year!, participants: participants!, unitCode: unit });
      setNotice(t('coverage.figures.staffSaved', { user: saved.displayName || saved.username, year: saved.year, value: formatNumber(saved.participants, i18n.language) }));
      onSaved();
    });
  }

  return (
    <form className="figures-form" onSubmit={submit} noValidate data-testid="staff-target-form">
      <h3>{t('coverage.figures.staffTitle')}</h3>
      <ErrorBanner message={errors.banner} onDismiss={() => setErrors(NO_ERRORS)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      <div className="form-grid form-grid-3">
        <Field id="staff-username" label={t('coverage.figures.username')} error={errors.fields.username}>
          <input id="staff-username" data-testid="staff-username" autoComplete="off" value={v.username} onChange={(e) => setV({ ...v, username: e.target.value })} />
        </Field>
        <Field id="staff-year" label={t('coverage.figures.year')} error={errors.fields.year}>
          <input id="staff-year" data-testid="staff-year" inputMode="numeric" maxLength={4} value={v.year} onChange={(e) => setV({ ...v, year: e.target.value })} />
        </Field>
        <Field id="staff-participants" label={t('coverage.figures.staffParticipants')} error={errors.fields.participants}>
          <input id="staff-participants" data-testid="staff-participants" inputMode="numeric" value={v.participants} onChange={(e) => setV({ ...v, participants: e.target.value })} />
        </Field>
      </div>
      <p className="field-hint">{t('coverage.figures.staffHint', { section: t('coverage.staff.title') })}</p>
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="staff-target-save">
        {t('coverage.figures.saveStaff')}
      </button>
    </form>
  );
}

function FigureUpload({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation('web');
  const [file, setFile] = useState<File | null>(null);
  const [report, setReport] = useState<FigureImportReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return setError(t('coverage.figures.chooseFile'));
    setError(null);
    setReport(null);
    setBusy(true);
    try {
      const r = await coverageApi.importFigures(file);
      setReport(r);
      if (!r.rolledBack) onSaved();
    } catch (err) {
      setError(splitErrors(err, []).banner);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="figures-form figures-wide" onSubmit={submit} data-testid="figure-upload">
      <h3>{t('coverage.figures.uploadTitle')}</h3>
      <p className="muted small">{t('coverage.figures.uploadLead')}</p>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <div className="input-row">
        <input
          type="file"
          accept=".xlsx,.csv"
          aria-label={t('coverage.figures.uploadTitle')}
          data-testid="figure-file"
          onChange={(e) => setFile(e.target.files?.[0] ?? null)}
        />
        <button type="submit" className="btn btn-secondary" disabled={busy} data-testid="figure-upload-submit">
          {t('coverage.figures.upload')}
        </button>
      </div>
      {report && (
        <div data-testid="figure-import-report">
          {report.rolledBack ? (
            <div className="banner banner-error callout" role="alert">
              <span className="banner-text">{t('coverage.figures.importRejected', { count: report.rejected, rows: report.rows })}</span>
            </div>
          ) : (
            <div className="banner banner-info" role="status">
              <span className="banner-text">{t('coverage.figures.imported', { rows: report.rows, inserted: report.inserted, updated: report.updated })}</span>
            </div>
          )}
          {report.errors.length > 0 && (
            <div className="table-wrap">
              <table className="table" data-testid="figure-import-errors">
                <thead>
                  <tr>
                    <th scope="col">{t('coverage.figures.row')}</th>
                    <th scope="col">{t('coverage.figures.column')}</th>
                    <th scope="col">{t('coverage.figures.cell')}</th>
                    <th scope="col">{t('coverage.figures.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  {report.errors.map((er, i) => (
                    <tr key={i}>
                      <td className="num">{er.row}</td>
                      <td>{t(`coverage.figures.columns.${er.column}`, { defaultValue: er.column })}</td>
                      <td>{er.value}</td>
                      <td>{er.message}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
          {report.ignoredColumns.length > 0 && <p className="muted small">{t('coverage.figures.ignored', { columns: report.ignoredColumns.join(', ') })}</p>}
        </div>
      )}
    </form>
  );
}

/** The projection: coverage expected at a date and the cheapest money to close the gap to the target. */
export function ProjectionPanel({ unit, date }: { unit: string; date: string }) {
  const { t, i18n } = useTranslation('web');
  const lang = i18n.language;
  const [targetText, setTargetText] = useState(formatDate(`${date.slice(0, 4)}-12-31`));
  const [p, setP] = useState<Projection | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function run(e: FormEvent) {
    e.preventDefault();
    const targetDate = parseDayMonthYear(targetText);
    if (!targetDate) return setError(t('coverage.figures.badDate'));
    setError(null);
    setBusy(true);
    try {
      setP(await coverageApi.projection(unit, date, targetDate));
    } catch (err) {
      setError(splitErrors(err, []).banner);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="card fold" data-testid="coverage-projection">
      <summary>
        <h2>{t('coverage.projection.title')}</h2>
        <span className="muted small">{t('coverage.projection.lead')}</span>
      </summary>
      <div className="fold-body">
        <form className="input-row projection-form" onSubmit={run}>
          <label htmlFor="projection-date">{t('coverage.projection.targetDate')}</label>
          <DayInput id="projection-date" testId="projection-date" value={targetText} onChange={setTargetText} />
          <button type="submit" className="btn btn-secondary" disabled={busy} data-testid="projection-run">
            {t('coverage.projection.run')}
          </button>
        </form>
        <ErrorBanner message={error} onDismiss={() => setError(null)} />
        {p && (
          <dl className="projection-result" data-testid="projection-result">
            <dt>{t('coverage.projection.covered', { date: formatDate(p.date) })}</dt>
            <dd>{formatNumber(p.covered, lang)}</dd>
            <dt>{t('coverage.projection.expected', { date: formatDate(p.targetDate) })}</dt>
            <dd>
              {formatNumber(p.projection.expected, lang)}
              {p.population ? ` (${formatPct((p.projection.expected * 100) / p.population, lang)})` : ''}
            </dd>
            <dt>{t('coverage.projection.renewal')}</dt>
            <dd>{formatPct(p.renewal.rate * 100, lang)}</dd>
            <dt>{t(`coverage.projection.target.${p.target.source}`)}</dt>
            <dd>{p.target.kind === 'participants' ? formatNumber(p.target.value, lang) : formatPct(p.target.value, lang)}</dd>
            <dt>{t('coverage.projection.gap')}</dt>
            <dd>{formatNumber(p.target.gap, lang)}</dd>
            <dt>{t('coverage.projection.cost')}</dt>
            <dd data-testid="projection-cost">
              {formatVnd(p.cost.total)} · {t('coverage.projection.persons', { count: p.cost.persons })}
            </dd>
            {p.cost.stateBudget > 0 && (
              <>
                <dt>{t('coverage.projection.stateBudget')}</dt>
                <dd>{formatNumber(p.cost.stateBudget, lang)}</dd>
              </>
            )}
            {p.cost.shortfall > 0 && (
              <>
                <dt>{t('coverage.projection.shortfall')}</dt>
                <dd>{formatNumber(p.cost.shortfall, lang)}</dd>
              </>
            )}
          </dl>
        )}
      </div>
    </details>
  );
}

/** The register of the unit as .xlsx (first) or .csv: persons in the import template's columns. */
export function RegisterExportLinks({ unit }: { unit: string }) {
  const { t } = useTranslation('web');
  return (
    <>
      <a className="btn btn-secondary" href={registerExportUrl(unit, 'xlsx')} download title={t('coverage.registerExportTitle')} data-testid="coverage-register-xlsx">
        {t('coverage.registerExport')}
      </a>
      <a className="btn btn-secondary btn-small" href={registerExportUrl(unit, 'csv')} download title={t('coverage.registerExportTitle')} data-testid="coverage-register-csv">
        CSV
      </a>
    </>
  );
}
