/**
 * Administrative units browser: provinces -> communes -> villages, with name search, pre-2025 code
 * look-up, and village maintenance at commune level.
 */
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { type Unit, type UnitDetail, unitsApi } from './unitsApi';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { OldCodeLookup } from './OldCodeLookup';
import { UnitSearch } from './UnitSearch';
import { VillagePanel } from './VillagePanel';
import { errorMessage } from '../errors';
import { foldText } from '../format';
import { href } from '../router';

interface View {
  /** null at the top (all provinces) */
  detail: UnitDetail | null;
  children: Unit[];
  /** a village to highlight when the route named a village */
  highlight: string | null;
}

async function loadView(code: string | null, signal: AbortSignal): Promise<View> {
  if (!code) return { detail: null, children: await unitsApi.provinces(signal), highlight: null };
  const [detail, children] = await Promise.all([unitsApi.unit(code, signal), unitsApi.children(code, signal)]);
  if (detail.unit.level === 'village' && detail.unit.parentCode) {
    const parent = detail.unit.parentCode;
    const [parentDetail, siblings] = await Promise.all([unitsApi.unit(parent, signal), unitsApi.children(parent, signal)]);
    return { detail: parentDetail, children: siblings, highlight: detail.unit.code };
  }
  return { detail, children, highlight: null };
}

/** Whether the user may add, rename and delete villages of this commune (the server checks again). */
function canEditVillages(user: User, detail: UnitDetail): boolean {
  if (user.role === 'viewer') return false;
  if (!user.scopeCode) return user.role === 'admin';
  return detail.unit.code === user.scopeCode || detail.ancestors.some((a) => a.code === user.scopeCode);
}

export function UnitsPage({ user, codes }: { user: User; codes: string[] }) {
  const { t } = useTranslation('web');
  const current = codes.length ? codes[codes.length - 1] : null;
  const [view, setView] = useState<View | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const [filter, setFilter] = useState('');

  // a new place: clear messages and the list filter
  useEffect(() => {
    setView(null);
    setError(null);
    setNotice(null);
    setFilter('');
  }, [current]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    loadView(current, controller.signal)
      .then((v) => {
        setView(v);
        setLoading(false);
        // keep the address canonical (province/commune) without a new history entry
        if (v.detail) {
          const chain = [...v.detail.ancestors, v.detail.unit].map((u) => u.code);
          if (v.highlight) chain.push(v.highlight);
          const canonical = href('units', ...chain);
          if (window.location.hash !== canonical) window.history.replaceState(null, '', canonical);
        }
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setLoading(false);
        setView(null);
        setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [current, reloadKey]);

  const reload = useCallback(() => setReloadKey((k) => k + 1), []);
  const showError = useCallback((message: string | null) => {
    setError(message);
    if (message) setNotice(null);
  }, []);
  const showNotice = useCallback((message: string | null) => {
    setNotice(message);
    if (message) setError(null);
  }, []);

  const detail = view?.detail ?? null;
  const chain = detail ? [...detail.ancestors, detail.unit] : [];
  const level = detail?.unit.level ?? null;
  const children = view?.children ?? [];
  const shown = useMemo(() => {
    const f = foldText(filter);
    if (!f) return children;
    return children.filter((u) => foldText(u.name).includes(f) || u.code.startsWith(f));
  }, [children, filter]);

  let heading: string;
  let childrenTitle: string;
  if (!detail) {
    heading = t('units.title');
    childrenTitle = t('units.provinces', { count: children.length });
  } else if (level === 'province') {
    heading = detail.unit.name;
    childrenTitle = t('units.communes', { count: children.length });
  } else {
    heading = detail.unit.name;
    childrenTitle = t('units.villagesTitle', { count: children.length });
  }

  return (
    <div className="page units-page">
      <div className="page-head">
        <h1>{t('units.title')}</h1>
      </div>

      <section className="card tools" aria-label={t('units.toolsLabel')}>
        <UnitSearch onError={showError} />
        <OldCodeLookup onError={showError} />
      </section>

      <nav aria-label={t('units.breadcrumbLabel')} className="breadcrumb-nav">
        <ol className="breadcrumb" data-testid="breadcrumb">
          <li>{chain.length ? <a href={href('units')}>{t('units.country')}</a> : <span aria-current="page">{t('units.country')}</span>}</li>
          {chain.map((u, i) => (
            <li key={u.code}>
              {i < chain.length - 1 ? (
                <a href={href('units', ...chain.slice(0, i + 1).map((c) => c.code))}>{u.name}</a>
              ) : (
                <span aria-current="page">{u.name}</span>
              )}
            </li>
          ))}
        </ol>
      </nav>

      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />

      <section className="card" aria-labelledby="units-heading" aria-busy={loading}>
        <div className="card-head">
          <div>
            <h2 id="units-heading">{heading}</h2>
            {detail && (
              <p className="muted small unit-facts">
                <span className={`badge badge-${detail.unit.level}`}>{t(`kinds.${detail.unit.kind}`, { defaultValue: detail.unit.kind })}</span>
                <span>{t('units.codeLabel', { code: detail.unit.code })}</span>
              </p>
            )}
          </div>
          {children.length > 8 && (
            <div className="filter">
              <label htmlFor="unit-filter" className="visually-hidden">
                {t('units.filterLabel')}
              </label>
              <input
                id="unit-filter"
                data-testid="unit-filter"
                type="search"
                autoComplete="off"
                placeholder={t('units.filterPlaceholder')}
                value={filter}
                onChange={(e) => setFilter(e.target.value)}
              />
            </div>
          )}
        </div>
        <h3 className="list-title">
          {childrenTitle}
          {filter && shown.length !== children.length && (
            <span className="muted small"> · {t('units.filtered', { count: shown.length })}</span>
          )}
        </h3>

        {loading && !view && <p className="muted">{t('common.loading')}</p>}

        {view && level === 'commune' && detail && (
          <VillagePanel
            commune={detail.unit}
            villages={shown}
            canEdit={canEditVillages(user, detail)}
            highlight={view.highlight}
            onChanged={reload}
            onError={showError}
            onNotice={showNotice}
          />
        )}

        {view && level !== 'commune' && (
          shown.length === 0 ? (
            <p className="empty">{t('units.empty')}</p>
          ) : (
            <ul className="unit-grid" data-testid="unit-list">
              {shown.map((u) => (
                <li key={u.code}>
                  <a
                    href={href('units', ...chain.map((c) => c.code), u.code)}
                    className="unit-link"
                    data-testid={`unit-item-${u.code}`}
                  >
                    <span className="unit-name">{u.name}</span>
                    <span className="unit-meta">
                      <span className={`badge badge-kind-${u.kind}`}>{t(`kinds.${u.kind}`, { defaultValue: u.kind })}</span>
                      <span className="code">{u.code}</span>
                    </span>
                  </a>
                </li>
              ))}
            </ul>
          )
        )}
      </section>
    </div>
  );
}
