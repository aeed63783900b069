/**
 * The programme page's "Selection" tab: candidates, selection rounds, approval, the D03-TS list and
 * the issued cards. (First version: a placeholder the programme page can wire; filled in next.)
 */
import { useTranslation } from 'react-i18next';

export function SelectionTab({ programme }: { programme: { id: string; status: string } & Record<string, unknown> }) {
  const { t } = useTranslation('selection');
  return (
    <section data-testid="selection-tab">
      <h2>{t('tab.title')}</h2>
      <p className="muted">{t('tab.status', { status: programme.status })}</p>
    </section>
  );
}
