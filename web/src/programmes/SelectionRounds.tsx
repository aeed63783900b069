/**
 * Selection rounds: run one (the budget prefilled with the money available), the list of rounds, and a
 * round's result: selected and rejected persons with the reason, cost and priority, totals per commune,
 * the objective and its upper bound; approve or discard a proposed round.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isAbort } from '../api/client';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { formatDecimal, formatVnd, parseVnd } from '../format';
import { SelectionPersonTable } from './SelectionPersonTable';
import { selectionApi, type Round, type RoundDetail } from './selectionApi';
import { useConfirmedAction } from './ConfirmAction';
import { DataTable } from '../ui/DataTable';

function RoundResult({ programmeId, round, canApprove, onChanged }: { programmeId: string; round: Round; canApprove: boolean; onChanged: (status?: string) => void }) {
  const { t, i18n } = useTranslation('selection');
  const [show, setShow] = useState<'selected' | 'rejected' | 'all'>('selected');
  const [detail, setDetail] = useState<RoundDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [discarding, setDiscarding] = useState(false);
  // approval moves money: confirmed with the round's figures, one idempotency key per confirmation
  const approval = useConfirmedAction((confirm, key) => selectionApi.approve(programmeId, round.id, confirm, key));
  const busy = discarding || approval.busy;

  useEffect(() => {
    const ctrl = new AbortController();
    selectionApi
      .round(programmeId, round.id, { selected: show === 'all' ? undefined : show === 'selected', limit: 500 }, ctrl.signal)
      .then(setDetail)
      .catch((err: unknown) => {
        if (!isAbort(err)) setError((err as Error).message);
      });
    return () => ctrl.abort();
  }, [programmeId, round.id, round.status, show]);

  async function act(what: 'approve' | 'discard') {
    setError(null);
    if (what === 'discard') setDiscarding(true);
    try {
      if (what === 'approve') {
        if ((await approval.confirm()) === undefined) return;
      } else await selectionApi.discard(programmeId, round.id);
      onChanged(what === 'approve' ? 'list_approved' : undefined);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : (err as Error).message);
    } finally {
      setDiscarding(false);
    }
  }
  const confirming = approval.pending !== null;

  const totals = detail?.totals;
  return (
    <div className="card" data-testid="round-result" data-round={round.number}>
      <div className="card-head">
        <h3>
          {t('web.round', { number: round.number })} · <span className="pill">{t(`round_status.${round.status}`)}</span>
        </h3>
        {round.status === 'proposed' && canApprove && (
          <div className="btn-group">
            {!confirming && (
              <button
                type="button"
                className="btn btn-primary btn-small"
                onClick={() => void approval.ask({ action: 'approve_round', count: round.selectedCount, amount: round.spent, moneyMoves: true })}
                data-testid="approve-round"
              >
                {t('web.approve')}
              </button>
            )}
            <button type="button" className="btn btn-danger-ghost btn-small" disabled={busy} onClick={() => void act('discard')} data-testid="discard-round">
              {t('web.discard')}
            </button>
          </div>
        )}
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {confirming && (
        <div className="row-actions confirm">
          <span className="confirm-text">{t('web.approve_confirm', { number: round.number, count: approval.pending!.count, amount: formatVnd(approval.pending!.amount) })}</span>
          <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void act('approve')} data-testid="approve-confirm">
            {t('web.approve')}
          </button>
          <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={approval.cancel}>
            ✕
          </button>
        </div>
      )}
      {(round.params.earmarks ?? []).map((e) => (
        <p className="small" key={`${e.commune ?? ''}|${e.tag ?? ''}`} data-testid="round-earmark">
          {t('web.earmark_line', {
            target: [e.commune, e.tag ? t(`tags.${e.tag}`, { defaultValue: e.tag }) : null].filter(Boolean).join(', '),
            available: formatVnd(e.available),
            spent: formatVnd(e.spent),
            count: e.selected,
            unspent: formatVnd(e.unspent),
          })}
        </p>
      ))}
      {round.params.countAll === true && (
        <p className="small" data-testid="round-count-all">
          {t('web.count_all')}
        </p>
      )}
      <div className="stat-grid" data-testid="round-totals">
        <div className="stat">
          <div className="stat-label">{t('web.selected')}</div>
          <div className="stat-value">{round.selectedCount}</div>
        </div>
        <div className="stat">
          <div className="stat-label">{t('web.spent')}</div>
          <div className="stat-value" data-testid="round-spent">
            {formatVnd(round.spent)}
          </div>
        </div>
        <div className="stat">
          <div className="stat-label">{t('web.unspent')}</div>
          <div className="stat-value">{formatVnd(round.unspent)}</div>
        </div>
        <div className="stat">
          <div className="stat-label">{t('web.objective')}</div>
          <div className="stat-value">
            {formatDecimal(round.objective, i18n.language)}
            {round.bound !== null && (
              <span className="muted small block">
                {t('web.bound')}: {formatDecimal(round.bound, i18n.language)}
                {round.params.provenOptimal === true ? ` (${t('web.optimal')})` : ''}
              </span>
            )}
          </div>
        </div>
        <div className="stat">
          <div className="stat-label">{t('status.state_budget').split(' — ')[0]}</div>
          <div className="stat-value">{totals?.stateBudget ?? '…'}</div>
        </div>
      </div>
      {detail && detail.communes.length > 1 && (
        <DataTable
          testId="round-communes"
          columns={[
            t('web.commune'),
            { label: t('web.candidates_count'), className: 'num-cell' },
            { label: t('web.selected'), className: 'num-cell' },
            { label: t('web.spent'), className: 'num-cell' },
          ]}
        >
          {detail.communes.map((m) => (
            <tr key={m.code}>
              <td>{m.name ?? m.code}</td>
              <td className="num">{m.candidates}</td>
              <td className="num">{m.selected}</td>
              <td className="num nowrap">{formatVnd(m.spent)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      <div className="btn-group" role="group">
        {(['selected', 'rejected', 'all'] as const).map((k) => (
          <button key={k} type="button" className={`btn btn-small ${show === k ? 'btn-primary' : 'btn-secondary'}`} onClick={() => setShow(k)} data-testid={`show-${k}`}>
            {t(`web.show_${k}`)}
          </button>
        ))}
      </div>
      {detail && (
        <div className="table-wrap">
          <SelectionPersonTable
            items={detail.items}
            purchaseDate={detail.round.pricedOn}
            testId="round-table"
            lastHeader={t('web.reason')}
            lastCell={(c) => (
              <td className={`small${c.selected ? ' reason-selected' : ''}`} data-testid="round-reason">
                {c.selected ? '✓ ' : ''}
                {t(`reasons.${c.reason}`, { defaultValue: c.reason })}
              </td>
            )}
            rowProps={(c) => ({ 'data-testid': 'round-row', 'data-selected': c.selected ? 'yes' : 'no' })}
          />
          {detail.matching > detail.items.length && <p className="muted small">{t('web.more', { count: detail.matching - detail.items.length })}</p>}
        </div>
      )}
    </div>
  );
}

export function SelectionRounds({
  programmeId,
  status,
  available,
  selectionMode,
  canWrite,
  onChanged,
}: {
  programmeId: string;
  status: string;
  available: number | null;
  selectionMode: 'concentrate' | 'spread';
  canWrite: boolean;
  onChanged: (status?: string) => void;
}) {
  const { t, i18n } = useTranslation('selection');
  const [rounds, setRounds] = useState<Round[]>([]);
  const [current, setCurrent] = useState<string | null>(null);
  const [budget, setBudget] = useState(available === null ? '' : formatVnd(available).replace(' ₫', ''));
  const [mode, setMode] = useState<'concentrate' | 'spread'>(selectionMode);
  const [releaseEarmarks, setReleaseEarmarks] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      selectionApi
        .rounds(programmeId, signal)
        .then((r) => {
          setRounds(r.items);
          setCurrent((c) => c ?? r.items.find((x) => x.status === 'approved')?.id ?? r.items[0]?.id ?? null);
        })
        .catch((err: unknown) => {
          if (!isAbort(err)) setError((err as Error).message);
        }),
    [programmeId],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);
  useEffect(() => {
    if (available !== null) setBudget(formatVnd(available).replace(' ₫', ''));
  }, [available]);

  async function run(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const amount = budget.trim() === '' ? undefined : parseVnd(budget);
      if (amount === null) throw new Error(t('fields.budget_invalid'));
      const r = await selectionApi.runRound(programmeId, { ...(amount !== undefined ? { budget: amount } : {}), mode, ...(releaseEarmarks ? { releaseEarmarks } : {}) });
      setNotice(t('cli.round_created', { number: r.number, selected: r.selectedCount, spent: formatVnd(r.spent), budget: formatVnd(r.budget), objective: formatDecimal(r.objective, i18n.language) }));
      setCurrent(r.id);
      await load();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  const canRun = canWrite && (status === 'raising' || status === 'selecting');
  const shown = rounds.find((r) => r.id === current);
  return (
    <div data-testid="selection-rounds">
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      {canRun && (
        <form className="form-grid" onSubmit={(e) => void run(e)} data-testid="run-round-form">
          <div className="field">
            <label htmlFor="round-budget">{t('web.budget')}</label>
            <input id="round-budget" inputMode="numeric" value={budget} onChange={(e) => setBudget(e.target.value)} data-testid="round-budget" />
            {available !== null && <p className="field-hint">{t('web.budget_hint', { amount: formatVnd(available) })}</p>}
          </div>
          <div className="field">
            <label htmlFor="round-mode">{t('web.mode')}</label>
            <select id="round-mode" value={mode} onChange={(e) => setMode(e.target.value as 'concentrate' | 'spread')}>
              <option value="concentrate">{t('web.mode_concentrate')}</option>
              <option value="spread">{t('web.mode_spread')}</option>
            </select>
          </div>
          {rounds.some((r) => Array.isArray(r.params.earmarks) && r.params.earmarks.length > 0) && (
            <div className="field">
              <label className="checkbox">
                <input type="checkbox" checked={releaseEarmarks} onChange={(e) => setReleaseEarmarks(e.target.checked)} data-testid="release-earmarks" /> {t('web.release_earmarks')}
              </label>
            </div>
          )}
          <div className="field field-submit">
            <button type="submit" className="btn btn-primary" disabled={busy} data-testid="run-round">
              {t('web.run_round')}
            </button>
          </div>
        </form>
      )}
      {rounds.length > 0 && (
        <ul className="result-list" data-testid="rounds-list">
          {rounds.map((r) => (
            <li key={r.id}>
              <button type="button" className={`btn btn-small ${r.id === current ? 'btn-secondary' : 'btn-ghost'}`} onClick={() => setCurrent(r.id)}>
                {t('web.round_line', { number: r.number, status: t(`round_status.${r.status}`), selected: r.selectedCount, spent: formatVnd(r.spent), budget: formatVnd(r.budget) })}
              </button>
            </li>
          ))}
        </ul>
      )}
      {shown && (
        <RoundResult
          key={`${shown.id}-${shown.status}`}
          programmeId={programmeId}
          round={shown}
          canApprove={canWrite && status === 'selecting'}
          onChanged={(to) => {
            void load();
            onChanged(to);
          }}
        />
      )}
    </div>
  );
}
