import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { User } from '../access/accessApi';
import { LANGUAGES, currentLanguage, isLanguage, setLanguage } from '../i18n';
import { href } from '../router';

export type Section = 'coverage' | 'programmes' | 'units' | 'offices' | 'outreach' | 'campaigns' | 'simulator' | 'plans' | 'events' | 'reminders' | 'users' | 'audit' | 'rules' | 'calculator' | 'register' | 'import' | null;

const SECTION_PATHS: Record<Exclude<Section, null>, string[]> = {
  coverage: ['coverage'],
  programmes: ['programmes'],
  units: ['units'],
  offices: ['offices'],
  outreach: ['outreach'],
  campaigns: ['campaigns'],
  simulator: ['simulator'],
  plans: ['plans'],
  events: ['events'],
  reminders: ['reminders'],
  users: ['users'],
  audit: ['audit'],
  rules: ['rules'],
  calculator: ['calculator'],
  register: ['register'],
  import: ['register', 'import'],
};

function NavLink({ to, current, label }: { to: Exclude<Section, null>; current: Section; label: string }) {
  const active = current === to;
  return (
    <a href={href(...SECTION_PATHS[to])} data-testid={`nav-${to}`} className={active ? 'active' : undefined} aria-current={active ? 'page' : undefined}>
      {label}
    </a>
  );
}

/**
 * The top bar: product name, navigation, language switch, the signed-in user and logout. The premium
 * calculator is public: its link shows to everyone, with a sign-in link for visitors. Below 640 px the
 * bar is one slim row (name and a menu button) and the rest opens under it.
 */
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
  // on a phone the menu (links, language, user) folds behind a menu button; going anywhere folds it again
  const [open, setOpen] = useState(false);
  useEffect(() => {
    const close = () => setOpen(false);
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') close();
    };
    window.addEventListener('hashchange', close);
    window.addEventListener('keydown', onKey);
    return () => {
      window.removeEventListener('hashchange', close);
      window.removeEventListener('keydown', onKey);
    };
  }, []);

  return (
    <header className="topbar">
      {/* with five links or more the navigation gets a row of its own below the brand and tools */}
      <div className={`topbar-inner${user ? ' topbar-two-rows' : ''}`}>
        <a className="brand" href={user ? href('coverage') : href('login')}>
          <span className="brand-mark" aria-hidden="true">
            +
          </span>
          <span className="brand-name">coverdesk</span>
        </a>

        <button
          type="button"
          className="menu-toggle"
          data-testid="menu-toggle"
          aria-expanded={open}
          aria-controls="topbar-menu"
          aria-label={open ? t('nav.menuClose') : t('nav.menuOpen')}
          onClick={() => setOpen((o) => !o)}
        >
          <span className="menu-toggle-icon" aria-hidden="true">
            {open ? '✕' : '☰'}
          </span>
          {t('nav.menu')}
        </button>

        {/* on a wide screen this wrapper is transparent (display: contents): the links and tools sit in the bar */}
        <div id="topbar-menu" className={`topbar-menu${open ? ' is-open' : ''}`}>
        <nav className="nav" aria-label={t('nav.label')}>
          {user && <NavLink to="coverage" current={section} label={t('nav.coverage')} />}
          {user && <NavLink to="programmes" current={section} label={t('programmes:nav.title')} />}
          {user && <NavLink to="units" current={section} label={t('nav.units')} />}
          {user && <NavLink to="offices" current={section} label={t('nav.offices')} />}
          {user && <NavLink to="outreach" current={section} label={t('nav.outreach')} />}
          {user && user.role !== 'field_worker' && <NavLink to="campaigns" current={section} label={t('campaigns:web.title')} />}
          {user && user.role !== 'field_worker' && <NavLink to="plans" current={section} label={t('plans:web.title')} />}
          {user && user.role !== 'field_worker' && <NavLink to="events" current={section} label={t('events:web.title')} />}
          {user && user.role !== 'field_worker' && <NavLink to="simulator" current={section} label={t('simulator:web.nav')} />}
          {user && <NavLink to="reminders" current={section} label={t('nav.reminders')} />}
          {user && <NavLink to="register" current={section} label={t('nav.register')} />}
          {user && user.role !== 'viewer' && <NavLink to="import" current={section} label={t('nav.import')} />}
          {user && <NavLink to="rules" current={section} label={t('nav.rules')} />}
          <NavLink to="calculator" current={section} label={t('nav.calculator')} />
          {isAdmin && <NavLink to="users" current={section} label={t('nav.users')} />}
          {isAdmin && <NavLink to="audit" current={section} label={t('nav.audit')} />}
        </nav>

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

          {!user && section === 'calculator' && (
            <a className="btn btn-secondary btn-small" href={href('login')} data-testid="nav-login">
              {t('nav.login')}
            </a>
          )}
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
      </div>
    </header>
  );
}
