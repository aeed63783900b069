/**
 * A programme's public ledger (#/p/<slug>/ledger, no login): every receipt (the donor named only with
 * their consent), every payment to the social insurance office and every refund, newest first, with the
 * totals of the whole ledger (the programme's balance) and of what a search found; the whole ledger as CSV.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isAbort } from '../api/client';
import { formatDate, formatVnd } from '../format';
import { href } from '../router';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner } from '../ui/ErrorBanner';
import { transparencyApi, type PublicLedger, type PublicLedgerKind, type PublicLedgerRow } from './transparencyApi';

const KINDS: PublicLedgerKind[] = ['receipt', 'payment', 'refund'];

function Totals({ totals, testId }: { totals: PublicLedger['totals']; testId: string }) {
  const { t } = useTranslation('bank');
  return (
    <div className="stat-grid stat-grid-4" data-testid={testId}>
      {(['received', 'paid', 'refunded', 'held'] as const).map((k) => (
        <div className="stat" key={k}>
          <div className="stat-label">{t(`web.ledgerTotal.${k}`)}</div>
          <div className="stat-value">{formatVnd(totals[k])}</div>
        </div>
      ))}
    </div>
  );
}

export function PublicLedgerPage({ slug }: { slug: string }) {
  const { t, i18n } = useTranslation('bank');
  const [ledger, setLedger] = useState<PublicLedger | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [typed, setTyped] = useState('');
  const [query, setQuery] = useState<{ q?: string; kind?: PublicLedgerKind; page: number }>({ page: 1 });

  useEffect(() => {
    const ctrl = new AbortController();
    setError(null);
    transparencyApi
      .ledger(slug, { q: query.q || undefined, kind: query.kind, page: query.page }, ctrl.signal)
      .then(setLedger)
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setError(err instanceof ApiError && err.status === 404 ? t('web.ledgerNotFound') : (err as Error).message);
      });
    return () => ctrl.abort();
  }, [slug, query, t, i18n.language]);

  function search(e: FormEvent) {
    e.preventDefault();
    setQuery((q) => ({ ...q, q: typed.trim(), page: 1 }));
  }

  const who = (r: PublicLedgerRow) => (r.kind === 'payment' ? t('ledger.social_insurance_office') : (r.donor ?? t('ledger.anonymous')));
  if (error) return <ErrorBanner message={error} />;
  if (!ledger)
    return (
      <p className="muted" role="status">
        {t('web.loading')}
      </p>
    );
  const searching = !!query.q || !!query.kind;
  return (
    <div className="public-ledger" data-testid="public-ledger">
      <div className="page-head">
        <h1>{t('web.ledgerTitle')}</h1>
        <p className="lead">
          <a href={href('p', slug)}>{ledger.programme.name}</a>
          {' · '}
          {t('web.ledgerLead')}
        </p>
      </div>
      <Totals totals={ledger.totals} testId="ledger-totals" />
      <section className="card" aria-labelledby="ledger-rows-title">
        <div className="card-head">
          <h2 id="ledger-rows-title">{t('web.ledgerRows')}</h2>
          <a className="btn btn-secondary btn-small" href={transparencyApi.ledgerCsvUrl(slug, i18n.language)} download data-testid="ledger-csv">
            {t('web.ledgerCsv')}
          </a>
        </div>
        <form className="ledger-search" onSubmit={search} role="search">
          <label className="visually-hidden" htmlFor="ledger-search">
            {t('web.ledgerSearch')}
          </label>
          <input id="ledger-search" data-testid="ledger-search" type="search" value={typed} placeholder={t('web.ledgerSearchHint')} onChange={(e) => setTyped(e.target.value)} />
          <select aria-label={t('web.ledgerKind')} data-testid="ledger-kind" value={query.kind ?? ''} onChange={(e) => setQuery((q) => ({ ...q, kind: (e.target.value || undefined) as PublicLedgerKind | undefined, page: 1 }))}>
            <option value="">{t('web.ledgerAllKinds')}</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {t(`ledger.kinds.${k}`)}
              </option>
            ))}
          </select>
          <button type="submit" className="btn btn-primary">
            {t('web.ledgerSearchButton')}
          </button>
        </form>
        {searching && (
          <p data-testid="ledger-found">
            {t('web.ledgerFound', { count: ledger.found.count, received: formatVnd(ledger.found.received), paid: formatVnd(ledger.found.paid), refunded: formatVnd(ledger.found.refunded) })}
          </p>
        )}
        {ledger.rows.length === 0 ? (
          <p className="empty">{t('web.ledgerEmpty')}</p>
        ) : (
          <DataTable testId="ledger-rows" columns={[t('ledger.date'), t('ledger.kind'), t('ledger.donor'), { label: t('ledger.amount'), className: 'num-cell' }, t('ledger.method')]}>
            {ledger.rows.map((r, i) => (
              <tr key={i} className={r.amount < 0 ? 'row-out' : undefined}>
                <td className="nowrap">{formatDate(r.on)}</td>
                <td>
                  {t(`ledger.kinds.${r.reversal ? `${r.kind}_reversal` : r.kind}`)}
                  {r.cards ? ` (${t('web.ledgerCards', { count: r.cards })})` : ''}
                </td>
                <td>{who(r)}</td>
                <td className="num-cell nowrap">{formatVnd(r.amount)}</td>
                <td>{r.method ? t(`ledger.methods.${r.method}`) : ''}</td>
              </tr>
            ))}
          </DataTable>
        )}
        {ledger.pages > 1 && (
          <nav className="pager" aria-label={t('web.ledgerPages')}>
            <button type="button" className="btn btn-small btn-secondary" disabled={ledger.page <= 1} onClick={() => setQuery((q) => ({ ...q, page: q.page - 1 }))}>
              ‹
            </button>
            <span>{t('web.ledgerPage', { page: ledger.page, pages: ledger.pages })}</span>
            <button type="button" className="btn btn-small btn-secondary" disabled={ledger.page >= ledger.pages} onClick={() => setQuery((q) => ({ ...q, page: q.page + 1 }))}>
              ›
            </button>
          </nav>
        )}
      </section>
      <p>
        <a href={href('check')} data-testid="ledger-check-link">
          {t('web.checkLink')}
        </a>
      </p>
    </div>
  );
}
