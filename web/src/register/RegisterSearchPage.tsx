/**
 * Household register, person search: a name (with or without diacritics), a citizen ID or an insurance
 * code -> GET /api/register/persons, 50 per page; a row opens the person's household. The last search
 * is kept in memory so coming back from a household shows the same results. Staff who may write add a
 * new household here (then its page opens to add the members).
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { type PersonPage } from './registerApi';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { setPendingNotice, usePendingNotice } from './HouseholdBits';
import { HouseholdForm } from './HouseholdForm';
import { CardBadge, GroupCodes, formatCount, isMissingRoute, usePremiumGroups, useSexLabel } from './RegisterBits';
import { errorMessage } from '../errors';
import { formatDate } from '../format';
import { href, navigate } from '../router';
import { registerApi } from './registerApi';
import { DataTable } from '../ui/DataTable';

const PAGE = 50;
const MIN_LENGTH = 2;

/** The search shown last (this tab only, never stored). */
let lastSearch: { q: string; offset: number } = { q: '', offset: 0 };

export function RegisterSearchPage({ user }: { user: User }) {
  const { t, i18n } = useTranslation('web');
  const [query, setQuery] = useState(lastSearch.q);
  const [search, setSearch] = useState(lastSearch);
  const [page, setPage] = useState<PersonPage | null>(null);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [hint, setHint] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const [notice, setNotice] = usePendingNotice();
  const canEdit = user.role !== 'viewer';
  const groups = usePremiumGroups();
  const sexLabel = useSexLabel();
  const lang = i18n.language;

  useEffect(() => {
    lastSearch = search;
    if (search.q.length < MIN_LENGTH) {
      setPage(null);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    registerApi
      .registerPersons({ q: search.q, limit: PAGE, offset: search.offset }, controller.signal)
      .then((result) => {
        setPage(result);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setLoading(false);
        setPage(null);
        setError(isMissingRoute(err) ? t('register.search.notReady') : errorMessage(err));
      });
    return () => controller.abort();
  }, [search, t]);

  function submit(e: FormEvent) {
    e.preventDefault();
    const q = query.trim();
    if (q.length < MIN_LENGTH) {
      setHint(t('register.search.tooShort'));
      return;
    }
    setHint(null);
    setSearch({ q, offset: 0 });
  }

  const total = page?.total ?? 0;
  const items = page?.items ?? [];
  const from = search.offset + 1;
  const to = search.offset + items.length;

  return (
    <div className="page register-page">
      <div className="page-head">
        <div>
          <h1>{t('register.search.title')}</h1>
          <p className="lead muted">{t('register.search.lead')}</p>
        </div>
        {canEdit && (
          <div className="btn-group">
            {!creating && (
              <button type="button" className="btn btn-primary" data-testid="household-new" onClick={() => setCreating(true)}>
                + {t('register.householdForm.new')}
              </button>
            )}
            <a className="btn btn-secondary" href={href('register', 'import')}>
              {t('register.search.importLink')}
            </a>
          </div>
        )}
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />

      {canEdit && creating && (
        <section className="card">
          <HouseholdForm
            user={user}
            onDone={(saved) => {
              setCreating(false);
              if (!saved) return;
              setPendingNotice(t('register.householdForm.created', { code: saved.code }));
              navigate('register', 'household', saved.id);
            }}
          />
        </section>
      )}

      <section className="card">
        <form role="search" onSubmit={submit} noValidate>
          <label htmlFor="person-search">{t('register.search.label')}</label>
          <div className="input-row">
            <input
              id="person-search"
              data-testid="person-search"
              type="search"
              autoComplete="off"
              spellCheck={false}
              placeholder={t('register.search.placeholder')}
              value={query}
              onChange={(e) => setQuery(e.target.value)}
              aria-invalid={hint ? true : undefined}
              aria-describedby={hint ? 'person-search-error' : 'person-search-hint'}
            />
            <button type="submit" className="btn btn-primary" data-testid="person-search-submit" disabled={loading}>
              {t('register.search.submit')}
            </button>
          </div>
          {hint ? (
            <p className="field-error" id="person-search-error">
              {hint}
            </p>
          ) : (
            <p className="field-hint" id="person-search-hint">
              {t('register.search.hint')}
            </p>
          )}
        </form>
      </section>

      <section className="card" aria-busy={loading} aria-live="polite">
        {!page && !loading && !error && <p className="empty">{t('register.search.start')}</p>}
        {loading && !page && <p className="muted">{t('common.searching')}</p>}
        {page && (
          <>
            <div className="results-head">
              <p className="muted small">
                {total === 0
                  ? t('register.search.none', { query: search.q })
                  : `${t('register.search.count', { count: total, n: formatCount(total, lang) })}${
                      total > PAGE ? ` · ${t('register.search.range', { from: formatCount(from, lang), to: formatCount(to, lang), total: formatCount(total, lang) })}` : ''
                    }`}
              </p>
              {loading && <p className="muted small">{t('common.searching')}</p>}
            </div>
            {items.length > 0 && (
              <DataTable
                testId="person-results"
                className="person-table"
                wrapClassName={loading ? 'is-stale' : undefined}
                columns={[
                  t('register.col.name'),
                  t('register.col.birthDate'),
                  t('register.col.sex'),
                  t('register.col.place'),
                  t('register.col.groups'),
                  t('register.col.card'),
                ]}
              >
                {items.map((p) => (
                  <tr
                    key={p.id}
                    data-testid={`person-row-${p.id}`}
                    className="clickable"
                    onClick={(e) => {
                      // the link in the name cell handles its own click (and middle clicks)
                      if ((e.target as HTMLElement).closest('a')) return;
                      navigate('register', 'household', p.householdId);
                    }}
                  >
                    <td data-label={t('register.col.name')}>
                      <a
                        className="person-name"
                        href={href('register', 'household', p.householdId)}
                        aria-label={t('register.search.openHousehold', { code: p.householdCode, name: p.fullName })}
                      >
                        {p.fullName}
                      </a>
                      <span className="muted small block">
                        {[p.citizenId, p.insuranceCode].filter(Boolean).join(' · ') || (
                          <span className="code">{p.householdCode}</span>
                        )}
                      </span>
                    </td>
                    <td data-label={t('register.col.birthDate')} className="nowrap">
                      {formatDate(p.birthDate) || '—'}
                    </td>
                    <td data-label={t('register.col.sex')}>{sexLabel(p.sex)}</td>
                    <td data-label={t('register.col.place')}>
                      {p.villageName && <span className="block">{p.villageName}</span>}
                      <span className={p.villageName ? 'muted small' : undefined}>{p.communeName}</span>
                    </td>
                    <td data-label={t('register.col.groups')}>
                      <GroupCodes codes={p.groupCodes} groups={groups} />
                    </td>
                    <td data-label={t('register.col.card')}>
                      <CardBadge covered={p.coveredToday} cardTo={p.cardTo} />
                    </td>
                  </tr>
                ))}
              </DataTable>
            )}
            {total > PAGE && (
              <nav className="pager" aria-label={t('register.search.pagination')}>
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  data-testid="person-prev"
                  disabled={loading || search.offset === 0}
                  onClick={() => setSearch((s) => ({ ...s, offset: Math.max(0, s.offset - PAGE) }))}
                >
                  {t('register.search.prev')}
                </button>
                <span className="muted small">
                  {t('register.search.range', { from: formatCount(from, lang), to: formatCount(to, lang), total: formatCount(total, lang) })}
                </span>
                <button
                  type="button"
                  className="btn btn-secondary btn-small"
                  data-testid="person-next"
                  disabled={loading || search.offset + PAGE >= total}
                  onClick={() => setSearch((s) => ({ ...s, offset: s.offset + PAGE }))}
                >
                  {t('register.search.next')}
                </button>
              </nav>
            )}
          </>
        )}
      </section>
    </div>
  );
}
