/**
 * The premium and subsidy rules for staff (#/rules, signed in): the rules in force on a date, grouped by
 * kind, with readable values, effective dates, legal source and the "uncertain" flag; a "Lịch sử" toggle
 * shows every entry over time. Administrators add a base salary or a local support policy here.
 */
import { useCallback, useEffect, useMemo, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { type User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { premiumApi, RULE_KINDS, type RuleItem, type RuleKind } from './premiumApi';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field, inputProps, TextField } from '../ui/Field';
import { RulePeriod, RuleSourceCell, UncertainBadge } from './RuleBits';
import { groupLabel, groupLabels, ruleDetails, ruleValue } from './ruleText';
import { errorMessage, mapErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { formatDate, formatVnd, isoDateOf, parseDayMonthYear, parseDecimal, parseVnd, parseWhole } from '../format';
import { DayInput } from '../register/HouseholdBits';
import { usePremiumGroups } from '../register/RegisterBits';
import { currentLanguage } from '../i18n';
import { DataTable } from '../ui/DataTable';
import { VsiRulesSection } from './VsiRulesSection';

type Status = 'inForce' | 'past' | 'future' | 'superseded';

function statusOf(item: RuleItem, date: string, inForce: Set<string>): Status {
  if (inForce.has(item.id)) return 'inForce';
  if (item.from > date) return 'future';
  if (item.to && item.to <= date) return 'past';
  return 'superseded';
}

function RuleTable({
  kind,
  items,
  groupNames,
  status,
}: {
  kind: RuleKind;
  items: RuleItem[];
  groupNames: Map<string, string>;
  status: ((item: RuleItem) => Status) | null;
}) {
  const { t } = useTranslation('web');
  const lang = currentLanguage();
  return (
    <section className="card rule-section" aria-labelledby={`rules-kind-${kind}`} data-testid={`rules-kind-${kind}`}>
      <div className="card-head">
        <h2 id={`rules-kind-${kind}`}>{t(`rules.kinds.${kind}`)}</h2>
        <span className="muted small">{t('rules.count', { count: items.length })}</span>
      </div>
      {items.length === 0 ? (
        <p className="empty">{t('rules.empty')}</p>
      ) : (
        <DataTable className="rules-table" columns={[t('rules.colValue'), t('rules.colPeriod'), t('rules.colSource')]}>
          {items.map((item) => {
            const st = status?.(item);
            return (
              <tr key={item.id} data-testid={`rule-${item.id}`} className={st && st !== 'inForce' ? 'inactive' : undefined}>
                <td className="rule-value-cell">
                  <span className="rule-value">{ruleValue(t, item, groupNames, lang)}</span>{' '}
                  {item.uncertain && <UncertainBadge testId={`rule-${item.id}-uncertain`} />}
                  {ruleDetails(t, item, groupNames, lang).map((line, i) => (
                    <span key={i} className="muted small block">
                      {line}
                    </span>
                  ))}
                  <span className="code small muted block rule-id">{item.id}</span>
                </td>
                <td data-label={t('rules.colPeriod')}>
                  <RulePeriod from={item.from} to={item.to} />
                  {st && (
                    <span className={`pill block-pill ${st === 'inForce' ? 'pill-ok' : 'pill-off'}`}>{t(`rules.${st}`)}</span>
                  )}
                </td>
                <RuleSourceCell rule={item} lang={lang} />
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}

const SALARY_FIELDS = ['from', 'amount', 'source', 'note'] as const;
/** The form field an API error path names, when it is one of `fields`. */
const fieldOf = (fields: readonly string[]) => (parts: string[]) => (fields.includes(parts[0]) ? parts[0] : null);

function SalaryForm({ onAdded }: { onAdded: (message: string) => void }) {
  const { t } = useTranslation('web');
  const [from, setFrom] = useState('');
  const [amount, setAmount] = useState('');
  const [source, setSource] = useState('');
  const [note, setNote] = useState('');
  const [uncertain, setUncertain] = useState(false);
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => mapErrors(err, fieldOf(SALARY_FIELDS)) });
  const parsed = parseVnd(amount);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields: Record<string, string> = {};
    const fromDay = parseDayMonthYear(from);
    if (!fromDay) fields.from = t('rules.admin.dateInvalid');
    if (parsed === null || parsed <= 0) fields.amount = t('rules.admin.amountInvalid');
    if (!source.trim()) fields.source = t('rules.admin.required');
    if (invalid(fields)) return;
    await send(async () => {
      const added = await premiumApi.addBaseSalary({
        from: fromDay!,
        amount: parsed!,
        source: source.trim(),
        ...(note.trim() ? { note: note.trim() } : {}),
        ...(uncertain ? { uncertain: true } : {}),
      });
      onAdded(t('rules.admin.salaryAdded', { amount: formatVnd(added.amount ?? parsed), from: formatDate(added.from ?? fromDay) }));
      setFrom('');
      setAmount('');
      setSource('');
      setNote('');
      setUncertain(false);
    });
  }

  const f = errors.fields;
  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-labelledby="salary-title">
      <h3 id="salary-title">{t('rules.admin.salaryTitle')}</h3>
      <ErrorBanner message={errors.banner} />
      <div className="form-grid form-grid-2">
        <Field id="salary-from" label={t('rules.admin.salaryFrom')} error={f.from}>
          <DayInput id="salary-from" testId="salary-from" value={from} error={f.from} onChange={setFrom} />
        </Field>
        <Field
          id="salary-amount"
          label={t('rules.admin.salaryAmount')}
          error={f.amount}
          hint={parsed ? formatVnd(parsed) : undefined}
        >
          <input
            {...inputProps('salary-amount', f.amount, !!parsed)}
            data-testid="salary-amount"
            type="text"
            inputMode="numeric"
            autoComplete="off"
            placeholder={t('rules.admin.salaryAmountPlaceholder')}
            value={amount}
            onChange={(e) => setAmount(e.target.value)}
          />
        </Field>
      </div>
      <TextField
        id="salary-source"
        label={t('rules.admin.source')}
        error={f.source}
        type="text"
        placeholder={t('rules.admin.sourcePlaceholder')}
        value={source}
        onChange={setSource}
      />
      <TextField
        id="salary-note"
        label={t('rules.admin.note')}
        error={f.note}
        hint={t('rules.admin.optional')}
        type="text"
        value={note}
        onChange={setNote}
      />
      <label className="checkbox">
        <input type="checkbox" data-testid="salary-uncertain" checked={uncertain} onChange={(e) => setUncertain(e.target.checked)} />
        {t('rules.admin.uncertainLabel')}
      </label>
      <button type="submit" className="btn btn-primary" data-testid="salary-submit" disabled={busy}>
        {busy ? t('common.saving') : t('rules.admin.salarySubmit')}
      </button>
    </form>
  );
}

const POLICY_FIELDS = ['province', 'nameVi', 'nameEn', 'groups', 'percent', 'ageFrom', 'ageBelow', 'from', 'to', 'source', 'note'] as const;

function PolicyForm({ onAdded }: { onAdded: (message: string) => void }) {
  const { t } = useTranslation('web');
  const [v, setV] = useState({
    province: '',
    nameVi: '',
    nameEn: '',
    percent: '',
    ageFrom: '',
    ageBelow: '',
    from: '',
    to: '',
    source: '',
    note: '',
  });
  /** the groups the policy is for (none: every group) */
  const [groups, setGroups] = useState<string[]>([]);
  const allGroups = usePremiumGroups();
  const lang = currentLanguage();
  const [uncertain, setUncertain] = useState(false);
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => mapErrors(err, fieldOf(POLICY_FIELDS)) });
  const set = (key: keyof typeof v) => (e: { target: { value: string } }) => setV((x) => ({ ...x, [key]: e.target.value }));
  const optional = t('rules.admin.optional');

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields: Record<string, string> = {};
    const province = v.province.trim();
    if (!/^\d{2}$/.test(province)) fields.province = t('calculator.provinceInvalid');
    if (!v.nameVi.trim()) fields.nameVi = t('rules.admin.required');
    const percent = parseDecimal(v.percent);
    if (percent === null || percent > 100) fields.percent = t('rules.admin.percentInvalid');
    const ageFrom = v.ageFrom.trim() ? parseWhole(v.ageFrom) : undefined;
    if (ageFrom === null) fields.ageFrom = t('rules.admin.ageInvalid');
    const ageBelow = v.ageBelow.trim() ? parseWhole(v.ageBelow) : undefined;
    if (ageBelow === null) fields.ageBelow = t('rules.admin.ageInvalid');
    const from = parseDayMonthYear(v.from);
    if (!from) fields.from = t('rules.admin.dateInvalid');
    const to = v.to.trim() ? parseDayMonthYear(v.to) : '';
    if (to === null) fields.to = t('rules.admin.dateInvalid');
    if (!v.source.trim()) fields.source = t('rules.admin.required');
    if (invalid(fields)) return;
    await send(async () => {
      await premiumApi.addLocalPolicy({
        province,
        nameVi: v.nameVi.trim(),
        ...(v.nameEn.trim() ? { nameEn: v.nameEn.trim() } : {}),
        ...(groups.length ? { groups } : {}),
        ...(ageFrom != null ? { ageFrom } : {}),
        ...(ageBelow != null ? { ageBelow } : {}),
        percent: percent!,
        from: from!,
        ...(to ? { to } : {}),
        source: v.source.trim(),
        ...(v.note.trim() ? { note: v.note.trim() } : {}),
        ...(uncertain ? { uncertain: true } : {}),
      });
      onAdded(t('rules.admin.policyAdded', { name: v.nameVi.trim(), province }));
      setV({ province: '', nameVi: '', nameEn: '', percent: '', ageFrom: '', ageBelow: '', from: '', to: '', source: '', note: '' });
      setGroups([]);
      setUncertain(false);
    });
  }

  const f = errors.fields;
  return (
    <form className="admin-form" onSubmit={submit} noValidate aria-labelledby="policy-title">
      <h3 id="policy-title">{t('rules.admin.policyTitle')}</h3>
      <ErrorBanner message={errors.banner} />
      <div className="policy-grid">
        <Field id="policy-province" label={t('rules.admin.province')} error={f.province}>
          <input
            {...inputProps('policy-province', f.province)}
            data-testid="policy-province"
            type="text"
            inputMode="numeric"
            maxLength={2}
            autoComplete="off"
            placeholder={t('rules.admin.provincePlaceholder')}
            value={v.province}
            onChange={set('province')}
          />
        </Field>
        <Field id="policy-name" label={t('rules.admin.nameVi')} error={f.nameVi} className="span-3">
          <input {...inputProps('policy-name', f.nameVi)} data-testid="policy-name" type="text" value={v.nameVi} onChange={set('nameVi')} />
        </Field>
        <Field id="policy-name-en" label={t('rules.admin.nameEn')} error={f.nameEn} hint={optional} className="span-2">
          <input
            {...inputProps('policy-name-en', f.nameEn, true)}
            data-testid="policy-name-en"
            type="text"
            value={v.nameEn}
            onChange={set('nameEn')}
          />
        </Field>
        <Field id="policy-percent" label={t('rules.admin.percent')} error={f.percent} hint={t('rules.admin.percentHint')}>
          <input
            {...inputProps('policy-percent', f.percent, true)}
            data-testid="policy-percent"
            type="text"
            inputMode="decimal"
            autoComplete="off"
            value={v.percent}
            onChange={set('percent')}
          />
        </Field>
        <Field id="policy-age-from" label={t('rules.admin.ageFrom')} error={f.ageFrom} hint={optional}>
          <input
            {...inputProps('policy-age-from', f.ageFrom, true)}
            data-testid="policy-age-from"
            type="number"
            inputMode="numeric"
            min={0}
            value={v.ageFrom}
            onChange={set('ageFrom')}
          />
        </Field>
        <Field id="policy-age-below" label={t('rules.admin.ageBelow')} error={f.ageBelow} hint={optional}>
          <input
            {...inputProps('policy-age-below', f.ageBelow, true)}
            data-testid="policy-age-below"
            type="number"
            inputMode="numeric"
            min={1}
            value={v.ageBelow}
            onChange={set('ageBelow')}
          />
        </Field>
        <Field id="policy-from" label={t('rules.admin.from')} error={f.from}>
          <DayInput id="policy-from" testId="policy-from" value={v.from} error={f.from} onChange={(from) => setV((x) => ({ ...x, from }))} />
        </Field>
        <Field id="policy-to" label={t('rules.admin.to')} error={f.to} hint={optional}>
          <DayInput id="policy-to" testId="policy-to" value={v.to} error={f.to} hint onChange={(to) => setV((x) => ({ ...x, to }))} />
        </Field>
        <Field id="policy-source" label={t('rules.admin.source')} error={f.source} className="span-2">
          <input
            {...inputProps('policy-source', f.source)}
            data-testid="policy-source"
            type="text"
            placeholder={t('rules.admin.sourcePlaceholder')}
            value={v.source}
            onChange={set('source')}
          />
        </Field>
        <Field id="policy-note" label={t('rules.admin.note')} error={f.note} hint={optional} className="span-2">
          <input {...inputProps('policy-note', f.note, true)} data-testid="policy-note" type="text" value={v.note} onChange={set('note')} />
        </Field>
      </div>
      <fieldset className="checkbox-fieldset" data-testid="policy-groups" aria-describedby="policy-groups-hint">
        <legend>{t('rules.admin.groups')}</legend>
        <p className="field-hint" id="policy-groups-hint">
          {t('rules.admin.groupsHint')}
        </p>
        {f.groups && <p className="field-error">{f.groups}</p>}
        <div className="checkbox-list">
          {allGroups.map((g) => (
            <label key={g.code} htmlFor={`policy-group-${g.code}`}>
              <input
                id={`policy-group-${g.code}`}
                data-testid={`policy-group-${g.code}`}
                type="checkbox"
                checked={groups.includes(g.code)}
                onChange={(e) => setGroups((list) => (e.target.checked ? [...list, g.code] : list.filter((c) => c !== g.code)))}
              />
              {groupLabel(g, lang)}
            </label>
          ))}
        </div>
      </fieldset>
      <label className="checkbox">
        <input type="checkbox" data-testid="policy-uncertain" checked={uncertain} onChange={(e) => setUncertain(e.target.checked)} />
        {t('rules.admin.uncertainLabel')}
      </label>
      <button type="submit" className="btn btn-primary" data-testid="policy-submit" disabled={busy}>
        {busy ? t('common.saving') : t('rules.admin.policySubmit')}
      </button>
    </form>
  );
}

export function RulesPage({ user }: { user: User }) {
  const { t } = useTranslation('web');
  const lang = currentLanguage();
  /** as typed, dd/MM/yyyy: the page reads the rules again once it is a whole, real date */
  const [date, setDate] = useState(() => formatDate(isoDateOf(new Date())));
  const [history, setHistory] = useState(false);
  const [data, setData] = useState<{ items: RuleItem[]; inForce: Set<string>; date: string } | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [reloadKey, setReloadKey] = useState(0);
  const validDate = parseDayMonthYear(date);

  useEffect(() => {
    if (!validDate) return;
    const c = new AbortController();
    setLoading(true);
    const timer = window.setTimeout(() => {
      const inForce = premiumApi.premiumRules(validDate, c.signal);
      const all = history ? premiumApi.premiumRulesHistory(c.signal).then((h) => h.history) : inForce.then((r) => r.rules);
      Promise.all([inForce, all])
        .then(([now, items]) => {
          setData({ items, inForce: new Set(now.rules.map((r) => r.id)), date: validDate });
          setError(null);
          setLoading(false);
        })
        .catch((err: unknown) => {
          if (isAbort(err)) return;
          setError(errorMessage(err));
          setLoading(false);
        });
    }, 200);
    return () => {
      window.clearTimeout(timer);
      c.abort();
    };
  }, [validDate, history, reloadKey]);

  const added = useCallback((message: string) => {
    setNotice(message);
    setError(null);
    setReloadKey((k) => k + 1);
  }, []);

  /** Group labels for state shares and local policies: the latest entry of each code. */
  const groupNames = useMemo(
    () =>
      groupLabels(
        (data?.items ?? []).flatMap((item) =>
          item.kind === 'group' && item.rule.code ? [{ code: item.rule.code, nameVi: item.rule.nameVi ?? '', nameEn: item.rule.nameEn ?? '' }] : [],
        ),
        lang,
      ),
    [data, lang],
  );

  const status = useMemo(
    () => (history && data ? (item: RuleItem) => statusOf(item, data.date, data.inForce) : null),
    [history, data],
  );

  return (
    <div className="page rules-page">
      <div className="page-head">
        <div>
          <h1>{t('rules.title')}</h1>
          <p className="muted lead">{t('rules.intro')}</p>
        </div>
        <div className="rules-controls">
          <div className="filter">
            <label htmlFor="rules-date">{t('rules.date')}</label>
            <DayInput id="rules-date" testId="rules-date" value={date} onChange={setDate} />
          </div>
          <button
            type="button"
            className={`btn btn-secondary${history ? ' is-active' : ''}`}
            aria-pressed={history}
            data-testid="rules-history-toggle"
            onClick={() => setHistory((h) => !h)}
          >
            {t('rules.history')}
          </button>
        </div>
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />

      {user.role === 'admin' && (
        <section className="card admin-rules" aria-labelledby="rules-admin-title">
          <h2 id="rules-admin-title">{t('rules.admin.title')}</h2>
          <div className="admin-forms">
            <SalaryForm onAdded={added} />
            <PolicyForm onAdded={added} />
          </div>
        </section>
      )}

      {data && (
        <p className="muted small rules-summary" role="status">
          {history
            ? t('rules.historyHint', { date: formatDate(data.date) })
            : t('rules.inForceHint', { count: data.items.length, date: formatDate(data.date) })}
        </p>
      )}
      {!data && loading && <p className="muted">{t('common.loading')}</p>}
      {data && (
        <div className="rules-list" data-testid="rules-list" aria-busy={loading}>
          {RULE_KINDS.map((kind) => (
            <RuleTable
              key={kind}
              kind={kind}
              items={data.items.filter((i) => i.kind === kind)}
              groupNames={groupNames}
              status={status}
            />
          ))}
        </div>
      )}
      <VsiRulesSection date={validDate} />
    </div>
  );
}
