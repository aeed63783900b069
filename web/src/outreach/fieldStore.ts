/**
 * What the phone keeps (IndexedDB, through `idb`): the signed-in worker, each group's door-to-door list as
 * last fetched, the follow-up queue, and the visits logged here.
 *
 * Visits are appended, never edited (a correction is a new visit). A visit waits in `outbox` until the
 * server has acknowledged it (stored, or already stored: a duplicate); only then is it moved to `sent`,
 * kept a few days so the lists still show what was done today. A visit the server refused stays in the
 * outbox, marked with the server's message, until the worker discards it. Nothing here is cleared by
 * logging out: the items belong to the worker who logged them and go out when that worker is signed in.
 */
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { DoorList, FollowUp, VisitInput } from './fieldApi';

export interface SessionInfo {
  userId: string;
  username: string;
  displayName: string;
  role: string;
  scopeCode: string | null;
  /** When the worker last signed in online (ISO). */
  at: string;
}

export interface QueuedVisit {
  clientId: string;
  userId: string;
  input: VisitInput;
  queuedAt: string;
  /** Failed sends so far (network, server down). */
  attempts: number;
  /** The server refused it: its message (kept for the worker to read and discard). */
  refused: string | null;
}

export interface SentVisit extends QueuedVisit {
  sentAt: string;
  /** The server flagged it (the household changed meanwhile): for the officer to look at. */
  flagged: boolean;
}

interface FieldDb extends DBSchema {
  meta: { key: string; value: { key: string; session?: SessionInfo | null } };
  lists: { key: string; value: { groupId: string; userId: string; list: DoorList; fetchedAt: string } };
  followUps: { key: string; value: { userId: string; items: FollowUp[]; fetchedAt: string } };
  outbox: { key: string; value: QueuedVisit; indexes: { byUser: string } };
  sent: { key: string; value: SentVisit; indexes: { byUser: string } };
}

const NAME = 'coverdesk-field';
/** Sent visits are kept this long on the phone (to show today's work), then dropped. */
const KEEP_SENT_DAYS = 7;

let opened: Promise<IDBPDatabase<FieldDb>> | null = null;

function db(): Promise<IDBPDatabase<FieldDb>> {
  opened ??= openDB<FieldDb>(NAME, 1, {
    upgrade(d) {
      d.createObjectStore('meta', { keyPath: 'key' });
      d.createObjectStore('lists', { keyPath: 'groupId' });
      d.createObjectStore('followUps', { keyPath: 'userId' });
      d.createObjectStore('outbox', { keyPath: 'clientId' }).createIndex('byUser', 'userId');
      d.createObjectStore('sent', { keyPath: 'clientId' }).createIndex('byUser', 'userId');
    },
  });
  return opened;
}

/** Asks the browser not to evict our data under storage pressure (true when granted). */
export async function askPersistentStorage(): Promise<boolean> {
  try {
    if (!navigator.storage?.persist) return false;
    return (await navigator.storage.persisted()) || (await navigator.storage.persist());
  } catch {
    return false;
  }
}

export const fieldStore = {
  async session(): Promise<SessionInfo | null> {
    return (await (await db()).get('meta', 'session'))?.session ?? null;
  },
  async setSession(session: SessionInfo | null): Promise<void> {
    await (await db()).put('meta', { key: 'session', session });
  },

  async saveList(userId: string, list: DoorList): Promise<void> {
    await (await db()).put('lists', { groupId: list.group.id, userId, list, fetchedAt: new Date().toISOString() });
  },
  async lists(userId: string) {
    return (await (await db()).getAll('lists')).filter((l) => l.userId === userId);
  },
  async list(groupId: string) {
    return (await db()).get('lists', groupId);
  },

  async saveFollowUps(userId: string, items: FollowUp[]): Promise<void> {
    await (await db()).put('followUps', { userId, items, fetchedAt: new Date().toISOString() });
  },
  async followUps(userId: string) {
    return (await db()).get('followUps', userId);
  },

  /** Appends a visit to the outbox (its client id was made on the phone). */
  async queue(userId: string, input: VisitInput): Promise<QueuedVisit> {
    const item: QueuedVisit = { clientId: input.clientId, userId, input, queuedAt: new Date().toISOString(), attempts: 0, refused: null };
    await (await db()).add('outbox', item);
    return item;
  },
  async waiting(userId?: string): Promise<QueuedVisit[]> {
    const d = await db();
    const all = userId ? await d.getAllFromIndex('outbox', 'byUser', userId) : await d.getAll('outbox');
    return all.sort((a, b) => a.queuedAt.localeCompare(b.queuedAt));
  },
  async sent(userId: string): Promise<SentVisit[]> {
    return (await db()).getAllFromIndex('sent', 'byUser', userId);
  },

  /** The server has the visit: it leaves the outbox and is kept as sent, in one transaction. */
  async acknowledge(clientId: string, flagged: boolean): Promise<void> {
    const tx = (await db()).transaction(['outbox', 'sent'], 'readwrite');
    const item = await tx.objectStore('outbox').get(clientId);
    if (item) {
      await tx.objectStore('sent').put({ ...item, refused: null, sentAt: new Date().toISOString(), flagged });
      await tx.objectStore('outbox').delete(clientId);
    }
    await tx.done;
  },
  async markRefused(clientId: string, message: string): Promise<void> {
    const d = await db();
    const item = await d.get('outbox', clientId);
    if (item) await d.put('outbox', { ...item, refused: message });
  },
  async markAttempt(clientIds: string[]): Promise<void> {
    const tx = (await db()).transaction('outbox', 'readwrite');
    for (const id of clientIds) {
      const item = await tx.store.get(id);
      if (item) await tx.store.put({ ...item, attempts: item.attempts + 1 });
    }
    await tx.done;
  },
  /** The worker drops a visit the server refused (only those: a waiting visit cannot be thrown away). */
  async discardRefused(clientId: string): Promise<void> {
    const d = await db();
    const item = await d.get('outbox', clientId);
    if (item?.refused) await d.delete('outbox', clientId);
  },

  /** Drops sent visits older than a week. */
  async prune(now = new Date()): Promise<void> {
    const cutoff = new Date(now.getTime() - KEEP_SENT_DAYS * 86_400_000).toISOString();
    const tx = (await db()).transaction('sent', 'readwrite');
    for (const item of await tx.store.getAll()) if (item.sentAt < cutoff) await tx.store.delete(item.clientId);
    await tx.done;
  },
};
