/**
 * The local support simulator (#/simulator[/UNIT]): the form (unit, group, top-up as % of the premium or
 * an amount, first day, months, take-up), the result, the saved scenarios side by side (up to 3) with the
 * .xlsx and PDF downloads, adopting one (a draft rule) and, for a rules administrator, approving the rule
 * with the decision's number and the day it applies from.
 */
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { addDays } from '../../../src/domain/calendar';
import type { User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { errorMessage, splitErrors } from '../errors';
import { formatDate, formatNumber, formatPct, formatVnd, parseDayMonthYear, parseDecimal, parseWhole } from '../format';
import { navigate } from '../router';
import { DayInput } from '../register/HouseholdBits';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field, TextField } from '../ui/Field';
import { useFormSubmit } from '../ui/useFormSubmit';
import { UnitPicker } from '../units/UnitPicker';
import type { UnitLevel } from '../units/unitsApi';
import { GROUPS, reportUrl, simulatorApi, type EditRuleBody, type Rule, type Scenario, type SimulateBody, type Simulation, type SimulatorGroup } from './simulatorApi';

const AREA: readonly UnitLevel[] = ['province', 'commune'];
const COMMUNE: readonly UnitLevel[] = ['commune'];
const FIELDS = ['unitCode', 'group', 'topUpPct', 'topUpAmount', 'communes', 'from', 'months', 'takeUpPct', 'name'] as const;

type Figure = { key: string; value: (r: Simulation, lang: string) => string };
const FIGURES: Figure[] = [
  { key: 'persons', value: (r, l) => formatNumber(r.persons, l) },
  { key: 'covered', value: (r, l) => formatNumber(r.covered, l) },
  { key: 'uncovered', value: (r, l) => formatNumber(r.uncovered, l) },
  { key: 'statePaid', value: (r, l) => formatNumber(r.statePaid, l) },
  { key: 'budgetCost', value: (r) => formatVnd(r.budgetCost) },
  { key: 'periodCost', value: (r) => formatVnd(r.periodCost) },
  { key: 'takeUpPct', value: (r, l) => formatPct(r.takeUpPct, l) },
  { key: 'expectedNew', value: (r, l) => formatNumber(r.expectedNew, l) },
  { key: 'coveragePctBefore', value: (r, l) => formatPct(r.coveragePctBefore, l) },
  { key: 'coveragePctAfter', value: (r, l) => formatPct(r.coveragePctAfter, l) },
  { key: 'costPerExtraPerson', value: (r) => (r.costPerExtraPerson === null ? '—' : formatVnd(r.costPerExtraPerson)) },
];

const canWrite = (user: User) => user.role === 'admin' || user.role === 'province_staff' || user.role === 'commune_officer';

