/**
 * After approval: the D03-TS list for the social insurance office (download, submit) and the cards it
 * issues (card number and validity per award, by hand or from the office's returned list).
 */
import { useCallback, useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isAbort } from '../api/client';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { formatDate, formatVnd } from '../format';
import { RowErrors } from './SelectionCandidates';
import { selectionApi, type AwardLine, type RowError } from './selectionApi';
import { ConfirmBar, useConfirmedAction } from './ConfirmAction';
import { D03Check } from './D03Check';
import { DataTable } from '../ui/DataTable';

/** 'dd/MM/yyyy' (or 'YYYY-MM-DD') -> 'YYYY-MM-DD', or null. */
export function parseDayMonthYear(text: string): string | null {
  const t = text.trim();
  let m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
  let y: number, mo: number, d: number;
  if (m) [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  else {
    m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(t);
    if (!m) return null;
    [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  }
  const date = new Date(Date.UTC(y, mo - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) return null;
  return `${y}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** The day after an ISO date: a renewal card starts the day after the current card ends. */
const dayAfter = (iso: string) => new Date(Date.parse(`${iso}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

interface Draft {
  number: string;
  from: string;
  to: string;
}

export function SelectionCards({
  programmeId,
  ownerUnitCode,
  status,
  canWrite,
  onChanged,
}: {
  programmeId: string;
  ownerUnitCode: string;
  status: string;
  canWrite: boolean;
  onChanged: (status?: string) => void;
}) {
  const { t } = useTranslation('selection');
  const [awards, setAwards] = useState<{ live: number; issued: number; items: AwardLine[] } | null>(null);
  const [drafts, setDrafts] = useState<Record<string, Draft>>({});
  const [file, setFile] = useState<File | null>(null);
  const [rowErrors, setRowErrors] = useState<RowError[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      selectionApi
        .issuedCards(programmeId, signal)
        .then(setAwards)
        .catch((err: unknown) => {
          if (!isAbort(err)) setError((err as Error).message);
        }),
    [programmeId],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load, status]);

  // every action here moves money or may move the status: confirmed first (ConfirmAction.tsx)
  const cardsToRecord = useRef<{ awardId: string; cardNumber: string; validFrom: string; validTo: string }[]>([]);
  const [reason, setReason] = useState('');
  const submission = useConfirmedAction((confirm, key) => selectionApi.submit(programmeId, confirm, key));
  const withdrawal = useConfirmedAction((confirm, key) => selectionApi.unsubmit(programmeId, reason, confirm, key));
  const recording = useConfirmedAction((confirm, key) => selectionApi.recordCards(programmeId, cardsToRecord.current, confirm, key));
  const importing = useConfirmedAction((confirm) => selectionApi.importCards(programmeId, file!, confirm));
  const busy = submission.busy || withdrawal.busy || recording.busy || importing.busy;

  async function attempt(fn: () => Promise<void>) {
    setError(null);
    try {
      await fn();
    } catch (err) {
      setError(err instanceof ApiError && err.fields.length ? err.fields.map((f) => f.message).join('; ') : (err as Error).message);
    }
  }

  const submitList = () =>
    attempt(async () => {
      const r = await submission.confirm();
      if (!r) return;
      setNotice(t('web.submitted', { count: r.awards, amount: formatVnd(r.amount) }));
      onChanged('submitted');
    });

  const unsubmitList = () =>
    attempt(async () => {
      const r = await withdrawal.confirm();
      if (!r) return;
      setNotice(t('web.unsubmitted', { count: r.reversed.count, amount: formatVnd(r.reversed.amount) }));
      setReason('');
      onChanged('list_approved');
    });

  function record(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const cards: { awardId: string; cardNumber: string; validFrom: string; validTo: string }[] = [];
    const bad: string[] = [];
    for (const [awardId, d] of Object.entries(drafts)) {
      if (!d.number.trim() && !d.from.trim() && !d.to.trim()) continue;
      const from = parseDayMonthYear(d.from);
      const to = parseDayMonthYear(d.to);
      const name = awards?.items.find((a) => a.id === awardId)?.fullName ?? awardId;
      if (!d.number.trim()) bad.push(`${name}: ${t('fields.card_number_required')}`);
      if (!from || !to) bad.push(`${name}: ${t('fields.invalid_date')}`);
      else cards.push({ awardId, cardNumber: d.number.trim(), validFrom: from, validTo: to });
    }
    if (bad.length) return setError(bad.join('; '));
    if (cards.length === 0) return;
    cardsToRecord.current = cards;
    void recording.ask({ action: 'issue_cards', count: cards.length, amount: 0, moneyMoves: false });
  }

  const recordCards = () =>
    attempt(async () => {
      const r = await recording.confirm();
      if (!r) return;
      setNotice(`${t('web.recorded', { count: r.recorded })} · ${t('web.cards_done', { issued: r.issued, total: r.total })}`);
      setDrafts({});
      await load();
      onChanged(r.programmeStatus);
    });

  function upload(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    void importing.ask({ action: 'issue_import', count: 0, amount: 0, moneyMoves: false });
  }

  const importCards = () =>
    attempt(async () => {
      const r = await importing.confirm();
      if (!r) return;
      setRowErrors(r.errors);
      if (r.result) setNotice(`${t('web.recorded', { count: r.result.recorded })} · ${t('web.cards_done', { issued: r.result.issued, total: r.result.total })}`);
      await load();
      onChanged(r.result?.programmeStatus);
    });

  const canIssue = canWrite && (status === 'submitted' || status === 'cards_issued');
  const set = (id: string, k: keyof Draft, v: string) => setDrafts((all) => ({ ...all, [id]: { ...(all[id] ?? { number: '', from: '', to: '' }), [k]: v } }));
  const total = awards?.items.reduce((s, a) => s + a.amount, 0) ?? 0;
  return (
    <div data-testid="selection-cards">
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      <D03Check programmeId={programmeId} ownerUnitCode={ownerUnitCode} canWrite={canWrite && status === 'list_approved'} />
      <div className="btn-group">
        {canWrite && status === 'list_approved' && (
          <button type="button" className="btn btn-primary" disabled={busy || submission.pending !== null} onClick={() => void attempt(() => submission.ask())} data-testid="submit-d03">
            {t('web.submit')}
          </button>
        )}
      </div>
      {submission.pending && <ConfirmBar details={submission.pending} busy={busy} onConfirm={() => void submitList()} onCancel={submission.cancel} testId="submit-d03-confirm" />}
      {canWrite && status === 'submitted' && awards !== null && awards.issued === 0 && (
        <div className="input-row" data-testid="unsubmit-d03">
          <label htmlFor="unsubmit-reason">{t('web.unsubmit_reason')}</label>
          <input id="unsubmit-reason" type="text" value={reason} onChange={(e) => setReason(e.target.value)} data-testid="unsubmit-reason" />
          <button
            type="button"
            className="btn btn-danger-ghost btn-small"
            disabled={busy || reason.trim() === '' || withdrawal.pending !== null}
            onClick={() => void attempt(() => withdrawal.ask())}
            data-testid="unsubmit-d03-button"
          >
            {t('web.unsubmit')}
          </button>
        </div>
      )}
      {withdrawal.pending && <ConfirmBar details={withdrawal.pending} busy={busy} onConfirm={() => void unsubmitList()} onCancel={withdrawal.cancel} testId="unsubmit-d03-confirm" />}
      {awards && (
        <form onSubmit={record}>
          <h3>
            {t('web.cards')} <span className="muted small">{t('web.cards_done', { issued: awards.issued, total: awards.live })}</span>
          </h3>
          <DataTable
            testId="awards-table"
            foot={
              <>
                <tr>
                  <td colSpan={4}>{t('web.communes_total')}</td>
                  <td className="num nowrap">{formatVnd(total)}</td>
                  <td colSpan={3} />
                </tr>
              </>
            }
            columns={[
              t('web.person'),
              t('web.birth_date'),
              t('web.commune'),
              t('web.group'),
              { label: t('web.amount'), className: 'num-cell' },
              t('issue.card_number'),
              t('issue.valid_from'),
              t('issue.valid_to'),
            ]}
          >
            {awards.items.map((a) => (
              <tr key={a.id} data-testid="award-row" data-renews-after={a.coveredUntil ?? undefined}>
                <td>
                  {a.fullName}
                  {a.citizenId && <span className="muted small block mono">{a.citizenId}</span>}
                </td>
                <td className="nowrap">{formatDate(a.birthDate)}</td>
                <td>{a.communeName ?? a.communeCode}</td>
                <td className="code">{a.groupCode}</td>
                <td className="num nowrap">{formatVnd(a.amount)}</td>
                {a.cardNumber ? (
                  <>
                    <td className="mono" data-testid="card-number">
                      {a.cardNumber}
                    </td>
                    <td className="nowrap">{formatDate(a.cardFrom)}</td>
                    <td className="nowrap">{formatDate(a.cardTo)}</td>
                  </>
                ) : canIssue ? (
                  <>
                    <td>
                      <input aria-label={t('issue.card_number')} value={drafts[a.id]?.number ?? ''} onChange={(e) => set(a.id, 'number', e.target.value)} data-testid="card-input" />
                    </td>
                    <td>
                      <input
                        aria-label={t('issue.valid_from')}
                        placeholder={a.coveredUntil ? formatDate(dayAfter(a.coveredUntil)) : 'dd/mm/yyyy'}
                        title={a.coveredUntil ? t('web.covered_until', { date: formatDate(a.coveredUntil) }) : undefined}
                        size={10}
                        value={drafts[a.id]?.from ?? ''}
                        onChange={(e) => set(a.id, 'from', e.target.value)}
                        data-testid="card-valid-from"
                      />
                    </td>
                    <td>
                      <input aria-label={t('issue.valid_to')} placeholder="dd/mm/yyyy" size={10} value={drafts[a.id]?.to ?? ''} onChange={(e) => set(a.id, 'to', e.target.value)} data-testid="card-valid-to" />
                    </td>
                  </>
                ) : (
                  <td colSpan={3} className="muted">
                    —
                  </td>
                )}
              </tr>
            ))}
          </DataTable>
          {canIssue && (
            <button type="submit" className="btn btn-primary" disabled={busy || recording.pending !== null} data-testid="record-cards">
              {t('web.record')}
            </button>
          )}
          {recording.pending && <ConfirmBar details={recording.pending} busy={busy} onConfirm={() => void recordCards()} onCancel={recording.cancel} testId="record-cards-confirm" />}
        </form>
      )}
      {canIssue && (
        <form className="input-row" onSubmit={upload}>
          <label htmlFor="cards-file">{t('web.cards_import')}</label>
          <input id="cards-file" type="file" accept=".xlsx,.csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
          <button type="submit" className="btn btn-secondary btn-small" disabled={busy || !file || importing.pending !== null}>
            {t('web.upload')}
          </button>
        </form>
      )}
      {importing.pending && <ConfirmBar details={importing.pending} busy={busy} onConfirm={() => void importCards()} onCancel={importing.cancel} testId="import-cards-confirm" />}
      <RowErrors errors={rowErrors} />
    </div>
  );
}
