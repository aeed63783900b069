/**
 * The table of persons the selection shows twice: the candidates (with their status) and a round's frozen
 * candidates (with the decision's reason). Same columns; the last one and the row's test attributes are
 * the caller's.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDate, formatDecimal, formatVnd } from '../format';
import type { DonatedCard } from './selectionApi';
import { DataTable } from '../ui/DataTable';

export interface SelectionPerson {
  personId: string;
  fullName: string;
  birthDate: string;
  communeCode: string;
  communeName: string | null;
  tags: readonly string[];
  pricingGroup: string | null;
  value: number;
  cost: number | null;
  /** Last day of the person's current card (shown when it reaches the purchase date). */
  coveredUntil: string | null;
  /** The card the cost buys (a renewal starts after the current card). */
  card: DonatedCard | null;
}

export function TagPills({ tags }: { tags: readonly string[] }) {
  const { t } = useTranslation('selection');
  if (tags.length === 0) return <span className="muted">—</span>;
  return (
    <>
      {tags.map((tag) => (
        <span key={tag} className="pill" data-testid="tag">
          {t(`tags.${tag}`, { defaultValue: tag })}
        </span>
      ))}
    </>
  );
}

export function SelectionPersonTable<P extends SelectionPerson>({
  items,
  purchaseDate,
  testId,
  lastHeader,
  nameNote,
  lastCell,
  rowProps,
}: {
  items: readonly P[];
  /** The programme's purchase date: a card ending before it is not a current card. */
  purchaseDate: string;
  testId: string;
  lastHeader: string;
  nameNote?: (p: P) => ReactNode;
  lastCell: (p: P) => ReactNode;
  rowProps: (p: P) => Record<string, string>;
}) {
  const { t, i18n } = useTranslation('selection');
  return (
    <DataTable
      testId={testId}
      wrap={false}
      columns={[
        t('web.name'),
        t('web.birth_date'),
        t('web.commune'),
        t('web.tags'),
        t('web.group'),
        t('web.current_card'),
        { label: t('web.value'), className: 'num-cell' },
        { label: t('web.cost'), className: 'num-cell' },
        lastHeader,
      ]}
    >
      {items.map((p) => (
        <tr key={p.personId} {...rowProps(p)}>
          <td>
            {p.fullName}
            {nameNote?.(p)}
          </td>
          <td className="nowrap">{formatDate(p.birthDate)}</td>
          <td>{p.communeName ?? p.communeCode}</td>
          <td>
            <TagPills tags={p.tags} />
          </td>
          <td className="code">{p.pricingGroup ?? '—'}</td>
          <td className="nowrap" data-testid="current-card">
            {p.coveredUntil !== null && p.coveredUntil >= purchaseDate ? t('web.covered_until', { date: formatDate(p.coveredUntil) }) : <span className="muted">—</span>}
          </td>
          <td className="num">{formatDecimal(p.value, i18n.language)}</td>
          <td className="num nowrap">
            {p.cost === null ? '—' : formatVnd(p.cost)}
            {p.card?.renewal && (
              <span className="muted small block" data-testid="renewal-card">
                {t('web.renewal_card', { from: formatDate(p.card.from), months: p.card.months })}
              </span>
            )}
          </td>
          {lastCell(p)}
        </tr>
      ))}
    </DataTable>
  );
}
