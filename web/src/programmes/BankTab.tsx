/**
 * The Transfers tab of a programme (issue 22): its receiving bank accounts (a NAPAS bank, the account),
 * the import of a bank statement, the reconciliation per day (statement total = matched + unmatched),
 * and the statement lines with what each is matched to (undo), their age, and suggested pledges to match
 * by hand. Money moves only after a confirmation stating the amount.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { DataTable } from '../ui/DataTable';
import { errorMessage, splitErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { formatDate, formatVnd } from '../format';
import { ConfirmBar, useConfirmedAction } from './ConfirmAction';
import type { ProgrammeDetail } from './programmesApi';
import { bankApi, STATEMENT_LAYOUTS, type BankAccount, type BankLine, type BankReport, type NapasBank } from './bankApi';

function AccountForm({ programme, banks, onSaved }: { programme: ProgrammeDetail; banks: NapasBank[]; onSaved: () => void }) {
  const { t } = useTranslation('bank');
  const [bin, setBin] = useState('');
  const [accountNumber, setAccountNumber] = useState('');
  const [accountName, setAccountName] = useState('');
  const { errors, busy, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, ['bin', 'accountNumber', 'accountName']) });
  async function submit(e: FormEvent) {
    e.preventDefault();
    await send(async () => {
      await bankApi.addAccount(programme.id, { bin, accountNumber: accountNumber.trim(), accountName: accountName.trim() });
      setAccountNumber('');
      setAccountName('');
      onSaved();
    });
  }
  const f = errors.fields;
  return (
    <form className="inline-form" onSubmit={submit} noValidate data-testid="bank-account-form">
      <ErrorBanner message={errors.banner} />
      <div className="form-grid form-grid-3">
        <Field id="bank-bin" label={t('web.bank')} error={f.bin}>
          <select {...inputProps('bank-bin', f.bin)} data-testid="bank-bin" value={bin} onChange={(e) => setBin(e.target.value)}>
            <option value="">{t('web.chooseBank')}</option>
            {banks.map((b) => (
              <option key={b.bin} value={b.bin}>
                {b.shortName} ({b.bin})
              </option>
            ))}
          </select>
        </Field>
        <TextField id="bank-account-number" label={t('web.accountNumber')} error={f.accountNumber} inputMode="numeric" value={accountNumber} onChange={setAccountNumber} />
        <TextField id="bank-account-name" label={t('web.accountName')} error={f.accountName} hint={t('web.accountNameHint')} value={accountName} onChange={setAccountName} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="bank-account-submit">
        {t('web.addAccount')}
      </button>
    </form>
  );
}

/** The choice of one of the programme's receiving accounts (bank and number). */
function AccountSelect({ id, accounts, value, error, onChange }: { id: string; accounts: BankAccount[]; value: string; error?: string; onChange: (id: string) => void }) {
  const { t } = useTranslation('bank');
  return (
    <Field id={id} label={t('web.account')} error={error}>
      <select {...inputProps(id, error)} data-testid={id} value={value} onChange={(e) => onChange(e.target.value)}>
        {accounts.map((a) => (
          <option key={a.id} value={a.id}>
            {a.bankName} {a.accountNumber}
          </option>
        ))}
      </select>
    </Field>
  );
}

function ImportForm({ programme, accounts, onImported }: { programme: ProgrammeDetail; accounts: BankAccount[]; onImported: () => void }) {
  const { t } = useTranslation('bank');
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? '');
  const [layout, setLayout] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const { errors, busy, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, ['file', 'accountId', 'layout']) });
  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setDone(null);
    await send(async () => {
      const r = await bankApi.importStatement(programme.id, accountId, file, layout);
      setDone([t('web.imported', r), r.outsidePeriod ? t('web.outsidePeriod', { count: r.outsidePeriod }) : ''].filter(Boolean).join(' '));
      onImported();
    });
  }
  const f = errors.fields;
  return (
    <form className="inline-form" onSubmit={submit} noValidate data-testid="bank-import-form">
      <h2>{t('web.importTitle')}</h2>
      <p className="muted small">{t('web.importLead')}</p>
      <ErrorBanner message={errors.banner ?? Object.entries(errors.fields).filter(([k]) => k.startsWith('rows')).map(([, v]) => v).join(' · ') ?? null} />
      <div className="form-grid form-grid-3">
        <AccountSelect id="bank-import-account" accounts={accounts} value={accountId} error={f.accountId} onChange={setAccountId} />
        <Field id="bank-import-layout" label={t('web.layout')} error={f.layout}>
          <select {...inputProps('bank-import-layout', f.layout)} data-testid="bank-import-layout" value={layout} onChange={(e) => setLayout(e.target.value)}>
            <option value="">{t('web.layoutAuto')}</option>
            {STATEMENT_LAYOUTS.map((l) => (
              <option key={l} value={l}>
                {l}
              </option>
            ))}
          </select>
        </Field>
        <Field id="bank-import-file" label={t('web.file')} error={f.file}>
          <input {...inputProps('bank-import-file', f.file)} data-testid="bank-import-file" type="file" accept=".xlsx,.csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        </Field>
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy || !file || !accountId} data-testid="bank-import-submit">
        {t('web.import')}
      </button>
      {done && (
        <p className="notice" data-testid="bank-import-result" aria-live="polite">
          {done}
        </p>
      )}
    </form>
  );
}

