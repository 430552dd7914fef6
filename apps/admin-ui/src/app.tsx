import { type ReactElement, type ReactNode, useCallback, useEffect, useState } from 'react';
import { onSessionEnded } from './api/api-client';
import { authApi } from './api/admin-api';
import type { AdminProfile } from './api/types';
import { I18nProvider, useLocale } from './i18n/i18n-provider';
import { rememberLocale, storedLocale } from './i18n/locale-preference';
import { isLocale, type Locale, matchLocale } from './i18n/locales';
import { type I18n, Msg, useI18n } from './i18n/use-i18n';
import { IntegrationsGridPage } from './integrations/grid/integrations-grid-page';
import { IntegrationFormPage } from './integrations/form/integration-form-page';
import { IntegrationHistoryPage } from './integrations/history/integration-history-page';
import { AppShell, type Crumb } from './layout/app-shell';
import type { MenuArea } from './layout/menu';
import { NoticesProvider } from './layout/notices';
import { PageTitleProvider, usePageTitle } from './layout/page-title';
import { OAuthSuccessPage } from './oauth-success/oauth-success-page';
import { Link, type Location, navigate, useLocation } from './routing/router';
import { writeAllDrafts } from './session/drafts';
import { AdminProfileProvider } from './session/admin-profile';
import { LockoutNotice } from './session/lockout-notice';
import { LoginPage } from './session/login-page';
import { clearSession, sessionToken, sessionUser } from './session/session-store';
import { DEFAULT_SECTION, SettingsPage } from './settings/settings-page';

/** The admin's own locale if signed in (after a reload), else this browser's last or its language. */
function initialLocale(): Locale {
  return storedLocale(sessionUser()) ?? storedLocale() ?? matchLocale(navigator.languages ?? [navigator.language]);
}

export function App() {
  const location = useLocation();
  return (
    <I18nProvider initial={initialLocale()}>
      {/* The page the identity-link popup returns to: no session needed, nothing else rendered. */}
      {location.path === '/oauth/success' ? <OAuthSuccessPage /> : <AdminApp location={location} />}
    </I18nProvider>
  );
}

function AdminApp({ location }: { location: Location }) {
  const i18n = useI18n();
  const { t } = i18n;
  const { locale, setLocale } = useLocale();
  const [username, setUsername] = useState<string | null>(() => (sessionToken() ? (sessionUser() ?? '') : null));
  const [reason, setReason] = useState<ReactNode>();

  useEffect(() => {
    onSessionEnded((error) => {
      const drafts = writeAllDrafts();
      clearSession();
      setReason(
        error.code === 'ADMIN.LOCKED' ? (
          <LockoutNotice error={error} signedOut />
        ) : (
          <Msg id={drafts > 0 ? 'session.endedWithDraft' : 'session.ended'} />
        ),
      );
      setUsername(null);
    });
  }, []);

  // Who is signed in and what the role allows, read at sign-in and after a reload. A token kept from
  // before a reload may have expired meanwhile: asking now shows the login form at once instead of
  // after the first action. The interface locale kept on the account wins over this browser's.
  // Kept with the user name it was read for, so that a new sign-in never renders with the last
  // admin's profile (pages would mount, then remount once the new one arrives).
  const [profile, setProfile] = useState<{ of: string; me: AdminProfile | null } | null>(null);
  useEffect(() => {
    if (username === null) return;
    let cancelled = false;
    authApi.me().then(
      (me) => {
        if (cancelled) return;
        setProfile({ of: username, me });
        if (isLocale(me.interfaceLocale)) {
          setLocale(me.interfaceLocale);
          rememberLocale(me.interfaceLocale, me.username);
        }
      },
      // Unreadable (not a 401, which signs out): nothing is disabled, the gateway's 403s say the rest.
      () => !cancelled && setProfile({ of: username, me: null }),
    );
    return () => {
      cancelled = true;
    };
  }, [username, setLocale]);

  const signOut = useCallback(async () => {
    await authApi.logout().catch(() => undefined);
    clearSession();
    setReason(<Msg id="session.loggedOut" />);
    setUsername(null);
  }, []);

  const chooseLocale = useCallback(
    (next: Locale) => {
      setLocale(next);
      rememberLocale(next, username);
      // Kept on the account too; if that fails, this browser still remembers it.
      if (username !== null) authApi.setInterfaceLocale(next).catch(() => undefined);
    },
    [setLocale, username],
  );

  if (username === null) {
    return (
      <LoginPage
        reason={reason}
        onSignedIn={(name) => {
          // The admin's own interface locale, when they chose one (Magento's per-user setting).
          const own = storedLocale(name);
          if (own && own !== locale) setLocale(own);
          setReason(undefined);
          setUsername(name);
        }}
      />
    );
  }

  const route = matchRoute(location.path, i18n);
  if (route.redirect) return <Redirect to={route.redirect} />;
  if (profile?.of !== username) return <p className="muted">{t('common.loading')}</p>;
  return (
    <AdminProfileProvider profile={profile.me}>
      <RoutedApp
        route={route}
        routeKey={location.path}
        username={username}
        onLocale={chooseLocale}
        onSignOut={signOut}
        documentTitle={(title) => t('app.documentTitle', { title })}
      />
    </AdminProfileProvider>
  );
}

