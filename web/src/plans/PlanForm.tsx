/** A new plan: unit, number, issuer, date, title, the document it implements, and its goals (chỉ tiêu). */
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { mapErrors } from '../errors';
import { parseDecimal } from '../format';
import { TextField, Field } from '../ui/Field';
import { ErrorBanner } from '../ui/ErrorBanner';
import { IsoDayInput } from '../ui/IsoDayInput';
import { useFormSubmit } from '../ui/useFormSubmit';
import { METRICS, plansApi, type Plan } from './plansApi';

interface GoalRow {
  metric: (typeof METRICS)[number];
  value: string;
  byDate: string;
}

export function PlanForm({ defaultUnit, onCancel, onSaved }: { defaultUnit: string | null; onCancel: () => void; onSaved: (p: Plan) => void }) {
  const { t } = useTranslation('plans');
  const [unitCode, setUnit] = useState(defaultUnit ?? '');
  const [number, setNumber] = useState('');
  const [issuer, setIssuer] = useState('');
  const [issuedOn, setIssuedOn] = useState('');
  const [title, setTitle] = useState('');
  const [implementsDoc, setImplements] = useState('');
  const [goals, setGoals] = useState<GoalRow[]>([{ metric: 'coverage_pct', value: '', byDate: '' }]);
  const { errors, busy, send } = useFormSubmit({
    errorsOf: (err) =>
      mapErrors(err, (parts) => {
        if (parts[0] === 'goals') return `goals.${parts[1]}`;
        return ['unitCode', 'number', 'issuer', 'issuedOn', 'title', 'implements'].includes(parts[0]) ? parts[0] : null;
      }),
  });
  const setGoal = (i: number, patch: Partial<GoalRow>) => setGoals(goals.map((g, j) => (j === i ? { ...g, ...patch } : g)));

  return (
    <form
      className="form-grid form-grid-2"
      data-testid="plan-form"
      onSubmit={(e) => {
        e.preventDefault();
        void send(async () => {
          const saved = await plansApi.create({
            unitCode,
            number,
            issuer: issuer || undefined,
            issuedOn,
            title,
            implements: implementsDoc || undefined,
            goals: goals.filter((g) => g.value !== '').map((g) => ({ metric: g.metric, value: parseDecimal(g.value) ?? Number.NaN, byDate: g.byDate })),
          });
          onSaved(saved);
        });
      }}
    >
      <ErrorBanner message={errors.banner} />
      <TextField id="plan-unit" label={t('web.unit')} value={unitCode} onChange={setUnit} error={errors.fields.unitCode} required />
      <TextField id="plan-number" label={t('web.number')} value={number} onChange={setNumber} error={errors.fields.number} placeholder="15-KH/TU" required />
      <TextField id="plan-issuer" label={t('web.issuer')} value={issuer} onChange={setIssuer} error={errors.fields.issuer} />
      <Field id="plan-issued-on" label={t('web.issued_on')} error={errors.fields.issuedOn}>
        <IsoDayInput id="plan-issued-on" value={issuedOn} onChange={setIssuedOn} />
      </Field>
      <TextField id="plan-title" label={t('web.title_field')} value={title} onChange={setTitle} error={errors.fields.title} className="form-span" required />
      <TextField id="plan-implements" label={t('web.implements')} value={implementsDoc} onChange={setImplements} error={errors.fields.implements} placeholder="52-CT/TW" />
      <fieldset className="form-span">
        <legend>{t('web.goals')}</legend>
        {goals.map((g, i) => (
          <div className="form-grid form-grid-3" key={i} data-testid="goal-row">
            <Field id={`goal-${i}-metric`} label={t('report.metric')} error={errors.fields[`goals.${i}`]}>
              <select id={`goal-${i}-metric`} data-testid={`goal-${i}-metric`} value={g.metric} onChange={(e) => setGoal(i, { metric: e.target.value as GoalRow['metric'] })}>
                {METRICS.map((m) => (
                  <option key={m} value={m}>
                    {t(`metrics.${m}`)}
                  </option>
                ))}
              </select>
            </Field>
            <TextField id={`goal-${i}-value`} label={`${t('web.value')} (${t(`measures.${g.metric === 'coverage_pct' || g.metric === 'pupils_pct' ? 'percent' : 'persons'}`)})`} value={g.value} onChange={(v) => setGoal(i, { value: v })} inputMode="decimal" />
            <Field id={`goal-${i}-date`} label={t('report.by_date')}>
              <IsoDayInput id={`goal-${i}-date`} value={g.byDate} onChange={(v) => setGoal(i, { byDate: v })} />
            </Field>
          </div>
        ))}
        <button type="button" className="btn btn-ghost btn-small" onClick={() => setGoals([...goals, { metric: 'participants', value: '', byDate: goals[0]?.byDate ?? '' }])}>
          {t('web.add_goal')}
        </button>
      </fieldset>
      <div className="btn-group form-span">
        <button type="submit" className="btn btn-primary" disabled={busy} data-testid="plan-save">
          {t('web.save')}
        </button>
        <button type="button" className="btn btn-secondary" onClick={onCancel}>
          {t('web.cancel')}
        </button>
      </div>
    </form>
  );
}
