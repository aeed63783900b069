/** A working group's form: name, the commune's villages it covers, leader and members (the commune's field workers and officers), period. */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { errorMessage, splitErrors } from '../errors';
import { formatDate } from '../format';
import { DayInput, parseDayMonthYear } from '../register/HouseholdBits';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, TextField } from '../ui/Field';
import { useFormSubmit } from '../ui/useFormSubmit';
import { unitsApi, type Unit } from '../units/unitsApi';
import { fieldApi, type Group, type Worker } from './fieldApi';

const FIELDS = ['name', 'villages', 'leader', 'members', 'periodFrom', 'periodTo'] as const;

export function GroupForm({ commune, initial, onCancel, onSaved }: { commune: string; initial?: Group; onCancel: () => void; onSaved: (g: Group) => void }) {
  const { t } = useTranslation('field');
  const [villages, setVillages] = useState<Unit[]>([]);
  const [workers, setWorkers] = useState<Worker[]>([]);
  const [name, setName] = useState(initial?.name ?? '');
  const [chosenVillages, setChosenVillages] = useState<string[]>(initial?.villages.map((v) => v.code) ?? []);
  const [leader, setLeader] = useState(initial?.leader?.id ?? '');
  const [members, setMembers] = useState<string[]>(initial?.members.map((m) => m.id) ?? []);
  const [from, setFrom] = useState(formatDate(initial?.periodFrom ?? null));
  const [to, setTo] = useState(formatDate(initial?.periodTo ?? null));
  const [loadError, setLoadError] = useState<string | null>(null);
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, FIELDS) });

  useEffect(() => {
    const controller = new AbortController();
    Promise.all([unitsApi.children(commune, controller.signal), fieldApi.workers(commune, controller.signal)])
      .then(([v, w]) => {
        setVillages(v.filter((u) => u.level === 'village'));
        setWorkers(w);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setLoadError(errorMessage(err));
      });
    return () => controller.abort();
  }, [commune]);

  const toggle = (list: string[], value: string) => (list.includes(value) ? list.filter((x) => x !== value) : [...list, value]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    const periodFrom = from.trim() ? parseDayMonthYear(from) : null;
    const periodTo = to.trim() ? parseDayMonthYear(to) : null;
    if (from.trim() && !periodFrom) found.periodFrom = t('bad_date');
    if (to.trim() && !periodTo) found.periodTo = t('bad_date');
    if (invalid(found)) return;
    await send(async () => {
      const body = { name, villages: chosenVillages, leader: leader || null, members, periodFrom, periodTo };
      onSaved(initial ? await fieldApi.updateGroup(initial.id, body) : await fieldApi.createGroup({ communeCode: commune, ...body }));
    });
  }

  const f = errors.fields;
  return (
    <form className="card-inset" onSubmit={submit} noValidate data-testid="group-form">
      <ErrorBanner message={errors.banner ?? loadError} />
      <div className="form-grid form-grid-2">
        <TextField id="group-name" label={t('groups.name')} error={f.name} value={name} onChange={setName} maxLength={120} />
        <Field id="group-leader" label={t('groups.leader')} error={f.leader}>
          <select id="group-leader" data-testid="group-leader" value={leader} onChange={(e) => setLeader(e.target.value)}>
            <option value="">—</option>
            {workers.map((w) => (
              <option key={w.id} value={w.id}>
                {w.displayName || w.username}
              </option>
            ))}
          </select>
        </Field>
        <Field id="group-from" label={t('groups.from')} error={f.periodFrom}>
          <DayInput id="group-from" testId="group-from" value={from} error={f.periodFrom} onChange={setFrom} />
        </Field>
        <Field id="group-to" label={t('groups.to')} error={f.periodTo}>
          <DayInput id="group-to" testId="group-to" value={to} error={f.periodTo} onChange={setTo} />
        </Field>
      </div>
      <fieldset className="checkbox-fieldset" data-testid="group-villages">
        <legend>{t('groups.villages')}</legend>
        {f.villages && <p className="field-error">{f.villages}</p>}
        <div className="checkbox-list">
          {villages.map((v) => (
            <label key={v.code}>
              <input type="checkbox" checked={chosenVillages.includes(v.code)} onChange={() => setChosenVillages(toggle(chosenVillages, v.code))} /> {v.name}
            </label>
          ))}
        </div>
      </fieldset>
      <fieldset className="checkbox-fieldset" data-testid="group-members">
        <legend>{t('groups.members')}</legend>
        {f.members && <p className="field-error">{f.members}</p>}
        {workers.length === 0 && <p className="muted small">{t('groups.no_workers')}</p>}
        <div className="checkbox-list">
          {workers.map((w) => (
            <label key={w.id}>
              <input type="checkbox" checked={members.includes(w.id)} onChange={() => setMembers(toggle(members, w.id))} /> {w.displayName || w.username}
            </label>
          ))}
        </div>
      </fieldset>
      <div className="btn-group">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="group-save">
          {t('groups.save')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('groups.cancel')}
        </button>
      </div>
    </form>
  );
}
