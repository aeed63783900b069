/**
 * The candidates of a programme by commune, with their priority tags, cost and the reason anyone is set
 * aside; the state-budget list apart ("to be enrolled through the state budget"); nominations by
 * communes (register ids with tags, or a list file).
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { formatDate, formatNumber, formatVnd } from '../format';
import { SelectionPersonTable } from './SelectionPersonTable';
import { CANDIDATE_STATUSES, selectionApi, type Candidate, type CandidateList, type CandidateStatus, type RowError } from './selectionApi';
import { DataTable } from '../ui/DataTable';

const NOMINATION_TAGS = ['storm_victim', 'flood_victim', 'difficult', 'especially_difficult', 'disability', 'orphan'] as const;

export function RowErrors({ errors }: { errors: RowError[] }) {
  const { t } = useTranslation('selection');
  if (errors.length === 0) return null;
  return (
    <div className="table-wrap">
      <p className="field-error">{t('web.errors_in_file')}</p>
      <DataTable testId="file-errors" wrap={false} columns={[{ label: t('web.row'), className: 'num-cell' }, t('web.column'), null]}>
        {errors.slice(0, 200).map((e, i) => (
          <tr key={i}>
            <td className="num">{e.row}</td>
            <td>{e.column}</td>
            <td>
              {e.message}
              {e.value && <span className="muted"> ({e.value})</span>}
            </td>
          </tr>
        ))}
      </DataTable>
    </div>
  );
}

function CandidateTable({ items, testId, purchaseDate }: { items: Candidate[]; testId: string; purchaseDate: string }) {
  const { t } = useTranslation('selection');
  if (items.length === 0) return <p className="empty">{t('web.no_candidates')}</p>;
  return (
    <div className="table-wrap">
      <SelectionPersonTable
        items={items}
        purchaseDate={purchaseDate}
        testId={testId}
        lastHeader={t('web.status')}
        nameNote={(c) => c.nominated && <span className="muted small block">{t('web.nominated')}</span>}
        lastCell={(c) => <td className="small">{t(`status.${c.status}`)}</td>}
        rowProps={(c) => ({ 'data-testid': 'candidate-row', 'data-status': c.status })}
      />
    </div>
  );
}

function NominationForm({ programmeId, onDone }: { programmeId: string; onDone: () => void }) {
  const { t } = useTranslation('selection');
  const [ids, setIds] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [rowErrors, setRowErrors] = useState<RowError[]>([]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const personIds = ids.split(/[\s,;]+/).filter(Boolean);
      const r = await selectionApi.nominate(programmeId, { personIds, tags });
      setNotice(t('web.nominate_done', { count: r.nominated }));
      setIds('');
      onDone();
    } catch (err) {
      setError((err as Error & { fields?: { path: string; message: string }[] }).fields?.map((f) => `${f.path}: ${f.message}`).join('; ') || (err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  async function upload(e: FormEvent) {
    e.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    try {
      const r = await selectionApi.importNominations(programmeId, file);
      setRowErrors(r.errors);
      setNotice(t('web.import_done', { rows: r.rows, nominated: r.nominated, rejected: r.rejected }));
      onDone();
    } catch (err) {
      setError((err as Error).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="card" data-testid="nominations">
      <div className="card-head">
        <h3>{t('web.nominate_title')}</h3>
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      <form className="form-grid form-grid-2" onSubmit={(e) => void submit(e)}>
        <div className="field">
          <label htmlFor="nominate-ids">{t('web.nominate_ids')}</label>
          <textarea id="nominate-ids" rows={3} value={ids} onChange={(e) => setIds(e.target.value)} data-testid="nominate-ids" />
        </div>
        <fieldset className="field">
          <legend>{t('web.nominate_tags')}</legend>
          {NOMINATION_TAGS.map((tag) => (
            <label key={tag} className="checkbox">
              <input
                type="checkbox"
                checked={tags.includes(tag)}
                onChange={(e) => setTags((list) => (e.target.checked ? [...list, tag] : list.filter((x) => x !== tag)))}
              />{' '}
              {t(`tags.${tag}`)}
            </label>
          ))}
        </fieldset>
        <div className="field field-submit">
          <button type="submit" className="btn btn-secondary" disabled={busy || ids.trim() === ''} data-testid="nominate">
            {t('web.nominate')}
          </button>
        </div>
      </form>
      <form className="input-row" onSubmit={(e) => void upload(e)}>
        <label htmlFor="nominate-file">{t('web.nominate_import')}</label>
        <input id="nominate-file" type="file" accept=".xlsx,.csv" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
        <button type="submit" className="btn btn-secondary btn-small" disabled={busy || !file}>
          {t('web.upload')}
        </button>
      </form>
      <RowErrors errors={rowErrors} />
    </div>
  );
}

export function SelectionCandidates({ programmeId, canNominate, version }: { programmeId: string; canNominate: boolean; version: number }) {
  const { t, i18n } = useTranslation('selection');
  const [commune, setCommune] = useState('');
  const [status, setStatus] = useState<CandidateStatus | ''>('eligible');
  const [list, setList] = useState<CandidateList | null>(null);
  const [stateBudget, setStateBudget] = useState<Candidate[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [reload, setReload] = useState(0);

  const load = useCallback(
    async (signal: AbortSignal) => {
      try {
        const [main, state] = await Promise.all([
          selectionApi.candidates(programmeId, { commune: commune || undefined, status: status || undefined, limit: 300 }, signal),
          selectionApi.candidates(programmeId, { commune: commune || undefined, status: 'state_budget', limit: 300 }, signal),
        ]);
        setList(main);
        setStateBudget(state.items);
      } catch (err) {
        if (!isAbort(err)) setError((err as Error).message);
      }
    },
    [programmeId, commune, status],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load, reload, version]);

  const s = list?.summary;
  return (
    <div data-testid="selection-candidates">
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {s && (
        <>
          <p className="muted small">
            {t('web.period', { from: formatDate(s.purchaseDate), to: formatDate(s.periodEnd), months: s.months })} ·{' '}
            {t('web.summary', { total: s.total, covered: s.coveredInArea })}
          </p>
          <p className="small">
            {t('web.priorities')}:{' '}
            {s.priorityMode === 'tiers'
              ? (s.tiers ?? []).map((tag, i) => `${i + 1}. ${t(`tags.${tag}`, { defaultValue: tag })}`).join(' › ')
              : Object.entries(s.weights)
                  .sort((a, b) => b[1] - a[1])
                  .map(([tag, w]) => `${t(`tags.${tag}`, { defaultValue: tag })} ${w}`)
                  .join(' · ')}
            {s.priorityMode === 'tiers' && <span className="muted small block">{t('web.tiers_note')}</span>}
            {s.countAll && <span className="muted small block">{t('web.count_all')}</span>}
          </p>
          <div className="stat-grid" data-testid="candidate-stats">
            {CANDIDATE_STATUSES.map((st) => (
              <div className="stat" key={st}>
                <div className="stat-label">{t(`status.${st}`)}</div>
                {/* the area's covered persons are set aside before they become candidates: count them all here */}
                <div className="stat-value">{st === 'already_covered' ? Math.max(s.coveredInArea, s.byStatus[st] ?? 0) : (s.byStatus[st] ?? 0)}</div>
              </div>
            ))}
          </div>
          <h3>{t('web.by_commune')}</h3>
          <DataTable
            testId="candidate-communes"
            columns={[
              t('web.commune'),
              { label: t('web.candidates_count'), className: 'num-cell' },
              { label: t('web.eligible'), className: 'num-cell' },
              { label: t('status.state_budget').split(' — ')[0], className: 'num-cell' },
              { label: t('web.cost'), className: 'num-cell' },
            ]}
          >
            {s.communes.map((m) => (
              <tr key={m.code}>
                <td>
                  <button type="button" className="btn btn-ghost btn-small" onClick={() => setCommune(m.code === commune ? '' : m.code)}>
                    {m.name ?? m.code}
                  </button>
                </td>
                <td className="num">{formatNumber(m.total, i18n.language)}</td>
                <td className="num">{formatNumber(m.eligible, i18n.language)}</td>
                <td className="num">{formatNumber(m.stateBudget, i18n.language)}</td>
                <td className="num nowrap">{formatVnd(m.eligibleCost)}</td>
              </tr>
            ))}
          </DataTable>
        </>
      )}
      <div className="table-tools">
        <label className="filter">
          {t('web.commune')}{' '}
          <select value={commune} onChange={(e) => setCommune(e.target.value)} data-testid="candidate-commune">
            <option value="">{t('web.all_communes')}</option>
            {s?.communes.map((m) => (
              <option key={m.code} value={m.code}>
                {m.name ?? m.code}
              </option>
            ))}
          </select>
        </label>
        <label className="filter">
          {t('web.status')}{' '}
          <select value={status} onChange={(e) => setStatus(e.target.value as CandidateStatus | '')} data-testid="candidate-status">
            <option value="">{t('web.all_statuses')}</option>
            {CANDIDATE_STATUSES.map((st) => (
              <option key={st} value={st}>
                {t(`status.${st}`).split(' — ')[0]}
              </option>
            ))}
          </select>
        </label>
      </div>
      {list && <CandidateTable items={list.items} testId="candidates-table" purchaseDate={list.summary.purchaseDate} />}
      {list && list.matching > list.items.length && <p className="muted small">{t('web.more', { count: list.matching - list.items.length })}</p>}

      <h3>{t('web.state_budget_list')}</h3>
      {stateBudget.length > 0 && (
        <p>
          <a className="btn btn-secondary btn-small" href={selectionApi.stateBudgetUrl(programmeId)} download data-testid="download-state-budget">
            {t('web.state_budget_xlsx')}
          </a>
        </p>
      )}
      {stateBudget.length === 0 ? <p className="empty">{t('web.state_budget_empty')}</p> : <CandidateTable items={stateBudget} testId="state-budget-table" purchaseDate={s?.purchaseDate ?? ''} />}

      {canNominate && <NominationForm programmeId={programmeId} onDone={() => setReload((n) => n + 1)} />}
    </div>
  );
}
