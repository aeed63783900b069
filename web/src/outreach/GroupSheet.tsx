/**
 * The group leader's daily sheet (#/outreach/COMMUNE/sheet/GROUP): what is due today (promises, people not
 * at home), then every household of the door-to-door list village by village, each member with the status,
 * what they pay and the last visit, and empty columns to write the outcome and a note by hand. Printed
 * from the browser (A4 landscape); the menus and buttons do not print.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isAbort } from '../api/client';
import { errorMessage } from '../errors';
import { formatDate, formatVnd } from '../format';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner } from '../ui/ErrorBanner';
import { fieldApi, type DoorList, type FollowUp } from './fieldApi';

export function GroupSheet({ commune, groupId }: { commune: string; groupId: string }) {
  const { t } = useTranslation('field');
  const [list, setList] = useState<DoorList | null>(null);
  const [due, setDue] = useState<FollowUp[]>([]);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    const controller = new AbortController();
    Promise.all([fieldApi.doors(groupId, controller.signal), fieldApi.groupFollowUps(groupId, controller.signal)])
      .then(([l, f]) => {
        setList(l);
        setDue(f);
      })
      .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    return () => controller.abort();
  }, [groupId]);

  if (error) return <ErrorBanner message={error} />;
  if (!list) return <p className="muted">{t('loading')}</p>;
  const villages = [...new Set(list.households.map((h) => h.villageName ?? t('no_village')))];
  return (
    <div className="card daily-sheet" data-testid="group-sheet">
      <p className="no-print">
        <a href={`#/outreach/${commune}`}>‹ {t('page_title')}</a>{' '}
        <button type="button" className="btn btn-primary btn-small" onClick={() => window.print()}>
          {t('sheet.print')}
        </button>{' '}
        <a className="btn btn-secondary btn-small" href={`/api/outreach/groups/${encodeURIComponent(groupId)}/doors.xlsx`} download data-testid="sheet-xlsx">
          {t('sheet.xlsx')}
        </a>
      </p>
      <h1>{t('sheet.title', { group: list.group.name, date: formatDate(list.date) })}</h1>
      <p className="muted">
        {list.group.communeName} · {t('households_to_visit', { count: list.summary.households })} · {t('need_card', { count: list.summary.needCard })}
      </p>
      <h2>{t('sheet.due', { count: due.length })}</h2>
      {due.length === 0 ? (
        <p className="muted">{t('queue_empty')}</p>
      ) : (
        <DataTable columns={[t('household'), t('sheet.person'), t('sheet.why'), t('sheet.since'), t('sheet.where'), t('sheet.outcome'), t('note')]} testId="sheet-due">
          {due.map((f, i) => (
            <tr key={i}>
              <td>{f.householdCode}</td>
              <td>{f.fullName ?? t('whole_household', { code: f.householdCode })}</td>
              <td>{t(`queue_kind.${f.outcome}`)}</td>
              <td>{formatDate(f.dueOn)}</td>
              <td>{[f.villageName, f.phone].filter(Boolean).join(' · ')}</td>
              <td className="sheet-blank" />
              <td className="sheet-blank" />
            </tr>
          ))}
        </DataTable>
      )}
      {villages.map((village) => (
        <section key={village}>
          <h2>{village}</h2>
          <DataTable columns={[t('household'), t('sheet.person'), t('sheet.born'), t('sheet.status'), t('sheet.pays'), t('sheet.last'), t('sheet.outcome'), t('note')]} testId="sheet-village">
            {list.households
              .filter((h) => (h.villageName ?? t('no_village')) === village)
              .flatMap((h) =>
                h.members
                  .filter((m) => m.needsCard)
                  .map((m, i) => (
                    <tr key={m.id}>
                      <td>{i === 0 ? h.code : ''}</td>
                      <td>{m.fullName}</td>
                      <td>{m.birthDate.slice(0, 4)}</td>
                      <td>{t(`status.${m.status}`)}</td>
                      <td>{m.price ? (m.price.statePaysInFull ? t('sheet.state_pays') : formatVnd(m.price.payable)) : '—'}</td>
                      <td>{m.lastVisit ? `${t(`outcome_done.${m.lastVisit.outcome}`)} ${formatDate(m.lastVisit.visitedAt)}` : ''}</td>
                      <td className="sheet-blank" />
                      <td className="sheet-blank" />
                    </tr>
                  )),
              )}
          </DataTable>
        </section>
      ))}
    </div>
  );
}
