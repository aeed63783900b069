/**
 * The field pages (/field/): a village head or commune officer on a cheap phone with a weak signal. After
 * one sign-in online, the pages open and work with no network: the groups' door-to-door lists and the
 * follow-up queue are kept on the phone (fieldStore), visits are logged there with ids made on the phone
 * and sent by the page itself when the network is back (fieldSync). The header always says whether the
 * phone is online and how many visits wait to be sent.
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessApi, type User } from '../access/accessApi';
import { ApiError, setCsrfToken } from '../api/client';
import { setLanguage, isLanguage, readLanguageCookie } from '../i18n';
import { navigate, useRoute } from '../router';
import { errorMessage } from '../errors';
import { formatDateTime } from '../format';
import { fieldApi } from './fieldApi';
import { askPersistentStorage, fieldStore, type QueuedVisit, type SessionInfo } from './fieldStore';
import { syncNow, type SyncResult } from './fieldSync';
import { FieldLogin } from './FieldLogin';
import { FieldGroup } from './FieldGroup';
import { FieldHousehold } from './FieldHousehold';
import { FieldQueue } from './FieldQueue';

/** While visits wait, the page tries to send them this often (and at once when the network comes back). */
const RETRY_MS = 30_000;

function useOnline(): boolean {
  const [online, setOnline] = useState(() => navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

type Auth = { status: 'loading' } | { status: 'signed_in'; session: SessionInfo; live: boolean } | { status: 'anonymous'; reason?: string };

export function FieldApp() {
  const { t } = useTranslation('field');
  const online = useOnline();
  const route = useRoute();
  const [auth, setAuth] = useState<Auth>({ status: 'loading' });
  const [waiting, setWaiting] = useState<QueuedVisit[]>([]);
  const [lastSync, setLastSync] = useState<SyncResult | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const session = auth.status === 'signed_in' ? auth.session : null;
  const live = auth.status === 'signed_in' && auth.live;

  const refreshWaiting = useCallback(async () => {
    setWaiting(session ? await fieldStore.waiting(session.userId) : []);
  }, [session]);

  const signedIn = useCallback(async (user: User, csrf: string) => {
    setCsrfToken(csrf);
    if (!readLanguageCookie() && isLanguage(user.language)) void setLanguage(user.language);
    const info: SessionInfo = { userId: user.id, username: user.username, displayName: user.displayName, role: user.role, scopeCode: user.scopeCode, at: new Date().toISOString() };
    await fieldStore.setSession(info);
    void askPersistentStorage();
    setAuth({ status: 'signed_in', session: info, live: true });
  }, []);

  // who is signed in: the server's session when it answers, else the one kept on the phone
  useEffect(() => {
    let stop = false;
    (async () => {
      const kept = await fieldStore.session();
      try {
        const me = await accessApi.me();
        if (!stop) await signedIn(me.user, me.csrfToken);
      } catch (err) {
        if (stop) return;
        const signedOut = err instanceof ApiError && err.status === 401;
        if (!signedOut && kept) setAuth({ status: 'signed_in', session: kept, live: false });
        else setAuth({ status: 'anonymous', reason: signedOut || kept ? undefined : t('needs_network') });
      }
    })();
    void fieldStore.prune();
    return () => {
      stop = true;
    };
  }, [signedIn, t]);

  // back online with a kept session: check it with the server (a new CSRF token) before sending
  useEffect(() => {
    if (!online || auth.status !== 'signed_in' || auth.live) return;
    accessApi
      .me()
      .then((me) => signedIn(me.user, me.csrfToken))
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) setAuth({ status: 'anonymous', reason: t('session_ended') });
      });
  }, [online, auth, signedIn, t]);

  const send = useCallback(async () => {
    if (!session || !live) return;
    const r = await syncNow(session.userId);
    setLastSync(r);
    if (r.stoppedBy === 'signed_out') setAuth({ status: 'anonymous', reason: t('session_ended') });
    await refreshWaiting();
  }, [session, live, refreshWaiting, t]);

  useEffect(() => {
    void refreshWaiting();
  }, [refreshWaiting]);

  // the page sends by itself: when it opens online, when the network comes back, and every half minute while visits wait
  const pending = waiting.filter((v) => !v.refused).length;
  useEffect(() => {
    if (!online || !live) return;
    void send();
  }, [online, live, send]);
  useEffect(() => {
    if (!online || !live || pending === 0) return;
    const timer = window.setInterval(() => void send(), RETRY_MS);
    return () => window.clearInterval(timer);
  }, [online, live, pending, send]);

  const logout = async () => {
    if (pending > 0 && !window.confirm(t('logout_waiting', { count: pending }))) return;
    try {
      await accessApi.logout();
    } catch {
      // offline: the session ends on the phone; the waiting visits stay for the next sign-in
    }
    setCsrfToken(null);
    await fieldStore.setSession(null);
    setAuth({ status: 'anonymous' });
    navigate();
  };

  const queued = async () => {
    await refreshWaiting();
    setNotice(online ? t('saved_sending') : t('saved_offline'));
    if (online) void send();
  };

  if (auth.status === 'loading') return <p className="field-page muted">{t('loading')}</p>;
  if (auth.status === 'anonymous')
    return (
      <main className="field-page">
        <FieldLogin reason={auth.reason} online={online} onSignedIn={(u, csrf) => void signedIn(u, csrf)} />
        {waiting.length > 0 && <p className="field-note">{t('kept_for_owner', { count: waiting.length })}</p>}
      </main>
    );

  const [section, groupId, sub, householdId] = route;
  return (
    <div className="field-shell">
      <header className="field-header">
        <a href="#/" className="field-home">
          coverdesk
        </a>
        <span className={`field-net ${online ? 'is-online' : 'is-offline'}`} data-testid="field-network">
          {online ? t('online') : t('offline')}
        </span>
        <button type="button" className="field-link" onClick={() => void logout()} data-testid="field-logout">
          {t('logout')}
        </button>
      </header>
      <div className={`field-outbox${pending ? ' has-waiting' : ''}`} data-testid="field-outbox">
        <span data-testid="pending-count" data-count={pending}>
          {t('waiting', { count: pending })}
        </span>
        {pending > 0 && online && live && (
          <button type="button" className="field-btn field-btn-small" onClick={() => void send()} data-testid="send-now">
            {t('send_now')}
          </button>
        )}
        {lastSync?.stoppedBy && pending > 0 && <span className="muted small"> {t(`stopped.${lastSync.stoppedBy}`)}</span>}
      </div>
      <Refused items={waiting.filter((v) => v.refused)} onChange={() => void refreshWaiting()} />
      {notice && (
        <p className="field-notice" role="status" data-testid="field-notice">
          {notice}{' '}
          <button type="button" className="field-link" onClick={() => setNotice(null)} aria-label={t('close')}>
            ×
          </button>
        </p>
      )}
      <main className="field-page">
        {section === 'g' && groupId && sub === 'h' && householdId ? (
          <FieldHousehold session={session!} groupId={groupId} householdId={householdId} online={online && live} onQueued={() => void queued()} />
        ) : section === 'g' && groupId ? (
          <FieldGroup session={session!} groupId={groupId} online={online && live} waiting={waiting} />
        ) : section === 'queue' ? (
          <FieldQueue session={session!} online={online && live} />
        ) : (
          <FieldHome session={session!} online={online && live} />
        )}
      </main>
    </div>
  );
}

