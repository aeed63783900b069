/**
 * Sends the visits waiting on the phone. The page does it itself (when it opens, when the network comes
 * back, every half minute while visits wait, and when the worker taps "send"): background sync is not
 * relied on, some browsers never fire it.
 *
 * The server takes a batch and answers per visit; a visit leaves the outbox only once the server has it
 * (stored, or a duplicate of one it stored before: a resend after a cut connection). A cut in the middle
 * of a send leaves the rest waiting, and sending them again stores nothing twice (the client ids).
 */
import { ApiError } from '../api/client';
import { fieldApi } from './fieldApi';
import { fieldStore } from './fieldStore';

/** Visits per request: small enough to get through a weak connection. */
const BATCH = 50;

export interface SyncResult {
  sent: number;
  refused: number;
  /** Why sending stopped (no network, signed out...), null when everything went. */
  stoppedBy: 'network' | 'signed_out' | 'server' | null;
}

let running: Promise<SyncResult> | null = null;

/** Sends the signed-in worker's waiting visits; one send at a time (a second call joins the first). */
export function syncNow(userId: string): Promise<SyncResult> {
  running ??= send(userId).finally(() => {
    running = null;
  });
  return running;
}

async function send(userId: string): Promise<SyncResult> {
  const result: SyncResult = { sent: 0, refused: 0, stoppedBy: null };
  const waiting = (await fieldStore.waiting(userId)).filter((v) => !v.refused);
  for (let i = 0; i < waiting.length; i += BATCH) {
    const chunk = waiting.slice(i, i + BATCH);
    try {
      const answer = await fieldApi.sendVisits(chunk.map((v) => v.input));
      for (const r of answer.results) {
        const item = chunk[r.index];
        if (!item) continue;
        if (r.status === 'refused') {
          await fieldStore.markRefused(item.clientId, r.error?.message ?? '');
          result.refused += 1;
        } else {
          await fieldStore.acknowledge(item.clientId, r.visit?.flagged ?? false);
          result.sent += 1;
        }
      }
    } catch (err) {
      await fieldStore.markAttempt(chunk.map((v) => v.clientId));
      const status = err instanceof ApiError ? err.status : 0;
      result.stoppedBy = status === 401 || status === 403 ? 'signed_out' : status === 0 ? 'network' : 'server';
      break;
    }
  }
  return result;
}
