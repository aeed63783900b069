/**
 * The programme page's "Handover" tab: the handover events per commune (date, place, how many cards
 * received / absent / refused / still expected, overdue when after the deadline), adding an event (every
 * card of the commune is expected there), the cards no event expects yet, one event's recipients with the
 * result recording and evidence upload, the minutes PDF, the move of the programme to "handed over" once
 * every card has a result, and the donor statements.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isAbort } from '../api/client';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { DayInput, parseDayMonthYear } from '../register/HouseholdBits';
import { splitErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { formatDate } from '../format';
import { HandoverEventPanel, ResultBadge } from './HandoverEventPanel';
import { StatementPanel } from './StatementPanel';
import { HANDOVER_RESULTS, handoverApi, type HandoverOverview } from './handoverApi';
import type { ProgrammeDetail } from './programmesApi';
import { ConfirmBar, useConfirmedAction } from './ConfirmAction';
import { DataTable } from '../ui/DataTable';


function AddEventForm({ programme, communes, onAdded }: { programme: ProgrammeDetail; communes: HandoverOverview['communes']; onAdded: (message: string) => void }) {
  const { t } = useTranslation('handover');
  const [communeCode, setCommuneCode] = useState(communes.length === 1 ? communes[0].code : '');
  const [day, setDay] = useState('');
  const [place, setPlace] = useState('');
  const [note, setNote] = useState('');
  const [minutesNumber, setMinutesNumber] = useState('');
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, ['communeCode', 'heldOn', 'place', 'note', 'minutesNumber']) });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const heldOn = parseDayMonthYear(day);
    if (invalid(heldOn ? {} : { heldOn: t('web.dateInvalid') }) || !heldOn) return;
    await send(async () => {
      const added = await handoverApi.addEvent(programme.id, { communeCode: communeCode.trim(), heldOn, place, note: note || null, minutesNumber: minutesNumber.trim() || null });
      setDay('');
      setPlace('');
      setNote('');
      setMinutesNumber('');
      onAdded(t('web.eventAdded', { count: added.assigned, commune: added.communeName }));
    });
  }

  return (
    <form className="card admin-form" onSubmit={submit} data-testid="add-event-form" noValidate>
      <h3>{t('web.addEvent')}</h3>
      <ErrorBanner message={errors.banner} />
      <div className="form-grid">
        <Field id="event-commune" label={t('web.commune')} error={errors.fields.communeCode}>
          {communes.length > 0 ? (
            <select {...inputProps('event-commune', errors.fields.communeCode)} data-testid="event-commune" value={communeCode} onChange={(e) => setCommuneCode(e.target.value)}>
              <option value="">{t('web.chooseCommune')}</option>
              {communes.map((c) => (
                <option key={c.code} value={c.code}>
                  {t('web.communeOption', { name: c.name, cards: c.cards, unassigned: c.unassigned })}
                </option>
              ))}
            </select>
          ) : (
            <input {...inputProps('event-commune', errors.fields.communeCode)} data-testid="event-commune" value={communeCode} placeholder="02905" onChange={(e) => setCommuneCode(e.target.value)} />
          )}
        </Field>
        <Field id="event-date" label={t('web.date')} error={errors.fields.heldOn}>
          <DayInput id="event-date" testId="event-date" value={day} error={errors.fields.heldOn} onChange={setDay} />
        </Field>
        <TextField id="event-place" label={t('web.place')} error={errors.fields.place} maxLength={300} value={place} onChange={setPlace} />
        <TextField id="event-note" label={t('web.note')} error={errors.fields.note} maxLength={1000} value={note} onChange={setNote} />
        <TextField id="event-minutes-number" label={t('web.minutesNumber')} error={errors.fields.minutesNumber} maxLength={30} value={minutesNumber} onChange={setMinutesNumber} />
      </div>
      <button type="submit" className="btn btn-primary" disabled={busy} data-testid="add-event">
        {t('web.addEventButton')}
      </button>
    </form>
  );
}

export function HandoverTab({ programme, onChanged }: { programme: ProgrammeDetail; onChanged?: () => void }) {
  const { t } = useTranslation('handover');
  const [overview, setOverview] = useState<HandoverOverview | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  // completing moves the programme's status: confirmed first with the number of cards
  const completion = useConfirmedAction((confirm, key) => handoverApi.complete(programme.id, null, confirm, key));
  const completing = completion.busy;
  // bumped when cards move between events from this tab, so the open event shows them
  const [version, setVersion] = useState(0);
  // once handed over (or closed) the handover is history: nothing to record any more
  const canWrite = programme.canWrite && !['draft', 'handed_over', 'closed'].includes(overview?.status ?? programme.status);

  const load = useCallback(
    (signal?: AbortSignal) =>
      handoverApi
        .overview(programme.id, signal)
        .then((o) => {
          setOverview(o);
          setSelected((s) => s ?? o.events[0]?.id ?? null);
        })
        .catch((err: unknown) => {
          if (!isAbort(err)) setError((err as Error).message);
        }),
    [programme.id],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  async function complete(step: 'ask' | 'confirm') {
    setError(null);
    try {
      if (step === 'ask') return void (await completion.ask());
      const done = await completion.confirm();
      if (!done) return;
      setOverview(done);
      setNotice(t('web.completed'));
      onChanged?.();
    } catch (err) {
      setError(err instanceof ApiError && err.fields[0] ? err.fields[0].message : (err as Error).message);
    }
  }

  async function assign(awardId: string, eventId: string) {
    setError(null);
    try {
      await handoverApi.moveRecipient(eventId, awardId);
      setNotice(t('web.moved'));
      setVersion((v) => v + 1);
      await load();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  async function assignAll() {
    setError(null);
    try {
      const result = await handoverApi.assign(programme.id);
      setOverview(result);
      setNotice(t('web.assigned', { count: result.assigned }));
      setVersion((v) => v + 1);
    } catch (err) {
      setError((err as Error).message);
    }
  }

  const totals = overview?.totals;
  return (
    <section className="handover-tab" data-testid="handover-tab" data-programme={programme.id}>
      <h2>{t('tab.title')}</h2>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      {totals && (
        <div className="stat-grid" data-testid="handover-totals">
          <div className="stat">
            <div className="stat-label">{t('web.cards')}</div>
            <div className="stat-value">{totals.cards}</div>
          </div>
          {HANDOVER_RESULTS.map((r) => (
            <div className="stat" key={r}>
              <div className="stat-label">{t(`results.${r}`)}</div>
              <div className="stat-value" data-testid={`total-${r}`}>
                {totals[r]}
              </div>
            </div>
          ))}
          <div className="stat">
            <div className="stat-label">{t('web.unassigned')}</div>
            <div className="stat-value">{totals.unassigned}</div>
          </div>
        </div>
      )}
      {overview && canWrite && overview.status === 'cards_issued' && (
        <div className="callout">
          {overview.complete ? t('web.readyToComplete') : t('web.notReady', { open: (totals?.expected ?? 0) + (totals?.unassigned ?? 0) })}{' '}
          <button
            type="button"
            className="btn btn-primary btn-small"
            disabled={!overview.complete || completing || completion.pending !== null}
            onClick={() => void complete('ask')}
            data-testid="complete-handover"
          >
            {t('web.complete')}
          </button>
          {completion.pending && (
            <ConfirmBar details={completion.pending} busy={completing} onConfirm={() => void complete('confirm')} onCancel={completion.cancel} testId="complete-handover-confirm" />
          )}
        </div>
      )}
      {overview && overview.status === 'handed_over' && <p className="pill pill-ok">{t('web.handedOver')}</p>}

      <h3>{t('web.events')}</h3>
      {overview && overview.events.length === 0 && <p className="empty">{t('web.noEvents')}</p>}
      {overview && overview.events.length > 0 && (
        <DataTable
          testId="events-table"
          columns={[
            t('web.date'),
            t('web.commune'),
            t('web.place'),
            ...HANDOVER_RESULTS.map((r) => ({ label: t(`results.${r}`), className: 'num-cell' })),
            null,
          ]}
        >
          {overview.events.map((e) => (
            <tr key={e.id} data-testid={`event-${e.id}`} className={selected === e.id ? 'selected' : undefined}>
              <td className="nowrap">
                {formatDate(e.heldOn)}
                {e.overdue && <span className="badge badge-expired" title={t('web.overdueHint', { deadline: formatDate(overview.deadline) })}> {t('web.overdue')}</span>}
              </td>
              <td>{e.communeName}</td>
              <td>{e.place}</td>
              {HANDOVER_RESULTS.map((r) => (
                <td key={r} className="num-cell">
                  {e.counts[r]}
                </td>
              ))}
              <td className="actions-cell">
                <button type="button" className="btn btn-small btn-secondary" onClick={() => setSelected(e.id)} data-testid="open-event">
                  {t('web.open')}
                </button>
                <a className="btn btn-small btn-ghost" href={handoverApi.minutesUrl(e.id)} download>
                  {t('web.minutesPdf')}
                </a>
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {overview && overview.unassigned.length > 0 && (
        <div className="card" data-testid="unassigned">
          <h3>{t('web.unassignedTitle', { count: overview.unassigned.length })}</h3>
          <ul className="result-list">
            {overview.unassigned.map((r) => (
              <li key={r.awardId}>
                {r.fullName}, {r.birthYear}, {r.communeName} <ResultBadge result={null} />
                {canWrite && overview.events.length > 0 && (
                  <select aria-label={t('web.moveTo')} className="small" value="" onChange={(e) => e.target.value && void assign(r.awardId, e.target.value)}>
                    <option value="">{t('web.moveTo')}</option>
                    {overview.events.map((o) => (
                      <option key={o.id} value={o.id}>
                        {`${o.communeName}, ${formatDate(o.heldOn)}`}
                      </option>
                    ))}
                  </select>
                )}
              </li>
            ))}
          </ul>
          <p className="small muted">{t('web.unassignedHint')}</p>
          {canWrite && overview.events.length > 0 && (
            <button type="button" className="btn btn-secondary btn-small" onClick={() => void assignAll()} data-testid="assign-unassigned">
              {t('web.assignAll')}
            </button>
          )}
        </div>
      )}
      {selected && overview && (
        <HandoverEventPanel key={`${selected}-${version}`} eventId={selected} events={overview.events} canWrite={canWrite} onChanged={() => void load()} />
      )}
      {canWrite && overview && (
        <AddEventForm
          programme={programme}
          communes={overview.communes}
          onAdded={(message) => {
            setNotice(message);
            void load();
          }}
        />
      )}
      <StatementPanel programmeId={programme.id} />
    </section>
  );
}
