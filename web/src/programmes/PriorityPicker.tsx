/**
 * The programme's priorities as choices, not codes: every priority group by its name, with points (weights:
 * a candidate's value is the sum of their groups' points) or a rank (tiers: rank 1 before everyone of
 * rank 2, whatever they cost). A group left empty is not a priority.
 */
import { useTranslation } from 'react-i18next';
import { KNOWN_TAGS } from '../../../src/domain/selection-tags';
import { inputProps } from '../ui/Field';
import { OptionSelect } from '../ui/OptionSelect';

export type PriorityMode = 'weights' | 'tiers';
const MODES: readonly PriorityMode[] = ['weights', 'tiers'];

/** Per tag the number typed (points or rank); '' when the tag is not a priority. */
export type PriorityValues = Record<string, string>;

/** The form's values from a programme's priorities. */
export function priorityValues(p: Record<string, number> | string[] | undefined): { mode: PriorityMode; values: PriorityValues } {
  if (!p) return { mode: 'weights', values: {} };
  if (Array.isArray(p)) return { mode: 'tiers', values: Object.fromEntries(p.map((tag, i) => [tag, String(i + 1)])) };
  return { mode: 'weights', values: Object.fromEntries(Object.entries(p).map(([tag, w]) => [tag, String(w)])) };
}

/** What the API takes: weights {tag: points}, tiers [tag, ...] by rank; undefined when none is set. */
export function prioritiesOf(mode: PriorityMode, values: PriorityValues): Record<string, number> | string[] | undefined {
  const set = Object.entries(values)
    .map(([tag, v]) => [tag, Number(v.replace(',', '.'))] as const)
    .filter(([, v]) => Number.isFinite(v) && v > 0);
  if (set.length === 0) return undefined;
  if (mode === 'tiers') return [...set].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([tag]) => tag);
  return Object.fromEntries(set);
}

export function PriorityPicker({
  mode,
  values,
  error,
  onMode,
  onChange,
}: {
  mode: PriorityMode;
  values: PriorityValues;
  error?: string;
  onMode: (mode: PriorityMode) => void;
  onChange: (values: PriorityValues) => void;
}) {
  const { t } = useTranslation('programmes');
  const tags = [...KNOWN_TAGS, ...Object.keys(values).filter((k) => !KNOWN_TAGS.includes(k))];
  return (
    <fieldset className="checkbox-fieldset priority-picker" data-testid="programme-priorities">
      <legend>{t('form.priorities')}</legend>
      <label htmlFor="programme-priority-mode">{t('form.priority_mode')}</label>{' '}
      <OptionSelect id="programme-priority-mode" testId="programme-priority-mode" value={mode} options={MODES} label={(m) => t(`priority_mode.${m}`)} onChange={onMode} />
      <p className="field-hint">{t(`form.priority_hint_${mode}`)}</p>
      {error && <p className="field-error">{error}</p>}
      <div className="checkbox-list">
        {tags.map((tag) => (
          <label key={tag} htmlFor={`priority-${tag}`}>
            <input
              {...inputProps(`priority-${tag}`)}
              className="priority-value"
              data-testid={`priority-${tag}`}
              type="number"
              inputMode="numeric"
              min={0}
              max={mode === 'tiers' ? 20 : 100}
              value={values[tag] ?? ''}
              onChange={(e) => onChange({ ...values, [tag]: e.target.value })}
            />{' '}
            {t(`selection:tags.${tag}`, { defaultValue: tag })}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
