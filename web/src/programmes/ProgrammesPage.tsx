/**
 * Donation programmes (#/programmes): the programmes in the user's scope with status, deadline (overdue
 * flagged) and money raised, spent and left; and the form that creates one.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, inputProps } from '../ui/Field';
import { OptionSelect } from '../ui/OptionSelect';
import { errorMessage } from '../errors';
import { formatDate, formatVnd } from '../format';
import { href, navigate } from '../router';
import { ProgrammeForm } from './ProgrammeForm';
import { PROGRAMME_STATUSES, programmesApi, type Programme, type ProgrammeStatus } from './programmesApi';
import { OverdueBadge, StatusPill } from './ProgrammeBits';
import { DataTable } from '../ui/DataTable';

export function ProgrammesPage({ user }: { user: User }) {
  const { t } = useTranslation('programmes');
  const [items, setItems] = useState<Programme[] | null>(null);
  const [status, setStatus] = useState<ProgrammeStatus | ''>('');
  const [q, setQ] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [creating, setCreating] = useState(false);
  const canCreate = user.role !== 'viewer';

  useEffect(() => {
    const controller = new AbortController();
    programmesApi
      .list({ status: status || undefined, q: q.trim() || undefined }, controller.signal)
      .then((r) => setItems(r.items))
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [status, q]);

  return (
    <div data-testid="programmes-page">
      <div className="card-head">
        <h1>{t('list.title')}</h1>
        {canCreate && !creating && (
          <button type="button" className="btn btn-primary" data-testid="programme-new" onClick={() => setCreating(true)}>
            {t('list.new')}
          </button>
        )}
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {creating && <ProgrammeForm user={user} onCancel={() => setCreating(false)} onSaved={(p) => navigate('programmes', p.id)} />}

      <section className="card">
        <div className="form-grid form-grid-2">
          <Field id="programme-search" label={t('list.search')}>
            <input {...inputProps('programme-search')} data-testid="programme-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
          </Field>
          <Field id="programme-status-filter" label={t('list.status')}>
            <OptionSelect<ProgrammeStatus | ''>
              id="programme-status-filter"
              testId="programme-status-filter"
              value={status}
              options={['', ...PROGRAMME_STATUSES]}
              label={(s) => (s ? t(`status.${s}`) : t('list.all_statuses'))}
              onChange={setStatus}
            />
          </Field>
        </div>
        {items === null ? null : items.length === 0 ? (
          <p className="muted" data-testid="programmes-empty">
            {t('list.empty')}
          </p>
        ) : (
          <DataTable
            testId="programmes-table"
            columns={[
              t('list.name'),
              t('list.owner'),
              t('list.status'),
              t('list.deadline'),
              { label: t('list.raised'), className: 'num' },
              { label: t('list.spent'), className: 'num' },
              { label: t('list.left'), className: 'num' },
            ]}
          >
            {items.map((p) => (
              <tr key={p.id} className="clickable" data-testid="programme-row" onClick={() => navigate('programmes', p.id)}>
                <td>
                  <a href={href('programmes', p.id)} onClick={(e) => e.stopPropagation()}>
                    {p.name}
                  </a>
                </td>
                <td>{p.ownerUnitName}</td>
                <td>
                  <StatusPill status={p.status} />
                </td>
                <td>
                  {formatDate(p.deadline)} {p.overdue && <OverdueBadge />}
                </td>
                <td className="num">{formatVnd(p.balance.received)}</td>
                <td className="num">{formatVnd(p.balance.awarded + p.balance.paid)}</td>
                <td className="num">{formatVnd(p.balance.available)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
