/**
 * One handover event: its expected recipients (full names: a staff screen) with their card, and per card
 * the result (received and by whom, absent, refused) with an evidence file (photo or signature scan),
 * recorded in a row form. Cards can be moved to another event; the minutes PDF is one link away.
 */
import { Fragment, useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field, inputProps } from '../ui/Field';
import { splitErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { formatDate } from '../format';
import { HANDOVER_RESULTS, handoverApi, type EventDetail, type HandoverEvent, type HandoverResult, type Recipient } from './handoverApi';
import { DataTable } from '../ui/DataTable';

const MAX_EVIDENCE = 5 * 1024 * 1024;
const EVIDENCE_TYPES = 'image/jpeg,image/png,image/webp,application/pdf';

export function ResultBadge({ result }: { result: HandoverResult | null }) {
  const { t } = useTranslation('handover');
  const tone = result === 'received' ? 'pill-ok' : result === 'refused' || result === 'absent' ? 'pill-off' : '';
  return <span className={`pill ${tone}`}>{result ? t(`results.${result}`) : t('web.unassigned')}</span>;
}

function ResultForm({ recipient, onSaved, onCancel }: { recipient: Recipient; onSaved: (r: Recipient) => void; onCancel: () => void }) {
  const { t } = useTranslation('handover');
  const [result, setResult] = useState<HandoverResult>(recipient.result && recipient.result !== 'expected' ? recipient.result : 'received');
  const [receivedBy, setReceivedBy] = useState(recipient.receivedBy ?? t('web.self'));
  const [note, setNote] = useState(recipient.note ?? '');
  const [file, setFile] = useState<File | null>(null);
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, ['result', 'receivedBy', 'note', 'evidence']) });
  const id = (name: string) => `result-${recipient.awardId}-${name}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (invalid(file && file.size > MAX_EVIDENCE ? { evidence: t('web.fileTooLarge') } : {})) return;
    await send(async () => onSaved(await handoverApi.recordResult(recipient.awardId, { result, receivedBy: result === 'received' ? receivedBy : null, note }, file)));
  }

  return (
    <form className="inline-form result-form" onSubmit={submit} data-testid={`result-form-${recipient.awardId}`} noValidate>
      <ErrorBanner message={errors.banner} />
      <div className="form-grid">
        <Field id={id('result')} label={t('web.result')} error={errors.fields.result}>
          <select {...inputProps(id('result'), errors.fields.result)} data-testid="result-select" value={result} onChange={(e) => setResult(e.target.value as HandoverResult)}>
            {HANDOVER_RESULTS.filter((r) => r !== 'expected').map((r) => (
              <option key={r} value={r}>
                {t(`results.${r}`)}
              </option>
            ))}
            <option value="expected">{t('web.clearResult')}</option>
          </select>
        </Field>
        {result === 'received' && (
          <Field id={id('by')} label={t('web.receivedBy')} error={errors.fields.receivedBy} hint={t('web.receivedByHint')}>
            <input {...inputProps(id('by'), errors.fields.receivedBy, true)} data-testid="received-by" value={receivedBy} maxLength={200} onChange={(e) => setReceivedBy(e.target.value)} />
          </Field>
        )}
        <Field id={id('note')} label={t('web.note')} error={errors.fields.note}>
          <input {...inputProps(id('note'), errors.fields.note)} data-testid="result-note" value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} />
        </Field>
        {result !== 'expected' && (
          <Field id={id('evidence')} label={t('web.evidence')} error={errors.fields.evidence} hint={t('web.evidenceHint')}>
            <input
              {...inputProps(id('evidence'), errors.fields.evidence, true)}
              data-testid="evidence-file"
              type="file"
              accept={EVIDENCE_TYPES}
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
            />
          </Field>
        )}
      </div>
      <div className="btn-group">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="result-save">
          {t('web.save')}
        </button>
        <button type="button" className="btn btn-ghost btn-small" onClick={onCancel}>
          {t('web.cancel')}
        </button>
      </div>
    </form>
  );
}

export function HandoverEventPanel({
  eventId,
  events,
  canWrite,
  onChanged,
}: {
  eventId: string;
  events: HandoverEvent[];
  canWrite: boolean;
  onChanged: () => void;
}) {
  const { t } = useTranslation('handover');
  const [detail, setDetail] = useState<EventDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [editing, setEditing] = useState<string | null>(null);

  const load = useCallback(
    (signal?: AbortSignal) =>
      handoverApi
        .event(eventId, signal)
        .then((d) => setDetail(d))
        .catch((err: unknown) => {
          if (!isAbort(err)) setError((err as Error).message);
        }),
    [eventId],
  );
  useEffect(() => {
    const ctrl = new AbortController();
    void load(ctrl.signal);
    return () => ctrl.abort();
  }, [load]);

  async function move(awardId: string, to: string) {
    setError(null);
    try {
      await handoverApi.moveRecipient(to, awardId);
      setNotice(t('web.moved'));
      await load();
      onChanged();
    } catch (err) {
      setError((err as Error).message);
    }
  }

  if (!detail) return <ErrorBanner message={error} />;
  const { event, recipients } = detail;
  const others = events.filter((e) => e.id !== event.id);
  return (
    <section className="card" data-testid="handover-event" aria-labelledby="handover-event-title">
      <div className="card-head">
        <h3 id="handover-event-title">
          {t('web.eventTitle', { commune: event.communeName, date: formatDate(event.heldOn) })}
          {event.overdue && <span className="badge badge-expired"> {t('web.overdue')}</span>}
        </h3>
        <a className="btn btn-secondary btn-small" href={handoverApi.minutesUrl(event.id)} download data-testid="minutes-download">
          {t('web.minutesPdf')}
        </a>
      </div>
      <p className="muted">
        {event.place}
        {event.note ? ` · ${event.note}` : ''}
        {event.minutesNumber ? ` · ${t('minutes.number', { number: event.minutesNumber })}` : ''}
      </p>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      {recipients.length === 0 ? (
        <p className="empty">{t('web.noRecipients')}</p>
      ) : (
        <DataTable
          testId="recipients-table"
          columns={[
            t('web.no'),
            t('web.fullName'),
            t('web.birthYear'),
            t('web.card'),
            t('web.validity'),
            t('web.result'),
            t('web.evidence'),
            t('web.actions'),
          ]}
        >
          {recipients.map((r, i) => (
            <Fragment key={r.awardId}>
            <tr data-testid={`recipient-${r.awardId}`}>
              <td className="num-cell">{i + 1}</td>
              <td>{r.fullName}</td>
              <td>{r.birthYear}</td>
              <td className="mono">{r.cardNumber ?? t('web.notIssued')}</td>
              <td className="nowrap">{r.cardFrom && r.cardTo ? `${formatDate(r.cardFrom)} - ${formatDate(r.cardTo)}` : ''}</td>
              <td>
                <ResultBadge result={r.result} />
                {r.receivedBy && <div className="small">{r.receivedBy}</div>}
                {r.note && <div className="small muted">{r.note}</div>}
              </td>
              <td>
                {r.evidence && (
                  <a href={handoverApi.evidenceUrl(r.awardId)} download={r.evidence.name} data-testid="evidence-link">
                    {r.evidence.name}
                  </a>
                )}
              </td>
              {canWrite && (
                <td className="actions-cell">
                  <button type="button" className="btn btn-small btn-secondary" onClick={() => setEditing(r.awardId)} data-testid="record-result">
                    {t('web.record')}
                  </button>
                  {others.length > 0 && r.result !== 'received' && (
                    <select aria-label={t('web.moveTo')} className="small" value="" onChange={(e) => e.target.value && void move(r.awardId, e.target.value)}>
                      <option value="">{t('web.moveTo')}</option>
                      {others.map((o) => (
                        <option key={o.id} value={o.id}>
                          {`${o.communeName}, ${formatDate(o.heldOn)}`}
                        </option>
                      ))}
                    </select>
                  )}
                </td>
              )}
            </tr>
            {editing === r.awardId && (
              <tr className="result-row">
                <td colSpan={canWrite ? 8 : 7}>
                  <ResultForm
                    recipient={r}
                    onCancel={() => setEditing(null)}
                    onSaved={() => {
                      setEditing(null);
                      setNotice(t('web.saved', { name: r.fullName }));
                      void load();
                      onChanged();
                    }}
                  />
                </td>
              </tr>
            )}
            </Fragment>
          ))}
        </DataTable>
      )}
    </section>
  );
}
