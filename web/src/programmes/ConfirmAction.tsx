/**
 * No money moves on one click (issue 16): every button that posts to a programme's ledger or changes its
 * status opens a confirmation stating the action, the count and the amount (`29.919.780 ₫`), and sends
 * exactly those figures as `confirm` with one Idempotency-Key per confirmation; the buttons are disabled
 * while a request runs, so a double click never posts twice. The figures come from the server: the action
 * is first sent unconfirmed, which changes nothing and answers what it would do (409
 * confirmation_required with error.details), unless the page already shows them (a round's total).
 */
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { formatVnd } from '../format';

/** What the user confirmed: the count and the dong, or `true` for a step that moves no money. */
export type Confirmation = true | { count: number; amount: number };

export interface ConfirmDetails {
  action: string;
  count: number;
  amount: number;
  moneyMoves: boolean;
}

export type ConfirmedCall<T> = (confirm: Confirmation | undefined, idempotencyKey: string | undefined) => Promise<T>;

export function confirmDetailsOf(err: unknown): ConfirmDetails | null {
  return err instanceof ApiError && err.code === 'confirmation_required' && err.details ? (err.details as unknown as ConfirmDetails) : null;
}

const newKey = () =>
  typeof crypto !== 'undefined' && typeof crypto.randomUUID === 'function' ? crypto.randomUUID() : `web-${Date.now()}-${Math.random().toString(36).slice(2, 12)}`;

/**
 * `ask` opens the confirmation (figures from the server, or `known`); `confirm` sends the action confirmed
 * and resolves with its result (undefined if a request is already running). Errors other than "confirm
 * first" are thrown to the caller; when the figures changed in between, the new ones are shown and the
 * error (whose message names them) is thrown.
 */
export function useConfirmedAction<T>(call: ConfirmedCall<T>) {
  const [pending, setPending] = useState<{ details: ConfirmDetails; key: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const running = useRef(false);

  async function guard<R>(fn: () => Promise<R>): Promise<R | undefined> {
    if (running.current) return undefined;
    running.current = true;
    setBusy(true);
    try {
      return await fn();
    } finally {
      running.current = false;
      setBusy(false);
    }
  }

  const ask = (known?: ConfirmDetails) =>
    guard(async () => {
      if (known) return setPending({ details: known, key: newKey() });
      try {
        await call(undefined, undefined);
      } catch (err) {
        const details = confirmDetailsOf(err);
        if (!details) throw err;
        setPending({ details, key: newKey() });
      }
    });

  const confirm = () =>
    guard(async () => {
      if (!pending) return undefined;
      const { details, key } = pending;
      try {
        const result = await call(details.moneyMoves ? { count: details.count, amount: details.amount } : true, key);
        setPending(null);
        return result;
      } catch (err) {
        const now = confirmDetailsOf(err);
        if (now) setPending({ details: now, key: newKey() });
        throw err;
      }
    });

  return { pending: pending?.details ?? null, busy, ask, confirm, cancel: () => setPending(null) };
}

/** The confirmation line (as the round approval's): the text, a confirm button and ✕. */
export function ConfirmBar({
  details,
  text,
  busy,
  onConfirm,
  onCancel,
  testId,
  label,
}: {
  details: ConfirmDetails;
  /** The sentence; default programmes:confirm_dialog.<action> with {count, amount}. */
  text?: string;
  busy: boolean;
  onConfirm: () => void;
  onCancel: () => void;
  testId: string;
  label?: string;
}) {
  const { t } = useTranslation('programmes');
  return (
    <div className="row-actions confirm" data-testid={testId} data-count={details.count} data-amount={details.amount}>
      <span className="confirm-text">{text ?? t(`confirm_dialog.${details.action}`, { count: details.count, amount: formatVnd(details.amount) })}</span>
      <button type="button" className="btn btn-primary btn-small" disabled={busy} onClick={onConfirm} data-testid={`${testId}-yes`}>
        {label ?? t('confirm_dialog.yes')}
      </button>
      <button type="button" className="btn btn-ghost btn-small" disabled={busy} onClick={onCancel} aria-label={t('confirm_dialog.no')}>
        ✕
      </button>
    </div>
  );
}
