/**
 * The household form of the register: a new household (commune picked inside the user's scope) or a
 * change to one (code, village of its commune, address, poverty status and year). Field errors from
 * the server show next to their field.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { type Household, type HouseholdPatch, type PovertyStatus, registerApi } from './registerApi';
import { type Unit } from '../units/unitsApi';
import { errorMessage, splitErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { parseWhole } from '../format';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { FormButtons, isConflict, orNull } from './HouseholdBits';
import { OptionSelect } from '../ui/OptionSelect';
import { unitsApi } from '../units/unitsApi';

export const POVERTY_STATUSES: readonly PovertyStatus[] = ['none', 'poor', 'near_poor', 'average_agri'];
const FIELDS = ['communeCode', 'code', 'villageCode', 'address', 'povertyStatus', 'povertyYear'] as const;

const byName = (a: Unit, b: Unit) => a.name.localeCompare(b.name, 'vi');

/** The villages of a commune (none while no commune is chosen). */
function useVillages(communeCode: string): { villages: Unit[]; error: string | null } {
  const [villages, setVillages] = useState<Unit[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    setVillages([]);
    setError(null);
    if (!communeCode) return;
    const controller = new AbortController();
    unitsApi
      .children(communeCode, controller.signal)
      .then((units) => setVillages(units.filter((u) => u.level === 'village').sort(byName)))
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [communeCode]);
  return { villages, error };
}

/**
 * The communes the user may add a household to: their own commune (fixed), the communes of their
 * province, or (national scope) a province and then one of its communes.
 */
function CommunePicker({
  user,
  value,
  error,
  onChange,
}: {
  user: User;
  value: string;
  error?: string;
  onChange: (code: string) => void;
}) {
  const { t } = useTranslation('web');
  const [scope, setScope] = useState<Unit | null>(null);
  const [provinces, setProvinces] = useState<Unit[]>([]);
  const [province, setProvince] = useState('');
  const [communes, setCommunes] = useState<Unit[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);

  // the scope: a commune (fixed), a province (its communes), or none (the provinces first)
  useEffect(() => {
    const controller = new AbortController();
    const fail = (err: unknown) => {
      if (!isAbort(err)) setLoadError(errorMessage(err));
    };
    if (user.scopeCode) {
      unitsApi
        .unit(user.scopeCode, controller.signal)
        .then((detail) => {
          setScope(detail.unit);
          if (detail.unit.level === 'commune') onChange(detail.unit.code);
          else setProvince(detail.unit.code);
        })
        .catch(fail);
    } else {
      unitsApi
        .provinces(controller.signal)
        .then((units) => setProvinces([...units].sort(byName)))
        .catch(fail);
    }
    return () => controller.abort();
  }, [user.scopeCode, onChange]);

  useEffect(() => {
    setCommunes([]);
    if (!province) return;
    const controller = new AbortController();
    unitsApi
      .children(province, controller.signal)
      .then((units) => setCommunes(units.filter((u) => u.level === 'commune').sort(byName)))
      .catch((err: unknown) => {
        if (!isAbort(err)) setLoadError(errorMessage(err));
      });
    return () => controller.abort();
  }, [province]);

  if (scope?.level === 'commune') {
    return (
      <Field id="household-commune" label={t('register.household.commune')} error={error}>
        <input
          {...inputProps('household-commune', error)}
          data-testid="household-commune-fixed"
          type="text"
          readOnly
          value={`${scope.name} (${scope.code})`}
        />
      </Field>
    );
  }

  return (
    <>
      {!user.scopeCode && (
        <Field id="household-province" label={t('register.householdForm.province')}>
          <select
            {...inputProps('household-province')}
            data-testid="household-province"
            value={province}
            onChange={(e) => {
              setProvince(e.target.value);
              onChange('');
            }}
          >
            <option value="">{t('register.householdForm.provincePick')}</option>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
      )}
      <Field id="household-commune" label={t('register.household.commune')} error={error ?? loadError ?? undefined}>
        <select
          {...inputProps('household-commune', error ?? loadError ?? undefined)}
          data-testid="household-commune"
          value={value}
          disabled={!province}
          onChange={(e) => onChange(e.target.value)}
        >
          <option value="">{t('register.householdForm.communePick')}</option>
          {communes.map((c) => (
            <option key={c.code} value={c.code}>
              {c.name} ({c.code})
            </option>
          ))}
        </select>
      </Field>
    </>
  );
}

/**
 * A new household (`user` given, `household` not) or a change to `household`. `onDone` receives the
 * saved household, or null on cancel.
 */
