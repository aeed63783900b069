/**
 * A campaign's form: name, theme, area (a province or commune, chosen by name), period (dd/MM/yyyy), the
 * targets per kind, and their split: lines giving part of a target to a commune of the area, one of its
 * working groups, or a staff member (by username). A split that does not add up is saved and warned.
 */
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { errorMessage, splitErrors } from '../errors';
import { formatDate, parseDayMonthYear, parseWhole } from '../format';
import { fieldApi, type Group } from '../outreach/fieldApi';
import { DayInput } from '../register/HouseholdBits';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, TextField } from '../ui/Field';
import { useFormSubmit } from '../ui/useFormSubmit';
import { UnitPicker } from '../units/UnitPicker';
import { unitsApi, type Unit, type UnitLevel } from '../units/unitsApi';
import { campaignsApi, KINDS, LEVELS, type Campaign, type SplitLevel, type TargetKind } from './campaignsApi';

const AREA: readonly UnitLevel[] = ['province', 'commune'];
const FIELDS = ['unitCode', 'name', 'theme', 'startsOn', 'endsOn', 'targets', 'split'] as const;

interface Line {
  kind: TargetKind;
  level: SplitLevel;
  ref: string;
  value: string;
}

export function CampaignForm({ initial, defaultUnit, onCancel, onSaved }: { initial?: Campaign; defaultUnit: string | null; onCancel: () => void; onSaved: (c: Campaign) => void }) {
  const { t } = useTranslation('campaigns');
  const [unit, setUnit] = useState<string | null>(initial?.unitCode ?? defaultUnit);
  const [name, setName] = useState(initial?.name ?? '');
  const [theme, setTheme] = useState(initial?.theme ?? '');
  const [from, setFrom] = useState(formatDate(initial?.startsOn ?? null));
  const [to, setTo] = useState(formatDate(initial?.endsOn ?? null));
  const [targets, setTargets] = useState<Record<TargetKind, string>>({
    bhyt_household: initial?.targets.bhyt_household?.toString() ?? '',
    bhxh_tn: initial?.targets.bhxh_tn?.toString() ?? '',
    renewal: initial?.targets.renewal?.toString() ?? '',
  });
  const [lines, setLines] = useState<Line[]>(initial?.split.map((s) => ({ kind: s.kind, level: s.level, ref: s.level === 'staff' ? s.name : s.ref, value: String(s.value) })) ?? []);
  const [staffRefs] = useState(() => new Map(initial?.split.filter((s) => s.level === 'staff').map((s) => [s.name, s.ref]) ?? []));
  const [communes, setCommunes] = useState<Unit[]>([]);
  const [groups, setGroups] = useState<Group[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, FIELDS) });

  useEffect(() => {
    if (!unit) return;
    const controller = new AbortController();
    // a province's communes, or the commune itself
    Promise.all([unitsApi.unit(unit, controller.signal), unitsApi.children(unit, controller.signal), fieldApi.groups(controller.signal)])
      .then(([self, units, g]) => {
        const own = self.unit.level === 'commune' ? [self.unit] : units.filter((u) => u.level === 'commune');
        setCommunes(own);
        setGroups(g.filter((x) => own.some((c) => c.code === x.communeCode)));
      })
      .catch((err: unknown) => !isAbort(err) && setLoadError(errorMessage(err)));
    return () => controller.abort();
  }, [unit]);

  const setLine = (i: number, patch: Partial<Line>) => setLines(lines.map((l, j) => (j === i ? { ...l, ...patch, ...(patch.level ? { ref: '' } : {}) } : l)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    const startsOn = parseDayMonthYear(from);
    const endsOn = parseDayMonthYear(to);
    if (!startsOn) found.startsOn = t('web.bad_date');
    if (!endsOn) found.endsOn = t('web.bad_date');
    if (!unit) found.unitCode = t('web.pick_unit');
    const numbers: Partial<Record<TargetKind, number>> = {};
    for (const k of KINDS) {
      if (!targets[k].trim()) continue;
      const n = parseWhole(targets[k]);
      if (n === null) found.targets = `${t(`kinds.${k}`)}: ${t('web.bad_number')}`;
      else numbers[k] = n;
    }
    const split = lines
      .filter((l) => l.ref.trim() || l.value.trim())
      .map((l) => ({ kind: l.kind, level: l.level, ref: l.level === 'staff' ? (staffRefs.get(l.ref) ?? l.ref.trim()) : l.ref, value: parseWhole(l.value) ?? -1 }));
    if (split.some((s) => s.value < 0)) found.split = `${t('web.value')}: ${t('web.bad_number')}`;
    if (invalid(found)) return;
    await send(async () => {
      const body = { name, theme: theme || null, startsOn: startsOn!, endsOn: endsOn!, targets: numbers, split };
      onSaved(initial ? await campaignsApi.update(initial.id, body) : await campaignsApi.create({ unitCode: unit!, ...body }));
    });
  }

  const f = errors.fields;
  return (
    <form className="card-inset" onSubmit={submit} noValidate data-testid="campaign-form">
      <ErrorBanner message={errors.banner ?? loadError} />
      <div className="form-grid form-grid-2">
        <TextField id="campaign-name" label={t('web.name')} error={f.name} value={name} onChange={setName} maxLength={160} />
        <TextField id="campaign-theme" label={t('web.theme')} error={f.theme} value={theme} onChange={setTheme} maxLength={300} />
        {!initial && (
          <Field id="campaign-unit" label={t('web.unit')} error={f.unitCode}>
            <UnitPicker id="campaign-unit" codes={unit ? [unit] : []} levels={AREA} error={f.unitCode} onChange={(codes) => setUnit(codes[0] ?? null)} />
          </Field>
        )}
        <Field id="campaign-from" label={t('web.starts_on')} error={f.startsOn}>
          <DayInput id="campaign-from" testId="campaign-from" value={from} error={f.startsOn} onChange={setFrom} />
        </Field>
        <Field id="campaign-to" label={t('web.ends_on')} error={f.endsOn}>
          <DayInput id="campaign-to" testId="campaign-to" value={to} error={f.endsOn} onChange={setTo} />
        </Field>
      </div>
      <fieldset className="checkbox-fieldset" data-testid="campaign-targets">
        <legend>{t('web.targets')}</legend>
        {f.targets && <p className="field-error">{f.targets}</p>}
        <div className="form-grid form-grid-3">
          {KINDS.map((k) => (
            <TextField key={k} id={`campaign-target-${k}`} label={t(`kinds.${k}`)} value={targets[k]} inputMode="numeric" onChange={(v) => setTargets({ ...targets, [k]: v })} maxLength={9} />
          ))}
        </div>
      </fieldset>
      <fieldset className="checkbox-fieldset" data-testid="campaign-split">
        <legend>{t('web.split')}</legend>
        <p className="muted small">{t('web.split_hint')}</p>
        {f.split && <p className="field-error">{f.split}</p>}
        {lines.map((l, i) => (
          <div className="split-line" key={i} data-testid="split-line">
            <select aria-label={t('web.targets')} value={l.kind} onChange={(e) => setLine(i, { kind: e.target.value as TargetKind })}>
              {KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`kinds_short.${k}`)}
                </option>
              ))}
            </select>
            <select aria-label={t('web.level')} value={l.level} onChange={(e) => setLine(i, { level: e.target.value as SplitLevel })}>
              {LEVELS.map((v) => (
                <option key={v} value={v}>
                  {t(`levels.${v}`)}
                </option>
              ))}
            </select>
            {l.level === 'staff' ? (
              <input aria-label={t('web.ref')} value={l.ref} maxLength={100} onChange={(e) => setLine(i, { ref: e.target.value })} />
            ) : (
              <select aria-label={t('web.ref')} value={l.ref} onChange={(e) => setLine(i, { ref: e.target.value })}>
                <option value="">—</option>
                {(l.level === 'commune' ? communes.map((c) => ({ id: c.code, name: c.name })) : groups.map((g) => ({ id: g.id, name: `${g.name} (${g.communeName})` }))).map((o) => (
                  <option key={o.id} value={o.id}>
                    {o.name}
                  </option>
                ))}
              </select>
            )}
            <input aria-label={t('web.value')} inputMode="numeric" className="input-narrow" value={l.value} maxLength={9} onChange={(e) => setLine(i, { value: e.target.value })} />
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setLines(lines.filter((_, j) => j !== i))}>
              {t('web.remove')}
            </button>
          </div>
        ))}
        <button type="button" className="btn btn-secondary btn-small" onClick={() => setLines([...lines, { kind: 'bhyt_household', level: 'commune', ref: '', value: '' }])} data-testid="split-add">
          {t('web.add_split')}
        </button>
      </fieldset>
      <div className="btn-group">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="campaign-save">
          {t('web.save')}
        </button>
        <button type="button" className="btn btn-ghost" onClick={onCancel}>
          {t('web.cancel')}
        </button>
      </div>
    </form>
  );
}
