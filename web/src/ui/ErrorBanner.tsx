import { useTranslation } from 'react-i18next';

/** The page's error banner (data-testid="error-banner"); nothing when there is no message. */
export function ErrorBanner({ message, onDismiss }: { message: string | null | undefined; onDismiss?: () => void }) {
  const { t } = useTranslation('web');
  if (!message) return null;
  return (
    <div className="banner banner-error" role="alert" data-testid="error-banner">
      <span className="banner-text">{message}</span>
      {onDismiss && (
        <button type="button" className="banner-close" onClick={onDismiss} aria-label={t('common.dismiss')}>
          ×
        </button>
      )}
    </div>
  );
}

/** A short confirmation or information message (role=status). */
export function Notice({ message, onDismiss }: { message: string | null | undefined; onDismiss?: () => void }) {
  const { t } = useTranslation('web');
  if (!message) return null;
  return (
    <div className="banner banner-info" role="status" data-testid="notice">
      <span className="banner-text">{message}</span>
      {onDismiss && (
        <button type="button" className="banner-close" onClick={onDismiss} aria-label={t('common.dismiss')}>
          ×
        </button>
      )}
    </div>
  );
}
