/** A unit's profile as forms print it: the unit code the social insurance office issued, tax code, address, phone, e-mail. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { errorMessage, splitErrors } from '../errors';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { useFormSubmit } from '../ui/useFormSubmit';
import { officesApi } from './officesApi';

const FIELDS = ['siCode', 'taxCode', 'address', 'phone', 'email'] as const;
type Values = Record<(typeof FIELDS)[number], string>;
const EMPTY: Values = { siCode: '', taxCode: '', address: '', phone: '', email: '' };

export function ProfileForm({ user, units, onSaved }: { user: User; units: { code: string; name: string }[]; onSaved: (name: string) => void }) {
  const { t } = useTranslation('web');
  const own = units.find((u) => u.code === user.scopeCode)?.code;
  const [unit, setUnit] = useState(own ?? units[0]?.code ?? '');
  const [values, setValues] = useState<Values>(EMPTY);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { errors, busy, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, FIELDS) });
  const canEdit = user.role !== 'viewer';

  // the user's own unit once the lists have come (until the user picks another)
  const [picked, setPicked] = useState(false);
  useEffect(() => {
    if (!picked && (own ?? units[0]?.code)) setUnit(own ?? units[0].code);
  }, [units, own, picked]);

  useEffect(() => {
    if (!unit) return;
    const controller = new AbortController();
    officesApi
      .profile(unit, controller.signal)
      // an answer for a unit no longer shown (it came in after the unit changed) is dropped
      .then((p) => {
        if (controller.signal.aborted) return;
        setValues(p ? { siCode: p.siCode ?? '', taxCode: p.taxCode ?? '', address: p.address ?? '', phone: p.phone ?? '', email: p.email ?? '' } : EMPTY);
      })
      .catch((err: unknown) => !isAbort(err) && setLoadError(errorMessage(err)));
    return () => controller.abort();
  }, [unit]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    await send(async () => {
      await officesApi.setProfile(unit, values);
      onSaved(units.find((u) => u.code === unit)?.name ?? unit);
    });
  }
  const field = (k: (typeof FIELDS)[number]) => (
    <TextField id={`profile-${k}`} label={t(`offices.profile.${k}`)} value={values[k]} onChange={(v) => setValues({ ...values, [k]: v })} error={errors.fields[k]} disabled={!canEdit} />
  );

  return (
    <form className="card" onSubmit={submit} data-testid="profile-form" noValidate>
      <h2>{t('offices.profile.title')}</h2>
      <p className="muted">{t('offices.profile.lead')}</p>
      <ErrorBanner message={errors.banner ?? loadError} />
      <Field id="profile-unit" label={t('offices.profile.unit')}>
        <select {...inputProps('profile-unit')} data-testid="profile-unit" value={unit} onChange={(e) => {
            setPicked(true);
            setUnit(e.target.value);
          }}
        >
          {units.map((u) => (
            <option key={u.code} value={u.code}>
              {u.name}
            </option>
          ))}
        </select>
      </Field>
      <div className="form-grid form-grid-2">
        {field('siCode')}
        {field('taxCode')}
        {field('address')}
        {field('phone')}
        {field('email')}
      </div>
      {canEdit && (
        <div className="form-actions">
          <button type="submit" className="btn btn-primary" data-testid="profile-save" disabled={busy}>
            {t('common.save')}
          </button>
        </div>
      )}
    </form>
  );
}
