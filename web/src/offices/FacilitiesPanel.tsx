/** The initial health-care facilities of a province: search, add, make inactive or active again. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { errorMessage, splitErrors } from '../errors';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { useFormSubmit } from '../ui/useFormSubmit';
import { officesApi, type Facility } from './officesApi';

const FIELDS = ['code', 'name', 'address'] as const;

export function FacilitiesPanel({ province, canEdit }: { province: string; canEdit: boolean }) {
  const { t } = useTranslation('web');
  const [items, setItems] = useState<Facility[] | null>(null);
  const [q, setQ] = useState('');
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [address, setAddress] = useState('');
  const { errors, busy, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, FIELDS) });

  useEffect(() => {
    const controller = new AbortController();
    officesApi
      .facilities({ province, q: q.trim() || undefined, all: true }, controller.signal)
      .then(setItems)
      .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    return () => controller.abort();
  }, [province, q, version]);

  async function add(e: FormEvent) {
    e.preventDefault();
    await send(async () => {
      await officesApi.createFacility({ code, name, provinceCode: province, address });
      setCode('');
      setName('');
      setAddress('');
      setVersion((v) => v + 1);
    });
  }

  async function toggle(f: Facility) {
    try {
      await officesApi.updateFacility(f.code, { active: !f.active });
      setVersion((v) => v + 1);
    } catch (err) {
      setError(errorMessage(err));
    }
  }

  return (
    <section className="card" data-testid="facilities">
      <h2>{t('offices.facilities.title')}</h2>
      <p className="muted">{t('offices.facilities.lead')}</p>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Field id="facility-search" label={t('offices.facilities.search')}>
        <input {...inputProps('facility-search')} data-testid="facility-search" type="search" value={q} onChange={(e) => setQ(e.target.value)} />
      </Field>
      {items && items.length === 0 ? (
        <p className="muted">{t('offices.facilities.empty')}</p>
      ) : (
        <DataTable testId="facility-table" columns={[t('offices.facilities.code'), t('offices.facilities.name'), t('offices.facilities.address'), { label: t('offices.facilities.actions'), hidden: true }]}>
          {(items ?? []).map((f) => (
            <tr key={f.code} className={f.active ? undefined : 'inactive'} data-testid={`facility-${f.code}`}>
              <td className="code">{f.code}</td>
              <td>
                {f.name}
                {!f.active && <span className="muted"> ({t('offices.facilities.inactive')})</span>}
              </td>
              <td>{f.address ?? ''}</td>
              <td className="actions-cell">
                {canEdit && (
                  <button type="button" className="btn btn-ghost btn-small" data-testid={`facility-toggle-${f.code}`} onClick={() => void toggle(f)}>
                    {f.active ? t('offices.facilities.deactivate') : t('offices.facilities.activate')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </DataTable>
      )}
      {canEdit && (
        <form onSubmit={add} data-testid="facility-form" noValidate>
          <h3>{t('offices.facilities.add')}</h3>
          <ErrorBanner message={errors.banner} />
          <div className="form-grid form-grid-2">
            <TextField id="facility-code" label={t('offices.facilities.code')} hint={t('offices.facilities.codeHint')} value={code} onChange={setCode} error={errors.fields.code} inputMode="numeric" maxLength={5} />
            <TextField id="facility-name" label={t('offices.facilities.name')} value={name} onChange={setName} error={errors.fields.name} />
            <TextField id="facility-address" label={t('offices.facilities.address')} value={address} onChange={setAddress} error={errors.fields.address} />
          </div>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" data-testid="facility-save" disabled={busy}>
              {t('offices.facilities.add')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
