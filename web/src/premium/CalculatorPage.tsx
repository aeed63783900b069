/**
 * The public premium calculator (#/calculator, no login): a household built member by member, the
 * payment date and period, the province and the household members already enrolled this year; the
 * answer per member (premium, state and local support, what the participant pays = what a donor can
 * fund, card dates), the total, the notes and the rules used with their legal source; below it, each
 * member's voluntary social insurance contribution (VoluntarySiPanel).
 *
 * "Tính" prices the form; after the first result the page prices again by itself on every change
 * (debounced). Indices in data-testids are 0-based, like the API's error paths (members.N.*).
 */
import { Fragment, useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { premiumApi, type PremiumGroup, type QuoteResult } from './premiumApi';
import { ErrorBanner } from '../ui/ErrorBanner';
import { Field, inputProps } from '../ui/Field';
import { RuleItemBody, UncertainBadge, noteText } from './RuleBits';
import { groupLabel, groupLabels, ruleNoteText, ruleName, ruleValue } from './ruleText';
import { NO_ERRORS, errorMessage, mapErrors, type FormErrors } from '../errors';
import { formatDate, formatPercent, formatVnd, isoDateOf, parseDayMonthYear } from '../format';
import { DayInput } from '../register/HouseholdBits';
import { buildQuoteRequest, calculatorFieldKey, type Draft, type MemberDraft } from './premium';
import { currentLanguage } from '../i18n';
import { DataTable } from '../ui/DataTable';
import { VoluntarySiPanel } from './VoluntarySiPanel';

const QUICK_MONTHS = [3, 6, 12] as const;
/** Shown first in the group picker, in this order. */
const COMMON_GROUPS = ['GD', 'HS', 'SV', 'CN', 'GB', 'HN', 'TE'];
const DEFAULT_GROUP = 'GD';
const AUTO_DELAY_MS = 500;
/** Every group the page has loaded (on any date): a group chosen earlier keeps its name on a date it is not in force. */
const seenGroups = new Map<string, PremiumGroup>();

function GroupSelect({
  id,
  value,
  groups,
  error,
  placeholder,
  onChange,
}: {
  id: string;
  value: string;
  groups: PremiumGroup[];
  error?: string;
  placeholder: string;
  onChange: (code: string) => void;
}) {
  const { t } = useTranslation('web');
  const lang = currentLanguage();
  const common = COMMON_GROUPS.map((code) => groups.find((g) => g.code === code)).filter((g): g is PremiumGroup => !!g);
  const others = groups.filter((g) => !COMMON_GROUPS.includes(g.code));
  const known = groups.some((g) => g.code === value);
  return (
    <select {...inputProps(id, error)} data-testid={id} value={value} onChange={(e) => onChange(e.target.value)}>
      <option value="">{placeholder}</option>
      {value && !known && (
        <option value={value}>
          {t('calculator.groupNotInForce', { group: seenGroups.has(value) ? groupLabel(seenGroups.get(value)!, lang) : value })}
        </option>
      )}
      {common.length > 0 && (
        <optgroup label={t('calculator.commonGroups')}>
          {common.map((g) => (
            <option key={g.code} value={g.code}>
              {groupLabel(g, lang)}
            </option>
          ))}
        </optgroup>
      )}
      {others.length > 0 && (
        <optgroup label={t('calculator.otherGroups')}>
          {others.map((g) => (
            <option key={g.code} value={g.code}>
              {groupLabel(g, lang)}
            </option>
          ))}
        </optgroup>
      )}
    </select>
  );
}

function MemberRow({
  index,
  member,
  groups,
  errors,
  canRemove,
  onChange,
  onRemove,
}: {
  index: number;
  member: MemberDraft;
  groups: PremiumGroup[];
  errors: Record<string, string>;
  canRemove: boolean;
  onChange: (patch: Partial<MemberDraft>) => void;
  onRemove: () => void;
}) {
  const { t } = useTranslation('web');
  const id = `calc-member-${index}`;
  const err = (field: string) => errors[`members.${index}.${field}`];
  const isPupil = member.groups.some((code) => groups.find((g) => g.code === code)?.role === 'pupil');
  const hasSecond = member.groups.length > 1;
  const setGroup = (at: number, code: string) => {
    const next = [...member.groups];
    next[at] = code;
    onChange({ groups: next });
  };

  return (
    <li className="member" data-testid={id} aria-labelledby={`${id}-title`}>
      <div className="member-head">
        <h3 id={`${id}-title`}>{t('calculator.member', { n: index + 1 })}</h3>
        {canRemove && (
          <button
            type="button"
            className="btn btn-danger-ghost btn-small"
            data-testid={`${id}-remove`}
            aria-label={t('calculator.removeMemberAria', { n: index + 1 })}
            onClick={onRemove}
          >
            {t('calculator.removeMember')}
          </button>
        )}
      </div>
      <div className={`member-grid${isPupil ? ' has-grade' : ''}`}>
        <div className="member-groups">
          <Field id={`${id}-group`} label={t('calculator.group')} error={err('groups')}>
            <GroupSelect
              id={`${id}-group`}
              value={member.groups[0] ?? ''}
              groups={groups}
              error={err('groups')}
              placeholder={t('calculator.chooseGroup')}
              onChange={(code) => setGroup(0, code)}
            />
          </Field>
          {hasSecond ? (
            <Field id={`${id}-group-2`} label={t('calculator.secondGroup')} error={err('groups.1')}>
              <div className="input-row">
                <GroupSelect
                  id={`${id}-group-2`}
                  value={member.groups[1] ?? ''}
                  groups={groups}
                  error={err('groups.1')}
                  placeholder={t('calculator.chooseGroup')}
                  onChange={(code) => setGroup(1, code)}
                />
                <button
                  type="button"
                  className="btn btn-ghost"
                  data-testid={`${id}-remove-group`}
                  aria-label={t('calculator.removeGroup')}
                  title={t('calculator.removeGroup')}
                  onClick={() => onChange({ groups: member.groups.slice(0, 1) })}
                >
                  ×
                </button>
              </div>
            </Field>
          ) : (
            <button
              type="button"
              className="btn-link"
              data-testid={`${id}-add-group`}
              onClick={() => onChange({ groups: [member.groups[0] ?? '', ''] })}
            >
              {t('calculator.addGroup')}
            </button>
          )}
        </div>
        <Field id={`${id}-birth`} label={t('calculator.birthDate')} error={err('birthDate')} hint={t('calculator.optional')}>
          <DayInput id={`${id}-birth`} testId={`${id}-birth`} value={member.birthDate} error={err('birthDate')} hint onChange={(birthDate) => onChange({ birthDate })} />
        </Field>
        <Field id={`${id}-prev`} label={t('calculator.previousCardTo')} error={err('previousCardTo')} hint={t('calculator.optional')}>
          <DayInput
            id={`${id}-prev`}
            testId={`${id}-prev`}
            value={member.previousCardTo}
            error={err('previousCardTo')}
            hint
            onChange={(previousCardTo) => onChange({ previousCardTo })}
          />
        </Field>
        {isPupil && (
          <Field id={`${id}-grade`} label={t('calculator.grade')} error={err('grade')} hint={t('calculator.optional')}>
            <input
              {...inputProps(`${id}-grade`, err('grade'), true)}
              data-testid={`${id}-grade`}
              type="number"
              inputMode="numeric"
              min={1}
              max={12}
              value={member.grade}
              onChange={(e) => onChange({ grade: e.target.value })}
            />
          </Field>
        )}
      </div>
    </li>
  );
}

function QuoteResultView({ result, groups, stale }: { result: QuoteResult; groups: PremiumGroup[]; stale: boolean }) {
  const { t } = useTranslation('web');
  const lang = currentLanguage();
  const groupNames = useMemo(() => groupLabels(groups, lang), [groups, lang]);
  const nameOf = (code: string) => groupNames.get(code) ?? code;
  const base = result.members[0]?.baseSalary;
  const support = result.total.state + result.total.local;
  const uncertain = new Set(result.uncertainRuleIds);
  const rulesById = new Map(result.rules.map((r) => [r.id, r]));
  /** 'Mức lương cơ sở: 2.530.000 ₫/tháng' for a rule id of the answer (the id itself for one it does not list). */
  const ruleNameOf = (id: string) => {
    const rule = rulesById.get(id);
    return rule ? ruleName(t, rule, groupNames, lang) : id;
  };

  return (
    <section className={`card result-card${stale ? ' is-stale' : ''}`} aria-labelledby="calc-result-title" aria-busy={stale}>
      <div className="card-head">
        <div>
          <h2 id="calc-result-title">{t('calculator.resultTitle')}</h2>
          <p className="muted small" data-testid="calc-result-meta">
            {t('calculator.resultMeta', { date: formatDate(result.date), months: result.months, base: formatVnd(base) })}
          </p>
        </div>
        {stale && (
          <p className="muted small" role="status">
            {t('calculator.stale')}
          </p>
        )}
      </div>

      <div className="summary" data-testid="calc-summary">
        <div className="summary-main">
          <span className="summary-label">{t('calculator.summaryPayable')}</span>
          <span className="summary-amount">{formatVnd(result.total.payable)}</span>
          <span className="muted small">
            {t('calculator.summaryFor', { count: result.members.length, months: result.months })}
          </span>
        </div>
        {support > 0 && (
          <p className="summary-side">
            {t('calculator.summarySupport', { amount: formatVnd(support), premium: formatVnd(result.total.premium) })}
          </p>
        )}
      </div>

      <p className="muted small">{t('calculator.donorHint')}</p>

      <DataTable
        testId="calc-result"
        className="calc-table"
        foot={
          <>
            <tr data-testid="calc-total" className="total-row">
              <th scope="row" colSpan={2}>
                {t('calculator.total')}
              </th>
              <td data-label={t('calculator.colPremium')} className="num" data-testid="calc-total-premium">
                {formatVnd(result.total.premium)}
              </td>
              <td data-label={t('calculator.colState')} className="num" data-testid="calc-total-state">
                {formatVnd(result.total.state)}
              </td>
              <td data-label={t('calculator.colLocal')} className="num" data-testid="calc-total-local">
                {formatVnd(result.total.local)}
              </td>
              <td data-label={t('calculator.colPayable')} className="num payable" data-testid="calc-total-payable">
                {formatVnd(result.total.payable)}
              </td>
              <td className="total-spacer" />
            </tr>
          </>
        }
        columns={[
          t('calculator.colMemberGroup'),
          t('calculator.colOrder'),
          { label: t('calculator.colPremium'), className: 'num' },
          { label: t('calculator.colState'), className: 'num' },
          { label: t('calculator.colLocal'), className: 'num' },
          { label: t('calculator.colPayable'), className: 'num' },
          t('calculator.colValidity'),
        ]}
      >
        {result.members.map((m, i) => {
          const notes = m.notes.map((n) => noteText(t, n, m, groupNames));
          const uncertainIds = m.uncertainRuleIds;
          const hasNotes = notes.length > 0 || uncertainIds.length > 0;
          return (
            <Fragment key={i}>
              <tr data-testid={`calc-result-row-${i}`} className={hasNotes ? 'has-notes' : undefined}>
                <th scope="row" className="member-cell">
                  {t('calculator.member', { n: i + 1 })}
                  <span className="member-group" data-testid={`calc-result-row-${i}-group`}>
                    {nameOf(m.group)}
                  </span>
                </th>
                <td data-label={t('calculator.colOrder')} data-testid={`calc-result-row-${i}-order`}>
                  {m.order == null ? (
                    <span className="muted">—</span>
                  ) : (
                    <>
                      {t('calculator.orderValue', { order: m.order })}
                      {m.householdFactor != null && m.householdFactor !== 10000 && (
                        <span className="muted small block">
                          {t('calculator.factorOf', { factor: formatPercent(m.householdFactor, lang) })}
                        </span>
                      )}
                    </>
                  )}
                </td>
                <td data-label={t('calculator.colPremium')} className="num" data-testid={`calc-result-row-${i}-premium`}>
                  {formatVnd(m.premium)}
                </td>
                <td data-label={t('calculator.colState')} className="num" data-testid={`calc-result-row-${i}-state`}>
                  {formatVnd(m.state)}
                  {m.stateBasisPoints > 0 && (
                    <span className="muted small block">{formatPercent(m.stateBasisPoints, lang)}</span>
                  )}
                </td>
                <td data-label={t('calculator.colLocal')} className="num" data-testid={`calc-result-row-${i}-local`}>
                  {formatVnd(m.local)}
                  {m.localBasisPoints > 0 && (
                    <span className="muted small block">{formatPercent(m.localBasisPoints, lang)}</span>
                  )}
                </td>
                <td
                  data-label={t('calculator.colPayable')}
                  className="num payable"
                  data-testid={`calc-result-row-${i}-payable`}
                >
                  {formatVnd(m.payable)}
                </td>
                <td data-label={t('calculator.colValidity')} data-testid={`calc-result-row-${i}-validity`}>
                  <span className="nowrap">{formatDate(m.validFrom)}</span> –{' '}
                  <span className="nowrap">{formatDate(m.validTo)}</span>
                  {m.continuous && <span className="pill pill-ok block-pill">{t('calculator.continuous')}</span>}
                </td>
              </tr>
              {hasNotes && (
                <tr className="notes-row" data-testid={`calc-result-row-${i}-notes`}>
                  <td colSpan={7}>
                    <span className="visually-hidden">{t('calculator.notesFor', { n: i + 1 })}</span>
                    <ul className="notes">
                      {notes.map((text, k) => (
                        <li key={k}>{text}</li>
                      ))}
                      {uncertainIds.length > 0 && (
                        <li className="note-uncertain">
                          <UncertainBadge /> {t('calculator.uncertainFor', { rules: uncertainIds.map(ruleNameOf).join('; ') })}
                        </li>
                      )}
                    </ul>
                  </td>
                </tr>
              )}
            </Fragment>
          );
        })}
      </DataTable>

      <h3 className="rules-used-title">{t('calculator.rulesTitle')}</h3>
      <p className="muted small">{t('calculator.rulesHint')}</p>
      <ul className="rule-list" data-testid="calc-rules">
        {result.rules.map((r) => {
          const flagged = r.uncertain || uncertain.has(r.id);
          return (
            <li key={r.id} className={`rule-item${flagged ? ' rule-uncertain' : ''}`} data-testid={`calc-rule-${r.id}`}>
              <div className="rule-item-head">
                <span className="rule-kind">{t(`rules.kinds.${r.kind}`, { defaultValue: r.kind })}</span>
                <span className="rule-value" data-testid={`calc-rule-${r.id}-value`}>
                  {ruleValue(t, r, groupNames, lang)}
                </span>
                {flagged && <UncertainBadge />}
              </div>
              <RuleItemBody rule={r} lang={lang} />
              {flagged && r.note && <p className="rule-note small">{ruleNoteText(r, lang)}</p>}
            </li>
          );
        })}
      </ul>
      <p className="muted small disclaimer">{t('calculator.disclaimer')}</p>
    </section>
  );
}

export function CalculatorPage() {
  const { t, i18n } = useTranslation('web');
  const nextKey = useRef(1);
  const newMember = useCallback(
    (): MemberDraft => ({ key: nextKey.current++, groups: [DEFAULT_GROUP], birthDate: '', grade: '', previousCardTo: '' }),
    [],
  );
  const [draft, setDraft] = useState<Draft>(() => ({
    date: formatDate(isoDateOf(new Date())),
    months: '12',
    province: '',
    enrolled: '0',
    members: [{ key: 0, groups: [DEFAULT_GROUP], birthDate: '', grade: '', previousCardTo: '' }],
  }));
  const [groups, setGroups] = useState<PremiumGroup[] | null>(null);
  const [groupsError, setGroupsError] = useState<string | null>(null);
  const [result, setResult] = useState<{ quote: QuoteResult; requestJson: string } | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  /** after the first answer the page prices again by itself */
  const [auto, setAuto] = useState(false);
  const controller = useRef<AbortController | null>(null);
  const lastSent = useRef<string | null>(null);
  const focusError = useRef(false);
  const formRef = useRef<HTMLFormElement>(null);

  const messages = useMemo(
    () => ({
      dateRequired: t('calculator.dateRequired'),
      dateInvalid: t('calculator.dateInvalid'),
      monthsInvalid: t('calculator.monthsInvalid'),
      provinceInvalid: t('calculator.provinceInvalid'),
      enrolledInvalid: t('calculator.enrolledInvalid'),
      gradeInvalid: t('calculator.gradeInvalid'),
    }),
    [t],
  );
  const built = useMemo(() => buildQuoteRequest(draft, messages), [draft, messages]);
  const requestJson = built.request ? JSON.stringify(built.request) : null;

  // the groups in force on the payment date
  const groupDate = parseDayMonthYear(draft.date);
  useEffect(() => {
    if (!groupDate) return;
    const c = new AbortController();
    const timer = window.setTimeout(() => {
      premiumApi
        .premiumGroups(groupDate, c.signal)
        .then((list) => {
          for (const g of list) seenGroups.set(g.code, g);
          setGroups(list);
          setGroupsError(null);
        })
        .catch((err: unknown) => {
          if (!isAbort(err)) setGroupsError(errorMessage(err));
        });
    }, 250);
    return () => {
      window.clearTimeout(timer);
      c.abort();
    };
  }, [groupDate]);

  const calculate = useCallback(
    async (mode: 'submit' | 'auto') => {
      if (!built.request || !requestJson) {
        setErrors({ fields: built.fields, banner: null });
        focusError.current = mode === 'submit';
        return;
      }
      if (mode === 'auto' && requestJson === lastSent.current) return;
      controller.current?.abort();
      const c = new AbortController();
      controller.current = c;
      lastSent.current = requestJson;
      setBusy(true);
      try {
        const quote = await premiumApi.quote(built.request, c.signal);
        if (c.signal.aborted) return;
        setResult({ quote, requestJson });
        setErrors(NO_ERRORS);
        setAuto(true);
      } catch (err) {
        if (isAbort(err) || c.signal.aborted) return;
        setResult(null);
        setErrors(mapErrors(err, calculatorFieldKey));
        focusError.current = mode === 'submit';
      } finally {
        if (controller.current === c) {
          controller.current = null;
          setBusy(false);
        }
      }
    },
    [built, requestJson],
  );

  // once there is an answer, every change prices again (debounced)
  useEffect(() => {
    if (!auto) return;
    const timer = window.setTimeout(() => void calculate('auto'), AUTO_DELAY_MS);
    return () => window.clearTimeout(timer);
  }, [auto, calculate]);

  // a new language: the server's messages come back in it
  const language = i18n.language;
  const firstLanguage = useRef(language);
  useEffect(() => {
    if (language === firstLanguage.current) return;
    firstLanguage.current = language;
    lastSent.current = null;
    if (auto || Object.keys(errors.fields).length || errors.banner) void calculate('auto');
  }, [language]); // only on a language change

  // after a refused "Tính", the first field in error gets the focus
  useEffect(() => {
    if (!focusError.current) return;
    focusError.current = false;
    formRef.current?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus();
  }, [errors]);

  useEffect(() => () => controller.current?.abort(), []);

  function submit(e: FormEvent) {
    e.preventDefault();
    lastSent.current = null;
    void calculate('submit');
  }

  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setMember = (key: number, patch: Partial<MemberDraft>) =>
    setDraft((d) => ({ ...d, members: d.members.map((m) => (m.key === key ? { ...m, ...patch } : m)) }));
  // indices shift: messages about other rows would point at the wrong person
  const clearMemberErrors = () =>
    setErrors((e) => ({ ...e, fields: Object.fromEntries(Object.entries(e.fields).filter(([k]) => !k.startsWith('members'))) }));

  const f = errors.fields;
  const stale = !!result && (busy || result.requestJson !== requestJson);

  return (
    <div className="page calculator-page">
      <div className="page-head">
        <div>
          <h1>{t('calculator.title')}</h1>
          <p className="muted lead">{t('calculator.intro')}</p>
        </div>
      </div>
      <ErrorBanner message={groupsError} onDismiss={() => setGroupsError(null)} />

      <form ref={formRef} onSubmit={submit} noValidate aria-labelledby="calc-form-title">
        <h2 id="calc-form-title" className="visually-hidden">
          {t('calculator.title')}
        </h2>
        <section className="card" aria-labelledby="calc-payment-title">
          <h2 id="calc-payment-title">{t('calculator.paymentTitle')}</h2>
          <div className="calc-grid">
            <Field id="calc-date" label={t('calculator.date')} error={f.date}>
              <DayInput id="calc-date" testId="calc-date" value={draft.date} error={f.date} onChange={(date) => set({ date })} />
            </Field>
            <Field id="calc-months" label={t('calculator.months')} error={f.months}>
              <div className="months-row">
                <input
                  {...inputProps('calc-months', f.months)}
                  data-testid="calc-months"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={12}
                  value={draft.months}
                  onChange={(e) => set({ months: e.target.value })}
                />
                <div className="btn-group segmented" role="group" aria-label={t('calculator.monthsQuick')}>
                  {QUICK_MONTHS.map((n) => (
                    <button
                      key={n}
                      type="button"
                      className={`btn btn-secondary btn-small${draft.months === String(n) ? ' is-active' : ''}`}
                      aria-pressed={draft.months === String(n)}
                      data-testid={`calc-months-${n}`}
                      onClick={() => set({ months: String(n) })}
                    >
                      {t('calculator.monthsButton', { count: n })}
                    </button>
                  ))}
                </div>
              </div>
            </Field>
            <Field id="calc-province" label={t('calculator.province')} error={f.province} hint={t('calculator.provinceHint')}>
              <input
                {...inputProps('calc-province', f.province, true)}
                data-testid="calc-province"
                type="text"
                inputMode="numeric"
                maxLength={2}
                autoComplete="off"
                placeholder={t('calculator.provincePlaceholder')}
                value={draft.province}
                onChange={(e) => set({ province: e.target.value.replace(/\D/g, '') })}
              />
            </Field>
            <Field
              id="calc-enrolled"
              label={t('calculator.enrolled')}
              error={f.enrolledThisYear}
              hint={t('calculator.enrolledHint')}
            >
              <input
                {...inputProps('calc-enrolled', f.enrolledThisYear, true)}
                data-testid="calc-enrolled"
                type="number"
                inputMode="numeric"
                min={0}
                value={draft.enrolled}
                onChange={(e) => set({ enrolled: e.target.value })}
              />
            </Field>
          </div>
        </section>

        <section className="card" aria-labelledby="calc-members-title">
          <div className="card-head">
            <h2 id="calc-members-title">{t('calculator.membersTitle')}</h2>
          </div>
          <p className="muted small">{t('calculator.membersHint')}</p>
          {!groups && !groupsError && <p className="muted small">{t('calculator.groupsLoading')}</p>}
          {f.members && (
            <p className="field-error" data-testid="calc-members-error">
              {f.members}
            </p>
          )}
          {draft.members.length === 0 ? (
            <p className="empty">{t('calculator.noMembers')}</p>
          ) : (
            <ol className="member-list">
              {draft.members.map((m, i) => (
                <MemberRow
                  key={m.key}
                  index={i}
                  member={m}
                  groups={groups ?? []}
                  errors={f}
                  canRemove={draft.members.length > 1}
                  onChange={(patch) => setMember(m.key, patch)}
                  onRemove={() => {
                    clearMemberErrors();
                    setDraft((d) => ({ ...d, members: d.members.filter((x) => x.key !== m.key) }));
                  }}
                />
              ))}
            </ol>
          )}
          <div className="calc-actions">
            <button
              type="button"
              className="btn btn-secondary"
              data-testid="calc-add-member"
              onClick={() => {
                clearMemberErrors();
                setDraft((d) => ({ ...d, members: [...d.members, newMember()] }));
              }}
            >
              {t('calculator.addMember')}
            </button>
            <button type="submit" className="btn btn-primary calc-submit" data-testid="calc-submit" disabled={busy && !auto}>
              {busy && !result ? t('calculator.submitting') : t('calculator.submit')}
            </button>
          </div>
          {!result && <p className="muted small calc-auto-hint">{t('calculator.autoHint')}</p>}
        </section>
      </form>

      <ErrorBanner message={errors.banner} onDismiss={() => setErrors((e) => ({ ...e, banner: null }))} />
      {result && <QuoteResultView result={result.quote} groups={groups ?? []} stale={stale} />}
      {result && <VoluntarySiPanel date={parseDayMonthYear(draft.date)} members={draft.members} province={draft.province} />}
    </div>
  );
}
