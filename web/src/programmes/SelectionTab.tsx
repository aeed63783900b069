/**
 * The programme page's "Selection" tab (issue 6 items 3-5): the candidates by commune with their tags and
 * the reasons anyone is set aside, the state-budget list, nominations by communes; selection rounds and
 * their result, approval; after approval the D03-TS list for the social insurance office and the cards
 * it issues.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProgrammeDetail } from './programmesApi';
import { SelectionCandidates } from './SelectionCandidates';
import { SelectionCards } from './SelectionCards';
import { SelectionRounds } from './SelectionRounds';

type ProgrammeLike = Pick<ProgrammeDetail, 'id' | 'status'> & Partial<Pick<ProgrammeDetail, 'canWrite' | 'balance' | 'selectionMode'>>;

const AFTER_APPROVAL = new Set(['list_approved', 'submitted', 'cards_issued', 'handed_over', 'closed']);

export function SelectionTab({ programme, onChanged }: { programme: ProgrammeLike & Record<string, unknown>; onChanged?: () => void }) {
  const { t } = useTranslation('selection');
  const [version, setVersion] = useState(0);
  const canWrite = programme.canWrite !== false;
  // the status this tab moved the programme to, until the page reloads the programme
  const [moved, setMoved] = useState<string | null>(null);
  useEffect(() => setMoved(null), [programme.status]);
  const status = moved ?? String(programme.status);
  const [view, setView] = useState<'candidates' | 'rounds' | 'cards'>(AFTER_APPROVAL.has(status) ? 'cards' : 'candidates');
  const changed = (to?: string) => {
    if (to) setMoved(to);
    if (to === 'list_approved') setView('cards');
    setVersion((v) => v + 1);
    onChanged?.();
  };
  const approved = AFTER_APPROVAL.has(status);

  return (
    <section className="selection-tab" data-testid="selection-tab" data-programme={programme.id}>
      <h2>{t('tab.title')}</h2>
      <div className="btn-group" role="tablist">
        {(['candidates', 'rounds', ...(approved ? (['cards'] as const) : [])] as const).map((k) => (
          <button
            key={k}
            type="button"
            role="tab"
            aria-selected={view === k}
            className={`btn btn-small ${view === k ? 'btn-primary' : 'btn-secondary'}`}
            onClick={() => setView(k)}
            data-testid={`selection-view-${k}`}
          >
            {t(k === 'candidates' ? 'web.candidates' : k === 'rounds' ? 'web.rounds' : 'web.cards')}
          </button>
        ))}
      </div>
      {view === 'candidates' && <SelectionCandidates programmeId={programme.id} canNominate={canWrite && !approved} version={version} />}
      {view === 'rounds' && (
        <SelectionRounds
          programmeId={programme.id}
          status={status}
          available={programme.balance?.available ?? null}
          selectionMode={programme.selectionMode ?? 'concentrate'}
          canWrite={canWrite}
          onChanged={changed}
        />
      )}
      {view === 'cards' && approved && <SelectionCards programmeId={programme.id} ownerUnitCode={String(programme.ownerUnitCode)} status={status} canWrite={canWrite} onChanged={changed} />}
    </section>
  );
}