function RoutedApp({
  route,
  routeKey,
  username,
  onLocale,
  onSignOut,
  documentTitle,
}: {
  route: Route;
  routeKey: string;
  username: string;
  onLocale: (locale: Locale) => void;
  onSignOut: () => void;
  documentTitle: (title: string) => string;
}) {
  // The title a page gives itself, kept only for the route that gave it.
  const [named, setNamed] = useState<{ routeKey: string; title: string | null }>({ routeKey, title: null });
  const onTitle = useCallback((title: string | null) => setNamed({ routeKey, title }), [routeKey]);
  const pageTitle = (named.routeKey === routeKey ? named.title : null) ?? route.title;

  useEffect(() => {
    document.title = documentTitle(pageTitle);
  }, [documentTitle, pageTitle]);
  return (
    <NoticesProvider routeKey={routeKey}>
      <PageTitleProvider onTitle={onTitle}>
        <AppShell
          username={username}
          area={route.area}
          menuItem={route.menuItem}
          trail={route.trail}
          pageTitle={pageTitle}
          onLocale={onLocale}
          onSignOut={onSignOut}
        >
          {route.element}
        </AppShell>
      </PageTitleProvider>
    </NoticesProvider>
  );
}

interface Route {
  area: MenuArea | null;
  menuItem: string | null;
  trail: Crumb[];
  /** The page's name until it gives a better one (e.g. once the integration is loaded). */
  title: string;
  element: ReactElement;
  /** An old or bare address: replaced by this one. */
  redirect?: string;
}

/**
 * Every page has an address of its own, so a reload, a bookmark or a shared link lands on it (after
 * signing in, on the same URL). The gateway serves index.html for any extension-less path under
 * /admin/.
 */
function matchRoute(path: string, { t }: I18n): Route {
  const clean = path.replace(/\/+$/, '') || '/';
  const integrations: Omit<Route, 'title' | 'element'> = {
    area: 'system',
    menuItem: 'integrations',
    trail: [{ label: t('menu.system') }, { label: t('menu.system.extensions') }],
  };
  const underGrid = [...integrations.trail, { label: t('integrations.title'), to: '/' }];
  const page = (partial: Omit<Route, 'redirect'>): Route => partial;

  if (clean === '/' || clean === '/integrations')
    return page({ ...integrations, title: t('integrations.title'), element: <IntegrationsGridPage /> });
  if (clean === '/integrations/new')
    return page({
      ...integrations,
      trail: underGrid,
      title: t('form.newTitle'),
      element: <IntegrationFormPage key="new" />,
    });
  const history = /^\/integrations\/([^/]+)\/history$/.exec(clean);
  if (history) {
    return page({
      ...integrations,
      trail: underGrid,
      title: t('history.title'),
      element: <IntegrationHistoryPage key={history[1]} id={decodeURIComponent(history[1])} />,
    });
  }
  const edit = /^\/integrations\/([^/]+)$/.exec(clean);
  if (edit)
    return page({
      ...integrations,
      trail: underGrid,
      title: t('form.integration'),
      element: <IntegrationFormPage key={edit[1]} id={decodeURIComponent(edit[1])} />,
    });

  // Stores › Configuration › Services: one address per section, as Magento's section/<id>.
  if (clean === '/config' || clean === '/settings') return { ...notFound(t), redirect: `/config/${DEFAULT_SECTION}` };
  const section = /^\/config\/([a-z0-9_]+)$/.exec(clean);
  if (section)
    return page({
      area: 'stores',
      menuItem: 'configuration',
      trail: [
        { label: t('menu.stores') },
        { label: t('menu.stores.settings') },
        { label: t('menu.stores.configuration'), to: '/config' },
        { label: t('config.tab.services') },
      ],
      title: t('config.title'),
      element: <SettingsPage key={section[1]} section={section[1]} />,
    });
  return notFound(t);
}

function notFound(t: I18n['t']): Route {
  return { area: null, menuItem: null, trail: [], title: t('app.notFound.title'), element: <NotFoundPage /> };
}

function NotFoundPage() {
  const { t } = useI18n();
  usePageTitle(t('app.notFound.title'));
  return (
    <section>
      <h1 className="page-title">{t('app.notFound.title')}</h1>
      <p>
        <Msg id="app.notFound.text" values={{ link: (chunks) => <Link to="/">{chunks}</Link> }} />
      </p>
    </section>
  );
}

function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}