const MAPPED = ['date', 'amount', 'credit', 'description', 'transactionId', 'counterparty'] as const;

/**
 * An account's own statement columns (Ánh xạ cột), for a bank export no layout knows: the header of each
 * field as it is written in the file. Saved on the account; the next import of that account uses it.
 */
function MappingForm({ programme, accounts, onSaved }: { programme: ProgrammeDetail; accounts: BankAccount[]; onSaved: () => void }) {
  const { t } = useTranslation('bank');
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? '');
  const account = accounts.find((a) => a.id === accountId);
  const [columns, setColumns] = useState<Record<string, string>>(account?.mapping ?? {});
  const [done, setDone] = useState<string | null>(null);
  const { errors, busy, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, ['mapping', ...MAPPED.map((f) => `mapping.${f}`)]) });
  useEffect(() => setColumns(accounts.find((a) => a.id === accountId)?.mapping ?? {}), [accountId, accounts]);
  async function save(e: FormEvent, clear = false) {
    e.preventDefault();
    setDone(null);
    const mapping = clear ? null : Object.fromEntries(Object.entries(columns).map(([k, v]) => [k, v.trim()]).filter(([, v]) => v !== ''));
    await send(async () => {
      await bankApi.setMapping(programme.id, accountId, mapping);
      setDone(t(clear ? 'web.mappingCleared' : 'web.mappingSaved'));
      onSaved();
    });
  }
  return (
    <form className="inline-form" onSubmit={(e) => void save(e)} noValidate data-testid="bank-mapping-form">
      <h3>{t('web.mappingTitle')}</h3>
      <p className="muted small">{t('web.mappingLead')}</p>
      <ErrorBanner message={errors.banner ?? errors.fields.mapping ?? null} />
      <div className="form-grid form-grid-3">
        <AccountSelect id="bank-mapping-account" accounts={accounts} value={accountId} onChange={setAccountId} />
        {MAPPED.map((f) => (
          <TextField
            key={f}
            id={`bank-mapping-${f}`}
            label={t(`web.mappingField.${f}`)}
            error={errors.fields[`mapping.${f}`]}
            maxLength={100}
            value={columns[f] ?? ''}
            onChange={(v) => setColumns((c) => ({ ...c, [f]: v }))}
          />
        ))}
      </div>
      <div className="btn-group">
        <button type="submit" className="btn btn-primary" disabled={busy || !accountId} data-testid="bank-mapping-save">
          {t('web.mappingSave')}
        </button>
        {account?.mapping && (
          <button type="button" className="btn btn-secondary" disabled={busy} onClick={(e) => void save(e, true)} data-testid="bank-mapping-clear">
            {t('web.mappingClear')}
          </button>
        )}
      </div>
      {done && (
        <p className="notice" data-testid="bank-mapping-result" aria-live="polite">
          {done}
        </p>
      )}
    </form>
  );
}

