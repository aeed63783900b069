/**
 * Before the D03-TS list goes to the office: what it lacks (rows without a social insurance code, identity
 * number, address, facility or collector; the unit code of the programme's unit), a facility chosen at
 * once for every row without one, and the download: complete, or with the incomplete rows flagged.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { errorMessage } from '../errors';
import { href } from '../router';
import { ErrorBanner } from '../ui/ErrorBanner';
import { inputProps } from '../ui/Field';
import { officesApi, type Facility } from '../offices/officesApi';
import { unitsApi } from '../units/unitsApi';
import { selectionApi, type D03Check as Check } from './selectionApi';

const SHOWN = 20;

export function D03Check({ programmeId, ownerUnitCode, canWrite }: { programmeId: string; ownerUnitCode: string; canWrite: boolean }) {
  const { t } = useTranslation('selection');
  const [check, setCheck] = useState<Check | null>(null);
  const [facilities, setFacilities] = useState<Facility[]>([]);
  const [facility, setFacility] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    (signal?: AbortSignal) =>
      selectionApi
        .d03Check(programmeId, signal)
        .then(setCheck)
        .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err))),
    [programmeId],
  );
  useEffect(() => {
    const controller = new AbortController();
    void load(controller.signal);
    // the facilities of the province of the programme's unit
    if (canWrite)
      unitsApi
        .unit(ownerUnitCode, controller.signal)
        .then(({ unit, ancestors }) => officesApi.facilities({ province: unit.level === 'province' ? unit.code : ancestors.find((a) => a.level === 'province')?.code }, controller.signal))
        .then(setFacilities)
        .catch(() => setFacilities([]));
    return () => controller.abort();
  }, [load, ownerUnitCode, canWrite]);

  if (!check) return null;
  const complete = check.incomplete.length === 0 && check.headerMissing.length === 0;
  const noFacility = check.incomplete.filter((r) => r.missing.includes('facility'));

  async function applyFacility() {
    setBusy(true);
    try {
      await selectionApi.setFacility(programmeId, noFacility.map((r) => r.awardId), facility);
      await load();
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="d03-check" data-testid="d03-check">
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {complete ? (
        <p data-testid="d03-complete">{t('web.d03_complete', { count: check.rows })}</p>
      ) : (
        <>
          <p className="warning" data-testid="d03-incomplete">
            {t('web.d03_incomplete', { count: check.incomplete.length, rows: check.rows })}
          </p>
          {check.headerMissing.length > 0 && (
            <p>
              {t('web.d03_unit_code')} <a href={href('offices')}>{t('web.d03_unit_code_link')}</a>
            </p>
          )}
          <ul>
            {check.incomplete.slice(0, SHOWN).map((r) => (
              <li key={r.awardId}>
                {r.no}. {r.fullName} ({r.commune}): {r.missing.map((f) => t(`d03.fields.${f}`)).join(', ')}
              </li>
            ))}
            {check.incomplete.length > SHOWN && <li className="muted">{t('web.d03_more', { count: check.incomplete.length - SHOWN })}</li>}
          </ul>
          {canWrite && noFacility.length > 0 && facilities.length > 0 && (
            <div className="input-row">
              <label htmlFor="d03-facility">{t('web.d03_facility', { count: noFacility.length })}</label>
              <select {...inputProps('d03-facility')} data-testid="d03-facility" value={facility} onChange={(e) => setFacility(e.target.value)}>
                <option value="">—</option>
                {facilities.map((f) => (
                  <option key={f.code} value={f.code}>
                    {f.code} - {f.name}
                  </option>
                ))}
              </select>
              <button type="button" className="btn btn-secondary btn-small" disabled={!facility || busy} onClick={() => void applyFacility()} data-testid="d03-facility-apply">
                {t('web.d03_facility_apply')}
              </button>
            </div>
          )}
        </>
      )}
      <div className="btn-group">
        {complete ? (
          <a className="btn btn-secondary" href={selectionApi.d03Url(programmeId)} download data-testid="download-d03">
            {t('web.d03')}
          </a>
        ) : (
          <a className="btn btn-secondary" href={selectionApi.d03Url(programmeId, true)} download data-testid="download-d03">
            {t('web.d03_flagged')}
          </a>
        )}
      </div>
    </div>
  );
}
