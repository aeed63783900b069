/**
 * Import wizard for the household register: 1. choose a .xlsx/.csv file and the options, 2. upload it
 * (multipart, upload progress) and follow the background import (GET /api/register/imports/{id} every
 * 500 ms), 3. the result: counts, why nothing was written when it was rolled back, the errors and the
 * error report downloads.
 */
import { useEffect, useRef, useState, type FormEvent, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { type ImportErrorRow, type ImportJob, uploadRegisterImport } from './registerApi';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, inputProps } from '../ui/Field';
import { formatCount } from './RegisterBits';
import { errorMessage, pathParts } from '../errors';
import { href } from '../router';
import { registerApi } from './registerApi';
import { DataTable } from '../ui/DataTable';

const POLL_MS = 500;
const SHOWN_ERRORS = 200;
const ACCEPT = '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv';

type Stage =
  | { kind: 'choose' }
  | { kind: 'uploading'; loaded: number; total: number }
  | { kind: 'processing'; job: ImportJob }
  | { kind: 'result'; job: ImportJob };

function fileSize(bytes: number, language: string): string {
  const sep = language === 'en' ? '.' : ',';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1).replace('.', sep)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1).replace('.', sep)} MB`;
}

function percentOf(part: number | undefined, whole: number | undefined): number | null {
  if (part == null || !whole) return null;
  return Math.max(0, Math.min(100, Math.round((part / whole) * 100)));
}

function ProgressBar({ percent, label }: { percent: number | null; label: string }) {
  return (
    <div
      className={`progress${percent == null ? ' progress-indeterminate' : ''}`}
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={percent ?? undefined}
    >
      <div className="progress-fill" style={percent == null ? undefined : { width: `${percent}%` }} />
    </div>
  );
}

function Steps({ current }: { current: 1 | 2 | 3 }) {
  const { t } = useTranslation('web');
  const steps = [t('register.import.step1'), t('register.import.step2'), t('register.import.step3')];
  return (
    <ol className="steps" aria-label={t('register.import.steps')}>
      {steps.map((label, i) => {
        const n = i + 1;
        const state = n < current ? 'done' : n === current ? 'current' : 'todo';
        return (
          <li key={label} className={`step step-${state}`} aria-current={state === 'current' ? 'step' : undefined}>
            <span className="step-number" aria-hidden="true">
              {n < current ? '✓' : n}
            </span>
            <span className="step-label">{label}</span>
          </li>
        );
      })}
    </ol>
  );
}

export function ImportPage() {
  const { t, i18n } = useTranslation('web');
  const lang = i18n.language;
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [dryRun, setDryRun] = useState(false);
  const [validOnly, setValidOnly] = useState(false);
  const [stage, setStage] = useState<Stage>({ kind: 'choose' });
  const [error, setError] = useState<string | null>(null);
  const abortUpload = useRef<(() => void) | null>(null);
  const resultRef = useRef<HTMLElement>(null);
  const fileInput = useRef<HTMLInputElement>(null);

  // leaving the page cancels an upload still running (the server import itself carries on)
  useEffect(() => () => abortUpload.current?.(), []);

  // follow the background import until it is done or failed
  const jobId = stage.kind === 'processing' ? stage.job.id : null;
  useEffect(() => {
    if (!jobId) return;
    const controller = new AbortController();
    let timer: number | undefined;
    let failures = 0;
    const poll = () => {
      registerApi
        .registerImport(jobId, controller.signal)
        .then((job) => {
          failures = 0;
          if (job.status === 'done' || job.status === 'failed') setStage({ kind: 'result', job });
          else {
            setStage({ kind: 'processing', job });
            timer = window.setTimeout(poll, POLL_MS);
          }
        })
        .catch((err: unknown) => {
          if (isAbort(err)) return;
          failures += 1;
          if (failures < 4) {
            timer = window.setTimeout(poll, POLL_MS * 2 * failures);
            return;
          }
          setError(errorMessage(err));
          setStage({ kind: 'choose' });
        });
    };
    timer = window.setTimeout(poll, POLL_MS);
    return () => {
      controller.abort();
      window.clearTimeout(timer);
    };
  }, [jobId]);

  useEffect(() => {
    if (stage.kind === 'result') resultRef.current?.focus();
  }, [stage.kind]);

  function chooseFile(selected: File | null) {
    setFile(selected);
    setError(null);
    if (selected && !/\.(xlsx|csv)$/i.test(selected.name)) setFileError(t('register.import.fileType'));
    else setFileError(null);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) {
      setFileError(t('register.import.fileRequired'));
      fileInput.current?.focus();
      return;
    }
    if (!/\.(xlsx|csv)$/i.test(file.name)) {
      setFileError(t('register.import.fileType'));
      return;
    }
    setError(null);
    setFileError(null);
    setStage({ kind: 'uploading', loaded: 0, total: file.size });
    const upload = uploadRegisterImport(file, { dryRun, validRowsOnly: validOnly }, (loaded, total) =>
      setStage({ kind: 'uploading', loaded, total }),
    );
    abortUpload.current = upload.abort;
    try {
      const job = await upload.promise;
      setStage(job.status === 'done' || job.status === 'failed' ? { kind: 'result', job } : { kind: 'processing', job });
    } catch (err) {
      setStage({ kind: 'choose' });
      if (isAbort(err)) return;
      const fields = (err as { fields?: { path: string; message: string }[] }).fields ?? [];
      const fileField = fields.find((f) => pathParts(f.path).includes('file'));
      if (fileField) setFileError(fileField.message);
      else setError(errorMessage(err));
    } finally {
      abortUpload.current = null;
    }
  }

  function reset() {
    setStage({ kind: 'choose' });
    setFile(null);
    setError(null);
    if (fileInput.current) fileInput.current.value = '';
    fileInput.current?.focus();
  }

  const busy = stage.kind === 'uploading' || stage.kind === 'processing';
  const step = stage.kind === 'choose' ? 1 : stage.kind === 'result' ? 3 : 2;

  return (
    <div className="page import-page">
      <div className="page-head">
        <div>
          <p className="breadcrumb-back">
            <a href={href('register')}>{t('register.household.back')}</a>
          </p>
          <h1>{t('register.import.title')}</h1>
          <p className="lead muted">{t('register.import.lead')}</p>
        </div>
      </div>
      <Steps current={step} />
      <ErrorBanner message={error} onDismiss={() => setError(null)} />

      <form className="card import-form" onSubmit={(e) => void submit(e)} noValidate aria-busy={busy}>
        <div className="import-grid">
          <div>
            <Field id="import-file" label={t('register.import.file')} error={fileError ?? undefined} hint={t('register.import.fileHint')}>
              <input
                {...inputProps('import-file', fileError ?? undefined, true)}
                ref={fileInput}
                data-testid="import-file"
                type="file"
                accept={ACCEPT}
                disabled={busy}
                onChange={(e) => chooseFile(e.target.files?.[0] ?? null)}
              />
            </Field>
            {file && (
              <p className="small file-chosen">{t('register.import.fileSize', { name: file.name, size: fileSize(file.size, lang) })}</p>
            )}
            <p className="small">
              <a href="/api/register/template.xlsx" download data-testid="import-template">
                ⤓ {t('register.import.template')}
              </a>
            </p>
          </div>
          <div className="import-options">
            <label className="checkbox option">
              <input
                type="checkbox"
                data-testid="import-dry-run"
                checked={dryRun}
                disabled={busy}
                onChange={(e) => setDryRun(e.target.checked)}
                aria-describedby="import-dry-run-hint"
              />
              <span>
                {t('register.import.dryRun')}
                <span className="field-hint block" id="import-dry-run-hint">
                  {t('register.import.dryRunHint')}
                </span>
              </span>
            </label>
            <label className="checkbox option">
              <input
                type="checkbox"
                data-testid="import-valid-only"
                checked={validOnly}
                disabled={busy}
                onChange={(e) => setValidOnly(e.target.checked)}
                aria-describedby="import-valid-only-hint"
              />
              <span>
                {t('register.import.validOnly')}
                <span className="field-hint block" id="import-valid-only-hint">
                  {t('register.import.validOnlyHint')}
                </span>
              </span>
            </label>
          </div>
        </div>
        <div className="import-actions">
          <button type="submit" className="btn btn-primary" data-testid="import-submit" disabled={busy}>
            {dryRun ? t('register.import.submitDry') : t('register.import.submit')}
          </button>
        </div>
      </form>

      {(stage.kind === 'uploading' || stage.kind === 'processing') && (
        <ImportProgress stage={stage} dryRun={dryRun} onCancel={() => abortUpload.current?.()} />
      )}

      {stage.kind === 'result' && (
        <ImportResult job={stage.job} dryRun={stage.job.dryRun ?? dryRun} sectionRef={resultRef} onReset={reset} />
      )}
    </div>
  );
}

function ImportProgress({
  stage,
  dryRun,
  onCancel,
}: {
  stage: Extract<Stage, { kind: 'uploading' | 'processing' }>;
  dryRun: boolean;
  onCancel: () => void;
}) {
  const { t, i18n } = useTranslation('web');
  let percent: number | null;
  let label: string;
  let rows: number | null = null;
  if (stage.kind === 'uploading') {
    percent = percentOf(stage.loaded, stage.total) ?? 0;
    label = t('register.import.uploading', { percent });
  } else {
    const { job } = stage;
    rows = job.progress.rows;
    if (job.status === 'queued') {
      percent = null;
      label = t('register.import.queued');
    } else if (job.progress.phase === 'reading') {
      percent = percentOf(job.progress.bytesRead, job.progress.totalBytes);
      label = percent == null ? t('register.import.readingNoPercent') : t('register.import.reading', { percent });
    } else {
      percent = null;
      label = (job.dryRun ?? dryRun) ? t('register.import.checking') : t('register.import.applying');
    }
  }
  return (
    <section className="card" data-testid="import-progress" aria-live="polite">
      <div className="progress-head">
        <strong>{label}</strong>
        {rows != null && (
          <span className="muted small" data-testid="import-rows-read">
            {t('register.import.rowsRead', { count: rows, n: formatCount(rows, i18n.language) })}
          </span>
        )}
      </div>
      <ProgressBar percent={percent} label={label} />
      {stage.kind === 'uploading' && (
        <div className="progress-actions">
          <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
            {t('register.import.cancel')}
          </button>
        </div>
      )}
    </section>
  );
}

/** Errors grouped by spreadsheet row, in row order (one table row per spreadsheet row). */
function byRow(errors: ImportErrorRow[]): [number, ImportErrorRow[]][] {
  const map = new Map<number, ImportErrorRow[]>();
  for (const e of errors) {
    const list = map.get(e.row);
    if (list) list.push(e);
    else map.set(e.row, [e]);
  }
  return [...map.entries()].sort((a, b) => a[0] - b[0]);
}

function ImportResult({
  job,
  dryRun,
  sectionRef,
  onReset,
}: {
  job: ImportJob;
  dryRun: boolean;
  sectionRef: RefObject<HTMLElement | null>;
  onReset: () => void;
}) {
  const { t, i18n } = useTranslation('web');
  const lang = i18n.language;
  const report = job.report;
  const title = dryRun
    ? t('register.import.resultDryTitle', { name: job.fileName })
    : t('register.import.resultTitle', { name: job.fileName });

  if (job.status === 'failed' || !report) {
    const fields = job.error?.fields ?? [];
    return (
      <section className="card result-failed" data-testid="import-result" ref={sectionRef} tabIndex={-1}>
        <h2>{title}</h2>
        <div className="banner banner-error" role="alert">
          <div className="banner-text">
            <strong className="block">{t('register.import.failed')}</strong>
            <span data-testid="import-failed-message">{job.error?.message ?? t('errors.unknown')}</span>
            {fields.length > 0 && (
              <ul className="failed-fields" data-testid="import-failed-fields">
                {fields.map((f, i) => (
                  <li key={`${f.path}-${i}`}>
                    {f.path && <span className="code">{pathParts(f.path).join('.')}: </span>}
                    {f.message}
                  </li>
                ))}
              </ul>
            )}
          </div>
        </div>
        <div className="btn-group">
          <button type="button" className="btn btn-secondary" onClick={onReset}>
            {t('register.import.again')}
          </button>
        </div>
      </section>
    );
  }

  const rows = byRow(report.errors);
  const nothingWritten = report.rolledBack && !dryRun;
  const errorsUrl = `/api/register/imports/${encodeURIComponent(job.id)}/errors`;
  const counts = [
    { key: 'inserted', value: report.inserted, tone: 'ok' },
    { key: 'updated', value: report.updated, tone: 'info' },
    { key: 'unchanged', value: report.unchanged, tone: 'plain' },
    { key: 'rejected', value: report.rejected, tone: report.rejected > 0 ? 'bad' : 'plain' },
  ] as const;

  return (
    <section className="card" data-testid="import-result" ref={sectionRef} tabIndex={-1} aria-labelledby="import-result-title">
      <h2 id="import-result-title">{title}</h2>
      <p className="muted small">{t('register.import.rows', { count: report.rows, n: formatCount(report.rows, lang) })}</p>

      {nothingWritten && (
        <div className="banner banner-error callout" role="alert" data-testid="import-rolled-back">
          <div className="banner-text">
            <strong className="block">{t('register.import.rolledBack')}</strong>
            {t('register.import.rolledBackWhy', { count: report.rejected, n: formatCount(report.rejected, lang) })}
          </div>
        </div>
      )}
      {dryRun && (
        <div className="banner banner-warn" role="status" data-testid="import-dry-run-note">
          <div className="banner-text">
            {t('register.import.dryRunNote')}
            {report.rejected === 0 && <span className="block">{t('register.import.dryRunOk')}</span>}
          </div>
        </div>
      )}
      {!dryRun && !report.rolledBack && (
        <div className={`banner ${report.rejected > 0 ? 'banner-warn' : 'banner-info'}`} role="status">
          <span className="banner-text">
            {report.rejected > 0 ? t('register.import.doneWithRejected', { count: report.rejected, n: formatCount(report.rejected, lang) }) : t('register.import.done')}
          </span>
        </div>
      )}

      <dl className={`stat-grid${nothingWritten ? ' is-void' : ''}`}>
        {counts.map((c) => (
          <div key={c.key} className={`stat stat-${c.tone}`}>
            <dt>{t(`register.import.${c.key}`)}</dt>
            <dd data-testid={`import-count-${c.key}`}>{formatCount(c.value, lang)}</dd>
          </div>
        ))}
      </dl>
      {report.vsi && (
        <p className="muted small" data-testid="import-vsi">
          {t('register.import.vsi', {
            rows: formatCount(report.vsi.rows, lang),
            inserted: formatCount(report.vsi.inserted, lang),
            unchanged: formatCount(report.vsi.unchanged, lang),
            rejected: formatCount(report.vsi.rejected, lang),
          })}
        </p>
      )}

      {report.errors.length > 0 && (
        <>
          <div className="errors-head">
            <h3>{t('register.import.errorsTitle')}</h3>
            <div className="btn-group">
              <a className="btn btn-secondary btn-small" href={`${errorsUrl}?format=xlsx`} download data-testid="import-errors-xlsx">
                ⤓ {t('register.import.downloadXlsx')}
              </a>
              <a className="btn btn-secondary btn-small" href={`${errorsUrl}?format=csv`} download title={t('common.csvTitle')} data-testid="import-errors-csv">
                ⤓ {t('register.import.downloadCsv')}
              </a>
            </div>
          </div>
          {report.rejected > rows.length && report.errors.length >= SHOWN_ERRORS && (
            <p className="muted small">
              {t('register.import.errorsShown', { shown: formatCount(rows.length, lang), total: formatCount(report.rejected, lang) })}
            </p>
          )}
          <DataTable
            testId="import-errors"
            className="errors-table"
            columns={[
              { label: t('register.import.row'), className: 'col-row' },
              { label: t('register.import.column'), className: 'col-column' },
              { label: t('register.import.value'), className: 'col-value' },
              t('register.import.message'),
            ]}
          >
            {rows.map(([row, errors]) => (
              <tr key={row} data-testid={`import-error-row-${row}`}>
                <td data-label={t('register.import.row')} className="num-cell">
                  {row}
                </td>
                <td colSpan={3} className="row-errors-cell">
                  <ul className="row-errors">
                    {errors.map((e, i) => (
                      <li key={i}>
                        <span className="err-column" data-label={t('register.import.column')}>
                          <code>{e.column || '—'}</code>
                        </span>
                        <span className="err-value" data-label={t('register.import.value')}>
                          {e.value ? <span className="err-value-text">{e.value}</span> : <span className="muted">{t('register.import.empty')}</span>}
                        </span>
                        <span className="err-message" data-label={t('register.import.message')}>
                          {e.message}
                        </span>
                      </li>
                    ))}
                  </ul>
                </td>
              </tr>
            ))}
          </DataTable>
        </>
      )}

      <div className="btn-group result-actions">
        <button type="button" className="btn btn-secondary" data-testid="import-again" onClick={onReset}>
          {t('register.import.again')}
        </button>
        {!dryRun && !report.rolledBack && (
          <a className="btn btn-ghost" href={href('register')}>
            {t('nav.register')}
          </a>
        )}
      </div>
    </section>
  );
}
