/**
 * The voluntary social insurance (BHXH tự nguyện) rules in force on the rules page's date: what each
 * rule says, its period and its legal source (in the interface language, through the catalogue's legal
 * phrases), flagged when not settled. The rules page's history toggle covers the BHYT rules only.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { errorMessage } from '../errors';
import { premiumApi, type VsiRuleItem } from './premiumApi';
import { ErrorBanner } from '../ui/ErrorBanner';
import { DataTable } from '../ui/DataTable';
import { RulePeriod, RuleSourceCell, UncertainBadge } from './RuleBits';
import { vsiRuleValue } from './ruleText';
import { currentLanguage } from '../i18n';

export function VsiRulesSection({ date }: { date: string | null }) {
  const { t } = useTranslation('web');
  const lang = currentLanguage();
  const [items, setItems] = useState<VsiRuleItem[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    if (!date) return;
    const c = new AbortController();
    premiumApi
      .vsiRules(date, c.signal)
      .then((answer) => {
        setItems(answer.rules);
        setError(null);
      })
      .catch((err: unknown) => {
        if (!isAbort(err)) setError(errorMessage(err));
      });
    return () => c.abort();
  }, [date]);

  const rate = items?.find((i) => i.kind === 'vsi-contribution-rate')?.rule.basisPoints;
  return (
    <section className="card rule-section" aria-labelledby="rules-vsi-title" data-testid="rules-vsi">
      <div className="card-head">
        <h2 id="rules-vsi-title">{t('rules.vsiTitle')}</h2>
        {items && <span className="muted small">{t('rules.count', { count: items.length })}</span>}
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      {items && (
        <DataTable className="rules-table" columns={[t('rules.colValue'), t('rules.colPeriod'), t('rules.colSource')]}>
          {items.map((item) => (
            <tr key={item.id} data-testid={`rule-${item.id}`}>
              <td className="rule-value-cell">
                <span className="muted small block">{t(`rules.kinds.${item.kind}`)}</span>
                <span className="rule-value">{vsiRuleValue(t, item, lang, rate)}</span>{' '}
                {item.uncertain && <UncertainBadge testId={`rule-${item.id}-uncertain`} />}
                <span className="code small muted block rule-id">{item.id}</span>
              </td>
              <td data-label={t('rules.colPeriod')}>
                <RulePeriod from={item.from} to={item.to} />
              </td>
              <RuleSourceCell rule={item} lang={lang} />
            </tr>
          ))}
        </DataTable>
      )}
    </section>
  );
}
