import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type Unit, unitsApi } from './unitsApi';
import { errorMessage } from '../errors';
import { unitHref } from './UnitSearch';

/** Finds the commune(s) in force since 1 July 2025 for a pre-2025 commune code (GET /api/units?oldCode=). */
export function OldCodeLookup({ onError }: { onError: (message: string | null) => void }) {
  const { t } = useTranslation('web');
  const [code, setCode] = useState('');
  const [result, setResult] = useState<{ code: string; units: Unit[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [fieldError, setFieldError] = useState<string | null>(null);

  async function lookup(value: string) {
    const oldCode = value.trim();
    if (!oldCode) {
      setFieldError(t('units.oldCode.required'));
      return;
    }
    setFieldError(null);
    setBusy(true);
    try {
      const units = await unitsApi.unitsByOldCode(oldCode);
      const oldName = units.find((u) => u.oldName)?.oldName;
      setResult({ code: oldName ? `${oldCode} (${oldName})` : oldCode, units });
      onError(null);
    } catch (err) {
      setResult(null);
      onError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  function submit(e: FormEvent) {
    e.preventDefault();
    void lookup(code);
  }

  return (
    <div className="tool">
      <form onSubmit={submit} noValidate>
        <label htmlFor="old-code-input">{t('units.oldCode.label')}</label>
        <div className="input-row">
          <input
            id="old-code-input"
            data-testid="old-code-input"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            placeholder={t('units.oldCode.placeholder')}
            value={code}
            onChange={(e) => setCode(e.target.value)}
            aria-invalid={fieldError ? true : undefined}
            aria-describedby={fieldError ? 'old-code-input-error' : 'old-code-hint'}
          />
          <button type="submit" className="btn btn-secondary" data-testid="old-code-submit" disabled={busy}>
            {t('units.oldCode.submit')}
          </button>
        </div>
        {fieldError ? (
          <p className="field-error" id="old-code-input-error">
            {fieldError}
          </p>
        ) : (
          <p className="field-hint" id="old-code-hint">
            {t('units.oldCode.hint')}
          </p>
        )}
      </form>
      <div data-testid="old-code-results" aria-live="polite">
        {result && result.units.length === 0 && (
          <p className="muted small">{t('units.oldCode.none', { code: result.code })}</p>
        )}
        {result && result.units.length === 1 && (
          <p className="small">{t('units.oldCode.one', { code: result.code })}</p>
        )}
        {result && result.units.length > 1 && (
          <p className="small split-note" data-testid="old-code-split">
            {t('units.oldCode.split', { code: result.code, count: result.units.length })}
          </p>
        )}
        {result && result.units.length > 0 && (
          <ul className="result-list">
            {result.units.map((u) => (
              <li key={u.code}>
                <a href={unitHref(u)} className="result-link" data-testid={`old-code-item-${u.code}`}>
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
      </div>
    </div>
  );
}
