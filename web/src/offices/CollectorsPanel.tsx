/** The collectors (đại lý thu, nhân viên thu) of an office with their villages; adds one, villages ticked by name. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { errorMessage, mapErrors } from '../errors';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { OptionSelect } from '../ui/OptionSelect';
import { useFormSubmit } from '../ui/useFormSubmit';
import { unitsApi, type Unit } from '../units/unitsApi';
import { COLLECTOR_KINDS, officesApi, type Collector, type CollectorKind, type Office } from './officesApi';

const FIELDS = ['code', 'name', 'kind', 'phone', 'villages'] as const;

export function CollectorsPanel({ offices, canEdit }: { offices: Office[]; canEdit: boolean }) {
  const { t } = useTranslation('web');
  const [office, setOffice] = useState(offices.find((o) => o.kind === 'si_grassroots')?.code ?? offices[0]?.code ?? '');
  const [items, setItems] = useState<Collector[] | null>(null);
  const [villages, setVillages] = useState<Unit[]>([]);
  const [version, setVersion] = useState(0);
  const [error, setError] = useState<string | null>(null);
  const [code, setCode] = useState('');
  const [name, setName] = useState('');
  const [phone, setPhone] = useState('');
  const [kind, setKind] = useState<CollectorKind>('staff');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const { errors, busy, send } = useFormSubmit({ errorsOf: (err) => mapErrors(err, (parts) => (parts.length === 1 && (FIELDS as readonly string[]).includes(parts[0]) ? parts[0] : null)) });

  useEffect(() => {
    if (!office) return;
    const controller = new AbortController();
    officesApi
      .collectors({ office }, controller.signal)
      .then(setItems)
      .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    return () => controller.abort();
  }, [office, version]);

  // the villages of the communes the office serves (a provincial office: through its grassroots offices)
  useEffect(() => {
    const chosenOffice = offices.find((o) => o.code === office);
    if (!chosenOffice || !canEdit) return;
    const communes = chosenOffice.kind === 'si_province' ? offices.flatMap((o) => o.communes) : chosenOffice.communes;
    const controller = new AbortController();
    Promise.all(communes.map((c) => unitsApi.children(c.code, controller.signal).catch(() => [] as Unit[])))
      .then((lists) => setVillages(lists.flat()))
      .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    return () => controller.abort();
  }, [office, offices, canEdit]);

  async function add(e: FormEvent) {
    e.preventDefault();
    await send(async () => {
      await officesApi.createCollector({ code, name, kind, officeCode: office, phone, villages: [...chosen] });
      setCode('');
      setName('');
      setPhone('');
      setChosen(new Set());
      setVersion((v) => v + 1);
    });
  }

  if (offices.length === 0) return null;
  return (
    <section className="card" data-testid="collectors">
      <h2>{t('offices.collectors.title')}</h2>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Field id="collector-office" label={t('offices.collectors.office')}>
        <select {...inputProps('collector-office')} data-testid="collector-office" value={office} onChange={(e) => setOffice(e.target.value)}>
          {offices.map((o) => (
            <option key={o.code} value={o.code}>
              {o.name}
            </option>
          ))}
        </select>
      </Field>
      {items && items.length === 0 ? (
        <p className="muted">{t('offices.collectors.empty')}</p>
      ) : (
        <DataTable testId="collector-table" columns={[t('offices.collectors.code'), t('offices.collectors.name'), t('offices.collectors.kind'), t('offices.collectors.phone'), t('offices.collectors.villages')]}>
          {(items ?? []).map((c) => (
            <tr key={c.code} className={c.active ? undefined : 'inactive'} data-testid={`collector-${c.code}`}>
              <td className="code">{c.code}</td>
              <td>{c.name}</td>
              <td>{t(`offices.collectors.kinds.${c.kind}`)}</td>
              <td>{c.phone ?? ''}</td>
              <td>{c.villages.map((v) => v.name).join(', ')}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {canEdit && (
        <form onSubmit={add} data-testid="collector-form" noValidate>
          <h3>{t('offices.collectors.add')}</h3>
          <ErrorBanner message={errors.banner} />
          <div className="form-grid form-grid-2">
            <TextField id="collector-code" label={t('offices.collectors.code')} value={code} onChange={setCode} error={errors.fields.code} />
            <TextField id="collector-name" label={t('offices.collectors.name')} value={name} onChange={setName} error={errors.fields.name} />
            <Field id="collector-kind" label={t('offices.collectors.kind')}>
              <OptionSelect<CollectorKind> id="collector-kind" testId="collector-kind" value={kind} options={COLLECTOR_KINDS} label={(k) => t(`offices.collectors.kinds.${k}`)} onChange={setKind} />
            </Field>
            <TextField id="collector-phone" label={t('offices.collectors.phone')} value={phone} onChange={setPhone} error={errors.fields.phone} inputMode="tel" />
          </div>
          <fieldset className="checkbox-fieldset">
            <legend>{t('offices.collectors.villages')}</legend>
            {errors.fields.villages && <p className="field-error">{errors.fields.villages}</p>}
            {villages.length === 0 ? (
              <p className="muted">{t('offices.collectors.noVillages')}</p>
            ) : (
              <div className="checkbox-list">
                {villages.map((v) => (
                  <label key={v.code}>
                    <input
                      type="checkbox"
                      data-testid={`collector-village-${v.code}`}
                      checked={chosen.has(v.code)}
                      onChange={(e) => {
                        const next = new Set(chosen);
                        if (e.target.checked) next.add(v.code);
                        else next.delete(v.code);
                        setChosen(next);
                      }}
                    />{' '}
                    {v.name}
                  </label>
                ))}
              </div>
            )}
          </fieldset>
          <div className="form-actions">
            <button type="submit" className="btn btn-primary" data-testid="collector-save" disabled={busy}>
              {t('offices.collectors.add')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
