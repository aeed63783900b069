/**
 * Door to door for the commune officer (#/outreach[/COMMUNE]): the commune's working groups (villages,
 * leader, members, period), the "every door" progress per group, village and member with its .xlsx, and the
 * review queue of what the field reported (moved away, deceased, insured elsewhere): accepted, the register
 * changes; rejected, nothing does. The phone pages themselves are at /field/.
 */
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../access/accessApi';
import { isAbort } from '../api/client';
import { errorMessage } from '../errors';
import { formatDate, formatDateTime } from '../format';
import { navigate } from '../router';
import { DataTable } from '../ui/DataTable';
import { ErrorBanner, Notice } from '../ui/ErrorBanner';
import { Field } from '../ui/Field';
import { UnitPicker } from '../units/UnitPicker';
import type { UnitLevel } from '../units/unitsApi';
import { fieldApi, type Group, type Report, type Visit } from './fieldApi';
import { ProgressPanel } from './ProgressPanel';
import { GroupForm } from './GroupForm';
import { GroupSheet } from './GroupSheet';

const COMMUNE: readonly UnitLevel[] = ['commune'];

export function OutreachPage({ user, commune: routeCommune, sheet }: { user: User; commune?: string; sheet?: string }) {
  const { t } = useTranslation('field');
  const commune = routeCommune ?? (user.scopeCode && user.scopeCode.length === 5 ? user.scopeCode : null);
  const [groups, setGroups] = useState<Group[] | null>(null);
  const [reports, setReports] = useState<Report[]>([]);
  const [flagged, setFlagged] = useState<Visit[]>([]);
  const [editing, setEditing] = useState<Group | 'new' | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const canManage = user.role === 'admin' || user.role === 'province_staff' || user.role === 'commune_officer';

  useEffect(() => {
    if (!commune) return;
    const controller = new AbortController();
    Promise.all([fieldApi.groups(controller.signal), fieldApi.reports(commune, controller.signal), fieldApi.flaggedVisits(controller.signal)])
      .then(([g, r, f]) => {
        setGroups(g.filter((x) => x.communeCode === commune));
        setReports(r);
        setFlagged(f.filter((v) => v.communeCode === commune));
      })
      .catch((err: unknown) => !isAbort(err) && setError(errorMessage(err)));
    return () => controller.abort();
  }, [commune, version]);

  if (commune && sheet) return <GroupSheet commune={commune} groupId={sheet} />;
  return (
    <div data-testid="outreach-page">
      <div className="card-head">
        <h1>{t('page_title')}</h1>
        <a className="btn btn-secondary" href="/field/" data-testid="open-field">
          {t('open_field')}
        </a>
      </div>
      <ErrorBanner message={error} onDismiss={() => setError(null)} />
      <Notice message={notice} onDismiss={() => setNotice(null)} />
      <section className="card">
        <Field id="outreach-commune" label={t('commune')}>
          <UnitPicker id="outreach-commune" codes={commune ? [commune] : []} levels={COMMUNE} onChange={(codes) => navigate('outreach', ...codes.slice(0, 1))} />
        </Field>
      </section>

      {commune && <ProgressPanel unit={commune} version={version} />}

      {commune && groups && (
        <section className="card" data-testid="outreach-groups">
          <div className="card-head">
            <h2>{t('groups.title')}</h2>
            {canManage && editing === null && (
              <button type="button" className="btn btn-primary" onClick={() => setEditing('new')} data-testid="group-new">
                {t('groups.new')}
              </button>
            )}
          </div>
          {editing !== null && (
            <GroupForm
              commune={commune}
              initial={editing === 'new' ? undefined : editing}
              onCancel={() => setEditing(null)}
              onSaved={(g) => {
                setEditing(null);
                setNotice(t('groups.saved', { name: g.name }));
                setVersion((v) => v + 1);
              }}
            />
          )}
          {groups.length === 0 ? (
            <p className="muted">{t('groups.none')}</p>
          ) : (
            <DataTable columns={[t('groups.name'), t('groups.villages'), t('groups.leader'), t('groups.members'), t('groups.period'), { label: t('groups.actions'), hidden: true }]} testId="groups-table">
              {groups.map((g) => (
                <tr key={g.id} data-testid="group-row">
                  <td>{g.name}</td>
                  <td>{g.villages.map((v) => v.name).join(', ')}</td>
                  <td>{g.leader?.displayName ?? '—'}</td>
                  <td>{g.members.map((m) => m.displayName || m.username).join(', ')}</td>
                  <td>{g.periodFrom || g.periodTo ? `${formatDate(g.periodFrom) || '…'} – ${formatDate(g.periodTo) || '…'}` : '—'}</td>
                  <td>
                    <a className="btn btn-ghost btn-small" href={`#/outreach/${commune}/sheet/${g.id}`} data-testid="group-sheet-link">
                      {t('groups.sheet')}
                    </a>
                    {canManage && (
                      <button type="button" className="btn btn-ghost btn-small" onClick={() => setEditing(g)}>
                        {t('groups.edit')}
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </DataTable>
          )}
        </section>
      )}

      {commune && flagged.length > 0 && (
        <section className="card" data-testid="outreach-flagged">
          <h2>{t('flagged.title', { count: flagged.length })}</h2>
          <p className="muted small">{t('flagged.lead')}</p>
          <DataTable columns={[t('flagged.at'), t('household'), t('flagged.outcome'), t('flagged.reason'), t('flagged.by')]} testId="flagged-table">
            {flagged.map((v) => (
              <tr key={v.id}>
                <td>{formatDateTime(v.visitedAt)}</td>
                <td>
                  <a href={`#/register/household/${v.householdId}`}>{t('flagged.open')}</a>
                </td>
                <td>{t(`outcome_done.${v.outcome}`)}</td>
                <td>{v.flagReason ? t(`flagged.reasons.${v.flagReason}`, { defaultValue: v.flagReason }) : ''}</td>
                <td>{v.userName}</td>
              </tr>
            ))}
          </DataTable>
        </section>
      )}

      {commune && (
        <section className="card" data-testid="outreach-reports">
          <h2>{t('reports.title', { count: reports.length })}</h2>
          {reports.length === 0 ? (
            <p className="muted">{t('reports.none')}</p>
          ) : (
            <ul className="report-list">
              {reports.map((r) => (
                <ReportItem key={r.id} report={r} canDecide={canManage} onDecided={(text) => {
                  setNotice(text);
                  setVersion((v) => v + 1);
                }} />
              ))}
            </ul>
          )}
        </section>
      )}
    </div>
  );
}

function ReportItem({ report: r, canDecide, onDecided }: { report: Report; canDecide: boolean; onDecided: (notice: string) => void }) {
  const { t } = useTranslation('field');
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const decide = async (accept: boolean) => {
    setBusy(true);
    setError(null);
    try {
      if (accept) await fieldApi.acceptReport(r.id, { note: note || null });
      else await fieldApi.rejectReport(r.id, { note: note || null });
      onDecided(t(accept ? 'reports.accepted' : 'reports.rejected', { name: r.fullName ?? '' }));
    } catch (err) {
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <li className="report-item" data-testid="report-item">
      <strong>{r.fullName}</strong> ({formatDate(r.birthDate)}) · {t('household')} {r.householdCode} · {r.villageName}
      <br />
      <span className="badge">{t(`reasons.${r.kind}`)}</span>
      {r.cardNumber && <> · {t('other_card')}: {r.cardNumber}</>}
      {r.note && <> · {r.note}</>}
      <br />
      <span className="muted small">{t('reports.by', { name: r.reportedBy, phone: formatDateTime(r.reportedAt), server: formatDateTime(r.receivedAt) })}</span>
      <ErrorBanner message={error} />
      {canDecide && (
        <div className="input-row">
          <input aria-label={t('reports.note')} placeholder={t('reports.note')} value={note} maxLength={500} onChange={(e) => setNote(e.target.value)} />
          <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={() => void decide(true)} data-testid="report-accept">
            {t('reports.accept')}
          </button>
          <button type="button" className="btn btn-secondary btn-small" disabled={busy} onClick={() => void decide(false)} data-testid="report-reject">
            {t('reports.reject')}
          </button>
        </div>
      )}
    </li>
  );
}
