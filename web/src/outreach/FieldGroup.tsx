/**
 * A group's door-to-door list on the phone: households by village, what each must pay, and what was done
 * there (the server's last visit, or a visit logged on this phone and not yet sent). Read from the copy
 * kept on the phone; refreshed from the server when online.
 */
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { errorMessage } from '../errors';
import { foldText, formatDateTime, formatVnd } from '../format';
import { fieldApi, type DoorHousehold, type DoorList } from './fieldApi';
import { fieldStore, type QueuedVisit, type SessionInfo } from './fieldStore';

/** The latest outcome logged on this phone per person and per household (the household's own for "nobody home"). */
export function localOutcomes(items: { input: QueuedVisit['input']; queuedAt: string }[]) {
  const byPerson = new Map<string, string>();
  const byHousehold = new Map<string, string>();
  for (const v of [...items].sort((a, b) => a.queuedAt.localeCompare(b.queuedAt))) {
    if (v.input.personId) byPerson.set(v.input.personId, v.input.outcome);
    if (v.input.householdId) byHousehold.set(v.input.householdId, v.input.outcome);
  }
  return { byPerson, byHousehold };
}

export function useDoorList(session: SessionInfo, groupId: string, online: boolean) {
  const [list, setList] = useState<{ list: DoorList; fetchedAt: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let stop = false;
    void fieldStore.list(groupId).then((kept) => {
      if (!stop && kept) setList((old) => old ?? kept);
    });
    if (online) {
      const controller = new AbortController();
      fieldApi
        .doors(groupId, controller.signal)
        .then(async (fresh) => {
          await fieldStore.saveList(session.userId, fresh);
          if (!stop) setList({ list: fresh, fetchedAt: new Date().toISOString() });
        })
        .catch((err: unknown) => {
          if (!stop && !(err instanceof DOMException)) setError(errorMessage(err));
        });
      return () => {
        stop = true;
        controller.abort();
      };
    }
    return () => {
      stop = true;
    };
  }, [groupId, online, session.userId]);
  return { list, error };
}

export function FieldGroup({ session, groupId, online, waiting }: { session: SessionInfo; groupId: string; online: boolean; waiting: QueuedVisit[] }) {
  const { t } = useTranslation('field');
  const { list, error } = useDoorList(session, groupId, online);
  const [sent, setSent] = useState<QueuedVisit[]>([]);
  const [query, setQuery] = useState('');
  useEffect(() => {
    void fieldStore.sent(session.userId).then(setSent);
  }, [session.userId, waiting]);

  const local = useMemo(() => localOutcomes([...sent, ...waiting]), [sent, waiting]);
  const villages = useMemo(() => {
    const q = foldText(query.trim());
    const out = new Map<string, { name: string; households: DoorHousehold[] }>();
    for (const h of list?.list.households ?? []) {
      if (q && !foldText([h.code, h.address ?? '', ...h.members.map((m) => m.fullName)].join(' ')).includes(q)) continue;
      const key = h.villageCode ?? '';
      if (!out.has(key)) out.set(key, { name: h.villageName ?? t('no_village'), households: [] });
      out.get(key)!.households.push(h);
    }
    return [...out.values()];
  }, [list, query, t]);

  if (!list) return <p className="muted">{error ?? t('loading')}</p>;
  const { group, summary } = list.list;
  return (
    <>
      <p>
        <a href="#/" className="field-link">
          ‹ {t('back')}
        </a>
      </p>
      <h1 data-testid="field-group-title">{group.name}</h1>
      <p className="muted small">
        {group.communeName} · {t('households_to_visit', { count: summary.households })} · {t('need_card', { count: summary.needCard })} ·{' '}
        {t('list_as_of', { when: formatDateTime(list.fetchedAt) })}
      </p>
      {error && <p className="field-error">{error}</p>}
      <label htmlFor="field-search" className="visually-hidden">
        {t('search')}
      </label>
      <input id="field-search" type="search" className="field-search" placeholder={t('search')} value={query} onChange={(e) => setQuery(e.target.value)} data-testid="field-search" />
      {villages.map((v) => (
        <section key={v.name}>
          <h2 className="field-village">{v.name}</h2>
          <ul className="field-list">
            {v.households.map((h) => {
              const done = local.byHousehold.get(h.id);
              const head = h.members[0];
              return (
                <li key={h.id}>
                  <a href={`#/g/${group.id}/h/${h.id}`} className={`field-item${done ? ' is-done' : ''}`} data-testid={`field-household-${h.code}`}>
                    <strong>
                      {h.code} · {head?.fullName ?? ''}
                    </strong>
                    <span className="muted small">{h.address}</span>
                    <span className="small">
                      {t('members_need_card', { count: h.members.filter((m) => m.needsCard).length })}
                      {h.payable > 0 && <> · {formatVnd(h.payable)}</>}
                    </span>
                    {(done || h.lastVisitAt) && (
                      <span className="field-badge" data-testid={`field-household-${h.code}-state`}>
                        {done ? t(`outcome_done.${done}`) + (waiting.some((w) => w.input.householdId === h.id) ? ` · ${t('not_sent')}` : '') : t('visited_on', { when: formatDateTime(h.lastVisitAt) })}
                      </span>
                    )}
                  </a>
                </li>
              );
            })}
          </ul>
        </section>
      ))}
    </>
  );
}
