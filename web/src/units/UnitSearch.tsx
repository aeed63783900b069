import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { type Unit } from './unitsApi';
import { errorMessage } from '../errors';
import { href } from '../router';
import { unitsApi } from './unitsApi';

/** The hash path that shows a unit: a province, a commune, or a village inside its commune. */
export function unitHref(unit: Pick<Unit, 'code' | 'level' | 'parentCode'>): string {
  if (unit.level === 'province' || !unit.parentCode) return href('units', unit.code);
  return href('units', unit.parentCode, unit.code);
}

const MIN_LENGTH = 2;
const DEBOUNCE_MS = 250;

/** Name search over all units, ignoring diacritics and case (GET /api/units?q=). */
export function UnitSearch({ onError }: { onError: (message: string | null) => void }) {
  const { t } = useTranslation('web');
  const [query, setQuery] = useState('');
  const [submitted, setSubmitted] = useState('');
  const [results, setResults] = useState<Unit[] | null>(null);
  const [loading, setLoading] = useState(false);
  const timer = useRef<number | undefined>(undefined);

  // debounce typing into the query actually sent
  useEffect(() => {
    window.clearTimeout(timer.current);
    timer.current = window.setTimeout(() => setSubmitted(query.trim()), DEBOUNCE_MS);
    return () => window.clearTimeout(timer.current);
  }, [query]);

  useEffect(() => {
    if (submitted.length < MIN_LENGTH) {
      setResults(null);
      setLoading(false);
      return;
    }
    const controller = new AbortController();
    setLoading(true);
    unitsApi
      .searchUnits(submitted, controller.signal)
      .then((units) => {
        setResults(units);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setLoading(false);
        setResults(null);
        onError(errorMessage(err));
      });
    return () => controller.abort();
  }, [submitted, onError]);

  function submit(e: FormEvent) {
    e.preventDefault();
    window.clearTimeout(timer.current);
    setSubmitted(query.trim());
  }

  function clear() {
    setQuery('');
    setSubmitted('');
  }

  const trimmed = query.trim();
  return (
    <div className="tool">
      <form role="search" onSubmit={submit}>
        <label htmlFor="unit-search">{t('units.search.label')}</label>
        <div className="input-row">
          <input
            id="unit-search"
            data-testid="unit-search"
            type="search"
            autoComplete="off"
            placeholder={t('units.search.placeholder')}
            value={query}
            onChange={(e) => setQuery(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Escape') clear();
            }}
            aria-describedby="unit-search-hint"
            aria-controls="unit-search-results"
          />
        </div>
        <p className="field-hint" id="unit-search-hint">
          {t('units.search.hint')}
        </p>
      </form>
      <div id="unit-search-results" data-testid="unit-search-results" aria-live="polite">
        {loading && <p className="muted small">{t('common.searching')}</p>}
        {!loading && results && trimmed.length >= MIN_LENGTH && (
          <>
            <p className="muted small">
              {results.length === 0
                ? t('units.search.none', { query: submitted })
                : t('units.search.count', { count: results.length })}
            </p>
            {results.length > 0 && (
              <ul className="result-list">
                {results.map((u) => (
                  <li key={u.code}>
                    <a
                      href={unitHref(u)}
                      data-testid={`unit-search-item-${u.code}`}
                      className="result-link"
                      onClick={clear}
                    >
                      <span className="result-name">{u.name}</span>
                      <span className="result-meta">
                        <span className={`badge badge-${u.level}`}>{t(`kinds.${u.kind}`, { defaultValue: u.kind })}</span>
                        {u.parentName && <span className="result-parent">{u.parentName}</span>}
                        <span className="code">{u.code}</span>
                      </span>
                    </a>
                  </li>
                ))}
              </ul>
            )}
          </>
        )}
      </div>
    </div>
  );
}
