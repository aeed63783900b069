import { useTranslation } from 'react-i18next';
import type { User } from '../api';
import { LANGUAGES, currentLanguage, isLanguage, setLanguage } from '../i18n';
import { href } from '../router';

export type Section = 'units' | 'users' | 'audit' | null;

/** The top bar: product name, navigation, language switch, the signed-in user and logout. */
export function Header({
  user,
  section,
  onLogout,
}: {
  user: User | null;
  section: Section;
  onLogout: () => void;
}) {
  const { t } = useTranslation('web');
  const isAdmin = user?.role === 'admin';
  const lang = currentLanguage();

  return (
    <header className="topbar">
      <div className="topbar-inner">
        <a className="brand" href={user ? href('units') : href('login')}>
          <span className="brand-mark" aria-hidden="true">
            +
          </span>
          <span className="brand-name">coverdesk</span>
        </a>

        {user && (
          <nav className="nav" aria-label={t('nav.label')}>
            <a
              href={href('units')}
              data-testid="nav-units"
              className={section === 'units' ? 'active' : undefined}
              aria-current={section === 'units' ? 'page' : undefined}
            >
              {t('nav.units')}
            </a>
            {isAdmin && (
              <a
                href={href('users')}
                data-testid="nav-users"
                className={section === 'users' ? 'active' : undefined}
                aria-current={section === 'users' ? 'page' : undefined}
              >
                {t('nav.users')}
              </a>
            )}
            {isAdmin && (
              <a
                href={href('audit')}
                data-testid="nav-audit"
                className={section === 'audit' ? 'active' : undefined}
                aria-current={section === 'audit' ? 'page' : undefined}
              >
                {t('nav.audit')}
              </a>
            )}
          </nav>
        )}

        <div className="topbar-tools">
          <label className="visually-hidden" htmlFor="lang-switch">
            {t('lang.label')}
          </label>
          <select
            id="lang-switch"
            className="lang-switch"
            data-testid="lang-switch"
            value={lang}
            onChange={(e) => {
              if (isLanguage(e.target.value)) void setLanguage(e.target.value);
            }}
          >
            {LANGUAGES.map((l) => (
              <option key={l} value={l}>
                {t(`lang.${l}`)}
              </option>
            ))}
          </select>

          {user && (
            <>
              <div className="user-chip" data-testid="current-user">
                <span className="user-name">{user.displayName || user.username}</span>
                <span className="user-role">{t(`roles.${user.role}`)}</span>
              </div>
              <button type="button" className="btn btn-ghost btn-small" data-testid="logout" onClick={onLogout}>
                {t('auth.logout')}
              </button>
            </>
          )}
        </div>
      </div>
    </header>
  );
}