export function SimulatorPage({ user, unit: routeUnit }: { user: User; unit?: string }) {
  const { t, i18n } = useTranslation('simulator');
  const unit = routeUnit ?? user.scopeCode ?? null;
  const [group, setGroup] = useState<SimulatorGroup>('elderly_60_79');
  const [kind, setKind] = useState<'pct' | 'amount'>('pct');
  const [topUp, setTopUp] = useState('30');
  const [communes, setCommunes] = useState<string[]>([]);
  const [from, setFrom] = useState('01/01/2026');
  const [months, setMonths] = useState('12');
  const [takeUp, setTakeUp] = useState('');
  const [name, setName] = useState('');
  const [result, setResult] = useState<Simulation | null>(null);
  const [scenarios, setScenarios] = useState<Scenario[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, FIELDS) });
  const lang = i18n.language;

  const load = useCallback(
    (signal?: AbortSignal) => {
      if (!unit) return;
      simulatorApi
        .scenarios(unit, signal)
        .then(setScenarios)
        .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    },
    [unit],
  );
  useEffect(() => {
    const controller = new AbortController();
    setScenarios(null);
    load(controller.signal);
    return () => controller.abort();
  }, [load]);

  /** The form as the API's body, or null (with the messages shown) when something is wrong. */
  function body(): SimulateBody | null {
    const found: Record<string, string> = {};
    const day = parseDayMonthYear(from);
    if (!day) found.from = t('web.bad_date');
    if (!unit) found.unitCode = t('web.pick_unit');
    const amount = kind === 'pct' ? parseDecimal(topUp) : parseWhole(topUp);
    if (amount === null || amount <= 0) found[kind === 'pct' ? 'topUpPct' : 'topUpAmount'] = t('web.bad_number');
    const m = parseWhole(months);
    if (m === null) found.months = t('web.bad_number');
    const tu = takeUp.trim() ? parseDecimal(takeUp) : undefined;
    if (tu === null) found.takeUpPct = t('web.bad_number');
    if (invalid(found)) return null;
    return {
      unitCode: unit!,
      group,
      ...(kind === 'pct' ? { topUpPct: amount! } : { topUpAmount: amount! }),
      ...(group === 'communes' ? { communes } : {}),
      from: day!,
      months: m!,
      ...(tu !== undefined && tu !== null ? { takeUpPct: tu } : {}),
    };
  }

  async function simulate(e: FormEvent) {
    e.preventDefault();
    const b = body();
    if (!b) return;
    await send(async () => setResult(await simulatorApi.simulate(b)));
  }

  async function save() {
    const b = body();
    if (!b) return;
    if (!name.trim()) {
      invalid({ name: t('web.name_required') });
      return;
    }
    await send(async () => {
      const s = await simulatorApi.save({ ...b, name: name.trim() });
      setResult(s.result);
      setName('');
      setNotice(t('web.saved', { name: s.name }));
      load();
    });
  }

  const f = errors.fields;
  const tf = (k: string) => t(`figures.${k}`);
  return (
    <div data-testid="simulator-page">
      <div className="card-head">
        <h1>{t('title')}</h1>
      </div>
      <p className="muted">{t('intro')}</p>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      <form className="card-inset" onSubmit={simulate} noValidate data-testid="simulator-form">
        <ErrorBanner message={errors.banner} />
        <div className="form-grid form-grid-2">
          <Field id="sim-unit" label={t('form.unit')} error={f.unitCode}>
            <UnitPicker id="sim-unit" codes={unit ? [unit] : []} levels={AREA} error={f.unitCode} onChange={(codes) => codes[0] && navigate(`simulator/${codes[0]}`)} />
          </Field>
          <Field id="sim-group" label={t('form.group')} error={f.group}>
            <select id="sim-group" data-testid="sim-group" value={group} onChange={(e) => setGroup(e.target.value as SimulatorGroup)}>
              {GROUPS.map((g) => (
                <option key={g} value={g}>
                  {t(`groups.${g}`)}
                </option>
              ))}
            </select>
          </Field>
          {group === 'communes' && (
            <Field id="sim-communes" label={t('form.communes')} error={f.communes}>
              <UnitPicker id="sim-communes" codes={communes} levels={COMMUNE} multiple error={f.communes} onChange={setCommunes} />
            </Field>
          )}
          <Field id="sim-topup" label={t('form.top_up_kind')} error={f.topUpPct ?? f.topUpAmount}>
            <div className="split-line">
              <select aria-label={t('form.top_up_kind')} data-testid="sim-topup-kind" value={kind} onChange={(e) => setKind(e.target.value as 'pct' | 'amount')}>
                <option value="pct">{t('form.pct')}</option>
                <option value="amount">{t('form.amount')}</option>
              </select>
              <input id="sim-topup" data-testid="sim-topup" inputMode="decimal" className="input-narrow" value={topUp} maxLength={12} onChange={(e) => setTopUp(e.target.value)} />
            </div>
          </Field>
          <Field id="sim-from" label={t('form.from')} error={f.from}>
            <DayInput id="sim-from" testId="sim-from" value={from} error={f.from} onChange={setFrom} />
          </Field>
          <TextField id="sim-months" label={t('form.months')} error={f.months} value={months} onChange={setMonths} inputMode="numeric" maxLength={2} />
          <TextField
            id="sim-takeup"
            label={t('form.take_up')}
            error={f.takeUpPct}
            value={takeUp}
            onChange={setTakeUp}
            inputMode="decimal"
            maxLength={6}
            hint={
              result
                ? t('form.take_up_hint', {
                    pct: formatNumber(result.takeUpDefaultPct, lang),
                    enrol: formatNumber(result.enrolmentRatePct ?? 0, lang),
                    renew: formatNumber(result.renewalRatePct ?? 0, lang),
                    share: formatNumber(result.supportSharePct, lang),
                  })
                : undefined
            }
          />
        </div>
        <div className="sim-actions">
          <button type="submit" className="btn btn-primary" disabled={busy} aria-busy={busy} data-testid="sim-run">
            {busy ? t('form.simulating') : t('form.simulate')}
          </button>
          {canWrite(user) && (
            <div className="sim-save" data-testid="sim-save-line">
              <input aria-label={t('form.name')} placeholder={t('form.name')} data-testid="sim-name" value={name} maxLength={160} onChange={(e) => setName(e.target.value)} />
              <button type="button" className="btn btn-secondary" disabled={busy} onClick={save} data-testid="sim-save">
                {t('form.save')}
              </button>
            </div>
          )}
        </div>
        {f.name && <p className="field-error">{f.name}</p>}
      </form>

      {result && (
        <section className="card-inset" data-testid="sim-result">
          <h2>
            {t('result')}: {result.groupName} · {result.unitName}
          </h2>
          <dl className="stat-grid">
            {FIGURES.map((x) => (
              <div key={x.key} className={`stat${x.key === 'budgetCost' || x.key === 'expectedNew' ? ' stat-info' : ''}`} data-testid={`sim-${x.key}`}>
                <dt>{tf(x.key)}</dt>
                <dd>{x.value(result, lang)}</dd>
              </div>
            ))}
          </dl>
        </section>
      )}

      <section className="card-inset" data-testid="sim-scenarios">
        <div className="card-head">
          <h2>{t('compare')}</h2>
          {unit && scenarios && scenarios.length > 0 && (
            <div className="btn-group">
              <a className="btn btn-secondary btn-small" href={reportUrl(unit, 'xlsx')} data-testid="sim-xlsx">
                {t('xlsx')}
              </a>
              <a className="btn btn-secondary btn-small" href={reportUrl(unit, 'pdf')} data-testid="sim-pdf">
                {t('pdf')}
              </a>
            </div>
          )}
        </div>
        {scenarios && scenarios.length === 0 && <p className="muted">{t('none_saved')}</p>}
        {scenarios && scenarios.length > 0 && (
          <div className="table-scroll">
            <table className="table" data-testid="sim-compare">
              <thead>
                <tr>
                  <th>{t('scenario')}</th>
                  {scenarios.map((s) => (
                    <th key={s.id}>{s.name}</th>
                  ))}
                </tr>
              </thead>
              <tbody>
                <tr>
                  <th scope="row">{t('form.group')}</th>
                  {scenarios.map((s) => (
                    <td key={s.id} data-label={s.name}>
                      {s.result.groupName}
                    </td>
                  ))}
                </tr>
                <tr>
                  <th scope="row">{t('form.top_up_kind')}</th>
                  {scenarios.map((s) => (
                    <td key={s.id} data-label={s.name}>{s.result.topUpPct !== null ? t('top_up_pct', { pct: formatNumber(s.result.topUpPct, lang) }) : t('top_up_amount', { amount: formatVnd(s.result.topUpAmount) })}</td>
                  ))}
                </tr>
                <tr>
                  <th scope="row">{t('form.from')}</th>
                  {scenarios.map((s) => (
                    <td key={s.id} data-label={s.name}>{t('period', { from: formatDate(s.result.from), to: formatDate(s.result.to), months: s.result.months })}</td>
                  ))}
                </tr>
                {FIGURES.map((x) => (
                  <tr key={x.key}>
                    <th scope="row">{tf(x.key)}</th>
                    {scenarios.map((s) => (
                      <td key={s.id} className="num" data-label={s.name}>
                        {x.value(s.result, lang)}
                      </td>
                    ))}
                  </tr>
                ))}
                <tr>
                  <th scope="row" />
                  {scenarios.map((s) => (
                    <td key={s.id} data-label={s.name}>
                      <ScenarioActions user={user} scenario={s} onChanged={() => load()} onError={setError} />
                    </td>
                  ))}
                </tr>
              </tbody>
            </table>
          </div>
        )}
      </section>
    </div>
  );
}

