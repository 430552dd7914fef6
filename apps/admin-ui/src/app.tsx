import { type ReactElement, type ReactNode, useCallback, useEffect, useState } from 'react';
import { onSessionEnded } from './api/api-client';
import { authApi } from './api/admin-api';
import { IntegrationsGridPage } from './integrations/grid/integrations-grid-page';
import { IntegrationFormPage } from './integrations/form/integration-form-page';
import { IntegrationHistoryPage } from './integrations/history/integration-history-page';
import { AppShell } from './layout/app-shell';
import { NoticesProvider } from './layout/notices';
import { OAuthSuccessPage } from './oauth-success/oauth-success-page';
import { Link, type Location, useLocation } from './routing/router';
import { writeAllDrafts } from './session/drafts';
import { LockoutNotice } from './session/lockout-notice';
import { LoginPage } from './session/login-page';
import { clearSession, sessionToken, sessionUser } from './session/session-store';
import { SettingsPage } from './settings/settings-page';

const ENDED = 'Your admin session has ended. Sign in again to continue.';
const ENDED_WITH_DRAFT =
  'Your admin session has ended. Sign in again to continue; your unsaved changes on this page are kept.';

export function App() {
  const location = useLocation();
  // The page the identity-link popup returns to: no session needed, nothing else rendered.
  if (location.path === '/oauth/success') return <OAuthSuccessPage />;
  return <AdminApp location={location} />;
}

function AdminApp({ location }: { location: Location }) {
  const [username, setUsername] = useState<string | null>(() => (sessionToken() ? (sessionUser() ?? '') : null));
  const [reason, setReason] = useState<ReactNode>();

  useEffect(() => {
    onSessionEnded((error) => {
      const drafts = writeAllDrafts();
      clearSession();
      setReason(
        error.code === 'ADMIN.LOCKED' ? (
          <LockoutNotice error={error} signedOut />
        ) : drafts > 0 ? (
          ENDED_WITH_DRAFT
        ) : (
          ENDED
        ),
      );
      setUsername(null);
    });
  }, []);

  // A token kept from before a reload may have expired meanwhile; asking now shows the login form
  // at once instead of after the first action.
  useEffect(() => {
    if (sessionToken()) authApi.me().catch(() => undefined);
  }, []);

  const signOut = useCallback(async () => {
    await authApi.logout().catch(() => undefined);
    clearSession();
    setReason('You have logged out.');
    setUsername(null);
  }, []);

  if (username === null) {
    return (
      <LoginPage
        reason={reason}
        onSignedIn={(name) => {
          setReason(undefined);
          setUsername(name);
        }}
      />
    );
  }

  const route = matchRoute(location.path);
  return <RoutedApp route={route} routeKey={location.path} username={username} onSignOut={signOut} />;
}

function RoutedApp({
  route,
  routeKey,
  username,
  onSignOut,
}: {
  route: Route;
  routeKey: string;
  username: string;
  onSignOut: () => void;
}) {
  useEffect(() => {
    document.title = `${route.title} · Admin`;
  }, [route.title]);
  return (
    <NoticesProvider routeKey={routeKey}>
      <AppShell username={username} section={route.section} onSignOut={onSignOut}>
        {route.element}
      </AppShell>
    </NoticesProvider>
  );
}

interface Route {
  section: 'integrations' | 'settings' | 'none';
  title: string;
  element: ReactElement;
}

function matchRoute(path: string): Route {
  const clean = path.replace(/\/+$/, '') || '/';
  if (clean === '/' || clean === '/integrations')
    return { section: 'integrations', title: 'Integrations', element: <IntegrationsGridPage /> };
  if (clean === '/integrations/new')
    return { section: 'integrations', title: 'New Integration', element: <IntegrationFormPage key="new" /> };
  const history = /^\/integrations\/([^/]+)\/history$/.exec(clean);
  if (history) {
    return {
      section: 'integrations',
      title: 'Integration History',
      element: <IntegrationHistoryPage key={history[1]} id={decodeURIComponent(history[1])} />,
    };
  }
  const edit = /^\/integrations\/([^/]+)$/.exec(clean);
  if (edit)
    return {
      section: 'integrations',
      title: 'Integration',
      element: <IntegrationFormPage key={edit[1]} id={decodeURIComponent(edit[1])} />,
    };
  if (clean === '/settings') return { section: 'settings', title: 'Settings', element: <SettingsPage /> };
  return {
    section: 'none',
    title: 'Page not found',
    element: (
      <section>
        <h1 className="page-title">Page not found</h1>
        <p>
          There is no admin page at this address. <Link to="/">Go to Integrations</Link>.
        </p>
      </section>
    ),
  };
}
