/**
 * The app shell: checks the session, shows the login page when there is none, and otherwise the page
 * the hash route names.
 *   #/login                 login (then the user's dashboard, #/coverage/<own unit>; any other route is kept)
 *   #/units                 the 34 provinces
 *   #/units/15              a province's communes
 *   #/units/15/02905        a commune's villages (add, rename, delete)
 *   #/offices[/PROVINCE]    social insurance offices, unit details on forms, facilities, collectors
 *   #/reminders[/UNIT]     renewal reminders: who to remind, their texts, the CSV for the SMS/Zalo sender, the renewal rate
 *   #/outreach[/COMMUNE]    door to door: working groups, every-door progress, field reports to review (phones: /field/)
 *   #/campaigns[/ID]        campaign months: targets, split, progress, closing report
 *   #/simulator[/UNIT]      local support simulator: scenarios side by side, adopt, approve
 *   #/plans[/ID]            plans: goals with live progress, tasks, scorecard, status report; the to-do dashboard
 *   #/events[/ID]           outreach events: list with totals, a new one; an event's attendees, conversion, evidence
 *   #/users                 users (admin)
 *   #/audit                 audit log (admin)
 *   #/rules                 premium and subsidy rules (signed in; admins add entries)
 *   #/calculator            premium calculator (public: no login needed)
 *   #/p/SLUG                a donation programme's public page (public: no login needed)
 *   #/p/SLUG/ledger         its public ledger: receipts, payments to the office, refunds (public)
 *   #/check[/REFERENCE]     a donor checks their own donation (public)
 *   #/register              household register: person search (signed in)
 *   #/register/import       import a register file (not viewers)
 *   #/register/household/ID a household and its members' cards
 *   #/coverage[/CODE]       coverage dashboard (the user's own unit, or Lào Cai, when no code)
 *   #/coverage/CODE/visits  the people to visit in a commune or village
 *   #/programmes            donation programmes (list, create)
 *   #/programmes/ID[/TAB]   a programme: overview, money, selection, handover
 */
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { accessApi, type User } from './access/accessApi';
import { ApiError, onUnauthenticated, setCsrfToken } from './api/client';
import { Header, type Section } from './ui/Header';
import { ErrorBanner, Notice } from './ui/ErrorBanner';
import { isLanguage, readLanguageCookie, setLanguage } from './i18n';
import { navigate, useRoute } from './router';
import { landingAfterLogin } from './landing';
import { LoginPage } from './access/LoginPage';
import { UnitsPage } from './units/UnitsPage';
import { OfficesPage } from './offices/OfficesPage';
import { OutreachPage } from './outreach/OutreachPage';
import { CampaignsPage } from './campaigns/CampaignsPage';
import { SimulatorPage } from './simulator/SimulatorPage';
import { PlansPage } from './plans/PlansPage';
import { EventsPage } from './events/EventsPage';
import { RemindersPage } from './reminders/RemindersPage';
import { UsersPage } from './access/UsersPage';
import { AuditPage } from './audit/AuditPage';
import { CalculatorPage } from './premium/CalculatorPage';
import { PublicProgrammePage } from './programmes/PublicProgrammePage';
import { PublicLedgerPage } from './programmes/PublicLedgerPage';
import { DonorCheckPage } from './programmes/DonorCheckPage';
import { RulesPage } from './premium/RulesPage';
import { RegisterSearchPage } from './register/RegisterSearchPage';
import { ImportPage } from './register/ImportPage';
import { HouseholdPage } from './register/HouseholdPage';
import { CoveragePage } from './coverage/CoveragePage';
import { ProgrammesPage } from './programmes/ProgrammesPage';
import { ProgrammePage } from './programmes/ProgrammePage';

type AuthState =
  | { status: 'loading' }
  | { status: 'anonymous'; notice?: string; error?: string }
  | { status: 'authenticated'; user: User };

function sectionOf(route: string[]): Section {
  const first = route[0];
  if (first === 'register') return route[1] === 'import' ? 'import' : 'register';
  return first === 'coverage' || first === 'programmes' || first === 'units' || first === 'offices' || first === 'outreach' || first === 'campaigns' || first === 'simulator' || first === 'plans' || first === 'events' || first === 'reminders' || first === 'users' || first === 'audit' || first === 'rules' || first === 'calculator'
    ? first
    : null;
}

