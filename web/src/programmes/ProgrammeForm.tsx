/**
 * The programme form: creates a programme (#/programmes) or changes one (its overview). Dates are typed
 * dd/MM/yyyy; priorities chosen per group by name, as points or as a rank (PriorityPicker).
 */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../access/accessApi';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, TextField } from '../ui/Field';
import { DayInput, parseDayMonthYear } from '../register/HouseholdBits';
import { OptionSelect } from '../ui/OptionSelect';
import { splitErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { formatDate, formatVnd, parseVnd } from '../format';
import { UnitPicker } from '../units/UnitPicker';
import type { UnitLevel } from '../units/unitsApi';
import { PriorityPicker, prioritiesOf, priorityValues, type PriorityMode, type PriorityValues } from './PriorityPicker';
import { programmesApi, type AreaKind, type ProgrammeDetail, type ProgrammeInput, type SelectionMode } from './programmesApi';

/** Weights or tiers as the form shows them. */
/** Quotas as the form shows them: '02905=50.000.000, 02908=20.000.000'. */
export function quotasText(q: Record<string, number> | null): string {
  return q
    ? Object.entries(q)
        .map(([code, amount]) => `${code}=${formatVnd(amount).replace(' ₫', '')}`)
        .join(', ')
    : '';
}

/** '02905=50.000.000, 02908=20.000.000' -> {"02905": 50000000, ...}; '' -> null (proportional). */
export function parseQuotas(text: string): Record<string, number> | null {
  const parts = text
    .split(/\s*[;\n]\s*|,\s*(?=[^,=]+=)/)
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) return null;
  return Object.fromEntries(
    parts.map((p) => {
      const [code, amount] = p.split('=').map((x) => x.trim());
      return [code, parseVnd(amount ?? '') ?? Number.NaN];
    }),
  );
}

/** The fields of `input` that differ from the programme (so frozen fields left alone are not sent). */
function changedFields(p: ProgrammeDetail, input: ProgrammeInput): Partial<ProgrammeInput> {
  const out: Partial<ProgrammeInput> = {};
  for (const [k, v] of Object.entries(input) as [keyof ProgrammeInput, unknown][]) {
    const before = (p as unknown as Record<string, unknown>)[k];
    if (v === undefined) continue;
    if (JSON.stringify(v) !== JSON.stringify(before ?? null)) (out as Record<string, unknown>)[k] = v;
  }
  return out;
}

const FORM_FIELDS = ['name', 'ownerUnitCode', 'areaKind', 'areaCodes', 'areaNote', 'cardMonths', 'purchaseDate', 'deadline', 'handoverSeason', 'priorities', 'communeQuotas'] as const;
const AREA_KINDS: readonly AreaKind[] = ['province', 'communes', 'area'];
const SELECTION_MODES: readonly SelectionMode[] = ['concentrate', 'spread'];
const OWNER_LEVELS: readonly UnitLevel[] = ['province', 'commune', 'office'];
const AREA_LEVELS: Record<AreaKind, readonly UnitLevel[]> = { province: ['province'], communes: ['commune'], area: ['commune', 'village', 'office'] };

