/**
 * No money moves on one click (issue 16, section 3): every action that posts to the ledger or changes a
 * programme's status needs an explicit confirmation of what it will do, and may carry an idempotency key
 * so that a repeated request returns the first one's result and posts nothing (docs/decisions.md,
 * "Confirmed money actions").
 *
 * Confirmation: the caller says what it showed the user, `{ count, amount }` (the number of items and
 * the dong that will move). The service computes what would be posted now, inside its transaction after
 * locking the programme, and refuses (409 confirmation_required, field `confirm`, the current figures in
 * `error.details`) when the confirmation is missing or differs. A step that moves no money takes `true`.
 *
 * Idempotency: `idempotent` claims (user, key) in the idempotency_key table before running the action
 * and stores the result after; the same key again answers the stored result, a key still running or
 * used for another action is refused. A failed action releases its key.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { DB } from '../../../db/schema';
import type { Actor } from '../../../domain/access';
import { formatVnd } from '../../../domain/money';
import { AppError } from '../../../errors';
import * as keys from './idempotency.repository';

/** What the client showed the user: the count and the dong, or `true` for a step that moves no money. */
export type Confirmation = true | { count: number; amount: number };

/** The body field of a money action: `{count, amount}` only. Optional in the schema: the service answers a missing one with the figures. */
export const moneyConfirm = z.object({ count: z.number().int().min(0), amount: z.number().int().min(0) }).strict();
/** The body field of a status step or another action that may move no money: `true` or `{count, amount}`. */
export const stepConfirm = z.union([z.literal(true), moneyConfirm]);

/** The actions, for the message (programmes:confirm_action.<action>). */
export type ConfirmAction =
  | 'receipt'
  | 'refund'
  | 'award'
  | 'award_cancel'
  | 'approve_round'
  | 'submit_list'
  | 'unsubmit_list'
  | 'status'
  | 'withdraw_list'
  | 'issue_cards'
  | 'handover_complete'
  | 'match_undo';

/** What the action will do now: `amount` null when it moves no money (then `true` confirms it). */
export interface Pending {
  action: ConfirmAction;
  count: number;
  amount: number | null;
}

export function confirmationMatches(confirm: Confirmation | null | undefined, pending: Pending): boolean {
  if (confirm === true) return pending.amount === null;
  if (!confirm || typeof confirm !== 'object') return false;
  return confirm.count === pending.count && confirm.amount === (pending.amount ?? 0);
}

/** Refuses (409 confirmation_required, field `confirm`) unless `confirm` states exactly what will be done. */
export function requireConfirmation(confirm: Confirmation | null | undefined, pending: Pending): void {
  if (confirmationMatches(confirm, pending)) return;
  const amount = pending.amount ?? 0;
  const details = { action: pending.action, count: pending.count, amount, moneyMoves: pending.amount !== null };
  const params = { count: pending.count, amountVnd: formatVnd(amount), ns: 'programmes' };
  throw new AppError('confirmation_required', { ...params, context: pending.action, details }, [
    { path: 'confirm', key: confirm === undefined || confirm === null ? 'confirm_required' : 'confirm_mismatch', params },
  ]);
}

// ---------------------------------------------------------------------------------------------------
// Idempotency
// ---------------------------------------------------------------------------------------------------

const KEY = /^[\w.:-]{8,200}$/;

const keyField = (key: string) => new AppError('validation', {}, [{ path: 'Idempotency-Key', key: key, params: { ns: 'programmes' } }]);

/**
 * Runs `action` once per (user, key): a repeated key answers the stored result of the first run and
 * runs nothing. `scope` names the action and its target (e.g. "d03.submit:<programme id>"): a key reused
 * for another action is refused. No key: runs the action.
 */
export async function idempotent<T>(db: Kysely<DB>, actor: Actor, key: string | undefined, scope: string, action: () => Promise<T>): Promise<T> {
  if (key === undefined || key === '') return action();
  if (!KEY.test(key)) throw keyField('idempotency_key_invalid');
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await keys.claimKey(db, actor.username, key, scope)) {
      let result: T;
      try {
        result = await action();
      } catch (e) {
        await keys.releaseKey(db, actor.username, key);
        throw e;
      }
      await keys.storeResponse(db, actor.username, key, JSON.stringify(result ?? null));
      return result;
    }
    const found = await keys.findKey(db, actor.username, key);
    if (!found) continue; // released by a failed run in between: claim it again
    if (found.scope !== scope) throw keyField('idempotency_key_other_action');
    if (found.response === null) throw new AppError('conflict', { entity: 'request', id: key });
    return JSON.parse(found.response) as T;
  }
  throw new AppError('conflict', { entity: 'request', id: key });
}

/** `idempotent` for a route: the actor of the request and its Idempotency-Key header, if any. */
export function oncePerKey<T>(db: Kysely<DB>, req: { actor?: Actor | null; headers: IncomingHttpHeaders }, scope: string, action: () => Promise<T>): Promise<T> {
  const v = req.headers['idempotency-key'];
  return idempotent(db, req.actor!, Array.isArray(v) ? v[0] : v, scope, action);
}

/**
 * Runs a confirmed action with the figures the service itself reports: asks once unconfirmed (which
 * changes nothing and answers confirmation_required with the count and amount), then confirms exactly
 * those. For the CLI after the operator agreed (confirm.cli.ts), and for fixtures and tests, which have
 * nobody to show the figures to.
 */
export async function confirmWithFigures<T>(action: (confirm: Confirmation | null) => Promise<T>, agree: (message: AppError) => Promise<boolean> | boolean = () => true): Promise<T> {
  let details: { count: number; amount: number; moneyMoves: boolean };
  try {
    return await action(null);
  } catch (e) {
    if (!(e instanceof AppError) || e.code !== 'confirmation_required') throw e;
    if (!(await agree(e))) throw e;
    details = e.params.details as typeof details;
  }
  return action(details.moneyMoves ? { count: details.count, amount: details.amount } : true);
}