export function HouseholdForm({
  user,
  household,
  onDone,
}: {
  user: User;
  household?: Household;
  onDone: (saved: Household | null) => void;
}) {
  const { t } = useTranslation('web');
  const creating = !household;
  const [communeCode, setCommuneCode] = useState(household?.communeCode ?? '');
  const [code, setCode] = useState(household?.code ?? '');
  const [villageCode, setVillageCode] = useState(household?.villageCode ?? '');
  const [address, setAddress] = useState(household?.address ?? '');
  const [poverty, setPoverty] = useState<PovertyStatus>(household?.povertyStatus ?? 'none');
  const [povertyYear, setPovertyYear] = useState(household?.povertyYear ? String(household.povertyYear) : '');
  const { errors, busy, invalid, send } = useFormSubmit({
    errorsOf: (err) => (isConflict(err) ? { fields: { code: t('register.householdForm.codeTaken', { code: code.trim() }) }, banner: null } : splitErrors(err, FIELDS)),
  });
  const { villages, error: villageError } = useVillages(communeCode);
  // another commune: the village chosen belongs to the previous one
  const chooseCommune = useCallback((code: string) => {
    setCommuneCode(code);
    setVillageCode('');
  }, []);
  const f = errors.fields;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (creating && !communeCode) fields.communeCode = t('register.householdForm.communeRequired');
    if (!code.trim()) fields.code = t('register.householdForm.codeRequired');
    const year = povertyYear.trim() === '' ? null : parseWhole(povertyYear);
    if (poverty !== 'none' && povertyYear.trim() !== '' && (year === null || year < 1990 || year > 2100))
      fields.povertyYear = t('register.householdForm.yearInvalid');
    if (invalid(fields)) return;
    const values = {
      code: code.trim(),
      villageCode: villageCode || null,
      address: orNull(address),
      povertyStatus: poverty,
      povertyYear: poverty === 'none' ? null : year,
    };
    await send(async () => {
      if (household) {
        const patch: HouseholdPatch = {};
        if (values.code !== household.code) patch.code = values.code;
        if (values.villageCode !== household.villageCode) patch.villageCode = values.villageCode;
        if (values.address !== household.address) patch.address = values.address;
        if (values.povertyStatus !== household.povertyStatus) patch.povertyStatus = values.povertyStatus;
        if (values.povertyYear !== household.povertyYear) patch.povertyYear = values.povertyYear;
        onDone(Object.keys(patch).length ? await registerApi.updateHousehold(household.id, patch) : null);
      } else {
        onDone(await registerApi.createHousehold({ communeCode, ...values }));
      }
    });
  }

  const villageOptions: Pick<Unit, 'code' | 'name'>[] = [...villages];
  if (household?.villageCode && !villages.some((v) => v.code === household.villageCode)) {
    villageOptions.unshift({ code: household.villageCode, name: household.villageName ?? household.villageCode });
  }

  return (
    <form
      className="household-form"
      onSubmit={(e) => void submit(e)}
      noValidate
      data-testid="household-form"
      aria-labelledby="household-form-title"
    >
      <h2 id="household-form-title">
        {creating ? t('register.householdForm.createTitle') : t('register.householdForm.editTitle', { code: household.code })}
      </h2>
      <ErrorBanner message={errors.banner} />
      <div className="policy-grid">
        {creating && <CommunePicker user={user} value={communeCode} error={f.communeCode} onChange={chooseCommune} />}
        <TextField
          id="household-code"
          label={t('register.household.code')}
          error={f.code}
          hint={t('register.householdForm.codeHint')}
          autoFocus={!creating}
          type="text"
          autoComplete="off"
          maxLength={50}
          value={code}
          onChange={setCode}
        />
        <Field id="household-village" label={t('register.household.village')} error={f.villageCode ?? villageError ?? undefined}>
          <select
            {...inputProps('household-village', f.villageCode ?? villageError ?? undefined)}
            data-testid="household-village"
            value={villageCode}
            disabled={!communeCode}
            onChange={(e) => setVillageCode(e.target.value)}
          >
            <option value="">{t('register.householdForm.noVillage')}</option>
            {villageOptions.map((v) => (
              <option key={v.code} value={v.code}>
                {v.name}
              </option>
            ))}
          </select>
        </Field>
        <TextField
          id="household-address"
          label={t('register.household.address')}
          error={f.address}
          className="span-2"
          type="text"
          autoComplete="off"
          maxLength={500}
          value={address}
          onChange={setAddress}
        />
        <Field id="household-poverty" label={t('register.household.poverty')} error={f.povertyStatus} className="span-2">
          <OptionSelect
            id="household-poverty"
            testId="household-poverty-select"
            value={poverty}
            options={POVERTY_STATUSES}
            error={f.povertyStatus}
            label={(s) => (s === 'none' ? t('register.householdForm.povertyNone') : t(`register.poverty.${s}`))}
            onChange={setPoverty}
          />
        </Field>
        {poverty !== 'none' && (
          <TextField
            id="household-poverty-year"
            label={t('register.householdForm.povertyYear')}
            error={f.povertyYear}
            hint={t('register.householdForm.povertyYearHint')}
            type="text"
            inputMode="numeric"
            autoComplete="off"
            maxLength={4}
            value={povertyYear}
            onChange={setPovertyYear}
          />
        )}
      </div>
      <FormButtons
        busy={busy}
        testId="household-form"
        submitLabel={creating ? t('register.householdForm.create') : t('common.save')}
        onCancel={() => onDone(null)}
      />
    </form>
  );
}