/** Adopt, approve (rules administrators), delete; or the adopted rule's state. */
function ScenarioActions({ user, scenario, onChanged, onError }: { user: User; scenario: Scenario; onChanged: () => void; onError: (m: string) => void }) {
  const { t, i18n } = useTranslation('simulator');
  const [decision, setDecision] = useState('');
  const [effective, setEffective] = useState(formatDate(scenario.result.from));
  const [busy, setBusy] = useState(false);
  const [editing, setEditing] = useState(false);
  const lang = i18n.language;
  const act = async (fn: () => Promise<unknown>) => {
    setBusy(true);
    try {
      await fn();
      onChanged();
    } catch (err) {
      onError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  const rule = scenario.rule;
  return (
    <div className="stack-small" data-testid="sim-actions">
      {rule?.status === 'approved' && <p data-testid="sim-rule-approved">{t('adopted_approved', { decision: rule.decision, from: formatDate(rule.from) })}</p>}
      {rule?.status === 'draft' && <p data-testid="sim-rule-draft">{t('adopted_draft', { id: rule.id })}</p>}
      {rule && (
        <p className="muted" data-testid="sim-rule-terms">
          {t('rule_terms', {
            topUp: rule.topUpPct !== null ? t('top_up_pct', { pct: formatNumber(rule.topUpPct, lang) }) : t('top_up_amount', { amount: formatVnd(rule.topUpAmount ?? 0) }),
            from: formatDate(rule.from),
            // the rule's `to` is the first day it no longer applies: people read the last day
            to: rule.to ? formatDate(addDays(rule.to, -1)) : '…',
            source: rule.source,
          })}
        </p>
      )}
      {rule?.status === 'draft' && canWrite(user) && !editing && (
        <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => setEditing(true)} data-testid="sim-edit">
          {t('edit')}
        </button>
      )}
      {rule?.status === 'draft' && editing && <RuleEditForm rule={rule} busy={busy} onCancel={() => setEditing(false)} onSave={(body) => act(() => simulatorApi.editRule(rule.id, body).then(() => setEditing(false)))} onError={onError} />}
      {rule?.status === 'draft' && user.role === 'admin' && (
        <form
          className="stack-small"
          onSubmit={(e) => {
            e.preventDefault();
            const day = parseDayMonthYear(effective);
            if (!day || !decision.trim()) return onError(t('web.approve_missing'));
            void act(() => simulatorApi.approve(rule.id, { decision: decision.trim(), from: day }));
          }}
        >
          <input aria-label={t('decision')} placeholder={t('decision')} data-testid="sim-decision" value={decision} maxLength={200} onChange={(e) => setDecision(e.target.value)} />
          <input aria-label={t('effective')} placeholder="dd/mm/yyyy" data-testid="sim-effective" value={effective} maxLength={10} onChange={(e) => setEffective(e.target.value)} />
          <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="sim-approve">
            {t('approve')}
          </button>
        </form>
      )}
      <div className="btn-group">
        {scenario.canAdopt && (
          <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => act(() => simulatorApi.adopt(scenario.id))} data-testid="sim-adopt">
            {t('adopt')}
          </button>
        )}
        {canWrite(user) && (
          <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={() => act(() => simulatorApi.remove(scenario.id))} data-testid="sim-delete">
            {t('delete')}
          </button>
        )}
      </div>
    </div>
  );
}

