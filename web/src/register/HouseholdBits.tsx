/**
 * Small pieces shared by the register's edit forms (household, person, card): dates typed as dd/MM/yyyy
 * and sent as YYYY-MM-DD, the form's action buttons, and an inline confirmation for deletions.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../api/client';
import { errorMessage } from '../errors';
import { formatDate } from '../format';
import { inputProps } from '../ui/Field';

export { parseDayMonthYear } from '../format';

/** A stored date ('YYYY-MM-DD' or null) as the text a date field starts with. */
export function dayText(value: string | null | undefined): string {
  return formatDate(value ?? '');
}

/** A text field for a date typed as dd/MM/yyyy (the form parses it with parseDayMonthYear). */
export function DayInput({
  id,
  testId,
  value,
  error,
  hint,
  onChange,
}: {
  id: string;
  testId: string;
  value: string;
  error?: string;
  hint?: boolean;
  onChange: (value: string) => void;
}) {
  const { t } = useTranslation('web');
  return (
    <input
      {...inputProps(id, error, hint)}
      data-testid={testId}
      type="text"
      inputMode="numeric"
      autoComplete="off"
      maxLength={10}
      placeholder={t('register.form.datePlaceholder')}
      value={value}
      onChange={(e) => onChange(e.target.value)}
    />
  );
}

let pendingNotice: string | null = null;

/** A confirmation for the next register page shown (after a change that leaves the page, e.g. a new household). */
export function setPendingNotice(message: string): void {
  pendingNotice = message;
}

/** The page's notice, starting with the confirmation the previous page left (shown once). */
export function usePendingNotice(): [string | null, (message: string | null) => void] {
  const [notice, setNotice] = useState<string | null>(() => pendingNotice);
  useEffect(() => {
    pendingNotice = null;
  }, []);
  return [notice, setNotice];
}

/** A trimmed text, or null when nothing is left (for fields the API clears with null). */
export function orNull(text: string): string | null {
  const value = text.trim();
  return value === '' ? null : value;
}

/** Whether the server refused the change as a conflict (e.g. a household code already used in the commune). */
export function isConflict(err: unknown): boolean {
  return err instanceof ApiError && err.status === 409;
}

/** Save and cancel, under a form. */
export function FormButtons({
  busy,
  submitLabel,
  testId,
  onCancel,
}: {
  busy: boolean;
  submitLabel: string;
  testId: string;
  onCancel: () => void;
}) {
  const { t } = useTranslation('web');
  return (
    <div className="btn-group">
      <button type="submit" className="btn btn-primary btn-small" data-testid={`${testId}-submit`} disabled={busy}>
        {busy ? t('common.saving') : submitLabel}
      </button>
      <button type="button" className="btn btn-ghost btn-small" data-testid={`${testId}-cancel`} onClick={onCancel}>
        {t('common.cancel')}
      </button>
    </div>
  );
}

/**
 * An inline confirmation: the sentence that names what goes, a red button that runs `action`, and
 * cancel. A failure shows under the sentence and keeps the confirmation open.
 */
export function DeleteConfirm({
  text,
  confirmLabel,
  testId,
  action,
  onDone,
  children,
}: {
  text: string;
  confirmLabel: string;
  testId: string;
  action: () => Promise<void>;
  onDone: (deleted: boolean) => void;
  children?: ReactNode;
}) {
  const { t } = useTranslation('web');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function confirm() {
    setBusy(true);
    setError(null);
    try {
      await action();
      onDone(true);
    } catch (err) {
      setBusy(false);
      setError(errorMessage(err));
    }
  }

  return (
    <div className="delete-confirm" role="group" aria-label={text} data-testid={testId}>
      <div className="row-actions confirm">
        <span className="confirm-text">{text}</span>
        <button type="button" className="btn btn-danger btn-small" data-testid={`${testId}-yes`} disabled={busy} onClick={() => void confirm()}>
          {confirmLabel}
        </button>
        <button type="button" className="btn btn-ghost btn-small" data-testid={`${testId}-no`} onClick={() => onDone(false)}>
          {t('common.cancel')}
        </button>
      </div>
      {children}
      {error && (
        <p className="field-error" role="alert" data-testid={`${testId}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