/** Creates a programme, or (with `initial`) changes one: only the fields changed are sent. */
export function ProgrammeForm({
  user,
  initial,
  onCancel,
  onSaved,
}: {
  user?: User;
  initial?: ProgrammeDetail;
  onCancel: () => void;
  onSaved: (p: ProgrammeDetail) => void;
}) {
  const { t } = useTranslation('programmes');
  const [name, setName] = useState(initial?.name ?? '');
  const [owner, setOwner] = useState<string[]>(initial ? [initial.ownerUnitCode] : user?.scopeCode ? [user.scopeCode] : []);
  const [areaKind, setAreaKind] = useState<AreaKind>(initial?.areaKind ?? ((user?.scopeCode?.length ?? 0) > 2 ? 'communes' : 'province'));
  const [areaCodes, setAreaCodes] = useState<string[]>(initial ? initial.areaCodes : user?.scopeCode ? [user.scopeCode] : []);
  const [areaNote, setAreaNote] = useState(initial?.areaNote ?? '');
  const [months, setMonths] = useState(String(initial?.cardMonths ?? 12));
  const [purchaseDate, setPurchaseDate] = useState(initial ? formatDate(initial.purchaseDate) : '');
  const [deadline, setDeadline] = useState(initial ? formatDate(initial.deadline) : '');
  const [season, setSeason] = useState(initial?.handoverSeason ?? '');
  const [selectionMode, setSelectionMode] = useState<SelectionMode>(initial?.selectionMode ?? 'concentrate');
  const initialPriorities = priorityValues(initial?.priorities);
  const [priorityMode, setPriorityMode] = useState<PriorityMode>(initial?.priorityMode === 'tiers' ? 'tiers' : initialPriorities.mode);
  const [priorities, setPriorities] = useState<PriorityValues>(initialPriorities.values);
  const [quotas, setQuotas] = useState(initial ? quotasText(initial.communeQuotas) : '');
  const { errors, busy, send } = useFormSubmit({
    errorsOf: (err) => {
      // the server names every bad field; a date not typed as dd/MM/yyyy gets that hint instead of its ISO message
      const found = splitErrors(err, FORM_FIELDS);
      for (const [field, text] of [['purchaseDate', purchaseDate], ['deadline', deadline]] as const)
        if (found.fields[field] && !parseDayMonthYear(text)) found.fields[field] = t('fields.day_format');
      return found;
    },
  });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    await send(async () => {
      const parsed = prioritiesOf(priorityMode, priorities);
      const input: ProgrammeInput = {
        name,
        ownerUnitCode: owner[0] ?? '',
        areaKind,
        areaCodes,
        areaNote: areaNote.trim() || null,
        cardMonths: Number(months),
        purchaseDate: parseDayMonthYear(purchaseDate) ?? purchaseDate,
        deadline: parseDayMonthYear(deadline) ?? deadline,
        handoverSeason: season.trim() || null,
        selectionMode,
        priorities: parsed,
        communeQuotas: selectionMode === 'spread' ? parseQuotas(quotas) : null,
        priorityMode: parsed === undefined ? undefined : Array.isArray(parsed) ? 'tiers' : 'weights',
      };
      onSaved(initial ? await programmesApi.update(initial.id, changedFields(initial, input)) : await programmesApi.create(input));
    });
  };

  const f = errors.fields;
  return (
    <section className="card" aria-labelledby="programme-create-title" data-testid="programme-create">
      <h2 id="programme-create-title">{initial ? t('form.edit_title') : t('form.title')}</h2>
      <ErrorBanner message={errors.banner} />
      <form onSubmit={submit} noValidate>
        <div className="form-grid form-grid-2">
          <TextField id="programme-name" label={t('form.name')} error={f.name} type="text" value={name} onChange={setName} />
          <Field id="programme-owner" label={t('form.owner')} error={f.ownerUnitCode}>
            <UnitPicker id="programme-owner" codes={owner} levels={OWNER_LEVELS} error={f.ownerUnitCode} onChange={setOwner} />
          </Field>
          <Field id="programme-area-kind" label={t('form.area_kind')} error={f.areaKind}>
            <OptionSelect
              id="programme-area-kind"
              testId="programme-area-kind"
              value={areaKind}
              options={AREA_KINDS}
              label={(k) => t(`area_kind.${k}`)}
              onChange={(k) => {
                setAreaKind(k);
                setAreaCodes([]);
              }}
            />
          </Field>
          <Field id="programme-area-codes" label={t('form.area_codes')} error={f.areaCodes} hint={t(`form.area_codes_hint_${areaKind}`)}>
            <UnitPicker id="programme-area-codes" codes={areaCodes} levels={AREA_LEVELS[areaKind]} multiple={areaKind !== 'province'} error={f.areaCodes} onChange={setAreaCodes} />
          </Field>
          <TextField
            id="programme-card-months"
            label={t('form.card_months')}
            error={f.cardMonths}
            type="number"
            min={1}
            max={12}
            value={months}
            onChange={setMonths}
          />
          <TextField
            id="programme-season"
            label={t('form.handover_season')}
            error={f.handoverSeason}
            type="text"
            value={season}
            onChange={setSeason}
          />
          <Field id="programme-purchase-date" label={t('form.purchase_date')} error={f.purchaseDate}>
            <DayInput id="programme-purchase-date" testId="programme-purchase-date" value={purchaseDate} error={f.purchaseDate} onChange={setPurchaseDate} />
          </Field>
          <Field id="programme-deadline" label={t('form.deadline')} error={f.deadline}>
            <DayInput id="programme-deadline" testId="programme-deadline" value={deadline} error={f.deadline} onChange={setDeadline} />
          </Field>
          <Field id="programme-selection-mode" label={t('form.selection_mode')}>
            <OptionSelect
              id="programme-selection-mode"
              testId="programme-selection-mode"
              value={selectionMode}
              options={SELECTION_MODES}
              label={(m) => t(`selection_mode.${m}`)}
              onChange={setSelectionMode}
            />
          </Field>
          <div className="form-span">
            <PriorityPicker mode={priorityMode} values={priorities} error={f.priorities ?? f.priorityMode} onMode={setPriorityMode} onChange={setPriorities} />
          </div>
          {selectionMode === 'spread' && (
            <TextField
              id="programme-quotas"
              label={t('form.quotas')}
              error={f.communeQuotas}
              hint={t('form.quotas_hint')}
              type="text"
              value={quotas}
              onChange={setQuotas}
            />
          )}
          <TextField id="programme-area-note" label={t('form.area_note')} error={f.areaNote} type="text" value={areaNote} onChange={setAreaNote} />
        </div>
        <div className="btn-group">
          <button type="submit" className="btn btn-primary" data-testid="programme-submit" disabled={busy}>
            {initial ? t('form.save') : t('form.create')}
          </button>
          <button type="button" className="btn btn-ghost" onClick={onCancel}>
            {t('form.cancel')}
          </button>
        </div>
      </form>
    </section>
  );
}
