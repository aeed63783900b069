/** Sign-in on the phone: needs the network once; afterwards the pages work offline with the kept session. */
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { accessApi, type User } from '../access/accessApi';
import { errorMessage } from '../errors';

export function FieldLogin({ reason, online, onSignedIn }: { reason?: string; online: boolean; onSignedIn: (user: User, csrf: string) => void }) {
  const { t } = useTranslation('field');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (!username.trim() || !password) return setError(t('login_required'));
    setBusy(true);
    setError(null);
    try {
      const session = await accessApi.login(username.trim(), password);
      onSignedIn(session.user, session.csrfToken);
    } catch (err) {
      setPassword('');
      setError(errorMessage(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="field-login" onSubmit={submit} noValidate>
      <h1>{t('login_title')}</h1>
      {reason && <p className="field-note">{reason}</p>}
      {!online && <p className="field-error">{t('login_offline')}</p>}
      {error && (
        <p className="field-error" role="alert">
          {error}
        </p>
      )}
      <label htmlFor="login-username">{t('username')}</label>
      <input id="login-username" data-testid="login-username" autoComplete="username" autoCapitalize="none" spellCheck={false} value={username} onChange={(e) => setUsername(e.target.value)} />
      <label htmlFor="login-password">{t('password')}</label>
      <input id="login-password" data-testid="login-password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} />
      <button type="submit" className="field-btn field-btn-primary field-btn-block" disabled={busy || !online} data-testid="login-submit">
        {t('login_submit')}
      </button>
    </form>
  );
}
