/**
 * The social insurance network of a province (#/offices[/PROVINCE]): its offices (the provincial office and
 * the grassroots offices, BHXH cơ sở) with the communes each serves, the profile forms print for a unit, the
 * initial health-care facilities (nơi đăng ký KCB ban đầu) and the collectors (đại lý thu, nhân viên thu).
 * Whoever manages the province edits offices and facilities; an office's staff edit its collectors.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { errorMessage } from '../errors';
import { DEFAULT_PROVINCE } from '../landing';
import { navigate } from '../router';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field, inputProps } from '../ui/Field';
import { unitsApi, type Unit } from '../units/unitsApi';
import { CollectorsPanel } from './CollectorsPanel';
import { FacilitiesPanel } from './FacilitiesPanel';
import { OfficeForm } from './OfficeForm';
import { officesApi, type Office } from './officesApi';
import { ProfileForm } from './ProfileForm';

/** The province of the user's scope (a national user: Lào Cai). */
async function provinceOf(user: User, signal: AbortSignal): Promise<string> {
  if (!user.scopeCode) return DEFAULT_PROVINCE;
  const { unit, ancestors } = await unitsApi.unit(user.scopeCode, signal);
  return unit.level === 'province' ? unit.code : (ancestors.find((a) => a.level === 'province')?.code ?? DEFAULT_PROVINCE);
}

export function OfficesPage({ user, province: routeProvince }: { user: User; province?: string }) {
  const { t } = useTranslation('web');
  const [province, setProvince] = useState<string | null>(routeProvince ?? null);
  const [provinces, setProvinces] = useState<Unit[]>([]);
  const [communes, setCommunes] = useState<Unit[]>([]);
  const [offices, setOffices] = useState<Office[] | null>(null);
  const [editing, setEditing] = useState<Office | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const canEdit = user.role === 'admin' || user.role === 'province_staff';

  useEffect(() => {
    const controller = new AbortController();
    unitsApi
      .provinces(controller.signal)
      .then(setProvinces)
      .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    if (!routeProvince)
      provinceOf(user, controller.signal)
        .then(setProvince)
        .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    return () => controller.abort();
  }, [user, routeProvince]);

  useEffect(() => {
    if (routeProvince) setProvince(routeProvince);
  }, [routeProvince]);

  useEffect(() => {
    if (!province) return;
    const controller = new AbortController();
    Promise.all([officesApi.offices(province, controller.signal), unitsApi.children(province, controller.signal)])
      .then(([o, c]) => {
        setOffices(o);
        setCommunes(c);
      })
      .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    return () => controller.abort();
  }, [province, version]);

  const provincial = offices?.find((o) => o.kind === 'si_province') ?? null;
  const servedBy = new Map((offices ?? []).flatMap((o) => o.communes.map((c) => [c.code, o.name] as const)));

  return (
    <div data-testid="offices-page">
      <div className="card-head">
        <h1>{t('offices.title')}</h1>
        {canEdit && editing === null && (
          <button type="button" className="btn btn-primary" data-testid="office-new" onClick={() => setEditing('new')}>
            {t('offices.new')}
          </button>
        )}
      </div>
      <p className="muted">{t('offices.lead')}</p>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice ?? undefined} />

      <section className="card">
        <Field id="offices-province" label={t('offices.province')}>
          <select {...inputProps('offices-province')} data-testid="offices-province" value={province ?? ''} onChange={(e) => navigate('offices', e.target.value)}>
            {provinces.map((p) => (
              <option key={p.code} value={p.code}>
                {p.name}
              </option>
            ))}
          </select>
        </Field>
      </section>

      {editing !== null && province && (
        <OfficeForm
          office={editing === 'new' ? null : editing}
          province={province}
          provincial={provincial}
          communes={communes}
          servedBy={servedBy}
          onCancel={() => setEditing(null)}
          onSaved={(o) => {
            setEditing(null);
            setNotice(t('offices.saved', { name: o.name }));
            setVersion((v) => v + 1);
          }}
        />
      )}

      <section className="card" data-testid="office-list">
        <h2>{t('offices.listTitle')}</h2>
        {offices === null ? null : offices.length === 0 ? (
          <p className="muted" data-testid="offices-empty">
            {t('offices.empty')}
          </p>
        ) : (
          <ul className="office-list">
            {offices.map((o) => (
              <li key={o.code} className="office-item" data-testid={`office-${o.code}`}>
                <div className="office-head">
                  <strong>{o.name}</strong> <span className="code">{o.code}</span>{' '}
                  <span className="badge">{t(`offices.kinds.${o.kind}`)}</span>
                  {canEdit && (
                    <button type="button" className="btn btn-secondary btn-small" data-testid={`office-edit-${o.code}`} onClick={() => setEditing(o)}>
                      {t('offices.edit')}
                    </button>
                  )}
                </div>
                {o.profile && (
                  <p className="muted office-contact">{[o.profile.address, o.profile.phone, o.profile.email].filter(Boolean).join(' · ')}</p>
                )}
                <p className="office-communes">
                  {o.communes.length ? t('offices.serves', { list: o.communes.map((c) => c.name).join(', '), count: o.communes.length }) : t('offices.servesNone')}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>

      {province && (
        <ProfileForm
          user={user}
          units={[...provinces.filter((p) => p.code === province), ...communes, ...(offices ?? []).map((o) => ({ code: o.code, name: o.name }))]}
          onSaved={(name) => setNotice(t('offices.profileSaved', { name }))}
        />
      )}
      {province && <FacilitiesPanel province={province} canEdit={canEdit} />}
      {province && offices && <CollectorsPanel offices={offices} canEdit={user.role !== 'viewer' && user.role !== 'commune_officer'} />}
    </div>
  );
}