function ReportTable({ report }: { report: BankReport }) {
  const { t } = useTranslation('bank');
  return (
    <section className="card" data-testid="bank-report" data-balanced={report.balanced}>
      <div className="card-head">
        <h2>{t('web.reportTitle')}</h2>
        <a className="btn btn-secondary btn-small" href={`/api/programmes/${encodeURIComponent(report.programmeId)}/bank-report.xlsx`} data-testid="bank-report-xlsx">
          {t('web.reportXlsx')}
        </a>
        <a className="btn btn-secondary btn-small" href={`/api/programmes/${encodeURIComponent(report.programmeId)}/bank-report.pdf`} data-testid="bank-report-pdf">
          {t('web.reportPdf')}
        </a>
      </div>
      <p className="muted small">{t('web.reportLead')}</p>
      <DataTable
        columns={[t('web.date'), { label: t('web.lines'), className: 'num' }, { label: t('web.total'), className: 'num' }, { label: t('web.matched'), className: 'num' }, { label: t('web.unmatched'), className: 'num' }]}
        foot={
          <tr>
            <th>{report.balanced ? `✓ ${t('web.balanced')}` : `✗ ${t('web.unbalanced')}`}</th>
            <td data-label={t('web.lines')} className="num">{report.lines}</td>
            <td data-label={t('web.total')} className="num" data-testid="bank-report-total">{formatVnd(report.total)}</td>
            <td data-label={t('web.matched')} className="num" data-testid="bank-report-matched">{formatVnd(report.matched)}</td>
            <td data-label={t('web.unmatched')} className="num" data-testid="bank-report-unmatched">{formatVnd(report.unmatched)}</td>
          </tr>
        }
      >
        {report.days.map((d) => (
          <tr key={d.date}>
            <td data-label={t('web.date')}>{formatDate(d.date)}</td>
            <td data-label={t('web.lines')} className="num">{d.lines}</td>
            <td data-label={t('web.total')} className="num">{formatVnd(d.total)}</td>
            <td data-label={t('web.matched')} className="num">{formatVnd(d.matched)}</td>
            <td data-label={t('web.unmatched')} className="num">{formatVnd(d.unmatched)}</td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}

function LineRow({ programme, line, onChanged }: { programme: ProgrammeDetail; line: BankLine; onChanged: () => void }) {
  const { t } = useTranslation('bank');
  const [error, setError] = useState<string | null>(null);
  const [target, setTarget] = useState<{ pledgeId: string; amount: number } | null>(null);
  const [undoId, setUndoId] = useState<string | null>(null);
  const match = useConfirmedAction((confirm, key) => bankApi.match(programme.id, line.id, [target!], confirm, key));
  const undo = useConfirmedAction((confirm, key) => bankApi.undo(programme.id, undoId!, confirm, key));
  const run = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      const r = await fn();
      if (r !== undefined) onChanged();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const live = line.matches.filter((m) => !m.undoneAt);
  return (
    <tr data-testid="bank-line" data-line={line.id} data-left={line.left}>
      <td data-label={t('web.date')}>{formatDate(line.bookedOn)}</td>
      <td data-label={t('web.amount')} className="num">{formatVnd(line.amount)}</td>
      <td data-label={t('web.description')} className="wrap-anywhere">
        {line.description}
        {line.transactionId && <div className="muted small">{line.transactionId}</div>}
        {error && <div className="field-error">{error}</div>}
      </td>
      <td data-label={t('web.matchedTo')}>
        {live.map((m) => (
          <div key={m.id} data-testid="bank-line-match">
            <strong>{m.reference}</strong> {m.donorName}: {formatVnd(m.amount)} <span className="muted small">({m.matchedBy === 'staff' ? t('web.staff') : t('web.auto')})</span>{' '}
            <button
              type="button"
              className="btn btn-ghost btn-small"
              data-testid="bank-undo"
              disabled={undo.busy}
              onClick={() => {
                setUndoId(m.id);
                void run(() => undo.ask({ action: 'match_undo', count: 1, amount: m.amount, moneyMoves: true }).then(() => undefined));
              }}
            >
              {t('web.undo')}
            </button>
          </div>
        ))}
        {undo.pending && <ConfirmBar details={undo.pending} busy={undo.busy} testId="bank-undo-confirm" onCancel={undo.cancel} onConfirm={() => void run(() => undo.confirm())} />}
        {line.left > 0 && line.ageDays !== null && <span className="badge badge-warn">{t('web.ageDays', { count: line.ageDays })}</span>}
      </td>
      <td data-label={t('web.suggestions')}>
        {line.left > 0 &&
          line.suggestions.map((s) => (
            <div key={s.pledgeId} className="small">
              <strong>{s.reference}</strong> {s.donorName} · {formatVnd(s.outstanding)}{' '}
              <span className="muted">({s.reasons.map((r) => t(`web.reason_${r}`)).join(', ')})</span>{' '}
              <button
                type="button"
                className="btn btn-secondary btn-small"
                data-testid="bank-match"
                disabled={match.busy}
                onClick={() => {
                  const amount = Math.min(line.left, Math.max(s.outstanding, 0) || line.left);
                  setTarget({ pledgeId: s.pledgeId, amount });
                  void run(() => match.ask({ action: 'receipt', count: 1, amount, moneyMoves: true }).then(() => undefined));
                }}
              >
                {t('web.matchTo')}
              </button>
            </div>
          ))}
        {match.pending && target && (
          <ConfirmBar
            details={match.pending}
            busy={match.busy}
            testId="bank-match-confirm"
            text={t('web.confirmMatch', { amount: formatVnd(target.amount), reference: line.suggestions.find((s) => s.pledgeId === target.pledgeId)?.reference ?? '', donor: line.suggestions.find((s) => s.pledgeId === target.pledgeId)?.donorName ?? '' })}
            onCancel={match.cancel}
            onConfirm={() => void run(() => match.confirm())}
          />
        )}
      </td>
    </tr>
  );
}

export function BankTab({ programme, onChanged }: { programme: ProgrammeDetail; onChanged: () => void }) {
  const { t } = useTranslation('bank');
  const [banks, setBanks] = useState<NapasBank[]>([]);
  const [accounts, setAccounts] = useState<BankAccount[] | null>(null);
  const [lines, setLines] = useState<BankLine[]>([]);
  const [report, setReport] = useState<BankReport | null>(null);
  const [onlyUnmatched, setOnlyUnmatched] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([bankApi.banks(controller.signal), bankApi.accounts(programme.id, controller.signal), bankApi.lines(programme.id, onlyUnmatched, controller.signal), bankApi.report(programme.id, controller.signal)])
      .then(([b, a, l, r]) => {
        setBanks(b);
        setAccounts(a);
        setLines(l);
        setReport(r);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [programme.id, onlyUnmatched, version]);

  const reload = useCallback(() => {
    setVersion((v) => v + 1);
    onChanged();
  }, [onChanged]);

  if (!accounts) return <ErrorBanner message={error} />;
  return (
    <div data-testid="bank-tab">
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <section className="card">
        <h2>{t('web.accountsTitle')}</h2>
        <p className="muted small">{t('web.accountsLead')}</p>
        {accounts.length === 0 ? (
          <Notice message={t('web.noAccounts')} />
        ) : (
          <DataTable columns={[t('web.bank'), t('web.accountNumber'), t('web.accountName')]} testId="bank-accounts">
            {accounts.map((a) => (
              <tr key={a.id}>
                <td data-label={t('web.bank')}>
                  {a.bankName} <span className="muted small">({a.bankBin})</span>
                </td>
                <td data-label={t('web.accountNumber')}>{a.accountNumber}</td>
                <td data-label={t('web.accountName')}>{a.accountName}</td>
              </tr>
            ))}
          </DataTable>
        )}
        <AccountForm programme={programme} banks={banks} onSaved={reload} />
      </section>
      {accounts.length > 0 && (
        <section className="card">
          <ImportForm programme={programme} accounts={accounts} onImported={reload} />
          <details className="mapping-details" data-testid="bank-mapping">
            <summary>{t('web.mappingTitle')}</summary>
            <MappingForm programme={programme} accounts={accounts} onSaved={reload} />
          </details>
        </section>
      )}
      {report && report.lines > 0 && <ReportTable report={report} />}
      <section className="card">
        <div className="card-head">
          <h2>{t('web.linesTitle')}</h2>
          <label className="checkbox">
            <input type="checkbox" data-testid="bank-only-unmatched" checked={onlyUnmatched} onChange={(e) => setOnlyUnmatched(e.target.checked)} /> {t('web.onlyUnmatched')}
          </label>
        </div>
        {lines.length === 0 ? (
          <Notice message={t('web.noLines')} />
        ) : (
          <DataTable columns={[t('web.date'), { label: t('web.amount'), className: 'num' }, t('web.description'), t('web.matchedTo'), t('web.suggestions')]} testId="bank-lines">
            {lines.map((l) => (
              <LineRow key={l.id} programme={programme} line={l} onChanged={reload} />
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