/** Visits the server refused: the message, and a button to drop each (nothing else is ever dropped). */
function Refused({ items, onChange }: { items: QueuedVisit[]; onChange: () => void }) {
  const { t } = useTranslation('field');
  if (items.length === 0) return null;
  return (
    <section className="field-refused" data-testid="field-refused">
      <h2>{t('refused_title', { count: items.length })}</h2>
      <ul>
        {items.map((v) => (
          <li key={v.clientId}>
            <span>
              {formatDateTime(v.queuedAt)}: {v.refused}
            </span>
            <button
              type="button"
              className="field-btn field-btn-small"
              onClick={() => {
                void fieldStore.discardRefused(v.clientId).then(onChange);
              }}
            >
              {t('discard')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** The worker's groups (kept on the phone; each group's list is fetched and kept as soon as the page is online). */
function FieldHome({ session, online }: { session: SessionInfo; online: boolean }) {
  const { t } = useTranslation('field');
  const [lists, setLists] = useState<Awaited<ReturnType<typeof fieldStore.lists>>>([]);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let stop = false;
    const show = async () => {
      const kept = await fieldStore.lists(session.userId);
      if (!stop) setLists(kept.sort((a, b) => a.list.group.name.localeCompare(b.list.group.name, 'vi')));
    };
    void show();
    if (!online) return;
    (async () => {
      try {
        const groups = await fieldApi.groups();
        for (const g of groups.filter((x) => x.active)) await fieldStore.saveList(session.userId, await fieldApi.doors(g.id));
        await fieldStore.saveFollowUps(session.userId, await fieldApi.followUps());
        if (!stop) setError(null);
      } catch (err) {
        if (!stop) setError(errorMessage(err));
      }
      await show();
    })();
    return () => {
      stop = true;
    };
  }, [session.userId, online]);

  return (
    <>
      <h1>{t('hello', { name: session.displayName || session.username })}</h1>
      {error && <p className="field-error">{error}</p>}
      <a className="field-btn field-btn-block" href="#/queue" data-testid="field-queue-link">
        {t('queue_title')}
      </a>
      <h2>{t('groups_title')}</h2>
      {lists.length === 0 && <p className="muted">{online ? t('no_groups') : t('no_groups_offline')}</p>}
      <ul className="field-list">
        {lists.map(({ list, fetchedAt }) => (
          <li key={list.group.id}>
            <a href={`#/g/${list.group.id}`} className="field-item" data-testid={`field-group-${list.group.id}`}>
              <strong>{list.group.name}</strong>
              <span className="muted small">
                {list.group.communeName} · {t('households_to_visit', { count: list.summary.households })} · {t('visited_count', { count: list.summary.visitedHouseholds })}
              </span>
              <span className="muted small">{t('list_as_of', { when: formatDateTime(fetchedAt) })}</span>
            </a>
          </li>
        ))}
      </ul>
    </>
  );
}