export function App() {
  const { t, i18n } = useTranslation('web');
  const route = useRoute();
  const [auth, setAuth] = useState<AuthState>({ status: 'loading' });

  const signedIn = useCallback((user: User, csrfToken: string) => {
    setCsrfToken(csrfToken);
    // the user's own language applies unless this browser has already chosen one
    if (!readLanguageCookie() && isLanguage(user.language)) void setLanguage(user.language);
    setAuth({ status: 'authenticated', user });
  }, []);

  useEffect(() => {
    let cancelled = false;
    accessApi
      .me()
      .then((session) => {
        if (!cancelled) signedIn(session.user, session.csrfToken);
      })
      .catch((err: unknown) => {
        if (cancelled) return;
        const unauthenticated = err instanceof ApiError && err.status === 401;
        setAuth({ status: 'anonymous', error: unauthenticated ? undefined : (err as Error).message });
      });
    return () => {
      cancelled = true;
    };
  }, [signedIn]);

  useEffect(
    () =>
      onUnauthenticated(() => {
        setCsrfToken(null);
        setAuth({ status: 'anonymous', notice: t('auth.sessionExpired') });
      }),
    [t],
  );

  // an empty route or #/login once signed in goes to the user's dashboard (a deep link stays where it is)
  useEffect(() => {
    if (auth.status !== 'authenticated') return;
    const landing = landingAfterLogin(route, auth.user);
    if (landing) window.location.replace(landing);
  }, [auth, route]);

  const logout = useCallback(async () => {
    try {
      await accessApi.logout();
    } catch {
      // the session is dropped on this side in any case
    }
    setCsrfToken(null);
    setAuth({ status: 'anonymous' });
    navigate('login');
  }, []);

  // the calculator is public: it shows whatever the session, and keeps its form across a language
  // switch (it prices again in the new language by itself)
  if (route[0] === 'calculator') {
    const user = auth.status === 'authenticated' ? auth.user : null;
    return (
      <div className="app">
        <Header user={user} section="calculator" onLogout={logout} />
        <main className="container">
          {auth.status === 'anonymous' && <Notice message={auth.notice} />}
          <CalculatorPage />
        </main>
      </div>
    );
  }

  // a programme's public page (#/p/<slug>), its public ledger (#/p/<slug>/ledger) and the donor's
  // self-check (#/check[/<reference>]) need no login either
  if ((route[0] === 'p' && route[1]) || route[0] === 'check') {
    const user = auth.status === 'authenticated' ? auth.user : null;
    return (
      <div className="app">
        <Header user={user} section={null} onLogout={logout} />
        <main className="container">
          {route[0] === 'check' ? (
            <DonorCheckPage initialReference={route[1]} />
          ) : route[2] === 'ledger' ? (
            <PublicLedgerPage slug={route[1]} />
          ) : (
            <PublicProgrammePage slug={route[1]} />
          )}
        </main>
      </div>
    );
  }

  if (auth.status === 'loading') {
    return (
      <div className="app">
        <Header user={null} section={null} onLogout={logout} />
        <main className="container">
          <p className="muted" role="status">
            {t('common.loading')}
          </p>
        </main>
      </div>
    );
  }

  if (auth.status === 'anonymous') {
    return (
      <div className="app">
        <Header user={null} section={null} onLogout={logout} />
        <main className="container container-narrow" key={i18n.language}>
          <Notice message={auth.notice} />
          <LoginPage initialError={auth.error} onSignedIn={signedIn} />
        </main>
      </div>
    );
  }

  const user = auth.user;
  const section = sectionOf(route);
  let page;
  if (section === 'users') {
    page = user.role === 'admin' ? <UsersPage currentUser={user} /> : <ErrorBanner message={t('errors.adminOnly')} />;
  } else if (section === 'audit') {
    page = user.role === 'admin' ? <AuditPage /> : <ErrorBanner message={t('errors.adminOnly')} />;
  } else if (section === 'rules') {
    page = <RulesPage user={user} />;
  } else if (section === 'import') {
    page = user.role === 'viewer' ? <ErrorBanner message={t('register.import.viewer')} /> : <ImportPage />;
  } else if (section === 'register' && route[1] === 'household' && route[2]) {
    page = <HouseholdPage user={user} id={route[2]} />;
  } else if (section === 'register') {
    page = <RegisterSearchPage user={user} />;
  } else if (section === 'programmes') {
    page = route[1] ? <ProgrammePage id={route[1]} tab={route[2]} /> : <ProgrammesPage user={user} />;
  } else if (section === 'coverage') {
    page = <CoveragePage user={user} code={route[1] ?? null} visitsOnly={route[2] === 'visits'} />;
  } else if (section === 'units') {
    page = <UnitsPage user={user} codes={route.slice(1)} />;
  } else if (section === 'offices') {
    page = <OfficesPage user={user} province={route[1]} />;
  } else if (section === 'campaigns') {
    page = <CampaignsPage user={user} id={route[1]} />;
  } else if (section === 'simulator') {
    page = <SimulatorPage user={user} unit={route[1]} />;
  } else if (section === 'plans') {
    page = <PlansPage user={user} id={route[1]} />;
  } else if (section === 'events') {
    page = <EventsPage user={user} id={route[1]} />;
  } else if (section === 'outreach') {
    page = <OutreachPage user={user} commune={route[1]} sheet={route[2] === 'sheet' ? route[3] : undefined} />;
  } else if (section === 'reminders') {
    page = <RemindersPage user={user} unit={route[1]} />;
  } else if (route.length === 0 || route[0] === 'login') {
    page = null;
  } else {
    page = (
      <div className="card">
        <h1>{t('errors.pageNotFound')}</h1>
        <p>
          <a href="#/units">{t('nav.units')}</a>
        </p>
      </div>
    );
  }

  return (
    <div className="app">
      <Header user={user} section={section} onLogout={logout} />
      {/* a new language remounts the page: no message stays behind in the other language */}
      <main className="container" key={i18n.language}>
        {page}
      </main>
    </div>
  );
}
