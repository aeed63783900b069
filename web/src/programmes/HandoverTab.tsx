/**
 * The handover tab of a programme page: handover events, the recipients expected at each, results
 * with evidence, minutes PDF, donor statements. (First version: a placeholder the programme page can
 * wire while the full tab is built.)
 */
import { useTranslation } from 'react-i18next';

export function HandoverTab({ programme }: { programme: { id: string; status: string } & Record<string, unknown> }) {
  const { t } = useTranslation('handover');
  return (
    <section className="handover-tab" data-testid="handover-tab" data-programme={programme.id}>
      <h2>{t('tab.title')}</h2>
    </section>
  );
}
