/**
 * Small pieces shared by the calculator and the rules page: the "uncertain" badge, a rule's effective
 * period, a participant group's label in the current language (see ruleText.ts), and the texts of quote notes.
 */
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { MemberQuote, QuoteNote } from './premiumApi';
import { dayBefore, formatDate, formatVnd } from '../format';
import { legalSourceText, ruleNoteText } from './ruleText';

/** The amber "chưa chắc chắn" badge of a fact that is not settled. */
export function UncertainBadge({ testId }: { testId?: string }) {
  const { t } = useTranslation('web');
  return (
    <span className="badge badge-uncertain" title={t('rules.uncertainTitle')} data-testid={testId}>
      {t('rules.uncertain')}
    </span>
  );
}

/**
 * A rule's period as people read it: 'Từ 01/07/2024' or '01/07/2024 – 30/06/2026' (the API's `to`
 * is the first day the rule no longer applies; the last day shown is the day before).
 */
export function RulePeriod({ from, to }: { from: string; to?: string }) {
  const { t } = useTranslation('web');
  if (!to) return <span className="nowrap">{t('rules.since', { from: formatDate(from) })}</span>;
  return (
    <span className="nowrap">
      {t('rules.range', { from: formatDate(from), to: formatDate(dayBefore(to) || to) })}
    </span>
  );
}

export { groupLabel } from './ruleText';

/**
 * A quote note in the interface language; the server's English message for a code we do not know.
 * `groups`: code -> label, to name a group rather than show its code.
 */
export function noteText(t: TFunction, note: QuoteNote, member: MemberQuote, groups: Map<string, string> = new Map()): string {
  switch (note.code) {
    case 'base_salary_changes_in_period':
      return t('calculator.notes.base_salary_changes_in_period', {
        from: formatDate(member.validFrom),
        to: formatDate(member.validTo),
        amount: formatVnd(member.baseSalary),
      });
    case 'first_time_wait_uncertain': {
      const code = /group (\S+) waits/.exec(note.message)?.[1] ?? member.group;
      return t('calculator.notes.first_time_wait_uncertain', { group: groups.get(code) ?? code });
    }
    case 'auto_child_under_6':
    case 'local_policy_needs_birth_date':
    case 'child_card_end_unknown':
      return t(`calculator.notes.${note.code}`);
    default:
      return note.message;
  }
}

type SourcedRule = { id: string; from: string; to?: string; source: string; note?: string };

/** Under a rule's name in the calculator: its period, its legal source in the interface language, its id. */
export function RuleItemBody({ rule, lang }: { rule: SourcedRule; lang: string }) {
  const { t } = useTranslation('web');
  return (
    <div className="rule-item-body small">
      <span className="muted">
        <RulePeriod from={rule.from} to={rule.to} />
      </span>
      <span>
        <span className="muted">{t('calculator.source')}: </span>
        {legalSourceText(rule.source, lang)}
      </span>
      <span className="code muted rule-id">{rule.id}</span>
    </div>
  );
}

/** The rules page's source cell: the legal source in the interface language and the rule's note. */
export function RuleSourceCell({ rule, lang }: { rule: SourcedRule; lang: string }) {
  const { t } = useTranslation('web');
  return (
    <td data-label={t('rules.colSource')}>
      {legalSourceText(rule.source, lang)}
      {rule.note && <span className="muted small block rule-note-text">{ruleNoteText(rule, lang)}</span>}
    </td>
  );
}