/** A draft rule's terms, editable before approval: the top-up, the first day and months, the communes, the source. */
function RuleEditForm({ rule, busy, onSave, onCancel, onError }: { rule: Rule; busy: boolean; onSave: (body: EditRuleBody) => void; onCancel: () => void; onError: (m: string) => void }) {
  const { t, i18n } = useTranslation('simulator');
  const [kind, setKind] = useState<'pct' | 'amount'>(rule.topUpPct !== null ? 'pct' : 'amount');
  const [topUp, setTopUp] = useState(rule.topUpPct !== null ? formatNumber(rule.topUpPct, i18n.language) : String(rule.topUpAmount ?? ''));
  const [from, setFrom] = useState(formatDate(rule.from));
  const [months, setMonths] = useState(rule.months !== null ? String(rule.months) : '12');
  const [communes, setCommunes] = useState<string[]>(rule.communes ?? []);
  const [source, setSource] = useState(rule.source);
  return (
    <form
      className="stack-small"
      data-testid="sim-edit-form"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        const day = parseDayMonthYear(from);
        const amount = kind === 'pct' ? parseDecimal(topUp) : parseWhole(topUp);
        const m = parseWhole(months);
        if (!day) return onError(t('web.bad_date'));
        if (amount === null || amount <= 0 || m === null || !source.trim()) return onError(t('web.bad_number'));
        onSave({ ...(kind === 'pct' ? { topUpPct: amount } : { topUpAmount: amount }), from: day, months: m, communes, source: source.trim() });
      }}
    >
      <div className="split-line">
        <select aria-label={t('form.top_up_kind')} data-testid="sim-edit-kind" value={kind} onChange={(e) => setKind(e.target.value as 'pct' | 'amount')}>
          <option value="pct">{t('form.pct')}</option>
          <option value="amount">{t('form.amount')}</option>
        </select>
        <input aria-label={t('form.top_up_kind')} data-testid="sim-edit-topup" inputMode="decimal" className="input-narrow" value={topUp} maxLength={12} onChange={(e) => setTopUp(e.target.value)} />
      </div>
      <input aria-label={t('form.from')} placeholder="dd/mm/yyyy" data-testid="sim-edit-from" value={from} maxLength={10} onChange={(e) => setFrom(e.target.value)} />
      <input aria-label={t('form.months')} data-testid="sim-edit-months" inputMode="numeric" value={months} maxLength={2} onChange={(e) => setMonths(e.target.value)} />
      <UnitPicker id={`sim-edit-communes-${rule.id}`} codes={communes} levels={COMMUNE} multiple onChange={setCommunes} />
      <p className="muted">{t('rule_communes')}</p>
      <input aria-label={t('source')} placeholder={t('source')} data-testid="sim-edit-source" value={source} maxLength={200} onChange={(e) => setSource(e.target.value)} />
      <div className="btn-group">
        <button type="submit" className="btn btn-primary btn-small" disabled={busy} data-testid="sim-edit-save">
          {t('edit_save')}
        </button>
        <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={onCancel}>
          {t('edit_cancel')}
        </button>
      </div>
    </form>
  );
}
