import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { accessApi, type User } from './accessApi';
import { ErrorBanner } from '../ui/ErrorBanner';
import { TextField } from '../ui/Field';
import { splitErrors } from '../errors';
import { useFormSubmit } from '../ui/useFormSubmit';
import { href } from '../router';

const FIELDS = ['username', 'password'] as const;

export function LoginPage({
  initialError,
  onSignedIn,
}: {
  initialError?: string;
  onSignedIn: (user: User, csrfToken: string) => void;
}) {
  const { t } = useTranslation('web');
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const { errors, busy, invalid, send } = useFormSubmit({ errorsOf: (err) => splitErrors(err, FIELDS), initialBanner: initialError });

  async function submit(e: FormEvent) {
    e.preventDefault();
    const fields: Record<string, string> = {};
    if (!username.trim()) fields.username = t('auth.usernameRequired');
    if (!password) fields.password = t('auth.passwordRequired');
    if (invalid(fields)) return;
    await send(async () => {
      try {
        const session = await accessApi.login(username.trim(), password);
        onSignedIn(session.user, session.csrfToken);
      } catch (err) {
        setPassword('');
        throw err;
      }
    });
  }

  return (
    <section className="card login-card" aria-labelledby="login-title">
      <h1 id="login-title">{t('auth.title')}</h1>
      <p className="muted">{t('auth.subtitle')}</p>
      <ErrorBanner message={errors.banner} />
      <form onSubmit={submit} noValidate>
        <TextField
          id="login-username"
          label={t('auth.username')}
          error={errors.fields.username}
          name="username"
          type="text"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          autoFocus
          value={username}
          onChange={setUsername}
        />
        <TextField
          id="login-password"
          label={t('auth.password')}
          error={errors.fields.password}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
        />
        <button type="submit" className="btn btn-primary btn-block" data-testid="login-submit" disabled={busy}>
          {busy ? t('auth.submitting') : t('auth.submit')}
        </button>
      </form>
      <div className="login-calculator">
        <p>{t('auth.calculatorPrompt')}</p>
        <a className="btn btn-secondary btn-block" href={href('calculator')} data-testid="login-calculator-link">
          {t('auth.calculatorLink')}
        </a>
        <p className="muted small">{t('auth.calculatorHint')}</p>
      </div>
    </section>
  );
}
