/**
 * The Overview tab of a programme: what it is (area, card, dates), the status flow with the step forward
 * and the step back (which needs a note), and the history of every step with who, when and why.
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, inputProps } from '../ui/Field';
import { splitErrors } from '../errors';
import { formatDate, formatDateTime, formatVnd } from '../format';
import { href } from '../router';
import { ConfirmBar, useConfirmedAction } from './ConfirmAction';
import { OverdueBadge, StatusPill } from './ProgrammeBits';
import { ProgrammeForm } from './ProgrammeForm';
import { PROGRAMME_STATUSES, programmesApi, type ProgrammeDetail, type ProgrammeStatus } from './programmesApi';
import { DataTable } from '../ui/DataTable';

export function ProgrammeOverview({ programme, onChanged }: { programme: ProgrammeDetail; onChanged: (p: ProgrammeDetail) => void }) {
  const { t } = useTranslation('programmes');
  const [note, setNote] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [noteError, setNoteError] = useState<string | undefined>(undefined);
  const [editing, setEditing] = useState(false);
  const p = programme;
  const current = PROGRAMME_STATUSES.indexOf(p.status);

  // a step is confirmed first (going back from an approved list cancels its cards: their count and money)
  const target = useRef<ProgrammeStatus | null>(null);
  const step = useConfirmedAction((confirm, key) => programmesApi.changeStatus(p.id, target.current!, note.trim() || null, confirm, key));
  const busy = step.busy;

  async function attempt(fn: () => Promise<ProgrammeDetail | undefined | void>) {
    setError(null);
    setNoteError(undefined);
    try {
      const moved = await fn();
      if (moved) {
        onChanged(moved);
        setNote('');
      }
    } catch (err) {
      const found = splitErrors(err, ['note']);
      setNoteError(found.fields.note);
      setError(found.banner);
    }
  }
  const move = (to: ProgrammeStatus) => {
    target.current = to;
    // a step back needs a note: said before anything is asked
    if (to === p.previous && !note.trim()) return setNoteError(t('fields.note_required_back'));
    return attempt(() => step.ask());
  };

  const tagLabel = (tag: string) => t(`selection:tags.${tag}`, { defaultValue: tag });
  // weights highest first (the database keeps object keys in its own order)
  const priorities = Array.isArray(p.priorities)
    ? p.priorities.map(tagLabel).join(' > ')
    : Object.entries(p.priorities)
        .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
        .map(([k, v]) => `${tagLabel(k)}: ${v}`)
        .join(', ');

  if (editing)
    return (
      <ProgrammeForm
        initial={p}
        onCancel={() => setEditing(false)}
        onSaved={(saved) => {
          setEditing(false);
          onChanged(saved);
        }}
      />
    );

  return (
    <div data-testid="programme-overview">
      <section className="card">
        {p.canWrite && (
          <div className="btn-group" style={{ justifyContent: 'flex-end' }}>
            <button type="button" className="btn btn-secondary btn-small" data-testid="programme-edit" onClick={() => setEditing(true)}>
              {t('page.edit')}
            </button>
          </div>
        )}
        <dl className="stat-grid">
          <div className="stat">
            <dt>{t('money.received')}</dt>
            <dd data-testid="overview-received">{formatVnd(p.balance.received)}</dd>
          </div>
          <div className="stat">
            <dt>{t('list.spent')}</dt>
            <dd>{formatVnd(p.balance.awarded + p.balance.paid)}</dd>
          </div>
          <div className="stat stat-ok">
            <dt>{t('list.left')}</dt>
            <dd data-testid="overview-available">{formatVnd(p.balance.available)}</dd>
          </div>
          <div className="stat">
            <dt>{t('page.deadline')}</dt>
            <dd>
              {formatDate(p.deadline)} {p.overdue && <OverdueBadge />}
            </dd>
          </div>
        </dl>
        <table className="table">
          <tbody>
            <tr>
              <th>{t('page.owner')}</th>
              <td>
                {p.ownerUnitName} ({p.ownerUnitCode})
              </td>
            </tr>
            <tr>
              <th>{t('page.area')}</th>
              <td>
                {t(`area_kind.${p.areaKind}`)}: {p.areaUnits.map((u) => `${u.name} (${u.code})`).join(', ')}
                {p.areaNote && <div className="muted">{p.areaNote}</div>}
              </td>
            </tr>
            <tr>
              <th>{t('page.card')}</th>
              <td>
                {t('page.card_months', { count: p.cardMonths })}; {t('page.purchase_date')} {formatDate(p.purchaseDate)}
              </td>
            </tr>
            {p.handoverSeason && (
              <tr>
                <th>{t('page.season')}</th>
                <td>{p.handoverSeason}</td>
              </tr>
            )}
            <tr>
              <th>{t('page.selection')}</th>
              <td>
                {t(`selection_mode.${p.selectionMode}`)}; {t(`priority_mode.${p.priorityMode}`)}
                {priorities && `: ${priorities}`}
              </td>
            </tr>
            <tr>
              <th>{t('page.public_page')}</th>
              <td>
                {p.publicEnabled ? (
                  <a href={href('p', p.publicSlug)} data-testid="programme-public-link">
                    {href('p', p.publicSlug)}
                  </a>
                ) : (
                  <code>{p.publicSlug}</code>
                )}
              </td>
            </tr>
          </tbody>
        </table>
      </section>

      <section className="card" aria-labelledby="programme-flow-title">
        <h2 id="programme-flow-title">{t('page.flow')}</h2>
        <ol className="btn-group" data-testid="programme-flow" style={{ listStyle: 'none', padding: 0 }}>
          {PROGRAMME_STATUSES.map((s, i) => (
            <li key={s}>
              <span className={`pill ${i < current ? 'pill-ok' : i === current ? 'pill-action' : 'pill-off'}`} aria-current={i === current ? 'step' : undefined}>
                {i + 1}. {t(`status.${s}`)}
              </span>
            </li>
          ))}
        </ol>
        <ErrorBanner message={error} onDismiss={() => setError(null)} />
        {p.canWrite ? (
          <>
            <Field id="programme-status-note" label={t('page.note')} error={noteError} hint={p.previous ? t('page.back_note') : undefined}>
              <input {...inputProps('programme-status-note', noteError, Boolean(p.previous))} data-testid="programme-status-note" type="text" value={note} onChange={(e) => setNote(e.target.value)} />
            </Field>
            {p.nextAction && (
              <p className="muted" data-testid="programme-next-action">
                {t(`page.next_action_${p.nextAction}`)}
              </p>
            )}
            {step.pending && target.current && (
              <ConfirmBar
                details={step.pending}
                text={t(`confirm_dialog.${step.pending.action}`, { to: t(`status.${target.current}`), count: step.pending.count, amount: formatVnd(step.pending.amount) })}
                busy={busy}
                onConfirm={() => void attempt(() => step.confirm())}
                onCancel={step.cancel}
                testId="programme-status-confirm"
              />
            )}
            <div className="btn-group">
              {p.next && (
                <button type="button" className="btn btn-primary" data-testid="programme-next" disabled={busy} onClick={() => void move(p.next!)}>
                  {t('page.forward', { status: t(`status.${p.next}`) })}
                </button>
              )}
              {p.previous && (
                <button type="button" className="btn btn-secondary" data-testid="programme-previous" disabled={busy} onClick={() => void move(p.previous!)}>
                  {t('page.back', { status: t(`status.${p.previous}`) })}
                </button>
              )}
            </div>
          </>
        ) : (
          <p className="muted">{t('page.read_only')}</p>
        )}
      </section>

      <section className="card" aria-labelledby="programme-history-title">
        <h2 id="programme-history-title">{t('page.history')}</h2>
        <DataTable
          testId="programme-history"
          columns={[
            t('page.history_at'),
            t('page.history_who'),
            t('page.history_change'),
            t('page.history_note'),
          ]}
        >
          {[...p.history].reverse().map((h) => (
            <tr key={h.id}>
              <td>{formatDateTime(h.at)}</td>
              <td>{h.actorName}</td>
              <td>
                {h.fromStatus && (
                  <>
                    <StatusPill status={h.fromStatus} /> →{' '}
                  </>
                )}
                <StatusPill status={h.toStatus} />
              </td>
              <td>{h.note}</td>
            </tr>
          ))}
        </DataTable>
      </section>
    </div>
  );
}
