/**
 * The calculator's second product: for each member of the household, the voluntary social insurance
 * (BHXH tự nguyện) contribution at the lowest income or the income typed for that member, and who pays
 * which share (state, province, the person). The support group is suggested from the member's BHYT
 * groups (HN poor, XD island, CN near-poor, DT ethnic minority) and can be changed. Priced by the server
 * on every change (debounced); indices in data-testids are 0-based, like the API's error paths.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { premiumApi, VSI_GROUPS, type VsiGroup, type VsiQuoteResult } from './premiumApi';
import { Field, inputProps } from '../ui/Field';
import { ErrorBanner } from '../ui/ErrorBanner';
import { RuleItemBody, UncertainBadge } from './RuleBits';
import { ruleNoteText, vsiRuleValue } from './ruleText';
import { NO_ERRORS, mapErrors, type FormErrors } from '../errors';
import { formatPercent, formatVnd } from '../format';
import { buildVsiRequest, vsiFieldKey, vsiGroupFor, type MemberDraft, type VsiMemberDraft } from './premium';
import { currentLanguage } from '../i18n';
import { DataTable } from '../ui/DataTable';

const PERIODS = [1, 3, 6, 12] as const;
const DELAY_MS = 400;

export function VoluntarySiPanel({ date, members, province }: { date: string | null; members: readonly MemberDraft[]; province: string }) {
  const { t, i18n } = useTranslation('web');
  const lang = currentLanguage();
  const [drafts, setDrafts] = useState<Record<number, VsiMemberDraft>>({});
  const [months, setMonths] = useState<number>(1);
  const [result, setResult] = useState<VsiQuoteResult | null>(null);
  const [errors, setErrors] = useState<FormErrors>(NO_ERRORS);
  const built = useMemo(
    () => buildVsiRequest(date, months, members, drafts, province, t('calculator.vsi.incomeInvalid')),
    [date, months, members, drafts, province, t],
  );
  const requestJson = built.request ? JSON.stringify(built.request) : null;
  const language = i18n.language;

  useEffect(() => {
    if (!built.request) {
      setErrors({ fields: built.fields, banner: null });
      return;
    }
    const request = built.request;
    const c = new AbortController();
    const timer = window.setTimeout(() => {
      premiumApi
        .vsiQuote(request, c.signal)
        .then((q) => {
          setResult(q);
          setErrors(NO_ERRORS);
        })
        .catch((err: unknown) => {
          if (isAbort(err) || c.signal.aborted) return;
          setResult(null);
          setErrors(mapErrors(err, vsiFieldKey));
        });
    }, DELAY_MS);
    return () => {
      window.clearTimeout(timer);
      c.abort();
    };
  }, [requestJson, language]); // the request (as text) and the language of the server's messages

  const setDraft = (key: number, patch: Partial<VsiMemberDraft>) => setDrafts((d) => ({ ...d, [key]: { ...(d[key] ?? { income: '' }), ...patch } }));
  const first = result?.members[0];
  const f = errors.fields;

  return (
    <section className="card result-card" aria-labelledby="vsi-title" data-testid="vsi-panel">
      <div className="card-head">
        <div>
          <h2 id="vsi-title">{t('calculator.vsi.title')}</h2>
          <p className="muted small">
            {t('calculator.vsi.intro', { min: first ? formatVnd(first.minIncome) : '…', max: first ? formatVnd(first.maxIncome) : '…' })}
          </p>
        </div>
      </div>
      <div className="calc-grid">
        <Field id="vsi-months" label={t('calculator.vsi.period')} error={f.months}>
          <select {...inputProps('vsi-months', f.months)} data-testid="vsi-months" value={months} onChange={(e) => setMonths(Number(e.target.value))}>
            {PERIODS.map((n) => (
              <option key={n} value={n}>
                {t('calculator.vsi.periodMonths', { count: n })}
              </option>
            ))}
          </select>
        </Field>
      </div>
      <p className="muted small">{t('calculator.vsi.yearsAheadLeftOut')}</p>
      <ErrorBanner message={errors.banner} onDismiss={() => setErrors((e) => ({ ...e, banner: null }))} />
      <DataTable
        testId="vsi-result"
        className="calc-table"
        columns={[
          t('calculator.colMemberGroup'),
          t('calculator.vsi.colIncome'),
          { label: t('calculator.colPremium'), className: 'num' },
          { label: t('calculator.colState'), className: 'num' },
          { label: t('calculator.colLocal'), className: 'num' },
          { label: t('calculator.colPayable'), className: 'num' },
        ]}
        foot={
          result ? (
            <tr className="total-row" data-testid="vsi-total">
              <th scope="row" colSpan={2}>
                {t('calculator.total')}
              </th>
              <td className="num" data-label={t('calculator.colPremium')}>{formatVnd(result.total.premium)}</td>
              <td className="num" data-label={t('calculator.colState')}>{formatVnd(result.total.state)}</td>
              <td className="num" data-label={t('calculator.colLocal')}>{formatVnd(result.total.local)}</td>
              <td className="num payable" data-label={t('calculator.colPayable')} data-testid="vsi-total-payable">
                {formatVnd(result.total.payable)}
              </td>
            </tr>
          ) : undefined
        }
      >
        {members.map((m, i) => {
          const id = `vsi-member-${i}`;
          const d = drafts[m.key];
          const group: VsiGroup = d?.group ?? vsiGroupFor(m.groups);
          const q = result && result.members.length === members.length ? result.members[i] : undefined;
          const incomeError = f[`members.${i}.income`];
          return (
            <tr key={m.key} data-testid={`vsi-row-${i}`}>
              <th scope="row" className="member-cell">
                {t('calculator.member', { n: i + 1 })}
                <label className="visually-hidden" htmlFor={`${id}-group`}>
                  {t('calculator.vsi.group')}
                </label>
                <select id={`${id}-group`} data-testid={`${id}-group`} value={group} onChange={(e) => setDraft(m.key, { group: e.target.value as VsiGroup })}>
                  {VSI_GROUPS.map((g) => (
                    <option key={g} value={g}>
                      {t(`rules.vsiGroups.${g}`)}
                    </option>
                  ))}
                </select>
              </th>
              <td data-label={t('calculator.vsi.colIncome')}>
                <label className="visually-hidden" htmlFor={`${id}-income`}>
                  {t('calculator.vsi.income')}
                </label>
                <input
                  {...inputProps(`${id}-income`, incomeError, true)}
                  data-testid={`${id}-income`}
                  type="text"
                  inputMode="numeric"
                  autoComplete="off"
                  placeholder={q ? formatVnd(q.minIncome) : ''}
                  value={d?.income ?? ''}
                  onChange={(e) => setDraft(m.key, { income: e.target.value })}
                />
                {incomeError ? (
                  <span className="field-error block" id={`${id}-income-error`} data-testid={`${id}-income-error`}>
                    {incomeError}
                  </span>
                ) : (
                  q && !d?.income.trim() && <span className="muted small block">{t('calculator.vsi.incomeHint', { min: formatVnd(q.minIncome) })}</span>
                )}
              </td>
              <td className="num" data-label={t('calculator.colPremium')} data-testid={`vsi-row-${i}-premium`}>
                {q ? formatVnd(q.premium) : '—'}
              </td>
              <td className="num" data-label={t('calculator.colState')} data-testid={`vsi-row-${i}-state`}>
                {q ? formatVnd(q.state) : '—'}
                {q && q.stateBasisPoints > 0 && <span className="muted small block">{formatPercent(q.stateBasisPoints, lang)}</span>}
              </td>
              <td className="num" data-label={t('calculator.colLocal')} data-testid={`vsi-row-${i}-local`}>
                {q ? formatVnd(q.local) : '—'}
              </td>
              <td className="num payable" data-label={t('calculator.colPayable')} data-testid={`vsi-row-${i}-payable`}>
                {q ? formatVnd(q.payable) : '—'}
              </td>
            </tr>
          );
        })}
      </DataTable>
      {result && (
        <>
          <h3 className="rules-used-title">{t('calculator.vsi.rulesTitle')}</h3>
          <ul className="rule-list" data-testid="vsi-rules">
            {result.rules.map((r) => (
              <li key={r.id} className={`rule-item${r.uncertain ? ' rule-uncertain' : ''}`} data-testid={`vsi-rule-${r.id}`}>
                <div className="rule-item-head">
                  <span className="rule-kind">{t(`rules.kinds.${r.kind}`)}</span>
                  <span className="rule-value">{vsiRuleValue(t, r, lang, first?.rateBasisPoints)}</span>
                  {r.uncertain && <UncertainBadge />}
                </div>
                <RuleItemBody rule={r} lang={lang} />
                {r.uncertain && r.note && <p className="rule-note small">{ruleNoteText(r, lang)}</p>}
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
