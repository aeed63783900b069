/**
 * What every form of the app does when it is sent: messages found in the browser are shown without
 * sending (`invalid`); while it is sent (`send`), the form is busy and its earlier messages go; a
 * failure's messages are shown next to their fields (`errorsOf`: splitErrors or mapErrors) and the rest
 * in a banner, the form's own or the page's (`onBanner`); with no field message, the banner says what
 * went wrong.
 */
import { useState } from 'react';
import { NO_ERRORS, errorMessage, type FormErrors } from '../errors';

export function useFormSubmit({
  errorsOf,
  onBanner,
  initialBanner,
}: {
  errorsOf: (err: unknown) => FormErrors;
  onBanner?: (message: string | null) => void;
  /** A message to show before anything is sent (say, why the user was signed out). */
  initialBanner?: string;
}) {
  const [errors, setErrors] = useState<FormErrors>(initialBanner ? { fields: {}, banner: initialBanner } : NO_ERRORS);
  const [busy, setBusy] = useState(false);

  /** Shows `fields` (field -> message found in the browser); true when there is any. */
  function invalid(fields: Record<string, string>): boolean {
    if (Object.keys(fields).length === 0) return false;
    setErrors({ fields, banner: null });
    return true;
  }

  async function send(action: () => Promise<void>): Promise<void> {
    setBusy(true);
    setErrors(NO_ERRORS);
    onBanner?.(null);
    try {
      await action();
    } catch (err) {
      const { fields, banner } = errorsOf(err);
      const message = banner ?? (Object.keys(fields).length ? null : errorMessage(err));
      if (onBanner) {
        setErrors({ fields, banner: null });
        onBanner(message);
      } else setErrors({ fields, banner: message });
    } finally {
      setBusy(false);
    }
  }

  return { errors, setErrors, busy, invalid, send };
}
