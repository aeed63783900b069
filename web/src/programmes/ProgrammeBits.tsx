/** Small pieces of the programme screens: the status pill and the overdue badge. */
import { useTranslation } from 'react-i18next';
import { parseDayMonthYear } from '../register/HouseholdBits';
import { i18n } from '../i18n';
import type { FormErrors } from '../errors';
import type { ProgrammeStatus } from './programmesApi';

/** A field the form refuses before asking the server (a date not typed as dd/MM/yyyy). */
export class LocalFieldError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(message);
  }
}

/** The ISO date of a dd/MM/yyyy text, or LocalFieldError naming the field. */
export function dayOf(text: string, field: string): string {
  const iso = parseDayMonthYear(text);
  if (!iso) throw new LocalFieldError(field, i18n.t('programmes:fields.day_format'));
  return iso;
}

/** The form's errors for a LocalFieldError, or undefined for any other error. */
export function localErrors(err: unknown): FormErrors | undefined {
  return err instanceof LocalFieldError ? { fields: { [err.field]: err.message }, banner: null } : undefined;
}

const DONE: readonly ProgrammeStatus[] = ['handed_over', 'closed'];

export function StatusPill({ status }: { status: ProgrammeStatus }) {
  const { t } = useTranslation('programmes');
  const tone = DONE.includes(status) ? 'pill-ok' : status === 'draft' ? 'pill-off' : 'pill-action';
  return (
    <span className={`pill ${tone}`} data-testid="programme-status" data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}

export function OverdueBadge() {
  const { t } = useTranslation('programmes');
  return (
    <span className="pill pill-delete" data-testid="programme-overdue">
      {t('list.overdue')}
    </span>
  );
}
