/**
 * The people to visit in a commune or village: without a card, or with the card ending within 30, 60
 * or 90 days; grouped by village, then household, each household linking to its register page.
 * Downloads (.xlsx, .csv) are the server's own files; "In" prints the list alone.
 */
import { Fragment, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { type VisitItem, type VisitKind, visitsUrl } from './coverageApi';
import { errorMessage } from '../errors';
import { formatDate, formatNumber } from '../format';
import { compareNames } from '../i18n';
import { href } from '../router';
import { ErrorBanner } from '../ui/ErrorBanner';
import { GroupCodes, usePremiumGroups, useSexLabel } from '../register/RegisterBits';
import { coverageApi } from './coverageApi';
import { DataTable } from '../ui/DataTable';

const LIMIT = 500;
const DAY_OPTIONS = [30, 60, 90] as const;

interface HouseholdGroup {
  id: string;
  code: string;
  address: string | null;
  people: VisitItem[];
}

interface VillageGroup {
  key: string;
  name: string | null;
  households: HouseholdGroup[];
  count: number;
}

function groupVisits(items: VisitItem[]): VillageGroup[] {
  const villages = new Map<string, VillageGroup>();
  for (const item of items) {
    const key = item.villageCode ?? '';
    let village = villages.get(key);
    if (!village) {
      village = { key, name: item.villageName, households: [], count: 0 };
      villages.set(key, village);
    }
    let household = village.households.find((h) => h.id === item.householdId);
    if (!household) {
      household = { id: item.householdId, code: item.householdCode, address: item.address, people: [] };
      village.households.push(household);
    }
    household.people.push(item);
    village.count += 1;
  }
  const list = [...villages.values()];
  for (const v of list) v.households.sort((a, b) => a.code.localeCompare(b.code, 'vi', { numeric: true }));
  // the villages in name order, the ones without a village last
  return list.sort((a, b) => (a.name == null ? 1 : b.name == null ? -1 : compareNames(a.name, b.name)));
}

export function VisitList({
  unit,
  unitName,
  date,
  standalone,
}: {
  unit: string;
  unitName: string;
  date: string;
  standalone: boolean;
}) {
  const { t, i18n } = useTranslation('web');
  const lang = i18n.language;
  const [kind, setKind] = useState<VisitKind>('uncovered');
  const [days, setDays] = useState<number>(30);
  const [items, setItems] = useState<VisitItem[] | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const groups = usePremiumGroups();
  const sexLabel = useSexLabel();

  const params = useMemo(() => ({ kind, date, days, limit: LIMIT, offset: 0 }), [kind, date, days]);

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    coverageApi
      .visits(unit, params, controller.signal)
      .then((result) => {
        setItems(result.items);
        setLoading(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        setLoading(false);
        setItems(null);
        setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [unit, params]);

  // print only this list when printing from the dashboard
  function print() {
    document.body.classList.add('print-visits');
    const done = () => {
      document.body.classList.remove('print-visits');
      window.removeEventListener('afterprint', done);
    };
    window.addEventListener('afterprint', done);
    window.print();
  }

  const villages = useMemo(() => groupVisits(items ?? []), [items]);
  const households = villages.reduce((n, v) => n + v.households.length, 0);
  const all = { ...params, limit: 100_000 };
  const cols = 7;

  return (
    <section className="card visits-card" aria-labelledby="visits-title" data-testid="visits">
      <div className="card-head">
        <div>
          {!standalone && (
            <h2 id="visits-title">
              <a href={href('coverage', unit, 'visits')} className="heading-link">
                {t('coverage.visits.title')}
              </a>
            </h2>
          )}
          {standalone && (
            <h2 id="visits-title" className="visually-hidden">
              {t('coverage.visits.title')}
            </h2>
          )}
          <p className="print-only print-head">
            <strong>{unitName}</strong> · {kind === 'uncovered' ? t('coverage.visits.uncovered') : `${t('coverage.visits.expiring')} (${t('coverage.visits.daysOption', { count: days })})`} ·{' '}
            {t('coverage.visits.printedOn', { date: formatDate(date) })}
          </p>
        </div>
        <div className="btn-group no-print">
          <a className="btn btn-secondary btn-small" href={visitsUrl(unit, all, 'xlsx')} download data-testid="visits-xlsx">
            {t('coverage.visits.xlsx')}
          </a>
          <a className="btn btn-secondary btn-small" href={visitsUrl(unit, all, 'csv')} download title={t('common.csvTitle')} data-testid="visits-csv">
            {t('coverage.visits.csv')}
          </a>
          <button type="button" className="btn btn-primary btn-small" data-testid="visits-print" onClick={print}>
            {t('coverage.visits.print')}
          </button>
        </div>
      </div>

      <div className="visits-controls no-print">
        <div className="tabs" role="tablist" aria-label={t('coverage.visits.tabsLabel')}>
          {(['uncovered', 'expiring'] as const).map((k) => (
            <button
              key={k}
              type="button"
              role="tab"
              aria-selected={kind === k}
              className={`tab${kind === k ? ' is-active' : ''}`}
              data-testid={`visits-tab-${k}`}
              onClick={() => setKind(k)}
            >
              {t(`coverage.visits.${k}`)}
            </button>
          ))}
        </div>
        {kind === 'expiring' && (
          <div className="inline-field">
            <label htmlFor="visits-days">{t('coverage.visits.days')}</label>
            <select id="visits-days" data-testid="visits-days" value={days} onChange={(e) => setDays(Number(e.target.value))}>
              {DAY_OPTIONS.map((d) => (
                <option key={d} value={d}>
                  {t('coverage.visits.daysOption', { count: d })}
                </option>
              ))}
            </select>
          </div>
        )}
        {items && (
          <p className="muted small visits-count" aria-live="polite">
            {t('coverage.visits.count', { count: items.length, n: formatNumber(items.length, lang) })} ·{' '}
            {t('coverage.visits.households', { count: households, n: formatNumber(households, lang) })}
          </p>
        )}
      </div>

      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {items && items.length >= LIMIT && <p className="banner banner-warn small">{t('coverage.visits.truncated', { count: LIMIT })}</p>}
      {loading && !items && <p className="muted">{t('common.loading')}</p>}
      {items && items.length === 0 && (
        <p className="empty" data-testid="visits-empty">
          {t('coverage.visits.empty')}
        </p>
      )}
      {items && items.length > 0 && (
        <DataTable
          testId="visits-table"
          className="visits-table"
          wrapClassName={loading ? 'is-stale' : undefined}
          columns={[
            t('coverage.visits.col.household'),
            t('coverage.visits.col.name'),
            t('coverage.visits.col.birthDate'),
            t('coverage.visits.col.sex'),
            t('coverage.visits.col.phone'),
            t('coverage.visits.col.groups'),
            t('coverage.visits.col.cardTo'),
          ]}
        >
          {villages.map((v) => (
            <Fragment key={v.key}>
              <tr className="village-head-row" data-testid={`visits-village-${v.key || 'none'}`}>
                <th scope="colgroup" colSpan={cols}>
                  <span className="village-head-name">
                    {t('coverage.visits.col.village')}: {v.name ?? t('coverage.visits.noVillage')}
                  </span>
                  <span className="village-head-count">
                    {t('coverage.visits.count', { count: v.count, n: formatNumber(v.count, lang) })} · {t('coverage.visits.households', { count: v.households.length, n: formatNumber(v.households.length, lang) })}
                  </span>
                </th>
              </tr>
              {v.households.map((h, hi) =>
                h.people.map((p, i) => (
                  <tr
                    key={p.personId}
                    data-testid={`visits-row-${p.personId}`}
                    className={`${i === 0 ? 'household-first' : 'household-more'}${hi % 2 ? ' household-alt' : ''}`}
                  >
                    <td data-label={t('coverage.visits.col.household')} className={i === 0 ? 'household-cell' : 'household-cell is-repeat'}>
                      {i === 0 ? (
                        <>
                          <a
                            href={href('register', 'household', p.householdId)}
                            className="mono"
                            title={t('coverage.visits.openHousehold', { code: h.code })}
                          >
                            {h.code}
                          </a>
                          {h.address && <span className="block muted small">{h.address}</span>}
                          <span className="visually-hidden">{v.name}</span>
                        </>
                      ) : (
                        <span className="visually-hidden">{h.code}</span>
                      )}
                    </td>
                    <td data-label={t('coverage.visits.col.name')} className="person-name">
                      {p.fullName}
                    </td>
                    <td data-label={t('coverage.visits.col.birthDate')} className="nowrap">
                      {formatDate(p.birthDate) || '—'}
                    </td>
                    <td data-label={t('coverage.visits.col.sex')}>{sexLabel(p.sex)}</td>
                    <td data-label={t('coverage.visits.col.phone')} className="nowrap">
                      {p.phone ? <a href={`tel:${p.phone}`}>{p.phone}</a> : <span className="muted">—</span>}
                    </td>
                    <td data-label={t('coverage.visits.col.groups')}>
                      <GroupCodes codes={p.groupCodes} groups={groups} />
                    </td>
                    <td data-label={t('coverage.visits.col.cardTo')} className="nowrap">
                      {p.cardTo ? formatDate(p.cardTo) : <span className="muted">{t('register.card.none')}</span>}
                    </td>
                  </tr>
                )),
              )}
            </Fragment>
          ))}
        </DataTable>
      )}
    </section>
  );
}
