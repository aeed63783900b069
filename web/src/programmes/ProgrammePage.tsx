/**
 * One programme (#/programmes/<id>[/<tab>]): its name, status and deadline, and four tabs: Overview
 * (details, status flow, history), Money (donors, pledges, receipts, refunds, balances), Transfers
 * (receiving accounts, bank statements, reconciliation), Selection and
 * Handover (written by their own areas; they get the programme as loaded here).
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, isAbort } from '../api/client';
import { ErrorBanner } from '../ui/ErrorBanner';
import { errorMessage } from '../errors';
import { formatDate } from '../format';
import { href } from '../router';
import { MoneyTab } from './MoneyTab';
import { OverdueBadge, StatusPill } from './ProgrammeBits';
import { ProgrammeOverview } from './ProgrammeOverview';
import { programmesApi, type ProgrammeDetail } from './programmesApi';
import { SelectionTab } from './SelectionTab';
import { HandoverTab } from './HandoverTab';
import { BankTab } from './BankTab';

export const PROGRAMME_TABS = ['overview', 'money', 'bank', 'selection', 'handover'] as const;
export type ProgrammeTab = (typeof PROGRAMME_TABS)[number];

export function ProgrammePage({ id, tab }: { id: string; tab: string | undefined }) {
  const { t } = useTranslation('programmes');
  const [programme, setProgramme] = useState<ProgrammeDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [missing, setMissing] = useState(false);
  const [version, setVersion] = useState(0);
  const current: ProgrammeTab = PROGRAMME_TABS.find((x) => x === tab) ?? 'overview';

  useEffect(() => {
    const controller = new AbortController();
    programmesApi
      .get(id, controller.signal)
      .then((p) => {
        setProgramme(p);
        setMissing(false);
      })
      .catch((err: unknown) => {
        if (isAbort(err)) return;
        if (err instanceof ApiError && (err.status === 404 || err.status === 400)) setMissing(true);
        else setError(errorMessage(err));
      });
    return () => controller.abort();
  }, [id, version]);

  const reload = useCallback(() => setVersion((v) => v + 1), []);

  if (missing)
    return (
      <div className="card">
        <h1>{t('page.not_found')}</h1>
        <a href={href('programmes')}>{t('page.back_to_list')}</a>
      </div>
    );
  if (!programme) return <ErrorBanner message={error} />;

  return (
    <div data-testid="programme-page" data-programme={programme.id}>
      <p>
        <a href={href('programmes')}>← {t('page.back_to_list')}</a>
      </p>
      <div className="card-head">
        <div>
          <h1 data-testid="programme-title">{programme.name}</h1>
          <p className="muted">
            {programme.ownerUnitName} · <StatusPill status={programme.status} /> · {t('page.deadline')} {formatDate(programme.deadline)}{' '}
            {programme.overdue && <OverdueBadge />}
          </p>
        </div>
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <nav className="btn-group" aria-label={programme.name} role="tablist" style={{ marginBottom: '1rem' }}>
        {PROGRAMME_TABS.map((x) => (
          <a
            key={x}
            role="tab"
            aria-selected={x === current}
            className={`btn btn-secondary${x === current ? ' is-active' : ''}`}
            data-testid={`programme-tab-${x}`}
            href={href('programmes', programme.id, x)}
          >
            {t(`page.tabs.${x}`)}
          </a>
        ))}
      </nav>
      {current === 'overview' && <ProgrammeOverview programme={programme} onChanged={setProgramme} />}
      {current === 'money' && <MoneyTab programme={programme} onChanged={reload} />}
      {current === 'bank' && <BankTab programme={programme} onChanged={reload} />}
      {current === 'selection' && <SelectionTab programme={programme} onChanged={reload} />}
      {current === 'handover' && <HandoverTab programme={programme} onChanged={reload} />}
    </div>
  );
}
