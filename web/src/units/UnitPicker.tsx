/**
 * Choose one or several units by name instead of typing codes: type part of a name (diacritics optional),
 * pick from the matches; the choices show as names with a remove button. The value stays a list of codes,
 * as the API takes them; names of codes given from outside (a programme being edited) are looked up once.
 */
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { inputProps } from '../ui/Field';
import { unitsApi, type Unit, type UnitLevel } from './unitsApi';

const MIN_LENGTH = 2;
const DEBOUNCE_MS = 250;

type Known = Record<string, { name: string; parentName?: string | null }>;

export function UnitPicker({
  id,
  codes,
  levels,
  multiple = false,
  error,
  hint,
  onChange,
}: {
  id: string;
  codes: string[];
  /** Only units of these levels are offered. */
  levels: readonly UnitLevel[];
  multiple?: boolean;
  error?: string;
  hint?: string;
  onChange: (codes: string[]) => void;
}) {
  const { t } = useTranslation('web');
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<Unit[] | null>(null);
  const [known, setKnown] = useState<Known>({});
  const timer = useRef<number | undefined>(undefined);

  // names for codes chosen elsewhere (the programme being edited, the user's own unit)
  const missing = codes.filter((c) => !known[c]).join(',');
  useEffect(() => {
    if (!missing) return;
    const controller = new AbortController();
    for (const code of missing.split(','))
      unitsApi
        .unit(code, controller.signal)
        .then((u) => setKnown((k) => ({ ...k, [code]: { name: u.unit.name, parentName: u.ancestors.at(-1)?.name ?? null } })))
        .catch((err: unknown) => {
          if (!isAbort(err)) setKnown((k) => ({ ...k, [code]: { name: code } }));
        });
    return () => controller.abort();
  }, [missing]);

  useEffect(() => {
    window.clearTimeout(timer.current);
    const q = query.trim();
    if (q.length < MIN_LENGTH) {
      setResults(null);
      return;
    }
    const controller = new AbortController();
    timer.current = window.setTimeout(() => {
      unitsApi
        .searchUnits(q, controller.signal)
        .then((units) => setResults(units.filter((u) => levels.includes(u.level))))
        .catch((err: unknown) => {
          if (!isAbort(err)) setResults([]);
        });
    }, DEBOUNCE_MS);
    return () => {
      window.clearTimeout(timer.current);
      controller.abort();
    };
  }, [query, levels]);

  const choose = (u: Unit) => {
    setKnown((k) => ({ ...k, [u.code]: { name: u.name, parentName: u.parentName } }));
    onChange(multiple ? [...codes.filter((c) => c !== u.code), u.code] : [u.code]);
    setQuery('');
    setResults(null);
  };

  const describedBy = inputProps(id, error, hint)['aria-describedby'];
  return (
    <div className="unit-picker" data-testid={`${id}-picker`}>
      {codes.length > 0 && (
        <ul className="chip-list" aria-label={t('units.picker.chosen')}>
          {codes.map((code) => (
            <li key={code} className="chip" data-testid={`${id}-chosen-${code}`}>
              <span>
                {known[code]?.name ?? code}
                {known[code]?.parentName && <span className="muted small"> · {known[code]?.parentName}</span>}
              </span>
              <button
                type="button"
                className="chip-remove"
                aria-label={t('units.picker.remove', { name: known[code]?.name ?? code })}
                onClick={() => onChange(codes.filter((c) => c !== code))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      {(multiple || codes.length === 0) && (
        <input
          id={id}
          data-testid={id}
          type="search"
          autoComplete="off"
          placeholder={t('units.picker.placeholder')}
          aria-invalid={error ? true : undefined}
          aria-describedby={describedBy}
          aria-controls={`${id}-results`}
          value={query}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setQuery('');
            if (e.key === 'Enter') {
              // Enter picks the only match instead of submitting the form
              e.preventDefault();
              if (results?.length === 1) choose(results[0]);
            }
          }}
        />
      )}
      <div id={`${id}-results`} aria-live="polite">
        {results && results.length === 0 && <p className="muted small">{t('units.search.none', { query: query.trim() })}</p>}
        {results && results.length > 0 && (
          <ul className="result-list">
            {results.map((u) => (
              <li key={u.code}>
                <button type="button" className="result-link result-button" data-testid={`${id}-option-${u.code}`} onClick={() => choose(u)}>
                  <span className="result-name">{u.name}</span>
                  <span className="result-meta">
                    {u.parentName && <span className="result-parent">{u.parentName}</span>}
                    <span className="code">{u.code}</span>
                  </span>
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
