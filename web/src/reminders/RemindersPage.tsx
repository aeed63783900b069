/**
 * Renewal reminders (#/reminders[/UNIT]): the persons of a unit whose BHYT card ends soon and who have not
 * renewed, by collector and by village (a village's persons asked for when it is opened: a province lists
 * tens of thousands), with the masked name, amount, due date, where to pay and the text; the CSV for the office's
 * SMS/Zalo sender (with or without recording it as sent), recording a printed list as sent, and the renewal
 * rate of reminded against not-reminded persons.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { errorMessage } from '../errors';
import { formatDate, formatNumber, formatVnd, isoDateOf } from '../format';
import { navigate } from '../router';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field } from '../ui/Field';
import { UnitPicker } from '../units/UnitPicker';
import type { UnitLevel } from '../units/unitsApi';
import { exportCsvUrl, remindersApi, type ReminderItem, type ReminderList, type ReminderVillage, type RenewalRate, type Window } from './remindersApi';
import { IsoDayInput } from '../ui/IsoDayInput';

const LEVELS: readonly UnitLevel[] = ['province', 'commune', 'village'];

function download(blob: Blob, fileName: string) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function RemindersPage({ user, unit: routeUnit }: { user: User; unit?: string }) {
  const { t, i18n } = useTranslation('reminders');
  const lang = i18n.language;
  const unit = routeUnit ?? user.scopeCode ?? null;
  const [date, setDate] = useState('');
  const [days, setDays] = useState(30);
  const [months, setMonths] = useState(12);
  const [list, setList] = useState<ReminderList | null>(null);
  const [open, setOpen] = useState<Set<string>>(new Set());
  const [itemsOf, setItemsOf] = useState<Map<string, ReminderItem[]>>(new Map());
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const canSend = user.role === 'admin' || user.role === 'province_staff' || user.role === 'commune_officer';
  const w: Window | null = unit ? { unit, days, months, ...(date ? { date } : {}) } : null;

  useEffect(() => {
    if (!unit) return;
    const controller = new AbortController();
    remindersApi
      .list({ unit, days, months, ...(date ? { date } : {}) }, false, controller.signal)
      .then((l) => {
        setList(l);
        setItemsOf(new Map());
        setOpen(new Set());
        setError(null);
      })
      .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    return () => controller.abort();
  }, [unit, date, days, months, version]);

  const toggle = (key: string, v: ReminderVillage) => {
    setOpen((s) => {
      const next = new Set(s);
      if (next.has(key)) next.delete(key);
      else next.add(key);
      return next;
    });
    if (!w || itemsOf.has(key)) return;
    // a village's persons (households without a village: their commune's list, that part of it)
    remindersApi
      .list({ ...w, unit: v.code ?? v.communeCode }, true)
      .then((l) => {
        const own = l.villages.find((x) => x.code === v.code && x.communeCode === v.communeCode);
        setItemsOf((m) => new Map(m).set(key, own?.items ?? []));
      })
      .catch((err: unknown) => setError(errorMessage(err)));
  };

  async function mark() {
    if (!w) return;
    try {
      const r = await remindersApi.markSent({ ...w, channel: 'list' });
      setNotice(t('page.marked', { recorded: formatNumber(r.recorded, lang), alreadySent: formatNumber(r.alreadySent, lang) }));
      setVersion((v) => v + 1);
    } catch (err) {
      setError(errorMessage(err));
    }
  }
  async function exportAndMark() {
    if (!w) return;
    try {
      const r = await remindersApi.exportAndMark(w);
      download(r.blob, r.fileName);
      setNotice(t('page.marked', { recorded: formatNumber(r.recorded, lang), alreadySent: 0 }));
      setVersion((v) => v + 1);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <div data-testid="reminders-page">
      <h1>{t('page.title')}</h1>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} />
      <section className="card">
        <div className="form-grid">
          <Field label={t('page.unit')} id="reminders-unit">
            <UnitPicker id="reminders-unit" codes={unit ? [unit] : []} levels={LEVELS} onChange={(codes) => navigate('reminders', ...codes.slice(0, 1))} />
          </Field>
          <Field label={t('page.date')} id="reminders-date">
            <IsoDayInput id="reminders-date" value={date || (list?.date ?? '')} onChange={setDate} />
          </Field>
          <Field label={t('page.days')} id="reminders-days">
            <input id="reminders-days" type="number" min={0} max={366} value={days} onChange={(e) => setDays(Math.max(0, Number(e.target.value) || 0))} />
          </Field>
          <Field label={t('page.months')} id="reminders-months">
            <select id="reminders-months" value={months} onChange={(e) => setMonths(Number(e.target.value))}>
              {[3, 6, 12].map((m) => (
                <option key={m} value={m}>
                  {m}
                </option>
              ))}
            </select>
          </Field>
        </div>
      </section>

      {list && w && (
        <section className="card" data-testid="reminders-list">
          <div className="card-head">
            <h2>
              {list.unit.name}: {formatDate(list.date)} – {formatDate(list.until)}
            </h2>
            {canSend && (
              <div className="actions">
                <a className="btn btn-secondary btn-small" href={exportCsvUrl(w)} download data-testid="reminders-export">
                  {t('page.export')}
                </a>
                <button type="button" className="btn btn-small" onClick={() => void exportAndMark()} data-testid="reminders-export-mark">
                  {t('page.exportMark')}
                </button>
                <button type="button" className="btn btn-secondary btn-small" onClick={() => void mark()} data-testid="reminders-mark">
                  {t('page.markSent')}
                </button>
              </div>
            )}
          </div>
          <p className="lead" data-testid="reminders-summary">
            {t('page.summary', {
              persons: formatNumber(list.summary.persons, lang),
              households: formatNumber(list.summary.households, lang),
              amount: formatVnd(list.summary.amount),
              withPhone: formatNumber(list.summary.withPhone, lang),
            })}
          </p>
          <p className="muted small">{t('page.skipped', { statePaid: formatNumber(list.summary.statePaid, lang), alreadySent: formatNumber(list.summary.alreadySent, lang) })}</p>
          {list.villages.length === 0 ? (
            <p className="muted">{t('page.empty')}</p>
          ) : (
            <>
              <h3>{t('page.byCollector')}</h3>
              <DataTable columns={[t('page.payAt'), t('page.phone'), { label: t('page.persons'), className: 'num' }, { label: t('page.amount'), className: 'num' }]} testId="reminders-collectors">
                {list.collectors.map((c, i) => (
                  <tr key={i}>
                    <td data-label={t('page.payAt')}>
                      {c.name} <span className="muted small">({t(`page.collectorKinds.${c.kind}`)})</span>
                    </td>
                    <td data-label={t('page.phone')}>{c.phone ?? ''}</td>
                    <td data-label={t('page.persons')} className="num">
                      {formatNumber(c.persons, lang)}
                    </td>
                    <td data-label={t('page.amount')} className="num">
                      {formatVnd(c.amount)}
                    </td>
                  </tr>
                ))}
              </DataTable>
              <h3>{t('page.byVillage')}</h3>
              {list.villages.map((v) => {
                const key = `${v.communeCode}|${v.code ?? ''}`;
                const isOpen = open.has(key);
                const rows = itemsOf.get(key);
                return (
                  <details key={key} className="fold" open={isOpen} data-testid="reminders-village">
                    <summary
                      onClick={(e) => {
                        e.preventDefault();
                        toggle(key, v);
                      }}
                    >
                      <strong>{v.name ?? t('page.noVillage')}</strong> <span className="muted">({v.communeName})</span> · {formatNumber(v.persons, lang)} · {formatVnd(v.amount)}
                    </summary>
                    {isOpen && rows && (
                      <DataTable
                        columns={[t('page.name'), t('page.household'), t('page.phone'), t('page.dueDate'), { label: t('page.amount'), className: 'num' }, t('page.payAt'), t('page.text')]}
                        testId="reminders-items"
                      >
                        {rows.map((i) => (
                          <tr key={i.subjectId}>
                            <td data-label={t('page.name')}>
                              {i.maskedName}
                              {i.sent && <span className="badge">{t('page.sent')}</span>}
                            </td>
                            <td data-label={t('page.household')}>{i.householdCode}</td>
                            <td data-label={t('page.phone')}>{i.phone ?? ''}</td>
                            <td data-label={t('page.dueDate')}>{formatDate(i.dueDate)}</td>
                            <td data-label={t('page.amount')} className="num">
                              {i.amount === null ? (i.priceError ?? '—') : formatVnd(i.amount)}
                            </td>
                            <td data-label={t('page.payAt')}>{i.payAt.text}</td>
                            <td data-label={t('page.text')} className="small">
                              {i.text}
                            </td>
                          </tr>
                        ))}
                      </DataTable>
                    )}
                  </details>
                );
              })}
            </>
          )}
        </section>
      )}
      {unit && <RatePanel unit={unit} version={version} />}
    </div>
  );
}

function RatePanel({ unit, version }: { unit: string; version: number }) {
  const { t, i18n } = useTranslation('reminders');
  const lang = i18n.language;
  const today = new Date();
  const [from, setFrom] = useState(isoDateOf(new Date(today.getFullYear(), today.getMonth() - 3, 1)));
  const [to, setTo] = useState(isoDateOf(new Date(today.getFullYear(), today.getMonth() - 1, 0)));
  const [within, setWithin] = useState(30);
  const [rate, setRate] = useState<RenewalRate | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    remindersApi
      .rate({ unit, from, to, within }, controller.signal)
      .then((r) => {
        setRate(r);
        setError(null);
      })
      .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    return () => controller.abort();
  }, [unit, from, to, within, version]);
  const share = (r: number | null) => (r === null ? '—' : `${formatNumber(Math.round(r * 1000) / 10, lang)}%`);
  return (
    <section className="card" data-testid="reminders-rate">
      <h2>{t('page.rate.title')}</h2>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <div className="form-grid">
        <Field label={t('page.rate.from')} id="rate-from">
          <IsoDayInput id="rate-from" value={from} onChange={setFrom} />
        </Field>
        <Field label={t('page.rate.to')} id="rate-to">
          <IsoDayInput id="rate-to" value={to} onChange={setTo} />
        </Field>
        <Field label={t('page.rate.within')} id="rate-within">
          <input id="rate-within" type="number" min={0} max={366} value={within} onChange={(e) => setWithin(Math.max(0, Number(e.target.value) || 0))} />
        </Field>
      </div>
      {rate && (
        <>
          <DataTable columns={['', { label: t('page.rate.cards'), className: 'num' }, { label: t('page.rate.renewed'), className: 'num' }, { label: t('page.rate.share'), className: 'num' }]} testId="reminders-rate-table">
            {(['reminded', 'notReminded'] as const).map((k) => (
              <tr key={k}>
                <td>{t(`page.rate.${k}`)}</td>
                <td data-label={t('page.rate.cards')} className="num">
                  {formatNumber(rate[k].cards, lang)}
                </td>
                <td data-label={t('page.rate.renewed')} className="num">
                  {formatNumber(rate[k].renewed, lang)}
                </td>
                <td data-label={t('page.rate.share')} className="num">
                  {share(rate[k].rate)}
                </td>
              </tr>
            ))}
          </DataTable>
          {rate.pending > 0 && <p className="muted small">{t('page.rate.pending', { count: rate.pending })}</p>}
        </>
      )}
    </section>
  );
}
